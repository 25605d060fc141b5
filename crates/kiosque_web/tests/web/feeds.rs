//! Feeds: RSS, Atom and JSON Feed for the site, sections, tags and contributors,
//! read back by a real feed parser (Python feedparser) and the JSON Feed schema from
//! ../shared/corpus.

use crate::app::TestApp;
use axum::http::StatusCode;
use serde_json::Value;

/// Runs Python on a feed file; `None` when the tools are missing and not required.
pub(crate) fn python(script: &str, feed: &str) -> Option<String> {
    if !crate::app::corpus_available() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed");
    std::fs::write(&path, feed).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .env(
            "JSONFEED_SCHEMA",
            crate::app::corpus_dir().join("feeds/jsonfeed/schema/schema-v1.1.json"),
        )
        .output();
    match out {
        Ok(out) if out.status.success() => Some(String::from_utf8(out.stdout).unwrap()),
        Ok(out) => {
            let err = String::from_utf8_lossy(&out.stderr);
            if err.contains("ModuleNotFoundError")
                && std::env::var_os("KIOSQUE_REQUIRE_FEED_TOOLS").is_none()
            {
                return None;
            }
            panic!("{err}");
        }
        Err(e) => {
            assert!(
                std::env::var_os("KIOSQUE_REQUIRE_FEED_TOOLS").is_none(),
                "{e}"
            );
            None
        }
    }
}

pub(crate) const FEEDPARSER: &str = r#"
import sys, json, feedparser
d = feedparser.parse(open(sys.argv[1], "rb").read())
assert not d.bozo, d.bozo_exception
print(json.dumps({
    "version": d.version,
    "title": d.feed.title,
    "entries": [{"id": e.id, "title": e.title, "link": e.link, "published": e.get("published_parsed") and list(e.published_parsed)[:6],
                 "author": e.get("author", ""), "content": (e.get("content") or [{}])[0].get("value", ""),
                 "media_credit": [c.get("content") for c in e.get("media_credit", [])]} for e in d.entries],
}))
"#;

const JSONFEED: &str = r#"
import sys, json, os, jsonschema
feed = json.load(open(sys.argv[1]))
jsonschema.validate(feed, json.load(open(os.environ["JSONFEED_SCHEMA"])))
print(json.dumps(feed))
"#;

#[tokio::test]
async fn the_site_feeds_parse_with_their_fields() {
    let app = TestApp::new().await;
    let reference = &app.fixture.reference;
    let rss = app.get("/rss.xml").await;
    assert_eq!(rss.status, StatusCode::OK);
    assert_eq!(
        rss.header("content-type"),
        "application/rss+xml; charset=utf-8"
    );
    // Never what is not public.
    for hidden in [
        &app.fixture.draft,
        &app.fixture.unpublished,
        &app.fixture.scheduled,
    ] {
        assert!(!rss.body.contains(&hidden.headline), "{}", hidden.headline);
    }
    let entry_id = format!("tag:127.0.0.1,2026:article:{}", reference.id);
    assert!(
        rss.body
            .contains(&format!("<guid isPermaLink=\"false\">{entry_id}</guid>"))
    );
    assert!(
        rss.body.contains("<content:encoded>&lt;p&gt;"),
        "HTML escaped in content:encoded"
    );
    if let Some(parsed) = python(FEEDPARSER, &rss.body) {
        let parsed: Value = serde_json::from_str(&parsed).unwrap();
        assert_eq!(parsed["version"], "rss20");
        let entry = parsed["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == entry_id.as_str())
            .unwrap();
        assert_eq!(entry["title"], reference.headline.as_str());
        assert_eq!(
            entry["link"],
            format!("http://127.0.0.1:8080{}", reference.canonical_path())
        );
        let published = reference.published_at.unwrap();
        use chrono::{Datelike, Timelike};
        assert_eq!(
            entry["published"],
            serde_json::json!([
                published.year(),
                published.month(),
                published.day(),
                published.hour(),
                published.minute(),
                published.second()
            ])
        );
        assert!(
            entry["content"]
                .as_str()
                .unwrap()
                .contains("<h2>Un sous-titre</h2>")
        );
        assert!(!entry["author"].as_str().unwrap().is_empty(), "dc:creator");
        assert_eq!(entry["media_credit"][0], "SAUL LOEB / AFP");
    }

    let atom = app.get("/atom.xml").await;
    assert_eq!(
        atom.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    if let Some(parsed) = python(FEEDPARSER, &atom.body) {
        let parsed: Value = serde_json::from_str(&parsed).unwrap();
        assert_eq!(parsed["version"], "atom10");
        assert!(
            parsed["entries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["id"] == entry_id.as_str() && e["title"] == reference.headline.as_str())
        );
    }

    let json = app.get("/feed.json").await;
    assert_eq!(
        json.header("content-type"),
        "application/feed+json; charset=utf-8"
    );
    let feed: Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == entry_id.as_str())
    );
    python(JSONFEED, &json.body);
}

#[tokio::test]
async fn sections_tags_and_contributors_have_feeds_announced_in_their_pages() {
    let app = TestApp::new().await;
    let reference = &app.fixture.reference;
    // A section's feed holds its subtree only.
    let monde = app.get("/monde/atom.xml").await;
    assert_eq!(monde.status, StatusCode::OK);
    assert!(
        monde
            .body
            .contains(&reference.headline.replace('\'', "&apos;"))
    );
    let sport = app.get("/sport/rss.xml").await;
    assert_eq!(sport.status, StatusCode::OK);
    assert!(
        !sport
            .body
            .contains(&reference.headline.replace('\'', "&apos;"))
    );
    assert_eq!(
        app.get("/nulle-part/rss.xml").await.status,
        StatusCode::NOT_FOUND
    );
    let tag = app.get("/tags/etats-unis/feed.json").await;
    assert_eq!(tag.status, StatusCode::OK);
    let feed: Value = serde_json::from_str(&tag.body).unwrap();
    assert!(
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == reference.headline.as_str())
    );
    let slug = reference.contributors[0].slug.as_str();
    assert_eq!(
        app.get(&format!("/auteurs/{slug}/rss.xml")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/tags/etats-unis/podcast.xml").await.status,
        StatusCode::NOT_FOUND
    );
    // Autodiscovery: the page's own feeds, then the site's.
    let page = app.get("/monde/").await.body;
    assert!(page.contains(r#"<link rel="alternate" type="application/rss+xml" title="Monde (RSS)" href="/monde/rss.xml">"#), "{page}");
    assert!(
        page.contains(r#"type="application/feed+json""#) && page.contains(r#"href="/rss.xml""#)
    );
}
