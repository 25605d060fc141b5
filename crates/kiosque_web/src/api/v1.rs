//! `/api/v1`: articles (create, read, list with cursors, patch with `If-Match`,
//! publish, unpublish) and media uploads.

use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use kiosque_app::articles;
use kiosque_app::policy::{Actor, Entrance};
use kiosque_domain::article::{Article, ArticleStatus, EditKind, NewArticle, NewLeadImage};
use kiosque_domain::lifecycle::Creations;
use kiosque_domain::secret::hash_token;
use kiosque_domain::store::{AdminQuery, StoreError};
use kiosque_domain::{ArticleId, MediaId, SectionId, SectionTree, User};
use kiosque_media::{ImageMeta, MediaError, MediaLibrary};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod alerts;
mod embeds;
mod live;
mod pages;
mod syndication;

/// Largest media upload accepted.
pub const MAX_MEDIA_BYTES: usize = 20 * 1024 * 1024;
/// Largest page of a list; walk further with the cursor, there is no cap on the total.
pub const MAX_PAGE: u32 = 500;

pub fn routes() -> Router<AppState> {
    let (router, _) = api().split_for_parts();
    router.route("/api/v1/openapi.json", get(openapi))
}

/// The routes together with their OpenAPI description, collected from the handlers'
/// `#[utoipa::path]` annotations: a route cannot be served without being described.
fn api() -> OpenApiRouter<AppState> {
    let (schemas, paths, media) = routes!(upload_media);
    // Images are read whole up to MAX_MEDIA_BYTES; videos and sounds stream to disk
    // up to MAX_AV_BYTES, checked as they arrive.
    let media = media.layer(DefaultBodyLimit::max(MAX_AV_BYTES as usize));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(create_article, list_articles))
        .routes(routes!(show_article, patch_article))
        .routes(routes!(publish_article))
        .routes(routes!(unpublish_article))
        .routes(routes!(push_wire))
        .routes(routes!(alerts::send_alert, alerts::list_alerts))
        .routes(routes!(live::post_entry, live::list_entries))
        .routes(routes!(live::patch_entry, live::delete_entry))
        .routes(routes!(set_poster))
        .routes(routes!(set_captions))
        .routes(routes!(embeds::list_embeds))
        .routes(routes!(embeds::refresh_embeds))
        .routes(routes!(live::close_live))
        .routes(routes!(live::reopen_live))
        .routes(routes!(pages::list_pages, pages::create_page))
        .routes(routes!(
            syndication::create_newsletter,
            syndication::list_newsletters
        ))
        .routes(routes!(syndication::create_edition))
        .routes(routes!(syndication::show_edition))
        .routes(routes!(syndication::send_edition))
        .routes(routes!(syndication::bounces))
        .routes(routes!(syndication::article_ninjs))
        .routes(routes!(syndication::ninjs_feed))
        .routes(routes!(
            syndication::create_webhook,
            syndication::list_webhooks
        ))
        .routes(routes!(syndication::delete_webhook))
        .routes(routes!(syndication::list_deliveries))
        .routes(routes!(syndication::replay_delivery))
        .routes(routes!(
            pages::show_page,
            pages::put_page,
            pages::delete_page
        ))
        .routes((schemas, paths, media))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kiosque admin API",
        version = "1",
        description = "Articles, static pages and media for newsroom scripts and wire robots. Authenticate with a personal token (`kiosque token create`); errors are RFC 9457 problem documents."
    ),
    modifiers(&BearerToken),
    security(("token" = []))
)]
struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Personal API token (`kiosque token create`)"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI 3.1 description of `/api/v1`, generated from the handlers.
pub fn openapi_document() -> Value {
    serde_json::to_value(api().into_openapi()).unwrap_or_default()
}

async fn openapi() -> Response {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    let mut response = Json(DOCUMENT.get_or_init(openapi_document)).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// The body of every error answer (`application/problem+json`).
#[derive(Debug, Serialize, ToSchema)]
struct ProblemDocument {
    /// Always `about:blank`: the status says what kind of problem it is.
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    /// Per-field errors of an invalid request.
    errors: Vec<FieldError>,
}

/// An RFC 9457 problem document.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<FieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
struct FieldError {
    field: String,
    message: String,
}

impl Problem {
    fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            title,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    fn invalid(errors: Vec<(&str, String)>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            title: "Invalid article",
            detail: "Some fields are invalid; see `errors`.".into(),
            errors: errors
                .into_iter()
                .map(|(field, message)| FieldError {
                    field: field.into(),
                    message,
                })
                .collect(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(detail = %self.detail, "api request failed");
        }
        let body = ProblemDocument {
            r#type: "about:blank".into(),
            title: self.title.into(),
            status: self.status.as_u16(),
            // Server errors are logged with their cause; the client learns only that
            // it failed, except for storage that is full or read-only (503), which
            // the client can do something about: retry later.
            detail: if self.status.is_server_error()
                && self.status != StatusCode::SERVICE_UNAVAILABLE
            {
                "Internal error".to_owned()
            } else {
                self.detail
            },
            errors: self.errors,
        };
        let mut response = (self.status, Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        kiosque_app::Error::from(e).into()
    }
}

impl From<kiosque_app::Error> for Problem {
    fn from(e: kiosque_app::Error) -> Self {
        use kiosque_app::Error as E;
        use kiosque_app::wire::WireHold;
        match e {
            E::Forbidden(why) => forbidden(why),
            E::NotFound => Problem::new(StatusCode::NOT_FOUND, "Not found", "No such resource."),
            E::Invalid(errors) => {
                Problem::invalid(errors.into_iter().map(|e| (e.field, e.message)).collect())
            }
            E::Stale { stored, expected } => Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "Stale revision",
                match stored {
                    Some(stored) => format!(
                        "The article is at revision {stored}; this change was based on {expected}."
                    ),
                    None => format!("The article changed since revision {expected}."),
                },
            ),
            E::Duplicate(what) => Problem::new(
                StatusCode::CONFLICT,
                "Conflict",
                format!("Another record already has this {what}."),
            ),
            E::Conflict(what) => Problem::new(
                StatusCode::CONFLICT,
                "Conflict",
                format!("Not possible now: {what}."),
            ),
            E::Held(WireHold::Withheld) => Problem::new(
                StatusCode::CONFLICT,
                "Held by the agency",
                "The source dispatch is withheld or canceled: the article cannot be published.",
            ),
            E::Held(WireHold::Embargo(until)) => Problem::new(
                StatusCode::CONFLICT,
                "Under embargo",
                format!(
                    "The source dispatch is under embargo until {}; schedule with `at` at or after it.",
                    until.to_rfc3339()
                ),
            ),
            E::Unavailable => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Storage unavailable",
                "Cannot store anything at the moment; nothing was changed, retry later.",
            ),
            E::Internal(cause) => {
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal error", cause)
            }
        }
    }
}

type ApiResult = Result<Response, Problem>;

/// The owner of the bearer token.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Send a personal API token as `Authorization: Bearer kq_…`.",
            )
        };
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(unauthorized)?;
        let token = value
            .strip_prefix("Bearer ")
            .ok_or_else(unauthorized)?
            .trim();
        let user = state
            .stores
            .accounts
            .user_by_api_token(&hash_token(token), state.now())
            .await?
            .ok_or_else(unauthorized)?;
        Ok(ApiUser(user))
    }
}

/// The article id of the path: anything that is not a positive 64-bit integer names
/// no article, and is answered as such (404, a problem document), not as a
/// malformed request.
pub struct ArticlePath(i64);

impl FromRequestParts<AppState> for ArticlePath {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let not_found = || Problem::new(StatusCode::NOT_FOUND, "Not found", "No such article.");
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        match raw.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Self(id)),
            _ => Err(not_found()),
        }
    }
}

/// Two positive ids in the path (an article and its entry, a newsletter and its
/// edition, a webhook and one of its deliveries): anything else names nothing, and is
/// answered as such (404), not as a malformed request.
pub(super) struct IdPair(pub(super) i64, pub(super) i64);

impl FromRequestParts<AppState> for IdPair {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let not_found = || Problem::new(StatusCode::NOT_FOUND, "Not found", "No such resource.");
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(a), Ok(b)) if a > 0 && b > 0 => Ok(Self(a, b)),
            _ => Err(not_found()),
        }
    }
}

impl ApiUser {
    fn actor(&self) -> Actor {
        Actor::new(self.0.clone(), Entrance::Api)
    }
}

fn forbidden(detail: &str) -> Problem {
    Problem::new(StatusCode::FORBIDDEN, "Forbidden", detail)
}

/// An article as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Article)]
pub struct ArticleResponse {
    id: i64,
    /// The revision to send back as `If-Match` when changing the article.
    revision: i64,
    #[schema(value_type = String, example = "draft")]
    status: ArticleStatus,
    /// `standard` or `live`.
    #[schema(value_type = String, example = "standard")]
    kind: kiosque_domain::ArticleKind,
    /// A live's state (`null` for a standard article).
    live: Option<LiveStateResponse>,
    headline: String,
    kicker: Option<String>,
    standfirst: String,
    body_markdown: String,
    body_html: String,
    section: String,
    tags: Vec<String>,
    contributors: Vec<String>,
    agencies: Vec<String>,
    language: String,
    lead_image: Option<LeadImageResponse>,
    comments_open: bool,
    published_at: Option<DateTime<Utc>>,
    /// The public "updated" time, set by saves of kind `update` or `correction`.
    updated_at: Option<DateTime<Utc>>,
    modified_at: DateTime<Utc>,
    url: String,
    /// Unguessable URL rendering the current draft as the public page.
    preview_url: Option<String>,
    corrections: Vec<CorrectionResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
struct LiveStateResponse {
    open: bool,
    closed_at: Option<DateTime<Utc>>,
    /// The number of the latest entry (0 before the first).
    last_seq: i64,
    last_entry_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
struct LeadImageResponse {
    media_id: i64,
    url: String,
    alt: String,
    caption: String,
    credit: String,
    width: u32,
    height: u32,
}

#[derive(Debug, Serialize, ToSchema)]
struct CorrectionResponse {
    note: String,
    created_at: DateTime<Utc>,
}

/// A signed preview path, for a caller who may edit the article (none otherwise).
async fn preview_url(state: &AppState, actor: &Actor, article: &Article) -> Option<String> {
    kiosque_app::preview::link(state, actor, article, state.preview_lifetime)
        .await
        .ok()
}

/// The article as the API shows it to `user`.
async fn article_response(state: &AppState, user: &ApiUser, a: &Article) -> ArticleResponse {
    let preview = preview_url(state, &user.actor(), a).await;
    let preview = preview.as_deref();
    ArticleResponse {
        id: a.id.0,
        revision: a.version,
        status: a.status,
        kind: a.kind,
        live: a.live.map(|l| LiveStateResponse {
            open: l.is_open(),
            closed_at: l.closed_at,
            last_seq: l.last_seq,
            last_entry_at: l.last_entry_at,
        }),
        headline: a.headline.clone(),
        kicker: a.kicker.clone(),
        standfirst: a.standfirst.clone(),
        body_markdown: a.body_markdown.clone(),
        body_html: a.body_html.clone(),
        section: a.section.path.clone(),
        tags: a.tags.iter().map(|t| t.name.clone()).collect(),
        contributors: a.contributors.iter().map(|c| c.name.clone()).collect(),
        agencies: a.agencies.iter().map(|g| g.name.clone()).collect(),
        language: a.language.clone(),
        lead_image: a.lead_image.as_ref().map(|l| LeadImageResponse {
            media_id: l.media.id.0,
            url: state.site().absolute(&l.media.url()),
            alt: l.alt.clone(),
            caption: l.caption.clone(),
            credit: l.credit.clone(),
            width: l.media.width,
            height: l.media.height,
        }),
        comments_open: a.comments_open,
        published_at: a.published_at,
        updated_at: a.updated_at,
        modified_at: a.modified_at,
        url: state.site().absolute(&a.canonical_path()),
        preview_url: preview.map(|p| state.site().absolute(p)),
        corrections: a
            .corrections
            .iter()
            .map(|c| CorrectionResponse {
                note: c.note.clone(),
                created_at: c.created_at,
            })
            .collect(),
    }
}

/// The revision a change is based on, from `If-Match` (`"3"` or `3`): 428 without
/// it, 400 when it is not a revision number, 412 when it names none (too large).
fn expected_revision(headers: &HeaderMap, what: &str) -> Result<i64, Problem> {
    let Some(if_match) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return Err(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "Precondition required",
            format!("Send `If-Match: <revision>` to change {what}."),
        ));
    };
    let tag = if_match.trim().trim_matches('"');
    tag.parse().map_err(|_| {
        if !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_digit()) {
            // A revision number beyond any revision matches no current version:
            // the precondition fails (RFC 9110).
            Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "Precondition failed",
                format!("If-Match names no revision of {what}; read it again for its `ETag`."),
            )
        } else {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "Bad request",
                "If-Match must be a revision number.",
            )
        }
    })
}

fn with_etag(mut response: Response, revision: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{revision}\"")) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// A new article: `headline` and `section` are required; the other fields as in a
/// change. (Documentation only: the body is read as an [`ArticleInput`], so that a
/// missing field is reported with the others, per field.)
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "describes the request body for OpenAPI only")]
struct NewArticleInput {
    #[schema(min_length = 1)]
    headline: String,
    /// A section path such as `monde/europe` (editors may name a new one).
    #[schema(min_length = 1, example = "monde/europe")]
    section: String,
    kicker: Option<String>,
    standfirst: Option<String>,
    body_markdown: Option<String>,
    tags: Option<Vec<String>>,
    /// Contributor names in byline order (editors may name new ones).
    contributors: Option<Vec<String>>,
    agencies: Option<Vec<String>>,
    language: Option<String>,
    #[schema(value_type = Option<LeadInput>)]
    lead_image: Option<LeadInput>,
    comments_open: Option<bool>,
    seo_title: Option<String>,
    seo_description: Option<String>,
    /// The id of the article this one translates.
    translation_of: Option<i64>,
    /// `standard` (default) or `live`: live coverage with a stream of entries
    /// (`/api/v1/articles/{id}/entries`). Set when created, never changed.
    #[schema(pattern = "^(standard|live)$")]
    kind: Option<String>,
}

/// What `POST /api/v1/articles` answers.
#[derive(Serialize, ToSchema)]
struct CreatedArticle {
    id: i64,
    /// The revision to send back as `If-Match`.
    revision: i64,
    #[schema(example = "draft")]
    status: String,
    /// `standard` or `live`.
    #[schema(example = "standard")]
    kind: String,
    url: String,
    /// Present for someone who may edit the article.
    preview_url: Option<String>,
}

/// The fields of an article to create or change; absent fields are left as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ArticleInput {
    headline: Option<String>,
    kicker: Option<String>,
    standfirst: Option<String>,
    body_markdown: Option<String>,
    /// A section path such as `monde/europe`, created if missing.
    section: Option<String>,
    /// Tag names, created if missing.
    tags: Option<Vec<String>>,
    /// Contributor names in byline order, created if missing.
    contributors: Option<Vec<String>>,
    /// Agency credits such as `AFP`.
    agencies: Option<Vec<String>>,
    language: Option<String>,
    /// `null` removes the lead image.
    #[schema(value_type = Option<LeadInput>)]
    lead_image: Option<Option<LeadInput>>,
    comments_open: Option<bool>,
    seo_title: Option<String>,
    seo_description: Option<String>,
    /// The id of the article this one translates; 0 removes the link.
    #[serde(default, deserialize_with = "some_whole_number")]
    translation_of: Option<i64>,
    /// For a published article: `minor`, `update` or `correction`.
    #[schema(example = "update", pattern = "^(minor|update|correction)$")]
    update_kind: Option<String>,
    /// Required with `update_kind: correction`; shown publicly at the foot of the article.
    correction_note: Option<String>,
    /// `standard` or `live`, on creation only (a change may repeat the current kind).
    #[schema(pattern = "^(standard|live)$")]
    kind: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LeadInput {
    #[serde(deserialize_with = "whole_number")]
    media_id: i64,
    #[serde(default)]
    alt: String,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    credit: String,
}

/// An integer, also when written as a JSON number with a zero fraction (`12.0`):
/// JSON Schema's `integer` accepts both.
fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a 64-bit integer")))
}

fn some_whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let n: Option<serde_json::Number> = Option::deserialize(d)?;
    match n {
        None => Ok(None),
        Some(n) => whole_number(n).map(Some).map_err(serde::de::Error::custom),
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<T, Problem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send JSON with `Content-Type: application/json`.",
        ));
    }
    // A JSON object, as documented: serde would also read a struct from an array.
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Malformed JSON", e.to_string()))?;
    if !value.is_object() {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "Malformed JSON",
            "Send a JSON object.",
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Malformed JSON", e.to_string()))
}

/// Applies the given fields over `base`; a section path and contributor names are
/// resolved by the application (what is missing becomes creations, editors only).
async fn apply_input(
    state: &AppState,
    actor: &Actor,
    mut base: NewArticle,
    input: &ArticleInput,
) -> Result<(NewArticle, Creations), Problem> {
    if let Some(h) = &input.headline {
        base.headline = h.trim().to_owned();
    }
    if let Some(k) = &input.kicker {
        base.kicker = Some(k.trim().to_owned()).filter(|k| !k.is_empty());
    }
    if let Some(s) = &input.standfirst {
        base.standfirst = s.clone();
    }
    if let Some(b) = &input.body_markdown {
        base.body_markdown = b.clone();
    }
    if let Some(tags) = &input.tags {
        base.tags = tags.clone();
    }
    if let Some(agencies) = &input.agencies {
        base.agencies = agencies.clone();
    }
    if let Some(language) = &input.language {
        base.language = language.clone();
    }
    if let Some(lead) = &input.lead_image {
        base.lead_image = lead.as_ref().map(|l| NewLeadImage {
            media_id: MediaId(l.media_id),
            alt: l.alt.clone(),
            caption: l.caption.clone(),
            credit: l.credit.clone(),
        });
    }
    if let Some(open) = input.comments_open {
        base.comments_open = open;
    }
    if let Some(t) = &input.seo_title {
        base.seo_title = Some(t.clone()).filter(|t| !t.trim().is_empty());
    }
    if let Some(d) = &input.seo_description {
        base.seo_description = Some(d.clone()).filter(|d| !d.trim().is_empty());
    }
    if let Some(t) = input.translation_of {
        base.translation_of = (t > 0).then_some(ArticleId(t));
    }
    let names = articles::Names {
        section_path: input.section.clone(),
        contributors: input.contributors.clone(),
    };
    let creations = articles::resolve(state, actor, &names, &mut base).await?;
    Ok((base, creations))
}

#[utoipa::path(
    post,
    path = "/api/v1/articles",
    tag = "articles",
    summary = "Create a draft",
    request_body = NewArticleInput,
    responses(
        (status = 201, description = "The new draft", body = CreatedArticle),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn create_article(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: ArticleInput = parse_json(&headers, &body)?;
    let mut missing = Vec::new();
    if input
        .headline
        .as_deref()
        .is_none_or(|h| h.trim().is_empty())
    {
        missing.push(("headline", "the headline is required".to_owned()));
    }
    if input.section.is_none() {
        missing.push((
            "section",
            "a section path such as `monde/europe` is required".to_owned(),
        ));
    }
    if !missing.is_empty() {
        return Err(Problem::invalid(missing));
    }
    let actor = user.actor();
    let kind = match input.kind.as_deref() {
        None => kiosque_domain::ArticleKind::Standard,
        Some(k) => k
            .parse::<kiosque_domain::ArticleKind>()
            .map_err(|e| Problem::invalid(vec![("kind", e)]))?,
    };
    let placeholder = NewArticle::draft("", SectionId(0));
    let (mut content, creations) = apply_input(&state, &actor, placeholder, &input).await?;
    content.kind = kind;
    if input.language.is_none() {
        content.language = state.site().locale.code().into();
    }
    let article = articles::create(&state, &actor, content, &creations).await?;
    let body = json!({
        "id": article.id.0,
        "revision": article.version,
        "status": article.status,
        "kind": article.kind,
        "url": state.site().absolute(&article.canonical_path()),
        "preview_url": preview_url(&state, &user.actor(), &article).await.map(|p| state.site().absolute(&p)),
    });
    let mut response = with_etag(
        (StatusCode::CREATED, Json(body)).into_response(),
        article.version,
    );
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/articles/{}", article.id)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

async fn load(state: &AppState, user: &ApiUser, id: i64) -> Result<Article, Problem> {
    Ok(articles::load(state, &user.actor(), ArticleId(id)).await?)
}

#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    tag = "articles",
    summary = "An article",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The article; its revision is also the ETag", body = ArticleResponse),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn show_article(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    let article = load(&state, &user, id).await?;
    Ok(with_etag(
        Json(article_response(&state, &user, &article).await).into_response(),
        article.version,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// `draft`, `review`, `scheduled`, `published` or `unpublished`.
    #[param(pattern = r"^(draft|review|scheduled|published|unpublished)$")]
    status: Option<String>,
    /// A section path; its subsections are not included.
    section: Option<String>,
    /// The `next_cursor` of the previous page (empty: the first page).
    #[param(pattern = r"^([0-9]{1,18}-[0-9]{1,18})?$")]
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
}

/// A page of articles, most recently changed first.
#[derive(Debug, Serialize, ToSchema)]
struct ArticlePage {
    items: Vec<ArticleSummary>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct ArticleSummary {
    id: i64,
    revision: i64,
    headline: String,
    #[schema(value_type = String)]
    status: ArticleStatus,
    section: String,
    modified_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
}

#[utoipa::path(
    get,
    path = "/api/v1/articles",
    tag = "articles",
    summary = "List articles, most recently changed first; walk with `next_cursor`",
    params(ListParams),
    responses(
        (status = 200, description = "A page of articles", body = ArticlePage),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn list_articles(
    State(state): State<AppState>,
    user: ApiUser,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(params) =
        params.map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Bad request", e.body_text()))?;
    // `review`: drafts submitted to the editors.
    let awaiting_review = params.status.as_deref() == Some("review");
    let status = match params.status.as_deref() {
        Some("review") => Some(ArticleStatus::Draft),
        Some(s) => Some(
            s.parse::<ArticleStatus>()
                .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Bad request", e))?,
        ),
        None => None,
    };
    let section = match params.section.as_deref() {
        Some(path) => {
            let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
            Some(
                tree.by_path(path.trim_matches('/'))
                    .map(|s| s.id)
                    .ok_or_else(|| {
                        Problem::new(StatusCode::NOT_FOUND, "Not found", "No such section.")
                    })?,
            )
        }
        None => None,
    };
    // An empty cursor is the first page, as no cursor.
    let before = match params.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => crate::views::parse_cursor(Some(c))
            .map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "Bad request", "Invalid cursor."))?,
        None => None,
    };
    let limit = params.limit.unwrap_or(100);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "Bad request",
            format!("`limit` is 1 to {MAX_PAGE}."),
        ));
    }
    let query = AdminQuery {
        status,
        section,
        awaiting_review,
        before,
        limit,
        ..Default::default()
    };
    let rows = articles::list(&state, &user.actor(), query).await?;
    let next_cursor = (rows.len() == limit as usize)
        .then(|| {
            rows.last()
                .map(|r| format!("{}-{}", r.modified_at.timestamp(), r.id))
        })
        .flatten();
    let items = rows
        .iter()
        .map(|r| ArticleSummary {
            id: r.id.0,
            revision: r.version,
            headline: r.headline.clone(),
            status: r.status,
            section: r.section_name.clone(),
            modified_at: r.modified_at,
            published_at: r.published_at,
        })
        .collect();
    Ok(Json(ArticlePage { items, next_cursor }).into_response())
}

#[utoipa::path(
    patch,
    path = "/api/v1/articles/{id}",
    tag = "articles",
    summary = "Change an article",
    params(
        ("id" = i64, Path, description = "Article id"),
        ("If-Match" = String, Header, pattern = r#"^"?[0-9]+"?$"#, description = "The revision the change is based on (the `revision`, or the ETag)")
    ),
    request_body = ArticleInput,
    responses(
        (status = 200, description = "The saved article", body = ArticleResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 412, description = "The article changed since `If-Match`", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` missing", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn patch_article(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let expected = expected_revision(&headers, "an article")?;
    let input: ArticleInput = parse_json(&headers, &body)?;
    let actor = user.actor();
    let article = articles::load_editable(&state, &actor, ArticleId(id)).await?;
    if let Some(k) = input.kind.as_deref()
        && k != article.kind.as_str()
    {
        return Err(Problem::invalid(vec![(
            "kind",
            "an article's kind is set when it is created".to_owned(),
        )]));
    }
    let kind = match input.update_kind.as_deref() {
        Some(k) => Some(
            k.parse::<EditKind>()
                .map_err(|e| Problem::invalid(vec![("update_kind", e)]))?,
        ),
        None => None,
    };
    let (content, creations) = apply_input(&state, &actor, article.content(), &input).await?;
    let save = articles::Save {
        expected_version: expected,
        kind: articles::SaveKind::Edit(kind),
        correction_note: input.correction_note.clone(),
    };
    let saved = articles::save(&state, &actor, &article, &content, &creations, &save).await?;
    Ok(with_etag(
        Json(article_response(&state, &user, &saved).await).into_response(),
        saved.version,
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PublishInput {
    /// A future time: schedule.
    at: Option<DateTime<Utc>>,
    /// A past time: publish now, recorded as published then.
    published_at: Option<DateTime<Utc>>,
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/publish",
    tag = "articles",
    summary = "Publish now, schedule (`at`, future) or publish with a past date (`published_at`)",
    params(("id" = i64, Path, description = "Article id")),
    request_body(content = Option<PublishInput>, content_type = "application/json"),
    responses(
        (status = 200, description = "The published or scheduled article", body = ArticleResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "The source dispatch is withheld or under embargo at that time", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn publish_article(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: PublishInput = if body.is_empty() || body.as_ref() == b"null" {
        PublishInput::default()
    } else {
        parse_json(&headers, &body)?
    };
    let when = match (input.at, input.published_at) {
        (Some(_), Some(_)) => {
            return Err(Problem::invalid(vec![(
                "at",
                "give `at` (future) or `published_at` (past), not both".into(),
            )]));
        }
        (Some(at), None) => articles::When::At(at),
        (None, Some(at)) => articles::When::Backdated(at),
        (None, None) => articles::When::Now,
    };
    let article = articles::publish(&state, &user.actor(), ArticleId(id), when).await?;
    Ok(with_etag(
        Json(article_response(&state, &user, &article).await).into_response(),
        article.version,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/unpublish",
    tag = "articles",
    summary = "Unpublish: the public URL answers 410",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The unpublished article", body = ArticleResponse),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn unpublish_article(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    let article = articles::unpublish(&state, &user.actor(), ArticleId(id)).await?;
    Ok(with_etag(
        Json(article_response(&state, &user, &article).await).into_response(),
        article.version,
    ))
}

/// A stored image, video or sound.
#[derive(Debug, Serialize, ToSchema)]
struct MediaResponse {
    id: i64,
    url: String,
    /// 0 for a sound.
    width: u32,
    height: u32,
    /// `video` or `audio` (absent for an image).
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    /// Read from the container (absent for an image).
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_ms: Option<u64>,
    /// The type sniffed from the bytes.
    mime: String,
}

/// A multipart image upload.
#[derive(ToSchema)]
#[expect(dead_code, reason = "describes the multipart form for OpenAPI only")]
struct MediaUpload {
    file: ImageBytes,
}

/// The bytes of an image file.
struct ImageBytes;

impl utoipa::PartialSchema for ImageBytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for ImageBytes {}

/// Raw image bytes with their Content-Type; the type is sniffed from the bytes too.
#[utoipa::path(
    post,
    path = "/api/v1/media",
    tag = "media",
    summary = "Upload an image (raw JPEG, PNG, WebP or GIF bytes with their Content-Type, or the `file` part of a multipart form), or a video or sound (raw MP4 or WebM, MP3, M4A or Ogg bytes, streamed to disk, up to 1 GiB)",
    request_body(content(
        (ImageBytes = "image/jpeg"),
        (ImageBytes = "image/png"),
        (ImageBytes = "image/webp"),
        (ImageBytes = "image/gif"),
        (ImageBytes = "video/mp4"),
        (ImageBytes = "video/webm"),
        (ImageBytes = "audio/mpeg"),
        (ImageBytes = "audio/mp4"),
        (ImageBytes = "audio/ogg"),
        (MediaUpload = "multipart/form-data")
    )),
    responses(
        (status = 201, description = "Stored; EXIF orientation applied, metadata stripped", body = MediaResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "An image too large, or a video or sound whose container cannot be read", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn upload_media(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    request: axum::extract::Request,
) -> ApiResult {
    let declared = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let unsupported = || {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send a JPEG, PNG, WebP or GIF image with its Content-Type, or as the `file` part of a multipart form.",
        )
    };
    let too_large = |e: String| Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Payload too large", e);
    // A multipart error says what it is: too large (413) or malformed (400).
    let multipart_problem = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(e.body_text())
        } else {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "Malformed multipart form",
                e.body_text(),
            )
        }
    };
    let headers = request.headers().clone();
    if declared.starts_with("video/") || declared.starts_with("audio/") {
        let name = headers
            .get("x-filename")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("upload")
            .to_owned();
        return upload_av(&state, &user, name, request.into_body()).await;
    }
    let (body, name) = if declared.starts_with("multipart/form-data") {
        let mut multipart =
            <axum::extract::Multipart as axum::extract::FromRequest<AppState>>::from_request(
                request, &state,
            )
            .await
            .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Bad request", e.to_string()))?;
        let mut found = None;
        while let Some(field) = multipart.next_field().await.map_err(multipart_problem)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or("upload").to_owned();
                found = Some((field.bytes().await.map_err(multipart_problem)?, name));
            }
        }
        found.ok_or_else(unsupported)?
    } else if matches!(
        declared.as_str(),
        "image/jpeg" | "image/png" | "image/webp" | "image/gif"
    ) {
        let body = axum::body::to_bytes(request.into_body(), MAX_MEDIA_BYTES)
            .await
            .map_err(|e| too_large(e.to_string()))?;
        let name = headers
            .get("x-filename")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("upload")
            .to_owned();
        (body, name)
    } else {
        return Err(unsupported());
    };
    let library = MediaLibrary::new(state.blobs.clone(), state.stores.media.clone());
    let media = match library
        .add_image(
            body.to_vec(),
            ImageMeta {
                name,
                alt: String::new(),
                ..Default::default()
            },
        )
        .await
    {
        Ok(m) => m,
        Err(MediaError::NotAnImage(e)) => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                e.to_string(),
            ));
        }
        Err(e @ MediaError::TooLarge { .. }) => {
            return Err(Problem::invalid(vec![("file", e.to_string())]));
        }
        Err(e) => {
            return Err(Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                e.to_string(),
            ));
        }
    };
    stored_media(&state, &user, &media, None).await
}

/// After an upload: the audit entry, then 201 with what was stored.
async fn stored_media(
    state: &AppState,
    user: &User,
    media: &kiosque_domain::media::Media,
    av: Option<&kiosque_media::av::AvProbe>,
) -> ApiResult {
    state
        .stores
        .accounts
        .audit(
            Some(user.id),
            "media.upload",
            &media.id.to_string(),
            &media.storage_key,
            state.now(),
        )
        .await?;
    let stored = MediaResponse {
        id: media.id.0,
        url: state.site().absolute(&media.url()),
        width: media.width,
        height: media.height,
        kind: av.map(|p| p.kind.as_str()),
        duration_ms: av.map(|p| p.duration_ms),
        mime: media.mime.clone(),
    };
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// A 500 whose cause is shown to the token holder (the newsroom's own tools).
fn internal(e: impl std::fmt::Display) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal error",
        e.to_string(),
    )
}

/// Largest video or sound upload (1 GiB), streamed to disk as it arrives.
pub const MAX_AV_BYTES: u64 = 1 << 30;

/// A video or sound body: streamed into a temporary file (never held in memory) up
/// to [`MAX_AV_BYTES`], then stored with its type and duration read from the bytes.
async fn upload_av(
    state: &AppState,
    user: &User,
    name: String,
    body: axum::body::Body,
) -> ApiResult {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    let file = tempfile::NamedTempFile::new().map_err(internal)?;
    let mut out = tokio::fs::File::create(file.path())
        .await
        .map_err(internal)?;
    let mut stream = body.into_data_stream();
    let mut written: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Bad request", e.to_string()))?;
        written += chunk.len() as u64;
        if written > MAX_AV_BYTES {
            return Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Payload too large",
                format!("videos and sounds are limited to {MAX_AV_BYTES} bytes"),
            ));
        }
        out.write_all(&chunk).await.map_err(internal)?;
    }
    out.flush().await.map_err(internal)?;
    drop(out);
    let library = MediaLibrary::new(state.blobs.clone(), state.stores.media.clone());
    let (media, probe) = match library
        .add_av(
            file.path(),
            ImageMeta {
                name,
                ..Default::default()
            },
        )
        .await
    {
        Ok(made) => made,
        Err(MediaError::Av(e @ kiosque_media::av::AvError::Unsupported)) => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                e.to_string(),
            ));
        }
        Err(MediaError::Av(e)) => return Err(Problem::invalid(vec![("file", e.to_string())])),
        Err(e) => return Err(internal(e)),
    };
    stored_media(state, user, &media, Some(&probe)).await
}

/// A video's poster: a picture of the library.
#[derive(Debug, Deserialize, ToSchema)]
struct PosterInput {
    /// The picture's id; `null` removes the poster.
    #[schema(value_type = Option<i64>)]
    media_id: Option<serde_json::Number>,
}

#[utoipa::path(
    put,
    path = "/api/v1/media/{id}/poster",
    tag = "media",
    summary = "Set a video's poster picture (a picture of the library)",
    params(("id" = i64, Path, description = "The video's media id")),
    request_body = PosterInput,
    responses(
        (status = 204, description = "Set"),
        (status = 400, description = "Malformed JSON", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such video or picture", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "The poster is not a picture", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn set_poster(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    ArticlePath(id): ArticlePath,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: PosterInput = parse_json(&headers, &body)?;
    // JSON numbers such as `12.0` are integers too.
    let media_id = match &input.media_id {
        None => None,
        Some(n) => Some(
            n.as_i64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                        .map(|f| f as i64)
                })
                .ok_or_else(|| {
                    Problem::invalid(vec![(
                        "media_id",
                        "a picture's id is an integer".to_owned(),
                    )])
                })?,
        ),
    };
    if let Some(poster) = media_id {
        let picture = state.stores.media.media(MediaId(poster)).await?;
        if !picture.mime.starts_with("image/") {
            return Err(Problem::invalid(vec![(
                "media_id",
                "the poster must be a picture".to_owned(),
            )]));
        }
    }
    state
        .stores
        .media
        .set_poster(MediaId(id), media_id.map(MediaId))
        .await?;
    state.public_changed();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The language of captions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CaptionsQuery {
    /// BCP 47 language of the captions (default `fr`).
    lang: Option<String>,
}

#[utoipa::path(
    put,
    path = "/api/v1/media/{id}/captions",
    tag = "media",
    summary = "Set a video's WebVTT captions (the file's text, `text/vtt`)",
    params(("id" = i64, Path, description = "The video's media id"), CaptionsQuery),
    request_body(content((String = "text/vtt"))),
    responses(
        (status = 204, description = "Stored"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such video", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Not a WebVTT file", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn set_captions(
    State(state): State<AppState>,
    ApiUser(_user): ApiUser,
    ArticlePath(id): ArticlePath,
    Query(query): Query<CaptionsQuery>,
    body: Bytes,
) -> ApiResult {
    let video = state.stores.media.media(MediaId(id)).await?;
    if !video.mime.starts_with("video/") {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            "No such video.",
        ));
    }
    let library = MediaLibrary::new(state.blobs.clone(), state.stores.media.clone());
    match library
        .add_captions(&video, &body, query.lang.as_deref().unwrap_or("fr"))
        .await
    {
        Ok(_) => {
            state.public_changed();
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        Err(e @ MediaError::NotCaptions) => Err(Problem::invalid(vec![("body", e.to_string())])),
        Err(e) => Err(internal(e)),
    }
}

/// Largest wire document accepted over HTTP (the parser's own limit).
const MAX_WIRE_BYTES: usize = kiosque_ingest::MAX_DOCUMENT_BYTES;

/// What the intake did with each item of a pushed document.
#[derive(Debug, Serialize, ToSchema)]
struct WireAccepted {
    items: Vec<WireItemAccepted>,
}

#[derive(Debug, Serialize, ToSchema)]
struct WireItemAccepted {
    /// The wire item's id in the wire desk.
    id: i64,
    guid: String,
    version: i64,
    /// `created`, `updated` or `duplicate` (the same document twice changes nothing).
    outcome: String,
    /// What routing rules did (published, updated, unpublished…).
    actions: Vec<String>,
}

/// The bytes of a wire document.
struct WireDocument;

impl utoipa::PartialSchema for WireDocument {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType};
        // Any value: the formats are defined by IPTC's own schemas, and the intake
        // says what it could not read (415, 422).
        ObjectBuilder::new()
            .schema_type(SchemaType::AnyValue)
            .description(Some("A NewsML-G2 document (newsMessage, newsItem or packageItem) or a ninjs 1.x–3.x object or array"))
            .into()
    }
}

impl ToSchema for WireDocument {}

/// Pushes an agency document into the wire: NewsML-G2 as XML, ninjs as JSON.
#[utoipa::path(
    post,
    path = "/api/v1/wire",
    tag = "wire",
    summary = "Push an agency dispatch (NewsML-G2 XML or ninjs JSON); idempotent by guid and version",
    request_body(content(
        (WireDocument = "application/vnd.iptc.g2.newsmessage+xml"),
        (WireDocument = "application/xml"),
        (WireDocument = "application/json"),
    )),
    responses(
        (status = 202, description = "Recorded; routing applied", body = WireAccepted),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not ingest", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Not XML or JSON, or not what the Content-Type says", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Not a valid NewsML-G2 or ninjs document", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
async fn push_wire(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> ApiResult {
    kiosque_app::policy::ingest_wire(&user.actor())?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let wants = if declared.ends_with("xml") {
        kiosque_ingest::Format::NewsmlG2
    } else if declared.ends_with("json") {
        kiosque_ingest::Format::Ninjs
    } else {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send NewsML-G2 with an XML Content-Type (application/xml) or ninjs with a JSON one (application/json).",
        ));
    };
    let body = axum::body::to_bytes(request.into_body(), MAX_WIRE_BYTES)
        .await
        .map_err(|e| {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Payload too large",
                e.to_string(),
            )
        })?;
    let found = kiosque_ingest::detect(&body).ok();
    if found != Some(wants) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            format!(
                "The Content-Type says {} but the body is {}.",
                wants.as_str(),
                found.map_or("neither", |f| f.as_str())
            ),
        ));
    }
    let reports = match state.intake().ingest(&body, "api", None, state.now()).await {
        Ok(r) => r,
        Err(kiosque_app::wire::IntakeError::Parse(e)) => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid wire document",
                e.to_string(),
            ));
        }
        Err(kiosque_app::wire::IntakeError::Store(e)) => return Err(e.into()),
    };
    let items = reports
        .into_iter()
        .map(|r| WireItemAccepted {
            id: r.outcome.id().0,
            guid: r.guid,
            version: r.version,
            outcome: r.outcome.as_str().into(),
            actions: r.actions,
        })
        .collect();
    Ok((StatusCode::ACCEPTED, Json(WireAccepted { items })).into_response())
}

impl std::fmt::Debug for ApiUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ApiUser").field(&self.0.email).finish()
    }
}
