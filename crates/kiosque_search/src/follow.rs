//! Keeps an index current from the database's article change feed.
//!
//! Every node runs its own follower against its own index: the feed is a table, so
//! any number of nodes can read it, each remembering (in its index's commit payload)
//! the last entry it applied. On PostgreSQL a transaction can commit after one that
//! took a higher sequence number; the follower therefore also re-reads the entries
//! of the last few seconds (`late_commits`) and applies those it has not seen.

use crate::{SearchDoc, SearchError, SearchIndex};
use chrono::{DateTime, Utc};
use kiosque_domain::store::ArticleChange;
use kiosque_domain::{ArticleId, StoreError, Stores};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Feed entries read at once.
const BATCH: u32 = 1_000;
/// Articles loaded per step of a rebuild.
const REBUILD_BATCH: u32 = 500;

#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("search task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

#[derive(Debug, Clone, Copy)]
pub struct FollowerOptions {
    /// How often the feed is read when nothing wakes the follower.
    pub poll: Duration,
    /// How long a commit can land after a higher-numbered one (zero on SQLite,
    /// whose writers are serialised).
    pub late_commits: Duration,
    /// Feed entries older than this are pruned; a follower further behind rebuilds.
    pub keep_changes: Duration,
}

impl FollowerOptions {
    /// The right settings for a backend ("sqlite" or "postgres").
    pub fn for_backend(backend: &str) -> Self {
        Self {
            poll: Duration::from_millis(500),
            late_commits: if backend == "sqlite" {
                Duration::ZERO
            } else {
                Duration::from_secs(10)
            },
            keep_changes: Duration::from_secs(24 * 3600),
        }
    }
}

pub struct Follower {
    index: Arc<SearchIndex>,
    stores: Stores,
    options: FollowerOptions,
    /// Entries applied inside the late-commit window, with their time.
    applied: HashMap<i64, DateTime<Utc>>,
    checked_bounds: bool,
    last_prune: Option<DateTime<Utc>>,
    on_change: Option<OnChange>,
}

/// Called with the articles whose public form changed (empty after a rebuild:
/// anything may have).
pub type OnChange = Arc<dyn Fn(&[ArticleId]) + Send + Sync>;

impl std::fmt::Debug for Follower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Follower")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Follower {
    pub fn new(index: Arc<SearchIndex>, stores: Stores, options: FollowerOptions) -> Self {
        Self {
            index,
            stores,
            options,
            applied: HashMap::new(),
            checked_bounds: false,
            last_prune: None,
            on_change: None,
        }
    }

    /// Called after each commit that changed the index: pages showing search
    /// results (a page cache) must be forgotten then, not only at publish time.
    pub fn with_on_change(mut self, on_change: OnChange) -> Self {
        self.on_change = Some(on_change);
        self
    }

    fn changed(&self, articles: &[ArticleId]) {
        if let Some(on_change) = &self.on_change {
            on_change(articles);
        }
    }

    /// Applies every change not yet in the index (rebuilding it when it was never
    /// built, fell behind the pruned feed, or a rebuild was asked for); returns how
    /// many public articles changed (written, or removed from the index).
    pub async fn catch_up(&mut self, now: DateTime<Utc>) -> Result<u64, FollowError> {
        let Some(mut cursor) = self.index.cursor()? else {
            return self.rebuild().await;
        };
        if !self.checked_bounds {
            let bounds = self.stores.changes.change_bounds().await?;
            self.checked_bounds = true;
            if bounds.is_some_and(|(low, _)| low > cursor + 1) {
                tracing::warn!(
                    cursor,
                    "the search index is behind the change feed: rebuilding"
                );
                return self.rebuild().await;
            }
        }
        let window = chrono::Duration::from_std(self.options.late_commits).unwrap_or_default();
        let recent = now - window;
        let mut written = 0;
        let mut touched = Vec::new();
        loop {
            let changes = self
                .stores
                .changes
                .article_changes(cursor, (!window.is_zero()).then_some(recent), BATCH)
                .await?;
            let fresh = changes.iter().filter(|c| c.seq > cursor).count();
            let unseen: Vec<ArticleChange> = changes
                .into_iter()
                .filter(|c| !self.applied.contains_key(&c.seq))
                .collect();
            if unseen.is_empty() {
                break;
            }
            if unseen.iter().any(|c| c.article.is_none()) {
                tracing::info!("a search index rebuild was asked for");
                return self.rebuild().await;
            }
            let ids: BTreeSet<ArticleId> = unseen.iter().filter_map(|c| c.article).collect();
            let (upserts, removals) = self.load(ids).await?;
            touched.extend(upserts.iter().map(|d| d.id).chain(removals.iter().copied()));
            let high = unseen
                .iter()
                .map(|c| c.seq)
                .max()
                .unwrap_or(cursor)
                .max(cursor);
            let index = self.index.clone();
            let changed =
                tokio::task::spawn_blocking(move || index.apply(&upserts, &removals, high))
                    .await??;
            written += changed as u64;
            cursor = high;
            if !window.is_zero() {
                self.applied
                    .extend(unseen.iter().map(|c| (c.seq, c.changed_at)));
            }
            if fresh < BATCH as usize {
                break;
            }
        }
        self.applied.retain(|_, at| *at >= recent);
        self.prune(now).await;
        if written > 0 {
            self.changed(&touched);
        }
        Ok(written)
    }

    /// The searchable form of each article, or its removal.
    async fn load(
        &self,
        ids: BTreeSet<ArticleId>,
    ) -> Result<(Vec<SearchDoc>, Vec<ArticleId>), FollowError> {
        // One batch read (four queries) rather than one article at a time: a rebuild
        // of 100,000 articles, or a burst of changes, stays a few hundred queries.
        let ids: Vec<ArticleId> = ids.into_iter().collect();
        let articles = self.stores.articles.articles(&ids).await?;
        let mut upserts = Vec::new();
        let found: std::collections::HashSet<ArticleId> = articles.iter().map(|a| a.id).collect();
        // Ids the database no longer has were deleted: out of the index too.
        let mut removals: Vec<ArticleId> =
            ids.into_iter().filter(|id| !found.contains(id)).collect();
        for article in &articles {
            match SearchDoc::of(article) {
                Some(doc) => upserts.push(doc),
                None => removals.push(article.id),
            }
        }
        Ok((upserts, removals))
    }

    /// Refills the index from the database; returns how many articles it holds.
    pub async fn rebuild(&mut self) -> Result<u64, FollowError> {
        let started = std::time::Instant::now();
        // Changes made while the rebuild runs are applied again afterwards.
        let high = self
            .stores
            .changes
            .change_bounds()
            .await?
            .map_or(0, |(_, high)| high);
        // What is committed now is in the rebuild: only later commits need applying.
        self.applied.clear();
        if !self.options.late_commits.is_zero() {
            let window = chrono::Duration::from_std(self.options.late_commits).unwrap_or_default();
            let seen = self
                .stores
                .changes
                .article_changes(
                    high,
                    Some(kiosque_domain::clock::Clock::System.now() - window),
                    BATCH,
                )
                .await?;
            self.applied.extend(
                seen.iter()
                    .filter(|c| c.seq <= high)
                    .map(|c| (c.seq, c.changed_at)),
            );
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.clear()).await??;
        let mut after = ArticleId(0);
        let mut total = 0u64;
        loop {
            let ids = self
                .stores
                .changes
                .published_ids(after, REBUILD_BATCH)
                .await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            after = last;
            let (docs, _) = self.load(ids.into_iter().collect()).await?;
            total += docs.len() as u64;
            let index = self.index.clone();
            tokio::task::spawn_blocking(move || index.add(&docs)).await??;
        }
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.commit_at(high)).await??;
        self.changed(&[]);
        self.checked_bounds = true;
        tracing::info!(
            articles = total,
            ms = started.elapsed().as_millis() as u64,
            "search index rebuilt"
        );
        Ok(total)
    }

    /// Drops old feed entries, at most once an hour per node.
    async fn prune(&mut self, now: DateTime<Utc>) {
        if self
            .last_prune
            .is_some_and(|at| now - at < chrono::Duration::hours(1))
        {
            return;
        }
        self.last_prune = Some(now);
        let keep = chrono::Duration::from_std(self.options.keep_changes).unwrap_or_default();
        if let Err(e) = self.stores.changes.prune_changes(now - keep).await {
            tracing::warn!(error = %e, "cannot prune the article change feed");
        }
    }

    /// Follows the feed until the process ends: every `poll`, or at once when `wake`
    /// is notified (the local node just published something).
    pub async fn run(mut self, wake: Arc<Notify>) {
        loop {
            match self
                .catch_up(kiosque_domain::clock::Clock::System.now())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::debug!(articles = n, "search index updated"),
                Err(e) => tracing::error!(error = %e, "cannot update the search index"),
            }
            tokio::select! {
                () = tokio::time::sleep(self.options.poll) => {}
                () = wake.notified() => {}
            }
        }
    }
}
