//! `kiosque import wordpress|ghost FILE`: another system's export into this site,
//! through the same use case as the back office's import page
//! (`kiosque_app::import`).

use crate::cli::{ImportArgs, ImportCommand};
use crate::commands::staff::{open_app, refused};
use crate::config::Config;
use kiosque_app::import::{self, Line, Options, Report};
use kiosque_app::staff::By;
use std::io::Write;
use std::time::Instant;

/// Prints each line as it comes.
struct Terminal {
    out: std::io::Stdout,
}

impl Report for Terminal {
    fn line(&mut self, line: &Line) {
        let _ = writeln!(self.out.lock(), "{line}");
    }
}

pub async fn run(config: &Config, command: &ImportCommand) -> anyhow::Result<()> {
    let (args, wordpress) = match command {
        ImportCommand::Wordpress(args) => (args, true),
        ImportCommand::Ghost(args) => (args, false),
    };
    let ImportArgs {
        file,
        media_dir,
        dry_run,
        fetch_media,
    } = args;
    let app = open_app(config).await?;
    let options = Options {
        media_dir: media_dir.clone(),
        dry_run: *dry_run,
        fetch_media: *fetch_media,
    };
    let mut terminal = Terminal {
        out: std::io::stdout(),
    };
    let started = Instant::now();
    let summary = if wordpress {
        import::wordpress(&app, By::Operator, file, &options, &mut terminal).await
    } else {
        import::ghost(&app, By::Operator, file, &options, &mut terminal).await
    }
    .map_err(refused)?;
    let seconds = started.elapsed().as_secs_f64();
    let items = summary.articles + summary.pages;
    writeln!(
        std::io::stdout(),
        "{summary} in {seconds:.1} s ({:.0} items/s)",
        if seconds > 0.0 {
            items as f64 / seconds
        } else {
            0.0
        }
    )?;
    // Let the change signal reach the running site before the process ends.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    if summary.failed > 0 {
        anyhow::bail!(
            "{} items failed (see the lines marked FAILED)",
            summary.failed
        );
    }
    Ok(())
}
