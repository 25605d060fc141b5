//! `kiosque user …` and `kiosque token …`: staff accounts and API tokens from the
//! command line, on the same database as the site, through the same use cases as
//! the back office (`kiosque_app::staff`).

use crate::cli::{TokenCommand, UserCommand};
use crate::commands::open_stores;
use crate::config::Config;
use anyhow::{Context, bail};
use kiosque_app::App;
use kiosque_app::staff::{self, By};
use kiosque_domain::Role;
use std::io::BufRead;

/// The application as the command line uses it.
pub(crate) async fn open_app(config: &Config) -> anyhow::Result<App> {
    let stores = open_stores(config).await?;
    let site = kiosque_app::settings::saved_settings(&stores, &config.site).await?;
    Ok(App::basic(
        stores,
        config.open_media().await?,
        site,
        config.mailer()?,
    ))
}

/// A use case's refusal, in words for the terminal.
pub(crate) fn refused(e: kiosque_app::Error) -> anyhow::Error {
    match e {
        kiosque_app::Error::Invalid(errors) => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        kiosque_app::Error::Duplicate(what) => anyhow::anyhow!("another account has this {what}"),
        other => anyhow::anyhow!("{other}"),
    }
}

pub async fn run_user(config: &Config, command: &UserCommand) -> anyhow::Result<()> {
    let app = open_app(config).await?;
    match command {
        UserCommand::Create {
            email,
            name,
            role,
            password_stdin: _,
        } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            let user = staff::create_user(&app, By::Operator, email, name, role, password)
                .await
                .map_err(refused)
                .with_context(|| format!("cannot create {email}"))?;
            println!("created {} <{}> ({})", user.name, user.email, user.role);
        }
        UserCommand::List => {
            for user in app.stores.accounts.users().await? {
                let state = if user.active { "" } else { " (deactivated)" };
                println!("{}\t{}\t{}{state}", user.email, user.role, user.name);
            }
        }
        UserCommand::Deactivate { email } => {
            let (user, _) = app
                .stores
                .accounts
                .user_credentials(email)
                .await?
                .with_context(|| format!("no account {email}"))?;
            staff::deactivate(&app, By::Operator, &user)
                .await
                .map_err(refused)?;
            println!("deactivated {}; sessions and tokens revoked", user.email);
        }
    }
    Ok(())
}

pub async fn run_token(config: &Config, command: &TokenCommand) -> anyhow::Result<()> {
    let app = open_app(config).await?;
    match command {
        TokenCommand::Create { email, name } => {
            let (user, _) = app
                .stores
                .accounts
                .user_credentials(email)
                .await?
                .with_context(|| format!("no account {email}"))?;
            if !user.active {
                bail!("{email} is deactivated");
            }
            let token = staff::create_token(&app, By::Operator, &user, name)
                .await
                .map_err(refused)?;
            // Printed once; only its hash is stored.
            println!("{token}");
        }
    }
    Ok(())
}
