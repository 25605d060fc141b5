//! Embeds, fetched when an article is saved. The server asks the provider's oEmbed
//! endpoint (only endpoints Kiosque knows or the operator configured; the URL the
//! journalist typed is only ever a query parameter), with a timeout and a size cap,
//! keeps the answer and copies the thumbnail into the media library. Reading a page
//! never calls a provider; a provider that fails leaves what was stored before, or
//! a plain link.

use crate::{App, Error, Result, policy, policy::Actor};
use kiosque_domain::ArticleId;
use kiosque_domain::embed::{Embed, EmbedStyle, NewEmbed, Provider, Providers};
use std::time::Duration;

/// `[embeds]`: the providers and how they are asked.
#[derive(Debug, Clone)]
pub struct EmbedSettings {
    pub providers: Providers,
    /// Longest wait for one answer (oEmbed or thumbnail).
    pub timeout: Duration,
    /// Largest oEmbed answer read.
    pub max_bytes: usize,
}

impl Default for EmbedSettings {
    fn default() -> Self {
        Self {
            providers: Providers::new(Vec::new(), &[]),
            timeout: Duration::from_secs(5),
            max_bytes: 256 * 1024,
        }
    }
}

/// Largest thumbnail copied into the library.
const MAX_THUMBNAIL_BYTES: usize = 8 * 1024 * 1024;
/// Providers asked at once for one article.
const CONCURRENCY: usize = 4;
/// A failed embed is asked again on a later save only after this long (always on
/// an explicit refresh).
const RETRY_AFTER: chrono::Duration = chrono::Duration::minutes(10);
/// Most embeds fetched for one article.
pub const MAX_PER_ARTICLE: usize = 30;
/// Longest text kept for a title, an author or a card.
const MAX_TEXT: usize = 2_000;

/// After a save: fetches the embeds `markdown` names that are not stored yet (all of
/// them with `force`), stores them and links them to the article. Never fails the
/// save: a provider's failure is recorded on the embed; storage errors are logged.
pub async fn after_save(app: &App, article: ArticleId, markdown: &str, force: bool) -> Vec<Embed> {
    match refresh(app, article, markdown, force).await {
        Ok(embeds) => embeds,
        Err(e) => {
            tracing::warn!(error = %e, article = article.0, "cannot store the article's embeds");
            Vec::new()
        }
    }
}

/// Fetches the article's embeds again (the editor's "refresh" button, the API).
pub async fn refresh_article(app: &App, actor: &Actor, id: ArticleId) -> Result<Vec<Embed>> {
    let article = app.stores.articles.article(id).await?;
    policy::edit(actor, &article)?;
    let embeds = refresh(app, id, &article.body_markdown, true).await?;
    if article.is_public_at(app.now()) {
        app.public_changed();
    }
    Ok(embeds)
}

/// The embeds of an article, as stored (a reader's page, the editor).
pub async fn of_article(app: &App, id: ArticleId) -> Result<Vec<Embed>> {
    Ok(app.stores.media.article_embeds(id).await?)
}

async fn refresh(app: &App, article: ArticleId, markdown: &str, force: bool) -> Result<Vec<Embed>> {
    let settings = &app.embeds;
    let wanted: Vec<(String, Provider)> = kiosque_domain::embed::bare_urls(markdown)
        .into_iter()
        .filter_map(|url| {
            let provider = settings.providers.find(&url)?.clone();
            Some((url, provider))
        })
        .take(MAX_PER_ARTICLE)
        .collect();
    let mut stored = Vec::with_capacity(wanted.len());
    let mut to_fetch = Vec::new();
    let now = app.now();
    for (url, provider) in wanted {
        match app.stores.media.embed_by_url(&url).await? {
            // Stored and fine; or failed a short while ago (a dead provider is not
            // asked again at every autosave).
            Some(embed)
                if !force && (embed.error.is_none() || now - embed.fetched_at < RETRY_AFTER) =>
            {
                stored.push(embed);
            }
            existing => to_fetch.push((url, provider, existing)),
        }
    }
    let client = client(settings.timeout)?;
    use futures_util::StreamExt;
    let fetched: Vec<_> =
        futures_util::stream::iter(to_fetch.into_iter().map(|(url, provider, existing)| {
            let client = client.clone();
            async move {
                let outcome = fetch(app, &client, &provider, &url, existing.as_ref()).await;
                (url, provider, existing, outcome)
            }
        }))
        .buffered(CONCURRENCY)
        .collect()
        .await;
    for (url, provider, existing, outcome) in fetched {
        let new = match outcome {
            Ok(new) => new,
            Err(reason) => {
                tracing::info!(provider = %provider.name, %reason, "embed not fetched");
                // What was stored before stays; the failure is noted beside it.
                let mut kept = existing.map(stored_as_new).unwrap_or_else(|| NewEmbed {
                    url: url.clone(),
                    provider: provider.name.clone(),
                    style: provider.style,
                    ..NewEmbed::default()
                });
                kept.error = Some(shorten(&reason, 300));
                kept
            }
        };
        stored.push(app.stores.media.save_embed(&new, app.now()).await?);
    }
    let ids: Vec<i64> = stored.iter().map(|e| e.id).collect();
    app.stores.media.link_embeds(article, &ids).await?;
    Ok(stored)
}

fn stored_as_new(e: Embed) -> NewEmbed {
    NewEmbed {
        url: e.url,
        provider: e.provider,
        style: e.style,
        title: e.title,
        author_name: e.author_name,
        author_url: e.author_url,
        frame_src: e.frame_src,
        width: e.width,
        height: e.height,
        card_text: e.card_text,
        card_date: e.card_date,
        thumbnail: e.thumbnail_media,
        thumbnail_src: e.thumbnail_src,
        error: None,
    }
}

fn client(timeout: Duration) -> Result<reqwest::Client> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        // An answer that redirects goes nowhere: the next address was not chosen by
        // the operator.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Kiosque/", env!("CARGO_PKG_VERSION"), " (oEmbed)"))
        .build()
        .map_err(|e| Error::Internal(format!("embed client: {e}")))
}

/// Reads at most `cap` bytes of a successful answer; more is an error.
async fn read_capped(
    client: &reqwest::Client,
    url: reqwest::Url,
    cap: usize,
) -> std::result::Result<Vec<u8>, String> {
    let mut response = client.get(url).send().await.map_err(|e| {
        // reqwest's message names the address with its query; the provider's name
        // is enough in logs.
        if e.is_timeout() {
            "timed out".to_owned()
        } else if e.is_connect() {
            "cannot connect".to_owned()
        } else {
            "request failed".to_owned()
        }
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("answered {}", status.as_u16()));
    }
    if response
        .content_length()
        .is_some_and(|len| len > cap as u64)
    {
        return Err(format!("answer larger than {cap} bytes"));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| "answer cut short".to_owned())?
    {
        if body.len() + chunk.len() > cap {
            return Err(format!("answer larger than {cap} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Asks the provider about `url` and builds what to store.
async fn fetch(
    app: &App,
    client: &reqwest::Client,
    provider: &Provider,
    url: &str,
    existing: Option<&Embed>,
) -> std::result::Result<NewEmbed, String> {
    let mut endpoint =
        reqwest::Url::parse(&provider.endpoint).map_err(|_| "invalid endpoint".to_owned())?;
    endpoint
        .query_pairs_mut()
        .append_pair("url", url)
        .append_pair("format", "json")
        .append_pair("maxwidth", "960");
    let body = read_capped(client, endpoint, app.embeds.max_bytes).await?;
    let answer: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| "the answer is not JSON".to_owned())?;
    let answer = answer
        .as_object()
        .ok_or_else(|| "the answer is not a JSON object".to_owned())?;
    let text = |key: &str| -> String {
        answer
            .get(key)
            .and_then(|v| v.as_str())
            .map(|s| shorten(s.trim(), MAX_TEXT))
            .unwrap_or_default()
    };
    let number = |key: &str| -> u32 {
        answer
            .get(key)
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
            .min(10_000)
    };
    let html = answer
        .get("html")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let mut new = NewEmbed {
        url: url.to_owned(),
        provider: provider.name.clone(),
        style: provider.style,
        title: text("title"),
        author_name: text("author_name"),
        author_url: safe_link(&text("author_url")),
        width: number("width"),
        height: number("height"),
        ..NewEmbed::default()
    };
    match provider.style {
        EmbedStyle::Frame => {
            let src = kiosque_domain::embed::iframe_src(html)
                .map(|src| privacy_enhanced(&src))
                .filter(|src| provider.allows_frame(src));
            match src {
                Some(src) => new.frame_src = Some(src),
                // A player Kiosque cannot frame safely is shown as a card.
                None => new.style = EmbedStyle::Card,
            }
        }
        EmbedStyle::Card => {}
    }
    if new.style == EmbedStyle::Card {
        let (text, date) = kiosque_domain::embed::card_parts(html);
        new.card_text = shorten_html(&text, MAX_TEXT);
        new.card_date = shorten_html(&date, 100);
    }
    let thumbnail = text("thumbnail_url");
    let reusable = existing
        .filter(|e| e.thumbnail_src.as_deref() == Some(thumbnail.as_str()))
        .and_then(|e| e.thumbnail_media);
    if let Some(id) = reusable {
        // The same picture as last time: the library's copy stays.
        new.thumbnail = Some(id);
        new.thumbnail_src = Some(thumbnail);
    } else if !thumbnail.is_empty() {
        new.thumbnail_src = Some(thumbnail.clone());
        if provider.allows_image(&thumbnail) {
            match copy_thumbnail(app, client, provider, &thumbnail, &new.title).await {
                Ok(id) => new.thumbnail = Some(id),
                Err(reason) => {
                    tracing::info!(provider = %provider.name, %reason, "embed thumbnail not copied");
                }
            }
        } else {
            tracing::info!(provider = %provider.name, "embed thumbnail on another origin, not fetched");
        }
    }
    Ok(new)
}

async fn copy_thumbnail(
    app: &App,
    client: &reqwest::Client,
    provider: &Provider,
    src: &str,
    title: &str,
) -> std::result::Result<kiosque_domain::MediaId, String> {
    let url = reqwest::Url::parse(src).map_err(|_| "invalid thumbnail address".to_owned())?;
    let bytes = read_capped(client, url, MAX_THUMBNAIL_BYTES).await?;
    let library = kiosque_media::MediaLibrary::new(app.blobs.clone(), app.stores.media.clone());
    let media = library
        .add_image(
            bytes,
            kiosque_media::ImageMeta {
                name: format!("embed-{}", provider.name),
                alt: title.to_owned(),
                credit: provider.name.clone(),
                copyright: String::new(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(media.id)
}

/// YouTube's players from its no-cookie host: nothing is set in the reader's
/// browser before they press play.
fn privacy_enhanced(src: &str) -> String {
    for prefix in [
        "https://www.youtube.com/embed/",
        "https://youtube.com/embed/",
    ] {
        if let Some(rest) = src.strip_prefix(prefix) {
            return format!("https://www.youtube-nocookie.com/embed/{rest}");
        }
    }
    src.to_owned()
}

/// An http(s) link, or nothing.
fn safe_link(url: &str) -> String {
    if kiosque_domain::embed::origin_of(url).is_some() {
        url.to_owned()
    } else {
        String::new()
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// [`shorten`] for escaped text: never ends inside an entity (`&am`).
fn shorten_html(s: &str, max: usize) -> String {
    let mut short = shorten(s, max);
    if let Some(amp) = short.rfind('&')
        && !short[amp..].contains(';')
    {
        short.truncate(amp);
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_players_come_from_the_no_cookie_host() {
        assert_eq!(
            privacy_enhanced("https://www.youtube.com/embed/abc?feature=oembed"),
            "https://www.youtube-nocookie.com/embed/abc?feature=oembed"
        );
        assert_eq!(
            privacy_enhanced("https://player.vimeo.com/video/1"),
            "https://player.vimeo.com/video/1"
        );
        assert_eq!(safe_link("javascript:alert(1)"), "");
        assert_eq!(shorten("élan", 2), "é");
        assert_eq!(shorten_html("Pierre &amp; Paul", 10), "Pierre ");
        assert_eq!(shorten_html("Pierre &amp; Paul", 12), "Pierre &amp;");
    }
}
