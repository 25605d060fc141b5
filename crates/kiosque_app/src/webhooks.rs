//! Syndication out: signed webhooks (Standard Webhooks: `webhook-id`,
//! `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`) carrying the
//! article's ninjs, delivered by the worker with retries and logged; and WebSub pings
//! to the configured hub after each publication, update or unpublication.
//!
//! Admins register endpoints. An endpoint's address must resolve to public addresses
//! only (checked when it is registered and again at each delivery, and the address
//! checked is the one connected to), unless `[webhooks] allow_private` says the
//! site's partners live on an internal network.

use crate::app::App;
use crate::error::{Error, Result};
use crate::policy::{self, Actor};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kiosque_domain::webhook::{
    Attempt, DeliveryState, NewWebhook, WEBSUB_JOB, Webhook, WebhookDelivery, WebhookError,
};
use kiosque_domain::{Article, ArticleId};
use serde_json::json;

/// Where syndication may go, from the configuration.
#[derive(Debug, Clone, Default)]
pub struct Outbound {
    /// `[webhooks] allow_private` (`KIOSQUE_WEBHOOKS_ALLOW_PRIVATE=1`): endpoints on
    /// loopback, private or link-local addresses are accepted.
    pub allow_private: bool,
    /// `[feeds] websub_hub` (`KIOSQUE_WEBSUB_HUB`): the hub every feed names and pings.
    pub websub_hub: Option<String>,
}

/// Attempts at one delivery (the worker's retries, with its backoff).
pub const MAX_ATTEMPTS: i64 = 8;
/// Longest wait for an endpoint's answer.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A new endpoint's secret, in the `whsec_<base64>` form (24 random bytes).
fn new_secret() -> String {
    let mut bytes = [0u8; 24];
    let token = kiosque_domain::secret::random_token();
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&token[i * 2..i * 2 + 2], 16).unwrap_or(0);
    }
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// The Standard Webhooks signature of a message: `v1,` and the base64 HMAC-SHA256,
/// under the secret's decoded bytes, of `{id}.{timestamp}.{body}`.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    use ring::hmac;
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()?;
    let key = hmac::Key::new(hmac::HMAC_SHA256, &key);
    let tag = hmac::sign(&key, format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(tag.as_ref())))
}

fn invalid(e: WebhookError) -> Error {
    match e {
        WebhookError::Url => Error::invalid("url", "webhook-error-url", e.to_string()),
        WebhookError::Events => Error::invalid("events", "webhook-error-events", e.to_string()),
    }
}

/// The host and port of an http(s) URL.
fn host_port(url: &str) -> Option<(String, u16)> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let host = parsed.host_str()?.trim_matches(['[', ']']).to_owned();
    let port = parsed.port_or_known_default()?;
    Some((host, port))
}

/// Resolves an endpoint's host; refuses it when any address is not public (unless
/// private addresses are allowed). The address to connect to.
async fn resolve(
    url: &str,
    allow_private: bool,
) -> std::result::Result<std::net::SocketAddr, String> {
    let (host, port) = host_port(url).ok_or_else(|| "not an http(s) URL".to_owned())?;
    let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| format!("{host}: {e}"))?
        .collect();
    let first = *addresses
        .first()
        .ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private && addresses.iter().any(|a| !crate::import::is_public(a.ip())) {
        return Err(format!(
            "{host} resolves to a private, loopback or link-local address"
        ));
    }
    Ok(first)
}

/// Registers an endpoint (admins); its secret is in the answer, shown once.
pub async fn register(app: &App, actor: &Actor, new: NewWebhook) -> Result<Webhook> {
    policy::administer(actor)?;
    let new = new.cleaned().map_err(invalid)?;
    resolve(&new.url, app.outbound.allow_private)
        .await
        .map_err(|e| Error::invalid("url", "webhook-error-private", e))?;
    let made = app
        .stores
        .webhooks
        .create_webhook(&new, &new_secret(), Some(actor.id()), app.now())
        .await?;
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            "webhook.create",
            &made.id.to_string(),
            &format!(
                "{} [{}] ({})",
                made.url,
                made.events.join(","),
                actor.via.as_str()
            ),
            app.now(),
        )
        .await?;
    Ok(made)
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Webhook>> {
    policy::administer(actor)?;
    Ok(app.stores.webhooks.webhooks().await?)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<Webhook> {
    policy::administer(actor)?;
    Ok(app.stores.webhooks.webhook(id).await?)
}

pub async fn delete(app: &App, actor: &Actor, id: i64) -> Result<()> {
    policy::administer(actor)?;
    app.stores.webhooks.delete_webhook(id).await?;
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            "webhook.delete",
            &id.to_string(),
            actor.via.as_str(),
            app.now(),
        )
        .await?;
    Ok(())
}

pub async fn deliveries(app: &App, actor: &Actor, id: i64) -> Result<Vec<WebhookDelivery>> {
    policy::administer(actor)?;
    Ok(app.stores.webhooks.deliveries(id, 100).await?)
}

/// Sends a delivery again (same message id and body, fresh timestamp and signature).
pub async fn replay(app: &App, actor: &Actor, delivery: i64) -> Result<()> {
    policy::administer(actor)?;
    app.stores
        .webhooks
        .replay_delivery(delivery, app.now())
        .await?;
    app.worker_wake.notify_one();
    Ok(())
}

/// Queues `data` for every endpoint following `event`, as the Standard Webhooks
/// body `{"type", "timestamp", "data"}`, and wakes this node's worker. Failures are
/// logged: the newsroom's action is done and must not fail for its syndication.
async fn queue(app: &App, event: &str, article: ArticleId, data: serde_json::Value) {
    let now = app.now();
    let payload = json!({
        "type": event,
        "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": data,
    })
    .to_string();
    if let Err(e) = app
        .stores
        .webhooks
        .enqueue_deliveries(event, Some(article.0), &payload, now)
        .await
    {
        tracing::warn!(error = %e, event, "cannot queue webhook deliveries");
    }
    app.worker_wake.notify_one();
}

/// After a change readers see: webhooks for `event` with the article's ninjs, and
/// the WebSub hub pinged for the feeds it appears in. Errors are logged: the
/// newsroom's action is done and must not fail for its syndication.
pub async fn article_event(app: &App, event: &str, article: &Article) {
    let now = app.now();
    let site = app.site();
    let public = article.is_public_at(now);
    // Nothing leaves before its time: only public articles, and notices of
    // unpublication (which carry no text).
    let data = if event == "article.unpublished" {
        crate::ninjs::canceled(&site, article)
    } else if public {
        crate::ninjs::article(&site, article, now)
    } else {
        return;
    };
    queue(app, event, article.id, data).await;
    if event.starts_with("article.") {
        websub_ping(app, article).await;
    }
}

/// A live's new entry, as a ninjs object of its own associated with the live.
pub async fn live_entry(app: &App, live: &Article, entry: &kiosque_domain::LiveEntry) {
    let now = app.now();
    if !live.is_public_at(now) {
        return;
    }
    let site = app.site();
    let live_doc = crate::ninjs::article(&site, live, now);
    let mut headlines = Vec::new();
    if let Some(title) = entry.title.as_deref().filter(|t| !t.is_empty()) {
        headlines.push(json!({"role": "main", "value": title}));
    }
    let mut data = json!({
        "uri": format!("{}:entry:{}", crate::ninjs::uri(&site, live.id, live.created_at), entry.id.0),
        "type": "text",
        "representationType": "full",
        "profile": "kiosque-live-entry",
        "version": entry.revision.to_string(),
        "firstCreated": entry.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "versionCreated": entry.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "pubStatus": "usable",
        "language": live.language,
        "by": entry.author_name,
        "bodies": [{"role": "main", "contentType": "text/html", "value": entry.body_html}],
        "altIds": [
            {"role": "kiosque-entry-number", "value": entry.seq.to_string()},
            {"role": "canonical-url", "value": site.absolute(&entry.permalink(&live.canonical_path()))},
        ],
        "associations": [{
            "name": "live",
            "rel": "partOf",
            "uri": live_doc["uri"],
            "type": "text",
            "headlines": live_doc["headlines"],
        }],
    });
    if !headlines.is_empty() {
        data["headlines"] = serde_json::Value::Array(headlines);
    }
    if let Some(credit) = entry.credit.as_deref().filter(|c| !c.is_empty()) {
        data["infoSources"] = json!([{"name": credit, "role": "source"}]);
    }
    queue(app, "live.entry", live.id, data).await;
    websub_ping(app, live).await;
}

/// A comment was reported: its id and article (no reader's data).
pub async fn comment_reported(app: &App, comment: i64, article: &Article, reason: &str) {
    let data = json!({
        "comment_id": comment,
        "article_id": article.id.0,
        "article_url": app.site().absolute(&article.canonical_path()),
        "reason": reason,
    });
    queue(app, "comment.reported", article.id, data).await;
}

/// The worker's part: one attempt at delivery `id` (`attempt` counts from 1). An
/// error asks the worker to try again later (its backoff); the last attempt's
/// failure is recorded as such.
pub async fn deliver(app: &App, id: i64, attempt: i64) -> std::result::Result<(), String> {
    let delivery = match app.stores.webhooks.delivery(id).await {
        Ok(d) => d,
        Err(kiosque_domain::StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    if delivery.state != DeliveryState::Pending {
        return Ok(());
    }
    let hook = match app.stores.webhooks.webhook(delivery.webhook_id).await {
        Ok(h) => h,
        Err(kiosque_domain::StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    let now = app.now();
    // An article no longer public by its turn (unpublished, or back to draft) is not
    // sent out (its unpublication notice is).
    if delivery.event != "article.unpublished"
        && delivery.event != "comment.reported"
        && let Some(article) = delivery.article_id
    {
        let public = match app
            .stores
            .articles
            .article(kiosque_domain::ArticleId(article))
            .await
        {
            Ok(a) => a.is_public_at(now),
            Err(kiosque_domain::StoreError::NotFound) => false,
            Err(e) => return Err(e.to_string()),
        };
        if !public {
            let withheld = Attempt {
                status: None,
                error: Some("the article is no longer public".into()),
                duration_ms: 0,
                state: DeliveryState::Withheld,
            };
            return app
                .stores
                .webhooks
                .record_attempt(id, &withheld, now)
                .await
                .map_err(|e| e.to_string());
        }
    }
    let started = std::time::Instant::now();
    let result = post(app, &hook, &delivery).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let last = attempt >= MAX_ATTEMPTS;
    let (state, status, error) = match &result {
        Ok(s) if (200..300).contains(s) => (DeliveryState::Delivered, Some(*s), None),
        Ok(s) => (
            if last {
                DeliveryState::Failed
            } else {
                DeliveryState::Pending
            },
            Some(*s),
            Some(format!("HTTP {s}")),
        ),
        Err(e) => (
            if last {
                DeliveryState::Failed
            } else {
                DeliveryState::Pending
            },
            None,
            Some(e.clone()),
        ),
    };
    app.stores
        .webhooks
        .record_attempt(
            id,
            &Attempt {
                status,
                error: error.clone(),
                duration_ms,
                state,
            },
            app.now(),
        )
        .await
        .map_err(|e| e.to_string())?;
    metrics::counter!("kiosque_webhook_attempts_total", "state" => state.as_str()).increment(1);
    match (state, error) {
        (DeliveryState::Pending, Some(e)) => Err(e),
        _ => Ok(()),
    }
}

async fn post(
    app: &App,
    hook: &Webhook,
    delivery: &WebhookDelivery,
) -> std::result::Result<u16, String> {
    let address = resolve(&hook.url, app.outbound.allow_private).await?;
    let (host, _) = host_port(&hook.url).ok_or("not an http(s) URL")?;
    let timestamp = crate::Clock::System.now().timestamp();
    let signature = signature(
        &hook.secret,
        &delivery.message_id,
        timestamp,
        &delivery.payload,
    )
    .ok_or("the endpoint's secret is unreadable")?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Connect to the address checked above, never to another the name resolves to
    // by then; no redirects followed.
    let client = reqwest::Client::builder()
        .resolve(&host, address)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .post(&hook.url)
        .header("content-type", "application/json")
        .header("user-agent", "Kiosque-Webhooks/1")
        .header("webhook-id", &delivery.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(|e| {
            // Never the URL (it may hold a token): the kind of failure only.
            if e.is_timeout() {
                "timed out".to_owned()
            } else if e.is_connect() {
                "cannot connect".to_owned()
            } else {
                "request failed".to_owned()
            }
        })?;
    Ok(response.status().as_u16())
}

/// The feeds an article appears in: the site's, its section's (and their parents'),
/// its tags' and its contributors', each in RSS, Atom and JSON Feed; and a live's own.
pub fn feeds_of(app: &App, article: &Article) -> Vec<String> {
    let site = app.site();
    let mut bases = vec!["/".to_owned()];
    for path in kiosque_domain::url::section_ancestry(&article.section.path) {
        bases.push(kiosque_domain::url::section_path(path));
    }
    bases.extend(
        article
            .tags
            .iter()
            .map(|t| kiosque_domain::url::tag_path(t.slug.as_str())),
    );
    bases.extend(
        article
            .contributors
            .iter()
            .map(|c| kiosque_domain::url::contributor_path(c.slug.as_str())),
    );
    let mut feeds = Vec::new();
    if article.kind == kiosque_domain::ArticleKind::Live {
        for name in ["rss.xml", "atom.xml"] {
            feeds.push(site.absolute(&format!("/direct/{}/{name}", article.id.0)));
        }
    }
    for base in bases {
        for name in ["rss.xml", "atom.xml", "feed.json"] {
            feeds.push(site.absolute(&format!("{}{name}", base)));
        }
    }
    feeds
}

/// Queues a ping of the hub for the feeds an article appears in.
pub async fn websub_ping(app: &App, article: &Article) {
    if app.outbound.websub_hub.is_none() {
        return;
    }
    let feeds = feeds_of(app, article);
    let payload = serde_json::to_string(&feeds).unwrap_or_default();
    let now = app.now();
    if let Err(e) = app
        .stores
        .jobs
        .enqueue(WEBSUB_JOB, &payload, now, now)
        .await
    {
        tracing::warn!(error = %e, "cannot queue the WebSub ping");
    }
    app.worker_wake.notify_one();
}

/// The worker's part: `hub.mode=publish` with every `hub.url` (the hub is the
/// operator's configuration, not a user's choice).
pub async fn ping_hub(app: &App, feeds: &[String]) -> std::result::Result<(), String> {
    let Some(hub) = app.outbound.websub_hub.as_deref() else {
        return Ok(());
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| e.to_string())?;
    let mut form: Vec<(&str, &str)> = vec![("hub.mode", "publish")];
    form.extend(feeds.iter().map(|f| ("hub.url", f.as_str())));
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let response = client
        .post(hub)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|_| "cannot reach the WebSub hub".to_owned())?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("the WebSub hub answered {}", response.status()))
    }
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn signatures_follow_the_standard_webhooks_example() {
        let sig = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_have_the_whsec_form() {
        let s = new_secret();
        assert!(s.starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&s[6..]).unwrap().len(), 24);
        assert_ne!(s, new_secret());
    }

    #[tokio::test]
    async fn private_endpoints_are_refused_unless_allowed() {
        assert!(resolve("http://127.0.0.1:9/x", false).await.is_err());
        assert!(resolve("http://[::1]:9/x", false).await.is_err());
        assert!(
            resolve("http://169.254.169.254/latest", false)
                .await
                .is_err()
        );
        assert!(resolve("http://127.0.0.1:9/x", true).await.is_ok());
    }
}
