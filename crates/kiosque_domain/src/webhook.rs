//! Webhooks: partners' endpoints, the events they follow, and one delivery record per
//! event and endpoint (payload, attempts, last answer), kept for the log and replays.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The job that delivers one webhook message (payload: the delivery's id).
pub const DELIVERY_JOB: &str = "webhook_delivery";
/// The job that pings the WebSub hub (payload: the feeds' URLs, as JSON).
pub const WEBSUB_JOB: &str = "websub_ping";

/// The events an endpoint may follow.
pub const EVENTS: [&str; 6] = [
    "article.published",
    "article.updated",
    "article.corrected",
    "article.unpublished",
    "live.entry",
    "comment.reported",
];

/// The longest endpoint URL accepted.
pub const MAX_URL: usize = 2048;

/// Why an endpoint cannot be registered as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the address must be an http or https URL of at most {MAX_URL} characters")]
    Url,
    #[error("name at least one event among {}", EVENTS.join(", "))]
    Events,
}

/// An endpoint to register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<String>,
}

impl NewWebhook {
    /// Checks the URL's form (not where it points: that is the application's, at
    /// registration and at each delivery) and the events.
    pub fn cleaned(mut self) -> Result<Self, WebhookError> {
        self.url = self.url.trim().to_owned();
        let lower = self.url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or(WebhookError::Url)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty()
            || host.contains('@')
            || self.url.len() > MAX_URL
            || self
                .url
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(WebhookError::Url);
        }
        self.events.sort();
        self.events.dedup();
        if self.events.is_empty() || self.events.iter().any(|e| !EVENTS.contains(&e.as_str())) {
            return Err(WebhookError::Events);
        }
        Ok(self)
    }
}

/// An endpoint as stored. The secret is the `whsec_…` form, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub secret: String,
    pub created_at: DateTime<Utc>,
}

impl Webhook {
    pub fn follows(&self, event: &str) -> bool {
        self.events.iter().any(|e| e == event)
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Waiting for its first attempt or a retry.
    Pending,
    Delivered,
    /// Out of attempts.
    Failed,
    /// Not sent: its article was no longer public when its turn came.
    Withheld,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Withheld => "withheld",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "delivered" => Self::Delivered,
            "failed" => Self::Failed,
            "withheld" => Self::Withheld,
            _ => Self::Pending,
        }
    }
}

/// One message to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    pub id: i64,
    pub webhook_id: i64,
    /// `webhook-id`: the same for a replay, so receivers can drop duplicates.
    pub message_id: String,
    pub event: String,
    pub article_id: Option<i64>,
    /// The JSON body sent.
    pub payload: String,
    pub state: DeliveryState,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub duration_ms: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// What one attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub state: DeliveryState,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_http_urls_following_known_events() {
        let hook = |url: &str, events: &[&str]| {
            NewWebhook {
                url: url.into(),
                events: events.iter().map(|e| (*e).to_owned()).collect(),
            }
            .cleaned()
        };
        let ok = hook(
            " https://partner.example/hooks ",
            &["article.published", "article.published"],
        )
        .unwrap();
        assert_eq!(ok.url, "https://partner.example/hooks");
        assert_eq!(ok.events, vec!["article.published".to_owned()]);
        assert_eq!(
            hook("ftp://x.example/", &["live.entry"]),
            Err(WebhookError::Url)
        );
        assert_eq!(
            hook("https://user@x.example/", &["live.entry"]),
            Err(WebhookError::Url)
        );
        assert_eq!(
            hook("https://x.example/", &["article.deleted"]),
            Err(WebhookError::Events)
        );
        assert_eq!(hook("https://x.example/", &[]), Err(WebhookError::Events));
    }
}
