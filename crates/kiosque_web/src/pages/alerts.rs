//! Push alerts for readers: the page that offers them (`/alertes`), the site's public
//! VAPID key (`/alertes/cle`), subscriptions (`POST` and `DELETE /alertes/abonnements`,
//! same-origin JSON only) and the service worker at the site's root (`/sw.js`).

use crate::error::AppError;
use crate::state::AppState;
use crate::views::{Layout, Link};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kiosque_app::alerts::{self, Subscription};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A subscription document is a few hundred bytes.
const MAX_SUBSCRIPTION_BYTES: usize = 8 * 1024;

const SERVICE_WORKER: &str = include_str!("../../static/sw.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/alertes", get(show_page))
        .route("/alertes/cle", get(public_key))
        .route(
            "/alertes/abonnements",
            post(subscribe)
                .delete(unsubscribe)
                .layer(DefaultBodyLimit::max(MAX_SUBSCRIPTION_BYTES)),
        )
        .route("/sw.js", get(service_worker))
}

async fn public_key(State(state): State<AppState>) -> Result<Response, AppError> {
    let key = alerts::public_key(&state).await?;
    let mut response = axum::Json(json!({"public_key": key})).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}

async fn service_worker() -> Response {
    let mut response = SERVICE_WORKER.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    // Browsers check for a new worker at each visit; it must not be kept long.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The browser's `PushSubscription.toJSON()`, with the topics chosen.
#[derive(Debug, Deserialize)]
struct SubscriptionInput {
    endpoint: String,
    #[serde(default)]
    keys: Keys,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default, rename = "expirationTime")]
    #[expect(dead_code, reason = "sent by browsers; push services say when it ends")]
    expiration_time: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
struct Keys {
    #[serde(default)]
    p256dh: String,
    #[serde(default)]
    auth: String,
}

/// Only the site's own pages subscribe: a browser's request says where it comes
/// from, and JSON cannot be sent across sites without a preflight this site refuses.
fn same_origin_json(state: &AppState, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let refused = |why: &str| {
        Box::new((StatusCode::FORBIDDEN, axum::Json(json!({"error": why}))).into_response())
    };
    if !headers.contains_key(header::ORIGIN) && !headers.contains_key("sec-fetch-site") {
        return Err(refused("same-origin requests only"));
    }
    crate::http::check_same_origin(state, headers)
        .map_err(|_| refused("same-origin requests only"))?;
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(Box::new(
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                axum::Json(json!({"error": "send JSON"})),
            )
                .into_response(),
        ));
    }
    Ok(())
}

fn bad_request(message: String) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({"error": message})),
    )
        .into_response()
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn subscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(refused) = same_origin_json(&state, &headers) {
        return Ok(*refused);
    }
    let input: SubscriptionInput = match serde_json::from_slice(&body) {
        Ok(input) => input,
        Err(e) => return Ok(no_store(bad_request(e.to_string()))),
    };
    let topics = input.topics.clone();
    let sub = Subscription {
        endpoint: input.endpoint,
        p256dh: input.keys.p256dh,
        auth: input.keys.auth,
        topics,
    };
    match alerts::subscribe(&state, sub).await {
        Ok(()) => Ok(no_store(
            (StatusCode::CREATED, axum::Json(json!({"subscribed": true}))).into_response(),
        )),
        Err(kiosque_app::Error::Invalid(errors)) => Ok(no_store(bad_request(
            errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; "),
        ))),
        Err(e) => Err(e.into()),
    }
}

async fn unsubscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(refused) = same_origin_json(&state, &headers) {
        return Ok(*refused);
    }
    let input: SubscriptionInput = match serde_json::from_slice(&body) {
        Ok(input) => input,
        Err(e) => return Ok(no_store(bad_request(e.to_string()))),
    };
    let found = alerts::unsubscribe(&state, &input.endpoint).await?;
    Ok(no_store(if found {
        StatusCode::NO_CONTENT.into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }))
}

#[derive(Serialize)]
struct AlertsPage {
    layout: Layout,
    ui_lang: &'static str,
    topics: Vec<Link>,
    js: String,
}

async fn show_page(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    let tree = state.section_tree().await?;
    let c = &state.catalogs;
    let title = format!("{} | {}", c.text(site.locale, "alerts-title"), site.name);
    let layout = Layout::new(&state, &tree, title, None).canonical(&site, "/alertes");
    let topics = alerts::topics(&state)
        .await?
        .into_iter()
        .map(|(slug, name)| Link {
            name: if slug == kiosque_domain::alert::BREAKING {
                c.text(site.locale, "alerts-topic-breaking")
            } else {
                name
            },
            current: slug == kiosque_domain::alert::BREAKING,
            href: slug,
        })
        .collect();
    let html = state.templates.render(
        "alerts.html",
        AlertsPage {
            ui_lang: site.locale.code(),
            layout,
            topics,
            js: crate::assets::alerts_js_href(),
        },
    )?;
    Ok(crate::pages::cached_html(html, 300))
}
