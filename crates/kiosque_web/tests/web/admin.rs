//! The back office through the router: login, CSRF, roles, editing, conflicts,
//! workflow, preview, corrections.

use crate::app::{TestApp, TestResponse, now, position};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosque_domain::staff::{NewUser, Role};
use kiosque_domain::{ArticleStatus, User};

/// A staff member with a session, as a browser would hold it.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
    pub user: User,
}

pub async fn create_user(app: &TestApp, email: &str, role: Role) -> User {
    let hash = kiosque_web::auth::hash_password("un mot de passe solide".into())
        .await
        .unwrap();
    let new = NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
        password_hash: hash,
    };
    app.stores.accounts.create_user(&new, now()).await.unwrap()
}

/// Value of a `Set-Cookie` for `name`, from a response.
fn set_cookie(response: &TestResponse, name: &str) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = position(html, &marker) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    })
                    .collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn multipart(fields: &[(&str, &str)]) -> (String, String) {
    let boundary = "kiosque-test-boundary";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn attempt_login(app: &TestApp, email: &str, password: &str) -> TestResponse {
    let page = app.get("/admin/login").await;
    let csrf_cookie = set_cookie(&page, "kq_login_csrf").unwrap();
    let csrf = hidden(&page.body, "csrf");
    let request = Request::post("/admin/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", csrf_cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form(&[
            ("csrf", &csrf),
            ("email", email),
            ("password", password),
            ("next", "/admin"),
        ])))
        .unwrap();
    app.request(request).await
}

impl<'a> Browser<'a> {
    pub async fn login(app: &'a TestApp, email: &str, role: Role) -> Browser<'a> {
        let user = create_user(app, email, role).await;
        let response = attempt_login(app, email, "un mot de passe solide").await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let cookie = set_cookie(&response, "kq_session").unwrap();
        let set = response
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        let mut browser = Browser {
            app,
            cookie,
            csrf: String::new(),
            user,
        };
        let dashboard = browser.get("/admin").await;
        assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.body);
        browser.csrf = hidden(&dashboard.body, "csrf");
        browser
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.app
            .request(
                Request::get(path)
                    .header("cookie", &self.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let request = Request::post(path)
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form(&all)))
            .unwrap();
        self.app.request(request).await
    }

    pub async fn post_multipart(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let (content_type, body) = multipart(&all);
        let request = Request::post(path)
            .header("cookie", &self.cookie)
            .header("content-type", content_type)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.app.request(request).await
    }
}

pub fn article_fields<'f>(
    headline: &'f str,
    section: &'f str,
    version: &'f str,
) -> Vec<(&'f str, &'f str)> {
    vec![
        ("version", version),
        ("headline", headline),
        ("kicker", "Exclusif"),
        ("standfirst", "Un chapô."),
        (
            "body_markdown",
            "Premier paragraphe.\n\n## Intertitre\n\nSuite du texte.",
        ),
        ("section_id", section),
        ("tags", "Climat, Énergie"),
        ("contributors", "Léa Martin, Kiosque Info"),
        ("agencies", "AFP"),
        ("language", "fr"),
        ("comments_open", "on"),
    ]
}

fn location(response: &TestResponse) -> String {
    response.header("location").to_owned()
}

#[tokio::test]
async fn back_office_pages_require_a_session() {
    let app = TestApp::new().await;
    let response = app.get("/admin/articles?status=draft").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.header("location"),
        "/admin/login?next=/admin/articles%3Fstatus%3Ddraft"
    );
    let login = app.get("/admin/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.header("cache-control"), "no-store");
    assert!(login.body.contains(r#"autocomplete="current-password""#));
    // Its stylesheet and script are served.
    for asset in ["admin.css", "admin.js"] {
        let href = login
            .body
            .split(&format!("/static/{asset}?v="))
            .nth(1)
            .map(|rest| format!("/static/{asset}?v={}", rest.split('"').next().unwrap()))
            .unwrap();
        let response = app.get(&href).await;
        assert_eq!(response.status, StatusCode::OK, "{href}");
        assert!(response.body.len() > 1000, "{href} has content");
    }
}

#[tokio::test]
async fn login_gives_the_same_answer_for_unknown_accounts_and_throttles() {
    let app = TestApp::new().await;
    create_user(&app, "lea@example.org", Role::Journalist).await;
    let wrong = attempt_login(&app, "lea@example.org", "mauvais mot de passe").await;
    let unknown = attempt_login(&app, "nobody@example.org", "mauvais mot de passe").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .body
            .contains("Adresse e-mail ou mot de passe incorrect.")
    );
    assert!(
        unknown
            .body
            .contains("Adresse e-mail ou mot de passe incorrect.")
    );
    for _ in 0..4 {
        attempt_login(&app, "lea@example.org", "encore faux").await;
    }
    let blocked = attempt_login(&app, "lea@example.org", "un mot de passe solide").await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        blocked
            .body
            .contains("Trop de tentatives de connexion. Réessayez dans 15 minutes.")
    );
    assert!(
        blocked.body.contains(r#"value="lea@example.org""#),
        "the form keeps what was typed"
    );
}

#[tokio::test]
async fn forms_without_the_session_token_or_from_elsewhere_are_refused() {
    let app = TestApp::new().await;
    let browser = Browser::login(&app, "paul@example.org", Role::Editor).await;
    let no_token = Request::post("/admin/account/tokens")
        .header("cookie", &browser.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("csrf=forged&name=x"))
        .unwrap();
    assert_eq!(app.request(no_token).await.status, StatusCode::FORBIDDEN);
    let cross_site = Request::post("/admin/account/tokens")
        .header("cookie", &browser.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(form(&[("csrf", &browser.csrf), ("name", "x")])))
        .unwrap();
    assert_eq!(app.request(cross_site).await.status, StatusCode::FORBIDDEN);
    assert!(
        app.stores
            .accounts
            .api_tokens(browser.user.id)
            .await
            .unwrap()
            .is_empty()
    );
    let made = browser
        .post_form("/admin/account/tokens", &[("name", "robot")])
        .await;
    assert_eq!(made.status, StatusCode::OK);
    assert!(made.body.contains("kq_"), "the new token is shown once");
    assert_eq!(
        app.stores
            .accounts
            .api_tokens(browser.user.id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn write_publish_update_and_correct_an_article() {
    write_publish_update_and_correct_an_article_on(&TestApp::new().await).await;
}

#[tokio::test]
async fn write_publish_update_and_correct_an_article_on_postgresql() {
    let Some(app) = TestApp::on_postgres().await else {
        return;
    };
    write_publish_update_and_correct_an_article_on(&app).await;
    app.cleanup().await;
}

async fn write_publish_update_and_correct_an_article_on(app: &TestApp) {
    let lea = Browser::login(app, "lea@example.org", Role::Journalist).await;
    let section = app.fixture.reference.section.id.to_string();

    // A form with errors keeps everything typed.
    let mut fields = article_fields("", &section, "0");
    fields.push(("seo_title", "Titre SEO tapé"));
    fields.push(("translation_of", "douze"));
    let invalid = lea.post_multipart("/admin/articles", &fields).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("Le titre est obligatoire."));
    assert!(invalid.body.contains("doit être un nombre"));
    assert!(
        invalid
            .body
            .contains(r#"name="translation_of" value="douze""#)
    );
    let mut unknown = article_fields("Titre", &section, "0");
    unknown.push(("translation_of", "999999"));
    let unknown = lea.post_multipart("/admin/articles", &unknown).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("Aucun article ne porte ce numéro."));

    // The translation link is kept from the form.
    let original = app.fixture.reference.id.0.to_string();
    let mut translated = article_fields("Offshore wind farms", &section, "0");
    translated.push(("translation_of", &original));
    let saved = lea.post_multipart("/admin/articles", &translated).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let saved_id: i64 = location(&saved)
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let saved = app
        .stores
        .articles
        .article(kiosque_domain::ArticleId(saved_id))
        .await
        .unwrap();
    assert_eq!(saved.translation_of, Some(app.fixture.reference.id));
    assert!(
        invalid.body.contains("Suite du texte.")
            && invalid.body.contains("Titre SEO tapé")
            && invalid.body.contains("Climat, Énergie")
    );

    let created = lea
        .post_multipart(
            "/admin/articles",
            &article_fields("Les éoliennes en mer", &section, "0"),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let editor_path = location(&created).split('?').next().unwrap().to_owned();
    let id: i64 = editor_path.rsplit('/').next().unwrap().parse().unwrap();
    let article = app
        .stores
        .articles
        .article(kiosque_domain::ArticleId(id))
        .await
        .unwrap();
    assert_eq!(article.created_by, Some(lea.user.id));
    assert_eq!(
        article
            .contributors
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["Léa Martin", "Kiosque Info"]
    );

    // The journalist cannot publish; she submits for review.
    let mut publish = article_fields("Les éoliennes en mer", &section, "1");
    publish.push(("action", "publish"));
    assert_eq!(
        lea.post_multipart(&editor_path, &publish).await.status,
        StatusCode::FORBIDDEN
    );
    let mut submit = article_fields("Les éoliennes en mer", &section, "2");
    submit.push(("action", "submit"));
    assert_eq!(
        lea.post_multipart(&editor_path, &submit).await.status,
        StatusCode::SEE_OTHER
    );

    let paul = Browser::login(app, "paul@example.org", Role::Editor).await;
    assert!(
        paul.get("/admin")
            .await
            .body
            .contains("Les éoliennes en mer"),
        "waiting for review on the editor's dashboard"
    );
    // The list filtered by author shows her article and nobody else's.
    let by_lea = paul
        .get(&format!("/admin/articles?auteur={}", lea.user.id))
        .await
        .body;
    assert!(by_lea.contains("Les éoliennes en mer"));
    assert!(!by_lea.contains(&app.fixture.reference.headline));
    assert!(
        paul.get("/admin/articles")
            .await
            .body
            .contains(&app.fixture.reference.headline)
    );
    let preview = app.article_preview(id).await;
    assert!(preview.contains("<h1 class=\"article__title\">Les éoliennes en mer</h1>"));
    // An editor may publish with a past time (here 8:00 in Paris, this morning).
    let mut publish = article_fields("Les éoliennes en mer", &section, "3");
    publish.extend([("action", "publish"), ("schedule_at", "2026-11-27T08:00")]);
    assert_eq!(
        paul.post_multipart(&editor_path, &publish).await.status,
        StatusCode::SEE_OTHER
    );
    let article = app
        .stores
        .articles
        .article(kiosque_domain::ArticleId(id))
        .await
        .unwrap();
    assert_eq!(article.status, ArticleStatus::Published);
    assert_eq!(
        article.published_at.unwrap().to_rfc3339(),
        "2026-11-27T07:00:00+00:00"
    );
    let public = app.get(&article.canonical_path()).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(!public.body.contains("Mis à jour"));

    // A correction: public note with its date, and JSON-LD.
    let version = article.version.to_string();
    let mut correct = article_fields("Les éoliennes en mer", &section, &version);
    correct.extend([
        ("edit_kind", "correction"),
        ("correction_note", "La puissance est de 500 MW, pas 50."),
        ("action", "save"),
    ]);
    let saved = paul.post_multipart(&editor_path, &correct).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = app.get(&article.canonical_path()).await.body;
    assert!(
        public.contains("Correction du 27/11/2026 13:00 : La puissance est de 500 MW, pas 50."),
        "{public}"
    );
    assert!(public.contains("Mis à jour le <time"));
    assert!(public.contains("CorrectionComment"));

    // Unpublished: the URL answers 410.
    let version = (article.version + 1).to_string();
    let mut unpublish = article_fields("Les éoliennes en mer", &section, &version);
    unpublish.push(("action", "unpublish"));
    assert_eq!(
        paul.post_multipart(&editor_path, &unpublish).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get(&article.canonical_path()).await.status,
        StatusCode::GONE
    );
    let log = app.stores.accounts.audit_log(20).await.unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "article.create",
        "article.submit",
        "article.publish",
        "article.unpublish",
        "login",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_stale_save_shows_both_versions_and_loses_nothing() {
    a_stale_save_shows_both_versions_and_loses_nothing_on(&TestApp::new().await).await;
}

#[tokio::test]
async fn a_stale_save_shows_both_versions_and_loses_nothing_on_postgresql() {
    let Some(app) = TestApp::on_postgres().await else {
        return;
    };
    a_stale_save_shows_both_versions_and_loses_nothing_on(&app).await;
    app.cleanup().await;
}

async fn a_stale_save_shows_both_versions_and_loses_nothing_on(app: &TestApp) {
    let lea = Browser::login(app, "lea@example.org", Role::Editor).await;
    let paul = Browser::login(app, "paul@example.org", Role::Editor).await;
    let section = app.fixture.reference.section.id.to_string();
    let created = lea
        .post_multipart(
            "/admin/articles",
            &article_fields("Un titre commun", &section, "0"),
        )
        .await;
    let editor_path = location(&created).split('?').next().unwrap().to_owned();

    let mut first = article_fields("La version de Léa", &section, "1");
    first.push(("action", "save"));
    assert_eq!(
        lea.post_multipart(&editor_path, &first).await.status,
        StatusCode::SEE_OTHER
    );
    let mut second = article_fields("La version de Paul", &section, "1");
    second[4] = (
        "body_markdown",
        "Le texte que Paul a tapé pendant une heure.",
    );
    second.push(("action", "save"));
    let conflict = paul.post_multipart(&editor_path, &second).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict.body.contains("La version de Léa"),
        "their version is shown"
    );
    assert!(
        conflict
            .body
            .contains("Le texte que Paul a tapé pendant une heure."),
        "my text is kept"
    );
    assert!(
        conflict.body.contains(r#"name="version" value="2""#),
        "re-submitting is a deliberate overwrite of version 2"
    );
    let id: i64 = editor_path.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        app.stores
            .articles
            .article(kiosque_domain::ArticleId(id))
            .await
            .unwrap()
            .headline,
        "La version de Léa"
    );
    let history = lea.get(&format!("{editor_path}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history
            .body
            .contains(r#"<span class="diff-ins">+ # La version de Léa</span>"#),
        "{}",
        history.body
    );
    assert!(
        history
            .body
            .contains(r#"<span class="diff-del">- # Un titre commun</span>"#)
    );
}

#[tokio::test]
async fn journalists_cannot_touch_others_articles_and_deactivation_ends_sessions() {
    let app = TestApp::new().await;
    let lea = Browser::login(&app, "lea@example.org", Role::Journalist).await;
    let admin = Browser::login(&app, "chef@example.org", Role::Admin).await;
    // The fixture's articles belong to nobody in the back office: editors only.
    let path = format!("/admin/articles/{}", app.fixture.reference.id);
    assert_eq!(lea.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(admin.get(&path).await.status, StatusCode::OK);
    assert_eq!(lea.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let users = admin.get("/admin/users").await;
    assert!(users.body.contains("lea@example.org"));
    let done = admin
        .post_form(
            &format!("/admin/users/{}/active", lea.user.id),
            &[("active", "0")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        lea.get("/admin").await.status,
        StatusCode::SEE_OTHER,
        "her session is gone"
    );
    assert!(
        admin
            .get("/admin/audit")
            .await
            .body
            .contains("user.deactivate")
    );
}

#[tokio::test]
async fn scheduling_needs_a_future_time_and_enqueues_the_job() {
    let app = TestApp::new().await;
    let paul = Browser::login(&app, "paul@example.org", Role::Editor).await;
    let section = app.fixture.reference.section.id.to_string();
    let created = paul
        .post_multipart(
            "/admin/articles",
            &article_fields("À paraître", &section, "0"),
        )
        .await;
    let editor_path = location(&created).split('?').next().unwrap().to_owned();
    let mut past = article_fields("À paraître", &section, "1");
    past.extend([("action", "schedule"), ("schedule_at", "2026-11-27T09:00")]);
    let refused = paul.post_multipart(&editor_path, &past).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("dans le futur"));
    let version = (if refused.status == StatusCode::UNPROCESSABLE_ENTITY {
        2
    } else {
        1
    })
    .to_string();
    let mut future = article_fields("À paraître", &section, &version);
    future.extend([("action", "schedule"), ("schedule_at", "2026-11-28T08:30")]);
    assert_eq!(
        paul.post_multipart(&editor_path, &future).await.status,
        StatusCode::SEE_OTHER
    );
    let id: i64 = editor_path.rsplit('/').next().unwrap().parse().unwrap();
    let article = app
        .stores
        .articles
        .article(kiosque_domain::ArticleId(id))
        .await
        .unwrap();
    assert_eq!(article.status, ArticleStatus::Scheduled);
    assert_eq!(
        article.published_at.unwrap().to_rfc3339(),
        "2026-11-28T07:30:00+00:00",
        "08:30 in Paris"
    );
    let due = app
        .stores
        .jobs
        .claim_due(
            "test",
            article.published_at.unwrap(),
            now() + chrono::Duration::days(2),
            10,
        )
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].payload, id.to_string());
}

#[tokio::test]
async fn preview_urls_are_unguessable() {
    let app = TestApp::new().await;
    let draft = &app.fixture.draft;
    let html = app.article_preview(draft.id.0).await;
    assert!(html.contains("Brouillon secret"));
    assert!(html.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    assert_eq!(
        app.get(&format!("/preview/{}", "0".repeat(64)))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/preview/short").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn editors_see_who_else_has_the_article_open() {
    let app = TestApp::new().await;
    let lea = Browser::login(&app, "lea@example.org", Role::Editor).await;
    let paul = Browser::login(&app, "paul@example.org", Role::Editor).await;
    let path = format!("/admin/articles/{}", app.fixture.reference.id);
    assert!(
        lea.get(&path)
            .await
            .body
            .contains(r#"<span id="presence-text"></span>"#),
        "nobody else yet"
    );
    let page = paul.get(&path).await;
    assert!(
        page.body
            .contains(r#"<span id="presence-text">Également ouvert par : lea.</span>"#),
        "{}",
        page.body
    );
    let ping = lea
        .post_form(&format!("{path}/presence"), &[("take_over", "1")])
        .await;
    assert_eq!(ping.status, StatusCode::OK);
    assert!(
        ping.body.contains(r#""others":[{"name":"paul""#),
        "{}",
        ping.body
    );
    let told = paul.post_form(&format!("{path}/presence"), &[]).await;
    assert!(
        told.body.contains(r#""taken_over_by":"lea""#),
        "{}",
        told.body
    );
}

#[tokio::test]
async fn editors_manage_sections_tags_and_contributors() {
    let app = TestApp::new().await;
    let lea = Browser::login(&app, "lea@example.org", Role::Journalist).await;
    assert_eq!(
        lea.get("/admin/taxonomy").await.status,
        StatusCode::FORBIDDEN
    );
    let paul = Browser::login(&app, "paul@example.org", Role::Editor).await;
    let page = paul.get("/admin/taxonomy").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"value="europe""#));

    // Renaming "monde" to "international" moves it and its subsection; old URLs redirect.
    let monde = app.fixture.english.section.id;
    let moved = paul
        .post_form(
            &format!("/admin/sections/{monde}"),
            &[
                ("name", "International"),
                ("slug", "international"),
                ("position", "0"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let old = app.get("/monde/europe/").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.header("location"), "/international/europe/");
    assert_eq!(
        app.get("/international/europe/").await.status,
        StatusCode::OK
    );
    let article = app.get(&app.fixture.reference.canonical_path()).await;
    assert_eq!(
        article.status,
        StatusCode::MOVED_PERMANENTLY,
        "articles follow their section"
    );
    assert!(
        article
            .header("location")
            .starts_with("/international/europe/")
    );

    let bad = paul
        .post_form(
            "/admin/sections",
            &[("name", "Économie"), ("slug", "Pas Valide")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let created = paul
        .post_form("/admin/sections", &[("name", "Économie"), ("parent", "")])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/economie/").await.status, StatusCode::OK);

    // Tags: rename keeps the URL; merge moves the articles.
    let diplomatie = app.stores.taxonomy.tag_by_slug("diplomatie").await.unwrap();
    let etats_unis = app.stores.taxonomy.tag_by_slug("etats-unis").await.unwrap();
    paul.post_form(
        &format!("/admin/tags/{}", diplomatie.id),
        &[("name", "Diplomatie mondiale")],
    )
    .await;
    assert!(
        app.get("/tags/diplomatie/")
            .await
            .body
            .contains("Mot-clé : Diplomatie mondiale")
    );
    paul.post_form(
        &format!("/admin/tags/{}", etats_unis.id),
        &[("name", ""), ("merge_into", &diplomatie.id.to_string())],
    )
    .await;
    let merged = app.get("/tags/etats-unis/").await;
    assert_eq!(
        merged.status,
        StatusCode::MOVED_PERMANENTLY,
        "a merged tag's page leads to the other"
    );
    assert_eq!(merged.header("location"), "/tags/diplomatie/");

    let made = paul
        .post_form(
            "/admin/contributors",
            &[("name", "Nora Haddad"), ("kind", "person")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/auteurs/nora-haddad/").await.status,
        StatusCode::OK
    );
    let nora = app
        .stores
        .people
        .contributor_by_slug("nora-haddad")
        .await
        .unwrap();
    let edited = paul
        .post_form(
            &format!("/admin/contributors/{}", nora.id),
            &[
                ("name", "Nora Haddad-Lenoir"),
                ("slug", "nora-haddad"),
                ("kind", "person"),
                ("bio", "Reporter."),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    assert!(
        app.get("/auteurs/nora-haddad/")
            .await
            .body
            .contains("<h1>Nora Haddad-Lenoir</h1>")
    );
    let taken = paul
        .post_form(
            &format!("/admin/contributors/{}", nora.id),
            &[("name", "X"), ("slug", "kiosque-info"), ("kind", "person")],
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a slug in use is refused"
    );

    // A portrait from the media library, shown on the contributor's page.
    let media = app
        .fixture
        .reference
        .lead_image
        .as_ref()
        .unwrap()
        .media
        .id
        .to_string();
    let with_photo = paul
        .post_form(
            &format!("/admin/contributors/{}", nora.id),
            &[
                ("name", "Nora Haddad-Lenoir"),
                ("slug", "nora-haddad"),
                ("kind", "person"),
                ("bio", "Reporter."),
                ("photo", &media),
            ],
        )
        .await;
    assert_eq!(with_photo.status, StatusCode::SEE_OTHER);
    let page = app.get("/auteurs/nora-haddad/").await.body;
    assert!(
        page.contains(r#"<img class="portrait" src="/media/"#),
        "{page}"
    );
    assert!(page.contains(r#"alt="Nora Haddad-Lenoir">"#));
    let list = paul.get("/admin/taxonomy").await.body;
    assert!(list.contains(&format!(r#"name="photo" value="{media}""#)));
    let unknown = paul
        .post_form(
            &format!("/admin/contributors/{}", nora.id),
            &[
                ("name", "Nora Haddad-Lenoir"),
                ("slug", "nora-haddad"),
                ("kind", "person"),
                ("photo", "987654"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("médiathèque"));
    // Emptying the field removes it.
    paul.post_form(
        &format!("/admin/contributors/{}", nora.id),
        &[
            ("name", "Nora Haddad-Lenoir"),
            ("slug", "nora-haddad"),
            ("kind", "person"),
            ("photo", ""),
        ],
    )
    .await;
    assert!(
        !app.get("/auteurs/nora-haddad/")
            .await
            .body
            .contains("portrait")
    );
}

#[tokio::test]
async fn the_media_library_lists_and_edits_images() {
    let app = TestApp::new().await;
    let paul = Browser::login(&app, "paul@example.org", Role::Editor).await;
    let page = paul.get("/admin/media").await;
    assert_eq!(page.status, StatusCode::OK);
    let media = &app.fixture.reference.lead_image.as_ref().unwrap().media;
    assert!(
        page.body.contains(&format!("Image n° {}", media.id)),
        "{}",
        page.body
    );
    let done = paul
        .post_form(
            &format!("/admin/media/{}", media.id),
            &[
                ("alt", "La salle du sommet"),
                ("credit", "J. M. / KIOSQUE"),
                ("copyright", "© Kiosque Info 2026"),
                ("focal_x", "30"),
                ("focal_y", "25"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let stored = app.stores.media.media(media.id).await.unwrap();
    assert_eq!(
        (
            stored.alt.as_str(),
            stored.credit.as_str(),
            stored.copyright.as_str()
        ),
        (
            "La salle du sommet",
            "J. M. / KIOSQUE",
            "© Kiosque Info 2026"
        )
    );
    assert_eq!(stored.focal.css_position(), "30% 25%");
    let page = paul.get("/admin/media").await.body;
    assert!(page.contains(r#"name="focal_x" type="number" min="0" max="100" step="1" value="30""#));
    assert!(page.contains(r#"value="© Kiosque Info 2026""#));
    // The public page credits the rights holder in its structured data.
    let article = app.get(&app.fixture.reference.canonical_path()).await.body;
    assert!(
        article.contains(r#""copyrightNotice": "© Kiosque Info 2026""#),
        "{article}"
    );
    let refused = paul
        .post_multipart("/admin/media", &[("file", "not an image"), ("alt", "x")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn admins_change_site_settings_at_once() {
    let app = TestApp::new().await;
    let paul = Browser::login(&app, "paul@example.org", Role::Editor).await;
    assert_eq!(
        paul.get("/admin/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let chef = Browser::login(&app, "chef@example.org", Role::Admin).await;
    let fields = |publisher: &'static str, tz: &'static str| {
        vec![
            ("name", "La Gazette"),
            ("description", "d"),
            ("publisher", publisher),
            ("base_url", "https://gazette.example.org/"),
            ("locale", "fr"),
            ("timezone", tz),
            ("age_banner_days", "365"),
        ]
    };
    let refused = chef
        .post_form("/admin/settings", &fields("Gazette SA", "Mars/Olympus"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Fuseau horaire inconnu.") && refused.body.contains("Gazette SA"),
        "the form keeps what was typed"
    );
    let saved = chef
        .post_form("/admin/settings", &fields("Gazette SA", "America/Montreal"))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get(&app.fixture.reference.canonical_path()).await.body;
    assert!(page.contains(r#"<p class="publisher">Gazette SA</p>"#));
    assert!(page.contains(r#"<link rel="canonical" href="https://gazette.example.org/"#));
    assert!(
        page.contains(r#"datetime="2018-04-02T07:05:00-04:00""#),
        "dates in the new time zone"
    );
    let stored = kiosque_app::settings::saved_settings(
        &app.stores,
        &kiosque_domain::SiteSettings::default(),
    )
    .await
    .unwrap();
    assert_eq!(stored.name, "La Gazette");
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = TestApp::new().await;
    let path = kiosque_web::auth::ensure_setup_link(&app.state)
        .await
        .unwrap()
        .expect("no admin yet: a link");
    assert_eq!(app.get(&path).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/admin/setup/0123").await.status,
        StatusCode::NOT_FOUND
    );
    let post = |fields: Vec<(&'static str, &'static str)>| {
        Request::post(path.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form(&fields)))
            .unwrap()
    };
    let short = app
        .request(post(vec![
            ("name", "Chef"),
            ("email", "chef@example.org"),
            ("password", "court"),
            ("password_again", "court"),
        ]))
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short.body.contains("au moins 10 caractères")
            && short.body.contains(r#"value="chef@example.org""#)
    );
    let done = app
        .request(post(vec![
            ("name", "Chef"),
            ("email", "chef@example.org"),
            ("password", "une phrase secrète"),
            ("password_again", "une phrase secrète"),
        ]))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        set_cookie(&done, "kq_session").is_some(),
        "the new admin is logged in"
    );
    assert_eq!(app.stores.accounts.count_admins().await.unwrap(), 1);
    assert_eq!(
        app.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "the link works once"
    );
    assert!(
        kiosque_web::auth::ensure_setup_link(&app.state)
            .await
            .unwrap()
            .is_none(),
        "no new link once an admin exists"
    );
}

/// Preview links are signed, expire, stop once the article is withdrawn, and are
/// made only for people who may edit the article (back office and API alike).
#[tokio::test]
async fn preview_links_expire_and_are_for_editors_only() {
    let app = TestApp::new().await;
    let article = app.fixture.reference.clone();
    let link = app.preview_link(&article).await;
    assert!(
        link.starts_with(&format!("/preview/{}-", article.id.0)),
        "{link}"
    );
    assert_eq!(app.get(&link).await.status, StatusCode::OK);
    let token = link.trim_start_matches("/preview/");
    // Tampered: another article, another expiry, another signature.
    let (id, rest) = token.split_once('-').unwrap();
    let (expires, signature) = rest.split_once('-').unwrap();
    for forged in [
        format!("/preview/{}-{rest}", id.parse::<i64>().unwrap() + 1),
        format!(
            "/preview/{id}-{}-{signature}",
            expires.parse::<i64>().unwrap() + 86_400
        ),
        format!("/preview/{id}-{expires}-{}", "0".repeat(64)),
        "/preview/deadbeef".to_owned(),
    ] {
        assert_eq!(
            app.get(&forged).await.status,
            StatusCode::NOT_FOUND,
            "{forged}"
        );
    }
    // Expired after the configured lifetime (7 days by default).
    let later = app.state.now() + chrono::Duration::days(8);
    assert!(
        kiosque_app::preview::open(&app.state, token, later)
            .await
            .is_err()
    );
    assert!(
        kiosque_app::preview::open(&app.state, token, app.state.now())
            .await
            .is_ok()
    );
    // A journalist gets no link to a colleague's article.
    let journalist = kiosque_app::Actor::new(
        kiosque_domain::User {
            id: kiosque_domain::UserId(999),
            email: "stagiaire@example.org".into(),
            name: "Stagiaire".into(),
            role: kiosque_domain::Role::Journalist,
            active: true,
            created_at: app.state.now(),
        },
        kiosque_app::Entrance::Api,
    );
    let refused = kiosque_app::preview::link(
        &app.state,
        &journalist,
        &article,
        kiosque_app::preview::DEFAULT_LIFETIME,
    )
    .await;
    assert!(refused.is_err());
    // Withdrawn: the link stops working.
    app.stores
        .articles
        .set_article_status(
            article.id,
            kiosque_domain::ArticleStatus::Unpublished,
            app.state.now(),
        )
        .await
        .unwrap();
    assert_eq!(app.get(&link).await.status, StatusCode::NOT_FOUND);
}
