//! `/recherche` (`/search` on an English site): full-text search over public articles.
//!
//! The index answers with article ids, highlighted headlines and excerpts; the
//! database then says which of them are public now, so a lagging index never shows
//! a withdrawn article. Odd input (empty, syntax, a bad date) gives a page, not an
//! error.

use crate::error::AppError;
use crate::state::AppState;
use crate::views::{Card, Layout, Link, Meta};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use kiosque_domain::{ArticleId, SectionTree, SiteSettings};
use kiosque_search::SearchRequest;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Results per page.
const PAGE_SIZE: usize = 10;
/// Pages a reader can reach: relevance beyond this is noise.
const MAX_PAGE: usize = 50;
/// Longest query kept, in characters.
const MAX_QUERY: usize = 200;

pub use crate::links::search_path;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recherche", get(search))
        .route("/search", get(search))
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    section: String,
    /// `YYYY-MM-DD`, in the site's time zone, inclusive.
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    to: String,
    page: Option<String>,
}

#[derive(Serialize)]
struct SearchResult {
    card: Card,
    headline_html: String,
    snippet_html: String,
}

#[derive(Serialize)]
struct SearchPage {
    layout: Layout,
    ui_lang: &'static str,
    action: &'static str,
    q: String,
    section: String,
    from: String,
    to: String,
    sections: Vec<Link>,
    summary: String,
    results: Vec<SearchResult>,
    /// A notice about input that was ignored (a bad date).
    notice: Option<String>,
    pages: Vec<Link>,
    previous_href: Option<String>,
    next_href: Option<String>,
}

/// A day in the site's time zone as the UTC instant it starts.
fn day_start(site: &SiteSettings, day: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    date.and_hms_opt(0, 0, 0)?
        .and_local_timezone(site.timezone)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The section filter's options: value is the path, subsections indented.
fn section_choices(tree: &SectionTree, selected: &str) -> Vec<Link> {
    let mut out = Vec::new();
    for root in tree.roots() {
        out.push(Link {
            name: root.name.clone(),
            href: root.path.clone(),
            current: root.path == selected,
        });
        for child in tree.children(root.id) {
            out.push(Link {
                name: format!("— {}", child.name),
                href: child.path.clone(),
                current: child.path == selected,
            });
        }
    }
    out
}

fn page_href(action: &str, params: &SearchParams, page: usize) -> String {
    let mut query = vec![("q", params.q.as_str())];
    for (key, value) in [
        ("section", &params.section),
        ("from", &params.from),
        ("to", &params.to),
    ] {
        if !value.is_empty() {
            query.push((key, value.as_str()));
        }
    }
    let page = page.to_string();
    if page != "1" {
        query.push(("page", &page));
    }
    let encoded: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect();
    format!("{action}?{}", encoded.join("&"))
}

/// Percent-encodes a query-string value (`application/x-www-form-urlencoded`).
pub(crate) fn urlencoding(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push_str("%20"),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

async fn search(
    State(state): State<AppState>,
    Query(mut params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let site = state.site();
    let locale = site.locale;
    let action = search_path(locale);
    params.q = params.q.trim().chars().take(MAX_QUERY).collect();
    let page = params
        .page
        .as_deref()
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_PAGE);
    let tree = state.section_tree().await?;
    let section = tree
        .by_path(params.section.trim_matches('/'))
        .map(|s| s.path.clone());
    if section.is_none() {
        params.section.clear();
    }
    let from = day_start(&site, &params.from);
    let until = day_start(&site, &params.to).map(|t| t + chrono::Duration::days(1));
    let bad_date =
        (!params.from.is_empty() && from.is_none()) || (!params.to.is_empty() && until.is_none());
    if from.is_none() {
        params.from.clear();
    }
    if until.is_none() {
        params.to.clear();
    }

    let now = state.now();
    let request = SearchRequest {
        text: params.q.clone(),
        section,
        from,
        until,
        now,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let index = state.search.clone();
    let found = tokio::task::spawn_blocking(move || index.search(&request))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let ids: Vec<ArticleId> = found.hits.iter().map(|h| h.id).collect();
    let mut public: HashMap<ArticleId, kiosque_domain::ArticleSummary> = state
        .stores
        .changes
        .public_summaries(&ids, now)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let results: Vec<SearchResult> = found
        .hits
        .into_iter()
        .filter_map(|hit| {
            let summary = public.remove(&hit.id)?;
            Some(SearchResult {
                card: Card::new(&site, &summary),
                headline_html: hit.headline_html,
                snippet_html: hit.snippet_html,
            })
        })
        .collect();

    let catalogs = &state.catalogs;
    let summary = if params.q.is_empty() {
        catalogs.text(locale, "search-prompt")
    } else if found.total == 0 {
        catalogs.message(locale, "search-none", &[("query", params.q.clone().into())])
    } else {
        catalogs.message(
            locale,
            "search-count",
            &[
                ("count", (found.total as i64).into()),
                ("query", params.q.clone().into()),
            ],
        )
    };
    let last_page = found.total.div_ceil(PAGE_SIZE).clamp(1, MAX_PAGE);
    let pages = if last_page > 1 {
        let low = page.saturating_sub(4).max(1);
        let high = (low + 8).min(last_page);
        (low..=high)
            .map(|p| Link {
                name: p.to_string(),
                href: page_href(action, &params, p),
                current: p == page,
            })
            .collect()
    } else {
        Vec::new()
    };

    let title = if params.q.is_empty() {
        catalogs.text(locale, "search-title")
    } else {
        catalogs.message(
            locale,
            "search-title-query",
            &[("query", params.q.clone().into())],
        )
    };
    let mut layout = Layout::new(&state, &tree, title.clone(), None).canonical(&site, action);
    // Result pages are for readers; search engines have the sitemaps.
    layout.robots = Some("noindex, follow");
    layout.meta = vec![
        Meta::property("og:title", title),
        Meta::property("og:site_name", site.name.clone()),
    ];
    let sections = section_choices(&tree, params.section.as_str());
    let page = SearchPage {
        ui_lang: layout.ui_lang,
        layout,
        action,
        notice: bad_date.then(|| catalogs.text(locale, "search-bad-date")),
        previous_href: (page > 1).then(|| page_href(action, &params, page - 1)),
        next_href: (page < last_page).then(|| page_href(action, &params, page + 1)),
        q: params.q,
        section: params.section,
        from: params.from,
        to: params.to,
        sections,
        summary,
        results,
        pages,
    };
    Ok(crate::pages::with_keys(
        crate::pages::cached_html(state.templates.render("search.html", page)?, 60),
        [kiosque_domain::surrogate::SEARCH.to_owned()],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters() {
        let params = SearchParams {
            q: "l'été & co".into(),
            section: "monde/europe".into(),
            ..SearchParams::default()
        };
        assert_eq!(
            page_href("/recherche", &params, 2),
            "/recherche?q=l%27%C3%A9t%C3%A9%20%26%20co&section=monde%2Feurope&page=2"
        );
        assert!(!page_href("/recherche", &params, 1).contains("page"));
    }
}
