//! What the people running the site use: readiness, metrics, request ids, and the
//! signals that keep several nodes' memory in step.

use crate::app::{Options, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use kiosque_app::nodes::SignalFollower;
use kiosque_web::{AppState, PageCache, SharedSettings};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

#[tokio::test]
async fn readiness_waits_for_the_search_index() {
    let app = TestApp::new().await;
    let before = app.get("/readyz").await;
    assert_eq!(before.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        before.body.contains(r#""search_index":"building""#),
        "{}",
        before.body
    );
    assert!(
        before.body.contains(r#""pending_migrations":0"#),
        "{}",
        before.body
    );
    app.sync_search().await;
    let after = app.get("/readyz").await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
    assert!(after.body.contains(r#""status":"ready""#));
    assert_eq!(
        after.headers.get("cache-control").unwrap(),
        "no-store",
        "a proxy must not keep a readiness answer"
    );
}

async fn metrics_from(state: &AppState, peer: &str) -> (StatusCode, String) {
    metrics_with(state, peer, None).await
}

async fn metrics_with(
    state: &AppState,
    peer: &str,
    header: Option<(&str, &str)>,
) -> (StatusCode, String) {
    let mut builder = Request::get("/metrics");
    if let Some((name, value)) = header {
        builder = builder.header(name, value);
    }
    let mut request = builder.body(Body::empty()).unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo::<std::net::SocketAddr>(
            peer.parse().unwrap(),
        ));
    let response = kiosque_web::telemetry::local_metrics_router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn metrics_count_requests_and_read_the_queues() {
    kiosque_web::telemetry::install();
    let app = TestApp::with(Options {
        page_cache: PageCache::new(Duration::from_secs(60), 100),
        ..Options::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.get("/").await.status, StatusCode::OK);
    }
    assert_eq!(app.get("/recherche?q=x").await.status, StatusCode::OK);
    let (status, text) = metrics_from(&app.state, "127.0.0.1:5000").await;
    assert_eq!(status, StatusCode::OK);
    // The counters are process-wide (other tests add to them): at least ours.
    let count = |needle: &str| -> f64 {
        text.lines()
            .filter(|l| l.starts_with(needle))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    };
    assert!(
        count(r#"kiosque_http_requests_total{route="/recherche",method="GET",status="200"}"#)
            >= 1.0,
        "{text}"
    );
    assert!(
        count(r#"kiosque_page_cache_requests_total{result="hit"}"#) >= 2.0,
        "{text}"
    );
    assert!(count(r#"kiosque_page_cache_requests_total{result="miss"}"#) >= 1.0);
    assert!(text.contains(
        "kiosque_http_request_duration_seconds_bucket{route=\"/recherche\",le=\"0.005\"}"
    ));
    for gauge in [
        "kiosque_jobs_due ",
        "kiosque_jobs_lag_seconds ",
        "kiosque_comments_pending_moderation ",
        "kiosque_db_connections{state=\"open\"} ",
    ] {
        assert!(text.contains(gauge), "{gauge} missing:\n{text}");
    }
    // Not for the world on the main address.
    let (status, _) = metrics_from(&app.state, "203.0.113.9:5000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nor for the world through a proxy on the same machine (it connects from
    // loopback, and says it forwarded the request).
    for header in [
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9"),
        ("via", "1.1 varnish"),
        ("x-real-ip", "203.0.113.9"),
    ] {
        let (status, _) = metrics_with(&app.state, "127.0.0.1:5000", Some(header)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{header:?}");
    }
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = TestApp::new().await;
    let first = app.get("/").await;
    let second = app.get("/").await;
    let id = |r: &crate::app::TestResponse| {
        r.headers
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_ne!(id(&first), id(&second));
    let answered_with = |given: &'static str| {
        let request = Request::get("/")
            .header("x-request-id", given)
            .body(Body::empty())
            .unwrap();
        app.request(request)
    };
    assert_eq!(
        id(&answered_with("lb-4f2a.77").await),
        "lb-4f2a.77",
        "a proxy's id is kept"
    );
    assert_ne!(id(&answered_with("a b<script>").await), "a b<script>");
}

/// Two nodes on one database: a change made through the first empties the second's
/// page cache and brings it the saved settings, through the signals table.
#[tokio::test]
async fn a_change_on_one_node_reaches_the_other() {
    let app = TestApp::new().await;
    let caches =
        kiosque_web::WebCaches::new(Arc::new(PageCache::new(Duration::from_secs(60), 100)));
    let node_b = AppState::new(kiosque_web::AppContext {
        app: kiosque_app::App::new(kiosque_app::AppCore {
            site: SharedSettings::new(app.state.site().as_ref().clone()),
            own_signals: Arc::default(),
            caches: caches.clone(),
            ..app.state.app.core().clone()
        }),
        caches,
        read_replica: None,
        ..(*app.state).clone()
    });
    let mut follower = SignalFollower::start(&node_b.app).await.unwrap();
    let mut follower_a = SignalFollower::start(&app.state.app).await.unwrap();
    let router_b = kiosque_web::router(node_b.clone());
    let home = router_b
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert_eq!(
        node_b.caches.page_cache.len(),
        1,
        "node B keeps its home page"
    );
    assert_eq!(
        follower.step(&node_b.app).await.unwrap(),
        0,
        "nothing happened yet"
    );

    // Node A: an admin renames the site (saved, then announced).
    let mut renamed = app.state.site().as_ref().clone();
    renamed.name = "Kiosque Régions".into();
    app.stores
        .meta
        .set_meta(
            kiosque_web::admin::SETTINGS_KEY,
            &serde_json::to_string(&renamed).unwrap(),
        )
        .await
        .unwrap();
    app.state.public_changed();
    let mut seen = 0;
    for _ in 0..100 {
        seen = follower.step(&node_b.app).await.unwrap();
        if seen > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 1, "node B sees the signal once");
    assert_eq!(node_b.caches.page_cache.len(), 0, "and forgets its pages");
    assert_eq!(node_b.site().name, "Kiosque Régions");
    assert_eq!(follower.step(&node_b.app).await.unwrap(), 0, "not twice");
    // Node A forgot its copies when it made the change; reading its own signal back
    // (recorded once the write returned) changes nothing there.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        follower_a.step(&app.state.app).await.unwrap(),
        0,
        "A's own signal"
    );
}

/// Each public page is filed under the keys of what it shows, and a change to an
/// article reaches the keys of every page listing it.
#[tokio::test]
async fn pages_carry_surrogate_keys_for_purges() {
    use kiosque_domain::surrogate;
    let app = TestApp::new().await;
    let article = &app.fixture.reference;
    let keys = |path: String| {
        let app = &app;
        async move {
            let page = app.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            page.headers
                .get("surrogate-key")
                .unwrap_or_else(|| panic!("no Surrogate-Key on {path}"))
                .to_str()
                .unwrap()
                .split(' ')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    let on_article = keys(article.canonical_path()).await;
    assert_eq!(
        on_article,
        ["site".to_owned(), surrogate::article(article.id)]
    );
    assert_eq!(keys("/".into()).await, ["site", "home"]);
    let section = format!("/{}/", article.section.path);
    assert_eq!(
        keys(section).await,
        ["site".to_owned(), surrogate::section(&article.section.path)]
    );
    let tag = &article.tags[0];
    assert_eq!(
        keys(format!("/tags/{}/", tag.slug.as_str())).await,
        ["site".to_owned(), surrogate::tag(tag.id)]
    );
    assert_eq!(keys("/rss.xml".into()).await, ["site", "feeds"]);
    assert_eq!(keys("/sitemap.xml".into()).await, ["site", "sitemaps"]);

    // What a change to this article purges covers each of those pages but the home's
    // siblings: another tag's page is not in it.
    let change = surrogate::article_change(article);
    for key in on_article.iter().skip(1).chain([
        &"home".to_owned(),
        &"feeds".to_owned(),
        &"sitemaps".to_owned(),
        &surrogate::section(&article.section.path),
        &surrogate::tag(tag.id),
    ]) {
        assert!(change.contains(key), "{key} missing from {change:?}");
    }
    // And nothing more: no other tag, section or page, and never `site` (everything).
    assert_eq!(article.section.path, "monde/europe");
    assert_eq!(article.tags.len(), 2);
    let mut expected: Vec<String> = [
        "home",
        "feeds",
        "sitemaps",
        "archives",
        "search",
        "section:monde",
        "section:monde/europe",
    ]
    .map(str::to_owned)
    .into_iter()
    .chain([surrogate::article(article.id)])
    .chain(article.tags.iter().map(|t| surrogate::tag(t.id)))
    .chain(
        article
            .contributors
            .iter()
            .map(|c| surrogate::contributor(c.id)),
    )
    .collect();
    expected.sort();
    let mut sorted = change.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    assert!(!change.contains(&"site".to_owned()), "never everything");
}

/// With a read replica, a request is routed once, by the primary's router or the
/// replica's: pages with path parameters (a tag, a thread, a picture) answer as
/// without one, on both sides. (The replica here is the same database.)
#[tokio::test]
async fn pages_answer_the_same_through_the_replica_router() {
    let app = TestApp::new().await;
    let router = kiosque_web::router_with_replica(app.state.clone(), Some(app.state.clone()));
    let reference = app.fixture.reference.clone();
    let page = app.get(&reference.canonical_path()).await.body;
    let picture = page
        .split("src=\"/media/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|key| format!("/media/{key}"))
        .expect("a picture on the reference article");
    let tag = format!("/tags/{}/", reference.tags[0].slug);
    let thread = format!("/commentaires/{}", reference.id.0);
    for (path, cookie) in [
        ("/", None),
        (reference.canonical_path().as_str(), None),
        (tag.as_str(), None),
        (thread.as_str(), None),
        (picture.as_str(), None),
        ("/sitemap.xml", None),
        (tag.as_str(), Some("kq_reader=x")),
        (thread.as_str(), Some("kq_session=x")),
    ] {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path} ({cookie:?})");
    }
}
