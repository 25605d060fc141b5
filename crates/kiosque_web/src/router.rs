//! Assembles the router: each page module owns its routes; this file merges them and
//! adds the layers that apply everywhere.

use crate::error::ErrorPage;
use crate::pages;
use crate::security::add_security_headers;
use crate::state::AppState;
use axum::Router;
use axum::extract::Request;
use axum::extract::State;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{Next, from_fn_with_state, map_response_with_state};
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt;

pub fn router(state: AppState) -> Router {
    router_with_replica(state, None)
}

/// The router, with public reads on a read replica when `replica` is given: the same
/// site whose stores read from the replica (see [`reads_from_replica`]).
pub fn router_with_replica(state: AppState, replica: Option<AppState>) -> Router {
    let primary = routes(state.clone());
    let app = match replica {
        // Chosen before any route matches: each request is routed once, by one of
        // the two routers.
        Some(replica) => {
            let replica = routes(replica);
            Router::new().fallback_service(tower::service_fn(move |request: Request| {
                let chosen = if reads_from_replica(&request) {
                    replica.clone()
                } else {
                    primary.clone()
                };
                chosen.oneshot(request)
            }))
        }
        None => primary,
    };
    app.layer(axum::middleware::from_fn(crate::telemetry::request_span))
        .layer(from_fn_with_state(
            state.caches.page_cache.clone(),
            crate::cache::serve_cached,
        ))
        .layer(map_response_with_state(state.clone(), add_security_headers))
        .layer(axum::middleware::from_fn(crate::telemetry::track))
}

fn routes(state: AppState) -> Router {
    let routed = Router::new()
        .merge(pages::home::routes())
        .merge(pages::sitemaps::routes())
        .merge(crate::assets::routes())
        .merge(pages::taxonomy::routes())
        .merge(pages::search::routes())
        .merge(pages::accounts::routes())
        .merge(pages::comments::routes())
        .merge(pages::live::routes())
        .merge(pages::alerts::routes())
        .merge(pages::newsletters::routes())
        .merge(crate::admin::routes())
        .merge(crate::admin::preview_routes())
        .merge(crate::api::routes())
        .merge(crate::telemetry::routes())
        .route_layer(axum::middleware::from_fn(crate::telemetry::label_route))
        .fallback(pages::dispatch::dispatch_path)
        .layer(map_response_with_state(state.clone(), render_error_page));
    let routed = routed.with_state(state);
    routed
        .clone()
        .layer(from_fn_with_state(routed, other_slash))
}

/// Every page answers with or without its trailing slash: a `GET` that found
/// nothing is tried once more (as a `HEAD`, without cookies) with the slash added or
/// removed, and when that address exists the answer is a 308 to it. Only requests
/// that would have been a 404 pay for the second look.
async fn other_slash(State(routed): State<Router>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::NOT_FOUND
        || !matches!(method, Method::GET | Method::HEAD)
        || path == "/"
        || path.contains("//")
    {
        return response;
    }
    let other = match path.strip_suffix('/') {
        Some(without) => without.to_owned(),
        None => format!("{path}/"),
    };
    let target = match &query {
        Some(q) => format!("{other}?{q}"),
        None => other.clone(),
    };
    let Ok(probe) = Request::head(&target).body(axum::body::Body::empty()) else {
        return response;
    };
    let Ok(found) = routed.oneshot(probe).await;
    let status = found.status();
    if status.is_success()
        || status.is_redirection()
        || status == axum::http::StatusCode::UNAUTHORIZED
    {
        match HeaderValue::from_str(&target) {
            Ok(location) => (
                axum::http::StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response(),
            Err(_) => response,
        }
    } else {
        response
    }
}

/// Whether a request may read from the replica: a page anyone may see, asked for
/// without a session. Whoever can write (a reader commenting, a journalist, a script
/// with a token) has a session or goes to `/api`, `/admin` or `/compte`, and reads
/// from the primary, so their own change never seems to vanish behind the replica's
/// lag. Health checks ask the primary.
pub fn reads_from_replica(request: &Request) -> bool {
    const PRIMARY_ONLY: &[&str] = &[
        "admin", "api", "compte", "preview", "healthz", "readyz", "metrics",
    ];
    let first = request
        .uri()
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    let session = [crate::auth::SESSION_COOKIE, crate::community::READER_COOKIE]
        .iter()
        .any(|name| crate::auth::cookie(request.headers(), name).is_some());
    matches!(*request.method(), Method::GET | Method::HEAD)
        && !session
        && !PRIMARY_ONLY.contains(&first)
}

/// Gives error responses the site's error page, in the site's language.
async fn render_error_page(State(state): State<AppState>, response: Response) -> Response {
    let Some(ErrorPage(status)) = response.extensions().get::<ErrorPage>().copied() else {
        return response;
    };
    match crate::views::error_page(&state, status).await {
        Ok(html) => {
            let mut page = (status, Html(html)).into_response();
            page.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            page
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot render the error page");
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str, cookie: Option<&str>) -> Request {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn only_sessionless_public_reads_go_to_the_replica() {
        for path in [
            "/",
            "/monde/",
            "/compte-rendu/",
            "/tags/x/",
            "/commentaires/4",
            "/rss.xml",
        ] {
            assert!(reads_from_replica(&request("GET", path, None)), "{path}");
        }
        assert!(reads_from_replica(&request("HEAD", "/", Some("kq_form=x"))));
        for path in [
            "/admin",
            "/admin/articles",
            "/api/v1/articles/3",
            "/compte/verifier/abc",
            "/preview/abc",
            "/readyz",
            "/metrics",
        ] {
            assert!(!reads_from_replica(&request("GET", path, None)), "{path}");
        }
        assert!(!reads_from_replica(&request(
            "POST",
            "/commentaires/4",
            None
        )));
        for cookie in ["kq_reader=a", "theme=dark; kq_session=b"] {
            assert!(
                !reads_from_replica(&request("GET", "/", Some(cookie))),
                "{cookie}"
            );
        }
    }
}
