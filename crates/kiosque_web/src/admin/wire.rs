//! The wire desk: incoming agency items, newest first, with filters; an item with its
//! versions and the diff between them; "create an article from this dispatch".

use super::articles::{DiffLine, diff_lines, local, section_options};
use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use kiosque_app::wire::{StoredDispatch, draft_from_wire};
use kiosque_domain::wire::{WireEntry, WireId, WireQuery};
use kiosque_domain::{SectionId, SectionTree};
use serde::{Deserialize, Serialize};

const PAGE: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/wire", get(show_desk))
        .route("/admin/wire/{id}", get(show_item))
        .route("/admin/wire/{id}/article", post(create_article))
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct DeskFilters {
    #[serde(default)]
    agence: String,
    #[serde(default)]
    urgent: String,
    #[serde(default)]
    langue: String,
    #[serde(default)]
    q: String,
    /// Cursor: `<unix seconds>-<id>` of the last item of the previous page.
    #[serde(default)]
    avant: String,
}

#[derive(Serialize)]
struct DeskRow {
    id: i64,
    headline: String,
    provider: String,
    urgency: Option<i64>,
    urgent: bool,
    killed: bool,
    held: bool,
    item_class: String,
    language: String,
    version: i64,
    updated: String,
    article_id: Option<i64>,
}

#[derive(Serialize)]
struct DeskPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    filters: DeskFilters,
    rows: Vec<DeskRow>,
    more_href: Option<String>,
}

fn row(state: &AppState, e: &WireEntry, now: DateTime<Utc>) -> DeskRow {
    DeskRow {
        id: e.id.0,
        headline: e.headline.clone(),
        provider: e.provider.clone().unwrap_or_default(),
        urgency: e.urgency,
        urgent: e.is_urgent(),
        killed: e.is_canceled(),
        held: !e.is_canceled() && !e.is_releasable(now),
        item_class: e.item_class.clone(),
        language: e.language.clone().unwrap_or_default(),
        version: e.version,
        updated: local(state, e.updated_at),
        article_id: e.article_id.map(|a| a.0),
    }
}

async fn show_desk(
    State(state): State<AppState>,
    staff: Staff,
    Query(filters): Query<DeskFilters>,
) -> Result<Response, AppError> {
    let before = filters.avant.split_once('-').and_then(|(t, id)| {
        let at = DateTime::from_timestamp(t.parse().ok()?, 0)?;
        Some((at, WireId(id.parse().ok()?)))
    });
    let query = WireQuery {
        provider: Some(filters.agence.trim().to_owned()).filter(|p| !p.is_empty()),
        urgency_max: (filters.urgent == "1").then_some(kiosque_domain::wire::URGENT),
        language: Some(filters.langue.trim().to_owned()).filter(|l| !l.is_empty()),
        text: Some(filters.q.trim().to_owned()).filter(|q| !q.is_empty()),
        before,
        limit: PAGE,
    };
    let entries = state.stores.wire.wire_items(&query).await?;
    let now = state.now();
    let more_href = (entries.len() == PAGE as usize)
        .then(|| entries.last())
        .flatten()
        .map(|last| {
            let mut params: Vec<(String, String)> = Vec::new();
            for (k, v) in [
                ("agence", &filters.agence),
                ("urgent", &filters.urgent),
                ("langue", &filters.langue),
                ("q", &filters.q),
            ] {
                if !v.is_empty() {
                    params.push((k.into(), v.clone()));
                }
            }
            params.push((
                "avant".into(),
                format!("{}-{}", last.updated_at.timestamp(), last.id),
            ));
            let query: Vec<String> = params
                .iter()
                .map(|(k, v)| format!("{k}={}", crate::error::percent_encode(v)))
                .collect();
            format!("/admin/wire?{}", query.join("&"))
        });
    let rows = entries.iter().map(|e| row(&state, e, now)).collect();
    let title = state.catalogs.text(state.site().locale, "admin-nav-wire");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/wire");
    let page = DeskPage {
        ui_lang: layout.ui_lang,
        layout,
        filters,
        rows,
        more_href,
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/wire.html", page)?,
    ))
}

#[derive(Debug, Deserialize)]
struct VersionsQuery {
    from: Option<i64>,
    to: Option<i64>,
}

#[derive(Serialize)]
struct VersionRow {
    version: i64,
    source: String,
    received: String,
}

#[derive(Serialize)]
struct PictureView {
    url: String,
    caption: String,
    credit: String,
}

#[derive(Serialize)]
struct ItemPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    item: DeskRow,
    guid: String,
    format: String,
    pub_status: String,
    embargo: Option<String>,
    summary: String,
    body_html: String,
    byline: String,
    dateline: String,
    located: String,
    created: Option<String>,
    copyright: String,
    usage_terms: String,
    ednote: String,
    tags: Vec<String>,
    pictures: Vec<PictureView>,
    remote_renditions: Vec<String>,
    versions: Vec<VersionRow>,
    from: i64,
    to: i64,
    diff: Vec<DiffLine>,
    newer_than_article: bool,
    article_version: Option<i64>,
    sections: Vec<crate::views::Link>,
    /// Open lives this dispatch may be added to, as a draft entry.
    lives: Vec<crate::views::Link>,
}

async fn show_item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<VersionsQuery>,
) -> Result<Response, AppError> {
    let entry = state.stores.wire.wire_item(WireId(id)).await?;
    let versions = state.stores.wire.wire_versions(entry.id).await?;
    let dispatch_of = |v: i64| {
        versions
            .iter()
            .find(|r| r.version == v)
            .and_then(|r| StoredDispatch::from_payload(&r.payload).ok())
    };
    let latest = dispatch_of(entry.version)
        .ok_or_else(|| AppError::Internal(format!("wire item {id} has no readable payload")))?;
    let to = q.to.unwrap_or(entry.version);
    // By default, what changed since the version the article was made from, else
    // since the previous version.
    let from = q.from.unwrap_or_else(|| {
        entry
            .article_version
            .filter(|v| *v < to)
            .unwrap_or_else(|| {
                versions
                    .iter()
                    .map(|v| v.version)
                    .find(|v| *v < to)
                    .unwrap_or(to)
            })
    });
    let text_of = |v: i64| dispatch_of(v).map(|d| d.diff_text()).unwrap_or_default();
    let diff = diff_lines(&text_of(from), &text_of(to));
    let item = &latest.item;
    let mut pictures = Vec::new();
    for p in &latest.pictures {
        if let Ok(media) = state
            .stores
            .media
            .media(kiosque_domain::MediaId(p.media_id))
            .await
        {
            pictures.push(PictureView {
                url: media.best_for_width(480).url,
                caption: p.caption.clone(),
                credit: p.credit.clone(),
            });
        }
    }
    let remote_renditions = std::iter::once(item)
        .chain(item.pictures())
        .flat_map(|i| i.renditions.iter())
        .filter_map(|r| r.href.clone())
        .filter(|h| h.starts_with("http://") || h.starts_with("https://"))
        .collect();
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let sections = section_options(&tree, None);
    let now = state.now();
    let layout = AdminLayout::new(&state, Some(&staff), entry.headline.clone(), "/admin/wire");
    let page = ItemPage {
        ui_lang: layout.ui_lang,
        layout,
        item: row(&state, &entry, now),
        guid: entry.guid.clone(),
        format: entry.format.clone(),
        pub_status: entry.pub_status.clone(),
        embargo: entry.embargo.map(|e| local(&state, e)),
        summary: item.summary.clone().unwrap_or_default(),
        body_html: kiosque_app::articles::render(&item.body_markdown)
            .await?
            .html,
        byline: item
            .byline
            .clone()
            .unwrap_or_else(|| item.creators.join(", ")),
        dateline: item.dateline.clone().unwrap_or_default(),
        located: item.located.clone().unwrap_or_default(),
        created: item.first_created.map(|c| local(&state, c)),
        copyright: item
            .copyright_notice
            .clone()
            .or_else(|| item.copyright_holder.clone())
            .unwrap_or_default(),
        usage_terms: item.usage_terms.clone().unwrap_or_default(),
        ednote: item.ednote.clone().unwrap_or_default(),
        tags: item.tag_names(),
        pictures,
        remote_renditions,
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                source: v.source.clone(),
                received: local(&state, v.received_at),
            })
            .collect(),
        from,
        to,
        diff,
        newer_than_article: entry.has_newer_version(),
        article_version: entry.article_version,
        sections,
        lives: if entry.is_canceled() || entry.pub_status == "withheld" {
            Vec::new()
        } else {
            kiosque_app::live::open_lives(&state, 5)
                .await?
                .into_iter()
                .map(|(live, headline)| crate::views::Link {
                    name: headline,
                    href: format!("/admin/articles/{}/direct?depeche={}", live.0, entry.id.0),
                    current: false,
                })
                .collect()
        },
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/wire_item.html", page)?,
    ))
}

#[derive(Debug, Deserialize)]
struct CreateForm {
    csrf: String,
    section: i64,
}

async fn create_article(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let entry = state.stores.wire.wire_item(WireId(id)).await?;
    if let Some(article) = entry.article_id {
        // One article per dispatch: a second click opens the first.
        return Ok(see_other(&format!("/admin/articles/{article}")));
    }
    let now = state.now();
    let article = draft_from_wire(
        &state.stores,
        &entry,
        SectionId(form.section),
        staff.user.id,
        now,
    )
    .await?;
    state
        .stores
        .accounts
        .audit(
            Some(staff.user.id),
            "wire.article",
            &article.to_string(),
            &entry.guid,
            now,
        )
        .await?;
    Ok(see_other(&format!("/admin/articles/{article}")))
}
