//! NewsML-G2: `newsMessage` (with or without its `header`), `newsItem` and
//! `packageItem`, namespaced or not.

use crate::xml::{attr, child, child_text, children, descendant, text};
use crate::{
    Association, Concept, Format, IngestError, ItemClass, PubStatus, WireItem, WireRendition,
    dates, markdown, nitf,
};
use roxmltree::Node;

const G2: Format = Format::NewsmlG2;

pub fn parse(root: Node<'_, '_>) -> Result<Vec<WireItem>, IngestError> {
    let mut items = Vec::new();
    match root.tag_name().name() {
        "newsMessage" => {
            // dpa sends messages without the required header: tolerated.
            let set = child(root, "itemSet")
                .ok_or_else(|| IngestError::invalid(G2, "the newsMessage has no itemSet"))?;
            for node in set.children().filter(|c| c.is_element()) {
                match node.tag_name().name() {
                    "newsItem" => items.push(news_item(node)?),
                    "packageItem" => items.push(package_item(node)?),
                    // Concept, knowledge and planning items are not news.
                    _ => {}
                }
            }
            if items.is_empty() {
                return Err(IngestError::invalid(
                    G2,
                    "the newsMessage carries no newsItem or packageItem",
                ));
            }
        }
        "newsItem" => items.push(news_item(root)?),
        "packageItem" => items.push(package_item(root)?),
        other => {
            return Err(IngestError::invalid(
                G2,
                format!("unexpected root <{other}>"),
            ));
        }
    }
    link_within(&mut items);
    Ok(items)
}

/// Items of one message that refer to each other (a package and its photos, a story
/// and its picture) get the referenced item embedded in the association.
fn link_within(items: &mut [WireItem]) {
    let all: Vec<WireItem> = items.to_vec();
    for item in items.iter_mut() {
        for association in &mut item.associations {
            if association.item.is_none()
                && let Some(guid) = &association.guid
                && let Some(found) = all.iter().find(|i| &i.guid == guid && i.guid != item.guid)
            {
                association.item = Some(Box::new(found.clone()));
            }
        }
    }
}

fn common(node: Node<'_, '_>) -> Result<WireItem, IngestError> {
    let guid = attr(node, "guid")
        .map(str::trim)
        .ok_or_else(|| IngestError::invalid(G2, "the item has no guid"))?;
    let version = match attr(node, "version") {
        None => 1,
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .ok_or_else(|| {
                IngestError::invalid(G2, format!("version {v:?} is not a whole number"))
            })?,
    };
    let mut item = WireItem {
        guid: guid.to_owned(),
        version,
        format: Some(G2),
        language: attr(node, "lang").map(str::to_owned),
        ..WireItem::default()
    };
    if let Some(rights) = child(node, "rightsInfo") {
        item.copyright_holder = child(rights, "copyrightHolder").and_then(concept_name);
        item.copyright_notice = child_text(rights, "copyrightNotice");
        item.usage_terms = child_text(rights, "usageTerms");
    }
    let meta = child(node, "itemMeta")
        .ok_or_else(|| IngestError::invalid(G2, format!("item {guid} has no itemMeta")))?;
    {
        if let Some(class) = child(meta, "itemClass").and_then(code) {
            item.item_class = ItemClass::from_code(class);
        }
        item.provider = child(meta, "provider").and_then(concept_name);
        item.version_created = child_text(meta, "versionCreated").and_then(|t| dates::parse(&t));
        item.first_created = child_text(meta, "firstCreated").and_then(|t| dates::parse(&t));
        item.embargo = child_text(meta, "embargoed").and_then(|t| dates::parse(&t));
        if let Some(status) = child(meta, "pubStatus").and_then(code) {
            item.pub_status = PubStatus::from_code(status)
                .ok_or_else(|| IngestError::invalid(G2, format!("unknown pubStatus {status:?}")))?;
        }
        item.ednote = child_text(meta, "edNote");
        for link in children(meta, "link") {
            if let Some(target) = attr(link, "residref").or_else(|| attr(link, "href")) {
                item.associations.push(Association {
                    name: attr(link, "rel").map(str::to_owned),
                    guid: Some(target.to_owned()),
                    item: None,
                });
            }
        }
    }
    if let Some(meta) = child(node, "contentMeta") {
        content_meta(meta, &mut item);
    }
    Ok(item)
}

fn content_meta(meta: Node<'_, '_>, item: &mut WireItem) {
    item.urgency = child_text(meta, "urgency").and_then(|u| u.parse().ok());
    item.first_created = item
        .first_created
        .or_else(|| child_text(meta, "contentCreated").and_then(|t| dates::parse(&t)));
    item.located = child(meta, "located").and_then(concept_name);
    item.dateline = child_text(meta, "dateline");
    item.slugline = child_text(meta, "slugline");
    item.byline = child_text(meta, "by");
    item.credit = child_text(meta, "creditline");
    item.creators = children(meta, "creator").filter_map(concept_name).collect();
    if item.provider.is_none() {
        item.provider = child(meta, "infoSource").and_then(concept_name);
    }
    if let Some(lang) = child(meta, "language").and_then(|l| attr(l, "tag")) {
        item.language = Some(lang.to_owned());
    }
    item.subjects = children(meta, "subject").map(concept).collect();
    item.genres = children(meta, "genre").map(concept).collect();
    item.keywords = children(meta, "keyword").filter_map(text).collect();
    let mut headlines =
        children(meta, "headline").filter_map(|h| Some((attr(h, "role"), text(h)?)));
    let mut main = None;
    let mut others = Vec::new();
    for (role, headline) in headlines.by_ref() {
        let is_main = role.is_none_or(|r| r.ends_with(":main") || r.ends_with("main"));
        if is_main && main.is_none() {
            main = Some(headline);
        } else {
            others.push(headline);
        }
    }
    if main.is_none() && !others.is_empty() {
        main = Some(others.remove(0));
    }
    item.headline = main.unwrap_or_default();
    item.other_headlines = others;
    for description in children(meta, "description") {
        let role = attr(description, "role").unwrap_or("");
        let Some(value) = text(description) else {
            continue;
        };
        if role.ends_with("caption") {
            item.caption.get_or_insert(value);
        } else if role.is_empty() || role.ends_with("summary") || role.ends_with("teaser") {
            item.summary.get_or_insert(value);
        }
    }
    if item.caption.is_none() && matches!(item.item_class, ItemClass::Picture | ItemClass::Graphic)
    {
        item.caption = item.summary.take();
    }
}

fn news_item(node: Node<'_, '_>) -> Result<WireItem, IngestError> {
    let mut item = common(node)?;
    if let Some(set) = child(node, "contentSet") {
        for content in set.children().filter(|c| c.is_element()) {
            match content.tag_name().name() {
                "inlineXML" if item.body_markdown.is_empty() => inline_xml(content, &mut item),
                // A picture carried inside the document.
                "inlineData"
                    if attr(content, "encoding")
                        .is_some_and(|e| e.eq_ignore_ascii_case("base64")) =>
                {
                    let mut rendition = rendition(content);
                    rendition.data = crate::embedded(content.text().unwrap_or_default());
                    rendition.href = None;
                    item.renditions.push(rendition);
                }
                "inlineData" if item.body_markdown.is_empty() => {
                    let data = content.text().unwrap_or_default();
                    let kind = attr(content, "contenttype").unwrap_or("text/plain");
                    item.body_markdown = if kind.contains("html") {
                        markdown::from_html(data)
                    } else {
                        markdown::from_text(data)
                    };
                }
                "remoteContent" => item.renditions.push(rendition(content)),
                _ => {}
            }
        }
    }
    Ok(item)
}

fn inline_xml(content: Node<'_, '_>, item: &mut WireItem) {
    let Some(root) = content.children().find(|c| c.is_element()) else {
        return;
    };
    match root.tag_name().name() {
        "nitf" => {
            let story = nitf::story(root);
            item.body_markdown = story.body_markdown;
            if item.headline.is_empty() {
                item.headline = story.headline.unwrap_or_default();
            }
            item.byline = item.byline.take().or(story.byline);
            item.dateline = item.dateline.take().or(story.dateline);
            item.summary = item.summary.take().or(story.summary);
        }
        "html" => {
            let body = descendant(root, "body").unwrap_or(root);
            item.body_markdown = markdown::from_xml(body);
            if item.headline.is_empty() {
                item.headline = descendant(root, "title").and_then(text).unwrap_or_default();
            }
        }
        _ => item.body_markdown = markdown::from_xml(content),
    }
}

fn rendition(node: Node<'_, '_>) -> WireRendition {
    let number = |name: &str| attr(node, name).and_then(|v| v.trim().parse::<u64>().ok());
    let narrow = |v: Option<u64>| v.and_then(|v| u32::try_from(v).ok());
    WireRendition {
        name: attr(node, "rendition")
            .map(|r| r.rsplit(':').next().unwrap_or(r).to_owned())
            .unwrap_or_else(|| "original".into()),
        href: attr(node, "href")
            .or_else(|| attr(node, "residref"))
            .map(str::to_owned),
        mime: attr(node, "contenttype").map(str::to_owned),
        width: narrow(number("width")),
        height: narrow(number("height")),
        size: number("size"),
        data: None,
    }
}

fn package_item(node: Node<'_, '_>) -> Result<WireItem, IngestError> {
    let mut item = common(node)?;
    item.item_class = ItemClass::Composite;
    if let Some(groups) = child(node, "groupSet") {
        for reference in groups
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "itemRef")
        {
            let guid = attr(reference, "residref").or_else(|| attr(reference, "href"));
            if item.headline.is_empty()
                && let Some(title) = child_text(reference, "title")
            {
                item.headline = title;
            }
            item.associations.push(Association {
                name: reference
                    .parent()
                    .and_then(|g| attr(g, "role"))
                    .map(str::to_owned),
                guid: guid.map(str::to_owned),
                item: None,
            });
        }
    }
    Ok(item)
}

/// A concept's code: `@qcode`, else `@uri`.
fn code<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    attr(node, "qcode").or_else(|| attr(node, "uri"))
}

/// A concept's human name: `<name>`, `@literal`, else its code's last part.
fn concept_name(node: Node<'_, '_>) -> Option<String> {
    child_text(node, "name")
        .or_else(|| attr(node, "literal").map(str::to_owned))
        .or_else(|| {
            code(node).map(|c| {
                c.trim_end_matches('/')
                    .rsplit([':', '/'])
                    .next()
                    .unwrap_or(c)
                    .to_owned()
            })
        })
        .or_else(|| text(node))
}

fn concept(node: Node<'_, '_>) -> Concept {
    Concept {
        code: code(node).map(str::to_owned),
        name: child_text(node, "name").or_else(|| attr(node, "literal").map(str::to_owned)),
    }
}
