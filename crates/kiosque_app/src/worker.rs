//! The job worker, run inside `serve` (unless `--no-worker`) or alone by `kiosque
//! worker`: it claims due jobs from the jobs table every few seconds and runs them.
//! A failing job is retried with exponential backoff and shown on the dashboard; after
//! [`MAX_ATTEMPTS`] it is marked failed, never dropped. Jobs that came due while no
//! worker ran are run at start-up.
//!
//! Any number of workers share one database: a claim is a conditional `UPDATE` (with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL), so each job runs once, and a claim lasts a
//! lease, after which a job whose worker died is claimed again by another. On
//! shutdown a worker finishes the job in hand and gives back those it claimed but had
//! not started.

use crate::app::App;
use crate::jobs::JobKind;
use chrono::{DateTime, Duration, Utc};
use kiosque_domain::store::{Job, StoreError};

/// How often the worker looks for due jobs: a scheduled article goes live within this.
pub const TICK: std::time::Duration = std::time::Duration::from_secs(5);
/// A claimed job is someone else's to retry after this (a crashed worker), unless
/// `[jobs] lease_seconds` says otherwise.
pub const DEFAULT_LEASE_SECONDS: u64 = 60;
pub const MAX_ATTEMPTS: i64 = 8;

/// Delay before retry number `attempt` (1-based): 30 s, 1 min, 2 min… capped at 1 h.
pub fn backoff(attempt: i64) -> Duration {
    let exponent = u32::try_from(attempt.clamp(1, 8) - 1).unwrap_or(0);
    Duration::seconds(30 * 2_i64.pow(exponent)).min(Duration::hours(1))
}

/// How this process signs its claims: host name and process id (read once).
pub fn worker_name() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_owned())
            .unwrap_or_else(|_| "localhost".to_owned());
        format!("{host}/{}", std::process::id())
    })
}

#[derive(Clone, Debug)]
pub struct Worker {
    /// What jobs act on: publications go through [`crate::articles::publish_due`],
    /// retried mail through the app's mailer.
    pub app: App,
    /// How long a claim lasts before another worker may take the job.
    pub lease: Duration,
}

impl Worker {
    /// Runs until `stop` turns true, then returns once the job in hand is done.
    pub async fn run_until(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        while !*stop.borrow() {
            if let Err(e) = self.run_due_until(crate::Clock::System.now(), &stop).await {
                tracing::error!(error = %e, "job worker could not read the jobs table");
            }
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = self.app.worker_wake.notified() => {}
                _ = stop.changed() => {}
            }
        }
        tracing::info!("job worker stopped");
    }

    /// Claims and runs every job due at `now`; returns how many ran.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let (_keep, running) = tokio::sync::watch::channel(false);
        self.run_due_until(now, &running).await
    }

    async fn run_due_until(
        &self,
        now: DateTime<Utc>,
        stop: &tokio::sync::watch::Receiver<bool>,
    ) -> Result<usize, StoreError> {
        let mut ran = 0;
        loop {
            let jobs = self
                .app
                .stores
                .jobs
                .claim_due(worker_name(), now, now + self.lease, 20)
                .await?;
            if jobs.is_empty() {
                return Ok(ran);
            }
            for job in jobs {
                if *stop.borrow() {
                    // Shutting down: claimed but not started, due again for another.
                    self.app
                        .stores
                        .jobs
                        .release(job.id, crate::Clock::System.now())
                        .await?;
                    continue;
                }
                ran += 1;
                match self.run(&job, now).await {
                    Ok(()) => self.app.stores.jobs.complete(job.id, now).await?,
                    Err(error) => {
                        let retry =
                            (job.attempts < MAX_ATTEMPTS).then(|| now + backoff(job.attempts));
                        tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, %error, "job failed");
                        self.app
                            .stores
                            .jobs
                            .fail(job.id, &error, retry, now)
                            .await?;
                    }
                }
            }
            if *stop.borrow() {
                return Ok(ran);
            }
        }
    }

    async fn run(&self, job: &Job, now: DateTime<Utc>) -> Result<(), String> {
        match JobKind::from_job(job)? {
            JobKind::PublishScheduled(id) => {
                let published = crate::articles::publish_due(&self.app, id, now)
                    .await
                    .map_err(|e| e.to_string())?;
                if published {
                    tracing::info!(article = id.0, "scheduled article published");
                }
                Ok(())
            }
            JobKind::SendMail(mail) => {
                self.app
                    .mailer
                    .send(&mail)
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(job = job.id, "queued message sent");
                Ok(())
            }
            JobKind::PushAlert(id) => {
                let done = crate::alerts::fan_out(&self.app, id, now)
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(
                    alert = id,
                    sent = done.sent,
                    retried = done.retried,
                    gone = done.gone,
                    failed = done.failed,
                    "alert fanned out"
                );
                Ok(())
            }
            JobKind::SendEdition(id) => {
                let done = crate::newsletters::send_edition(&self.app, id, now, self.lease)
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(
                    edition = id,
                    sent = done.sent,
                    retried = done.retried,
                    failed = done.failed,
                    skipped = done.skipped,
                    "edition sent"
                );
                Ok(())
            }
            JobKind::DeliverWebhook(id) => {
                crate::webhooks::deliver(&self.app, id, job.attempts).await
            }
            JobKind::PingHub(feeds) => crate::webhooks::ping_hub(&self.app, &feeds).await,
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
    use crate::mail::Mailer;
    use kiosque_domain::store::MAIL_JOB;

    /// A notification whose first sending failed is retried by the worker: kept with
    /// backoff while the mail server refuses, delivered once it answers.
    #[tokio::test]
    async fn queued_mail_is_retried_until_it_goes_out() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("k.db").display());
        let stores = kiosque_store::connect(&url).await.unwrap();
        let mail = crate::mail::Mail {
            to: "lea@example.org".into(),
            subject: "Paul vous a répondu".into(),
            text: "Bonjour Léa".into(),
            link: Some("http://127.0.0.1/commentaires/3#c9".into()),
        };
        let now = Utc::now();
        stores
            .jobs
            .enqueue(MAIL_JOB, &serde_json::to_string(&mail).unwrap(), now, now)
            .await
            .unwrap();
        // Nothing listens on this port: the send fails, the job waits for its retry.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let blobs = std::sync::Arc::new(kiosque_media::FsBlobStore::new(dir.path().join("media")));
        let app = |mailer| App::basic(stores.clone(), blobs.clone(), Default::default(), mailer);
        let down = Worker {
            app: app(
                Mailer::smtp(&format!("smtp://127.0.0.1:{closed}"), "K <k@example.org>").unwrap(),
            ),
            lease: Duration::seconds(DEFAULT_LEASE_SECONDS as i64),
        };
        assert_eq!(down.run_due(now).await.unwrap(), 1);
        let troubled = stores.jobs.troubled_jobs(10).await.unwrap();
        assert_eq!(troubled.len(), 1, "kept, with its error, for a retry");
        assert_eq!(
            down.run_due(now).await.unwrap(),
            0,
            "not before the backoff"
        );
        let outbox = dir.path().join("outbox");
        let up = Worker {
            app: app(Mailer::outbox(outbox.clone(), "K <k@example.org>").unwrap()),
            ..down
        };
        assert_eq!(up.run_due(now + backoff(1)).await.unwrap(), 1);
        let sent: Vec<_> = std::fs::read_dir(&outbox).unwrap().collect();
        assert_eq!(sent.len(), 1);
        assert_eq!(up.run_due(now + backoff(8)).await.unwrap(), 0, "sent once");
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::minutes(1));
        assert_eq!(backoff(4), Duration::minutes(4));
        assert_eq!(backoff(20), Duration::hours(1));
    }
}
