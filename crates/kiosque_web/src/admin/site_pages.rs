//! Static pages and the redirects manager, for editors: thin adapters over
//! `kiosque_app::pages` and `kiosque_app::redirects`.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use kiosque_app::redirects::RedirectForm;
use kiosque_domain::page::{NewPage, PageId, PageStatus, StaticPage};
use serde::{Deserialize, Serialize};

/// Redirects shown per page of the manager.
const PER_PAGE: u32 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/pages", get(list_pages).post(create_page))
        .route("/admin/pages/new", get(new_page))
        .route("/admin/pages/{id}", get(edit_page).post(save_page))
        .route("/admin/pages/{id}/delete", post(delete_page))
        .route("/admin/redirects", get(list_redirects).post(add_redirect))
        .route("/admin/redirects/{id}/delete", post(delete_redirect))
        .route("/admin/redirects/import", post(import_redirects))
        .route("/admin/redirects/export.csv", get(export_redirects))
}

/// A refusal as messages for the form: the catalogue's words, with the details the
/// application gave.
fn messages(state: &AppState, e: kiosque_app::Error) -> Result<Vec<String>, AppError> {
    use kiosque_app::Error as E;
    let c = &state.catalogs;
    let locale = state.site().locale;
    match e {
        E::Invalid(errors) => Ok(errors
            .into_iter()
            .map(|e| {
                let key = e.key.split('|').next().unwrap_or_default();
                let text = c.text(locale, key);
                if text == key || key == "admin-error-redirect-csv" {
                    e.message
                } else if key.starts_with("admin-error-page-path") {
                    format!("{text} ({})", e.message)
                } else {
                    text
                }
            })
            .collect()),
        E::Unavailable => Ok(vec![c.text(locale, "admin-error-storage")]),
        other => Err(other.into()),
    }
}

#[derive(Serialize)]
struct PageRow {
    id: i64,
    title: String,
    href: String,
    published: bool,
    in_footer: bool,
    footer_position: i64,
    modified: String,
}

#[derive(Serialize)]
struct PagesView {
    layout: AdminLayout,
    ui_lang: &'static str,
    pages: Vec<PageRow>,
}

fn local(state: &AppState, at: chrono::DateTime<chrono::Utc>) -> String {
    state.site().local(at).format("%d/%m/%Y %H:%M").to_string()
}

async fn list_pages(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let pages = kiosque_app::pages::list(&state, &staff.actor()).await?;
    let title = state.catalogs.text(state.site().locale, "admin-nav-pages");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/pages");
    let view = PagesView {
        ui_lang: layout.ui_lang,
        layout,
        pages: pages
            .iter()
            .map(|p| PageRow {
                id: p.id.0,
                title: p.title.clone(),
                href: p.public_path(),
                published: p.status == PageStatus::Published,
                in_footer: p.in_footer,
                footer_position: p.footer_position,
                modified: local(&state, p.modified_at),
            })
            .collect(),
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/pages.html", view)?,
    ))
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct PageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    body_markdown: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    in_footer: Option<String>,
    #[serde(default)]
    footer_position: String,
    #[serde(default)]
    version: i64,
}

impl PageForm {
    fn from_page(page: &StaticPage) -> Self {
        Self {
            csrf: String::new(),
            title: page.title.clone(),
            path: page.path.clone(),
            description: page.description.clone().unwrap_or_default(),
            body_markdown: page.body_markdown.clone(),
            status: page.status.as_str().into(),
            in_footer: page.in_footer.then(|| "on".into()),
            footer_position: page.footer_position.to_string(),
            version: page.version,
        }
    }

    fn content(&self) -> NewPage {
        NewPage {
            path: self.path.clone(),
            title: self.title.trim().to_owned(),
            description: Some(self.description.trim().to_owned()).filter(|d| !d.is_empty()),
            body_markdown: self.body_markdown.clone(),
            status: PageStatus::parse(&self.status).unwrap_or(PageStatus::Draft),
            in_footer: self.in_footer.is_some(),
            footer_position: self.footer_position.trim().parse().unwrap_or(0),
        }
    }
}

#[derive(Serialize)]
struct RevisionRow {
    version: i64,
    title: String,
    at: String,
}

#[derive(Serialize)]
struct EditorView {
    layout: AdminLayout,
    ui_lang: &'static str,
    id: Option<i64>,
    public_href: Option<String>,
    form: PageForm,
    errors: Vec<String>,
    saved: bool,
    /// Someone else saved first: what they saved, beside what this editor typed.
    conflict: Option<PageForm>,
    revisions: Vec<RevisionRow>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "a form page: what it shows, each told apart"
)]
async fn editor(
    state: &AppState,
    staff: &Staff,
    page: Option<&StaticPage>,
    form: PageForm,
    errors: Vec<String>,
    saved: bool,
    conflict: Option<PageForm>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let c = &state.catalogs;
    let locale = state.site().locale;
    let title = match page {
        Some(p) => p.title.clone(),
        None => c.text(locale, "admin-page-new"),
    };
    let revisions = match page {
        Some(p) => kiosque_app::pages::history(state, &staff.actor(), p.id)
            .await?
            .into_iter()
            .take(20)
            .map(|r| RevisionRow {
                version: r.version,
                title: r.title,
                at: local(state, r.created_at),
            })
            .collect(),
        None => Vec::new(),
    };
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/pages");
    let view = EditorView {
        ui_lang: layout.ui_lang,
        layout,
        id: page.map(|p| p.id.0),
        public_href: page
            .filter(|p| p.status == PageStatus::Published)
            .map(StaticPage::public_path),
        form,
        errors,
        saved,
        conflict,
        revisions,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/page_editor.html", view)?,
    ))
}

async fn new_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    kiosque_app::policy::manage_site_pages(&staff.actor())?;
    let form = PageForm {
        status: "draft".into(),
        ..PageForm::default()
    };
    editor(
        &state,
        &staff,
        None,
        form,
        Vec::new(),
        false,
        None,
        StatusCode::OK,
    )
    .await
}

async fn create_page(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<PageForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    match kiosque_app::pages::create(&state, &staff.actor(), form.content()).await {
        Ok(page) => Ok(see_other(&format!("/admin/pages/{}?saved=1", page.id))),
        Err(e) => {
            let errors = messages(&state, e)?;
            editor(
                &state,
                &staff,
                None,
                form,
                errors,
                false,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let page = kiosque_app::pages::load(&state, &staff.actor(), PageId(id)).await?;
    let form = PageForm::from_page(&page);
    editor(
        &state,
        &staff,
        Some(&page),
        form,
        Vec::new(),
        q.saved.is_some(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn save_page(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<PageForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let actor = staff.actor();
    let id = PageId(id);
    match kiosque_app::pages::save(&state, &actor, id, form.content(), form.version).await {
        Ok(page) => Ok(see_other(&format!("/admin/pages/{}?saved=1", page.id))),
        Err(kiosque_app::Error::Stale { .. }) => {
            // Nothing was written: the editor keeps what they typed, sees what the
            // other person saved, and may save again on top of it.
            let current = kiosque_app::pages::load(&state, &actor, id).await?;
            let mut typed = form;
            typed.version = current.version;
            let errors = vec![
                state
                    .catalogs
                    .text(state.site().locale, "admin-page-conflict"),
            ];
            editor(
                &state,
                &staff,
                Some(&current),
                typed,
                errors,
                false,
                Some(PageForm::from_page(&current)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => {
            let page = kiosque_app::pages::load(&state, &actor, id).await?;
            let errors = messages(&state, e)?;
            editor(
                &state,
                &staff,
                Some(&page),
                form,
                errors,
                false,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn delete_page(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    kiosque_app::pages::delete(&state, &staff.actor(), PageId(id)).await?;
    Ok(see_other("/admin/pages"))
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct RedirectInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    prefix: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RedirectQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    done: Option<String>,
}

#[derive(Serialize)]
struct RedirectRow {
    id: i64,
    path: String,
    prefix: bool,
    location: Option<String>,
    status: u16,
    origin: String,
    created: String,
}

#[derive(Serialize)]
struct RedirectsView {
    layout: AdminLayout,
    ui_lang: &'static str,
    q: String,
    rows: Vec<RedirectRow>,
    total: u64,
    page: u32,
    pages: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
    form: RedirectInput,
    errors: Vec<String>,
    notice: Option<String>,
}

async fn redirects_page(
    state: &AppState,
    staff: &Staff,
    query: RedirectQuery,
    form: RedirectInput,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = query.page.unwrap_or(1).max(1);
    let (rows, total) = kiosque_app::redirects::list(
        state,
        &staff.actor(),
        &query.q,
        PER_PAGE,
        (page - 1).saturating_mul(PER_PAGE),
    )
    .await?;
    let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let href = |p: u32| {
        format!(
            "/admin/redirects?{}",
            serde_urlencoded::to_string([("q", query.q.as_str()), ("page", &p.to_string())])
                .unwrap_or_default()
        )
    };
    let c = &state.catalogs;
    let locale = state.site().locale;
    let title = c.text(locale, "admin-nav-redirects");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/redirects");
    let notice = query.done.as_deref().map(|d| match d.parse::<u64>() {
        Ok(n) => c.message(locale, "admin-redirects-imported", &[("count", n.into())]),
        Err(_) => c.text(locale, "admin-saved"),
    });
    let view = RedirectsView {
        ui_lang: layout.ui_lang,
        layout,
        q: query.q.clone(),
        rows: rows
            .into_iter()
            .map(|r| RedirectRow {
                id: r.id,
                created: local(state, r.created_at),
                path: r.path,
                prefix: r.prefix,
                location: r.location,
                status: r.status.code(),
                origin: r.origin,
            })
            .collect(),
        total,
        page,
        pages,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        form,
        errors,
        notice,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/redirects.html", view)?,
    ))
}

async fn list_redirects(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<RedirectQuery>,
) -> Result<Response, AppError> {
    let form = RedirectInput {
        status: "301".into(),
        ..RedirectInput::default()
    };
    redirects_page(&state, &staff, query, form, Vec::new(), StatusCode::OK).await
}

async fn add_redirect(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(input): Form<RedirectInput>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&input.csrf)?;
    let form = RedirectForm {
        path: input.path.clone(),
        prefix: input.prefix.is_some(),
        target: input.target.clone(),
        status: input.status.trim().parse().unwrap_or(0),
    };
    match kiosque_app::redirects::add(&state, &staff.actor(), &form).await {
        Ok(()) => Ok(see_other("/admin/redirects?done=saved")),
        Err(e) => {
            let errors = messages(&state, e)?;
            redirects_page(
                &state,
                &staff,
                RedirectQuery::default(),
                input,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn delete_redirect(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    kiosque_app::redirects::delete(&state, &staff.actor(), id).await?;
    Ok(see_other("/admin/redirects?done=deleted"))
}

async fn import_redirects(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let (mut csrf, mut text) = (String::new(), String::new());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "file" => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?;
                if bytes.len() > kiosque_app::redirects::MAX_CSV_BYTES {
                    return Err(AppError::BadRequest("the CSV file is too large".into()));
                }
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    match kiosque_app::redirects::import_csv(&state, &staff.actor(), &text).await {
        Ok(n) => Ok(see_other(&format!("/admin/redirects?done={n}"))),
        Err(e) => {
            let errors = messages(&state, e)?;
            let form = RedirectInput {
                status: "301".into(),
                ..RedirectInput::default()
            };
            redirects_page(
                &state,
                &staff,
                RedirectQuery::default(),
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn export_redirects(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let csv = kiosque_app::redirects::export_csv(&state, &staff.actor()).await?;
    let mut response = csv.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"redirections.csv\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
