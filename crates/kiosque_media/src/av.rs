//! Video and audio files: their type sniffed from the first bytes (never from a name
//! or a declared type), then their duration and, for video, their dimensions read
//! from the container with well-kept parsers (`mp4` for MP4 and M4A,
//! `matroska-demuxer` for WebM, `mp3-duration`, `ogg`). Nothing is decoded.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// Video or sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvKind {
    Video,
    Audio,
}

impl AvKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Video => "video",
            Self::Audio => "audio",
        }
    }
}

/// What a file is and how long it plays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvProbe {
    pub kind: AvKind,
    pub mime: &'static str,
    pub extension: &'static str,
    pub duration_ms: u64,
    /// 0 for sound.
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum AvError {
    #[error(
        "this file is not a video or a sound Kiosque takes (MP4 or WebM video; MP3, M4A or Ogg sound)"
    )]
    Unsupported,
    #[error("the {0} file cannot be read: {1}")]
    Malformed(&'static str, String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The container a file's first bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Mp4,
    WebM,
    Mp3,
    Ogg,
}

fn sniff(head: &[u8]) -> Option<Container> {
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some(Container::Mp4);
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        // EBML: WebM declares its doctype in the header.
        let window = &head[..head.len().min(64)];
        return window
            .windows(4)
            .any(|w| w == b"webm")
            .then_some(Container::WebM);
    }
    if head.starts_with(b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
        return Some(Container::Mp3);
    }
    if head.starts_with(b"OggS") {
        return Some(Container::Ogg);
    }
    None
}

/// Whether the first bytes are those of a video or sound Kiosque takes.
pub fn is_av(head: &[u8]) -> bool {
    sniff(head).is_some()
}

/// Reads what `path` is. CPU and disk work: call it off the async runtime.
pub fn probe(path: &Path) -> Result<AvProbe, AvError> {
    let mut head = [0u8; 64];
    let read = File::open(path)?.read(&mut head)?;
    let container = sniff(&head[..read]).ok_or(AvError::Unsupported)?;
    match container {
        Container::Mp4 => mp4_probe(path),
        Container::WebM => webm_probe(path),
        Container::Mp3 => {
            let duration = mp3_duration::from_path(path)
                .map_err(|e| AvError::Malformed("MP3", e.to_string()))?;
            Ok(AvProbe {
                kind: AvKind::Audio,
                mime: "audio/mpeg",
                extension: "mp3",
                duration_ms: millis(duration),
                width: 0,
                height: 0,
            })
        }
        Container::Ogg => ogg_probe(path),
    }
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn mp4_probe(path: &Path) -> Result<AvProbe, AvError> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let reader = mp4::Mp4Reader::read_header(BufReader::new(file), size)
        .map_err(|e| AvError::Malformed("MP4", e.to_string()))?;
    let video = reader
        .tracks()
        .values()
        .find(|t| matches!(t.track_type(), Ok(mp4::TrackType::Video)));
    let duration_ms = millis(reader.duration());
    Ok(match video {
        Some(track) => AvProbe {
            kind: AvKind::Video,
            mime: "video/mp4",
            extension: "mp4",
            duration_ms,
            width: u32::from(track.width()),
            height: u32::from(track.height()),
        },
        None => AvProbe {
            kind: AvKind::Audio,
            mime: "audio/mp4",
            extension: "m4a",
            duration_ms,
            width: 0,
            height: 0,
        },
    })
}

fn webm_probe(path: &Path) -> Result<AvProbe, AvError> {
    let file = matroska_demuxer::MatroskaFile::open(BufReader::new(File::open(path)?))
        .map_err(|e| AvError::Malformed("WebM", e.to_string()))?;
    let info = file.info();
    // The duration is counted in the segment's timestamp scale (nanoseconds a tick).
    let duration_ms = info
        .duration()
        .map(|ticks| ticks * info.timestamp_scale().get() as f64 / 1_000_000.0)
        .unwrap_or(0.0)
        .max(0.0) as u64;
    let video = file.tracks().iter().find_map(|t| t.video());
    Ok(match video {
        Some(v) => AvProbe {
            kind: AvKind::Video,
            mime: "video/webm",
            extension: "webm",
            duration_ms,
            width: u32::try_from(v.pixel_width().get()).unwrap_or(0),
            height: u32::try_from(v.pixel_height().get()).unwrap_or(0),
        },
        None => AvProbe {
            kind: AvKind::Audio,
            mime: "audio/webm",
            extension: "weba",
            duration_ms,
            width: 0,
            height: 0,
        },
    })
}

/// Ogg Vorbis or Opus: the last page's granule position over the stream's rate
/// (Vorbis: its identification header; Opus: always 48 kHz, less the pre-skip).
fn ogg_probe(path: &Path) -> Result<AvProbe, AvError> {
    let mut reader = ogg::PacketReader::new(BufReader::new(File::open(path)?));
    let malformed = |e: ogg::OggReadError| AvError::Malformed("Ogg", e.to_string());
    let first = reader
        .read_packet()
        .map_err(malformed)?
        .ok_or(AvError::Unsupported)?;
    let (rate, skip) = if first.data.starts_with(b"\x01vorbis") && first.data.len() >= 16 {
        let rate = u32::from_le_bytes([
            first.data[12],
            first.data[13],
            first.data[14],
            first.data[15],
        ]);
        (u64::from(rate), 0)
    } else if first.data.starts_with(b"OpusHead") && first.data.len() >= 12 {
        (
            48_000,
            u64::from(u16::from_le_bytes([first.data[10], first.data[11]])),
        )
    } else {
        return Err(AvError::Unsupported);
    };
    if rate == 0 {
        return Err(AvError::Malformed(
            "Ogg",
            "a stream without a sample rate".into(),
        ));
    }
    let mut last = first.absgp_page();
    while let Some(packet) = reader.read_packet().map_err(malformed)? {
        last = packet.absgp_page();
    }
    Ok(AvProbe {
        kind: AvKind::Audio,
        mime: "audio/ogg",
        extension: "ogg",
        duration_ms: last.saturating_sub(skip) * 1000 / rate,
        width: 0,
        height: 0,
    })
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "the test reads whether CI requires ffmpeg"
)]
mod tests {
    use super::*;

    /// A file to make: name, ffmpeg arguments, and what it must read as.
    struct Case {
        name: &'static str,
        args: Vec<&'static str>,
        kind: AvKind,
        mime: &'static str,
        size: (u32, u32),
        duration_ms: u64,
    }

    /// Files made by Debian's ffmpeg (`KIOSQUE_REQUIRE_FFMPEG` makes its absence an
    /// error, as CI does).
    fn ffmpeg(dir: &Path, name: &str, args: &[&str]) -> Option<std::path::PathBuf> {
        let out = dir.join(name);
        let status = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-y"])
            .args(args)
            .arg(&out)
            .status();
        match status {
            Ok(s) if s.success() => Some(out),
            _ => {
                assert!(
                    std::env::var_os("KIOSQUE_REQUIRE_FFMPEG").is_none(),
                    "KIOSQUE_REQUIRE_FFMPEG is set but ffmpeg cannot make {name}"
                );
                None
            }
        }
    }

    #[test]
    fn containers_say_what_they_hold_and_how_long() {
        let dir = tempfile::tempdir().unwrap();
        let video = [
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=3:size=320x180:rate=25",
        ];
        let sound = ["-f", "lavfi", "-i", "sine=frequency=440:duration=4"];
        let case = |name, args: Vec<&'static str>, kind, mime, size, duration_ms| Case {
            name,
            args,
            kind,
            mime,
            size,
            duration_ms,
        };
        let cases = vec![
            case(
                "a.mp4",
                [&video[..], &["-pix_fmt", "yuv420p"]].concat(),
                AvKind::Video,
                "video/mp4",
                (320, 180),
                3000,
            ),
            case(
                "a.webm",
                [&video[..], &["-c:v", "libvpx", "-b:v", "200k"]].concat(),
                AvKind::Video,
                "video/webm",
                (320, 180),
                3000,
            ),
            case(
                "a.mp3",
                sound.to_vec(),
                AvKind::Audio,
                "audio/mpeg",
                (0, 0),
                4000,
            ),
            case(
                "a.m4a",
                [&sound[..], &["-c:a", "aac"]].concat(),
                AvKind::Audio,
                "audio/mp4",
                (0, 0),
                4000,
            ),
            case(
                "a.ogg",
                [&sound[..], &["-c:a", "libvorbis"]].concat(),
                AvKind::Audio,
                "audio/ogg",
                (0, 0),
                4000,
            ),
        ];
        for Case {
            name,
            args,
            kind,
            mime,
            size,
            duration_ms: duration,
        } in cases
        {
            let Some(path) = ffmpeg(dir.path(), name, &args) else {
                return;
            };
            let probe = probe(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!((probe.kind, probe.mime), (kind, mime), "{name}");
            assert_eq!((probe.width, probe.height), size, "{name}");
            assert!(
                probe.duration_ms.abs_diff(duration) < 150,
                "{name}: {} ms",
                probe.duration_ms
            );
        }
    }

    #[test]
    fn other_files_are_refused_by_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("fake.mp4", b"<html>not a video</html>".to_vec()),
            ("empty.mp3", Vec::new()),
            ("pdf.ogg", b"%PDF-1.7".to_vec()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            assert!(matches!(probe(&path), Err(AvError::Unsupported)), "{name}");
        }
        // A file that announces MP4 but is cut short is a clear error, not a panic.
        let path = dir.path().join("cut.mp4");
        std::fs::write(&path, b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2").unwrap();
        assert!(matches!(probe(&path), Err(AvError::Malformed("MP4", _))));
    }
}
