//! Live coverage ("En direct"): an article of kind [`ArticleKind::Live`] carries a
//! stream of entries, rows of their own that many journalists write at once. The
//! article's body is the "Ce qu'il faut savoir" summary the editors keep current.
//!
//! Entries are numbered in their live (`seq`, 1, 2, 3…, never reused). Readers page
//! through them by fixed blocks of [`ENTRIES_PER_PAGE`] counted from the oldest, so
//! an older page's address always shows the same entries whatever is posted later,
//! and an entry's permalink (its block and its anchor) never moves.

use crate::ids::{ArticleId, LiveEntryId};
use crate::staff::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Entries shown on a page of a live.
pub const ENTRIES_PER_PAGE: i64 = 20;
/// An entry's Markdown, at most.
pub const MAX_ENTRY_BYTES: usize = 100 * 1024;
/// An entry's title, at most (characters).
pub const MAX_ENTRY_TITLE: usize = 200;

/// What an article is: a standard article, or live coverage with its stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleKind {
    #[default]
    Standard,
    Live,
}

impl ArticleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Live => "live",
        }
    }
}

impl fmt::Display for ArticleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ArticleKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "standard" => Ok(Self::Standard),
            "live" => Ok(Self::Live),
            other => Err(format!("unknown article kind {other:?} (standard or live)")),
        }
    }
}

/// Where a live stands (the default: open, no entry yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveState {
    /// When the editors closed it ("Ce direct est terminé"); open while `None`.
    pub closed_at: Option<DateTime<Utc>>,
    /// The `seq` of the latest entry posted (0 before the first).
    pub last_seq: i64,
    /// When the latest entry was posted.
    pub last_entry_at: Option<DateTime<Utc>>,
}

impl LiveState {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveEntry {
    pub id: LiveEntryId,
    pub article_id: ArticleId,
    /// Its number in the live: 1 for the first entry.
    pub seq: i64,
    pub author: Option<UserId>,
    /// The author's name when they posted (kept if the account goes).
    pub author_name: String,
    pub title: Option<String>,
    pub body_markdown: String,
    /// Sanitised HTML rendered from `body_markdown` when it was saved.
    pub body_html: String,
    /// An agency whose copy the entry carries ("AFP").
    pub credit: Option<String>,
    /// Listed among "Les moments clés".
    pub key_event: bool,
    /// Shown first; at most one per live.
    pub pinned: bool,
    /// 1 when posted, incremented by each edit; an edit based on another is refused.
    pub revision: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Deleted entries are kept in the history and gone from every page.
    pub deleted_at: Option<DateTime<Utc>>,
}

impl LiveEntry {
    /// The page of the live this entry is on, for good.
    pub fn page(&self) -> i64 {
        page_of(self.seq)
    }

    /// The anchor of the entry on its pages (`entree-42`).
    pub fn anchor(&self) -> String {
        format!("entree-{}", self.id.0)
    }

    /// Its permalink below the article's path: the page it stays on, and its anchor.
    pub fn permalink(&self, article_path: &str) -> String {
        format!("{article_path}?page={}#{}", self.page(), self.anchor())
    }

    /// What an edit starts from.
    pub fn content(&self) -> EntryContent {
        EntryContent {
            title: self.title.clone(),
            body_markdown: self.body_markdown.clone(),
            credit: self.credit.clone(),
            key_event: self.key_event,
            pinned: self.pinned,
        }
    }
}

/// What an entry says and how it is marked: posted, or the whole content after an
/// edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryContent {
    pub title: Option<String>,
    pub body_markdown: String,
    pub credit: Option<String>,
    pub key_event: bool,
    pub pinned: bool,
}

/// Why an entry cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("the entry is empty")]
    Empty,
    #[error("the entry is longer than {MAX_ENTRY_BYTES} bytes")]
    TooLong,
    #[error("the title is longer than {MAX_ENTRY_TITLE} characters")]
    TitleTooLong,
}

impl EntryContent {
    /// Trims the title (an empty one is none) and the credit, and checks the sizes.
    pub fn cleaned(mut self) -> Result<Self, EntryError> {
        self.title = self
            .title
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        self.credit = self
            .credit
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if self.body_markdown.trim().is_empty() {
            return Err(EntryError::Empty);
        }
        if self.body_markdown.len() > MAX_ENTRY_BYTES {
            return Err(EntryError::TooLong);
        }
        if self
            .title
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_ENTRY_TITLE)
        {
            return Err(EntryError::TitleTooLong);
        }
        Ok(self)
    }
}

/// One version of an entry, in its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryRevision {
    pub revision: i64,
    /// `create`, `edit` or `delete`.
    pub action: String,
    pub user: Option<UserId>,
    pub content: EntryContent,
    pub created_at: DateTime<Utc>,
}

/// Which entries of a live to read, newest first, deleted ones left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryQuery {
    /// Only entries numbered below this.
    pub before_seq: Option<i64>,
    /// Only entries numbered above this.
    pub after_seq: Option<i64>,
    /// Only key moments.
    pub key_events_only: bool,
    pub limit: u32,
}

impl EntryQuery {
    /// The latest `limit` entries.
    pub fn latest(limit: u32) -> Self {
        Self {
            before_seq: None,
            after_seq: None,
            key_events_only: false,
            limit,
        }
    }

    /// The entries of page `page` (see [`page_bounds`]).
    pub fn page(page: i64) -> Self {
        let (first, last) = page_bounds(page);
        Self {
            before_seq: Some(last + 1),
            after_seq: Some(first - 1),
            key_events_only: false,
            limit: ENTRIES_PER_PAGE as u32,
        }
    }
}

/// The page (1 for the oldest entries) that entry number `seq` is on.
pub fn page_of(seq: i64) -> i64 {
    (seq.max(1) - 1) / ENTRIES_PER_PAGE + 1
}

/// The first and last entry numbers of page `page`.
pub fn page_bounds(page: i64) -> (i64, i64) {
    let page = page.max(1);
    ((page - 1) * ENTRIES_PER_PAGE + 1, page * ENTRIES_PER_PAGE)
}

/// Which entries a reader's page shows: the latest (the live's own address), or one
/// of the fixed older pages (`?page=N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LivePage {
    Latest,
    Numbered(i64),
}

impl LivePage {
    /// The page asked for in `?page=`, against the live's latest entry number: a
    /// number past the last page, or not a number, is `None` (not found).
    pub fn parse(value: Option<&str>, last_seq: i64) -> Option<Self> {
        match value {
            None => Some(Self::Latest),
            Some(v) => {
                let n: i64 = v.parse().ok()?;
                (n >= 1 && n <= page_of(last_seq)).then_some(Self::Numbered(n))
            }
        }
    }

    /// The older page after the entries shown, whose lowest number is `lowest_seq`.
    pub fn older(lowest_seq: i64) -> Option<i64> {
        (lowest_seq > 1).then(|| page_of(lowest_seq - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_fixed_blocks_counted_from_the_oldest() {
        assert_eq!(page_of(1), 1);
        assert_eq!(page_of(20), 1);
        assert_eq!(page_of(21), 2);
        assert_eq!(page_bounds(2), (21, 40));
        let q = EntryQuery::page(3);
        assert_eq!((q.after_seq, q.before_seq), (Some(40), Some(61)));
        assert_eq!(LivePage::older(1), None);
        assert_eq!(LivePage::older(41), Some(2));
        assert_eq!(LivePage::older(45), Some(3));
    }

    #[test]
    fn only_pages_that_exist_are_read() {
        assert_eq!(LivePage::parse(None, 0), Some(LivePage::Latest));
        assert_eq!(LivePage::parse(Some("2"), 21), Some(LivePage::Numbered(2)));
        assert_eq!(LivePage::parse(Some("3"), 40), None);
        assert_eq!(LivePage::parse(Some("0"), 40), None);
        assert_eq!(LivePage::parse(Some("x"), 40), None);
    }

    #[test]
    fn entries_are_cleaned_and_bounded() {
        let content = EntryContent {
            title: Some("   ".into()),
            body_markdown: "Le point.".into(),
            credit: Some(" AFP ".into()),
            ..EntryContent::default()
        }
        .cleaned()
        .unwrap();
        assert_eq!(content.title, None);
        assert_eq!(content.credit.as_deref(), Some("AFP"));
        let empty = EntryContent {
            body_markdown: " \n".into(),
            ..EntryContent::default()
        };
        assert_eq!(empty.cleaned(), Err(EntryError::Empty));
        let long = EntryContent {
            body_markdown: "a".repeat(MAX_ENTRY_BYTES + 1),
            ..EntryContent::default()
        };
        assert_eq!(long.cleaned(), Err(EntryError::TooLong));
    }

    #[test]
    fn kinds_round_trip_through_text() {
        for k in [ArticleKind::Standard, ArticleKind::Live] {
            assert_eq!(k.as_str().parse::<ArticleKind>(), Ok(k));
        }
        assert!("blog".parse::<ArticleKind>().is_err());
    }

    #[test]
    fn a_permalink_names_the_page_the_entry_stays_on() {
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 2, 14, 5, 0).unwrap();
        let entry = LiveEntry {
            id: LiveEntryId(9),
            article_id: ArticleId(1),
            seq: 25,
            author: None,
            author_name: "A".into(),
            title: None,
            body_markdown: "x".into(),
            body_html: "<p>x</p>".into(),
            credit: None,
            key_event: false,
            pinned: false,
            revision: 1,
            created_at: t,
            updated_at: t,
            deleted_at: None,
        };
        assert_eq!(
            entry.permalink("/a/b_1.html"),
            "/a/b_1.html?page=2#entree-9"
        );
    }
}
