//! Surrogate keys: the names a CDN or a caching proxy files each public page under
//! (`Surrogate-Key` header), so that a change purges the pages that show it and no
//! others.
//!
//! Every page carries [`SITE`] (navigation and settings are on every page: a change to
//! them purges everything) and the keys of what it shows: an article page its
//! `article:ID`; a listing the scope it lists (`home`, `section:PATH`, `tag:ID`,
//! `contributor:ID`, `archives`); search results `search`; feeds `feeds`; sitemaps
//! `sitemaps`; a comment thread `comments:ID` and [`COMMENTS`]. [`article_change`] gives the keys a change to an article reaches.

use crate::article::Article;
use crate::ids::{ArticleId, ContributorId, TagId};

pub const SITE: &str = "site";
pub const HOME: &str = "home";
pub const FEEDS: &str = "feeds";
pub const SITEMAPS: &str = "sitemaps";
pub const ARCHIVES: &str = "archives";
pub const SEARCH: &str = "search";
/// Every comment thread, beside its own `comments:ID`.
pub const COMMENTS: &str = "comments";

pub fn article(id: ArticleId) -> String {
    format!("article:{}", id.0)
}

/// A section page, which lists its whole subtree: `path` as in `monde/europe`.
pub fn section(path: &str) -> String {
    format!("section:{path}")
}

pub fn tag(id: TagId) -> String {
    format!("tag:{}", id.0)
}

pub fn contributor(id: ContributorId) -> String {
    format!("contributor:{}", id.0)
}

pub fn comments(article: ArticleId) -> String {
    format!("comments:{}", article.0)
}

/// The key of the section at `path` and of each section above it: an article there
/// is listed on all their pages.
pub fn section_levels(path: &str) -> Vec<String> {
    crate::url::section_ancestry(path).map(section).collect()
}

/// The header value: [`SITE`] and `keys`, space-separated.
pub fn header<I: IntoIterator<Item = String>>(keys: I) -> String {
    let mut value = SITE.to_owned();
    for key in keys {
        value.push(' ');
        value.push_str(&key);
    }
    value
}

/// Every key a change to `article` (published, updated, unpublished) reaches: its
/// page, the home page, the pages of its section and of each section above it, its
/// tags' and contributors' pages, the feeds, the sitemaps and the date archives.
/// Other articles' "À lire aussi" lists may name it too; they are left to their TTL.
pub fn article_change(article: &Article) -> Vec<String> {
    let mut keys = vec![
        self::article(article.id),
        HOME.to_owned(),
        FEEDS.to_owned(),
        SITEMAPS.to_owned(),
        ARCHIVES.to_owned(),
        SEARCH.to_owned(),
    ];
    keys.extend(section_levels(&article.section.path));
    keys.extend(article.tags.iter().map(|t| tag(t.id)));
    keys.extend(article.contributors.iter().map(|c| contributor(c.id)));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_always_carries_the_site_key() {
        assert_eq!(header(Vec::new()), "site");
        assert_eq!(
            header([article(ArticleId(7)), HOME.to_owned()]),
            "site article:7 home"
        );
    }

    #[test]
    fn section_keys_name_every_level_of_the_path() {
        assert_eq!(section_levels("monde"), ["section:monde"]);
        assert_eq!(
            section_levels("monde/europe/balkans"),
            [
                "section:monde",
                "section:monde/europe",
                "section:monde/europe/balkans"
            ]
        );
    }
}
