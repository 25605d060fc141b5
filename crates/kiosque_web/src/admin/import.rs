//! `/admin/import`, for admins: upload a WordPress or Ghost export, follow the
//! import's progress and read its report. The import itself is
//! `kiosque_app::import`, as on the command line; it runs in the background on the
//! node that received the file, which keeps its progress in memory.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use kiosque_app::import::{Line, Options, Outcome, Report, Summary};
use kiosque_app::staff::By;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use tokio::io::AsyncWriteExt;

/// Largest export accepted through the browser (the command line has no limit).
pub const MAX_IMPORT_UPLOAD: usize = 1024 * 1024 * 1024;
/// Report lines kept per import for the progress page (all are counted).
const KEPT_LINES: usize = 5_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/import", get(show_form).post(upload))
        .route("/admin/import/{id}", get(show_progress))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_UPLOAD))
}

/// One import's progress, as the page shows it.
#[derive(Debug, Clone, Default, Serialize)]
struct Progress {
    id: u64,
    system: &'static str,
    file_name: String,
    dry_run: bool,
    started: String,
    read: u64,
    total: u64,
    lines: Vec<String>,
    failures: Vec<String>,
    counted: u64,
    summary: Option<String>,
    error: Option<String>,
    done: bool,
    failed: u64,
}

static IMPORTS: LazyLock<Mutex<HashMap<u64, Progress>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn update(id: u64, f: impl FnOnce(&mut Progress)) {
    if let Ok(mut imports) = IMPORTS.lock()
        && let Some(p) = imports.get_mut(&id)
    {
        f(p);
    }
}

/// Writes the report into the shared progress.
struct PageReport {
    id: u64,
}

impl Report for PageReport {
    fn line(&mut self, line: &Line) {
        let text = line.to_string();
        let failed = matches!(line.outcome, Outcome::Failed(_));
        update(self.id, |p| {
            p.counted += 1;
            if failed {
                p.failures.push(text.clone());
            }
            if p.lines.len() < KEPT_LINES {
                p.lines.push(text);
            }
        });
    }

    fn progress(&mut self, read: u64, total: u64) {
        update(self.id, |p| {
            p.read = read;
            p.total = total;
        });
    }
}

#[derive(Serialize)]
struct FormView {
    layout: AdminLayout,
    ui_lang: &'static str,
    imports: Vec<Progress>,
    errors: Vec<String>,
    max_mb: usize,
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let title = state.catalogs.text(state.site().locale, "admin-nav-import");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/import");
    let mut imports: Vec<Progress> = IMPORTS
        .lock()
        .map(|i| i.values().cloned().collect())
        .unwrap_or_default();
    imports.sort_by_key(|i| std::cmp::Reverse(i.id));
    for i in &mut imports {
        i.lines.clear();
    }
    let view = FormView {
        ui_lang: layout.ui_lang,
        layout,
        imports,
        errors,
        max_mb: MAX_IMPORT_UPLOAD / 1024 / 1024,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/import.html", view)?,
    ))
}

async fn show_form(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    kiosque_app::policy::import(&staff.actor())?;
    form_page(&state, &staff, Vec::new(), StatusCode::OK).await
}

async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    kiosque_app::policy::import(&staff.actor())?;
    let (mut csrf, mut system, mut dry_run) = (String::new(), String::new(), false);
    let mut file: Option<(tempfile::NamedTempFile, String)> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "system" => system = field.text().await.unwrap_or_default(),
            "dry_run" => dry_run = true,
            "file" => {
                // The CSRF token comes first in the form: nothing is written to disk
                // for a request without it.
                staff.check_csrf(&csrf)?;
                let name = field.file_name().unwrap_or("export").to_owned();
                let temp = tempfile::NamedTempFile::new()
                    .map_err(|e| AppError::Internal(format!("a temporary file: {e}")))?;
                let mut out = tokio::fs::File::from_std(
                    temp.reopen()
                        .map_err(|e| AppError::Internal(format!("a temporary file: {e}")))?,
                );
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?
                {
                    out.write_all(&chunk)
                        .await
                        .map_err(|e| AppError::Internal(format!("writing the upload: {e}")))?;
                }
                out.flush()
                    .await
                    .map_err(|e| AppError::Internal(format!("writing the upload: {e}")))?;
                file = Some((temp, name));
            }
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let system = match system.as_str() {
        "wordpress" => "wordpress",
        "ghost" => "ghost",
        _ => {
            return form_page(
                &state,
                &staff,
                vec![c.text(locale, "admin-import-error-system")],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let Some((temp, file_name)) =
        file.filter(|(t, _)| t.as_file().metadata().is_ok_and(|m| m.len() > 0))
    else {
        return form_page(
            &state,
            &staff,
            vec![c.text(locale, "admin-import-error-file")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let id = {
        let mut imports = IMPORTS
            .lock()
            .map_err(|_| AppError::Internal("import progress".into()))?;
        let id = imports.keys().max().copied().unwrap_or(0) + 1;
        imports.insert(
            id,
            Progress {
                id,
                system,
                file_name: file_name.chars().take(200).collect(),
                dry_run,
                started: state
                    .site()
                    .local(state.now())
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
                ..Progress::default()
            },
        );
        id
    };
    let app: kiosque_app::App = state.app.clone();
    let actor = staff.actor();
    tokio::spawn(async move {
        let options = Options {
            media_dir: None,
            dry_run,
            fetch_media: false,
        };
        let mut report = PageReport { id };
        let path = temp.path().to_owned();
        let result: Result<Summary, kiosque_app::Error> = match system {
            "wordpress" => {
                kiosque_app::import::wordpress(
                    &app,
                    By::Staff(&actor),
                    &path,
                    &options,
                    &mut report,
                )
                .await
            }
            _ => {
                kiosque_app::import::ghost(&app, By::Staff(&actor), &path, &options, &mut report)
                    .await
            }
        };
        drop(temp);
        update(id, |p| {
            p.done = true;
            match result {
                Ok(summary) => {
                    p.failed = summary.failed;
                    p.summary = Some(summary.to_string());
                }
                Err(kiosque_app::Error::Invalid(errors)) => {
                    p.error = Some(
                        errors
                            .into_iter()
                            .map(|e| e.message)
                            .collect::<Vec<_>>()
                            .join("; "),
                    );
                }
                Err(e) => p.error = Some(e.to_string()),
            }
        });
    });
    Ok(see_other(&format!("/admin/import/{id}")))
}

#[derive(Serialize)]
struct ProgressView {
    layout: AdminLayout,
    ui_lang: &'static str,
    import: Progress,
    percent: u64,
}

async fn show_progress(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    kiosque_app::policy::import(&staff.actor())?;
    let import = IMPORTS
        .lock()
        .ok()
        .and_then(|i| i.get(&id).cloned())
        .ok_or(AppError::NotFound)?;
    let title = state.catalogs.text(state.site().locale, "admin-nav-import");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/import");
    let percent = if import.done {
        100
    } else {
        (import.read * 100)
            .checked_div(import.total)
            .unwrap_or(0)
            .min(99)
    };
    let view = ProgressView {
        ui_lang: layout.ui_lang,
        layout,
        import,
        percent,
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/import_progress.html", view)?,
    ))
}
