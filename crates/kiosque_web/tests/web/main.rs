//! Page tests through the router, on a real SQLite database in a temporary folder.
#![expect(
    clippy::disallowed_methods,
    reason = "tests read the real clock and the environment that enables their suites"
)]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly, like the tests"
)]

mod admin;
mod alerts;
mod api;
mod app;
mod article_page;
mod bad_input;
mod comments;
mod concurrency;
mod embeds;
mod feeds;
mod fronts;
mod listings;
mod live;
mod moving;
mod newsletters;
mod operations;
mod search;
mod site;
mod sitemaps;
mod wire;
