//! Static pages ("Mentions légales", "Charte de modération"): written by editors in
//! the back office and the API, served at the address they choose.

use crate::App;
use crate::error::{Error, FieldError, Result};
use crate::policy::{self, Actor};
use kiosque_domain::StoreError;
use kiosque_domain::page::{NewPage, PageId, PageRevision, StaticPage, page_path};

/// Longest page body, as for articles.
pub const MAX_BODY_BYTES: usize = crate::articles::MAX_BODY_BYTES;

/// Checks a page's content and puts its address in stored form.
pub async fn check(app: &App, page: &mut NewPage, id: Option<PageId>) -> Result<()> {
    let mut errors = Vec::new();
    if page.title.trim().is_empty() {
        errors.push(FieldError::new(
            "title",
            "admin-error-page-title",
            "the title is required",
        ));
    }
    if page.title.len() > 300 {
        errors.push(FieldError::new(
            "title",
            "admin-error-page-title",
            "the title is limited to 300 characters",
        ));
    }
    match page_path(&page.path) {
        Ok(path) => {
            let sections = app.stores.taxonomy.sections().await?;
            if sections.iter().any(|s| s.path == path) {
                errors.push(FieldError::new(
                    "path",
                    "admin-error-page-path-section",
                    format!("/{path}/ is a section's address"),
                ));
            } else if let Some(other) = app.stores.pages.page_by_path(&path).await?
                && Some(other.id) != id
            {
                errors.push(FieldError::new(
                    "path",
                    "admin-error-page-path-taken",
                    format!("another page already lives at /{path}/"),
                ));
            }
            page.path = path;
        }
        Err(e) => errors.push(FieldError::new(
            "path",
            "admin-error-page-path",
            e.to_string(),
        )),
    }
    if page.body_markdown.len() > MAX_BODY_BYTES {
        errors.push(FieldError::new(
            "body_markdown",
            format!("admin-error-body-size|{}", MAX_BODY_BYTES / 1024),
            format!("the body is limited to {} kB", MAX_BODY_BYTES / 1024),
        ));
    }
    if page
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 300)
    {
        errors.push(FieldError::new(
            "description",
            "admin-error-page-description",
            "the description is limited to 300 characters",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

pub async fn create(app: &App, actor: &Actor, mut page: NewPage) -> Result<StaticPage> {
    policy::manage_site_pages(actor)?;
    check(app, &mut page, None).await?;
    let created = app
        .stores
        .pages
        .create_page(&page, Some(actor.id()), app.now())
        .await
        .map_err(taken)?;
    audit(app, actor, "page.create", &created).await?;
    app.site_changed();
    Ok(created)
}

/// Saves a new version on top of `expected_version` (an older one is refused as
/// stale, and nothing is written).
pub async fn save(
    app: &App,
    actor: &Actor,
    id: PageId,
    mut page: NewPage,
    expected_version: i64,
) -> Result<StaticPage> {
    policy::manage_site_pages(actor)?;
    let before = app.stores.pages.page(id).await?;
    check(app, &mut page, Some(id)).await?;
    let saved = app
        .stores
        .pages
        .update_page(id, &page, expected_version, Some(actor.id()), app.now())
        .await
        .map_err(taken)?;
    audit(app, actor, "page.save", &saved).await?;
    // A moved page keeps its old address.
    if before.path != saved.path && before.status == kiosque_domain::page::PageStatus::Published {
        crate::redirects::follow_move(app, &before.public_path(), saved.id).await?;
    }
    app.site_changed();
    Ok(saved)
}

pub async fn delete(app: &App, actor: &Actor, id: PageId) -> Result<()> {
    policy::manage_site_pages(actor)?;
    let page = app.stores.pages.page(id).await?;
    app.stores.pages.delete_page(id).await?;
    audit(app, actor, "page.delete", &page).await?;
    app.site_changed();
    Ok(())
}

pub async fn load(app: &App, actor: &Actor, id: PageId) -> Result<StaticPage> {
    policy::manage_site_pages(actor)?;
    Ok(app.stores.pages.page(id).await?)
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<StaticPage>> {
    policy::manage_site_pages(actor)?;
    Ok(app.stores.pages.pages().await?)
}

pub async fn history(app: &App, actor: &Actor, id: PageId) -> Result<Vec<PageRevision>> {
    policy::manage_site_pages(actor)?;
    Ok(app.stores.pages.page_revisions(id).await?)
}

/// A published page at `path` (`/mentions-legales/` or `mentions-legales`), for
/// readers.
pub async fn public(app: &App, path: &str) -> Result<Option<StaticPage>> {
    let Ok(path) = page_path(path) else {
        return Ok(None);
    };
    Ok(app
        .stores
        .pages
        .page_by_path(&path)
        .await?
        .filter(|p| p.status == kiosque_domain::page::PageStatus::Published))
}

/// The published pages the footer lists, in their order.
pub async fn footer(app: &App) -> Result<Vec<StaticPage>> {
    Ok(app
        .stores
        .pages
        .pages()
        .await?
        .into_iter()
        .filter(|p| p.in_footer && p.status == kiosque_domain::page::PageStatus::Published)
        .collect())
}

fn taken(e: StoreError) -> Error {
    match e {
        StoreError::Duplicate(_) => Error::invalid(
            "path",
            "admin-error-page-path-taken",
            "another page already lives at this address",
        ),
        other => other.into(),
    }
}

async fn audit(app: &App, actor: &Actor, action: &str, page: &StaticPage) -> Result<()> {
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            action,
            &page.id.to_string(),
            &format!("{} /{}/ ({})", page.title, page.path, actor.via.as_str()),
            app.now(),
        )
        .await?;
    Ok(())
}
