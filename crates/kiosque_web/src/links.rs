//! Addresses and links every page shows: feed autodiscovery and the search page.

use kiosque_domain::Locale;
use serde::Serialize;

/// The three formats, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss,
    Atom,
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    pub fn from_file(name: &str) -> Option<Self> {
        match name {
            "rss.xml" => Some(FeedFormat::Rss),
            "atom.xml" => Some(FeedFormat::Atom),
            "feed.json" => Some(FeedFormat::Json),
            _ => None,
        }
    }

    pub fn file(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedFormat::Rss => "RSS",
            FeedFormat::Atom => "Atom",
            FeedFormat::Json => "JSON Feed",
        }
    }
}

/// An autodiscovery `<link rel="alternate">`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub mime: &'static str,
    pub title: String,
    pub href: String,
}

/// The three feeds of a page at `page_path` (`/`, `/monde/`, `/tags/climat/`).
pub fn feed_links(page_path: &str, title: &str) -> Vec<FeedLink> {
    FeedFormat::ALL
        .iter()
        .map(|f| FeedLink {
            mime: f.mime(),
            title: format!("{title} ({})", f.label()),
            href: format!("{page_path}{}", f.file()),
        })
        .collect()
}

/// The search page's path for a site language.
pub fn search_path(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "/recherche",
        Locale::En => "/search",
    }
}
