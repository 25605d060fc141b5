//! Reader-facing HTML pages. Each module owns its routes; section and article URLs,
//! which share the path space, are resolved by [`dispatch`].

pub mod accounts;
pub mod alerts;
pub mod article;
pub mod comments;
pub mod dispatch;
pub mod feeds;
pub mod home;
pub mod listing;
pub mod live;
pub mod newsletters;
pub mod search;
pub mod sitemaps;
pub mod static_pages;
pub mod taxonomy;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// An HTML page that shared caches (a CDN) may keep for `max_age` seconds. Browsers
/// ask again every time: a reader reloading for news must get the latest page.
pub fn cached_html(html: String, max_age: u32) -> Response {
    let mut response = Html(html).into_response();
    let value = format!("public, max-age=0, s-maxage={max_age}, stale-while-revalidate=300");
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(header::CACHE_CONTROL, v);
    }
    response
}

/// Files a response under surrogate keys (`Surrogate-Key`, see
/// `kiosque_domain::surrogate`), so a CDN or a caching proxy can purge it by what it
/// shows.
pub fn with_keys<I: IntoIterator<Item = String>>(mut response: Response, keys: I) -> Response {
    if let Ok(value) = HeaderValue::from_str(&kiosque_domain::surrogate::header(keys)) {
        response.headers_mut().insert("surrogate-key", value);
    }
    response
}

/// A 301 to a site path: outdated slugs and section paths land on the canonical URL.
pub fn moved_permanently(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
