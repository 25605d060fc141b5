//! Articles as IPTC ninjs 3.1 (<https://www.iptc.org/std/ninjs/>), for partners: the
//! API (`/api/v1/articles/{id}/ninjs`, the `/api/v1/ninjs` feed) and webhooks carry
//! this one shape. Headlines, the standfirst, the sanitised body HTML, the byline
//! with its people and agency credits, tags as subjects, dates, `pubStatus`
//! (`usable`; `withheld` while embargoed or scheduled; `canceled` once unpublished),
//! corrections, and the lead picture as an association with its renditions, credit
//! and rights.

use chrono::{DateTime, SecondsFormat, Utc};
use kiosque_domain::article::{Article, ArticleStatus};
use kiosque_domain::byline::byline_text;
use kiosque_domain::live::ArticleKind;
use kiosque_domain::url::{contributor_path, tag_path};
use kiosque_domain::{ArticleId, SiteSettings};
use serde_json::{Value, json};

/// The ninjs version this module writes.
pub const NINJS_SCHEMA: &str = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json";
/// The media type of one ninjs document.
pub const MEDIA_TYPE: &str = "application/ninjs+json";

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The host of the site's public address (for `tag:` URIs).
fn host(site: &SiteSettings) -> String {
    let base = site.base_url.trim_end_matches('/');
    let rest = base.split("://").nth(1).unwrap_or(base);
    rest.split(['/', ':'])
        .next()
        .unwrap_or("localhost")
        .to_owned()
}

/// The article's permanent identifier (RFC 4151 tag URI): the same whatever its
/// slug or section becomes.
pub fn uri(site: &SiteSettings, id: ArticleId, created: DateTime<Utc>) -> String {
    format!(
        "tag:{},{}:article:{}",
        host(site),
        created.format("%Y-%m-%d"),
        id.0
    )
}

/// `pubStatus` as of `now`.
pub fn pub_status(article: &Article, now: DateTime<Utc>) -> &'static str {
    match article.status {
        ArticleStatus::Unpublished => "canceled",
        _ if article.is_public_at(now) => "usable",
        _ => "withheld",
    }
}

/// The article as one ninjs 3.1 object.
pub fn article(site: &SiteSettings, a: &Article, now: DateTime<Utc>) -> Value {
    let fr = a.language.starts_with("fr");
    let mut doc = serde_json::Map::new();
    doc.insert("uri".into(), json!(uri(site, a.id, a.created_at)));
    doc.insert("type".into(), json!("text"));
    doc.insert("representationType".into(), json!("full"));
    doc.insert(
        "profile".into(),
        json!(match a.kind {
            ArticleKind::Live => "kiosque-live",
            ArticleKind::Standard => "kiosque-article",
        }),
    );
    doc.insert("version".into(), json!(a.version.to_string()));
    doc.insert("firstCreated".into(), json!(time(a.created_at)));
    doc.insert("versionCreated".into(), json!(time(a.modified_at)));
    let status = pub_status(a, now);
    doc.insert("pubStatus".into(), json!(status));
    if status == "withheld"
        && let Some(at) = a.published_at
        && at > now
    {
        doc.insert("embargoedUntil".into(), json!(time(at)));
    }
    doc.insert("language".into(), json!(a.language));
    doc.insert("copyrightHolder".into(), json!(site.name));
    let mut headlines = vec![json!({"role": "main", "value": a.headline})];
    if let Some(kicker) = a.kicker.as_deref().filter(|k| !k.is_empty()) {
        headlines.push(json!({"role": "kicker", "value": kicker}));
    }
    if let Some(seo) = a.seo_title.as_deref().filter(|k| !k.is_empty()) {
        headlines.push(json!({"role": "seo", "value": seo}));
    }
    doc.insert("headlines".into(), Value::Array(headlines));
    let mut descriptions = Vec::new();
    if !a.standfirst.is_empty() {
        descriptions
            .push(json!({"role": "summary", "contentType": "text/plain", "value": a.standfirst}));
    }
    for c in &a.corrections {
        descriptions.push(json!({
            "role": "correction",
            "contentType": "text/plain",
            "value": format!("{} ({})", c.note, time(c.created_at)),
        }));
    }
    if !descriptions.is_empty() {
        doc.insert("descriptions".into(), Value::Array(descriptions));
    }
    // An unpublished or embargoed article's text never leaves before its time.
    if status == "usable" {
        doc.insert(
            "bodies".into(),
            json!([{
                "role": "main",
                "contentType": "text/html",
                "wordCount": a.word_count,
                "value": a.body_html,
            }]),
        );
    }
    let (with, and) = if fr { ("avec", "et") } else { ("with", "and") };
    if let Some(by) = byline_text(
        "",
        with,
        and,
        a.contributors.iter().map(|c| c.name.as_str()),
        a.agencies.iter().map(|g| g.name.as_str()),
    ) {
        doc.insert("by".into(), json!(by.trim()));
    }
    if !a.contributors.is_empty() {
        doc.insert(
            "people".into(),
            Value::Array(
                a.contributors
                    .iter()
                    .map(|c| {
                        json!({
                            "name": c.name,
                            "rel": "author",
                            "uri": site.absolute(&contributor_path(c.slug.as_str())),
                        })
                    })
                    .collect(),
            ),
        );
    }
    if !a.agencies.is_empty() {
        doc.insert(
            "infoSources".into(),
            Value::Array(
                a.agencies
                    .iter()
                    .map(|g| json!({"name": g.name, "role": "source"}))
                    .collect(),
            ),
        );
    }
    let mut subjects: Vec<Value> = vec![json!({
        "name": a.section.name,
        "rel": "section",
        "uri": site.absolute(&kiosque_domain::url::section_path(&a.section.path)),
    })];
    subjects.extend(a.tags.iter().map(|t| {
        json!({
            "name": t.name,
            "rel": "about",
            "uri": site.absolute(&tag_path(t.slug.as_str())),
            "literal": t.slug.as_str(),
        })
    }));
    doc.insert("subjects".into(), Value::Array(subjects));
    doc.insert(
        "altIds".into(),
        json!([
            {"role": "kiosque-id", "value": a.id.0.to_string()},
            {"role": "canonical-url", "value": site.absolute(&a.canonical_path())},
        ]),
    );
    if let Some(lead) = &a.lead_image {
        let m = &lead.media;
        let mut renditions = vec![json!({
            "name": "original",
            "href": site.absolute(&m.url()),
            "contentType": m.mime,
            "width": m.width,
            "height": m.height,
            "sizeInBytes": m.byte_size,
        })];
        renditions.extend(m.renditions.iter().map(|r| {
            json!({
                "name": format!("{}-{}", r.name, r.mime.trim_start_matches("image/")),
                "href": site.absolute(&kiosque_domain::url::media_path(&r.storage_key)),
                "contentType": r.mime,
                "width": r.width,
                "height": r.height,
            })
        }));
        let credit = if lead.credit.is_empty() {
            &m.credit
        } else {
            &lead.credit
        };
        let mut picture = serde_json::Map::new();
        picture.insert("name".into(), json!("featureimage"));
        picture.insert("rel".into(), json!("lead"));
        picture.insert(
            "uri".into(),
            json!(format!("tag:{},media:{}", host(site), m.id.0)),
        );
        picture.insert("type".into(), json!("picture"));
        let alt = if lead.alt.is_empty() {
            &m.alt
        } else {
            &lead.alt
        };
        let mut texts = Vec::new();
        if !lead.caption.is_empty() {
            texts.push(json!({"role": "caption", "value": lead.caption}));
        }
        if !alt.is_empty() {
            texts.push(json!({"role": "alt", "value": alt}));
        }
        if !texts.is_empty() {
            picture.insert("descriptions".into(), Value::Array(texts));
        }
        if !credit.is_empty() {
            picture.insert("by".into(), json!(credit));
        }
        if !m.copyright.is_empty() {
            picture.insert("copyrightNotice".into(), json!(m.copyright));
        }
        picture.insert(
            "usageTerms".into(),
            json!(if fr {
                format!(
                    "Reproduction réservée à l'illustration de cet article, avec la mention « {credit} »."
                )
            } else {
                format!("For use with this article only, credited \"{credit}\".")
            }),
        );
        picture.insert("renditions".into(), Value::Array(renditions));
        doc.insert(
            "associations".into(),
            Value::Array(vec![Value::Object(picture)]),
        );
    }
    Value::Object(doc)
}

/// A short ninjs object for an article that is gone (`canceled`), with nothing but
/// its identity: what an unpublication notice carries.
pub fn canceled(site: &SiteSettings, a: &Article) -> Value {
    json!({
        "uri": uri(site, a.id, a.created_at),
        "type": "text",
        "representationType": "partial",
        "version": a.version.to_string(),
        "versionCreated": time(a.modified_at),
        "pubStatus": "canceled",
        "headlines": [{"role": "main", "value": a.headline}],
        "altIds": [{"role": "kiosque-id", "value": a.id.0.to_string()}],
    })
}
