//! Newsletters in the back office (editors): the lists and their subscribers, new
//! lists, editions composed from articles (or filled from the home page's front),
//! previewed at phone and desktop widths, sent to oneself as a test, then sent now
//! or scheduled; per edition: sent, failed, suppressed, unsubscribed since.
//! Webhooks (admins): endpoints, their secret shown once, the delivery log, replays.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{NaiveDateTime, TimeZone, Utc};
use kiosque_app::{newsletters, webhooks};
use kiosque_domain::ArticleId;
use kiosque_domain::newsletter::{Edition, EditionState, NewEdition, NewNewsletter};
use kiosque_domain::webhook::{EVENTS, NewWebhook};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/newsletters", get(show_list).post(create))
        .route("/admin/newsletters/{id}", get(show_newsletter))
        .route("/admin/newsletters/{id}/editions", post(create_edition))
        .route(
            "/admin/newsletters/{id}/editions/{edition}",
            get(show_edition).post(save_edition),
        )
        .route(
            "/admin/newsletters/{id}/editions/{edition}/apercu",
            get(preview),
        )
        .route(
            "/admin/newsletters/{id}/editions/{edition}/test",
            post(send_test),
        )
        .route(
            "/admin/newsletters/{id}/editions/{edition}/envoyer",
            post(send),
        )
        .route("/admin/webhooks", get(show_webhooks).post(create_webhook))
        .route("/admin/webhooks/{id}", get(show_webhook))
        .route("/admin/webhooks/{id}/supprimer", post(delete_webhook))
        .route(
            "/admin/webhooks/{id}/livraisons/{delivery}/rejouer",
            post(replay),
        )
}

fn errors_of(state: &AppState, e: kiosque_app::Error) -> Result<Vec<String>, AppError> {
    let c = &state.catalogs;
    let locale = state.site().locale;
    match e {
        kiosque_app::Error::Invalid(errors) => {
            Ok(errors.into_iter().map(|e| c.text(locale, &e.key)).collect())
        }
        kiosque_app::Error::Duplicate(_) => Ok(vec![c.text(locale, "newsletter-error-slug-taken")]),
        kiosque_app::Error::Conflict(_) => Ok(vec![c.text(locale, "admin-editions-already")]),
        kiosque_app::Error::Stale { .. } => Ok(vec![c.text(locale, "admin-editions-stale")]),
        other => Err(other.into()),
    }
}

fn when(state: &AppState, at: Option<chrono::DateTime<Utc>>) -> String {
    at.map(|t| state.site().local(t).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct NewsletterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sender_name: String,
    #[serde(default)]
    send_time: String,
}

#[derive(Serialize)]
struct ListView {
    layout: AdminLayout,
    ui_lang: &'static str,
    newsletters: Vec<kiosque_domain::newsletter::Newsletter>,
    form: NewsletterForm,
    errors: Vec<String>,
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    form: NewsletterForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    kiosque_app::policy::publish(&staff.actor())?;
    let title = state
        .catalogs
        .text(state.site().locale, "admin-newsletters-title");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/newsletters");
    let view = ListView {
        ui_lang: layout.ui_lang,
        layout,
        newsletters: newsletters::list(state).await?,
        form,
        errors,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/newsletters.html", view)?,
    ))
}

async fn show_list(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    list_page(
        &state,
        &staff,
        NewsletterForm::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    axum::Form(form): axum::Form<NewsletterForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let new = NewNewsletter {
        name: form.name.clone(),
        slug: form.slug.clone(),
        description: form.description.clone(),
        sender_name: form.sender_name.clone(),
        send_time: Some(form.send_time.clone()),
    };
    match newsletters::create(&state, &staff.actor(), new).await {
        Ok(made) => Ok(see_other(&format!("/admin/newsletters/{}", made.id))),
        Err(e) => {
            let errors = errors_of(&state, e)?;
            list_page(
                &state,
                &staff,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct EditionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    intro_markdown: String,
    /// Article ids separated by commas or spaces, in order.
    #[serde(default)]
    articles: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    from_front: Option<String>,
    #[serde(default)]
    at: String,
}

impl EditionForm {
    fn of(e: &Edition) -> Self {
        Self {
            subject: e.content.subject.clone(),
            intro_markdown: e.content.intro_markdown.clone(),
            articles: e
                .content
                .articles
                .iter()
                .map(|a| a.0.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            version: e.version,
            ..Self::default()
        }
    }

    /// The edition typed; ids that are not numbers are reported, not dropped.
    fn edition(&self, state: &AppState) -> Result<NewEdition, Vec<String>> {
        let mut articles = Vec::new();
        for part in self
            .articles
            .split([',', ' ', ';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.trim_start_matches('#').parse::<i64>() {
                Ok(id) => articles.push(ArticleId(id)),
                Err(_) => {
                    return Err(vec![
                        state
                            .catalogs
                            .text(state.site().locale, "newsletter-error-articles"),
                    ]);
                }
            }
        }
        Ok(NewEdition {
            subject: self.subject.clone(),
            intro_markdown: self.intro_markdown.clone(),
            articles,
        })
    }
}

#[derive(Serialize)]
struct EditionRow {
    id: i64,
    subject: String,
    state: String,
    draft: bool,
    when: String,
    version: i64,
    recipients: i64,
    sent: i64,
    pending: i64,
    failed: i64,
    suppressed: i64,
    unsubscribed_since: i64,
}

fn state_name(state: &AppState, s: EditionState) -> String {
    state.catalogs.text(
        state.site().locale,
        match s {
            EditionState::Draft => "admin-editions-state-draft",
            EditionState::Scheduled => "admin-editions-state-scheduled",
            EditionState::Sending => "admin-editions-state-sending",
            EditionState::Sent => "admin-editions-state-sent",
        },
    )
}

fn row(state: &AppState, e: &Edition) -> EditionRow {
    EditionRow {
        id: e.id,
        subject: e.content.subject.clone(),
        state: state_name(state, e.state),
        draft: e.state == EditionState::Draft,
        when: when(state, e.sent_at.or(e.send_at)),
        version: e.version,
        recipients: e.counts.recipients,
        sent: e.counts.sent,
        pending: e.counts.pending,
        failed: e.counts.failed,
        suppressed: e.counts.suppressed,
        unsubscribed_since: e.counts.unsubscribed_since,
    }
}

#[derive(Serialize)]
struct NewsletterView {
    layout: AdminLayout,
    ui_lang: &'static str,
    newsletter: kiosque_domain::newsletter::Newsletter,
    editions: Vec<EditionRow>,
    form: EditionForm,
    errors: Vec<String>,
}

async fn newsletter_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: EditionForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let actor = staff.actor();
    let editions = newsletters::editions(state, &actor, id).await?;
    let newsletter = newsletters::get(state, id).await?;
    let layout = AdminLayout::new(
        state,
        Some(staff),
        newsletter.name.clone(),
        "/admin/newsletters",
    );
    let view = NewsletterView {
        ui_lang: layout.ui_lang,
        layout,
        newsletter,
        editions: editions.iter().map(|e| row(state, e)).collect(),
        form,
        errors,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/newsletter.html", view)?,
    ))
}

async fn show_newsletter(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    newsletter_page(
        &state,
        &staff,
        id,
        EditionForm::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

async fn create_edition(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(mut form): axum::Form<EditionForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    if form.from_front.is_some() {
        // Filled from the home page: the editor then orders and trims the list.
        kiosque_app::policy::publish(&staff.actor())?;
        let ids = newsletters::from_front(&state, 8).await?;
        form.articles = ids
            .iter()
            .map(|a| a.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return newsletter_page(&state, &staff, id, form, Vec::new(), StatusCode::OK).await;
    }
    let edition = match form.edition(&state) {
        Ok(e) => e,
        Err(errors) => {
            return newsletter_page(
                &state,
                &staff,
                id,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match newsletters::create_edition(&state, &staff.actor(), id, edition).await {
        Ok(e) => Ok(see_other(&format!(
            "/admin/newsletters/{id}/editions/{}",
            e.id
        ))),
        Err(e) => {
            let errors = errors_of(&state, e)?;
            newsletter_page(
                &state,
                &staff,
                id,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Serialize)]
struct EditionView {
    layout: AdminLayout,
    ui_lang: &'static str,
    newsletter: kiosque_domain::newsletter::Newsletter,
    edition: EditionRow,
    form: EditionForm,
    errors: Vec<String>,
    notice: Option<String>,
    preview: String,
    me: String,
}

#[derive(Debug, Default, Deserialize)]
struct EditionQuery {
    ok: Option<String>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page, shown after each of its forms"
)]
async fn edition_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    edition_id: i64,
    form: Option<EditionForm>,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let edition = newsletters::edition(state, &staff.actor(), id, edition_id).await?;
    let newsletter = newsletters::get(state, id).await?;
    let layout = AdminLayout::new(
        state,
        Some(staff),
        edition.content.subject.clone(),
        "/admin/newsletters",
    );
    let view = EditionView {
        ui_lang: layout.ui_lang,
        layout,
        newsletter,
        form: form.unwrap_or_else(|| EditionForm::of(&edition)),
        edition: row(state, &edition),
        errors,
        notice,
        preview: format!(
            "/admin/newsletters/{id}/editions/{edition_id}/apercu?v={}",
            edition.version
        ),
        me: staff.user.email.clone(),
    };
    let mut response = admin_html(status, state.templates.render("admin/edition.html", view)?);
    // This page frames its own previews.
    let media = kiosque_domain::url::media_origin().unwrap_or_default();
    if let Ok(csp) = HeaderValue::from_str(&format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: {media}; font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    Ok(response)
}

async fn show_edition(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, edition)): Path<(i64, i64)>,
    Query(q): Query<EditionQuery>,
) -> Result<Response, AppError> {
    let locale = state.site().locale;
    let notice = q.ok.as_deref().map(|ok| {
        state.catalogs.text(
            locale,
            match ok {
                "test" => "admin-editions-test-sent",
                "queued" => "admin-editions-queued",
                _ => "admin-editions-saved",
            },
        )
    });
    edition_page(
        &state,
        &staff,
        id,
        edition,
        None,
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

async fn save_edition(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, edition_id)): Path<(i64, i64)>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<EditionForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    // The edition must be this newsletter's.
    newsletters::edition(&state, &staff.actor(), id, edition_id).await?;
    let edition = match form.edition(&state) {
        Ok(e) => e,
        Err(errors) => {
            return edition_page(
                &state,
                &staff,
                id,
                edition_id,
                Some(form),
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match newsletters::save_edition(&state, &staff.actor(), edition_id, edition, form.version).await
    {
        Ok(_) => Ok(see_other(&format!(
            "/admin/newsletters/{id}/editions/{edition_id}?ok=saved"
        ))),
        // What was typed stays on the page, with the reason.
        Err(e) => {
            let errors = errors_of(&state, e)?;
            edition_page(
                &state,
                &staff,
                id,
                edition_id,
                Some(form),
                errors,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

/// The edition's mail as subscribers will see it, for the preview frames: the page's
/// own policy (inline styles, as in mail; no script), framable by the back office.
async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, edition_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let edition = newsletters::edition(&state, &staff.actor(), id, edition_id).await?;
    let newsletter = newsletters::get(&state, id).await?;
    let rendered = crate::pages::newsletters::render_edition(&state, &newsletter, &edition).await?;
    let html = rendered.html.replace(
        kiosque_domain::newsletter::UNSUBSCRIBE_PLACEHOLDER,
        &state
            .site()
            .absolute(&format!("/newsletters/{}", newsletter.slug)),
    );
    let mut response = (StatusCode::OK, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
        ),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: String,
    #[serde(default)]
    at: String,
}

async fn send_test(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, edition_id)): Path<(i64, i64)>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let edition = newsletters::edition(&state, &staff.actor(), id, edition_id).await?;
    let newsletter = newsletters::get(&state, id).await?;
    let rendered = crate::pages::newsletters::render_edition(&state, &newsletter, &edition).await?;
    newsletters::send_test(
        &state,
        &staff.actor(),
        &newsletter,
        &edition.content.subject,
        &rendered,
        &staff.user.email,
    )
    .await?;
    Ok(see_other(&format!(
        "/admin/newsletters/{id}/editions/{edition_id}?ok=test"
    )))
}

async fn send(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, edition_id)): Path<(i64, i64)>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let actor = staff.actor();
    let edition = newsletters::edition(&state, &actor, id, edition_id).await?;
    let newsletter = newsletters::get(&state, id).await?;
    // A time typed in the site's zone, or now.
    let at = match form.at.trim() {
        "" => None,
        typed => {
            let local = NaiveDateTime::parse_from_str(typed, "%Y-%m-%dT%H:%M")
                .ok()
                .and_then(|t| state.site().timezone.from_local_datetime(&t).earliest());
            match local {
                Some(t) => Some(t.with_timezone(&Utc)),
                None => {
                    let errors = vec![
                        state
                            .catalogs
                            .text(state.site().locale, "newsletter-error-at"),
                    ];
                    return edition_page(
                        &state,
                        &staff,
                        id,
                        edition_id,
                        None,
                        errors,
                        None,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await;
                }
            }
        }
    };
    let rendered = crate::pages::newsletters::render_edition(&state, &newsletter, &edition).await?;
    match newsletters::send(&state, &actor, id, edition_id, rendered, at).await {
        Ok(_) => Ok(see_other(&format!(
            "/admin/newsletters/{id}/editions/{edition_id}?ok=queued"
        ))),
        Err(e) => {
            let errors = errors_of(&state, e)?;
            edition_page(
                &state,
                &staff,
                id,
                edition_id,
                None,
                errors,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

#[derive(Serialize)]
struct HookRow {
    id: i64,
    url: String,
    events: String,
    created: String,
}

#[derive(Serialize)]
struct EventBox {
    name: &'static str,
    checked: bool,
}

#[derive(Serialize)]
struct WebhooksView {
    layout: AdminLayout,
    ui_lang: &'static str,
    hooks: Vec<HookRow>,
    events: Vec<EventBox>,
    url: String,
    errors: Vec<String>,
    /// The new endpoint's secret: shown this once.
    secret: Option<String>,
}

async fn webhooks_page(
    state: &AppState,
    staff: &Staff,
    url: String,
    chosen: &[String],
    errors: Vec<String>,
    secret: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let hooks = webhooks::list(state, &staff.actor()).await?;
    let title = state
        .catalogs
        .text(state.site().locale, "admin-webhooks-title");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/webhooks");
    let view = WebhooksView {
        ui_lang: layout.ui_lang,
        layout,
        hooks: hooks
            .iter()
            .map(|h| HookRow {
                id: h.id,
                url: h.url.clone(),
                events: h.events.join(", "),
                created: when(state, Some(h.created_at)),
            })
            .collect(),
        events: EVENTS
            .iter()
            .map(|e| EventBox {
                name: e,
                checked: chosen.iter().any(|c| c == e),
            })
            .collect(),
        url,
        errors,
        secret,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/webhooks.html", view)?,
    ))
}

async fn show_webhooks(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    webhooks_page(
        &state,
        &staff,
        String::new(),
        &[],
        Vec::new(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn create_webhook(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let (mut csrf, mut url, mut events) = (String::new(), String::new(), Vec::new());
    for (k, v) in serde_urlencoded::from_str::<Vec<(String, String)>>(&body).unwrap_or_default() {
        match k.as_str() {
            "csrf" => csrf = v,
            "url" => url = v,
            "events" => events.push(v),
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    match webhooks::register(
        &state,
        &staff.actor(),
        NewWebhook {
            url: url.clone(),
            events: events.clone(),
        },
    )
    .await
    {
        Ok(hook) => {
            webhooks_page(
                &state,
                &staff,
                String::new(),
                &[],
                Vec::new(),
                Some(hook.secret),
                StatusCode::CREATED,
            )
            .await
        }
        Err(e) => {
            let errors = errors_of(&state, e)?;
            webhooks_page(
                &state,
                &staff,
                url,
                &events,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Serialize)]
struct DeliveryRow {
    id: i64,
    at: String,
    event: String,
    article: Option<i64>,
    state: &'static str,
    status: String,
    attempts: i64,
    duration: String,
}

#[derive(Serialize)]
struct WebhookView {
    layout: AdminLayout,
    ui_lang: &'static str,
    hook: HookRow,
    deliveries: Vec<DeliveryRow>,
    notice: Option<String>,
}

async fn show_webhook(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<EditionQuery>,
) -> Result<Response, AppError> {
    let actor = staff.actor();
    let hook = webhooks::get(&state, &actor, id).await?;
    let deliveries = webhooks::deliveries(&state, &actor, id).await?;
    let layout = AdminLayout::new(&state, Some(&staff), hook.url.clone(), "/admin/webhooks");
    let view = WebhookView {
        ui_lang: layout.ui_lang,
        layout,
        hook: HookRow {
            id: hook.id,
            url: hook.url.clone(),
            events: hook.events.join(", "),
            created: when(&state, Some(hook.created_at)),
        },
        deliveries: deliveries
            .iter()
            .map(|d| DeliveryRow {
                id: d.id,
                at: when(&state, Some(d.created_at)),
                event: d.event.clone(),
                article: d.article_id,
                state: d.state.as_str(),
                status: d
                    .last_status
                    .map(|s| s.to_string())
                    .or_else(|| d.last_error.clone())
                    .unwrap_or_default(),
                attempts: d.attempts,
                duration: d
                    .duration_ms
                    .map(|ms| format!("{ms} ms"))
                    .unwrap_or_default(),
            })
            .collect(),
        notice: q.ok.map(|_| {
            state
                .catalogs
                .text(state.site().locale, "admin-webhooks-replayed")
        }),
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/webhook.html", view)?,
    ))
}

#[derive(Debug, Deserialize)]
struct OnlyCsrf {
    csrf: String,
}

async fn delete_webhook(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<OnlyCsrf>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    webhooks::delete(&state, &staff.actor(), id).await?;
    Ok(see_other("/admin/webhooks"))
}

async fn replay(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, delivery)): Path<(i64, i64)>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<OnlyCsrf>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let actor = staff.actor();
    webhooks::get(&state, &actor, id).await?;
    let d = state.stores.webhooks.delivery(delivery).await?;
    if d.webhook_id != id {
        return Err(kiosque_app::Error::NotFound.into());
    }
    webhooks::replay(&state, &actor, delivery).await?;
    Ok(see_other(&format!("/admin/webhooks/{id}?ok=replayed")))
}
