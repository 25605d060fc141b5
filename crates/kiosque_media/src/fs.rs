//! Blob storage in a folder of the data directory. Writes go to a temporary file that
//! is renamed into place, so a crash never leaves a half-written image behind a key.

use async_trait::async_trait;
use kiosque_domain::media::{Blob, BlobStore};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The file for a key, refusing keys that would leave the root.
    fn path_of(&self, key: &str) -> std::io::Result<PathBuf> {
        check_key(key).map(|()| self.root.join(key))
    }
}

/// Keys are relative paths of plain segments: no root, no `..`, nothing empty.
pub(crate) fn check_key(key: &str) -> std::io::Result<()> {
    let rel = Path::new(key);
    let safe = !key.is_empty()
        && !key.contains("//")
        && rel.components().all(|c| matches!(c, Component::Normal(_)));
    if safe {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("invalid media key {key:?}"),
        ))
    }
}

/// The type of a stored file, from its key's extension.
pub(crate) fn mime_of(key: &str) -> &'static str {
    match Path::new(key).extension().and_then(|e| e.to_str()) {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        Some("mp3") => "audio/mpeg",
        Some("m4a") => "audio/mp4",
        Some("weba") => "audio/webm",
        Some("ogg") => "audio/ogg",
        Some("vtt") => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[async_trait]
impl BlobStore for FsBlobStore {
    /// Copied into place beside the key, then renamed: never read into memory.
    async fn put_file(&self, key: &str, file: &Path, _mime: &str) -> std::io::Result<()> {
        let path = self.path_of(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let tmp = path.with_extension("partial");
        tokio::fs::copy(file, &tmp).await?;
        tokio::fs::rename(&tmp, &path).await
    }

    async fn put(&self, key: &str, bytes: &[u8], _mime: &str) -> std::io::Result<()> {
        let path = self.path_of(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let tmp = path.with_extension("partial");
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    }

    async fn get(&self, key: &str) -> std::io::Result<Option<Blob>> {
        let Ok(path) = self.path_of(key) else {
            return Ok(None);
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(Blob {
                bytes,
                mime: mime_of(key).into(),
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blobs_round_trip_and_keys_cannot_escape() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::new(dir.path());
        store
            .put("2026/11/a.jpg", b"jpeg", "image/jpeg")
            .await
            .unwrap();
        let blob = store.get("2026/11/a.jpg").await.unwrap().unwrap();
        assert_eq!(blob.bytes, b"jpeg");
        assert_eq!(blob.mime, "image/jpeg");
        assert_eq!(store.get("2026/11/b.jpg").await.unwrap(), None);
        assert!(store.put("../evil.jpg", b"x", "image/jpeg").await.is_err());
        assert_eq!(store.get("/etc/passwd").await.unwrap(), None);
        assert!(!dir.path().join("2026/11/a.partial").exists());
    }
}
