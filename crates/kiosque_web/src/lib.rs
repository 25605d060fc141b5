//! The HTTP adapters of Kiosque: the reader site, the back office (`/admin`) and the
//! JSON API (`/api/v1`). A handler extracts the request, calls a use case of
//! `kiosque_app` (which decides, authorizes and writes), and renders the answer; it
//! reads through the domain's store traits only, never a backend, so this crate
//! builds without SQL.
//!
//! Request flow: [`router`] → security headers → handler (`pages::*`) → store traits →
//! view structs (`views`) → minijinja template (`templates`) with strings from the
//! Fluent catalogues (`i18n`). Errors travel as [`AppError`] and are turned into the
//! site's error page by one layer.

pub mod admin;
pub mod api;
mod assets;
pub mod auth;
mod cache;
pub mod community;
mod embeds;
mod error;
mod http;
pub mod i18n;
mod links;
mod pages;
mod pictures;
mod players;
mod router;
mod security;
mod state;
pub mod telemetry;
mod templates;
mod views;

pub use cache::PageCache;
pub use error::AppError;
pub use kiosque_app::{Clock, SharedSettings};
pub use router::{reads_from_replica, router, router_with_replica};
pub use state::{AppContext, AppState, WebCaches};
pub use templates::Templates;
