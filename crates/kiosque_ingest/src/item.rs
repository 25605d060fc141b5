//! The one shape every wire format is read into.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which format a document arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    NewsmlG2,
    Ninjs,
    Nitf,
    Iptc7901,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::NewsmlG2 => "newsml-g2",
            Format::Ninjs => "ninjs",
            Format::Nitf => "nitf",
            Format::Iptc7901 => "iptc7901",
        }
    }
}

/// What kind of content an item carries (`ninat:` in NewsML-G2, `type` in ninjs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemClass {
    #[default]
    Text,
    Picture,
    Graphic,
    Video,
    Audio,
    Composite,
    Other,
}

impl ItemClass {
    /// From `ninat:picture`, `http://cv.iptc.org/newscodes/ninature/picture`, `picture`…
    pub fn from_code(code: &str) -> Self {
        let last = code
            .rsplit([':', '/'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase();
        match last.as_str() {
            "text" => ItemClass::Text,
            "picture" | "photo" => ItemClass::Picture,
            "graphic" => ItemClass::Graphic,
            "video" => ItemClass::Video,
            "audio" => ItemClass::Audio,
            "composite" | "package" => ItemClass::Composite,
            _ => ItemClass::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemClass::Text => "text",
            ItemClass::Picture => "picture",
            ItemClass::Graphic => "graphic",
            ItemClass::Video => "video",
            ItemClass::Audio => "audio",
            ItemClass::Composite => "composite",
            ItemClass::Other => "other",
        }
    }
}

/// Whether the item may be used: `withheld` holds it, `canceled` kills it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PubStatus {
    #[default]
    Usable,
    Withheld,
    Canceled,
}

impl PubStatus {
    /// From `stat:canceled`, `usable`…; unknown values are refused by the caller.
    pub fn from_code(code: &str) -> Option<Self> {
        let last = code.rsplit([':', '/']).next().unwrap_or(code).trim();
        match last.to_ascii_lowercase().as_str() {
            "usable" => Some(PubStatus::Usable),
            "withheld" => Some(PubStatus::Withheld),
            "canceled" => Some(PubStatus::Canceled),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PubStatus::Usable => "usable",
            PubStatus::Withheld => "withheld",
            PubStatus::Canceled => "canceled",
        }
    }
}

/// A subject, genre or other concept: a code, a name, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Concept {
    pub code: Option<String>,
    pub name: Option<String>,
}

/// One file of a picture (or other media) item.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WireRendition {
    /// `highRes`, `thumbnail`, `baseImage`…
    pub name: String,
    /// Where the file is: a URL, or a path relative to the document.
    pub href: Option<String>,
    pub mime: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub size: Option<u64>,
    /// The file itself, when the document embeds it (base64 `inlineData`, a `data:`
    /// URI). Imported into the media library, never stored with the dispatch.
    #[serde(skip)]
    pub data: Option<Vec<u8>>,
}

/// A link from one item to another: a story's photos, a package's members.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Association {
    /// The link's name or role (`featureimage`, `mainpicture`…).
    pub name: Option<String>,
    /// The guid (or URI) of the associated item.
    pub guid: Option<String>,
    /// The item itself, when the document embeds it.
    pub item: Option<Box<WireItem>>,
}

/// An agency dispatch, whatever format it came in.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WireItem {
    /// The agency's identifier, shared by every version (`guid`, ninjs `uri`).
    pub guid: String,
    /// Versions only grow; 1 when the format does not say.
    pub version: i64,
    pub format: Option<Format>,
    pub item_class: ItemClass,
    pub pub_status: PubStatus,
    /// Nothing reaches the public before this time.
    pub embargo: Option<DateTime<Utc>>,
    /// 1 (flash) to 9.
    pub urgency: Option<u8>,
    /// BCP 47 (`fr`, `en-US`).
    pub language: Option<String>,
    pub headline: String,
    /// Other headlines: subheadlines, short headlines.
    pub other_headlines: Vec<String>,
    /// The standfirst.
    pub summary: Option<String>,
    /// The text as Markdown: paragraphs, subheadings, quotes, lists and links.
    pub body_markdown: String,
    pub byline: Option<String>,
    pub creators: Vec<String>,
    /// The agency (`dpa`, `AFP`), for the credit.
    pub provider: Option<String>,
    pub dateline: Option<String>,
    pub located: Option<String>,
    pub slugline: Option<String>,
    pub subjects: Vec<Concept>,
    pub genres: Vec<Concept>,
    pub keywords: Vec<String>,
    pub first_created: Option<DateTime<Utc>>,
    pub version_created: Option<DateTime<Utc>>,
    pub copyright_holder: Option<String>,
    pub copyright_notice: Option<String>,
    pub usage_terms: Option<String>,
    pub ednote: Option<String>,
    /// Pictures: the caption and the credit line.
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub renditions: Vec<WireRendition>,
    pub associations: Vec<Association>,
}

impl WireItem {
    /// Names of subjects and genres that carry one: candidates for tags.
    pub fn tag_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for name in self
            .subjects
            .iter()
            .filter_map(|c| c.name.as_deref())
            .chain(self.keywords.iter().map(String::as_str))
        {
            let name = name.trim();
            if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_owned());
            }
        }
        names
    }

    /// The pictures this item carries or points to, embedded ones first.
    pub fn pictures(&self) -> impl Iterator<Item = &WireItem> {
        self.associations
            .iter()
            .filter_map(|a| a.item.as_deref())
            .filter(|i| matches!(i.item_class, ItemClass::Picture | ItemClass::Graphic))
    }

    /// The largest rendition, for import into the media library.
    pub fn best_rendition(&self) -> Option<&WireRendition> {
        self.renditions
            .iter()
            .filter(|r| r.href.is_some() || r.data.is_some())
            .max_by_key(|r| (r.width.unwrap_or(0), r.size.unwrap_or(0)))
    }
}
