//! Live coverage for readers: the stream on the article's page (summary, key
//! moments, pinned entry, entries newest first, fixed older pages at `?page=N`),
//! the small state document script polls (`/direct/{id}/etat.json`), the new
//! entries it then fetches (`/direct/{id}/entrees?apres=S&jusqua=T`), and the
//! live's own feeds (`/direct/{id}/rss.xml`, `atom.xml`). Every response is public,
//! filed under the article's surrogate key and purged with it.

use crate::error::AppError;
use crate::state::AppState;
use crate::views::{When, iso};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use kiosque_domain::live::{LiveEntry, LivePage};
use kiosque_domain::{Article, ArticleId, ArticleKind, Locale, SiteSettings};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/direct/{id}/etat.json", get(live_state))
        .route("/direct/{id}/entrees", get(newer_entries))
        .route("/direct/{id}/{file}", get(live_feed))
}

/// One entry as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: i64,
    pub seq: i64,
    pub anchor: String,
    pub iso: String,
    /// "14:05" today, the date and time before.
    pub time: String,
    pub title: Option<String>,
    pub body_html: String,
    pub author: String,
    pub credit: Option<String>,
    pub key_event: bool,
    pub pinned: bool,
    pub permalink: String,
}

impl EntryView {
    pub fn new(
        site: &SiteSettings,
        locale: Locale,
        article_path: &str,
        entry: &LiveEntry,
        now: DateTime<Utc>,
    ) -> Self {
        let local = site.local(entry.created_at);
        let time = if local.date_naive() == site.local(now).date_naive() {
            local.format("%H:%M").to_string()
        } else {
            When::new(site, entry.created_at, locale).text
        };
        Self {
            id: entry.id.0,
            seq: entry.seq,
            anchor: entry.anchor(),
            iso: iso(site, entry.created_at),
            time,
            title: entry.title.clone(),
            body_html: entry.body_html.clone(),
            author: entry.author_name.clone(),
            credit: entry.credit.clone(),
            key_event: entry.key_event,
            pinned: entry.pinned,
            permalink: entry.permalink(article_path),
        }
    }
}

/// A key moment: its time, its title (or the start of its text) and its link.
#[derive(Debug, Clone, Serialize)]
pub struct KeyMoment {
    pub iso: String,
    pub time: String,
    pub label: String,
    pub href: String,
}

/// What the article page adds for a live.
#[derive(Debug, Clone, Serialize)]
pub struct LiveView {
    pub open: bool,
    pub closed: Option<When>,
    pub pinned: Option<EntryView>,
    pub key_moments: Vec<KeyMoment>,
    pub entries: Vec<EntryView>,
    /// `?page=N` of the older entries, if any.
    pub older_href: Option<String>,
    pub newer_href: Option<String>,
    /// On an older page: the link back to the latest entries.
    pub latest_href: Option<String>,
    /// Script polls these, on the latest page only.
    pub state_href: Option<String>,
    pub entries_href: String,
    pub last_seq: i64,
    pub rss_href: String,
    pub js: String,
}

/// Plain text of sanitised HTML: tags dropped, the common entities read, spaces
/// collapsed (for structured data; the HTML is ours, already clean).
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // Blocks are separated by a space; inline markup leaves the words as they are.
        if matches!(
            tag.as_str(),
            "p" | "br"
                | "li"
                | "ul"
                | "ol"
                | "div"
                | "blockquote"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "figure"
                | "figcaption"
                | "table"
                | "tr"
                | "td"
                | "th"
                | "pre"
                | "hr"
                | "img"
        ) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first words of a text, cut at a word under `max` characters.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

fn entry_headline(entry: &LiveEntry) -> String {
    entry
        .title
        .clone()
        .unwrap_or_else(|| shorten(&html_text(&entry.body_html), 110))
}

/// The page of a live that `?page=` asks for (`None`: no such page).
pub fn requested_page(article: &Article, query: Option<&str>) -> Option<LivePage> {
    // The value is a number: no decoding needed.
    let value = query.and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("page=")));
    LivePage::parse(value, article.live_state().last_seq)
}

pub async fn live_view(
    state: &AppState,
    article: &Article,
    page: LivePage,
    locale: Locale,
) -> Result<LiveView, AppError> {
    let site = state.site();
    let now = state.now();
    let shown = kiosque_app::live::public_page(state, article, page).await?;
    let path = article.canonical_path();
    let view = |e: &LiveEntry| EntryView::new(&site, locale, &path, e, now);
    let live = article.live_state();
    let latest = page == LivePage::Latest;
    Ok(LiveView {
        open: live.is_open(),
        closed: live.closed_at.map(|c| When::new(&site, c, locale)),
        pinned: shown.pinned.as_ref().filter(|_| latest).map(view),
        key_moments: shown
            .key_events
            .iter()
            .map(|e| {
                let v = view(e);
                KeyMoment {
                    iso: v.iso,
                    time: v.time,
                    label: entry_headline(e),
                    href: v.permalink,
                }
            })
            .collect(),
        entries: shown.entries.iter().map(view).collect(),
        older_href: shown.older.map(|n| format!("{path}?page={n}")),
        newer_href: shown.newer.map(|n| format!("{path}?page={n}")),
        latest_href: (!latest).then(|| path.clone()),
        state_href: latest.then(|| format!("/direct/{}/etat.json", article.id.0)),
        entries_href: format!("/direct/{}/entrees", article.id.0),
        last_seq: live.last_seq,
        rss_href: format!("/direct/{}/rss.xml", article.id.0),
        js: crate::assets::live_js_href(),
    })
}

/// schema.org `LiveBlogPosting` fields added to the article's JSON-LD.
pub fn json_ld(
    site: &SiteSettings,
    article: &Article,
    view: &LiveView,
    ld: &mut serde_json::Value,
) {
    let Some(live) = article.live else { return };
    ld["@type"] = json!("LiveBlogPosting");
    if let Some(start) = article.published_at {
        ld["coverageStartTime"] = json!(iso(site, start));
    }
    if let Some(end) = live.closed_at {
        ld["coverageEndTime"] = json!(iso(site, end));
    }
    let updates: Vec<serde_json::Value> = view
        .entries
        .iter()
        .take(10)
        .map(|e| {
            let text = html_text(&e.body_html);
            json!({
                "@type": "BlogPosting",
                "headline": e.title.clone().unwrap_or_else(|| shorten(&text, 110)),
                "datePublished": e.iso,
                "articleBody": text,
                "url": site.absolute(&e.permalink),
                "author": {"@type": "Person", "name": e.author},
            })
        })
        .collect();
    ld["liveBlogUpdate"] = json!(updates);
}

/// A public live, by the id in the path (anything else: not found).
async fn public_live(state: &AppState, id: &str) -> Result<Article, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let article = state.stores.articles.article(ArticleId(id)).await?;
    if article.kind != ArticleKind::Live || !article.is_public_at(state.now()) {
        return Err(AppError::NotFound);
    }
    Ok(article)
}

fn public(mut response: Response, article: &Article, s_maxage: u32) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!(
        "public, max-age=0, s-maxage={s_maxage}, stale-while-revalidate=30"
    )) {
        response.headers_mut().insert(header::CACHE_CONTROL, v);
    }
    crate::pages::with_keys(response, [kiosque_domain::surrogate::article(article.id)])
}

/// `{"seq": 42, "open": true, "modified": "…"}`: what a reader's page polls to learn
/// that there are new entries (a few dozen bytes, kept in every cache until the next
/// entry purges it).
async fn live_state(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let article = public_live(&state, &id).await?;
    let live = article.live_state();
    let body = json!({
        "seq": live.last_seq,
        "open": live.is_open(),
        "modified": iso(&state.site(), article.modified_at),
    });
    Ok(public(axum::Json(body).into_response(), &article, 10))
}

#[derive(Debug, Deserialize)]
struct Newer {
    apres: Option<i64>,
    jusqua: Option<i64>,
}

/// The entries numbered in `(apres, jusqua]`, as the `<li>`s of the stream.
async fn newer_entries(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Newer>,
) -> Result<Response, AppError> {
    let article = public_live(&state, &id).await?;
    let last = article.live_state().last_seq;
    let after = q.apres.unwrap_or(0).clamp(0, last);
    let upto = q.jusqua.unwrap_or(last).clamp(after, last);
    let entries = kiosque_app::live::public_newer(&state, &article, after, upto).await?;
    let site = state.site();
    let locale = Locale::from_tag(&article.language).unwrap_or(site.locale);
    let path = article.canonical_path();
    let now = state.now();
    let views: Vec<EntryView> = entries
        .iter()
        .map(|e| EntryView::new(&site, locale, &path, e, now))
        .collect();
    let html = state.templates.render(
        "live_entries.html",
        json!({"entries": views, "lang": locale.code(), "ui_lang": site.locale.code()}),
    )?;
    Ok(public(crate::pages::cached_html(html, 60), &article, 60))
}

/// The live's own feeds: one item per entry, newest first.
async fn live_feed(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let atom = match file.as_str() {
        "rss.xml" => false,
        "atom.xml" => true,
        _ => return Err(AppError::NotFound),
    };
    let article = public_live(&state, &id).await?;
    let entries = state
        .stores
        .live
        .entries(article.id, kiosque_domain::live::EntryQuery::latest(30))
        .await?;
    let site = state.site();
    let mut body = if atom {
        atom_feed(&site, &article, &entries)
    } else {
        rss_feed(&site, &article, &entries)
    };
    // The WebSub hub, as in every feed: after the self link.
    if let Some(hub) = state.outbound.websub_hub.as_deref() {
        let (marker, link) = if atom {
            (
                "<link rel=\"alternate\" type=\"text/html\"",
                format!(
                    "<link rel=\"hub\" href=\"{}\"/>\n",
                    crate::pages::feeds::xml(hub)
                ),
            )
        } else {
            (
                "<lastBuildDate>",
                format!(
                    "<atom:link href=\"{}\" rel=\"hub\"/>\n",
                    crate::pages::feeds::xml(hub)
                ),
            )
        };
        match body.find(marker) {
            Some(at) => body.insert_str(at, &link),
            None => {
                if let Some(at) = body.find("</channel>").or_else(|| body.find("</feed>")) {
                    body.insert_str(at, &link);
                }
            }
        }
    }
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if atom {
            "application/atom+xml; charset=utf-8"
        } else {
            "application/rss+xml; charset=utf-8"
        }),
    );
    Ok(public(response, &article, 30))
}

fn entry_guid(site: &SiteSettings, entry: &LiveEntry) -> String {
    crate::pages::feeds::tag_uri(site, &format!("live-entry:{}", entry.id.0))
}

fn rss_feed(site: &SiteSettings, article: &Article, entries: &[LiveEntry]) -> String {
    use crate::pages::feeds::xml;
    let page = site.absolute(&article.canonical_path());
    let feed_url = site.absolute(&format!("/direct/{}/rss.xml", article.id.0));
    let mut out = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">"#,
        "\n<channel>\n"
    ));
    out.push_str(&format!(
        "<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>{}</language>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml(&article.headline),
        xml(&page),
        xml(&article.standfirst),
        xml(&article.language),
        xml(&feed_url)
    ));
    if let Some(latest) = entries.iter().map(|e| e.updated_at).max() {
        out.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            latest.to_rfc2822()
        ));
    }
    for e in entries {
        out.push_str("<item>\n");
        out.push_str(&format!(
            "<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"false\">{}</guid>\n<pubDate>{}</pubDate>\n<dc:creator>{}</dc:creator>\n<description>{}</description>\n<content:encoded>{}</content:encoded>\n",
            xml(&entry_headline(e)),
            xml(&site.absolute(&e.permalink(&article.canonical_path()))),
            xml(&entry_guid(site, e)),
            e.created_at.to_rfc2822(),
            xml(&e.author_name),
            xml(&shorten(&html_text(&e.body_html), 300)),
            xml(&e.body_html)
        ));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn atom_feed(site: &SiteSettings, article: &Article, entries: &[LiveEntry]) -> String {
    use crate::pages::feeds::xml;
    use chrono::SecondsFormat;
    let rfc3339 = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let page = site.absolute(&article.canonical_path());
    let feed_url = site.absolute(&format!("/direct/{}/atom.xml", article.id.0));
    let latest = entries
        .iter()
        .map(|e| e.updated_at)
        .max()
        .unwrap_or(article.modified_at);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(&article.language)
    );
    out.push_str(&format!(
        "<title>{}</title>\n<id>{}</id>\n<updated>{}</updated>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n",
        xml(&article.headline),
        xml(&feed_url),
        rfc3339(latest),
        xml(&feed_url),
        xml(&page),
        xml(&site.publisher)
    ));
    for e in entries {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<content type=\"html\">{}</content>\n</entry>\n",
            xml(&entry_headline(e)),
            xml(&entry_guid(site, e)),
            xml(&site.absolute(&e.permalink(&article.canonical_path()))),
            rfc3339(e.created_at),
            rfc3339(e.updated_at),
            xml(&e.author_name),
            xml(&e.body_html)
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_html_reads_entities_and_drops_tags() {
        assert_eq!(
            html_text(
                "<p>Vents à <strong>120</strong>&nbsp;km/h &amp; pluie</p><p>« Restez chez vous »</p>"
            ),
            "Vents à 120 km/h & pluie « Restez chez vous »"
        );
        assert_eq!(shorten("un deux trois quatre", 12), "un deux…");
    }
}
