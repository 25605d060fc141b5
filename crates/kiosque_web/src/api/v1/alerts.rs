//! `POST /api/v1/alerts` (editors) and `GET /api/v1/alerts`: push alerts, through
//! `kiosque_app::alerts` as in the back office.

use super::{ApiResult, ApiUser, ProblemDocument, parse_json};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use kiosque_domain::alert::{Alert, NewAlert};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An alert to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AlertInput {
    /// At most 80 characters.
    #[schema(min_length = 1, max_length = 80)]
    title: String,
    /// At most 160 characters.
    #[schema(min_length = 1, max_length = 160)]
    body: String,
    /// An address of this site (absolute, or a path).
    #[schema(min_length = 1, example = "/monde/un-titre_12.html")]
    url: String,
    /// `alertes` (breaking news) and/or top-level sections' slugs.
    #[schema(min_items = 1, example = json!(["alertes"]))]
    topics: Vec<String>,
}

/// An alert and its fan-out so far.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AlertResponse {
    id: i64,
    title: String,
    body: String,
    url: String,
    topics: Vec<String>,
    created_at: DateTime<Utc>,
    /// Subscriptions it is addressed to.
    recipients: i64,
    sent: i64,
    retried: i64,
    /// Subscriptions gone (404/410), deleted.
    dropped: i64,
    failed: i64,
}

fn response(a: &Alert) -> AlertResponse {
    AlertResponse {
        id: a.id,
        title: a.content.title.clone(),
        body: a.content.body.clone(),
        url: a.content.url.clone(),
        topics: a.content.topics.clone(),
        created_at: a.created_at,
        recipients: a.recipients,
        sent: a.sent,
        retried: a.retried,
        dropped: a.dropped,
        failed: a.failed,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AlertList {
    /// Newest first.
    items: Vec<AlertResponse>,
}

#[utoipa::path(
    post,
    path = "/api/v1/alerts",
    tag = "alerts",
    summary = "Send a push alert (editors): fanned out by the job worker",
    request_body = AlertInput,
    responses(
        (status = 201, description = "The alert, queued", body = AlertResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn send_alert(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: AlertInput = parse_json(&headers, &body)?;
    let alert = NewAlert {
        title: input.title,
        body: input.body,
        url: input.url,
        topics: input.topics,
    };
    let sent = kiosque_app::alerts::send(&state, &user.actor(), alert).await?;
    let mut answer = (StatusCode::CREATED, Json(response(&sent))).into_response();
    answer
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(answer)
}

#[utoipa::path(
    get,
    path = "/api/v1/alerts",
    tag = "alerts",
    summary = "The latest alerts with their counts (editors)",
    responses(
        (status = 200, description = "The latest 50 alerts", body = AlertList),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list_alerts(State(state): State<AppState>, user: ApiUser) -> ApiResult {
    let alerts = kiosque_app::alerts::list(&state, &user.actor(), 50).await?;
    let mut answer = Json(AlertList {
        items: alerts.iter().map(response).collect(),
    })
    .into_response();
    answer
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(answer)
}
