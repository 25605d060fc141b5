//! The media path: every image (upload, wire photo, demo picture) goes through
//! [`MediaLibrary::add_image`], which reads its size, writes the original and its
//! renditions to blob storage, and records them in the store.

pub mod av;
mod fs;
mod object;

pub use fs::FsBlobStore;
pub use object::{ObjectBlobStore, S3Settings};

use image::{GenericImageView, ImageFormat, imageops::FilterType};
use kiosque_domain::media::{BlobStore, FocalPoint, Media, NewMedia, Rendition};
use kiosque_domain::store::{MediaStore, StoreError};
use std::io::Cursor;
use std::sync::Arc;

/// Widths of the renditions made for each image, by name. Smaller originals get only
/// the renditions narrower than themselves. Each width exists in the original's
/// family of types (JPEG, or PNG kept as JPEG) and in WebP (`-webp` names), and the
/// full size exists in WebP too (`full-webp`).
pub const RENDITIONS: &[(&str, u32)] = &[("thumb", 480), ("medium", 960)];

/// The ratios cut around each picture's focal point, by name: cards (16:9), the
/// 4:3 and square formats of other layouts. Each is made at [`CROP_WIDTHS`] (those
/// the crop can fill), in JPEG and WebP, named `crop-<ratio>-<width>[-webp]`.
pub const CROPS: &[(&str, u32, u32)] = &[("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1)];
/// Widths of the crops.
pub const CROP_WIDTHS: &[u32] = &[480, 960];
pub use kiosque_domain::media::CROP_PREFIX;

/// Largest side of an image taken in, in pixels (a 24-megapixel camera gives 6,000).
pub const MAX_SIDE: u32 = 12_000;
/// Largest image taken in, in megapixels: decoding holds 4 bytes a pixel.
pub const MAX_MEGAPIXELS: u64 = 40;

/// Lossy WebP quality (0–100): at 80, as sharp as JPEG at 82 and about a third smaller.
const WEBP_QUALITY: f32 = 80.0;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("this file is not an image Kiosque can read (JPEG, PNG, WebP or GIF)")]
    NotAnImage(#[source] image::ImageError),
    /// Refused from the dimensions the file declares, before decoding it.
    #[error(
        "the image is {width}×{height} pixels; Kiosque takes at most {MAX_SIDE} pixels a side and {MAX_MEGAPIXELS} megapixels"
    )]
    TooLarge { width: u32, height: u32 },
    #[error("cannot encode a rendition")]
    Encode(#[source] image::ImageError),
    #[error("cannot write the file to media storage")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Av(#[from] av::AvError),
    #[error(
        "captions must be a WebVTT file (starting with WEBVTT), in UTF-8, of at most {MAX_CAPTIONS_BYTES} bytes"
    )]
    NotCaptions,
}

/// Largest WebVTT captions file taken in.
pub const MAX_CAPTIONS_BYTES: usize = 512 * 1024;

/// What the newsroom says about an image when adding it.
#[derive(Debug, Clone, Default)]
pub struct ImageMeta {
    /// Name of the file, used (slugged) in storage keys.
    pub name: String,
    pub alt: String,
    pub credit: String,
    pub copyright: String,
}

/// Adds images to blob storage and the media store.
#[derive(Clone)]
pub struct MediaLibrary {
    blobs: Arc<dyn BlobStore>,
    store: Arc<dyn MediaStore>,
}

impl std::fmt::Debug for MediaLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaLibrary").finish_non_exhaustive()
    }
}

impl MediaLibrary {
    pub fn new(blobs: Arc<dyn BlobStore>, store: Arc<dyn MediaStore>) -> Self {
        Self { blobs, store }
    }

    /// Stores an image and its renditions. Decoding and resizing run on a blocking
    /// thread: they are CPU-bound.
    pub async fn add_image(&self, bytes: Vec<u8>, meta: ImageMeta) -> Result<Media, MediaError> {
        let now = kiosque_domain::clock::Clock::System.now();
        let stem = kiosque_domain::Slug::from_text(&meta.name)
            .map(String::from)
            .unwrap_or_else(|| "image".into());
        let unique = format!("{:x}", now.timestamp_nanos_opt().unwrap_or_default());
        let dir = format!("{}/{unique}", now.format("%Y/%m"));
        let prepared = tokio::task::spawn_blocking(move || prepare(bytes, &dir, &stem))
            .await
            .map_err(|e| MediaError::Io(std::io::Error::other(e)))??;

        self.blobs
            .put(&prepared.original_key, &prepared.original, &prepared.mime)
            .await?;
        for (rendition, bytes) in &prepared.renditions {
            self.blobs
                .put(&rendition.storage_key, bytes, &rendition.mime)
                .await?;
        }
        let new = NewMedia {
            storage_key: prepared.original_key,
            mime: prepared.mime,
            width: prepared.width,
            height: prepared.height,
            byte_size: prepared.original.len() as u64,
            alt: meta.alt,
            credit: meta.credit,
            copyright: meta.copyright,
            renditions: prepared.renditions.into_iter().map(|(r, _)| r).collect(),
        };
        Ok(self.store.create_media(&new, now).await?)
    }

    /// Stores a video or a sound from a file on disk (an upload streamed there): its
    /// type and duration read from the bytes, the file copied to blob storage without
    /// being read into memory (a folder; a bucket reads it), the media row and its
    /// details written in one transaction.
    pub async fn add_av(
        &self,
        file: &std::path::Path,
        meta: ImageMeta,
    ) -> Result<(Media, av::AvProbe), MediaError> {
        let path = file.to_owned();
        let probe = tokio::task::spawn_blocking(move || av::probe(&path))
            .await
            .map_err(|e| MediaError::Io(std::io::Error::other(e)))??;
        let now = kiosque_domain::clock::Clock::System.now();
        let stem = kiosque_domain::Slug::from_text(&meta.name)
            .map(String::from)
            .unwrap_or_else(|| probe.kind.as_str().into());
        let unique = format!("{:x}", now.timestamp_nanos_opt().unwrap_or_default());
        let key = format!(
            "{}/{unique}/{stem}.{}",
            now.format("%Y/%m"),
            probe.extension
        );
        self.blobs.put_file(&key, file, probe.mime).await?;
        let new = NewMedia {
            storage_key: key,
            mime: probe.mime.into(),
            width: probe.width,
            height: probe.height,
            byte_size: tokio::fs::metadata(file).await?.len(),
            alt: meta.alt,
            credit: meta.credit,
            copyright: meta.copyright,
            renditions: Vec::new(),
        };
        let media = self
            .store
            .create_av(&new, probe.kind.as_str(), probe.duration_ms, now)
            .await?;
        Ok((media, probe))
    }

    /// Stores WebVTT captions for a video (checked: UTF-8, the `WEBVTT` signature,
    /// the size) under a new key beside it.
    pub async fn add_captions(
        &self,
        video: &Media,
        vtt: &[u8],
        lang: &str,
    ) -> Result<String, MediaError> {
        let text = std::str::from_utf8(vtt).map_err(|_| MediaError::NotCaptions)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let signed = text.starts_with("WEBVTT")
            && text[6..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t' || c == '\n' || c == '\r');
        if vtt.len() > MAX_CAPTIONS_BYTES || !signed {
            return Err(MediaError::NotCaptions);
        }
        let lang: String = lang
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(12)
            .collect();
        let lang = if lang.is_empty() {
            "fr".to_owned()
        } else {
            lang
        };
        let now = kiosque_domain::clock::Clock::System.now();
        let base = video
            .storage_key
            .rsplit_once('.')
            .map_or(video.storage_key.as_str(), |(stem, _)| stem);
        let key = format!(
            "{base}-{lang}-{:x}.vtt",
            now.timestamp_nanos_opt().unwrap_or_default()
        );
        self.blobs.put(&key, vtt, "text/vtt; charset=utf-8").await?;
        self.store.set_captions(video.id, &key, &lang).await?;
        Ok(key)
    }

    /// Cuts the crops again around `focal` (after the newsroom moved it): new files
    /// under new keys (a cached copy of the old crop is never served for the new
    /// one), then the media's crop renditions replaced in one transaction. The old
    /// files' keys come back.
    pub async fn recrop(
        &self,
        media: &Media,
        focal: FocalPoint,
    ) -> Result<Vec<String>, MediaError> {
        let original = self
            .blobs
            .get(&media.storage_key)
            .await?
            .ok_or_else(|| MediaError::Io(std::io::Error::other("the original is missing")))?;
        let now = kiosque_domain::clock::Clock::System.now();
        let (dir, file) = media
            .storage_key
            .rsplit_once('/')
            .unwrap_or(("", media.storage_key.as_str()));
        let stem = format!(
            "{}-f{:x}",
            file.rsplit_once('.').map_or(file, |(stem, _)| stem),
            now.timestamp_nanos_opt().unwrap_or_default()
        );
        let dir = dir.to_owned();
        let made = tokio::task::spawn_blocking(move || -> Result<_, MediaError> {
            let img = image::load_from_memory(&original.bytes).map_err(MediaError::NotAnImage)?;
            crops(&img, focal, &dir, &stem)
        })
        .await
        .map_err(|e| MediaError::Io(std::io::Error::other(e)))??;
        for (rendition, bytes) in &made {
            self.blobs
                .put(&rendition.storage_key, bytes, &rendition.mime)
                .await?;
        }
        let renditions: Vec<Rendition> = made.into_iter().map(|(r, _)| r).collect();
        Ok(self
            .store
            .replace_renditions(media.id, CROP_PREFIX, &renditions)
            .await?)
    }
}

/// What [`MediaLibrary::add_image`] makes of an image (the original re-encoded and
/// every rendition, crops included), without storing anything: the renditions'
/// names and byte sizes. For benchmarks.
pub fn prepare_only(bytes: Vec<u8>) -> Result<Vec<(String, usize)>, MediaError> {
    let prepared = prepare(bytes, "bench", "image")?;
    let mut out = vec![("original".to_owned(), prepared.original.len())];
    out.extend(
        prepared
            .renditions
            .iter()
            .map(|(r, bytes)| (r.name.clone(), bytes.len())),
    );
    Ok(out)
}

struct Prepared {
    original_key: String,
    original: Vec<u8>,
    mime: String,
    width: u32,
    height: u32,
    renditions: Vec<(Rendition, Vec<u8>)>,
}

fn prepare(bytes: Vec<u8>, dir: &str, stem: &str) -> Result<Prepared, MediaError> {
    // The type comes from the bytes, never from a file name or a declared type.
    let format = image::guess_format(&bytes).map_err(MediaError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(MediaError::NotAnImage(image::ImageError::Unsupported(
            image::error::ImageFormatHint::Exact(format).into(),
        )));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(&bytes), format);
    // Bounds for the decoder too (GIF frames, WebP chunks), beside the check below.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_MEGAPIXELS * 1_000_000 * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = match reader.into_decoder() {
        Ok(decoder) => decoder,
        Err(image::ImageError::Limits(_)) => {
            let (width, height) = declared_dimensions(&bytes, format).unwrap_or((0, 0));
            return Err(MediaError::TooLarge { width, height });
        }
        Err(e) => return Err(MediaError::NotAnImage(e)),
    };
    // Refused by what the file declares, before a pixel is decoded.
    let (width, height) = image::ImageDecoder::dimensions(&decoder);
    if width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_MEGAPIXELS * 1_000_000
    {
        return Err(MediaError::TooLarge { width, height });
    }
    let orientation = image::ImageDecoder::orientation(&mut decoder)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(MediaError::NotAnImage)?;
    // Camera rotation is applied once, here, so every rendition stands upright.
    img.apply_orientation(orientation);
    let (width, height) = img.dimensions();

    // The stored original is re-encoded from pixels: EXIF (GPS position, camera serial),
    // XMP and comments never reach the public. PNG stays PNG; everything else becomes
    // a high-quality JPEG.
    let (original, mime, ext) = if format == ImageFormat::Png {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png)
            .map_err(MediaError::Encode)?;
        (out.into_inner(), "image/png", "png")
    } else {
        (encode_jpeg(&img, 92)?, "image/jpeg", "jpg")
    };

    let mut renditions = Vec::new();
    for &(name, target) in RENDITIONS {
        if target >= width {
            continue;
        }
        let resized = img.resize(target, u32::MAX, FilterType::Triangle);
        renditions.push((
            Rendition {
                name: name.into(),
                storage_key: format!("{dir}/{stem}-{name}.jpg"),
                mime: "image/jpeg".into(),
                width: resized.width(),
                height: resized.height(),
            },
            encode_jpeg(&resized, 82)?,
        ));
        renditions.push(webp_rendition(&resized, &format!("{name}-webp"), dir, stem));
    }
    renditions.push(webp_rendition(&img, "full-webp", dir, stem));
    renditions.extend(crops(&img, FocalPoint::CENTRE, dir, stem)?);
    Ok(Prepared {
        original_key: format!("{dir}/{stem}.{ext}"),
        original,
        mime: mime.into(),
        width,
        height,
        renditions,
    })
}

/// The crops of `img` around `focal`: for each ratio of [`CROPS`], the largest
/// rectangle of that ratio that keeps the focal point as central as the edges allow,
/// scaled to each width of [`CROP_WIDTHS`] it can fill (or kept at its own width
/// when narrower than all), in JPEG and WebP.
pub fn crops(
    img: &image::DynamicImage,
    focal: FocalPoint,
    dir: &str,
    stem: &str,
) -> Result<Vec<(Rendition, Vec<u8>)>, MediaError> {
    let (width, height) = img.dimensions();
    let mut out = Vec::new();
    for &(ratio, rw, rh) in CROPS {
        let (left, top, cw, ch) = focal.crop(width, height, rw, rh);
        let cut = img.crop_imm(left, top, cw, ch);
        let mut widths: Vec<u32> = CROP_WIDTHS.iter().copied().filter(|w| *w <= cw).collect();
        if widths.is_empty() {
            widths.push(cw);
        }
        for target in widths {
            let target_height = (u64::from(target) * u64::from(rh) / u64::from(rw)).max(1);
            let target_height = u32::try_from(target_height).unwrap_or(u32::MAX);
            let resized = if (target, target_height) == (cw, ch) {
                cut.clone()
            } else {
                cut.resize_exact(target, target_height, FilterType::Triangle)
            };
            let name = format!("{CROP_PREFIX}{ratio}-{target}");
            out.push((
                Rendition {
                    name: name.clone(),
                    storage_key: format!("{dir}/{stem}-{name}.jpg"),
                    mime: "image/jpeg".into(),
                    width: resized.width(),
                    height: resized.height(),
                },
                encode_jpeg(&resized, 82)?,
            ));
            out.push(webp_rendition(&resized, &format!("{name}-webp"), dir, stem));
        }
    }
    Ok(out)
}

/// The dimensions a file declares, read without decoding it and without limits.
fn declared_dimensions(bytes: &[u8], format: ImageFormat) -> Option<(u32, u32)> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.no_limits();
    reader.into_dimensions().ok()
}

fn webp_rendition(
    img: &image::DynamicImage,
    name: &str,
    dir: &str,
    stem: &str,
) -> (Rendition, Vec<u8>) {
    let rgba = img.to_rgba8();
    let bytes = webp::Encoder::from_rgba(&rgba, rgba.width(), rgba.height())
        .encode(WEBP_QUALITY)
        .to_vec();
    (
        Rendition {
            name: name.into(),
            storage_key: format!("{dir}/{stem}-{name}.webp"),
            mime: kiosque_domain::media::WEBP.into(),
            width: rgba.width(),
            height: rgba.height(),
        },
        bytes,
    )
}

fn encode_jpeg(img: &image::DynamicImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img.to_rgb8())
        .map_err(MediaError::Encode)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// A PNG that only declares its size: signature and header, no pixels.
    fn declared_png(width: u32, height: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xffff_ffff_u32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xedb8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&width.to_be_bytes());
        chunk.extend_from_slice(&height.to_be_bytes());
        chunk.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        // The header, then a first (truncated) data chunk: decoders read up to it.
        let idat = b"IDAT\x78\x9c\x01\x00\x00\xff\xff".to_vec();
        for chunk in [chunk, idat, b"IEND".to_vec()] {
            out.extend_from_slice(&(chunk.len() as u32 - 4).to_be_bytes());
            out.extend_from_slice(&chunk);
            out.extend_from_slice(&crc32(&chunk).to_be_bytes());
        }
        out
    }

    #[test]
    fn images_too_large_are_refused_before_decoding() {
        for (width, height) in [(7_000, 7_000), (16_384, 16_384), (12_001, 10)] {
            match prepare(declared_png(width, height), "d", "s") {
                Err(MediaError::TooLarge {
                    width: w,
                    height: h,
                }) => assert_eq!((w, h), (width, height)),
                Err(e) => panic!("{width}×{height}: {e}"),
                Ok(_) => panic!("{width}×{height} accepted"),
            }
        }
        // A real 16,384-pixel-wide strip: refused, no encoder ever sees it.
        assert!(matches!(
            prepare(png(16_384, 2), "d", "s"),
            Err(MediaError::TooLarge {
                width: 16_384,
                height: 2
            })
        ));
        // Within bounds, a declared-only file is simply not an image.
        assert!(matches!(
            prepare(declared_png(100, 100), "d", "s"),
            Err(MediaError::NotAnImage(_))
        ));
    }

    #[test]
    fn renditions_keep_the_aspect_ratio() {
        let prepared = prepare(png(1200, 675), "2026/11/x", "quai").unwrap();
        assert_eq!((prepared.width, prepared.height), (1200, 675));
        assert_eq!(prepared.mime, "image/png");
        assert_eq!(prepared.original_key, "2026/11/x/quai.png");
        let sizes: Vec<_> = prepared
            .renditions
            .iter()
            .filter(|(r, _)| !r.name.starts_with(CROP_PREFIX))
            .map(|(r, _)| (r.name.as_str(), r.width, r.height))
            .collect();
        assert_eq!(
            sizes,
            [
                ("thumb", 480, 270),
                ("thumb-webp", 480, 270),
                ("medium", 960, 540),
                ("medium-webp", 960, 540),
                ("full-webp", 1200, 675)
            ]
        );
        for (rendition, bytes) in &prepared.renditions {
            let format = image::guess_format(bytes).unwrap();
            if rendition.name.ends_with("-webp") {
                assert_eq!(format, ImageFormat::WebP);
                assert!(rendition.storage_key.ends_with(".webp"));
                let decoded = image::load_from_memory(bytes).unwrap();
                assert_eq!(
                    (decoded.width(), decoded.height()),
                    (rendition.width, rendition.height)
                );
            } else {
                assert_eq!(format, ImageFormat::Jpeg);
            }
        }
    }

    #[test]
    fn small_images_get_no_larger_renditions() {
        let prepared = prepare(png(300, 200), "d", "petit").unwrap();
        let names: Vec<_> = prepared
            .renditions
            .iter()
            .map(|(r, _)| r.name.as_str())
            .collect();
        // Crops narrower than every crop width keep their own size.
        assert_eq!(
            names,
            [
                "full-webp",
                "crop-16x9-300",
                "crop-16x9-300-webp",
                "crop-4x3-266",
                "crop-4x3-266-webp",
                "crop-1x1-200",
                "crop-1x1-200-webp"
            ]
        );
    }

    /// A grey picture with a red square centred on (fx, fy).
    fn marked(width: u32, height: u32, fx: f64, fy: f64) -> image::DynamicImage {
        let (cx, cy) = (
            (fx * f64::from(width)) as i64,
            (fy * f64::from(height)) as i64,
        );
        image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            if (i64::from(x) - cx).abs() < 40 && (i64::from(y) - cy).abs() < 40 {
                image::Rgb([230, 0, 0])
            } else {
                image::Rgb([128, 128, 128])
            }
        }))
    }

    fn red_pixels(bytes: &[u8]) -> (u32, u32, u32) {
        let img = image::load_from_memory(bytes).unwrap().to_rgb8();
        let red = img
            .pixels()
            .filter(|p| p[0] > 180 && p[1] < 70 && p[2] < 70)
            .count();
        (img.width(), img.height(), u32::try_from(red).unwrap())
    }

    #[test]
    fn crops_keep_the_focal_point_in_every_picture() {
        // Subjects near each edge and corner of a wide and a tall picture.
        for (width, height) in [(2400, 1350), (1200, 1800)] {
            for (fx, fy) in [(0.9, 0.2), (0.1, 0.85), (0.5, 0.5), (0.97, 0.97)] {
                let img = marked(width, height, fx, fy);
                let crops = crops(&img, FocalPoint::new(fx, fy), "d", "s").unwrap();
                assert_eq!(crops.len(), CROPS.len() * CROP_WIDTHS.len() * 2);
                for (rendition, bytes) in &crops {
                    let (w, h, red) = red_pixels(bytes);
                    assert_eq!((w, h), (rendition.width, rendition.height));
                    let ratio = rendition.name.split('-').nth(1).unwrap();
                    let (rw, rh) = ratio.split_once('x').unwrap();
                    let (rw, rh): (u32, u32) = (rw.parse().unwrap(), rh.parse().unwrap());
                    assert!(
                        (i64::from(w * rh) - i64::from(h * rw)).abs() <= i64::from(rw.max(rh)),
                        "{} is {w}×{h}",
                        rendition.name
                    );
                    assert!(
                        red > 100,
                        "{width}×{height}, focal ({fx}, {fy}): {} lost the subject ({red} red pixels)",
                        rendition.name
                    );
                }
            }
        }
        // And the centre crop of a picture whose subject sits in a corner cuts it
        // off: the check above can fail.
        let img = marked(2400, 1350, 0.97, 0.1);
        let centred = crops(&img, FocalPoint::CENTRE, "d", "s").unwrap();
        let square = centred
            .iter()
            .find(|(r, _)| r.name == "crop-1x1-480")
            .unwrap();
        assert_eq!(red_pixels(&square.1).2, 0);
    }

    #[test]
    fn non_images_are_refused_with_a_clear_error() {
        let err = prepare(b"%PDF-1.7 not an image".to_vec(), "d", "x")
            .err()
            .unwrap();
        assert!(matches!(err, MediaError::NotAnImage(_)));
        assert!(err.to_string().contains("JPEG, PNG, WebP or GIF"));
    }
}

#[cfg(test)]
mod exif_tests {
    use super::*;

    /// A JPEG with an EXIF block saying "rotate 90°" and carrying a GPS position.
    fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, _| {
            image::Rgb([if x < width / 2 { 250 } else { 10 }, 40, 40])
        });
        let mut plain = Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&img)
            .unwrap();
        let plain = plain.into_inner();
        // TIFF, little-endian: IFD0 with Orientation = 6 and a GPS IFD pointer; GPS IFD
        // with GPSLatitudeRef = "N".
        let mut tiff: Vec<u8> = b"II*\0".to_vec();
        tiff.extend(8u32.to_le_bytes());
        tiff.extend(2u16.to_le_bytes());
        tiff.extend([0x12, 0x01, 3, 0]);
        tiff.extend(1u32.to_le_bytes());
        tiff.extend([6, 0, 0, 0]);
        tiff.extend([0x25, 0x88, 4, 0]);
        tiff.extend(1u32.to_le_bytes());
        tiff.extend(38u32.to_le_bytes());
        tiff.extend(0u32.to_le_bytes());
        tiff.extend(1u16.to_le_bytes());
        tiff.extend([1, 0, 2, 0]);
        tiff.extend(2u32.to_le_bytes());
        tiff.extend(*b"N\0\0\0");
        tiff.extend(0u32.to_le_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(&tiff);
        let mut out = plain[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(&app1);
        out.extend(&plain[2..]);
        out
    }

    #[test]
    fn camera_rotation_is_applied_and_metadata_stripped() {
        let bytes = jpeg_with_exif(1000, 500);
        assert!(bytes.windows(4).any(|w| w == b"Exif"));
        let prepared = prepare(bytes, "d", "photo").unwrap();
        assert_eq!(
            (prepared.width, prepared.height),
            (500, 1000),
            "rotated upright"
        );
        assert!(
            !prepared.original.windows(4).any(|w| w == b"Exif"),
            "no EXIF (and so no GPS) in the stored original"
        );
        let thumb = &prepared.renditions[0];
        assert_eq!((thumb.0.width, thumb.0.height), (480, 960));
    }

    #[test]
    fn gif_and_webp_are_accepted() {
        let img = image::RgbaImage::from_fn(600, 300, |x, y| {
            image::Rgba([(x % 255) as u8, (y % 255) as u8, 0, 255])
        });
        let mut gif = Cursor::new(Vec::new());
        img.write_to(&mut gif, ImageFormat::Gif).unwrap();
        let prepared = prepare(gif.into_inner(), "d", "anim").unwrap();
        assert_eq!(
            (prepared.mime.as_str(), prepared.width),
            ("image/jpeg", 600)
        );
        let mut webp = Cursor::new(Vec::new());
        img.write_to(&mut webp, ImageFormat::WebP).unwrap();
        let prepared = prepare(webp.into_inner(), "d", "pic").unwrap();
        assert_eq!(
            (prepared.mime.as_str(), prepared.height),
            ("image/jpeg", 300)
        );
    }
}
