//! The embedded SQLite backend: one file under the data directory, nothing to run.

use crate::migrations::{Dialect, migrator};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Kiosque's store on SQLite.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// SQLite takes one writer at a time; queueing writers here, in order, beats
    /// leaving them to SQLite's busy-sleep retries (seconds of stall under load).
    write_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite:path/to/file.db`).
    /// Every SQLite setting Kiosque relies on is set here and nowhere else.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory")
            .optimize_on_close(true, None);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            // A local file does not drop connections; a ping before each query would
            // cost a thread round trip every time.
            .test_before_acquire(false)
            // A statement that fails on a full disk makes SQLite roll the transaction
            // back on its own; sqlx's ROLLBACK then fails and its transaction depth
            // stays wrong, so the connection's next transaction starts as a savepoint
            // that is never released and keeps the write lock: every writer, in this
            // process and others, then gets "database is locked". A connection still
            // inside a transaction once its queued rollback has run is closed instead
            // of going back to the pool.
            .after_release(|conn, _meta| {
                Box::pin(async move {
                    use sqlx::Connection;
                    if conn.is_in_transaction() {
                        conn.ping().await?;
                        if conn.is_in_transaction() {
                            tracing::warn!(
                                "closing a database connection left inside a transaction"
                            );
                            return Ok(false);
                        }
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            write_lock: std::sync::Arc::default(),
        })
    }

    /// SQLite plans a statement with the values it gets every time: prepared
    /// statements are kept (see `PostgresStore::PLAN_WITH_VALUES`).
    const PLAN_WITH_VALUES: bool = false;

    /// Held for the duration of a write.
    async fn writing(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        Some(self.write_lock.lock().await)
    }

    /// SQL run on the connection of an import's batch: a 32 MB page cache for that
    /// connection (an import touches a dozen tables and indexes; with SQLite's 2 MB
    /// it reads its own pages back from the file, at half the speed). Only the
    /// connections that write imports keep it.
    const IMPORT_TUNING: Option<&'static str> = Some("PRAGMA cache_size = -32768");

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        migrator(Dialect::Sqlite).run(&self.pool).await
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

impl_stores!(SqliteStore, sqlx::Sqlite);
impl_newsroom!(SqliteStore, crate::newsroom::sql::CLAIM_JOBS_SQLITE);
impl_wire!(SqliteStore);
impl_changes!(SqliteStore, crate::changes::sql::PUBLIC_BY_IDS_SQLITE);
impl_fronts!(SqliteStore);
crate::embeds::impl_embeds!(SqliteStore);
impl_shared_state!(SqliteStore);
crate::imports::impl_imports!(SqliteStore, sqlx::Sqlite);
crate::alerts::impl_alerts!(SqliteStore);
crate::newsletters::impl_newsletters!(SqliteStore);
crate::live::impl_live!(SqliteStore, sqlx::Sqlite);
impl_comments!(SqliteStore, crate::comments::sqlite_sql);

impl crate::comments::HasDb for SqliteStore {
    type Db = sqlx::Sqlite;
}

impl SqliteStore {
    /// Writes a consistent copy of the database to `path` while writers go on:
    /// `VACUUM INTO` reads one snapshot and writes a compact, self-contained file.
    pub async fn backup_into(&self, path: &std::path::Path) -> Result<(), sqlx::Error> {
        let target = path.to_str().ok_or_else(|| {
            sqlx::Error::Configuration("the backup path is not valid UTF-8".into())
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// `PRAGMA integrity_check` of the database: `ok`, or what is wrong.
    pub async fn integrity_check(&self) -> Result<String, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(line,)| line)
            .collect::<Vec<_>>()
            .join("; "))
    }
}
