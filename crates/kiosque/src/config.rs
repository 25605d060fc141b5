#![expect(
    clippy::disallowed_methods,
    reason = "the configuration is the one place the environment is read"
)]
//! One typed configuration, layered: defaults → `kiosque.toml` in the data directory →
//! `KIOSQUE_*` environment → flags (clap merges the last two). Read once in the command
//! and passed down; nothing reads the environment afterwards.

use crate::cli::{Cli, ServeArgs};
use anyhow::Context;
use kiosque_domain::SiteSettings;
use kiosque_domain::media::BlobStore;
use kiosque_media::{FsBlobStore, ObjectBlobStore, S3Settings};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The example file printed by `kiosque config example`.
pub const EXAMPLE: &str = include_str!("../kiosque.example.toml");

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// `kiosque.toml` as written by people.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    pub site: Option<SiteSettings>,
    pub server: ServerSection,
    pub ingest: IngestSection,
    pub mail: MailSection,
    pub jobs: JobsSection,
    pub cdn: CdnSection,
    pub media: MediaSection,
    pub alerts: AlertsSection,
    pub webhooks: WebhooksSection,
    pub feeds: FeedsSection,
    pub embeds: EmbedsSection,
}

/// `[embeds]`: where a URL alone on its line becomes an embed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmbedsSection {
    /// Providers beyond the built-in ones (`[[embeds.providers]]`); they come first
    /// when patterns overlap.
    pub providers: Vec<ProviderSection>,
    /// Mastodon servers whose posts are embedded (`https://SERVER/@user/id`); posts
    /// of other servers stay links, since asking them would be asking an address a
    /// journalist chose. Also `KIOSQUE_EMBEDS_MASTODON`, comma-separated.
    pub mastodon_servers: Vec<String>,
    /// Longest wait for a provider's answer, in seconds (default 5).
    pub timeout_seconds: Option<u64>,
    /// Largest oEmbed answer read, in bytes (default 262144).
    pub max_bytes: Option<usize>,
}

/// One `[[embeds.providers]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSection {
    pub name: String,
    /// URL patterns, `*` for any run of characters.
    pub schemes: Vec<String>,
    /// The oEmbed endpoint (the only address asked about these URLs).
    pub endpoint: String,
    /// `frame` (the player in an iframe after a click; default) or `card` (text,
    /// author and date; for players that need the platform's script).
    #[serde(default)]
    pub style: Option<String>,
    /// Origins the player's iframe may come from; default: the endpoint's and the
    /// schemes' origins.
    #[serde(default)]
    pub frame_origins: Vec<String>,
    /// Origins thumbnails may be copied from, beside the endpoint's.
    #[serde(default)]
    pub image_origins: Vec<String>,
}

impl EmbedsSection {
    /// The settings the application uses, with every origin checked.
    pub fn settings(&self) -> anyhow::Result<kiosque_app::embeds::EmbedSettings> {
        use kiosque_domain::embed::{EmbedStyle, Provider, Providers, origin_of};
        let mut providers = Vec::new();
        for p in &self.providers {
            let origin = |url: &str| {
                origin_of(url).with_context(|| {
                    format!(
                        "[[embeds.providers]] {:?}: {url:?} is not an http(s) address",
                        p.name
                    )
                })
            };
            let endpoint_origin = origin(&p.endpoint)?;
            anyhow::ensure!(
                !p.name.trim().is_empty() && !p.schemes.is_empty(),
                "[[embeds.providers]] needs a name and at least one scheme"
            );
            let mut frames = if p.frame_origins.is_empty() {
                // The schemes' origins (when their host is literal) and the endpoint's.
                let mut found: Vec<String> = p
                    .schemes
                    .iter()
                    .filter_map(|u| origin_of(u))
                    .filter(|o| !o.contains('*'))
                    .collect();
                found.push(endpoint_origin);
                found
            } else {
                p.frame_origins
                    .iter()
                    .map(|u| origin(u))
                    .collect::<anyhow::Result<_>>()?
            };
            frames.sort();
            frames.dedup();
            let style = match p.style.as_deref() {
                None => EmbedStyle::Frame,
                Some(raw) => EmbedStyle::parse(raw).with_context(|| {
                    format!(
                        "[[embeds.providers]] {:?}: style is \"frame\" or \"card\", not {raw:?}",
                        p.name
                    )
                })?,
            };
            providers.push(Provider {
                name: p.name.trim().to_owned(),
                schemes: p.schemes.clone(),
                endpoint: p.endpoint.clone(),
                style,
                frame_origins: frames,
                image_origins: p
                    .image_origins
                    .iter()
                    .map(|u| origin(u))
                    .collect::<anyhow::Result<_>>()?,
            });
        }
        let mastodon =
            env_list("KIOSQUE_EMBEDS_MASTODON").unwrap_or_else(|| self.mastodon_servers.clone());
        Ok(kiosque_app::embeds::EmbedSettings {
            providers: Providers::new(providers, &mastodon),
            timeout: std::time::Duration::from_secs(self.timeout_seconds.unwrap_or(5).clamp(1, 60)),
            max_bytes: self
                .max_bytes
                .unwrap_or(256 * 1024)
                .clamp(1024, 4 * 1024 * 1024),
        })
    }
}

/// `[webhooks]`: partners' endpoints.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksSection {
    /// Accept endpoints on loopback, private or link-local addresses (tests, internal
    /// networks); also `KIOSQUE_WEBHOOKS_ALLOW_PRIVATE=1`. Default: refused.
    pub allow_private: bool,
}

/// `[feeds]`: syndication feeds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedsSection {
    /// A WebSub hub every feed names and that is pinged after each publication,
    /// update or unpublication; also `KIOSQUE_WEBSUB_HUB`.
    pub websub_hub: Option<String>,
}

/// `[alerts]`: push alerts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertsSection {
    /// The push services subscriptions may point to, as origins
    /// (`https://fcm.googleapis.com`, `https://*.notify.windows.com`); also
    /// `KIOSQUE_PUSH_SERVICES`, comma-separated. Default: the major browsers' services.
    pub push_services: Option<Vec<String>>,
}

/// A setting never shown in logs.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// `[media]`: where images and their renditions are kept.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaSection {
    /// `s3://bucket/prefix` for an S3-compatible bucket; a folder otherwise (relative
    /// to the data directory), `media` by default. Also `KIOSQUE_MEDIA_STORE`.
    pub store: Option<String>,
    /// The S3-compatible server, when not AWS. Also `KIOSQUE_MEDIA_ENDPOINT`.
    pub endpoint: Option<String>,
    /// Also `KIOSQUE_MEDIA_REGION` (or `AWS_DEFAULT_REGION`).
    pub region: Option<String>,
    /// Also `AWS_ACCESS_KEY_ID`.
    pub access_key_id: Option<String>,
    /// Also `AWS_SECRET_ACCESS_KEY`, which keeps it out of the file.
    pub secret_access_key: Option<Secret>,
    /// Where browsers fetch media from, when not through Kiosque's `/media/`: a public
    /// bucket or a CDN in front of it. Also `KIOSQUE_MEDIA_PUBLIC_URL`.
    pub public_url: Option<String>,
}

/// `[cdn]`: a caching proxy in front of the nodes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CdnSection {
    /// Where to purge a page after a change: `http://HOST:PORT/PREFIX`, the page's
    /// path appended (nginx with the cache purge module); also `KIOSQUE_PURGE_URLS`,
    /// comma-separated.
    pub purge: Vec<String>,
    /// Where to purge by surrogate key: `http://HOST:PORT`, sent `PURGE /` with an
    /// `xkey-purge` header (Varnish with xkey); also `KIOSQUE_PURGE_KEYS_URLS`.
    pub purge_keys: Vec<String>,
}

/// `[jobs]`: the job worker.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobsSection {
    /// Seconds a claimed job stays with its worker before another may take it (a
    /// worker that died); also `KIOSQUE_JOB_LEASE_SECONDS`.
    pub lease_seconds: Option<u64>,
}

/// `[mail]`: how messages to readers leave (the outbox folder when no SMTP is set).
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSection {
    /// `smtps://user:password@host` (or `KIOSQUE_SMTP_URL`, which wins).
    pub smtp: Option<String>,
    /// The sender readers see, `Name <address>`.
    pub from: Option<String>,
    /// SMTP connections kept open and used at once for newsletters (default 16; also
    /// `KIOSQUE_SMTP_CONNECTIONS`). Ask your mail server's limit.
    pub smtp_connections: Option<u32>,
}

impl std::fmt::Debug for MailSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSection")
            .field("smtp", &self.smtp.as_deref().map(redact_url))
            .field("from", &self.from)
            .field("smtp_connections", &self.smtp_connections)
            .finish()
    }
}

/// `[ingest]`: watch folders and routing rules for agency dispatches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSection {
    /// Folders agencies drop files into; relative paths are under the data directory.
    pub watch: Vec<PathBuf>,
    /// `[[ingest.rules]]`, first match wins; unmatched items go to the wire desk.
    pub rules: Vec<kiosque_app::wire::RoutingRule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSection {
    pub listen: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub theme: Option<PathBuf>,
    pub page_cache_seconds: Option<u64>,
    pub trusted_proxies: Option<Vec<std::net::IpAddr>>,
    pub metrics_listen: Option<SocketAddr>,
    pub read_database_url: Option<String>,
    pub drain_seconds: Option<u64>,
    /// How many days a preview link works (7 by default).
    pub preview_days: Option<u32>,
}

/// Default time a stopping node waits for the requests in flight.
pub const DEFAULT_DRAIN_SECONDS: u64 = 30;

/// Default lifetime of a cached page.
pub const DEFAULT_PAGE_CACHE_SECONDS: u64 = 10;

/// Everything a command needs to reach the site's data.
#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub site: SiteSettings,
    pub listen: SocketAddr,
    pub theme_dir: Option<PathBuf>,
    pub page_cache_seconds: u64,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub ingest: IngestSection,
    pub mail: MailSection,
    /// How long a worker's claim on a job lasts.
    pub job_lease: chrono::Duration,
    /// A separate address for `/metrics`.
    pub metrics_listen: Option<SocketAddr>,
    /// A read replica for public reads.
    pub read_database_url: Option<String>,
    /// How long a stopping node waits for the requests in flight.
    pub drain: std::time::Duration,
    /// How long a preview link works (`[server] preview_days`, `KIOSQUE_PREVIEW_DAYS`).
    pub preview_lifetime: chrono::Duration,
    /// Caching proxies to purge after a change, by URL and by key.
    pub purge_urls: Vec<String>,
    pub purge_key_urls: Vec<String>,
    /// Where media are kept and served from.
    pub media: MediaSection,
    /// Where push alerts may be posted.
    pub push_services: Vec<String>,
    /// Private webhook targets allowed, and the WebSub hub.
    pub outbound: kiosque_app::webhooks::Outbound,
    /// Embed providers (`[embeds]`).
    pub embeds: kiosque_app::embeds::EmbedSettings,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("site", &self.site)
            .field("listen", &self.listen)
            .field("theme_dir", &self.theme_dir)
            .field("page_cache_seconds", &self.page_cache_seconds)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("ingest", &self.ingest)
            .field("mail", &self.mail)
            .field("job_lease", &self.job_lease)
            .field("metrics_listen", &self.metrics_listen)
            .field("drain", &self.drain)
            .field(
                "read_database_url",
                &self.read_database_url.as_deref().map(redact_url),
            )
            .field("purge_urls", &self.purge_urls)
            .field("purge_key_urls", &self.purge_key_urls)
            .field("media", &self.media)
            .finish()
    }
}

/// Hides the password of a database URL, for logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_owned(),
    }
}

impl Config {
    /// Builds the configuration for any subcommand; `serve` adds its own flags.
    pub fn load(cli: &Cli, serve: Option<&ServeArgs>) -> anyhow::Result<Self> {
        let data_dir = cli.data.clone();
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
        let file = read_file_config(&data_dir.join("kiosque.toml"))?;

        let listen = match (serve.and_then(|s| s.listen), file.server.listen) {
            (Some(flag), _) => flag,
            (None, Some(from_file)) => from_file,
            (None, None) => DEFAULT_LISTEN.parse().context("default listen address")?,
        };
        let database_url = cli
            .database_url
            .clone()
            .or(file.server.database_url)
            .unwrap_or_else(|| format!("sqlite:{}", data_dir.join("kiosque.db").display()));
        let file_has_base_url = file
            .site
            .as_ref()
            .is_some_and(|s| s.base_url != SiteSettings::default().base_url);
        let mut site = file.site.unwrap_or_default();
        if let Some(base_url) = serve.and_then(|s| s.base_url.clone()) {
            site.base_url = base_url;
        } else if !file_has_base_url {
            site.base_url = format!("http://{listen}");
        }
        site.base_url = site.base_url.trim_end_matches('/').to_owned();
        let theme_dir = serve
            .and_then(|s| s.theme.clone())
            .or(file.server.theme)
            .map(|t| if t.is_relative() { data_dir.join(t) } else { t });
        let page_cache_seconds = serve
            .and_then(|s| s.page_cache_seconds)
            .or(file.server.page_cache_seconds)
            .unwrap_or(DEFAULT_PAGE_CACHE_SECONDS);
        let trusted_proxies = match serve.map(|s| s.trusted_proxies.clone()) {
            Some(flag) if !flag.is_empty() => flag,
            _ => file.server.trusted_proxies.unwrap_or_default(),
        };
        let mut ingest = file.ingest;
        for dir in &mut ingest.watch {
            if dir.is_relative() {
                *dir = data_dir.join(&*dir);
            }
        }
        let mut mail = file.mail;
        if let Some(url) = std::env::var("KIOSQUE_SMTP_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            mail.smtp = Some(url);
        }
        if let Some(n) = std::env::var("KIOSQUE_SMTP_CONNECTIONS")
            .ok()
            .and_then(|n| n.trim().parse::<u32>().ok())
        {
            mail.smtp_connections = Some(n);
        }
        let lease_seconds = match std::env::var("KIOSQUE_JOB_LEASE_SECONDS") {
            Ok(value) => Some(value.parse::<u64>().with_context(|| {
                format!("KIOSQUE_JOB_LEASE_SECONDS must be a number of seconds, not {value:?}")
            })?),
            Err(_) => file.jobs.lease_seconds,
        }
        .unwrap_or(kiosque_app::worker::DEFAULT_LEASE_SECONDS)
        .clamp(1, 24 * 3600);
        let mut media = file.media;
        for (var, field) in [
            ("KIOSQUE_MEDIA_STORE", &mut media.store),
            ("KIOSQUE_MEDIA_ENDPOINT", &mut media.endpoint),
            ("KIOSQUE_MEDIA_REGION", &mut media.region),
            ("KIOSQUE_MEDIA_PUBLIC_URL", &mut media.public_url),
        ] {
            if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                *field = Some(value);
            }
        }
        if let Some(public) = &mut media.public_url {
            *public = check_public_url(public)?;
        }
        Ok(Self {
            ingest,
            mail,
            media,
            job_lease: chrono::Duration::seconds(lease_seconds as i64),
            metrics_listen: serve
                .and_then(|s| s.metrics_listen)
                .or(file.server.metrics_listen),
            read_database_url: serve
                .and_then(|s| s.read_database_url.clone())
                .or(file.server.read_database_url),
            drain: std::time::Duration::from_secs(
                serve
                    .and_then(|s| s.drain_seconds)
                    .or(file.server.drain_seconds)
                    .unwrap_or(DEFAULT_DRAIN_SECONDS),
            ),
            preview_lifetime: std::env::var("KIOSQUE_PREVIEW_DAYS")
                .ok()
                .and_then(|d| d.trim().parse::<u32>().ok())
                .or(file.server.preview_days)
                .map_or(kiosque_app::preview::DEFAULT_LIFETIME, |d| {
                    chrono::Duration::days(i64::from(d.clamp(1, 365)))
                }),
            purge_urls: env_list("KIOSQUE_PURGE_URLS").unwrap_or(file.cdn.purge),
            purge_key_urls: env_list("KIOSQUE_PURGE_KEYS_URLS").unwrap_or(file.cdn.purge_keys),
            push_services: env_list("KIOSQUE_PUSH_SERVICES")
                .or(file.alerts.push_services)
                .unwrap_or_else(kiosque_app::push::default_services),
            outbound: kiosque_app::webhooks::Outbound {
                allow_private: match std::env::var("KIOSQUE_WEBHOOKS_ALLOW_PRIVATE") {
                    Ok(v) => matches!(v.trim(), "1" | "true" | "yes" | "on"),
                    Err(_) => file.webhooks.allow_private,
                },
                websub_hub: match std::env::var("KIOSQUE_WEBSUB_HUB") {
                    Ok(v) if v.trim().is_empty() => None,
                    Ok(v) => Some(check_hub(v.trim())?),
                    Err(_) => file
                        .feeds
                        .websub_hub
                        .as_deref()
                        .map(check_hub)
                        .transpose()?,
                },
            },
            embeds: file.embeds.settings()?,
            data_dir,
            database_url,
            site,
            listen,
            theme_dir,
            page_cache_seconds,
            trusted_proxies,
        })
    }

    /// The media bucket's settings, when `[media] store` names one.
    fn s3_settings(&self) -> Option<S3Settings> {
        Some(S3Settings {
            url: self.media_bucket()?.to_owned(),
            endpoint: self.media.endpoint.clone(),
            region: self.media.region.clone(),
            access_key_id: self.media.access_key_id.clone(),
            secret_access_key: self.media.secret_access_key.as_ref().map(|s| s.0.clone()),
        })
    }

    /// The media folder (unused when media are in a bucket).
    pub fn media_dir(&self) -> PathBuf {
        let folder = self.media.store.as_deref().unwrap_or("media");
        self.data_dir.join(folder)
    }

    /// The bucket media are kept in, if they are.
    pub fn media_bucket(&self) -> Option<&str> {
        self.media
            .store
            .as_deref()
            .filter(|store| store.starts_with("s3://"))
    }

    /// Where media are kept: a bucket, checked to answer (so that a node with a wrong
    /// endpoint, bucket or key stops at start-up rather than at the first upload), or
    /// a folder (`<data>/media` by default). Sets where pages point browsers for media.
    pub async fn open_media(&self) -> anyhow::Result<Arc<dyn BlobStore>> {
        if let Some(public) = &self.media.public_url {
            kiosque_domain::url::set_media_base(public);
        }
        if let Some(settings) = self.s3_settings() {
            let bucket = ObjectBlobStore::s3(&settings).context("invalid [media] settings")?;
            bucket.check().await?;
            return Ok(Arc::new(bucket));
        }
        if let Some(url) = self.media.store.as_deref().filter(|s| s.contains("://")) {
            anyhow::bail!(
                "[media] store must be a folder or an s3://bucket/prefix URL, not {url:?}"
            );
        }
        Ok(Arc::new(FsBlobStore::new(self.media_dir())))
    }

    /// The mailer: SMTP when configured, else `<data>/outbox/`.
    pub fn mailer(&self) -> anyhow::Result<kiosque_app::mail::Mailer> {
        use kiosque_app::mail::Mailer;
        let from = self
            .mail
            .from
            .clone()
            .unwrap_or_else(|| kiosque_app::mail::default_sender(&self.site.name));
        match &self.mail.smtp {
            Some(url) => Mailer::smtp_pooled(
                url,
                &from,
                self.mail
                    .smtp_connections
                    .unwrap_or(kiosque_app::mail::SMTP_CONNECTIONS)
                    .clamp(1, 256),
            )
            .with_context(|| format!("invalid [mail] settings for {}", redact_url(url))),
            None => Mailer::outbox(self.data_dir.join("outbox"), &from)
                .context("invalid [mail] from address"),
        }
    }

    /// This node's search index (rebuilt from the database when missing).
    pub fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search")
    }
}

/// `[media] public_url`: an http(s) URL naming a host, with no query, fragment,
/// credentials or characters that would end up loose in the pages' CSP; without its
/// trailing slash.
fn check_public_url(url: &str) -> anyhow::Result<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split('/').next().unwrap_or_default());
    let clean = !url.contains(['?', '#', '@', ';', ',', '\'', '"', ' ', '\\'])
        && url.chars().all(|c| c.is_ascii_graphic());
    match host {
        Some(host) if !host.is_empty() && clean => {
            // Lower-case scheme and host, as browsers and the CSP compare them.
            let scheme_and_host = url.len() - rest.map_or(0, str::len) + host.len();
            let (head, path) = url.split_at(scheme_and_host);
            Ok(format!(
                "{}{}",
                head.to_ascii_lowercase(),
                path.trim_end_matches('/')
            ))
        }
        _ => anyhow::bail!(
            "[media] public_url must be an http:// or https:// URL with a host and no query, fragment or credentials, not {url:?}"
        ),
    }
}

/// A WebSub hub's address: an http(s) URL.
fn check_hub(url: &str) -> anyhow::Result<String> {
    let lower = url.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        Ok(url.to_owned())
    } else {
        anyhow::bail!("[feeds] websub_hub must be an http:// or https:// URL, not {url:?}")
    }
}

/// A comma-separated list from the environment, if the variable is set.
fn env_list(var: &str) -> Option<Vec<String>> {
    let value = std::env::var(var).ok()?;
    Some(
        value
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

fn read_file_config(path: &Path) -> anyhow::Result<FileConfig> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            toml::from_str(&text).with_context(|| format!("invalid settings in {}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn the_example_file_is_valid_and_holds_the_defaults() {
        let parsed: FileConfig = toml::from_str(EXAMPLE).unwrap();
        assert_eq!(parsed.site.unwrap(), SiteSettings::default());
        assert_eq!(parsed.server.listen, Some(DEFAULT_LISTEN.parse().unwrap()));
        assert_eq!(
            parsed.server.page_cache_seconds,
            Some(DEFAULT_PAGE_CACHE_SECONDS)
        );
    }

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact_url("postgres://kq:s3cret@db:5432/site"),
            "postgres://kq:***@db:5432/site"
        );
        assert_eq!(redact_url("postgres://kq@db/site"), "postgres://kq@db/site");
        assert_eq!(
            redact_url("sqlite:data/kiosque.db"),
            "sqlite:data/kiosque.db"
        );
    }

    #[test]
    fn public_media_urls_are_checked() {
        assert_eq!(
            check_public_url("HTTPS://Media.Example.org/Site/").unwrap(),
            "https://media.example.org/Site"
        );
        assert_eq!(
            check_public_url("http://127.0.0.1:9000/bucket").unwrap(),
            "http://127.0.0.1:9000/bucket"
        );
        for bad in [
            "media.example.org/site",
            "ftp://media.example.org",
            "https://",
            "https://media.example.org/?v=1",
            "https://user:pw@media.example.org",
            "https://media.example.org; script-src *",
            "https://media.example.org/a b",
        ] {
            assert!(check_public_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_media_bucket_is_read_from_the_file_and_its_secret_stays_hidden() {
        let file: FileConfig = toml::from_str(
            "[media]\nstore = \"s3://news/site\"\nregion = \"eu-west-3\"\nsecret_access_key = \"hunter2\"\n",
        )
        .unwrap();
        let shown = format!("{:?}", file.media);
        assert!(
            shown.contains("s3://news/site") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(toml::from_str::<FileConfig>("[media]\nbucket = \"news\"\n").is_err());
    }

    #[test]
    fn mail_goes_to_the_outbox_unless_smtp_is_set_and_its_password_stays_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap();
        let cli = Cli::try_parse_from(["kiosque", "--data", data, "serve"]).unwrap();
        let crate::cli::Command::Serve(args) = &cli.command else {
            panic!()
        };
        let config = Config::load(&cli, Some(args)).unwrap();
        let mailer = format!("{:?}", config.mailer().unwrap());
        assert!(
            mailer.starts_with("Outbox") && mailer.contains("outbox"),
            "{mailer}"
        );

        std::fs::write(
            dir.path().join("kiosque.toml"),
            "[mail]\nsmtp = \"smtps://kq:s3cret@smtp.example.org\"\nfrom = \"La Gazette <info@example.org>\"\n",
        )
        .unwrap();
        let config = Config::load(&cli, Some(args)).unwrap();
        assert!(format!("{:?}", config.mailer().unwrap()).starts_with("Smtp"));
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("kq:***@smtp.example.org"),
            "{shown}"
        );

        std::fs::write(
            dir.path().join("kiosque.toml"),
            "[mail]\nfrom = \"pas une adresse\"\n",
        )
        .unwrap();
        let config = Config::load(&cli, Some(args)).unwrap();
        assert!(
            config.mailer().is_err(),
            "a bad sender is refused at start-up"
        );
    }

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("kiosque.toml"),
            "[site]\nname = \"La Gazette\"\nlocale = \"en\"\n[server]\nlisten = \"127.0.0.1:9100\"\ntheme = \"mytheme\"\n",
        )
        .unwrap();
        let data = dir.path().to_str().unwrap();
        let cli = Cli::try_parse_from(["kiosque", "--data", data, "serve"]).unwrap();
        let crate::cli::Command::Serve(args) = &cli.command else {
            panic!()
        };
        let config = Config::load(&cli, Some(args)).unwrap();
        assert_eq!(config.site.name, "La Gazette");
        assert_eq!(config.site.locale, kiosque_domain::Locale::En);
        assert_eq!(config.listen.port(), 9100);
        assert_eq!(config.site.base_url, "http://127.0.0.1:9100");
        assert_eq!(config.theme_dir, Some(dir.path().join("mytheme")));
        assert!(config.database_url.starts_with("sqlite:"));

        let cli = Cli::try_parse_from([
            "kiosque",
            "--data",
            data,
            "serve",
            "--listen",
            "127.0.0.1:9200",
            "--base-url",
            "https://news.example.org/",
        ])
        .unwrap();
        let crate::cli::Command::Serve(args) = &cli.command else {
            panic!()
        };
        let config = Config::load(&cli, Some(args)).unwrap();
        assert_eq!(config.listen.port(), 9200);
        assert_eq!(config.site.base_url, "https://news.example.org");
        assert!(config.trusted_proxies.is_empty());

        let cli = Cli::try_parse_from([
            "kiosque",
            "--data",
            data,
            "serve",
            "--trusted-proxies",
            "10.0.0.1,10.0.0.2",
        ])
        .unwrap();
        let crate::cli::Command::Serve(args) = &cli.command else {
            panic!()
        };
        let config = Config::load(&cli, Some(args)).unwrap();
        assert_eq!(config.trusted_proxies.len(), 2);
    }

    #[test]
    fn a_broken_settings_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("kiosque.toml"), "[site]\nnmae = \"typo\"\n").unwrap();
        let cli =
            Cli::try_parse_from(["kiosque", "--data", dir.path().to_str().unwrap(), "migrate"])
                .unwrap();
        let err = Config::load(&cli, None).unwrap_err();
        assert!(format!("{err:#}").contains("invalid settings"), "{err:#}");
        assert!(format!("{err:#}").contains("nmae"), "{err:#}");
    }
}
