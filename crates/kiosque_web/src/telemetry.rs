//! Operations endpoints and metrics: `/healthz` (the process answers), `/readyz` (it
//! can serve: database reachable, schema current, search index built) and Prometheus
//! `/metrics`.
//!
//! Counters and histograms are recorded where things happen (requests here, the page
//! cache in `cache.rs`, wire intake in `wire/`) through the `metrics` facade; gauges
//! that live in the database (job queue, moderation queue) are read at scrape time.
//! `/metrics` answers on the main address only to loopback clients whose request
//! did not come through a proxy (no `X-Forwarded-For`, `Forwarded`, `Via` or
//! `X-Real-IP`: a proxy on the same machine also connects from loopback); `serve
//! --metrics-listen` gives it an address of its own (an admin network) instead.

use crate::state::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

/// Request latency buckets, in seconds: from a cached page to a slow search.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The process-wide recorder, installed on first use.
fn recorder() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new().set_buckets_for_metric(
                Matcher::Full("kiosque_http_request_duration_seconds".into()),
                LATENCY_BUCKETS,
            );
            match builder.and_then(PrometheusBuilder::install_recorder) {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics are off");
                    None
                }
            }
        })
        .as_ref()
}

/// Installs the recorder (idempotent): call before serving.
pub fn install() {
    let _ = recorder();
}

/// The route a response came from, set by [`label_route`] for matched routes.
#[derive(Debug, Clone)]
struct RouteLabel(String);

/// Inner layer (matched routes only): remembers the route's pattern on the response.
pub async fn label_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

/// This request's id: the `X-Request-Id` a proxy in front gave (when it looks like
/// one), or a new one. Every log line written while the request runs carries it, and
/// the response returns it.
fn request_id(request: &Request) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static NODE: OnceLock<String> = OnceLock::new();
    if let Some(given) = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        })
    {
        return given.to_owned();
    }
    let node = NODE.get_or_init(|| kiosque_domain::secret::random_token()[..8].to_owned());
    format!("{node}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The request's id, put in the request by [`track`] for [`request_span`].
#[derive(Debug, Clone)]
struct RequestId(String);

/// Outer layer: gives the request its id (returned in `X-Request-Id`), counts it by
/// route, method and status, and times it.
pub async fn track(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let id = request_id(&request);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    let route = match response.extensions().get::<RouteLabel>() {
        Some(RouteLabel(route)) => route.clone(),
        // Answered by the page cache, or by the article and section dispatcher.
        None if response
            .headers()
            .get("x-cache")
            .is_some_and(|v| v == "hit") =>
        {
            "(page cache)".to_owned()
        }
        None => "(articles and sections)".to_owned(),
    };
    let status = response.status().as_u16().to_string();
    metrics::counter!("kiosque_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    let elapsed = started.elapsed();
    metrics::histogram!("kiosque_http_request_duration_seconds", "route" => route)
        .record(elapsed.as_secs_f64());
    tracing::debug!(
        id = %id,
        status = response.status().as_u16(),
        ms = elapsed.as_secs_f64() * 1000.0,
        "answered"
    );
    response
}

/// Inner layer, inside the page cache (a page it answers writes no log line): runs
/// the request in a span carrying its id, method and path, so that every line logged
/// while it runs names the request. Formatting those fields costs a cached page 15%
/// of its throughput, which is why hits skip it.
pub async fn request_span(request: Request, next: Next) -> Response {
    use tracing::Instrument;
    let id = request
        .extensions()
        .get::<RequestId>()
        .map_or("", |RequestId(id)| id.as_str());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path()
    );
    next.run(request).instrument(span).await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
}

/// `/metrics` for the main address, answering loopback clients only (a Prometheus
/// agent on the same machine); merged by `serve` when no `--metrics-listen` is given.
pub fn local_metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(local_metrics))
        .with_state(state)
}

/// Alive: the process answers and reaches its database.
async fn health(State(state): State<AppState>) -> Response {
    let (status, word) = match state.stores.meta.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
    };
    // Written by hand to keep the keys in this order (load balancers match on it).
    let body = format!(
        r#"{{"status":"{word}","database":"{}"}}"#,
        state.stores.backend
    );
    json_text(status, body)
}

/// Ready for traffic: database (and read replica) reachable, every migration applied,
/// search index built. A load balancer takes a node out of rotation while this
/// answers 503.
async fn ready(State(state): State<AppState>) -> Response {
    let database = state.stores.meta.ping().await;
    let replica = match &state.read_replica {
        Some(replica) => Some(replica.ping().await.is_ok()),
        None => None,
    };
    let migrations = match &database {
        Ok(()) => state.stores.meta.pending_migrations().await.ok(),
        Err(_) => None,
    };
    let index = state.search.cursor().ok().flatten().is_some();
    let ready = database.is_ok() && migrations == Some(0) && index && replica != Some(false);
    json(
        if ready {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        serde_json::json!({
            "status": if ready { "ready" } else { "not ready" },
            "database": if database.is_ok() { "ok" } else { "unreachable" },
            "pending_migrations": migrations,
            "search_index": if index { "ok" } else { "building" },
            "read_replica": replica.map(|ok| if ok { "ok" } else { "unreachable" }),
        }),
    )
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    json_text(status, body.to_string())
}

fn json_text(status: StatusCode, body: String) -> Response {
    uncached(status, "application/json", body)
}

/// An answer no proxy may keep.
fn uncached(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether a request came through a proxy: a reverse proxy on the same machine
/// connects from loopback too, so the peer alone does not say the client is local.
/// Every proxy Kiosque documents (nginx, Varnish, a CDN) adds one of these.
fn came_through_a_proxy(headers: &axum::http::HeaderMap) -> bool {
    [
        "x-forwarded-for",
        "forwarded",
        "via",
        "x-real-ip",
        "x-forwarded-host",
    ]
    .iter()
    .any(|name| headers.contains_key(*name))
}

/// `/metrics` on the main address: loopback clients that did not come through a
/// proxy only (a Prometheus agent on the same machine). Anything else is told the
/// page does not exist.
async fn local_metrics(State(state): State<AppState>, request: Request) -> Response {
    let local = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| peer.ip().is_loopback());
    if !local || came_through_a_proxy(request.headers()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    metrics_page(&state).await
}

/// `/metrics` on its own address (`--metrics-listen`): anyone who reaches it.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(state): State<AppState>| async move { metrics_page(&state).await }),
        )
        .with_state(state)
}

/// The Prometheus text exposition, with the database-held gauges read now.
async fn metrics_page(state: &AppState) -> Response {
    let Some(handle) = recorder() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let now = state.now();
    if let Ok((due, oldest)) = state.stores.jobs.queue_stats(now).await {
        metrics::gauge!("kiosque_jobs_due").set(due as f64);
        let lag = oldest.map_or(0.0, |at| {
            (now - at).num_milliseconds().max(0) as f64 / 1000.0
        });
        metrics::gauge!("kiosque_jobs_lag_seconds").set(lag);
    }
    if let Ok(pending) = state.stores.comments.pending_count().await {
        metrics::gauge!("kiosque_comments_pending_moderation").set(pending as f64);
    }
    let (open, idle) = state.stores.meta.pool_usage();
    metrics::gauge!("kiosque_db_connections", "state" => "open").set(f64::from(open));
    metrics::gauge!("kiosque_db_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("kiosque_page_cache_pages").set(state.caches.page_cache.len() as f64);
    handle.run_upkeep();
    uncached(
        StatusCode::OK,
        "text/plain; version=0.0.4; charset=utf-8",
        handle.render(),
    )
}
