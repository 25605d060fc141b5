//! The storage seam: async traits owned by the domain, implemented by each backend
//! (`kiosque_store` for SQLite and PostgreSQL). The web layer holds them as
//! `Arc<dyn …>` so handlers compile once, whatever the backend.

use crate::article::{Article, ArticleError, ArticleStatus, ArticleSummary, NewArticle};
use crate::ids::{ArticleId, ContributorId, MediaId, TagId};
use crate::media::{Media, NewMedia};
use crate::people::{Agency, Contributor, NewContributor};
use crate::section::{NewSection, Section};
use crate::tag::Tag;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What can go wrong at the storage seam.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or a version check refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input breaks a domain rule.
    #[error(transparent)]
    Invalid(#[from] ArticleError),
    /// Anything else: connection lost, disk full, corrupt row.
    #[error("storage error: {0}")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which articles a listing covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole site.
    All,
    /// A section and its subsections, by path.
    Section(String),
    Tag(TagId),
    Contributor(ContributorId),
}

/// A page of a public listing, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub scope: Scope,
    /// Only articles published at or before this instant (the request time).
    pub now: DateTime<Utc>,
    /// Keyset cursor: articles strictly older than this (published_at, id).
    pub before: Option<(DateTime<Utc>, ArticleId)>,
    pub limit: u32,
}

impl ListQuery {
    pub fn latest(scope: Scope, now: DateTime<Utc>, limit: u32) -> Self {
        Self {
            scope,
            now,
            before: None,
            limit,
        }
    }
}

#[async_trait]
pub trait ArticleStore: Send + Sync {
    /// Inserts an article; its body is rendered and sanitised on the way in.
    async fn create_article(&self, new: &NewArticle, now: DateTime<Utc>) -> StoreResult<Article>;
    /// Any article by id, whatever its status.
    async fn article(&self, id: ArticleId) -> StoreResult<Article>;
    /// Public articles, newest first.
    async fn list_published(&self, query: &ListQuery) -> StoreResult<Vec<ArticleSummary>>;
    /// Moves an article to another status (unpublishing keeps its row and URL).
    async fn set_article_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

#[async_trait]
pub trait TaxonomyStore: Send + Sync {
    async fn create_section(&self, new: &NewSection) -> StoreResult<Section>;
    /// Every section; sites have tens, not thousands.
    async fn sections(&self) -> StoreResult<Vec<Section>>;
    /// The tag with this name, created if missing.
    async fn ensure_tag(&self, name: &str) -> StoreResult<Tag>;
    async fn tag_by_slug(&self, slug: &str) -> StoreResult<Tag>;
}

#[async_trait]
pub trait PeopleStore: Send + Sync {
    async fn create_contributor(&self, new: &NewContributor) -> StoreResult<Contributor>;
    async fn contributor_by_slug(&self, slug: &str) -> StoreResult<Contributor>;
    async fn contributors(&self) -> StoreResult<Vec<Contributor>>;
    /// The agency with this name, created if missing.
    async fn ensure_agency(&self, name: &str) -> StoreResult<Agency>;
}

#[async_trait]
pub trait MediaStore: Send + Sync {
    async fn create_media(&self, new: &NewMedia, now: DateTime<Utc>) -> StoreResult<Media>;
    async fn media(&self, id: MediaId) -> StoreResult<Media>;
}

/// Small key-value facts about the installation (demo loaded, schema notes).
#[async_trait]
pub trait MetaStore: Send + Sync {
    async fn meta(&self, key: &str) -> StoreResult<Option<String>>;
    async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()>;
    /// Cheap round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;
}

/// Every store of one backend, as trait objects.
#[derive(Clone)]
pub struct Stores {
    /// "sqlite" or "postgres", for logs and health output.
    pub backend: &'static str,
    pub articles: Arc<dyn ArticleStore>,
    pub taxonomy: Arc<dyn TaxonomyStore>,
    pub people: Arc<dyn PeopleStore>,
    pub media: Arc<dyn MediaStore>,
    pub meta: Arc<dyn MetaStore>,
}

impl std::fmt::Debug for Stores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stores")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Stores {
    /// Bundles one backend implementing every trait.
    pub fn from_backend<B>(backend: &'static str, store: Arc<B>) -> Self
    where
        B: ArticleStore + TaxonomyStore + PeopleStore + MediaStore + MetaStore + 'static,
    {
        Self {
            backend,
            articles: store.clone(),
            taxonomy: store.clone(),
            people: store.clone(),
            media: store.clone(),
            meta: store,
        }
    }
}
