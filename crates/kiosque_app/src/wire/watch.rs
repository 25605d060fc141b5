//! Watch folders: agencies (or their FTP/SFTP drop) write files into a folder; each
//! complete file is ingested, then moved to `done/`, or to `quarantine/` beside a
//! `.error.txt` saying what was wrong. Nothing is deleted. A file is read only once its
//! size and modification time have held still across two polls (so half-written files
//! wait), and moved only after its items are committed: a crash in between means the
//! file is read again on restart, which the guid and version make a duplicate.

use super::{Document, Intake};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often folders are listed.
pub const POLL: Duration = Duration::from_millis(500);
/// Files stored per transaction.
const BATCH: usize = 64;
/// How long a file must have been left alone before it is read.
const SETTLE: Duration = Duration::from_millis(700);

/// One watched folder and what was seen in it at the last poll.
#[derive(Debug)]
pub struct WatchFolder {
    dir: PathBuf,
    seen: HashMap<PathBuf, (u64, SystemTime)>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Done { file: PathBuf, items: usize },
    Quarantined { file: PathBuf, reason: String },
}

impl WatchFolder {
    pub fn new(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(dir.join("done"))?;
        std::fs::create_dir_all(dir.join("quarantine"))?;
        Ok(Self {
            dir,
            seen: HashMap::new(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Lists the folder once and ingests every file that has settled.
    pub async fn poll(&mut self, intake: &Intake) -> std::io::Result<Vec<FileOutcome>> {
        let mut ready = Vec::new();
        let mut present = HashMap::new();
        let mut entries = tokio::fs::read_dir(&self.dir).await?;
        while let Some(entry) = entries.next_entry().await? {
            let path = entry.path();
            let Ok(meta) = entry.metadata().await else {
                continue;
            };
            if !meta.is_file() || !is_candidate(&path) {
                continue;
            }
            let stamp = (
                meta.len(),
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            );
            let settled = self.seen.get(&path) == Some(&stamp)
                && stamp.1.elapsed().unwrap_or_default() >= SETTLE;
            present.insert(path.clone(), stamp);
            if settled {
                ready.push(path);
            }
        }
        self.seen = present;
        ready.sort();
        let mut outcomes = Vec::new();
        for chunk in ready.chunks(BATCH) {
            let mut documents = Vec::with_capacity(chunk.len());
            for path in chunk {
                // Read up to one byte past the limit: a bigger file is then refused by
                // the parser, with its reason, and quarantined, never read whole.
                let bytes = super::read_document(path)
                    .await
                    .map_err(|e| context(e, "reading", path))?;
                documents.push(Document {
                    bytes,
                    source: file_name(path),
                    base: Some(self.dir.clone()),
                });
            }
            let results = match intake
                .ingest_batch(documents, kiosque_domain::clock::Clock::System.now())
                .await
            {
                Ok(results) => results,
                Err(e) => {
                    // The database is the problem, not the files: they stay for the
                    // next poll.
                    tracing::error!(dir = %self.dir.display(), error = %e, "wire files kept for a retry");
                    return Ok(outcomes);
                }
            };
            for (path, result) in chunk.iter().zip(results) {
                self.seen.remove(path);
                outcomes.push(self.settle(path, result).await?);
            }
        }
        Ok(outcomes)
    }

    /// Moves a file once its items are committed, or quarantines it with its reason.
    async fn settle(
        &self,
        path: &Path,
        result: Result<Vec<super::ItemReport>, kiosque_ingest::IngestError>,
    ) -> std::io::Result<FileOutcome> {
        let name = file_name(path);
        match result {
            Ok(reports) => {
                for r in &reports {
                    tracing::info!(file = %name, outcome = r.outcome.as_str(), wire = %r.outcome.id(), version = r.version, headline = %r.headline, "wire item");
                }
                let file = move_into(path, &self.dir.join("done"))
                    .await
                    .map_err(|e| context(e, "moving", path))?;
                // The pictures it brought follow it; pictures no document has named
                // yet stay for a later one.
                for picture in reports.iter().flat_map(|r| &r.picture_files) {
                    if picture.parent() == Some(self.dir.as_path())
                        && tokio::fs::try_exists(picture).await.unwrap_or(false)
                    {
                        move_into(picture, &self.dir.join("done"))
                            .await
                            .map_err(|e| context(e, "moving", picture))?;
                    }
                }
                Ok(FileOutcome::Done {
                    file,
                    items: reports.len(),
                })
            }
            Err(e) => {
                let reason = e.to_string();
                tracing::warn!(file = %name, %reason, "wire file quarantined");
                let quarantine = self.dir.join("quarantine");
                let file = unique_target(&quarantine, &name).await;
                let note = file.with_file_name(format!("{}.error.txt", file_name(&file)));
                tokio::fs::write(&note, format!("{name}: {reason}\n"))
                    .await
                    .map_err(|e| context(e, "writing", &note))?;
                tokio::fs::rename(path, &file)
                    .await
                    .map_err(|e| context(e, "quarantining", path))?;
                Ok(FileOutcome::Quarantined { file, reason })
            }
        }
    }
}

/// An I/O error that says which file and what was being done.
fn context(e: std::io::Error, doing: &str, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{doing} {}: {e}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Files still being written by convention (`.tmp`, `.part`), hidden files, our own
/// notes and pictures (read when a document names them) are left alone.
fn is_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let picture = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    !(picture
        || name.starts_with('.')
        || name.ends_with(".tmp")
        || name.ends_with(".part")
        || name.ends_with(".partial")
        || name.ends_with(".error.txt"))
}

async fn unique_target(dir: &Path, name: &str) -> PathBuf {
    let mut target = dir.join(name);
    let mut n = 1;
    while tokio::fs::try_exists(&target).await.unwrap_or(false) {
        target = dir.join(format!("{n}-{name}"));
        n += 1;
    }
    target
}

async fn move_into(path: &Path, dir: &Path) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = unique_target(dir, &name).await;
    tokio::fs::rename(path, &target).await?;
    Ok(target)
}

/// Polls each folder forever (the tasks end with the runtime).
pub fn watch_folders(intake: Intake, dirs: Vec<PathBuf>) -> std::io::Result<()> {
    for dir in dirs {
        let mut folder = WatchFolder::new(dir)?;
        let intake = intake.clone();
        tokio::spawn(async move {
            tracing::info!(dir = %folder.dir().display(), "watching for wire files");
            loop {
                if let Err(e) = folder.poll(&intake).await {
                    tracing::error!(dir = %folder.dir().display(), error = %e, "watch folder");
                }
                tokio::time::sleep(POLL).await;
            }
        });
    }
    Ok(())
}
