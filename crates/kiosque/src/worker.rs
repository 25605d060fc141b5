//! The job worker, run inside `serve`: it claims due jobs from the jobs table every
//! few seconds and runs them. A failing job is retried with exponential backoff and
//! shown on the dashboard; after [`MAX_ATTEMPTS`] it is marked failed, never dropped.
//! Jobs that came due while the server was down run at start-up.

use chrono::{DateTime, Duration, Utc};
use kiosque_domain::article::ArticleStatus;
use kiosque_domain::store::{Job, PUBLISH_JOB, StoreError};
use kiosque_domain::{ArticleId, Stores};
use kiosque_web::PageCache;
use std::sync::Arc;

/// How often the worker looks for due jobs: a scheduled article goes live within this.
pub const TICK: std::time::Duration = std::time::Duration::from_secs(5);
/// A claimed job is someone else's to retry after this (a crashed worker).
const LEASE: Duration = Duration::minutes(5);
pub const MAX_ATTEMPTS: i64 = 8;

/// Delay before retry number `attempt` (1-based): 30 s, 1 min, 2 min… capped at 1 h.
pub fn backoff(attempt: i64) -> Duration {
    let exponent = u32::try_from(attempt.clamp(1, 8) - 1).unwrap_or(0);
    Duration::seconds(30 * 2_i64.pow(exponent)).min(Duration::hours(1))
}

#[derive(Clone)]
pub struct Worker {
    pub stores: Stores,
    pub page_cache: Arc<PageCache>,
}

impl Worker {
    /// Runs until the process ends.
    pub async fn run_forever(self) {
        loop {
            if let Err(e) = self.run_due(Utc::now()).await {
                tracing::error!(error = %e, "job worker could not read the jobs table");
            }
            tokio::time::sleep(TICK).await;
        }
    }

    /// Claims and runs every job due at `now`; returns how many ran.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut ran = 0;
        loop {
            let jobs = self.stores.jobs.claim_due(now, now + LEASE, 20).await?;
            if jobs.is_empty() {
                return Ok(ran);
            }
            for job in jobs {
                ran += 1;
                match self.run(&job, now).await {
                    Ok(()) => self.stores.jobs.complete(job.id, now).await?,
                    Err(error) => {
                        let retry =
                            (job.attempts < MAX_ATTEMPTS).then(|| now + backoff(job.attempts));
                        tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, %error, "job failed");
                        self.stores.jobs.fail(job.id, &error, retry, now).await?;
                    }
                }
            }
        }
    }

    async fn run(&self, job: &Job, now: DateTime<Utc>) -> Result<(), String> {
        match job.kind.as_str() {
            PUBLISH_JOB => {
                let id = job
                    .payload
                    .parse::<i64>()
                    .map_err(|_| format!("invalid article id {:?}", job.payload))?;
                let article = self
                    .stores
                    .articles
                    .article(ArticleId(id))
                    .await
                    .map_err(|e| e.to_string())?;
                // Rescheduled, unscheduled or already out: nothing to do.
                if article.status != ArticleStatus::Scheduled
                    || article.published_at.is_none_or(|at| at > now)
                {
                    return Ok(());
                }
                self.stores
                    .articles
                    .set_article_status(article.id, ArticleStatus::Published, now)
                    .await
                    .map_err(|e| e.to_string())?;
                self.page_cache.purge_all();
                tracing::info!(article = id, "scheduled article published");
                Ok(())
            }
            other => Err(format!("unknown job kind {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::minutes(1));
        assert_eq!(backoff(4), Duration::minutes(4));
        assert_eq!(backoff(20), Duration::hours(1));
    }
}
