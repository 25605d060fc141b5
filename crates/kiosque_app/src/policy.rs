//! Who may do what: decided here, once, by role and ownership, for every entrance
//! (back office, API, worker, command line). Handlers never check a role themselves;
//! they call a use case, which asks these rules first.

use crate::error::{Error, Result};
use kiosque_domain::article::ArticleStatus;
use kiosque_domain::{Article, Role, User, UserId};

/// Which entrance an action came through (for the audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entrance {
    BackOffice,
    Api,
    Cli,
    Worker,
}

impl Entrance {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BackOffice => "admin",
            Self::Api => "api",
            Self::Cli => "cli",
            Self::Worker => "worker",
        }
    }
}

/// Someone acting: a staff member through an entrance.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub via: Entrance,
}

impl Actor {
    pub fn new(user: User, via: Entrance) -> Self {
        Self { user, via }
    }

    pub fn id(&self) -> UserId {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }
}

/// Reads an article in the back office or the API: one's own, anyone's for editors,
/// and published ones for everyone. Others' drafts are not found (not forbidden:
/// their existence is not told).
pub fn may_see(actor: &Actor, owner: Option<UserId>, status: ArticleStatus) -> bool {
    actor.user.may_edit(owner) || status == ArticleStatus::Published
}

pub fn see(actor: &Actor, article: &Article) -> Result<()> {
    see_owned(actor, article.created_by, article.status)
}

fn see_owned(actor: &Actor, owner: Option<UserId>, status: ArticleStatus) -> Result<()> {
    if may_see(actor, owner, status) {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Changes an article's content: one's own, anyone's for editors.
pub fn edit(actor: &Actor, article: &Article) -> Result<()> {
    edit_owned(actor, article.created_by, article.status)
}

fn edit_owned(actor: &Actor, owner: Option<UserId>, status: ArticleStatus) -> Result<()> {
    see_owned(actor, owner, status)?;
    if actor.user.may_edit(owner) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only editors change other people's articles",
        ))
    }
}

/// Publishes, schedules, unpublishes: editors.
pub fn publish(actor: &Actor) -> Result<()> {
    if actor.role().can_publish() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only editors publish, schedule and unpublish",
        ))
    }
}

/// Describes library pictures (alt text, credit, focal point): every role of the
/// newsroom, as uploading them.
pub fn describe_media(actor: &Actor) -> Result<()> {
    match actor.role() {
        Role::Journalist | Role::Moderator | Role::Editor | Role::Admin => Ok(()),
    }
}

/// Creates or changes sections, tags' names, contributors, fronts: editors.
pub fn manage_taxonomy(actor: &Actor) -> Result<()> {
    if actor.role().can_publish() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only editors create or change sections and contributors",
        ))
    }
}

/// Takes in agency copy by hand (API, back office): editors.
pub fn ingest_wire(actor: &Actor) -> Result<()> {
    if actor.role().can_publish() {
        Ok(())
    } else {
        Err(Error::Forbidden("only editors push wire copy"))
    }
}

/// Manages users, tokens of others, settings, the audit log: admins.
pub fn administer(actor: &Actor) -> Result<()> {
    if actor.role().can_administer() {
        Ok(())
    } else {
        Err(Error::Forbidden("only administrators do this"))
    }
}

/// Writes static pages and manages redirects: editors.
pub fn manage_site_pages(actor: &Actor) -> Result<()> {
    if actor.role().can_publish() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only editors write static pages and manage redirects",
        ))
    }
}

/// Imports another system's export: administrators (and the operator, on the
/// command line).
pub fn import(actor: &Actor) -> Result<()> {
    administer(actor)
}

/// Moderates readers' comments: moderators, editors and admins.
pub fn moderate(actor: &Actor) -> Result<()> {
    if actor.role().can_moderate() {
        Ok(())
    } else {
        Err(Error::Forbidden("only moderators moderate comments"))
    }
}

/// Whose articles a listing shows the actor: journalists and moderators see their
/// own and published ones (as [`may_see`]), editors everything.
pub fn listing_limit(actor: &Actor) -> Option<UserId> {
    (!actor.role().can_publish()).then_some(actor.id())
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and environment"
)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn user(id: i64, role: Role) -> Actor {
        Actor::new(
            User {
                id: UserId(id),
                email: format!("{id}@example.org"),
                name: format!("User {id}"),
                role,
                active: true,
                created_at: Utc::now(),
            },
            Entrance::Api,
        )
    }

    fn edit(actor: &Actor, (owner, status): (i64, ArticleStatus)) -> Result<()> {
        edit_owned(actor, Some(UserId(owner)), status)
    }

    fn article(owner: i64, status: ArticleStatus) -> (i64, ArticleStatus) {
        (owner, status)
    }

    #[test]
    fn journalists_edit_their_own_and_see_what_is_published() {
        let paul = user(1, Role::Journalist);
        assert!(edit(&paul, article(1, ArticleStatus::Draft)).is_ok());
        assert!(matches!(
            edit(&paul, article(2, ArticleStatus::Draft)),
            Err(Error::NotFound)
        ));
        assert!(matches!(
            edit(&paul, article(2, ArticleStatus::Published)),
            Err(Error::Forbidden(_))
        ));
        assert!(publish(&paul).is_err());
        assert!(manage_taxonomy(&paul).is_err());
        assert_eq!(listing_limit(&paul), Some(UserId(1)));
    }

    #[test]
    fn editors_edit_and_publish_anything() {
        let chef = user(3, Role::Editor);
        assert!(edit(&chef, article(1, ArticleStatus::Draft)).is_ok());
        assert!(publish(&chef).is_ok());
        assert!(manage_taxonomy(&chef).is_ok());
        assert!(administer(&chef).is_err());
        assert_eq!(listing_limit(&chef), None);
    }
}
