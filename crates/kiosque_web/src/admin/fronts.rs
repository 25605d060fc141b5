//! Curated fronts ("la une"): editors choose and order the home page's top stories
//! and each section's, each pinned until an optional time.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use kiosque_domain::front::{Front, FrontKey, FrontSlot, MAX_SLOTS, check_slots};
use kiosque_domain::store::{ListQuery, Scope, StoreError};
use kiosque_domain::{ArticleId, SectionTree};
use serde::Serialize;

/// Recent public articles offered in each slot's list.
const CANDIDATES: u32 = 150;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/fronts", get(list_fronts))
        .route("/admin/fronts/{key}", get(edit_front).post(save_front))
}

#[derive(Serialize)]
struct FrontRow {
    name: String,
    href: String,
    public_href: String,
    slots: usize,
    updated: Option<String>,
}

#[derive(Serialize)]
struct FrontsPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    fronts: Vec<FrontRow>,
}

fn front_name(state: &AppState, tree: &SectionTree, key: FrontKey) -> Option<(String, String)> {
    match key {
        FrontKey::Home => Some((
            state
                .catalogs
                .text(state.site().locale, "admin-fronts-home"),
            "/".into(),
        )),
        FrontKey::Section(id) => tree
            .by_id(id)
            .map(|s| (s.name.clone(), format!("/{}/", s.path))),
    }
}

async fn list_fronts(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require_editor()?;
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    // Subsections follow their section, marked as such.
    let mut keys = vec![(FrontKey::Home, false)];
    for root in tree.roots() {
        keys.push((FrontKey::Section(root.id), false));
        keys.extend(
            tree.children(root.id)
                .map(|c| (FrontKey::Section(c.id), true)),
        );
    }
    let mut fronts = Vec::new();
    for (key, nested) in keys {
        let Some((name, public_href)) = front_name(&state, &tree, key) else {
            continue;
        };
        let name = if nested { format!("— {name}") } else { name };
        let front = state.stores.fronts.front(key).await?;
        let now = state.now();
        fronts.push(FrontRow {
            name,
            href: format!("/admin/fronts/{}", key.as_key()),
            public_href,
            slots: front.slots.iter().filter(|s| s.is_live_at(now)).count(),
            updated: front
                .updated_at
                .map(|at| super::articles::local(&state, at)),
        });
    }
    let title = state.catalogs.text(state.site().locale, "admin-nav-fronts");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/fronts");
    let page = FrontsPage {
        ui_lang: layout.ui_lang,
        layout,
        fronts,
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/fronts.html", page)?,
    ))
}

/// One row of the form, as shown (and as typed back on an error).
#[derive(Debug, Clone, Default, Serialize)]
struct SlotRow {
    article: String,
    until: String,
}

#[derive(Serialize)]
struct Candidate {
    id: i64,
    label: String,
}

#[derive(Serialize)]
struct FrontEditor {
    layout: AdminLayout,
    ui_lang: &'static str,
    name: String,
    public_href: String,
    action: String,
    version: i64,
    rows: Vec<SlotRow>,
    candidates: Vec<Candidate>,
    errors: Vec<String>,
    /// On a conflict: the headlines saved meanwhile by someone else.
    current: Vec<String>,
}

fn datetime_local(state: &AppState, at: DateTime<Utc>) -> String {
    state.site().local(at).format("%Y-%m-%dT%H:%M").to_string()
}

fn parse_key(raw: &str) -> Result<FrontKey, AppError> {
    FrontKey::parse(raw).ok_or(AppError::NotFound)
}

fn rows_of(state: &AppState, front: &Front) -> Vec<SlotRow> {
    let mut rows: Vec<SlotRow> = front
        .slots
        .iter()
        .map(|s| SlotRow {
            article: s.article.0.to_string(),
            until: s
                .until
                .map(|u| datetime_local(state, u))
                .unwrap_or_default(),
        })
        .collect();
    rows.resize(MAX_SLOTS, SlotRow::default());
    rows
}

#[expect(
    clippy::too_many_arguments,
    reason = "the editor page of a front is built from each of its parts"
)]
async fn render_editor(
    state: &AppState,
    staff: &Staff,
    key: FrontKey,
    version: i64,
    rows: Vec<SlotRow>,
    errors: Vec<String>,
    current: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let (name, public_href) = front_name(state, &tree, key).ok_or(AppError::NotFound)?;
    let scope = match key {
        FrontKey::Home => Scope::All,
        FrontKey::Section(id) => Scope::Section(
            tree.by_id(id)
                .map(|s| s.path.clone())
                .ok_or(AppError::NotFound)?,
        ),
    };
    let recent = state
        .stores
        .articles
        .list_published(&ListQuery::latest(scope, state.now(), CANDIDATES))
        .await?;
    let mut candidates: Vec<Candidate> = recent
        .iter()
        .map(|a| Candidate {
            id: a.id.0,
            label: format!(
                "{} · {}",
                super::articles::local(state, a.published_at),
                a.headline
            ),
        })
        .collect();
    // Articles already in the front stay choosable even when older or not public.
    for row in &rows {
        let Ok(id) = row.article.parse::<i64>() else {
            continue;
        };
        if candidates.iter().any(|c| c.id == id) {
            continue;
        }
        if let Ok(article) = state.stores.articles.article(ArticleId(id)).await {
            let note = if article.is_public_at(state.now()) {
                String::new()
            } else {
                format!(
                    " ({})",
                    state
                        .catalogs
                        .text(state.site().locale, "admin-fronts-not-public")
                )
            };
            candidates.push(Candidate {
                id,
                label: format!("{}{note}", article.headline),
            });
        }
    }
    let title = state.catalogs.message(
        state.site().locale,
        "admin-fronts-edit",
        &[("front", name.clone().into())],
    );
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/fronts");
    let page = FrontEditor {
        ui_lang: layout.ui_lang,
        layout,
        name,
        public_href,
        action: format!("/admin/fronts/{}", key.as_key()),
        version,
        rows,
        candidates,
        errors,
        current,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/front.html", page)?,
    ))
}

async fn edit_front(
    State(state): State<AppState>,
    staff: Staff,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    staff.require_editor()?;
    let key = parse_key(&raw)?;
    let front = state.stores.fronts.front(key).await?;
    let rows = rows_of(&state, &front);
    render_editor(
        &state,
        &staff,
        key,
        front.version,
        rows,
        Vec::new(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

async fn save_front(
    State(state): State<AppState>,
    staff: Staff,
    Path(raw): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let key = parse_key(&raw)?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    check_same_origin(&state, &headers)?;
    staff.check_csrf(field("csrf"))?;
    staff.require_editor()?;
    let locale = state.site().locale;
    let c = &state.catalogs;
    let version: i64 = field("version").parse().unwrap_or(-1);
    let rows: Vec<SlotRow> = (0..MAX_SLOTS)
        .map(|i| SlotRow {
            article: field(&format!("article_{i}")).trim().to_owned(),
            until: field(&format!("until_{i}")).trim().to_owned(),
        })
        .collect();

    // Read the rows; empty ones are dropped, the rest keep their order.
    let mut errors = Vec::new();
    let mut slots = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.article.is_empty() {
            continue;
        }
        let Ok(id) = row.article.parse::<i64>() else {
            errors.push(c.message(
                locale,
                "admin-fronts-error-article",
                &[("slot", (i as i64 + 1).into())],
            ));
            continue;
        };
        let until = if row.until.is_empty() {
            None
        } else {
            match super::articles::parse_local(&state, &row.until) {
                Some(t) => Some(t),
                None => {
                    errors.push(c.message(
                        locale,
                        "admin-fronts-error-until",
                        &[("slot", (i as i64 + 1).into())],
                    ));
                    continue;
                }
            }
        };
        match state.stores.articles.article(ArticleId(id)).await {
            Ok(_) => slots.push(FrontSlot {
                article: ArticleId(id),
                until,
            }),
            Err(StoreError::NotFound) => {
                errors.push(c.message(
                    locale,
                    "admin-fronts-error-article",
                    &[("slot", (i as i64 + 1).into())],
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if errors.is_empty()
        && let Err(e) = check_slots(&slots)
    {
        errors.push(match e {
            kiosque_domain::front::FrontError::Duplicate(_) => {
                c.text(locale, "admin-fronts-error-duplicate")
            }
            kiosque_domain::front::FrontError::TooMany => e.to_string(),
        });
    }
    if !errors.is_empty() {
        return render_editor(
            &state,
            &staff,
            key,
            version,
            rows,
            errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .stores
        .fronts
        .save_front(key, version, &slots, state.now())
        .await
    {
        Ok(saved) => {
            let detail = saved
                .slots
                .iter()
                .map(|s| s.article.0.to_string())
                .collect::<Vec<_>>()
                .join(",");
            state
                .stores
                .accounts
                .audit(
                    Some(staff.user.id),
                    "front.save",
                    &key.as_key(),
                    &detail,
                    state.now(),
                )
                .await?;
            let section = match key {
                FrontKey::Home => None,
                FrontKey::Section(id) => state
                    .section_tree()
                    .await?
                    .by_id(id)
                    .map(|s| s.path.clone()),
            };
            state.front_changed(kiosque_app::purge::Purge::front(section.as_deref()));
            Ok(see_other(&format!(
                "/admin/fronts/{}?saved=1",
                key.as_key()
            )))
        }
        Err(StoreError::VersionMismatch { .. }) => {
            // Someone saved first: nothing is overwritten. The form keeps what this
            // editor chose, shows what is saved now, and carries the new version so
            // that saving again is a deliberate choice.
            let now_saved = state.stores.fronts.front(key).await?;
            let mut current = Vec::new();
            for slot in &now_saved.slots {
                if let Ok(a) = state.stores.articles.article(slot.article).await {
                    current.push(a.headline);
                }
            }
            let errors = vec![c.text(locale, "admin-fronts-conflict")];
            render_editor(
                &state,
                &staff,
                key,
                now_saved.version,
                rows,
                errors,
                current,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
