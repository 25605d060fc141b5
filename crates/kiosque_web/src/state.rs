//! What every handler can reach: the application (`kiosque_app::App`: stores,
//! settings, clock, mail, throttles…, through `Deref`), and what only HTTP needs:
//! templates, catalogues, the page cache and the other copies kept for readers.

use crate::cache::PageCache;
use crate::i18n::Catalogs;
use crate::templates::Templates;
use kiosque_app::App;
use kiosque_domain::SectionTree;
use std::sync::Arc;

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
    /// The application layer; its fields (`stores`, `site`, `clock`…) read through.
    pub app: App,
    pub templates: Arc<Templates>,
    pub catalogs: Arc<Catalogs>,
    /// What this node keeps for readers (the same the app forgets after a change).
    pub caches: Arc<WebCaches>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see `auth::client_ip`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// This node's search index, kept current by a `kiosque_search::Follower`.
    pub search: Arc<kiosque_search::SearchIndex>,
    /// The read replica's, when pages read from one: `/readyz` pings it too.
    pub read_replica: Option<Arc<dyn kiosque_domain::store::MetaStore>>,
}

impl std::ops::Deref for AppContext {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

/// What a node keeps in memory for readers: rendered pages, the section tree, and
/// "À lire aussi" lists. The application forgets them after a change (it holds them
/// as `kiosque_app::LocalCaches`).
#[derive(Debug)]
pub struct WebCaches {
    /// Rendered pages kept for a few seconds.
    pub page_cache: Arc<PageCache>,
    /// The section tree, read again after a change here or after a few seconds.
    pub sections: SectionCache,
    /// "À lire aussi" lists by article, kept a minute (see `RelatedCache`).
    pub related: RelatedCache,
    /// What every page's chrome shows beside the sections (the footer's static
    /// pages, the newsletter sign-up block), read with the section tree.
    pub footer: FooterCache,
    /// The Content-Security-Policy, made once from the settings (the media origin,
    /// the embed providers' frame origins).
    pub csp: std::sync::OnceLock<axum::http::HeaderValue>,
}

impl WebCaches {
    pub fn new(page_cache: Arc<PageCache>) -> Arc<Self> {
        Arc::new(Self {
            page_cache,
            sections: SectionCache::default(),
            related: RelatedCache::default(),
            footer: FooterCache::default(),
            csp: std::sync::OnceLock::new(),
        })
    }
}

impl kiosque_app::LocalCaches for WebCaches {
    fn forget_all(&self) {
        self.page_cache.purge_all();
        self.sections.forget();
        self.footer.forget();
        self.related.forget();
    }

    fn forget_pages(&self) {
        self.page_cache.purge_all();
    }
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

/// The site-wide parts of pages that are not sections, kept like the section tree
/// and forgotten with it (every site change, here or on another node).
#[derive(Debug, Default)]
pub struct Footer {
    /// The footer's static pages (title, address).
    pub pages: Vec<crate::views::Link>,
    /// The newsletter article pages offer (the first by name), if any.
    pub newsletter: Option<kiosque_domain::newsletter::Newsletter>,
}

#[derive(Debug, Default)]
pub struct FooterCache(std::sync::RwLock<Option<Arc<Footer>>>);

impl FooterCache {
    pub fn get(&self) -> Option<Arc<Footer>> {
        self.0.read().ok()?.clone()
    }

    fn put(&self, links: Arc<Footer>) {
        if let Ok(mut cached) = self.0.write() {
            *cached = Some(links);
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
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The section tree for reader pages (see `SectionCache`).
    pub async fn section_tree(&self) -> Result<Arc<SectionTree>, kiosque_domain::StoreError> {
        if let Some(tree) = self.caches.sections.get()
            && self.caches.footer.get().is_some()
        {
            return Ok(tree);
        }
        let tree = Arc::new(SectionTree::new(self.stores.taxonomy.sections().await?));
        let other = |e: kiosque_app::Error| kiosque_domain::StoreError::Other(e.to_string().into());
        let pages = kiosque_app::pages::footer(&self.app)
            .await
            .map_err(other)?
            .into_iter()
            .map(|p| crate::views::Link {
                href: p.public_path(),
                name: p.title,
                current: false,
            })
            .collect();
        let newsletter = kiosque_app::newsletters::list(&self.app)
            .await
            .map_err(other)?
            .into_iter()
            .next();
        self.caches
            .footer
            .put(Arc::new(Footer { pages, newsletter }));
        self.caches.sections.put(tree.clone());
        Ok(tree)
    }
}
