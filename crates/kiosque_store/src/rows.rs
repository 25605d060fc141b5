//! Database rows and their conversion to domain types. Rows decode on both backends:
//! integers are `i64`, booleans `bool`, timestamps `DateTime<Utc>`.

use chrono::{DateTime, Utc};
use kiosque_domain::article::{Article, ArticleStatus, ArticleSummary, LeadImage};
use kiosque_domain::media::{FocalPoint, ImageRef, Media, Rendition};
use kiosque_domain::people::{Agency, Contributor, ContributorKind};
use kiosque_domain::section::Section;
use kiosque_domain::tag::Tag;
use kiosque_domain::url::media_path;
use kiosque_domain::{ArticleId, ContributorId, MediaId, SectionId, Slug, StoreError, TagId};

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt {what} row: {detail}").into())
}

fn slug(s: String) -> Result<Slug, StoreError> {
    Slug::parse(&s).map_err(|e| corrupt("slug", e))
}

fn to_u32(v: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| corrupt(what, v))
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SectionRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub path: String,
    pub description: String,
    pub position: i64,
}

impl TryFrom<SectionRow> for Section {
    type Error = StoreError;
    fn try_from(r: SectionRow) -> Result<Self, StoreError> {
        Ok(Section {
            id: SectionId(r.id),
            parent_id: r.parent_id.map(SectionId),
            slug: slug(r.slug)?,
            name: r.name,
            path: r.path,
            description: r.description,
            position: r.position,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TagRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl TryFrom<TagRow> for Tag {
    type Error = StoreError;
    fn try_from(r: TagRow) -> Result<Self, StoreError> {
        Ok(Tag {
            id: TagId(r.id),
            slug: slug(r.slug)?,
            name: r.name,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ContributorRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub slug: String,
    pub bio: String,
}

impl TryFrom<ContributorRow> for Contributor {
    type Error = StoreError;
    fn try_from(r: ContributorRow) -> Result<Self, StoreError> {
        Ok(Contributor {
            id: ContributorId(r.id),
            kind: r
                .kind
                .parse::<ContributorKind>()
                .map_err(|e| corrupt("contributor", e))?,
            name: r.name,
            slug: slug(r.slug)?,
            bio: r.bio,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AgencyRow {
    pub id: i64,
    pub name: String,
}

impl From<AgencyRow> for Agency {
    fn from(r: AgencyRow) -> Self {
        Agency {
            id: r.id,
            name: r.name,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MediaRow {
    pub id: i64,
    pub storage_key: String,
    pub mime: String,
    pub width: i64,
    pub height: i64,
    pub byte_size: i64,
    pub alt: String,
    pub credit: String,
    pub copyright: String,
    pub focal_x: f64,
    pub focal_y: f64,
    pub created_at: DateTime<Utc>,
    pub rendition_name: Option<String>,
    pub rendition_key: Option<String>,
    pub rendition_mime: Option<String>,
    pub rendition_width: Option<i64>,
    pub rendition_height: Option<i64>,
}

impl MediaRow {
    /// Folds the rows of one media item (one per rendition) into the item.
    pub fn into_media(rows: Vec<MediaRow>) -> Result<Media, StoreError> {
        let mut renditions = Vec::new();
        let mut first = None;
        for row in rows {
            if let (Some(name), Some(key), Some(mime), Some(w), Some(h)) = (
                row.rendition_name.clone(),
                row.rendition_key.clone(),
                row.rendition_mime.clone(),
                row.rendition_width,
                row.rendition_height,
            ) {
                renditions.push(Rendition {
                    name,
                    storage_key: key,
                    mime,
                    width: to_u32(w, "rendition width")?,
                    height: to_u32(h, "rendition height")?,
                });
            }
            first.get_or_insert(row);
        }
        let row = first.ok_or(StoreError::NotFound)?;
        Ok(Media {
            id: MediaId(row.id),
            storage_key: row.storage_key,
            mime: row.mime,
            width: to_u32(row.width, "media width")?,
            height: to_u32(row.height, "media height")?,
            byte_size: u64::try_from(row.byte_size)
                .map_err(|_| corrupt("media size", row.byte_size))?,
            alt: row.alt,
            credit: row.credit,
            copyright: row.copyright,
            focal: FocalPoint::new(row.focal_x, row.focal_y),
            created_at: row.created_at,
            renditions,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ArticleRow {
    pub id: i64,
    pub status: String,
    pub slug: String,
    pub kicker: Option<String>,
    pub headline: String,
    pub standfirst: String,
    pub body_markdown: String,
    pub body_html: String,
    pub word_count: i64,
    pub section_id: i64,
    pub language: String,
    pub lead_media_id: Option<i64>,
    pub lead_alt: String,
    pub lead_caption: String,
    pub lead_credit: String,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub comments_open: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    pub version: i64,
    pub created_by: Option<i64>,
    pub review_requested_at: Option<DateTime<Utc>>,
    pub preview_token: Option<String>,
    pub translation_of: Option<i64>,
    pub kind: String,
    pub live_closed_at: Option<DateTime<Utc>>,
    pub live_seq: i64,
    pub live_last_entry_at: Option<DateTime<Utc>>,
}

/// An article row joined with its section.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ArticleWithSectionRow {
    #[sqlx(flatten)]
    pub article: ArticleRow,
    pub section_parent_id: Option<i64>,
    pub section_slug: String,
    pub section_name: String,
    pub section_path: String,
    pub section_description: String,
    pub section_position: i64,
}

/// A tag, contributor or agency credit of an article (`part` says which).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ArticlePartRow {
    pub part: String,
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub bio: String,
    pub contributor_kind: String,
    #[expect(dead_code, reason = "selected for ordering only")]
    pub position: i64,
}

/// A part row of one of several articles (`PARTS_BY_IDS`).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ArticlePartOfRow {
    pub article_id: i64,
    #[sqlx(flatten)]
    pub part: ArticlePartRow,
}

/// The parts of an article that live in other tables.
struct ArticleParts {
    section: Section,
    tags: Vec<Tag>,
    contributors: Vec<Contributor>,
    agencies: Vec<Agency>,
    lead_media: Option<Media>,
}

impl ArticleWithSectionRow {
    pub fn into_article(
        self,
        part_rows: Vec<ArticlePartRow>,
        lead_media: Option<Media>,
        corrections: Vec<Correction>,
    ) -> Result<Article, StoreError> {
        let section = Section {
            id: SectionId(self.article.section_id),
            parent_id: self.section_parent_id.map(SectionId),
            slug: slug(self.section_slug)?,
            name: self.section_name,
            path: self.section_path,
            description: self.section_description,
            position: self.section_position,
        };
        let mut parts = ArticleParts {
            section,
            tags: Vec::new(),
            contributors: Vec::new(),
            agencies: Vec::new(),
            lead_media,
        };
        // Rows arrive ordered by part, then position.
        for row in part_rows {
            match row.part.as_str() {
                "tag" => parts.tags.push(Tag {
                    id: TagId(row.id),
                    slug: slug(row.slug)?,
                    name: row.name,
                }),
                "contributor" => parts.contributors.push(Contributor {
                    id: ContributorId(row.id),
                    kind: row
                        .contributor_kind
                        .parse::<ContributorKind>()
                        .map_err(|e| corrupt("contributor", e))?,
                    name: row.name,
                    slug: slug(row.slug)?,
                    bio: row.bio,
                }),
                "agency" => parts.agencies.push(Agency {
                    id: row.id,
                    name: row.name,
                }),
                other => return Err(corrupt("article part", other)),
            }
        }
        self.article.into_article(parts, corrections)
    }
}

impl ArticleRow {
    fn into_article(
        self,
        parts: ArticleParts,
        corrections: Vec<Correction>,
    ) -> Result<Article, StoreError> {
        let lead_image = parts.lead_media.map(|media| LeadImage {
            media,
            alt: self.lead_alt,
            caption: self.lead_caption,
            credit: self.lead_credit,
        });
        let kind = self
            .kind
            .parse::<kiosque_domain::ArticleKind>()
            .map_err(|e| corrupt("article", e))?;
        let live =
            (kind == kiosque_domain::ArticleKind::Live).then_some(kiosque_domain::LiveState {
                closed_at: self.live_closed_at,
                last_seq: self.live_seq,
                last_entry_at: self.live_last_entry_at,
            });
        Ok(Article {
            id: ArticleId(self.id),
            status: self
                .status
                .parse::<ArticleStatus>()
                .map_err(|e| corrupt("article", e))?,
            kind,
            live,
            slug: slug(self.slug)?,
            kicker: self.kicker,
            headline: self.headline,
            standfirst: self.standfirst,
            body_markdown: self.body_markdown,
            body_html: self.body_html,
            word_count: to_u32(self.word_count, "word count")?,
            section: parts.section,
            tags: parts.tags,
            contributors: parts.contributors,
            agencies: parts.agencies,
            lead_image,
            language: self.language,
            seo_title: self.seo_title,
            seo_description: self.seo_description,
            comments_open: self.comments_open,
            published_at: self.published_at,
            updated_at: self.updated_at,
            created_at: self.created_at,
            modified_at: self.modified_at,
            version: self.version,
            created_by: self.created_by.map(UserId),
            review_requested_at: self.review_requested_at,
            preview_token: self.preview_token,
            corrections,
            translation_of: self.translation_of.map(ArticleId),
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: i64,
    pub slug: String,
    pub kicker: Option<String>,
    pub headline: String,
    pub standfirst: String,
    pub section_path: String,
    pub section_name: String,
    pub language: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub lead_alt: String,
    pub thumb_key: Option<String>,
    pub thumb_width: Option<i64>,
    pub thumb_height: Option<i64>,
    pub large_key: Option<String>,
    pub large_width: Option<i64>,
    pub large_height: Option<i64>,
    pub focal_x: Option<f64>,
    pub focal_y: Option<f64>,
}

fn image_ref(
    key: Option<String>,
    width: Option<i64>,
    height: Option<i64>,
    alt: &str,
) -> Result<Option<ImageRef>, StoreError> {
    match (key, width, height) {
        (Some(key), Some(w), Some(h)) => Ok(Some(ImageRef {
            url: media_path(&key),
            width: to_u32(w, "image width")?,
            height: to_u32(h, "image height")?,
            alt: alt.to_owned(),
        })),
        _ => Ok(None),
    }
}

impl TryFrom<SummaryRow> for ArticleSummary {
    type Error = StoreError;
    fn try_from(r: SummaryRow) -> Result<Self, StoreError> {
        let thumbnail = image_ref(r.thumb_key, r.thumb_width, r.thumb_height, &r.lead_alt)?;
        let thumbnail_large = image_ref(r.large_key, r.large_width, r.large_height, &r.lead_alt)?;
        Ok(ArticleSummary {
            id: ArticleId(r.id),
            slug: slug(r.slug)?,
            kicker: r.kicker,
            headline: r.headline,
            standfirst: r.standfirst,
            section_path: r.section_path,
            section_name: r.section_name,
            language: r.language,
            published_at: r.published_at,
            updated_at: r.updated_at,
            thumbnail,
            thumbnail_large,
            focal: match (r.focal_x, r.focal_y) {
                (Some(x), Some(y)) => FocalPoint::new(x, y),
                _ => FocalPoint::default(),
            },
        })
    }
}

// ---- The newsroom: accounts, sessions, tokens, audit, jobs, revisions. ----

use kiosque_domain::article::{Correction, NewArticle, Revision, RevisionKind};
use kiosque_domain::staff::{AuditEntry, Role, Session, User, UserId};
use kiosque_domain::store::{AdminSummary, ApiToken, Job};

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: UserId(r.id),
            email: r.email,
            name: r.name,
            role: r.role.parse::<Role>().map_err(|e| corrupt("user", e))?,
            active: r.active,
            created_at: r.created_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CredentialsRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SessionRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub csrf_token: String,
    pub session_created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl TryFrom<SessionRow> for Session {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> Result<Self, StoreError> {
        Ok(Session {
            user: r.user.try_into()?,
            csrf_token: r.csrf_token,
            created_at: r.session_created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> Self {
        ApiToken {
            id: r.id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub user_name: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            user_name: r.user_name,
            action: r.action,
            target: r.target,
            detail: r.detail,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub run_at: DateTime<Utc>,
    pub attempts: i64,
    pub status: String,
    pub last_error: Option<String>,
}

impl From<JobRow> for Job {
    fn from(r: JobRow) -> Self {
        Job {
            id: r.id,
            kind: r.kind,
            payload: r.payload,
            run_at: r.run_at,
            attempts: r.attempts,
            status: r.status,
            last_error: r.last_error,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AdminSummaryRow {
    pub id: i64,
    pub headline: String,
    pub status: String,
    pub section_name: String,
    pub created_by_name: Option<String>,
    pub modified_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub review_requested_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl TryFrom<AdminSummaryRow> for AdminSummary {
    type Error = StoreError;
    fn try_from(r: AdminSummaryRow) -> Result<Self, StoreError> {
        Ok(AdminSummary {
            id: ArticleId(r.id),
            headline: r.headline,
            status: r
                .status
                .parse::<ArticleStatus>()
                .map_err(|e| corrupt("article", e))?,
            section_name: r.section_name,
            created_by_name: r.created_by_name,
            modified_at: r.modified_at,
            published_at: r.published_at,
            review_requested_at: r.review_requested_at,
            version: r.version,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RevisionRow {
    pub version: i64,
    pub kind: String,
    pub user_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub snapshot: String,
}

impl TryFrom<RevisionRow> for Revision {
    type Error = StoreError;
    fn try_from(r: RevisionRow) -> Result<Self, StoreError> {
        Ok(Revision {
            version: r.version,
            kind: r
                .kind
                .parse::<RevisionKind>()
                .map_err(|e| corrupt("revision", e))?,
            user_name: r.user_name,
            created_at: r.created_at,
            content: serde_json::from_str::<NewArticle>(&r.snapshot)
                .map_err(|e| corrupt("revision snapshot", e))?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CorrectionRow {
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl From<CorrectionRow> for Correction {
    fn from(r: CorrectionRow) -> Self {
        Correction {
            note: r.note,
            created_at: r.created_at,
        }
    }
}

/// What an edit needs to know of the stored article.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EditStateRow {
    pub status: String,
    pub slug: String,
    pub version: i64,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct WireEntryRow {
    pub id: i64,
    pub guid: String,
    pub version: i64,
    pub format: String,
    pub item_class: String,
    pub pub_status: String,
    pub provider: Option<String>,
    pub urgency: Option<i64>,
    pub language: Option<String>,
    pub headline: String,
    pub summary: Option<String>,
    pub embargo: Option<DateTime<Utc>>,
    pub version_created: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub article_id: Option<i64>,
    pub article_version: Option<i64>,
    pub auto_published: bool,
}

impl From<WireEntryRow> for kiosque_domain::wire::WireEntry {
    fn from(r: WireEntryRow) -> Self {
        kiosque_domain::wire::WireEntry {
            id: kiosque_domain::wire::WireId(r.id),
            guid: r.guid,
            version: r.version,
            format: r.format,
            item_class: r.item_class,
            pub_status: r.pub_status,
            provider: r.provider,
            urgency: r.urgency,
            language: r.language,
            headline: r.headline,
            summary: r.summary,
            embargo: r.embargo,
            version_created: r.version_created,
            received_at: r.received_at,
            updated_at: r.updated_at,
            article_id: r.article_id.map(ArticleId),
            article_version: r.article_version,
            auto_published: r.auto_published,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct WireVersionRow {
    pub version: i64,
    pub payload: String,
    pub source: String,
    pub received_at: DateTime<Utc>,
}

impl From<WireVersionRow> for kiosque_domain::wire::WireVersion {
    fn from(r: WireVersionRow) -> Self {
        kiosque_domain::wire::WireVersion {
            version: r.version,
            payload: r.payload,
            source: r.source,
            received_at: r.received_at,
        }
    }
}
