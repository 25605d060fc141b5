//! `kiosque demo`: loads the demo content into the configured site.

use crate::commands::open_stores;
use crate::config::Config;
use crate::demo;
use anyhow::Context;

pub async fn run(config: &Config, generate: Option<u32>, comments: u32) -> anyhow::Result<()> {
    let stores = open_stores(config).await?;
    let loaded = demo::load(&stores, config.open_media().await?).await?;
    if loaded == 0 {
        tracing::info!("the demo content is already loaded");
    } else {
        tracing::info!(articles = loaded, "demo content loaded");
    }
    if let Some(count) = generate {
        let started = std::time::Instant::now();
        let made = demo::generate::articles(&stores, count).await?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "generated {made} articles in {seconds:.1} s ({:.0} articles/s)",
            f64::from(made) / seconds.max(1e-6)
        );
    }
    if comments > 0 {
        let started = std::time::Instant::now();
        let big = demo::generate::comments(&stores, comments).await?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "generated {comments} comments in {seconds:.1} s ({:.0} comments/s); the newest article ({}) holds a thread of {} comments",
            f64::from(comments) / seconds.max(1e-6),
            big.unwrap_or_default(),
            demo::generate::BIG_THREAD.min(comments / 2).max(1)
        );
    }
    if generate.is_some() || comments > 0 {
        kiosque_store::refresh_statistics(&config.database_url)
            .await
            .context("cannot refresh the planner statistics after generating")?;
    }
    Ok(())
}
