//! Staff authentication: argon2id passwords, server-side sessions in the database,
//! CSRF tokens, login throttling, and the first-admin setup link.
//!
//! The session cookie holds a random token; the database holds only its SHA-256, so a
//! leaked database opens no session. Cookies are HttpOnly, SameSite=Lax, and Secure when
//! the site is served over HTTPS. Sessions expire after [`IDLE`] without activity and
//! [`ABSOLUTE`] after login whatever happens, and a new token is issued at each login.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Duration, Utc};
pub use kiosque_app::password::{decoy_hash, hash_password, verify_password};
pub use kiosque_app::throttle::Throttle;
use kiosque_domain::User;
use kiosque_domain::secret::{hash_token, random_token, same_secret};
use std::net::{IpAddr, SocketAddr};

pub const SESSION_COOKIE: &str = "kq_session";
/// The double-submit cookie protecting forms shown before login.
pub const LOGIN_CSRF_COOKIE: &str = "kq_login_csrf";
/// A session ends after this long without a request.
pub const IDLE: Duration = Duration::hours(2);
/// A session ends this long after login, active or not.
pub const ABSOLUTE: Duration = Duration::hours(12);
/// The first-admin setup link is valid this long.
pub const SETUP_LINK_LIFETIME: Duration = Duration::hours(1);
pub const SETUP_TOKEN_KEY: &str = "setup.token_hash";
pub const SETUP_EXPIRES_KEY: &str = "setup.expires_at";

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with Kiosque's attributes.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: Option<Duration>,
    same_site: &str,
) -> HeaderValue {
    let secure = if state.site().base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|a| format!("; Max-Age={}", a.num_seconds().max(0)))
        .unwrap_or_default();
    let value = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}{age}{secure}");
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(""))
}

/// An expired cookie, to remove it.
pub fn clear_cookie(state: &AppState, name: &str) -> HeaderValue {
    set_cookie(state, name, "", Some(Duration::zero()), "Lax")
}

/// Opens a session for `user`; returns the cookie to send.
pub async fn open_session(state: &AppState, user: &User) -> Result<HeaderValue, AppError> {
    let token = random_token();
    let now = state.now();
    state
        .stores
        .accounts
        .create_session(
            &hash_token(&token),
            user.id,
            &random_token(),
            now,
            now + ABSOLUTE,
        )
        .await?;
    Ok(set_cookie(
        state,
        SESSION_COOKIE,
        &token,
        Some(ABSOLUTE),
        "Lax",
    ))
}

/// A logged-in staff member, with the CSRF token their forms must carry.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
}

impl Staff {
    /// Refuses a state-changing request whose form token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if same_secret(&self.csrf, submitted) {
            Ok(())
        } else {
            Err(AppError::Forbidden("csrf".into()))
        }
    }

    /// The staff member as the application sees them: acting through the back office.
    pub fn actor(&self) -> kiosque_app::Actor {
        kiosque_app::Actor::new(self.user.clone(), kiosque_app::Entrance::BackOffice)
    }

    /// Sections, contributors, fronts: the application's rule (`policy::manage_taxonomy`).
    pub fn require_editor(&self) -> Result<(), AppError> {
        Ok(kiosque_app::policy::manage_taxonomy(&self.actor())?)
    }

    /// Users, tokens, settings: the application's rule (`policy::administer`).
    pub fn require_admin(&self) -> Result<(), AppError> {
        Ok(kiosque_app::policy::administer(&self.actor())?)
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let login = || {
            AppError::LoginRequired(
                parts
                    .uri
                    .path_and_query()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            )
        };
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(login)?;
        let token_hash = hash_token(token);
        let now = state.now();
        let session = state
            .stores
            .accounts
            .session(&token_hash, now)
            .await?
            .ok_or_else(login)?;
        if now - session.last_seen_at > IDLE {
            state.stores.accounts.delete_session(&token_hash).await?;
            return Err(login());
        }
        // One write a minute at most, not one per request.
        if now - session.last_seen_at > Duration::minutes(1) {
            state
                .stores
                .accounts
                .touch_session(&token_hash, now)
                .await?;
        }
        Ok(Staff {
            user: session.user,
            csrf: session.csrf_token,
            token_hash,
        })
    }
}

/// The client address. It is the connection's peer, unless that peer is one of the
/// `trusted` proxies (a load balancer, a CDN), in which case it is the nearest address
/// in `X-Forwarded-For` that is not itself a trusted proxy. Addresses a client writes
/// into the header itself are never believed past the first untrusted hop.
pub fn client_ip(
    extensions: &axum::http::Extensions,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer),
    )
}

/// Creates a one-time setup link if the site has no active admin; returns its path.
pub async fn ensure_setup_link(state: &AppState) -> Result<Option<String>, AppError> {
    if state.stores.accounts.count_admins().await? > 0 {
        return Ok(None);
    }
    let token = random_token();
    let expires = state.now() + SETUP_LINK_LIFETIME;
    state
        .stores
        .meta
        .set_meta(SETUP_TOKEN_KEY, &hash_token(&token))
        .await?;
    state
        .stores
        .meta
        .set_meta(SETUP_EXPIRES_KEY, &expires.to_rfc3339())
        .await?;
    Ok(Some(format!("/admin/setup/{token}")))
}

/// Whether `token` is the current, unexpired setup token.
pub async fn setup_token_is_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    let stored = state.stores.meta.meta(SETUP_TOKEN_KEY).await?;
    let expires = state.stores.meta.meta(SETUP_EXPIRES_KEY).await?;
    let (Some(stored), Some(expires)) = (stored, expires) else {
        return Ok(false);
    };
    let Ok(expires) = DateTime::parse_from_rfc3339(&expires) else {
        return Ok(false);
    };
    Ok(same_secret(&stored, &hash_token(token))
        && state.now() < expires.with_timezone(&Utc)
        && state.stores.accounts.count_admins().await? == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_are_argon2id_and_verify() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery".into(), hash.clone()).await);
        assert!(!verify_password("wrong".into(), hash).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
    }

    #[test]
    fn cookies_are_read_from_any_header_line() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; kq_session=abc"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(cookie(&headers, "kq_session"), Some("abc"));
        assert_eq!(cookie(&headers, "b"), Some("2"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let mut extensions = axum::http::Extensions::new();
        extensions.insert(axum::extract::ConnectInfo::<SocketAddr>(
            "10.0.0.2:5000".parse().unwrap(),
        ));
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.0.0.3"),
        );
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let inner: IpAddr = "10.0.0.3".parse().unwrap();
        assert_eq!(
            client_ip(&extensions, &headers, &[]),
            Some(proxy),
            "untrusted peer: the header is ignored"
        );
        assert_eq!(
            client_ip(&extensions, &headers, &[proxy, inner]),
            Some("203.0.113.9".parse().unwrap()),
            "the first untrusted hop, not what the client wrote"
        );
        assert_eq!(
            client_ip(&axum::http::Extensions::new(), &headers, &[proxy]),
            None
        );
    }
}
