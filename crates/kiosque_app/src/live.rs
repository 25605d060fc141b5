//! Live coverage: posting to a live, editing and deleting entries, pinning, opening
//! and closing — with their rules, for every entrance (back office, API).
//!
//! Any journalist may post to a live they can see and edit or delete their own
//! entries; editors pin, edit or delete anyone's, and open or close the live. Each
//! write announces a public change, so the live's pages, its feeds and the proxies
//! follow within the followers' periods (see `App::public_changed`).

use crate::app::App;
use crate::error::{Error, Result};
use crate::policy::{self, Actor};
use kiosque_domain::live::{
    ArticleKind, EntryContent, EntryError, EntryQuery, EntryRevision, LiveEntry, LivePage,
};
use kiosque_domain::{Article, ArticleId, LiveEntryId};

/// The most entries one read of the stream returns.
pub const MAX_LIMIT: u32 = 100;

fn invalid(e: EntryError) -> Error {
    let field = match e {
        EntryError::TitleTooLong => "title",
        EntryError::Empty | EntryError::TooLong => "body_markdown",
    };
    let key = match e {
        EntryError::Empty => "live-error-empty",
        EntryError::TooLong => "live-error-too-long",
        EntryError::TitleTooLong => "live-error-title",
    };
    Error::invalid(field, key, e.to_string())
}

/// A live `actor` may see (a standard article: `Conflict`, it takes no entries).
pub async fn load(app: &App, actor: &Actor, id: ArticleId) -> Result<Article> {
    let article = crate::articles::load(app, actor, id).await?;
    if article.kind != ArticleKind::Live {
        return Err(Error::Conflict("not live coverage"));
    }
    Ok(article)
}

/// Pinning is the editors'.
fn may_pin(actor: &Actor) -> Result<()> {
    if actor.role().can_publish() {
        Ok(())
    } else {
        Err(Error::Forbidden("only editors pin entries"))
    }
}

/// One's own entries; anyone's for editors.
fn may_change(actor: &Actor, entry: &LiveEntry) -> Result<()> {
    if actor.user.may_edit(entry.author) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only editors change other people's entries",
        ))
    }
}

/// Posts an entry to a live; a closed live refuses it (`Conflict`). The live (as it
/// was before the post) comes back with the entry, for its permalink.
pub async fn post(
    app: &App,
    actor: &Actor,
    article: ArticleId,
    content: EntryContent,
) -> Result<(Article, LiveEntry)> {
    let live = load(app, actor, article).await?;
    if content.pinned {
        may_pin(actor)?;
    }
    let content = content.cleaned().map_err(invalid)?;
    if !live.live_state().is_open() {
        return Err(Error::Conflict("closed live"));
    }
    let body = crate::articles::render(&content.body_markdown).await?;
    let entry = app
        .stores
        .live
        .post_entry(
            live.id,
            &content,
            &body.html,
            Some(actor.id()),
            &actor.user.name,
            app.now(),
        )
        .await?;
    app.public_changed();
    crate::webhooks::live_entry(app, &live, &entry).await;
    Ok((live, entry))
}

/// An entry of `article`, deleted ones not found.
pub async fn entry(
    app: &App,
    actor: &Actor,
    article: ArticleId,
    id: LiveEntryId,
) -> Result<LiveEntry> {
    Ok(live_entry(app, actor, article, id).await?.1)
}

/// The same, with its live.
async fn live_entry(
    app: &App,
    actor: &Actor,
    article: ArticleId,
    id: LiveEntryId,
) -> Result<(Article, LiveEntry)> {
    let live = load(app, actor, article).await?;
    let entry = app.stores.live.entry(id).await?;
    if entry.article_id != live.id || entry.deleted_at.is_some() {
        return Err(Error::NotFound);
    }
    Ok((live, entry))
}

/// What an edit changes; what it leaves out stays as it is.
#[derive(Debug, Clone, Default)]
pub struct EntryPatch {
    pub title: Option<Option<String>>,
    pub body_markdown: Option<String>,
    pub credit: Option<Option<String>>,
    pub key_event: Option<bool>,
    pub pinned: Option<bool>,
}

/// Edits an entry from `expected_revision` (a newer stored one: `Stale`); the live
/// comes back with the saved entry.
pub async fn edit(
    app: &App,
    actor: &Actor,
    article: ArticleId,
    id: LiveEntryId,
    patch: EntryPatch,
    expected_revision: i64,
) -> Result<(Article, LiveEntry)> {
    let (live, current) = live_entry(app, actor, article, id).await?;
    let pin_changes = patch.pinned.is_some_and(|p| p != current.pinned);
    if pin_changes {
        may_pin(actor)?;
    }
    let only_marks =
        patch.title.is_none() && patch.body_markdown.is_none() && patch.credit.is_none();
    // Marking a key moment is anyone's on the desk; the words are the author's.
    if !only_marks || pin_changes {
        may_change(actor, &current)?;
    }
    let mut content = current.content();
    if let Some(title) = patch.title {
        content.title = title;
    }
    if let Some(body) = patch.body_markdown {
        content.body_markdown = body;
    }
    if let Some(credit) = patch.credit {
        content.credit = credit;
    }
    if let Some(key) = patch.key_event {
        content.key_event = key;
    }
    if let Some(pinned) = patch.pinned {
        content.pinned = pinned;
    }
    let content = content.cleaned().map_err(invalid)?;
    let html = if content.body_markdown == current.body_markdown {
        current.body_html.clone()
    } else {
        crate::articles::render(&content.body_markdown).await?.html
    };
    let saved = app
        .stores
        .live
        .edit_entry(
            id,
            &content,
            &html,
            expected_revision,
            Some(actor.id()),
            app.now(),
        )
        .await?;
    app.public_changed();
    Ok((live, saved))
}

/// Takes an entry off the live; it stays in the history.
pub async fn delete(
    app: &App,
    actor: &Actor,
    article: ArticleId,
    id: LiveEntryId,
    expected_revision: Option<i64>,
) -> Result<()> {
    let current = entry(app, actor, article, id).await?;
    may_change(actor, &current)?;
    app.stores
        .live
        .delete_entry(id, expected_revision, Some(actor.id()), app.now())
        .await?;
    audit(
        app,
        actor,
        "live.entry.delete",
        article,
        &format!("entry {}", id.0),
    )
    .await?;
    app.public_changed();
    Ok(())
}

/// An entry's versions, oldest first.
pub async fn history(
    app: &App,
    actor: &Actor,
    article: ArticleId,
    id: LiveEntryId,
) -> Result<Vec<EntryRevision>> {
    let live = load(app, actor, article).await?;
    let entry = app.stores.live.entry(id).await?;
    if entry.article_id != live.id {
        return Err(Error::NotFound);
    }
    Ok(app.stores.live.entry_revisions(id).await?)
}

/// Closes a live ("Ce direct est terminé") or opens it again: editors.
pub async fn set_open(app: &App, actor: &Actor, article: ArticleId, open: bool) -> Result<Article> {
    policy::publish(actor)?;
    let live = load(app, actor, article).await?;
    let closed_at = (!open).then(|| app.now());
    app.stores.live.set_live_closed(live.id, closed_at).await?;
    let action = if open { "live.reopen" } else { "live.close" };
    audit(app, actor, action, article, &live.headline).await?;
    app.public_changed();
    Ok(app.stores.articles.article(article).await?)
}

/// The stream for the newsroom: newest first, below `before_seq` when given.
pub async fn entries(
    app: &App,
    actor: &Actor,
    article: ArticleId,
    before_seq: Option<i64>,
    after_seq: Option<i64>,
    limit: u32,
) -> Result<(Article, Vec<LiveEntry>)> {
    let live = load(app, actor, article).await?;
    let query = EntryQuery {
        before_seq,
        after_seq,
        key_events_only: false,
        limit: limit.clamp(1, MAX_LIMIT),
    };
    let entries = app.stores.live.entries(live.id, query).await?;
    Ok((live, entries))
}

/// What a reader's page of a live shows.
#[derive(Debug, Clone)]
pub struct PublicLive {
    pub pinned: Option<LiveEntry>,
    pub key_events: Vec<LiveEntry>,
    /// The page's entries, newest first.
    pub entries: Vec<LiveEntry>,
    /// The older page after these, if any.
    pub older: Option<i64>,
    /// The newer page before these (`None`: the latest is newer, or this is it).
    pub newer: Option<i64>,
}

/// How many key moments the reader's page lists.
pub const KEY_EVENTS: u32 = 12;

/// The entries a reader's page of a public live shows (the caller has checked the
/// article is public).
pub async fn public_page(app: &App, article: &Article, page: LivePage) -> Result<PublicLive> {
    let live = &app.stores.live;
    let query = match page {
        LivePage::Latest => EntryQuery::latest(kiosque_domain::live::ENTRIES_PER_PAGE as u32),
        LivePage::Numbered(n) => EntryQuery::page(n),
    };
    let key_query = EntryQuery {
        key_events_only: true,
        ..EntryQuery::latest(KEY_EVENTS)
    };
    let (entries, pinned, key_events) = tokio::try_join!(
        live.entries(article.id, query),
        live.pinned_entry(article.id),
        live.entries(article.id, key_query),
    )?;
    let last_page = kiosque_domain::live::page_of(article.live_state().last_seq);
    let older = match page {
        LivePage::Latest => entries.last().and_then(|e| LivePage::older(e.seq)),
        LivePage::Numbered(n) => (n > 1).then_some(n - 1),
    };
    let newer = match page {
        LivePage::Numbered(n) if n + 1 < last_page => Some(n + 1),
        _ => None,
    };
    Ok(PublicLive {
        pinned,
        key_events,
        entries,
        older,
        newer,
    })
}

/// Entries of a public live numbered in `(after, upto]`, newest first: what a
/// reader's page fetches when it is told of new ones.
pub async fn public_newer(
    app: &App,
    article: &Article,
    after: i64,
    upto: i64,
) -> Result<Vec<LiveEntry>> {
    let query = EntryQuery {
        before_seq: Some(upto.saturating_add(1)),
        after_seq: Some(after),
        key_events_only: false,
        limit: 50,
    };
    Ok(app.stores.live.entries(article.id, query).await?)
}

/// Lives open for entries, most recently active first (for "add to the live").
pub async fn open_lives(app: &App, limit: u32) -> Result<Vec<(ArticleId, String)>> {
    Ok(app.stores.live.open_lives(limit).await?)
}

/// A draft entry from a wire dispatch: its headline as the title, its text as the
/// body, its agency credited. Nothing is posted: the journalist reads it first.
pub async fn draft_from_wire(
    app: &App,
    wire: kiosque_domain::wire::WireId,
) -> Result<EntryContent> {
    let entry = app.stores.wire.wire_item(wire).await?;
    let versions = app.stores.wire.wire_versions(entry.id).await?;
    let dispatch = versions
        .iter()
        .find(|v| v.version == entry.version)
        .and_then(|v| crate::wire::StoredDispatch::from_payload(&v.payload).ok())
        .ok_or(Error::NotFound)?;
    let item = dispatch.item;
    let mut body = item.body_markdown.trim().to_owned();
    if body.is_empty() {
        body = item.summary.clone().unwrap_or_default();
    }
    Ok(EntryContent {
        title: Some(entry.headline.clone()).filter(|h| !h.trim().is_empty()),
        body_markdown: body,
        credit: entry.provider.clone(),
        key_event: entry.is_urgent(),
        pinned: false,
    })
}

async fn audit(app: &App, actor: &Actor, action: &str, id: ArticleId, detail: &str) -> Result<()> {
    let detail = format!("{detail} ({})", actor.via.as_str());
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
