//! `kiosque user …` and `kiosque token …`: staff accounts and API tokens from the
//! command line, on the same database as the site.

use crate::cli::{TokenCommand, UserCommand};
use crate::commands::open_stores;
use crate::config::Config;
use anyhow::{Context, bail};
use chrono::Utc;
use kiosque_domain::secret::hash_token;
use kiosque_domain::staff::{MIN_PASSWORD_LEN, NewUser, Role, is_plausible_email};
use std::io::BufRead;

pub async fn run_user(config: &Config, command: &UserCommand) -> anyhow::Result<()> {
    let stores = open_stores(config).await?;
    match command {
        UserCommand::Create {
            email,
            name,
            role,
            password_stdin: _,
        } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            if !is_plausible_email(email.trim()) {
                bail!("{email:?} is not a valid email address");
            }
            if name.trim().is_empty() {
                bail!("the name is empty");
            }
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            if password.chars().count() < MIN_PASSWORD_LEN {
                bail!("the password must be at least {MIN_PASSWORD_LEN} characters long");
            }
            let hash = kiosque_app::password::hash_password(password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let new = NewUser {
                email: email.clone(),
                name: name.trim().to_owned(),
                role,
                password_hash: hash,
            };
            let user = stores
                .accounts
                .create_user(&new, Utc::now())
                .await
                .with_context(|| format!("cannot create {email}"))?;
            stores
                .accounts
                .audit(
                    None,
                    "user.create",
                    &user.email,
                    &format!("{role}, from the command line"),
                    Utc::now(),
                )
                .await?;
            println!("created {} <{}> ({})", user.name, user.email, user.role);
        }
        UserCommand::List => {
            for user in stores.accounts.users().await? {
                let state = if user.active { "" } else { " (deactivated)" };
                println!("{}\t{}\t{}{state}", user.email, user.role, user.name);
            }
        }
        UserCommand::Deactivate { email } => {
            let (user, _) = stores
                .accounts
                .user_credentials(email)
                .await?
                .with_context(|| format!("no account {email}"))?;
            stores
                .accounts
                .set_user_active(user.id, false, Utc::now())
                .await?;
            stores
                .accounts
                .audit(
                    None,
                    "user.deactivate",
                    &user.email,
                    "from the command line",
                    Utc::now(),
                )
                .await?;
            println!("deactivated {}; sessions and tokens revoked", user.email);
        }
    }
    Ok(())
}

pub async fn run_token(config: &Config, command: &TokenCommand) -> anyhow::Result<()> {
    let stores = open_stores(config).await?;
    match command {
        TokenCommand::Create { email, name } => {
            let (user, _) = stores
                .accounts
                .user_credentials(email)
                .await?
                .with_context(|| format!("no account {email}"))?;
            if !user.active {
                bail!("{email} is deactivated");
            }
            let token = kiosque_web::admin::new_api_token();
            stores
                .accounts
                .create_api_token(user.id, name, &hash_token(&token), Utc::now())
                .await?;
            stores
                .accounts
                .audit(
                    Some(user.id),
                    "token.create",
                    name,
                    "from the command line",
                    Utc::now(),
                )
                .await?;
            // Printed once; only its hash is stored.
            println!("{token}");
        }
    }
    Ok(())
}
