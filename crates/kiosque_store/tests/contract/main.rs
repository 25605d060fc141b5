//! The store contract: the same scenarios on every backend. SQLite always runs; PostgreSQL
//! runs when `KIOSQUE_TEST_POSTGRES_URL` is set, each test in a fresh schema of its own.
#![expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and the environment that enables their suites"
)]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly, like the tests"
)]

mod comments;
mod harness;
mod live;
mod moving;
mod newsroom;
mod scenarios;
mod wire;

use comments::*;
use live::*;
use moving::*;
use newsroom::*;
use scenarios::*;
use wire::*;

#[test]
fn migrations_have_identical_names_on_both_dialects() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |dialect: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(dialect))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
    let embedded: Vec<String> = kiosque_store::MIGRATIONS
        .iter()
        .map(|m| m.name.to_owned())
        .collect();
    assert_eq!(
        embedded, sqlite,
        "every migration file must be listed in MIGRATIONS"
    );
}
