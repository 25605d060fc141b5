//! Live coverage in the API: `POST/GET /api/v1/articles/{id}/entries`, `PATCH` and
//! `DELETE /api/v1/articles/{id}/entries/{entry_id}`, `POST /api/v1/articles/{id}/close`
//! and `/reopen` — through `kiosque_app::live`, as the back office's live desk.

use super::IdPair as EntryPath;
use super::{
    ApiResult, ApiUser, ArticlePath, Problem, ProblemDocument, expected_revision, parse_json,
    with_etag,
};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use kiosque_app::live::{self, EntryPatch};
use kiosque_domain::live::{EntryContent, LiveEntry};
use kiosque_domain::{Article, ArticleId, LiveEntryId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An entry of a live.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EntryResponse {
    id: i64,
    article_id: i64,
    /// Its number in the live (1 for the first).
    seq: i64,
    /// The revision to send back as `If-Match`.
    revision: i64,
    author: String,
    author_id: Option<i64>,
    title: Option<String>,
    body_markdown: String,
    body_html: String,
    /// An agency whose copy the entry carries.
    credit: Option<String>,
    key_event: bool,
    pinned: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// Where readers find it, for good (its page and its anchor).
    permalink: String,
}

fn entry_response(state: &AppState, article: &Article, e: &LiveEntry) -> EntryResponse {
    EntryResponse {
        id: e.id.0,
        article_id: e.article_id.0,
        seq: e.seq,
        revision: e.revision,
        author: e.author_name.clone(),
        author_id: e.author.map(|u| u.0),
        title: e.title.clone(),
        body_markdown: e.body_markdown.clone(),
        body_html: e.body_html.clone(),
        credit: e.credit.clone(),
        key_event: e.key_event,
        pinned: e.pinned,
        created_at: e.created_at,
        updated_at: e.updated_at,
        permalink: state
            .site()
            .absolute(&e.permalink(&article.canonical_path())),
    }
}

/// A new entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewEntryInput {
    /// Markdown; pictures from the media library by their `/media/…` address.
    #[schema(min_length = 1)]
    body_markdown: String,
    title: Option<String>,
    credit: Option<String>,
    #[serde(default)]
    key_event: bool,
    /// Editors only; unpins the live's pinned entry.
    #[serde(default)]
    pinned: bool,
}

/// The fields of an entry to change; absent ones stay as they are, `null` clears
/// `title` and `credit`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EntryPatchInput {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    title: Option<Option<String>>,
    body_markdown: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    credit: Option<Option<String>>,
    key_event: Option<bool>,
    pinned: Option<bool>,
}

/// A field that is present, perhaps `null` (`Some(None)`), as told from one that is
/// absent (`None`, by `default`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EntryList {
    /// Newest first.
    items: Vec<EntryResponse>,
    /// Pass as `cursor` for older entries; absent on the last page.
    next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct EntryParams {
    /// The `next_cursor` of the previous page (empty: the latest entries).
    #[param(pattern = r"^[0-9]{0,18}$")]
    cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// A live's state.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct LiveResponse {
    id: i64,
    open: bool,
    closed_at: Option<DateTime<Utc>>,
    /// The number of the latest entry.
    last_seq: i64,
    url: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/entries",
    tag = "live",
    summary = "Post an entry to a live",
    params(("id" = i64, Path, description = "Article id of the live")),
    request_body = NewEntryInput,
    responses(
        (status = 201, description = "The entry, with its permalink", body = EntryResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such live", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "The live is closed, or the article is not live coverage", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn post_entry(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: NewEntryInput = parse_json(&headers, &body)?;
    let actor = user.actor();
    let content = EntryContent {
        title: input.title,
        body_markdown: input.body_markdown,
        credit: input.credit,
        key_event: input.key_event,
        pinned: input.pinned,
    };
    let (article, entry) = live::post(&state, &actor, ArticleId(id), content).await?;
    let body = entry_response(&state, &article, &entry);
    let mut response = with_etag(
        (StatusCode::CREATED, Json(body)).into_response(),
        entry.revision,
    );
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/articles/{id}/entries/{}", entry.id.0)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}/entries",
    tag = "live",
    summary = "A live's entries, newest first; walk with `next_cursor`",
    params(("id" = i64, Path, description = "Article id of the live"), EntryParams),
    responses(
        (status = 200, description = "A page of entries", body = EntryList),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "Not live coverage", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such live", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list_entries(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
    params: Result<Query<EntryParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(params) =
        params.map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Bad request", e.body_text()))?;
    let before = match params.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(c.parse::<i64>().map_err(|_| {
            Problem::new(StatusCode::BAD_REQUEST, "Bad request", "Unknown cursor.")
        })?),
    };
    let limit = params.limit.unwrap_or(20);
    if !(1..=live::MAX_LIMIT).contains(&limit) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "`limit` goes from 1 to 100.",
        ));
    }
    let (article, entries) =
        live::entries(&state, &user.actor(), ArticleId(id), before, None, limit).await?;
    let next_cursor = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.seq))
        .flatten()
        .filter(|&seq| seq > 1)
        .map(|seq| seq.to_string());
    let body = EntryList {
        items: entries
            .iter()
            .map(|e| entry_response(&state, &article, e))
            .collect(),
        next_cursor,
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[utoipa::path(
    patch,
    path = "/api/v1/articles/{id}/entries/{entry_id}",
    tag = "live",
    summary = "Change an entry (its words: the author or an editor; pin: editors)",
    params(
        ("id" = i64, Path, description = "Article id of the live"),
        ("entry_id" = i64, Path, description = "Entry id"),
        ("If-Match" = String, Header, pattern = r#"^"?[0-9]{1,18}"?$"#, description = "The revision the change is based on (the `revision`, or the ETag)")
    ),
    request_body = EntryPatchInput,
    responses(
        (status = 200, description = "The saved entry", body = EntryResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "Not live coverage", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such entry", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 412, description = "The entry changed since `If-Match`", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` missing", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn patch_entry(
    State(state): State<AppState>,
    user: ApiUser,
    EntryPath(id, entry_id): EntryPath,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let expected = expected_revision(&headers, "an entry")?;
    let input: EntryPatchInput = parse_json(&headers, &body)?;
    let patch = EntryPatch {
        title: input.title,
        body_markdown: input.body_markdown,
        credit: input.credit,
        key_event: input.key_event,
        pinned: input.pinned,
    };
    let (article, entry) = live::edit(
        &state,
        &user.actor(),
        ArticleId(id),
        LiveEntryId(entry_id),
        patch,
        expected,
    )
    .await?;
    Ok(with_etag(
        Json(entry_response(&state, &article, &entry)).into_response(),
        entry.revision,
    ))
}

#[utoipa::path(
    delete,
    path = "/api/v1/articles/{id}/entries/{entry_id}",
    tag = "live",
    summary = "Take an entry off the live (kept in its history)",
    params(
        ("id" = i64, Path, description = "Article id of the live"),
        ("entry_id" = i64, Path, description = "Entry id"),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^"?[0-9]{1,18}"?$"#, description = "Optional: the revision the deletion is based on")
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "Not live coverage", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such entry", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 412, description = "The entry changed since `If-Match`", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete_entry(
    State(state): State<AppState>,
    user: ApiUser,
    EntryPath(id, entry_id): EntryPath,
    headers: HeaderMap,
) -> ApiResult {
    let expected = match headers.get(header::IF_MATCH) {
        None => None,
        Some(_) => Some(expected_revision(&headers, "an entry")?),
    };
    live::delete(
        &state,
        &user.actor(),
        ArticleId(id),
        LiveEntryId(entry_id),
        expected,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn live_response(state: &AppState, article: &Article) -> LiveResponse {
    let live = article.live_state();
    LiveResponse {
        id: article.id.0,
        open: live.is_open(),
        closed_at: live.closed_at,
        last_seq: live.last_seq,
        url: state.site().absolute(&article.canonical_path()),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/close",
    tag = "live",
    summary = "Close a live (editors): no more entries, \"Ce direct est terminé\"",
    params(("id" = i64, Path, description = "Article id of the live")),
    responses(
        (status = 200, description = "The live's state", body = LiveResponse),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "Not live coverage", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such live", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn close_live(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    let article = live::set_open(&state, &user.actor(), ArticleId(id), false).await?;
    Ok(Json(live_response(&state, &article)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/reopen",
    tag = "live",
    summary = "Open a closed live again (editors)",
    params(("id" = i64, Path, description = "Article id of the live")),
    responses(
        (status = 200, description = "The live's state", body = LiveResponse),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "Not live coverage", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such live", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn reopen_live(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    let article = live::set_open(&state, &user.actor(), ArticleId(id), true).await?;
    Ok(Json(live_response(&state, &article)).into_response())
}
