//! Who an article is by: contributors (people with a profile, or desks such as
//! "Kiosque Info") and the agencies credited ("AFP", "Reuters").

use crate::ids::ContributorId;
use crate::slug::Slug;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContributorKind {
    /// A journalist: JSON-LD `Person`.
    Person,
    /// A newsroom desk: JSON-LD `Organization`.
    Desk,
}

impl ContributorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Desk => "desk",
        }
    }
}

impl FromStr for ContributorKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "person" => Ok(Self::Person),
            "desk" => Ok(Self::Desk),
            other => Err(format!("unknown contributor kind {other:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    pub id: ContributorId,
    pub kind: ContributorKind,
    pub name: String,
    pub slug: Slug,
    pub bio: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContributor {
    pub kind: ContributorKind,
    pub name: String,
    pub slug: Slug,
    pub bio: String,
}

/// A news agency credited on an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: i64,
    pub name: String,
}
