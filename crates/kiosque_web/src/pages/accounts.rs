//! Reader accounts are not built yet: the login link of the comments area leads here,
//! to a page that says so plainly rather than to a dead end.

use crate::error::AppError;
use crate::state::AppState;
use crate::views::message_page;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// Where the comments area sends readers to log in.
pub const LOGIN_PATH: &str = "/compte/connexion";

pub fn routes() -> Router<AppState> {
    Router::new().route(LOGIN_PATH, get(show_login))
}

async fn show_login(State(state): State<AppState>) -> Result<Response, AppError> {
    let c = &state.catalogs;
    let locale = state.site().locale;
    let html = message_page(
        &state,
        "accounts-title",
        c.text(locale, "accounts-heading"),
        c.message(
            locale,
            "accounts-text",
            &[("site", state.site().name.clone().into())],
        ),
        ("/".into(), c.text(locale, "accounts-back")),
    )
    .await?;
    Ok(Html(html).into_response())
}
