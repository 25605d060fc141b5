//! Articles: the unit of publication, from draft to published, updated, unpublished.

use crate::ids::{ArticleId, ContributorId, MediaId, SectionId};
use crate::live::{ArticleKind, LiveState};
use crate::media::{ImageRef, Media};
use crate::people::{Agency, Contributor};
use crate::reading::reading_minutes;
use crate::section::Section;
use crate::slug::Slug;
use crate::staff::UserId;
use crate::tag::Tag;
use crate::url::article_path;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an article stands in the publishing workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleStatus {
    /// Being written; only the newsroom sees it.
    Draft,
    /// Will go out at `published_at`.
    Scheduled,
    /// Public (from `published_at` on).
    Published,
    /// Was public and has been withdrawn: its URL answers 410 Gone.
    Unpublished,
}

impl ArticleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Unpublished => "unpublished",
        }
    }
}

impl fmt::Display for ArticleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ArticleStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "draft" => Ok(Self::Draft),
            "scheduled" => Ok(Self::Scheduled),
            "published" => Ok(Self::Published),
            "unpublished" => Ok(Self::Unpublished),
            other => Err(format!("unknown article status {other:?}")),
        }
    }
}

/// How a change to a published article is announced to readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditKind {
    /// A typo or a link: no public trace.
    Minor,
    /// A significant update: sets the public "Mis à jour le" time.
    Update,
    /// A correction: an update with a public note, shown at the foot of the article.
    Correction,
}

impl EditKind {
    /// The public update time after an edit of this kind made at `now`.
    pub fn public_updated_at(
        self,
        previous: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        match self {
            Self::Minor => previous,
            Self::Update | Self::Correction => Some(now),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Minor => "minor",
            Self::Update => "update",
            Self::Correction => "correction",
        }
    }
}

impl FromStr for EditKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "minor" => Ok(Self::Minor),
            "update" => Ok(Self::Update),
            "correction" => Ok(Self::Correction),
            other => Err(format!(
                "unknown update kind {other:?} (minor, update or correction)"
            )),
        }
    }
}

/// How a save is recorded in an article's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RevisionKind {
    Create,
    /// A save of an unpublished article.
    Draft,
    /// An automatic save; consecutive autosaves by one person fold into one revision.
    Autosave,
    Minor,
    Update,
    Correction,
    Restore,
}

impl RevisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Draft => "draft",
            Self::Autosave => "autosave",
            Self::Minor => "minor",
            Self::Update => "update",
            Self::Correction => "correction",
            Self::Restore => "restore",
        }
    }
}

impl FromStr for RevisionKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::Create,
            Self::Draft,
            Self::Autosave,
            Self::Minor,
            Self::Update,
            Self::Correction,
            Self::Restore,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| format!("unknown revision kind {s:?}"))
    }
}

/// A content-changing save, to be applied on top of version `expected_version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The version the editor started from; a newer stored version means a conflict.
    pub expected_version: i64,
    pub kind: RevisionKind,
    /// Required for corrections: shown to readers with its date.
    pub correction_note: Option<String>,
    pub user: Option<UserId>,
}

impl Edit {
    /// The revision kind for a save of a published article of this edit kind.
    pub fn published_kind(kind: EditKind) -> RevisionKind {
        match kind {
            EditKind::Minor => RevisionKind::Minor,
            EditKind::Update => RevisionKind::Update,
            EditKind::Correction => RevisionKind::Correction,
        }
    }
}

/// A public correction note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// One entry of an article's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub version: i64,
    pub kind: RevisionKind,
    pub user_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The article's content as saved.
    pub content: NewArticle,
}

/// The lead image of an article, with the words that go with it on this article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadImage {
    pub media: Media,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// The lead image to attach to a new article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewLeadImage {
    pub media_id: MediaId,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// An article as stored, with its section, tags, contributors and lead image resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub status: ArticleStatus,
    /// Standard, or live coverage (set when created, never changed).
    #[serde(default)]
    pub kind: ArticleKind,
    /// A live's state (`None` for a standard article).
    #[serde(default)]
    pub live: Option<LiveState>,
    pub slug: Slug,
    pub kicker: Option<String>,
    pub headline: String,
    pub standfirst: String,
    pub body_markdown: String,
    /// Sanitised HTML rendered from `body_markdown` when it was saved.
    pub body_html: String,
    pub word_count: u32,
    pub section: Section,
    pub tags: Vec<Tag>,
    /// In byline order.
    pub contributors: Vec<Contributor>,
    /// Agency credits, in order.
    pub agencies: Vec<Agency>,
    pub lead_image: Option<LeadImage>,
    /// BCP 47 tag of the article's own language.
    pub language: String,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub comments_open: bool,
    pub published_at: Option<DateTime<Utc>>,
    /// The public "updated" time: set by significant updates only.
    pub updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Last change of any kind, minor edits included.
    pub modified_at: DateTime<Utc>,
    /// Incremented on every save; an edit based on an older version is refused.
    pub version: i64,
    /// Who created it in the back office (`None` for imports and the demo).
    pub created_by: Option<UserId>,
    /// Set when a journalist submits the article to the editors.
    pub review_requested_at: Option<DateTime<Utc>>,
    /// A preview secret stored by versions before signed preview links (unused; see
    /// `kiosque_app::preview`).
    pub preview_token: Option<String>,
    /// Public correction notes, oldest first.
    pub corrections: Vec<Correction>,
    /// The original this article is a translation of.
    pub translation_of: Option<ArticleId>,
}

impl Article {
    /// Whether readers may see the article at `now`.
    pub fn is_public_at(&self, now: DateTime<Utc>) -> bool {
        self.status == ArticleStatus::Published && self.published_at.is_some_and(|p| p <= now)
    }

    /// A live's state; a standard article reads as an open live without entries.
    pub fn live_state(&self) -> LiveState {
        self.live.unwrap_or_default()
    }

    /// Minutes of reading, as shown under the byline.
    pub fn reading_minutes(&self) -> u32 {
        reading_minutes(self.word_count)
    }

    /// The canonical path, `/{section-path}/{slug}_{id}.html`.
    pub fn canonical_path(&self) -> String {
        article_path(&self.section.path, &self.slug, self.id)
    }

    /// The editable content of this article, as a [`NewArticle`] (for forms, revisions
    /// and restores).
    pub fn content(&self) -> NewArticle {
        NewArticle {
            status: self.status,
            kind: self.kind,
            slug: Some(self.slug.clone()),
            kicker: self.kicker.clone(),
            headline: self.headline.clone(),
            standfirst: self.standfirst.clone(),
            body_markdown: self.body_markdown.clone(),
            section_id: self.section.id,
            tags: self.tags.iter().map(|t| t.name.clone()).collect(),
            contributors: self.contributors.iter().map(|c| c.id).collect(),
            agencies: self.agencies.iter().map(|a| a.name.clone()).collect(),
            lead_image: self.lead_image.as_ref().map(|l| NewLeadImage {
                media_id: l.media.id,
                alt: l.alt.clone(),
                caption: l.caption.clone(),
                credit: l.credit.clone(),
            }),
            language: self.language.clone(),
            seo_title: self.seo_title.clone(),
            seo_description: self.seo_description.clone(),
            comments_open: self.comments_open,
            published_at: self.published_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
            translation_of: self.translation_of,
        }
    }

    /// The public update time, shown only when it is later than publication.
    pub fn visible_update(&self) -> Option<DateTime<Utc>> {
        match (self.published_at, self.updated_at) {
            (Some(p), Some(u)) if u > p => Some(u),
            _ => None,
        }
    }
}

/// What a listing (home, section, tag) shows of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub slug: Slug,
    pub kicker: Option<String>,
    pub headline: String,
    pub standfirst: String,
    pub section_path: String,
    pub section_name: String,
    pub language: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    /// The lead image's small rendition (480 px wide, or the original if smaller)…
    pub thumbnail: Option<ImageRef>,
    /// …and its medium one (960 px), for high-density screens and the top story.
    pub thumbnail_large: Option<ImageRef>,
    /// Where the picture's subject is: cards crop around it.
    pub focal: crate::media::FocalPoint,
}

impl ArticleSummary {
    pub fn canonical_path(&self) -> String {
        article_path(&self.section_path, &self.slug, self.id)
    }
}

/// An article to insert. The store renders and sanitises the body itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewArticle {
    pub status: ArticleStatus,
    /// Standard or live; only read when the article is created.
    #[serde(default)]
    pub kind: ArticleKind,
    /// Derived from the headline when absent.
    pub slug: Option<Slug>,
    pub kicker: Option<String>,
    pub headline: String,
    pub standfirst: String,
    pub body_markdown: String,
    pub section_id: SectionId,
    /// Tag names; unknown tags are created.
    pub tags: Vec<String>,
    pub contributors: Vec<ContributorId>,
    /// Agency names ("AFP"); unknown agencies are created.
    pub agencies: Vec<String>,
    pub lead_image: Option<NewLeadImage>,
    pub language: String,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub comments_open: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// The back-office user creating it, if any.
    #[serde(default)]
    pub created_by: Option<UserId>,
    /// The original this article translates (stored as the original of the family).
    #[serde(default)]
    pub translation_of: Option<ArticleId>,
}

impl NewArticle {
    /// A draft with the given headline in a section, everything else empty.
    pub fn draft(headline: impl Into<String>, section_id: SectionId) -> Self {
        Self {
            status: ArticleStatus::Draft,
            kind: ArticleKind::Standard,
            slug: None,
            kicker: None,
            headline: headline.into(),
            standfirst: String::new(),
            body_markdown: String::new(),
            section_id,
            tags: Vec::new(),
            contributors: Vec::new(),
            agencies: Vec::new(),
            lead_image: None,
            language: "fr".into(),
            seo_title: None,
            seo_description: None,
            comments_open: true,
            published_at: None,
            updated_at: None,
            created_by: None,
            translation_of: None,
        }
    }

    /// The slug to store: the given one, else one made from the headline.
    pub fn effective_slug(&self) -> Result<Slug, ArticleError> {
        match &self.slug {
            Some(s) => Ok(s.clone()),
            None => Slug::from_text(&self.headline).ok_or(ArticleError::NoSlug),
        }
    }

    /// Checks the rules every stored article obeys.
    pub fn validate(&self) -> Result<(), ArticleError> {
        if self.headline.trim().is_empty() {
            return Err(ArticleError::EmptyHeadline);
        }
        self.effective_slug()?;
        if matches!(
            self.status,
            ArticleStatus::Published | ArticleStatus::Scheduled
        ) && self.published_at.is_none()
        {
            return Err(ArticleError::MissingPublicationTime);
        }
        if let (Some(p), Some(u)) = (self.published_at, self.updated_at)
            && u < p
        {
            return Err(ArticleError::UpdatedBeforePublished);
        }
        Ok(())
    }
}

/// Why an article cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("the headline is empty")]
    EmptyHeadline,
    #[error("no slug can be made from the headline; give one")]
    NoSlug,
    #[error("a published or scheduled article needs a publication time")]
    MissingPublicationTime,
    #[error("the update time is before the publication time")]
    UpdatedBeforePublished,
    #[error("a correction needs a public note")]
    CorrectionWithoutNote,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn statuses_round_trip_through_text() {
        for s in [
            ArticleStatus::Draft,
            ArticleStatus::Scheduled,
            ArticleStatus::Published,
            ArticleStatus::Unpublished,
        ] {
            assert_eq!(s.as_str().parse::<ArticleStatus>(), Ok(s));
        }
        assert!("gone".parse::<ArticleStatus>().is_err());
    }

    #[test]
    fn minor_edits_keep_the_public_update_time() {
        let before = Utc.with_ymd_and_hms(2018, 4, 2, 13, 20, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2018, 4, 3, 9, 0, 0).unwrap();
        assert_eq!(
            EditKind::Minor.public_updated_at(Some(before), now),
            Some(before)
        );
        assert_eq!(EditKind::Minor.public_updated_at(None, now), None);
        assert_eq!(
            EditKind::Update.public_updated_at(Some(before), now),
            Some(now)
        );
    }

    #[test]
    fn published_articles_need_a_time_and_a_headline() {
        let mut new = NewArticle::draft("Un titre", SectionId(1));
        assert_eq!(new.validate(), Ok(()));
        new.status = ArticleStatus::Published;
        assert_eq!(new.validate(), Err(ArticleError::MissingPublicationTime));
        new.headline = "  ".into();
        assert_eq!(new.validate(), Err(ArticleError::EmptyHeadline));
    }

    #[test]
    fn slug_comes_from_the_headline() {
        let new = NewArticle::draft("Un sommet reporté à l'automne", SectionId(1));
        assert_eq!(
            new.effective_slug().unwrap().as_str(),
            "un-sommet-reporte-a-l-automne"
        );
    }
}
