//! One error type for every handler. [`AppError::status_code`] decides the status;
//! the response carries an [`ErrorPage`] marker that the error layer (in `router`) turns
//! into the site's own error page. Server errors are logged with their cause and never
//! shown to the reader.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kiosque_domain::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The article existed and was withdrawn.
    #[error("gone")]
    Gone,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A back-office page asked for without a session: go to the login page.
    #[error("login required")]
    LoginRequired(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The action conflicts with the stored state (a stale version, a duplicate).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A rate limit was reached.
    #[error("too many requests")]
    TooMany,
    #[error("storage failed")]
    Store(#[source] StoreError),
    #[error("template rendering failed")]
    Template(#[from] minijinja::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            other => AppError::Store(other),
        }
    }
}

impl From<kiosque_app::Error> for AppError {
    fn from(e: kiosque_app::Error) -> Self {
        use kiosque_app::Error as E;
        match e {
            E::Forbidden(why) => AppError::Forbidden(why.into()),
            E::NotFound => AppError::NotFound,
            E::Invalid(errors) => AppError::BadRequest(
                errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            e @ (E::Stale { .. } | E::Duplicate(_) | E::Held(_) | E::Conflict(_)) => {
                AppError::Conflict(e.to_string())
            }
            E::Unavailable => {
                AppError::Store(StoreError::Unavailable("storage unavailable".into()))
            }
            E::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<kiosque_app::password::PasswordError> for AppError {
    fn from(e: kiosque_app::password::PasswordError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// Marker left on error responses; the error layer renders the page for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorPage(pub StatusCode);

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Gone => StatusCode::GONE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::LoginRequired(_) => StatusCode::SEE_OTHER,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooMany => StatusCode::TOO_MANY_REQUESTS,
            AppError::Store(StoreError::Unavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Store(_) | AppError::Template(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        if status.is_server_error() {
            // `{:#}`-style chain: the cause is what an operator needs.
            let mut chain = self.to_string();
            let mut source = std::error::Error::source(&self);
            while let Some(s) = source {
                chain.push_str(": ");
                chain.push_str(&s.to_string());
                source = s.source();
            }
            tracing::error!(error = %chain, "request failed");
        }
        if let AppError::LoginRequired(next) = &self {
            let target = format!("/admin/login?next={}", percent_encode(next));
            let location = axum::http::HeaderValue::from_str(&target)
                .unwrap_or(axum::http::HeaderValue::from_static("/admin/login"));
            return (status, [(axum::http::header::LOCATION, location)]).into_response();
        }
        let mut response = status.into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("60"),
            );
        }
        response.extensions_mut().insert(ErrorPage(status));
        response
    }
}

/// Percent-encodes a path for use as a query value.
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
