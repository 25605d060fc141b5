//! Static assets (stylesheet, icon) embedded in the binary and served with a content
//! hash in their URL, so browsers and CDNs can keep them forever; media files from blob
//! storage.

use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::OnceLock;

const CSS: &str = include_str!("../static/site.css");
const ICON: &str = include_str!("../static/icon.svg");
const ADMIN_CSS: &str = include_str!("../static/admin.css");
const ADMIN_JS: &str = include_str!("../static/admin.js");
const COMMENTS_JS: &str = include_str!("../static/comments.js");
const LIVE_JS: &str = include_str!("../static/live.js");
const ALERTS_JS: &str = include_str!("../static/alerts.js");
const EMBEDS_JS: &str = include_str!("../static/embeds.js");
const GALLERY_JS: &str = include_str!("../static/gallery.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/site.css",
            get(|| async { asset(CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/static/icon.svg",
            get(|| async { asset(ICON, "image/svg+xml") }),
        )
        .route(
            "/static/admin.css",
            get(|| async { asset(ADMIN_CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/static/admin.js",
            get(|| async { asset(ADMIN_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/comments.js",
            get(|| async { asset(COMMENTS_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/live.js",
            get(|| async { asset(LIVE_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/alerts.js",
            get(|| async { asset(ALERTS_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/embeds.js",
            get(|| async { asset(EMBEDS_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/static/gallery.js",
            get(|| async { asset(GALLERY_JS, "text/javascript; charset=utf-8") }),
        )
        .route("/media/{*key}", get(show_media))
}

/// A short, stable content hash (FNV-1a) for cache-busting URLs.
fn content_hash(s: &str) -> String {
    let hash = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{:x}", hash & 0xffff_ffff)
}

pub fn css_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/site.css?v={}", content_hash(CSS)))
        .clone()
}

pub fn comments_js_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/comments.js?v={}", content_hash(COMMENTS_JS)))
        .clone()
}

pub fn live_js_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/live.js?v={}", content_hash(LIVE_JS)))
        .clone()
}

pub fn alerts_js_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/alerts.js?v={}", content_hash(ALERTS_JS)))
        .clone()
}

pub fn embeds_js_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/embeds.js?v={}", content_hash(EMBEDS_JS)))
        .clone()
}

pub fn gallery_js_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/gallery.js?v={}", content_hash(GALLERY_JS)))
        .clone()
}

pub fn admin_css_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/admin.css?v={}", content_hash(ADMIN_CSS)))
        .clone()
}

pub fn admin_js_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/admin.js?v={}", content_hash(ADMIN_JS)))
        .clone()
}

pub fn icon_href() -> String {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| format!("/static/icon.svg?v={}", content_hash(ICON)))
        .clone()
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        body,
    )
        .into_response()
}

/// Media keys are never reused, so a file can be cached for a year. A `Range`
/// request (a player seeking in a video or a sound) gets `206 Partial Content` with
/// the part asked for; a range past the end gets 416.
async fn show_media(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let blob = state
        .blobs
        .get(&key)
        .await
        .map_err(|e| AppError::Internal(format!("reading media {key}: {e}")))?;
    let blob = blob.ok_or(AppError::NotFound)?;
    let content_type = HeaderValue::from_str(&blob.mime)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let common = [
        (header::CONTENT_TYPE, content_type),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
        (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
    ];
    let len = blob.bytes.len() as u64;
    let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok((common, blob.bytes).into_response());
    };
    let ranges = http_range_header::parse_range_header(range).map(|r| r.validate(len));
    match ranges {
        // One range: its bytes. Several ranges are rare (no player asks for them):
        // the whole file, as RFC 9110 allows.
        Ok(Ok(ranges)) if ranges.len() == 1 => {
            let (start, end) = (*ranges[0].start(), *ranges[0].end());
            let part = blob.bytes[start as usize..=end as usize].to_vec();
            let content_range = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}"))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok((
                axum::http::StatusCode::PARTIAL_CONTENT,
                common,
                [(header::CONTENT_RANGE, content_range)],
                part,
            )
                .into_response())
        }
        Ok(Ok(_)) | Err(_) => Ok((common, blob.bytes).into_response()),
        Ok(Err(_)) => {
            let content_range = HeaderValue::from_str(&format!("bytes */{len}"))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok((
                axum::http::StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, content_range)],
            )
                .into_response())
        }
    }
}
