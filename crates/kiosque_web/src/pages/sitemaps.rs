//! `robots.txt` and sitemaps: an index (`/sitemap.xml`) pointing at the site's pages
//! (home, sections, tags, contributors), one sitemap of articles per month of
//! publication (at most 50,000 URLs each, with `lastmod` and image entries), and a
//! Google News sitemap (the last 48 hours, at most 1,000). Only published articles.

use crate::error::AppError;
use crate::pages::feeds::xml;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, TimeZone, Utc};
use kiosque_domain::store::{ListQuery, Scope};
use kiosque_domain::url::{contributor_path, section_path, tag_path};
use std::collections::BTreeMap;

/// The sitemaps protocol's limit per file.
const MAX_URLS: u32 = 50_000;
/// Google News: the last two days, at most 1,000 articles.
const NEWS_MAX: u32 = 1_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(index))
        .route("/sitemap-pages.xml", get(pages))
        .route("/sitemap-news.xml", get(news))
        .route("/sitemaps/{file}", get(month))
}

fn xml_response(body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=0, s-maxage=300, stale-while-revalidate=600"),
    );
    crate::pages::with_keys(response, [kiosque_domain::surrogate::SITEMAPS.to_owned()])
}

/// W3C Datetime with seconds and an offset, as the sitemap XSD accepts.
fn w3c(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

async fn robots(State(state): State<AppState>) -> Response {
    let site = state.site();
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /preview/\nDisallow: /api/\n\nSitemap: {}\nSitemap: {}\n",
        site.absolute("/sitemap.xml"),
        site.absolute("/sitemap-news.xml")
    );
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

async fn index(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    // The newest change of each month of publication.
    let months: BTreeMap<(i32, u32), DateTime<Utc>> = state
        .stores
        .articles
        .publication_months(state.now())
        .await?
        .into_iter()
        .map(|(year, month, changed)| ((year, month), changed))
        .collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    out.push_str(&format!(
        "<sitemap><loc>{}</loc></sitemap>\n<sitemap><loc>{}</loc></sitemap>\n",
        xml(&site.absolute("/sitemap-pages.xml")),
        xml(&site.absolute("/sitemap-news.xml"))
    ));
    for ((year, month), lastmod) in months.iter().rev() {
        out.push_str(&format!(
            "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>\n",
            xml(&site.absolute(&format!("/sitemaps/articles-{year:04}-{month:02}.xml"))),
            w3c(*lastmod)
        ));
    }
    out.push_str("</sitemapindex>\n");
    Ok(xml_response(out))
}

async fn pages(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    let mut paths = vec!["/".to_owned()];
    paths.extend(
        state
            .stores
            .taxonomy
            .sections()
            .await?
            .iter()
            .map(|s| section_path(&s.path)),
    );
    paths.extend(
        state
            .stores
            .taxonomy
            .tags_with_counts()
            .await?
            .iter()
            .filter(|(_, count)| *count > 0)
            .map(|(t, _)| tag_path(t.slug.as_str())),
    );
    paths.extend(
        state
            .stores
            .people
            .contributors()
            .await?
            .iter()
            .map(|c| contributor_path(c.slug.as_str())),
    );
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        out.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml(&site.absolute(&path))
        ));
    }
    // Static pages, with the time of their last change.
    for page in state.stores.pages.pages().await? {
        if page.status != kiosque_domain::page::PageStatus::Published {
            continue;
        }
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml(&site.absolute(&page.public_path())),
            w3c(page.modified_at)
        ));
    }
    out.push_str("</urlset>\n");
    Ok(xml_response(out))
}

/// `/sitemaps/articles-2026-11.xml`: the articles published that month.
async fn month(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let (year, month) = file
        .strip_prefix("articles-")
        .and_then(|f| f.strip_suffix(".xml"))
        .and_then(|m| m.split_once('-'))
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .ok_or(AppError::NotFound)?;
    let start = NaiveDate::from_ymd_opt(year, month, 1).ok_or(AppError::NotFound)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .ok_or(AppError::NotFound)?;
    let at_midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
    let (start, next) = (
        at_midnight(start).ok_or(AppError::NotFound)?,
        at_midnight(next).ok_or(AppError::NotFound)?,
    );
    let site = state.site();
    let articles = state
        .stores
        .articles
        .list_published(&ListQuery {
            scope: Scope::All,
            now: state.now(),
            before: Some((next, kiosque_domain::ArticleId(0))),
            since: Some(start),
            limit: MAX_URLS,
        })
        .await?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">\n",
    );
    for a in &articles {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod>",
            xml(&site.absolute(&a.canonical_path())),
            w3c(a.updated_at.unwrap_or(a.published_at).max(a.published_at))
        ));
        if let Some(image) = a.thumbnail_large.as_ref().or(a.thumbnail.as_ref()) {
            out.push_str(&format!(
                "<image:image><image:loc>{}</image:loc></image:image>",
                xml(&site.absolute(&image.url))
            ));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    Ok(xml_response(out))
}

async fn news(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    let now = state.now();
    let articles = state
        .stores
        .articles
        .list_published(&ListQuery {
            scope: Scope::All,
            now,
            before: None,
            since: Some(now - Duration::hours(48)),
            limit: NEWS_MAX,
        })
        .await?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for a in &articles {
        out.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
            xml(&site.absolute(&a.canonical_path())),
            xml(&site.name),
            xml(&a.language),
            w3c(a.published_at),
            xml(&a.headline)
        ));
    }
    out.push_str("</urlset>\n");
    Ok(xml_response(out))
}
