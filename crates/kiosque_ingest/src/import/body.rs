//! Bodies from other systems: WordPress's stored HTML (block comments, shortcodes,
//! `wpautop` line breaks) made into plain HTML, then any HTML into the Markdown that
//! Kiosque's editors write, with picture and link addresses re-pointed on the way.
//!
//! The Markdown is rendered and sanitised by the same code as every other body when
//! it is stored, so nothing here is trusted: a `<script>` is dropped by the sanitiser
//! below and could not survive the renderer (raw HTML shows as text) anyway.

use std::collections::HashSet;
use std::fmt::Write as _;

/// Deepest element nesting walked; deeper content is kept as text.
const MAX_DEPTH: usize = 64;

/// WordPress's stored post content as plain HTML: Gutenberg block comments removed,
/// `[caption]` made a figure, other shortcodes made links or dropped (each noted), and
/// paragraphs made from blank lines as `wpautop` does.
pub fn wordpress_html(content: &str, notes: &mut Vec<String>) -> String {
    let without_blocks = strip_comments(content);
    let expanded = shortcodes(&without_blocks, notes);
    autop(&expanded)
}

/// Drops HTML comments (`<!-- wp:paragraph -->`, `<!--more-->`).
fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// One `[name attr="value"]` tag.
struct Tag<'a> {
    name: &'a str,
    attrs: Vec<(String, String)>,
    closing: bool,
    len: usize,
}

fn parse_tag(s: &str) -> Option<Tag<'_>> {
    let inner_end = s.find(']')?;
    let inner = &s[1..inner_end];
    if inner.contains('[') || inner.len() > 2000 {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    Some(Tag {
        name,
        attrs: shortcode_attrs(&inner[name_end..]),
        closing,
        len: inner_end + 1,
    })
}

fn shortcode_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim().trim_end_matches('/').trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            break;
        };
        let name = rest[..eq].trim().to_ascii_lowercase();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(end) => (&after[1..1 + end], &after[end + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((name, value.to_owned()));
        rest = next.trim_start();
    }
    out
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "video",
    "audio",
    "playlist",
];

fn shortcodes(content: &str, notes: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let candidate = &rest[open..];
        // `[[tag]]` is WordPress's escape for a literal `[tag]`.
        if let Some(escaped) = candidate.strip_prefix("[[")
            && let Some(end) = escaped.find("]]")
        {
            out.push('[');
            out.push_str(&escaped[..end]);
            out.push(']');
            rest = &escaped[end + 2..];
            continue;
        }
        let Some(tag) = parse_tag(candidate).filter(|t| !t.closing) else {
            out.push('[');
            rest = &candidate[1..];
            continue;
        };
        let after = &candidate[tag.len..];
        let close = format!("[/{}]", tag.name);
        let (inner, next) = match after.find(&close) {
            Some(end) => (Some(&after[..end]), &after[end + close.len()..]),
            None => (None, after),
        };
        if !KNOWN.contains(&tag.name) && inner.is_none() {
            // Square brackets in prose ("[sic]", "[1]"), or an unknown self-closing
            // shortcode with attributes: drop the latter, keep the former.
            if tag.attrs.is_empty() {
                out.push('[');
                rest = &candidate[1..];
            } else {
                notes.push(format!("shortcode [{}] dropped", tag.name));
                rest = next;
            }
            continue;
        }
        match tag.name {
            "caption" | "wp_caption" => {
                let inner = inner.unwrap_or_default();
                // The picture (perhaps inside a link) then the caption text.
                let (picture, text) = match inner.rfind('>') {
                    Some(i) if inner[..=i].contains("<img") => (&inner[..=i], &inner[i + 1..]),
                    _ => ("", inner),
                };
                let caption = attr(&tag.attrs, "caption").unwrap_or(text).trim();
                let _ = write!(
                    out,
                    "\n\n<figure>{picture}<figcaption>{caption}</figcaption></figure>\n\n"
                );
            }
            "gallery" => {
                let ids = attr(&tag.attrs, "ids").unwrap_or_default();
                notes.push(if ids.is_empty() {
                    "gallery dropped (the pictures stay in the media library)".into()
                } else {
                    format!("gallery of pictures {ids} dropped (they stay in the media library)")
                });
            }
            "embed" => {
                let url = inner.unwrap_or_default().trim();
                if url.starts_with("http") {
                    notes.push(format!("embed kept as a link: {url}"));
                    let _ = write!(out, "\n\n<p><a href=\"{url}\">{url}</a></p>\n\n");
                } else {
                    notes.push("embed without an address dropped".into());
                }
            }
            "video" | "audio" => {
                let url = [
                    "src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "m4a", "wav",
                ]
                .iter()
                .find_map(|k| attr(&tag.attrs, k))
                .map(str::trim)
                .filter(|u| u.starts_with("http") || u.starts_with('/'));
                match url {
                    Some(url) => {
                        notes.push(format!("{} kept as a link: {url}", tag.name));
                        let _ = write!(out, "\n\n<p><a href=\"{url}\">{url}</a></p>\n\n");
                    }
                    None => notes.push(format!("{} without an address dropped", tag.name)),
                }
            }
            other => {
                notes.push(format!(
                    "shortcode [{other}] removed{}",
                    if inner.is_some_and(|i| !i.trim().is_empty()) {
                        ", its content kept"
                    } else {
                        ""
                    }
                ));
                if other != "playlist" {
                    out.push_str(inner.unwrap_or_default());
                }
            }
        }
        rest = next;
    }
    out.push_str(rest);
    out
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "li",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "audio",
    "video",
    "script",
    "style",
];

fn starts_with_block(chunk: &str) -> bool {
    let Some(rest) = chunk.trim_start().strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// WordPress's `wpautop`, simplified: text separated by blank lines becomes
/// paragraphs, single line breaks inside them `<br>`; chunks that start with a block
/// element are left as they are (Gutenberg content already has its `<p>`s).
fn autop(html: &str) -> String {
    let normalised = html.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalised.len() + 64);
    let mut in_pre = false;
    for chunk in split_blank_lines(&normalised) {
        let trimmed = chunk.trim();
        if trimmed.is_empty() {
            continue;
        }
        let opens_pre = trimmed.matches("<pre").count();
        let closes_pre = trimmed.matches("</pre>").count();
        if in_pre || starts_with_block(trimmed) {
            out.push_str(chunk);
            out.push_str("\n\n");
        } else {
            out.push_str("<p>");
            out.push_str(&trimmed.replace('\n', "<br>\n"));
            out.push_str("</p>\n\n");
        }
        in_pre = (in_pre || opens_pre > 0) && opens_pre + usize::from(in_pre) > closes_pre;
    }
    out
}

fn split_blank_lines(s: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                chunks.push(&s[start..i]);
                while j < bytes.len() && matches!(bytes[j], b'\n' | b' ' | b'\t') {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    chunks.push(&s[start..]);
    chunks
}

/// The text of a bit of HTML (a comment, an excerpt): tags dropped, paragraphs and
/// line breaks kept as blank lines and new lines.
pub fn plain_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_owned();
    }
    let html = autop(&strip_comments(html));
    let document = ammonia::Builder::default()
        .tags(["p", "br"].into_iter().collect())
        .clean(&html);
    let root = parse_clean(&document.to_string());
    let mut out = String::new();
    plain(&root, &mut out, 0);
    tidy_blank_lines(&out).trim().to_owned()
}

fn plain(node: &Handle, out: &mut String, depth: usize) {
    for child in children(node).iter() {
        match child {
            Node::Text(contents) => out.push_str(&collapse_whitespace(contents)),
            Node::Element { .. } => match element_name(child).as_deref() {
                Some("br") => out.push('\n'),
                Some("p") => {
                    plain(child, out, depth + 1);
                    out.push_str("\n\n");
                }
                _ if depth < MAX_DEPTH => plain(child, out, depth + 1),
                _ => {}
            },
        }
    }
}

/// An element or text of sanitised HTML, as parsed back by [`parse_clean`].
#[derive(Debug, Clone)]
enum Node {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    },
    Text(String),
}

type Handle = Node;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Parses ammonia's output back into a tree. That output is regular (every element
/// closed or void, attributes double-quoted, `&`, `<`, `>` and `"` escaped), so a
/// small reader is enough; anything unexpected is kept as text.
fn parse_clean(html: &str) -> Node {
    let mut stack: Vec<Node> = vec![Node::Element {
        name: "#root".into(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    fn push(stack: &mut [Node], node: Node) {
        if let Some(Node::Element { children, .. }) = stack.last_mut() {
            children.push(node);
        }
    }
    fn close(stack: &mut Vec<Node>) {
        if stack.len() > 1
            && let Some(done) = stack.pop()
        {
            push(stack, done);
        }
    }
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if text_start < i {
            push(
                &mut stack,
                Node::Text(decode_entities(&html[text_start..i])),
            );
        }
        let Some(end) = html[i..].find('>').map(|e| i + e) else {
            break;
        };
        let tag = &html[i + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if stack[1..]
                .iter()
                .any(|n| matches!(n, Node::Element { name: open, .. } if *open == name))
            {
                loop {
                    let top = matches!(stack.last(), Some(Node::Element { name: open, .. }) if *open == name);
                    close(&mut stack);
                    if top || stack.len() <= 1 {
                        break;
                    }
                }
            }
        } else {
            let name_end = tag
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(tag.len());
            let name = tag[..name_end].to_ascii_lowercase();
            let attrs = parse_attrs(&tag[name_end..]);
            let node = Node::Element {
                name: name.clone(),
                attrs,
                children: Vec::new(),
            };
            if VOID.contains(&name.as_str()) || stack.len() > 512 {
                push(&mut stack, node);
            } else {
                stack.push(node);
            }
        }
        i = end + 1;
        text_start = i;
    }
    if text_start < bytes.len() {
        push(&mut stack, Node::Text(decode_entities(&html[text_start..])));
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().unwrap_or(Node::Text(String::new()))
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq]
            .trim()
            .trim_start_matches('/')
            .trim()
            .to_ascii_lowercase();
        let after = &rest[eq + 2..];
        let Some(close) = after.find('"') else {
            break;
        };
        out.push((name, decode_entities(&after[..close])));
        rest = &after[close + 1..];
    }
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn children(node: &Node) -> &[Node] {
    match node {
        Node::Element { children, .. } => children,
        Node::Text(_) => &[],
    }
}

/// What to do with an address found in a body.
pub trait Rewrite {
    /// A picture's new address; `None` drops the picture (noted by the caller).
    fn picture(&self, src: &str) -> Option<String>;
    /// A link's new address (the old site's own pages become paths that redirect).
    fn link(&self, href: &str) -> String;
}

/// HTML into Markdown as the back office writes it. Returns the Markdown and notes
/// (pictures dropped).
pub fn to_markdown(html: &str, rewrite: &dyn Rewrite) -> (String, Vec<String>) {
    let tags: HashSet<&str> = [
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
        "div",
        "span",
        "section",
        "article",
        "header",
        "footer",
        "u",
        "sup",
        "sub",
        "cite",
        "q",
        "mark",
        "small",
    ]
    .into_iter()
    .collect();
    let mut attributes = std::collections::HashMap::new();
    attributes.insert("a", ["href"].into_iter().collect::<HashSet<_>>());
    attributes.insert("img", ["src", "alt", "title"].into_iter().collect());
    let document = ammonia::Builder::default()
        .tags(tags)
        .tag_attributes(attributes)
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(None)
        .clean(html);
    let root = parse_clean(&document.to_string());
    let mut writer = Writer {
        rewrite,
        notes: Vec::new(),
    };
    let mut out = String::new();
    writer.blocks(&root, &mut out, 0);
    let markdown = tidy_blank_lines(&out);
    (markdown, writer.notes)
}

struct Writer<'a> {
    rewrite: &'a dyn Rewrite,
    notes: Vec<String>,
}

fn element_name(node: &Handle) -> Option<String> {
    match node {
        Node::Element { name, .. } => Some(name.clone()),
        Node::Text(_) => None,
    }
}

fn attribute(node: &Handle, wanted: &str) -> Option<String> {
    match node {
        Node::Element { attrs, .. } => attrs
            .iter()
            .find(|(n, _)| n == wanted)
            .map(|(_, v)| v.clone()),
        Node::Text(_) => None,
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "blockquote"
            | "figure"
            | "pre"
            | "hr"
            | "table"
            | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "li"
    )
}

impl Writer<'_> {
    /// Block-level content: each block ends with a blank line.
    fn blocks(&mut self, node: &Handle, out: &mut String, depth: usize) {
        let mut inline = String::new();
        for child in children(node).iter() {
            let name = element_name(child);
            match name.as_deref() {
                Some(name) if is_block(name) && depth < MAX_DEPTH => {
                    self.flush_paragraph(&mut inline, out);
                    self.block(child, name, out, depth + 1);
                }
                _ => self.inline(child, &mut inline, depth + 1),
            }
        }
        self.flush_paragraph(&mut inline, out);
    }

    fn flush_paragraph(&mut self, inline: &mut String, out: &mut String) {
        let text = inline.trim();
        if !text.is_empty() {
            out.push_str(&trim_lines(text));
            out.push_str("\n\n");
        }
        inline.clear();
    }

    fn block(&mut self, node: &Handle, name: &str, out: &mut String, depth: usize) {
        match name {
            "p" | "div" | "section" | "article" | "header" | "footer" | "li" => {
                self.blocks(node, out, depth)
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = match name {
                    "h1" | "h2" => 2,
                    "h3" => 3,
                    _ => 4,
                };
                let mut text = String::new();
                self.inline_children(node, &mut text, depth);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    let _ = write!(out, "{} {text}\n\n", "#".repeat(level));
                }
            }
            "hr" => out.push_str("---\n\n"),
            "pre" => {
                let text = text_content(node);
                let fence = if text.contains("```") { "~~~~" } else { "```" };
                let _ = write!(out, "{fence}\n{}\n{fence}\n\n", text.trim_end_matches('\n'));
            }
            "blockquote" => {
                let mut inner = String::new();
                self.blocks(node, &mut inner, depth);
                let inner = tidy_blank_lines(&inner);
                for line in inner.trim_end().lines() {
                    if line.is_empty() {
                        out.push_str(">\n");
                    } else {
                        let _ = writeln!(out, "> {line}");
                    }
                }
                out.push('\n');
            }
            "ul" | "ol" => {
                self.list(node, name == "ol", out, depth);
                out.push('\n');
            }
            "figure" => {
                let mut caption = String::new();
                let mut pictures = Vec::new();
                self.figure_parts(node, &mut pictures, &mut caption, depth);
                let caption = caption.split_whitespace().collect::<Vec<_>>().join(" ");
                for (i, (src, alt)) in pictures.iter().enumerate() {
                    let title = if i + 1 == pictures.len() && !caption.is_empty() {
                        format!(" \"{}\"", caption.replace('"', "\\\""))
                    } else {
                        String::new()
                    };
                    let _ = write!(out, "![{}]({src}{title})\n\n", escape_text(alt));
                }
                if pictures.is_empty() && !caption.is_empty() {
                    let _ = write!(out, "{}\n\n", escape_text(&caption));
                }
            }
            "table" => self.table(node, out, depth),
            _ => self.blocks(node, out, depth),
        }
    }

    fn figure_parts(
        &mut self,
        node: &Handle,
        pictures: &mut Vec<(String, String)>,
        caption: &mut String,
        depth: usize,
    ) {
        for child in children(node).iter() {
            match element_name(child).as_deref() {
                Some("img") => {
                    if let Some(picture) = self.picture(child) {
                        pictures.push(picture);
                    }
                }
                Some("figcaption") => caption.push_str(&text_content(child)),
                Some(_) if depth < MAX_DEPTH => {
                    self.figure_parts(child, pictures, caption, depth + 1)
                }
                _ => {}
            }
        }
    }

    fn picture(&mut self, node: &Handle) -> Option<(String, String)> {
        let src = attribute(node, "src")?;
        let alt = attribute(node, "alt").unwrap_or_default();
        match self.rewrite.picture(&src) {
            Some(new) => Some((new.replace(' ', "%20").replace(')', "%29"), alt)),
            None => {
                self.notes
                    .push(format!("picture {src} dropped (not in the media folder)"));
                None
            }
        }
    }

    fn list(&mut self, node: &Handle, ordered: bool, out: &mut String, depth: usize) {
        let mut n = 0;
        for child in children(node).iter() {
            if element_name(child).as_deref() != Some("li") {
                continue;
            }
            n += 1;
            let marker = if ordered {
                format!("{n}. ")
            } else {
                "- ".to_owned()
            };
            let mut inner = String::new();
            if depth < MAX_DEPTH {
                self.blocks(child, &mut inner, depth + 1);
            }
            let inner = tidy_blank_lines(&inner);
            let indent = " ".repeat(marker.len());
            let mut first = true;
            for line in inner.trim_end().lines() {
                if first {
                    let _ = writeln!(out, "{marker}{line}");
                    first = false;
                } else if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "{indent}{line}");
                }
            }
            if first {
                let _ = writeln!(out, "{}", marker.trim_end());
            }
        }
    }

    fn table(&mut self, node: &Handle, out: &mut String, depth: usize) {
        let mut rows: Vec<Vec<String>> = Vec::new();
        collect_rows(node, &mut rows, depth);
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return;
        }
        for (i, row) in rows.iter().enumerate() {
            out.push('|');
            for c in 0..width {
                let cell = row.get(c).map(String::as_str).unwrap_or_default();
                let _ = write!(out, " {} |", escape_text(cell).replace('|', "\\|"));
            }
            out.push('\n');
            if i == 0 {
                out.push('|');
                for _ in 0..width {
                    out.push_str(" --- |");
                }
                out.push('\n');
            }
        }
        out.push('\n');
    }

    fn inline_children(&mut self, node: &Handle, out: &mut String, depth: usize) {
        for child in children(node).iter() {
            self.inline(child, out, depth + 1);
        }
    }

    fn inline(&mut self, node: &Handle, out: &mut String, depth: usize) {
        match node {
            Node::Text(text) => {
                let collapsed = collapse_whitespace(text);
                out.push_str(&escape_text(&collapsed));
            }
            Node::Element { .. } => {
                let name = element_name(node).unwrap_or_default();
                if depth > MAX_DEPTH {
                    out.push_str(&escape_text(&collapse_whitespace(&text_content(node))));
                    return;
                }
                match name.as_str() {
                    "br" => out.push_str("\\\n"),
                    "img" => {
                        if let Some((src, alt)) = self.picture(node) {
                            let _ = write!(out, "![{}]({src})", escape_text(&alt));
                        }
                    }
                    "a" => {
                        let mut text = String::new();
                        self.inline_children(node, &mut text, depth);
                        match attribute(node, "href") {
                            Some(href) if !text.trim().is_empty() => {
                                let href = self.rewrite.link(&href);
                                let href = href.replace(' ', "%20").replace(')', "%29");
                                let _ = write!(out, "[{}]({href})", text.trim());
                            }
                            _ => out.push_str(&text),
                        }
                    }
                    "strong" | "b" => self.wrap(node, out, "**", depth),
                    "em" | "i" | "cite" => self.wrap(node, out, "*", depth),
                    "del" | "s" => self.wrap(node, out, "~~", depth),
                    "code" => {
                        let text = text_content(node);
                        let fence = if text.contains('`') { "``" } else { "`" };
                        let _ = write!(out, "{fence}{text}{fence}");
                    }
                    _ => self.inline_children(node, out, depth),
                }
            }
        }
    }

    fn wrap(&mut self, node: &Handle, out: &mut String, mark: &str, depth: usize) {
        let mut text = String::new();
        self.inline_children(node, &mut text, depth);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            out.push_str(&text);
            return;
        }
        let lead = if text.starts_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        let trail = if text.ends_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        let _ = write!(out, "{lead}{mark}{trimmed}{mark}{trail}");
    }
}

fn collect_rows(node: &Handle, rows: &mut Vec<Vec<String>>, depth: usize) {
    for child in children(node).iter() {
        match element_name(child).as_deref() {
            Some("tr") => {
                let cells = children(child)
                    .iter()
                    .filter(|c| matches!(element_name(c).as_deref(), Some("td" | "th")))
                    .map(|c| collapse_whitespace(&text_content(c)).trim().to_owned())
                    .collect();
                rows.push(cells);
            }
            Some(_) if depth < MAX_DEPTH => collect_rows(child, rows, depth + 1),
            _ => {}
        }
    }
}

fn text_content(node: &Handle) -> String {
    let mut out = String::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if let Node::Text(text) = n {
            out.push_str(text);
        }
        for child in children(n).iter().rev() {
            stack.push(child);
        }
    }
    out
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Escapes what Markdown would read as markup in running text.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '&' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Lines of a paragraph without the spaces around them; a line that would read as a
/// list item or a heading marker is escaped.
fn trim_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_start();
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let numbered = digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'));
        let bullet = matches!(line.chars().next(), Some('-' | '+' | '='))
            && line[1..].starts_with([' ', '-', '='])
            || line.starts_with("- ")
            || line == "-";
        if numbered {
            out.push_str(&line[..digits]);
            out.push('\\');
            out.push_str(&line[digits..]);
        } else if bullet {
            out.push('\\');
            out.push_str(line);
        } else {
            out.push_str(line);
        }
    }
    out
}

fn tidy_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if blank > 0 && !out.is_empty() {
            out.push('\n');
        }
        blank = 0;
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keep;
    impl Rewrite for Keep {
        fn picture(&self, src: &str) -> Option<String> {
            src.starts_with("http://old.example/")
                .then(|| src.replace("http://old.example/wp-content/uploads/", "/media/"))
        }
        fn link(&self, href: &str) -> String {
            href.replace("http://old.example", "")
        }
    }

    fn convert(wp: &str) -> (String, Vec<String>) {
        let mut notes = Vec::new();
        let html = wordpress_html(wp, &mut notes);
        let (md, more) = to_markdown(&html, &Keep);
        notes.extend(more);
        (md, notes)
    }

    #[test]
    fn blocks_comments_and_autop() {
        let (md, _) = convert(
            "<!-- wp:paragraph -->\n<p>Un <strong>premier</strong> paragraphe.</p>\n<!-- /wp:paragraph -->\n\nLigne une\nligne deux\n\n<h1>Titre</h1>",
        );
        assert_eq!(
            md,
            "Un **premier** paragraphe.\n\nLigne une\\\nligne deux\n\n## Titre\n"
        );
    }

    #[test]
    fn captions_become_figures_and_pictures_are_repointed() {
        let (md, notes) = convert(
            "[caption id=\"attachment_1\" align=\"alignnone\" width=\"300\"]<img src=\"http://old.example/wp-content/uploads/2020/01/a.jpg\" alt=\"Un chat\" /> Le chat du voisin[/caption]\n\nTexte <img src=\"https://tracker.example/x.gif\">",
        );
        assert!(
            md.contains("![Un chat](/media/2020/01/a.jpg \"Le chat du voisin\")"),
            "{md}"
        );
        assert!(
            notes.iter().any(|n| n.contains("tracker.example")),
            "{notes:?}"
        );
        assert!(!md.contains("tracker.example"));
    }

    #[test]
    fn shortcodes_are_reported() {
        let (md, notes) = convert(
            "Avant [gallery ids=\"1,2\"] [embed]https://video.example/v/1[/embed] [sic] [contact-form-7 id=\"3\"] [[caption]]",
        );
        assert!(
            md.contains("[https://video.example/v/1](https://video.example/v/1)"),
            "{md}"
        );
        assert!(md.contains("\\[sic\\]"), "{md}");
        assert!(md.contains("\\[caption\\]"), "{md}");
        assert_eq!(notes.len(), 3, "{notes:?}");
    }

    #[test]
    fn scripts_do_not_survive_and_markdown_is_escaped() {
        let (md, _) = convert(
            "<script>alert(1)</script><p onclick=\"x()\">5 * 3 = 15 et _pas_ d'[injection](javascript:alert(1))</p>\n\n1. pas une liste",
        );
        assert!(!md.contains("alert(1)</script"));
        assert!(!md.contains("<script"));
        assert!(md.contains("5 \\* 3"), "{md}");
        assert!(md.contains("1\\. pas une liste"), "{md}");
    }

    #[test]
    fn lists_quotes_and_links() {
        let (md, _) = convert(
            "<ul><li>un</li><li>deux <a href=\"http://old.example/2020/01/autre/\">lien</a></li></ul><blockquote><p>Cité</p></blockquote>",
        );
        assert_eq!(md, "- un\n- deux [lien](/2020/01/autre/)\n\n> Cité\n");
    }
}
