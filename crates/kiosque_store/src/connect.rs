//! From a database URL to a migrated backend.

use crate::postgres::PostgresStore;
use crate::sqlite::SqliteStore;
use kiosque_domain::Stores;
use std::sync::Arc;

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Reads the scheme of a database URL.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// What can go wrong while opening the database.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL (expected sqlite:… or postgres://…)")]
    UnsupportedUrl,
    #[error("cannot connect to the database")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply migrations")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Opens the database at `url`, applies migrations, and returns its stores.
pub async fn connect(url: &str) -> Result<Stores, ConnectError> {
    match Backend::of_url(url).ok_or(ConnectError::UnsupportedUrl)? {
        Backend::Sqlite => {
            let store = SqliteStore::connect(url)
                .await
                .map_err(ConnectError::Connect)?;
            store.migrate().await.map_err(ConnectError::Migrate)?;
            Ok(Stores::from_backend("sqlite", Arc::new(store)))
        }
        Backend::Postgres => {
            let store = PostgresStore::connect(url)
                .await
                .map_err(ConnectError::Connect)?;
            store.migrate().await.map_err(ConnectError::Migrate)?;
            Ok(Stores::from_backend("postgres", Arc::new(store)))
        }
    }
}

/// Opens PostgreSQL with every table inside `schema`, applies migrations.
pub async fn connect_postgres_in_schema(url: &str, schema: &str) -> Result<Stores, ConnectError> {
    let store = PostgresStore::connect_in_schema(url, schema)
        .await
        .map_err(ConnectError::Connect)?;
    store.migrate().await.map_err(ConnectError::Migrate)?;
    Ok(Stores::from_backend("postgres", Arc::new(store)))
}

/// Refreshes PostgreSQL's planner statistics (`ANALYZE`) after a bulk load. Without
/// them PostgreSQL planned the home page and the feeds over 100,000 freshly generated
/// articles as if the tables were empty: 1.4–1.6 s a page, 11–13 ms after.
pub async fn refresh_statistics(url: &str) -> Result<(), ConnectError> {
    use sqlx::Connection;
    match Backend::of_url(url).ok_or(ConnectError::UnsupportedUrl)? {
        // SQLite's plans here are chosen without statistics (the queries are written
        // for that) and `PRAGMA optimize` runs when connections close.
        Backend::Sqlite => {}
        Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url)
                .await
                .map_err(ConnectError::Connect)?;
            sqlx::query("ANALYZE")
                .execute(&mut conn)
                .await
                .map_err(ConnectError::Connect)?;
        }
    }
    Ok(())
}
