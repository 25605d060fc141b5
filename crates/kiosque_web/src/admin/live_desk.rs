//! The live desk: one page per live article where journalists post entries (the
//! compose box stays open; Ctrl+Enter posts), the stream updates in place as
//! colleagues post, and entries are marked, pinned, edited or deleted; editors close
//! and reopen the live. A thin adapter over `kiosque_app::live`.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kiosque_app::live::{self, EntryPatch};
use kiosque_domain::live::{EntryContent, LiveEntry};
use kiosque_domain::wire::WireId;
use kiosque_domain::{Article, ArticleId, LiveEntryId};
use serde::{Deserialize, Serialize};

/// Entries the desk shows at once (older ones: the public pages, the API).
const DESK_ENTRIES: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/articles/{id}/direct",
            get(show_desk).post(post_entry),
        )
        .route("/admin/articles/{id}/direct/flux", get(stream_fragment))
        .route("/admin/articles/{id}/direct/fermer", post(close_live))
        .route("/admin/articles/{id}/direct/rouvrir", post(reopen_live))
        .route(
            "/admin/articles/{id}/direct/{entry}",
            get(edit_entry_page).post(save_entry),
        )
        .route(
            "/admin/articles/{id}/direct/{entry}/marques",
            post(mark_entry),
        )
        .route(
            "/admin/articles/{id}/direct/{entry}/supprimer",
            post(delete_entry),
        )
}

#[derive(Debug, Clone, Serialize)]
struct DeskEntry {
    id: i64,
    seq: i64,
    revision: i64,
    time: String,
    author: String,
    credit: Option<String>,
    title: Option<String>,
    body_html: String,
    key_event: bool,
    pinned: bool,
    permalink: String,
    may_change: bool,
}

fn desk_entry(state: &AppState, staff: &Staff, article: &Article, e: &LiveEntry) -> DeskEntry {
    DeskEntry {
        id: e.id.0,
        seq: e.seq,
        revision: e.revision,
        time: state
            .site()
            .local(e.created_at)
            .format("%d/%m %H:%M")
            .to_string(),
        author: e.author_name.clone(),
        credit: e.credit.clone(),
        title: e.title.clone(),
        body_html: e.body_html.clone(),
        key_event: e.key_event,
        pinned: e.pinned,
        permalink: e.permalink(&article.canonical_path()),
        may_change: staff.user.may_edit(e.author),
    }
}

/// The compose box, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body_markdown: String,
    #[serde(default)]
    credit: String,
    #[serde(default)]
    key_event: Option<String>,
    #[serde(default)]
    pinned: Option<String>,
    #[serde(default)]
    revision: i64,
}

impl EntryForm {
    fn content(&self) -> EntryContent {
        EntryContent {
            title: Some(self.title.clone()),
            body_markdown: self.body_markdown.replace("\r\n", "\n"),
            credit: Some(self.credit.clone()),
            key_event: self.key_event.is_some(),
            pinned: self.pinned.is_some(),
        }
    }

    fn from_content(content: &EntryContent, revision: i64) -> Self {
        Self {
            csrf: String::new(),
            title: content.title.clone().unwrap_or_default(),
            body_markdown: content.body_markdown.clone(),
            credit: content.credit.clone().unwrap_or_default(),
            key_event: content.key_event.then(|| "on".into()),
            pinned: content.pinned.then(|| "on".into()),
            revision,
        }
    }
}

#[derive(Serialize)]
struct DeskView {
    layout: AdminLayout,
    ui_lang: &'static str,
    id: i64,
    headline: String,
    open: bool,
    public_href: Option<String>,
    may_close: bool,
    form: EntryForm,
    errors: Vec<String>,
    entries: Vec<DeskEntry>,
    last_seq: i64,
}

/// A refusal as messages for the desk.
fn messages(state: &AppState, e: kiosque_app::Error) -> Result<Vec<String>, AppError> {
    use kiosque_app::Error as E;
    let c = &state.catalogs;
    let locale = state.site().locale;
    match e {
        E::Invalid(errors) => Ok(errors.into_iter().map(|e| c.text(locale, &e.key)).collect()),
        E::Conflict(_) => Ok(vec![c.text(locale, "admin-live-closed-refused")]),
        E::Stale { .. } => Ok(vec![c.text(locale, "admin-live-stale")]),
        E::Forbidden(why) => Ok(vec![why.to_owned()]),
        E::Unavailable => Ok(vec![c.text(locale, "admin-error-storage")]),
        other => Err(other.into()),
    }
}

async fn desk(
    state: &AppState,
    staff: &Staff,
    article: &Article,
    form: EntryForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (_, entries) =
        live::entries(state, &staff.actor(), article.id, None, None, DESK_ENTRIES).await?;
    let live_state = article.live_state();
    let title = format!(
        "{} — {}",
        state.catalogs.text(state.site().locale, "admin-live-desk"),
        article.headline
    );
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/articles");
    let view = DeskView {
        ui_lang: layout.ui_lang,
        layout,
        id: article.id.0,
        headline: article.headline.clone(),
        open: live_state.is_open(),
        public_href: article
            .is_public_at(state.now())
            .then(|| article.canonical_path()),
        may_close: staff.user.role.can_publish(),
        form,
        errors,
        entries: entries
            .iter()
            .map(|e| desk_entry(state, staff, article, e))
            .collect(),
        last_seq: live_state.last_seq,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/live_desk.html", view)?,
    ))
}

#[derive(Debug, Deserialize)]
struct DeskQuery {
    depeche: Option<i64>,
}

async fn show_desk(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<DeskQuery>,
) -> Result<Response, AppError> {
    let article = live::load(&state, &staff.actor(), ArticleId(id)).await?;
    // "Add to the live" from the wire desk: the dispatch as a draft entry.
    let form = match q.depeche {
        Some(wire) => {
            let content = live::draft_from_wire(&state, WireId(wire)).await?;
            EntryForm::from_content(&content, 0)
        }
        None => EntryForm::default(),
    };
    desk(&state, &staff, &article, form, Vec::new(), StatusCode::OK).await
}

/// Whether the request came from the desk's script (it wants no redirect).
fn from_script(headers: &HeaderMap) -> bool {
    headers.contains_key("x-kiosque-fragment")
}

async fn post_entry(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let actor = staff.actor();
    match live::post(&state, &actor, ArticleId(id), form.content()).await {
        Ok((_, entry)) if from_script(&headers) => Ok((
            StatusCode::CREATED,
            axum::Json(serde_json::json!({"id": entry.id.0, "seq": entry.seq})),
        )
            .into_response()),
        Ok(_) => Ok(see_other(&format!("/admin/articles/{id}/direct"))),
        Err(e) => {
            let errors = messages(&state, e)?;
            if from_script(&headers) {
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    axum::Json(serde_json::json!({"errors": errors})),
                )
                    .into_response());
            }
            // Nothing was written: the desk comes back with what was typed.
            let article = live::load(&state, &actor, ArticleId(id)).await?;
            desk(
                &state,
                &staff,
                &article,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
struct StreamQuery {
    apres: Option<i64>,
}

/// The entries posted after `apres`, as the desk's `<li>`s (the desk's script polls
/// it every two seconds).
async fn stream_fragment(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<StreamQuery>,
) -> Result<Response, AppError> {
    let (article, entries) = live::entries(
        &state,
        &staff.actor(),
        ArticleId(id),
        None,
        q.apres,
        DESK_ENTRIES,
    )
    .await?;
    let views: Vec<DeskEntry> = entries
        .iter()
        .map(|e| desk_entry(&state, &staff, &article, e))
        .collect();
    let layout = AdminLayout::new(&state, Some(&staff), String::new(), "/admin/articles");
    let html = state.templates.render(
        "admin/live_entries.html",
        serde_json::json!({"entries": views, "id": id, "layout": layout}),
    )?;
    let mut response = Html(html).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn set_open(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    id: i64,
    csrf: &str,
    open: bool,
) -> Result<Response, AppError> {
    check_same_origin(state, headers)?;
    staff.check_csrf(csrf)?;
    live::set_open(state, &staff.actor(), ArticleId(id), open).await?;
    Ok(see_other(&format!("/admin/articles/{id}/direct")))
}

async fn close_live(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    set_open(&state, &staff, &headers, id, &form.csrf, false).await
}

async fn reopen_live(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    set_open(&state, &staff, &headers, id, &form.csrf, true).await
}

#[derive(Debug, Deserialize)]
struct MarkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    revision: i64,
    /// `key` or `pin`: which mark to turn over.
    #[serde(default)]
    toggle: String,
}

async fn mark_entry(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, entry)): Path<(i64, i64)>,
    Form(form): Form<MarkForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let actor = staff.actor();
    let current = live::entry(&state, &actor, ArticleId(id), LiveEntryId(entry)).await?;
    let patch = match form.toggle.as_str() {
        "key" => EntryPatch {
            key_event: Some(!current.key_event),
            ..EntryPatch::default()
        },
        "pin" => EntryPatch {
            pinned: Some(!current.pinned),
            ..EntryPatch::default()
        },
        _ => return Err(AppError::BadRequest("toggle: key or pin".into())),
    };
    live::edit(
        &state,
        &actor,
        ArticleId(id),
        LiveEntryId(entry),
        patch,
        form.revision,
    )
    .await?;
    Ok(see_other(&format!(
        "/admin/articles/{id}/direct#entree-{entry}"
    )))
}

async fn delete_entry(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, entry)): Path<(i64, i64)>,
    Form(form): Form<MarkForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    live::delete(
        &state,
        &staff.actor(),
        ArticleId(id),
        LiveEntryId(entry),
        Some(form.revision),
    )
    .await?;
    Ok(see_other(&format!("/admin/articles/{id}/direct")))
}

#[derive(Serialize)]
struct EntryEditView {
    layout: AdminLayout,
    ui_lang: &'static str,
    id: i64,
    entry_id: i64,
    headline: String,
    form: EntryForm,
    errors: Vec<String>,
    /// Someone saved first: what the entry says now.
    current: Option<String>,
    history: Vec<HistoryRow>,
}

#[derive(Serialize)]
struct HistoryRow {
    revision: i64,
    action: String,
    at: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "a form page: what it shows, each told apart"
)]
async fn entry_editor(
    state: &AppState,
    staff: &Staff,
    article: &Article,
    entry: &LiveEntry,
    form: EntryForm,
    errors: Vec<String>,
    current: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let history = live::history(state, &staff.actor(), article.id, entry.id)
        .await?
        .into_iter()
        .map(|r| HistoryRow {
            revision: r.revision,
            action: r.action,
            at: state
                .site()
                .local(r.created_at)
                .format("%d/%m %H:%M")
                .to_string(),
        })
        .collect();
    let title = state
        .catalogs
        .text(state.site().locale, "admin-live-edit-entry");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/articles");
    let view = EntryEditView {
        ui_lang: layout.ui_lang,
        layout,
        id: article.id.0,
        entry_id: entry.id.0,
        headline: article.headline.clone(),
        form,
        errors,
        current,
        history,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/live_entry.html", view)?,
    ))
}

async fn edit_entry_page(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let actor = staff.actor();
    let article = live::load(&state, &actor, ArticleId(id)).await?;
    let entry = live::entry(&state, &actor, ArticleId(id), LiveEntryId(entry)).await?;
    let form = EntryForm::from_content(&entry.content(), entry.revision);
    entry_editor(
        &state,
        &staff,
        &article,
        &entry,
        form,
        Vec::new(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn save_entry(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, entry_id)): Path<(i64, i64)>,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let actor = staff.actor();
    let content = form.content();
    let patch = EntryPatch {
        title: Some(content.title),
        body_markdown: Some(content.body_markdown),
        credit: Some(content.credit),
        key_event: Some(content.key_event),
        pinned: None,
    };
    let (article_id, entry) = (ArticleId(id), LiveEntryId(entry_id));
    match live::edit(&state, &actor, article_id, entry, patch, form.revision).await {
        Ok(_) => Ok(see_other(&format!(
            "/admin/articles/{id}/direct#entree-{entry_id}"
        ))),
        Err(e) => {
            let stale = matches!(e, kiosque_app::Error::Stale { .. });
            let errors = messages(&state, e)?;
            let article = live::load(&state, &actor, article_id).await?;
            let current = live::entry(&state, &actor, article_id, entry).await?;
            // What was typed stays; on a conflict, what the entry says now is shown
            // beside it and the next save applies on top of it.
            let mut typed = form;
            let shown = if stale {
                typed.revision = current.revision;
                Some(current.body_markdown.clone())
            } else {
                None
            };
            let status = if stale {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            entry_editor(
                &state, &staff, &article, &current, typed, errors, shown, status,
            )
            .await
        }
    }
}
