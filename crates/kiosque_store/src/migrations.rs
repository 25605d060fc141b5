//! Migrations, embedded in the binary. Each exists once per dialect with the same file
//! name in `migrations/sqlite` and `migrations/postgres` (a test checks it); applied
//! migrations are never edited: schema changes are new files, expand then contract.

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// One migration: its file name and its SQL for each dialect.
#[derive(Debug, Clone, Copy)]
pub struct MigrationFile {
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($name:literal) => {
        MigrationFile {
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name)),
            postgres: include_str!(concat!("../migrations/postgres/", $name)),
        }
    };
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[MigrationFile] = &[
    migration!("20261127000001_initial_schema.sql"),
    migration!("20261127000002_newsroom.sql"),
    migration!("20261127000003_section_redirects.sql"),
    migration!("20261127000004_tag_redirects.sql"),
    migration!("20261127000005_media_rights.sql"),
    migration!("20261127000006_wire.sql"),
    migration!("20261127000007_article_changes.sql"),
    migration!("20261127000008_fronts.sql"),
    migration!("20261127000009_publication_dates_index.sql"),
    migration!("20261127000010_translations.sql"),
    migration!("20261127000011_contributor_photos.sql"),
    migration!("20261128000012_comments.sql"),
];

/// Which SQL text of a migration to use.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

pub(crate) fn migrator(dialect: Dialect) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .filter_map(|m| {
            let (version, description) = m.name.trim_end_matches(".sql").split_once('_')?;
            let sql = match dialect {
                Dialect::Sqlite => m.sqlite,
                Dialect::Postgres => m.postgres,
            };
            Some(Migration::new(
                version.parse().ok()?,
                description.replace('_', " ").into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                // A migration that manages its own transaction (SQLite table rebuilds
                // need foreign keys off, which a transaction cannot switch).
                sql.starts_with("-- no-transaction"),
            ))
        })
        .collect();
    Migrator::with_migrations(migrations)
}
