//! The PostgreSQL backend, for sites that outgrow one machine.

use crate::migrations::{Dialect, migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;

/// Kiosque's store on PostgreSQL.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Self::connect_with(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with every table inside `schema` (created if missing), so several
    /// sites, or several test runs, can share one database.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self, sqlx::Error> {
        if !schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            || schema.is_empty()
        {
            return Err(sqlx::Error::Configuration(
                format!("invalid schema name {schema:?}").into(),
            ));
        }
        let base = PgConnectOptions::from_str(url)?;
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(base.clone())
            .await?;
        // The name was checked above to be a plain identifier; DDL takes no parameters.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}"
        )))
        .execute(&admin)
        .await?;
        admin.close().await;
        Self::connect_with(base.options([("search_path", schema)])).await
    }

    async fn connect_with(options: PgConnectOptions) -> Result<Self, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// sqlx prepares every statement once per connection, and after five runs
    /// PostgreSQL may switch a prepared statement to a generic plan, made without the
    /// parameters' values. For a tag's listing, whose best plan depends on the tag,
    /// that plan was 80 times slower (a tag page at 8 requests/s instead of 650), so
    /// that query is sent unnamed, planned with its values each time. Planning every
    /// statement each time (`plan_cache_mode=force_custom_plan`) fixed it too, but
    /// doubled the time of an article page.
    const PLAN_WITH_VALUES: bool = true;

    /// PostgreSQL handles concurrent writers itself.
    async fn writing(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        None
    }

    /// Nothing to tune per connection for imports.
    const IMPORT_TUNING: Option<&'static str> = None;

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        migrator(Dialect::Postgres).run(&self.pool).await
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

impl_stores!(PostgresStore, sqlx::Postgres);
impl_newsroom!(PostgresStore, crate::newsroom::sql::CLAIM_JOBS_POSTGRES);
impl_wire!(PostgresStore);
impl_changes!(PostgresStore, crate::changes::sql::PUBLIC_BY_IDS_POSTGRES);
impl_fronts!(PostgresStore);
crate::embeds::impl_embeds!(PostgresStore);
impl_shared_state!(PostgresStore);
crate::imports::impl_imports!(PostgresStore, sqlx::Postgres);
crate::alerts::impl_alerts!(PostgresStore);
crate::newsletters::impl_newsletters!(PostgresStore);
crate::live::impl_live!(PostgresStore, sqlx::Postgres);
impl_comments!(PostgresStore, crate::comments::postgres_sql);

impl crate::comments::HasDb for PostgresStore {
    type Db = sqlx::Postgres;
}
