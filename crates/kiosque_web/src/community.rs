//! What reader accounts and comments share: the reader's session (a cookie of its own,
//! never accepted by `/admin`), the commenting identity of staff, the site's comment
//! policy, rate limits and the e-mails sent to readers.

use crate::auth::{self, cookie, set_cookie};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue};
use chrono::Duration;
use kiosque_app::mail::Mail;
use kiosque_domain::comment::{Policy, Reader};
use kiosque_domain::secret::{hash_token, random_token, same_secret};

/// The reader session cookie. Distinct from the staff cookie: a reader session opens
/// nothing in the back office.
pub const READER_COOKIE: &str = "kq_reader";
/// The double-submit cookie of forms shown before login (sign-up, log in, reset).
pub const FORM_CSRF_COOKIE: &str = "kq_form";
/// A reader session lasts this long after login.
pub const READER_SESSION: Duration = Duration::days(30);
/// Site comment rules in the meta store, as JSON.
pub const POLICY_KEY: &str = "comments.policy";

/// Who is about to comment: a reader, or a member of staff under their own name.
#[derive(Debug, Clone)]
pub struct Commenter {
    pub reader: Reader,
    pub csrf: String,
    /// The reader session's token hash; `None` for staff (their session is the back
    /// office's).
    pub session: Option<String>,
}

impl Commenter {
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if same_secret(&self.csrf, submitted) {
            Ok(())
        } else {
            Err(AppError::Forbidden("csrf".into()))
        }
    }
}

/// The reader behind this request's cookie, if any. A reader cookie wins; otherwise a
/// staff session comments under the staff member's name and role.
pub async fn commenter(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Commenter>, AppError> {
    let now = state.now();
    if let Some(token) = cookie(headers, READER_COOKIE).filter(|t| !t.is_empty()) {
        let hash = hash_token(token);
        if let Some(session) = state.stores.readers.reader_session(&hash, now).await? {
            if now - session.last_seen_at > Duration::hours(1) {
                state
                    .stores
                    .readers
                    .touch_reader_session(&hash, now)
                    .await?;
            }
            return Ok(Some(Commenter {
                reader: session.reader,
                csrf: session.csrf_token,
                session: Some(hash),
            }));
        }
    }
    if let Some(token) = cookie(headers, auth::SESSION_COOKIE).filter(|t| !t.is_empty()) {
        let hash = hash_token(token);
        if let Some(session) = state.stores.accounts.session(&hash, now).await?
            && now - session.last_seen_at <= auth::IDLE
        {
            let reader = state
                .stores
                .readers
                .reader_for_staff(&session.user, now)
                .await?;
            return Ok(Some(Commenter {
                reader,
                csrf: session.csrf_token,
                session: None,
            }));
        }
    }
    Ok(None)
}

/// Opens a fresh reader session (a new token at each login: no fixation); returns the
/// cookie to send.
pub async fn open_reader_session(
    state: &AppState,
    reader: &Reader,
) -> Result<HeaderValue, AppError> {
    let token = random_token();
    let now = state.now();
    state
        .stores
        .readers
        .create_reader_session(
            &hash_token(&token),
            reader.id,
            &random_token(),
            now,
            now + READER_SESSION,
        )
        .await?;
    Ok(set_cookie(
        state,
        READER_COOKIE,
        &token,
        Some(READER_SESSION),
        "Lax",
    ))
}

/// The site's comment rules (defaults until an admin saves them).
pub async fn policy(state: &AppState) -> Result<Policy, AppError> {
    Ok(state
        .stores
        .meta
        .meta(POLICY_KEY)
        .await?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

pub async fn save_policy(state: &AppState, policy: &Policy) -> Result<(), AppError> {
    let json = serde_json::to_string(policy).map_err(|e| AppError::Internal(e.to_string()))?;
    state.stores.meta.set_meta(POLICY_KEY, &json).await?;
    Ok(())
}

/// The client's address as a rate-limit key.
pub fn ip_key(state: &AppState, request: &axum::http::request::Parts) -> String {
    auth::client_ip(
        &request.extensions,
        &request.headers,
        &state.trusted_proxies,
    )
    .map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

/// Only local paths: a `retour` must not send anyone to another site.
pub fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control)
                && !p.starts_with("/admin") =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Messages that carry no secret: when the mail server fails, they are queued as
/// jobs and retried with backoff. Messages with a single-use link are not stored
/// (the database keeps only hashes of those): the reader asks for a new link.
const RETRIED: [&str; 5] = ["reply", "rejected", "warned", "suspended", "banned"];

/// Sends a message to a reader in the site's language, in the background: the answer
/// to the request does not wait for (or reveal anything through) the mail server.
/// `key` names `mail-<key>-subject` and `mail-<key>-text` in the catalogues.
pub fn send_reader_mail(
    state: &AppState,
    to: &str,
    key: &str,
    name: &str,
    link: Option<String>,
    extra: &[(&str, String)],
) {
    let c = &state.catalogs;
    let site = state.site();
    let locale = site.locale;
    let mut args: Vec<(&str, fluent_bundle::FluentValue<'_>)> = vec![
        ("site", site.name.clone().into()),
        ("name", name.to_owned().into()),
        ("link", link.clone().unwrap_or_default().into()),
    ];
    for (k, v) in extra {
        args.push((k, v.clone().into()));
    }
    let mail = Mail {
        to: to.to_owned(),
        subject: c.message(locale, &format!("mail-{key}-subject"), &args),
        text: c.message(locale, &format!("mail-{key}-text"), &args),
        link,
    };
    let mailer = state.mailer.clone();
    let jobs = state.stores.jobs.clone();
    let retried = RETRIED.contains(&key);
    let now = state.now();
    tokio::spawn(async move {
        let Err(e) = mailer.send(&mail).await else {
            return;
        };
        if !retried {
            tracing::error!(error = %e, "cannot send a message to a reader");
            return;
        }
        tracing::warn!(error = %e, "cannot send a message to a reader now: queued for retry");
        let queued = match serde_json::to_string(&mail) {
            Ok(payload) => jobs
                .enqueue(
                    kiosque_domain::store::MAIL_JOB,
                    &payload,
                    now + chrono::Duration::seconds(30),
                    now,
                )
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = queued {
            tracing::error!(error = %e, "cannot queue a message to a reader");
        }
    });
}

/// Tells the authors a new approved reply answers (the top-level comment's and the
/// reply's), when they asked for it and are not its author.
pub async fn notify_reply(state: &AppState, reply: &kiosque_domain::comment::Comment) {
    let Some(author) = &reply.author else { return };
    let targets = reply
        .parent_id
        .into_iter()
        .chain(reply.reply_to.as_ref().map(|(id, _)| *id));
    let mut told = Vec::new();
    for target in targets {
        let Ok(parent) = state.stores.comments.comment(target).await else {
            continue;
        };
        let Some(parent_author) = parent.author else {
            continue;
        };
        if parent_author.reader == author.reader || told.contains(&parent_author.reader) {
            continue;
        }
        told.push(parent_author.reader);
        let Ok(reader) = state.stores.readers.reader(parent_author.reader).await else {
            continue;
        };
        let Some(email) = reader.email.as_deref().filter(|_| reader.notify_replies) else {
            continue;
        };
        let link = state.site().absolute(&format!(
            "/commentaires/{}#c{}",
            reply.article_id.0, reply.id.0
        ));
        send_reader_mail(
            state,
            email,
            "reply",
            &reader.display_name,
            Some(link),
            &[("author", author.name.clone())],
        );
    }
}
