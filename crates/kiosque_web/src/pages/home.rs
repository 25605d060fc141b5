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
use kiosque_domain::SiteSettings;
use kiosque_domain::front::FrontKey;
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

/// WordPress's short links (`/?p=12`, `/?page_id=3`) on the home page.
#[derive(Debug, Deserialize)]
struct ShortLink {
    p: Option<String>,
    page_id: Option<String>,
}

#[derive(Serialize)]
struct HomePage {
    layout: Layout,
    ui_lang: &'static str,
    lead: Option<Card>,
    /// The editors' other picks, in their order.
    picks: Vec<Card>,
    cards: Vec<Card>,
    more_href: Option<String>,
}

async fn show_home(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
    Query(short): Query<ShortLink>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    if short.p.is_some() || short.page_id.is_some() {
        return match crate::pages::static_pages::redirect(&state, "/", uri.query()).await? {
            Some(redirect) => Ok(redirect),
            None => Err(AppError::NotFound),
        };
    }
    let site = &state.site();
    let tree = state.section_tree().await?;
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
    // The first page opens with the editors' front: its first live article is the
    // top story, the others follow in their order; without a front, the newest
    // article leads. Articles of the front are not repeated in the latest.
    let (lead, picks, cards) = if q.avant.is_none() {
        let front = state
            .stores
            .fronts
            .front_articles(FrontKey::Home, query.now)
            .await?;
        let (mut picks, mut cards) = crate::views::front_and_latest(site, &front, &summaries);
        let lead = if picks.is_empty() {
            (!cards.is_empty()).then(|| cards.remove(0))
        } else {
            Some(picks.remove(0))
        };
        (lead, picks, cards)
    } else {
        let cards = summaries.iter().map(|s| Card::new(site, s)).collect();
        (None, Vec::new(), cards)
    };
    layout.json_ld = Some(home_json_ld(
        site,
        state.catalogs.text(site.locale, "search-title"),
    ));
    let page = HomePage {
        ui_lang: layout.ui_lang,
        layout,
        lead,
        picks,
        cards,
        more_href: next_page_href("/", &summaries, HOME_SIZE),
    };
    Ok(crate::pages::with_keys(
        cached_html(state.templates.render("home.html", page)?, 30),
        [kiosque_domain::surrogate::HOME.to_owned()],
    ))
}

/// The home page's structured data: the publisher (`Organization`) and the site
/// (`WebSite`) with its search as a `SearchAction`.
fn home_json_ld(site: &SiteSettings, search_name: String) -> serde_json::Value {
    let search = site.absolute(crate::links::search_path(site.locale));
    serde_json::json!({
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Organization",
                "@id": site.absolute("/#organization"),
                "name": site.publisher,
                "url": site.absolute("/"),
                "logo": {
                    "@type": "ImageObject",
                    "url": site.absolute(&crate::assets::icon_href()),
                },
            },
            {
                "@type": "WebSite",
                "@id": site.absolute("/#website"),
                "name": site.name,
                "description": site.description,
                "url": site.absolute("/"),
                "inLanguage": site.locale.code(),
                "publisher": { "@id": site.absolute("/#organization") },
                "potentialAction": {
                    "@type": "SearchAction",
                    "name": search_name,
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": format!("{search}?q={{search_term_string}}"),
                    },
                    "query-input": "required name=search_term_string",
                },
            },
        ],
    })
}
