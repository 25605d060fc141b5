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
    pub created_at: DateTime<Utc>,
    pub renditions: Vec<Rendition>,
}

impl Media {
    pub fn url(&self) -> String {
        media_path(&self.storage_key)
    }

    /// The smallest rendition at least `min_width` wide, else the original.
    pub fn best_for_width(&self, min_width: u32) -> ImageRef {
        let original = ImageRef {
            url: self.url(),
            width: self.width,
            height: self.height,
            alt: self.alt.clone(),
        };
        self.renditions
            .iter()
            .filter(|r| r.width >= min_width)
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

/// A resized copy of a media item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rendition {
    pub name: String,
    pub storage_key: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
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
    /// Reads a blob back, `None` if there is no such key.
    async fn get(&self, key: &str) -> std::io::Result<Option<Blob>>;
}
