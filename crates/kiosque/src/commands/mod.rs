//! One module per subcommand.

mod backup;
mod demo;
mod import;
mod ingest;
mod reindex;
mod serve;
mod staff;

use crate::cli::{Cli, Command, ConfigCommand};
use crate::config::{Config, EXAMPLE, redact_url};
use anyhow::Context;
use kiosque_domain::Stores;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve(args) => {
            serve::run(Config::load(&cli, Some(args))?, args.demo, !args.no_worker).await
        }
        Command::Worker => serve::run_worker(Config::load(&cli, None)?).await,
        Command::Migrate => {
            let config = Config::load(&cli, None)?;
            open_stores(&config).await?;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Demo {
            generate,
            articles,
            comments,
        } => {
            demo::run(
                &Config::load(&cli, None)?,
                generate.then_some(*articles),
                *comments,
            )
            .await
        }
        Command::User(command) => staff::run_user(&Config::load(&cli, None)?, command).await,
        Command::Token(command) => staff::run_token(&Config::load(&cli, None)?, command).await,
        Command::Ingest { paths } => ingest::run(&Config::load(&cli, None)?, paths).await,
        Command::Import(command) => import::run(&Config::load(&cli, None)?, command).await,
        Command::Reindex => reindex::run(&Config::load(&cli, None)?).await,
        Command::Backup { out } => backup::backup(&Config::load(&cli, None)?, out).await,
        Command::Restore { from } => backup::restore(&Config::load(&cli, None)?, from).await,
        Command::Config(ConfigCommand::Example) => {
            print!("{EXAMPLE}");
            Ok(())
        }
    }
}

/// Opens the configured database and applies pending migrations.
pub async fn open_stores(config: &Config) -> anyhow::Result<Stores> {
    kiosque_store::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                redact_url(&config.database_url)
            )
        })
}
