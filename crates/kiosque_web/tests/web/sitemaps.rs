//! robots.txt and sitemaps, validated with xmllint against the sitemaps.org XSDs in
//! ../shared/corpus; the news and image extensions are checked for structure (their
//! XSDs may not be redistributed, see the corpus README).

use crate::app::{TestApp, now};
use axum::http::StatusCode;
use chrono::Datelike;

fn xsd(name: &str) -> std::path::PathBuf {
    crate::app::corpus_dir().join("sitemaps/xsd").join(name)
}

/// Validates with xmllint; skipped only when xmllint is missing and not required.
fn validate(document: &str, schema: &str) {
    if !crate::app::corpus_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sitemap.xml");
    std::fs::write(&path, document).unwrap();
    match std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(xsd(schema))
        .arg(&path)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}\n{document}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => assert!(std::env::var_os("KIOSQUE_REQUIRE_XMLLINT").is_none(), "{e}"),
    }
}

/// The document without the extension elements, for the core XSD (its wildcard is
/// strict, and the extension XSDs are not available).
fn without(document: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = document;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(close).unwrap() + start + close.len();
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn robots_and_the_sitemap_index() {
    let app = TestApp::new().await;
    let robots = app.get("/robots.txt").await.body;
    assert!(robots.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml"));
    assert!(robots.contains("Disallow: /admin/") && robots.contains("Disallow: /preview/"));
    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(
        index.header("content-type"),
        "application/xml; charset=utf-8"
    );
    let published = app.fixture.reference.published_at.unwrap();
    let month = format!(
        "/sitemaps/articles-{:04}-{:02}.xml",
        published.year(),
        published.month()
    );
    assert!(
        index
            .body
            .contains(&format!("<loc>http://127.0.0.1:8080{month}</loc><lastmod>"))
    );
    validate(&index.body, "siteindex.xsd");

    let pages = app.get("/sitemap-pages.xml").await.body;
    assert!(pages.contains("<loc>http://127.0.0.1:8080/monde/europe/</loc>"));
    assert!(pages.contains("<loc>http://127.0.0.1:8080/tags/etats-unis/</loc>"));
    validate(&pages, "sitemap.xsd");
}

#[tokio::test]
async fn monthly_article_sitemaps_hold_public_articles_only() {
    let app = TestApp::new().await;
    let reference = &app.fixture.reference;
    let published = reference.published_at.unwrap();
    let month = app
        .get(&format!(
            "/sitemaps/articles-{:04}-{:02}.xml",
            published.year(),
            published.month()
        ))
        .await;
    assert_eq!(month.status, StatusCode::OK);
    assert!(month.body.contains(&format!(
        "<loc>http://127.0.0.1:8080{}</loc><lastmod>",
        reference.canonical_path()
    )));
    assert!(
        month
            .body
            .contains("<image:image><image:loc>http://127.0.0.1:8080/media/")
    );
    for hidden in [
        &app.fixture.draft,
        &app.fixture.unpublished,
        &app.fixture.scheduled,
    ] {
        assert!(
            !month.body.contains(&hidden.canonical_path()),
            "{}",
            hidden.headline
        );
    }
    validate(
        &without(&month.body, "<image:image>", "</image:image>"),
        "sitemap.xsd",
    );
    // Another month holds none of them; a bad name is a 404.
    let empty = app.get("/sitemaps/articles-1999-01.xml").await.body;
    assert!(!empty.contains("<url>"));
    assert_eq!(
        app.get("/sitemaps/articles-2026-13.xml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/sitemaps/other.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_news_sitemap_holds_the_last_two_days() {
    let app = TestApp::new().await;
    let news = app.get("/sitemap-news.xml").await.body;
    let cutoff = now() - chrono::Duration::hours(48);
    let all = [
        &app.fixture.reference,
        &app.fixture.english,
        &app.fixture.recent,
    ];
    let mut listed = 0;
    for a in all {
        let expected = a.published_at.is_some_and(|p| p >= cutoff && p <= now());
        assert_eq!(
            news.contains(&a.canonical_path()),
            expected,
            "{} published {:?}",
            a.headline,
            a.published_at
        );
        listed += usize::from(expected);
    }
    assert!(listed > 0, "the fixture has a recent article");
    // Element order inside news:news matters.
    let entry = news.split("<news:news>").nth(1).unwrap();
    let order = [
        "<news:publication>",
        "<news:name>Kiosque Info</news:name>",
        "<news:language>",
        "</news:publication>",
        "<news:publication_date>",
        "<news:title>",
    ];
    let mut at = 0;
    for tag in order {
        let found = entry[at..]
            .find(tag)
            .unwrap_or_else(|| panic!("{tag} out of order in {entry}"));
        at += found;
    }
    assert!(!news.contains(&app.fixture.scheduled.canonical_path()));
    validate(
        &without(&news, "<news:news>", "</news:news>"),
        "sitemap.xsd",
    );
}
