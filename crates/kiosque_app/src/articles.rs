//! The article use cases: create, edit (with its kind: minor, update, correction),
//! submit for review, publish now or at a past time, schedule, unpublish, list and
//! read, and the worker's publication of what came due. Each asks [`crate::policy`]
//! first, writes what it creates on the way in the article's own transaction, writes
//! the audit log and announces public changes. The back office, the API, the worker
//! and the command line all call these; none of them decides a rule itself.

use crate::app::App;
use crate::error::{Error, FieldError, Result};
use crate::policy::{self, Actor};
use crate::wire::release_hold;
use chrono::{DateTime, Utc};
use kiosque_domain::article::{ArticleStatus, Edit, EditKind, RevisionKind};
use kiosque_domain::lifecycle::{self, Creations};
use kiosque_domain::store::{AdminQuery, AdminSummary};
use kiosque_domain::{
    Article, ArticleId, ContributorId, ContributorKind, NewArticle, NewContributor, NewSection,
    SectionId, SectionTree, Slug, StoreError,
};

/// Largest Markdown body an article may have: a long read is 100 kB; anything much
/// bigger is a paste gone wrong, and rendering it would hold a core.
pub const MAX_BODY_BYTES: usize = 500 * 1024;

/// Renders a Markdown body as readers will see it (previews, the wire desk), on a
/// blocking thread: Markdown is CPU work and must not hold an async worker.
pub async fn render(markdown: &str) -> Result<kiosque_domain::body::RenderedBody> {
    let markdown = markdown.to_owned();
    tokio::task::spawn_blocking(move || kiosque_domain::body::render_body(&markdown))
        .await
        .map_err(|e| Error::Internal(format!("rendering a body: {e}")))
}

/// What an action names that may not exist yet: a section path (`monde/europe`) and
/// contributors by name, resolved by [`resolve`].
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub section_path: Option<String>,
    pub contributors: Option<Vec<String>>,
}

/// Turns a section path and contributor names into ids, and what is missing into
/// [`Creations`] (editors only: a journalist naming an unknown section or person is
/// refused, as the back office's taxonomy pages refuse them).
pub async fn resolve(
    app: &App,
    actor: &Actor,
    names: &Names,
    content: &mut NewArticle,
) -> Result<Creations> {
    let mut creations = Creations::default();
    if let Some(path) = &names.section_path {
        let tree = SectionTree::new(app.stores.taxonomy.sections().await?);
        let mut parent: Option<SectionId> = None;
        let mut so_far = String::new();
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        if segments.is_empty() {
            return Err(Error::invalid(
                "section",
                "admin-error-section",
                "a section path such as `monde/europe` is required",
            ));
        }
        for segment in segments {
            let slug = Slug::parse(segment)
                .map_err(|e| Error::invalid("section", "admin-error-section", e.to_string()))?;
            if !so_far.is_empty() {
                so_far.push('/');
            }
            so_far.push_str(segment);
            match (tree.by_path(&so_far), creations.sections.is_empty()) {
                (Some(existing), true) => parent = Some(existing.id),
                _ => {
                    let mut name: Vec<char> = segment.replace('-', " ").chars().collect();
                    if let Some(first) = name.first_mut() {
                        *first = first.to_uppercase().next().unwrap_or(*first);
                    }
                    creations.sections.push(NewSection {
                        parent_id: if creations.sections.is_empty() {
                            parent
                        } else {
                            None
                        },
                        slug,
                        name: name.into_iter().collect(),
                        description: String::new(),
                        position: 100,
                    });
                }
            }
        }
        if let Some(id) = parent.filter(|_| creations.sections.is_empty()) {
            content.section_id = id;
        }
    }
    if let Some(names) = &names.contributors {
        let existing = app.stores.people.contributors().await?;
        let mut ids: Vec<ContributorId> = Vec::new();
        let mut new: Vec<(usize, NewContributor)> = Vec::new();
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            let place = ids.len() + new.len();
            match existing.iter().find(|c| c.name.eq_ignore_ascii_case(name)) {
                Some(c) if ids.contains(&c.id) => {}
                Some(c) => ids.push(c.id),
                None if new.iter().any(|(_, n)| n.name.eq_ignore_ascii_case(name)) => {}
                None => {
                    let slug = Slug::from_text(name).ok_or_else(|| {
                        Error::invalid(
                            "contributors",
                            &format!("admin-error-contributor|{name}"),
                            format!("no slug can be made from {name:?}"),
                        )
                    })?;
                    new.push((
                        place,
                        NewContributor {
                            kind: ContributorKind::Person,
                            name: name.to_owned(),
                            slug,
                            bio: String::new(),
                        },
                    ));
                }
            }
        }
        content.contributors = ids;
        creations.contributors = new;
    }
    if !creations.is_empty() {
        policy::manage_taxonomy(actor)?;
    }
    Ok(creations)
}

/// Checks what content refers to and what only the application knows: the lead
/// picture exists and has its alt text, the original of a translation exists, the
/// body is not beyond [`MAX_BODY_BYTES`], the headline makes a slug.
pub async fn check_content(app: &App, content: &NewArticle) -> Result<()> {
    let mut errors = Vec::new();
    if content.headline.trim().is_empty() {
        errors.push(FieldError::new(
            "headline",
            "admin-error-headline",
            "the headline is required",
        ));
    } else if Slug::from_text(&content.headline).is_none() && content.slug.is_none() {
        errors.push(FieldError::new(
            "headline",
            "admin-error-headline-slug",
            "the headline needs at least one letter or digit",
        ));
    }
    if content.body_markdown.len() > MAX_BODY_BYTES {
        errors.push(FieldError::new(
            "body_markdown",
            format!("admin-error-body-size|{}", MAX_BODY_BYTES / 1024),
            format!("the body is limited to {} kB", MAX_BODY_BYTES / 1024),
        ));
    }
    if let Some(lead) = &content.lead_image {
        match app.stores.media.media(lead.media_id).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => errors.push(FieldError::new(
                "lead_image.media_id",
                "admin-error-media-unknown",
                format!("no media {}", lead.media_id.0),
            )),
            Err(e) => return Err(e.into()),
        }
        if lead.alt.trim().is_empty() {
            errors.push(FieldError::new(
                "lead_image.alt",
                "admin-error-alt",
                "alt text is required",
            ));
        }
    }
    if let Some(original) = content.translation_of {
        match app.stores.articles.article(original).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => errors.push(FieldError::new(
                "translation_of",
                "admin-error-translation-unknown",
                format!("no article has the id {}", original.0),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Creates a draft by `actor`, with what it names created on the way.
pub async fn create(
    app: &App,
    actor: &Actor,
    mut content: NewArticle,
    creations: &Creations,
) -> Result<Article> {
    if !creations.is_empty() {
        policy::manage_taxonomy(actor)?;
    }
    check_content(app, &content).await?;
    content.status = ArticleStatus::Draft;
    content.published_at = None;
    content.updated_at = None;
    content.created_by = Some(actor.id());
    let article = app
        .stores
        .articles
        .create_article_with(&content, creations, app.now())
        .await?;
    audit(app, actor, "article.create", article.id, &article.headline).await?;
    audit_creations(app, actor, &article, creations).await?;
    crate::embeds::after_save(app, article.id, &article.body_markdown, false).await;
    Ok(article)
}

/// An article `actor` may see (others' drafts are not found).
pub async fn load(app: &App, actor: &Actor, id: ArticleId) -> Result<Article> {
    let article = app.stores.articles.article(id).await?;
    policy::see(actor, &article)?;
    Ok(article)
}

/// An article `actor` may change.
pub async fn load_editable(app: &App, actor: &Actor, id: ArticleId) -> Result<Article> {
    let article = app.stores.articles.article(id).await?;
    policy::edit(actor, &article)?;
    Ok(article)
}

/// How a content save is meant.
#[derive(Debug, Clone)]
pub struct Save {
    /// The version the change is based on (a newer stored one refuses it).
    pub expected_version: i64,
    /// For a published article: minor (default), update or correction. Ignored for
    /// drafts; `autosave` and `restore` are the back office's own kinds.
    pub kind: SaveKind,
    pub correction_note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    Edit(Option<EditKind>),
    Autosave,
    Restore,
}

/// Saves new content over `article` (loaded with [`load_editable`]), with what it
/// names created in the same transaction. Nothing is written when it is refused.
pub async fn save(
    app: &App,
    actor: &Actor,
    article: &Article,
    content: &NewArticle,
    creations: &Creations,
    save: &Save,
) -> Result<Article> {
    policy::edit(actor, article)?;
    if !creations.is_empty() {
        policy::manage_taxonomy(actor)?;
    }
    if article.version != save.expected_version {
        return Err(Error::Stale {
            stored: Some(article.version),
            expected: save.expected_version,
        });
    }
    check_content(app, content).await?;
    let kind = match save.kind {
        SaveKind::Edit(requested) => lifecycle::revision_kind(article.status, requested),
        SaveKind::Autosave => RevisionKind::Autosave,
        SaveKind::Restore => RevisionKind::Restore,
    };
    let edit = Edit {
        expected_version: save.expected_version,
        kind,
        correction_note: save.correction_note.clone(),
        user: Some(actor.id()),
    };
    let saved = app
        .stores
        .articles
        .update_article_with(article.id, content, creations, &edit, app.now())
        .await?;
    if kind == RevisionKind::Correction {
        audit(app, actor, "article.correct", saved.id, &saved.headline).await?;
    }
    audit_creations(app, actor, &saved, creations).await?;
    // The embeds it names, fetched before the pages showing it are purged.
    crate::embeds::after_save(app, saved.id, &saved.body_markdown, false).await;
    // A new section shows in every page's navigation; a published article's
    // change in its own pages.
    if !creations.sections.is_empty() {
        app.site_changed();
    } else if saved.status == ArticleStatus::Published {
        app.public_changed();
    }
    if saved.status == ArticleStatus::Published && kind != RevisionKind::Autosave {
        let event = if kind == RevisionKind::Correction {
            "article.corrected"
        } else {
            "article.updated"
        };
        crate::webhooks::article_event(app, event, &saved).await;
    }
    Ok(saved)
}

/// Marks a draft as waiting for an editor.
pub async fn request_review(app: &App, actor: &Actor, article: &Article) -> Result<()> {
    policy::edit(actor, article)?;
    app.stores
        .articles
        .request_review(article.id, app.now())
        .await?;
    audit(app, actor, "article.submit", article.id, &article.headline).await
}

/// When to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Now,
    /// A past time kept as the publication time (imports, records).
    Backdated(DateTime<Utc>),
    /// A future time: scheduled, published by the worker then.
    At(DateTime<Utc>),
}

/// Publishes now, at a past time, or schedules; never before the source dispatch's
/// agency allows it.
pub async fn publish(app: &App, actor: &Actor, id: ArticleId, when: When) -> Result<Article> {
    policy::publish(actor)?;
    let article = load(app, actor, id).await?;
    let now = app.now();
    let at = match when {
        When::Now => now,
        When::Backdated(at) if at <= now => at,
        When::Backdated(_) => {
            return Err(Error::invalid(
                "published_at",
                "admin-error-schedule",
                "`published_at` must be in the past",
            ));
        }
        When::At(at) if at > now => at,
        When::At(_) => {
            return Err(Error::invalid(
                "at",
                "admin-error-schedule",
                "`at` must be in the future",
            ));
        }
    };
    if let Some(hold) = release_hold(&app.stores, article.id, at).await? {
        return Err(Error::Held(hold));
    }
    let published = app.stores.articles.publish_article(id, at, now).await?;
    let action = match lifecycle::publication_status(at, now) {
        ArticleStatus::Scheduled => "article.schedule",
        _ => "article.publish",
    };
    audit(app, actor, action, id, &published.headline).await?;
    app.public_changed();
    crate::webhooks::article_event(app, "article.published", &published).await;
    Ok(published)
}

/// Withdraws an article: its URL then answers 410.
pub async fn unpublish(app: &App, actor: &Actor, id: ArticleId) -> Result<Article> {
    policy::publish(actor)?;
    let article = load(app, actor, id).await?;
    app.stores
        .articles
        .set_article_status(id, ArticleStatus::Unpublished, app.now())
        .await?;
    audit(app, actor, "article.unpublish", id, &article.headline).await?;
    app.public_changed();
    let gone = app.stores.articles.article(id).await?;
    if article.status == ArticleStatus::Published {
        crate::webhooks::article_event(app, "article.unpublished", &gone).await;
    }
    Ok(gone)
}

/// The worker's half of scheduling: publishes `id` if it is still scheduled for a
/// time at or before `now` (a rescheduled, unscheduled or withdrawn article is left
/// alone). Returns whether it went live.
pub async fn publish_due(app: &App, id: ArticleId, now: DateTime<Utc>) -> Result<bool> {
    let article = app.stores.articles.article(id).await?;
    if article.status != ArticleStatus::Scheduled || article.published_at.is_none_or(|at| at > now)
    {
        return Ok(false);
    }
    app.stores
        .articles
        .set_article_status(id, ArticleStatus::Published, now)
        .await?;
    app.stores
        .accounts
        .audit(None, "article.publish", &id.to_string(), "worker", now)
        .await?;
    app.public_changed();
    let published = app.stores.articles.article(id).await?;
    crate::webhooks::article_event(app, "article.published", &published).await;
    Ok(true)
}

/// The back office's and the API's list: what `actor` may see only.
pub async fn list(app: &App, actor: &Actor, mut query: AdminQuery) -> Result<Vec<AdminSummary>> {
    query.visible_to = policy::listing_limit(actor);
    Ok(app.stores.articles.list_admin(&query).await?)
}

async fn audit(
    app: &App,
    actor: &Actor,
    action: &str,
    id: ArticleId,
    headline: &str,
) -> Result<()> {
    let detail = format!("{headline} ({})", actor.via.as_str());
    app.stores
        .accounts
        .audit(
            Some(actor.id()),
            action,
            &id.to_string(),
            &detail,
            app.now(),
        )
        .await?;
    Ok(())
}

async fn audit_creations(
    app: &App,
    actor: &Actor,
    article: &Article,
    creations: &Creations,
) -> Result<()> {
    for section in &creations.sections {
        let detail = format!(
            "{} (for article {}, {})",
            section.name,
            article.id,
            actor.via.as_str()
        );
        app.stores
            .accounts
            .audit(
                Some(actor.id()),
                "section.create",
                section.slug.as_str(),
                &detail,
                app.now(),
            )
            .await?;
    }
    for (_, person) in &creations.contributors {
        let detail = format!(
            "{} (for article {}, {})",
            person.name,
            article.id,
            actor.via.as_str()
        );
        app.stores
            .accounts
            .audit(
                Some(actor.id()),
                "contributor.create",
                person.slug.as_str(),
                &detail,
                app.now(),
            )
            .await?;
    }
    Ok(())
}
