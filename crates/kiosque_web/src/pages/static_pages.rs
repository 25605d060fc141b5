//! Static pages at the address their editors chose (`/mentions-legales/`), and the
//! redirects of old addresses, both asked for only when no section or article
//! matched (see `dispatch`).

use crate::error::AppError;
use crate::pages::{cached_html, moved_permanently, with_keys};
use crate::state::AppState;
use crate::views::{Layout, Link};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiosque_domain::page::StaticPage;
use kiosque_domain::redirect::RedirectStatus;
use serde::Serialize;

#[derive(Serialize)]
struct PageView {
    layout: Layout,
    ui_lang: &'static str,
    title: String,
    body_html: String,
    breadcrumb: Vec<Link>,
}

/// A published page at `path`, if there is one.
pub async fn show_page(state: &AppState, path: &str) -> Result<Option<Response>, AppError> {
    let Some(page) = kiosque_app::pages::public(state, path).await? else {
        return Ok(None);
    };
    // One address per page: `/Mentions-Legales`, `/mentions-legales` → `/mentions-legales/`.
    if path != page.public_path() {
        return Ok(Some(moved_permanently(&page.public_path())));
    }
    let html = render(state, &page).await?;
    Ok(Some(with_keys(
        cached_html(html, 300),
        [kiosque_domain::surrogate::SITE.to_owned()],
    )))
}

async fn render(state: &AppState, page: &StaticPage) -> Result<String, AppError> {
    let site = state.site();
    let tree = state.section_tree().await?;
    let title = format!("{} | {}", page.title, site.name);
    let mut layout = Layout::new(state, &tree, title, None).canonical(&site, &page.public_path());
    if let Some(description) = page.description.as_deref().filter(|d| !d.trim().is_empty()) {
        layout.description = description.to_owned();
    }
    let url = site.absolute(&page.public_path());
    layout.json_ld = Some(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": page.title,
        "description": layout.description,
        "inLanguage": site.locale.code(),
        "dateModified": page.modified_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "isPartOf": {
            "@type": "WebSite",
            "name": site.name,
            "url": site.absolute("/"),
        },
        "publisher": {
            "@type": "Organization",
            "name": site.publisher,
        },
    }));
    let breadcrumb = vec![
        Link {
            name: state.catalogs.text(site.locale, "nav-home"),
            href: "/".into(),
            current: false,
        },
        Link {
            name: page.title.clone(),
            href: page.public_path(),
            current: true,
        },
    ];
    layout.breadcrumb_ld = Some(crate::views::breadcrumb_json_ld(&site, &breadcrumb));
    Ok(state.templates.render(
        "page.html",
        PageView {
            ui_lang: site.locale.code(),
            layout,
            title: page.title.clone(),
            body_html: page.body_html.clone(),
            breadcrumb,
        },
    )?)
}

/// The answer to an old address, if it is one: a 301 or 302 to where it leads now,
/// or 410 Gone.
pub async fn redirect(
    state: &AppState,
    path: &str,
    query: Option<&str>,
) -> Result<Option<Response>, AppError> {
    let Some(answer) = kiosque_app::redirects::resolve(state, path, query).await? else {
        return Ok(None);
    };
    let status = match answer.status {
        RedirectStatus::Permanent => StatusCode::MOVED_PERMANENTLY,
        RedirectStatus::Temporary => StatusCode::FOUND,
        RedirectStatus::Gone => return Err(AppError::Gone),
    };
    let Some(location) = answer.location.and_then(|l| HeaderValue::from_str(&l).ok()) else {
        return Err(AppError::Gone);
    };
    let mut response = (status, [(header::LOCATION, location)]).into_response();
    // Kept by proxies like a page; purged with the site when redirects change.
    let cache = if status == StatusCode::MOVED_PERMANENTLY {
        "public, max-age=3600, s-maxage=300"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(Some(with_keys(
        response,
        [kiosque_domain::surrogate::SITE.to_owned()],
    )))
}
