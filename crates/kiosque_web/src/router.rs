//! Assembles the router: each page module owns its routes; this file merges them and
//! adds the layers that apply everywhere.

use crate::error::ErrorPage;
use crate::pages;
use crate::security::add_security_headers;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::middleware::{from_fn_with_state, map_response, map_response_with_state};
use axum::response::{Html, IntoResponse, Response};

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::home::routes())
        .merge(pages::sitemaps::routes())
        .merge(pages::assets::routes())
        .merge(pages::taxonomy::routes())
        .merge(pages::search::routes())
        .merge(pages::accounts::routes())
        .merge(pages::comments::routes())
        .merge(crate::admin::routes())
        .merge(crate::admin::preview_routes())
        .merge(crate::api::routes())
        .merge(crate::telemetry::routes())
        .route_layer(axum::middleware::from_fn(crate::telemetry::label_route))
        .fallback(pages::dispatch::dispatch_path)
        .layer(map_response_with_state(state.clone(), render_error_page))
        .layer(axum::middleware::from_fn(crate::telemetry::request_span))
        .layer(from_fn_with_state(
            state.page_cache.clone(),
            crate::cache::serve_cached,
        ))
        .layer(map_response(add_security_headers))
        .layer(axum::middleware::from_fn(crate::telemetry::track))
        .with_state(state)
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
