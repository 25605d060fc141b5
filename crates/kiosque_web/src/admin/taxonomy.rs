//! Sections, tags and contributors, for editors.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use kiosque_domain::people::{Contributor, ContributorKind, NewContributor};
use kiosque_domain::section::NewSection;
use kiosque_domain::store::{SectionUpdate, StoreError};
use kiosque_domain::{ContributorId, SectionId, SectionTree, Slug, Tag, TagId};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/taxonomy", get(show_taxonomy))
        .route("/admin/sections", post(create_section))
        .route("/admin/sections/{id}", post(update_section))
        .route("/admin/tags/{id}", post(update_tag))
        .route("/admin/contributors", post(create_contributor))
        .route("/admin/contributors/{id}", post(update_contributor))
}

#[derive(Serialize)]
struct SectionRow {
    id: i64,
    name: String,
    slug: String,
    path: String,
    description: String,
    position: i64,
    depth: usize,
}

#[derive(Serialize)]
struct TagRow {
    id: i64,
    name: String,
    slug: String,
    uses: i64,
}

#[derive(Serialize)]
struct TaxonomyPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    sections: Vec<SectionRow>,
    tags: Vec<TagRow>,
    contributors: Vec<ContributorView>,
    errors: Vec<String>,
}

#[derive(Serialize)]
struct ContributorView {
    #[serde(flatten)]
    contributor: Contributor,
    /// The portrait's media number, or empty.
    photo: String,
}

async fn taxonomy_page(
    state: &AppState,
    staff: &Staff,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let mut sections = Vec::new();
    for root in tree.roots() {
        for (s, depth) in std::iter::once((root, 0)).chain(tree.children(root.id).map(|c| (c, 1))) {
            sections.push(SectionRow {
                id: s.id.0,
                name: s.name.clone(),
                slug: s.slug.to_string(),
                path: s.path.clone(),
                description: s.description.clone(),
                position: s.position,
                depth,
            });
        }
    }
    let tags = state
        .stores
        .taxonomy
        .tags_with_counts()
        .await?
        .into_iter()
        .map(|(t, uses): (Tag, i64)| TagRow {
            id: t.id.0,
            name: t.name,
            slug: t.slug.to_string(),
            uses,
        })
        .collect();
    let photos: std::collections::HashMap<ContributorId, kiosque_domain::MediaId> = state
        .stores
        .people
        .contributor_photos()
        .await?
        .into_iter()
        .collect();
    let contributors = state
        .stores
        .people
        .contributors()
        .await?
        .into_iter()
        .map(|c| ContributorView {
            photo: photos
                .get(&c.id)
                .map(|m| m.0.to_string())
                .unwrap_or_default(),
            contributor: c,
        })
        .collect();
    let title = state
        .catalogs
        .text(state.site().locale, "admin-nav-taxonomy");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/taxonomy");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = TaxonomyPage {
        ui_lang: layout.ui_lang,
        layout,
        sections,
        tags,
        contributors,
        errors,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/taxonomy.html", page)?,
    ))
}

async fn show_taxonomy(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require_editor()?;
    taxonomy_page(&state, &staff, Vec::new()).await
}

/// Checks the CSRF token and the role before any change here.
fn guard(state: &AppState, staff: &Staff, headers: &HeaderMap, csrf: &str) -> Result<(), AppError> {
    check_same_origin(state, headers)?;
    staff.check_csrf(csrf)?;
    staff.require_editor()
}

fn slug_or_error(state: &AppState, slug: &str, name: &str) -> Result<Slug, String> {
    let candidate = if slug.trim().is_empty() {
        Slug::from_text(name)
    } else {
        Slug::parse(slug.trim()).ok()
    };
    candidate.ok_or_else(|| state.catalogs.text(state.site().locale, "admin-error-slug"))
}

/// After a change: audit it, let readers see it, back to the page.
async fn changed(
    state: &AppState,
    staff: &Staff,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<Response, AppError> {
    state
        .stores
        .accounts
        .audit(Some(staff.user.id), action, target, detail, state.now())
        .await?;
    state.site_changed();
    Ok(see_other("/admin/taxonomy"))
}

/// A store result, or the taxonomy page again saying the slug is taken when the store
/// refused a duplicate.
async fn unless_taken<T>(
    state: &AppState,
    staff: &Staff,
    result: Result<T, StoreError>,
) -> Result<Result<T, Response>, AppError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(StoreError::Duplicate(_)) => {
            let message = state
                .catalogs
                .text(state.site().locale, "admin-error-slug-taken");
            Ok(Err(taxonomy_page(state, staff, vec![message]).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct SectionForm {
    csrf: String,
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    parent: String,
}

async fn create_section(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<SectionForm>,
) -> Result<Response, AppError> {
    guard(&state, &staff, &headers, &form.csrf)?;
    let slug = match slug_or_error(&state, &form.slug, &form.name) {
        Ok(s) => s,
        Err(e) => return taxonomy_page(&state, &staff, vec![e]).await,
    };
    let new = NewSection {
        parent_id: form.parent.parse::<i64>().ok().map(SectionId),
        slug,
        name: form.name.trim().to_owned(),
        description: form.description.trim().to_owned(),
        position: form.position.trim().parse().unwrap_or(0),
    };
    let section = match unless_taken(
        &state,
        &staff,
        state.stores.taxonomy.create_section(&new).await,
    )
    .await?
    {
        Ok(value) => value,
        Err(page) => return Ok(page),
    };
    changed(&state, &staff, "section.create", &section.path, "").await
}

async fn update_section(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<SectionForm>,
) -> Result<Response, AppError> {
    guard(&state, &staff, &headers, &form.csrf)?;
    let slug = match slug_or_error(&state, &form.slug, &form.name) {
        Ok(s) => s,
        Err(e) => return taxonomy_page(&state, &staff, vec![e]).await,
    };
    let update = SectionUpdate {
        name: form.name.trim().to_owned(),
        slug,
        description: form.description.trim().to_owned(),
        position: form.position.trim().parse().unwrap_or(0),
    };
    let section = match unless_taken(
        &state,
        &staff,
        state
            .stores
            .taxonomy
            .update_section(SectionId(id), &update)
            .await,
    )
    .await?
    {
        Ok(value) => value,
        Err(page) => return Ok(page),
    };
    changed(
        &state,
        &staff,
        "section.update",
        &section.path,
        &section.name,
    )
    .await
}

#[derive(Debug, Deserialize)]
struct TagForm {
    csrf: String,
    name: String,
    #[serde(default)]
    merge_into: String,
}

async fn update_tag(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<TagForm>,
) -> Result<Response, AppError> {
    guard(&state, &staff, &headers, &form.csrf)?;
    if let Ok(into) = form.merge_into.parse::<i64>() {
        state
            .stores
            .taxonomy
            .merge_tags(TagId(id), TagId(into))
            .await?;
        changed(
            &state,
            &staff,
            "tag.merge",
            &id.to_string(),
            &into.to_string(),
        )
        .await
    } else if !form.name.trim().is_empty() {
        state
            .stores
            .taxonomy
            .rename_tag(TagId(id), &form.name)
            .await?;
        changed(
            &state,
            &staff,
            "tag.rename",
            &id.to_string(),
            form.name.trim(),
        )
        .await
    } else {
        Ok(see_other("/admin/taxonomy"))
    }
}

#[derive(Debug, Deserialize)]
struct ContributorForm {
    csrf: String,
    name: String,
    #[serde(default)]
    slug: String,
    kind: String,
    #[serde(default)]
    bio: String,
    /// The portrait's number in the media library; empty for none.
    #[serde(default)]
    photo: String,
}

fn contributor_from_form(
    state: &AppState,
    form: &ContributorForm,
) -> Result<NewContributor, String> {
    if form.name.trim().is_empty() {
        return Err(state.catalogs.text(state.site().locale, "admin-error-name"));
    }
    Ok(NewContributor {
        kind: form
            .kind
            .parse::<ContributorKind>()
            .unwrap_or(ContributorKind::Person),
        name: form.name.trim().to_owned(),
        slug: slug_or_error(state, &form.slug, &form.name)?,
        bio: form.bio.trim().to_owned(),
    })
}

async fn create_contributor(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<ContributorForm>,
) -> Result<Response, AppError> {
    save_contributor(&state, &staff, &headers, None, &form).await
}

async fn update_contributor(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ContributorForm>,
) -> Result<Response, AppError> {
    save_contributor(&state, &staff, &headers, Some(ContributorId(id)), &form).await
}

/// Creates a contributor (`id` is `None`) or changes one.
async fn save_contributor(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    id: Option<ContributorId>,
    form: &ContributorForm,
) -> Result<Response, AppError> {
    guard(state, staff, headers, &form.csrf)?;
    let new = match contributor_from_form(state, form) {
        Ok(n) => n,
        Err(e) => return taxonomy_page(state, staff, vec![e]).await,
    };
    let photo = match form.photo.trim() {
        "" => None,
        raw => match raw.trim_start_matches('#').parse::<i64>() {
            Ok(n)
                if state
                    .stores
                    .media
                    .media(kiosque_domain::MediaId(n))
                    .await
                    .is_ok() =>
            {
                Some(kiosque_domain::MediaId(n))
            }
            _ => {
                let e = state
                    .catalogs
                    .text(state.site().locale, "admin-error-photo");
                return taxonomy_page(state, staff, vec![e]).await;
            }
        },
    };
    let (result, action) = match id {
        None => (
            state.stores.people.create_contributor(&new).await,
            "contributor.create",
        ),
        Some(id) => (
            state.stores.people.update_contributor(id, &new).await,
            "contributor.update",
        ),
    };
    let c = match unless_taken(state, staff, result).await? {
        Ok(value) => value,
        Err(page) => return Ok(page),
    };
    state
        .stores
        .people
        .set_contributor_photo(c.id, photo)
        .await?;
    changed(state, staff, action, c.slug.as_str(), &c.name).await
}
