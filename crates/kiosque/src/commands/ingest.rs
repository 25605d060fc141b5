//! `kiosque ingest PATH…`: agency files into the wire, through the same intake as
//! watch folders and `POST /api/v1/wire`.

use crate::commands::open_stores;
use crate::config::Config;
use kiosque_app::wire::Document;
use kiosque_domain::wire::WireOutcome;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Files stored per transaction.
const BATCH: usize = 64;

pub async fn run(config: &Config, paths: &[PathBuf]) -> anyhow::Result<()> {
    let stores = open_stores(config).await?;
    // The application's intake: routing's publications reach webhooks and the WebSub
    // hub as they do from a server.
    let site = kiosque_app::settings::saved_settings(&stores, &config.site).await?;
    let basic = kiosque_app::App::basic(stores, config.open_media().await?, site, config.mailer()?);
    let app = kiosque_app::App::new(kiosque_app::AppCore {
        wire_rules: std::sync::Arc::new(config.ingest.rules.clone()),
        outbound: std::sync::Arc::new(config.outbound.clone()),
        embeds: std::sync::Arc::new(config.embeds.clone()),
        ..basic.core().clone()
    });
    let intake = app.intake();
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    files.sort();
    let started = Instant::now();
    let mut counts = [0usize; 4]; // created, updated, duplicate, refused files
    let mut out = std::io::stdout().lock();
    // Batches of files: read together, parsed on both cores, stored in one
    // transaction; reports come out in file order.
    for chunk in files.chunks(BATCH) {
        let mut documents = Vec::with_capacity(chunk.len());
        for file in chunk {
            documents.push(Document {
                // A bigger file is refused by the parser, never read whole.
                bytes: kiosque_app::wire::read_document(file).await?,
                source: file.display().to_string(),
                base: file.parent().map(PathBuf::from),
            });
        }
        let results = intake
            .ingest_batch(documents, kiosque_domain::clock::Clock::System.now())
            .await?;
        for (file, result) in chunk.iter().zip(results) {
            match result {
                Ok(reports) => {
                    for r in reports {
                        counts[match r.outcome {
                            WireOutcome::Created(_) => 0,
                            WireOutcome::Updated(_) => 1,
                            WireOutcome::Duplicate(_) => 2,
                        }] += 1;
                        let actions = if r.actions.is_empty() {
                            String::new()
                        } else {
                            format!(" [{}]", r.actions.join("; "))
                        };
                        writeln!(
                            out,
                            "{:<9} wire {} v{} {} \"{}\"{actions}",
                            r.outcome.as_str(),
                            r.outcome.id(),
                            r.version,
                            r.guid,
                            r.headline
                        )?;
                    }
                }
                Err(e) => {
                    counts[3] += 1;
                    writeln!(out, "quarantined {}: {e}", file.display())?;
                }
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let items = counts[0] + counts[1] + counts[2];
    writeln!(
        out,
        "{} files, {items} items: {} created, {} updated, {} duplicates, {} files refused ({:.0} items/s)",
        files.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        if seconds > 0.0 {
            items as f64 / seconds
        } else {
            0.0
        }
    )?;
    if counts[3] > 0 {
        anyhow::bail!("{} of {} files were refused", counts[3], files.len());
    }
    Ok(())
}

/// Files under a path; `done/` and `quarantine/` folders of a watch folder and hidden
/// files are skipped.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    if meta.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "done" || name == "quarantine" {
            continue;
        }
        if p.is_dir() {
            collect(&p, files)?;
        } else if !name.ends_with(".error.txt") {
            files.push(p);
        }
    }
    Ok(())
}
