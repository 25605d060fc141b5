//! Section pages and article pages share the path space (`/monde/europe/` and
//! `/monde/europe/un-titre_1042.html`), so one fallback handler resolves both.

use crate::error::AppError;
use crate::pages::article::show_article;
use crate::pages::feeds::{FeedFormat, FeedSource, render_feed};
use crate::pages::home::PageQuery;
use crate::pages::listing::{Listing, render_listing};
use crate::pages::static_pages;
use crate::pages::{cached_html, moved_permanently};
use crate::state::AppState;
use crate::views::Link;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use kiosque_domain::store::Scope;
use kiosque_domain::url::{ArticleRequest, section_path};

pub async fn dispatch_path(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    if method != Method::GET && method != Method::HEAD {
        return Ok(StatusCode::METHOD_NOT_ALLOWED.into_response());
    }
    match sections_and_articles(&state, &uri, q).await {
        // Nothing of the news: a static page, else an old address, else 404.
        Err(AppError::NotFound) => {
            if let Some(page) = static_pages::show_page(&state, uri.path()).await? {
                return Ok(page);
            }
            match static_pages::redirect(&state, uri.path(), uri.query()).await? {
                Some(redirect) => Ok(redirect),
                None => Err(AppError::NotFound),
            }
        }
        other => other,
    }
}

async fn sections_and_articles(
    state: &AppState,
    uri: &Uri,
    q: PageQuery,
) -> Result<Response, AppError> {
    let state = state.clone();
    let path = uri.path();
    if path.ends_with(".html") {
        let request = ArticleRequest::parse(path).ok_or(AppError::NotFound)?;
        return show_article(&state, path, uri.query(), request.id).await;
    }
    let tree = state.section_tree().await?;
    // A section's feeds: `/monde/europe/rss.xml`.
    if let Some((dir, file)) = path.rsplit_once('/')
        && let Some(format) = FeedFormat::from_file(file)
    {
        let section = tree
            .by_path(dir.trim_matches('/'))
            .ok_or(AppError::NotFound)?;
        let source = FeedSource {
            scope: Scope::Section(section.path.clone()),
            page_path: section_path(&section.path),
            title: format!("{} | {}", section.name, state.site().name),
            description: section.description.clone(),
        };
        return render_feed(&state, source, format).await;
    }
    let trimmed = path.trim_matches('/');
    let Some(section) = tree.by_path(trimmed) else {
        // A renamed or moved section keeps its old URLs.
        return match state.stores.taxonomy.section_redirect(trimmed).await? {
            Some(path) => Ok(moved_permanently(&section_path(&path))),
            None => Err(AppError::NotFound),
        };
    };
    if !path.ends_with('/') {
        return Ok(moved_permanently(&section_path(&section.path)));
    }
    let c = &state.catalogs;
    let locale = state.site().locale;
    let trail = tree.trail(section);
    let mut breadcrumb = vec![Link {
        name: c.text(locale, "nav-home"),
        href: "/".into(),
        current: false,
    }];
    breadcrumb.extend(trail.iter().map(|s| Link {
        name: s.name.clone(),
        href: section_path(&s.path),
        current: s.id == section.id,
    }));
    let listing = Listing {
        scope: Scope::Section(section.path.clone()),
        path: section_path(&section.path),
        title: format!(
            "{} | {}",
            c.message(
                locale,
                "section-heading",
                &[("section", section.name.clone().into())]
            ),
            state.site().name
        ),
        heading: section.name.clone(),
        intro: section.description.clone(),
        breadcrumb,
        subsections: tree
            .children(section.id)
            .map(|s| Link {
                name: s.name.clone(),
                href: section_path(&s.path),
                current: false,
            })
            .collect(),
        current_root: trail.first().map(|s| s.path.clone()),
        period: None,
        front: Some(kiosque_domain::front::FrontKey::Section(section.id)),
        portrait: None,
    };
    let keys = [kiosque_domain::surrogate::section(&section.path)];
    Ok(crate::pages::with_keys(
        cached_html(
            render_listing(&state, listing, q.avant.as_deref()).await?,
            60,
        ),
        keys,
    ))
}
