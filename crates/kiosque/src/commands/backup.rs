//! `kiosque backup OUT` and `kiosque restore FROM`: a running site's database and media
//! copied to a folder, and a folder brought back into an empty data directory.
//!
//! SQLite is copied with `VACUUM INTO`, one consistent snapshot taken while writers go
//! on. Media files are written before the rows that name them and never change, so
//! copying the folder after the snapshot holds every file the snapshot needs.
//! PostgreSQL is backed up with its own tools (`pg_dump`); the command says how.

use crate::commands::open_stores;
use crate::config::{Config, redact_url};
use anyhow::{Context, bail, ensure};
use kiosque_store::{Backend, SqliteStore};
use std::path::{Path, PathBuf};

const DATABASE: &str = "kiosque.db";
const MEDIA: &str = "media";
const MANIFEST: &str = "backup.json";

/// The file of a `sqlite:` URL.
fn sqlite_path(url: &str) -> PathBuf {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

fn postgres_advice(url: &str) -> String {
    format!(
        "the database is PostgreSQL ({}): back it up with its own tools, while the site runs:\n  \
         pg_dump --format=custom --file=kiosque.dump '<database URL>'\n\
         and copy the media folder beside it. To restore: create an empty database, then\n  \
         pg_restore --no-owner --dbname='<database URL>' kiosque.dump\n\
         and put the media folder back in the data directory.",
        redact_url(url)
    )
}

/// Copies every file under `from` into `to` (created), keeping the layout.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    let mut copied = 0;
    if !from.exists() {
        return Ok(0);
    }
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

pub async fn backup(config: &Config, out: &Path) -> anyhow::Result<()> {
    let url = &config.database_url;
    match Backend::of_url(url) {
        Some(Backend::Sqlite) => {}
        Some(Backend::Postgres) => bail!(postgres_advice(url)),
        None => bail!("unsupported database URL {}", redact_url(url)),
    }
    ensure!(
        !out.exists() || std::fs::read_dir(out)?.next().is_none(),
        "{} is not empty: a backup goes into a new or empty folder",
        out.display()
    );
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let started = std::time::Instant::now();
    let store = SqliteStore::connect(url)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(url)))?;
    // Written under a temporary name: a backup cut short is never taken for whole.
    let partial = out.join(format!("{DATABASE}.partial"));
    store
        .backup_into(&partial)
        .await
        .context("cannot copy the database (VACUUM INTO)")?;
    let copy = SqliteStore::connect(&format!("sqlite:{}", partial.display())).await?;
    let integrity = copy.integrity_check().await?;
    ensure!(
        integrity == "ok",
        "the copy fails its integrity check: {integrity}"
    );
    copy.pool().close().await;
    std::fs::rename(&partial, out.join(DATABASE))?;
    let files = match config.media_bucket() {
        Some(bucket) => {
            println!(
                "media are kept in {bucket}: not copied (use the bucket's versioning or replication)"
            );
            0
        }
        None => copy_tree(&config.media_dir(), &out.join(MEDIA))?,
    };
    let manifest = serde_json::json!({
        "created_at": kiosque_domain::clock::Clock::System.now().to_rfc3339(),
        "database": DATABASE,
        "media_files": files,
        "schema": kiosque_store::MIGRATIONS.last().map(|m| m.name),
    });
    std::fs::write(out.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    println!(
        "backup written to {} in {:.1} s: the database (integrity ok) and {files} media files",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<()> {
    let url = &config.database_url;
    match Backend::of_url(url) {
        Some(Backend::Sqlite) => {}
        Some(Backend::Postgres) => bail!(postgres_advice(url)),
        None => bail!("unsupported database URL {}", redact_url(url)),
    }
    let source = from.join(DATABASE);
    ensure!(
        source.is_file(),
        "{} holds no {DATABASE}: not a Kiosque backup",
        from.display()
    );
    let target = sqlite_path(url);
    ensure!(
        !target.exists(),
        "{} already exists: restore into an empty data directory (nothing is overwritten)",
        target.display()
    );
    // Media in a bucket stay where they are; the backup's media folder is not copied.
    let in_bucket = config.media_bucket();
    let media = config.media_dir();
    ensure!(
        in_bucket.is_some() || !media.exists() || std::fs::read_dir(&media)?.next().is_none(),
        "{} is not empty: restore into an empty data directory (nothing is overwritten)",
        media.display()
    );
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Checked as a copy under a temporary name: the backup itself is never written to,
    // and a restore cut short leaves no database behind.
    let partial = target.with_extension("db.partial");
    std::fs::copy(&source, &partial).context("cannot copy the database")?;
    let copy = SqliteStore::connect(&format!("sqlite:{}", partial.display()))
        .await
        .context("cannot open the backup's database")?;
    let integrity = copy.integrity_check().await?;
    copy.pool().close().await;
    if integrity != "ok" {
        let _ = std::fs::remove_file(&partial);
        bail!("the backup fails its integrity check: {integrity}");
    }
    std::fs::rename(&partial, &target)?;
    let files = match in_bucket {
        Some(bucket) => {
            println!("media are kept in {bucket}: the backup's media folder is not copied there");
            0
        }
        None => copy_tree(&from.join(MEDIA), &media)?,
    };
    // An older backup is brought up to this version's schema; the search index is
    // rebuilt by `serve` (it is not in the backup).
    open_stores(config).await?;
    println!(
        "restored {} and {files} media files from {}",
        target.display(),
        from.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite:data/kiosque.db"),
            PathBuf::from("data/kiosque.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///srv/k.db?mode=rwc"),
            PathBuf::from("/srv/k.db")
        );
    }
}
