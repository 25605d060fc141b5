//! Videos and sounds of the library in an article's body: a line holding only a
//! library address (`/media/…/x.mp4`) becomes a `<video controls preload="none">`
//! (poster, WebVTT captions as `<track>`) or an `<audio controls preload="none">`,
//! with a download link inside for browsers that play neither, and a `VideoObject`
//! or `AudioObject` for the page's JSON-LD. Nothing is fetched before the reader
//! presses play.

use crate::state::AppState;
use kiosque_domain::media::{AvDetails, Media};
use serde_json::{Value, json};

const OPEN: &str = "<p>/media/";

/// Whether the body has a line that may be a player (no query otherwise).
pub fn has_players(html: &str) -> bool {
    html.contains(OPEN)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the page says about the article, for each player's structured data.
pub struct About<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub locale: kiosque_domain::Locale,
}

fn player(state: &AppState, media: &Media, av: &AvDetails, about: &About<'_>) -> String {
    let c = &state.catalogs;
    let src = escape(&media.url());
    let mime = escape(&media.mime);
    let download = escape(&c.text(
        about.locale,
        if av.kind == "video" {
            "player-download-video"
        } else {
            "player-download-audio"
        },
    ));
    let credit = media.credit.trim();
    let caption = if credit.is_empty() {
        String::new()
    } else {
        format!(
            "<figcaption><span class=\"credit\">({})</span></figcaption>",
            escape(credit)
        )
    };
    if av.kind == "video" {
        let poster = av
            .poster
            .as_ref()
            .map(|p| format!(" poster=\"{}\"", escape(&p.url)))
            .unwrap_or_default();
        let track = av
            .captions_url
            .as_ref()
            .map(|url| {
                format!(
                    "<track kind=\"captions\" src=\"{}\" srclang=\"{}\" label=\"{}\" default>",
                    escape(url),
                    escape(&av.captions_lang),
                    escape(&c.text(about.locale, "player-captions"))
                )
            })
            .unwrap_or_default();
        format!(
            "<figure class=\"av av--video\"><video controls preload=\"none\" width=\"{}\" height=\"{}\"{poster}><source src=\"{src}\" type=\"{mime}\">{track}<a href=\"{src}\">{download}</a></video>{caption}</figure>",
            media.width, media.height
        )
    } else {
        format!(
            "<figure class=\"av av--audio\"><audio controls preload=\"none\"><source src=\"{src}\" type=\"{mime}\"><a href=\"{src}\">{download}</a></audio>{caption}</figure>"
        )
    }
}

fn structured(state: &AppState, media: &Media, av: &AvDetails, about: &About<'_>) -> Value {
    let site = state.site();
    let mut object = json!({
        "@type": if av.kind == "video" { "VideoObject" } else { "AudioObject" },
        "name": if media.alt.trim().is_empty() { about.name } else { media.alt.trim() },
        "description": about.description,
        "uploadDate": media.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "duration": av.iso_duration(),
        "contentUrl": site.absolute(&media.url()),
        "encodingFormat": media.mime,
    });
    if let Some(poster) = &av.poster {
        object["thumbnailUrl"] = json!(site.absolute(&poster.url));
    }
    if av.kind == "video" {
        object["width"] = json!(media.width);
        object["height"] = json!(media.height);
    }
    object
}

/// The body with its library videos and sounds made players, and their structured
/// data.
pub async fn render(
    state: &AppState,
    html: &str,
    about: &About<'_>,
) -> Result<(String, Vec<Value>), crate::error::AppError> {
    let mut keys = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(OPEN) {
        let start = from + at + "<p>".len();
        let Some(end) = html[start..].find("</p>") else {
            break;
        };
        let key = &html[start + "/media/".len()..start + end];
        if !key.contains(['<', '"', ' ']) {
            keys.push(key.to_owned());
        }
        from = start + end;
    }
    keys.sort();
    keys.dedup();
    let media: Vec<Media> = state
        .stores
        .media
        .media_by_keys(&keys)
        .await?
        .into_iter()
        .filter(|m| m.mime.starts_with("video/") || m.mime.starts_with("audio/"))
        .collect();
    if media.is_empty() {
        return Ok((html.to_owned(), Vec::new()));
    }
    let ids: Vec<_> = media.iter().map(|m| m.id).collect();
    let details = state.stores.media.av_details(&ids).await?;
    let mut out = html.to_owned();
    let mut objects = Vec::new();
    for m in &media {
        let Some(av) = details.iter().find(|d| d.media_id == m.id) else {
            continue;
        };
        let line = format!("<p>{}</p>", escape(&m.url()));
        if out.contains(&line) {
            out = out.replacen(&line, &player(state, m, av, about), 1);
            objects.push(structured(state, m, av, about));
        }
    }
    Ok((out, objects))
}
