//! Agency bodies (XHTML, NITF, HTML, plain text) into Markdown that keeps paragraphs,
//! subheadings, quotes, lists and links, and nothing else. The Markdown is rendered
//! and sanitised again by the public renderer like any article's.

use roxmltree::Node;

/// Markdown from an XML body element (XHTML `body`/`div`, NITF `body.content`…),
/// reading elements by local name, whatever their namespace.
pub fn from_xml(node: Node<'_, '_>) -> String {
    let mut out = Blocks::default();
    blocks(node, &mut out, 0);
    out.finish()
}

/// Markdown from an HTML fragment, as ninjs `body_html` carries it. The HTML is
/// first cleaned to the few elements that matter, which also makes it well-formed.
pub fn from_html(html: &str) -> String {
    let cleaned = ammonia::Builder::empty()
        .add_tags([
            "p",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
            "em",
            "i",
            "strong",
            "b",
            "br",
            "div",
            "section",
            "pre",
        ])
        .add_tag_attributes("a", ["href"])
        .link_rel(None)
        .clean(html)
        .to_string();
    // The HTML serialiser's only non-XML habits among these elements.
    let xml = format!(
        "<div>{}</div>",
        cleaned.replace("<br>", "<br/>").replace("&nbsp;", "&#160;")
    );
    match roxmltree::Document::parse(&xml) {
        Ok(doc) => from_xml(doc.root_element()),
        Err(_) => from_text(&ammonia::Builder::empty().clean(html).to_string()),
    }
}

/// Markdown from plain text: blank lines (or, when there are none, line breaks)
/// separate paragraphs.
pub fn from_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let paragraphs: Vec<String> = if text.contains("\n\n") {
        text.split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    } else {
        text.lines()
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    paragraphs
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| escape_line_start(&escape(p)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[derive(Default)]
struct Blocks {
    blocks: Vec<String>,
}

impl Blocks {
    fn push(&mut self, block: String) {
        let block = block.trim().to_owned();
        if !block.is_empty() {
            self.blocks.push(block);
        }
    }

    fn finish(self) -> String {
        self.blocks.join("\n\n")
    }
}

const MAX_DEPTH: usize = 64;

fn local(node: Node<'_, '_>) -> String {
    node.tag_name().name().to_ascii_lowercase()
}

/// Walks block-level structure; runs of inline content become paragraphs.
fn blocks(node: Node<'_, '_>, out: &mut Blocks, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut inline_run = String::new();
    for child in node.children() {
        if child.is_text() {
            inline_run.push_str(&escape(child.text().unwrap_or_default()));
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = local(child);
        let block = match name.as_str() {
            "p" | "pre" | "dd" | "dt" | "caption" => Some(paragraph(inline(child, depth))),
            "h1" | "h2" | "hl1" | "hl2" | "h3" => {
                Some(format!("## {}", one_line(&inline(child, depth))))
            }
            "h4" | "h5" | "h6" => Some(format!("### {}", one_line(&inline(child, depth)))),
            "blockquote" | "bq" => {
                let mut inner = Blocks::default();
                blocks(child, &mut inner, depth + 1);
                let text = inner.finish();
                Some(
                    text.lines()
                        .map(|l| {
                            if l.is_empty() {
                                ">".to_owned()
                            } else {
                                format!("> {l}")
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            }
            "ul" | "ol" => Some(list(child, name == "ol", depth)),
            // Metadata and media inside bodies: not text.
            "media" | "table" | "script" | "style" | "head" | "body.head" | "body.end"
            | "hedline" | "byline" | "dateline" | "distributor" | "abstract" | "tagline"
            | "img" | "figure" | "object" | "note" => None,
            "a" | "em" | "i" | "strong" | "b" | "span" | "br" | "q" | "person" | "org"
            | "location" | "chron" | "money" | "num" | "classifier" | "event" | "function"
            | "object.title" | "virtloc" | "copyrite" | "pronounce" | "sub" | "sup" => {
                inline_run.push_str(&inline_element(child, depth));
                continue;
            }
            // Containers: div, section, block, body, body.content, inlineXML, nitf…
            _ => {
                flush(&mut inline_run, out);
                blocks(child, out, depth + 1);
                continue;
            }
        };
        flush(&mut inline_run, out);
        if let Some(block) = block {
            out.push(block);
        }
    }
    flush(&mut inline_run, out);
}

fn flush(run: &mut String, out: &mut Blocks) {
    let text = paragraph(std::mem::take(run));
    out.push(text);
}

/// Stands for a `<br>` until whitespace is collapsed.
const BREAK: char = '\u{2028}';

fn paragraph(text: String) -> String {
    // Source line breaks are spaces; `<br>`s become Markdown hard breaks.
    let lines: Vec<String> = text
        .split(BREAK)
        .map(one_line)
        .filter(|l| !l.is_empty())
        .collect();
    escape_line_start(&lines.join("  \n"))
}

/// Collapses ASCII whitespace (keeping non-breaking spaces, which French typography
/// needs before « : ; ! ? »).
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_ascii_whitespace() || c == BREAK)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn list(node: Node<'_, '_>, ordered: bool, depth: usize) -> String {
    let mut lines = Vec::new();
    let mut n = 0;
    for item in node
        .children()
        .filter(|c| c.is_element() && local(*c) == "li")
    {
        n += 1;
        let marker = if ordered {
            format!("{n}.")
        } else {
            "-".to_owned()
        };
        let mut inner = Blocks::default();
        blocks(item, &mut inner, depth + 1);
        let text = inner.finish();
        let mut item_lines = text.lines();
        lines.push(format!(
            "{marker} {}",
            item_lines.next().unwrap_or_default()
        ));
        for rest in item_lines {
            lines.push(format!("   {rest}"));
        }
    }
    lines.join("\n")
}

fn inline(node: Node<'_, '_>, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return String::new();
    }
    let mut out = String::new();
    for child in node.children() {
        if child.is_text() {
            out.push_str(&escape(child.text().unwrap_or_default()));
        } else if child.is_element() {
            out.push_str(&inline_element(child, depth + 1));
        }
    }
    out
}

fn inline_element(node: Node<'_, '_>, depth: usize) -> String {
    let inner = inline(node, depth + 1);
    match local(node).as_str() {
        "br" => BREAK.to_string(),
        "em" | "i" => wrap(&inner, "*"),
        "strong" | "b" => wrap(&inner, "**"),
        "a" => match node.attribute("href").filter(|h| safe_href(h)) {
            Some(href) if !inner.trim().is_empty() => {
                format!(
                    "[{}]({})",
                    one_line(&inner),
                    href.replace(' ', "%20").replace(')', "%29")
                )
            }
            _ => inner,
        },
        "media" | "img" | "note" => String::new(),
        _ => inner,
    }
}

fn wrap(inner: &str, mark: &str) -> String {
    let trimmed = inner.trim();
    if trimmed.is_empty() {
        return inner.to_owned();
    }
    let lead = &inner[..inner.len() - inner.trim_start().len()];
    let tail = &inner[inner.trim_end().len()..];
    format!("{lead}{mark}{trimmed}{mark}{tail}")
}

fn safe_href(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Escapes the characters Markdown would read as markup inside a line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what Markdown reads as a block marker at the start of a line.
fn escape_line_start(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            if line.starts_with(['#', '-', '+', '=', '|']) {
                format!("\\{line}")
            } else if digits > 0 && line[digits..].starts_with(['.', ')']) {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(s: &str) -> String {
        let doc = roxmltree::Document::parse(s).unwrap();
        from_xml(doc.root_element())
    }

    #[test]
    fn structure_survives() {
        let md = xml(
            r#"<body xmlns="http://www.w3.org/1999/xhtml"><h2>Le vote</h2><p>Un <em>premier</em> texte
            sur <a href="https://example.org/">deux</a> lignes.</p><blockquote><p>Une citation</p></blockquote><ul><li>un</li><li>deux</li></ul><ol><li>premier</li></ol></body>"#,
        );
        assert_eq!(
            md,
            "## Le vote\n\nUn *premier* texte sur [deux](https://example.org/) lignes.\n\n> Une citation\n\n- un\n- deux\n\n1. premier"
        );
    }

    #[test]
    fn nitf_subheadings_and_metadata() {
        let md = xml(
            r#"<nitf><body><body.head><hedline><hl1>Titre</hl1></hedline></body.head><body.content><p>Texte.</p><hl2>Intertitre</hl2><media><media-caption>x</media-caption></media><p>Suite.</p></body.content></body></nitf>"#,
        );
        assert_eq!(md, "Texte.\n\n## Intertitre\n\nSuite.");
    }

    #[test]
    fn markup_in_text_is_escaped_and_scripts_dropped() {
        assert_eq!(
            from_html(
                "<p>*pas* de [lien](javascript:x) <script>alert(1)</script></p><p>1. pas une liste</p><p><a href=\"javascript:alert(1)\">x</a></p>"
            ),
            "\\*pas\\* de \\[lien\\](javascript:x)\n\n1\\. pas une liste\n\nx"
        );
    }

    #[test]
    fn html_with_unclosed_tags_and_entities() {
        assert_eq!(
            from_html("<p>Un&nbsp;été<br>chaud<p>Deux &amp; trois"),
            "Un\u{a0}été  \nchaud\n\nDeux & trois"
        );
    }

    #[test]
    fn plain_text_paragraphs() {
        assert_eq!(from_text("Un\r\ndeux\r\n\r\ntrois"), "Un deux\n\ntrois");
        assert_eq!(from_text("Un\ndeux"), "Un\n\ndeux");
    }
}
