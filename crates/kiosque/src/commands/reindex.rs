//! `kiosque reindex`: rebuilds the search index from the database, the source of truth.

use crate::commands::open_stores;
use crate::config::Config;
use anyhow::Context;
use kiosque_search::{Follower, FollowerOptions, SearchError, SearchIndex};
use std::sync::Arc;
use std::time::Instant;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let stores = open_stores(config).await?;
    let site = kiosque_app::settings::saved_settings(&stores, &config.site).await?;
    let dir = config.search_dir();
    match SearchIndex::open(&dir, site.locale) {
        Ok(index) => {
            let started = Instant::now();
            let options = FollowerOptions::for_backend(stores.backend);
            let mut follower = Follower::new(Arc::new(index), stores, options);
            let articles = follower
                .rebuild()
                .await
                .context("cannot rebuild the search index")?;
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "search index rebuilt in {}: {articles} articles in {seconds:.2} s ({:.0} articles/s)",
                dir.display(),
                articles as f64 / seconds.max(1e-6)
            );
        }
        Err(SearchError::Locked) => {
            // A server is running on this data directory: it (and every other node)
            // rebuilds when it reads the request from the change feed.
            stores
                .changes
                .request_rebuild()
                .await
                .context("cannot ask the running servers to rebuild")?;
            println!(
                "a server holds the index: every running node will rebuild its own within a second"
            );
        }
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot open the search index in {}", dir.display()));
        }
    }
    Ok(())
}
