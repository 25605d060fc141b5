//! Purging a caching proxy in front of the nodes: after a change to an article, each
//! page showing it is purged by URL. nginx's cache purge module (Debian's
//! `libnginx-mod-http-cache-purge`) takes one cache key a request, so Kiosque asks
//! `GET {prefix}{path}` for each path (see `docs/DEPLOYMENT.md` for the matching
//! location). Every node follows the change feed and purges: a purge is idempotent,
//! and no node's death leaves one undone. Paginated pages, search results and other
//! articles' "À lire aussi" lists are left to their `s-maxage`.

use kiosque_domain::url::{contributor_path, section_ancestry, section_path, tag_path};
use kiosque_domain::{Article, ArticleId, Stores};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How long one purge request may take.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The pages a change to `article` reaches, by path: its own, the home page, its
/// section's and every section's above, its tags' and contributors', the site's feeds
/// and sitemaps.
pub fn article_paths(article: &Article) -> Vec<String> {
    let mut paths = vec![article.canonical_path(), "/".to_owned()];
    paths.extend(section_ancestry(&article.section.path).map(section_path));
    paths.extend(article.tags.iter().map(|t| tag_path(t.slug.as_str())));
    paths.extend(
        article
            .contributors
            .iter()
            .map(|c| contributor_path(c.slug.as_str())),
    );
    for feed in ["/rss.xml", "/atom.xml", "/feed.json"] {
        paths.push(feed.to_owned());
    }
    for sitemap in ["/sitemap.xml", "/sitemap-news.xml"] {
        paths.push(sitemap.to_owned());
    }
    paths
}

/// Where purges go: `http://HOST:PORT/PREFIX` for each proxy.
#[derive(Debug, Clone, Default)]
pub struct Purger {
    targets: Vec<(String, String)>,
}

impl Purger {
    /// From `http://host:port/prefix` URLs; others are refused with the reason.
    pub fn new(urls: &[String]) -> Result<Self, String> {
        let targets = urls
            .iter()
            .map(|url| {
                let rest = url
                    .strip_prefix("http://")
                    .ok_or_else(|| format!("purge URL {url:?}: only http:// is supported"))?;
                let (host, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                if host.is_empty() {
                    return Err(format!("purge URL {url:?} has no host"));
                }
                Ok((
                    host.to_owned(),
                    format!("/{}", prefix.trim_end_matches('/')),
                ))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self { targets })
    }

    pub fn is_enabled(&self) -> bool {
        !self.targets.is_empty()
    }

    /// Purges the pages of `articles` (see [`article_paths`]), each path once;
    /// articles no longer in the database are skipped.
    pub async fn purge_articles(&self, stores: &Stores, articles: &[ArticleId]) -> usize {
        let loaded = match stores.articles.articles(articles).await {
            Ok(loaded) => loaded,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the changed articles to purge");
                return 0;
            }
        };
        let mut paths: Vec<String> = loaded.iter().flat_map(article_paths).collect();
        paths.sort();
        paths.dedup();
        self.purge(&paths).await
    }

    /// Purges `paths` on every proxy; returns how many were purged (a page the proxy
    /// did not hold answers 404 and is not counted). Failures are logged, not raised:
    /// the page then expires with its `s-maxage`.
    pub async fn purge(&self, paths: &[String]) -> usize {
        let mut purged = 0;
        for (host, prefix) in &self.targets {
            for path in paths {
                let target = format!("{}{path}", prefix.trim_end_matches('/'));
                match tokio::time::timeout(TIMEOUT, request(host, &target)).await {
                    Ok(Ok(200)) => purged += 1,
                    Ok(Ok(404)) => {}
                    Ok(Ok(status)) => {
                        tracing::warn!(host, path = %target, status, "purge refused");
                    }
                    Ok(Err(e)) => tracing::warn!(host, error = %e, "cannot purge"),
                    Err(_) => tracing::warn!(host, "purge timed out"),
                }
            }
        }
        metrics::counter!("kiosque_cdn_purges_total").increment(purged as u64);
        purged
    }
}

/// One `GET` on a fresh connection; the status code.
async fn request(host: &str, target: &str) -> std::io::Result<u16> {
    let mut stream = tokio::net::TcpStream::connect(host).await?;
    stream
        .write_all(
            format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await?;
    std::str::from_utf8(&head[9..12])
        .ok()
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("not an HTTP answer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_urls_are_checked() {
        let purger = Purger::new(&["http://127.0.0.1:8081/purge/".into()]).unwrap();
        assert_eq!(
            purger.targets,
            [("127.0.0.1:8081".to_owned(), "/purge".to_owned())]
        );
        assert!(Purger::new(&["https://cdn.example/purge".into()]).is_err());
        assert!(Purger::new(&["http:///purge".into()]).is_err());
        assert!(!Purger::default().is_enabled());
    }
}
