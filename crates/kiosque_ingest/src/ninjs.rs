//! ninjs 1.x (lower-case keys, `headline`, `body_html`), 2.x (arrays of
//! `{role, contenttype, value}`) and 3.x (camelCase), read by one tolerant reader
//! that still refuses what no version allows.

use crate::{
    Association, Concept, Format, IngestError, ItemClass, PubStatus, WireItem, WireRendition,
    dates, markdown,
};
use serde_json::{Map, Value};

const NINJS: Format = Format::Ninjs;

/// Every top-level property some ninjs version defines (1.x and 2.x lower case, 3.x
/// camelCase), besides the `headline_*`, `description_*` and `body_*` patterns. Other
/// properties are tolerated (agencies extend ninjs with their own schemas) but not
/// read; associations keep only these when read as items.
const KNOWN: &[&str] = &[
    "$standard",
    "$schema",
    "altids",
    "altIds",
    "associations",
    "bodies",
    "by",
    "byline",
    "charcount",
    "charCount",
    "contentcreated",
    "contentCreated",
    "copyrightholder",
    "copyrightHolder",
    "copyrightnotice",
    "copyrightNotice",
    "descriptions",
    "digitalsourcetype",
    "digitalSourceType",
    "ednote",
    "edNote",
    "embargoed",
    "embargoedUntil",
    "event",
    "events",
    "eventDetails",
    "expires",
    "firstcreated",
    "firstCreated",
    "genre",
    "genres",
    "headline",
    "headlines",
    "infosource",
    "infosources",
    "infoSources",
    "language",
    "located",
    "mimetype",
    "object",
    "objects",
    "organisation",
    "organisations",
    "people",
    "person",
    "place",
    "places",
    "planningDetails",
    "profile",
    "pubstatus",
    "pubStatus",
    "renditions",
    "representationtype",
    "representationType",
    "rightsinfo",
    "rightsInfo",
    "slugline",
    "standard",
    "subject",
    "subjects",
    "title",
    "trustindicator",
    "trustindicators",
    "trustIndicators",
    "type",
    "urgency",
    "uri",
    "usageterms",
    "usageTerms",
    "version",
    "versioncreated",
    "versionCreated",
    "wordcount",
    "wordCount",
    "plannedCoverage",
    "contentType",
    "contenttype",
    "name",
    "rel",
    "literal",
    "uris",
];

pub fn parse(text: &str) -> Result<Vec<WireItem>, IngestError> {
    let value: Value = serde_json::from_str(text).map_err(|e| IngestError::Json(e.to_string()))?;
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                item(v).map_err(|e| match e {
                    IngestError::Invalid { format, message } => IngestError::Invalid {
                        format,
                        message: format!("item {}: {message}", i + 1),
                    },
                    other => other,
                })
            })
            .collect(),
        other => Ok(vec![item(&other)?]),
    }
}

fn invalid(message: impl Into<String>) -> IngestError {
    IngestError::invalid(NINJS, message)
}

/// A property under any of its spellings.
fn get<'a>(object: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|n| object.get(*n))
        .filter(|v| !v.is_null())
}

fn string(object: &Map<String, Value>, names: &[&str]) -> Result<Option<String>, IngestError> {
    match get(object, names) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        Some(_) => Err(invalid(format!("`{}` must be a string", names[0]))),
    }
}

fn date(
    object: &Map<String, Value>,
    names: &[&str],
) -> Result<Option<chrono::DateTime<chrono::Utc>>, IngestError> {
    Ok(string(object, names)?.and_then(|s| dates::parse(&s)))
}

fn item(value: &Value) -> Result<WireItem, IngestError> {
    let object = value
        .as_object()
        .ok_or_else(|| invalid("an item must be a JSON object"))?;
    let guid = string(object, &["uri"])?.ok_or_else(|| invalid("`uri` is required"))?;
    let version = match get(object, &["version"]) {
        None => 1,
        Some(Value::String(v)) => v
            .trim()
            .split('.')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1),
        Some(Value::Number(n)) if n.is_i64() => n.as_i64().unwrap_or(1),
        Some(_) => return Err(invalid("`version` must be a string")),
    };
    let item_class = match string(object, &["type"])? {
        None => ItemClass::Text,
        Some(t) => match t.as_str() {
            "text" | "audio" | "video" | "picture" | "graphic" | "composite" | "component"
            | "event" | "planning" => ItemClass::from_code(&t),
            other => return Err(invalid(format!("unknown type {other:?}"))),
        },
    };
    let pub_status = match string(object, &["pubstatus", "pubStatus"])? {
        None => PubStatus::Usable,
        Some(s) => PubStatus::from_code(&s).ok_or_else(|| {
            invalid(format!(
                "pubstatus {s:?} is not usable, withheld or canceled"
            ))
        })?,
    };
    let urgency = match get(object, &["urgency"]) {
        None => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(u @ 0..=9) => Some(u as u8),
            _ => {
                return Err(invalid(format!(
                    "urgency {n} is not a whole number from 0 to 9"
                )));
            }
        },
        Some(_) => return Err(invalid("`urgency` must be a number")),
    };
    let mut item = WireItem {
        guid,
        version,
        format: Some(NINJS),
        item_class,
        pub_status,
        urgency,
        language: string(object, &["language"])?,
        embargo: date(object, &["embargoedUntil", "embargoed"])?,
        byline: string(object, &["by", "byline"])?,
        slugline: string(object, &["slugline"])?,
        first_created: date(
            object,
            &[
                "firstCreated",
                "firstcreated",
                "contentCreated",
                "contentcreated",
            ],
        )?,
        version_created: date(object, &["versionCreated", "versioncreated"])?,
        copyright_holder: string(object, &["copyrightHolder", "copyrightholder"])?,
        copyright_notice: string(object, &["copyrightNotice", "copyrightnotice"])?,
        usage_terms: string(object, &["usageTerms", "usageterms"])?,
        ednote: string(object, &["edNote", "ednote"])?,
        ..WireItem::default()
    };
    item.located = match get(object, &["located"]) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => string(o, &["name"])?,
        _ => None,
    };
    headlines(object, &mut item)?;
    descriptions(object, &mut item)?;
    bodies(object, &mut item)?;
    item.subjects = concepts(object, &["subjects", "subject"])?;
    item.genres = concepts(object, &["genres", "genre"])?;
    item.provider = infosource(object)?.or_else(|| item.copyright_holder.clone());
    item.renditions = renditions(object)?;
    item.associations = associations(object)?;
    if matches!(item.item_class, ItemClass::Picture | ItemClass::Graphic) && item.caption.is_none()
    {
        item.caption = item.summary.take();
    }
    Ok(item)
}

/// `[{role, contenttype|contentType, value}]` entries of 2.x/3.x.
fn entries(value: &Value, name: &str) -> Result<Vec<(String, String, String)>, IngestError> {
    let list = value
        .as_array()
        .ok_or_else(|| invalid(format!("`{name}` must be an array")))?;
    list.iter()
        .map(|entry| {
            let o = entry
                .as_object()
                .ok_or_else(|| invalid(format!("each of `{name}` must be an object")))?;
            Ok((
                string(o, &["role"])?.unwrap_or_default(),
                string(o, &["contentType", "contenttype"])?.unwrap_or_default(),
                string(o, &["value"])?.unwrap_or_default(),
            ))
        })
        .collect()
}

fn headlines(object: &Map<String, Value>, item: &mut WireItem) -> Result<(), IngestError> {
    if let Some(list) = get(object, &["headlines"]) {
        let mut all = entries(list, "headlines")?;
        let main = all
            .iter()
            .position(|(role, _, _)| role.is_empty() || role == "main")
            .unwrap_or(0);
        if !all.is_empty() {
            item.headline = all.remove(main).2;
        }
        item.other_headlines = all
            .into_iter()
            .map(|e| e.2)
            .filter(|v| !v.is_empty())
            .collect();
    } else {
        item.headline = string(object, &["headline"])?.unwrap_or_default();
        for (key, value) in object {
            if key.starts_with("headline_") {
                let text = value
                    .as_str()
                    .ok_or_else(|| invalid(format!("`{key}` must be a string")))?;
                item.other_headlines.push(text.to_owned());
            }
        }
    }
    if item.headline.is_empty() {
        item.headline = string(object, &["title"])?.unwrap_or_default();
    }
    Ok(())
}

fn descriptions(object: &Map<String, Value>, item: &mut WireItem) -> Result<(), IngestError> {
    let mut found = Vec::new();
    if let Some(list) = get(object, &["descriptions"]) {
        found = entries(list, "descriptions")?;
    }
    for (key, value) in object {
        if let Some(kind) = key.strip_prefix("description_") {
            let text = value
                .as_str()
                .ok_or_else(|| invalid(format!("`{key}` must be a string")))?;
            found.push((String::new(), kind.to_owned(), text.to_owned()));
        }
    }
    for (role, kind, value) in found {
        let text = if kind.contains("html") {
            markdown::from_html(&value)
        } else {
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        if text.is_empty() {
            continue;
        }
        if role.contains("caption") {
            item.caption.get_or_insert(text);
        } else {
            item.summary.get_or_insert(text);
        }
    }
    Ok(())
}

fn bodies(object: &Map<String, Value>, item: &mut WireItem) -> Result<(), IngestError> {
    let mut found = Vec::new();
    if let Some(list) = get(object, &["bodies"]) {
        found = entries(list, "bodies")?
            .into_iter()
            .map(|(_, kind, value)| (kind, value))
            .collect();
    }
    for (key, value) in object {
        if let Some(kind) = key.strip_prefix("body_") {
            let text = value
                .as_str()
                .ok_or_else(|| invalid(format!("`{key}` must be a string")))?;
            found.push((kind.to_owned(), text.to_owned()));
        }
    }
    // The richest rendering wins: HTML/XHTML, then NITF, then text.
    let rank = |kind: &str| {
        if kind.contains("html") {
            0
        } else if kind.contains("nitf") || kind.contains("xml") {
            1
        } else {
            2
        }
    };
    found.sort_by_key(|(kind, _)| rank(kind));
    if let Some((kind, value)) = found.into_iter().next() {
        item.body_markdown = match rank(&kind) {
            0 => markdown::from_html(&value),
            1 => match roxmltree::Document::parse(&value) {
                Ok(doc) => markdown::from_xml(doc.root_element()),
                Err(_) => markdown::from_html(&value),
            },
            _ => markdown::from_text(&value),
        };
    }
    Ok(())
}

fn concepts(object: &Map<String, Value>, names: &[&str]) -> Result<Vec<Concept>, IngestError> {
    let Some(value) = get(object, names) else {
        return Ok(Vec::new());
    };
    let list = value
        .as_array()
        .ok_or_else(|| invalid(format!("`{}` must be an array", names[0])))?;
    list.iter()
        .map(|entry| match entry {
            Value::String(s) => Ok(Concept {
                code: None,
                name: Some(s.clone()),
            }),
            Value::Object(o) => Ok(Concept {
                code: string(o, &["uri", "code", "qcode"])?,
                name: string(o, &["name", "literal"])?,
            }),
            _ => Err(invalid(format!("each of `{}` must be an object", names[0]))),
        })
        .collect()
}

fn infosource(object: &Map<String, Value>) -> Result<Option<String>, IngestError> {
    let Some(value) = get(object, &["infoSources", "infosources", "infosource"]) else {
        return Ok(None);
    };
    let first = match value {
        Value::Array(list) => list.first(),
        other => Some(other),
    };
    Ok(match first {
        Some(Value::Object(o)) => string(o, &["name", "literal"])?,
        _ => None,
    })
}

fn renditions(object: &Map<String, Value>) -> Result<Vec<WireRendition>, IngestError> {
    let Some(value) = get(object, &["renditions"]) else {
        return Ok(Vec::new());
    };
    let one = |name: String, o: &Map<String, Value>| -> Result<WireRendition, IngestError> {
        let number = |names: &[&str]| get(o, names).and_then(Value::as_u64);
        let href = string(o, &["href"])?;
        let data = href
            .as_deref()
            .filter(|h| h.starts_with("data:"))
            .and_then(crate::embedded);
        Ok(WireRendition {
            name,
            href: if data.is_some() { None } else { href },
            data,
            mime: string(o, &["contentType", "contenttype", "mimetype"])?,
            width: number(&["width"]).and_then(|n| u32::try_from(n).ok()),
            height: number(&["height"]).and_then(|n| u32::try_from(n).ok()),
            size: number(&["sizeInBytes", "sizeinbytes"]),
        })
    };
    match value {
        // 1.x: {name: rendition}
        Value::Object(map) => map
            .iter()
            .map(|(name, r)| {
                let o = r
                    .as_object()
                    .ok_or_else(|| invalid(format!("rendition `{name}` must be an object")))?;
                one(name.clone(), o)
            })
            .collect(),
        // 2.x and 3.x: [{name, …}]
        Value::Array(list) => list
            .iter()
            .map(|r| {
                let o = r
                    .as_object()
                    .ok_or_else(|| invalid("each rendition must be an object"))?;
                one(string(o, &["name"])?.unwrap_or_default(), o)
            })
            .collect(),
        _ => Err(invalid("`renditions` must be an object or an array")),
    }
}

fn associations(object: &Map<String, Value>) -> Result<Vec<Association>, IngestError> {
    let Some(value) = get(object, &["associations"]) else {
        return Ok(Vec::new());
    };
    let one = |name: Option<String>, v: &Value| -> Result<Association, IngestError> {
        let o = v
            .as_object()
            .ok_or_else(|| invalid("each association must be an object"))?;
        let guid = string(o, &["uri"])?;
        // A full item when it says more than where it is.
        let embedded = o
            .keys()
            .any(|k| !matches!(k.as_str(), "uri" | "name" | "rel" | "type"));
        let item = if embedded && guid.is_some() {
            Some(Box::new(embedded_item(o)?))
        } else {
            None
        };
        Ok(Association { name, guid, item })
    };
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(name, v)| one(Some(name.clone()), v))
            .collect(),
        Value::Array(list) => list
            .iter()
            .map(|v| {
                let name = v.get("name").and_then(Value::as_str).map(str::to_owned);
                one(name, v)
            })
            .collect(),
        _ => Err(invalid("`associations` must be an object or an array")),
    }
}

/// An item embedded in an association: 2.x/3.x mix item properties with the
/// association's own (`name`, `rel`…), so only ninjs item properties are read.
fn embedded_item(o: &Map<String, Value>) -> Result<WireItem, IngestError> {
    let filtered: Map<String, Value> = o
        .iter()
        .filter(|(k, _)| {
            KNOWN.contains(&k.as_str())
                || ["headline_", "description_", "body_"]
                    .iter()
                    .any(|p| k.starts_with(p))
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    item(&Value::Object(filtered))
}
