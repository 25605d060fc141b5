//! NITF 3.x stories, with or without the NITF namespace, standalone or inside a
//! NewsML-G2 `inlineXML`.

use crate::xml::{attr, child, descendant, text};
use crate::{Format, IngestError, WireItem, dates, markdown};
use roxmltree::Node;

/// What a NITF `body` says.
#[derive(Debug, Default)]
pub struct Story {
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub byline: Option<String>,
    pub dateline: Option<String>,
    pub summary: Option<String>,
    pub body_markdown: String,
}

pub fn story(nitf: Node<'_, '_>) -> Story {
    let body = descendant(nitf, "body");
    let head = body.and_then(|b| child(b, "body.head"));
    let hedline = head.and_then(|h| child(h, "hedline"));
    let content = body.and_then(|b| child(b, "body.content"));
    Story {
        headline: hedline.and_then(|h| child(h, "hl1")).and_then(text),
        subheadline: hedline.and_then(|h| child(h, "hl2")).and_then(text),
        byline: head.and_then(|h| child(h, "byline")).and_then(|b| {
            // The byline without its title (`<byttl>`).
            let own: String = b
                .children()
                .filter(|c| c.is_text() || (c.is_element() && c.tag_name().name() != "byttl"))
                .filter_map(|c| {
                    if c.is_text() {
                        c.text().map(str::to_owned)
                    } else {
                        text(c)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            let own = own.split_whitespace().collect::<Vec<_>>().join(" ");
            let own = own.trim_end_matches([',', ' ']).to_owned();
            (!own.is_empty()).then_some(own)
        }),
        dateline: head.and_then(|h| child(h, "dateline")).and_then(text),
        summary: head.and_then(|h| child(h, "abstract")).and_then(text),
        body_markdown: content.or(body).map(markdown::from_xml).unwrap_or_default(),
    }
}

/// A standalone NITF document: identity from `head/docdata`.
pub fn parse(nitf: Node<'_, '_>) -> Result<WireItem, IngestError> {
    let head = child(nitf, "head");
    let docdata = head.and_then(|h| child(h, "docdata"));
    let guid = docdata
        .and_then(|d| child(d, "doc-id"))
        .and_then(|d| attr(d, "id-string"))
        .map(str::to_owned)
        .ok_or_else(|| {
            IngestError::invalid(
                Format::Nitf,
                "no head/docdata/doc-id@id-string to identify the story",
            )
        })?;
    let story = story(nitf);
    let date = |name: &str| {
        docdata
            .and_then(|d| child(d, name))
            .and_then(|d| attr(d, "norm"))
            .and_then(dates::parse)
    };
    let urgency = docdata
        .and_then(|d| child(d, "urgency"))
        .and_then(|u| attr(u, "ed-urg"))
        .and_then(|u| u.parse().ok());
    let version = nitf
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "du-key")
        .and_then(|d| attr(d, "version"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let provider = head
        .and_then(|h| descendant(h, "doc.copyright"))
        .and_then(|c| attr(c, "holder"))
        .map(str::to_owned)
        .or_else(|| {
            nitf.descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "distributor")
                .and_then(text)
        });
    let keywords = head
        .and_then(|h| descendant(h, "key-list"))
        .map(|list| {
            list.children()
                .filter_map(|k| attr(k, "key").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(WireItem {
        guid,
        version,
        format: Some(Format::Nitf),
        language: attr(nitf, "lang")
            .or_else(|| descendant(nitf, "body").and_then(|b| attr(b, "lang")))
            .map(str::to_owned),
        headline: story
            .headline
            .or_else(|| head.and_then(|h| child(h, "title")).and_then(text))
            .unwrap_or_default(),
        other_headlines: story.subheadline.into_iter().collect(),
        summary: story.summary,
        body_markdown: story.body_markdown,
        byline: story.byline,
        dateline: story.dateline,
        provider: provider.clone(),
        copyright_holder: provider,
        urgency,
        keywords,
        first_created: date("date.issue"),
        version_created: date("date.release").or_else(|| date("date.issue")),
        // "Date and time the document may be released": an embargo when in the future.
        embargo: date("date.release"),
        ..WireItem::default()
    })
}
