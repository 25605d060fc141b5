//! Embeds in a page: the body's bare-link paragraphs replaced by their stored
//! placeholder or card (template `embed.html`). Nothing here asks a provider: what
//! the page shows was stored when the article was saved.

use crate::state::AppState;
use kiosque_domain::Locale;
use kiosque_domain::embed::{Embed, EmbedStyle};
use serde::Serialize;

/// One embed as the template sees it.
#[derive(Debug, Serialize)]
struct EmbedView<'a> {
    url: &'a str,
    provider: &'a str,
    /// `frame` (a placeholder the reader turns into the player), `card` (text,
    /// author, date), or `link` (nothing stored: a plain link).
    style: &'static str,
    title: &'a str,
    author_name: &'a str,
    author_url: &'a str,
    frame_src: Option<&'a str>,
    ratio_class: &'static str,
    card_text: &'a str,
    card_date: &'a str,
    thumb: Option<Thumb>,
    /// In a feed or a mail: never a player, addresses absolute.
    syndicated: bool,
}

#[derive(Debug, Serialize)]
struct EmbedContext<'a> {
    e: EmbedView<'a>,
    ui_lang: &'static str,
}

#[derive(Debug, Serialize)]
struct Thumb {
    url: String,
    width: u32,
    height: u32,
}

/// Where an embed is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A reader's page: frames behind a consent placeholder.
    Page,
    /// A feed or a newsletter: a card with absolute addresses, never a frame.
    Syndicated,
}

/// The HTML a line holding only `url` renders to: what the body has in place of
/// the embed.
fn bare_link_html(url: &str) -> String {
    kiosque_domain::body::render_body(url).html
}

/// `body_html` with each embed's bare-link paragraph replaced by its placeholder or
/// card; whether a player can be loaded (the page then needs `embeds.js`).
pub fn embed_body(
    state: &AppState,
    body_html: &str,
    embeds: &[Embed],
    locale: Locale,
    context: Context,
) -> (String, bool) {
    let site = state.site();
    let mut html = body_html.to_owned();
    let mut frames = false;
    for embed in embeds {
        let needle = bare_link_html(&embed.url);
        if needle.is_empty() || !html.contains(needle.trim_end()) {
            continue;
        }
        // The player's address is checked again against the providers configured
        // now: one taken off the list is no longer framed.
        let framable = embed.frame_src.as_deref().is_some_and(|src| {
            state
                .embeds
                .providers
                .find(&embed.url)
                .is_some_and(|p| p.allows_frame(src))
        });
        let style = match (embed.style, &embed.frame_src) {
            (EmbedStyle::Frame, Some(_)) if context == Context::Page && framable => "frame",
            (EmbedStyle::Frame, Some(_)) => "link",
            (EmbedStyle::Card, _) if !embed.card_text.is_empty() => "card",
            _ => "link",
        };
        frames |= style == "frame";
        let view = EmbedView {
            url: &embed.url,
            provider: &embed.provider,
            style,
            title: &embed.title,
            author_name: &embed.author_name,
            author_url: &embed.author_url,
            frame_src: embed.frame_src.as_deref(),
            ratio_class: embed.ratio_class(),
            card_text: &embed.card_text,
            card_date: &embed.card_date,
            thumb: embed.thumbnail.as_ref().map(|t| Thumb {
                url: if context == Context::Syndicated {
                    site.absolute(&t.url)
                } else {
                    t.url.clone()
                },
                width: t.width,
                height: t.height,
            }),
            syndicated: context == Context::Syndicated,
        };
        let rendered = match state.templates.render(
            "embed.html",
            EmbedContext {
                e: view,
                ui_lang: locale.code(),
            },
        ) {
            Ok(rendered) => rendered,
            Err(e) => {
                tracing::warn!(error = %e, "cannot render an embed");
                continue;
            }
        };
        html = html.replacen(needle.trim_end(), rendered.trim(), 1);
    }
    (html, frames)
}

/// Whether the article's Markdown names anything that may be an embed (so that a
/// page without one costs no query).
pub fn may_embed(markdown: &str) -> bool {
    markdown.lines().any(|line| {
        let line = line.trim_start().trim_start_matches('<');
        line.starts_with("https://") || line.starts_with("http://")
    })
}
