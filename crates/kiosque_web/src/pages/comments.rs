//! The comments of an article: their own page (`/commentaires/{id}`) and the same
//! thread as an HTML fragment (`?fragment=1`), which the article page loads in place
//! with a few lines of script. The article's HTML never depends on comments or on the
//! reader, so it stays in the page cache. The thread a logged-in reader sees is theirs
//! alone (`Cache-Control: private, no-store`); the logged-out view is the same for
//! everyone and may be kept ten seconds by the page cache and a CDN (`Vary: Cookie`).
//!
//! Forms work without script: each post answers with a redirect to the thread (or the
//! thread again, with the error and the reader's text kept). With script, the same
//! forms are posted in the background and the answer is the fragment.

use crate::community::{Commenter, commenter, ip_key, notify_reply, policy};
use crate::error::AppError;
use crate::pages::accounts::{LOGIN_PATH, SIGNUP_PATH};
use crate::state::AppState;
use crate::views::{Layout, When};
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Duration;
use kiosque_domain::comment::{
    Barred, Closed, Comment, CommentId, CommentStatus, MAX_COMMENT_CHARS, NewComment, PAGE_SIZE,
    PostContext, Sort, Verdict, attach_reply, body_fingerprint, clean_body, render_comment,
};
use kiosque_domain::{Article, ArticleId};
use serde::{Deserialize, Serialize};

/// Posts allowed per account, and per address, in a minute and an hour.
const POSTS_PER_MINUTE: usize = 5;
const POSTS_PER_HOUR: usize = 60;
const POSTS_PER_IP_MINUTE: usize = 20;
/// Likes and reports per account per minute.
const ACTIONS_PER_MINUTE: usize = 30;
/// The same text twice within this long is a repeated post.
const REPEAT_WINDOW: Duration = Duration::hours(24);

/// How long shared caches may keep the logged-out view of a thread.
const ANONYMOUS_CACHE: &str = "public, max-age=0, s-maxage=10";

pub const REPORT_REASONS: [&str; 5] = ["spam", "abuse", "hate", "off-topic", "other"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/commentaires/{article}",
            get(show_thread).post(post_comment),
        )
        .route(
            "/commentaires/{article}/{comment}/modifier",
            post(edit_comment),
        )
        .route(
            "/commentaires/{article}/{comment}/supprimer",
            post(delete_comment),
        )
        .route(
            "/commentaires/{article}/{comment}/aimer",
            post(like_comment),
        )
        .route(
            "/commentaires/{article}/{comment}/signaler",
            post(report_comment),
        )
}

pub fn thread_path(article: ArticleId) -> String {
    format!("/commentaires/{}", article.0)
}

/// Whether the answer is the fragment (script) or the whole page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Page,
    Fragment,
}

struct Request {
    mode: Mode,
    /// The URL alone says which answer it gets: no fragment header, or one with
    /// `?fragment=1`. Only then may a cache keep the answer under that URL.
    url_says_mode: bool,
    ip: String,
    headers: HeaderMap,
}

impl FromRequestParts<AppState> for Request {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let by_header = parts.headers.contains_key("x-kiosque-fragment");
        let by_query = parts
            .uri
            .query()
            .is_some_and(|q| q.split('&').any(|p| p == "fragment=1"));
        Ok(Request {
            mode: if by_header || by_query {
                Mode::Fragment
            } else {
                Mode::Page
            },
            url_says_mode: by_query || !by_header,
            ip: ip_key(state, parts),
            headers: parts.headers.clone(),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
struct ThreadQuery {
    tri: Option<String>,
    page: Option<u32>,
    /// Every reply under one top-level comment.
    reponses: Option<i64>,
    /// What the last action did (pending, deleted, reported), after a redirect.
    avis: Option<String>,
}

#[derive(Serialize)]
struct CommentView {
    id: i64,
    author: String,
    /// "Journaliste", "Modérateur"…: staff are shown with their role.
    role: Option<String>,
    deleted_author: bool,
    reply_to: Option<String>,
    reply_to_id: Option<i64>,
    body_html: String,
    created: When,
    edited: bool,
    featured: bool,
    likes: i64,
    liked: bool,
    mine: bool,
    editable: bool,
    body: String,
    pending: bool,
    replies: Vec<CommentView>,
    more_replies: i64,
}

#[derive(Serialize)]
struct Draft {
    parent: Option<i64>,
    body: String,
    error: Option<String>,
}

#[derive(Serialize)]
struct ThreadView {
    article_id: i64,
    headline: String,
    article_href: String,
    action: String,
    total: i64,
    sort: &'static str,
    sorts: Vec<(&'static str, String, bool)>,
    featured: Vec<CommentView>,
    comments: Vec<CommentView>,
    pending: Vec<CommentView>,
    more_href: Option<String>,
    reader: Option<String>,
    csrf: String,
    closed: Option<&'static str>,
    barred: Option<String>,
    unverified: bool,
    login_href: String,
    signup_href: String,
    notice: Option<String>,
    draft: Draft,
    max_chars: usize,
    report_reasons: Vec<(&'static str, String)>,
    retour: String,
    site_name: String,
    /// The site's moderation charter, when a footer page is one.
    charter_href: Option<String>,
}

#[derive(Serialize)]
struct ThreadPageView {
    layout: Layout,
    ui_lang: &'static str,
    thread: ThreadView,
    comments_js: String,
}

/// The public article behind a thread; 404 otherwise.
async fn public_article(state: &AppState, id: i64) -> Result<Article, AppError> {
    let article = state.stores.articles.article(ArticleId(id)).await?;
    if !article.is_public_at(state.now()) {
        return Err(AppError::NotFound);
    }
    Ok(article)
}

fn role_name(state: &AppState, comment: &Comment) -> Option<String> {
    let role = comment.author.as_ref()?.staff_role?;
    Some(state.catalogs.text(
        state.site().locale,
        &format!("admin-role-{}", role.as_str()),
    ))
}

/// The footer page that is the moderation charter (its address says so), linked
/// from the comment form.
async fn charter_href(state: &AppState) -> Option<String> {
    state.section_tree().await.ok()?;
    state
        .caches
        .footer
        .get()?
        .pages
        .iter()
        .find(|l| l.href.contains("moderation"))
        .map(|l| l.href.clone())
}

fn view(state: &AppState, c: &Comment, me: Option<&Commenter>, liked: &[CommentId]) -> CommentView {
    let site = state.site();
    let now = state.now();
    let reader = me.map(|m| m.reader.id);
    CommentView {
        id: c.id.0,
        author: c.author_name().map_or_else(
            || state.catalogs.text(site.locale, "comments-deleted-account"),
            str::to_owned,
        ),
        role: role_name(state, c),
        deleted_author: c.author_name().is_none(),
        reply_to: c.reply_to.as_ref().map(|(_, name)| name.clone()),
        reply_to_id: c.reply_to.as_ref().map(|(id, _)| id.0),
        body_html: render_comment(&c.body),
        created: When::new(&site, c.created_at, site.locale),
        edited: c.edited_at.is_some(),
        featured: c.featured,
        likes: c.like_count,
        liked: liked.contains(&c.id),
        mine: reader.is_some_and(|r| c.is_by(r)),
        editable: reader.is_some_and(|r| c.editable_by(r, now)),
        body: c.body.clone(),
        pending: c.status == CommentStatus::Pending,
        replies: Vec::new(),
        more_replies: 0,
    }
}

struct Outcome {
    notice: Option<String>,
    draft: Draft,
    status: StatusCode,
}

impl Outcome {
    fn ok() -> Self {
        Outcome {
            notice: None,
            draft: Draft {
                parent: None,
                body: String::new(),
                error: None,
            },
            status: StatusCode::OK,
        }
    }
}

async fn render_thread(
    state: &AppState,
    article: &Article,
    me: Option<&Commenter>,
    query: &ThreadQuery,
    mode: Mode,
    outcome: Outcome,
) -> Result<Response, AppError> {
    let c = &state.catalogs;
    let site = state.site();
    let locale = site.locale;
    let sort = Sort::parse(query.tri.as_deref().unwrap_or_default());
    let page_no = query.page.unwrap_or(0).min(10_000);
    let store = &state.stores.comments;
    let thread = store.thread(article.id, sort, page_no).await?;
    let roots = thread.roots.clone();
    let mut replies = thread.replies.clone();
    let mut reply_counts = thread.reply_counts.clone();
    if let Some(root) = query.reponses {
        let all = store.replies(CommentId(root)).await?;
        replies.retain(|r| r.parent_id != Some(CommentId(root)));
        reply_counts.retain(|(p, _)| *p != CommentId(root));
        reply_counts.push((CommentId(root), all.len() as i64));
        replies.extend(all);
    }
    let featured = if page_no == 0 {
        store.featured(article.id).await?
    } else {
        Vec::new()
    };
    let pending = match me {
        Some(me) => store.pending_for(article.id, me.reader.id).await?,
        None => Vec::new(),
    };
    let liked = match me {
        Some(me) => {
            let ids: Vec<CommentId> = roots
                .iter()
                .chain(&replies)
                .chain(&featured)
                .map(|c| c.id)
                .collect();
            store.liked_by(me.reader.id, &ids).await?
        }
        None => Vec::new(),
    };
    let comments = roots
        .iter()
        .map(|root| {
            let mut v = view(state, root, me, &liked);
            v.replies = replies
                .iter()
                .filter(|r| r.parent_id == Some(root.id))
                .map(|r| view(state, r, me, &liked))
                .collect();
            let total = reply_counts
                .iter()
                .find(|(p, _)| *p == root.id)
                .map_or(0, |(_, n)| *n);
            v.more_replies = (total - v.replies.len() as i64).max(0);
            v
        })
        .collect();
    let policy = policy(state).await?;
    let closed = policy
        .closed(article.comments_open, article.published_at, state.now())
        .map(|why| match why {
            Closed::ByEditor => "comments-closed-editor",
            Closed::Expired => "comments-closed-expired",
        });
    let barred = me
        .and_then(|m| m.reader.barred(state.now()))
        .and_then(|b| match b {
            Barred::Banned(_) => Some(c.text(locale, "comments-barred-banned")),
            Barred::Suspended(until) => Some(c.message(
                locale,
                "comments-barred-suspended",
                &[("until", When::new(&site, until, locale).text.into())],
            )),
            Barred::Unverified => None,
        });
    let unverified =
        me.is_some_and(|m| matches!(m.reader.barred(state.now()), Some(Barred::Unverified)));
    let path = thread_path(article.id);
    let sort_href = |s: Sort| {
        if s == Sort::Newest {
            path.clone()
        } else {
            format!("{path}?tri={}", s.as_str())
        }
    };
    let more_href = (i64::from(page_no + 1) * i64::from(PAGE_SIZE) < thread.roots_total)
        .then(|| format!("{path}?tri={}&page={}", sort.as_str(), page_no + 1));
    let retour = format!("{path}#commentaires");
    let shareable = me.is_none() && outcome.status == StatusCode::OK && outcome.notice.is_none();
    let login_query = format!("?retour={}", crate::error::percent_encode(&retour));
    let view = ThreadView {
        article_id: article.id.0,
        headline: article.headline.clone(),
        article_href: kiosque_domain::url::article_path(
            &article.section.path,
            &article.slug,
            article.id,
        ),
        action: path.clone(),
        total: thread.total,
        sort: sort.as_str(),
        sorts: [Sort::Newest, Sort::Oldest, Sort::Liked]
            .into_iter()
            .map(|s| (s.as_str(), sort_href(s), s == sort))
            .collect(),
        featured: featured
            .iter()
            .map(|f| view(state, f, me, &liked))
            .collect(),
        comments,
        pending: pending.iter().map(|p| view(state, p, me, &liked)).collect(),
        more_href,
        reader: me.map(|m| m.reader.display_name.clone()),
        csrf: me.map(|m| m.csrf.clone()).unwrap_or_default(),
        closed,
        barred,
        unverified,
        login_href: format!("{LOGIN_PATH}{login_query}"),
        signup_href: format!("{SIGNUP_PATH}{login_query}"),
        notice: outcome.notice,
        draft: outcome.draft,
        max_chars: MAX_COMMENT_CHARS,
        report_reasons: REPORT_REASONS
            .iter()
            .map(|r| (*r, c.text(locale, &format!("comments-report-{r}"))))
            .collect(),
        retour,
        site_name: site.name.clone(),
        charter_href: charter_href(state).await,
    };
    let html = match mode {
        Mode::Fragment => state.templates.render(
            "comments_fragment.html",
            serde_json::json!({ "thread": view, "ui_lang": locale.code() }),
        )?,
        Mode::Page => {
            let tree = state.section_tree().await?;
            let title = c.message(
                locale,
                "comments-page-title",
                &[("headline", article.headline.clone().into())],
            );
            let mut layout = Layout::new(state, &tree, title, None);
            layout.robots = Some("noindex");
            state.templates.render(
                "comments.html",
                ThreadPageView {
                    ui_lang: layout.ui_lang,
                    layout,
                    thread: view,
                    comments_js: crate::assets::comments_js_href(),
                },
            )?
        }
    };
    let mut response = (outcome.status, Html(html)).into_response();
    let headers = response.headers_mut();
    if shareable {
        // Every logged-out reader gets the same thread: the page cache (which only
        // answers requests without cookies) and a CDN may keep it a few seconds, so
        // a busy article's readers do not each cost a database read.
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(ANONYMOUS_CACHE),
        );
        headers.insert(header::VARY, HeaderValue::from_static("cookie"));
        if let Ok(keys) = HeaderValue::from_str(&kiosque_domain::surrogate::header([
            kiosque_domain::surrogate::comments(article.id),
            kiosque_domain::surrogate::COMMENTS.to_owned(),
        ])) {
            headers.insert("surrogate-key", keys);
        }
    } else {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}

async fn show_thread(
    State(state): State<AppState>,
    Path(article): Path<i64>,
    Query(query): Query<ThreadQuery>,
    request: Request,
) -> Result<Response, AppError> {
    let article = public_article(&state, article).await?;
    let me = commenter(&state, &request.headers).await?;
    let mut outcome = Outcome::ok();
    outcome.notice = query
        .avis
        .as_deref()
        .filter(|a| matches!(*a, "pending" | "deleted" | "reported"))
        .map(|a| {
            state
                .catalogs
                .text(state.site().locale, &format!("comments-notice-{a}"))
        });
    let mut response =
        render_thread(&state, &article, me.as_ref(), &query, request.mode, outcome).await?;
    if !request.url_says_mode {
        // A fragment asked for by header at the page's URL: kept by no cache, or the
        // next reader of that URL would get a bare fragment.
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        headers.remove("surrogate-key");
    }
    Ok(response)
}

/// After a successful post: the thread again (script) or a redirect to it.
async fn done(
    state: &AppState,
    article: &Article,
    me: &Commenter,
    request: &Request,
    anchor: Option<CommentId>,
    notice_key: Option<&str>,
) -> Result<Response, AppError> {
    match request.mode {
        Mode::Fragment => {
            let mut outcome = Outcome::ok();
            outcome.notice = notice_key.map(|k| state.catalogs.text(state.site().locale, k));
            render_thread(
                state,
                article,
                Some(me),
                &ThreadQuery::default(),
                Mode::Fragment,
                outcome,
            )
            .await
        }
        Mode::Page => {
            let mut target = thread_path(article.id);
            if let Some(key) = notice_key.and_then(|k| k.strip_prefix("comments-notice-")) {
                target.push_str(&format!("?avis={key}"));
            }
            target.push_str(
                &anchor.map_or_else(|| "#commentaires".to_owned(), |id| format!("#c{id}")),
            );
            Ok(crate::http::see_other(&target))
        }
    }
}

/// A refused post: the thread again with the reason and the reader's text.
async fn refuse(
    state: &AppState,
    article: &Article,
    me: Option<&Commenter>,
    request: &Request,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, AppError> {
    let outcome = Outcome {
        notice: None,
        draft,
        status,
    };
    render_thread(
        state,
        article,
        me,
        &ThreadQuery::default(),
        request.mode,
        outcome,
    )
    .await
}

/// The logged-in commenter for a post, checked for origin and CSRF.
async fn poster(
    state: &AppState,
    request: &Request,
    csrf: &str,
    article: ArticleId,
) -> Result<Result<Commenter, Response>, AppError> {
    crate::http::check_same_origin(state, &request.headers)?;
    let Some(me) = commenter(state, &request.headers).await? else {
        let retour = format!("{}#commentaires", thread_path(article));
        return Ok(Err(crate::http::see_other(&format!(
            "{LOGIN_PATH}?retour={}",
            crate::error::percent_encode(&retour)
        ))));
    };
    me.check_csrf(csrf)?;
    Ok(Ok(me))
}

#[derive(Debug, Deserialize)]
struct PostForm {
    csrf: String,
    body: String,
    parent: Option<i64>,
}

async fn post_comment(
    State(state): State<AppState>,
    Path(article_id): Path<i64>,
    request: Request,
    axum::Form(form): axum::Form<PostForm>,
) -> Result<Response, AppError> {
    let article = public_article(&state, article_id).await?;
    let me = match poster(&state, &request, &form.csrf, article.id).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    let c = &state.catalogs;
    let locale = state.site().locale;
    let now = state.now();
    let draft = |key: &str| Draft {
        parent: form.parent,
        body: form.body.clone(),
        error: Some(c.text(locale, key)),
    };
    let policy = policy(&state).await?;
    if policy
        .closed(article.comments_open, article.published_at, now)
        .is_some()
    {
        return refuse(
            &state,
            &article,
            Some(&me),
            &request,
            draft("comments-error-closed"),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    match me.reader.barred(now) {
        Some(Barred::Banned(_)) => {
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft("comments-barred-banned"),
                StatusCode::FORBIDDEN,
            )
            .await;
        }
        Some(Barred::Suspended(_)) => {
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft("comments-error-suspended"),
                StatusCode::FORBIDDEN,
            )
            .await;
        }
        Some(Barred::Unverified) => {
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft("comments-error-unverified"),
                StatusCode::FORBIDDEN,
            )
            .await;
        }
        None => {}
    }
    let account = me.reader.id;
    let limits = [
        (
            format!("post-min:{account}"),
            POSTS_PER_MINUTE,
            Duration::minutes(1),
        ),
        (
            format!("post-hour:{account}"),
            POSTS_PER_HOUR,
            Duration::hours(1),
        ),
        (
            format!("post-ip:{}", request.ip),
            POSTS_PER_IP_MINUTE,
            Duration::minutes(1),
        ),
    ];
    let limits: Vec<(&str, usize, Duration)> = limits
        .iter()
        .map(|(key, limit, window)| (key.as_str(), *limit, *window))
        .collect();
    if !state.throttle.allow_all(&limits, now).await {
        return refuse(
            &state,
            &article,
            Some(&me),
            &request,
            draft("comments-error-throttled"),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let body = match clean_body(&form.body) {
        Ok(body) => body,
        Err(kiosque_domain::comment::BodyError::Empty) => {
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft("comments-error-empty"),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(kiosque_domain::comment::BodyError::TooLong) => {
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft("comments-error-long"),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (parent_id, reply_to) = match form.parent {
        None => (None, None),
        Some(parent) => {
            let target = state.stores.comments.comment(CommentId(parent)).await?;
            if target.article_id != article.id || target.status != CommentStatus::Approved {
                return Err(AppError::NotFound);
            }
            let (root, reply_to) = attach_reply(&target);
            (Some(root), reply_to)
        }
    };
    let (approved_before, repeated) = state
        .stores
        .comments
        .author_history(account, &body_fingerprint(&body), now - REPEAT_WINDOW)
        .await?;
    let context = PostContext {
        article_id: article.id,
        section_id: Some(article.section.id.0),
        is_staff: me.reader.staff.is_some(),
        always_premoderate: me.reader.always_premoderate,
        approved_before,
        repeated,
    };
    let (status, queued_because) = match policy.judge(&context, &body) {
        Verdict::Publish => (CommentStatus::Approved, None),
        Verdict::Queue(why) => (CommentStatus::Pending, Some(why)),
        Verdict::Reject(why) => {
            let key = if why.starts_with("repeated") {
                "comments-error-repeated"
            } else {
                "comments-error-banned-word"
            };
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft(key),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let new = NewComment {
        article_id: article.id,
        reader_id: account,
        parent_id,
        reply_to,
        body,
        status,
        queued_because,
    };
    let comment = match state.stores.comments.post_comment(&new, now).await {
        Ok(comment) => comment,
        // The disk is full or read-only: the reader gets the text back with the reason.
        Err(kiosque_domain::StoreError::Unavailable(_)) => {
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft("comments-error-storage"),
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    if comment.status == CommentStatus::Approved {
        notify_reply(&state, &comment).await;
    }
    let notice = (comment.status == CommentStatus::Pending).then_some("comments-notice-pending");
    done(&state, &article, &me, &request, Some(comment.id), notice).await
}

#[derive(Debug, Deserialize)]
struct EditForm {
    csrf: String,
    body: String,
}

/// A comment of this article, by this reader.
async fn own_comment(
    state: &AppState,
    article: &Article,
    me: &Commenter,
    id: i64,
) -> Result<Comment, AppError> {
    let comment = state.stores.comments.comment(CommentId(id)).await?;
    if comment.article_id != article.id {
        return Err(AppError::NotFound);
    }
    if !comment.is_by(me.reader.id) {
        return Err(AppError::Forbidden("not the author".into()));
    }
    Ok(comment)
}

async fn edit_comment(
    State(state): State<AppState>,
    Path((article_id, id)): Path<(i64, i64)>,
    request: Request,
    axum::Form(form): axum::Form<EditForm>,
) -> Result<Response, AppError> {
    let article = public_article(&state, article_id).await?;
    let me = match poster(&state, &request, &form.csrf, article.id).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    let comment = own_comment(&state, &article, &me, id).await?;
    let now = state.now();
    let locale = state.site().locale;
    let draft = |key: &str| Draft {
        parent: None,
        body: form.body.clone(),
        error: Some(state.catalogs.text(locale, key)),
    };
    if let Err(barred) = kiosque_app::community::may_take_part(&me.reader, now) {
        let key = match barred {
            Barred::Banned(_) => "comments-barred-banned",
            _ => "comments-error-suspended",
        };
        return refuse(
            &state,
            &article,
            Some(&me),
            &request,
            draft(key),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    if !comment.editable_by(me.reader.id, now) {
        return refuse(
            &state,
            &article,
            Some(&me),
            &request,
            draft("comments-error-edit-late"),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let Ok(body) = clean_body(&form.body) else {
        return refuse(
            &state,
            &article,
            Some(&me),
            &request,
            draft("comments-error-empty"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    // An edit is judged again: a link or a suspect word added later is queued too.
    let policy = policy(&state).await?;
    let context = PostContext {
        article_id: article.id,
        section_id: Some(article.section.id.0),
        is_staff: me.reader.staff.is_some(),
        always_premoderate: me.reader.always_premoderate,
        approved_before: i64::MAX,
        repeated: false,
    };
    let status = match policy.judge(&context, &body) {
        Verdict::Publish => comment.status,
        Verdict::Queue(_) => CommentStatus::Pending,
        Verdict::Reject(_) => {
            return refuse(
                &state,
                &article,
                Some(&me),
                &request,
                draft("comments-error-banned-word"),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    state
        .stores
        .comments
        .edit_comment(comment.id, &body, status, now)
        .await?;
    let notice = (status == CommentStatus::Pending && comment.status != CommentStatus::Pending)
        .then_some("comments-notice-pending");
    done(&state, &article, &me, &request, Some(comment.id), notice).await
}

#[derive(Debug, Deserialize)]
struct ActionForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn delete_comment(
    State(state): State<AppState>,
    Path((article_id, id)): Path<(i64, i64)>,
    request: Request,
    axum::Form(form): axum::Form<ActionForm>,
) -> Result<Response, AppError> {
    let article = public_article(&state, article_id).await?;
    let me = match poster(&state, &request, &form.csrf, article.id).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    let comment = own_comment(&state, &article, &me, id).await?;
    state.stores.comments.delete_comment(comment.id).await?;
    done(
        &state,
        &article,
        &me,
        &request,
        None,
        Some("comments-notice-deleted"),
    )
    .await
}

/// The published comment of this article a like or a report is about, within the
/// reader's rate limit for such actions.
async fn action_target(
    state: &AppState,
    article: &Article,
    me: &Commenter,
    id: i64,
) -> Result<Comment, AppError> {
    if kiosque_app::community::may_take_part(&me.reader, state.now()).is_err() {
        return Err(AppError::Forbidden(
            "a banned or suspended reader neither likes nor reports".into(),
        ));
    }
    if !state
        .throttle
        .allow(
            &format!("act:{}", me.reader.id),
            ACTIONS_PER_MINUTE,
            Duration::minutes(1),
            state.now(),
        )
        .await
    {
        return Err(AppError::TooMany);
    }
    let comment = state.stores.comments.comment(CommentId(id)).await?;
    if comment.article_id != article.id || comment.status != CommentStatus::Approved {
        return Err(AppError::NotFound);
    }
    Ok(comment)
}

async fn like_comment(
    State(state): State<AppState>,
    Path((article_id, id)): Path<(i64, i64)>,
    request: Request,
    axum::Form(form): axum::Form<ActionForm>,
) -> Result<Response, AppError> {
    let article = public_article(&state, article_id).await?;
    let me = match poster(&state, &request, &form.csrf, article.id).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    let comment = action_target(&state, &article, &me, id).await?;
    state
        .stores
        .comments
        .toggle_like(comment.id, me.reader.id)
        .await?;
    done(&state, &article, &me, &request, Some(comment.id), None).await
}

async fn report_comment(
    State(state): State<AppState>,
    Path((article_id, id)): Path<(i64, i64)>,
    request: Request,
    axum::Form(form): axum::Form<ActionForm>,
) -> Result<Response, AppError> {
    let article = public_article(&state, article_id).await?;
    let me = match poster(&state, &request, &form.csrf, article.id).await? {
        Ok(me) => me,
        Err(redirect) => return Ok(redirect),
    };
    if !REPORT_REASONS.contains(&form.reason.as_str()) {
        return Err(AppError::BadRequest(format!(
            "unknown report reason {:?}",
            form.reason
        )));
    }
    let comment = action_target(&state, &article, &me, id).await?;
    state
        .stores
        .comments
        .report_comment(comment.id, me.reader.id, &form.reason, state.now())
        .await?;
    kiosque_app::webhooks::comment_reported(&state, comment.id.0, &article, &form.reason).await;
    done(
        &state,
        &article,
        &me,
        &request,
        Some(comment.id),
        Some("comments-notice-reported"),
    )
    .await
}
