//! A streaming reader of WordPress eXtended RSS: the channel's authors and terms
//! first, then one `<item>` at a time, each gathered into a small element tree and
//! dropped once read. Memory is bounded by the largest item, not by the file.

use super::ImportError;
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use std::io::BufRead;

/// Largest text one element may carry (a post's body with inline images).
pub const MAX_ELEMENT_TEXT: usize = 16 * 1024 * 1024;
/// Largest number of elements one item may carry (its metadata and comments).
pub const MAX_ITEM_ELEMENTS: usize = 200_000;
/// Deepest nesting accepted inside an item.
const MAX_ITEM_DEPTH: usize = 12;

/// The namespaces WXR uses, recognised by their URI, never by their prefix (an export
/// may bind `wp:` to anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// RSS's own elements (no namespace).
    Rss,
    /// `http://wordpress.org/export/1.x/`
    Wp,
    /// `http://purl.org/rss/1.0/modules/content/`
    Content,
    /// `http://wordpress.org/export/1.x/excerpt/`
    Excerpt,
    /// `http://purl.org/dc/elements/1.1/`
    Dc,
    Other,
}

fn namespace(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Unbound => Ns::Rss,
        ResolveResult::Bound(ns) => {
            let uri = ns.as_ref();
            match uri {
                b"http://purl.org/rss/1.0/modules/content/" => Ns::Content,
                b"http://purl.org/dc/elements/1.1/" => Ns::Dc,
                b"" => Ns::Rss,
                _ => {
                    // WordPress.com writes https:// namespace URIs, self-hosted sites http://.
                    let bare = uri
                        .strip_prefix(b"https://")
                        .or_else(|| uri.strip_prefix(b"http://"))
                        .unwrap_or(uri);
                    match bare {
                        b"wordpress.org/export/1.0/"
                        | b"wordpress.org/export/1.1/"
                        | b"wordpress.org/export/1.2/" => Ns::Wp,
                        b"wordpress.org/export/1.0/excerpt/"
                        | b"wordpress.org/export/1.1/excerpt/"
                        | b"wordpress.org/export/1.2/excerpt/" => Ns::Excerpt,
                        b"purl.org/rss/1.0/modules/content/" => Ns::Content,
                        b"purl.org/dc/elements/1.1/" => Ns::Dc,
                        _ => Ns::Other,
                    }
                }
            }
        }
        ResolveResult::Unknown(_) => Ns::Other,
    }
}

/// One element of an item, with its text and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub ns: Option<Ns>,
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The text of the first child `ns:name`, trimmed.
    pub fn child_text(&self, ns: Ns, name: &str) -> Option<&str> {
        self.child(ns, name).map(|c| c.text.trim())
    }

    pub fn child(&self, ns: Ns, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.ns == Some(ns) && c.name == name)
    }

    pub fn children_named<'a>(
        &'a self,
        ns: Ns,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |c| c.ns == Some(ns) && c.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the channel yields, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A channel-level element: `wp:author`, `wp:category`, `wp:tag`, `wp:term`, or
    /// the site's `wp:base_site_url` / `wp:base_blog_url` / `link`.
    Channel(Element),
    Item(Element),
}

/// Reads a WXR file entry by entry.
pub struct WxrReader<R: BufRead> {
    reader: NsReader<R>,
    buf: Vec<u8>,
    /// Open elements above the current point (outside items).
    depth: usize,
    in_channel: bool,
    finished: bool,
    /// `wp:wxr_version`, once read.
    pub version: Option<String>,
    saw_rss: bool,
}

impl<R: BufRead> std::fmt::Debug for WxrReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WxrReader")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl<R: BufRead> WxrReader<R> {
    pub fn new(input: R) -> Self {
        let mut reader = NsReader::from_reader(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = true;
        config.check_comments = true;
        Self {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            depth: 0,
            in_channel: false,
            finished: false,
            version: None,
            saw_rss: false,
        }
    }

    /// Where the reader is in the file, in bytes, for error messages.
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::Malformed {
            position: self.position(),
            message: message.into(),
        }
    }

    fn xml_error(&self, e: impl std::fmt::Display) -> ImportError {
        ImportError::Malformed {
            position: self.reader.error_position(),
            message: e.to_string(),
        }
    }

    /// The next author, term or item; `None` at the end of a well-formed file.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, ImportError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            self.buf.clear();
            let (resolved, event) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok((r, e)) => (namespace(&r), e.into_owned()),
                Err(e) => return Err(self.xml_error(e)),
            };
            match event {
                Event::Start(start) => {
                    let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                    self.depth += 1;
                    if self.depth == 1 {
                        if local != "rss" || resolved != Ns::Rss {
                            return Err(self.error(format!(
                                "not a WordPress export: the document starts with <{local}>, not <rss>"
                            )));
                        }
                        self.saw_rss = true;
                        continue;
                    }
                    if self.depth == 2 && local == "channel" && resolved == Ns::Rss {
                        self.in_channel = true;
                        continue;
                    }
                    if self.depth == 3 && self.in_channel {
                        let attributes = read_attributes(&start)?;
                        let element = self.gather(resolved, local, attributes)?;
                        self.depth -= 1;
                        if element.ns == Some(Ns::Wp) && element.name == "wxr_version" {
                            let version = element.text.trim().to_owned();
                            if !matches!(version.as_str(), "1.0" | "1.1" | "1.2") {
                                return Err(ImportError::Version(version));
                            }
                            self.version = Some(version);
                            continue;
                        }
                        let is_item = element.ns == Some(Ns::Rss) && element.name == "item";
                        let known = is_item
                            || (element.ns == Some(Ns::Wp)
                                && matches!(
                                    element.name.as_str(),
                                    "author"
                                        | "category"
                                        | "tag"
                                        | "term"
                                        | "base_site_url"
                                        | "base_blog_url"
                                ))
                            || (element.ns == Some(Ns::Rss)
                                && matches!(element.name.as_str(), "link" | "title"));
                        if !known {
                            continue;
                        }
                        if self.version.is_none()
                            && !matches!(element.name.as_str(), "link" | "title")
                        {
                            return Err(ImportError::Version(String::new()));
                        }
                        return Ok(Some(if is_item {
                            Entry::Item(element)
                        } else {
                            Entry::Channel(element)
                        }));
                    }
                }
                Event::End(_) => {
                    if self.depth == 2 {
                        self.in_channel = false;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(text) => {
                    // Character data between channel elements: whitespace only.
                    let raw = text.xml10_content().map_err(|e| self.xml_error(e))?;
                    if raw.contains("]]>") {
                        return Err(self.error(
                            "\"]]>\" in character data (a CDATA section nested in another?)",
                        ));
                    }
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.error(
                            "the file ends before its elements are closed (truncated export?)",
                        ));
                    }
                    if !self.saw_rss {
                        return Err(self.error("empty document"));
                    }
                    if self.version.is_none() {
                        return Err(ImportError::Version(String::new()));
                    }
                    self.finished = true;
                    return Ok(None);
                }
                Event::DocType(_) => {
                    return Err(self.error("a DOCTYPE is not accepted in a WordPress export"));
                }
                Event::GeneralRef(r) if !r.is_char_ref() => {
                    return Err(self.error("an entity reference outside any element"));
                }
                _ => {}
            }
        }
    }

    /// Reads an element whose start tag was just read, with everything inside it.
    fn gather(
        &mut self,
        ns: Ns,
        name: String,
        attributes: Vec<(String, String)>,
    ) -> Result<Element, ImportError> {
        let mut stack = vec![Element {
            ns: Some(ns),
            name,
            attributes,
            ..Element::default()
        }];
        let mut count = 1usize;
        loop {
            self.buf.clear();
            let (resolved, event) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok((r, e)) => (namespace(&r), e.into_owned()),
                Err(e) => return Err(self.xml_error(e)),
            };
            match event {
                Event::Start(start) => {
                    count += 1;
                    if count > MAX_ITEM_ELEMENTS {
                        return Err(self.error(format!(
                            "an item has more than {MAX_ITEM_ELEMENTS} elements"
                        )));
                    }
                    if stack.len() >= MAX_ITEM_DEPTH {
                        return Err(self.error(format!(
                            "elements nest deeper than {MAX_ITEM_DEPTH} levels inside an item"
                        )));
                    }
                    let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                    let attributes = read_attributes(&start)?;
                    stack.push(Element {
                        ns: Some(resolved),
                        name: local,
                        attributes,
                        ..Element::default()
                    });
                }
                Event::End(_) => {
                    let Some(done) = stack.pop() else {
                        return Err(self.error("unbalanced end tag"));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Text(text) => {
                    let content = text.xml10_content().map_err(|e| self.xml_error(e))?;
                    if content.contains("]]>") {
                        return Err(self.error(
                            "\"]]>\" in character data (a CDATA section nested in another?)",
                        ));
                    }
                    self.push_text(&mut stack, &content)?;
                }
                Event::CData(data) => {
                    let content = data.xml10_content().map_err(|e| self.xml_error(e))?;
                    self.push_text(&mut stack, &content)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref()
                            .map_err(|e| self.xml_error(e))?
                            .map(String::from)
                    } else {
                        let name = r.decode().map_err(|e| self.xml_error(e))?;
                        quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                    };
                    let Some(resolved) = resolved else {
                        let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                        return Err(self.error(format!(
                            "unknown entity &{name}; (XML knows only &amp; &lt; &gt; &quot; &apos; and numeric references; a raw & must be written &amp;)"
                        )));
                    };
                    self.push_text(&mut stack, &resolved)?;
                }
                Event::Eof => {
                    return Err(self.error("the file ends inside an element (truncated export?)"));
                }
                _ => {}
            }
        }
    }

    fn push_text(&self, stack: &mut [Element], text: &str) -> Result<(), ImportError> {
        if let Some(top) = stack.last_mut() {
            if top.text.len() + text.len() > MAX_ELEMENT_TEXT {
                return Err(self.error(format!(
                    "an element carries more than {MAX_ELEMENT_TEXT} bytes of text"
                )));
            }
            top.text.push_str(text);
        }
        Ok(())
    }
}

fn read_attributes(
    start: &quick_xml::events::BytesStart<'_>,
) -> Result<Vec<(String, String)>, ImportError> {
    let mut out = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| ImportError::Malformed {
            position: 0,
            message: e.to_string(),
        })?;
        let name = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| ImportError::Malformed {
                position: 0,
                message: e.to_string(),
            })?
            .into_owned();
        out.push((name, value));
    }
    Ok(out)
}
