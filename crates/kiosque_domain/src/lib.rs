//! The news domain of Kiosque: what an article is, how its byline, dates, reading
//! time and age banner read, how slugs and canonical URLs are built, and the async
//! traits behind which every storage backend lives.
//!
//! This crate is pure: no HTTP, no SQL. Everything here can be unit-tested without
//! I/O, and the web and store crates both depend on it, never on each other.

pub mod age;
pub mod alert;
pub mod article;
pub mod body;
pub mod byline;
pub mod clock;
pub mod comment;
pub mod embed;
pub mod front;
pub mod ids;
pub mod lifecycle;
pub mod live;
pub mod media;
pub mod newsletter;
pub mod page;
pub mod people;
pub mod reading;
pub mod redirect;
pub mod secret;
pub mod section;
pub mod site;
pub mod slug;
pub mod staff;
pub mod store;
pub mod surrogate;
pub mod tag;
pub mod url;
pub mod webhook;
pub mod wire;

pub use article::{Article, ArticleStatus, ArticleSummary, LeadImage, NewArticle};
pub use ids::{ArticleId, ContributorId, LiveEntryId, MediaId, SectionId, TagId};
pub use live::{ArticleKind, LiveEntry, LiveState};
pub use people::{Agency, Contributor, ContributorKind, NewContributor};
pub use section::{NewSection, Section, SectionTree};
pub use site::{Locale, SiteSettings};
pub use slug::Slug;
pub use staff::{Role, User, UserId};
pub use store::{StoreError, StoreResult, Stores};
pub use tag::Tag;
