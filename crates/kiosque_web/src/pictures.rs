//! Library pictures in an article's body: each `<figure><img src="/media/…">` the
//! Markdown renderer made gets the picture's renditions (`srcset` and `sizes` in
//! WebP and JPEG), its width and height (no layout shift) and its credit; two or more
//! pictures in a row become a gallery, a list of figures that `gallery.js` turns
//! into a carousel (buttons, arrow keys, swipe by scroll snapping).

use crate::state::AppState;
use kiosque_domain::media::{Media, WEBP};
use kiosque_domain::url::media_path;
use serde_json::{Value, json};

/// What the body's pictures became.
#[derive(Debug, Default)]
pub struct Enriched {
    pub html: String,
    /// `ImageGallery` JSON-LD objects, one per gallery.
    pub galleries: Vec<Value>,
}

/// One `<figure>` of the stored body: where it is and what it holds.
struct Found {
    start: usize,
    end: usize,
    key: String,
    alt: String,
    caption: Option<String>,
}

const FIGURE_OPEN: &str = "<figure><img src=\"/media/";
const SIZES: &str = "(min-width: 60rem) 46rem, 100vw";

/// The body's figures of library pictures, in order. The stored body is the
/// sanitiser's output, so the markup is regular: `<figure><img src="…" alt="…"
/// [title="…"]>[<figcaption>…</figcaption>]</figure>`.
fn figures(html: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(FIGURE_OPEN) {
        let start = from + at;
        let Some(close) = html[start..].find("</figure>") else {
            break;
        };
        let end = start + close + "</figure>".len();
        from = end;
        let inner = &html[start..end];
        let attribute = |name: &str| -> Option<String> {
            let img = inner.find("<img ")?;
            let tag = &inner[img..img + inner[img..].find('>')?];
            let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[at..at + tag[at..].find('"')?].to_owned())
        };
        let Some(src) = attribute("src") else {
            continue;
        };
        let caption = inner.find("<figcaption>").and_then(|open| {
            let open = open + "<figcaption>".len();
            Some(inner[open..open + inner[open..].find("</figcaption>")?].to_owned())
        });
        found.push(Found {
            start,
            end,
            key: src["/media/".len()..].to_owned(),
            alt: attribute("alt").unwrap_or_default(),
            caption,
        });
    }
    found
}

/// Whether the body holds a library picture (so that a page without one costs no
/// query).
pub fn has_pictures(html: &str) -> bool {
    html.contains(FIGURE_OPEN)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn srcset(media: &Media, mime: &str, with_original: bool) -> String {
    let mut parts: Vec<String> = media
        .renditions_of(mime)
        .map(|r| format!("{} {}w", media_path(&r.storage_key), r.width))
        .collect();
    if with_original {
        parts.push(format!("{} {}w", media.url(), media.width));
    }
    parts.join(", ")
}

/// The figure of a library picture: renditions, size, caption (as the journalist
/// wrote it, already escaped by the renderer) and credit.
fn figure(media: &Media, alt: &str, caption: Option<&str>) -> String {
    let display = media.best_for_width(960);
    let webp = srcset(media, WEBP, false);
    let jpeg = srcset(media, &media.jpeg_family(), true);
    let mut out = String::from("<figure class=\"body-figure\"><picture>");
    if !webp.is_empty() {
        out.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{SIZES}\">"
        ));
    }
    out.push_str(&format!(
        "<img src=\"{}\" srcset=\"{jpeg}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" alt=\"{alt}\" loading=\"lazy\" decoding=\"async\"></picture>",
        display.url, media.width, media.height
    ));
    let credit = media.credit.trim();
    if caption.is_some() || !credit.is_empty() {
        out.push_str("<figcaption>");
        if let Some(caption) = caption {
            out.push_str(caption);
        }
        if !credit.is_empty() {
            if caption.is_some() {
                out.push(' ');
            }
            out.push_str(&format!(
                "<span class=\"credit\">({})</span>",
                escape(credit)
            ));
        }
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>");
    out
}

/// The body with its library pictures completed and its runs of pictures made
/// galleries, labelled in `locale` (the article's language).
pub async fn enrich(
    state: &AppState,
    html: &str,
    locale: kiosque_domain::Locale,
) -> Result<Enriched, crate::error::AppError> {
    let c = &state.catalogs;
    let label = |n: usize| c.message(locale, "gallery-label", &[("count", n.into())]);
    let found = figures(html);
    if found.is_empty() {
        return Ok(Enriched {
            html: html.to_owned(),
            galleries: Vec::new(),
        });
    }
    let mut keys: Vec<String> = found.iter().map(|f| f.key.clone()).collect();
    keys.sort();
    keys.dedup();
    let library = state.stores.media.media_by_keys(&keys).await?;
    let site = state.site();

    // Runs of figures with nothing but white space between them.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        let joined = i > 0 && html[found[i - 1].end..f.start].trim().is_empty();
        match runs.last_mut() {
            Some(run) if joined => run.push(i),
            _ => runs.push(vec![i]),
        }
    }

    let mut out = String::with_capacity(html.len() + html.len() / 2);
    let mut galleries = Vec::new();
    let mut at = 0;
    for run in runs {
        let first = &found[run[0]];
        let last = &found[run[run.len() - 1]];
        out.push_str(&html[at..first.start]);
        at = last.end;
        let rendered: Vec<(String, Option<&Media>)> = run
            .iter()
            .map(|&i| {
                let f = &found[i];
                let media = library.iter().find(|m| m.storage_key == f.key);
                let html = match media {
                    Some(m) => figure(m, &f.alt, f.caption.as_deref()),
                    None => html[f.start..f.end].to_owned(),
                };
                (html, media)
            })
            .collect();
        if run.len() < 2 {
            out.push_str(&rendered[0].0);
            continue;
        }
        let number = galleries.len() + 1;
        out.push_str(&format!(
            "<section class=\"gallery\" id=\"galerie-{number}\" aria-label=\"{}\" aria-roledescription=\"{}\" data-gallery data-previous=\"{}\" data-next=\"{}\"><ol class=\"gallery__list\">",
            escape(&label(run.len())),
            escape(&c.text(locale, "gallery-role")),
            escape(&c.text(locale, "gallery-previous")),
            escape(&c.text(locale, "gallery-next")),
        ));
        for (i, (figure, _)) in rendered.iter().enumerate() {
            out.push_str(&format!(
                "<li class=\"gallery__item\" id=\"galerie-{number}-{}\">{figure}</li>",
                i + 1
            ));
        }
        out.push_str("</ol></section>");
        let images: Vec<Value> = run
            .iter()
            .zip(&rendered)
            .filter_map(|(&i, (_, media))| {
                let m = (*media)?;
                let f = &found[i];
                let mut image = json!({
                    "@type": "ImageObject",
                    "contentUrl": site.absolute(&m.url()),
                    "width": m.width,
                    "height": m.height,
                });
                if let Some(caption) = &f.caption {
                    image["caption"] = json!(crate::pages::live::html_text(caption));
                }
                if !m.credit.is_empty() {
                    image["creditText"] = json!(m.credit);
                }
                if !m.copyright.is_empty() {
                    image["copyrightNotice"] = json!(m.copyright);
                }
                Some(image)
            })
            .collect();
        if !images.is_empty() {
            galleries.push(json!({
                "@type": "ImageGallery",
                "name": label(run.len()),
                "associatedMedia": images,
            }));
        }
    }
    out.push_str(&html[at..]);
    Ok(Enriched {
        html: out,
        galleries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_read_from_the_renderers_markup() {
        let html = kiosque_domain::body::render_body(
            "Intro.\n\n![Une rame](/media/a/rame.jpg \"La rame & la gare\")\n![Le quai](/media/a/quai.jpg)\n\nSuite.\n\n![Seule](/media/b/seule.png)\n\n![Ailleurs](https://example.org/x.jpg)",
        )
        .html;
        let found = figures(&html);
        let keys: Vec<&str> = found.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["a/rame.jpg", "a/quai.jpg", "b/seule.png"]);
        assert_eq!(found[0].alt, "Une rame");
        assert_eq!(found[0].caption.as_deref(), Some("La rame &amp; la gare"));
        assert_eq!(found[1].caption, None);
        assert!(html[found[0].end..found[1].start].trim().is_empty());
        assert!(!html[found[1].end..found[2].start].trim().is_empty());
    }
}
