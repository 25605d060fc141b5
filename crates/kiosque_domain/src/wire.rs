//! Agency dispatches as the newsroom keeps them: one wire item per agency guid, with
//! every version received. The parsed dispatch travels as JSON (`payload`); the
//! columns the wire desk filters on are kept beside it.

use crate::ids::ArticleId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A wire item's id in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WireId(pub i64);

impl std::fmt::Display for WireId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One version of a dispatch, as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewWireVersion {
    pub guid: String,
    pub version: i64,
    /// `newsml-g2`, `ninjs`, `nitf`, `iptc7901`.
    pub format: String,
    /// `text`, `picture`…
    pub item_class: String,
    /// `usable`, `withheld`, `canceled`.
    pub pub_status: String,
    pub provider: Option<String>,
    pub urgency: Option<i64>,
    pub language: Option<String>,
    pub headline: String,
    pub summary: Option<String>,
    pub embargo: Option<DateTime<Utc>>,
    pub version_created: Option<DateTime<Utc>>,
    /// The parsed dispatch, as JSON.
    pub payload: String,
    /// Where it came from: a file name, `api`.
    pub source: String,
}

/// What recording a version did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WireOutcome {
    /// A guid never seen before.
    Created(WireId),
    /// A higher version of a known guid: the item now shows it, history kept.
    Updated(WireId),
    /// The same or a lower version: ignored.
    Duplicate(WireId),
}

impl WireOutcome {
    pub fn id(self) -> WireId {
        match self {
            WireOutcome::Created(id) | WireOutcome::Updated(id) | WireOutcome::Duplicate(id) => id,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WireOutcome::Created(_) => "created",
            WireOutcome::Updated(_) => "updated",
            WireOutcome::Duplicate(_) => "duplicate",
        }
    }
}

/// A wire item at its latest version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireEntry {
    pub id: WireId,
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
    /// When the first version arrived, and the latest.
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The article made from it, and from which version.
    pub article_id: Option<ArticleId>,
    pub article_version: Option<i64>,
    /// The article was published by a routing rule, not by a journalist.
    pub auto_published: bool,
}

impl WireEntry {
    /// Urgency 1 or 2: flashes and urgents, shown apart on the desk (agencies send
    /// most ordinary copy at 3 to 5).
    pub fn is_urgent(&self) -> bool {
        self.urgency.is_some_and(|u| (1..=URGENT).contains(&u))
    }

    /// Killed by the agency.
    pub fn is_canceled(&self) -> bool {
        self.pub_status == "canceled"
    }

    /// A newer version than the one the article was made from.
    pub fn has_newer_version(&self) -> bool {
        self.article_version.is_some_and(|v| v < self.version)
    }

    /// May it reach the public now? Not withheld, not killed, not under embargo.
    pub fn is_releasable(&self, now: DateTime<Utc>) -> bool {
        self.pub_status == "usable" && self.embargo.is_none_or(|e| e <= now)
    }
}

/// The highest urgency the desk shows as urgent.
pub const URGENT: i64 = 2;

/// One received version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireVersion {
    pub version: i64,
    pub payload: String,
    pub source: String,
    pub received_at: DateTime<Utc>,
}

/// Filters of the wire desk, newest change first, keyset-paginated by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WireQuery {
    pub provider: Option<String>,
    /// At most this urgency (1 = flashes only).
    pub urgency_max: Option<i64>,
    pub language: Option<String>,
    /// Words of the headline.
    pub text: Option<String>,
    /// `(updated_at, id)` of the last item of the previous page.
    pub before: Option<(DateTime<Utc>, WireId)>,
    pub limit: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry() -> WireEntry {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap();
        WireEntry {
            id: WireId(1),
            guid: "g".into(),
            version: 2,
            format: "ninjs".into(),
            item_class: "text".into(),
            pub_status: "usable".into(),
            provider: Some("AFP".into()),
            urgency: Some(2),
            language: Some("fr".into()),
            headline: "h".into(),
            summary: None,
            embargo: Some(at),
            version_created: None,
            received_at: at,
            updated_at: at,
            article_id: Some(ArticleId(3)),
            article_version: Some(1),
            auto_published: false,
        }
    }

    #[test]
    fn release_rules() {
        let e = entry();
        let embargo = e.embargo.unwrap();
        assert!(!e.is_releasable(embargo - chrono::Duration::seconds(1)));
        assert!(e.is_releasable(embargo));
        let withheld = WireEntry {
            pub_status: "withheld".into(),
            ..entry()
        };
        assert!(!withheld.is_releasable(embargo + chrono::Duration::days(1)));
        assert!(e.is_urgent() && e.has_newer_version() && !e.is_canceled());
        let up_to_date = WireEntry {
            article_version: Some(2),
            ..entry()
        };
        assert!(!up_to_date.has_newer_version());
    }
}
