//! The home page: the top story, then the latest articles of every section.

use crate::error::AppError;
use crate::pages::cached_html;
use crate::pages::feeds::{FeedFormat, FeedSource, render_feed};
use crate::state::AppState;
use crate::views::{Card, Layout, Meta, next_page_href, parse_cursor};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use kiosque_domain::SectionTree;
use kiosque_domain::store::{ListQuery, Scope};
use serde::{Deserialize, Serialize};

/// Articles on the home page.
const HOME_SIZE: u32 = 25;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(show_home))
        .route("/rss.xml", get(|state| site_feed(state, FeedFormat::Rss)))
        .route("/atom.xml", get(|state| site_feed(state, FeedFormat::Atom)))
        .route(
            "/feed.json",
            get(|state| site_feed(state, FeedFormat::Json)),
        )
}

/// The whole site's feeds.
async fn site_feed(
    State(state): State<AppState>,
    format: FeedFormat,
) -> Result<Response, AppError> {
    let site = state.site();
    let source = FeedSource {
        scope: Scope::All,
        page_path: "/".into(),
        title: site.name.clone(),
        description: site.description.clone(),
    };
    render_feed(&state, source, format).await
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub avant: Option<String>,
}

#[derive(Serialize)]
struct HomePage {
    layout: Layout,
    ui_lang: &'static str,
    lead: Option<Card>,
    cards: Vec<Card>,
    more_href: Option<String>,
}

async fn show_home(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let site = &state.site();
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let query = ListQuery {
        scope: Scope::All,
        now: state.now(),
        before: parse_cursor(q.avant.as_deref())?,
        limit: HOME_SIZE,
        since: None,
    };
    let summaries = state.stores.articles.list_published(&query).await?;
    let title = state.catalogs.message(
        site.locale,
        "home-title",
        &[("site", site.name.clone().into())],
    );
    let mut layout = Layout::new(&state, &tree, title.clone(), None).canonical(site, "/");
    if q.avant.is_some() {
        layout.robots = Some("noindex, follow");
    }
    layout.meta = vec![
        Meta::property("og:type", "website"),
        Meta::property("og:title", title),
        Meta::property("og:description", site.description.clone()),
        Meta::property("og:url", site.absolute("/")),
        Meta::property("og:site_name", site.name.clone()),
        Meta::property("og:locale", site.locale.og_locale()),
    ];
    let mut cards: Vec<Card> = summaries.iter().map(|s| Card::new(site, s)).collect();
    // The top story is the newest article, on the first page only.
    let lead = if q.avant.is_none() && !cards.is_empty() {
        Some(cards.remove(0))
    } else {
        None
    };
    let page = HomePage {
        ui_lang: layout.ui_lang,
        layout,
        lead,
        cards,
        more_href: next_page_href("/", &summaries, HOME_SIZE),
    };
    Ok(cached_html(state.templates.render("home.html", page)?, 30))
}
