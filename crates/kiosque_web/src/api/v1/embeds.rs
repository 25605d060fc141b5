//! Embeds in the API: `GET /api/v1/articles/{id}/embeds` (what is stored) and
//! `POST /api/v1/articles/{id}/embeds/refresh` (ask the providers again), through
//! `kiosque_app::embeds`, as the editor's refresh button.

use super::{ApiResult, ApiUser, ArticlePath, ProblemDocument};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use kiosque_domain::ArticleId;
use kiosque_domain::embed::Embed;
use serde::Serialize;
use utoipa::ToSchema;

/// An embed as stored when the article was saved.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EmbedResponse {
    /// The URL as written in the body.
    url: String,
    provider: String,
    /// `frame` (the player behind a consent placeholder) or `card` (text only).
    style: String,
    title: String,
    author_name: String,
    author_url: String,
    /// The player's address, checked against the provider's origins.
    frame_src: Option<String>,
    width: u32,
    height: u32,
    card_text: String,
    card_date: String,
    /// The thumbnail, copied into the media library.
    thumbnail_url: Option<String>,
    fetched_at: DateTime<Utc>,
    /// Why the last fetch failed, if it did.
    error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EmbedList {
    items: Vec<EmbedResponse>,
}

fn list(state: &AppState, embeds: Vec<Embed>) -> EmbedList {
    let site = state.site();
    EmbedList {
        items: embeds
            .into_iter()
            .map(|e| EmbedResponse {
                thumbnail_url: e.thumbnail.as_ref().map(|t| site.absolute(&t.url)),
                url: e.url,
                provider: e.provider,
                style: e.style.as_str().to_owned(),
                title: e.title,
                author_name: e.author_name,
                author_url: e.author_url,
                frame_src: e.frame_src,
                width: e.width,
                height: e.height,
                card_text: e.card_text,
                card_date: e.card_date,
                fetched_at: e.fetched_at,
                error: e.error,
            })
            .collect(),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}/embeds",
    tag = "articles",
    summary = "The embeds an article's body names, as stored at its last save",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The embeds", body = EmbedList),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list_embeds(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    kiosque_app::articles::load(&state, &user.actor(), ArticleId(id)).await?;
    let embeds = kiosque_app::embeds::of_article(&state, ArticleId(id)).await?;
    Ok(Json(list(&state, embeds)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/embeds/refresh",
    tag = "articles",
    summary = "Ask the providers again about every embed of the article",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The embeds, as now stored (a failure is in `error`)", body = EmbedList),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not change this article", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn refresh_embeds(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    let embeds = kiosque_app::embeds::refresh_article(&state, &user.actor(), ArticleId(id)).await?;
    Ok(Json(list(&state, embeds)).into_response())
}
