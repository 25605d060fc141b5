//! What every form handler needs, whichever part of the site: the answer to a
//! successful post, and the check that a post comes from the site itself.

use crate::error::AppError;
use crate::state::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A 303 redirect after a successful POST.
pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Refuses cross-site form posts even before the CSRF token is checked: browsers say
/// where a request comes from in `Sec-Fetch-Site` and `Origin`.
pub fn check_same_origin(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(AppError::Forbidden(format!("cross-site request ({site})")));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let same_host = origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host);
        if origin != state.site().base_url && !same_host {
            return Err(AppError::Forbidden(format!("foreign origin {origin}")));
        }
    }
    Ok(())
}
