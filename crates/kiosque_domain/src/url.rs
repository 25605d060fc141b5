//! Public URLs. An article lives at `/{section-path}/{slug}_{id}.html`; the id alone
//! identifies it, so an old slug or a moved section still finds it and redirects.

use crate::ids::ArticleId;
use crate::slug::Slug;

/// The canonical path of an article.
pub fn article_path(section_path: &str, slug: &Slug, id: ArticleId) -> String {
    format!("/{section_path}/{slug}_{id}.html")
}

/// The path of a section page: `/monde/europe/`.
pub fn section_path(path: &str) -> String {
    format!("/{path}/")
}

/// The path of each section from the top down to `path`: `monde`, `monde/europe`.
/// An article is listed on all their pages.
pub fn section_ancestry(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/')
        .map(|(end, _)| &path[..end])
        .chain(std::iter::once(path))
}

/// The path of a tag page.
pub fn tag_path(slug: &str) -> String {
    format!("/tags/{slug}/")
}

/// The path of a contributor's profile page.
pub fn contributor_path(slug: &str) -> String {
    format!("/auteurs/{slug}/")
}

/// Where browsers fetch media from when not through the site's own `/media/`: a
/// public bucket or a CDN (`[media] public_url`). Set once at start-up, like the
/// process's locale; a process serves one site.
static MEDIA_BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Points every media URL at `base` (`https://media.example.org/site`) from now on;
/// the first call wins.
pub fn set_media_base(base: &str) {
    let _ = MEDIA_BASE.set(base.trim_end_matches('/').to_owned());
}

/// The origin (`https://media.example.org`) media are fetched from when it is not the
/// site's own, for the pages' Content-Security-Policy.
pub fn media_origin() -> Option<&'static str> {
    let base = MEDIA_BASE.get()?;
    let after_scheme = base.find("://")? + 3;
    let end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    Some(&base[..end])
}

/// The public URL of a stored media file: `/media/KEY`, or under the public base.
pub fn media_path(storage_key: &str) -> String {
    match MEDIA_BASE.get() {
        Some(base) => format!("{base}/{storage_key}"),
        None => format!("/media/{storage_key}"),
    }
}

/// What an article request path asks for: the section path as written, the slug as
/// written, and the id. `None` when the path is not shaped like an article URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRequest<'a> {
    pub section_path: &'a str,
    pub slug: &'a str,
    pub id: ArticleId,
}

impl<'a> ArticleRequest<'a> {
    pub fn parse(path: &'a str) -> Option<Self> {
        let path = path.strip_prefix('/')?;
        let stem = path.strip_suffix(".html")?;
        let (dir, file) = stem.rsplit_once('/').unwrap_or(("", stem));
        let (slug, id) = file.rsplit_once('_').unwrap_or(("", file));
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 18 {
            return None;
        }
        let id = id.parse().ok()?;
        Some(Self {
            section_path: dir,
            slug,
            id: ArticleId(id),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_article_path() {
        let slug = Slug::parse("un-sommet-reporte-a-l-automne").unwrap();
        assert_eq!(
            article_path("monde/europe", &slug, ArticleId(1042)),
            "/monde/europe/un-sommet-reporte-a-l-automne_1042.html"
        );
    }

    #[test]
    fn article_requests_are_parsed_by_id() {
        let r = ArticleRequest::parse("/monde/europe/un-sommet_1042.html").unwrap();
        assert_eq!(
            r,
            ArticleRequest {
                section_path: "monde/europe",
                slug: "un-sommet",
                id: ArticleId(1042)
            }
        );
        let bare = ArticleRequest::parse("/1042.html").unwrap();
        assert_eq!(
            (bare.section_path, bare.slug, bare.id),
            ("", "", ArticleId(1042))
        );
        assert_eq!(ArticleRequest::parse("/monde/europe/"), None);
        assert_eq!(ArticleRequest::parse("/monde/x_12a.html"), None);
        assert_eq!(
            ArticleRequest::parse("/monde/x_99999999999999999999.html"),
            None
        );
    }
}
