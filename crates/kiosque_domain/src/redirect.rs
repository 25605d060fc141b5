//! Redirects: old addresses (another system's permalinks, a moved page) and where
//! they lead now.

use crate::ids::{ArticleId, SectionId};
use crate::page::PageId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// 301, 302 or 410.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RedirectStatus {
    Permanent,
    Temporary,
    Gone,
}

impl RedirectStatus {
    pub fn code(self) -> u16 {
        match self {
            Self::Permanent => 301,
            Self::Temporary => 302,
            Self::Gone => 410,
        }
    }

    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            301 => Some(Self::Permanent),
            302 => Some(Self::Temporary),
            410 => Some(Self::Gone),
            _ => None,
        }
    }
}

/// Where a redirect leads: a fixed address, or something whose current address is
/// read at each request (so that a later move never makes a chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RedirectTarget {
    Url(String),
    Article(ArticleId),
    Page(PageId),
    Section(SectionId),
    /// For 410 Gone.
    Nothing,
}

/// A redirect to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRedirect {
    /// Normalised by [`redirect_key`].
    pub path: String,
    pub prefix: bool,
    pub target: RedirectTarget,
    pub status: RedirectStatus,
}

/// A stored redirect with its target's current address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirect {
    pub id: i64,
    pub path: String,
    pub prefix: bool,
    /// Where it leads now (`None` for 410, or when its article is gone).
    pub location: Option<String>,
    pub status: RedirectStatus,
    /// `manual`, `wordpress`, `ghost`.
    pub origin: String,
    pub created_at: DateTime<Utc>,
}

/// What a request for an old address is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectAnswer {
    pub status: RedirectStatus,
    pub location: Option<String>,
}

/// Longest old address kept.
pub const MAX_REDIRECT_PATH: usize = 2000;

/// The form an old address is stored and looked up in: the path without its final
/// slash (`/` stays), and the query (`/?p=12`) when it has one. `None` for what is
/// not a path.
pub fn redirect_key(input: &str) -> Option<String> {
    let input = input.trim();
    if !input.starts_with('/') || input.starts_with("//") || input.len() > MAX_REDIRECT_PATH {
        return None;
    }
    if input.chars().any(|c| c.is_control() || c == ' ') {
        return None;
    }
    let input = input.split('#').next().unwrap_or_default();
    let (path, query) = match input.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (input, None),
    };
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let path = if path.is_empty() { "/" } else { path };
    Some(match query.filter(|q| !q.is_empty()) {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    })
}

/// Whether `location` is an address a redirect may send readers to: a path on this
/// site or an http(s) URL.
pub fn valid_location(location: &str) -> bool {
    let l = location.trim();
    (l.starts_with('/') && !l.starts_with("//"))
        || ((l.starts_with("https://") || l.starts_with("http://")) && l.len() > 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_the_final_slash_and_keep_queries() {
        assert_eq!(
            redirect_key("/2020/01/hello/").as_deref(),
            Some("/2020/01/hello")
        );
        assert_eq!(redirect_key("/?p=12").as_deref(), Some("/?p=12"));
        assert_eq!(redirect_key("/").as_deref(), Some("/"));
        assert_eq!(redirect_key("/a/#x").as_deref(), Some("/a"));
        assert_eq!(redirect_key("http://x/a"), None);
        assert_eq!(redirect_key("//evil.example/"), None);
        assert!(valid_location("/monde/"));
        assert!(!valid_location("javascript:alert(1)"));
        assert!(!valid_location("//evil.example"));
    }
}
