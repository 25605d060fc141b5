//! The application layer of Kiosque: every newsroom, reader and operations action,
//! with its authorization, written once. The back office and the API
//! (`kiosque_web`), the worker and the command line (`kiosque`) are entrances: they
//! read a request, call a use case here, and show its answer; none decides a rule.
//!
//! - [`policy`]: who may do what, by role and ownership;
//! - [`articles`]: create, edit, publish, schedule, unpublish, correct, list;
//! - [`wire`]: agency copy in, routing rules, watch folders;
//! - [`jobs`] and [`worker`]: durable jobs (typed) and the loop that runs them;
//! - [`mail`], [`purge`], [`signals`]: messages out, proxies purged, other nodes told;
//! - [`throttle`], [`presence`]: limits and editors' presence, shared by all nodes
//!   through the database;
//! - [`password`]: argon2id off the async runtime; [`settings`]; [`clock`].
//!
//! Depends on the domain (types, rules, store traits) and on media and ingest (pure
//! or storage-only); never on HTTP.

pub mod alerts;
pub mod app;
pub mod articles;
pub mod community;
pub mod embeds;
pub mod error;
pub mod import;
pub mod jobs;
pub mod live;
pub mod mail;
pub mod media;
pub mod newsletters;
pub mod ninjs;
pub mod nodes;
pub mod pages;
pub mod password;
pub mod policy;
pub mod presence;
pub mod preview;
pub mod purge;
pub mod push;
pub mod redirects;
pub mod settings;
pub mod signals;
pub mod staff;
pub mod throttle;
pub mod webhooks;
pub mod wire;
pub mod worker;

pub use app::{App, AppCore, LocalCaches, NoCaches};
pub use error::{Error, FieldError, Result};
pub use kiosque_domain::clock::{self, Clock};
pub use policy::{Actor, Entrance};
pub use settings::SharedSettings;
