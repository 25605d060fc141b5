//! What every handler can reach: stores, blob storage, settings, templates, catalogues
//! and the clock.

use crate::auth::Throttle;
use crate::cache::PageCache;
use crate::i18n::Catalogs;
use crate::presence::Presence;
use crate::purge::Purge;
use crate::signals::Scope;
use crate::templates::Templates;
use chrono::{DateTime, Utc};
use kiosque_domain::media::BlobStore;
use kiosque_domain::{SectionTree, SiteSettings, Stores};
use std::sync::Arc;

/// The time source. Pages that depend on "now" (age banners, scheduled articles)
/// read it here, so tests can pin it.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
        }
    }
}

/// Shared application state: one pointer, so cloning it is one atomic increment.
/// axum clones the state (and the middleware stack holding it) for every request;
/// with thirty `Arc`s to count, that was a fifth of the CPU time of a cached page.
#[derive(Clone)]
pub struct AppState(Arc<AppContext>);

impl AppState {
    pub fn new(context: AppContext) -> Self {
        Self(Arc::new(context))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppContext;

    fn deref(&self) -> &AppContext {
        &self.0
    }
}

/// What every handler reaches through [`AppState`].
#[derive(Clone)]
pub struct AppContext {
    pub stores: Stores,
    pub blobs: Arc<dyn BlobStore>,
    /// Site settings; admins change them while the site runs.
    pub site: SharedSettings,
    pub templates: Arc<Templates>,
    pub catalogs: Arc<Catalogs>,
    pub clock: Clock,
    /// Rendered pages kept for a few seconds; purge it after any public change.
    pub page_cache: Arc<PageCache>,
    /// Failed logins per account and per address.
    pub throttle: Arc<Throttle>,
    /// Who has which article open in the editor.
    pub presence: Arc<Presence>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see `auth::client_ip`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// How incoming wire items are routed (`[[ingest.rules]]`).
    pub wire_rules: Arc<Vec<crate::wire::RoutingRule>>,
    /// This node's search index, kept current by a `kiosque_search::Follower`.
    pub search: Arc<kiosque_search::SearchIndex>,
    /// Wakes the follower at once after a local change (others poll).
    pub search_wake: Arc<tokio::sync::Notify>,
    /// The section tree as reader pages use it, read again after a change here or
    /// after a few seconds (a change made through another node).
    pub sections: Arc<SectionCache>,
    /// "À lire aussi" lists by article, kept a minute (see [`RelatedCache`]).
    pub related: Arc<RelatedCache>,
    /// Where messages to readers go (SMTP, or the outbox folder).
    pub mailer: Arc<crate::mail::Mailer>,
    /// The read replica's, when pages read from one: `/readyz` pings it too.
    pub read_replica: Option<Arc<dyn kiosque_domain::store::MetaStore>>,
    /// Signals this node wrote (see [`crate::signals`]).
    pub own_signals: Arc<crate::signals::OwnSignals>,
    /// Caching proxies to purge after a change (none by default).
    pub purger: Arc<crate::purge::Purger>,
}

/// How long an article's "À lire aussi" list is reused.
const RELATED_TTL: std::time::Duration = std::time::Duration::from_secs(60);
/// Lists kept at most; past this the oldest half is dropped.
const RELATED_CAPACITY: usize = 20_000;

/// What an article page links to besides itself: its "À lire aussi" list and its
/// other language versions, shared by the pages rendered from it.
#[derive(Debug, Default)]
pub struct ArticleLinks {
    pub related: Vec<kiosque_domain::ArticleSummary>,
    pub translations: Vec<kiosque_domain::ArticleSummary>,
}

pub type RelatedList = Arc<ArticleLinks>;

/// "À lire aussi" lists, reused for a minute: the query ranks candidates by shared
/// tags and costs more than the rest of the article page. Any public change here,
/// or one through another node (brought by the change feed), forgets them all.
#[derive(Debug, Default)]
pub struct RelatedCache(
    std::sync::RwLock<
        std::collections::HashMap<kiosque_domain::ArticleId, (std::time::Instant, RelatedList)>,
    >,
);

impl RelatedCache {
    pub fn get(&self, id: kiosque_domain::ArticleId) -> Option<RelatedList> {
        let map = self.0.read().ok()?;
        map.get(&id)
            .filter(|(at, _)| at.elapsed() < RELATED_TTL)
            .map(|(_, list)| list.clone())
    }

    pub fn put(&self, id: kiosque_domain::ArticleId, list: RelatedList) {
        if let Ok(mut map) = self.0.write() {
            if map.len() >= RELATED_CAPACITY {
                map.retain(|_, (at, _)| at.elapsed() < RELATED_TTL);
                if map.len() >= RELATED_CAPACITY {
                    map.clear();
                }
            }
            map.insert(id, (std::time::Instant::now(), list));
        }
    }

    pub fn forget(&self) {
        if let Ok(mut map) = self.0.write() {
            map.clear();
        }
    }
}

/// How long reader pages may use a section tree read from the database.
const SECTIONS_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// The section tree, kept a few seconds: every reader page needs it for its
/// navigation, and it changes a few times a year.
#[derive(Debug, Default)]
pub struct SectionCache(std::sync::RwLock<Option<(std::time::Instant, Arc<SectionTree>)>>);

impl SectionCache {
    fn get(&self) -> Option<Arc<SectionTree>> {
        let cached = self.0.read().ok()?;
        cached
            .as_ref()
            .filter(|(at, _)| at.elapsed() < SECTIONS_TTL)
            .map(|(_, tree)| tree.clone())
    }

    fn put(&self, tree: Arc<SectionTree>) {
        if let Ok(mut cached) = self.0.write() {
            *cached = Some((std::time::Instant::now(), tree));
        }
    }

    pub fn forget(&self) {
        if let Ok(mut cached) = self.0.write() {
            *cached = None;
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Debug for AppContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppContext")
            .field("stores", &self.stores)
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Call after a change to articles readers can see: forgets cached pages and has
    /// the search index catch up now rather than at its next poll. (Every node's
    /// search follower then purges the proxies of the articles' pages.)
    pub fn public_changed(&self) {
        self.pages_changed(Scope::Pages);
    }

    /// Call after a change every page shows (settings, sections): as
    /// [`AppState::public_changed`], and every page is purged from the proxies.
    pub fn site_changed(&self) {
        self.pages_changed(Scope::Site);
    }

    /// After a front was saved: as [`AppState::public_changed`], and the page it leads
    /// (`purge`, see [`Purge::front`]) is purged from the proxies.
    pub fn front_changed(&self, purge: Purge) {
        self.pages_changed(Scope::Purge(purge));
    }

    fn pages_changed(&self, scope: Scope) {
        self.forget_cached();
        self.search_wake.notify_one();
        self.signal_other_nodes(scope);
    }

    /// After a moderation decision in the threads of `articles` (all threads when
    /// empty): logged-out views of threads are kept for a few seconds, here, on the
    /// other nodes and in the proxies; they are forgotten now.
    pub fn comments_changed(&self, articles: &[kiosque_domain::ArticleId]) {
        self.page_cache.purge_all();
        self.signal_other_nodes(Scope::Threads(articles.to_vec()));
    }

    /// Announces the change through the database (see [`crate::signals`]), then
    /// purges the proxies of what `scope` names (this node has forgotten its copies
    /// already), in the background: the reader who made it already has their answer.
    fn signal_other_nodes(&self, scope: Scope) {
        let purge = Scope::purge(std::slice::from_ref(&scope));
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (changes, own) = (self.stores.changes.clone(), self.own_signals.clone());
        let purger = self.purger.clone();
        runtime.spawn(async move {
            let scope = scope.to_string();
            match changes.signal(&scope, Utc::now()).await {
                Ok(seq) => own.record(seq),
                Err(e) => {
                    tracing::warn!(error = %e, scope, "cannot tell the other nodes about a change");
                }
            }
            if !purge.is_empty() {
                purger.send(&purge).await;
            }
        });
    }

    /// Forgets everything kept from the database for readers: pages, the section
    /// tree, "À lire aussi" lists. The search follower calls it when the change feed
    /// brings a change made through another node.
    pub fn forget_cached(&self) {
        self.page_cache.purge_all();
        self.sections.forget();
        self.related.forget();
    }

    /// The section tree for reader pages (see [`SectionCache`]).
    pub async fn section_tree(&self) -> Result<Arc<SectionTree>, kiosque_domain::StoreError> {
        if let Some(tree) = self.sections.get() {
            return Ok(tree);
        }
        let tree = Arc::new(SectionTree::new(self.stores.taxonomy.sections().await?));
        self.sections.put(tree.clone());
        Ok(tree)
    }

    /// The current site settings.
    pub fn site(&self) -> Arc<SiteSettings> {
        self.site.get()
    }

    /// The wire intake, purging the page cache when routing changes public pages.
    pub fn intake(&self) -> crate::wire::Intake {
        let this = self.clone();
        crate::wire::Intake::new(
            self.stores.clone(),
            self.blobs.clone(),
            self.wire_rules.as_ref().clone(),
        )
        .with_on_change(Arc::new(move || this.public_changed()))
    }
}

/// Site settings behind a lock, swapped whole when an admin saves them.
#[derive(Debug, Clone)]
pub struct SharedSettings(Arc<std::sync::RwLock<Arc<SiteSettings>>>);

impl SharedSettings {
    pub fn new(settings: SiteSettings) -> Self {
        Self(Arc::new(std::sync::RwLock::new(Arc::new(settings))))
    }

    pub fn get(&self) -> Arc<SiteSettings> {
        match self.0.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set(&self, settings: SiteSettings) {
        match self.0.write() {
            Ok(mut s) => *s = Arc::new(settings),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(settings),
        }
    }
}
