//! `/api/v1/pages`: static pages ("Mentions légales") for editors' scripts, through
//! `kiosque_app::pages` as in the back office. Changes need `If-Match`, as articles.

use super::{
    ApiResult, ApiUser, ArticlePath, Problem, ProblemDocument, expected_revision, parse_json,
    with_etag,
};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kiosque_domain::page::{NewPage, PageId, PageStatus, StaticPage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A static page as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PageResponse {
    id: i64,
    /// The revision to send back as `If-Match`.
    revision: i64,
    /// Without slashes: the page is served at `/{path}/`.
    path: String,
    url: String,
    title: String,
    description: Option<String>,
    body_markdown: String,
    /// `draft` or `published`.
    status: String,
    in_footer: bool,
    footer_position: i64,
    modified_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct PageList {
    items: Vec<PageResponse>,
}

/// A page's content: the whole of it, on creation and on every change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PageInput {
    /// `mentions-legales`, `aide/contact`: lower-case letters, digits and hyphens,
    /// up to three levels.
    #[schema(
        pattern = r"^/?[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*){0,2}/?$",
        max_length = 200
    )]
    path: String,
    #[schema(min_length = 1, max_length = 300)]
    title: String,
    #[serde(default)]
    body_markdown: String,
    #[serde(default)]
    #[schema(max_length = 300)]
    description: Option<String>,
    /// `draft` (default) or `published`.
    #[serde(default)]
    #[schema(pattern = "^(draft|published)$")]
    status: Option<String>,
    #[serde(default)]
    in_footer: bool,
    /// Order in the footer, smallest first.
    #[serde(default, deserialize_with = "position")]
    #[schema(minimum = -9999, maximum = 9999)]
    footer_position: i64,
}

/// A footer position: an integer (`3`, or `3.0` as JSON allows), -9999 to 9999.
fn position<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    let n = serde_json::Number::deserialize(d)?;
    let value = match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => Some(i),
        (None, Some(f)) if f.fract() == 0.0 && f.abs() <= 9999.0 => Some(f as i64),
        _ => None,
    };
    value
        .filter(|v| (-9999..=9999).contains(v))
        .ok_or_else(|| D::Error::custom("footer_position is an integer from -9999 to 9999"))
}

impl PageInput {
    fn content(&self) -> Result<NewPage, Problem> {
        let status = match self.status.as_deref() {
            None => PageStatus::Draft,
            Some(s) => PageStatus::parse(s).ok_or_else(|| {
                Problem::invalid(vec![("status", "`draft` or `published`".into())])
            })?,
        };
        Ok(NewPage {
            path: self.path.clone(),
            title: self.title.trim().to_owned(),
            description: self.description.clone().filter(|d| !d.trim().is_empty()),
            body_markdown: self.body_markdown.clone(),
            status,
            in_footer: self.in_footer,
            footer_position: self.footer_position,
        })
    }
}

fn response(state: &AppState, page: &StaticPage) -> PageResponse {
    PageResponse {
        id: page.id.0,
        revision: page.version,
        path: page.path.clone(),
        url: state.site().absolute(&page.public_path()),
        title: page.title.clone(),
        description: page.description.clone(),
        body_markdown: page.body_markdown.clone(),
        status: page.status.as_str().into(),
        in_footer: page.in_footer,
        footer_position: page.footer_position,
        modified_at: page.modified_at,
    }
}

fn one(state: &AppState, page: &StaticPage, status: StatusCode) -> Response {
    let mut answer = with_etag(
        (status, Json(response(state, page))).into_response(),
        page.version,
    );
    if status == StatusCode::CREATED
        && let Ok(v) = HeaderValue::from_str(&format!("/api/v1/pages/{}", page.id))
    {
        answer.headers_mut().insert(header::LOCATION, v);
    }
    answer
}

#[utoipa::path(
    get,
    path = "/api/v1/pages",
    tag = "pages",
    summary = "List static pages, footer pages first in their order",
    responses(
        (status = 200, description = "Every static page", body = PageList),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list_pages(State(state): State<AppState>, user: ApiUser) -> ApiResult {
    let pages = kiosque_app::pages::list(&state, &user.actor()).await?;
    let items = pages.iter().map(|p| response(&state, p)).collect();
    Ok(Json(PageList { items }).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/pages",
    tag = "pages",
    summary = "Create a static page",
    request_body = PageInput,
    responses(
        (status = 201, description = "The new page", body = PageResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (the address taken, reserved or a section's)", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create_page(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: PageInput = parse_json(&headers, &body)?;
    let page = kiosque_app::pages::create(&state, &user.actor(), input.content()?).await?;
    Ok(one(&state, &page, StatusCode::CREATED))
}

#[utoipa::path(
    get,
    path = "/api/v1/pages/{id}",
    tag = "pages",
    summary = "Read a static page",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 200, description = "The page", body = PageResponse),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such page", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn show_page(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    let page = kiosque_app::pages::load(&state, &user.actor(), PageId(id)).await?;
    Ok(one(&state, &page, StatusCode::OK))
}

#[utoipa::path(
    put,
    path = "/api/v1/pages/{id}",
    tag = "pages",
    summary = "Replace a static page's content",
    params(
        ("id" = i64, Path, description = "Page id"),
        ("If-Match" = String, Header, pattern = r#"^"?[0-9]+"?$"#, description = "The revision the change is based on (the `revision`, or the ETag)")
    ),
    request_body = PageInput,
    responses(
        (status = 200, description = "The saved page", body = PageResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such page", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 412, description = "The page changed since `If-Match`", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` missing", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn put_page(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let expected = expected_revision(&headers, "a page")?;
    let input: PageInput = parse_json(&headers, &body)?;
    let page = kiosque_app::pages::save(
        &state,
        &user.actor(),
        PageId(id),
        input.content()?,
        expected,
    )
    .await?;
    Ok(one(&state, &page, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/pages/{id}",
    tag = "pages",
    summary = "Delete a static page",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such page", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete_page(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    kiosque_app::pages::delete(&state, &user.actor(), PageId(id)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
