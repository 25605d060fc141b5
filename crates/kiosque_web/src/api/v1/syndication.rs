//! Newsletters (`/api/v1/newsletters…`), bounces (`/api/v1/mail/bounces`), ninjs
//! out (`/api/v1/articles/{id}/ninjs`, `/api/v1/ninjs?since=`) and webhooks
//! (`/api/v1/webhooks…`), through `kiosque_app::{newsletters, ninjs, webhooks}`.

use super::IdPair as TwoIds;
use super::{ApiResult, ApiUser, ArticlePath, Problem, ProblemDocument, parse_json};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use kiosque_app::{newsletters, ninjs, webhooks};
use kiosque_domain::ArticleId;
use kiosque_domain::article::ArticleStatus;
use kiosque_domain::newsletter::{Edition, NewEdition, NewNewsletter, Newsletter};
use kiosque_domain::webhook::{NewWebhook, Webhook, WebhookDelivery};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

fn no_store(mut r: axum::response::Response) -> axum::response::Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A newsletter to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewsletterInput {
    #[schema(min_length = 1, max_length = 120, example = "Le Matin")]
    name: String,
    /// Made from the name when absent.
    #[serde(default)]
    #[schema(example = "le-matin")]
    slug: String,
    #[serde(default)]
    description: String,
    /// The name mail comes from; the site's name when empty.
    #[serde(default)]
    sender_name: String,
    /// The usual sending time, `HH:MM`.
    #[serde(default)]
    #[schema(example = "07:00")]
    send_time: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct NewsletterResponse {
    id: i64,
    slug: String,
    name: String,
    description: String,
    sender_name: String,
    send_time: Option<String>,
    /// Confirmed subscribers.
    subscribers: i64,
    /// The public page with the sign-up form.
    url: String,
}

fn newsletter_response(state: &AppState, n: &Newsletter) -> NewsletterResponse {
    NewsletterResponse {
        id: n.id,
        slug: n.slug.clone(),
        name: n.name.clone(),
        description: n.description.clone(),
        sender_name: n.sender_name.clone(),
        send_time: n.send_time.clone(),
        subscribers: n.subscribers,
        url: state.site().absolute(&format!("/newsletters/{}", n.slug)),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct NewsletterList {
    items: Vec<NewsletterResponse>,
}

#[utoipa::path(
    post,
    path = "/api/v1/newsletters",
    tag = "newsletters",
    summary = "Create a newsletter (editors)",
    request_body = NewsletterInput,
    responses(
        (status = 201, description = "Created", body = NewsletterResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "Another newsletter has this slug", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create_newsletter(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: NewsletterInput = parse_json(&headers, &body)?;
    let made = newsletters::create(
        &state,
        &user.actor(),
        NewNewsletter {
            name: input.name,
            slug: input.slug,
            description: input.description,
            sender_name: input.sender_name,
            send_time: input.send_time,
        },
    )
    .await?;
    Ok(no_store(
        (
            StatusCode::CREATED,
            Json(newsletter_response(&state, &made)),
        )
            .into_response(),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/newsletters",
    tag = "newsletters",
    summary = "Every newsletter with its confirmed subscribers",
    responses(
        (status = 200, description = "The newsletters", body = NewsletterList),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list_newsletters(State(state): State<AppState>, _user: ApiUser) -> ApiResult {
    let items = newsletters::list(&state)
        .await?
        .iter()
        .map(|n| newsletter_response(&state, n))
        .collect();
    Ok(no_store(Json(NewsletterList { items }).into_response()))
}

/// An edition to compose.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EditionInput {
    #[schema(min_length = 1, max_length = 200, example = "Le Matin du 2 décembre")]
    subject: String,
    /// Markdown, rendered and sanitised as article bodies are.
    #[serde(default)]
    intro_markdown: String,
    /// Article ids, in order (at most 30). (Read as JSON numbers: `12.0` is 12.)
    #[serde(default)]
    #[schema(value_type = Vec<i64>, example = json!([12, 7]))]
    articles: Vec<serde_json::Number>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EditionResponse {
    id: i64,
    newsletter_id: i64,
    subject: String,
    intro_markdown: String,
    articles: Vec<i64>,
    /// `draft`, `scheduled`, `sending` or `sent`.
    state: String,
    send_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
    version: i64,
    recipients: i64,
    sent: i64,
    pending: i64,
    failed: i64,
    suppressed: i64,
    skipped: i64,
    unsubscribed_since: i64,
}

fn edition_response(e: &Edition) -> EditionResponse {
    EditionResponse {
        id: e.id,
        newsletter_id: e.newsletter_id,
        subject: e.content.subject.clone(),
        intro_markdown: e.content.intro_markdown.clone(),
        articles: e.content.articles.iter().map(|a| a.0).collect(),
        state: e.state.as_str().to_owned(),
        send_at: e.send_at,
        sent_at: e.sent_at,
        version: e.version,
        recipients: e.counts.recipients,
        sent: e.counts.sent,
        pending: e.counts.pending,
        failed: e.counts.failed,
        suppressed: e.counts.suppressed,
        skipped: e.counts.skipped,
        unsubscribed_since: e.counts.unsubscribed_since,
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/newsletters/{id}/editions",
    tag = "newsletters",
    summary = "Compose an edition (editors)",
    params(("id" = i64, Path, description = "Newsletter id")),
    request_body = EditionInput,
    responses(
        (status = 201, description = "Created, as a draft", body = EditionResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such newsletter", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create_edition(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: EditionInput = parse_json(&headers, &body)?;
    let mut articles = Vec::with_capacity(input.articles.len());
    for n in &input.articles {
        let id = n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        });
        match id {
            Some(id) => articles.push(ArticleId(id)),
            None => {
                return Err(Problem::invalid(vec![(
                    "articles",
                    format!("{n} is not an article id"),
                )]));
            }
        }
    }
    let edition = newsletters::create_edition(
        &state,
        &user.actor(),
        id,
        NewEdition {
            subject: input.subject,
            intro_markdown: input.intro_markdown,
            articles,
        },
    )
    .await?;
    Ok(no_store(
        (StatusCode::CREATED, Json(edition_response(&edition))).into_response(),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/newsletters/{id}/editions/{edition_id}",
    tag = "newsletters",
    summary = "An edition with its counts (editors)",
    params(
        ("id" = i64, Path, description = "Newsletter id"),
        ("edition_id" = i64, Path, description = "Edition id"),
    ),
    responses(
        (status = 200, description = "The edition", body = EditionResponse),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such edition", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn show_edition(
    State(state): State<AppState>,
    user: ApiUser,
    TwoIds(id, edition_id): TwoIds,
) -> ApiResult {
    let edition = newsletters::edition(&state, &user.actor(), id, edition_id).await?;
    Ok(no_store(Json(edition_response(&edition)).into_response()))
}

/// When to send; now when absent.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SendInput {
    #[serde(default)]
    at: Option<DateTime<Utc>>,
}

#[utoipa::path(
    post,
    path = "/api/v1/newsletters/{id}/editions/{edition_id}/send",
    tag = "newsletters",
    summary = "Send an edition now, or schedule it with `{\"at\": …}` (editors); each confirmed subscriber gets it once",
    params(
        ("id" = i64, Path, description = "Newsletter id"),
        ("edition_id" = i64, Path, description = "Edition id"),
    ),
    request_body(content = Option<SendInput>, description = "Optional: `{\"at\": \"2026-12-03T06:00:00Z\"}`"),
    responses(
        (status = 202, description = "Queued: the worker sends it", body = EditionResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such edition", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "Queued or sent already: never sent twice", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "The time has passed", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn send_edition(
    State(state): State<AppState>,
    user: ApiUser,
    TwoIds(id, edition_id): TwoIds,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: SendInput = if body.iter().all(u8::is_ascii_whitespace) {
        SendInput::default()
    } else {
        parse_json(&headers, &body)?
    };
    let actor = user.actor();
    let edition = newsletters::edition(&state, &actor, id, edition_id).await?;
    let newsletter = newsletters::get(&state, id).await?;
    let rendered = crate::pages::newsletters::render_edition(&state, &newsletter, &edition)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "cannot render an edition");
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                "The edition could not be rendered.",
            )
        })?;
    let queued = newsletters::send(&state, &actor, id, edition_id, rendered, input.at).await?;
    Ok(no_store(
        (StatusCode::ACCEPTED, Json(edition_response(&queued))).into_response(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct BounceReportResponse {
    recipient: String,
    action: String,
    status: String,
    diagnostic: Option<String>,
    /// Whether the address is now suppressed (a permanent failure).
    suppressed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct BouncesResponse {
    reports: Vec<BounceReportResponse>,
}

#[utoipa::path(
    post,
    path = "/api/v1/mail/bounces",
    tag = "newsletters",
    summary = "Feed a delivery status notification (RFC 3464) in: permanent failures suppress their address (admins)",
    request_body(content = String, content_type = "text/plain", description = "The DSN as sent by the mail server (`message/rfc822`, `multipart/report` or `text/plain`): the whole report, or its `message/delivery-status` part"),
    responses(
        (status = 200, description = "The reports read", body = BouncesResponse),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Not a delivery status notification", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn bounces(
    State(state): State<AppState>,
    user: ApiUser,
    body: Bytes,
) -> ApiResult {
    let reports = newsletters::bounces(&state, &user.actor(), &body).await?;
    Ok(no_store(
        Json(BouncesResponse {
            reports: reports
                .into_iter()
                .map(|r| BounceReportResponse {
                    suppressed: r.permanent(),
                    recipient: r.recipient,
                    action: r.action,
                    status: r.status,
                    diagnostic: r.diagnostic,
                })
                .collect(),
        })
        .into_response(),
    ))
}

fn ninjs_response(value: Value) -> axum::response::Response {
    let mut r = Json(value).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(ninjs::MEDIA_TYPE),
    );
    r.headers_mut().insert(
        header::LINK,
        HeaderValue::from_static(
            "<http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json>; rel=\"describedby\"",
        ),
    );
    no_store(r)
}

#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}/ninjs",
    tag = "syndication",
    summary = "The article as IPTC ninjs 3.1",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The ninjs object (`application/ninjs+json`)", body = Object, content_type = "application/ninjs+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn article_ninjs(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    let article = kiosque_app::articles::load(&state, &user.actor(), ArticleId(id)).await?;
    Ok(ninjs_response(ninjs::article(
        &state.site(),
        &article,
        state.now(),
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct SinceQuery {
    /// Only articles changed after this instant (RFC 3339); the last day when absent.
    since: Option<DateTime<Utc>>,
    /// With `since`: also those changed at that very instant with a greater id (the
    /// `next_after` of the previous answer), so that no change is skipped or repeated.
    after: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct NinjsFeed {
    /// ninjs objects, oldest change first: published articles as `usable`,
    /// unpublished ones as `canceled` (without their text).
    #[schema(value_type = Vec<Object>)]
    items: Vec<Value>,
    /// Pass as `since`, with `next_after` as `after`, for the next changes.
    next_since: DateTime<Utc>,
    next_after: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/ninjs",
    tag = "syndication",
    summary = "Changes as ninjs, oldest first, for partners (100 per call; follow `next_since` and `next_after`)",
    params(SinceQuery),
    responses(
        (status = 200, description = "The changes", body = NinjsFeed),
        (status = 400, description = "Malformed `since`", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn ninjs_feed(
    State(state): State<AppState>,
    user: ApiUser,
    query: Result<Query<SinceQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Query(query) = query
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Malformed query", e.body_text()))?;
    // Any staff token reads the feed: it holds what readers can read, and notices.
    let _ = user;
    let now = state.now();
    let since = query.since.unwrap_or(now - chrono::Duration::days(1));
    let after = query.after.unwrap_or(0);
    let site = state.site();
    let changed = state
        .stores
        .articles
        .changed_since((since, ArticleId(after)), 100)
        .await
        .map_err(kiosque_app::Error::from)?;
    let mut items = Vec::with_capacity(changed.len());
    let (mut next_since, mut next_after) = (since, after);
    for (id, at) in changed {
        (next_since, next_after) = (at, id.0);
        let Ok(article) = state.stores.articles.article(id).await else {
            continue;
        };
        items.push(match article.status {
            ArticleStatus::Unpublished => ninjs::canceled(&site, &article),
            // Scheduled again, or back to a draft: nothing to give yet.
            _ if article.is_public_at(now) => ninjs::article(&site, &article, now),
            _ => continue,
        });
    }
    Ok(no_store(
        Json(NinjsFeed {
            items,
            next_since,
            next_after,
        })
        .into_response(),
    ))
}

/// An endpoint to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WebhookInput {
    /// http(s); private, loopback and link-local targets are refused unless
    /// `[webhooks] allow_private`.
    #[schema(example = "https://partner.example/kiosque")]
    url: String,
    /// Among `article.published`, `article.updated`, `article.corrected`,
    /// `article.unpublished`, `live.entry`, `comment.reported`.
    #[schema(min_items = 1, example = json!(["article.published"]))]
    events: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct WebhookResponse {
    id: i64,
    url: String,
    events: Vec<String>,
    created_at: DateTime<Utc>,
    /// `whsec_…`: only in the answer to the registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

fn webhook_response(h: &Webhook, with_secret: bool) -> WebhookResponse {
    WebhookResponse {
        id: h.id,
        url: h.url.clone(),
        events: h.events.clone(),
        created_at: h.created_at,
        secret: with_secret.then(|| h.secret.clone()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct WebhookList {
    items: Vec<WebhookResponse>,
}

#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    tag = "syndication",
    summary = "Register a webhook endpoint (admins); its signing secret is shown once",
    request_body = WebhookInput,
    responses(
        (status = 201, description = "Registered, with its `secret`", body = WebhookResponse),
        (status = 400, description = "Malformed request", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 415, description = "Wrong Content-Type", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a private target", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create_webhook(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let input: WebhookInput = parse_json(&headers, &body)?;
    let hook = webhooks::register(
        &state,
        &user.actor(),
        NewWebhook {
            url: input.url,
            events: input.events,
        },
    )
    .await?;
    Ok(no_store(
        (StatusCode::CREATED, Json(webhook_response(&hook, true))).into_response(),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    tag = "syndication",
    summary = "The registered endpoints (admins)",
    responses(
        (status = 200, description = "The endpoints, without their secrets", body = WebhookList),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list_webhooks(State(state): State<AppState>, user: ApiUser) -> ApiResult {
    let items = webhooks::list(&state, &user.actor())
        .await?
        .iter()
        .map(|h| webhook_response(h, false))
        .collect();
    Ok(no_store(Json(WebhookList { items }).into_response()))
}

#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    tag = "syndication",
    summary = "Remove an endpoint (admins)",
    params(("id" = i64, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete_webhook(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    webhooks::delete(&state, &user.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct DeliveryResponse {
    id: i64,
    /// `webhook-id`.
    message_id: String,
    event: String,
    article_id: Option<i64>,
    /// `pending`, `delivered`, `failed` or `withheld`.
    state: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    duration_ms: Option<i64>,
    created_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
}

fn delivery_response(d: &WebhookDelivery) -> DeliveryResponse {
    DeliveryResponse {
        id: d.id,
        message_id: d.message_id.clone(),
        event: d.event.clone(),
        article_id: d.article_id,
        state: d.state.as_str().to_owned(),
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error.clone(),
        duration_ms: d.duration_ms,
        created_at: d.created_at,
        delivered_at: d.delivered_at,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct DeliveryList {
    /// Newest first.
    items: Vec<DeliveryResponse>,
}

#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    tag = "syndication",
    summary = "An endpoint's latest deliveries (admins)",
    params(("id" = i64, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The latest 100", body = DeliveryList),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such endpoint", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list_deliveries(
    State(state): State<AppState>,
    user: ApiUser,
    ArticlePath(id): ArticlePath,
) -> ApiResult {
    webhooks::get(&state, &user.actor(), id).await?;
    let items = webhooks::deliveries(&state, &user.actor(), id)
        .await?
        .iter()
        .map(delivery_response)
        .collect();
    Ok(no_store(Json(DeliveryList { items }).into_response()))
}

#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay",
    tag = "syndication",
    summary = "Deliver a message again (admins): same `webhook-id`, new signature",
    params(
        ("id" = i64, Path, description = "Webhook id"),
        ("delivery_id" = i64, Path, description = "Delivery id"),
    ),
    responses(
        (status = 202, description = "Queued"),
        (status = 401, description = "No valid token", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 404, description = "No such delivery", body = ProblemDocument, content_type = "application/problem+json"),
    )
)]
pub(super) async fn replay_delivery(
    State(state): State<AppState>,
    user: ApiUser,
    TwoIds(id, delivery): TwoIds,
) -> ApiResult {
    let actor = user.actor();
    webhooks::get(&state, &actor, id).await?;
    let d = state.stores.webhooks.delivery(delivery).await;
    match d {
        Ok(d) if d.webhook_id == id => {}
        Ok(_) | Err(kiosque_domain::StoreError::NotFound) => {
            return Err(kiosque_app::Error::NotFound.into());
        }
        Err(e) => return Err(kiosque_app::Error::from(e).into()),
    }
    webhooks::replay(&state, &actor, delivery).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}
