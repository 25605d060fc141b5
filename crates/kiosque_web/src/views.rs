//! View structs: what templates receive. Handlers turn domain values into these, with
//! dates formatted, URLs built and strings chosen, so templates only lay them out.

use crate::assets;
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use chrono::{DateTime, SecondsFormat, Utc};
use kiosque_domain::article::ArticleSummary;
use kiosque_domain::media::ImageRef;
use kiosque_domain::url::section_path;
use kiosque_domain::{Locale, SectionTree, SiteSettings};
use serde::Serialize;

/// A link in navigation, breadcrumbs, tag lists.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// A `<meta>` tag in the head: `attr` is `name` or `property`.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub attr: &'static str,
    pub key: &'static str,
    pub content: String,
}

impl Meta {
    pub fn property(key: &'static str, content: impl Into<String>) -> Self {
        Self {
            attr: "property",
            key,
            content: content.into(),
        }
    }
    pub fn name(key: &'static str, content: impl Into<String>) -> Self {
        Self {
            attr: "name",
            key,
            content: content.into(),
        }
    }
}

/// What every page shares: head, header, footer.
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub ui_lang: &'static str,
    pub site_name: String,
    pub publisher: String,
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub robots: Option<&'static str>,
    pub nav: Vec<Link>,
    pub meta: Vec<Meta>,
    pub json_ld: Option<serde_json::Value>,
    /// A `BreadcrumbList`, in its own data block after `json_ld`.
    pub breadcrumb_ld: Option<serde_json::Value>,
    pub css_href: String,
    pub icon_href: String,
    /// Feeds announced in the head (`<link rel="alternate">`).
    pub feeds: Vec<crate::links::FeedLink>,
    /// Where the header's search form goes.
    pub search_href: &'static str,
    /// Language versions of this page (`<link rel="alternate" hreflang>`): the
    /// language tag as `name`, the absolute URL as `href`.
    pub alternates: Vec<Link>,
    /// Static pages listed in the footer ("Mentions légales"…), in the editors' order.
    pub footer_pages: Vec<Link>,
}

impl Layout {
    /// The layout of a page titled `title`; `current_root` highlights a section in the
    /// navigation.
    pub fn new(
        state: &AppState,
        tree: &SectionTree,
        title: String,
        current_root: Option<&str>,
    ) -> Self {
        let site = &state.site();
        let nav = tree
            .roots()
            .map(|s| Link {
                name: s.name.clone(),
                href: section_path(&s.path),
                current: current_root == Some(s.path.as_str()),
            })
            .collect();
        Self {
            ui_lang: site.locale.code(),
            site_name: site.name.clone(),
            publisher: site.publisher.clone(),
            title,
            description: site.description.clone(),
            canonical: None,
            robots: None,
            nav,
            meta: Vec::new(),
            json_ld: None,
            breadcrumb_ld: None,
            css_href: assets::css_href(),
            icon_href: assets::icon_href(),
            feeds: crate::links::feed_links("/", &site.name),
            search_href: crate::links::search_path(site.locale),
            alternates: Vec::new(),
            footer_pages: state
                .caches
                .footer
                .get()
                .map(|f| f.pages.clone())
                .unwrap_or_default(),
        }
    }

    /// Sets the canonical URL (absolute) from a site path.
    pub fn canonical(mut self, site: &SiteSettings, path: &str) -> Self {
        self.canonical = Some(site.absolute(path));
        self
    }
}

/// A point in time as shown on a page: machine-readable and human-readable.
#[derive(Debug, Clone, Serialize)]
pub struct When {
    /// ISO 8601 with the site's offset, for `<time datetime>`.
    pub iso: String,
    /// Formatted per locale in the site's time zone.
    pub text: String,
}

impl When {
    pub fn new(site: &SiteSettings, at: DateTime<Utc>, locale: Locale) -> Self {
        let local = site.local(at);
        Self {
            iso: local.to_rfc3339_opts(SecondsFormat::Secs, false),
            text: local.format(locale.datetime_pattern()).to_string(),
        }
    }
}

/// ISO 8601 in the site's time zone, for meta tags and JSON-LD.
pub fn iso(site: &SiteSettings, at: DateTime<Utc>) -> String {
    site.local(at).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// An image with its size and, when there are renditions, a srcset.
#[derive(Debug, Clone, Serialize)]
pub struct Picture {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

impl From<&ImageRef> for Picture {
    fn from(r: &ImageRef) -> Self {
        Picture {
            src: r.url.clone(),
            srcset: String::new(),
            width: r.width,
            height: r.height,
            alt: r.alt.clone(),
        }
    }
}

/// An article in a listing.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub href: String,
    pub kicker: Option<String>,
    pub headline: String,
    pub standfirst: String,
    pub section_name: String,
    pub section_href: String,
    pub lang: String,
    pub published: When,
    pub image: Option<Picture>,
    /// A class keeping the picture's focal point in frame when a card crops it
    /// (`f-<x>-<y>`, quarters of the width and height; none for the centre).
    pub focal_class: Option<String>,
}

impl Card {
    pub fn new(site: &SiteSettings, summary: &ArticleSummary) -> Self {
        Card {
            href: summary.canonical_path(),
            kicker: summary.kicker.clone(),
            headline: summary.headline.clone(),
            standfirst: summary.standfirst.clone(),
            section_name: summary.section_name.clone(),
            section_href: section_path(&summary.section_path),
            lang: summary.language.clone(),
            published: When::new(site, summary.published_at, site.locale),
            focal_class: focal_class(summary.focal),
            image: summary.thumbnail.as_ref().map(|small| {
                let mut picture = Picture::from(small);
                if let Some(large) = summary
                    .thumbnail_large
                    .as_ref()
                    .filter(|l| l.url != small.url)
                {
                    picture.srcset = format!(
                        "{} {}w, {} {}w",
                        small.url, small.width, large.url, large.width
                    );
                }
                picture
            }),
        }
    }
}

/// The "older articles" link of a listing: a keyset cursor, stable under new
/// publications.
pub fn next_page_href(base: &str, page: &[ArticleSummary], limit: u32) -> Option<String> {
    if page.len() < limit as usize {
        return None;
    }
    let last = page.last()?;
    Some(format!(
        "{base}?avant={}-{}",
        last.published_at.timestamp(),
        last.id
    ))
}

/// Reads the `avant` cursor written by [`next_page_href`].
pub fn parse_cursor(
    raw: Option<&str>,
) -> Result<Option<(DateTime<Utc>, kiosque_domain::ArticleId)>, AppError> {
    let Some(raw) = raw else { return Ok(None) };
    let bad = || AppError::BadRequest(format!("invalid cursor {raw:?}"));
    let (ts, id) = raw.split_once('-').ok_or_else(bad)?;
    let ts: i64 = ts.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let at = DateTime::from_timestamp(ts, 0).ok_or_else(bad)?;
    Ok(Some((at, kiosque_domain::ArticleId(id))))
}

#[derive(Serialize)]
struct MessagePage {
    layout: Layout,
    ui_lang: &'static str,
    heading: String,
    text: String,
    link_href: String,
    link_text: String,
    /// A search box, on "not found" and "gone" pages.
    search: bool,
}

/// Renders a simple page with a heading, a paragraph and a link.
pub async fn message_page(
    state: &AppState,
    title_key: &str,
    heading: String,
    text: String,
    link: (String, String),
) -> Result<String, AppError> {
    let tree = SectionTree::new(state.stores.taxonomy.sections().await.unwrap_or_default());
    let locale = state.site().locale;
    let mut layout = Layout::new(state, &tree, state.catalogs.text(locale, title_key), None);
    layout.robots = Some("noindex");
    let page = MessagePage {
        ui_lang: layout.ui_lang,
        layout,
        heading,
        text,
        search: matches!(title_key, "error-not-found-title" | "error-gone-title"),
        link_href: link.0,
        link_text: link.1,
    };
    Ok(state.templates.render("message.html", page)?)
}

/// The site's page for an error status.
pub async fn error_page(state: &AppState, status: StatusCode) -> Result<String, AppError> {
    let key = match status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::GONE => "error-gone",
        StatusCode::BAD_REQUEST => "error-bad-request",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::TOO_MANY_REQUESTS => "error-too-many",
        StatusCode::SERVICE_UNAVAILABLE => "error-unavailable",
        _ => "error-internal",
    };
    let c = &state.catalogs;
    let locale = state.site().locale;
    let title_key = format!("{key}-title");
    message_page(
        state,
        &title_key,
        c.text(locale, &title_key),
        c.text(locale, &format!("{key}-text")),
        ("/".into(), c.text(locale, "error-home-link")),
    )
    .await
}

/// A front's cards and the latest below it, the front's articles not repeated.
pub fn front_and_latest(
    site: &SiteSettings,
    front: &[ArticleSummary],
    latest: &[ArticleSummary],
) -> (Vec<Card>, Vec<Card>) {
    let picked: std::collections::HashSet<kiosque_domain::ArticleId> =
        front.iter().map(|a| a.id).collect();
    let picks = front.iter().map(|s| Card::new(site, s)).collect();
    let rest = latest
        .iter()
        .filter(|s| !picked.contains(&s.id))
        .map(|s| Card::new(site, s))
        .collect();
    (picks, rest)
}

/// The class that keeps a focal point in frame under `object-fit: cover`: the point
/// rounded to the nearest quarter on each axis (CSP forbids inline styles).
pub fn focal_class(focal: kiosque_domain::media::FocalPoint) -> Option<String> {
    let quarter = |v: f64| ((v * 4.0).round() as u32).min(4) * 25;
    let (x, y) = (quarter(focal.x), quarter(focal.y));
    (x != 50 || y != 50).then(|| format!("f-{x}-{y}"))
}

/// Schema.org `BreadcrumbList` for a trail of links (site paths).
pub fn breadcrumb_json_ld(site: &SiteSettings, trail: &[Link]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = trail
        .iter()
        .enumerate()
        .map(|(i, link)| {
            serde_json::json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": link.name,
                "item": site.absolute(&link.href),
            })
        })
        .collect();
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn focal_points_round_to_quarters() {
        use kiosque_domain::media::FocalPoint;
        assert_eq!(focal_class(FocalPoint::CENTRE), None);
        assert_eq!(focal_class(FocalPoint::new(0.55, 0.45)), None);
        assert_eq!(
            focal_class(FocalPoint::new(0.1, 0.9)).as_deref(),
            Some("f-0-100")
        );
        assert_eq!(
            focal_class(FocalPoint::new(0.3, 0.5)).as_deref(),
            Some("f-25-50")
        );
    }

    #[test]
    fn times_carry_the_site_offset_across_daylight_saving() {
        let site = SiteSettings::default();
        let summer = When::new(
            &site,
            Utc.with_ymd_and_hms(2018, 4, 2, 11, 5, 0).unwrap(),
            Locale::Fr,
        );
        assert_eq!(summer.iso, "2018-04-02T13:05:00+02:00");
        assert_eq!(summer.text, "02/04/2018 13:05");
        let winter = When::new(
            &site,
            Utc.with_ymd_and_hms(2018, 12, 2, 12, 5, 0).unwrap(),
            Locale::En,
        );
        assert_eq!(winter.iso, "2018-12-02T13:05:00+01:00");
        assert_eq!(winter.text, "2 Dec 2018, 13:05");
    }

    #[test]
    fn cursors_round_trip() {
        assert_eq!(parse_cursor(None).unwrap(), None);
        let (at, id) = parse_cursor(Some("1522667100-42")).unwrap().unwrap();
        assert_eq!((at.timestamp(), id.0), (1_522_667_100, 42));
        assert!(parse_cursor(Some("x-1")).is_err());
        assert!(parse_cursor(Some("12")).is_err());
    }
}
