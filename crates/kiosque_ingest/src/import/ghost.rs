//! Ghost's JSON export (`{"db":[{"meta":…,"data":{…}}]}`, or without the `db`
//! wrapper), versions 1 to 5: posts and pages with their authors, tags, feature
//! pictures and bodies (`html`, else `lexical` or `mobiledoc`).

use super::{
    Author, Featured, ImportError, ImportItem, ItemKind, ItemStatus, Skipped, System, Term, body,
};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Largest Ghost export read (it is one JSON document, read whole).
pub const MAX_GHOST_BYTES: u64 = 512 * 1024 * 1024;
/// Deepest nesting followed in `lexical` and `mobiledoc` bodies.
const MAX_DEPTH: usize = 48;

/// Everything a Ghost export holds that Kiosque imports.
#[derive(Debug, Clone, Default)]
pub struct GhostExport {
    pub version: String,
    pub authors: Vec<Author>,
    pub tags: Vec<Term>,
    pub items: Vec<ImportItem>,
    pub skipped: Vec<Skipped>,
}

pub fn read(bytes: &[u8]) -> Result<GhostExport, ImportError> {
    if bytes.len() as u64 > MAX_GHOST_BYTES {
        return Err(ImportError::TooLarge(MAX_GHOST_BYTES));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ImportError::Malformed {
        position: byte_offset(bytes, e.line(), e.column()),
        message: format!("{e}"),
    })?;
    let root = match value.get("db") {
        Some(Value::Array(dbs)) => dbs
            .first()
            .ok_or_else(|| ImportError::NotGhost("\"db\" is empty".into()))?,
        Some(_) => return Err(ImportError::NotGhost("\"db\" is not a list".into())),
        None => &value,
    };
    let data = root
        .get("data")
        .and_then(Value::as_object)
        .ok_or_else(|| ImportError::NotGhost("no \"data\" object with the site's tables".into()))?;
    let posts = data
        .get("posts")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::NotGhost("no \"posts\" table".into()))?;
    let version = root
        .get("meta")
        .and_then(|m| m.get("version"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let table = |name: &str| {
        data.get(name)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };

    let mut users: HashMap<String, Author> = HashMap::new();
    let mut authors = Vec::new();
    for u in table("users") {
        let (Some(id), Some(slug)) = (id_of(u.get("id")), str_of(u, "slug")) else {
            continue;
        };
        let author = Author {
            key: slug.to_owned(),
            name: str_of(u, "name").unwrap_or(slug).to_owned(),
            email: str_of(u, "email").unwrap_or_default().to_owned(),
            bio: str_of(u, "bio").unwrap_or_default().to_owned(),
        };
        users.insert(id, author.clone());
        authors.push(author);
    }
    let mut tags_by_id: HashMap<String, Term> = HashMap::new();
    let mut tags = Vec::new();
    for t in table("tags") {
        let (Some(id), Some(slug), Some(name)) =
            (id_of(t.get("id")), str_of(t, "slug"), str_of(t, "name"))
        else {
            continue;
        };
        // Internal tags (`#podcast`) organise Ghost's themes, not the news.
        if name.starts_with('#') || str_of(t, "visibility") == Some("internal") {
            continue;
        }
        let term = Term {
            slug: slug.to_owned(),
            name: name.to_owned(),
            parent: None,
            description: str_of(t, "description").unwrap_or_default().to_owned(),
        };
        tags_by_id.insert(id, term.clone());
        tags.push(term);
    }
    let mut post_tags: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for pt in table("posts_tags") {
        if let (Some(post), Some(tag)) = (id_of(pt.get("post_id")), id_of(pt.get("tag_id"))) {
            let order = pt.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
            post_tags.entry(post).or_default().push((order, tag));
        }
    }
    let mut post_authors: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for pa in table("posts_authors") {
        if let (Some(post), Some(author)) = (id_of(pa.get("post_id")), id_of(pa.get("author_id"))) {
            let order = pa.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
            post_authors.entry(post).or_default().push((order, author));
        }
    }
    let mut posts_meta: HashMap<String, &Value> = HashMap::new();
    for m in table("posts_meta") {
        if let Some(post) = id_of(m.get("post_id")) {
            posts_meta.insert(post, m);
        }
    }

    let mut items = Vec::new();
    let mut skipped = Vec::new();
    for p in posts {
        let Some(id) = id_of(p.get("id")) else {
            skipped.push(Skipped {
                key: String::new(),
                title: str_of(p, "title").unwrap_or_default().to_owned(),
                reason: "a post without an id".into(),
            });
            continue;
        };
        let title = str_of(p, "title").unwrap_or_default().to_owned();
        let kind = match (str_of(p, "type"), p.get("page")) {
            (Some("page"), _) => ItemKind::Page,
            (Some("post"), _) => ItemKind::Article,
            (_, Some(Value::Bool(true))) => ItemKind::Page,
            (_, Some(Value::Number(n))) if n.as_i64() == Some(1) => ItemKind::Page,
            _ => ItemKind::Article,
        };
        let published_at = date_of(p.get("published_at"));
        let status = match str_of(p, "status").unwrap_or("draft") {
            "published" => ItemStatus::Published,
            "scheduled" => ItemStatus::Scheduled,
            "draft" => ItemStatus::Draft,
            other => {
                skipped.push(Skipped {
                    key: id,
                    title,
                    reason: format!("status {other} is not imported"),
                });
                continue;
            }
        };
        let mut notes = Vec::new();
        let html = match str_of(p, "html").filter(|h| !h.trim().is_empty()) {
            Some(html) => html.to_owned(),
            None => match (str_of(p, "lexical"), str_of(p, "mobiledoc")) {
                (Some(lexical), _) => lexical_html(lexical, &mut notes),
                (None, Some(mobiledoc)) => mobiledoc_html(mobiledoc, &mut notes),
                _ => String::new(),
            },
        };
        if html.contains("<!--members-only-->")
            || str_of(p, "visibility").is_some_and(|v| v != "public")
        {
            notes.push(format!(
                "members-only on the old site ({}): the whole text is public here",
                str_of(p, "visibility").unwrap_or("paid")
            ));
        }
        let html = html.replace("__GHOST_URL__", "");
        let html = body::wordpress_html(&html, &mut notes);
        let meta = posts_meta.get(&id).copied();
        let meta_str = |field: &str| {
            meta.and_then(|m| str_of(m, field))
                .or_else(|| str_of(p, field))
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned)
        };
        let featured = str_of(p, "feature_image")
            .filter(|u| !u.trim().is_empty())
            .map(|url| Featured {
                attachment: None,
                url: Some(url.replace("__GHOST_URL__", "")),
                alt: meta_str("feature_image_alt").unwrap_or_default(),
                caption: body::plain_text(&meta_str("feature_image_caption").unwrap_or_default()),
            });
        let mut byline: Vec<(i64, String)> = post_authors.remove(&id).unwrap_or_default();
        byline.sort();
        let mut authors_of: Vec<String> = byline
            .iter()
            .filter_map(|(_, a)| users.get(a).map(|u| u.key.clone()))
            .collect();
        if authors_of.is_empty()
            && let Some(author) = id_of(p.get("author_id")).and_then(|a| users.get(&a))
        {
            authors_of.push(author.key.clone());
        }
        let mut tag_ids: Vec<(i64, String)> = post_tags.remove(&id).unwrap_or_default();
        tag_ids.sort();
        let slug = str_of(p, "slug").unwrap_or_default().to_owned();
        let mut old_paths = Vec::new();
        if !slug.is_empty() {
            old_paths.push(format!("/{slug}/"));
        }
        let excerpt = str_of(p, "custom_excerpt").unwrap_or_default();
        items.push(ImportItem {
            system: System::Ghost,
            key: id,
            kind,
            status,
            title,
            slug,
            standfirst: body::plain_text(excerpt),
            html,
            published_at,
            modified_at: date_of(p.get("updated_at")),
            authors: authors_of,
            categories: Vec::new(),
            tags: tag_ids
                .iter()
                .filter_map(|(_, t)| tags_by_id.get(t).map(|t| t.name.clone()))
                .collect(),
            featured,
            comments_open: true,
            comments: Vec::new(),
            old_paths,
            seo_title: meta_str("meta_title"),
            seo_description: meta_str("meta_description"),
            notes,
        });
    }
    Ok(GhostExport {
        version,
        authors,
        tags,
        items,
        skipped,
    })
}

fn str_of<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

/// Ids are strings (Ghost 2+) or numbers (Ghost 1).
fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn date_of(v: Option<&Value>) -> Option<DateTime<Utc>> {
    match v? {
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                    .ok()
                    .map(|d| d.and_utc())
            }),
        // Ghost 1 wrote milliseconds since the epoch.
        Value::Number(n) => n.as_i64().and_then(DateTime::from_timestamp_millis),
        _ => None,
    }
}

fn byte_offset(bytes: &[u8], line: usize, column: usize) -> u64 {
    let mut offset = 0usize;
    for (i, l) in bytes.split(|b| *b == b'\n').enumerate() {
        if i + 1 == line {
            return (offset + column.saturating_sub(1)) as u64;
        }
        offset += l.len() + 1;
    }
    offset as u64
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Ghost 5's `lexical` editor state: its common nodes as HTML.
fn lexical_html(json: &str, notes: &mut Vec<String>) -> String {
    let Ok(value) = serde_json::from_str::<Value>(json) else {
        notes.push("unreadable lexical body dropped".into());
        return String::new();
    };
    let mut out = String::new();
    if let Some(children) = value
        .get("root")
        .and_then(|r| r.get("children"))
        .and_then(Value::as_array)
    {
        for child in children {
            lexical_node(child, &mut out, notes, 0);
        }
    }
    out
}

fn lexical_children(node: &Value, out: &mut String, notes: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(children) = node.get("children").and_then(Value::as_array) {
        for child in children {
            lexical_node(child, out, notes, depth + 1);
        }
    }
}

fn lexical_node(node: &Value, out: &mut String, notes: &mut Vec<String>, depth: usize) {
    let kind = str_of(node, "type").unwrap_or_default();
    match kind {
        "paragraph" => {
            out.push_str("<p>");
            lexical_children(node, out, notes, depth);
            out.push_str("</p>\n");
        }
        "heading" => {
            let tag = str_of(node, "tag")
                .filter(|t| matches!(*t, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
                .unwrap_or("h2");
            let _ = write!(out, "<{tag}>");
            lexical_children(node, out, notes, depth);
            let _ = writeln!(out, "</{tag}>");
        }
        "quote" | "aside" => {
            out.push_str("<blockquote><p>");
            lexical_children(node, out, notes, depth);
            out.push_str("</p></blockquote>\n");
        }
        "list" => {
            let tag = if str_of(node, "listType") == Some("number") {
                "ol"
            } else {
                "ul"
            };
            let _ = write!(out, "<{tag}>");
            lexical_children(node, out, notes, depth);
            let _ = writeln!(out, "</{tag}>");
        }
        "listitem" => {
            out.push_str("<li>");
            lexical_children(node, out, notes, depth);
            out.push_str("</li>");
        }
        "link" | "autolink" => {
            let url = str_of(node, "url").unwrap_or_default();
            let _ = write!(out, "<a href=\"{}\">", escape(url));
            lexical_children(node, out, notes, depth);
            out.push_str("</a>");
        }
        "text" | "extended-text" => {
            let text = escape(str_of(node, "text").unwrap_or_default());
            let format = node.get("format").and_then(Value::as_i64).unwrap_or(0);
            let mut s = text;
            if format & 1 != 0 {
                s = format!("<strong>{s}</strong>");
            }
            if format & 2 != 0 {
                s = format!("<em>{s}</em>");
            }
            if format & 16 != 0 {
                s = format!("<code>{s}</code>");
            }
            out.push_str(&s);
        }
        "linebreak" => out.push_str("<br>"),
        "horizontalrule" => out.push_str("<hr>\n"),
        "image" => {
            let src = str_of(node, "src").unwrap_or_default();
            let alt = str_of(node, "alt")
                .or_else(|| str_of(node, "altText"))
                .unwrap_or_default();
            let caption = str_of(node, "caption").unwrap_or_default();
            let _ = writeln!(
                out,
                "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{caption}</figcaption></figure>",
                escape(src),
                escape(alt)
            );
        }
        "html" => {
            out.push_str(str_of(node, "html").unwrap_or_default());
            out.push('\n');
        }
        "markdown" => {
            notes.push("a Markdown card kept as text".into());
            let _ = writeln!(
                out,
                "<pre>{}</pre>",
                escape(str_of(node, "markdown").unwrap_or_default())
            );
        }
        other => {
            if node.get("children").is_some() {
                lexical_children(node, out, notes, depth);
            } else if !other.is_empty() {
                notes.push(format!("{other} card dropped"));
            }
        }
    }
}

/// Ghost 1–4's `mobiledoc`: markup sections, lists and the image, HTML and Markdown
/// cards as HTML.
fn mobiledoc_html(json: &str, notes: &mut Vec<String>) -> String {
    let Ok(doc) = serde_json::from_str::<Value>(json) else {
        notes.push("unreadable mobiledoc body dropped".into());
        return String::new();
    };
    let empty = Vec::new();
    let markups = doc
        .get("markups")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let cards = doc.get("cards").and_then(Value::as_array).unwrap_or(&empty);
    let sections = doc
        .get("sections")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let mut out = String::new();
    for section in sections {
        let Some(parts) = section.as_array() else {
            continue;
        };
        match parts.first().and_then(Value::as_i64) {
            Some(1) => {
                let tag = parts
                    .get(1)
                    .and_then(Value::as_str)
                    .unwrap_or("p")
                    .to_ascii_lowercase();
                let tag = if matches!(
                    tag.as_str(),
                    "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
                ) {
                    tag
                } else {
                    "p".into()
                };
                let _ = write!(out, "<{tag}>");
                markers(parts.get(2), markups, &mut out);
                let _ = writeln!(out, "</{tag}>");
            }
            Some(3) => {
                let tag = if parts.get(1).and_then(Value::as_str) == Some("ol") {
                    "ol"
                } else {
                    "ul"
                };
                let _ = write!(out, "<{tag}>");
                for item in parts.get(2).and_then(Value::as_array).unwrap_or(&empty) {
                    out.push_str("<li>");
                    markers(Some(item), markups, &mut out);
                    out.push_str("</li>");
                }
                let _ = writeln!(out, "</{tag}>");
            }
            Some(2) => {
                let src = parts.get(1).and_then(Value::as_str).unwrap_or_default();
                let _ = writeln!(out, "<p><img src=\"{}\"></p>", escape(src));
            }
            Some(10) => {
                let card = parts
                    .get(1)
                    .and_then(Value::as_u64)
                    .and_then(|i| cards.get(usize::try_from(i).ok()?))
                    .and_then(Value::as_array);
                let Some(card) = card else {
                    continue;
                };
                let name = card.first().and_then(Value::as_str).unwrap_or_default();
                let payload = card.get(1).cloned().unwrap_or(Value::Null);
                match name {
                    "image" => {
                        let src = str_of(&payload, "src").unwrap_or_default();
                        let alt = str_of(&payload, "alt").unwrap_or_default();
                        let caption = str_of(&payload, "caption").unwrap_or_default();
                        let _ = writeln!(
                            out,
                            "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{caption}</figcaption></figure>",
                            escape(src),
                            escape(alt)
                        );
                    }
                    "html" => {
                        out.push_str(str_of(&payload, "html").unwrap_or_default());
                        out.push('\n');
                    }
                    "markdown" | "card-markdown" => {
                        notes.push("a Markdown card kept as text".into());
                        let md = str_of(&payload, "markdown").unwrap_or_default();
                        for para in md.split("\n\n") {
                            let _ = writeln!(out, "<p>{}</p>", escape(para).replace('\n', "<br>"));
                        }
                    }
                    "hr" => out.push_str("<hr>\n"),
                    other => notes.push(format!("{other} card dropped")),
                }
            }
            _ => {}
        }
    }
    out
}

fn markers(list: Option<&Value>, markups: &[Value], out: &mut String) {
    let Some(list) = list.and_then(Value::as_array) else {
        return;
    };
    let mut open: Vec<String> = Vec::new();
    for marker in list {
        let Some(m) = marker.as_array() else {
            continue;
        };
        for index in m.get(1).and_then(Value::as_array).into_iter().flatten() {
            let markup = index
                .as_u64()
                .and_then(|i| markups.get(usize::try_from(i).ok()?))
                .and_then(Value::as_array);
            let tag = markup
                .and_then(|mk| mk.first())
                .and_then(Value::as_str)
                .unwrap_or("span")
                .to_ascii_lowercase();
            let tag = if matches!(
                tag.as_str(),
                "a" | "strong" | "b" | "em" | "i" | "code" | "s" | "u"
            ) {
                tag
            } else {
                "span".into()
            };
            if tag == "a" {
                let href = markup
                    .and_then(|mk| mk.get(1))
                    .and_then(Value::as_array)
                    .and_then(|attrs| {
                        attrs
                            .chunks(2)
                            .find(|pair| pair.first().and_then(Value::as_str) == Some("href"))
                            .and_then(|pair| pair.get(1))
                            .and_then(Value::as_str)
                    })
                    .unwrap_or_default();
                let _ = write!(out, "<a href=\"{}\">", escape(href));
            } else {
                let _ = write!(out, "<{tag}>");
            }
            open.push(tag);
        }
        if m.first().and_then(Value::as_i64) == Some(0) {
            out.push_str(&escape(
                m.get(3).and_then(Value::as_str).unwrap_or_default(),
            ));
        }
        let closed = m.get(2).and_then(Value::as_u64).unwrap_or(0);
        for _ in 0..closed {
            if let Some(tag) = open.pop() {
                let _ = write!(out, "</{tag}>");
            }
        }
    }
    while let Some(tag) = open.pop() {
        let _ = write!(out, "</{tag}>");
    }
}
