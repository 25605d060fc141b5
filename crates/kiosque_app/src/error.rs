//! What a use case answers when it does not do what was asked. Each entrance turns
//! it into its own form (a problem document, the editor again with the error, a
//! message and an exit code) without deciding anything more.

use kiosque_domain::StoreError;
use kiosque_domain::article::ArticleError;

/// A field and what is wrong with it: `key` is a catalogue key (with `|`-separated
/// arguments) for the back office, `message` the same in plain English for the API
/// and the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub key: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field,
            key: key.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The actor's role or ownership does not allow this (the reason, in English).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Nothing by that id, or nothing the actor may see.
    #[error("not found")]
    NotFound,
    /// The input breaks a rule; nothing was written.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The record changed since the version the change was based on.
    #[error("stale version {expected}")]
    Stale { stored: Option<i64>, expected: i64 },
    /// Another record already has this value.
    #[error("another record already has this {0}")]
    Duplicate(&'static str),
    /// The record's state does not allow this now (a closed live…).
    #[error("not now: {0}")]
    Conflict(&'static str),
    /// The agency does not allow it yet (withheld, killed, or under embargo).
    #[error("held by the agency")]
    Held(crate::wire::WireHold),
    /// The storage cannot take writes for now; nothing was changed.
    #[error("storage unavailable")]
    Unavailable,
    /// A fault of ours; the cause is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: &'static str, key: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, key, message)])
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::VersionMismatch { stored, expected } => Self::Stale { stored, expected },
            StoreError::Duplicate(what) => Self::Duplicate(what),
            StoreError::MissingReference(what) => Self::Invalid(vec![FieldError::new(
                "",
                format!("admin-error-missing|{what}"),
                format!("no such {what}"),
            )]),
            StoreError::Invalid(e) => Self::from(e),
            StoreError::Conflict(what) => Self::Conflict(what),
            StoreError::Unavailable(_) => Self::Unavailable,
            StoreError::Other(e) => Self::Internal(e.to_string()),
        }
    }
}

impl From<ArticleError> for Error {
    fn from(e: ArticleError) -> Self {
        let (field, key) = match e {
            ArticleError::EmptyHeadline => ("headline", "admin-error-headline"),
            ArticleError::NoSlug => ("headline", "admin-error-headline-slug"),
            ArticleError::CorrectionWithoutNote => {
                ("correction_note", "admin-error-correction-note")
            }
            ArticleError::MissingPublicationTime | ArticleError::UpdatedBeforePublished => {
                ("", "admin-error-invalid")
            }
        };
        let key = if key == "admin-error-invalid" {
            format!("{key}|{e}")
        } else {
            key.to_owned()
        };
        Self::Invalid(vec![FieldError::new(field, key, e.to_string())])
    }
}

impl From<crate::password::PasswordError> for Error {
    fn from(e: crate::password::PasswordError) -> Self {
        Self::Internal(e.to_string())
    }
}
