//! Who has which article open in the editor: a soft lock. Nobody is blocked (saves are
//! protected by revisions), but everyone sees who else is editing, and one can take
//! over, which the other's editor then shows.

use chrono::{DateTime, Duration, Utc};
use kiosque_domain::{ArticleId, UserId};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;

/// An editor is present while it pings at least this often.
pub const PRESENT_FOR: Duration = Duration::seconds(90);

#[derive(Debug, Clone)]
struct Seen {
    name: String,
    at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct Presence {
    open: Mutex<HashMap<ArticleId, HashMap<UserId, Seen>>>,
    taken_over: Mutex<HashMap<(ArticleId, UserId), String>>,
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
    /// Records that `user` has `article` open at `now`; returns who else has.
    pub fn ping(
        &self,
        article: ArticleId,
        user: UserId,
        name: &str,
        now: DateTime<Utc>,
    ) -> PresenceState {
        let Ok(mut open) = self.open.lock() else {
            return PresenceState::default();
        };
        let editors = open.entry(article).or_default();
        editors.retain(|_, seen| now - seen.at < PRESENT_FOR);
        editors.insert(
            user,
            Seen {
                name: name.to_owned(),
                at: now,
            },
        );
        let mut others: Vec<Other> = editors
            .iter()
            .filter(|(id, _)| **id != user)
            .map(|(_, seen)| Other {
                name: seen.name.clone(),
                seconds_ago: (now - seen.at).num_seconds(),
            })
            .collect();
        others.sort_by(|a, b| a.name.cmp(&b.name));
        let taken_over_by = self
            .taken_over
            .lock()
            .ok()
            .and_then(|mut t| t.remove(&(article, user)));
        PresenceState {
            others,
            taken_over_by,
        }
    }

    /// `user` takes the article over: every other present editor is told.
    pub fn take_over(&self, article: ArticleId, user: UserId, name: &str, now: DateTime<Utc>) {
        let others: Vec<UserId> = match self.open.lock() {
            Ok(open) => open
                .get(&article)
                .map(|editors| {
                    editors
                        .iter()
                        .filter(|(id, seen)| **id != user && now - seen.at < PRESENT_FOR)
                        .map(|(id, _)| *id)
                        .collect()
                })
                .unwrap_or_default(),
            Err(_) => return,
        };
        if let Ok(mut taken) = self.taken_over.lock() {
            for other in others {
                taken.insert((article, other), name.to_owned());
            }
        }
    }

    /// `user` closed the editor.
    pub fn leave(&self, article: ArticleId, user: UserId) {
        if let Ok(mut open) = self.open.lock()
            && let Some(editors) = open.get_mut(&article)
        {
            editors.remove(&user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_see_each_other_until_they_go_quiet() {
        let p = Presence::default();
        let t0 = Utc::now();
        let a = ArticleId(1);
        assert_eq!(p.ping(a, UserId(1), "Léa", t0).others, []);
        let paul = p.ping(a, UserId(2), "Paul", t0 + Duration::seconds(10));
        assert_eq!(
            paul.others,
            [Other {
                name: "Léa".into(),
                seconds_ago: 10
            }]
        );
        let later = p.ping(a, UserId(2), "Paul", t0 + Duration::seconds(200));
        assert!(later.others.is_empty(), "Léa stopped pinging");
        assert!(
            p.ping(ArticleId(2), UserId(1), "Léa", t0).others.is_empty(),
            "per article"
        );
    }

    #[test]
    fn taking_over_is_announced_once_to_the_others() {
        let p = Presence::default();
        let t0 = Utc::now();
        let a = ArticleId(1);
        p.ping(a, UserId(1), "Léa", t0);
        p.ping(a, UserId(2), "Paul", t0);
        p.take_over(a, UserId(2), "Paul", t0);
        assert_eq!(
            p.ping(a, UserId(1), "Léa", t0).taken_over_by.as_deref(),
            Some("Paul")
        );
        assert_eq!(p.ping(a, UserId(1), "Léa", t0).taken_over_by, None);
        assert_eq!(p.ping(a, UserId(2), "Paul", t0).taken_over_by, None);
        p.leave(a, UserId(1));
        assert!(p.ping(a, UserId(2), "Paul", t0).others.is_empty());
    }
}
