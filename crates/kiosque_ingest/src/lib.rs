//! Agency wire formats into [`WireItem`]s: NewsML-G2 (newsMessage, newsItem,
//! packageItem, with or without namespace), ninjs 1.x/2.x/3.x, NITF 3.x and IPTC 7901.
//!
//! Pure code: bytes in, items or a clear error out. No I/O, no network, no DTDs, no
//! entity expansion beyond XML's five, bounded size and nesting, so that any file an
//! agency (or anyone else) sends can be fed to it.

mod dates;
pub mod import;
mod iptc7901;
mod item;
pub mod markdown;
mod newsml;
mod ninjs;
mod nitf;

pub use item::{Association, Concept, Format, ItemClass, PubStatus, WireItem, WireRendition};

/// Largest document read: agencies' largest text items are a few hundred kB.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;
/// Deepest element or JSON nesting accepted.
pub const MAX_DEPTH: usize = 96;

/// Why a document could not be read. The message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("the document is {0} bytes, more than the {MAX_DOCUMENT_BYTES} accepted")]
    TooLarge(usize),
    #[error("the document nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("not a wire format Kiosque reads: {0}")]
    Unrecognised(String),
    #[error("malformed XML: {0}")]
    Xml(String),
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("invalid {format}: {message}")]
    Invalid {
        format: &'static str,
        message: String,
    },
}

impl IngestError {
    fn invalid(format: Format, message: impl Into<String>) -> Self {
        IngestError::Invalid {
            format: format.as_str(),
            message: message.into(),
        }
    }
}

/// Reads one document: the format is recognised from its content, never its name.
/// A document may carry several items (a newsMessage, a ninjs array, a package with
/// its pictures).
pub fn parse(bytes: &[u8]) -> Result<Vec<WireItem>, IngestError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(IngestError::TooLarge(bytes.len()));
    }
    let mut items = parse_items(bytes)?;
    for item in &mut items {
        tidy(item);
    }
    Ok(items)
}

/// Reads a document as the given format, without looking at its content first (for
/// callers that know, and for fuzzing each reader on its own).
pub fn parse_as(format: Format, bytes: &[u8]) -> Result<Vec<WireItem>, IngestError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(IngestError::TooLarge(bytes.len()));
    }
    let mut items = match format {
        Format::Iptc7901 => iptc7901::parse(bytes).map(|item| vec![item])?,
        Format::Ninjs => ninjs::parse(text(bytes)?)?,
        Format::NewsmlG2 => {
            let doc = parse_xml(text(bytes)?)?;
            newsml::parse(doc.root_element())?
        }
        Format::Nitf => {
            let doc = parse_xml(text(bytes)?)?;
            vec![nitf::parse(doc.root_element())?]
        }
    };
    for item in &mut items {
        tidy(item);
    }
    Ok(items)
}

/// What every format needs after reading: the body does not repeat the headline.
fn tidy(item: &mut WireItem) {
    // A package without a headline of its own reads as its first member's.
    if item.headline.is_empty()
        && let Some(first) = item
            .associations
            .iter()
            .filter_map(|a| a.item.as_deref())
            .find(|i| !i.headline.is_empty())
    {
        item.headline = first.headline.clone();
    }
    let repeated = format!("## {}", item.headline);
    if !item.headline.is_empty() && item.body_markdown.starts_with(&repeated) {
        item.body_markdown = item.body_markdown[repeated.len()..].trim_start().to_owned();
    }
    for association in &mut item.associations {
        if let Some(inner) = association.item.as_deref_mut() {
            tidy(inner);
        }
    }
}

fn parse_items(bytes: &[u8]) -> Result<Vec<WireItem>, IngestError> {
    match detect(bytes)? {
        Format::Iptc7901 => iptc7901::parse(bytes).map(|item| vec![item]),
        Format::Ninjs => ninjs::parse(text(bytes)?),
        Format::NewsmlG2 | Format::Nitf => {
            let xml = text(bytes)?;
            let doc = parse_xml(xml)?;
            let root = doc.root_element();
            match root.tag_name().name() {
                "nitf" => nitf::parse(root).map(|item| vec![item]),
                _ => newsml::parse(root),
            }
        }
    }
}

/// Which format a document is in, from its first bytes and root element.
pub fn detect(bytes: &[u8]) -> Result<Format, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => Err(IngestError::Unrecognised("the document is empty".into())),
        Some(b'{' | b'[') => Ok(Format::Ninjs),
        Some(0x01) => Ok(Format::Iptc7901),
        Some(b'<') => {
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
            let root = root_name(&text);
            match root.as_deref() {
                Some("newsMessage" | "newsItem" | "packageItem") => Ok(Format::NewsmlG2),
                Some("nitf") => Ok(Format::Nitf),
                Some("NewsML") => Err(IngestError::Unrecognised(
                    "NewsML 1.2 is not read; ask the agency for NewsML-G2 or ninjs".into(),
                )),
                Some(other) => Err(IngestError::Unrecognised(format!(
                    "XML with root element <{other}>: expected newsMessage, newsItem, packageItem or nitf"
                ))),
                None => Err(IngestError::Unrecognised(
                    "XML without a root element".into(),
                )),
            }
        }
        Some(_) if looks_like_7901(bytes) => Ok(Format::Iptc7901),
        Some(_) => Err(IngestError::Unrecognised(
            "neither XML, JSON nor IPTC 7901".into(),
        )),
    }
}

fn looks_like_7901(bytes: &[u8]) -> bool {
    bytes.iter().take(512).any(|&b| b == 0x02) && bytes.contains(&0x03)
}

/// The local name of the first element, skipping the prolog, comments and doctype.
fn root_name(text: &str) -> Option<String> {
    let mut rest = text;
    loop {
        let start = rest.find('<')?;
        rest = &rest[start + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        return Some(name.rsplit(':').next().unwrap_or(&name).to_owned());
    }
}

fn text(bytes: &[u8]) -> Result<&str, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        IngestError::Unrecognised(format!(
            "the text is not UTF-8 (byte {} is invalid)",
            e.valid_up_to()
        ))
    })
}

/// XML without DTDs (so without external entities or entity expansion), with a cap on
/// nodes, and a nesting check.
fn parse_xml(xml: &str) -> Result<roxmltree::Document<'_>, IngestError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 2_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => IngestError::Xml(
            "the document declares a DTD; DTDs and external entities are refused".into(),
        ),
        other => IngestError::Xml(other.to_string()),
    })?;
    // Depth, without recursion: the stack holds (node, depth).
    let mut stack = vec![(doc.root_element(), 1usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(IngestError::TooDeep);
        }
        stack.extend(
            node.children()
                .filter(|c| c.is_element())
                .map(|c| (c, depth + 1)),
        );
    }
    Ok(doc)
}

/// Bytes of an embedded file: base64 (whitespace allowed), or a `data:…;base64,` URI.
pub(crate) fn embedded(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let text = text.trim();
    let payload = match text.strip_prefix("data:") {
        Some(uri) => uri.split_once(";base64,")?.1,
        None => text,
    };
    let compact: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

/// Namespace-agnostic helpers over roxmltree: agencies send G2 and NITF with and
/// without namespaces.
pub(crate) mod xml {
    use roxmltree::Node;

    pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
        node.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
    }

    pub fn children<'a, 'i>(
        node: Node<'a, 'i>,
        name: &'static str,
    ) -> impl Iterator<Item = Node<'a, 'i>> {
        node.children()
            .filter(move |c| c.is_element() && c.tag_name().name() == name)
    }

    pub fn descendant<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
        node.descendants()
            .find(|c| c.is_element() && c.tag_name().name() == name)
    }

    /// All the text under a node, whitespace collapsed; `None` when empty.
    pub fn text(node: Node<'_, '_>) -> Option<String> {
        let joined: String = node
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("");
        let collapsed = joined.split_whitespace().collect::<Vec<_>>().join(" ");
        (!collapsed.is_empty()).then_some(collapsed)
    }

    pub fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
        child(node, name).and_then(text)
    }

    /// An attribute by local name, whatever its namespace (`xml:lang` is `lang`).
    pub fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
        node.attributes()
            .find(|a| a.name() == name)
            .map(|a| a.value())
            .filter(|v| !v.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_from_content() {
        assert_eq!(detect(b"  {\"uri\":\"x\"}").unwrap(), Format::Ninjs);
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?>\n<!-- c --><g2:newsItem xmlns:g2=\"x\"/>").unwrap(),
            Format::NewsmlG2
        );
        assert_eq!(detect(b"<nitf/>").unwrap(), Format::Nitf);
        assert_eq!(detect(b"\x01abc\x02text\x03").unwrap(), Format::Iptc7901);
        assert!(
            matches!(detect(b"<html/>"), Err(IngestError::Unrecognised(m)) if m.contains("<html>"))
        );
        assert!(matches!(detect(b""), Err(IngestError::Unrecognised(_))));
    }

    #[test]
    fn dtds_and_entities_are_refused() {
        let billion = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><newsItem guid="x">&lol2;</newsItem>"#;
        let err = parse(billion).unwrap_err();
        assert!(err.to_string().contains("DTD"), "{err}");
        let external = br#"<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]><nitf>&x;</nitf>"#;
        assert!(parse(external).unwrap_err().to_string().contains("DTD"));
    }

    #[test]
    fn size_and_depth_are_bounded() {
        let deep = format!(
            "<newsItem guid=\"x\">{}{}</newsItem>",
            "<a>".repeat(MAX_DEPTH + 5),
            "</a>".repeat(MAX_DEPTH + 5)
        );
        assert_eq!(parse(deep.as_bytes()).unwrap_err(), IngestError::TooDeep);
        let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        assert!(matches!(parse(&big), Err(IngestError::TooLarge(_))));
        let json = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(matches!(parse(json.as_bytes()), Err(IngestError::Json(_))));
    }
}
