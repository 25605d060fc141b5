//! What every page shares: security headers, assets, media, the accounts placeholder,
//! themes.

use crate::app::{Options, TestApp};
use axum::http::StatusCode;

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/monde/",
        "/absent/",
        &app.fixture.reference.canonical_path(),
        "/static/site.css",
    ] {
        let response = app.get(path).await;
        let csp = response.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            response.header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(
            response.header("strict-transport-security"),
            "",
            "http site: {path}"
        );
    }
}

/// A site whose public address is https tells browsers to keep to https.
#[tokio::test]
async fn an_https_site_sends_strict_transport_security() {
    let mut options = Options::default();
    options.site.base_url = "https://gazette.example.org".into();
    let app = TestApp::with(options).await;
    for path in ["/", "/absent/", "/static/site.css"] {
        let hsts = app
            .get(path)
            .await
            .header("strict-transport-security")
            .to_owned();
        assert!(hsts.starts_with("max-age=31536000"), "{path}: {hsts:?}");
    }
}

#[tokio::test]
async fn pages_load_nothing_from_elsewhere_and_run_no_inline_script() {
    let app = TestApp::new().await;
    let html = app.get(&app.fixture.reference.canonical_path()).await.body;
    for attr in [
        "src=\"http",
        "href=\"//",
        "src=\"//",
        "<link rel=\"stylesheet\" href=\"http",
    ] {
        assert!(!html.contains(attr), "{attr}");
    }
    let scripts = html.matches("<script").count();
    let data_blocks = html
        .matches(r#"<script type="application/ld+json">"#)
        .count();
    assert_eq!(
        scripts,
        data_blocks + 1,
        "JSON-LD data blocks, and the comments script from this site"
    );
    assert!(html.contains(r#"<script src="/static/comments.js?v="#));
    assert!(html.contains(r##"<a class="skip-link" href="#contenu">"##));
    assert!(html.contains(r#"<main id="contenu""#));
}

#[tokio::test]
async fn assets_and_media_are_served_with_long_caching() {
    let app = TestApp::new().await;
    let home = app.get("/").await.body;
    let css_href = home
        .split(r#"<link rel="stylesheet" href=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let css = app.get(css_href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
    assert!(css.header("cache-control").contains("immutable"));
    assert!(css.body.contains(".article__title"));

    let lead = app.fixture.reference.lead_image.as_ref().unwrap();
    let image = app.get(&lead.media.url()).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.header("content-type"), "image/png");
    assert_eq!(
        app.get("/media/2026/absent.jpg").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/media/../kiosque.db").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_login_page_offers_a_password_and_an_emailed_link() {
    let app = TestApp::new().await;
    let page = app
        .get("/compte/connexion?retour=/commentaires/3%23commentaires")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(
        page.body
            .contains(r#"<form method="post" action="/compte/connexion""#)
    );
    assert!(
        page.body
            .contains(r#"<form method="post" action="/compte/lien""#)
    );
    assert!(
        page.body
            .contains(r#"name="retour" value="/commentaires/3#commentaires""#)
    );
    let foreign = app.get("/compte/connexion?retour=//evil.test/").await;
    assert!(
        foreign.body.contains(r#"name="retour" value="/""#),
        "no return to another site"
    );
}

#[tokio::test]
async fn health_reports_the_backend() {
    let app = TestApp::new().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body, r#"{"status":"ok","database":"sqlite"}"#);
}

#[tokio::test]
async fn an_english_site_has_an_english_interface() {
    let site = kiosque_domain::SiteSettings {
        locale: kiosque_domain::Locale::En,
        name: "The Kiosk".into(),
        ..Default::default()
    };
    let app = TestApp::with(Options {
        site,
        ..Options::default()
    })
    .await;
    let html = app.get(&app.fixture.reference.canonical_path()).await.body;
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains(r#"<a href="/">Home</a>"#));
    // The interface is English; the French article's own parts stay in French.
    assert!(html.contains("Lire les commentaires et participer à la conversation"));
    let thread = app
        .get(&format!("/commentaires/{}", app.fixture.recent.id.0))
        .await
        .body;
    assert!(thread.contains("Log in to your The Kiosk account to join the conversation."));
    assert!(thread.contains("Comments (0)"));
    // The article itself is French: its own strings stay French.
    assert!(html.contains("Article rédigé par"));
    let missing = app.get("/nowhere/").await;
    assert!(missing.body.contains("<h1>Page not found</h1>"));
}

#[tokio::test]
async fn a_theme_folder_overrides_built_in_templates() {
    let theme = tempfile::tempdir().unwrap();
    std::fs::write(
        theme.path().join("message.html"),
        "<!DOCTYPE html><title>x</title><p>Thème maison : {{ heading }}</p>",
    )
    .unwrap();
    let app = TestApp::with(Options {
        theme: Some(theme.path().to_path_buf()),
        ..Options::default()
    })
    .await;
    let page = app.get("/absent/").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        page.body,
        "<!DOCTYPE html><title>x</title><p>Thème maison : Page introuvable</p>"
    );
    assert!(
        app.get("/").await.body.contains("<h2 id=\"latest-title\""),
        "other templates stay built-in"
    );
}

#[tokio::test]
async fn other_methods_are_refused() {
    let app = TestApp::new().await;
    let request = axum::http::Request::post("/monde/")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        app.request(request).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn the_page_cache_serves_repeat_requests_until_purged() {
    let cache = kiosque_web::PageCache::new(std::time::Duration::from_secs(60), 100);
    let app = TestApp::with(Options {
        page_cache: cache,
        ..Options::default()
    })
    .await;
    let path = app.fixture.reference.canonical_path();
    let first = app.get(&path).await;
    assert_eq!(first.header("x-cache"), "miss");
    let second = app.get(&path).await;
    assert_eq!(second.header("x-cache"), "hit");
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(
        second.header("cache-control"),
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300",
        "CDNs keep it, browsers ask again"
    );
    assert!(
        second
            .header("content-security-policy")
            .contains("frame-ancestors"),
        "headers still apply to hits"
    );

    // Anonymous only: a request with a cookie is always rendered.
    let with_cookie = axum::http::Request::get(&path)
        .header("cookie", "session=x")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.request(with_cookie).await.header("x-cache"), "");
    // Error pages and media are not kept.
    app.get("/absent/").await;
    assert_eq!(app.get("/absent/").await.header("x-cache"), "");

    app.page_cache.purge_all();
    assert_eq!(app.get(&path).await.header("x-cache"), "miss");
}

#[tokio::test]
async fn cached_pages_are_served_compressed_once_per_coding() {
    use std::io::Read;
    let cache = kiosque_web::PageCache::new(std::time::Duration::from_secs(60), 100);
    let app = TestApp::with(Options {
        page_cache: cache,
        ..Options::default()
    })
    .await;
    let path = app.fixture.reference.canonical_path();
    let plain = app.get(&path).await;
    assert_eq!(plain.header("content-encoding"), "");
    assert_eq!(plain.header("vary"), "accept-encoding");
    let asking = |coding: &'static str| {
        axum::http::Request::get(&path)
            .header("accept-encoding", coding)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let br = app.request(asking("gzip, deflate, br")).await;
    assert_eq!(br.header("x-cache"), "hit");
    assert_eq!(br.header("content-encoding"), "br");
    assert!(
        br.bytes.len() * 3 < plain.bytes.len(),
        "{} vs {}",
        br.bytes.len(),
        plain.bytes.len()
    );
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(&br.bytes[..], 4096)
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, plain.bytes);

    let gz = app.request(asking("gzip")).await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes[..])
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, plain.bytes);

    let refused = app.request(asking("br;q=0, gzip;q=0")).await;
    assert_eq!(refused.header("content-encoding"), "");
    assert_eq!(refused.bytes, plain.bytes);
    // Small answers stay plain.
    let robots = app.request(
        axum::http::Request::get("/robots.txt")
            .header("accept-encoding", "br")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    assert_eq!(robots.await.header("content-encoding"), "");
}

/// Every route answers with or without its trailing slash: a 308 to the form it
/// has; an address with neither is still the site's 404.
#[tokio::test]
async fn routes_answer_with_or_without_the_trailing_slash() {
    let app = TestApp::new().await;
    for (asked, canonical) in [
        ("/admin/", "/admin"),
        ("/compte/", "/compte"),
        ("/compte/connexion/", "/compte/connexion"),
        ("/recherche/?q=climat", "/recherche?q=climat"),
        ("/tags/diplomatie", "/tags/diplomatie/"),
    ] {
        let response = app.get(asked).await;
        assert_eq!(response.status, StatusCode::PERMANENT_REDIRECT, "{asked}");
        assert_eq!(response.header("location"), canonical, "{asked}");
    }
    assert_eq!(app.get("/nulle-part/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/nulle-part").await.status, StatusCode::NOT_FOUND);
    let absent = app.get("/admin/nulle-part/").await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
}

/// Public pages, feeds and sitemaps carry a strong ETag and Last-Modified; a client
/// holding the same copy gets a 304 from the page cache, without a render.
#[tokio::test]
async fn conditional_requests_are_answered_from_the_page_cache() {
    let app = TestApp::with(Options {
        page_cache: kiosque_web::PageCache::new(std::time::Duration::from_secs(60), 100),
        ..Options::default()
    })
    .await;
    let article = app.fixture.reference.canonical_path();
    for path in ["/", article.as_str(), "/rss.xml", "/sitemap.xml", "/monde/"] {
        let first = app.get(path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let etag = first.header("etag").to_owned();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"),
            "{path}: {etag:?}"
        );
        let modified = first.header("last-modified").to_owned();
        assert!(modified.ends_with(" GMT"), "{path}: {modified:?}");
        let ask = |name: &'static str, value: String| {
            let request = axum::http::Request::get(path)
                .header(name, value)
                .body(axum::body::Body::empty())
                .unwrap();
            app.request(request)
        };
        let again = ask("if-none-match", etag.clone()).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("x-cache"), "hit", "{path}: no render");
        assert_eq!(again.header("etag"), etag);
        let other = ask("if-none-match", "\"autre\"".to_owned()).await;
        assert_eq!(other.status, StatusCode::OK, "{path}");
        let since = ask("if-modified-since", modified.clone()).await;
        assert_eq!(since.status, StatusCode::NOT_MODIFIED, "{path}");
        let older = ask(
            "if-modified-since",
            "Mon, 01 Jan 2001 00:00:00 GMT".to_owned(),
        )
        .await;
        assert_eq!(older.status, StatusCode::OK, "{path}");
    }
}
