//! Home, section, tag and contributor listings.

use crate::app::{TestApp, position};
use axum::http::StatusCode;

#[tokio::test]
async fn home_lists_public_articles_newest_first_with_thumbnails() {
    let app = TestApp::new().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    let f = &app.fixture;
    let recent = position(html, &f.recent.canonical_path());
    let english = position(html, &f.english.canonical_path());
    let reference = position(html, &f.reference.canonical_path());
    assert!(recent < english && english < reference, "newest first");
    for hidden in [&f.unpublished, &f.draft, &f.scheduled] {
        assert!(
            !html.contains(&hidden.canonical_path()),
            "{} must not be listed",
            hidden.headline
        );
    }
    assert!(
        html.contains(r#"-crop-16x9-480.jpg 480w, "#)
            && html.contains(r#"-crop-16x9-960.jpg 960w""#),
        "thumbnails: the 16:9 crops, with a srcset"
    );
    assert!(
        html.contains(r#"width="480" height="270" alt="" loading="lazy""#),
        "thumbnails with their size"
    );
    assert!(html.contains(r#"<a class="card__section" href="/sport/">Sport</a>"#));
    assert!(html.contains(r#"<time datetime="2026-11-27T11:00:00+01:00">27/11/2026 11:00</time>"#));
    assert!(
        html.contains(r#"<article class="card" lang="en">"#),
        "a card in another language says so"
    );
    assert!(
        html.contains("Le président américain a lancé"),
        "standfirsts are shown"
    );
}

#[tokio::test]
async fn section_pages_cover_their_subsections() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    let monde = app.get("/monde/").await;
    assert_eq!(monde.status, StatusCode::OK);
    assert!(
        monde.body.contains(&f.reference.canonical_path()),
        "an article of monde/europe is in monde"
    );
    assert!(monde.body.contains(&f.english.canonical_path()));
    assert!(
        !monde.body.contains(&f.recent.canonical_path()),
        "sport is not in monde"
    );
    assert!(
        monde
            .body
            .contains(r#"<a href="/monde/europe/">Europe</a>"#),
        "subsections are linked"
    );
    assert!(
        monde
            .body
            .contains(r#"<a href="/monde/" aria-current="true">Monde</a>"#),
        "navigation marks the section"
    );

    let europe = app.get("/monde/europe/").await;
    assert_eq!(europe.status, StatusCode::OK);
    assert!(europe.body.contains(&f.reference.canonical_path()));
    assert!(!europe.body.contains(&f.english.canonical_path()));
    assert!(
        europe
            .body
            .contains(r#"<a href="/monde/europe/" aria-current="page">Europe</a>"#)
    );

    let bare = app.get("/monde/europe").await;
    assert_eq!(bare.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(bare.header("location"), "/monde/europe/");
    assert_eq!(app.get("/nulle-part/").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tag_and_contributor_pages_list_their_articles() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    let tag = app.get("/tags/diplomatie/").await;
    assert_eq!(tag.status, StatusCode::OK);
    assert!(tag.body.contains("<h1>Mot-clé : Diplomatie</h1>"));
    assert!(
        tag.body.contains(&f.reference.canonical_path())
            && tag.body.contains(&f.recent.canonical_path())
    );
    assert!(!tag.body.contains(&f.english.canonical_path()));
    assert_eq!(
        app.get("/tags/inconnu/").await.status,
        StatusCode::NOT_FOUND
    );

    let author = app.get("/auteurs/jane-roe/").await;
    assert_eq!(author.status, StatusCode::OK);
    assert!(author.body.contains("<h1>Jane Roe</h1>"));
    assert!(author.body.contains("Jane Roe, journaliste."));
    assert!(author.body.contains(&f.english.canonical_path()));
    assert!(!author.body.contains(&f.reference.canonical_path()));
}

#[tokio::test]
async fn older_articles_are_reached_with_a_cursor() {
    let app = TestApp::new().await;
    let f = &app.fixture;
    // The cursor of the English article: only what is older follows.
    let cursor = format!(
        "{}-{}",
        f.english.published_at.unwrap().timestamp(),
        f.english.id
    );
    let page = app.get(&format!("/monde/?avant={cursor}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&f.reference.canonical_path()));
    assert!(!page.body.contains(&f.english.canonical_path()));
    assert!(
        page.body
            .contains(r#"<meta name="robots" content="noindex, follow">"#)
    );
    assert_eq!(
        app.get("/monde/?avant=n-importe-quoi").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn date_archives_list_a_month_and_a_day() {
    let app = TestApp::new().await;
    let reference = &app.fixture.reference;
    let local = reference
        .published_at
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Paris);
    use chrono::Datelike;
    let month_path = format!("/archives/{:04}/{:02}/", local.year(), local.month());
    let month = app.get(&month_path).await;
    assert_eq!(month.status, StatusCode::OK);
    assert!(month.body.contains(&reference.canonical_path()));
    for hidden in [
        &app.fixture.draft,
        &app.fixture.unpublished,
        &app.fixture.scheduled,
    ] {
        assert!(!month.body.contains(&hidden.canonical_path()));
    }
    assert!(month.body.contains("<h1"), "a heading");
    assert!(month.body.contains("Archives : "), "{}", month.body);
    let day = app.get(&format!("{month_path}{:02}/", local.day())).await;
    assert_eq!(day.status, StatusCode::OK);
    assert!(day.body.contains(&reference.canonical_path()));
    assert!(day.body.contains(&format!("Archives du {} ", local.day())));
    let other = app.get("/archives/1999/01/").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(
        !other.body.contains(&reference.canonical_path()),
        "{}",
        other.body
    );
    assert!(other.body.contains("Archives : janvier 1999"));
    assert_eq!(
        app.get("/archives/2026/13/").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/archives/2026/02/30/").await.status,
        StatusCode::NOT_FOUND
    );
}
