//! Who has which article open in the editor: a soft lock. Nobody is blocked (saves are
//! protected by revisions), but everyone sees who else is editing, and one can take
//! over, which the other's editor then shows.

use chrono::{DateTime, Duration, Utc};
use kiosque_domain::Stores;
use kiosque_domain::{ArticleId, UserId};
use serde::Serialize;

/// An editor is present while it pings at least this often.
pub const PRESENT_FOR: Duration = Duration::seconds(90);

/// Presence, kept in the database: editors on two nodes see each other.
#[derive(Debug, Clone)]
pub struct Presence {
    stores: Stores,
}

/// Another editor on the same article.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Other {
    pub name: String,
    pub seconds_ago: i64,
}

/// What an editor page learns at each ping.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct PresenceState {
    pub others: Vec<Other>,
    /// Set when someone took over while this user had the article open.
    pub taken_over_by: Option<String>,
}

impl Presence {
    pub fn new(stores: Stores) -> Self {
        Self { stores }
    }

    /// Records that `user` has `article` open at `now`; returns who else has, and
    /// who took it over since the last ping.
    pub async fn ping(
        &self,
        article: ArticleId,
        user: UserId,
        name: &str,
        now: DateTime<Utc>,
    ) -> PresenceState {
        let shared = &self.stores.shared;
        let taken_over_by = match shared.ping_presence(article, user, name, now).await {
            Ok(taken) => taken,
            Err(e) => {
                tracing::warn!(error = %e, "cannot record an editor's presence");
                None
            }
        };
        let present = shared
            .present(article, now - PRESENT_FOR)
            .await
            .unwrap_or_default();
        let others = present
            .into_iter()
            .filter(|(id, _, _)| *id != user)
            .map(|(_, name, at)| Other {
                name,
                seconds_ago: (now - at).num_seconds().max(0),
            })
            .collect();
        PresenceState {
            others,
            taken_over_by,
        }
    }

    /// `user` takes the article over: every other present editor is told.
    pub async fn take_over(
        &self,
        article: ArticleId,
        user: UserId,
        name: &str,
        now: DateTime<Utc>,
    ) {
        if let Err(e) = self
            .stores
            .shared
            .take_over(article, user, name, now - PRESENT_FOR)
            .await
        {
            tracing::warn!(error = %e, "cannot record a take-over");
        }
    }

    /// `user` closed the editor.
    pub async fn leave(&self, article: ArticleId, user: UserId) {
        if let Err(e) = self.stores.shared.leave_presence(article, user).await {
            tracing::warn!(error = %e, "cannot record that an editor left");
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

    async fn presence() -> (tempfile::TempDir, Presence) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("k.db").display());
        let stores = kiosque_store::connect(&url).await.unwrap();
        (dir, Presence::new(stores))
    }

    #[tokio::test]
    async fn editors_see_each_other_until_they_go_quiet() {
        let (_dir, p) = presence().await;
        let t0 = Utc::now();
        let a = ArticleId(1);
        assert_eq!(p.ping(a, UserId(1), "Léa", t0).await.others, []);
        let paul = p
            .ping(a, UserId(2), "Paul", t0 + Duration::seconds(10))
            .await;
        assert_eq!(
            paul.others,
            [Other {
                name: "Léa".into(),
                seconds_ago: 10
            }]
        );
        let later = p
            .ping(a, UserId(2), "Paul", t0 + Duration::seconds(200))
            .await;
        assert!(later.others.is_empty(), "Léa stopped pinging");
        let elsewhere = p.ping(ArticleId(2), UserId(1), "Léa", t0).await;
        assert!(elsewhere.others.is_empty(), "per article");
    }

    #[tokio::test]
    async fn taking_over_is_announced_once_to_the_others() {
        let (_dir, p) = presence().await;
        let t0 = Utc::now();
        let a = ArticleId(1);
        p.ping(a, UserId(1), "Léa", t0).await;
        p.ping(a, UserId(2), "Paul", t0).await;
        p.take_over(a, UserId(2), "Paul", t0).await;
        let lea = p.ping(a, UserId(1), "Léa", t0).await;
        assert_eq!(lea.taken_over_by.as_deref(), Some("Paul"));
        assert_eq!(p.ping(a, UserId(1), "Léa", t0).await.taken_over_by, None);
        assert_eq!(p.ping(a, UserId(2), "Paul", t0).await.taken_over_by, None);
        p.leave(a, UserId(1)).await;
        assert!(p.ping(a, UserId(2), "Paul", t0).await.others.is_empty());
    }
}
