//! Newsletters: lists readers subscribe to (double opt-in, with a consent record),
//! editions composed from articles, and one send record per edition and subscriber,
//! so that an edition reaches each confirmed subscriber once whatever happens to the
//! process sending it. Addresses that failed for good are suppressed.

use crate::ArticleId;
use crate::comment::ReaderId;
use crate::slug::Slug;
use crate::staff::{is_plausible_email, normalise_email};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The job that sends an edition (payload: the edition's id).
pub const SEND_JOB: &str = "newsletter_send";
/// Limits, in characters.
pub const MAX_NAME: usize = 120;
pub const MAX_DESCRIPTION: usize = 1000;
pub const MAX_SENDER: usize = 80;
pub const MAX_SUBJECT: usize = 200;
pub const MAX_INTRO: usize = 20_000;
/// Articles in one edition, at most.
pub const MAX_ARTICLES: usize = 30;

/// A newsletter to create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewNewsletter {
    pub name: String,
    /// Made from the name when empty.
    pub slug: String,
    pub description: String,
    /// The name mail comes from ("Le Matin de Kiosque"); the site's name when empty.
    pub sender_name: String,
    /// The usual sending time, `HH:MM` in the site's time zone.
    pub send_time: Option<String>,
}

/// Why a newsletter or an edition cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewsletterError {
    #[error("the name is empty or longer than {MAX_NAME} characters")]
    Name,
    #[error("the address must be lowercase letters, digits and hyphens")]
    Slug,
    #[error("the description is longer than {MAX_DESCRIPTION} characters")]
    Description,
    #[error("the sender's name is longer than {MAX_SENDER} characters or holds a line break")]
    Sender,
    #[error("the sending time must read HH:MM")]
    SendTime,
    #[error("the subject is empty or longer than {MAX_SUBJECT} characters")]
    Subject,
    #[error("the introduction is longer than {MAX_INTRO} characters")]
    Intro,
    #[error("an edition holds at most {MAX_ARTICLES} articles, each once")]
    Articles,
    #[error("this is not an e-mail address")]
    Email,
}

fn within(s: &str, max: usize) -> bool {
    s.chars().count() <= max
}

impl NewNewsletter {
    /// Trims and checks every field; the slug is made from the name when empty.
    pub fn cleaned(mut self) -> Result<Self, NewsletterError> {
        self.name = self.name.trim().to_owned();
        self.description = self.description.trim().to_owned();
        self.sender_name = self.sender_name.trim().to_owned();
        if self.name.is_empty() || !within(&self.name, MAX_NAME) {
            return Err(NewsletterError::Name);
        }
        let slug = self.slug.trim();
        self.slug = if slug.is_empty() {
            Slug::from_text(&self.name)
                .ok_or(NewsletterError::Slug)?
                .as_str()
                .to_owned()
        } else {
            Slug::parse(slug)
                .map_err(|_| NewsletterError::Slug)?
                .as_str()
                .to_owned()
        };
        if !within(&self.description, MAX_DESCRIPTION) {
            return Err(NewsletterError::Description);
        }
        if !within(&self.sender_name, MAX_SENDER) || self.sender_name.chars().any(char::is_control)
        {
            return Err(NewsletterError::Sender);
        }
        self.send_time = match self.send_time.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(
                chrono::NaiveTime::parse_from_str(t, "%H:%M")
                    .map_err(|_| NewsletterError::SendTime)?
                    .format("%H:%M")
                    .to_string(),
            ),
        };
        Ok(self)
    }
}

/// A newsletter, with its number of confirmed subscribers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Newsletter {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub sender_name: String,
    pub send_time: Option<String>,
    pub created_at: DateTime<Utc>,
    pub subscribers: i64,
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionState {
    /// Waiting for the address's owner to confirm (double opt-in).
    Pending,
    Confirmed,
    Unsubscribed,
}

impl SubscriptionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Unsubscribed => "unsubscribed",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "confirmed" => Self::Confirmed,
            "unsubscribed" => Self::Unsubscribed,
            _ => Self::Pending,
        }
    }
}

/// How someone agreed to receive a newsletter: kept with the subscription, given in
/// "download my data", erased with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub at: DateTime<Utc>,
    /// `form` (the public form, then the mailed confirmation) or `account` (a
    /// logged-in reader whose address is verified, in one click).
    pub method: String,
    /// The page the form was on (a path of the site).
    pub page: Option<String>,
}

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: i64,
    pub newsletter_id: i64,
    pub email: String,
    pub reader_id: Option<ReaderId>,
    pub state: SubscriptionState,
    pub consent: Consent,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

/// A subscription request, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRequest {
    pub newsletter_id: i64,
    pub email: String,
    pub reader_id: Option<ReaderId>,
    pub consent: Consent,
    /// Confirmed at once (a reader's verified address); otherwise pending with
    /// `confirm_hash` until the mailed link is used.
    pub confirmed: bool,
    pub confirm_hash: Option<String>,
    pub confirm_expires_at: Option<DateTime<Utc>>,
}

/// An address as subscriptions keep it: trimmed, lowercase, plausible.
pub fn subscriber_address(email: &str) -> Result<String, NewsletterError> {
    let email = normalise_email(email);
    if is_plausible_email(&email) {
        Ok(email)
    } else {
        Err(NewsletterError::Email)
    }
}

/// An edition to compose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEdition {
    pub subject: String,
    pub intro_markdown: String,
    /// In the order they appear.
    pub articles: Vec<ArticleId>,
}

impl NewEdition {
    pub fn cleaned(mut self) -> Result<Self, NewsletterError> {
        self.subject = self.subject.trim().to_owned();
        if self.subject.is_empty()
            || !within(&self.subject, MAX_SUBJECT)
            || self.subject.chars().any(char::is_control)
        {
            return Err(NewsletterError::Subject);
        }
        if !within(&self.intro_markdown, MAX_INTRO) {
            return Err(NewsletterError::Intro);
        }
        let mut seen = std::collections::HashSet::new();
        if self.articles.len() > MAX_ARTICLES || !self.articles.iter().all(|a| seen.insert(*a)) {
            return Err(NewsletterError::Articles);
        }
        Ok(self)
    }
}

/// Where an edition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditionState {
    Draft,
    /// Its send is queued for `send_at`.
    Scheduled,
    /// Recipients are fixed, mails are going out.
    Sending,
    Sent,
}

impl EditionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Sending => "sending",
            Self::Sent => "sent",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "scheduled" => Self::Scheduled,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            _ => Self::Draft,
        }
    }
}

/// An edition, with its counts once sending started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub id: i64,
    pub newsletter_id: i64,
    pub content: NewEdition,
    pub state: EditionState,
    pub send_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Bumped by every save: a stale save is refused.
    pub version: i64,
    pub counts: EditionCounts,
}

/// What became of an edition's mails.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionCounts {
    pub recipients: i64,
    pub sent: i64,
    pub pending: i64,
    pub failed: i64,
    /// Addresses suppressed before or by this edition (bounces, 5xx).
    pub suppressed: i64,
    /// Subscribers who left between the start of sending and their mail.
    pub skipped: i64,
    /// Subscribers who unsubscribed since the edition went out.
    pub unsubscribed_since: i64,
}

/// The mail of an edition, rendered once; `{{UNSUBSCRIBE}}` stands for each
/// recipient's own unsubscribe address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedEdition {
    pub html: String,
    pub text: String,
}

/// The placeholder replaced by each recipient's unsubscribe URL.
pub const UNSUBSCRIBE_PLACEHOLDER: &str = "{{UNSUBSCRIBE}}";

/// A mail to make: the subscription it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub subscription_id: i64,
    /// Empty when the subscription is gone or no longer confirmed.
    pub email: String,
    pub attempts: i64,
}

/// What became of one mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Sent,
    /// A temporary failure (4xx, the network): tried again at `at`.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// A permanent failure (5xx) or out of attempts: the address is suppressed.
    Failed {
        error: String,
        suppress: bool,
    },
    /// The address was suppressed already.
    Suppressed,
    /// The subscriber left, or the subscription is gone.
    Skipped,
}

/// One recipient's report in an RFC 3464 delivery status notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BounceReport {
    pub recipient: String,
    /// `failed`, `delayed`, `delivered`, `relayed`, `expanded`.
    pub action: String,
    /// `5.1.1` and the like.
    pub status: String,
    pub diagnostic: Option<String>,
}

impl BounceReport {
    /// A permanent failure: the address is suppressed.
    pub fn permanent(&self) -> bool {
        self.action.eq_ignore_ascii_case("failed") && self.status.starts_with('5')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsletters_are_checked_and_given_a_slug() {
        let n = NewNewsletter {
            name: "  Le Matin  ".into(),
            send_time: Some("7:05".into()),
            ..Default::default()
        }
        .cleaned()
        .unwrap();
        assert_eq!(n.slug, "le-matin");
        assert_eq!(n.send_time.as_deref(), Some("07:05"));
        let bad = |n: NewNewsletter| n.cleaned().unwrap_err();
        assert_eq!(
            bad(NewNewsletter {
                name: " ".into(),
                ..Default::default()
            }),
            NewsletterError::Name
        );
        assert_eq!(
            bad(NewNewsletter {
                name: "x".into(),
                slug: "Le Matin".into(),
                ..Default::default()
            }),
            NewsletterError::Slug
        );
        assert_eq!(
            bad(NewNewsletter {
                name: "x".into(),
                send_time: Some("25:00".into()),
                ..Default::default()
            }),
            NewsletterError::SendTime
        );
        assert_eq!(
            bad(NewNewsletter {
                name: "x".into(),
                sender_name: "a\r\nBcc: x@example.org".into(),
                ..Default::default()
            }),
            NewsletterError::Sender
        );
    }

    #[test]
    fn editions_hold_each_article_once() {
        let e = |articles: Vec<i64>, subject: &str| NewEdition {
            subject: subject.into(),
            intro_markdown: String::new(),
            articles: articles.into_iter().map(ArticleId).collect(),
        };
        assert!(e(vec![1, 2], "Le Matin du 2 décembre").cleaned().is_ok());
        assert_eq!(
            e(vec![1, 1], "x").cleaned().unwrap_err(),
            NewsletterError::Articles
        );
        assert_eq!(
            e(vec![], "a\nb").cleaned().unwrap_err(),
            NewsletterError::Subject
        );
    }

    #[test]
    fn addresses_are_normalised_or_refused() {
        assert_eq!(
            subscriber_address(" Lea@Example.ORG ").unwrap(),
            "lea@example.org"
        );
        assert!(subscriber_address("lea@example.org, x@example.org").is_err());
        assert!(subscriber_address("\"Léa\" <lea@example.org>").is_err());
    }

    #[test]
    fn only_permanent_failures_suppress() {
        let r = |action: &str, status: &str| BounceReport {
            recipient: "a@example.org".into(),
            action: action.into(),
            status: status.into(),
            diagnostic: None,
        };
        assert!(r("failed", "5.1.1").permanent());
        assert!(!r("delayed", "4.4.1").permanent());
        assert!(!r("failed", "4.2.2").permanent());
    }
}
