//! `TestApp`: a router over a fresh SQLite store with a small newsroom in it, and a
//! clock pinned to 27 November 2026, noon UTC.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use kiosque_domain::article::{Article, ArticleStatus, NewArticle, NewLeadImage};
use kiosque_domain::people::{ContributorKind, NewContributor};
use kiosque_domain::section::NewSection;
use kiosque_domain::{SiteSettings, Slug, Stores};
use kiosque_media::{FsBlobStore, ImageMeta, MediaLibrary};
use kiosque_web::i18n::Catalogs;
use kiosque_web::{AppState, Clock, Templates};
use std::sync::Arc;
use tower::ServiceExt;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as received (compressed when the response says so).
    pub bytes: Vec<u8>,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// The articles the fixture creates.
pub struct Fixture {
    pub reference: Article,
    pub english: Article,
    pub unpublished: Article,
    pub draft: Article,
    pub scheduled: Article,
    pub recent: Article,
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub stores: Stores,
    pub page_cache: Arc<kiosque_web::PageCache>,
    pub fixture: Fixture,
    _dir: tempfile::TempDir,
    pg_schema: Option<(String, String)>,
}

pub struct Options {
    pub site: SiteSettings,
    pub theme: Option<std::path::PathBuf>,
    pub page_cache: kiosque_web::PageCache,
    pub wire_rules: Vec<kiosque_app::wire::RoutingRule>,
    pub purger: kiosque_app::purge::Purger,
    pub push_services: Vec<String>,
    /// `[feeds] websub_hub`.
    pub websub_hub: Option<String>,
    /// `[embeds]`: the providers (a local stub in the embed tests).
    pub embeds: kiosque_app::embeds::EmbedSettings,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            site: SiteSettings {
                publisher: "Kiosque Média".into(),
                ..SiteSettings::default()
            },
            theme: None,
            page_cache: kiosque_web::PageCache::disabled(),
            wire_rules: Vec::new(),
            purger: kiosque_app::purge::Purger::default(),
            push_services: kiosque_app::push::default_services(),
            websub_hub: None,
            embeds: kiosque_app::embeds::EmbedSettings::default(),
        }
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 200) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with(Options::default()).await
    }

    pub async fn with(options: Options) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("kiosque.db").display());
        let stores = kiosque_store::connect(&url).await.unwrap();
        Self::build(options, dir, stores, None).await
    }

    /// The same app on PostgreSQL, in a fresh schema, when `KIOSQUE_TEST_POSTGRES_URL`
    /// is set; `None` otherwise (and a failure when `KIOSQUE_REQUIRE_POSTGRES` is set).
    pub async fn on_postgres() -> Option<Self> {
        Self::on_postgres_with(Options::default()).await
    }

    /// [`TestApp::on_postgres`] with options.
    pub async fn on_postgres_with(options: Options) -> Option<Self> {
        let Ok(url) = std::env::var("KIOSQUE_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var_os("KIOSQUE_REQUIRE_POSTGRES").is_none(),
                "KIOSQUE_REQUIRE_POSTGRES is set without KIOSQUE_TEST_POSTGRES_URL"
            );
            eprintln!("KIOSQUE_TEST_POSTGRES_URL is not set: PostgreSQL web test skipped");
            return None;
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let schema = format!("kq_web_{}_{nanos}", std::process::id());
        let stores = kiosque_store::connect_postgres_in_schema(&url, &schema)
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        Some(Self::build(options, dir, stores, Some((url, schema))).await)
    }

    /// Drops the PostgreSQL schema of an app made by [`TestApp::on_postgres`].
    pub async fn cleanup(self) {
        if let Some((url, schema)) = &self.pg_schema {
            let store = kiosque_store::PostgresStore::connect(url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(store.pool())
                .await
                .unwrap();
        }
    }

    async fn build(
        options: Options,
        dir: tempfile::TempDir,
        stores: Stores,
        pg_schema: Option<(String, String)>,
    ) -> Self {
        let blobs = Arc::new(FsBlobStore::new(dir.path().join("media")));
        let library = MediaLibrary::new(blobs.clone(), stores.media.clone());
        let fixture = seed(&stores, &library).await;
        let catalogs = Arc::new(Catalogs::load().unwrap());
        let page_cache = Arc::new(options.page_cache);
        let locale = options.site.locale;
        let caches = kiosque_web::WebCaches::new(page_cache.clone());
        let app = kiosque_app::App::new(kiosque_app::AppCore {
            throttle: Arc::new(kiosque_app::throttle::Throttle::new(stores.clone())),
            presence: Arc::new(kiosque_app::presence::Presence::new(stores.clone())),
            stores: stores.clone(),
            blobs,
            site: kiosque_web::SharedSettings::new(options.site),
            clock: Clock::Fixed(now()),
            wire_rules: Arc::new(options.wire_rules),
            search_wake: Arc::default(),
            worker_wake: Arc::default(),
            mailer: Arc::new(
                kiosque_app::mail::Mailer::outbox(
                    dir.path().join("outbox"),
                    "Test <kiosque@localhost>",
                )
                .unwrap(),
            ),
            own_signals: Arc::default(),
            purger: Arc::new(options.purger),
            caches: caches.clone(),
            preview_lifetime: kiosque_app::preview::DEFAULT_LIFETIME,
            push_services: Arc::new(options.push_services.clone()),
            outbound: Arc::new(kiosque_app::webhooks::Outbound {
                allow_private: true,
                websub_hub: options.websub_hub.clone(),
            }),
            embeds: Arc::new(options.embeds.clone()),
        });
        let state = AppState::new(kiosque_web::AppContext {
            app,
            templates: Arc::new(Templates::new(options.theme, catalogs.clone(), locale)),
            catalogs,
            caches,
            trusted_proxies: Arc::default(),
            search: Arc::new(kiosque_search::SearchIndex::in_memory(locale).unwrap()),
            read_replica: None,
        });
        Self {
            router: kiosque_web::router(state.clone()),
            state,
            stores,
            page_cache,
            fixture,
            _dir: dir,
            pg_schema,
        }
    }

    /// Where the mailer writes messages (no SMTP in tests).
    pub fn outbox(&self) -> std::path::PathBuf {
        self._dir.path().join("outbox")
    }

    /// The messages in the outbox, oldest first, as text with quoted-printable decoded. Mail goes out in the background: waits up to two seconds for
    /// at least `at_least` of them.
    pub async fn mails(&self, at_least: usize) -> Vec<String> {
        for _ in 0..40 {
            let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(self.outbox())
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
            names.sort();
            if names.len() >= at_least {
                return names
                    .iter()
                    .map(|p| quoted_printable(&std::fs::read(p).unwrap()))
                    .collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("fewer than {at_least} messages in the outbox");
    }

    /// A signed preview link of `article`, made for an editor.
    pub async fn preview_link(&self, article: &kiosque_domain::Article) -> String {
        let editor = kiosque_app::Actor::new(
            kiosque_domain::User {
                id: kiosque_domain::UserId(1),
                email: "chef@example.org".into(),
                name: "Chef".into(),
                role: kiosque_domain::Role::Editor,
                active: true,
                created_at: now(),
            },
            kiosque_app::Entrance::BackOffice,
        );
        kiosque_app::preview::link(
            &self.state,
            &editor,
            article,
            kiosque_app::preview::DEFAULT_LIFETIME,
        )
        .await
        .unwrap()
    }

    /// The preview page of an article, through its secret URL.
    pub async fn article_preview(&self, id: i64) -> String {
        let article = self
            .stores
            .articles
            .article(kiosque_domain::ArticleId(id))
            .await
            .unwrap();
        let path = self.preview_link(&article).await;
        let response = self.get(&path).await;
        assert_eq!(response.status, axum::http::StatusCode::OK);
        response.body
    }

    /// Brings the search index up to date with the database, as the follower
    /// running beside a server does within a second.
    pub async fn sync_search(&self) -> u64 {
        let mut follower = kiosque_search::Follower::new(
            self.state.search.clone(),
            self.stores.clone(),
            kiosque_search::FollowerOptions::for_backend(self.stores.backend),
        );
        follower.catch_up(chrono::Utc::now()).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }
}

async fn seed(stores: &Stores, library: &MediaLibrary) -> Fixture {
    let section = |parent, slug: &str, name: &str, position| NewSection {
        parent_id: parent,
        slug: Slug::parse(slug).unwrap(),
        name: name.into(),
        description: format!("Toute l'actualité {name}."),
        position,
    };
    let monde = stores
        .taxonomy
        .create_section(&section(None, "monde", "Monde", 0))
        .await
        .unwrap();
    let europe = stores
        .taxonomy
        .create_section(&section(Some(monde.id), "europe", "Europe", 0))
        .await
        .unwrap();
    let sport = stores
        .taxonomy
        .create_section(&section(None, "sport", "Sport", 1))
        .await
        .unwrap();
    let person = |kind, name: &str, slug: &str| NewContributor {
        kind,
        name: name.into(),
        slug: Slug::parse(slug).unwrap(),
        bio: format!("{name}, journaliste."),
    };
    let desk = stores
        .people
        .create_contributor(&person(
            ContributorKind::Desk,
            "Kiosque Info",
            "kiosque-info",
        ))
        .await
        .unwrap();
    let lea = stores
        .people
        .create_contributor(&person(ContributorKind::Person, "Léa Martin", "lea-martin"))
        .await
        .unwrap();
    let paul = stores
        .people
        .create_contributor(&person(
            ContributorKind::Person,
            "Paul Durand",
            "paul-durand",
        ))
        .await
        .unwrap();
    let jane = stores
        .people
        .create_contributor(&person(ContributorKind::Person, "Jane Roe", "jane-roe"))
        .await
        .unwrap();
    let media = library
        .add_image(
            png(1200, 675),
            ImageMeta {
                name: "sommet".into(),
                alt: "Salle".into(),
                credit: "X / KIOSQUE".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let published = |headline: &str, section_id, at: DateTime<Utc>| {
        let mut new = NewArticle::draft(headline, section_id);
        new.status = ArticleStatus::Published;
        new.published_at = Some(at);
        new
    };

    // The reference page: an agency story of 2 April 2018, 13:05 in Paris, updated 15:20.
    let mut reference = published(
        "Trump a proposé à Poutine une rencontre à la Maison Blanche",
        europe.id,
        Utc.with_ymd_and_hms(2018, 4, 2, 11, 5, 0).unwrap(),
    );
    reference.updated_at = Some(Utc.with_ymd_and_hms(2018, 4, 2, 13, 20, 0).unwrap());
    reference.kicker = Some("Diplomatie".into());
    reference.standfirst =
        "Le président américain a lancé l'invitation lors d'un échange téléphonique.".into();
    reference.body_markdown = "Premier paragraphe du récit.\n\n## Un sous-titre\n\n> « Une citation », a dit quelqu'un.\n\n- un point\n- un autre\n\nUn [lien](https://example.org/).".into();
    reference.contributors = vec![desk.id];
    reference.agencies = vec!["AFP".into()];
    reference.tags = vec!["Diplomatie".into(), "États-Unis".into()];
    reference.lead_image = Some(NewLeadImage {
        media_id: media.id,
        alt: "Deux dirigeants se serrent la main".into(),
        caption: "Deux dirigeants le 7 juillet 2017 lors d'un sommet à Hambourg (Allemagne)."
            .into(),
        credit: "SAUL LOEB / AFP".into(),
    });
    let reference = stores
        .articles
        .create_article(&reference, now())
        .await
        .unwrap();

    let mut english = published(
        "Markets steady as talks resume",
        monde.id,
        now() - chrono::Duration::days(800),
    );
    english.language = "en".into();
    english.standfirst = "Investors waited for news.".into();
    english.body_markdown = "Short body.".into();
    english.contributors = vec![jane.id, lea.id, paul.id];
    english.agencies = vec!["Reuters".into(), "AFP".into()];
    let english = stores
        .articles
        .create_article(&english, now())
        .await
        .unwrap();

    let mut recent = published(
        "Le <script>alert(1)</script> match de la saison",
        sport.id,
        now() - chrono::Duration::hours(2),
    );
    recent.standfirst = "Un chapô & des « guillemets ».".into();
    recent.contributors = vec![lea.id, paul.id, desk.id];
    recent.agencies = vec!["AFP".into(), "Reuters".into()];
    recent.tags = vec!["Diplomatie".into()];
    recent.lead_image = Some(NewLeadImage {
        media_id: media.id,
        alt: "Le stade".into(),
        caption: "Le stade.".into(),
        credit: "A / B".into(),
    });
    let recent = stores
        .articles
        .create_article(&recent, now())
        .await
        .unwrap();

    let unpublished = stores
        .articles
        .create_article(
            &published("Retiré", monde.id, now() - chrono::Duration::days(2)),
            now(),
        )
        .await
        .unwrap();
    stores
        .articles
        .set_article_status(unpublished.id, ArticleStatus::Unpublished, now())
        .await
        .unwrap();
    let unpublished = stores.articles.article(unpublished.id).await.unwrap();
    let draft = stores
        .articles
        .create_article(&NewArticle::draft("Brouillon secret", monde.id), now())
        .await
        .unwrap();
    let mut scheduled = published(
        "Programmé demain",
        monde.id,
        now() + chrono::Duration::days(1),
    );
    scheduled.status = ArticleStatus::Scheduled;
    let scheduled = stores
        .articles
        .create_article(&scheduled, now())
        .await
        .unwrap();

    Fixture {
        reference,
        english,
        unpublished,
        draft,
        scheduled,
        recent,
    }
}

/// Decodes quoted-printable text (soft breaks, `=HH` bytes) into UTF-8.
fn quoted_printable(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' {
            if raw[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if let Some(hex) = raw.get(i + 1..i + 3)
                && let Ok(byte) = u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("zz"), 16)
            {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Byte offset of `needle` in `haystack`, failing the test if it is absent.
pub fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in page:\n{haystack}"))
}

/// The third-party corpus, `../shared/corpus` from the repository root (or
/// `KIOSQUE_CORPUS`): the nearest `shared/corpus` above this crate.
pub fn corpus_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("KIOSQUE_CORPUS") {
        return dir.into();
    }
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|d| d.join("shared/corpus"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| manifest.join("../../../shared/corpus"))
}

/// Whether the third-party corpus is here. When it is not (a clone without
/// `../shared` beside it), the caller skips what needs it and says so, unless
/// `KIOSQUE_REQUIRE_CORPUS=1` (set by `.ci/run`) makes that a failure. See the
/// README for where the corpus comes from and `scripts/fetch-corpus.sh`.
pub fn corpus_available() -> bool {
    let dir = corpus_dir();
    if dir.is_dir() {
        return true;
    }
    assert!(
        std::env::var_os("KIOSQUE_REQUIRE_CORPUS").is_none(),
        "KIOSQUE_REQUIRE_CORPUS is set, but the corpus is not at {}",
        dir.display()
    );
    eprintln!(
        "skipped: the third-party test corpus is not at {} (set KIOSQUE_CORPUS, or run scripts/fetch-corpus.sh)",
        dir.display()
    );
    false
}
