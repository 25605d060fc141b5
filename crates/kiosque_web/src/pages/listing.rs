//! The listing page shared by sections, tags and contributors: a heading, optional
//! breadcrumb and subsections, then article cards, newest first, with a keyset "older
//! articles" link.

use crate::error::AppError;
use crate::state::AppState;
use crate::views::{Card, Layout, Link, Meta, next_page_href, parse_cursor};
use chrono::{DateTime, Utc};
use kiosque_domain::front::FrontKey;
use kiosque_domain::store::{ListQuery, Scope};
use serde::Serialize;

/// Articles per listing page.
pub const PAGE_SIZE: u32 = 20;

#[derive(Serialize)]
struct ListingPage {
    layout: Layout,
    ui_lang: &'static str,
    heading: String,
    intro: String,
    portrait: Option<crate::views::Picture>,
    breadcrumb: Vec<Link>,
    subsections: Vec<Link>,
    picks: Vec<Card>,
    cards: Vec<Card>,
    more_href: Option<String>,
    empty_text: String,
}

/// What differs between listings.
pub struct Listing {
    pub scope: Scope,
    /// Site path of the listing, e.g. `/monde/europe/`.
    pub path: String,
    pub title: String,
    pub heading: String,
    pub intro: String,
    pub breadcrumb: Vec<Link>,
    pub subsections: Vec<Link>,
    pub current_root: Option<String>,
    /// A date archive's period: published at or after the first, before the second.
    pub period: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The editors' front shown above the list on the first page (sections).
    pub front: Option<FrontKey>,
    /// A contributor's portrait, beside the heading.
    pub portrait: Option<crate::views::Picture>,
}

pub async fn render_listing(
    state: &AppState,
    listing: Listing,
    cursor: Option<&str>,
) -> Result<String, AppError> {
    let tree = state.section_tree().await?;
    let query = ListQuery {
        scope: listing.scope,
        now: state.now(),
        // Within an archive's period, the cursor (if any) moves the end.
        before: parse_cursor(cursor)?.or(listing
            .period
            .map(|(_, until)| (until, kiosque_domain::ArticleId(0)))),
        since: listing.period.map(|(since, _)| since),
        limit: PAGE_SIZE,
    };
    let query_now = query.now;
    let summaries = state.stores.articles.list_published(&query).await?;
    let site = &state.site();
    let mut layout = Layout::new(
        state,
        &tree,
        listing.title.clone(),
        listing.current_root.as_deref(),
    )
    .canonical(site, &listing.path);
    if !listing.intro.is_empty() {
        layout.description = listing.intro.clone();
    }
    // This page's own feeds first, then the site's (archives have none of their own).
    if listing.period.is_none() {
        let mut feeds = crate::links::feed_links(&listing.path, &listing.heading);
        feeds.append(&mut layout.feeds);
        layout.feeds = feeds;
    }
    if cursor.is_some() {
        // Older pages are for readers, not for search engines' indexes.
        layout.robots = Some("noindex, follow");
    }
    layout.meta = vec![
        Meta::property("og:type", "website"),
        Meta::property("og:title", listing.title),
        Meta::property("og:url", site.absolute(&listing.path)),
        Meta::property("og:site_name", site.name.clone()),
        Meta::property("og:locale", site.locale.og_locale()),
    ];
    let picks = match listing.front {
        Some(front) if cursor.is_none() => {
            state.stores.fronts.front_articles(front, query_now).await?
        }
        _ => Vec::new(),
    };
    let (picks, cards) = crate::views::front_and_latest(site, &picks, &summaries);
    if listing.breadcrumb.len() > 1 {
        layout.breadcrumb_ld = Some(crate::views::breadcrumb_json_ld(site, &listing.breadcrumb));
    }
    let page = ListingPage {
        ui_lang: layout.ui_lang,
        layout,
        heading: listing.heading,
        intro: listing.intro,
        portrait: listing.portrait,
        breadcrumb: listing.breadcrumb,
        subsections: listing.subsections,
        picks,
        cards,
        more_href: next_page_href(&listing.path, &summaries, PAGE_SIZE),
        empty_text: state.catalogs.text(site.locale, "section-empty"),
    };
    Ok(state.templates.render("listing.html", page)?)
}
