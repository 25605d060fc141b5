//! My account (password, API tokens), users (admins), audit log (admins).

use super::login::password_problems;
use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::{self, Staff, open_session};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use kiosque_domain::staff::{AuditEntry, Role, User, UserId, is_plausible_email};
use kiosque_domain::store::ApiToken;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/account", get(show_account))
        .route("/admin/account/password", post(change_password))
        .route("/admin/account/tokens", post(create_token))
        .route("/admin/account/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/users", get(list_users).post(create_user))
        .route("/admin/users/{id}/active", post(set_active))
        .route("/admin/audit", get(show_audit))
}

/// An API token's secret: `kq_` then 64 hex characters.
pub use kiosque_app::staff::new_api_token;

#[derive(Serialize)]
struct AccountPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    user: User,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    errors: Vec<String>,
    done: bool,
}

#[derive(Serialize)]
struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    revoked: bool,
}

fn token_row(state: &AppState, t: ApiToken) -> TokenRow {
    let local = |at: chrono::DateTime<chrono::Utc>| {
        state.site().local(at).format("%d/%m/%Y %H:%M").to_string()
    };
    TokenRow {
        id: t.id,
        name: t.name,
        created: local(t.created_at),
        last_used: t.last_used_at.map(local).unwrap_or_default(),
        revoked: t.revoked_at.is_some(),
    }
}

async fn account_page(
    state: &AppState,
    staff: &Staff,
    new_token: Option<String>,
    errors: Vec<String>,
    done: bool,
) -> Result<Response, AppError> {
    let tokens = state
        .stores
        .accounts
        .api_tokens(staff.user.id)
        .await?
        .into_iter()
        .map(|t| token_row(state, t))
        .collect();
    let title = state
        .catalogs
        .text(state.site().locale, "admin-nav-account");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/account");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AccountPage {
        ui_lang: layout.ui_lang,
        layout,
        user: staff.user.clone(),
        tokens,
        new_token,
        errors,
        done,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/account.html", page)?,
    ))
}

#[derive(Debug, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn show_account(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    account_page(&state, &staff, None, Vec::new(), q.done.is_some()).await
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    csrf: String,
    current: String,
    password: String,
    password_again: String,
}

async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let mut errors: Vec<String> = password_problems(&form.password, &form.password_again)
        .into_iter()
        .map(|k| c.text(locale, k))
        .collect();
    let (_, hash) = state
        .stores
        .accounts
        .user_credentials(&staff.user.email)
        .await?
        .ok_or(AppError::NotFound)?;
    if !auth::verify_password(form.current, hash).await {
        errors.push(c.text(locale, "admin-error-current-password"));
    }
    if !errors.is_empty() {
        return account_page(&state, &staff, None, errors, false).await;
    }
    let hash = auth::hash_password(form.password).await?;
    // Ends every session of the account, this one included; a fresh one follows.
    state
        .stores
        .accounts
        .set_password_hash(staff.user.id, &hash)
        .await?;
    state
        .stores
        .accounts
        .audit(
            Some(staff.user.id),
            "user.password",
            &staff.user.email,
            "",
            state.now(),
        )
        .await?;
    let mut response = see_other("/admin/account?done=1");
    response
        .headers_mut()
        .append(header::SET_COOKIE, open_session(&state, &staff.user).await?);
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    csrf: String,
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let token = kiosque_app::staff::create_token(
        &state,
        kiosque_app::staff::By::Staff(&staff.actor()),
        &staff.user,
        &form.name,
    )
    .await?;
    // Shown once, on this response only.
    account_page(&state, &staff, Some(token), Vec::new(), false).await
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn revoke_token(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    state
        .stores
        .accounts
        .revoke_api_token(staff.user.id, id, state.now())
        .await?;
    state
        .stores
        .accounts
        .audit(
            Some(staff.user.id),
            "token.revoke",
            &id.to_string(),
            "",
            state.now(),
        )
        .await?;
    Ok(see_other("/admin/account"))
}

#[derive(Serialize)]
struct UsersPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    users: Vec<User>,
    form: NewUserForm,
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct NewUserForm {
    #[serde(default)]
    csrf: String,
    name: String,
    email: String,
    role: String,
    #[serde(skip_serializing)]
    password: String,
}

async fn users_page(
    state: &AppState,
    staff: &Staff,
    form: NewUserForm,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let users = state.stores.accounts.users().await?;
    let title = state.catalogs.text(state.site().locale, "admin-nav-users");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/users");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = UsersPage {
        ui_lang: layout.ui_lang,
        layout,
        users,
        form,
        errors,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/users.html", page)?,
    ))
}

async fn list_users(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require_admin()?;
    users_page(
        &state,
        &staff,
        NewUserForm {
            role: "journalist".into(),
            ..Default::default()
        },
        Vec::new(),
    )
    .await
}

async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    staff.require_admin()?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let mut errors: Vec<String> = password_problems(&form.password, &form.password)
        .into_iter()
        .map(|k| c.text(locale, k))
        .collect();
    if form.name.trim().is_empty() {
        errors.push(c.text(locale, "admin-error-name"));
    }
    if !is_plausible_email(form.email.trim()) {
        errors.push(c.text(locale, "admin-error-email"));
    }
    let role = form.role.parse::<Role>();
    if role.is_err() {
        errors.push(c.text(locale, "admin-error-role"));
    }
    let (Ok(role), true) = (role, errors.is_empty()) else {
        return users_page(&state, &staff, form, errors).await;
    };
    let created = kiosque_app::staff::create_user(
        &state,
        kiosque_app::staff::By::Staff(&staff.actor()),
        &form.email,
        &form.name,
        role,
        form.password.clone(),
    )
    .await;
    match created {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(kiosque_app::Error::Duplicate(_)) => {
            users_page(
                &state,
                &staff,
                form,
                vec![c.text(locale, "admin-error-email-taken")],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct ActiveForm {
    csrf: String,
    active: String,
}

async fn set_active(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    staff.require_admin()?;
    if UserId(id) == staff.user.id {
        return Err(AppError::BadRequest(
            "an admin cannot deactivate themselves".into(),
        ));
    }
    let active = form.active == "1";
    let target = state.stores.accounts.user(UserId(id)).await?;
    state
        .stores
        .accounts
        .set_user_active(target.id, active, state.now())
        .await?;
    let action = if active {
        "user.activate"
    } else {
        "user.deactivate"
    };
    state
        .stores
        .accounts
        .audit(Some(staff.user.id), action, &target.email, "", state.now())
        .await?;
    Ok(see_other("/admin/users"))
}

#[derive(Serialize)]
struct AuditPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    entries: Vec<AuditRow>,
}

#[derive(Serialize)]
struct AuditRow {
    at: String,
    user: String,
    action: String,
    target: String,
    detail: String,
}

async fn show_audit(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require_admin()?;
    let entries: Vec<AuditEntry> = state.stores.accounts.audit_log(500).await?;
    let title = state.catalogs.text(state.site().locale, "admin-nav-audit");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/audit");
    let page = AuditPage {
        ui_lang: layout.ui_lang,
        layout,
        entries: entries
            .into_iter()
            .map(|e| AuditRow {
                at: state
                    .site()
                    .local(e.created_at)
                    .format("%d/%m/%Y %H:%M:%S")
                    .to_string(),
                user: e.user_name.unwrap_or_default(),
                action: e.action,
                target: e.target,
                detail: e.detail,
            })
            .collect(),
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/audit.html", page)?,
    ))
}
