//! The newsroom's articles: dashboard, list, editor, save with conflict detection,
//! autosave, workflow (review, publish, schedule, unpublish), preview, history.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::{Link, parse_cursor};
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use kiosque_app::articles;
use kiosque_domain::article::{Article, ArticleStatus, EditKind, NewArticle, NewLeadImage};
use kiosque_domain::people::Contributor;
use kiosque_domain::reading::reading_minutes;
use kiosque_domain::store::{AdminQuery, AdminSummary, StoreError};
use kiosque_domain::{ArticleId, MediaId, SectionId, SectionTree, Slug, UserId};
use kiosque_media::{ImageMeta, MediaLibrary};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const LIST_SIZE: u32 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(show_dashboard))
        .route("/admin/articles", get(list_articles).post(create_article))
        .route("/admin/articles/new", get(new_article))
        .route("/admin/articles/{id}", get(edit_article).post(save_article))
        .route("/admin/articles/{id}/autosave", post(autosave_article))
        .route("/admin/articles/{id}/presence", post(ping_presence))
        .route("/admin/articles/{id}/history", get(show_history))
        .route("/admin/articles/{id}/embeds", post(refresh_embeds))
        .route(
            "/admin/articles/{id}/restore/{version}",
            post(restore_revision),
        )
        .route("/admin/render", post(render_preview))
}

/// The unguessable preview URLs live outside `/admin`: they are shared with people
/// who have no account.
pub fn preview_routes() -> Router<AppState> {
    Router::new().route("/preview/{token}", get(show_preview))
}

/// A time in the site's zone, as shown in the back office.
pub(super) fn local(state: &AppState, at: DateTime<Utc>) -> String {
    state.site().local(at).format("%d/%m/%Y %H:%M").to_string()
}

#[derive(Serialize)]
struct Row {
    id: i64,
    href: String,
    headline: String,
    status: &'static str,
    status_label: String,
    section: String,
    author: String,
    modified: String,
    published: String,
    awaiting_review: bool,
}

fn row(state: &AppState, a: &AdminSummary) -> Row {
    Row {
        id: a.id.0,
        href: format!("/admin/articles/{}", a.id),
        headline: a.headline.clone(),
        status: a.status.as_str(),
        status_label: state.catalogs.text(
            state.site().locale,
            &format!("admin-status-{}", a.status.as_str()),
        ),
        section: a.section_name.clone(),
        author: a.created_by_name.clone().unwrap_or_default(),
        modified: local(state, a.modified_at),
        published: a.published_at.map(|p| local(state, p)).unwrap_or_default(),
        awaiting_review: a.review_requested_at.is_some() && a.status == ArticleStatus::Draft,
    }
}

#[derive(Serialize)]
struct DashboardPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    mine: Vec<Row>,
    review: Vec<Row>,
    scheduled: Vec<Row>,
    published: Vec<Row>,
    jobs: Vec<JobRow>,
    /// Comments waiting for a moderator, for those who moderate.
    pending_comments: Option<i64>,
}

#[derive(Serialize)]
struct JobRow {
    kind: String,
    payload: String,
    attempts: i64,
    status: String,
    error: String,
    run_at: String,
}

async fn show_dashboard(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let list = |query: AdminQuery| {
        let state = state.clone();
        async move {
            let rows = state
                .stores
                .articles
                .list_admin(&AdminQuery { limit: 10, ..query })
                .await?;
            Ok::<_, AppError>(rows.iter().map(|a| row(&state, a)).collect::<Vec<_>>())
        }
    };
    let mine = list(AdminQuery {
        status: Some(ArticleStatus::Draft),
        created_by: Some(staff.user.id),
        ..Default::default()
    })
    .await?;
    let review = list(AdminQuery {
        awaiting_review: true,
        ..Default::default()
    })
    .await?;
    let scheduled = list(AdminQuery {
        status: Some(ArticleStatus::Scheduled),
        ..Default::default()
    })
    .await?;
    let published = list(AdminQuery {
        status: Some(ArticleStatus::Published),
        ..Default::default()
    })
    .await?;
    let jobs = state
        .stores
        .jobs
        .troubled_jobs(20)
        .await?
        .into_iter()
        .map(|j| JobRow {
            // A queued message is a reader's: its address and text stay out of sight.
            payload: if j.kind == kiosque_domain::store::MAIL_JOB {
                String::new()
            } else {
                j.payload
            },
            kind: j.kind,
            attempts: j.attempts,
            status: j.status,
            error: j.last_error.unwrap_or_default(),
            run_at: local(&state, j.run_at),
        })
        .collect();
    let title = state
        .catalogs
        .text(state.site().locale, "admin-nav-dashboard");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin");
    let page = DashboardPage {
        ui_lang: layout.ui_lang,
        layout,
        mine,
        review,
        scheduled,
        published,
        jobs,
        pending_comments: if staff.user.role.can_moderate() {
            Some(state.stores.comments.pending_count().await?)
        } else {
            None
        },
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/dashboard.html", page)?,
    ))
}

#[derive(Debug, Deserialize, Serialize, Default)]
struct ListFilters {
    #[serde(default)]
    status: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    review: String,
    /// A staff member's id: the articles they created.
    #[serde(default)]
    auteur: String,
    avant: Option<String>,
}

#[derive(Serialize)]
struct ListPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    filters: ListFilters,
    statuses: Vec<Link>,
    sections: Vec<Link>,
    authors: Vec<Link>,
    rows: Vec<Row>,
    more_href: Option<String>,
}

/// The admin list's own cursor: (modified_at, id).
fn admin_cursor(rows: &[AdminSummary], filters: &ListFilters) -> Option<String> {
    if rows.len() < LIST_SIZE as usize {
        return None;
    }
    let last = rows.last()?;
    let query = format!(
        "status={}&section={}&q={}&mine={}&review={}&auteur={}&avant={}-{}",
        crate::error::percent_encode(&filters.status),
        crate::error::percent_encode(&filters.section),
        crate::error::percent_encode(&filters.q),
        crate::error::percent_encode(&filters.mine),
        crate::error::percent_encode(&filters.review),
        crate::error::percent_encode(&filters.auteur),
        last.modified_at.timestamp(),
        last.id
    );
    Some(format!("/admin/articles?{query}"))
}

async fn list_articles(
    State(state): State<AppState>,
    staff: Staff,
    Query(filters): Query<ListFilters>,
) -> Result<Response, AppError> {
    let status = filters.status.parse::<ArticleStatus>().ok();
    let section = filters.section.parse::<i64>().ok().map(SectionId);
    let query = AdminQuery {
        status,
        section,
        created_by: if filters.mine == "1" {
            Some(staff.user.id)
        } else {
            filters.auteur.parse::<i64>().ok().map(UserId)
        },
        text: Some(filters.q.clone()).filter(|q| !q.trim().is_empty()),
        awaiting_review: filters.review == "1",
        before: parse_cursor(filters.avant.as_deref())?,
        limit: LIST_SIZE,
        visible_to: None,
    };
    let authors = state
        .stores
        .accounts
        .users()
        .await?
        .into_iter()
        .map(|u| Link {
            current: filters.auteur == u.id.0.to_string(),
            href: u.id.0.to_string(),
            name: u.name,
        })
        .collect();
    let summaries = articles::list(&state, &staff.actor(), query).await?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let statuses = ["draft", "scheduled", "published", "unpublished"]
        .into_iter()
        .map(|s| Link {
            name: c.text(locale, &format!("admin-status-{s}")),
            href: s.into(),
            current: filters.status == s,
        })
        .collect();
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let sections = section_options(&tree, section);
    let title = c.text(locale, "admin-nav-articles");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/articles");
    let more_href = admin_cursor(&summaries, &filters);
    let page = ListPage {
        ui_lang: layout.ui_lang,
        layout,
        rows: summaries.iter().map(|a| row(&state, a)).collect(),
        filters,
        statuses,
        sections,
        authors,
        more_href,
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/articles.html", page)?,
    ))
}

/// Sections as `<option>`s: `name` is the indented label, `href` the id.
pub(super) fn section_options(tree: &SectionTree, selected: Option<SectionId>) -> Vec<Link> {
    let mut out = Vec::new();
    for root in tree.roots() {
        out.push(Link {
            name: root.name.clone(),
            href: root.id.to_string(),
            current: selected == Some(root.id),
        });
        for child in tree.children(root.id) {
            out.push(Link {
                name: format!("— {}", child.name),
                href: child.id.to_string(),
                current: selected == Some(child.id),
            });
        }
    }
    out
}

/// What the editor form holds, exactly as typed: a form with errors is shown again
/// with all of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EditorForm {
    pub version: i64,
    pub headline: String,
    pub kicker: String,
    pub standfirst: String,
    pub body_markdown: String,
    pub section_id: String,
    pub tags: String,
    pub contributors: String,
    pub agencies: String,
    pub language: String,
    pub comments_open: bool,
    pub seo_title: String,
    pub seo_description: String,
    /// The number of the article this one translates, if any.
    pub translation_of: String,
    pub lead_media_id: String,
    pub lead_alt: String,
    pub lead_caption: String,
    pub lead_credit: String,
    pub edit_kind: String,
    pub correction_note: String,
    pub schedule_at: String,
    /// `standard` or `live`; read when the article is created.
    #[serde(default)]
    pub kind: String,
}

impl EditorForm {
    fn from_article(a: &Article) -> Self {
        let lead = a.lead_image.as_ref();
        Self {
            version: a.version,
            headline: a.headline.clone(),
            kicker: a.kicker.clone().unwrap_or_default(),
            standfirst: a.standfirst.clone(),
            body_markdown: a.body_markdown.clone(),
            section_id: a.section.id.to_string(),
            tags: a
                .tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            contributors: a
                .contributors
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            agencies: a
                .agencies
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            language: a.language.clone(),
            comments_open: a.comments_open,
            seo_title: a.seo_title.clone().unwrap_or_default(),
            seo_description: a.seo_description.clone().unwrap_or_default(),
            translation_of: a
                .translation_of
                .map(|t| t.0.to_string())
                .unwrap_or_default(),
            lead_media_id: lead.map(|l| l.media.id.to_string()).unwrap_or_default(),
            lead_alt: lead.map(|l| l.alt.clone()).unwrap_or_default(),
            lead_caption: lead.map(|l| l.caption.clone()).unwrap_or_default(),
            lead_credit: lead.map(|l| l.credit.clone()).unwrap_or_default(),
            edit_kind: "minor".into(),
            correction_note: String::new(),
            schedule_at: String::new(),
            kind: a.kind.as_str().into(),
        }
    }

    fn from_content(content: &NewArticle, version: i64, contributors: &[Contributor]) -> Self {
        let names = content
            .contributors
            .iter()
            .filter_map(|id| {
                contributors
                    .iter()
                    .find(|c| c.id == *id)
                    .map(|c| c.name.as_str())
            })
            .collect::<Vec<_>>()
            .join(", ");
        let lead = content.lead_image.as_ref();
        Self {
            version,
            headline: content.headline.clone(),
            kicker: content.kicker.clone().unwrap_or_default(),
            standfirst: content.standfirst.clone(),
            body_markdown: content.body_markdown.clone(),
            section_id: content.section_id.to_string(),
            tags: content.tags.join(", "),
            contributors: names,
            agencies: content.agencies.join(", "),
            language: content.language.clone(),
            comments_open: content.comments_open,
            seo_title: content.seo_title.clone().unwrap_or_default(),
            seo_description: content.seo_description.clone().unwrap_or_default(),
            translation_of: content
                .translation_of
                .map(|t| t.0.to_string())
                .unwrap_or_default(),
            lead_media_id: lead.map(|l| l.media_id.to_string()).unwrap_or_default(),
            lead_alt: lead.map(|l| l.alt.clone()).unwrap_or_default(),
            lead_caption: lead.map(|l| l.caption.clone()).unwrap_or_default(),
            lead_credit: lead.map(|l| l.credit.clone()).unwrap_or_default(),
            edit_kind: "minor".into(),
            correction_note: String::new(),
            schedule_at: String::new(),
            kind: content.kind.as_str().into(),
        }
    }
}

/// A submitted editor form: fields, the button pressed, an uploaded photo.
struct Submission {
    csrf: String,
    action: String,
    form: EditorForm,
    upload: Option<(String, Vec<u8>)>,
}

async fn read_submission(mut multipart: Multipart) -> Result<Submission, AppError> {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut upload = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "lead_file" {
            let file_name = field.file_name().unwrap_or("photo").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            if !bytes.is_empty() {
                upload = Some((file_name, bytes.to_vec()));
            }
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            fields.insert(name, value);
        }
    }
    let mut take = |k: &str| fields.remove(k).unwrap_or_default();
    let form = EditorForm {
        version: take("version").parse().unwrap_or(0),
        headline: take("headline"),
        kicker: take("kicker"),
        standfirst: take("standfirst"),
        body_markdown: take("body_markdown").replace("\r\n", "\n"),
        section_id: take("section_id"),
        tags: take("tags"),
        contributors: take("contributors"),
        agencies: take("agencies"),
        language: take("language"),
        comments_open: take("comments_open") == "on",
        seo_title: take("seo_title"),
        seo_description: take("seo_description"),
        translation_of: take("translation_of"),
        lead_media_id: take("lead_media_id"),
        lead_alt: take("lead_alt"),
        lead_caption: take("lead_caption"),
        lead_credit: take("lead_credit"),
        edit_kind: take("edit_kind"),
        correction_note: take("correction_note"),
        schedule_at: take("schedule_at"),
        kind: take("kind"),
    };
    Ok(Submission {
        csrf: take("csrf"),
        action: take("action"),
        form,
        upload,
    })
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A "translation of" naming no article is refused rather than dropped.
async fn unknown_translation(
    state: &AppState,
    content: &NewArticle,
) -> Result<Option<(String, String)>, AppError> {
    let Some(original) = content.translation_of else {
        return Ok(None);
    };
    match state.stores.articles.article(original).await {
        Ok(_) => Ok(None),
        Err(StoreError::NotFound) => Ok(Some((
            "translation_of".into(),
            "admin-error-translation-unknown".into(),
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Turns the form into content, or explains (as catalogue keys) what is wrong.
fn form_to_content(
    form: &EditorForm,
    contributors: &[Contributor],
    tree: &SectionTree,
) -> Result<NewArticle, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let section = form
        .section_id
        .parse::<i64>()
        .ok()
        .map(SectionId)
        .filter(|id| tree.by_id(*id).is_some());
    if form.headline.trim().is_empty() {
        errors.push(("headline".into(), "admin-error-headline".into()));
    } else if Slug::from_text(&form.headline).is_none() {
        errors.push(("headline".into(), "admin-error-headline-slug".into()));
    }
    if section.is_none() {
        errors.push(("section_id".into(), "admin-error-section".into()));
    }
    let mut ids = Vec::new();
    for name in split_list(&form.contributors) {
        match contributors
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&name))
        {
            Some(c) if !ids.contains(&c.id) => ids.push(c.id),
            Some(_) => {}
            None => errors.push((
                "contributors".into(),
                format!("admin-error-contributor|{name}"),
            )),
        }
    }
    let lead_media = form.lead_media_id.trim().parse::<i64>().ok().map(MediaId);
    if lead_media.is_some() && form.lead_alt.trim().is_empty() {
        errors.push(("lead_alt".into(), "admin-error-alt".into()));
    }
    let translation_of = form.translation_of.trim().trim_start_matches('#');
    let translation_of = if translation_of.is_empty() {
        None
    } else {
        match translation_of.parse::<i64>() {
            Ok(id) if id > 0 => Some(ArticleId(id)),
            _ => {
                errors.push(("translation_of".into(), "admin-error-translation".into()));
                None
            }
        }
    };
    if form.edit_kind == "correction" && form.correction_note.trim().is_empty() {
        errors.push((
            "correction_note".into(),
            "admin-error-correction-note".into(),
        ));
    }
    let Some(section_id) = section.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let mut content = NewArticle::draft(form.headline.trim(), section_id);
    content.kicker = Some(form.kicker.trim().to_owned()).filter(|k| !k.is_empty());
    content.standfirst = form.standfirst.trim().to_owned();
    content.body_markdown = form.body_markdown.clone();
    content.tags = split_list(&form.tags);
    content.contributors = ids;
    content.agencies = split_list(&form.agencies);
    content.language = if form.language == "en" {
        "en".into()
    } else {
        "fr".into()
    };
    content.comments_open = form.comments_open;
    content.seo_title = Some(form.seo_title.trim().to_owned()).filter(|t| !t.is_empty());
    content.seo_description =
        Some(form.seo_description.trim().to_owned()).filter(|t| !t.is_empty());
    content.translation_of = translation_of;
    content.kind = if form.kind == "live" {
        kiosque_domain::ArticleKind::Live
    } else {
        kiosque_domain::ArticleKind::Standard
    };
    content.lead_image = lead_media.map(|media_id| NewLeadImage {
        media_id,
        alt: form.lead_alt.trim().to_owned(),
        caption: form.lead_caption.trim().to_owned(),
        credit: form.lead_credit.trim().to_owned(),
    });
    Ok(content)
}

#[derive(Serialize)]
struct EditorPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    form: EditorForm,
    action: String,
    errors: Vec<FieldError>,
    sections: Vec<Link>,
    contributor_names: Vec<String>,
    article: Option<ArticleInfo>,
    word_count: u32,
    reading_minutes: u32,
    preview_html: String,
    lead_preview: Option<String>,
    others: Vec<kiosque_app::presence::Other>,
    /// The source dispatch has a newer version than the one this article was made from.
    wire_newer: Option<WireNotice>,
    /// The embeds the saved body names, as stored (with the last failure, if any).
    embeds: Vec<EmbedLine>,
}

#[derive(Serialize)]
struct EmbedLine {
    provider: String,
    url: String,
    /// The title the provider gave, else the URL.
    label: String,
    error: Option<String>,
}

#[derive(Serialize)]
struct WireNotice {
    wire_id: i64,
    version: i64,
}

#[derive(Serialize)]
struct FieldError {
    field: String,
    message: String,
}

#[derive(Serialize)]
struct ArticleInfo {
    id: i64,
    status: &'static str,
    status_label: String,
    public_url: Option<String>,
    preview_url: Option<String>,
    published: Option<String>,
    is_public: bool,
    awaiting_review: bool,
    may_publish: bool,
    /// Live coverage: the desk's address.
    live_desk: Option<String>,
}

async fn render_editor(
    state: &AppState,
    staff: &Staff,
    article: Option<&Article>,
    form: EditorForm,
    errors: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let c = &state.catalogs;
    let locale = state.site().locale;
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let contributors = state.stores.people.contributors().await?;
    let rendered = articles::render(&form.body_markdown).await?;
    let lead_preview = match form.lead_media_id.parse::<i64>() {
        Ok(id) => state
            .stores
            .media
            .media(MediaId(id))
            .await
            .ok()
            .map(|m| m.best_for_width(480).url),
        Err(_) => None,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let embeds = match article {
        Some(a) => kiosque_app::embeds::of_article(state, a.id)
            .await?
            .into_iter()
            .map(|e| EmbedLine {
                label: if e.title.is_empty() {
                    e.url.clone()
                } else {
                    e.title
                },
                provider: e.provider,
                url: e.url,
                error: e.error,
            })
            .collect(),
        None => Vec::new(),
    };
    let wire_newer = match article {
        Some(a) => state
            .stores
            .wire
            .wire_for_article(a.id)
            .await?
            .filter(|w| w.has_newer_version())
            .map(|w| WireNotice {
                wire_id: w.id.0,
                version: w.version,
            }),
        None => None,
    };
    let others = match article {
        Some(a) => {
            state
                .presence
                .ping(a.id, staff.user.id, &staff.user.name, state.now())
                .await
                .others
        }
        None => Vec::new(),
    };
    let errors = errors
        .into_iter()
        .map(|(field, key)| {
            let message = match key.split_once('|') {
                Some((key, name)) => c.message(locale, key, &[("name", name.to_owned().into())]),
                None => c.text(locale, &key),
            };
            FieldError { field, message }
        })
        .collect();
    let title = match article {
        Some(a) => a.headline.clone(),
        None => c.text(locale, "admin-nav-new"),
    };
    let layout = AdminLayout::new(
        state,
        Some(staff),
        title,
        if article.is_some() {
            ""
        } else {
            "/admin/articles/new"
        },
    );
    // A fresh signed link each time the editor is shown, to those who may edit.
    let preview_url = match article {
        Some(a) => kiosque_app::preview::link(state, &staff.actor(), a, state.preview_lifetime)
            .await
            .ok(),
        None => None,
    };
    let info = article.map(|a| ArticleInfo {
        id: a.id.0,
        status: a.status.as_str(),
        status_label: c.text(locale, &format!("admin-status-{}", a.status.as_str())),
        public_url: (a.status == ArticleStatus::Published).then(|| a.canonical_path()),
        preview_url: preview_url.clone(),
        published: a.published_at.map(|p| local(state, p)),
        is_public: matches!(
            a.status,
            ArticleStatus::Published | ArticleStatus::Unpublished
        ),
        awaiting_review: a.review_requested_at.is_some() && a.status == ArticleStatus::Draft,
        may_publish: staff.user.role.can_publish(),
        live_desk: (a.kind == kiosque_domain::ArticleKind::Live)
            .then(|| format!("/admin/articles/{}/direct", a.id.0)),
    });
    let page = EditorPage {
        ui_lang: layout.ui_lang,
        layout,
        action: match article {
            Some(a) => format!("/admin/articles/{}", a.id),
            None => "/admin/articles".into(),
        },
        form,
        errors,
        sections: section_options(&tree, None),
        contributor_names: contributors.into_iter().map(|c| c.name).collect(),
        article: info,
        word_count: rendered.word_count,
        reading_minutes: reading_minutes(rendered.word_count),
        preview_html: rendered.html,
        lead_preview,
        others,
        wire_newer,
        embeds,
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/editor.html", page)?,
    ))
}

async fn new_article(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let form = EditorForm {
        language: state.site().locale.code().into(),
        comments_open: true,
        ..Default::default()
    };
    render_editor(&state, &staff, None, form, Vec::new()).await
}

/// Stores an uploaded photo and points the form's lead image at it.
async fn take_upload(
    state: &AppState,
    submission: &mut Submission,
) -> Result<Option<(String, String)>, AppError> {
    let Some((name, bytes)) = submission.upload.take() else {
        return Ok(None);
    };
    let library = MediaLibrary::new(state.blobs.clone(), state.stores.media.clone());
    let meta = ImageMeta {
        name,
        alt: submission.form.lead_alt.clone(),
        credit: submission.form.lead_credit.clone(),
        ..Default::default()
    };
    match library.add_image(bytes, meta).await {
        Ok(media) => {
            submission.form.lead_media_id = media.id.to_string();
            Ok(None)
        }
        Err(kiosque_media::MediaError::NotAnImage(_)) => Ok(Some((
            "lead_file".into(),
            "admin-error-not-an-image".into(),
        ))),
        Err(kiosque_media::MediaError::TooLarge { .. }) => Ok(Some((
            "lead_file".into(),
            "admin-error-image-too-large".into(),
        ))),
        Err(e) => Err(AppError::Internal(format!("storing an upload: {e}"))),
    }
}

async fn create_article(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let mut submission = read_submission(multipart).await?;
    staff.check_csrf(&submission.csrf)?;
    let upload_error = take_upload(&state, &mut submission).await?;
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let contributors = state.stores.people.contributors().await?;
    let content = form_to_content(&submission.form, &contributors, &tree);
    let content = match content {
        Ok(c) => match unknown_translation(&state, &c).await? {
            Some(error) => Err(vec![error]),
            None => Ok(c),
        },
        Err(errors) => Err(errors),
    };
    let content = match (content, upload_error) {
        (Ok(c), None) => c,
        (Err(mut errors), upload) => {
            errors.extend(upload);
            return render_editor(&state, &staff, None, submission.form, errors).await;
        }
        (Ok(_), Some(e)) => {
            return render_editor(&state, &staff, None, submission.form, vec![e]).await;
        }
    };
    let article = match articles::create(&state, &staff.actor(), content, &Default::default()).await
    {
        Ok(article) => article,
        Err(e) => {
            let errors = refusal(e)?;
            return render_editor(&state, &staff, None, submission.form, errors).await;
        }
    };
    Ok(see_other(&format!(
        "/admin/articles/{}?saved=1",
        article.id
    )))
}

/// What the editor shows for a refused action, as (field, catalogue key) pairs; an
/// error that is not the user's to fix goes on as an error page.
fn refusal(e: kiosque_app::Error) -> Result<Vec<(String, String)>, AppError> {
    use kiosque_app::Error as E;
    match e {
        E::Invalid(errors) => Ok(errors
            .into_iter()
            .map(|e| (e.field.to_owned(), e.key))
            .collect()),
        // The disk is full or read-only: the editor gets the form back as typed.
        E::Unavailable => Ok(vec![("".into(), "admin-error-storage".into())]),
        other => Err(other.into()),
    }
}

async fn load_editable(state: &AppState, staff: &Staff, id: i64) -> Result<Article, AppError> {
    Ok(articles::load_editable(state, &staff.actor(), ArticleId(id)).await?)
}

async fn edit_article(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let article = load_editable(&state, &staff, id).await?;
    let form = EditorForm::from_article(&article);
    render_editor(&state, &staff, Some(&article), form, Vec::new()).await
}

/// Parses the scheduling field (`datetime-local`, in the site's zone).
pub(super) fn parse_local(state: &AppState, value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    state
        .site()
        .timezone
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[derive(Serialize)]
struct ConflictPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    action: String,
    mine: EditorForm,
    theirs: EditorForm,
    theirs_by: String,
    theirs_at: String,
}

async fn save_article(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let mut submission = read_submission(multipart).await?;
    staff.check_csrf(&submission.csrf)?;
    let article = load_editable(&state, &staff, id).await?;
    let upload_error = take_upload(&state, &mut submission).await?;
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let contributors = state.stores.people.contributors().await?;
    let now = state.now();
    let action = submission.action.clone();
    let workflow_only = matches!(action.as_str(), "unpublish");
    let content = form_to_content(&submission.form, &contributors, &tree);
    let content = match content {
        Ok(c) => match unknown_translation(&state, &c).await? {
            Some(error) => Err(vec![error]),
            None => Ok(c),
        },
        Err(errors) => Err(errors),
    };
    let content = match (content, upload_error) {
        (Ok(c), None) => c,
        (Err(mut errors), upload) => {
            errors.extend(upload);
            return render_editor(&state, &staff, Some(&article), submission.form, errors).await;
        }
        (Ok(_), Some(e)) => {
            return render_editor(&state, &staff, Some(&article), submission.form, vec![e]).await;
        }
    };
    let actor = staff.actor();
    let mut saved = article.clone();
    if !workflow_only {
        let save = articles::Save {
            expected_version: submission.form.version,
            kind: articles::SaveKind::Edit(submission.form.edit_kind.parse::<EditKind>().ok()),
            correction_note: Some(submission.form.correction_note.clone())
                .filter(|n| !n.trim().is_empty()),
        };
        saved = match articles::save(
            &state,
            &actor,
            &article,
            &content,
            &Default::default(),
            &save,
        )
        .await
        {
            Ok(saved) => saved,
            Err(kiosque_app::Error::Stale { .. }) => {
                return conflict_page(&state, &staff, article.id, submission.form, &contributors)
                    .await;
            }
            Err(e) => {
                let errors = refusal(e)?;
                return render_editor(&state, &staff, Some(&article), submission.form, errors)
                    .await;
            }
        };
    }
    let published = match action.as_str() {
        "submit" => {
            articles::request_review(&state, &actor, &saved).await?;
            return Ok(see_other(&format!("/admin/articles/{}?saved=1", saved.id)));
        }
        "publish" => {
            // A past publication time set by the editor is kept (imports, records).
            let when = parse_local(&state, &submission.form.schedule_at)
                .filter(|t| *t <= now)
                .map_or(articles::When::Now, articles::When::Backdated);
            articles::publish(&state, &actor, saved.id, when).await
        }
        "schedule" => {
            let Some(at) = parse_local(&state, &submission.form.schedule_at).filter(|t| *t > now)
            else {
                staff.require_editor()?;
                let mut form = EditorForm::from_article(&saved);
                form.schedule_at = submission.form.schedule_at.clone();
                return render_editor(
                    &state,
                    &staff,
                    Some(&saved),
                    form,
                    vec![("schedule_at".into(), "admin-error-schedule".into())],
                )
                .await;
            };
            articles::publish(&state, &actor, saved.id, articles::When::At(at)).await
        }
        "unpublish" => articles::unpublish(&state, &actor, saved.id).await,
        _ => Ok(saved.clone()),
    };
    match published {
        Ok(_) => {}
        Err(kiosque_app::Error::Held(hold)) => {
            return wire_refusal(&state, &staff, &saved, hold).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(see_other(&format!("/admin/articles/{}?saved=1", saved.id)))
}

/// The editor again with an error, when the source dispatch is withheld or under
/// embargo at `at`: wire copy never reaches the public before the agency allows.
async fn wire_refusal(
    state: &AppState,
    staff: &Staff,
    article: &Article,
    hold: kiosque_app::wire::WireHold,
) -> Result<Response, AppError> {
    let error = match hold {
        kiosque_app::wire::WireHold::Withheld => "admin-error-wire-withheld".to_owned(),
        kiosque_app::wire::WireHold::Embargo(until) => {
            format!("admin-error-wire-embargo|{}", local(state, until))
        }
    };
    let form = EditorForm::from_article(article);
    render_editor(
        state,
        staff,
        Some(article),
        form,
        vec![("schedule_at".into(), error)],
    )
    .await
}

async fn conflict_page(
    state: &AppState,
    staff: &Staff,
    id: ArticleId,
    mine: EditorForm,
    contributors: &[Contributor],
) -> Result<Response, AppError> {
    let current = state.stores.articles.article(id).await?;
    let last = state
        .stores
        .articles
        .revisions(id)
        .await?
        .into_iter()
        .next();
    let theirs = EditorForm::from_content(&current.content(), current.version, contributors);
    // Re-submitting "mine" from this page is a deliberate overwrite of the new version.
    let mut mine = mine;
    mine.version = current.version;
    let title = state
        .catalogs
        .text(state.site().locale, "admin-conflict-title");
    let layout = AdminLayout::new(state, Some(staff), title, "");
    let page = ConflictPage {
        ui_lang: layout.ui_lang,
        layout,
        action: format!("/admin/articles/{id}"),
        mine,
        theirs,
        theirs_by: last
            .as_ref()
            .and_then(|r| r.user_name.clone())
            .unwrap_or_default(),
        theirs_at: last.map(|r| local(state, r.created_at)).unwrap_or_default(),
    };
    Ok(admin_html(
        StatusCode::CONFLICT,
        state.templates.render("admin/conflict.html", page)?,
    ))
}

#[derive(Serialize)]
struct AutosaveResult {
    version: i64,
    saved_at: String,
}

/// The editor's script saves every 30 seconds; autosaves fold into one revision.
async fn autosave_article(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    let submission = read_submission(multipart).await?;
    staff.check_csrf(&submission.csrf)?;
    let article = load_editable(&state, &staff, id).await?;
    // Autosave never changes what readers see: published articles are saved on purpose.
    if matches!(
        article.status,
        ArticleStatus::Published | ArticleStatus::Scheduled
    ) {
        return Ok((StatusCode::NO_CONTENT, ()).into_response());
    }
    let tree = SectionTree::new(state.stores.taxonomy.sections().await?);
    let contributors = state.stores.people.contributors().await?;
    let Ok(content) = form_to_content(&submission.form, &contributors, &tree) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({"error": "invalid"})),
        )
            .into_response());
    };
    let save = articles::Save {
        expected_version: submission.form.version,
        kind: articles::SaveKind::Autosave,
        correction_note: None,
    };
    match articles::save(
        &state,
        &staff.actor(),
        &article,
        &content,
        &Default::default(),
        &save,
    )
    .await
    {
        Ok(saved) => Ok(Json(AutosaveResult {
            version: saved.version,
            saved_at: local(&state, saved.modified_at),
        })
        .into_response()),
        Err(e @ kiosque_app::Error::Stale { .. }) => Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({"error": e.to_string()})),
        )
            .into_response()),
        Err(kiosque_app::Error::Invalid(_)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({"error": "invalid"})),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct RenderForm {
    csrf: String,
    body_markdown: String,
}

/// Live preview: the public renderer, for the editor's script.
async fn render_preview(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    axum::Form(form): axum::Form<RenderForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let rendered = articles::render(&form.body_markdown).await?;
    Ok(Json(serde_json::json!({
        "html": rendered.html,
        "word_count": rendered.word_count,
        "reading_minutes": reading_minutes(rendered.word_count),
    }))
    .into_response())
}

async fn show_preview(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if token.len() > 200 {
        return Err(AppError::NotFound);
    }
    let article = kiosque_app::preview::open(&state, &token, state.now()).await?;
    let html = crate::pages::article::render_article_page(
        &state,
        &article,
        true,
        kiosque_domain::live::LivePage::Latest,
    )
    .await?;
    let mut response = admin_html(StatusCode::OK, html);
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct HistoryQuery {
    from: Option<i64>,
    to: Option<i64>,
}

#[derive(Serialize)]
struct HistoryPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    article_id: i64,
    headline: String,
    revisions: Vec<RevisionRow>,
    diff: Vec<DiffLine>,
    from: i64,
    to: i64,
}

#[derive(Serialize)]
struct RevisionRow {
    version: i64,
    kind: String,
    user: String,
    at: String,
}

#[derive(Serialize)]
pub(super) struct DiffLine {
    tag: &'static str,
    text: String,
}

/// A line diff, for templates (`ins`, `del`, `eq`).
pub(super) fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            tag: match change.tag() {
                similar::ChangeTag::Delete => "del",
                similar::ChangeTag::Insert => "ins",
                similar::ChangeTag::Equal => "eq",
            },
            text: change.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

/// The content of a revision as reviewable text: one field per block.
fn revision_text(content: &NewArticle) -> String {
    format!(
        "# {}\n{}\n\n{}\n\n{}\n\n[{}] [{}]",
        content.headline,
        content.kicker.clone().unwrap_or_default(),
        content.standfirst,
        content.body_markdown,
        content.tags.join(", "),
        content.agencies.join(", ")
    )
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    csrf: String,
}

/// "Ask the providers again": the embeds of the article fetched anew (whoever may
/// edit it), then back to the editor.
async fn refresh_embeds(
    State(state): State<AppState>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CsrfOnly>,
) -> Result<Response, AppError> {
    crate::http::check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    kiosque_app::embeds::refresh_article(&state, &staff.actor(), ArticleId(id)).await?;
    Ok(crate::http::see_other(&format!(
        "/admin/articles/{id}#embeds"
    )))
}

async fn show_history(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    let article = load_editable(&state, &staff, id).await?;
    let revisions = state.stores.articles.revisions(article.id).await?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let newest = revisions.first().map(|r| r.version).unwrap_or(1);
    let to = q.to.unwrap_or(newest);
    let from = q.from.unwrap_or_else(|| {
        revisions
            .iter()
            .map(|r| r.version)
            .find(|v| *v < to)
            .unwrap_or(to)
    });
    let text_of = |v: i64| {
        revisions
            .iter()
            .find(|r| r.version == v)
            .map(|r| revision_text(&r.content))
            .unwrap_or_default()
    };
    let (old, new) = (text_of(from), text_of(to));
    let diff = diff_lines(&old, &new);
    let title = c.message(
        locale,
        "admin-history-title",
        &[("headline", article.headline.clone().into())],
    );
    let layout = AdminLayout::new(&state, Some(&staff), title, "");
    let page = HistoryPage {
        ui_lang: layout.ui_lang,
        layout,
        article_id: article.id.0,
        headline: article.headline.clone(),
        revisions: revisions
            .iter()
            .map(|r| RevisionRow {
                version: r.version,
                kind: c.text(locale, &format!("admin-revision-{}", r.kind.as_str())),
                user: r.user_name.clone().unwrap_or_default(),
                at: local(&state, r.created_at),
            })
            .collect(),
        diff,
        from,
        to,
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/history.html", page)?,
    ))
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// Makes an old revision the current content (a new revision of kind "restore").
async fn restore_revision(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, version)): Path<(i64, i64)>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let article = load_editable(&state, &staff, id).await?;
    let revision = state
        .stores
        .articles
        .revisions(article.id)
        .await?
        .into_iter()
        .find(|r| r.version == version)
        .ok_or(AppError::NotFound)?;
    let save = articles::Save {
        expected_version: article.version,
        kind: articles::SaveKind::Restore,
        correction_note: None,
    };
    articles::save(
        &state,
        &staff.actor(),
        &article,
        &revision.content,
        &Default::default(),
        &save,
    )
    .await?;
    state.public_changed();
    Ok(see_other(&format!("/admin/articles/{id}?saved=1")))
}

#[derive(Debug, Deserialize)]
struct PresenceForm {
    csrf: String,
    #[serde(default)]
    take_over: String,
    #[serde(default)]
    leave: String,
}

/// The editor's script pings every 20 seconds: who else has this article open, and
/// has someone taken over?
async fn ping_presence(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<PresenceForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    staff.check_csrf(&form.csrf)?;
    let article = load_editable(&state, &staff, id).await?;
    let now = state.now();
    if form.leave == "1" {
        state.presence.leave(article.id, staff.user.id).await;
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    if form.take_over == "1" {
        state
            .presence
            .take_over(article.id, staff.user.id, &staff.user.name, now)
            .await;
    }
    let presence = state
        .presence
        .ping(article.id, staff.user.id, &staff.user.name, now)
        .await;
    Ok(Json(serde_json::json!({"others": presence.others, "taken_over_by": presence.taken_over_by, "version": article.version})).into_response())
}
