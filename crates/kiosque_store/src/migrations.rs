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
    migration!("20261128000013_several_nodes.sql"),
    migration!("20261202000014_shared_state.sql"),
    migration!("20261202000015_pages_redirects_import.sql"),
    migration!("20261202000016_live.sql"),
    migration!("20261202000017_push_alerts.sql"),
    migration!("20261202000018_newsletters_webhooks.sql"),
    migration!("20261203000019_embeds.sql"),
    migration!("20261203000020_media_av.sql"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    /// What in a PostgreSQL migration would break nodes still on the previous
    /// version: removing or changing what exists. `None` when it only adds, or says on
    /// a `-- contract:` line which earlier version stopped using what it removes.
    fn contracts(sql: &str) -> Option<&'static str> {
        const CONTRACTING: &[&str] = &[
            "DROP TABLE",
            "DROP COLUMN",
            "DROP VIEW",
            "DROP TRIGGER",
            "DROP FUNCTION",
            "RENAME TO",
            "RENAME COLUMN",
            "SET NOT NULL",
            "SET DATA TYPE",
            "TRUNCATE",
        ];
        if sql.contains("-- contract:") {
            return None;
        }
        let code = sql
            .lines()
            .filter(|line| !line.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n")
            .to_uppercase();
        CONTRACTING
            .iter()
            .copied()
            .find(|s| code.contains(s))
            .or_else(|| {
                // `ALTER COLUMN c TYPE t` (a `CREATE TYPE` only adds).
                code.split(';')
                    .any(|statement| {
                        statement.contains("ALTER COLUMN") && statement.contains(" TYPE ")
                    })
                    .then_some("ALTER COLUMN … TYPE")
            })
    }

    /// During a rolling upgrade, nodes still on the previous version run against the
    /// new schema (docs/DEPLOYMENT.md), so PostgreSQL migrations only expand. (SQLite
    /// runs one node, stopped to upgrade.)
    #[test]
    fn postgres_migrations_expand_unless_they_say_what_they_contract() {
        for migration in MIGRATIONS {
            assert_eq!(contracts(migration.postgres), None, "{}", migration.name);
        }
        let drop =
            "-- Bylines moved to article_contributors.\nALTER TABLE articles DROP COLUMN byline;";
        assert_eq!(contracts(drop), Some("DROP COLUMN"));
        assert_eq!(
            contracts("ALTER TABLE articles ALTER COLUMN title TYPE text;"),
            Some("ALTER COLUMN … TYPE")
        );
        assert_eq!(contracts("CREATE TYPE mood AS ENUM ('calm');"), None);
        assert_eq!(
            contracts("DROP TRIGGER t ON articles;"),
            Some("DROP TRIGGER")
        );
        let said = format!("-- contract: 0.3 stopped reading it\n{drop}");
        assert_eq!(contracts(&said), None);
        assert_eq!(
            contracts("CREATE FUNCTION kiosque_tag_renamed() RETURNS trigger"),
            None
        );
    }

    /// The comments migration rebuilds `users` on SQLite (to widen its role check):
    /// an existing newsroom's accounts, sessions, tokens and history must survive it
    /// with every reference intact.
    #[tokio::test]
    async fn rebuilding_users_on_sqlite_keeps_the_newsroom() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("k.db"))
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        let all = migrator(Dialect::Sqlite);
        let before: Vec<_> = all
            .iter()
            .filter(|m| !m.sql.as_str().starts_with("-- no-transaction"))
            .take_while(|m| m.version < 20261128000012)
            .cloned()
            .collect();
        Migrator::with_migrations(before).run(&pool).await.unwrap();
        for sql in [
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at) VALUES (1, 'chef@example.org', 'Chef', 'editor', 'h', 1, '2026-01-01T00:00:00+00:00')",
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ('t', 1, 'c', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', '2099-01-01T00:00:00+00:00')",
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (1, 'robot', 'th', '2026-01-01T00:00:00+00:00')",
            "INSERT INTO audit_log (user_id, action, target, detail, created_at) VALUES (1, 'login', 'x', '', '2026-01-01T00:00:00+00:00')",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .unwrap();
        }
        all.run(&pool).await.unwrap();
        let count = |table: &'static str| {
            let pool = pool.clone();
            async move {
                let (n,): (i64,) =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                n
            }
        };
        assert_eq!(count("users").await, 1);
        assert_eq!(
            count("sessions").await,
            1,
            "sessions were not cascaded away"
        );
        assert_eq!(count("api_tokens").await, 1);
        assert_eq!(count("audit_log").await, 1);
        let problems: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(integrity, "ok");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(fk, 1, "foreign keys are back on after the rebuild");
        // The new role is accepted, an unknown one still refused.
        sqlx::query("INSERT INTO users (email, name, role, password_hash, created_at) VALUES ('m@x.fr', 'M', 'moderator', 'h', 'now')")
            .execute(&pool)
            .await
            .unwrap();
        assert!(
            sqlx::query("INSERT INTO users (email, name, role, password_hash, created_at) VALUES ('z@x.fr', 'Z', 'chief', 'h', 'now')")
                .execute(&pool)
                .await
                .is_err()
        );
        // Deleting a user still cascades to their sessions: the references point at the
        // rebuilt table.
        sqlx::query("DELETE FROM audit_log")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM api_tokens")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM users WHERE id = 1")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(count("sessions").await, 0);
    }
}
