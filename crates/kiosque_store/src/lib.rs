//! SQLite and PostgreSQL backends behind the domain's store traits.
//!
//! [`connect`] reads a database URL (`sqlite:…` or `postgres://…`), opens a pool,
//! applies the embedded migrations and returns [`Stores`]. Both backends share one
//! implementation of the traits (`shared.rs`): the SQL text is the same wherever the
//! dialects agree (`$1` placeholders, `RETURNING`, `ON CONFLICT`), and only the schema
//! files differ.

#[macro_use]
mod shared;
#[macro_use]
mod newsroom;
#[macro_use]
mod wire;
#[macro_use]
mod changes;
#[macro_use]
mod fronts;
#[macro_use]
mod comments;
#[macro_use]
mod shared_state;
mod alerts;
mod connect;
mod embeds;
mod imports;
mod live;
mod migrations;
mod newsletters;
mod postgres;
mod replica;
mod rows;
mod sqlite;

pub use connect::{Backend, ConnectError, connect, connect_postgres_in_schema, refresh_statistics};
pub use kiosque_domain::Stores;
pub use migrations::{MIGRATIONS, MigrationFile};
pub use postgres::PostgresStore;
pub use replica::connect_replica;
pub use sqlite::SqliteStore;
