//! Staff authentication: argon2id passwords, server-side sessions in the database,
//! CSRF tokens, login throttling, and the first-admin setup link.
//!
//! The session cookie holds a random token; the database holds only its SHA-256, so a
//! leaked database opens no session. Cookies are HttpOnly, SameSite=Lax, and Secure when
//! the site is served over HTTPS. Sessions expire after [`IDLE`] without activity and
//! [`ABSOLUTE`] after login whatever happens, and a new token is issued at each login.

use crate::error::AppError;
use crate::state::AppState;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Duration, Utc};
use kiosque_domain::User;
use kiosque_domain::secret::{hash_token, random_token, same_secret};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

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

/// Runs argon2 work on a few long-lived threads of its own, one per core, in turn.
///
/// Each hash takes 19 MiB for a few milliseconds. On tokio's blocking pool every
/// login could land on a new thread with its own malloc arena that keeps its 19 MiB
/// afterwards: 16 concurrent logins for five seconds left the server at 1.5 GiB.
/// Here the same threads reuse the same memory, the work never takes more cores than
/// the machine has, and a burst of logins queues instead of piling up.
async fn on_hashing_threads<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    type Job = Box<dyn FnOnce() + Send>;
    static QUEUE: std::sync::OnceLock<Mutex<std::sync::mpsc::Sender<Job>>> =
        std::sync::OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        let next = match receiver.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Mutex::new(sender)
    });
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(job());
    });
    queue.lock().ok()?.send(job).ok()?;
    result.await.ok()
}

/// Hashes a password with argon2id (its own random salt), off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    on_hashing_threads(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .ok_or_else(|| AppError::Internal("password hashing threads are gone".into()))?
    .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

/// Checks a password against a stored hash, off the async threads.
pub async fn verify_password(password: String, hash: String) -> bool {
    on_hashing_threads(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a wrong email
/// costs the same time as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"kiosque decoy password")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

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

    pub fn require_editor(&self) -> Result<(), AppError> {
        if self.user.role.can_publish() {
            Ok(())
        } else {
            Err(AppError::Forbidden("editors only".into()))
        }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.user.role.can_administer() {
            Ok(())
        } else {
            Err(AppError::Forbidden("admins only".into()))
        }
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

/// Keys the throttle keeps at most; a key whose events are older than
/// [`THROTTLE_HORIZON`] (the longest window in use) is dropped first.
const THROTTLE_KEYS: usize = 100_000;
const THROTTLE_HORIZON: Duration = Duration::hours(1);

/// Counts failures per key in a sliding window: login attempts per account and per IP.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

impl Throttle {
    /// Whether `key` has reached `limit` failures within `window` before `now`.
    pub fn is_blocked(
        &self,
        key: &str,
        limit: usize,
        window: Duration,
        now: DateTime<Utc>,
    ) -> bool {
        let Ok(mut map) = self.failures.lock() else {
            return false;
        };
        // Looking does not create an entry: only events take memory.
        let Some(entry) = map.get_mut(key) else {
            return limit == 0;
        };
        entry.retain(|t| now - *t < window);
        entry.len() >= limit
    }

    pub fn record_failure(&self, key: &str, now: DateTime<Utc>) {
        if let Ok(mut map) = self.failures.lock() {
            // Bound memory: past the cap, keys whose events are older than the longest
            // window go, then (under a flood) the tenth least recently used. Emptying
            // the whole map instead would let anyone who cycles through enough keys
            // wipe every counter, the one being guessed included; a key still being
            // tried is the most recently used and stays.
            if map.len() >= THROTTLE_KEYS && !map.contains_key(key) {
                map.retain(|_, events| events.last().is_some_and(|t| now - *t < THROTTLE_HORIZON));
                if map.len() >= THROTTLE_KEYS {
                    let mut by_age: Vec<(DateTime<Utc>, String)> = map
                        .iter()
                        .map(|(k, events)| (events.last().copied().unwrap_or(now), k.clone()))
                        .collect();
                    by_age.sort_unstable();
                    for (_, stale) in by_age.into_iter().take(THROTTLE_KEYS / 10) {
                        map.remove(&stale);
                    }
                }
            }
            map.entry(key.to_owned()).or_default().push(now);
        }
    }

    /// Counts one event for `key` unless `limit` events already happened within
    /// `window`: rate limits on actions that succeed (sign-ups, posts), not failures.
    pub fn allow(&self, key: &str, limit: usize, window: Duration, now: DateTime<Utc>) -> bool {
        if self.is_blocked(key, limit, window, now) {
            return false;
        }
        self.record_failure(key, now);
        true
    }

    pub fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
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

    #[test]
    fn throttle_blocks_after_the_limit_within_the_window() {
        let t = Throttle::default();
        let now = Utc::now();
        for _ in 0..5 {
            assert!(!t.is_blocked("a", 5, Duration::minutes(15), now));
            t.record_failure("a", now);
        }
        assert!(t.is_blocked("a", 5, Duration::minutes(15), now));
        assert!(!t.is_blocked("a", 5, Duration::minutes(15), now + Duration::minutes(16)));
        t.record_failure("b", now);
        t.clear("b");
        assert!(!t.is_blocked("b", 1, Duration::minutes(15), now));
    }

    #[test]
    fn cycling_keys_never_resets_the_counter_being_guessed() {
        let t = Throttle::default();
        let now = Utc::now();
        // The attacker alternates guesses on one account with throwaway keys.
        for i in 0..THROTTLE_KEYS + 10 {
            let at = now + Duration::milliseconds(i as i64);
            t.record_failure(&format!("account:robot{i}@example.org"), at);
            if i % 20_000 == 0 {
                t.record_failure("account:lea@example.org", at);
            }
        }
        let end = now + Duration::milliseconds(THROTTLE_KEYS as i64 + 10);
        assert!(
            t.is_blocked("account:lea@example.org", 5, Duration::minutes(15), end),
            "a flood of other keys must not wipe the account being guessed"
        );
        assert!(t.failures.lock().unwrap().len() <= THROTTLE_KEYS);
        // Old entries make room once they are past every window.
        let later = now + Duration::hours(2);
        t.record_failure("account:new@example.org", later);
        assert!(t.is_blocked("account:new@example.org", 1, Duration::minutes(15), later));
        assert!(
            !t.is_blocked("account:unknown", 1, Duration::minutes(15), later),
            "looking creates nothing"
        );
    }
}
