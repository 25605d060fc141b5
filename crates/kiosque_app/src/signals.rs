//! Keeps what this node holds in memory in step with changes made through the others.
//!
//! Every node of a site shares one database, and each keeps rendered pages, the
//! section tree, "À lire aussi" lists and the site settings in memory. A change
//! readers can see is announced in the `site_signals` table
//! ([`crate::App::public_changed`]); every node reads that table a few times a second
//! and forgets its copies when a signal it has not seen appears, so a change made
//! through one node shows on the others well within two seconds, on SQLite (several
//! processes on one file) as on PostgreSQL. A table rather than PostgreSQL's
//! LISTEN/NOTIFY: it works the same on both backends, and a node that lost its
//! connection for a moment misses nothing.
//!
//! A signal's scope also says what to purge from caching proxies
//! ([`crate::purge`]): each node purges after forgetting its own copies, so that the
//! last purge leaves the proxy fresh whichever node refills it.

use crate::purge::Purge;
use std::time::Duration;

/// How often the table is read.
pub const POLL: Duration = Duration::from_millis(250);
/// On PostgreSQL a signal can commit after one with a higher number: the last few
/// seconds are read again.
pub(crate) const LATE_COMMITS: chrono::Duration = chrono::Duration::seconds(10);
/// Signals are kept this long.
pub(crate) const KEEP: chrono::Duration = chrono::Duration::days(1);

/// What a signal announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Articles changed (`all`): pages are forgotten; the proxies are purged of the
    /// articles' pages by each node's search follower, which knows which ones.
    Pages,
    /// Something every page shows (`site`): settings, sections, fronts.
    Site,
    /// Moderation in these threads (`comments:12,40`), or in any (`comments`).
    Threads(Vec<kiosque_domain::ArticleId>),
    /// Given pages (`purge:home|/`: keys, then paths): a front saved.
    Purge(Purge),
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Pages => f.write_str("all"),
            Self::Site => f.write_str("site"),
            Self::Threads(ids) if ids.is_empty() => f.write_str("comments"),
            Self::Threads(ids) => {
                let ids: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
                write!(f, "comments:{}", ids.join(","))
            }
            Self::Purge(purge) => {
                write!(
                    f,
                    "purge:{}|{}",
                    purge.keys.join(" "),
                    purge.paths.join(" ")
                )
            }
        }
    }
}

impl Scope {
    /// Reads a stored scope; an unknown one (from a newer version) counts as
    /// [`Scope::Site`], the widest.
    pub fn parse(text: &str) -> Self {
        match text.split_once(':') {
            None if text == "all" => Self::Pages,
            None if text == "comments" => Self::Threads(Vec::new()),
            Some(("purge", rest)) => match rest.split_once('|') {
                Some((keys, paths)) => Self::Purge(Purge {
                    keys: keys.split_whitespace().map(str::to_owned).collect(),
                    paths: paths.split_whitespace().map(str::to_owned).collect(),
                }),
                None => Self::Site,
            },
            Some(("comments", ids)) => {
                let ids: Option<Vec<_>> = ids
                    .split(',')
                    .map(|id| id.parse().ok().map(kiosque_domain::ArticleId))
                    .collect();
                ids.map_or(Self::Site, Self::Threads)
            }
            _ => Self::Site,
        }
    }

    /// What the proxies lose, for signals read together.
    pub fn purge(scopes: &[Self]) -> Purge {
        if scopes.contains(&Self::Site) {
            return Purge::site();
        }
        let mut threads = Vec::new();
        let mut pages = Purge::default();
        for scope in scopes {
            match scope {
                Self::Threads(ids) if ids.is_empty() => pages.merge(Purge::threads(&[])),
                Self::Threads(ids) => threads.extend_from_slice(ids),
                Self::Purge(purge) => pages.merge(purge.clone()),
                Self::Pages | Self::Site => {}
            }
        }
        threads.sort_by_key(|id| id.0);
        threads.dedup();
        if !threads.is_empty() {
            pages.merge(Purge::threads(&threads));
        }
        pages
    }
}

/// The signals this node wrote itself: it forgot its copies when it wrote them, so
/// reading them back must not make it forget them again. Unless its pages read from a
/// replica ([`OwnSignals::acted_on_when_read_back`]): then it acts on its own signals
/// too, once they reach the replica, since pages it rendered in between may hold the
/// replica's older rows.
#[derive(Debug)]
pub struct OwnSignals {
    written: std::sync::Mutex<std::collections::HashSet<i64>>,
    skipped: bool,
}

impl Default for OwnSignals {
    fn default() -> Self {
        Self {
            written: std::sync::Mutex::default(),
            skipped: true,
        }
    }
}

impl OwnSignals {
    /// For a node whose pages read from a replica.
    pub fn acted_on_when_read_back() -> Self {
        Self {
            skipped: false,
            ..Self::default()
        }
    }

    pub fn record(&self, seq: i64) {
        if self.skipped
            && let Ok(mut own) = self.written.lock()
        {
            own.insert(seq);
        }
    }

    /// Whether `seq` is one of ours to skip (forgotten from the set once read back).
    pub(crate) fn take(&self, seq: i64) -> bool {
        self.written.lock().is_ok_and(|mut own| own.remove(&seq))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiosque_domain::ArticleId;

    #[test]
    fn scopes_round_trip_and_widen_when_unknown() {
        for scope in [
            Scope::Pages,
            Scope::Site,
            Scope::Threads(Vec::new()),
            Scope::Threads(vec![ArticleId(12), ArticleId(40)]),
            Scope::Purge(Purge::front(None)),
            Scope::Purge(Purge::front(Some("monde/europe"))),
        ] {
            assert_eq!(Scope::parse(&scope.to_string()), scope);
        }
        assert_eq!(Scope::parse("comments:12,x"), Scope::Site);
        assert_eq!(Scope::parse("settings"), Scope::Site);
    }

    #[test]
    fn signals_read_together_purge_once() {
        let threads = |ids: &[i64]| Scope::Threads(ids.iter().map(|&i| ArticleId(i)).collect());
        assert_eq!(Scope::purge(&[Scope::Pages]), Purge::default());
        assert_eq!(
            Scope::purge(&[threads(&[40]), Scope::Pages, threads(&[12, 40])]),
            Purge::threads(&[ArticleId(12), ArticleId(40)])
        );
        // All threads by key, and thread 12's pages by URL (nginx has no "all").
        let mut all_threads = Purge::threads(&[]);
        all_threads.merge(Purge::threads(&[ArticleId(12)]));
        assert_eq!(Scope::purge(&[threads(&[12]), threads(&[])]), all_threads);
        assert_eq!(Scope::purge(&[threads(&[12]), Scope::Site]), Purge::site());
        let front = Scope::Purge(Purge::front(Some("monde")));
        let purged = Scope::purge(&[front.clone(), front, Scope::Pages]);
        assert_eq!(purged, Purge::front(Some("monde")));
    }
}
