//! "Envoyer une alerte": editors write a push alert, see it as readers will, confirm,
//! and follow its fan-out (sent, retried, dropped). An urgent wire item offers a
//! prefilled alert; nothing is ever sent without the confirmation step.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use kiosque_domain::alert::NewAlert;
use kiosque_domain::wire::WireId;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/alertes", get(show_alerts).post(preview_alert))
        .route("/admin/alertes/envoyer", post(send_alert))
}

/// The alert form, as typed (`topics` repeated).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct AlertForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    topics: Vec<String>,
}

impl AlertForm {
    fn alert(&self) -> NewAlert {
        NewAlert {
            title: self.title.clone(),
            body: self.body.clone(),
            url: self.url.clone(),
            topics: self.topics.clone(),
        }
    }
}

/// Forms post `topics` once per box ticked: read them all.
fn read_form(body: &str) -> (String, AlertForm) {
    let mut csrf = String::new();
    let mut form = AlertForm::default();
    for (key, value) in form_urlencoded(body) {
        match key.as_str() {
            "csrf" => csrf = value,
            "title" => form.title = value,
            "body" => form.body = value,
            "url" => form.url = value,
            "topics" => form.topics.push(value),
            _ => {}
        }
    }
    (csrf, form)
}

fn form_urlencoded(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(body).unwrap_or_default()
}

#[derive(Serialize)]
struct TopicBox {
    slug: String,
    name: String,
    checked: bool,
}

#[derive(Serialize)]
struct AlertRow {
    id: i64,
    title: String,
    url: String,
    topics: String,
    at: String,
    recipients: i64,
    sent: i64,
    retried: i64,
    dropped: i64,
    failed: i64,
    pending: i64,
}

#[derive(Serialize)]
struct AlertsView {
    layout: AdminLayout,
    ui_lang: &'static str,
    form: AlertForm,
    topics: Vec<TopicBox>,
    errors: Vec<String>,
    /// The confirmation step: the alert as it will be sent.
    confirm: Option<NewAlert>,
    alerts: Vec<AlertRow>,
    sent: Option<i64>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    form: AlertForm,
    errors: Vec<String>,
    confirm: Option<NewAlert>,
    sent: Option<i64>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let actor = staff.actor();
    let alerts = kiosque_app::alerts::list(state, &actor, 30).await?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let topics = kiosque_app::alerts::topics(state)
        .await?
        .into_iter()
        .map(|(slug, name)| TopicBox {
            checked: form.topics.contains(&slug),
            name: if slug == kiosque_domain::alert::BREAKING {
                c.text(locale, "alerts-topic-breaking")
            } else {
                name
            },
            slug,
        })
        .collect();
    let title = c.text(locale, "admin-alerts-title");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/alertes");
    let view = AlertsView {
        ui_lang: layout.ui_lang,
        layout,
        form,
        topics,
        errors,
        confirm,
        alerts: alerts
            .iter()
            .map(|a| AlertRow {
                id: a.id,
                title: a.content.title.clone(),
                url: a.content.url.clone(),
                topics: a.content.topics.join(", "),
                at: state
                    .site()
                    .local(a.created_at)
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
                recipients: a.recipients,
                sent: a.sent,
                retried: a.retried,
                dropped: a.dropped,
                failed: a.failed,
                pending: a.pending(),
            })
            .collect(),
        sent,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/alerts.html", view)?,
    ))
}

#[derive(Debug, Deserialize)]
struct AlertsQuery {
    depeche: Option<i64>,
    envoyee: Option<i64>,
}

async fn show_alerts(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AlertsQuery>,
) -> Result<Response, AppError> {
    kiosque_app::policy::publish(&staff.actor())?;
    let mut form = AlertForm {
        topics: vec![kiosque_domain::alert::BREAKING.to_owned()],
        ..AlertForm::default()
    };
    // From an urgent wire item: its headline and summary, to check and shorten.
    if let Some(wire) = q.depeche {
        let item = state.stores.wire.wire_item(WireId(wire)).await?;
        form.title = item.headline.chars().take(80).collect();
        form.body = item
            .summary
            .clone()
            .unwrap_or_default()
            .chars()
            .take(160)
            .collect();
        // The article made from it, once public, is where the alert leads.
        if let Some(article) = item.article_id {
            let article = state.stores.articles.article(article).await?;
            if article.is_public_at(state.now()) {
                form.url = article.canonical_path();
            }
        }
    }
    page(
        &state,
        &staff,
        form,
        Vec::new(),
        None,
        q.envoyee,
        StatusCode::OK,
    )
    .await
}

fn messages(state: &AppState, e: kiosque_app::Error) -> Result<Vec<String>, AppError> {
    let c = &state.catalogs;
    let locale = state.site().locale;
    match e {
        kiosque_app::Error::Invalid(errors) => {
            Ok(errors.into_iter().map(|e| c.text(locale, &e.key)).collect())
        }
        other => Err(other.into()),
    }
}

/// First step: the alert checked and shown as it will go out, with a button to send.
async fn preview_alert(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let (csrf, form) = read_form(&body);
    staff.check_csrf(&csrf)?;
    match kiosque_app::alerts::check(&state, &staff.actor(), form.alert()).await {
        Ok(alert) => {
            page(
                &state,
                &staff,
                form,
                Vec::new(),
                Some(alert),
                None,
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let errors = messages(&state, e)?;
            page(
                &state,
                &staff,
                form,
                errors,
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// Second step: sent (queued for the worker), audited.
async fn send_alert(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    body: String,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let (csrf, form) = read_form(&body);
    staff.check_csrf(&csrf)?;
    match kiosque_app::alerts::send(&state, &staff.actor(), form.alert()).await {
        Ok(alert) => Ok(see_other(&format!("/admin/alertes?envoyee={}", alert.id))),
        Err(e) => {
            let errors = messages(&state, e)?;
            page(
                &state,
                &staff,
                form,
                errors,
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
