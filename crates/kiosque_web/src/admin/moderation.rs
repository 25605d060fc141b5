//! Comment moderation for moderators (and editors and admins): the pending, reported
//! and recent queues with bulk decisions, readers (warn, suspend, ban, always
//! pre-moderate), the moderation log, and the site's comment rules.

use super::{AdminLayout, admin_html, check_same_origin, see_other};
use crate::auth::Staff;
use crate::community::{notify_reply, policy, save_policy, send_reader_mail};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::When;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::Duration;
use kiosque_domain::comment::{
    CommentId, CommentStatus, Decision, DeletionPolicy, Policy, Queue, ReaderAction, ReaderId,
    render_comment,
};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/moderation", get(show_queue).post(decide))
        .route("/admin/moderation/lecteurs", get(show_readers))
        .route(
            "/admin/moderation/lecteurs/{id}",
            get(show_reader).post(act_on_reader),
        )
        .route("/admin/moderation/journal", get(show_log))
        .route("/admin/moderation/regles", get(show_rules).post(save_rules))
}

/// Why moderation held a comment, in the site's language (stored as the rule's code).
fn held_because(state: &AppState, why: &str) -> String {
    let c = &state.catalogs;
    let locale = state.site().locale;
    let (key, word) = match why.split_once(": ") {
        Some(("suspect word", word)) => ("admin-why-suspect", word),
        _ => match why {
            "holds a link" => ("admin-why-link", ""),
            "new commenter" => ("admin-why-new", ""),
            "site pre-moderation" => ("admin-why-site", ""),
            "section pre-moderation" => ("admin-why-section", ""),
            "article pre-moderation" => ("admin-why-article", ""),
            "reader under pre-moderation" => ("admin-why-reader", ""),
            other => return other.to_owned(),
        },
    };
    c.message(locale, key, &[("word", word.to_owned().into())])
}

fn require_moderator(staff: &Staff) -> Result<(), AppError> {
    Ok(kiosque_app::policy::moderate(&staff.actor())?)
}

#[derive(Serialize)]
struct ItemView {
    id: i64,
    article_id: i64,
    headline: String,
    author: String,
    reader_id: Option<i64>,
    role: Option<String>,
    body_html: String,
    status: &'static str,
    featured: bool,
    created: When,
    reports: Vec<(String, i64)>,
    queued_because: Option<String>,
    reply_to: Option<String>,
}

#[derive(Serialize)]
struct QueuePage {
    layout: AdminLayout,
    ui_lang: &'static str,
    queue: &'static str,
    queues: Vec<(&'static str, String, bool)>,
    items: Vec<ItemView>,
    pending: i64,
    done: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct QueueQuery {
    file: Option<String>,
    fait: Option<usize>,
}

async fn show_queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, AppError> {
    require_moderator(&staff)?;
    let queue = Queue::parse(q.file.as_deref().unwrap_or_default());
    let c = &state.catalogs;
    let site = state.site();
    let locale = site.locale;
    let items = state.stores.comments.moderation_queue(queue, 100).await?;
    let items = items
        .into_iter()
        .map(|item| ItemView {
            id: item.comment.id.0,
            article_id: item.comment.article_id.0,
            headline: item.headline,
            author: item
                .comment
                .author_name()
                .map_or_else(|| c.text(locale, "comments-deleted-account"), str::to_owned),
            reader_id: item.comment.author.as_ref().map(|a| a.reader.0),
            role: item
                .comment
                .author
                .as_ref()
                .and_then(|a| a.staff_role)
                .map(|r| c.text(locale, &format!("admin-role-{}", r.as_str()))),
            body_html: render_comment(&item.comment.body),
            status: item.comment.status.as_str(),
            featured: item.comment.featured,
            created: When::new(&site, item.comment.created_at, locale),
            reports: item.reports,
            queued_because: item.queued_because.map(|why| held_because(&state, &why)),
            reply_to: item.comment.reply_to.map(|(_, name)| name),
        })
        .collect();
    let title = c.text(locale, "admin-moderation-title");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/moderation");
    let page = QueuePage {
        ui_lang: layout.ui_lang,
        layout,
        queue: queue.as_str(),
        queues: [Queue::Pending, Queue::Reported, Queue::Recent]
            .into_iter()
            .map(|q| {
                (
                    q.as_str(),
                    c.text(locale, &format!("admin-moderation-queue-{}", q.as_str())),
                    q == queue,
                )
            })
            .collect(),
        items,
        pending: state.stores.comments.pending_count().await?,
        done: q.fait,
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/moderation.html", page)?,
    ))
}

/// A decision's form: `ids` (repeated), `action` (approve, reject, feature,
/// unfeature) or one item's own button `only` ("approve:12"), `reason`, `queue`.
struct DecideForm {
    queue: Option<String>,
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    require_moderator(&staff)?;
    // `ids` repeats: read the pairs by hand.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    staff.check_csrf(&field("csrf"))?;
    let only = field("only");
    let (action, ids): (String, Vec<CommentId>) = match only.split_once(':') {
        Some((action, id)) => (
            action.to_owned(),
            id.parse().map(|id| vec![CommentId(id)]).unwrap_or_default(),
        ),
        None => (
            field("action"),
            pairs
                .iter()
                .filter(|(k, _)| k == "ids")
                .filter_map(|(_, v)| v.parse().ok().map(CommentId))
                .collect(),
        ),
    };
    let form = DecideForm {
        queue: Some(field("queue")),
        reason: field("reason"),
    };
    let reason = form.reason.trim().to_owned();
    let decision = match action.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject(if reason.is_empty() {
            state
                .catalogs
                .text(state.site().locale, "admin-moderation-default-reason")
        } else {
            reason
        }),
        "feature" => Decision::Feature,
        "unfeature" => Decision::Unfeature,
        other => return Err(AppError::BadRequest(format!("unknown action {other:?}"))),
    };
    let changed = state
        .stores
        .comments
        .moderate_comments(&ids, &decision, staff.user.id, state.now())
        .await?;
    for (comment, before) in &changed {
        match &decision {
            Decision::Reject(reason) => {
                if let Some(author) = &comment.author
                    && let Ok(reader) = state.stores.readers.reader(author.reader).await
                    && let Some(email) = &reader.email
                {
                    let link = state
                        .site()
                        .absolute(&format!("/commentaires/{}", comment.article_id.0));
                    send_reader_mail(
                        &state,
                        email,
                        "rejected",
                        &reader.display_name,
                        Some(link),
                        &[
                            ("reason", reason.clone()),
                            ("comment", comment.body.chars().take(300).collect()),
                        ],
                    );
                }
            }
            Decision::Approve | Decision::Feature if *before == CommentStatus::Pending => {
                notify_reply(&state, comment).await;
            }
            _ => {}
        }
    }
    if !changed.is_empty() {
        // Logged-out views of threads are cached for a few seconds: drop them now.
        let mut threads: Vec<_> = changed.iter().map(|(c, _)| c.article_id).collect();
        threads.sort();
        threads.dedup();
        state.comments_changed(&threads);
    }
    let queue = Queue::parse(form.queue.as_deref().unwrap_or_default());
    Ok(see_other(&format!(
        "/admin/moderation?file={}&fait={}",
        queue.as_str(),
        changed.len()
    )))
}

#[derive(Serialize)]
struct ReaderView {
    id: i64,
    name: String,
    email: String,
    verified: bool,
    staff: bool,
    banned_reason: Option<String>,
    suspended_until: Option<When>,
    always_premoderate: bool,
    warnings: i64,
    created: When,
}

fn reader_view(state: &AppState, r: &kiosque_domain::comment::Reader) -> ReaderView {
    let site = state.site();
    ReaderView {
        id: r.id.0,
        name: r.display_name.clone(),
        email: r.email.clone().unwrap_or_default(),
        verified: r.verified,
        staff: r.staff.is_some(),
        banned_reason: r.banned_reason.clone(),
        suspended_until: r
            .suspended_until
            .filter(|u| *u > state.now())
            .map(|u| When::new(&site, u, site.locale)),
        always_premoderate: r.always_premoderate,
        warnings: r.warnings,
        created: When::new(&site, r.created_at, site.locale),
    }
}

#[derive(Debug, Deserialize)]
struct ReadersQuery {
    q: Option<String>,
}

#[derive(Serialize)]
struct ReadersPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    q: String,
    readers: Vec<ReaderView>,
}

async fn show_readers(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ReadersQuery>,
) -> Result<Response, AppError> {
    require_moderator(&staff)?;
    let query = q.q.unwrap_or_default();
    let readers = state.stores.readers.find_readers(&query, 100).await?;
    let title = state
        .catalogs
        .text(state.site().locale, "admin-moderation-readers");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/moderation");
    let page = ReadersPage {
        ui_lang: layout.ui_lang,
        layout,
        q: query,
        readers: readers.iter().map(|r| reader_view(&state, r)).collect(),
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/readers.html", page)?,
    ))
}

#[derive(Serialize)]
struct ReaderPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    reader: ReaderView,
    comments: Vec<ItemView>,
    error: Option<String>,
}

async fn show_reader(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    reader_page(&state, &staff, id, None).await
}

async fn reader_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    require_moderator(staff)?;
    let reader = state.stores.readers.reader(ReaderId(id)).await?;
    let site = state.site();
    let comments = state.stores.comments.reader_comments(reader.id, 50).await?;
    let comments = comments
        .into_iter()
        .map(|c| ItemView {
            id: c.id.0,
            article_id: c.article_id.0,
            headline: String::new(),
            author: reader.display_name.clone(),
            reader_id: Some(reader.id.0),
            role: None,
            body_html: render_comment(&c.body),
            status: c.status.as_str(),
            featured: c.featured,
            created: When::new(&site, c.created_at, site.locale),
            reports: Vec::new(),
            queued_because: None,
            reply_to: None,
        })
        .collect();
    let layout = AdminLayout::new(
        state,
        Some(staff),
        reader.display_name.clone(),
        "/admin/moderation",
    );
    let page = ReaderPage {
        ui_lang: layout.ui_lang,
        layout,
        reader: reader_view(state, &reader),
        comments,
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(admin_html(
        status,
        state.templates.render("admin/reader.html", page)?,
    ))
}

#[derive(Debug, Deserialize)]
struct ReaderForm {
    csrf: String,
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: String,
}

async fn act_on_reader(
    State(state): State<AppState>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ReaderForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    require_moderator(&staff)?;
    staff.check_csrf(&form.csrf)?;
    let reader = state.stores.readers.reader(ReaderId(id)).await?;
    let reason = form.reason.trim().to_owned();
    let locale = state.site().locale;
    let needs_reason = matches!(form.action.as_str(), "warn" | "suspend" | "ban");
    if needs_reason && reason.is_empty() {
        let error = state.catalogs.text(locale, "admin-moderation-error-reason");
        return reader_page(&state, &staff, id, Some(error)).await;
    }
    let action = match form.action.as_str() {
        "warn" => ReaderAction::Warn(reason.clone()),
        "suspend" => {
            let Some(days) = form
                .days
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=365).contains(d))
            else {
                let error = state.catalogs.text(locale, "admin-moderation-error-days");
                return reader_page(&state, &staff, id, Some(error)).await;
            };
            ReaderAction::Suspend {
                until: state.now() + Duration::days(days),
                reason: reason.clone(),
            }
        }
        "ban" => ReaderAction::Ban(reason.clone()),
        "premoderate" => ReaderAction::Premoderate(true),
        "postmoderate" => ReaderAction::Premoderate(false),
        "reinstate" => ReaderAction::Reinstate,
        other => return Err(AppError::BadRequest(format!("unknown action {other:?}"))),
    };
    state
        .stores
        .readers
        .moderate_reader(reader.id, &action, staff.user.id, state.now())
        .await?;
    if let Some(email) = &reader.email {
        let key = match &action {
            ReaderAction::Warn(_) => Some("warned"),
            ReaderAction::Suspend { .. } => Some("suspended"),
            ReaderAction::Ban(_) => Some("banned"),
            _ => None,
        };
        if let Some(key) = key {
            send_reader_mail(
                &state,
                email,
                key,
                &reader.display_name,
                None,
                &[("reason", reason)],
            );
        }
    }
    Ok(see_other(&format!("/admin/moderation/lecteurs/{id}")))
}

#[derive(Serialize)]
struct LogPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    entries: Vec<(kiosque_domain::comment::ModerationEntry, When)>,
}

async fn show_log(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    require_moderator(&staff)?;
    let site = state.site();
    let entries = state.stores.comments.moderation_log(300).await?;
    let title = state.catalogs.text(site.locale, "admin-moderation-log");
    let layout = AdminLayout::new(&state, Some(&staff), title, "/admin/moderation");
    let page = LogPage {
        ui_lang: layout.ui_lang,
        layout,
        entries: entries
            .into_iter()
            .map(|e| {
                let when = When::new(&site, e.created_at, site.locale);
                (e, when)
            })
            .collect(),
    };
    Ok(admin_html(
        StatusCode::OK,
        state.templates.render("admin/moderation_log.html", page)?,
    ))
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct RulesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    close_after_days: String,
    #[serde(default)]
    premoderate_all: Option<String>,
    #[serde(default)]
    premoderate_first: String,
    #[serde(default)]
    premoderate_links: Option<String>,
    #[serde(default)]
    banned_words: String,
    #[serde(default)]
    suspect_words: String,
    #[serde(default)]
    premoderated_sections: String,
    #[serde(default)]
    premoderated_articles: String,
    #[serde(default)]
    on_account_deletion: String,
}

fn words(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn ids(text: &str) -> Result<Vec<i64>, String> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().map_err(|_| s.to_owned()))
        .collect()
}

fn rules_form(policy: &Policy) -> RulesForm {
    let join = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    RulesForm {
        csrf: String::new(),
        close_after_days: policy
            .close_after_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        premoderate_all: policy.premoderate_all.then(|| "on".into()),
        premoderate_first: policy.premoderate_first.to_string(),
        premoderate_links: policy.premoderate_links.then(|| "on".into()),
        banned_words: policy.banned_words.join(", "),
        suspect_words: policy.suspect_words.join(", "),
        premoderated_sections: join(&policy.premoderated_sections),
        premoderated_articles: join(&policy.premoderated_articles),
        on_account_deletion: match policy.on_account_deletion {
            DeletionPolicy::Anonymise => "anonymise".into(),
            DeletionPolicy::Remove => "remove".into(),
        },
    }
}

#[derive(Serialize)]
struct RulesPage {
    layout: AdminLayout,
    ui_lang: &'static str,
    form: RulesForm,
    errors: Vec<String>,
    saved: bool,
    sections: Vec<(i64, String)>,
}

#[derive(Debug, Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn rules_page(
    state: &AppState,
    staff: &Staff,
    form: RulesForm,
    errors: Vec<String>,
    saved: bool,
) -> Result<Response, AppError> {
    let title = state
        .catalogs
        .text(state.site().locale, "admin-moderation-rules");
    let layout = AdminLayout::new(state, Some(staff), title, "/admin/moderation");
    let sections = state
        .stores
        .taxonomy
        .sections()
        .await?
        .into_iter()
        .map(|s| (s.id.0, s.path))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = RulesPage {
        ui_lang: layout.ui_lang,
        layout,
        form,
        errors,
        saved,
        sections,
    };
    Ok(admin_html(
        status,
        state
            .templates
            .render("admin/moderation_rules.html", page)?,
    ))
}

async fn show_rules(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    require_moderator(&staff)?;
    let form = rules_form(&policy(&state).await?);
    rules_page(&state, &staff, form, Vec::new(), q.saved.is_some()).await
}

async fn save_rules(
    State(state): State<AppState>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<RulesForm>,
) -> Result<Response, AppError> {
    check_same_origin(&state, &headers)?;
    require_moderator(&staff)?;
    staff.check_csrf(&form.csrf)?;
    let c = &state.catalogs;
    let locale = state.site().locale;
    let mut errors = Vec::new();
    let close_after_days = match form.close_after_days.trim() {
        "" | "0" => None,
        days => match days.parse::<u32>() {
            Ok(d) if d <= 3650 => Some(d),
            _ => {
                errors.push(c.text(locale, "admin-moderation-error-close"));
                None
            }
        },
    };
    let premoderate_first = match form.premoderate_first.trim() {
        "" => 0,
        n => n.parse::<u32>().unwrap_or_else(|_| {
            errors.push(c.text(locale, "admin-moderation-error-first"));
            0
        }),
    };
    let sections = ids(&form.premoderated_sections).unwrap_or_else(|bad| {
        errors.push(c.message(
            locale,
            "admin-moderation-error-ids",
            &[("value", bad.into())],
        ));
        Vec::new()
    });
    let articles = ids(&form.premoderated_articles).unwrap_or_else(|bad| {
        errors.push(c.message(
            locale,
            "admin-moderation-error-ids",
            &[("value", bad.into())],
        ));
        Vec::new()
    });
    if !errors.is_empty() {
        return rules_page(&state, &staff, form, errors, false).await;
    }
    let policy = Policy {
        close_after_days,
        premoderate_all: form.premoderate_all.is_some(),
        premoderate_first,
        premoderate_links: form.premoderate_links.is_some(),
        banned_words: words(&form.banned_words),
        suspect_words: words(&form.suspect_words),
        premoderated_sections: sections,
        premoderated_articles: articles,
        on_account_deletion: if form.on_account_deletion == "remove" {
            DeletionPolicy::Remove
        } else {
            DeletionPolicy::Anonymise
        },
    };
    save_policy(&state, &policy).await?;
    state
        .stores
        .accounts
        .audit(
            Some(staff.user.id),
            "comments.rules",
            "site",
            &serde_json::to_string(&policy).unwrap_or_default(),
            state.now(),
        )
        .await?;
    Ok(see_other("/admin/moderation/regles?saved=1"))
}
