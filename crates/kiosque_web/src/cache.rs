//! A micro-cache of rendered pages, in memory, for a few seconds.
//!
//! A news site's traffic goes to a handful of pages at a time; rendering each of them
//! once every few seconds instead of on every request is what lets one small machine
//! absorb a spike. Only anonymous `GET`s of responses marked `Cache-Control: public`
//! are kept (never media or static files, which have their own caching), each for at
//! most `ttl`; writes from the newsroom call [`PageCache::purge_all`], so staleness is
//! bounded by the TTL only across several instances.
//!
//! Each page is compressed once when it is kept, with brotli and gzip, and every hit
//! is answered with the best variant the client accepts: compressing per request
//! would cost more than rendering.
//!
//! Concurrent misses of one page are merged: the first request renders it, the others
//! wait for that answer instead of rendering the same page sixty times at the moment
//! its copy expires (or after a purge, when a story breaks). While a page whose copy
//! merely expired is being rendered again, the others get that copy, at most one TTL
//! older; a purged page is never served again.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Pages larger than this are not kept.
const MAX_BODY: usize = 2 * 1024 * 1024;
/// Smaller bodies are not worth compressing.
const MIN_COMPRESS: usize = 1024;
/// Brotli quality: 5 compresses a 60 KB page in about a millisecond, within a few
/// percent of the best ratio for HTML.
const BROTLI_QUALITY: u32 = 5;

#[derive(Clone)]
struct Entry {
    stored: Instant,
    /// The body's fingerprint: the strong entity tag, one per content coding.
    tag: String,
    /// When the page was rendered (HTTP date), unless the handler said otherwise.
    last_modified: HeaderValue,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
}

/// The content codings Kiosque serves, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Brotli,
    Gzip,
    Identity,
}

/// What `Accept-Encoding` allows, preferring brotli, then gzip (`q=0` refuses).
fn preferred_coding(headers: &HeaderMap) -> Coding {
    let mut brotli = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            if name.eq_ignore_ascii_case("br") {
                brotli = true;
            } else if name.eq_ignore_ascii_case("gzip") || name == "*" {
                gzip = true;
            }
        }
    }
    if brotli {
        Coding::Brotli
    } else if gzip {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::default(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

fn brotli(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    let mut out = Vec::with_capacity(body.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 16 * 1024, BROTLI_QUALITY, 22);
        writer.write_all(body).ok()?;
    }
    Some(Bytes::from(out))
}

/// Whether a response is text worth compressing.
fn compressible(headers: &HeaderMap) -> bool {
    !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| {
                t.starts_with("text/")
                    || t.starts_with("application/json")
                    || t.starts_with("application/feed+json")
                    || t.contains("xml")
            })
}

#[derive(Debug)]
pub struct PageCache {
    ttl: Duration,
    capacity: usize,
    entries: RwLock<HashMap<String, Entry>>,
    /// Pages being rendered: the renderer holds the write half until its answer is
    /// kept (or found not cacheable), the others wait on the read half.
    rendering: Mutex<HashMap<String, Arc<tokio::sync::RwLock<()>>>>,
    /// Counts purges: a page rendered before one is not kept after it.
    purges: AtomicU64,
}

/// How long a request waits for another one rendering the same page before it
/// renders the page itself.
const WAIT_FOR_RENDER: Duration = Duration::from_secs(5);

/// Where a request stands on a page the cache cannot answer fresh.
enum Miss {
    /// This request renders the page; dropping the guard lets the others go.
    Render(RenderGuard),
    /// Another request is rendering it: wait on this lock.
    Wait(Arc<tokio::sync::RwLock<()>>),
}

/// Held by the request rendering a page; on drop (done, or the client went away)
/// the page leaves the table of pages being rendered.
struct RenderGuard {
    cache: Arc<PageCache>,
    key: String,
    _lock: tokio::sync::OwnedRwLockWriteGuard<()>,
}

impl Drop for RenderGuard {
    fn drop(&mut self) {
        if let Ok(mut rendering) = self.cache.rendering.lock() {
            rendering.remove(&self.key);
        }
    }
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
            rendering: Mutex::new(HashMap::new()),
            purges: AtomicU64::new(0),
        }
    }

    pub fn disabled() -> Self {
        Self::new(Duration::ZERO, 0)
    }

    /// Pages kept now (fresh or being renewed).
    pub fn len(&self) -> usize {
        self.entries.read().map_or(0, |entries| entries.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_enabled(&self) -> bool {
        !self.ttl.is_zero() && self.capacity > 0
    }

    /// Forgets every page: call after any write that readers can see.
    pub fn purge_all(&self) {
        if let Ok(mut entries) = self.entries.write() {
            self.purges.fetch_add(1, Ordering::SeqCst);
            entries.clear();
        }
    }

    #[cfg(test)]
    fn expire_all(&self) {
        if let Ok(mut entries) = self.entries.write() {
            for entry in entries.values_mut() {
                entry.stored -= self.ttl;
            }
        }
    }

    /// The kept copy of a page and whether it is still fresh; an expired copy is
    /// returned for at most another TTL (served only while the page is re-rendered).
    fn get(&self, key: &str) -> Option<(Entry, bool)> {
        let entries = self.entries.read().ok()?;
        let entry = entries.get(key)?;
        let age = entry.stored.elapsed();
        (age < self.ttl * 2).then(|| (entry.clone(), age < self.ttl))
    }

    /// Registers this request as the page's renderer, unless another one is.
    async fn miss(self: &Arc<Self>, key: &str) -> Miss {
        let lock = Arc::new(tokio::sync::RwLock::new(()));
        // A new lock: taken at once.
        let guard = lock.clone().write_owned().await;
        if let Ok(mut rendering) = self.rendering.lock() {
            if let Some(other) = rendering.get(key) {
                return Miss::Wait(other.clone());
            }
            rendering.insert(key.to_owned(), lock);
        }
        Miss::Render(RenderGuard {
            cache: self.clone(),
            key: key.to_owned(),
            _lock: guard,
        })
    }

    /// Keeps a page rendered when `purges` purges had happened, unless another
    /// purge came since (the page may show what that purge was for).
    fn put(&self, key: String, entry: Entry, purges: u64) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if self.purges.load(Ordering::SeqCst) != purges {
            return;
        }
        if entries.len() >= self.capacity {
            entries.retain(|_, e| e.stored.elapsed() < self.ttl * 2);
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

/// An HTTP date (RFC 9110, IMF-fixdate).
fn http_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// What a conditional request holds: `If-None-Match` and `If-Modified-Since`.
#[derive(Debug, Default)]
struct Conditions {
    none_match: Option<String>,
    modified_since: Option<String>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Self {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            none_match: text(header::IF_NONE_MATCH),
            modified_since: text(header::IF_MODIFIED_SINCE),
        }
    }

    /// Whether the client's copy, tagged `etag` or dated `last_modified`, is current
    /// (RFC 9110 § 13.1.2–3: `If-None-Match` wins over `If-Modified-Since`).
    fn fresh(&self, etag: &str, last_modified: &HeaderValue) -> bool {
        if let Some(tags) = &self.none_match {
            let weak = |t: &str| t.trim().trim_start_matches("W/").to_owned();
            return tags.trim() == "*" || tags.split(',').any(|t| weak(t) == weak(etag));
        }
        let parse = |v: &str| chrono::DateTime::parse_from_rfc2822(v).ok();
        match (
            self.modified_since.as_deref().and_then(parse),
            last_modified.to_str().ok().and_then(parse),
        ) {
            (Some(since), Some(modified)) => modified <= since,
            _ => false,
        }
    }
}

/// The kept page, or `304 Not Modified` (no body, its validators and caching
/// headers) when the client's copy is current.
fn respond_if(entry: Entry, hit: bool, coding: Coding, conditions: &Conditions) -> Response {
    let (body, encoding) = match coding {
        Coding::Brotli if entry.brotli.is_some() => (entry.brotli, Some("br")),
        Coding::Brotli | Coding::Gzip if entry.gzip.is_some() => (entry.gzip, Some("gzip")),
        _ => (Some(entry.body), None),
    };
    // A strong tag names one representation: each coding has its own.
    let etag = match encoding {
        Some("br") => format!("\"{}-br\"", entry.tag),
        Some(_) => format!("\"{}-gz\"", entry.tag),
        None => format!("\"{}\"", entry.tag),
    };
    let not_modified =
        entry.status == StatusCode::OK && conditions.fresh(&etag, &entry.last_modified);
    let mut response = if not_modified {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(body.unwrap_or_default()))
    };
    *response.status_mut() = if not_modified {
        StatusCode::NOT_MODIFIED
    } else {
        entry.status
    };
    *response.headers_mut() = entry.headers;
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_LENGTH);
    if entry.status == StatusCode::OK {
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, etag);
        }
        headers.insert(header::LAST_MODIFIED, entry.last_modified);
    }
    if not_modified {
        headers.remove(header::CONTENT_TYPE);
    } else if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    headers.insert(
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
    let coding = preferred_coding(request.headers());
    let conditions = Conditions::of(request.headers());
    let stale = match cache.get(&key) {
        Some((entry, true)) => return hit(entry, coding, &conditions),
        stale => stale.map(|(entry, _)| entry),
    };
    let _rendering = match cache.miss(&key).await {
        Miss::Render(guard) => guard,
        Miss::Wait(lock) => {
            if let Some(entry) = stale {
                return hit(entry, coding, &conditions);
            }
            // The renderer's answer, once it is kept; if it was not cacheable (or
            // took too long), this request renders the page itself.
            let _ = tokio::time::timeout(WAIT_FOR_RENDER, lock.read()).await;
            if let Some((entry, true)) = cache.get(&key) {
                return hit(entry, coding, &conditions);
            }
            let purges = cache.purges.load(Ordering::SeqCst);
            let response = next.run(request).await;
            return keep(&cache, key, coding, purges, response, &conditions).await;
        }
    };
    let purges = cache.purges.load(Ordering::SeqCst);
    let response = next.run(request).await;
    keep(&cache, key, coding, purges, response, &conditions).await
}

/// Answered from the cache, without rendering: the page, or a 304 when the client's
/// copy is the same.
fn hit(entry: Entry, coding: Coding, conditions: &Conditions) -> Response {
    metrics::counter!("kiosque_page_cache_requests_total", "result" => "hit").increment(1);
    respond_if(entry, true, coding, conditions)
}

/// Keeps `response` when it is public and small enough; answers it.
/// (Counted as a miss: the page was rendered for this request.)
async fn keep(
    cache: &PageCache,
    key: String,
    coding: Coding,
    purges: u64,
    response: Response,
    conditions: &Conditions,
) -> Response {
    metrics::counter!("kiosque_page_cache_requests_total", "result" => "miss").increment(1);
    let small_enough = axum::body::HttpBody::size_hint(response.body())
        .upper()
        .is_some_and(|n| n <= MAX_BODY as u64);
    if !is_public(&response) || !small_enough {
        return response;
    }
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_BODY).await {
        Ok(body) => {
            let mut headers = parts.headers;
            let worth = compressible(&headers) && body.len() >= MIN_COMPRESS;
            if worth {
                headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            let tag = kiosque_domain::secret::digest_hex(&body)[..20].to_owned();
            let last_modified = headers
                .get(header::LAST_MODIFIED)
                .cloned()
                .or_else(|| {
                    HeaderValue::from_str(&http_date(kiosque_domain::clock::Clock::System.now()))
                        .ok()
                })
                .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"));
            let entry = Entry {
                stored: Instant::now(),
                tag,
                last_modified,
                status: parts.status,
                headers,
                gzip: worth.then(|| gzip(&body)).flatten(),
                brotli: worth.then(|| brotli(&body)).flatten(),
                body,
            };
            cache.put(key, entry.clone(), purges);
            let mut response = respond_if(entry, false, coding, conditions);
            // What handlers left for outer layers (the route, for metrics).
            *response.extensions_mut() = parts.extensions;
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot read a page body");
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use std::sync::atomic::AtomicUsize;
    use tower::ServiceExt;

    /// A router whose one page takes 50 ms to render and counts its renders;
    /// `public` says whether its answers may be cached.
    fn slow_site(cache: Arc<PageCache>, public: bool) -> (Router, Arc<AtomicUsize>) {
        let renders = Arc::new(AtomicUsize::new(0));
        let counter = renders.clone();
        let router = Router::new()
            .route(
                "/page",
                get(move || {
                    let counter = counter.clone();
                    async move {
                        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        let control = if public {
                            "public, max-age=10"
                        } else {
                            "no-store"
                        };
                        ([(header::CACHE_CONTROL, control)], format!("render {n}"))
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(cache, serve_cached));
        (router, renders)
    }

    /// `n` simultaneous anonymous requests; their bodies.
    async fn burst(router: &Router, n: usize) -> Vec<String> {
        let requests = (0..n).map(|_| {
            let router = router.clone();
            async move {
                let response = router
                    .oneshot(Request::get("/page").body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                let body = to_bytes(response.into_body(), 1024).await.unwrap();
                String::from_utf8(body.to_vec()).unwrap()
            }
        });
        let handles: Vec<_> = requests.map(tokio::spawn).collect();
        let mut bodies = Vec::new();
        for handle in handles {
            bodies.push(handle.await.unwrap());
        }
        bodies
    }

    #[tokio::test]
    async fn simultaneous_misses_render_a_page_once() {
        let cache = Arc::new(PageCache::new(Duration::from_secs(10), 100));
        let (router, renders) = slow_site(cache.clone(), true);
        let bodies = burst(&router, 32).await;
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        assert!(bodies.iter().all(|b| b == "render 1"), "{bodies:?}");

        // Expired: one request renders again, the others get the expired copy.
        cache.expire_all();
        let bodies = burst(&router, 32).await;
        assert_eq!(renders.load(Ordering::SeqCst), 2);
        assert!(bodies.contains(&"render 2".to_owned()), "{bodies:?}");
        assert!(bodies.iter().all(|b| b == "render 1" || b == "render 2"));

        // Purged: nobody gets the old copy.
        cache.purge_all();
        let bodies = burst(&router, 32).await;
        assert_eq!(renders.load(Ordering::SeqCst), 3);
        assert!(bodies.iter().all(|b| b == "render 3"), "{bodies:?}");
    }

    #[tokio::test]
    async fn pages_that_cannot_be_kept_render_for_every_request() {
        let cache = Arc::new(PageCache::new(Duration::from_secs(10), 100));
        let (router, renders) = slow_site(cache, false);
        let bodies = burst(&router, 8).await;
        assert_eq!(renders.load(Ordering::SeqCst), 8);
        assert_eq!(bodies.len(), 8);
    }

    #[tokio::test]
    async fn a_page_rendered_across_a_purge_is_not_kept() {
        let cache = Arc::new(PageCache::new(Duration::from_secs(10), 100));
        let (router, renders) = slow_site(cache.clone(), true);
        let first = {
            let router = router.clone();
            tokio::spawn(async move { burst(&router, 1).await })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        cache.purge_all();
        assert_eq!(first.await.unwrap(), ["render 1"]);
        assert_eq!(burst(&router, 1).await, ["render 2"]);
        assert_eq!(renders.load(Ordering::SeqCst), 2);
    }

    fn accepting(value: &str) -> Coding {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        preferred_coding(&headers)
    }

    #[test]
    fn accept_encoding_prefers_brotli_and_respects_refusals() {
        assert_eq!(accepting("gzip, deflate, br, zstd"), Coding::Brotli);
        assert_eq!(accepting("gzip"), Coding::Gzip);
        assert_eq!(accepting("br;q=0, gzip;q=0.5"), Coding::Gzip);
        assert_eq!(accepting("identity"), Coding::Identity);
        assert_eq!(accepting("gzip;q=0"), Coding::Identity);
        assert_eq!(accepting("*"), Coding::Gzip);
        assert_eq!(preferred_coding(&HeaderMap::new()), Coding::Identity);
    }
}
