//! Static pages: what a site publishes that is not news ("Mentions légales",
//! "Charte de modération", "Qui sommes-nous"). No section, byline, dates, age banner,
//! comments or feed entry; an address the editor chooses; revisions like articles.

use crate::staff::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PageId(pub i64);

impl fmt::Display for PageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageStatus {
    Draft,
    Published,
}

impl PageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            _ => None,
        }
    }
}

/// A static page as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaticPage {
    pub id: PageId,
    /// Without slashes around it: `mentions-legales`, `aide/contact`.
    pub path: String,
    pub title: String,
    /// For search engines and link previews.
    pub description: Option<String>,
    pub body_markdown: String,
    pub body_html: String,
    pub status: PageStatus,
    pub in_footer: bool,
    pub footer_position: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

impl StaticPage {
    /// The public address, `/{path}/`.
    pub fn public_path(&self) -> String {
        format!("/{}/", self.path)
    }
}

/// The editable content of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPage {
    pub path: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub body_markdown: String,
    pub status: PageStatus,
    #[serde(default)]
    pub in_footer: bool,
    #[serde(default)]
    pub footer_position: i64,
}

/// One saved version of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageRevision {
    pub version: i64,
    pub user: Option<UserId>,
    pub title: String,
    pub body_markdown: String,
    pub created_at: DateTime<Utc>,
}

/// First path segments that belong to the site itself.
pub const RESERVED: &[&str] = &[
    "admin",
    "alertes",
    "direct",
    "sw.js",
    "api",
    "archives",
    "assets",
    "auteurs",
    "commentaires",
    "compte",
    "healthz",
    "media",
    "metrics",
    "preview",
    "readyz",
    "recherche",
    "search",
    "static",
    "tags",
    "sitemap.xml",
    "robots.txt",
];

/// Longest page path, in bytes.
pub const MAX_PATH: usize = 200;

/// Why a page address is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagePathError {
    #[error("the address is empty")]
    Empty,
    #[error("the address is longer than {MAX_PATH} characters")]
    TooLong,
    #[error(
        "each part of the address is made of lower-case letters, digits and hyphens (\"mentions-legales\", \"aide/contact\")"
    )]
    Characters,
    #[error("/{0}/ belongs to the site itself")]
    Reserved(String),
}

/// The stored form of an address an editor typed: `/Mentions-Legales/` becomes
/// `mentions-legales`. At most three levels.
pub fn page_path(input: &str) -> Result<String, PagePathError> {
    let trimmed = input.trim().trim_matches('/').to_lowercase();
    if trimmed.is_empty() {
        return Err(PagePathError::Empty);
    }
    if trimmed.len() > MAX_PATH {
        return Err(PagePathError::TooLong);
    }
    let segments: Vec<&str> = trimmed.split('/').collect();
    if segments.len() > 3
        || segments.iter().any(|s| {
            s.is_empty()
                || s.starts_with('-')
                || s.ends_with('-')
                || !s
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
    {
        return Err(PagePathError::Characters);
    }
    if RESERVED.contains(&segments[0]) {
        return Err(PagePathError::Reserved(segments[0].to_owned()));
    }
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_are_normalised_and_checked() {
        assert_eq!(
            page_path("/Mentions-Legales/").as_deref(),
            Ok("mentions-legales")
        );
        assert_eq!(page_path("aide/contact").as_deref(), Ok("aide/contact"));
        assert_eq!(page_path(" "), Err(PagePathError::Empty));
        assert_eq!(
            page_path("admin/x"),
            Err(PagePathError::Reserved("admin".into()))
        );
        assert_eq!(page_path("a b"), Err(PagePathError::Characters));
        assert_eq!(page_path("a//b"), Err(PagePathError::Characters));
        assert_eq!(page_path("a/b/c/d"), Err(PagePathError::Characters));
        assert_eq!(page_path("../etc"), Err(PagePathError::Characters));
    }
}
