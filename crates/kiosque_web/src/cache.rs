//! A micro-cache of rendered pages, in memory, for a few seconds.
//!
//! A news site's traffic goes to a handful of pages at a time; rendering each of them
//! once every few seconds instead of on every request is what lets one small machine
//! absorb a spike. Only anonymous `GET`s of responses marked `Cache-Control: public`
//! are kept (never media or static files, which have their own caching), each for at
//! most `ttl`; writes from the newsroom call [`PageCache::purge_all`], so staleness is
//! bounded by the TTL only across several instances.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Pages larger than this are not kept.
const MAX_BODY: usize = 2 * 1024 * 1024;

#[derive(Clone)]
struct Entry {
    stored: Instant,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Debug)]
pub struct PageCache {
    ttl: Duration,
    capacity: usize,
    entries: RwLock<HashMap<String, Entry>>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("status", &self.status)
            .field("bytes", &self.body.len())
            .finish()
    }
}

impl PageCache {
    /// A cache keeping pages for `ttl` (zero disables it), at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity,
            entries: RwLock::new(HashMap::new()),
        }
    }

    pub fn disabled() -> Self {
        Self::new(Duration::ZERO, 0)
    }

    pub fn is_enabled(&self) -> bool {
        !self.ttl.is_zero() && self.capacity > 0
    }

    /// Forgets every page: call after any write that readers can see.
    pub fn purge_all(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    fn get(&self, key: &str) -> Option<Entry> {
        let entries = self.entries.read().ok()?;
        entries
            .get(key)
            .filter(|e| e.stored.elapsed() < self.ttl)
            .cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries.len() >= self.capacity {
            entries.retain(|_, e| e.stored.elapsed() < self.ttl);
            if entries.len() >= self.capacity {
                // Still full of fresh pages: start over rather than track recency.
                entries.clear();
            }
        }
        entries.insert(key, entry);
    }
}

fn is_anonymous_page_request(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && !request.headers().contains_key(header::COOKIE)
        && !request.headers().contains_key(header::AUTHORIZATION)
        && !path.starts_with("/media/")
        && !path.starts_with("/static/")
        && !path.starts_with("/healthz")
}

fn is_public(response: &Response) -> bool {
    response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim() == "public"))
        && !response.headers().contains_key(header::SET_COOKIE)
}

fn respond(entry: Entry, hit: bool) -> Response {
    let mut response = Response::new(Body::from(entry.body));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers;
    response.headers_mut().insert(
        "x-cache",
        HeaderValue::from_static(if hit { "hit" } else { "miss" }),
    );
    response
}

/// The middleware: answers from the cache, or renders and keeps the page.
pub async fn serve_cached(
    State(cache): State<Arc<PageCache>>,
    request: Request,
    next: Next,
) -> Response {
    if !cache.is_enabled() || !is_anonymous_page_request(&request) {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    if let Some(entry) = cache.get(&key) {
        return respond(entry, true);
    }
    let response = next.run(request).await;
    let small_enough = axum::body::HttpBody::size_hint(response.body())
        .upper()
        .is_some_and(|n| n <= MAX_BODY as u64);
    if !is_public(&response) || !small_enough {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_BODY).await {
        Ok(body) => {
            let entry = Entry {
                stored: Instant::now(),
                status: parts.status,
                headers: parts.headers,
                body,
            };
            cache.put(key, entry.clone());
            respond(entry, false)
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot read a page body");
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}
