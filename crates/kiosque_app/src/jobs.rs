//! Durable jobs, typed: what the worker may be asked to do, and how each kind is
//! kept in the jobs table (a kind name and a text payload).

use crate::mail::Mail;
use kiosque_domain::ArticleId;
use kiosque_domain::alert::PUSH_JOB;
use kiosque_domain::newsletter::SEND_JOB;
use kiosque_domain::store::{Job, MAIL_JOB, PUBLISH_JOB};
use kiosque_domain::webhook::{DELIVERY_JOB, WEBSUB_JOB};

/// A job the worker runs.
#[derive(Debug, Clone, PartialEq)]
pub enum JobKind {
    /// Publish a scheduled article once its time has come.
    PublishScheduled(ArticleId),
    /// Send a message whose first sending failed (never one carrying a secret link).
    SendMail(Mail),
    /// Fan a push alert out to its subscriptions (those still waiting for it).
    PushAlert(i64),
    /// Send a newsletter edition to its recipients still waiting for it.
    SendEdition(i64),
    /// Deliver one webhook message.
    DeliverWebhook(i64),
    /// Ping the WebSub hub for these feeds.
    PingHub(Vec<String>),
}

impl JobKind {
    /// The kind name and payload stored in the jobs table.
    pub fn to_row(&self) -> Result<(&'static str, String), serde_json::Error> {
        Ok(match self {
            Self::PublishScheduled(id) => (PUBLISH_JOB, id.0.to_string()),
            Self::SendMail(mail) => (MAIL_JOB, serde_json::to_string(mail)?),
            Self::PushAlert(id) => (PUSH_JOB, id.to_string()),
            Self::SendEdition(id) => (SEND_JOB, id.to_string()),
            Self::DeliverWebhook(id) => (DELIVERY_JOB, id.to_string()),
            Self::PingHub(feeds) => (WEBSUB_JOB, serde_json::to_string(feeds)?),
        })
    }

    /// Reads a stored job back; an unknown kind or a broken payload is an error the
    /// worker records on the job (shown on the dashboard), never a panic.
    pub fn from_job(job: &Job) -> Result<Self, String> {
        match job.kind.as_str() {
            PUBLISH_JOB => job
                .payload
                .parse::<i64>()
                .map(|id| Self::PublishScheduled(ArticleId(id)))
                .map_err(|_| format!("invalid article id {:?}", job.payload)),
            MAIL_JOB => serde_json::from_str(&job.payload)
                .map(Self::SendMail)
                .map_err(|e| format!("invalid message: {e}")),
            PUSH_JOB => job
                .payload
                .parse::<i64>()
                .map(Self::PushAlert)
                .map_err(|_| format!("invalid alert id {:?}", job.payload)),
            SEND_JOB => job
                .payload
                .parse::<i64>()
                .map(Self::SendEdition)
                .map_err(|_| format!("invalid edition id {:?}", job.payload)),
            DELIVERY_JOB => job
                .payload
                .parse::<i64>()
                .map(Self::DeliverWebhook)
                .map_err(|_| format!("invalid delivery id {:?}", job.payload)),
            WEBSUB_JOB => serde_json::from_str(&job.payload)
                .map(Self::PingHub)
                .map_err(|e| format!("invalid feeds: {e}")),
            other => Err(format!("unknown job kind {other:?}")),
        }
    }
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and environment"
)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn job(kind: &str, payload: &str) -> Job {
        Job {
            id: 1,
            kind: kind.into(),
            payload: payload.into(),
            run_at: Utc::now(),
            attempts: 1,
            status: "running".into(),
            last_error: None,
        }
    }

    #[test]
    fn kinds_round_trip_through_the_table() {
        let mail = JobKind::SendMail(Mail {
            to: "lea@example.org".into(),
            subject: "Réponse".into(),
            text: "Bonjour".into(),
            link: None,
        });
        for kind in [
            JobKind::PublishScheduled(ArticleId(42)),
            mail,
            JobKind::SendEdition(7),
            JobKind::DeliverWebhook(9),
            JobKind::PingHub(vec!["http://127.0.0.1/rss.xml".into()]),
        ] {
            let (name, payload) = kind.to_row().unwrap();
            assert_eq!(JobKind::from_job(&job(name, &payload)).unwrap(), kind);
        }
    }

    #[test]
    fn unknown_or_broken_jobs_are_errors() {
        assert!(JobKind::from_job(&job("publish_scheduled", "x")).is_err());
        assert!(JobKind::from_job(&job("send_mail", "{")).is_err());
        assert!(JobKind::from_job(&job("reindex", "")).is_err());
    }
}
