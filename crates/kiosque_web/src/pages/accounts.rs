//! Reader accounts: sign-up with e-mail verification, log in (password or e-mailed
//! link), forgotten password, and the account page (profile, e-mail, password,
//! notifications, data download, deletion).
//!
//! Every answer about an e-mail address is the same whether an account has it or not;
//! every form carries a CSRF token; sign-up, log in and e-mailed links are rate limited
//! per address and per account; each login opens a new session.

use crate::auth::{clear_cookie, cookie, decoy_hash, hash_password, set_cookie, verify_password};
use crate::community::{
    Commenter, FORM_CSRF_COOKIE, READER_COOKIE, commenter, ip_key, open_reader_session, policy,
    safe_return, send_reader_mail,
};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::Layout;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Duration;
use kiosque_domain::StoreError;
use kiosque_domain::comment::{
    MAX_NAME_CHARS, NewReader, Reader, TokenPurpose, clean_display_name, is_common_password,
};
use kiosque_domain::secret::{hash_token, random_token, same_secret};
use kiosque_domain::staff::{MIN_PASSWORD_LEN, is_plausible_email, normalise_email};
use serde::{Deserialize, Serialize};

/// Where the comments area sends readers to log in.
pub const LOGIN_PATH: &str = "/compte/connexion";
pub const SIGNUP_PATH: &str = "/compte/inscription";
pub const ACCOUNT_PATH: &str = "/compte";

const LOGIN_FAILURES_PER_ACCOUNT: usize = 5;
const LOGIN_FAILURES_PER_IP: usize = 20;
const SIGNUPS_PER_IP: usize = 5;
const MAILS_PER_IP: usize = 10;
const MAILS_PER_ADDRESS: usize = 3;
const WINDOW: Duration = Duration::minutes(15);
const HOUR: Duration = Duration::hours(1);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(LOGIN_PATH, get(show_login).post(submit_login))
        .route("/compte/lien", post(request_magic_link))
        .route(
            "/compte/lien/{token}",
            get(show_magic_link).post(use_magic_link),
        )
        .route(SIGNUP_PATH, get(show_signup).post(submit_signup))
        .route(
            "/compte/verifier/{token}",
            get(show_verify_email).post(verify_email),
        )
        .route("/compte/renvoyer", post(resend_verification))
        .route(
            "/compte/mot-de-passe-oublie",
            get(show_forgot).post(submit_forgot),
        )
        .route(
            "/compte/reinitialiser/{token}",
            get(show_reset).post(submit_reset),
        )
        .route("/compte/deconnexion", post(logout))
        .route(ACCOUNT_PATH, get(show_account))
        .route("/compte/profil", post(save_profile))
        .route("/compte/email", post(change_email))
        .route(
            "/compte/email/{token}",
            get(show_confirm_email).post(confirm_email),
        )
        .route("/compte/mot-de-passe", post(change_password))
        .route("/compte/donnees", get(download_data))
        .route("/compte/newsletters", post(account_newsletter))
        .route("/compte/supprimer", post(delete_account))
}

/// The request's client address and headers, for rate limits and cookies.
struct Client {
    ip: String,
    headers: HeaderMap,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(Client {
            ip: ip_key(state, parts),
            headers: parts.headers.clone(),
        })
    }
}

#[derive(Debug, Default, Serialize)]
struct AccountView {
    display_name: String,
    email: String,
    verified: bool,
    notify_replies: bool,
    staff: bool,
    newsletters: Vec<AccountNewsletter>,
}

/// A newsletter on the account page: subscribed (confirmed) or not.
#[derive(Debug, Default, Serialize)]
struct AccountNewsletter {
    id: i64,
    name: String,
    description: String,
    subscribed: bool,
    pending: bool,
}

#[derive(Serialize)]
struct AccountPage {
    layout: Layout,
    ui_lang: &'static str,
    /// Which form: login, signup, sent, magic, forgot, reset, account, message.
    view: &'static str,
    /// The token of forms shown before login (double-submit cookie).
    form_csrf: String,
    /// The session's token, for the account page's forms.
    csrf: String,
    error: Option<String>,
    notice: Option<String>,
    email: String,
    display_name: String,
    retour: String,
    token: String,
    /// The "confirm" view: where its button posts, and what it says.
    action: String,
    button_key: &'static str,
    account: Option<AccountView>,
    min_password: usize,
    max_name: usize,
    deletion_anonymises: bool,
}

struct Page {
    view: &'static str,
    title_key: &'static str,
    error: Option<String>,
    notice: Option<String>,
    email: String,
    display_name: String,
    retour: String,
    token: String,
    action: String,
    button_key: &'static str,
    account: Option<(Reader, String)>,
    status: StatusCode,
}

impl Page {
    fn new(view: &'static str, title_key: &'static str) -> Self {
        Page {
            view,
            title_key,
            error: None,
            notice: None,
            email: String::new(),
            display_name: String::new(),
            retour: "/".into(),
            token: String::new(),
            action: String::new(),
            button_key: "",
            account: None,
            status: StatusCode::OK,
        }
    }
    fn error(mut self, state: &AppState, key: &str) -> Self {
        self.error = Some(state.catalogs.text(state.site().locale, key));
        if self.status == StatusCode::OK {
            self.status = StatusCode::UNPROCESSABLE_ENTITY;
        }
        self
    }
    fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
}

async fn render(state: &AppState, page: Page) -> Result<Response, AppError> {
    let tree = state.section_tree().await?;
    let locale = state.site().locale;
    let mut layout = Layout::new(
        state,
        &tree,
        state.catalogs.text(locale, page.title_key),
        None,
    );
    layout.robots = Some("noindex");
    let form_csrf = random_token();
    let newsletters = match &page.account {
        Some((reader, _)) => {
            let mine = kiosque_app::newsletters::of_reader(state, reader).await?;
            kiosque_app::newsletters::list(state)
                .await?
                .into_iter()
                .map(|n| {
                    let sub = mine
                        .iter()
                        .find(|(_, m)| m.id == n.id)
                        .map(|(s, _)| s.state);
                    AccountNewsletter {
                        id: n.id,
                        name: n.name,
                        description: n.description,
                        subscribed: sub
                            == Some(kiosque_domain::newsletter::SubscriptionState::Confirmed),
                        pending: sub
                            == Some(kiosque_domain::newsletter::SubscriptionState::Pending),
                    }
                })
                .collect()
        }
        None => Vec::new(),
    };
    let (account, csrf) = match page.account {
        Some((reader, csrf)) => (
            Some(AccountView {
                newsletters,
                display_name: reader.display_name,
                email: reader.email.unwrap_or_default(),
                verified: reader.verified,
                notify_replies: reader.notify_replies,
                staff: reader.staff.is_some(),
            }),
            csrf,
        ),
        None => (None, String::new()),
    };
    let deletion_anonymises = policy(state).await?.on_account_deletion
        == kiosque_domain::comment::DeletionPolicy::Anonymise;
    let html = state.templates.render(
        "account.html",
        AccountPage {
            ui_lang: layout.ui_lang,
            layout,
            view: page.view,
            form_csrf: form_csrf.clone(),
            csrf,
            error: page.error,
            notice: page.notice,
            email: page.email,
            display_name: page.display_name,
            retour: page.retour,
            token: page.token,
            action: page.action,
            button_key: page.button_key,
            account,
            min_password: MIN_PASSWORD_LEN,
            max_name: MAX_NAME_CHARS,
            deletion_anonymises,
        },
    )?;
    let mut response = (page.status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.append(
        header::SET_COOKIE,
        set_cookie(
            state,
            FORM_CSRF_COOKIE,
            &form_csrf,
            Some(Duration::hours(2)),
            "Strict",
        ),
    );
    Ok(response)
}

fn redirect(location: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut response = crate::http::see_other(location);
    for c in cookies {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}

/// Checks the double-submit token of a form shown before login, and the origin.
fn check_form(state: &AppState, headers: &HeaderMap, submitted: &str) -> Result<(), AppError> {
    crate::http::check_same_origin(state, headers)?;
    let expected = cookie(headers, FORM_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(expected, submitted) {
        return Err(AppError::Forbidden("form csrf".into()));
    }
    Ok(())
}

/// Why a new password is refused, as a catalogue key.
fn password_problem(password: &str, email: &str) -> Option<&'static str> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        Some("account-error-password-short")
    } else if is_common_password(password) || normalise_email(password) == email {
        Some("account-error-password-common")
    } else {
        None
    }
}

fn with_query(path: &str, retour: &str) -> String {
    if retour == "/" {
        path.to_owned()
    } else {
        format!("{path}?retour={}", crate::error::percent_encode(retour))
    }
}

#[derive(Debug, Deserialize)]
struct ReturnQuery {
    retour: Option<String>,
}

// ---- log in ----

async fn show_login(
    State(state): State<AppState>,
    Query(q): Query<ReturnQuery>,
) -> Result<Response, AppError> {
    let mut page = Page::new("login", "account-login-title");
    page.retour = safe_return(q.retour.as_deref());
    render(&state, page).await
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    retour: Option<String>,
}

async fn submit_login(
    State(state): State<AppState>,
    client: Client,
    axum::Form(form): axum::Form<LoginForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let email = normalise_email(&form.email);
    let mut page = Page::new("login", "account-login-title");
    page.retour = safe_return(form.retour.as_deref());
    page.email = form.email.trim().to_owned();
    let now = state.now();
    let (account_key, ip_key) = (
        format!("reader-login:{email}"),
        format!("reader-login-ip:{}", client.ip),
    );
    if state
        .throttle
        .is_blocked(&account_key, LOGIN_FAILURES_PER_ACCOUNT, WINDOW, now)
        .await
        || state
            .throttle
            .is_blocked(&ip_key, LOGIN_FAILURES_PER_IP, WINDOW, now)
            .await
    {
        return render(
            &state,
            page.error(&state, "account-error-throttled")
                .status(StatusCode::TOO_MANY_REQUESTS),
        )
        .await;
    }
    let found = state.stores.readers.reader_credentials(&email).await?;
    let hash = found
        .as_ref()
        .and_then(|(_, h)| h.clone())
        .unwrap_or_else(|| decoy_hash().to_owned());
    let valid = verify_password(form.password.clone(), hash).await;
    match found {
        Some((reader, Some(_))) if valid => {
            state.throttle.clear(&account_key).await;
            let cookie = open_reader_session(&state, &reader).await?;
            let mut cookies = vec![cookie];
            // The old session (if any) ends: a new token at each login.
            if let Some(old) = crate::auth::cookie(&client.headers, READER_COOKIE) {
                state
                    .stores
                    .readers
                    .delete_reader_session(&hash_token(old))
                    .await?;
            }
            cookies.push(clear_cookie(&state, FORM_CSRF_COOKIE));
            Ok(redirect(&page.retour.clone(), cookies))
        }
        _ => {
            state.throttle.record_failure(&account_key, now).await;
            state.throttle.record_failure(&ip_key, now).await;
            render(
                &state,
                page.error(&state, "account-error-login")
                    .status(StatusCode::UNAUTHORIZED),
            )
            .await
        }
    }
}

// ---- e-mailed login links ----

#[derive(Debug, Deserialize)]
struct EmailForm {
    csrf: String,
    email: String,
    retour: Option<String>,
}

/// Rate limits for messages sent to an address: per client and per address.
async fn may_mail(state: &AppState, ip: &str, email: &str) -> bool {
    let now = state.now();
    state
        .throttle
        .allow(&format!("reader-mail-ip:{ip}"), MAILS_PER_IP, HOUR, now)
        .await
        && state
            .throttle
            .allow(
                &format!("reader-mail:{email}"),
                MAILS_PER_ADDRESS,
                HOUR,
                now,
            )
            .await
}

/// Where each kind of single-use link leads, and the message that carries it.
fn link_route(purpose: TokenPurpose) -> (&'static str, &'static str) {
    match purpose {
        TokenPurpose::Verify => ("/compte/verifier", "verify"),
        TokenPurpose::Reset => ("/compte/reinitialiser", "reset"),
        TokenPurpose::Magic => ("/compte/lien", "magic"),
        TokenPurpose::ChangeEmail => ("/compte/email", "change-email"),
    }
}

/// Creates a single-use link for `reader` and mails it to `to` (the account's address,
/// or the new one being confirmed); the link returns the reader to `retour`.
async fn mail_link(
    state: &AppState,
    reader: &Reader,
    to: &str,
    purpose: TokenPurpose,
    retour: &str,
) -> Result<(), AppError> {
    let token = random_token();
    let new_email = (purpose == TokenPurpose::ChangeEmail).then_some(to);
    state
        .stores
        .readers
        .create_reader_token(
            &hash_token(&token),
            reader.id,
            purpose,
            new_email,
            state.now(),
        )
        .await?;
    let (path, key) = link_route(purpose);
    let link = state
        .site()
        .absolute(&with_query(&format!("{path}/{token}"), retour));
    send_reader_mail(state, to, key, &reader.display_name, Some(link), &[]);
    Ok(())
}

/// "Check your inbox": the same page whether an account has the address or not.
async fn sent(state: &AppState, email: String) -> Result<Response, AppError> {
    let mut page = Page::new("sent", "account-sent-title");
    page.email = email;
    render(state, page).await
}

async fn request_magic_link(
    State(state): State<AppState>,
    client: Client,
    axum::Form(form): axum::Form<EmailForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let email = normalise_email(&form.email);
    let retour = safe_return(form.retour.as_deref());
    if !is_plausible_email(&email) {
        let mut page = Page::new("login", "account-login-title");
        page.email = form.email;
        page.retour = retour;
        return render(&state, page.error(&state, "account-error-email")).await;
    }
    if !may_mail(&state, &client.ip, &email).await {
        let mut page = Page::new("login", "account-login-title");
        page.email = form.email;
        return render(
            &state,
            page.error(&state, "account-error-throttled")
                .status(StatusCode::TOO_MANY_REQUESTS),
        )
        .await;
    }
    if let Some((reader, _)) = state.stores.readers.reader_credentials(&email).await? {
        mail_link(&state, &reader, &email, TokenPurpose::Magic, &retour).await?;
    }
    // The same answer whether an account has this address or not.
    sent(&state, email).await
}

async fn show_magic_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<ReturnQuery>,
) -> Result<Response, AppError> {
    // Showing a button rather than logging in on GET: mail scanners follow links.
    let valid = state
        .stores
        .readers
        .peek_reader_token(&hash_token(&token), TokenPurpose::Magic, state.now())
        .await?;
    let mut page = Page::new("magic", "account-magic-title");
    page.token = token;
    page.retour = safe_return(q.retour.as_deref());
    if !valid {
        page = page
            .error(&state, "account-error-link")
            .status(StatusCode::GONE);
    }
    render(&state, page).await
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    csrf: String,
    retour: Option<String>,
}

async fn use_magic_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
    client: Client,
    axum::Form(form): axum::Form<TokenForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let now = state.now();
    let Some((id, _)) = state
        .stores
        .readers
        .take_reader_token(&hash_token(&token), TokenPurpose::Magic, now)
        .await?
    else {
        let page = Page::new("magic", "account-magic-title");
        return render(
            &state,
            page.error(&state, "account-error-link")
                .status(StatusCode::GONE),
        )
        .await;
    };
    // The link reached the inbox: the address is verified too.
    state.stores.readers.mark_reader_verified(id, now).await?;
    let reader = state.stores.readers.reader(id).await?;
    let cookie = open_reader_session(&state, &reader).await?;
    Ok(redirect(&safe_return(form.retour.as_deref()), vec![cookie]))
}

// ---- sign-up and verification ----

async fn show_signup(
    State(state): State<AppState>,
    Query(q): Query<ReturnQuery>,
) -> Result<Response, AppError> {
    let mut page = Page::new("signup", "account-signup-title");
    page.retour = safe_return(q.retour.as_deref());
    render(&state, page).await
}

#[derive(Debug, Deserialize)]
struct SignupForm {
    csrf: String,
    email: String,
    display_name: String,
    password: String,
    /// The honeypot: hidden from people, filled by robots.
    #[serde(default)]
    website: String,
    retour: Option<String>,
}

async fn submit_signup(
    State(state): State<AppState>,
    client: Client,
    axum::Form(form): axum::Form<SignupForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let email = normalise_email(&form.email);
    let mut page = Page::new("signup", "account-signup-title");
    page.retour = safe_return(form.retour.as_deref());
    page.email = form.email.trim().to_owned();
    page.display_name = form.display_name.clone();
    if !form.website.is_empty() {
        tracing::info!(ip = %client.ip, "sign-up honeypot filled: nothing created");
        return sent(&state, email).await;
    }
    if !is_plausible_email(&email) {
        return render(&state, page.error(&state, "account-error-email")).await;
    }
    let Some(name) = clean_display_name(&form.display_name) else {
        return render(&state, page.error(&state, "account-error-name")).await;
    };
    if let Some(problem) = password_problem(&form.password, &email) {
        return render(&state, page.error(&state, problem)).await;
    }
    let now = state.now();
    if !state
        .throttle
        .allow(
            &format!("reader-signup-ip:{}", client.ip),
            SIGNUPS_PER_IP,
            HOUR,
            now,
        )
        .await
        || !may_mail(&state, &client.ip, &email).await
    {
        return render(
            &state,
            page.error(&state, "account-error-throttled")
                .status(StatusCode::TOO_MANY_REQUESTS),
        )
        .await;
    }
    let hash = hash_password(form.password.clone()).await?;
    let new = NewReader {
        email: email.clone(),
        display_name: name.clone(),
        password_hash: hash,
    };
    match state.stores.readers.create_reader(&new, now).await {
        Ok(reader) => {
            mail_link(&state, &reader, &email, TokenPurpose::Verify, &page.retour).await?;
        }
        Err(StoreError::Duplicate(_)) => {
            // Taken: tell the owner, not the person at the keyboard.
            let reset = state.site().absolute("/compte/mot-de-passe-oublie");
            send_reader_mail(&state, &email, "exists", &name, Some(reset), &[]);
        }
        Err(e) => return Err(e.into()),
    }
    sent(&state, email).await
}

/// A mailed link opened: a page with a button, for nothing changes on a GET (mail
/// scanners open links); the button's POST does it.
async fn show_link_button(
    state: &AppState,
    token: &str,
    purpose: TokenPurpose,
    action: String,
    button_key: &'static str,
    retour: Option<&str>,
) -> Result<Response, AppError> {
    let valid = state
        .stores
        .readers
        .peek_reader_token(&hash_token(token), purpose, state.now())
        .await?;
    let mut page = Page::new("confirm", "account-verify-title");
    page.action = action;
    page.button_key = button_key;
    page.retour = safe_return(retour);
    if !valid {
        page = page
            .error(state, "account-error-link")
            .status(StatusCode::GONE);
    }
    render(state, page).await
}

async fn show_verify_email(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<ReturnQuery>,
) -> Result<Response, AppError> {
    let action = format!("/compte/verifier/{token}");
    show_link_button(
        &state,
        &token,
        TokenPurpose::Verify,
        action,
        "account-verify-confirm",
        q.retour.as_deref(),
    )
    .await
}

async fn show_confirm_email(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let action = format!("/compte/email/{token}");
    show_link_button(
        &state,
        &token,
        TokenPurpose::ChangeEmail,
        action,
        "account-email-confirm",
        None,
    )
    .await
}

async fn verify_email(
    State(state): State<AppState>,
    Path(token): Path<String>,
    client: Client,
    axum::Form(form): axum::Form<TokenForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let q = ReturnQuery {
        retour: form.retour.clone(),
    };
    let now = state.now();
    let Some((id, _)) = state
        .stores
        .readers
        .take_reader_token(&hash_token(&token), TokenPurpose::Verify, now)
        .await?
    else {
        let page = Page::new("message", "account-verify-title");
        return render(
            &state,
            page.error(&state, "account-error-link")
                .status(StatusCode::GONE),
        )
        .await;
    };
    state.stores.readers.mark_reader_verified(id, now).await?;
    let reader = state.stores.readers.reader(id).await?;
    if let Some(old) = cookie(&client.headers, READER_COOKIE) {
        state
            .stores
            .readers
            .delete_reader_session(&hash_token(old))
            .await?;
    }
    let cookie = open_reader_session(&state, &reader).await?;
    let retour = safe_return(q.retour.as_deref());
    let target = if retour == "/" {
        "/compte?ok=verified".to_owned()
    } else {
        retour
    };
    Ok(redirect(&target, vec![cookie]))
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// The logged-in reader (not a member of staff), or a redirect to the login page.
async fn account_reader(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Result<Commenter, Response>, AppError> {
    match commenter(state, headers).await? {
        Some(c) if c.session.is_some() => Ok(Ok(c)),
        _ => Ok(Err(redirect(
            &with_query(LOGIN_PATH, ACCOUNT_PATH),
            Vec::new(),
        ))),
    }
}

async fn resend_verification(
    State(state): State<AppState>,
    client: Client,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &client.headers)?;
    let me = match account_reader(&state, &client.headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    me.check_csrf(&form.csrf)?;
    let email = me.reader.email.clone().unwrap_or_default();
    if !me.reader.verified && may_mail(&state, &client.ip, &email).await {
        mail_link(&state, &me.reader, &email, TokenPurpose::Verify, "/").await?;
    }
    Ok(redirect("/compte?ok=sent", Vec::new()))
}

// ---- forgotten password ----

async fn show_forgot(State(state): State<AppState>) -> Result<Response, AppError> {
    render(&state, Page::new("forgot", "account-forgot-title")).await
}

async fn submit_forgot(
    State(state): State<AppState>,
    client: Client,
    axum::Form(form): axum::Form<EmailForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let email = normalise_email(&form.email);
    if !is_plausible_email(&email) {
        let mut page = Page::new("forgot", "account-forgot-title");
        page.email = form.email;
        return render(&state, page.error(&state, "account-error-email")).await;
    }
    if !may_mail(&state, &client.ip, &email).await {
        let mut page = Page::new("forgot", "account-forgot-title");
        page.email = form.email;
        return render(
            &state,
            page.error(&state, "account-error-throttled")
                .status(StatusCode::TOO_MANY_REQUESTS),
        )
        .await;
    }
    if let Some((reader, _)) = state.stores.readers.reader_credentials(&email).await? {
        mail_link(&state, &reader, &email, TokenPurpose::Reset, "/").await?;
    }
    sent(&state, email).await
}

async fn show_reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let valid = state
        .stores
        .readers
        .peek_reader_token(&hash_token(&token), TokenPurpose::Reset, state.now())
        .await?;
    let mut page = Page::new("reset", "account-reset-title");
    page.token = token;
    if !valid {
        page = page
            .error(&state, "account-error-link")
            .status(StatusCode::GONE);
    }
    render(&state, page).await
}

#[derive(Debug, Deserialize)]
struct ResetForm {
    csrf: String,
    password: String,
}

async fn submit_reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    client: Client,
    axum::Form(form): axum::Form<ResetForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let mut page = Page::new("reset", "account-reset-title");
    page.token = token.clone();
    if let Some(problem) = password_problem(&form.password, "") {
        return render(&state, page.error(&state, problem)).await;
    }
    let now = state.now();
    let Some((id, _)) = state
        .stores
        .readers
        .take_reader_token(&hash_token(&token), TokenPurpose::Reset, now)
        .await?
    else {
        return render(
            &state,
            page.error(&state, "account-error-link")
                .status(StatusCode::GONE),
        )
        .await;
    };
    let hash = hash_password(form.password).await?;
    let readers = &state.stores.readers;
    readers.set_reader_password(id, &hash).await?;
    readers.mark_reader_verified(id, now).await?;
    // Whoever knew the old password is logged out everywhere.
    readers.delete_reader_sessions(id).await?;
    let reader = readers.reader(id).await?;
    let cookie = open_reader_session(&state, &reader).await?;
    Ok(redirect("/compte?ok=password", vec![cookie]))
}

// ---- log out ----

#[derive(Debug, Deserialize)]
struct LogoutForm {
    csrf: String,
    retour: Option<String>,
}

async fn logout(
    State(state): State<AppState>,
    client: Client,
    axum::Form(form): axum::Form<LogoutForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &client.headers)?;
    if let Some(me) = commenter(&state, &client.headers).await?
        && let Some(session) = &me.session
    {
        me.check_csrf(&form.csrf)?;
        state.stores.readers.delete_reader_session(session).await?;
    }
    Ok(redirect(
        &safe_return(form.retour.as_deref()),
        vec![clear_cookie(&state, READER_COOKIE)],
    ))
}

// ---- the account page ----

#[derive(Debug, Deserialize)]
struct AccountQuery {
    ok: Option<String>,
}

async fn show_account(
    State(state): State<AppState>,
    Query(q): Query<AccountQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let me = match account_reader(&state, &headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    let mut page = Page::new("account", "account-title");
    page.notice = q.ok.as_deref().and_then(|ok| {
        let key = match ok {
            "verified" => "account-ok-verified",
            "sent" => "account-ok-sent",
            "password" => "account-ok-password",
            "profile" => "account-ok-profile",
            "email" => "account-ok-email",
            "email-sent" => "account-ok-email-sent",
            "newsletters" => "account-ok-newsletters",
            _ => return None,
        };
        Some(state.catalogs.text(state.site().locale, key))
    });
    account_page(&state, me, page).await
}

async fn account_page(
    state: &AppState,
    me: Commenter,
    mut page: Page,
) -> Result<Response, AppError> {
    if page.display_name.is_empty() {
        page.display_name = me.reader.display_name.clone();
    }
    page.account = Some((me.reader, me.csrf));
    render(state, page).await
}

#[derive(Debug, Deserialize)]
struct ProfileForm {
    csrf: String,
    display_name: String,
    #[serde(default)]
    notify_replies: Option<String>,
}

async fn save_profile(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ProfileForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &headers)?;
    let me = match account_reader(&state, &headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    me.check_csrf(&form.csrf)?;
    let Some(name) = clean_display_name(&form.display_name) else {
        let mut page = Page::new("account", "account-title").error(&state, "account-error-name");
        page.display_name = form.display_name;
        return account_page(&state, me, page).await;
    };
    state
        .stores
        .readers
        .update_reader_profile(me.reader.id, &name, form.notify_replies.is_some())
        .await?;
    Ok(redirect("/compte?ok=profile", Vec::new()))
}

#[derive(Debug, Deserialize)]
struct ChangeEmailForm {
    csrf: String,
    email: String,
    password: String,
}

async fn current_password_ok(
    state: &AppState,
    me: &Commenter,
    password: String,
) -> Result<bool, AppError> {
    let email = me.reader.email.clone().unwrap_or_default();
    let hash = state
        .stores
        .readers
        .reader_credentials(&email)
        .await?
        .and_then(|(_, h)| h)
        .unwrap_or_else(|| decoy_hash().to_owned());
    Ok(verify_password(password, hash).await)
}

async fn change_email(
    State(state): State<AppState>,
    client: Client,
    axum::Form(form): axum::Form<ChangeEmailForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &client.headers)?;
    let me = match account_reader(&state, &client.headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    me.check_csrf(&form.csrf)?;
    let email = normalise_email(&form.email);
    let mut page = Page::new("account", "account-title");
    page.email = form.email.clone();
    if !is_plausible_email(&email) {
        return account_page(&state, me, page.error(&state, "account-error-email")).await;
    }
    let key = format!("reader-password:{}", me.reader.id);
    if state
        .throttle
        .is_blocked(&key, LOGIN_FAILURES_PER_ACCOUNT, WINDOW, state.now())
        .await
    {
        return account_page(
            &state,
            me,
            page.error(&state, "account-error-throttled")
                .status(StatusCode::TOO_MANY_REQUESTS),
        )
        .await;
    }
    if !current_password_ok(&state, &me, form.password).await? {
        state.throttle.record_failure(&key, state.now()).await;
        return account_page(
            &state,
            me,
            page.error(&state, "account-error-current-password"),
        )
        .await;
    }
    if !may_mail(&state, &client.ip, &email).await {
        return account_page(
            &state,
            me,
            page.error(&state, "account-error-throttled")
                .status(StatusCode::TOO_MANY_REQUESTS),
        )
        .await;
    }
    // Verified again: the link goes to the new address; the change happens on use.
    mail_link(&state, &me.reader, &email, TokenPurpose::ChangeEmail, "/").await?;
    Ok(redirect("/compte?ok=email-sent", Vec::new()))
}

async fn confirm_email(
    State(state): State<AppState>,
    Path(token): Path<String>,
    client: Client,
    axum::Form(form): axum::Form<TokenForm>,
) -> Result<Response, AppError> {
    check_form(&state, &client.headers, &form.csrf)?;
    let now = state.now();
    let taken = state
        .stores
        .readers
        .take_reader_token(&hash_token(&token), TokenPurpose::ChangeEmail, now)
        .await?;
    let Some((id, Some(email))) = taken else {
        let page = Page::new("message", "account-verify-title");
        return render(
            &state,
            page.error(&state, "account-error-link")
                .status(StatusCode::GONE),
        )
        .await;
    };
    match state.stores.readers.set_reader_email(id, &email).await {
        Ok(()) => {
            state.stores.readers.mark_reader_verified(id, now).await?;
            Ok(redirect("/compte?ok=email", Vec::new()))
        }
        Err(StoreError::Duplicate(_)) => {
            let page = Page::new("message", "account-verify-title");
            render(
                &state,
                page.error(&state, "account-error-email-taken")
                    .status(StatusCode::CONFLICT),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct ChangePasswordForm {
    csrf: String,
    current: String,
    password: String,
}

async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ChangePasswordForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &headers)?;
    let me = match account_reader(&state, &headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    me.check_csrf(&form.csrf)?;
    let page = Page::new("account", "account-title");
    let key = format!("reader-password:{}", me.reader.id);
    if state
        .throttle
        .is_blocked(&key, LOGIN_FAILURES_PER_ACCOUNT, WINDOW, state.now())
        .await
    {
        return account_page(
            &state,
            me,
            page.error(&state, "account-error-throttled")
                .status(StatusCode::TOO_MANY_REQUESTS),
        )
        .await;
    }
    if !current_password_ok(&state, &me, form.current).await? {
        state.throttle.record_failure(&key, state.now()).await;
        return account_page(
            &state,
            me,
            page.error(&state, "account-error-current-password"),
        )
        .await;
    }
    let email = me.reader.email.clone().unwrap_or_default();
    if let Some(problem) = password_problem(&form.password, &email) {
        return account_page(&state, me, page.error(&state, problem)).await;
    }
    let hash = hash_password(form.password).await?;
    state
        .stores
        .readers
        .set_reader_password(me.reader.id, &hash)
        .await?;
    // Every other session ends; this one is replaced by a new one.
    state
        .stores
        .readers
        .delete_reader_sessions(me.reader.id)
        .await?;
    let cookie = open_reader_session(&state, &me.reader).await?;
    Ok(redirect("/compte?ok=password", vec![cookie]))
}

async fn download_data(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let me = match account_reader(&state, &headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    let comments = state
        .stores
        .comments
        .reader_comments(me.reader.id, u32::MAX / 2)
        .await?;
    let site = state.site();
    let subscriptions = kiosque_app::newsletters::of_reader(&state, &me.reader).await?;
    let data = serde_json::json!({
        "profile": {
            "email": me.reader.email,
            "display_name": me.reader.display_name,
            "verified": me.reader.verified,
            "notify_replies": me.reader.notify_replies,
            "created_at": me.reader.created_at,
        },
        "comments": comments.iter().map(|c| serde_json::json!({
            "id": c.id,
            "article_url": site.absolute(&format!("/commentaires/{}", c.article_id.0)),
            "body": c.body,
            "status": c.status,
            "likes": c.like_count,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
        })).collect::<Vec<_>>(),
        "newsletters": subscriptions.iter().map(|(s, n)| serde_json::json!({
            "newsletter": n.name,
            "email": s.email,
            "state": s.state.as_str(),
            "consent": {
                "at": s.consent.at,
                "method": s.consent.method,
                "page": s.consent.page,
            },
            "confirmed_at": s.confirmed_at,
            "unsubscribed_at": s.unsubscribed_at,
        })).collect::<Vec<_>>(),
    });
    let body =
        serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"mes-donnees.json\""),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct NewsletterForm {
    csrf: String,
    newsletter: i64,
    /// `on` or `off`.
    action: String,
}

/// One click from the account page: on (at once for a verified address, else the
/// confirmation mail as from the public form) or off.
async fn account_newsletter(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<NewsletterForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &headers)?;
    let me = match account_reader(&state, &headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    me.check_csrf(&form.csrf)?;
    let newsletter = kiosque_app::newsletters::get(&state, form.newsletter).await?;
    if form.action == "off" {
        let mine = kiosque_app::newsletters::of_reader(&state, &me.reader).await?;
        if let Some((sub, _)) = mine.iter().find(|(_, n)| n.id == newsletter.id) {
            kiosque_app::newsletters::unsubscribe_reader(&state, &me.reader, sub.id).await?;
        }
    } else {
        let email = me.reader.email.clone().unwrap_or_default();
        kiosque_app::newsletters::subscribe(
            &state,
            &newsletter,
            &email,
            Some(ACCOUNT_PATH),
            Some(&me.reader),
        )
        .await?;
    }
    Ok(redirect("/compte?ok=newsletters", Vec::new()))
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    csrf: String,
    password: String,
}

async fn delete_account(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<DeleteForm>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &headers)?;
    let me = match account_reader(&state, &headers).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    me.check_csrf(&form.csrf)?;
    if !current_password_ok(&state, &me, form.password).await? {
        let page = Page::new("account", "account-title");
        return account_page(
            &state,
            me,
            page.error(&state, "account-error-current-password"),
        )
        .await;
    }
    let policy = policy(&state).await?;
    // Newsletter subscriptions and their consent records go with the account (also
    // those made with its address before signing up).
    kiosque_app::newsletters::erase_reader(&state, &me.reader).await?;
    state
        .stores
        .readers
        .delete_reader(me.reader.id, policy.on_account_deletion)
        .await?;
    // Their comments may have changed on public pages.
    state.comments_changed(&[]);
    let mut page = Page::new("message", "account-deleted-title");
    page.notice = Some(
        state
            .catalogs
            .text(state.site().locale, "account-deleted-text"),
    );
    let mut response = render(&state, page).await?;
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_cookie(&state, READER_COOKIE));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused() {
        assert_eq!(
            password_problem("court", "a@b.fr"),
            Some("account-error-password-short")
        );
        assert_eq!(
            password_problem("motdepasse123", "a@b.fr"),
            Some("account-error-password-common")
        );
        assert_eq!(
            password_problem("lea@example.org", "lea@example.org"),
            Some("account-error-password-common")
        );
        assert_eq!(password_problem("un hibou sur la lune", "a@b.fr"), None);
    }

    #[test]
    fn returns_stay_on_the_reader_site() {
        assert_eq!(
            safe_return(Some("/commentaires/3#commentaires")),
            "/commentaires/3#commentaires"
        );
        assert_eq!(safe_return(Some("//evil.test")), "/");
        assert_eq!(safe_return(Some("https://evil.test")), "/");
        assert_eq!(safe_return(Some("/admin")), "/");
        assert_eq!(safe_return(Some("/\\evil.test")), "/");
        assert_eq!(safe_return(None), "/");
        assert_eq!(
            safe_return(Some("/a\r\nSet-Cookie: x=1")),
            "/",
            "no header injection"
        );
    }
}
