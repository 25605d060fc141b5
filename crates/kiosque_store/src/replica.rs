//! A PostgreSQL read replica for public reads. The replica is opened without
//! migrating (it follows the primary's schema through replication), and the change
//! feed a node follows reads from the replica while its few writes (pruning, signals)
//! go to the primary: a node then hears of a change only once the replica holds it,
//! so the page it renders after forgetting its copies is never older than the news.

use crate::connect::{Backend, ConnectError};
use crate::postgres::PostgresStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiosque_domain::store::{ArticleChange, ChangeFeed, SiteSignal, StoreResult};
use kiosque_domain::{ArticleId, ArticleSummary, Stores};
use std::sync::Arc;

/// Opens the replica at `url` (PostgreSQL only) for the reads of a node whose writes go
/// to `primary`.
pub async fn connect_replica(url: &str, primary: &Stores) -> Result<Stores, ConnectError> {
    if Backend::of_url(url) != Some(Backend::Postgres) {
        return Err(ConnectError::UnsupportedUrl);
    }
    let store = PostgresStore::connect(url)
        .await
        .map_err(ConnectError::Connect)?;
    let mut stores = Stores::from_backend("postgres", Arc::new(store));
    stores.changes = Arc::new(ReplicaFeed {
        replica: stores.changes.clone(),
        primary: primary.changes.clone(),
    });
    // Limits and presence are written at every request that counts: on the primary.
    stores.shared = primary.shared.clone();
    Ok(stores)
}

/// Reads from the replica, writes to the primary.
struct ReplicaFeed {
    replica: Arc<dyn ChangeFeed>,
    primary: Arc<dyn ChangeFeed>,
}

#[async_trait]
impl ChangeFeed for ReplicaFeed {
    async fn article_changes(
        &self,
        after: i64,
        recent: Option<DateTime<Utc>>,
        limit: u32,
    ) -> StoreResult<Vec<ArticleChange>> {
        self.replica.article_changes(after, recent, limit).await
    }

    async fn change_bounds(&self) -> StoreResult<Option<(i64, i64)>> {
        self.replica.change_bounds().await
    }

    async fn request_rebuild(&self) -> StoreResult<()> {
        self.primary.request_rebuild().await
    }

    async fn prune_changes(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.primary.prune_changes(before).await
    }

    async fn signal(&self, scope: &str, at: DateTime<Utc>) -> StoreResult<i64> {
        self.primary.signal(scope, at).await
    }

    async fn signals(&self, after: i64, recent: DateTime<Utc>) -> StoreResult<Vec<SiteSignal>> {
        self.replica.signals(after, recent).await
    }

    async fn last_signal(&self) -> StoreResult<i64> {
        self.replica.last_signal().await
    }

    async fn prune_signals(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        self.primary.prune_signals(before).await
    }

    async fn published_ids(&self, after: ArticleId, limit: u32) -> StoreResult<Vec<ArticleId>> {
        self.replica.published_ids(after, limit).await
    }

    async fn public_summaries(
        &self,
        ids: &[ArticleId],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ArticleSummary>> {
        self.replica.public_summaries(ids, now).await
    }
}
