//! The wire intake: agency documents into wire items (versioned, deduplicated),
//! their pictures into the media library, and routing rules that send an item to the
//! wire desk (the default) or publish it as an article credited to the agency.
//!
//! One path for every way a dispatch arrives: `kiosque ingest`, watch folders and
//! `POST /api/v1/wire`.

mod watch;

pub use watch::{FileOutcome, WatchFolder, watch_folders};

use chrono::{DateTime, Utc};
use kiosque_domain::article::{ArticleStatus, Edit, NewLeadImage, RevisionKind};
use kiosque_domain::media::BlobStore;
use kiosque_domain::wire::{NewWireVersion, WireEntry, WireId, WireOutcome};
use kiosque_domain::{
    ArticleId, MediaId, NewArticle, SectionId, SectionTree, StoreError, Stores, UserId,
};
use kiosque_ingest::{IngestError, ItemClass, PubStatus, WireItem};
use kiosque_media::{ImageMeta, MediaLibrary};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path};
use std::sync::Arc;

/// Largest picture file read next to a wire document.
const MAX_PICTURE_BYTES: u64 = 25 * 1024 * 1024;

/// A dispatch as stored in a wire version: the parsed item and the media-library ids
/// of the pictures imported with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDispatch {
    pub item: WireItem,
    #[serde(default)]
    pub pictures: Vec<ImportedPicture>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportedPicture {
    /// The picture item's guid.
    pub guid: String,
    pub media_id: i64,
    pub caption: String,
    pub credit: String,
    /// The file it was read from, next to the document (not stored).
    #[serde(skip)]
    pub file: Option<std::path::PathBuf>,
}

impl StoredDispatch {
    pub fn from_payload(payload: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(payload)
    }

    /// The text a diff between versions compares.
    pub fn diff_text(&self) -> String {
        let item = &self.item;
        let mut parts = vec![item.headline.clone()];
        if let Some(s) = &item.summary {
            parts.push(s.clone());
        }
        parts.push(item.body_markdown.clone());
        if let Some(c) = &item.caption {
            parts.push(c.clone());
        }
        parts.join("\n\n")
    }
}

/// Where a routing rule sends matching items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteAction {
    /// The wire desk queue, for a journalist to pick up.
    #[default]
    Desk,
    /// Published at once (or at the end of its embargo) as an article credited to
    /// the agency.
    Publish,
}

/// `[[ingest.rules]]`: every criterion given must match; the first matching rule wins.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    /// The provider, as the agency names itself (`AFP`, `dpa`), case-insensitive.
    pub agency: Option<String>,
    /// A subject code (`medtop:04000000`) or name.
    pub subject: Option<String>,
    /// A word of the headline, or one of the item's keywords.
    pub keyword: Option<String>,
    /// Urgency at most this (1 = flashes only).
    pub urgency_max: Option<u8>,
    /// Section path for articles made from matching items.
    pub section: Option<String>,
    /// Tags added to those articles.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub action: RouteAction,
}

impl RoutingRule {
    pub fn matches(&self, item: &WireItem) -> bool {
        let lower = |s: &str| s.to_lowercase();
        self.agency.as_deref().is_none_or(|a| {
            item.provider
                .as_deref()
                .is_some_and(|p| lower(p) == lower(a))
        }) && self.subject.as_deref().is_none_or(|s| {
            item.subjects.iter().chain(&item.genres).any(|c| {
                c.code
                    .as_deref()
                    .is_some_and(|code| code.eq_ignore_ascii_case(s))
                    || c.name.as_deref().is_some_and(|n| lower(n) == lower(s))
            })
        }) && self.keyword.as_deref().is_none_or(|k| {
            let k = lower(k);
            lower(&item.headline).contains(&k) || item.keywords.iter().any(|w| lower(w) == k)
        }) && self
            .urgency_max
            .is_none_or(|max| item.urgency.is_some_and(|u| u >= 1 && u <= max))
    }
}

/// A document to ingest: its bytes, where it came from, and the folder its relative
/// picture references are read from.
#[derive(Debug, Clone)]
pub struct Document {
    pub bytes: Vec<u8>,
    pub source: String,
    pub base: Option<std::path::PathBuf>,
}

/// A parsed item waiting for its outcome, with what was done on the way.
type Pending = (StoredDispatch, Vec<String>);

/// What happened to one item of a document.
#[derive(Debug, Clone, Serialize)]
pub struct ItemReport {
    /// Created, updated or duplicate, with the wire item's id.
    pub outcome: WireOutcome,
    pub guid: String,
    pub version: i64,
    pub headline: String,
    /// What routing did: `published article 12`, `unpublished article 12`…
    pub actions: Vec<String>,
    /// Picture files next to the document that were imported with it.
    #[serde(skip)]
    pub picture_files: Vec<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error(transparent)]
    Parse(#[from] IngestError),
    #[error("storing the dispatch failed: {0}")]
    Store(#[from] StoreError),
}

/// The intake, shared by every entrance.
#[derive(Clone)]
pub struct Intake {
    stores: Stores,
    blobs: Arc<dyn BlobStore>,
    rules: Arc<Vec<RoutingRule>>,
    on_change: Option<Arc<dyn Fn() + Send + Sync>>,
    on_events: Option<OnEvents>,
}

/// What routing did to public articles (`article.published`, `article.updated`,
/// `article.unpublished`, with the article), handed to the application after the
/// batch (webhooks, WebSub).
pub type RoutedEvents = Vec<(&'static str, ArticleId)>;

/// Called, and awaited, with the batch's [`RoutedEvents`].
pub type OnEvents = Arc<
    dyn Fn(RoutedEvents) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
        + Send
        + Sync,
>;

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake")
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl Intake {
    pub fn new(stores: Stores, blobs: Arc<dyn BlobStore>, rules: Vec<RoutingRule>) -> Self {
        Self {
            stores,
            blobs,
            rules: Arc::new(rules),
            on_change: None,
            on_events: None,
        }
    }

    /// Called after routing published, updated or unpublished articles.
    pub fn with_on_events(mut self, f: OnEvents) -> Self {
        self.on_events = Some(f);
        self
    }

    /// Called after routing changed public pages (to purge caches).
    pub fn with_on_change(mut self, f: Arc<dyn Fn() + Send + Sync>) -> Self {
        self.on_change = Some(f);
        self
    }

    /// Reads a document and records its items. `base` is the folder the document came
    /// from: pictures referenced by a relative path are read from there (and only from
    /// there); remote pictures are recorded, not fetched.
    pub async fn ingest(
        &self,
        bytes: &[u8],
        source: &str,
        base: Option<&Path>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ItemReport>, IntakeError> {
        let document = Document {
            bytes: bytes.to_vec(),
            source: source.to_owned(),
            base: base.map(Path::to_path_buf),
        };
        let mut results = self.ingest_batch(vec![document], now).await?;
        Ok(results.pop().unwrap_or_else(|| Ok(Vec::new()))?)
    }

    /// Reads many documents (parsed in parallel) and records all their items in one
    /// transaction: the bulk path of `kiosque ingest` and watch folders. A store error
    /// fails the batch (nothing of it is committed); a document that does not parse
    /// fails alone.
    pub async fn ingest_batch(
        &self,
        documents: Vec<Document>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Result<Vec<ItemReport>, IngestError>>, StoreError> {
        let parsing: Vec<_> = documents
            .into_iter()
            .map(|doc| {
                tokio::task::spawn_blocking(move || {
                    let parsed = kiosque_ingest::parse(&doc.bytes);
                    (doc.source, doc.base, parsed)
                })
            })
            .collect();
        // Per document: its items, waiting for their outcome, or its parse error.
        let mut pending: Vec<Result<Vec<Pending>, IngestError>> = Vec::with_capacity(parsing.len());
        let mut versions = Vec::new();
        for task in parsing {
            let (source, base, parsed) = task.await.map_err(|e| StoreError::Other(Box::new(e)))?;
            match parsed {
                Ok(items) => {
                    let mut dispatches = Vec::with_capacity(items.len());
                    for item in items {
                        let mut actions = Vec::new();
                        let pictures = self
                            .import_pictures(&item, base.as_deref(), &mut actions)
                            .await;
                        let dispatch = StoredDispatch { item, pictures };
                        versions.push(new_version(&dispatch, &source));
                        dispatches.push((dispatch, actions));
                    }
                    pending.push(Ok(dispatches));
                }
                Err(e) => pending.push(Err(e)),
            }
        }
        let mut outcomes = self
            .stores
            .wire
            .record_wire_batch(&versions, now)
            .await?
            .into_iter();
        let mut changed = false;
        let mut events: RoutedEvents = Vec::new();
        let mut results = Vec::with_capacity(pending.len());
        for document in pending {
            let Ok(dispatches) = document else {
                metrics::counter!("kiosque_ingest_documents_refused_total").increment(1);
                results.push(document.map(|_| Vec::new()));
                continue;
            };
            let mut reports = Vec::with_capacity(dispatches.len());
            for (dispatch, mut actions) in dispatches {
                let outcome = outcomes.next().ok_or(StoreError::NotFound)?;
                // A new guid has no article yet: only a matching rule has work to do.
                let (routed, counted) = match outcome {
                    WireOutcome::Duplicate(_) => (false, "duplicate"),
                    WireOutcome::Created(_) => (
                        self.rules.iter().any(|r| r.matches(&dispatch.item)),
                        "created",
                    ),
                    WireOutcome::Updated(_) => (true, "updated"),
                };
                metrics::counter!("kiosque_ingest_items_total", "outcome" => counted).increment(1);
                if routed {
                    changed |= self
                        .route(outcome.id(), &dispatch, now, &mut actions, &mut events)
                        .await?;
                }
                reports.push(ItemReport {
                    picture_files: dispatch
                        .pictures
                        .iter()
                        .filter_map(|p| p.file.clone())
                        .collect(),
                    guid: dispatch.item.guid,
                    version: dispatch.item.version,
                    headline: dispatch.item.headline,
                    outcome,
                    actions,
                });
            }
            results.push(Ok(reports));
        }
        if changed && let Some(f) = &self.on_change {
            f();
        }
        if !events.is_empty()
            && let Some(f) = &self.on_events
        {
            f(events).await;
        }
        Ok(results)
    }

    async fn import_pictures(
        &self,
        item: &WireItem,
        base: Option<&Path>,
        actions: &mut Vec<String>,
    ) -> Vec<ImportedPicture> {
        let mut pictures: Vec<&WireItem> = item.pictures().collect();
        if matches!(item.item_class, ItemClass::Picture | ItemClass::Graphic) {
            pictures.insert(0, item);
        }
        let mut imported = Vec::new();
        for picture in pictures {
            let Some(rendition) = picture.best_rendition() else {
                continue;
            };
            let source = match (&rendition.data, rendition.href.as_deref(), base) {
                (Some(bytes), _, _) => PictureSource::Embedded(bytes.clone()),
                (None, Some(href), Some(base)) => match local_path(base, href) {
                    Some(path) => PictureSource::File(path),
                    // Remote: recorded in the dispatch, not fetched.
                    None => continue,
                },
                _ => continue,
            };
            let href = rendition
                .href
                .clone()
                .unwrap_or_else(|| "embedded picture".into());
            let path = match &source {
                PictureSource::File(path) => Some(path.clone()),
                PictureSource::Embedded(_) => None,
            };
            match self.import_one(picture, source).await {
                Ok(media_id) => {
                    actions.push(format!("picture imported as media {media_id}"));
                    imported.push(ImportedPicture {
                        guid: picture.guid.clone(),
                        media_id,
                        caption: picture.caption.clone().unwrap_or_default(),
                        credit: picture_credit(picture),
                        file: path,
                    });
                }
                Err(e) => actions.push(format!("picture {href} not imported: {e}")),
            }
        }
        imported
    }

    async fn import_one(&self, picture: &WireItem, source: PictureSource) -> Result<i64, String> {
        let (bytes, name) = match source {
            PictureSource::Embedded(bytes) => (bytes, "wire".to_owned()),
            PictureSource::File(path) => {
                let name = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("wire")
                    .to_owned();
                (
                    read_capped(&path, MAX_PICTURE_BYTES)
                        .await
                        .map_err(|e| e.to_string())?,
                    name,
                )
            }
        };
        let library = MediaLibrary::new(self.blobs.clone(), self.stores.media.clone());
        let caption = picture.caption.clone().unwrap_or_default();
        let media = library
            .add_image(
                bytes,
                ImageMeta {
                    name,
                    alt: if caption.is_empty() {
                        picture.headline.clone()
                    } else {
                        caption
                    },
                    credit: picture_credit(picture),
                    copyright: picture
                        .copyright_notice
                        .clone()
                        .or_else(|| picture.copyright_holder.clone())
                        .unwrap_or_default(),
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok(media.id.0)
    }

    /// Applies kills, auto-publishing and updates of auto-published articles. Returns
    /// whether public pages changed.
    async fn route(
        &self,
        id: WireId,
        dispatch: &StoredDispatch,
        now: DateTime<Utc>,
        actions: &mut Vec<String>,
        events: &mut RoutedEvents,
    ) -> Result<bool, StoreError> {
        let entry = self.stores.wire.wire_item(id).await?;
        let item = &dispatch.item;
        if let Some(article_id) = entry.article_id {
            if !entry.auto_published {
                // A journalist's article: never touched; the desk and the editor say
                // that a newer version exists.
                if entry.has_newer_version() {
                    actions.push(format!(
                        "article {article_id} has a newer version to review"
                    ));
                }
                return Ok(false);
            }
            if item.pub_status == PubStatus::Canceled {
                self.stores
                    .articles
                    .set_article_status(article_id, ArticleStatus::Unpublished, now)
                    .await?;
                actions.push(format!("killed: article {article_id} unpublished"));
                events.push(("article.unpublished", article_id));
                return Ok(true);
            }
            if item.pub_status == PubStatus::Usable {
                let article = self.stores.articles.article(article_id).await?;
                let mut content = article_content(
                    &self.stores,
                    dispatch,
                    article.section.id,
                    &[],
                    article.created_by,
                )
                .await?;
                content.slug = Some(article.slug.clone());
                let public = article.status == ArticleStatus::Published;
                let edit = Edit {
                    expected_version: article.version,
                    kind: if public {
                        RevisionKind::Update
                    } else {
                        RevisionKind::Draft
                    },
                    correction_note: None,
                    user: None,
                };
                self.stores
                    .articles
                    .update_article(article_id, &content, &edit, now)
                    .await?;
                self.stores
                    .wire
                    .link_wire_article(id, article_id, item.version, true)
                    .await?;
                actions.push(format!(
                    "article {article_id} updated to version {}",
                    item.version
                ));
                if public {
                    events.push(("article.updated", article_id));
                }
                return Ok(public);
            }
            return Ok(false);
        }
        let Some(rule) = self.rules.iter().find(|r| r.matches(item)) else {
            return Ok(false);
        };
        if rule.action != RouteAction::Publish
            || item.pub_status != PubStatus::Usable
            || item.item_class != ItemClass::Text
            || item.headline.trim().is_empty()
        {
            return Ok(false);
        }
        let section = match &rule.section {
            Some(path) => section_by_path(&self.stores, path).await?,
            None => None,
        };
        let Some(section) = section.or(default_section(&self.stores).await?) else {
            actions.push("not published: the site has no section".into());
            return Ok(false);
        };
        let content = article_content(&self.stores, dispatch, section, &rule.tags, None).await?;
        let article = self.stores.articles.create_article(&content, now).await?;
        // Under embargo, the article is scheduled for the embargo's end.
        let at = entry.embargo.filter(|e| *e > now).unwrap_or(now);
        let article = self
            .stores
            .articles
            .publish_article(article.id, at, now)
            .await?;
        self.stores
            .wire
            .link_wire_article(id, article.id, item.version, true)
            .await?;
        // Under embargo, the worker's publication says it when its time comes.
        if article.status == ArticleStatus::Published {
            events.push(("article.published", article.id));
        }
        actions.push(if article.status == ArticleStatus::Scheduled {
            format!(
                "article {} scheduled for the end of the embargo",
                article.id
            )
        } else {
            format!("published as article {}", article.id)
        });
        self.stores
            .accounts
            .audit(
                None,
                "wire.auto_publish",
                &article.id.to_string(),
                &item.guid,
                now,
            )
            .await?;
        Ok(true)
    }
}

fn new_version(dispatch: &StoredDispatch, source: &str) -> NewWireVersion {
    let item = &dispatch.item;
    NewWireVersion {
        guid: item.guid.clone(),
        version: item.version,
        format: item.format.map_or("unknown", |f| f.as_str()).into(),
        item_class: item.item_class.as_str().into(),
        pub_status: item.pub_status.as_str().into(),
        provider: item.provider.clone(),
        urgency: item.urgency.map(i64::from),
        language: item.language.clone(),
        headline: if item.headline.is_empty() {
            item.slugline
                .clone()
                .or_else(|| item.caption.clone())
                .unwrap_or_else(|| item.guid.clone())
        } else {
            item.headline.clone()
        },
        summary: item.summary.clone(),
        embargo: item.embargo,
        version_created: item.version_created,
        payload: serde_json::to_string(dispatch).unwrap_or_default(),
        source: source.chars().take(300).collect(),
    }
}

/// Where a picture's bytes are.
enum PictureSource {
    File(std::path::PathBuf),
    Embedded(Vec<u8>),
}

/// Reads a file of at most `max` bytes, without following a symbolic link at its
/// name; a bigger file is refused before it is read, and never more than `max + 1`
/// bytes are read (a file growing meanwhile is refused too).
pub async fn read_capped(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let bytes = read_at_most(path, max + 1).await?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!(
            "more than the {max} bytes accepted"
        )));
    }
    Ok(bytes)
}

/// A wire document as the intake reads it: at most one byte more than the parser
/// accepts (a bigger one is refused with its reason, never read whole).
pub async fn read_document(path: &Path) -> std::io::Result<Vec<u8>> {
    read_at_most(path, kiosque_ingest::MAX_DOCUMENT_BYTES as u64 + 1).await
}

/// The first `max` bytes of a plain file (a symbolic link at its name is refused):
/// a document is read this way so that a huge one costs no more than the limit, and
/// the parser then says why it is refused.
pub async fn read_at_most(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let meta = tokio::fs::symlink_metadata(path).await?;
    if !meta.file_type().is_file() {
        return Err(std::io::Error::other(
            "not a plain file (symbolic links are not followed)",
        ));
    }
    let file = tokio::fs::File::open(path).await?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(max)).unwrap_or(0));
    file.take(max).read_to_end(&mut bytes).await?;
    Ok(bytes)
}

/// A relative reference that stays inside `base`: no scheme, no absolute path, no
/// `..`, and no symbolic link leading out of it (the drop folder is shared with
/// whoever delivers the files).
fn local_path(base: &Path, href: &str) -> Option<std::path::PathBuf> {
    let path = lexically_local(base, href)?;
    let (Ok(real_base), Ok(real)) = (std::fs::canonicalize(base), std::fs::canonicalize(&path))
    else {
        // Not there (yet): the caller reports it missing.
        return Some(path);
    };
    real.starts_with(&real_base).then_some(path)
}

fn lexically_local(base: &Path, href: &str) -> Option<std::path::PathBuf> {
    let href = href.trim();
    let href = href.strip_prefix("file:///./").unwrap_or(href).trim();
    if href.contains("://") || href.starts_with("data:") {
        return None;
    }
    let relative = Path::new(href);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    Some(base.join(relative))
}

fn picture_credit(picture: &WireItem) -> String {
    picture
        .credit
        .clone()
        .or_else(|| {
            let by = picture.creators.first().or(picture.byline.as_ref());
            match (by, &picture.provider) {
                (Some(b), Some(p)) => Some(format!("{b} / {p}")),
                (None, Some(p)) => Some(p.clone()),
                (Some(b), None) => Some(b.clone()),
                (None, None) => None,
            }
        })
        .unwrap_or_default()
}

/// The agency credit an article shows ("avec AFP").
pub fn agency_credit(item: &WireItem) -> Option<String> {
    item.provider
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            // "Getty Images Inc." reads better without its legal form.
            p.trim_end_matches(" Inc.")
                .trim_end_matches(" GmbH")
                .to_owned()
        })
}

/// The draft an article made from a dispatch starts as.
pub async fn article_content(
    stores: &Stores,
    dispatch: &StoredDispatch,
    section: SectionId,
    extra_tags: &[String],
    created_by: Option<UserId>,
) -> Result<NewArticle, StoreError> {
    let item = &dispatch.item;
    let headline = if item.headline.trim().is_empty() {
        item.slugline.clone().unwrap_or_else(|| item.guid.clone())
    } else {
        item.headline.trim().to_owned()
    };
    let mut content = NewArticle::draft(headline, section);
    content.standfirst = item.summary.clone().unwrap_or_default();
    content.body_markdown = item.body_markdown.clone();
    if let Some(lang) = &item.language {
        let primary = lang.split(['-', '_']).next().unwrap_or(lang).to_lowercase();
        if !primary.is_empty() {
            content.language = primary;
        }
    }
    content.agencies = agency_credit(item).into_iter().collect();
    let mut tags: Vec<String> = extra_tags.to_vec();
    for name in item.tag_names() {
        if tags.len() >= 10 {
            break;
        }
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
            tags.push(name);
        }
    }
    content.tags = tags;
    content.created_by = created_by;
    if let Some(picture) = dispatch.pictures.first() {
        let media = stores.media.media(MediaId(picture.media_id)).await?;
        content.lead_image = Some(NewLeadImage {
            media_id: media.id,
            alt: if media.alt.is_empty() {
                picture.caption.clone()
            } else {
                media.alt.clone()
            },
            caption: picture.caption.clone(),
            credit: picture.credit.clone(),
        });
    }
    Ok(content)
}

async fn section_by_path(stores: &Stores, path: &str) -> Result<Option<SectionId>, StoreError> {
    let tree = SectionTree::new(stores.taxonomy.sections().await?);
    Ok(tree.by_path(path.trim_matches('/')).map(|s| s.id))
}

/// The first top-level section, where articles go when nothing says otherwise.
pub async fn default_section(stores: &Stores) -> Result<Option<SectionId>, StoreError> {
    let sections = stores.taxonomy.sections().await?;
    Ok(sections
        .iter()
        .filter(|s| s.parent_id.is_none())
        .min_by_key(|s| (s.position, s.id))
        .map(|s| s.id))
}

/// Why an article made from a dispatch may not go public at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireHold {
    /// The agency withheld or killed the dispatch.
    Withheld,
    /// Under embargo until then.
    Embargo(DateTime<Utc>),
}

/// The hold, if any, that the article's source dispatch puts on publishing it at `at`.
pub async fn release_hold(
    stores: &Stores,
    article: ArticleId,
    at: DateTime<Utc>,
) -> Result<Option<WireHold>, StoreError> {
    let Some(entry) = stores.wire.wire_for_article(article).await? else {
        return Ok(None);
    };
    Ok(if entry.pub_status != "usable" {
        Some(WireHold::Withheld)
    } else {
        entry.embargo.filter(|e| *e > at).map(WireHold::Embargo)
    })
}

/// Makes a draft from the latest version of a wire item, for a journalist.
pub async fn draft_from_wire(
    stores: &Stores,
    entry: &WireEntry,
    section: SectionId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<ArticleId, StoreError> {
    let versions = stores.wire.wire_versions(entry.id).await?;
    let latest = versions.first().ok_or(StoreError::NotFound)?;
    let dispatch = StoredDispatch::from_payload(&latest.payload)
        .map_err(|e| StoreError::Other(Box::new(e)))?;
    let content = article_content(stores, &dispatch, section, &[], Some(by)).await?;
    let article = stores.articles.create_article(&content, now).await?;
    stores
        .wire
        .link_wire_article(entry.id, article.id, latest.version, false)
        .await?;
    Ok(article.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_pictures_stay_inside_the_folder() {
        let base = Path::new("/spool/afp");
        assert_eq!(
            local_path(base, "./photo.jpg").unwrap(),
            Path::new("/spool/afp/./photo.jpg")
        );
        assert_eq!(
            local_path(base, "file:///./ photo-web.jpg").unwrap(),
            Path::new("/spool/afp/photo-web.jpg")
        );
        assert!(local_path(base, "../etc/passwd").is_none());
        assert!(local_path(base, "/etc/passwd").is_none());
        assert!(local_path(base, "https://example.org/p.jpg").is_none());
        assert!(local_path(base, "a/../../b.jpg").is_none());
    }

    #[tokio::test]
    async fn links_out_of_the_drop_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let drop = dir.path().join("drop");
        std::fs::create_dir(&drop).unwrap();
        let secret = dir.path().join("secret.jpg");
        std::fs::write(&secret, b"not for the wire").unwrap();
        std::os::unix::fs::symlink(&secret, drop.join("photo.jpg")).unwrap();
        std::os::unix::fs::symlink(dir.path(), drop.join("up")).unwrap();
        assert!(
            local_path(&drop, "photo.jpg").is_none(),
            "a link to outside"
        );
        assert!(
            local_path(&drop, "up/secret.jpg").is_none(),
            "a linked folder"
        );
        assert!(read_capped(&drop.join("photo.jpg"), 1000).await.is_err());
        std::fs::write(drop.join("ok.jpg"), vec![7u8; 100]).unwrap();
        assert_eq!(local_path(&drop, "ok.jpg"), Some(drop.join("ok.jpg")));
        assert_eq!(
            read_capped(&drop.join("ok.jpg"), 100).await.unwrap().len(),
            100
        );
        assert!(
            read_capped(&drop.join("ok.jpg"), 99).await.is_err(),
            "size cap"
        );
        assert_eq!(
            read_at_most(&drop.join("ok.jpg"), 10).await.unwrap().len(),
            10
        );
    }

    #[test]
    fn rules_match_on_every_given_criterion() {
        let item = WireItem {
            headline: "Séisme au Japon".into(),
            provider: Some("AFP".into()),
            urgency: Some(2),
            keywords: vec!["Tsunami".into()],
            subjects: vec![kiosque_ingest::Concept {
                code: Some("medtop:06000000".into()),
                name: Some("environnement".into()),
            }],
            ..WireItem::default()
        };
        let rule = |r: RoutingRule| r.matches(&item);
        assert!(rule(RoutingRule::default()));
        assert!(rule(RoutingRule {
            agency: Some("afp".into()),
            urgency_max: Some(2),
            ..Default::default()
        }));
        assert!(!rule(RoutingRule {
            urgency_max: Some(1),
            ..Default::default()
        }));
        assert!(!rule(RoutingRule {
            agency: Some("Reuters".into()),
            ..Default::default()
        }));
        assert!(rule(RoutingRule {
            keyword: Some("séisme".into()),
            ..Default::default()
        }));
        assert!(rule(RoutingRule {
            keyword: Some("tsunami".into()),
            ..Default::default()
        }));
        assert!(rule(RoutingRule {
            subject: Some("MEDTOP:06000000".into()),
            ..Default::default()
        }));
        assert!(!rule(RoutingRule {
            subject: Some("medtop:1".into()),
            ..Default::default()
        }));
    }
}
