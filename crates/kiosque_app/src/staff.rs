//! Staff accounts and API tokens: created from the back office (admins) or from the
//! command line (the operator, whose access to the machine is the authorization).

use crate::app::App;
use crate::error::{Error, FieldError, Result};
use crate::policy::{self, Actor, Entrance};
use kiosque_domain::secret::{hash_token, random_token};
use kiosque_domain::staff::{MIN_PASSWORD_LEN, NewUser, is_plausible_email, normalise_email};
use kiosque_domain::{Role, StoreError, User};

/// Who asks: a staff member (checked against the policy) or the operator at the
/// command line.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    Staff(&'a Actor),
    Operator,
}

impl By<'_> {
    fn user(self) -> Option<kiosque_domain::UserId> {
        match self {
            By::Staff(actor) => Some(actor.id()),
            By::Operator => None,
        }
    }

    fn via(self) -> &'static str {
        match self {
            By::Staff(actor) => actor.via.as_str(),
            By::Operator => Entrance::Cli.as_str(),
        }
    }
}

/// A new personal API token's secret (shown once; only its hash is stored).
pub fn new_api_token() -> String {
    format!("kq_{}", random_token())
}

/// The problems of a new password, as catalogue keys.
pub fn password_problems(password: &str, again: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if password.chars().count() < MIN_PASSWORD_LEN {
        problems.push("admin-error-password-short");
    }
    if password != again {
        problems.push("admin-error-password-mismatch");
    }
    problems
}

/// Creates a staff account (admins, or the operator).
pub async fn create_user(
    app: &App,
    by: By<'_>,
    email: &str,
    name: &str,
    role: Role,
    password: String,
) -> Result<User> {
    if let By::Staff(actor) = by {
        policy::administer(actor)?;
    }
    let email = normalise_email(email);
    let mut errors = Vec::new();
    if !is_plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            "admin-error-email",
            format!("{email:?} is not a valid e-mail address"),
        ));
    }
    if name.trim().is_empty() {
        errors.push(FieldError::new(
            "name",
            "admin-error-name",
            "the name is empty",
        ));
    }
    if password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(FieldError::new(
            "password",
            "admin-error-password-short",
            format!("the password must be at least {MIN_PASSWORD_LEN} characters long"),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let hash = crate::password::hash_password(password).await?;
    let new = NewUser {
        email,
        name: name.trim().to_owned(),
        role,
        password_hash: hash,
    };
    let user = app
        .stores
        .accounts
        .create_user(&new, app.now())
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => Error::Duplicate("email"),
            other => other.into(),
        })?;
    app.stores
        .accounts
        .audit(
            by.user(),
            "user.create",
            &user.email,
            &format!("{role} ({})", by.via()),
            app.now(),
        )
        .await?;
    Ok(user)
}

/// Creates a personal API token for `owner` (themselves from the back office, or
/// the operator for anyone active); returns the secret, shown once.
pub async fn create_token(app: &App, by: By<'_>, owner: &User, name: &str) -> Result<String> {
    if let By::Staff(actor) = by
        && actor.id() != owner.id
    {
        policy::administer(actor)?;
    }
    if !owner.active {
        return Err(Error::Forbidden("the account is deactivated"));
    }
    let name = if name.trim().is_empty() {
        "API"
    } else {
        name.trim()
    };
    let token = new_api_token();
    app.stores
        .accounts
        .create_api_token(owner.id, name, &hash_token(&token), app.now())
        .await?;
    app.stores
        .accounts
        .audit(
            by.user().or(Some(owner.id)),
            "token.create",
            name,
            by.via(),
            app.now(),
        )
        .await?;
    Ok(token)
}

/// Deactivates an account: its sessions and tokens are revoked at once.
pub async fn deactivate(app: &App, by: By<'_>, user: &User) -> Result<()> {
    if let By::Staff(actor) = by {
        policy::administer(actor)?;
    }
    app.stores
        .accounts
        .set_user_active(user.id, false, app.now())
        .await?;
    app.stores
        .accounts
        .audit(
            by.user(),
            "user.deactivate",
            &user.email,
            by.via(),
            app.now(),
        )
        .await?;
    Ok(())
}
