//! The newsroom's people and what each may do: journalists write and submit,
//! editors edit anyone's work and publish, admins also manage users and settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A staff account id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Journalist,
    /// Journalist's rights plus the comments: queues, readers, moderation log.
    Moderator,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Journalist => "journalist",
            Role::Moderator => "moderator",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Publish, schedule, unpublish; edit anyone's articles; manage sections and tags.
    pub fn can_publish(self) -> bool {
        self >= Role::Editor
    }

    /// Moderate readers' comments (editors and admins may too).
    pub fn can_moderate(self) -> bool {
        self >= Role::Moderator
    }

    /// Manage users, tokens of others, site settings; read the audit log.
    pub fn can_administer(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "journalist" => Ok(Role::Journalist),
            "moderator" => Ok(Role::Moderator),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "unknown role {other:?} (admin, editor, moderator or journalist)"
            )),
        }
    }
}

/// A staff account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// Whether this user may change an article created by `owner`.
    pub fn may_edit(&self, owner: Option<UserId>) -> bool {
        self.role.can_publish() || owner == Some(self.id)
    }
}

/// An account to create; the password is already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

/// Normalises an email address for lookups: trimmed, lowercase.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A bare address in the strict dot-atom form of RFC 5322 (`lea.martin+k@example.org`):
/// one `@`, a local part of atom characters separated by single dots (64 at most),
/// a domain of at least two LDH labels with an alphabetic top level, 254 characters
/// in all. Display forms (`"Léa" <lea@example.org>`, `Léa <…>`), quoted local
/// parts, comments, address literals and several addresses are refused: an address
/// is checked after [`normalise_email`], so that limits and uniqueness apply to one
/// spelling of it.
pub fn is_plausible_email(email: &str) -> bool {
    const ATOM_EXTRA: &str = "!#$%&'*+/=?^_`{|}~-";
    if email.len() > 254 || !email.is_ascii() {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ATOM_EXTRA.contains(c))
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_LEN: usize = 10;

/// A server-side session, found by the hash of its cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub user_name: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and environment"
)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(!Role::Journalist.can_publish());
        assert!(Role::Editor.can_publish() && !Role::Editor.can_administer());
        assert!(Role::Admin.can_publish() && Role::Admin.can_administer());
        assert_eq!("editor".parse::<Role>(), Ok(Role::Editor));
        assert!("chief".parse::<Role>().is_err());
        assert!(Role::Moderator.can_moderate() && !Role::Moderator.can_publish());
        assert!(!Role::Journalist.can_moderate() && Role::Editor.can_moderate());
    }

    #[test]
    fn journalists_edit_only_their_own_articles() {
        let user = |role| User {
            id: UserId(7),
            email: "a@b.fr".into(),
            name: "A".into(),
            role,
            active: true,
            created_at: Utc::now(),
        };
        assert!(user(Role::Journalist).may_edit(Some(UserId(7))));
        assert!(!user(Role::Journalist).may_edit(Some(UserId(8))));
        assert!(!user(Role::Journalist).may_edit(None));
        assert!(user(Role::Editor).may_edit(Some(UserId(8))));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalise_email("  Lea.Martin@Example.ORG "),
            "lea.martin@example.org"
        );
        assert!(is_plausible_email("lea@example.org"));
        assert!(!is_plausible_email("lea@example"));
        assert!(!is_plausible_email("lea example@x.org"));
        assert!(!is_plausible_email("@x.org"));
        assert!(is_plausible_email("lea.martin+kiosque@mail.example.org"));
        for display in [
            "\"Léa\"<lea@example.org>",
            "Lea <lea@example.org>",
            "<lea@example.org>",
            "\"lea\"@example.org",
            "lea@example.org (Léa)",
            "lea@example.org,paul@example.org",
            "lea..martin@example.org",
            ".lea@example.org",
            "lea@[192.0.2.1]",
            "lea@-example.org",
            "lea@example.o",
            "léa@example.org",
            "lea@example.org\n",
        ] {
            assert!(!is_plausible_email(display), "{display:?}");
        }
    }
}
