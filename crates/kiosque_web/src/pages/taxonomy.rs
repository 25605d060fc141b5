//! Tag pages (`/tags/{slug}/`) and contributor profiles (`/auteurs/{slug}/`).

use crate::error::AppError;
use crate::pages::cached_html;
use crate::pages::feeds::{FeedFormat, FeedSource, render_feed};
use crate::pages::home::PageQuery;
use crate::pages::listing::{Listing, render_listing};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use kiosque_domain::store::Scope;
use kiosque_domain::url::{contributor_path, tag_path};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tags/{slug}/", get(show_tag))
        .route("/tags/{slug}/{file}", get(tag_feed))
        .route("/auteurs/{slug}/", get(show_contributor))
        .route("/auteurs/{slug}/{file}", get(contributor_feed))
        .route("/archives/{year}/{month}/", get(show_month))
        .route("/archives/{year}/{month}/{day}/", get(show_day))
}

/// `/archives/2026/11/`: what was published that month, newest first.
async fn show_month(
    State(state): State<AppState>,
    Path((year, month)): Path<(i32, u32)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let start = NaiveDate::from_ymd_opt(year, month, 1).ok_or(AppError::NotFound)?;
    let end = start
        .checked_add_months(chrono::Months::new(1))
        .ok_or(AppError::NotFound)?;
    let locale = state.site().locale;
    let name = state.catalogs.text(locale, &format!("month-{month}"));
    let heading = state.catalogs.message(
        locale,
        "archive-month",
        &[("month", name.into()), ("year", year.into())],
    );
    archive(
        &state,
        format!("/archives/{year:04}/{month:02}/"),
        heading,
        start,
        end,
        q,
    )
    .await
}

/// `/archives/2026/11/27/`: one day, in the site's time zone.
async fn show_day(
    State(state): State<AppState>,
    Path((year, month, day)): Path<(i32, u32, u32)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let start = NaiveDate::from_ymd_opt(year, month, day).ok_or(AppError::NotFound)?;
    let end = start.succ_opt().ok_or(AppError::NotFound)?;
    let heading = state.catalogs.message(
        state.site().locale,
        "archive-day",
        &[
            ("day", day.into()),
            ("month", month.into()),
            ("year", year.into()),
        ],
    );
    archive(
        &state,
        format!("/archives/{year:04}/{month:02}/{day:02}/"),
        heading,
        start,
        end,
        q,
    )
    .await
}

async fn archive(
    state: &AppState,
    path: String,
    heading: String,
    start: NaiveDate,
    end: NaiveDate,
    q: PageQuery,
) -> Result<Response, AppError> {
    let site = state.site();
    // Days begin at midnight where the newsroom is.
    let midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(site.timezone).earliest())
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok_or(AppError::NotFound)
    };
    let listing = Listing {
        scope: Scope::All,
        path,
        title: format!("{heading} | {}", site.name),
        heading,
        intro: String::new(),
        breadcrumb: Vec::new(),
        subsections: Vec::new(),
        current_root: None,
        period: Some((midnight(start)?, midnight(end)?)),
        front: None,
        portrait: None,
    };
    Ok(crate::pages::with_keys(
        cached_html(
            render_listing(state, listing, q.avant.as_deref()).await?,
            300,
        ),
        [kiosque_domain::surrogate::ARCHIVES.to_owned()],
    ))
}

async fn tag_feed(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let format = FeedFormat::from_file(&file).ok_or(AppError::NotFound)?;
    let tag = state.stores.taxonomy.tag_by_slug(&slug).await?;
    let heading = state.catalogs.message(
        state.site().locale,
        "tag-heading",
        &[("tag", tag.name.clone().into())],
    );
    let source = FeedSource {
        scope: Scope::Tag(tag.id),
        page_path: tag_path(tag.slug.as_str()),
        title: format!("{heading} | {}", state.site().name),
        description: heading,
    };
    render_feed(&state, source, format).await
}

async fn contributor_feed(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let format = FeedFormat::from_file(&file).ok_or(AppError::NotFound)?;
    let contributor = state.stores.people.contributor_by_slug(&slug).await?;
    let heading = state.catalogs.message(
        state.site().locale,
        "author-heading",
        &[("name", contributor.name.clone().into())],
    );
    let source = FeedSource {
        scope: Scope::Contributor(contributor.id),
        page_path: contributor_path(contributor.slug.as_str()),
        title: format!("{heading} | {}", state.site().name),
        description: contributor.bio.clone(),
    };
    render_feed(&state, source, format).await
}

async fn show_tag(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let tag = match state.stores.taxonomy.tag_by_slug(&slug).await {
        Ok(tag) => tag,
        // A merged tag's page leads to the tag it was merged into.
        Err(kiosque_domain::StoreError::NotFound) => {
            return match state.stores.taxonomy.tag_redirect(&slug).await? {
                Some(current) => Ok(crate::pages::moved_permanently(&tag_path(&current))),
                None => Err(AppError::NotFound),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let locale = state.site().locale;
    let c = &state.catalogs;
    let listing = Listing {
        scope: Scope::Tag(tag.id),
        path: tag_path(tag.slug.as_str()),
        title: c.message(locale, "tag-title", &[("tag", tag.name.clone().into())]),
        heading: c.message(locale, "tag-heading", &[("tag", tag.name.clone().into())]),
        intro: String::new(),
        breadcrumb: Vec::new(),
        subsections: Vec::new(),
        current_root: None,
        period: None,
        front: None,
        portrait: None,
    };
    Ok(crate::pages::with_keys(
        cached_html(
            render_listing(&state, listing, q.avant.as_deref()).await?,
            60,
        ),
        [kiosque_domain::surrogate::tag(tag.id)],
    ))
}

async fn show_contributor(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let contributor = state.stores.people.contributor_by_slug(&slug).await?;
    let locale = state.site().locale;
    let c = &state.catalogs;
    let heading = c.message(
        locale,
        "author-heading",
        &[("name", contributor.name.clone().into())],
    );
    let portrait = state
        .stores
        .people
        .contributor_photo(contributor.id)
        .await?
        .map(|media| {
            let mut picture = crate::views::Picture::from(&media.best_for_width(240));
            picture.alt = contributor.name.clone();
            picture
        });
    let listing = Listing {
        scope: Scope::Contributor(contributor.id),
        path: contributor_path(contributor.slug.as_str()),
        title: format!("{heading} | {}", state.site().name),
        heading,
        intro: contributor.bio.clone(),
        breadcrumb: Vec::new(),
        subsections: Vec::new(),
        current_root: None,
        period: None,
        front: None,
        portrait,
    };
    Ok(crate::pages::with_keys(
        cached_html(
            render_listing(&state, listing, q.avant.as_deref()).await?,
            60,
        ),
        [kiosque_domain::surrogate::contributor(contributor.id)],
    ))
}
