//! The application: what every use case reaches (stores, blob storage, settings, the
//! clock, mail, purges, signals, throttles, presence), and what happens after a
//! change (local copies forgotten, the search index woken, the other nodes and the
//! proxies told). One pointer: cloning it is one atomic increment.

use crate::clock::Clock;
use crate::mail::Mailer;
use crate::presence::Presence;
use crate::purge::{Purge, Purger};
use crate::settings::SharedSettings;
use crate::signals::{OwnSignals, Scope};
use crate::throttle::Throttle;
use crate::wire::RoutingRule;
use chrono::{DateTime, Utc};
use kiosque_domain::media::BlobStore;
use kiosque_domain::{ArticleId, SiteSettings, Stores};
use std::sync::Arc;

/// What a node keeps in memory from the database for readers (pages, the section
/// tree, related lists): the adapter that keeps them says how to forget them.
pub trait LocalCaches: Send + Sync {
    /// Forgets every copy (after a change here or on another node).
    fn forget_all(&self);
    /// Forgets kept pages only (a moderation decision: threads change, not articles).
    fn forget_pages(&self);
}

/// Nothing kept (the CLI, `kiosque worker`).
#[derive(Debug, Default)]
pub struct NoCaches;

impl LocalCaches for NoCaches {
    fn forget_all(&self) {}
    fn forget_pages(&self) {}
}

/// The parts of the application, built once by the binary (or a test).
#[derive(Clone)]
pub struct AppCore {
    pub stores: Stores,
    pub blobs: Arc<dyn BlobStore>,
    /// Site settings; admins change them while the site runs.
    pub site: SharedSettings,
    pub clock: Clock,
    /// Failures and actions counted per key, in the database (shared by all nodes).
    pub throttle: Arc<Throttle>,
    /// Who has which article open in the editor, in the database.
    pub presence: Arc<Presence>,
    /// How incoming wire items are routed (`[[ingest.rules]]`).
    pub wire_rules: Arc<Vec<RoutingRule>>,
    /// Wakes this node's search follower at once after a local change.
    pub search_wake: Arc<tokio::sync::Notify>,
    /// Wakes this node's job worker at once when a job is queued for now (a webhook
    /// delivery, an edition sent now); other nodes' workers find it at their tick.
    pub worker_wake: Arc<tokio::sync::Notify>,
    /// Where messages go (SMTP, or the outbox folder).
    pub mailer: Arc<Mailer>,
    /// Signals this node wrote (see [`crate::signals`]).
    pub own_signals: Arc<OwnSignals>,
    /// Caching proxies to purge after a change (none by default).
    pub purger: Arc<Purger>,
    /// This node's in-memory copies.
    pub caches: Arc<dyn LocalCaches>,
    /// How long a preview link works (see [`crate::preview`]).
    pub preview_lifetime: chrono::Duration,
    /// The push services alerts may be posted to (`[alerts] push_services`).
    pub push_services: Arc<Vec<String>>,
    /// Where syndication may go: private webhook targets, the WebSub hub.
    pub outbound: Arc<crate::webhooks::Outbound>,
    /// The embed providers and how they are asked (`[embeds]`).
    pub embeds: Arc<crate::embeds::EmbedSettings>,
}

impl std::fmt::Debug for AppCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCore")
            .field("stores", &self.stores)
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

/// The application, shared by every entrance.
#[derive(Clone, Debug)]
pub struct App(Arc<AppCore>);

impl std::ops::Deref for App {
    type Target = AppCore;

    fn deref(&self) -> &AppCore {
        &self.0
    }
}

impl App {
    pub fn new(core: AppCore) -> Self {
        Self(Arc::new(core))
    }

    /// The same application reading and writing through other stores (a replica).
    pub fn with_stores(&self, stores: Stores) -> Self {
        Self::new(AppCore {
            stores,
            ..self.core().clone()
        })
    }

    /// An application with nothing but its storage, mail and settings (the command
    /// line, `kiosque worker`, tests): system clock, no proxies, no kept copies.
    pub fn basic(
        stores: Stores,
        blobs: Arc<dyn BlobStore>,
        site: SiteSettings,
        mailer: Mailer,
    ) -> Self {
        Self::new(AppCore {
            throttle: Arc::new(Throttle::new(stores.clone())),
            presence: Arc::new(Presence::new(stores.clone())),
            stores,
            blobs,
            site: SharedSettings::new(site),
            clock: Clock::System,
            wire_rules: Arc::default(),
            search_wake: Arc::default(),
            worker_wake: Arc::default(),
            mailer: Arc::new(mailer),
            own_signals: Arc::default(),
            purger: Arc::new(Purger::default()),
            caches: Arc::new(NoCaches),
            preview_lifetime: crate::preview::DEFAULT_LIFETIME,
            push_services: Arc::new(crate::push::default_services()),
            outbound: Arc::default(),
            embeds: Arc::default(),
        })
    }

    pub fn core(&self) -> &AppCore {
        &self.0
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The current site settings.
    pub fn site(&self) -> Arc<SiteSettings> {
        self.site.get()
    }

    /// Call after a change to articles readers can see: forgets kept copies and has
    /// the search index catch up now rather than at its next poll. (Every node's
    /// search follower then purges the proxies of the articles' pages.)
    pub fn public_changed(&self) {
        self.pages_changed(Scope::Pages);
    }

    /// Call after a change every page shows (settings, sections): as
    /// [`App::public_changed`], and every page is purged from the proxies.
    pub fn site_changed(&self) {
        self.pages_changed(Scope::Site);
    }

    /// After a front was saved: as [`App::public_changed`], and the page it leads
    /// (`purge`, see [`Purge::front`]) is purged from the proxies.
    pub fn front_changed(&self, purge: Purge) {
        self.pages_changed(Scope::Purge(purge));
    }

    fn pages_changed(&self, scope: Scope) {
        self.caches.forget_all();
        self.search_wake.notify_one();
        self.signal_other_nodes(scope);
    }

    /// After a moderation decision in the threads of `articles` (all threads when
    /// empty): logged-out views of threads are kept for a few seconds, here, on the
    /// other nodes and in the proxies; they are forgotten now.
    pub fn comments_changed(&self, articles: &[ArticleId]) {
        self.caches.forget_pages();
        self.signal_other_nodes(Scope::Threads(articles.to_vec()));
    }

    /// Announces the change through the database (see [`crate::signals`]), then
    /// purges the proxies of what `scope` names (this node has forgotten its copies
    /// already), in the background: the person who made it already has their answer.
    fn signal_other_nodes(&self, scope: Scope) {
        let purge = Scope::purge(std::slice::from_ref(&scope));
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (changes, own) = (self.stores.changes.clone(), self.own_signals.clone());
        let purger = self.purger.clone();
        let now = Clock::System.now();
        runtime.spawn(async move {
            let scope = scope.to_string();
            match changes.signal(&scope, now).await {
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

    /// Forgets everything kept from the database for readers. The followers call it
    /// when the change feed or a signal brings a change made through another node.
    pub fn forget_cached(&self) {
        self.caches.forget_all();
    }

    /// The wire intake, announcing changes when routing changes public pages.
    pub fn intake(&self) -> crate::wire::Intake {
        let this = self.clone();
        crate::wire::Intake::new(
            self.stores.clone(),
            self.blobs.clone(),
            self.wire_rules.as_ref().clone(),
        )
        .with_on_change(Arc::new(move || this.public_changed()))
        .with_on_events({
            let app = self.clone();
            Arc::new(move |events| {
                let app = app.clone();
                Box::pin(async move {
                    for (event, id) in events {
                        // The article as routing left it (unpublished ones too).
                        if let Ok(article) = app.stores.articles.article(id).await {
                            crate::webhooks::article_event(&app, event, &article).await;
                        }
                    }
                })
            })
        })
    }
}
