//! Push alerts: readers subscribe their browser to topics ("alertes" for breaking
//! news, and each top-level section); editors send an alert; the worker fans it out
//! to every subscription following one of its topics, each once, encrypted for that
//! browser (RFC 8291) and signed with the site's VAPID key (RFC 8292), straight to
//! the browser's push service — only to push services on the allow-list.

use crate::app::App;
use crate::error::{Error, Result};
use crate::policy::{self, Actor};
use crate::push::{self, ClientKeys, Vapid};
use chrono::{DateTime, Duration, Utc};
use kiosque_domain::alert::{
    self as domain, Alert, AlertError, BREAKING, Delivery, DeliveryOutcome, NewAlert,
};
use std::collections::HashMap;

/// Where the VAPID key pair is kept (`site_meta`), the same for every node.
const VAPID_KEY: &str = "push.vapid_pkcs8";
/// Deliveries claimed and sent at once.
const BATCH: u32 = 256;
/// Attempts at one delivery before it is given up.
const MAX_ATTEMPTS: i64 = 5;
/// How long a push service keeps an alert for a browser that is offline.
const TTL_SECONDS: u32 = 4 * 3600;
/// A delivery claimed this long ago and never finished was a crashed worker's.
const CLAIM_LEASE_SECONDS: i64 = 120;
/// The longest endpoint accepted.
const MAX_ENDPOINT: usize = 2048;

/// The site's VAPID keys: read from the database, made there on first use (of two
/// nodes making them at once, the last write is everyone's: both read it back).
pub async fn vapid(app: &App) -> Result<Vapid> {
    let stored = match app.stores.meta.meta(VAPID_KEY).await? {
        Some(key) => key,
        None => {
            let made = Vapid::generate().map_err(|e| Error::Internal(e.to_string()))?;
            app.stores.meta.set_meta(VAPID_KEY, &made).await?;
            app.stores
                .meta
                .meta(VAPID_KEY)
                .await?
                .ok_or_else(|| Error::Internal("the VAPID key vanished".into()))?
        }
    };
    Vapid::from_stored(&stored).map_err(|e| Error::Internal(e.to_string()))
}

/// The public key browsers subscribe with (`applicationServerKey`).
pub async fn public_key(app: &App) -> Result<String> {
    Ok(vapid(app).await?.public_key())
}

/// The topics this site offers: breaking news, then each top-level section's slug.
pub async fn topics(app: &App) -> Result<Vec<(String, String)>> {
    let mut topics = vec![(BREAKING.to_owned(), String::new())];
    for section in app.stores.taxonomy.sections().await? {
        if section.parent_id.is_none() {
            topics.push((section.slug.as_str().to_owned(), section.name));
        }
    }
    Ok(topics)
}

async fn offered(app: &App) -> Result<Vec<String>> {
    Ok(topics(app)
        .await?
        .into_iter()
        .map(|(slug, _)| slug)
        .collect())
}

/// A browser's `PushSubscription` and the topics it follows.
#[derive(Debug, Clone, Default)]
pub struct Subscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub topics: Vec<String>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> Error {
    Error::invalid(field, "alerts-error-subscription", message)
}

/// Records a subscription; an endpoint outside the allowed push services is refused
/// (so no one can have the site post to an address of their choosing).
pub async fn subscribe(app: &App, sub: Subscription) -> Result<()> {
    if sub.endpoint.len() > MAX_ENDPOINT {
        return Err(invalid("endpoint", "the endpoint is too long"));
    }
    if !push::allowed(&sub.endpoint, &app.push_services) {
        return Err(invalid(
            "endpoint",
            "the endpoint is not on one of the push services this site sends to",
        ));
    }
    ClientKeys::parse(&sub.p256dh, &sub.auth).map_err(|e| invalid("keys", e))?;
    let offered = offered(app).await?;
    let mut topics = sub.topics;
    if topics.is_empty() {
        topics.push(BREAKING.to_owned());
    }
    topics.sort();
    topics.dedup();
    if topics.len() > domain::MAX_TOPICS || topics.iter().any(|t| !offered.contains(t)) {
        return Err(invalid("topics", "unknown topic"));
    }
    app.stores
        .alerts
        .subscribe(&sub.endpoint, &sub.p256dh, &sub.auth, &topics, app.now())
        .await?;
    Ok(())
}

/// Forgets a subscription (the browser unsubscribed); whether there was one.
pub async fn unsubscribe(app: &App, endpoint: &str) -> Result<bool> {
    Ok(app.stores.alerts.unsubscribe(endpoint).await?)
}

/// Checks an alert as it would be sent (for the back office's preview step).
pub async fn check(app: &App, actor: &Actor, alert: NewAlert) -> Result<NewAlert> {
    policy::publish(actor)?;
    let offered = offered(app).await?;
    alert.cleaned(&app.site().base_url, &offered).map_err(|e| {
        let (field, key) = match e {
            AlertError::Title => ("title", "alerts-error-title"),
            AlertError::Body => ("body", "alerts-error-body"),
            AlertError::Url => ("url", "alerts-error-url"),
            AlertError::Topics => ("topics", "alerts-error-topics"),
        };
        Error::invalid(field, key, e.to_string())
    })
}

/// Sends an alert: editors; written with its deliveries and its job at once, audited.
pub async fn send(app: &App, actor: &Actor, alert: NewAlert) -> Result<Alert> {
    let alert = check(app, actor, alert).await?;
    let stored = app
        .stores
        .alerts
        .create_alert(&alert, Some(actor.id()), app.now())
        .await?;
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            "alert.send",
            &stored.id.to_string(),
            &format!(
                "{} → {} ({})",
                alert.title,
                alert.topics.join(","),
                actor.via.as_str()
            ),
            app.now(),
        )
        .await?;
    Ok(stored)
}

/// The latest alerts with their counts.
pub async fn list(app: &App, actor: &Actor, limit: u32) -> Result<Vec<Alert>> {
    policy::publish(actor)?;
    Ok(app.stores.alerts.alerts(limit).await?)
}

/// What one fan-out run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FanOut {
    pub sent: usize,
    pub retried: usize,
    pub gone: usize,
    pub failed: usize,
}

/// When to try again after `attempts`: `Retry-After` if the service said, else
/// 30 s doubling, at most an hour.
fn retry_at(now: DateTime<Utc>, attempts: i64, retry_after: Option<&str>) -> DateTime<Utc> {
    let said = retry_after.and_then(|v| {
        v.trim()
            .parse::<i64>()
            .ok()
            .map(|s| now + Duration::seconds(s.clamp(0, 86_400)))
            .or_else(|| {
                DateTime::parse_from_rfc2822(v.trim())
                    .ok()
                    .map(|d| d.with_timezone(&Utc))
            })
    });
    said.unwrap_or_else(|| now + Duration::seconds((30i64 << attempts.clamp(0, 7)).min(3600)))
}

/// What a push service's answer means for the delivery.
fn outcome(
    status: Option<u16>,
    retry_after: Option<&str>,
    attempts: i64,
    now: DateTime<Utc>,
) -> DeliveryOutcome {
    let retry = || {
        if attempts + 1 >= MAX_ATTEMPTS {
            DeliveryOutcome::Failed
        } else {
            DeliveryOutcome::Retry {
                at: retry_at(now, attempts, retry_after),
            }
        }
    };
    match status {
        Some(s) if (200..300).contains(&s) => DeliveryOutcome::Sent,
        Some(404 | 410) => DeliveryOutcome::Gone,
        Some(429) | Some(500..=599) | None => retry(),
        Some(_) => DeliveryOutcome::Failed,
    }
}

/// Sends alert `id` to every subscription still waiting for it, in batches of
/// concurrent requests over pooled connections. A delivery put off is due again at
/// its own time; when any is, the fan-out is queued again for then.
pub async fn fan_out(app: &App, id: i64, now: DateTime<Utc>) -> Result<FanOut> {
    let alert = app.stores.alerts.alert(id).await?;
    let payload = serde_json::json!({
        "title": alert.content.title,
        "body": alert.content.body,
        "url": alert.content.url,
    })
    .to_string();
    let vapid = std::sync::Arc::new(vapid(app).await?);
    let subject = app.site().base_url.clone();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(15))
        .pool_max_idle_per_host(BATCH as usize)
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut tokens: HashMap<String, String> = HashMap::new();
    let mut done = FanOut::default();
    loop {
        let clock = app.now();
        let batch = app
            .stores
            .alerts
            .claim_deliveries(
                id,
                clock,
                clock - Duration::seconds(CLAIM_LEASE_SECONDS),
                BATCH,
            )
            .await?;
        if batch.is_empty() {
            break;
        }
        // VAPID tokens per push service, made once a run.
        for d in &batch {
            if let Some(origin) = push::origin(&d.endpoint)
                && !tokens.contains_key(&origin)
            {
                // Push services check the expiry against the real time.
                let expires = crate::Clock::System.now() + Duration::hours(12);
                let header = vapid
                    .authorization(&origin, &subject, expires.timestamp())
                    .map_err(|e| Error::Internal(e.to_string()))?;
                tokens.insert(origin, header);
            }
        }
        // Encryption is CPU work: the whole batch on a blocking thread.
        let bodies = {
            let batch = batch.clone();
            let payload = payload.clone();
            tokio::task::spawn_blocking(move || {
                batch
                    .iter()
                    .map(|d| {
                        ClientKeys::parse(&d.p256dh, &d.auth)
                            .ok()
                            .and_then(|keys| push::encrypt(&keys, payload.as_bytes()).ok())
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
        };
        let mut requests = tokio::task::JoinSet::new();
        for (d, body) in batch.into_iter().zip(bodies) {
            let auth = push::origin(&d.endpoint).and_then(|o| tokens.get(&o).cloned());
            let allowed = push::allowed(&d.endpoint, &app.push_services);
            let client = client.clone();
            let topic = format!("alerte-{id}");
            requests.spawn(async move {
                let status = match (body, auth) {
                    // No endpoint (the subscription went meanwhile) or unreadable keys.
                    _ if d.endpoint.is_empty() => return (d, Some(410), None),
                    // A service taken off the allow-list since: nothing is posted.
                    _ if !allowed => return (d, Some(403), None),
                    (Some(body), Some(auth)) => {
                        client
                            .post(&d.endpoint)
                            .header("TTL", TTL_SECONDS.to_string())
                            .header("Urgency", "high")
                            .header("Topic", topic)
                            .header("Content-Encoding", "aes128gcm")
                            .header("Content-Type", "application/octet-stream")
                            .header("Authorization", auth)
                            .body(body)
                            .send()
                            .await
                    }
                    _ => return (d, Some(400), None),
                };
                match status {
                    Ok(response) => {
                        let retry_after = response
                            .headers()
                            .get("retry-after")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        (d, Some(response.status().as_u16()), retry_after)
                    }
                    Err(_) => (d, None, None),
                }
            });
        }
        let mut outcomes = Vec::new();
        while let Some(result) = requests.join_next().await {
            let (d, status, retry_after): (Delivery, Option<u16>, Option<String>) =
                result.map_err(|e| Error::Internal(e.to_string()))?;
            let result = outcome(status, retry_after.as_deref(), d.attempts, app.now());
            match result {
                DeliveryOutcome::Sent => done.sent += 1,
                DeliveryOutcome::Retry { .. } => done.retried += 1,
                DeliveryOutcome::Gone => done.gone += 1,
                DeliveryOutcome::Failed => done.failed += 1,
            }
            outcomes.push((d.subscription_id, result));
        }
        app.stores.alerts.finish_deliveries(id, &outcomes).await?;
        metrics::counter!("kiosque_push_sent_total").increment(
            outcomes
                .iter()
                .filter(|(_, o)| *o == DeliveryOutcome::Sent)
                .count() as u64,
        );
    }
    if let Some(next) = app.stores.alerts.next_retry(id).await? {
        app.stores
            .jobs
            .enqueue(domain::PUSH_JOB, &id.to_string(), next.max(now), app.now())
            .await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn answers_decide_each_delivery() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 15, 0, 0).unwrap();
        assert_eq!(outcome(Some(201), None, 0, now), DeliveryOutcome::Sent);
        assert_eq!(outcome(Some(410), None, 0, now), DeliveryOutcome::Gone);
        assert_eq!(outcome(Some(404), None, 0, now), DeliveryOutcome::Gone);
        assert_eq!(outcome(Some(403), None, 0, now), DeliveryOutcome::Failed);
        assert_eq!(
            outcome(Some(429), Some("120"), 0, now),
            DeliveryOutcome::Retry {
                at: now + Duration::seconds(120)
            }
        );
        assert_eq!(
            outcome(Some(503), None, 1, now),
            DeliveryOutcome::Retry {
                at: now + Duration::seconds(60)
            }
        );
        assert_eq!(
            outcome(None, None, MAX_ATTEMPTS - 1, now),
            DeliveryOutcome::Failed
        );
    }
}
