//! Other publishing systems' exports, read into [`ImportItem`]s: WordPress eXtended
//! RSS 1.0–1.2 (streamed, any size) and Ghost's JSON export (versions 1 to 5).
//!
//! Pure code, like the wire formats beside it: bytes in, items and what was done
//! with each out. The application layer (`kiosque_app::import`) writes them.

pub mod body;
pub mod ghost;
pub mod wordpress;
pub mod xml;

use chrono::{DateTime, Utc};

/// Why an export cannot be read. The message says where and what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("malformed file at byte {position}: {message}")]
    Malformed { position: u64, message: String },
    #[error("not a WordPress export Kiosque reads: {}", version_problem(.0))]
    Version(String),
    #[error("not a Ghost export: {0}")]
    NotGhost(String),
    #[error("the file is larger than the {0} bytes accepted for this format")]
    TooLarge(u64),
}

fn version_problem(version: &str) -> String {
    if version.is_empty() {
        "it has no wp:wxr_version (WordPress writes 1.0, 1.1 or 1.2)".into()
    } else {
        format!("wp:wxr_version is {version:?} (1.0, 1.1 or 1.2 expected)")
    }
}

/// Which system an item comes from: part of its source key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum System {
    WordPress,
    Ghost,
}

impl System {
    pub fn as_str(self) -> &'static str {
        match self {
            System::WordPress => "wordpress",
            System::Ghost => "ghost",
        }
    }
}

/// A person who wrote for the old site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// Login (WordPress) or slug (Ghost): how items refer to the author.
    pub key: String,
    pub name: String,
    /// Kept off every page.
    pub email: String,
    pub bio: String,
}

/// A category (becoming a section, nested) or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub slug: String,
    pub name: String,
    /// The parent's slug, for categories.
    pub parent: Option<String>,
    pub description: String,
}

/// Where an item stands on the old site, in Kiosque's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    Published,
    Draft,
    /// A draft submitted for review (WordPress `pending`).
    Review,
    Scheduled,
    /// Withdrawn from the public (WordPress `private`): an unpublished draft.
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Article,
    Page,
}

/// A picture from the old site's library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// WordPress post id or a Ghost image path: what items refer to.
    pub key: String,
    /// The file's address on the old site.
    pub url: String,
    /// The path under the uploads folder (`2020/01/photo.jpg`), where known.
    pub file: Option<String>,
    pub title: String,
    pub alt: String,
    pub caption: String,
    pub mime: String,
}

/// A comment from the old site. Legacy commenters are not reader accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyComment {
    pub key: String,
    pub parent: Option<String>,
    pub author_name: String,
    pub author_email: String,
    pub created_at: DateTime<Utc>,
    /// Plain text with the paragraphs of the original.
    pub body: String,
    /// Approved (shown) or waiting for a moderator.
    pub approved: bool,
}

/// The lead picture of an item, by attachment key or by address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Featured {
    pub attachment: Option<String>,
    pub url: Option<String>,
    pub alt: String,
    pub caption: String,
}

/// An article or static page read from an export, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportItem {
    pub system: System,
    /// Stable across exports: the WordPress GUID and post id, the Ghost id.
    pub key: String,
    pub kind: ItemKind,
    pub status: ItemStatus,
    pub title: String,
    pub slug: String,
    pub standfirst: String,
    /// Sanitised HTML (shortcodes and block comments handled); turned into Markdown
    /// once picture addresses are known, by [`body::to_markdown`].
    pub html: String,
    pub published_at: Option<DateTime<Utc>>,
    pub modified_at: Option<DateTime<Utc>>,
    /// Author keys, in byline order.
    pub authors: Vec<String>,
    /// Category slugs, the first one the section.
    pub categories: Vec<String>,
    /// Tag names.
    pub tags: Vec<String>,
    pub featured: Option<Featured>,
    pub comments_open: bool,
    pub comments: Vec<LegacyComment>,
    /// Addresses the item had on the old site (paths with their query, no host).
    pub old_paths: Vec<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    /// What was dropped or changed on the way, one line each.
    pub notes: Vec<String>,
}

/// Something in the export that is not imported, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub key: String,
    pub title: String,
    pub reason: String,
}

/// The path and query of an address on the old site, if it is on one of `hosts`
/// (or relative). `/` for the root; fragments dropped.
pub fn old_path(url: &str, hosts: &[String]) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let rest = if let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .or_else(|| url.strip_prefix("//"))
    {
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => match rest.find('?') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, "/"),
            },
        };
        let host = host.to_ascii_lowercase();
        let host = host.split(':').next().unwrap_or_default();
        let host = host.strip_prefix("www.").unwrap_or(host);
        if !hosts.iter().any(|h| h == host) {
            return None;
        }
        path
    } else if url.starts_with('/') {
        url
    } else {
        return None;
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let rest = if rest.starts_with('?') {
        format!("/{rest}")
    } else {
        rest.to_owned()
    };
    Some(if rest.is_empty() { "/".into() } else { rest })
}

/// The host of an address, lower-case and without `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .strip_prefix("http://")
        .or_else(|| url.trim().strip_prefix("https://"))?;
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    // The name alone: the port is not part of what identifies the old site.
    let host = host.split(':').next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host).to_owned();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths_keep_path_and_query_of_the_old_hosts_only() {
        let hosts = vec!["example.org".to_owned()];
        assert_eq!(
            old_path("http://www.example.org/2020/01/hello/", &hosts).as_deref(),
            Some("/2020/01/hello/")
        );
        assert_eq!(
            old_path("https://example.org/?p=12#c", &hosts).as_deref(),
            Some("/?p=12")
        );
        assert_eq!(
            old_path("https://example.org", &hosts).as_deref(),
            Some("/")
        );
        assert_eq!(old_path("https://elsewhere.net/x", &hosts), None);
        assert_eq!(old_path("/a/b", &hosts).as_deref(), Some("/a/b"));
        assert_eq!(old_path("mailto:x@example.org", &hosts), None);
    }
}
