//! What a node learns from the others: every [`POLL`], the signals they wrote
//! (see [`crate::signals`]) make it forget its kept copies, read the settings again
//! and purge the proxies of what the signals name.

use crate::app::App;
use crate::signals::{KEEP, LATE_COMMITS, POLL, Scope};
use chrono::{DateTime, Utc};
use kiosque_domain::StoreError;
use std::collections::HashMap;
use std::time::Duration;

/// Where this node is in the table.
#[derive(Debug)]
pub struct SignalFollower {
    after: i64,
    /// Signals applied inside the late-commit window.
    applied: HashMap<i64, DateTime<Utc>>,
    last_prune: Option<DateTime<Utc>>,
}

impl SignalFollower {
    /// Starts after the last signal: a node that just started holds nothing old.
    pub async fn start(state: &App) -> Result<Self, StoreError> {
        Ok(Self {
            after: state.stores.changes.last_signal().await?,
            applied: HashMap::new(),
            last_prune: None,
        })
    }

    /// Reads the signals not seen yet; when another node wrote any, forgets this
    /// node's copies and reads the saved settings again. Returns how many of those.
    pub async fn step(&mut self, state: &App) -> Result<usize, StoreError> {
        let now = kiosque_domain::clock::Clock::System.now();
        let recent = now - LATE_COMMITS;
        let signals = state.stores.changes.signals(self.after, recent).await?;
        let unseen: Vec<_> = signals
            .into_iter()
            .filter(|s| !self.applied.contains_key(&s.seq))
            .collect();
        let others: Vec<Scope> = unseen
            .iter()
            .filter(|s| !state.own_signals.take(s.seq))
            .map(|s| Scope::parse(&s.scope))
            .collect();
        if !others.is_empty() {
            state.forget_cached();
            crate::settings::reload_settings(&state.stores, &state.site).await?;
            tracing::debug!(signals = others.len(), "changes from another node");
            let purge = Scope::purge(&others);
            if state.purger.is_enabled() && !purge.is_empty() {
                let purger = state.purger.clone();
                tokio::spawn(async move { purger.send(&purge).await });
            }
        }
        for signal in &unseen {
            self.after = self.after.max(signal.seq);
            self.applied.insert(signal.seq, signal.at);
        }
        self.applied.retain(|_, at| *at >= recent);
        if self
            .last_prune
            .is_none_or(|at| now - at > chrono::Duration::hours(1))
        {
            self.last_prune = Some(now);
            state.stores.changes.prune_signals(now - KEEP).await?;
        }
        Ok(others.len())
    }
}

/// Follows the signals until the process ends.
pub async fn follow(state: App) {
    let mut follower = loop {
        match SignalFollower::start(&state).await {
            Ok(follower) => break follower,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the site signals yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    loop {
        if let Err(e) = follower.step(&state).await {
            tracing::warn!(error = %e, "cannot read the site signals");
        }
        tokio::time::sleep(POLL).await;
    }
}
