//! Media: stored images with their renditions, and the blob storage they live in.
//! Uploads, wire photos and demo pictures all take the same path.

use crate::ids::MediaId;
use crate::url::media_path;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An image as stored: the original and its smaller renditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Media {
    pub id: MediaId,
    pub storage_key: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    /// Default alt text and credit, which an article may override.
    pub alt: String,
    pub credit: String,
    /// Who holds the rights ("© Kiosque Info 2026"), for JSON-LD and the library.
    pub copyright: String,
    /// The part of the picture that must survive a crop.
    pub focal: FocalPoint,
    pub created_at: DateTime<Utc>,
    pub renditions: Vec<Rendition>,
}

impl Media {
    pub fn url(&self) -> String {
        media_path(&self.storage_key)
    }

    /// The renditions of the whole picture of one type (`image/webp`,
    /// `image/jpeg`), narrowest first; crops are left out.
    pub fn renditions_of(&self, mime: &str) -> impl Iterator<Item = &Rendition> {
        let mut found: Vec<&Rendition> = self
            .renditions
            .iter()
            .filter(|r| r.mime == mime && !r.is_crop())
            .collect();
        found.sort_by_key(|r| r.width);
        found.into_iter()
    }

    /// The type of the renditions every browser shows: the original's, or JPEG for
    /// renditions of a PNG.
    pub fn jpeg_family(&self) -> String {
        self.renditions
            .iter()
            .find(|r| r.mime != WEBP)
            .map_or_else(|| self.mime.clone(), |r| r.mime.clone())
    }

    /// The smallest rendition at least `min_width` wide in the original's family of
    /// types (JPEG or PNG, never WebP, so that every browser can show it), else the
    /// original.
    pub fn best_for_width(&self, min_width: u32) -> ImageRef {
        let original = ImageRef {
            url: self.url(),
            width: self.width,
            height: self.height,
            alt: self.alt.clone(),
        };
        self.renditions
            .iter()
            .filter(|r| r.mime != WEBP && !r.is_crop() && r.width >= min_width)
            .min_by_key(|r| r.width)
            .map(|r| ImageRef {
                url: media_path(&r.storage_key),
                width: r.width,
                height: r.height,
                alt: self.alt.clone(),
            })
            .unwrap_or(original)
    }
}

/// The type of the modern renditions offered beside the original's.
pub const WEBP: &str = "image/webp";

/// A point of interest in a picture, as fractions of its width and height (0 to 1,
/// from the top left). Crops keep it in frame, as close to the centre as they can.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FocalPoint {
    pub x: f64,
    pub y: f64,
}

impl Default for FocalPoint {
    fn default() -> Self {
        Self::CENTRE
    }
}

impl FocalPoint {
    pub const CENTRE: FocalPoint = FocalPoint { x: 0.5, y: 0.5 };

    /// A focal point from fractions, clamped into the picture; `NaN` becomes the centre.
    pub fn new(x: f64, y: f64) -> Self {
        let clamp = |v: f64| if v.is_nan() { 0.5 } else { v.clamp(0.0, 1.0) };
        Self {
            x: clamp(x),
            y: clamp(y),
        }
    }

    /// The largest `ratio_w:ratio_h` rectangle inside a `width × height` picture that
    /// is centred on this point as far as the picture's edges allow:
    /// `(left, top, crop_width, crop_height)`.
    pub fn crop(self, width: u32, height: u32, ratio_w: u32, ratio_h: u32) -> (u32, u32, u32, u32) {
        if width == 0 || height == 0 || ratio_w == 0 || ratio_h == 0 {
            return (0, 0, width, height);
        }
        let (w, h, rw, rh) = (
            u64::from(width),
            u64::from(height),
            u64::from(ratio_w),
            u64::from(ratio_h),
        );
        // Widest crop of the ratio that fits: full width, or full height.
        let (cw, ch) = if w * rh <= h * rw {
            (w, (w * rh / rw).max(1))
        } else {
            ((h * rw / rh).max(1), h)
        };
        let place = |full: u64, size: u64, focus: f64| -> u64 {
            let centre = (focus * full as f64).round() as u64;
            centre.saturating_sub(size / 2).min(full - size)
        };
        let left = place(w, cw, self.x);
        let top = place(h, ch, self.y);
        // Every value is at most the u32 it came from.
        let narrow = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        (narrow(left), narrow(top), narrow(cw), narrow(ch))
    }

    /// CSS `object-position`, for pictures cropped by the browser.
    pub fn css_position(self) -> String {
        format!("{:.0}% {:.0}%", self.x * 100.0, self.y * 100.0)
    }
}

/// What the newsroom edits about a media item after upload.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MediaDetails {
    pub alt: String,
    pub credit: String,
    pub copyright: String,
    pub focal: FocalPoint,
}

/// A resized copy of a media item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rendition {
    pub name: String,
    pub storage_key: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
}

/// The prefix of the names of renditions cut around the focal point
/// (`crop-16x9-480`, `crop-1x1-960-webp`).
pub const CROP_PREFIX: &str = "crop-";

impl Rendition {
    /// A crop around the focal point, rather than the whole picture resized.
    pub fn is_crop(&self) -> bool {
        self.name.starts_with(CROP_PREFIX)
    }
}

/// An image to insert in a page: where, how big, and what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageRef {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// A media item to record once its files are stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMedia {
    pub storage_key: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    pub alt: String,
    pub credit: String,
    pub copyright: String,
    pub renditions: Vec<Rendition>,
}

/// Bytes and their type, as read back from blob storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub bytes: Vec<u8>,
    pub mime: String,
}

/// Where media files live: a folder on one machine, an S3 bucket at scale.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores bytes under a key; the key is made by the caller and never reused.
    async fn put(&self, key: &str, bytes: &[u8], mime: &str) -> std::io::Result<()>;
    /// Stores a file's content under a key. By default read whole and `put`; stores
    /// that can do better (a folder: copy and rename) stream it.
    async fn put_file(&self, key: &str, file: &std::path::Path, mime: &str) -> std::io::Result<()> {
        let bytes = tokio_free_read(file)?;
        self.put(key, &bytes, mime).await
    }
    /// Reads a blob back, `None` if there is no such key.
    async fn get(&self, key: &str) -> std::io::Result<Option<Blob>>;
}

/// The default `put_file` reads with std (the domain has no async runtime); stores
/// override it.
fn tokio_free_read(file: &std::path::Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(file)
}

/// A video or a sound of the library, beside its media row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvDetails {
    pub media_id: crate::MediaId,
    /// `video` or `audio`.
    pub kind: String,
    pub duration_ms: u64,
    /// The poster picture (a library picture's display size).
    pub poster: Option<ImageRef>,
    /// The WebVTT captions' address and language.
    pub captions_url: Option<String>,
    pub captions_lang: String,
}

impl AvDetails {
    /// ISO 8601 duration (`PT1M5S`) for JSON-LD and podcasts.
    pub fn iso_duration(&self) -> String {
        // To the nearest second: a 4.02 s sound is "4 seconds".
        let seconds = self.duration_ms.saturating_add(500) / 1000;
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        let mut out = String::from("PT");
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || (h == 0 && m == 0) {
            out.push_str(&format!("{s}S"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crop_keeps_the_focal_point_in_frame() {
        // A 16:9 crop of a tall 1000×2000 picture, face near the top.
        let (left, top, w, h) = FocalPoint::new(0.5, 0.1).crop(1000, 2000, 16, 9);
        assert_eq!((left, w, h), (0, 1000, 562));
        assert_eq!(top, 0, "clamped at the top edge");
        // Face at two thirds down: the crop is centred on it.
        let (_, top, _, h) = FocalPoint::new(0.5, 0.66).crop(1000, 2000, 16, 9);
        assert_eq!(top, 1320 - h / 2);
        // A square crop of a wide picture, subject on the right edge.
        let (left, top, w, h) = FocalPoint::new(1.0, 0.5).crop(1600, 900, 1, 1);
        assert_eq!((left, top, w, h), (700, 0, 900, 900));
        // The centre crops symmetrically.
        let (left, _, w, _) = FocalPoint::CENTRE.crop(1600, 900, 1, 1);
        assert_eq!(left * 2 + w, 1600);
    }

    #[test]
    fn durations_read_as_iso_8601() {
        let av = |ms| AvDetails {
            media_id: crate::MediaId(1),
            kind: "video".into(),
            duration_ms: ms,
            poster: None,
            captions_url: None,
            captions_lang: "fr".into(),
        };
        assert_eq!(av(3_000).iso_duration(), "PT3S");
        assert_eq!(av(65_400).iso_duration(), "PT1M5S");
        assert_eq!(av(4_023).iso_duration(), "PT4S");
        assert_eq!(av(3_600_000).iso_duration(), "PT1H");
        assert_eq!(av(0).iso_duration(), "PT0S");
    }

    #[test]
    fn focal_points_are_clamped() {
        assert_eq!(FocalPoint::new(-1.0, 2.0), FocalPoint { x: 0.0, y: 1.0 });
        assert_eq!(
            FocalPoint::new(f64::NAN, 0.25),
            FocalPoint { x: 0.5, y: 0.25 }
        );
        assert_eq!(FocalPoint::new(0.3, 0.25).css_position(), "30% 25%");
        assert_eq!(FocalPoint::CENTRE.crop(0, 10, 1, 1), (0, 0, 0, 10));
    }
}
