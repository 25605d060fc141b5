//! Login, logout and the first-admin setup page.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::{
    self, LOGIN_CSRF_COOKIE, SESSION_COOKIE, Staff, clear_cookie, cookie, open_session, set_cookie,
    setup_token_is_valid,
};
use crate::error::AppError;
use crate::state::AppState;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Duration;
use kiosque_domain::secret::{random_token, same_secret};
use kiosque_domain::staff::{MIN_PASSWORD_LEN, NewUser, Role, is_plausible_email, normalise_email};
use serde::{Deserialize, Serialize};

/// Failed logins allowed per account, and per address, in [`WINDOW`].
const PER_ACCOUNT: usize = 5;
const PER_IP: usize = 20;
const WINDOW: Duration = Duration::minutes(15);

pub fn routes() -> axum::Router<AppState> {
    Router::new()
        .route("/admin/login", get(show_login).post(submit_login))
        .route("/admin/logout", post(logout))
        .route("/admin/setup/{token}", get(show_setup).post(submit_setup))
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    next: Option<String>,
}

#[derive(Serialize)]
struct LoginPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    email: String,
    next: String,
    login_csrf: String,
    error: Option<String>,
}

/// Only local paths: `next` must not send anyone to another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        // No control characters: the value ends up in a `Location` header.
        Some(n)
            if n.starts_with("/admin")
                && !n.starts_with("//")
                && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

fn login_page(
    state: &AppState,
    email: String,
    next: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let token = random_token();
    let title = state
        .catalogs
        .text(state.site().locale, "admin-login-title");
    let layout = AdminLayout::new(state, None, title, "/admin/login");
    let page = LoginPage {
        ui_lang: layout.ui_lang,
        layout,
        email,
        next,
        login_csrf: token.clone(),
        error,
    };
    let mut response = admin_html(status, state.templates.render("admin/login.html", page)?);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            state,
            LOGIN_CSRF_COOKIE,
            &token,
            Some(Duration::hours(1)),
            "Strict",
        ),
    );
    Ok(response)
}

async fn show_login(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    login_page(
        &state,
        String::new(),
        safe_next(q.next.as_deref()),
        None,
        StatusCode::OK,
    )
}

async fn submit_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_ext: axum::extract::Request,
) -> Result<Response, AppError> {
    let ip = auth::client_ip(request_ext.extensions(), &headers, &state.trusted_proxies)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into());
    let Form(form): Form<LoginForm> = Form::from_request(request_ext, &state)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    check_same_origin(&state, &headers)?;
    let next = safe_next(form.next.as_deref());
    let cookie_token = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie_token.is_empty() || !same_secret(cookie_token, &form.csrf) {
        return Err(AppError::Forbidden("login form csrf".into()));
    }
    let c = &state.catalogs;
    let locale = state.site().locale;
    let email = normalise_email(&form.email);
    let now = state.now();
    let (account_key, ip_key) = (format!("account:{email}"), format!("ip:{ip}"));
    if state
        .throttle
        .is_blocked(&account_key, PER_ACCOUNT, WINDOW, now)
        .await
        || state
            .throttle
            .is_blocked(&ip_key, PER_IP, WINDOW, now)
            .await
    {
        let message = c.message(
            locale,
            "admin-login-throttled",
            &[("minutes", WINDOW.num_minutes().into())],
        );
        return login_page(
            &state,
            form.email,
            next,
            Some(message),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let credentials = state.stores.accounts.user_credentials(&email).await?;
    // Verify against a decoy when there is no such account: same time, same answer.
    let (user, hash) = match credentials {
        Some((user, hash)) => (Some(user), hash),
        None => (None, auth::decoy_hash().to_owned()),
    };
    let password_ok = auth::verify_password(form.password, hash).await;
    match user {
        Some(user) if password_ok && user.active => {
            state.throttle.clear(&account_key).await;
            // A fresh token at every login: a planted session id is worthless.
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                state
                    .stores
                    .accounts
                    .delete_session(&kiosque_domain::secret::hash_token(old))
                    .await?;
            }
            let session_cookie = open_session(&state, &user).await?;
            state
                .stores
                .accounts
                .audit(Some(user.id), "login", &user.email, &ip, now)
                .await?;
            let mut response = see_other(&next);
            response
                .headers_mut()
                .append(header::SET_COOKIE, session_cookie);
            response
                .headers_mut()
                .append(header::SET_COOKIE, clear_cookie(&state, LOGIN_CSRF_COOKIE));
            Ok(response)
        }
        _ => {
            state.throttle.record_failure(&account_key, now).await;
            state.throttle.record_failure(&ip_key, now).await;
            let message = c.text(locale, "admin-login-failed");
            login_page(
                &state,
                form.email,
                next,
                Some(message),
                StatusCode::UNAUTHORIZED,
            )
        }
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    state
        .stores
        .accounts
        .delete_session(&staff.token_hash)
        .await?;
    let mut response = see_other("/admin/login");
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_cookie(&state, SESSION_COOKIE));
    Ok(response)
}

#[derive(Serialize)]
struct SetupPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    token: String,
    name: String,
    email: String,
    errors: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SetupForm {
    name: String,
    email: String,
    password: String,
    password_again: String,
}

fn setup_page(
    state: &AppState,
    token: String,
    name: String,
    email: String,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let title = state
        .catalogs
        .text(state.site().locale, "admin-setup-title");
    let layout = AdminLayout::new(state, None, title, "");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SetupPage {
        ui_lang: layout.ui_lang,
        layout,
        token,
        name,
        email,
        errors,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/setup.html", page)?,
    ))
}

async fn show_setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if !setup_token_is_valid(&state, &token).await? {
        return Err(AppError::NotFound);
    }
    setup_page(&state, token, String::new(), String::new(), Vec::new())
}

/// Checks a new password and its confirmation; returns catalogue message keys.
pub fn password_problems(password: &str, again: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    if password.chars().count() < MIN_PASSWORD_LEN {
        problems.push("admin-error-password-short");
    }
    if password != again {
        problems.push("admin-error-password-mismatch");
    }
    problems
}

async fn submit_setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    // The one-time token in the URL is the form's CSRF protection here.
    if !setup_token_is_valid(&state, &token).await? {
        return Err(AppError::NotFound);
    }
    let c = &state.catalogs;
    let locale = state.site().locale;
    let mut errors: Vec<String> = password_problems(&form.password, &form.password_again)
        .into_iter()
        .map(|k| c.text(locale, k))
        .collect();
    if form.name.trim().is_empty() {
        errors.push(c.text(locale, "admin-error-name"));
    }
    if !is_plausible_email(form.email.trim()) {
        errors.push(c.text(locale, "admin-error-email"));
    }
    if !errors.is_empty() {
        return setup_page(&state, token, form.name, form.email, errors);
    }
    let hash = auth::hash_password(form.password).await?;
    let new = NewUser {
        email: form.email.clone(),
        name: form.name.trim().to_owned(),
        role: Role::Admin,
        password_hash: hash,
    };
    let now = state.now();
    let user = state.stores.accounts.create_user(&new, now).await?;
    state
        .stores
        .meta
        .set_meta(auth::SETUP_EXPIRES_KEY, &now.to_rfc3339())
        .await?;
    state
        .stores
        .accounts
        .audit(
            Some(user.id),
            "user.create",
            &user.email,
            "first admin, from the setup link",
            now,
        )
        .await?;
    let mut response = see_other("/admin");
    response
        .headers_mut()
        .append(header::SET_COOKIE, open_session(&state, &user).await?);
    Ok(response)
}

use axum::extract::FromRequest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_in_the_back_office() {
        assert_eq!(
            safe_next(Some("/admin/articles?status=draft")),
            "/admin/articles?status=draft"
        );
        assert_eq!(safe_next(Some("https://evil.example/")), "/admin");
        assert_eq!(safe_next(Some("//evil.example/admin")), "/admin");
        assert_eq!(safe_next(None), "/admin");
    }

    #[test]
    fn passwords_must_be_long_and_confirmed() {
        assert_eq!(
            password_problems("short", "short"),
            ["admin-error-password-short"]
        );
        assert_eq!(
            password_problems("long enough pw", "long enough px"),
            ["admin-error-password-mismatch"]
        );
        assert!(password_problems("long enough pw", "long enough pw").is_empty());
    }
}
