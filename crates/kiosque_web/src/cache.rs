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
/// Smaller bodies are not worth compressing.
const MIN_COMPRESS: usize = 1024;
/// Brotli quality: 5 compresses a 60 KB page in about a millisecond, within a few
/// percent of the best ratio for HTML.
const BROTLI_QUALITY: u32 = 5;

#[derive(Clone)]
struct Entry {
    stored: Instant,
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

fn respond(entry: Entry, hit: bool, coding: Coding) -> Response {
    let (body, encoding) = match coding {
        Coding::Brotli if entry.brotli.is_some() => (entry.brotli, Some("br")),
        Coding::Brotli | Coding::Gzip if entry.gzip.is_some() => (entry.gzip, Some("gzip")),
        _ => (Some(entry.body), None),
    };
    let mut response = Response::new(Body::from(body.unwrap_or_default()));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers;
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_LENGTH);
    if let Some(encoding) = encoding {
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
    if let Some(entry) = cache.get(&key) {
        return respond(entry, true, coding);
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
            let mut headers = parts.headers;
            let worth = compressible(&headers) && body.len() >= MIN_COMPRESS;
            if worth {
                headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            let entry = Entry {
                stored: Instant::now(),
                status: parts.status,
                headers,
                gzip: worth.then(|| gzip(&body)).flatten(),
                brotli: worth.then(|| brotli(&body)).flatten(),
                body,
            };
            cache.put(key, entry.clone());
            respond(entry, false, coding)
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
