//! Push alerts: readers' Web Push subscriptions by topic, the alerts editors send, and
//! one delivery record per alert and subscription, so that each subscription gets an
//! alert once however often the fan-out is interrupted.

use crate::staff::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The breaking-news topic; the others are the top-level sections' slugs.
pub const BREAKING: &str = "alertes";
/// The job that fans an alert out (payload: the alert's id).
pub const PUSH_JOB: &str = "push_alert";
/// An alert's title and body, at most (characters).
pub const MAX_TITLE: usize = 80;
pub const MAX_BODY: usize = 160;
/// Topics one subscription may follow, at most.
pub const MAX_TOPICS: usize = 32;

/// A browser's subscription, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    pub id: i64,
    pub endpoint: String,
    /// base64url, as the browser gave them.
    pub p256dh: String,
    pub auth: String,
    pub topics: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// An alert to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAlert {
    pub title: String,
    pub body: String,
    /// An absolute URL of the site.
    pub url: String,
    pub topics: Vec<String>,
}

/// Why an alert cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertError {
    #[error("the title is empty or longer than {MAX_TITLE} characters")]
    Title,
    #[error("the text is empty or longer than {MAX_BODY} characters")]
    Body,
    #[error("the link must be an address of this site")]
    Url,
    #[error("name at least one topic this site offers")]
    Topics,
}

impl NewAlert {
    /// Trims the words and checks them: the URL must start with `base_url` (the site's
    /// own address; a path is made absolute), and each topic be one of `offered`.
    pub fn cleaned(mut self, base_url: &str, offered: &[String]) -> Result<Self, AlertError> {
        self.title = self.title.trim().to_owned();
        self.body = self.body.trim().to_owned();
        let within = |s: &str, max: usize| !s.is_empty() && s.chars().count() <= max;
        if !within(&self.title, MAX_TITLE) {
            return Err(AlertError::Title);
        }
        if !within(&self.body, MAX_BODY) {
            return Err(AlertError::Body);
        }
        let base = base_url.trim_end_matches('/');
        let url = self.url.trim();
        self.url = if url.starts_with('/') && !url.starts_with("//") {
            format!("{base}{url}")
        } else {
            url.to_owned()
        };
        let rest = self.url.strip_prefix(base).ok_or(AlertError::Url)?;
        if !(rest.is_empty() || rest.starts_with('/'))
            || self
                .url
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(AlertError::Url);
        }
        self.topics.sort();
        self.topics.dedup();
        if self.topics.is_empty() || self.topics.iter().any(|t| !offered.contains(t)) {
            return Err(AlertError::Topics);
        }
        Ok(self)
    }
}

/// An alert as stored, with the counts of its fan-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub id: i64,
    pub content: NewAlert,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    /// Subscriptions it was addressed to.
    pub recipients: i64,
    pub sent: i64,
    /// Attempts put off (429, 5xx, network) and tried again.
    pub retried: i64,
    /// Subscriptions gone (404, 410): deleted.
    pub dropped: i64,
    /// Given up after the last attempt, or refused for good.
    pub failed: i64,
}

impl Alert {
    pub fn pending(&self) -> i64 {
        self.recipients - self.sent - self.dropped - self.failed
    }
}

/// A delivery to make: the subscription it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub subscription_id: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Sent,
    /// Put off until `at` (429, 5xx, the network).
    Retry {
        at: DateTime<Utc>,
    },
    /// The push service says the subscription is gone (404, 410): it is deleted.
    Gone,
    /// Refused for good, or out of attempts.
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(url: &str) -> NewAlert {
        NewAlert {
            title: " Séisme en Italie ".into(),
            body: "Un séisme de magnitude 6 a frappé le centre du pays.".into(),
            url: url.into(),
            topics: vec!["alertes".into(), "monde".into(), "alertes".into()],
        }
    }

    #[test]
    fn alerts_link_to_the_site_and_name_offered_topics() {
        let offered = vec!["alertes".to_owned(), "monde".to_owned()];
        let base = "https://www.example.org";
        let ok = alert("/monde/seisme_12.html")
            .cleaned(base, &offered)
            .unwrap();
        assert_eq!(ok.url, "https://www.example.org/monde/seisme_12.html");
        assert_eq!(ok.title, "Séisme en Italie");
        assert_eq!(ok.topics, ["alertes", "monde"]);
        for bad in [
            "https://evil.example/x",
            "https://www.example.org.evil.example/x",
            "//evil.example/x",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                alert(bad).cleaned(base, &offered),
                Err(AlertError::Url),
                "{bad}"
            );
        }
        let mut long = alert("/");
        long.title = "x".repeat(MAX_TITLE + 1);
        assert_eq!(long.cleaned(base, &offered), Err(AlertError::Title));
        let mut unknown = alert("/");
        unknown.topics = vec!["sport".into()];
        assert_eq!(unknown.cleaned(base, &offered), Err(AlertError::Topics));
    }
}
