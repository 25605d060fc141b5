//! Rate limits: failures and actions counted per key in a sliding window, in the
//! database, so that every node enforces one limit (with N nodes keeping their own
//! counts, a limit would be N times looser). Keys (an account, an address) are stored
//! hashed. A database that cannot answer lets the request through and logs it: a
//! limit must never lock everyone out.

use chrono::{DateTime, Duration, Utc};
use kiosque_domain::Stores;
use kiosque_domain::secret::hash_token;

/// Events are kept this long (the longest window in use is an hour).
pub const HORIZON: Duration = Duration::days(1);

#[derive(Debug)]
pub struct Throttle {
    stores: Stores,
    /// When this node last forgot old events (a Unix time), at most once a minute.
    last_prune: std::sync::atomic::AtomicI64,
}

impl Throttle {
    pub fn new(stores: Stores) -> Self {
        Self {
            stores,
            last_prune: std::sync::atomic::AtomicI64::new(0),
        }
    }

    fn key(key: &str) -> String {
        hash_token(key)
    }

    /// Whether `key` has reached `limit` failures within `window` before `now`.
    pub async fn is_blocked(
        &self,
        key: &str,
        limit: usize,
        window: Duration,
        now: DateTime<Utc>,
    ) -> bool {
        if limit == 0 {
            return true;
        }
        match self
            .stores
            .shared
            .count_events(&Self::key(key), now - window)
            .await
        {
            Ok(n) => n >= limit as u64,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a rate limit; letting the request through");
                false
            }
        }
    }

    pub async fn record_failure(&self, key: &str, now: DateTime<Utc>) {
        if let Err(e) = self.stores.shared.record_event(&Self::key(key), now).await {
            tracing::warn!(error = %e, "cannot count a failure for a rate limit");
        }
        // Once a minute at most, forget what no window reaches any more.
        let last = self.last_prune.load(std::sync::atomic::Ordering::Relaxed);
        if now.timestamp() - last >= 60
            && self
                .last_prune
                .compare_exchange(
                    last,
                    now.timestamp(),
                    std::sync::atomic::Ordering::Relaxed,
                    std::sync::atomic::Ordering::Relaxed,
                )
                .is_ok()
            && let Err(e) = self.stores.shared.prune_events(now - HORIZON).await
        {
            tracing::warn!(error = %e, "cannot forget old rate-limit events");
        }
    }

    /// Counts one event for `key` unless `limit` events already happened within
    /// `window`: rate limits on actions that succeed (sign-ups, posts), not failures.
    pub async fn allow(
        &self,
        key: &str,
        limit: usize,
        window: Duration,
        now: DateTime<Utc>,
    ) -> bool {
        self.allow_all(&[(key, limit, window)], now).await
    }

    /// Counts one event for every `(key, limit, window)` unless one of them already
    /// reached its limit, all or nothing, in one write: a post checks three limits,
    /// and a refused post counts against none.
    pub async fn allow_all(&self, limits: &[(&str, usize, Duration)], now: DateTime<Utc>) -> bool {
        let limits: Vec<(String, u64, DateTime<Utc>)> = limits
            .iter()
            .map(|(key, limit, window)| (Self::key(key), *limit as u64, now - *window))
            .collect();
        // Refused on reads alone when a limit is already reached: a flood of refused
        // actions never takes the write lock. (The write re-checks.)
        for (key, limit, since) in &limits {
            if let Ok(n) = self.stores.shared.count_events(key, *since).await
                && n >= *limit
            {
                return false;
            }
        }
        match self.stores.shared.take_events(&limits, now).await {
            Ok(taken) => taken,
            Err(e) => {
                tracing::warn!(error = %e, "cannot count an action for a rate limit; letting it through");
                true
            }
        }
    }

    pub async fn clear(&self, key: &str) {
        if let Err(e) = self.stores.shared.clear_events(&Self::key(key)).await {
            tracing::warn!(error = %e, "cannot clear a rate limit");
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

    #[tokio::test]
    async fn limits_count_in_a_sliding_window_and_clear() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("k.db").display());
        let stores = kiosque_store::connect(&url).await.unwrap();
        let t = Throttle::new(stores.clone());
        let t0 = Utc::now();
        let w = Duration::minutes(15);
        for i in 0..5 {
            assert!(!t.is_blocked("login:lea", 5, w, t0).await, "after {i}");
            t.record_failure("login:lea", t0 + Duration::seconds(i))
                .await;
        }
        assert!(
            t.is_blocked("login:lea", 5, w, t0 + Duration::seconds(10))
                .await
        );
        assert!(!t.is_blocked("login:paul", 5, w, t0).await, "per key");
        // Another node reading the same database sees the same count.
        let other = Throttle::new(stores);
        assert!(
            other
                .is_blocked("login:lea", 5, w, t0 + Duration::seconds(10))
                .await
        );
        assert!(
            !t.is_blocked("login:lea", 5, w, t0 + Duration::minutes(16))
                .await,
            "slides"
        );
        t.clear("login:lea").await;
        assert!(
            !other
                .is_blocked("login:lea", 5, w, t0 + Duration::seconds(10))
                .await
        );
        assert!(t.allow("post:1", 2, w, t0).await);
        assert!(other.allow("post:1", 2, w, t0).await);
        assert!(
            !t.allow("post:1", 2, w, t0).await,
            "two nodes share one limit"
        );
    }
}
