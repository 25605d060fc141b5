//! Feeds: RSS 2.0 (with `content:encoded`, `dc:creator`, a Media RSS image and its
//! credit), Atom 1.0 and JSON Feed 1.1, for the whole site, each section, each tag and
//! each contributor. `rss.xml`, `atom.xml` and `feed.json` sit under the page they
//! follow (`/monde/rss.xml`, `/tags/climat/atom.xml`), the site's at the root.
//!
//! Dates: RFC 822 in RSS, RFC 3339 (UTC, `Z`) in Atom and JSON Feed. Entry ids are tag
//! URIs built from the article id, so they never change, even when a slug does. Only
//! published articles appear: the same query as the listings.

use crate::error::AppError;
use crate::state::AppState;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use kiosque_domain::store::{ListQuery, Scope};
use kiosque_domain::{Article, SiteSettings};

pub use crate::links::FeedFormat;
use serde_json::json;

/// Entries per feed.
const FEED_SIZE: u32 = 30;

/// What a feed follows.
#[derive(Debug, Clone)]
pub struct FeedSource {
    pub scope: Scope,
    /// The HTML page it mirrors, ending in `/`.
    pub page_path: String,
    pub title: String,
    pub description: String,
}

pub async fn render_feed(
    state: &AppState,
    source: FeedSource,
    format: FeedFormat,
) -> Result<Response, AppError> {
    let site = state.site();
    let summaries = state
        .stores
        .articles
        .list_published(&ListQuery::latest(
            source.scope.clone(),
            state.now(),
            FEED_SIZE,
        ))
        .await?;
    // Entries carry whole bodies: every article at once, in a few queries.
    let ids: Vec<kiosque_domain::ArticleId> = summaries.iter().map(|s| s.id).collect();
    let mut articles = state.stores.articles.articles(&ids).await?;
    // Embeds as cards with absolute addresses: a feed reader never gets a player.
    for article in &mut articles {
        if crate::embeds::may_embed(&article.body_markdown) {
            let embeds = kiosque_app::embeds::of_article(state, article.id).await?;
            let locale = kiosque_domain::Locale::from_tag(&article.language).unwrap_or(site.locale);
            article.body_html = crate::embeds::embed_body(
                state,
                &article.body_html,
                &embeds,
                locale,
                crate::embeds::Context::Syndicated,
            )
            .0;
        }
    }
    let feed_url = site.absolute(&format!("{}{}", source.page_path, format.file()));
    let hub = state.outbound.websub_hub.as_deref();
    let body = match format {
        FeedFormat::Rss => rss(&site, &source, &feed_url, hub, &articles),
        FeedFormat::Atom => atom(&site, &source, &feed_url, hub, &articles),
        FeedFormat::Json => json_feed(&site, &source, &feed_url, hub, &articles),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    // WebSub discovery in the headers too (W3C WebSub §4).
    if let Some(hub) = hub
        && let Ok(link) =
            HeaderValue::from_str(&format!("<{hub}>; rel=\"hub\", <{feed_url}>; rel=\"self\""))
    {
        headers.insert(header::LINK, link);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(match format {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
        }),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=0, s-maxage=60, stale-while-revalidate=300"),
    );
    Ok(crate::pages::with_keys(
        response,
        [kiosque_domain::surrogate::FEEDS.to_owned()],
    ))
}

/// Escapes text for XML content and attribute values.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn rfc822(at: DateTime<Utc>) -> String {
    at.to_rfc2822()
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A permanent id: `tag:<host>,2026:article:<id>`, unchanged by slug or section moves.
fn entry_id(site: &SiteSettings, article: &Article) -> String {
    tag_uri(site, &format!("article:{}", article.id))
}

/// A permanent `tag:` URI (RFC 4151) on the site's host: `tag:<host>,2026:<what>`.
pub(crate) fn tag_uri(site: &SiteSettings, what: &str) -> String {
    let host = site
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or(&site.base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost");
    format!("tag:{host},2026:{what}")
}

fn feed_id(site: &SiteSettings, page_path: &str) -> String {
    site.absolute(page_path)
}

fn updated(article: &Article) -> DateTime<Utc> {
    article
        .updated_at
        .or(article.published_at)
        .unwrap_or(article.modified_at)
}

fn authors(article: &Article) -> Vec<String> {
    let mut names: Vec<String> = article
        .contributors
        .iter()
        .map(|c| c.name.clone())
        .collect();
    names.extend(article.agencies.iter().map(|a| a.name.clone()));
    names
}

fn rss(
    site: &SiteSettings,
    source: &FeedSource,
    feed_url: &str,
    hub: Option<&str>,
    articles: &[Article],
) -> String {
    let mut out = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">"#,
        "\n<channel>\n"
    ));
    out.push_str(&format!(
        "<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>{}</language>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml(&source.title),
        xml(&site.absolute(&source.page_path)),
        xml(&source.description),
        xml(site.locale.code()),
        xml(feed_url)
    ));
    if let Some(hub) = hub {
        out.push_str(&format!("<atom:link href=\"{}\" rel=\"hub\"/>\n", xml(hub)));
    }
    if let Some(latest) = articles.iter().map(updated).max() {
        out.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            rfc822(latest)
        ));
    }
    for a in articles {
        let url = site.absolute(&a.canonical_path());
        out.push_str("<item>\n");
        out.push_str(&format!(
            "<title>{}</title>\n<link>{}</link>\n",
            xml(&a.headline),
            xml(&url)
        ));
        out.push_str(&format!(
            "<guid isPermaLink=\"false\">{}</guid>\n",
            xml(&entry_id(site, a))
        ));
        if let Some(p) = a.published_at {
            out.push_str(&format!("<pubDate>{}</pubDate>\n", rfc822(p)));
        }
        for name in authors(a) {
            out.push_str(&format!("<dc:creator>{}</dc:creator>\n", xml(&name)));
        }
        out.push_str(&format!("<category>{}</category>\n", xml(&a.section.name)));
        out.push_str(&format!(
            "<description>{}</description>\n",
            xml(&a.standfirst)
        ));
        out.push_str(&format!(
            "<content:encoded>{}</content:encoded>\n",
            xml(&a.body_html)
        ));
        if let Some(lead) = &a.lead_image {
            let image = lead.media.best_for_width(960);
            let credit = if lead.credit.is_empty() {
                &lead.media.credit
            } else {
                &lead.credit
            };
            out.push_str(&format!(
                "<media:content url=\"{}\" medium=\"image\" type=\"{}\" width=\"{}\" height=\"{}\">",
                xml(&site.absolute(&image.url)),
                if image.url.ends_with(".png") { "image/png" } else { "image/jpeg" },
                image.width,
                image.height
            ));
            if !lead.caption.is_empty() {
                out.push_str(&format!(
                    "<media:description>{}</media:description>",
                    xml(&lead.caption)
                ));
            }
            if !credit.is_empty() {
                out.push_str(&format!("<media:credit>{}</media:credit>", xml(credit)));
            }
            out.push_str("</media:content>\n");
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn atom(
    site: &SiteSettings,
    source: &FeedSource,
    feed_url: &str,
    hub: Option<&str>,
    articles: &[Article],
) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(site.locale.code())
    );
    let latest = articles
        .iter()
        .map(updated)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    out.push_str(&format!(
        "<title>{}</title>\n<subtitle>{}</subtitle>\n<id>{}</id>\n<updated>{}</updated>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n",
        xml(&source.title),
        xml(&source.description),
        xml(&feed_id(site, &source.page_path)),
        rfc3339(latest),
        xml(feed_url),
        xml(&site.absolute(&source.page_path)),
        xml(&site.publisher)
    ));
    if let Some(hub) = hub {
        out.push_str(&format!("<link rel=\"hub\" href=\"{}\"/>\n", xml(hub)));
    }
    for a in articles {
        out.push_str("<entry>\n");
        out.push_str(&format!(
            "<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}</updated>\n",
            xml(&a.headline),
            xml(&entry_id(site, a)),
            xml(&site.absolute(&a.canonical_path())),
            rfc3339(updated(a))
        ));
        if let Some(p) = a.published_at {
            out.push_str(&format!("<published>{}</published>\n", rfc3339(p)));
        }
        for name in authors(a) {
            out.push_str(&format!("<author><name>{}</name></author>\n", xml(&name)));
        }
        out.push_str(&format!("<category term=\"{}\"/>\n", xml(&a.section.name)));
        out.push_str(&format!(
            "<summary type=\"text\">{}</summary>\n",
            xml(&a.standfirst)
        ));
        out.push_str(&format!(
            "<content type=\"html\">{}</content>\n",
            xml(&a.body_html)
        ));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn json_feed(
    site: &SiteSettings,
    source: &FeedSource,
    feed_url: &str,
    hub: Option<&str>,
    articles: &[Article],
) -> String {
    let items: Vec<serde_json::Value> = articles
        .iter()
        .map(|a| {
            let mut item = json!({
                "id": entry_id(site, a),
                "url": site.absolute(&a.canonical_path()),
                "title": a.headline,
                "summary": a.standfirst,
                "content_html": a.body_html,
                "date_modified": rfc3339(updated(a)),
                "authors": authors(a).into_iter().map(|name| json!({"name": name})).collect::<Vec<_>>(),
                "tags": a.tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
                "language": a.language,
            });
            if let Some(p) = a.published_at {
                item["date_published"] = json!(rfc3339(p));
            }
            if let Some(lead) = &a.lead_image {
                item["image"] = json!(site.absolute(&lead.media.best_for_width(960).url));
            }
            item
        })
        .collect();
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": source.title,
        "home_page_url": site.absolute(&source.page_path),
        "feed_url": feed_url,
        "description": source.description,
        "language": site.locale.code(),
        "items": items,
    });
    if let Some(hub) = hub {
        feed["hubs"] = json!([{"type": "WebSub", "url": hub}]);
    }
    serde_json::to_string_pretty(&feed).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_and_dates() {
        assert_eq!(
            xml("Tom & \"Jerry\" <b>'s\u{1}"),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&apos;s"
        );
        let at = DateTime::parse_from_rfc3339("2026-11-27T08:05:00+01:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(rfc822(at), "Fri, 27 Nov 2026 07:05:00 +0000");
        assert_eq!(rfc3339(at), "2026-11-27T07:05:00Z");
        assert_eq!(FeedFormat::from_file("atom.xml"), Some(FeedFormat::Atom));
        assert_eq!(
            crate::links::feed_links("/monde/", "Monde")[0].href,
            "/monde/rss.xml"
        );
    }
}
