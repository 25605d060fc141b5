//! Article bodies: written in Markdown, rendered to HTML once at save time and
//! sanitised with an explicit allow-list. Stored HTML is never trusted on its own:
//! whatever reaches the database has been through [`render_body`].

use comrak::nodes::NodeValue;
use comrak::{Arena, Options, format_html, parse_document};
use std::collections::HashSet;

/// The result of rendering a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    /// Sanitised HTML, safe to insert in a page as is.
    pub html: String,
    /// Words of running text, counted on the text, not on the markup.
    pub word_count: u32,
}

fn markdown_options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    // Raw HTML typed in the editor shows up as text rather than being dropped.
    options.render.escape = true;
    options.render.figure_with_caption = true;
    options
}

/// Deepest nesting of block quotes and list items a body may have; markers past it
/// are kept as text. CommonMark parsers re-scan every open container on each line,
/// so 60,000 `>` in a row cost a quadratic 19 s; at this depth, a few milliseconds.
pub const MAX_NESTING: usize = 16;

/// The body with container markers (`>`, `-`, `*`, `+`) past [`MAX_NESTING`] at the
/// start of a line escaped, so that they read as text: rendering stays linear in the
/// length of the body, whatever is pasted into it.
pub fn limit_nesting(markdown: &str) -> std::borrow::Cow<'_, str> {
    /// Positions (in bytes) of the container markers at the start of `line`: every
    /// `>`, and `-`, `*`, `+` followed by a space or a tab (a list item, not a rule
    /// or a setext underline).
    fn markers(line: &str) -> Vec<usize> {
        let bytes = line.as_bytes();
        let mut found = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' => {}
                b'>' => found.push(i),
                b'-' | b'*' | b'+' if matches!(bytes.get(i + 1), Some(b' ' | b'\t')) => {
                    found.push(i);
                }
                _ => break,
            }
            i += 1;
        }
        found
    }
    if !markdown
        .lines()
        .any(|line| markers(line).len() > MAX_NESTING)
    {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    for line in markdown.split_inclusive('\n') {
        let escape = markers(line);
        let escape = escape.get(MAX_NESTING..).unwrap_or_default();
        let mut from = 0;
        for &at in escape {
            out.push_str(&line[from..at]);
            out.push('\\');
            from = at;
        }
        out.push_str(&line[from..]);
    }
    std::borrow::Cow::Owned(out)
}

/// Renders a Markdown body to sanitised HTML and counts its words. CPU-bound: call
/// it off the async runtime for anything longer than a comment.
pub fn render_body(markdown: &str) -> RenderedBody {
    let markdown = limit_nesting(markdown);
    let options = markdown_options();
    let arena = Arena::new();
    let root = parse_document(&arena, &markdown, &options);
    let text = text_of(root);
    let mut html = String::new();
    // Writing into a String cannot fail.
    let _ = format_html(root, &options, &mut html);

    RenderedBody {
        html: sanitise_html(&html),
        word_count: count_words(&text),
    }
}

/// The words of a Markdown body without its markup, blocks separated by spaces: what
/// a search index reads.
pub fn plain_text(markdown: &str) -> String {
    let markdown = limit_nesting(markdown);
    let arena = Arena::new();
    let root = parse_document(&arena, &markdown, &markdown_options());
    let text = text_of(root);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of<'a>(root: &'a comrak::nodes::AstNode<'a>) -> String {
    let mut text = String::new();
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::CodeBlock(c) => text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            // A new block: where the one before ended without punctuation (a
            // heading, a list item), a full stop, so that excerpts do not run
            // "reste tenace Les économistes" together.
            NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::Item(_) => {
                let end = text.trim_end().chars().last();
                if end.is_some_and(|c| c.is_alphanumeric() || matches!(c, ')' | '»' | '"' | '”'))
                {
                    let trimmed = text.trim_end().len();
                    text.truncate(trimmed);
                    text.push('.');
                }
                text.push(' ');
            }
            _ => {}
        }
    }
    text
}

/// Counts words the way a reader does: runs of letters or digits, where an
/// apostrophe or hyphen inside a word does not split it ("aujourd'hui", "c'est-à-dire").
pub fn count_words(text: &str) -> u32 {
    let mut count = 0u32;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if !in_word {
                count = count.saturating_add(1);
                in_word = true;
            }
        } else if !(in_word && matches!(c, '\'' | '’' | '-')) {
            in_word = false;
        }
    }
    count
}

/// Cleans HTML against Kiosque's allow-list: text structure, links, quotes, lists,
/// tables and figures. Scripts, styles, event handlers and unknown schemes go.
pub fn sanitise_html(html: &str) -> String {
    let tags: HashSet<&str> = [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "cite",
        "code",
        "del",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
    .into_iter()
    .collect();
    let mut attributes = std::collections::HashMap::new();
    attributes.insert("a", ["href", "title"].into_iter().collect::<HashSet<_>>());
    attributes.insert(
        "img",
        ["src", "alt", "title", "width", "height"]
            .into_iter()
            .collect(),
    );
    attributes.insert("th", ["align"].into_iter().collect());
    attributes.insert("td", ["align"].into_iter().collect());
    attributes.insert("ol", ["start"].into_iter().collect());
    let clean = ammonia::Builder::default()
        .tags(tags)
        .tag_attributes(attributes)
        .generic_attributes(HashSet::new())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener"))
        .clean(html)
        .to_string();
    // A figure is block content; the Markdown renderer wraps it in a paragraph that
    // the HTML parser then leaves empty.
    clean.replace("<p></p>", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_stay_apart_in_plain_text() {
        let text = plain_text(
            "## L'inflation reste tenace\n\nLes économistes attendent.\n\n- un point\n- un autre",
        );
        assert_eq!(
            text,
            "L'inflation reste tenace. Les économistes attendent. un point. un autre"
        );
        // Words are counted as before.
        assert_eq!(render_body("## Titre\n\nDeux mots").word_count, 3);
    }

    #[test]
    fn deep_nesting_is_kept_as_text_beyond_the_limit() {
        for (input, tag) in [
            (">".repeat(60_000), "<blockquote>"),
            ("> ".repeat(30_000), "<blockquote>"),
            ("- ".repeat(30_000), "<li>"),
            ("> - ".repeat(15_000), "<blockquote>"),
        ] {
            let html = render_body(&input).html;
            let depth = html.matches(tag).count();
            assert!((1..=MAX_NESTING).contains(&depth), "{tag}: {depth}");
        }
        // Rules and setext underlines are not containers: untouched.
        let rule = format!("Titre\n{}\n\nTexte\n\n{}", "-".repeat(40), "*".repeat(40));
        assert_eq!(limit_nesting(&rule), rule.as_str());
        let html = render_body(&rule).html;
        assert!(
            html.contains("<h2>Titre</h2>") && html.contains("<hr"),
            "{html}"
        );
        // Reasonable nesting renders as before.
        let quoted = render_body("> > citation dans une citation").html;
        assert_eq!(quoted.matches("<blockquote>").count(), 2);
    }

    #[test]
    fn markdown_renders_structure() {
        let body = render_body(
            "Intro *en italique*.\n\n## Sous-titre\n\n> « Une citation »\n\n- un\n- deux\n",
        );
        assert!(body.html.contains("<h2>Sous-titre</h2>"), "{}", body.html);
        assert!(body.html.contains("<blockquote>"));
        assert!(body.html.contains("<em>en italique</em>"));
        assert!(body.html.contains("<li>deux</li>"));
    }

    #[test]
    fn plain_text_drops_markup_and_keeps_words() {
        let text =
            plain_text("## Le *vote*\n\nUn [lien](https://example.org) et `du code`.\n\n> Cité");
        assert_eq!(text, "Le vote. Un lien et du code. Cité");
    }

    #[test]
    fn scripts_are_shown_as_text_never_run() {
        let body = render_body(
            "Le test <script>alert(1)</script> classique.\n\n<img src=x onerror=alert(1)>",
        );
        assert!(!body.html.contains("<script"), "{}", body.html);
        assert!(!body.html.contains("<img"), "{}", body.html);
        assert!(body.html.contains("&lt;script&gt;"), "{}", body.html);
    }

    #[test]
    fn dangerous_links_lose_their_href() {
        let body = render_body("[clic](javascript:alert(1)) et [ok](https://example.org/)");
        assert!(!body.html.contains("javascript:"), "{}", body.html);
        assert!(
            body.html.contains(r#"href="https://example.org/""#),
            "{}",
            body.html
        );
    }

    #[test]
    fn images_with_titles_become_figures() {
        let body =
            render_body("![Un quai](/media/a.jpg \"Le quai, au matin. (A. B. / KIOSQUE)\")\n");
        assert!(body.html.contains("<figure><img"), "{}", body.html);
        assert!(
            body.html
                .contains("<figcaption>Le quai, au matin. (A. B. / KIOSQUE)</figcaption>")
        );
        assert!(!body.html.contains("<p></p>"));
    }

    #[test]
    fn sanitiser_drops_stored_html_it_does_not_allow() {
        let html =
            sanitise_html(r#"<p style="x" onclick="y">a</p><iframe src="z"></iframe><h1>t</h1>"#);
        assert_eq!(html, "<p>a</p>t");
    }

    #[test]
    fn words_are_counted_on_text_not_markup() {
        assert_eq!(
            render_body("[un lien](https://example.org/tres/long/chemin) et **deux**").word_count,
            4
        );
        assert_eq!(count_words("Aujourd’hui, c'est-à-dire demain : 42 %"), 4);
        assert_eq!(count_words(""), 0);
    }
}
