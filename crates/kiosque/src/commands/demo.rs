//! `kiosque demo`: loads the demo content into the configured site.

use crate::commands::open_stores;
use crate::config::Config;
use crate::demo;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let stores = open_stores(config).await?;
    let loaded = demo::load(&stores, &config.media_dir()).await?;
    if loaded == 0 {
        tracing::info!("the demo content is already loaded");
    } else {
        tracing::info!(articles = loaded, "demo content loaded");
    }
    Ok(())
}
