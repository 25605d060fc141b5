//! Live coverage: entries of live articles (`LiveStore`), for both backends.

use chrono::{DateTime, Utc};
use kiosque_domain::live::{EntryContent, EntryRevision, LiveEntry};
use kiosque_domain::{ArticleId, LiveEntryId, StoreError, UserId};

/// The columns of an entry (`EntryRow`), as a literal for `concat!`.
macro_rules! entry_select {
    () => {
        "SELECT id, article_id, seq, author_id, author_name, title, body_markdown, body_html, credit, key_event, pinned, revision, created_at, updated_at, deleted_at FROM live_entries "
    };
}

pub(crate) mod sql {
    pub const ENTRY: &str = concat!(entry_select!(), "WHERE id = $1");
    /// Newest first; `$5` keeps key moments only.
    pub const ENTRIES: &str = concat!(
        entry_select!(),
        "WHERE article_id = $1 AND deleted_at IS NULL AND seq < $2 AND seq > $3 AND ($5 = FALSE OR key_event) ORDER BY seq DESC LIMIT $4"
    );
    pub const PINNED: &str = concat!(
        entry_select!(),
        "WHERE article_id = $1 AND pinned AND deleted_at IS NULL"
    );

    /// Numbers the next entry of an open live and touches the article's row (its
    /// public update time only once it is out): the row lock orders concurrent posts.
    pub const NEXT_SEQ: &str = "UPDATE articles SET live_seq = live_seq + 1, live_last_entry_at = $2, modified_at = $2, \
        updated_at = CASE WHEN status = 'published' AND published_at IS NOT NULL AND published_at <= $2 THEN $2 ELSE updated_at END \
        WHERE id = $1 AND kind = 'live' AND live_closed_at IS NULL RETURNING live_seq";
    pub const LIVE_STATE: &str = "SELECT kind, live_closed_at FROM articles WHERE id = $1";
    /// After an edit or a deletion: the change feed and the caches follow.
    pub const TOUCH_ARTICLE: &str = "UPDATE articles SET modified_at = $2 WHERE id = $1";
    pub const UNPIN: &str =
        "UPDATE live_entries SET pinned = FALSE WHERE article_id = $1 AND pinned AND id <> $2";
    /// Unpins the other entries of an entry's live (before pinning it).
    pub const UNPIN_BESIDE: &str = "UPDATE live_entries SET pinned = FALSE WHERE article_id = (SELECT article_id FROM live_entries WHERE id = $1) AND pinned AND id <> $1";
    pub const INSERT_ENTRY: &str = "INSERT INTO live_entries (article_id, seq, author_id, author_name, title, body_markdown, body_html, credit, key_event, pinned, revision, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id";
    pub const UPDATE_ENTRY: &str = "UPDATE live_entries SET title = $3, body_markdown = $4, body_html = $5, credit = $6, key_event = $7, pinned = $8, revision = revision + 1, updated_at = $9 \
        WHERE id = $1 AND revision = $2 AND deleted_at IS NULL RETURNING article_id, revision";
    pub const DELETE_ENTRY: &str = "UPDATE live_entries SET deleted_at = $3, pinned = FALSE, revision = revision + 1, updated_at = $3 \
        WHERE id = $1 AND deleted_at IS NULL AND ($2 IS NULL OR revision = $2) RETURNING article_id, revision";
    pub const INSERT_REVISION: &str = "INSERT INTO live_entry_revisions (entry_id, revision, action, user_id, title, body_markdown, credit, key_event, pinned, created_at) \
        SELECT id, revision, $2, $3, title, body_markdown, credit, key_event, pinned, $4 FROM live_entries WHERE id = $1";
    pub const ENTRY_REVISION: &str =
        "SELECT revision, deleted_at IS NOT NULL AS deleted FROM live_entries WHERE id = $1";
    pub const REVISIONS: &str = "SELECT revision, action, user_id, title, body_markdown, credit, key_event, pinned, created_at FROM live_entry_revisions WHERE entry_id = $1 ORDER BY revision";
    pub const OPEN_LIVES: &str = "SELECT id, headline FROM articles WHERE kind = 'live' AND live_closed_at IS NULL AND status IN ('draft', 'published') ORDER BY modified_at DESC, id DESC LIMIT $1";
    pub const CLOSE: &str = "UPDATE articles SET live_closed_at = $2, modified_at = COALESCE($2, modified_at) WHERE id = $1 AND kind = 'live'";
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EntryRow {
    id: i64,
    article_id: i64,
    seq: i64,
    author_id: Option<i64>,
    author_name: String,
    title: Option<String>,
    body_markdown: String,
    body_html: String,
    credit: Option<String>,
    key_event: bool,
    pinned: bool,
    revision: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

impl From<EntryRow> for LiveEntry {
    fn from(r: EntryRow) -> Self {
        Self {
            id: LiveEntryId(r.id),
            article_id: ArticleId(r.article_id),
            seq: r.seq,
            author: r.author_id.map(UserId),
            author_name: r.author_name,
            title: r.title,
            body_markdown: r.body_markdown,
            body_html: r.body_html,
            credit: r.credit,
            key_event: r.key_event,
            pinned: r.pinned,
            revision: r.revision,
            created_at: r.created_at,
            updated_at: r.updated_at,
            deleted_at: r.deleted_at,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RevisionRow {
    revision: i64,
    action: String,
    user_id: Option<i64>,
    title: Option<String>,
    body_markdown: String,
    credit: Option<String>,
    key_event: bool,
    pinned: bool,
    created_at: DateTime<Utc>,
}

impl From<RevisionRow> for EntryRevision {
    fn from(r: RevisionRow) -> Self {
        Self {
            revision: r.revision,
            action: r.action,
            user: r.user_id.map(UserId),
            content: EntryContent {
                title: r.title,
                body_markdown: r.body_markdown,
                credit: r.credit,
                key_event: r.key_event,
                pinned: r.pinned,
            },
            created_at: r.created_at,
        }
    }
}

/// Why a post found no open live: not a live (or no such article), or closed.
pub(crate) fn refused_post(state: Option<(String, Option<DateTime<Utc>>)>) -> StoreError {
    match state {
        Some((kind, Some(_))) if kind == "live" => StoreError::Conflict("closed live"),
        _ => StoreError::NotFound,
    }
}

macro_rules! impl_live {
    ($store:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::live::{EntryContent, EntryQuery, EntryRevision, LiveEntry};
            use kiosque_domain::store::LiveStore;
            use kiosque_domain::{ArticleId, LiveEntryId, StoreError, StoreResult, UserId};
            use $crate::live::{EntryRow, RevisionRow, refused_post, sql};
            use $crate::shared::{store_error, stored_time};

            impl $store {
                async fn unpin_entries(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    article: i64,
                    keep: i64,
                ) -> StoreResult<()> {
                    sqlx::query(sql::UNPIN)
                        .bind(article)
                        .bind(keep)
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn record_entry_revision(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    entry: i64,
                    action: &str,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    sqlx::query(sql::INSERT_REVISION)
                        .bind(entry)
                        .bind(action)
                        .bind(user.map(|u| u.0))
                        .bind(now)
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn touch_live(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    article: i64,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    sqlx::query(sql::TOUCH_ARTICLE)
                        .bind(article)
                        .bind(now)
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                /// What stops an edit or a deletion that changed nothing.
                async fn refused_change(&self, entry: i64, expected: Option<i64>) -> StoreError {
                    let row: Result<Option<(i64, bool)>, _> = sqlx::query_as(sql::ENTRY_REVISION)
                        .bind(entry)
                        .fetch_optional(&self.pool)
                        .await;
                    match row {
                        Ok(Some((_, true))) | Ok(None) => StoreError::NotFound,
                        Ok(Some((stored, false))) => StoreError::VersionMismatch {
                            stored: Some(stored),
                            expected: expected.unwrap_or(stored),
                        },
                        Err(e) => store_error(e),
                    }
                }
            }

            #[async_trait]
            impl LiveStore for $store {
                async fn post_entry(
                    &self,
                    article: ArticleId,
                    content: &EntryContent,
                    body_html: &str,
                    author: Option<UserId>,
                    author_name: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<LiveEntry> {
                    let now = stored_time(now);
                    let id = {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        let seq: Option<i64> = sqlx::query_scalar(sql::NEXT_SEQ)
                            .bind(article.0)
                            .bind(now)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        let Some(seq) = seq else {
                            let state: Option<(String, Option<DateTime<Utc>>)> =
                                sqlx::query_as(sql::LIVE_STATE)
                                    .bind(article.0)
                                    .fetch_optional(&mut *tx)
                                    .await
                                    .map_err(store_error)?;
                            return Err(refused_post(state));
                        };
                        if content.pinned {
                            Self::unpin_entries(&mut tx, article.0, 0).await?;
                        }
                        let id: i64 = sqlx::query_scalar(sql::INSERT_ENTRY)
                            .bind(article.0)
                            .bind(seq)
                            .bind(author.map(|u| u.0))
                            .bind(author_name)
                            .bind(content.title.as_deref())
                            .bind(&content.body_markdown)
                            .bind(body_html)
                            .bind(content.credit.as_deref())
                            .bind(content.key_event)
                            .bind(content.pinned)
                            .bind(now)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        Self::record_entry_revision(&mut tx, id, "create", author, now).await?;
                        tx.commit().await.map_err(store_error)?;
                        id
                    };
                    self.entry(LiveEntryId(id)).await
                }

                async fn edit_entry(
                    &self,
                    entry: LiveEntryId,
                    content: &EntryContent,
                    body_html: &str,
                    expected_revision: i64,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<LiveEntry> {
                    let now = stored_time(now);
                    {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        if content.pinned {
                            sqlx::query(sql::UNPIN_BESIDE)
                                .bind(entry.0)
                                .execute(&mut *tx)
                                .await
                                .map_err(store_error)?;
                        }
                        let changed: Option<(i64, i64)> = sqlx::query_as(sql::UPDATE_ENTRY)
                            .bind(entry.0)
                            .bind(expected_revision)
                            .bind(content.title.as_deref())
                            .bind(&content.body_markdown)
                            .bind(body_html)
                            .bind(content.credit.as_deref())
                            .bind(content.key_event)
                            .bind(content.pinned)
                            .bind(now)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        let Some((article, _)) = changed else {
                            drop(tx);
                            return Err(self
                                .refused_change(entry.0, Some(expected_revision))
                                .await);
                        };
                        Self::record_entry_revision(&mut tx, entry.0, "edit", user, now).await?;
                        Self::touch_live(&mut tx, article, now).await?;
                        tx.commit().await.map_err(store_error)?;
                    }
                    self.entry(entry).await
                }

                async fn delete_entry(
                    &self,
                    entry: LiveEntryId,
                    expected_revision: Option<i64>,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let now = stored_time(now);
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let changed: Option<(i64, i64)> = sqlx::query_as(sql::DELETE_ENTRY)
                        .bind(entry.0)
                        .bind(expected_revision)
                        .bind(now)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    let Some((article, _)) = changed else {
                        drop(tx);
                        return Err(self.refused_change(entry.0, expected_revision).await);
                    };
                    Self::record_entry_revision(&mut tx, entry.0, "delete", user, now).await?;
                    Self::touch_live(&mut tx, article, now).await?;
                    tx.commit().await.map_err(store_error)
                }

                async fn entry(&self, entry: LiveEntryId) -> StoreResult<LiveEntry> {
                    let row: Option<EntryRow> = sqlx::query_as(sql::ENTRY)
                        .bind(entry.0)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(LiveEntry::from).ok_or(StoreError::NotFound)
                }

                async fn entries(
                    &self,
                    article: ArticleId,
                    query: EntryQuery,
                ) -> StoreResult<Vec<LiveEntry>> {
                    let rows: Vec<EntryRow> = sqlx::query_as(sql::ENTRIES)
                        .bind(article.0)
                        .bind(query.before_seq.unwrap_or(i64::MAX))
                        .bind(query.after_seq.unwrap_or(0))
                        .bind(i64::from(query.limit.min(500)))
                        .bind(query.key_events_only)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(LiveEntry::from).collect())
                }

                async fn pinned_entry(&self, article: ArticleId) -> StoreResult<Option<LiveEntry>> {
                    let row: Option<EntryRow> = sqlx::query_as(sql::PINNED)
                        .bind(article.0)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.map(LiveEntry::from))
                }

                async fn entry_revisions(
                    &self,
                    entry: LiveEntryId,
                ) -> StoreResult<Vec<EntryRevision>> {
                    let rows: Vec<RevisionRow> = sqlx::query_as(sql::REVISIONS)
                        .bind(entry.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(EntryRevision::from).collect())
                }

                async fn open_lives(&self, limit: u32) -> StoreResult<Vec<(ArticleId, String)>> {
                    let rows: Vec<(i64, String)> = sqlx::query_as(sql::OPEN_LIVES)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(|(id, h)| (ArticleId(id), h)).collect())
                }

                async fn set_live_closed(
                    &self,
                    article: ArticleId,
                    closed_at: Option<DateTime<Utc>>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::CLOSE)
                        .bind(article.0)
                        .bind(closed_at.map(stored_time))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Ok(())
                }
            }
        };
    };
}

pub(crate) use impl_live;
