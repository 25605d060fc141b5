//! Curated fronts: the home page's and each section's top, ordered by editors.
//!
//! A front is an ordered list of slots; the first is the lead story. Each slot holds
//! an article until an optional time ("pinned until"), after which the slot lapses and
//! the latest articles fill in. Only public articles are ever shown from a front.

use crate::ids::{ArticleId, SectionId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Slots a front can hold.
pub const MAX_SLOTS: usize = 8;

/// Which front.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FrontKey {
    Home,
    Section(SectionId),
}

impl FrontKey {
    /// The stored form: `home` or `section:<id>` (a section keeps its front when it
    /// is renamed or moved).
    pub fn as_key(self) -> String {
        match self {
            FrontKey::Home => "home".into(),
            FrontKey::Section(id) => format!("section:{}", id.0),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        if key == "home" {
            return Some(FrontKey::Home);
        }
        let id = key.strip_prefix("section:")?.parse().ok()?;
        Some(FrontKey::Section(SectionId(id)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontSlot {
    pub article: ArticleId,
    /// The slot lapses at this time; `None` keeps it until an editor changes it.
    pub until: Option<DateTime<Utc>>,
}

impl FrontSlot {
    pub fn is_live_at(&self, now: DateTime<Utc>) -> bool {
        self.until.is_none_or(|until| until > now)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Front {
    pub key: FrontKey,
    /// Incremented on every save; a save based on an older version is refused.
    pub version: i64,
    pub slots: Vec<FrontSlot>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontError {
    #[error("a front holds at most {MAX_SLOTS} articles")]
    TooMany,
    #[error("article {0} is in the front twice")]
    Duplicate(i64),
}

/// Checks slots before they are saved: at most [`MAX_SLOTS`], each article once.
pub fn check_slots(slots: &[FrontSlot]) -> Result<(), FrontError> {
    if slots.len() > MAX_SLOTS {
        return Err(FrontError::TooMany);
    }
    for (i, slot) in slots.iter().enumerate() {
        if slots[..i].iter().any(|s| s.article == slot.article) {
            return Err(FrontError::Duplicate(slot.article.0));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keys_round_trip() {
        for key in [FrontKey::Home, FrontKey::Section(SectionId(12))] {
            assert_eq!(FrontKey::parse(&key.as_key()), Some(key));
        }
        assert_eq!(FrontKey::parse("section:x"), None);
        assert_eq!(FrontKey::parse("homepage"), None);
    }

    #[test]
    fn slots_lapse_and_repeat_articles_are_refused() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        let slot = |id, until| FrontSlot {
            article: ArticleId(id),
            until,
        };
        assert!(slot(1, None).is_live_at(now));
        assert!(slot(1, Some(now + chrono::Duration::minutes(1))).is_live_at(now));
        assert!(!slot(1, Some(now)).is_live_at(now));
        assert_eq!(check_slots(&[slot(1, None), slot(2, None)]), Ok(()));
        assert_eq!(
            check_slots(&[slot(1, None), slot(1, Some(now))]),
            Err(FrontError::Duplicate(1))
        );
        let many: Vec<_> = (0..=MAX_SLOTS as i64).map(|i| slot(i, None)).collect();
        assert_eq!(check_slots(&many), Err(FrontError::TooMany));
    }
}
