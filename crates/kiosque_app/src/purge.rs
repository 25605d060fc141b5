//! Purging caching proxies in front of the nodes, after a change, every node once it
//! has forgotten its own copies (so the last purge leaves the proxy fresh; a purge is
//! idempotent, and no node's death leaves one undone). Two kinds of proxy:
//!
//! - by surrogate key (Varnish with `xkey`): `PURGE /` with an `xkey-purge` header
//!   naming the keys (see [`kiosque_domain::surrogate`]); every page filed under one
//!   goes, paginated pages and section feeds included;
//! - by URL (nginx's cache purge module, Debian's `libnginx-mod-http-cache-purge` 2.3,
//!   which has no wildcard): one `GET {prefix}{path}` per page. The pages an article
//!   reaches are listed by [`article_paths`]; its section's feeds, paginated pages and
//!   monthly sitemaps are left to their `s-maxage`, as is every page but the home page
//!   after a change to the whole site.
//!
//! See `docs/DEPLOYMENT.md` for both configurations.

use kiosque_domain::surrogate;
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
    if article.kind == kiosque_domain::ArticleKind::Live {
        // What a live's readers poll, and its own feeds (older pages keep their
        // entries; an edit there waits for the TTL on path-purged proxies).
        for part in ["etat.json", "rss.xml", "atom.xml"] {
            paths.push(format!("/direct/{}/{part}", article.id.0));
        }
    }
    paths
}

/// What one change purges, for each kind of proxy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purge {
    pub keys: Vec<String>,
    pub paths: Vec<String>,
}

impl Purge {
    /// Changes to articles (see [`surrogate::article_change`] and [`article_paths`]).
    pub fn articles(articles: &[Article]) -> Self {
        let mut purge = Self {
            keys: articles
                .iter()
                .flat_map(surrogate::article_change)
                .collect(),
            paths: articles.iter().flat_map(article_paths).collect(),
        };
        for list in [&mut purge.keys, &mut purge.paths] {
            list.sort();
            list.dedup();
        }
        purge
    }

    /// A change every page shows: settings, the section tree, the fronts. By URL,
    /// only the home page can be named.
    pub fn site() -> Self {
        Self {
            keys: vec![surrogate::SITE.to_owned()],
            paths: vec!["/".to_owned()],
        }
    }

    /// Moderation in these threads (the page and the fragment article pages load);
    /// all threads when `articles` is empty (a reader's comments went with their
    /// account), which only keys can name.
    pub fn threads(articles: &[ArticleId]) -> Self {
        if articles.is_empty() {
            return Self {
                keys: vec![surrogate::COMMENTS.to_owned()],
                paths: Vec::new(),
            };
        }
        Self {
            keys: articles.iter().map(|&a| surrogate::comments(a)).collect(),
            paths: articles
                .iter()
                .flat_map(|a| {
                    let page = format!("/commentaires/{}", a.0);
                    [format!("{page}?fragment=1"), page]
                })
                .collect(),
        }
    }

    /// One listing page: the home page (`section` `None`) or a section's first page,
    /// after its front changed.
    pub fn front(section: Option<&str>) -> Self {
        match section {
            None => Self {
                keys: vec![surrogate::HOME.to_owned()],
                paths: vec!["/".to_owned()],
            },
            Some(path) => Self {
                keys: vec![surrogate::section(path)],
                paths: vec![section_path(path)],
            },
        }
    }

    /// Both purges in one, each key and path once.
    pub fn merge(&mut self, other: Self) {
        for (mine, theirs) in [(&mut self.keys, other.keys), (&mut self.paths, other.paths)] {
            for item in theirs {
                if !mine.contains(&item) {
                    mine.push(item);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.paths.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// nginx: `GET {prefix}{path}`.
    Paths { host: String, prefix: String },
    /// Varnish with xkey: `PURGE /` with `xkey-purge: KEYS`.
    Keys { host: String },
}

/// Where purges go.
#[derive(Debug, Clone, Default)]
pub struct Purger {
    targets: Vec<Target>,
}

/// `http://HOST:PORT/PREFIX` as host and `/PREFIX`.
fn host_and_prefix(url: &str) -> Result<(String, String), String> {
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
}

impl Purger {
    /// Proxies purged by URL (`http://host:port/prefix`) and by key
    /// (`http://host:port`); others are refused with the reason.
    pub fn new(by_path: &[String], by_key: &[String]) -> Result<Self, String> {
        let mut targets = Vec::new();
        for url in by_path {
            let (host, prefix) = host_and_prefix(url)?;
            targets.push(Target::Paths { host, prefix });
        }
        for url in by_key {
            let (host, _) = host_and_prefix(url)?;
            targets.push(Target::Keys { host });
        }
        Ok(Self { targets })
    }

    pub fn is_enabled(&self) -> bool {
        !self.targets.is_empty()
    }

    /// Purges the pages of `articles`; articles no longer in the database are skipped.
    pub async fn purge_articles(&self, stores: &Stores, articles: &[ArticleId]) -> usize {
        if !self.is_enabled() || articles.is_empty() {
            return 0;
        }
        match stores.articles.articles(articles).await {
            Ok(loaded) => self.send(&Purge::articles(&loaded)).await,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the changed articles to purge");
                0
            }
        }
    }

    /// Sends `purge` to every proxy; returns how many requests purged something (a
    /// page the proxy did not hold answers 404 and is not counted). Failures are
    /// logged, not raised: the page then expires with its `s-maxage`.
    pub async fn send(&self, purge: &Purge) -> usize {
        let mut purged = 0;
        for target in &self.targets {
            let requests: Vec<(&str, String, Option<String>)> = match target {
                Target::Paths { host, prefix } => purge
                    .paths
                    .iter()
                    .map(|path| {
                        let target = format!("{}{path}", prefix.trim_end_matches('/'));
                        (host.as_str(), target, None)
                    })
                    .collect(),
                Target::Keys { host } => key_batches(&purge.keys)
                    .into_iter()
                    .map(|keys| (host.as_str(), "/".to_owned(), Some(keys)))
                    .collect(),
            };
            for (host, path, keys) in requests {
                match tokio::time::timeout(TIMEOUT, request(host, &path, keys.as_deref())).await {
                    Ok(Ok(200)) => purged += 1,
                    Ok(Ok(404)) => {}
                    Ok(Ok(status)) => {
                        tracing::warn!(host, path, keys, status, "purge refused");
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

/// Longest `xkey-purge` header sent: Varnish refuses request headers over 8 KB by
/// default (`http_req_hdr_len`), and a change to many articles reaches many keys.
const MAX_KEYS_HEADER: usize = 4096;

/// The keys, space-separated, in headers of at most [`MAX_KEYS_HEADER`] bytes.
fn key_batches(keys: &[String]) -> Vec<String> {
    let mut batches: Vec<String> = Vec::new();
    for key in keys {
        match batches.last_mut() {
            Some(batch) if batch.len() + 1 + key.len() <= MAX_KEYS_HEADER => {
                batch.push(' ');
                batch.push_str(key);
            }
            _ => batches.push(key.clone()),
        }
    }
    batches
}

/// One request on a fresh connection (`GET target`, or `PURGE /` with the keys); the
/// status code.
async fn request(host: &str, target: &str, keys: Option<&str>) -> std::io::Result<u16> {
    let mut stream = tokio::net::TcpStream::connect(host).await?;
    let head = match keys {
        None => format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        Some(keys) => format!(
            "PURGE {target} HTTP/1.1\r\nHost: {host}\r\nxkey-purge: {keys}\r\nConnection: close\r\n\r\n"
        ),
    };
    stream.write_all(head.as_bytes()).await?;
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
        let purger = Purger::new(
            &["http://127.0.0.1:8081/purge/".into()],
            &["http://127.0.0.1:6081".into()],
        )
        .unwrap();
        assert_eq!(
            purger.targets,
            [
                Target::Paths {
                    host: "127.0.0.1:8081".into(),
                    prefix: "/purge".into()
                },
                Target::Keys {
                    host: "127.0.0.1:6081".into()
                }
            ]
        );
        assert!(Purger::new(&["https://cdn.example/purge".into()], &[]).is_err());
        assert!(Purger::new(&[], &["http:///".into()]).is_err());
        assert!(!Purger::default().is_enabled());
    }

    #[test]
    fn many_keys_go_in_several_headers() {
        assert!(key_batches(&[]).is_empty());
        assert_eq!(
            key_batches(&["home".into(), "feeds".into()]),
            ["home feeds"]
        );
        let keys: Vec<String> = (0..2000).map(|i| format!("article:{i}")).collect();
        let batches = key_batches(&keys);
        assert!(batches.len() > 1);
        assert!(batches.iter().all(|b| b.len() <= MAX_KEYS_HEADER));
        let rejoined: Vec<&str> = batches.iter().flat_map(|b| b.split(' ')).collect();
        assert_eq!(
            rejoined,
            keys.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }

    #[test]
    fn threads_and_site_purges_name_their_pages() {
        let one = Purge::threads(&[ArticleId(12), ArticleId(40)]);
        assert_eq!(one.keys, ["comments:12", "comments:40"]);
        assert_eq!(
            one.paths,
            [
                "/commentaires/12?fragment=1",
                "/commentaires/12",
                "/commentaires/40?fragment=1",
                "/commentaires/40"
            ]
        );
        assert_eq!(Purge::threads(&[]).keys, [surrogate::COMMENTS]);
        assert_eq!(Purge::site().keys, [surrogate::SITE]);
        assert!(Purge::default().is_empty());
        assert!(!Purge::site().is_empty());
    }
}
