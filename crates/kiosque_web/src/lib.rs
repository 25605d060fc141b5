//! The HTTP surface of Kiosque: the reader site today; `/admin` and `/api/v1` join
//! it as their issues land. Handlers depend on the domain's store traits only, never on
//! a backend, so this crate builds without SQL.
//!
//! Request flow: [`router`] → security headers → handler (`pages::*`) → store traits →
//! view structs (`views`) → minijinja template (`templates`) with strings from the
//! Fluent catalogues (`i18n`). Errors travel as [`AppError`] and are turned into the
//! site's error page by one layer.

pub mod admin;
pub mod api;
pub mod auth;
mod cache;
pub mod community;
mod error;
pub mod i18n;
pub mod mail;
mod pages;
pub mod presence;
pub mod purge;
mod router;
mod security;
pub mod signals;
mod state;
pub mod telemetry;
mod templates;
mod views;
pub mod wire;

pub use cache::PageCache;
pub use error::AppError;
pub use router::{reads_from_replica, router, router_with_replica};
pub use state::{AppContext, AppState, Clock, SharedSettings};
pub use templates::Templates;
