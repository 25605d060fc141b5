//! Security headers on every response. The reader site runs no inline script and loads
//! nothing from elsewhere, so the policy can be strict.

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

/// The policy, with the origin of a public media bucket or CDN among the image sources
/// when one is set (it is set at start-up, before the first response), and the embed
/// providers' player origins as the only frame sources. Scripts stay `'self'`.
fn csp(frames: &[String]) -> HeaderValue {
    let media = kiosque_domain::url::media_origin().unwrap_or_default();
    let frame_src = if frames.is_empty() {
        String::new()
    } else {
        format!(" frame-src {};", frames.join(" "))
    };
    let policy = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: {media}; media-src 'self' {media};{frame_src} font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy.replace(" ;", ";"))
        .unwrap_or(HeaderValue::from_static("default-src 'none'"))
}

/// The headers, and `Strict-Transport-Security` when the site's public address
/// (as an admin last saved it) is https: browsers then come back over https only.
pub async fn add_security_headers(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    mut response: Response,
) -> Response {
    if state.site().base_url.starts_with("https://") {
        response
            .headers_mut()
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static(
                "max-age=31536000; includeSubDomains",
            ));
    }
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert_with(|| {
            state
                .caches
                .csp
                .get_or_init(|| csp(&state.embeds.providers.frame_sources()))
                .clone()
        });
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        headers,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    response
}
