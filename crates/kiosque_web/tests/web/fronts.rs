//! Curated fronts: the home page's and sections' top stories, chosen by editors.

use crate::admin::Browser;
use crate::app::{TestApp, now, position};
use axum::http::StatusCode;
use kiosque_domain::Role;
use kiosque_domain::front::{FrontKey, FrontSlot};

fn slot(id: kiosque_domain::ArticleId, until: Option<chrono::DateTime<chrono::Utc>>) -> FrontSlot {
    FrontSlot { article: id, until }
}

#[tokio::test]
async fn the_home_front_opens_with_the_editors_choices() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    // Without a front, the newest article leads.
    let before = app.get("/").await.body;
    let lead_of = |html: &str| {
        html.split(r#"<section class="top-story""#)
            .nth(1)
            .unwrap()
            .split("</section>")
            .next()
            .unwrap()
            .to_owned()
    };
    assert!(lead_of(&before).contains(&f.recent.canonical_path()));

    app.stores
        .fronts
        .save_front(
            FrontKey::Home,
            0,
            &[
                slot(f.english.id, None),
                slot(f.draft.id, None),
                slot(f.reference.id, Some(now() + chrono::Duration::hours(1))),
                slot(f.unpublished.id, None),
            ],
            now(),
        )
        .await
        .unwrap();
    let html = app.get("/").await.body;
    let top = lead_of(&html);
    assert!(top.contains(r#"card--lead"#));
    let english = position(&top, &f.english.canonical_path());
    let reference = position(&top, &f.reference.canonical_path());
    assert!(english < reference, "the editors' order");
    assert!(
        top.split("card--lead")
            .nth(1)
            .unwrap()
            .split("</article>")
            .next()
            .unwrap()
            .contains(&f.english.canonical_path()),
        "the first pick leads"
    );
    for hidden in [&f.draft, &f.unpublished] {
        assert!(
            !html.contains(&hidden.canonical_path()),
            "{} is not public",
            hidden.headline
        );
    }
    let latest = html.split(r#"<section class="latest""#).nth(1).unwrap();
    assert!(latest.contains(&f.recent.canonical_path()));
    assert!(
        !latest.contains(&f.english.canonical_path()),
        "picks are not repeated"
    );

    // Structured data: the organisation and the site's search.
    assert!(
        html.contains(r#""@type": "WebSite""#) && html.contains(r#""@type": "SearchAction""#),
        "{html}"
    );
    assert!(html.contains("/recherche?q={search_term_string}"));
}

#[tokio::test]
async fn a_pinned_slot_lapses_at_its_time() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    app.stores
        .fronts
        .save_front(
            FrontKey::Home,
            0,
            &[slot(
                f.english.id,
                Some(now() - chrono::Duration::minutes(1)),
            )],
            now(),
        )
        .await
        .unwrap();
    let html = app.get("/").await.body;
    let top = html
        .split(r#"<section class="top-story""#)
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(!top.contains(&f.english.canonical_path()), "lapsed");
    assert!(
        top.contains(&f.recent.canonical_path()),
        "the newest leads again"
    );
}

#[tokio::test]
async fn a_section_front_tops_its_first_page_only() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    let monde = app
        .stores
        .taxonomy
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.path == "monde")
        .unwrap();
    app.stores
        .fronts
        .save_front(
            FrontKey::Section(monde.id),
            0,
            &[slot(f.reference.id, None)],
            now(),
        )
        .await
        .unwrap();
    let html = app.get("/monde/").await.body;
    let top = html
        .split(r#"<section class="top-story""#)
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(top.contains(&f.reference.canonical_path()));
    assert_eq!(
        html.matches(&format!(r#"<a href="{}">"#, f.reference.canonical_path()))
            .count(),
        1,
        "not repeated below"
    );
    assert!(html.contains(r#""@type": "BreadcrumbList""#));
    let older = app.get("/monde/?avant=1900000000-999999").await.body;
    assert!(!older.contains(r#"<section class="top-story""#));
}

#[tokio::test]
async fn editors_manage_fronts_in_the_back_office() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    let editor = Browser::login(&app, "chef@example.org", Role::Editor).await;
    let list = editor.get("/admin/fronts").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(r#"href="/admin/fronts/home""#));
    assert!(list.body.contains("/admin/fronts/section:"));

    let form = editor.get("/admin/fronts/home").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="version" value="0""#));
    assert!(
        form.body.contains(&f.reference.headline),
        "recent public articles are offered"
    );
    assert!(!form.body.contains(&f.draft.headline));

    let english = f.english.id.0.to_string();
    let reference = f.reference.id.0.to_string();
    let saved = editor
        .post_form(
            "/admin/fronts/home",
            &[
                ("version", "0"),
                ("article_0", &english),
                ("until_0", ""),
                ("article_1", ""),
                ("article_2", &reference),
                ("until_2", "2026-11-27T18:30"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let front = app.stores.fronts.front(FrontKey::Home).await.unwrap();
    assert_eq!(front.version, 1);
    assert_eq!(front.slots.len(), 2, "empty rows are dropped");
    assert_eq!(front.slots[0].article, f.english.id);
    assert_eq!(
        front.slots[1].until.unwrap().to_rfc3339(),
        "2026-11-27T17:30:00+00:00",
        "typed in Paris time"
    );
    let page = editor.get("/admin/fronts/home").await.body;
    assert!(page.contains(r#"value="2026-11-27T18:30""#));

    // A stale save is refused, keeps what was typed and overwrites nothing.
    let stale = editor
        .post_form(
            "/admin/fronts/home",
            &[("version", "0"), ("article_0", &reference)],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("rien n&#39;a été écrasé"),
        "{}",
        stale.body
    );
    assert!(
        stale
            .body
            .contains(&format!(r#"<option value="{reference}" selected>"#))
    );
    assert_eq!(
        app.stores.fronts.front(FrontKey::Home).await.unwrap().slots[0].article,
        f.english.id
    );

    // Errors keep the input: a duplicate, an unknown article, a bad time.
    let bad = editor
        .post_form(
            "/admin/fronts/home",
            &[
                ("version", "1"),
                ("article_0", &english),
                ("article_1", &english),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("deux emplacements"));
    let bad = editor
        .post_form(
            "/admin/fronts/home",
            &[
                ("version", "1"),
                ("article_0", "999999"),
                ("article_1", &english),
                ("until_1", "demain"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Emplacement 1") && bad.body.contains("Emplacement 2"));
    assert!(bad.body.contains(r#"value="demain""#));

    // CSRF and roles.
    let forged = app
        .request(
            axum::http::Request::post("/admin/fronts/home")
                .header("cookie", &editor.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from("csrf=faux&version=1"))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let journalist = Browser::login(&app, "plume@example.org", Role::Journalist).await;
    assert_eq!(
        journalist.get("/admin/fronts").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.stores
            .fronts
            .front(FrontKey::Home)
            .await
            .unwrap()
            .version,
        1
    );
}
