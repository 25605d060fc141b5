//! The storage seam: async traits owned by the domain, implemented by each backend
//! (`kiosque_store` for SQLite and PostgreSQL). The web layer holds them as
//! `Arc<dyn …>` so handlers compile once, whatever the backend.

use crate::alert::{Alert, Delivery, DeliveryOutcome, NewAlert, PushSubscription};
use crate::article::{
    Article, ArticleError, ArticleStatus, ArticleSummary, Edit, NewArticle, Revision,
};
use crate::comment::{
    Comment, CommentId, CommentStatus, Decision, DeletionPolicy, ModerationEntry, NewComment,
    NewReader, Queue, QueueItem, Reader, ReaderAction, ReaderId, ReaderSession, Sort, ThreadPage,
    TokenPurpose,
};
use crate::embed::{Embed, NewEmbed};
use crate::front::{Front, FrontKey, FrontSlot};
use crate::ids::LiveEntryId;
use crate::ids::{ArticleId, ContributorId, MediaId, SectionId, TagId};
use crate::lifecycle::Creations;
use crate::live::{EntryContent, EntryQuery, EntryRevision, LiveEntry};
use crate::media::{Media, MediaDetails, NewMedia, Rendition};
use crate::newsletter::{
    Edition, NewEdition, NewNewsletter, Newsletter, Recipient, RenderedEdition, SendOutcome,
    Subscription, SubscriptionRequest,
};
use crate::page::{NewPage, PageId, PageRevision, StaticPage};
use crate::people::{Agency, Contributor, NewContributor};
use crate::redirect::{NewRedirect, Redirect, RedirectAnswer};
use crate::section::{NewSection, Section};
use crate::staff::{AuditEntry, NewUser, Session, User, UserId};
use crate::tag::Tag;
use crate::webhook::{Attempt, NewWebhook, Webhook, WebhookDelivery};
use crate::wire::{NewWireVersion, WireEntry, WireId, WireOutcome, WireQuery, WireVersion};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What can go wrong at the storage seam.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// The record was changed since the version this write was based on: nothing
    /// was overwritten.
    #[error("version {expected} is not the stored one")]
    VersionMismatch {
        /// The stored version, when known.
        stored: Option<i64>,
        expected: i64,
    },
    /// Another record already has this value (`what`: "email", "slug", "path"…).
    #[error("another record already has this {0}")]
    Duplicate(&'static str),
    /// The write names something that does not exist (`what`: "section", "media"…).
    #[error("no such {0}")]
    MissingReference(&'static str),
    /// The input breaks a domain rule.
    #[error(transparent)]
    Invalid(#[from] ArticleError),
    /// The record's state does not allow this now (`what`: "closed live"…).
    #[error("not now: {0}")]
    Conflict(&'static str),
    /// The storage cannot take writes for now (disk full, read-only files): nothing
    /// was changed, and the same request can succeed once the operator fixes it.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else: connection lost, corrupt row.
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
    /// Only articles published at or after this instant (a sitemap's month).
    pub since: Option<DateTime<Utc>>,
    pub limit: u32,
}

impl ListQuery {
    pub fn latest(scope: Scope, now: DateTime<Utc>, limit: u32) -> Self {
        Self {
            scope,
            now,
            before: None,
            since: None,
            limit,
        }
    }
}

/// Filters of the back office's article list, newest change first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdminQuery {
    pub status: Option<ArticleStatus>,
    pub section: Option<SectionId>,
    pub created_by: Option<UserId>,
    /// Only what this user may see: their own articles and published ones (set by
    /// the application for journalists, whichever entrance lists).
    pub visible_to: Option<UserId>,
    /// Words to find in the headline (case-insensitive).
    pub text: Option<String>,
    /// Only drafts submitted for review.
    pub awaiting_review: bool,
    /// Keyset cursor: articles changed strictly before this (modified_at, id).
    pub before: Option<(DateTime<Utc>, ArticleId)>,
    pub limit: u32,
}

/// An article in the back office's lists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AdminSummary {
    pub id: ArticleId,
    pub headline: String,
    pub status: ArticleStatus,
    pub section_name: String,
    pub created_by_name: Option<String>,
    pub modified_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub review_requested_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[async_trait]
pub trait ArticleStore: Send + Sync {
    /// Inserts an article; its body is rendered and sanitised on the way in.
    async fn create_article(&self, new: &NewArticle, now: DateTime<Utc>) -> StoreResult<Article> {
        self.create_article_with(new, &Creations::default(), now)
            .await
    }
    /// Inserts an article and what it needs created on the way (sections,
    /// contributors), in one transaction: if the article is refused, none of those
    /// remain.
    async fn create_article_with(
        &self,
        new: &NewArticle,
        creations: &Creations,
        now: DateTime<Utc>,
    ) -> StoreResult<Article>;
    /// Any article by id, whatever its status.
    async fn article(&self, id: ArticleId) -> StoreResult<Article>;
    /// Several articles in a few queries, in the order of `ids` (unknown ids are
    /// left out): for feeds, which carry whole bodies.
    async fn articles(&self, ids: &[ArticleId]) -> StoreResult<Vec<Article>>;
    /// Public articles, newest first.
    async fn list_published(&self, query: &ListQuery) -> StoreResult<Vec<ArticleSummary>>;
    /// "À lire aussi": public articles published since `since` sharing the most tags
    /// with `article`, then the latest of its section; never the article itself.
    async fn related_articles(
        &self,
        article: &Article,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ArticleSummary>>;
    /// The other public language versions of an article (its original and the
    /// original's other translations), for hreflang links.
    async fn translations(
        &self,
        article: &Article,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ArticleSummary>>;
    /// Every month (UTC) with public articles, and the newest publication or update
    /// time among them: the sitemap index. One aggregate query, read from an index.
    async fn publication_months(
        &self,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(i32, u32, DateTime<Utc>)>>;
    /// Moves an article to another status (unpublishing keeps its row and URL).
    async fn set_article_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Saves new content over version `edit.expected_version`. A newer stored version
    /// is a [`StoreError::VersionMismatch`]: nothing is overwritten. The status and dates of
    /// `content` are ignored; for published articles `edit.kind` decides the public
    /// update time, and a correction stores its note.
    async fn update_article(
        &self,
        id: ArticleId,
        content: &NewArticle,
        edit: &Edit,
        now: DateTime<Utc>,
    ) -> StoreResult<Article> {
        self.update_article_with(id, content, &Creations::default(), edit, now)
            .await
    }
    /// As [`ArticleStore::update_article`], creating `creations` in the same
    /// transaction (see [`ArticleStore::create_article_with`]).
    async fn update_article_with(
        &self,
        id: ArticleId,
        content: &NewArticle,
        creations: &Creations,
        edit: &Edit,
        now: DateTime<Utc>,
    ) -> StoreResult<Article>;
    /// Publishes at `at`: now or in the past goes live at once (keeping `at` as the
    /// publication time); in the future, the article is scheduled.
    async fn publish_article(
        &self,
        id: ArticleId,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Article>;
    /// Marks a draft as waiting for an editor.
    async fn request_review(&self, id: ArticleId, now: DateTime<Utc>) -> StoreResult<()>;
    /// The back office's list.
    async fn list_admin(&self, query: &AdminQuery) -> StoreResult<Vec<AdminSummary>>;
    /// Published and unpublished articles changed after `since` (time, then id, for
    /// ties: strictly after `(since, after_id)`), oldest change first: what partners
    /// poll (`/api/v1/ninjs?since=`).
    async fn changed_since(
        &self,
        since: (DateTime<Utc>, ArticleId),
        limit: u32,
    ) -> StoreResult<Vec<(ArticleId, DateTime<Utc>)>>;
    /// Every revision, newest first.
    async fn revisions(&self, id: ArticleId) -> StoreResult<Vec<Revision>>;
}

/// State every node shares through the database: rate-limit events (by the hash of
/// their key: an account or an address) and who has which article open in the
/// editor. Kept in the database so that N nodes enforce one limit, not N, and
/// editors on two nodes see each other.
#[async_trait]
pub trait SharedStateStore: Send + Sync {
    /// Events of `key` at or after `since`.
    async fn count_events(&self, key: &str, since: DateTime<Utc>) -> StoreResult<u64>;
    async fn record_event(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// All or nothing, in one transaction: records an event at `at` for every
    /// `(key, limit, since)` unless one of them already reached its limit.
    async fn take_events(
        &self,
        limits: &[(String, u64, DateTime<Utc>)],
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn clear_events(&self, key: &str) -> StoreResult<()>;
    /// Forgets events older than `before`.
    async fn prune_events(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// `user` (shown as `name`) has `article` open at `at`; returns, and forgets, the
    /// name of whoever took the article over from them since their last ping.
    async fn ping_presence(
        &self,
        article: ArticleId,
        user: UserId,
        name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<String>>;
    /// Who has `article` open, seen at or after `since`: (user, name, last seen).
    async fn present(
        &self,
        article: ArticleId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(UserId, String, DateTime<Utc>)>>;
    /// `user` takes `article` over: everyone else present since `since` is told.
    async fn take_over(
        &self,
        article: ArticleId,
        user: UserId,
        name: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn leave_presence(&self, article: ArticleId, user: UserId) -> StoreResult<()>;
}

/// A personal API token, as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Staff accounts, sessions, API tokens and the audit log. Secrets never reach the
/// store: sessions and tokens are looked up by the hash of their value.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// A new account; an email already in use is a conflict.
    async fn create_user(&self, new: &NewUser, now: DateTime<Utc>) -> StoreResult<User>;
    /// An account and its password hash, by (normalised) email.
    async fn user_credentials(&self, email: &str) -> StoreResult<Option<(User, String)>>;
    async fn user(&self, id: UserId) -> StoreResult<User>;
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// Active administrators.
    async fn count_admins(&self) -> StoreResult<i64>;
    /// Deactivating revokes every session and API token of the account at once.
    async fn set_user_active(
        &self,
        id: UserId,
        active: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn set_password_hash(&self, id: UserId, hash: &str) -> StoreResult<()>;

    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// A session that has not expired, with its (active) user.
    async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Session>>;
    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;

    async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// The active user owning a live token; records its use.
    async fn user_by_api_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<User>>;
    async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>>;
    async fn revoke_api_token(&self, user: UserId, id: i64, now: DateTime<Utc>) -> StoreResult<()>;

    async fn audit(
        &self,
        user: Option<UserId>,
        action: &str,
        target: &str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The latest entries, newest first.
    async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>>;
}

/// The job that publishes a scheduled article (payload: the article id).
pub const PUBLISH_JOB: &str = "publish_scheduled";

/// The job that retries a notification e-mail whose first sending failed (payload:
/// the message as JSON; never a message carrying a secret link).
pub const MAIL_JOB: &str = "send_mail";

/// A background job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub run_at: DateTime<Utc>,
    pub attempts: i64,
    pub status: String,
    pub last_error: Option<String>,
}

/// The jobs table: durable, retried with backoff, never silently dropped.
#[async_trait]
pub trait JobQueue: Send + Sync {
    async fn enqueue(
        &self,
        kind: &str,
        payload: &str,
        run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Claims up to `limit` due jobs (and jobs whose previous claim expired) for
    /// `worker` (recorded with the claim) until `lease_until`; each claim counts as an
    /// attempt. Concurrent claims never return the same job.
    async fn claim_due(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Job>>;
    async fn complete(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;
    /// Records a failure: retried at `retry_at`, or marked failed for good when `None`.
    async fn fail(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Gives back a claimed job that was not started (a worker shutting down): it is
    /// due again at once and the claim does not count as an attempt.
    async fn release(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;
    /// How many jobs are due and waiting at `now`, and since when the oldest is due.
    async fn queue_stats(&self, now: DateTime<Utc>) -> StoreResult<(u64, Option<DateTime<Utc>>)>;
    /// Jobs that failed for good, and jobs being retried, newest first.
    async fn troubled_jobs(&self, limit: u32) -> StoreResult<Vec<Job>>;
}

#[async_trait]
pub trait TaxonomyStore: Send + Sync {
    async fn create_section(&self, new: &NewSection) -> StoreResult<Section>;
    /// Every section; sites have tens, not thousands.
    async fn sections(&self) -> StoreResult<Vec<Section>>;
    /// The tag with this name, created if missing.
    async fn ensure_tag(&self, name: &str) -> StoreResult<Tag>;
    async fn tag_by_slug(&self, slug: &str) -> StoreResult<Tag>;
    /// Renames, re-slugs, moves within its parent's children order, describes a
    /// section. Its path and its subsections' paths follow; the old paths are kept as
    /// redirects.
    async fn update_section(&self, id: SectionId, update: &SectionUpdate) -> StoreResult<Section>;
    /// The current path of a section that used to live at `old_path`.
    async fn section_redirect(&self, old_path: &str) -> StoreResult<Option<String>>;
    /// Every tag with the number of articles carrying it.
    async fn tags_with_counts(&self) -> StoreResult<Vec<(Tag, i64)>>;
    /// A new display name; the slug, and so the URL, stays.
    async fn rename_tag(&self, id: TagId, name: &str) -> StoreResult<()>;
    /// Moves every article of `from` to `into`, then deletes `from`; its slug then
    /// redirects to `into`.
    async fn merge_tags(&self, from: TagId, into: TagId) -> StoreResult<()>;
    /// The current slug of a tag that was merged away from `old_slug`.
    async fn tag_redirect(&self, old_slug: &str) -> StoreResult<Option<String>>;
}

/// The editable fields of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionUpdate {
    pub name: String,
    pub slug: crate::slug::Slug,
    pub description: String,
    pub position: i64,
}

#[async_trait]
pub trait PeopleStore: Send + Sync {
    async fn create_contributor(&self, new: &NewContributor) -> StoreResult<Contributor>;
    async fn contributor_by_slug(&self, slug: &str) -> StoreResult<Contributor>;
    async fn contributors(&self) -> StoreResult<Vec<Contributor>>;
    async fn update_contributor(
        &self,
        id: ContributorId,
        update: &NewContributor,
    ) -> StoreResult<Contributor>;
    /// The agency with this name, created if missing.
    async fn ensure_agency(&self, name: &str) -> StoreResult<Agency>;
    /// Sets (or, with `None`, removes) a contributor's portrait.
    async fn set_contributor_photo(
        &self,
        id: ContributorId,
        photo: Option<MediaId>,
    ) -> StoreResult<()>;
    /// A contributor's portrait with its renditions, if any.
    async fn contributor_photo(&self, id: ContributorId) -> StoreResult<Option<Media>>;
    /// Every contributor that has a portrait, with it: for the back office's list.
    async fn contributor_photos(&self) -> StoreResult<Vec<(ContributorId, MediaId)>>;
}

#[async_trait]
pub trait MediaStore: Send + Sync {
    async fn create_media(&self, new: &NewMedia, now: DateTime<Utc>) -> StoreResult<Media>;
    async fn media(&self, id: MediaId) -> StoreResult<Media>;
    /// The library, newest first: media older than `before` (an id), at most `limit`.
    async fn list_media(&self, before: Option<MediaId>, limit: u32) -> StoreResult<Vec<Media>>;
    /// New default alt text, credit, copyright and focal point.
    async fn update_media(&self, id: MediaId, details: &MediaDetails) -> StoreResult<()>;
    /// Replaces the renditions whose name starts with `prefix` (the crops made
    /// around the focal point) with `renditions`, in one transaction; the storage
    /// keys of the replaced ones come back.
    async fn replace_renditions(
        &self,
        id: MediaId,
        prefix: &str,
        renditions: &[Rendition],
    ) -> StoreResult<Vec<String>>;
    /// Media items by the storage key of their original (the pictures a body names),
    /// in no particular order; unknown keys are left out.
    async fn media_by_keys(&self, keys: &[String]) -> StoreResult<Vec<Media>>;
    /// Records a video or a sound (its media row and its details) in one transaction.
    async fn create_av(
        &self,
        new: &NewMedia,
        kind: &str,
        duration_ms: u64,
        now: DateTime<Utc>,
    ) -> StoreResult<Media>;
    /// The video and sound details of these media items (the others are left out).
    async fn av_details(&self, ids: &[MediaId]) -> StoreResult<Vec<crate::media::AvDetails>>;
    /// Sets (or clears) a video's poster picture.
    async fn set_poster(&self, id: MediaId, poster: Option<MediaId>) -> StoreResult<()>;
    /// Records the storage key and language of a video's WebVTT captions.
    async fn set_captions(&self, id: MediaId, key: &str, lang: &str) -> StoreResult<()>;
    /// Articles whose lead picture is this media item.
    async fn articles_with_lead(&self, id: MediaId) -> StoreResult<Vec<ArticleId>>;

    /// What is stored for an embed's URL.
    async fn embed_by_url(&self, url: &str) -> StoreResult<Option<Embed>>;
    /// Stores an embed, replacing what was stored for its URL.
    async fn save_embed(&self, new: &NewEmbed, now: DateTime<Utc>) -> StoreResult<Embed>;
    /// The embeds an article names, replacing the list stored before.
    async fn link_embeds(&self, article: ArticleId, embeds: &[i64]) -> StoreResult<()>;
    /// The embeds an article names, with their thumbnails.
    async fn article_embeds(&self, article: ArticleId) -> StoreResult<Vec<Embed>>;
}

/// Small key-value facts about the installation (demo loaded, schema notes).
/// Agency dispatches: one item per guid, every version kept.
#[async_trait]
pub trait WireStore: Send + Sync {
    /// Records a version atomically: a new guid is `Created`, a higher version
    /// `Updated`, the same or a lower one a `Duplicate` that changes nothing.
    async fn record_wire(
        &self,
        new: &NewWireVersion,
        now: DateTime<Utc>,
    ) -> StoreResult<WireOutcome> {
        let mut outcomes = self
            .record_wire_batch(std::slice::from_ref(new), now)
            .await?;
        outcomes.pop().ok_or(StoreError::NotFound)
    }
    /// Records many versions in one transaction (bulk ingest), each as
    /// [`WireStore::record_wire`] would; outcomes in the same order.
    async fn record_wire_batch(
        &self,
        batch: &[NewWireVersion],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<WireOutcome>>;
    async fn wire_items(&self, query: &WireQuery) -> StoreResult<Vec<WireEntry>>;
    async fn wire_item(&self, id: WireId) -> StoreResult<WireEntry>;
    /// Every version received, newest first.
    async fn wire_versions(&self, id: WireId) -> StoreResult<Vec<WireVersion>>;
    /// Records the article made from `version` of the item.
    async fn link_wire_article(
        &self,
        id: WireId,
        article: ArticleId,
        version: i64,
        auto_published: bool,
    ) -> StoreResult<()>;
    /// The wire item an article was made from.
    async fn wire_for_article(&self, article: ArticleId) -> StoreResult<Option<WireEntry>>;
}

/// One entry of the article change feed, written by database triggers on every change
/// to an article, its tags or its bylines: search indexes (one per node) follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleChange {
    /// Increasing, with gaps; a late commit on PostgreSQL can carry a lower number
    /// than one already read, which is why followers also re-read a recent window.
    pub seq: i64,
    /// `None`: every article (a rebuild was asked for).
    pub article: Option<ArticleId>,
    pub changed_at: DateTime<Utc>,
}

/// A change readers can see, announced to every node sharing the database so each
/// forgets what it keeps in memory (rendered pages, the section tree, settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSignal {
    /// Increasing, with gaps; like [`ArticleChange::seq`], a late commit on
    /// PostgreSQL can carry a lower number than one already read.
    pub seq: i64,
    /// What changed, for logs ("all", "comments", "settings").
    pub scope: String,
    pub at: DateTime<Utc>,
}

/// The change feed and the reads a search index needs.
#[async_trait]
pub trait ChangeFeed: Send + Sync {
    /// At most `limit` changes numbered above `after`, and every change numbered
    /// `after` or below recorded since `recent` (when given), lowest number first.
    async fn article_changes(
        &self,
        after: i64,
        recent: Option<DateTime<Utc>>,
        limit: u32,
    ) -> StoreResult<Vec<ArticleChange>>;
    /// The lowest and highest numbers still kept, `None` when the feed is empty.
    async fn change_bounds(&self) -> StoreResult<Option<(i64, i64)>>;
    /// Asks every follower to rebuild its index from the database.
    async fn request_rebuild(&self) -> StoreResult<()>;
    /// Forgets changes recorded before `before`; a follower further behind rebuilds.
    async fn prune_changes(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Announces a public change to every node (see [`SiteSignal`]); its number.
    async fn signal(&self, scope: &str, at: DateTime<Utc>) -> StoreResult<i64>;
    /// Signals numbered above `after`, and every one made since `recent`, lowest
    /// number first (at most 1,000).
    async fn signals(&self, after: i64, recent: DateTime<Utc>) -> StoreResult<Vec<SiteSignal>>;
    /// The highest signal number so far (0 when none): where a starting node begins.
    async fn last_signal(&self) -> StoreResult<i64>;
    /// Forgets signals made before `before`.
    async fn prune_signals(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Published articles (whatever their publication time) with an id above
    /// `after`, in id order: a rebuild's work list.
    async fn published_ids(&self, after: ArticleId, limit: u32) -> StoreResult<Vec<ArticleId>>;
    /// The public summaries of `ids` (articles not public now are left out), in no
    /// particular order.
    async fn public_summaries(
        &self,
        ids: &[ArticleId],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ArticleSummary>>;
}

/// Curated fronts (see [`crate::front`]).
#[async_trait]
pub trait FrontStore: Send + Sync {
    /// The front as saved (version 0 and no slot when never saved).
    async fn front(&self, key: FrontKey) -> StoreResult<Front>;
    /// Replaces the slots if the stored version is still `expected_version`;
    /// otherwise `StoreError::VersionMismatch` and nothing changes.
    async fn save_front(
        &self,
        key: FrontKey,
        expected_version: i64,
        slots: &[FrontSlot],
        now: DateTime<Utc>,
    ) -> StoreResult<Front>;
    /// The front's articles that are public now, in slot order, lapsed slots left out.
    async fn front_articles(
        &self,
        key: FrontKey,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ArticleSummary>>;
}

/// Reader accounts: sign-up, e-mailed single-use links, sessions, moderation state.
#[async_trait]
pub trait ReaderStore: Send + Sync {
    /// `Duplicate` when the e-mail address is taken.
    async fn create_reader(&self, new: &NewReader, now: DateTime<Utc>) -> StoreResult<Reader>;
    async fn reader(&self, id: ReaderId) -> StoreResult<Reader>;
    /// The reader with this (normalised) e-mail and their password hash.
    async fn reader_credentials(
        &self,
        email: &str,
    ) -> StoreResult<Option<(Reader, Option<String>)>>;
    /// The commenting identity of a member of staff, created on first use.
    async fn reader_for_staff(&self, user: &User, now: DateTime<Utc>) -> StoreResult<Reader>;
    async fn update_reader_profile(
        &self,
        id: ReaderId,
        display_name: &str,
        notify_replies: bool,
    ) -> StoreResult<()>;
    async fn set_reader_password(&self, id: ReaderId, hash: &str) -> StoreResult<()>;
    /// `Duplicate` when another account has the address.
    async fn set_reader_email(&self, id: ReaderId, email: &str) -> StoreResult<()>;
    async fn mark_reader_verified(&self, id: ReaderId, now: DateTime<Utc>) -> StoreResult<()>;
    /// Stores a single-use link's hash; earlier unused links of the same purpose lapse.
    async fn create_reader_token(
        &self,
        token_hash: &str,
        reader: ReaderId,
        purpose: TokenPurpose,
        new_email: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Uses a link once: the reader (and the new e-mail) when valid, unused and unexpired.
    async fn take_reader_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(ReaderId, Option<String>)>>;
    /// Whether a link is valid, without using it.
    async fn peek_reader_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn create_reader_session(
        &self,
        token_hash: &str,
        reader: ReaderId,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn reader_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<ReaderSession>>;
    async fn touch_reader_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()>;
    async fn delete_reader_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Ends every session of a reader (password change, ban, deletion).
    async fn delete_reader_sessions(&self, reader: ReaderId) -> StoreResult<()>;
    /// Deletes an account; its comments are anonymised or removed.
    async fn delete_reader(&self, id: ReaderId, policy: DeletionPolicy) -> StoreResult<()>;
    /// Applies a moderator's decision to a reader and logs it.
    async fn moderate_reader(
        &self,
        id: ReaderId,
        action: &ReaderAction,
        moderator: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Creates verified readers in one transaction (imports, load tests); returns ids.
    async fn import_readers(
        &self,
        batch: &[NewReader],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ReaderId>>;
    /// Readers whose name or e-mail contains `query` (all when empty), newest first.
    async fn find_readers(&self, query: &str, limit: u32) -> StoreResult<Vec<Reader>>;
}

/// Comments: threads, likes, reports, moderation queues and log.
#[async_trait]
pub trait CommentStore: Send + Sync {
    async fn post_comment(&self, new: &NewComment, now: DateTime<Utc>) -> StoreResult<Comment>;
    /// Stores many judged comments in one transaction, each with its time; returns
    /// their ids in order. For imports and generated load-test data.
    async fn import_comments(
        &self,
        batch: &[(NewComment, DateTime<Utc>)],
    ) -> StoreResult<Vec<CommentId>>;
    async fn comment(&self, id: CommentId) -> StoreResult<Comment>;
    /// One page of approved top-level comments with their first replies.
    async fn thread(&self, article: ArticleId, sort: Sort, page: u32) -> StoreResult<ThreadPage>;
    /// Every approved reply under one top-level comment, oldest first.
    async fn replies(&self, root: CommentId) -> StoreResult<Vec<Comment>>;
    /// Approved comments of an article.
    async fn comment_count(&self, article: ArticleId) -> StoreResult<i64>;
    /// A reader's comments on an article still waiting for a moderator.
    async fn pending_for(&self, article: ArticleId, reader: ReaderId) -> StoreResult<Vec<Comment>>;
    /// Approved comments so far, and whether the same text (by fingerprint) was posted
    /// since `since`.
    async fn author_history(
        &self,
        reader: ReaderId,
        fingerprint: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(i64, bool)>;
    /// The author's edit: new text and status, marked edited.
    async fn edit_comment(
        &self,
        id: CommentId,
        body: &str,
        status: CommentStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn delete_comment(&self, id: CommentId) -> StoreResult<()>;
    /// Adds or removes a reader's like; returns whether the reader now likes it.
    async fn toggle_like(&self, id: CommentId, reader: ReaderId) -> StoreResult<bool>;
    /// Which of `ids` the reader likes.
    async fn liked_by(&self, reader: ReaderId, ids: &[CommentId]) -> StoreResult<Vec<CommentId>>;
    /// Returns false when this reader already reported the comment.
    async fn report_comment(
        &self,
        id: CommentId,
        reader: ReaderId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn moderation_queue(&self, queue: Queue, limit: u32) -> StoreResult<Vec<QueueItem>>;
    /// Applies a decision to comments and logs it; returns the comments changed, each
    /// with the status it had before.
    async fn moderate_comments(
        &self,
        ids: &[CommentId],
        decision: &Decision,
        moderator: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(Comment, CommentStatus)>>;
    /// Featured comments of an article, newest first.
    async fn featured(&self, article: ArticleId) -> StoreResult<Vec<Comment>>;
    async fn moderation_log(&self, limit: u32) -> StoreResult<Vec<ModerationEntry>>;
    /// Pending comments, for the back office's counter.
    async fn pending_count(&self) -> StoreResult<i64>;
    /// Every comment of a reader, for "download my data" and the moderator's view.
    async fn reader_comments(&self, reader: ReaderId, limit: u32) -> StoreResult<Vec<Comment>>;
}

#[async_trait]
pub trait MetaStore: Send + Sync {
    async fn meta(&self, key: &str) -> StoreResult<Option<String>>;
    async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()>;
    /// Cheap round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;
    /// Migrations this binary knows that the database has not applied (0 when it is
    /// up to date, or already migrated by a newer version).
    async fn pending_migrations(&self) -> StoreResult<usize>;
    /// Database connections open in this process's pool, and how many are idle.
    fn pool_usage(&self) -> (u32, u32);
}

/// Static pages (see [`crate::page`]).
#[async_trait]
pub trait PageStore: Send + Sync {
    /// Creates a page (version 1, its first revision); a taken path is `Duplicate`.
    async fn create_page(
        &self,
        new: &NewPage,
        user: Option<UserId>,
        now: DateTime<Utc>,
    ) -> StoreResult<StaticPage>;
    /// Saves a new version on top of `expected_version`; a newer stored version is
    /// `VersionMismatch` and nothing is written.
    async fn update_page(
        &self,
        id: PageId,
        content: &NewPage,
        expected_version: i64,
        user: Option<UserId>,
        now: DateTime<Utc>,
    ) -> StoreResult<StaticPage>;
    async fn page(&self, id: PageId) -> StoreResult<StaticPage>;
    async fn page_by_path(&self, path: &str) -> StoreResult<Option<StaticPage>>;
    /// Every page, footer pages first in their order, then by title.
    async fn pages(&self) -> StoreResult<Vec<StaticPage>>;
    async fn page_revisions(&self, id: PageId) -> StoreResult<Vec<PageRevision>>;
    async fn delete_page(&self, id: PageId) -> StoreResult<()>;
}

/// Live coverage: the entries of live articles (see [`crate::live`]). Every write
/// also touches the article's row (its latest entry number and time, and its public
/// update time once published), so the change feed, the search follower and the
/// purges follow a live as they follow any article.
#[async_trait]
pub trait LiveStore: Send + Sync {
    /// Posts an entry, numbered after the live's latest in the same transaction (so
    /// concurrent posts neither collide nor skip a number); pinning it unpins the
    /// live's pinned entry. Not a live: `NotFound`; a closed live: `Conflict`.
    async fn post_entry(
        &self,
        article: ArticleId,
        content: &EntryContent,
        body_html: &str,
        author: Option<UserId>,
        author_name: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<LiveEntry>;
    /// Replaces an entry's content from `expected_revision` (else `VersionMismatch`,
    /// nothing written), keeping the previous version in its history.
    async fn edit_entry(
        &self,
        entry: LiveEntryId,
        content: &EntryContent,
        body_html: &str,
        expected_revision: i64,
        user: Option<UserId>,
        now: DateTime<Utc>,
    ) -> StoreResult<LiveEntry>;
    /// Takes an entry off the live (kept in its history).
    async fn delete_entry(
        &self,
        entry: LiveEntryId,
        expected_revision: Option<i64>,
        user: Option<UserId>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// An entry, deleted or not.
    async fn entry(&self, entry: LiveEntryId) -> StoreResult<LiveEntry>;
    /// Entries of a live, newest first, deleted ones left out.
    async fn entries(&self, article: ArticleId, query: EntryQuery) -> StoreResult<Vec<LiveEntry>>;
    /// The pinned entry of a live, if any.
    async fn pinned_entry(&self, article: ArticleId) -> StoreResult<Option<LiveEntry>>;
    async fn entry_revisions(&self, entry: LiveEntryId) -> StoreResult<Vec<EntryRevision>>;
    /// Lives still open (drafts and published), most recently active first: id and
    /// headline.
    async fn open_lives(&self, limit: u32) -> StoreResult<Vec<(ArticleId, String)>>;
    /// Closes a live at `now` (`Some`) or opens it again (`None`).
    async fn set_live_closed(
        &self,
        article: ArticleId,
        closed_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
}

/// Push alerts (see [`crate::alert`]).
#[async_trait]
pub trait AlertStore: Send + Sync {
    /// Records a subscription, or replaces the keys and topics of one with the same
    /// endpoint; its id.
    async fn subscribe(
        &self,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
        topics: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Forgets a subscription; whether there was one.
    async fn unsubscribe(&self, endpoint: &str) -> StoreResult<bool>;
    async fn subscription(&self, endpoint: &str) -> StoreResult<Option<PushSubscription>>;
    /// Writes an alert, one pending delivery per subscription following any of its
    /// topics, and the job that fans it out, in one transaction.
    async fn create_alert(
        &self,
        alert: &NewAlert,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> StoreResult<Alert>;
    async fn alert(&self, id: i64) -> StoreResult<Alert>;
    /// The latest alerts, newest first.
    async fn alerts(&self, limit: u32) -> StoreResult<Vec<Alert>>;
    /// Claims up to `limit` deliveries of an alert that are due at `now`, with those
    /// claimed before `stale_before` and never finished (a crashed worker's).
    async fn claim_deliveries(
        &self,
        alert: i64,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Delivery>>;
    /// Records what became of deliveries, and the alert's counts, in one transaction;
    /// a subscription that is gone is deleted.
    async fn finish_deliveries(
        &self,
        alert: i64,
        outcomes: &[(i64, DeliveryOutcome)],
    ) -> StoreResult<()>;
    /// When the next of an alert's deliveries waiting for a retry is due, if any.
    async fn next_retry(&self, alert: i64) -> StoreResult<Option<DateTime<Utc>>>;
}

/// A search in the redirects manager.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectQuery {
    /// Part of the old address or of the target.
    pub search: String,
    pub limit: u32,
    pub offset: u32,
}

/// Old addresses and where they lead (see [`crate::redirect`]).
#[async_trait]
pub trait RedirectStore: Send + Sync {
    /// The answer for an old address (already a [`crate::redirect::redirect_key`]):
    /// an exact entry, else the longest prefix entry.
    async fn find_redirect(&self, key: &str) -> StoreResult<Option<RedirectAnswer>>;
    /// Adds or replaces (same path and kind) redirects in one transaction; returns
    /// how many were written.
    async fn save_redirects(
        &self,
        batch: &[NewRedirect],
        origin: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;
    async fn redirects(&self, query: &RedirectQuery) -> StoreResult<Vec<Redirect>>;
    async fn count_redirects(&self, search: &str) -> StoreResult<u64>;
    async fn redirect(&self, id: i64) -> StoreResult<Redirect>;
    async fn delete_redirect(&self, id: i64) -> StoreResult<()>;
}

/// What an earlier import wrote for one source item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSource {
    /// `article`, `page`, `media`, `section`, `contributor`.
    pub kind: String,
    pub target_id: i64,
    pub fingerprint: String,
}

/// A comment from another system, written with its article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedComment {
    /// Unique within its item.
    pub key: String,
    pub parent_key: Option<String>,
    pub author_name: String,
    pub author_email: String,
    pub body: String,
    pub approved: bool,
    pub created_at: DateTime<Utc>,
}

/// An article or page from another system, written in one transaction with its
/// comments, redirects and source record: all of it or nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportWrite {
    pub system: String,
    pub key: String,
    /// Of the source item; the same fingerprint on a later run means "unchanged".
    pub fingerprint: String,
    pub content: ImportContent,
    /// The content's body rendered by [`crate::body::render_body`] (off the async
    /// runtime, by the importer), so that a batch's write lock waits for no renderer.
    pub body: crate::body::RenderedBody,
    pub comments: Vec<ImportedComment>,
    /// Old addresses (redirect keys) leading to the item.
    pub old_paths: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImportContent {
    Article {
        article: Box<NewArticle>,
        review_requested: bool,
    },
    Page(NewPage),
}

/// What an import did with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created,
    Updated,
    Unchanged,
}

/// The import's own bookkeeping: which source item became what.
#[async_trait]
pub trait ImportStore: Send + Sync {
    async fn imported(&self, system: &str, key: &str) -> StoreResult<Option<ImportedSource>>;
    /// Records what a source item (a picture, a section, an author) became.
    async fn record_imported(
        &self,
        system: &str,
        key: &str,
        source: &ImportedSource,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Writes an article or page with its comments and redirects, atomically; a
    /// second run with the same fingerprint writes nothing.
    async fn import_item(
        &self,
        item: &ImportWrite,
        now: DateTime<Utc>,
    ) -> StoreResult<(i64, ImportOutcome)> {
        match self
            .import_items(std::slice::from_ref(item), now)
            .await?
            .pop()
        {
            Some(result) => result,
            None => Err(StoreError::NotFound),
        }
    }
    /// Writes a batch of items in one transaction, each in a savepoint of its own:
    /// an item that cannot be written leaves nothing behind and the others are kept.
    /// Storage that cannot take writes fails the whole batch.
    async fn import_items(
        &self,
        batch: &[ImportWrite],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<StoreResult<(i64, ImportOutcome)>>>;
}

/// Newsletters, their subscriptions and editions, and suppressed addresses (see
/// [`crate::newsletter`]).
#[async_trait]
pub trait NewsletterStore: Send + Sync {
    /// A duplicate slug is `Duplicate("slug")`.
    async fn create_newsletter(
        &self,
        new: &NewNewsletter,
        now: DateTime<Utc>,
    ) -> StoreResult<Newsletter>;
    async fn newsletters(&self) -> StoreResult<Vec<Newsletter>>;
    async fn newsletter(&self, id: i64) -> StoreResult<Newsletter>;
    async fn newsletter_by_slug(&self, slug: &str) -> StoreResult<Option<Newsletter>>;
    /// Records a request: a new address is added; a pending or unsubscribed one is
    /// asked again (new consent, new token); a confirmed one is left as it is. The
    /// subscription as it now stands.
    async fn request_subscription(
        &self,
        request: &SubscriptionRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<Subscription>;
    /// Confirms the pending subscription whose token hashes to `hash`, unless expired.
    async fn confirm_subscription(
        &self,
        hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Subscription>>;
    /// Whether a pending subscription waits for this token (for the confirm page).
    async fn pending_subscription(
        &self,
        hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Subscription>>;
    async fn subscription(&self, id: i64) -> StoreResult<Option<Subscription>>;
    /// Ends a subscription (kept with its dates for the counts); whether it was on.
    async fn unsubscribe(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
    /// A reader's subscriptions: theirs by account or by their address.
    async fn subscriptions_of(
        &self,
        reader: crate::comment::ReaderId,
        email: &str,
    ) -> StoreResult<Vec<Subscription>>;
    /// Deletes a reader's subscriptions and their consent records.
    async fn erase_subscriptions(
        &self,
        reader: crate::comment::ReaderId,
        email: &str,
    ) -> StoreResult<u64>;
    /// Confirmed subscribers of a newsletter (for the back office).
    async fn subscriber_count(&self, newsletter: i64) -> StoreResult<i64>;
    /// Suppresses an address for every newsletter (a bounce, a permanent failure).
    async fn suppress(&self, email: &str, reason: &str, now: DateTime<Utc>) -> StoreResult<()>;
    async fn is_suppressed(&self, email: &str) -> StoreResult<bool>;
    async fn create_edition(
        &self,
        newsletter: i64,
        new: &NewEdition,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> StoreResult<Edition>;
    /// Saves a draft from `version`; a stale version is `VersionMismatch`, an edition
    /// no longer a draft `Conflict`.
    async fn save_edition(&self, id: i64, new: &NewEdition, version: i64) -> StoreResult<Edition>;
    async fn edition(&self, id: i64) -> StoreResult<Edition>;
    async fn editions(&self, newsletter: i64, limit: u32) -> StoreResult<Vec<Edition>>;
    /// Queues a draft's sending at `at` with its rendered mail, and the job, in one
    /// transaction. An edition already queued or sent is `Conflict`.
    async fn schedule_edition(
        &self,
        id: i64,
        rendered: &RenderedEdition,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Edition>;
    /// Fixes the recipients (every confirmed, unsuppressed subscriber) when sending
    /// starts; does nothing when they are fixed already. The rendered mail.
    async fn start_edition(&self, id: i64, now: DateTime<Utc>) -> StoreResult<RenderedEdition>;
    /// Claims up to `limit` mails due at `now`, with claims older than
    /// `stale_before` (a crashed sender's).
    async fn claim_sends(
        &self,
        edition: i64,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Recipient>>;
    /// Records what became of one mail (and suppresses the address on a permanent
    /// failure), in one transaction.
    async fn finish_send(
        &self,
        edition: i64,
        recipient: &Recipient,
        outcome: &SendOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The earliest retry still waiting, if any.
    async fn next_send(&self, edition: i64) -> StoreResult<Option<DateTime<Utc>>>;
    /// Marks the edition sent when no mail is pending; whether it was.
    async fn finish_edition(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
}

/// Webhook endpoints and their deliveries (see [`crate::webhook`]).
#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn create_webhook(
        &self,
        new: &NewWebhook,
        secret: &str,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> StoreResult<Webhook>;
    async fn webhooks(&self) -> StoreResult<Vec<Webhook>>;
    async fn webhook(&self, id: i64) -> StoreResult<Webhook>;
    async fn delete_webhook(&self, id: i64) -> StoreResult<()>;
    /// Records one delivery per endpoint following `event`, each with its job, in one
    /// transaction; their ids.
    async fn enqueue_deliveries(
        &self,
        event: &str,
        article: Option<i64>,
        payload: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// Queues a delivery again (same message id and payload), with its job.
    async fn replay_delivery(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()>;
    async fn delivery(&self, id: i64) -> StoreResult<WebhookDelivery>;
    /// An endpoint's latest deliveries, newest first.
    async fn deliveries(&self, webhook: i64, limit: u32) -> StoreResult<Vec<WebhookDelivery>>;
    async fn record_attempt(
        &self,
        id: i64,
        attempt: &Attempt,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
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
    pub accounts: Arc<dyn AccountStore>,
    pub jobs: Arc<dyn JobQueue>,
    pub wire: Arc<dyn WireStore>,
    pub changes: Arc<dyn ChangeFeed>,
    pub fronts: Arc<dyn FrontStore>,
    pub readers: Arc<dyn ReaderStore>,
    pub comments: Arc<dyn CommentStore>,
    /// Throttles and presence (on a replica's stores: the primary's).
    pub shared: Arc<dyn SharedStateStore>,
    pub pages: Arc<dyn PageStore>,
    pub redirects: Arc<dyn RedirectStore>,
    pub imports: Arc<dyn ImportStore>,
    pub live: Arc<dyn LiveStore>,
    pub alerts: Arc<dyn AlertStore>,
    pub newsletters: Arc<dyn NewsletterStore>,
    pub webhooks: Arc<dyn WebhookStore>,
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
        B: ArticleStore
            + TaxonomyStore
            + PeopleStore
            + MediaStore
            + MetaStore
            + AccountStore
            + JobQueue
            + WireStore
            + ChangeFeed
            + FrontStore
            + ReaderStore
            + CommentStore
            + SharedStateStore
            + PageStore
            + RedirectStore
            + ImportStore
            + LiveStore
            + AlertStore
            + NewsletterStore
            + WebhookStore
            + 'static,
    {
        Self {
            backend,
            articles: store.clone(),
            taxonomy: store.clone(),
            people: store.clone(),
            media: store.clone(),
            meta: store.clone(),
            accounts: store.clone(),
            jobs: store.clone(),
            wire: store.clone(),
            changes: store.clone(),
            fronts: store.clone(),
            readers: store.clone(),
            comments: store.clone(),
            shared: store.clone(),
            pages: store.clone(),
            redirects: store.clone(),
            imports: store.clone(),
            live: store.clone(),
            alerts: store.clone(),
            newsletters: store.clone(),
            webhooks: store,
        }
    }
}
