//! Reader accounts and comments, implemented once for both backends (see `shared.rs`).

use chrono::{DateTime, Utc};
use kiosque_domain::comment::{Author, Comment, CommentId, Reader, ReaderId};
use kiosque_domain::{ArticleId, Role, StoreError, UserId};

/// Columns of a reader, with the staff role when the reader is a member of staff.
macro_rules! reader_select {
    () => {
        "SELECT r.id, r.email, r.display_name, r.verified_at IS NOT NULL AS verified, r.notify_replies, \
         r.staff_id, u.role AS staff_role, r.banned_reason, r.suspended_until, r.always_premoderate, \
         r.warnings, r.created_at FROM readers r LEFT JOIN users u ON u.id = r.staff_id "
    };
}

/// Columns of a comment with its author's name and role and the name it answers.
macro_rules! comment_columns {
    () => {
        "c.id, c.article_id, c.reader_id, r.display_name AS author_name, u.role AS staff_role, \
         c.parent_id, c.reply_to_id, rr.display_name AS reply_to_name, c.body, c.status, c.featured, \
         c.like_count, c.report_count, c.created_at, c.edited_at, c.reject_reason, c.legacy_author "
    };
}

macro_rules! comment_from {
    () => {
        "FROM comments c LEFT JOIN readers r ON r.id = c.reader_id LEFT JOIN users u ON u.id = r.staff_id \
         LEFT JOIN comments rc ON rc.id = c.reply_to_id LEFT JOIN readers rr ON rr.id = rc.reader_id "
    };
}

macro_rules! comment_select {
    () => {
        concat!("SELECT ", comment_columns!(), comment_from!())
    };
}

/// The SQL of comments for one dialect: `$ids` unpacks a JSON array of ids bound as `$1`.
macro_rules! comment_sql {
    ($ids:literal) => {
        pub const INSERT_READER: &str = "INSERT INTO readers (email, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
        pub const READER: &str = concat!(reader_select!(), "WHERE r.id = $1");
        pub const READER_BY_EMAIL: &str = concat!(reader_select!(), "WHERE r.email = $1");
        pub const READER_PASSWORD: &str = "SELECT password_hash FROM readers WHERE id = $1";
        pub const STAFF_READER: &str = "INSERT INTO readers (email, display_name, staff_id, verified_at, created_at) VALUES (NULL, $1, $2, $3, $3) ON CONFLICT (staff_id) DO NOTHING";
        pub const READER_BY_STAFF: &str = concat!(reader_select!(), "WHERE r.staff_id = $1");
        pub const UPDATE_PROFILE: &str =
            "UPDATE readers SET display_name = $2, notify_replies = $3 WHERE id = $1";
        pub const SET_PASSWORD: &str = "UPDATE readers SET password_hash = $2 WHERE id = $1";
        pub const SET_EMAIL: &str = "UPDATE readers SET email = $2 WHERE id = $1";
        pub const VERIFY: &str =
            "UPDATE readers SET verified_at = COALESCE(verified_at, $2) WHERE id = $1";
        pub const LAPSE_TOKENS: &str = "UPDATE reader_tokens SET used_at = $3 WHERE reader_id = $1 AND purpose = $2 AND used_at IS NULL";
        pub const INSERT_TOKEN: &str = "INSERT INTO reader_tokens (token_hash, reader_id, purpose, new_email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
        pub const TAKE_TOKEN: &str = "UPDATE reader_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING reader_id, new_email";
        pub const PEEK_TOKEN: &str = "SELECT COUNT(*) FROM reader_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
        pub const INSERT_SESSION: &str = "INSERT INTO reader_sessions (token_hash, reader_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)";
        pub const SESSION: &str = "SELECT r.id, r.email, r.display_name, r.verified_at IS NOT NULL AS verified, r.notify_replies, \
             r.staff_id, u.role AS staff_role, r.banned_reason, r.suspended_until, r.always_premoderate, \
             r.warnings, r.created_at, s.csrf_token, s.last_seen_at \
             FROM reader_sessions s JOIN readers r ON r.id = s.reader_id LEFT JOIN users u ON u.id = r.staff_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2";
        pub const TOUCH_SESSION: &str =
            "UPDATE reader_sessions SET last_seen_at = $2 WHERE token_hash = $1";
        pub const DELETE_SESSION: &str = "DELETE FROM reader_sessions WHERE token_hash = $1";
        pub const DELETE_SESSIONS: &str = "DELETE FROM reader_sessions WHERE reader_id = $1";
        pub const UNLIKE_ALL: &str = "UPDATE comments SET like_count = like_count - 1 WHERE id IN (SELECT comment_id FROM comment_likes WHERE reader_id = $1)";
        pub const REMOVE_COMMENTS: &str =
            "UPDATE comments SET status = 'deleted', body = '', featured = FALSE WHERE reader_id = $1";
        pub const DELETE_READER: &str = "DELETE FROM readers WHERE id = $1";
        pub const WARN: &str = "UPDATE readers SET warnings = warnings + 1 WHERE id = $1";
        pub const SUSPEND: &str = "UPDATE readers SET suspended_until = $2 WHERE id = $1";
        pub const BAN: &str = "UPDATE readers SET banned_reason = $2 WHERE id = $1";
        pub const PREMODERATE: &str = "UPDATE readers SET always_premoderate = $2 WHERE id = $1";
        pub const REINSTATE: &str =
            "UPDATE readers SET banned_reason = NULL, suspended_until = NULL WHERE id = $1";
        pub const LOG: &str = "INSERT INTO moderation_log (moderator_id, action, comment_id, reader_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        pub const FIND_READERS: &str = concat!(
            reader_select!(),
            "WHERE LOWER(COALESCE(r.email, '')) LIKE $1 OR LOWER(r.display_name) LIKE $1 ORDER BY r.id DESC LIMIT $2"
        );

        pub const INSERT_COMMENT: &str = "INSERT INTO comments (article_id, reader_id, parent_id, reply_to_id, body, fingerprint, status, queued_because, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        pub const COMMENT: &str = concat!(comment_select!(), "WHERE c.id = $1");
        pub const ROOTS_NEWEST: &str = concat!(
            comment_select!(),
            "WHERE c.article_id = $1 AND c.status = 'approved' AND c.parent_id IS NULL ORDER BY c.id DESC LIMIT $2 OFFSET $3"
        );
        pub const ROOTS_OLDEST: &str = concat!(
            comment_select!(),
            "WHERE c.article_id = $1 AND c.status = 'approved' AND c.parent_id IS NULL ORDER BY c.id LIMIT $2 OFFSET $3"
        );
        pub const ROOTS_LIKED: &str = concat!(
            comment_select!(),
            "WHERE c.article_id = $1 AND c.status = 'approved' AND c.parent_id IS NULL ORDER BY c.like_count DESC, c.id DESC LIMIT $2 OFFSET $3"
        );
        pub const COUNTS: &str = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END), 0) FROM comments WHERE article_id = $1 AND status = 'approved'";
        /// The first `$2` approved replies of each top-level comment in `$1`, with their
        /// number.
        pub const REPLIES_OF: &str = concat!(
            "SELECT * FROM (SELECT ",
            comment_columns!(),
            ", ROW_NUMBER() OVER (PARTITION BY c.parent_id ORDER BY c.id) AS rn, COUNT(*) OVER (PARTITION BY c.parent_id) AS siblings ",
            comment_from!(),
            "WHERE c.status = 'approved' AND c.parent_id IN ",
            $ids,
            ") t WHERE rn <= $2 ORDER BY id"
        );
        pub const ALL_REPLIES: &str = concat!(
            comment_select!(),
            "WHERE c.parent_id = $1 AND c.status = 'approved' ORDER BY c.id"
        );
        pub const FEATURED: &str = concat!(
            comment_select!(),
            "WHERE c.article_id = $1 AND c.featured = TRUE AND c.status = 'approved' ORDER BY c.id DESC LIMIT 10"
        );
        pub const PENDING_FOR: &str = concat!(
            comment_select!(),
            "WHERE c.reader_id = $2 AND c.article_id = $1 AND c.status = 'pending' ORDER BY c.id"
        );
        pub const APPROVED_BY: &str =
            "SELECT COUNT(*) FROM comments WHERE reader_id = $1 AND status = 'approved'";
        pub const REPEATED: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM comments WHERE reader_id = $1 AND fingerprint = $2 AND created_at > $3 AND status <> 'deleted' LIMIT 1) t";
        pub const EDIT: &str = "UPDATE comments SET body = $2, fingerprint = $3, status = $4, edited_at = $5 WHERE id = $1 AND status <> 'deleted'";
        pub const DELETE_COMMENT: &str =
            "UPDATE comments SET status = 'deleted', body = '', featured = FALSE WHERE id = $1";
        pub const LIKE: &str = "INSERT INTO comment_likes (comment_id, reader_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
        pub const UNLIKE: &str = "DELETE FROM comment_likes WHERE comment_id = $1 AND reader_id = $2";
        pub const LIKES_UP: &str = "UPDATE comments SET like_count = like_count + 1 WHERE id = $1";
        pub const LIKES_DOWN: &str =
            "UPDATE comments SET like_count = like_count - 1 WHERE id = $1";
        pub const LIKED: &str = concat!(
            "SELECT comment_id FROM comment_likes WHERE reader_id = $2 AND comment_id IN ",
            $ids
        );
        pub const REPORT: &str = "INSERT INTO comment_reports (comment_id, reader_id, reason, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
        pub const REPORTS_UP: &str =
            "UPDATE comments SET report_count = report_count + 1 WHERE id = $1";
        pub const QUEUE_PENDING: &str = concat!(
            comment_select!(),
            "WHERE c.status = 'pending' ORDER BY c.id LIMIT $1"
        );
        pub const QUEUE_REPORTED: &str = concat!(
            comment_select!(),
            "WHERE c.report_count > 0 AND c.status IN ('approved', 'pending') ORDER BY c.report_count DESC, c.id DESC LIMIT $1"
        );
        pub const QUEUE_RECENT: &str = concat!(
            comment_select!(),
            "WHERE c.status IN ('approved', 'pending', 'rejected') ORDER BY c.id DESC LIMIT $1"
        );
        /// Headline and queue reason of each comment in `$1`.
        pub const QUEUE_DETAILS: &str = concat!(
            "SELECT c.id, a.headline, c.queued_because FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id IN ",
            $ids
        );
        pub const REPORT_REASONS: &str = concat!(
            "SELECT comment_id, reason, COUNT(*) FROM comment_reports WHERE comment_id IN ",
            $ids,
            " GROUP BY comment_id, reason ORDER BY comment_id, 3 DESC"
        );
        pub const APPROVE: &str = "UPDATE comments SET status = 'approved', queued_because = NULL, report_count = 0 WHERE id = $1 AND status <> 'deleted' AND (status <> 'approved' OR report_count > 0)";
        pub const CLEAR_REPORTS: &str = "DELETE FROM comment_reports WHERE comment_id = $1";
        pub const REJECT: &str = "UPDATE comments SET status = 'rejected', reject_reason = $2, featured = FALSE WHERE id = $1 AND status IN ('pending', 'approved')";
        pub const FEATURE: &str = "UPDATE comments SET status = 'approved', featured = TRUE, queued_because = NULL WHERE id = $1 AND status <> 'deleted' AND featured = FALSE";
        pub const UNFEATURE: &str =
            "UPDATE comments SET featured = FALSE WHERE id = $1 AND featured = TRUE";
        pub const MODERATION_LOG: &str = "SELECT u.name, l.action, l.comment_id, l.reader_id, r.display_name, l.reason, l.created_at \
             FROM moderation_log l LEFT JOIN users u ON u.id = l.moderator_id LEFT JOIN readers r ON r.id = l.reader_id \
             ORDER BY l.id DESC LIMIT $1";
        pub const PENDING_COUNT: &str = "SELECT COUNT(*) FROM comments WHERE status = 'pending'";
        pub const READER_COMMENTS: &str = concat!(
            comment_select!(),
            "WHERE c.reader_id = $1 ORDER BY c.id DESC LIMIT $2"
        );
    };
}

pub(crate) mod sqlite_sql {
    comment_sql!("(SELECT value FROM json_each($1))");
}

pub(crate) mod postgres_sql {
    comment_sql!("(SELECT jsonb_array_elements_text($1::jsonb)::bigint)");
}

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt {what} row: {detail}").into())
}

fn role(s: Option<String>) -> Result<Option<Role>, StoreError> {
    s.map(|r| r.parse::<Role>().map_err(|e| corrupt("role", e)))
        .transpose()
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ReaderRow {
    pub id: i64,
    pub email: Option<String>,
    pub display_name: String,
    pub verified: bool,
    pub notify_replies: bool,
    pub staff_id: Option<i64>,
    pub staff_role: Option<String>,
    pub banned_reason: Option<String>,
    pub suspended_until: Option<DateTime<Utc>>,
    pub always_premoderate: bool,
    pub warnings: i64,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<ReaderRow> for Reader {
    type Error = StoreError;
    fn try_from(r: ReaderRow) -> Result<Self, StoreError> {
        let staff = match (r.staff_id, role(r.staff_role)?) {
            (Some(id), Some(role)) => Some((UserId(id), role)),
            _ => None,
        };
        Ok(Reader {
            id: ReaderId(r.id),
            email: r.email,
            display_name: r.display_name,
            verified: r.verified,
            notify_replies: r.notify_replies,
            staff,
            banned_reason: r.banned_reason,
            suspended_until: r.suspended_until,
            always_premoderate: r.always_premoderate,
            warnings: r.warnings,
            created_at: r.created_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SessionRow {
    #[sqlx(flatten)]
    pub reader: ReaderRow,
    pub csrf_token: String,
    pub last_seen_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CommentRow {
    pub id: i64,
    pub article_id: i64,
    pub reader_id: Option<i64>,
    pub author_name: Option<String>,
    pub staff_role: Option<String>,
    pub parent_id: Option<i64>,
    pub reply_to_id: Option<i64>,
    pub reply_to_name: Option<String>,
    pub body: String,
    pub status: String,
    pub featured: bool,
    pub like_count: i64,
    pub report_count: i64,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    pub legacy_author: Option<String>,
    #[sqlx(default)]
    pub siblings: i64,
}

impl TryFrom<CommentRow> for Comment {
    type Error = StoreError;
    fn try_from(r: CommentRow) -> Result<Self, StoreError> {
        let author = match (r.reader_id, r.author_name) {
            (Some(id), Some(name)) => Some(Author {
                reader: ReaderId(id),
                name,
                staff_role: role(r.staff_role)?,
            }),
            _ => None,
        };
        Ok(Comment {
            id: CommentId(r.id),
            article_id: ArticleId(r.article_id),
            author,
            parent_id: r.parent_id.map(CommentId),
            reply_to: r
                .reply_to_id
                .map(|id| (CommentId(id), r.reply_to_name.unwrap_or_default())),
            body: r.body,
            status: r.status.parse().map_err(|e| corrupt("comment status", e))?,
            featured: r.featured,
            like_count: r.like_count,
            report_count: r.report_count,
            created_at: r.created_at,
            edited_at: r.edited_at,
            reject_reason: r.reject_reason,
            legacy_author: r.legacy_author,
        })
    }
}

pub(crate) fn comments(rows: Vec<CommentRow>) -> Result<Vec<Comment>, StoreError> {
    rows.into_iter().map(Comment::try_from).collect()
}

pub(crate) fn id_list(ids: impl Iterator<Item = i64>) -> Result<String, StoreError> {
    serde_json::to_string(&ids.collect::<Vec<_>>()).map_err(|e| StoreError::Other(Box::new(e)))
}

macro_rules! impl_comments {
    ($store:ty, $sql:path) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::comment::*;
            use kiosque_domain::store::{CommentStore, ReaderStore};
            use kiosque_domain::{ArticleId, StoreError, StoreResult, User, UserId};
            use $crate::comments::{CommentRow, ReaderRow, SessionRow, comments, id_list};
            use $crate::shared::{store_error, stored_time};
            use $sql as sql;

            impl $store {
                async fn log_moderation<'e, E>(
                    executor: E,
                    moderator: UserId,
                    action: &str,
                    comment: Option<CommentId>,
                    reader: Option<ReaderId>,
                    reason: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<()>
                where
                    E: sqlx::Executor<'e, Database = <Self as $crate::comments::HasDb>::Db>,
                {
                    sqlx::query(sql::LOG)
                        .bind(moderator.0)
                        .bind(action)
                        .bind(comment.map(|c| c.0))
                        .bind(reader.map(|r| r.0))
                        .bind(reason)
                        .bind(stored_time(now))
                        .execute(executor)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }
            }

            #[async_trait]
            impl ReaderStore for $store {
                async fn create_reader(
                    &self,
                    new: &NewReader,
                    now: DateTime<Utc>,
                ) -> StoreResult<Reader> {
                    let _writing = self.writing().await;
                    let (id,): (i64,) = sqlx::query_as(sql::INSERT_READER)
                        .bind(&new.email)
                        .bind(&new.display_name)
                        .bind(&new.password_hash)
                        .bind(stored_time(now))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    drop(_writing);
                    self.reader(ReaderId(id)).await
                }

                async fn reader(&self, id: ReaderId) -> StoreResult<Reader> {
                    let row: ReaderRow = sqlx::query_as(sql::READER)
                        .bind(id.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Reader::try_from(row)
                }

                async fn reader_credentials(
                    &self,
                    email: &str,
                ) -> StoreResult<Option<(Reader, Option<String>)>> {
                    let row: Option<ReaderRow> = sqlx::query_as(sql::READER_BY_EMAIL)
                        .bind(email)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    let Some(row) = row else { return Ok(None) };
                    let reader = Reader::try_from(row)?;
                    let (hash,): (Option<String>,) = sqlx::query_as(sql::READER_PASSWORD)
                        .bind(reader.id.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(Some((reader, hash)))
                }

                async fn reader_for_staff(
                    &self,
                    user: &User,
                    now: DateTime<Utc>,
                ) -> StoreResult<Reader> {
                    let existing: Option<ReaderRow> = sqlx::query_as(sql::READER_BY_STAFF)
                        .bind(user.id.0)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if let Some(row) = existing {
                        return Reader::try_from(row);
                    }
                    {
                        let _writing = self.writing().await;
                        sqlx::query(sql::STAFF_READER)
                            .bind(&user.name)
                            .bind(user.id.0)
                            .bind(stored_time(now))
                            .execute(&self.pool)
                            .await
                            .map_err(store_error)?;
                    }
                    let row: ReaderRow = sqlx::query_as(sql::READER_BY_STAFF)
                        .bind(user.id.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Reader::try_from(row)
                }

                async fn update_reader_profile(
                    &self,
                    id: ReaderId,
                    display_name: &str,
                    notify_replies: bool,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::UPDATE_PROFILE)
                        .bind(id.0)
                        .bind(display_name)
                        .bind(notify_replies)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn set_reader_password(&self, id: ReaderId, hash: &str) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::SET_PASSWORD)
                        .bind(id.0)
                        .bind(hash)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn set_reader_email(&self, id: ReaderId, email: &str) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::SET_EMAIL)
                        .bind(id.0)
                        .bind(email)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn mark_reader_verified(
                    &self,
                    id: ReaderId,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::VERIFY)
                        .bind(id.0)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn create_reader_token(
                    &self,
                    token_hash: &str,
                    reader: ReaderId,
                    purpose: TokenPurpose,
                    new_email: Option<&str>,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    sqlx::query(sql::LAPSE_TOKENS)
                        .bind(reader.0)
                        .bind(purpose.as_str())
                        .bind(stored_time(now))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    sqlx::query(sql::INSERT_TOKEN)
                        .bind(token_hash)
                        .bind(reader.0)
                        .bind(purpose.as_str())
                        .bind(new_email)
                        .bind(stored_time(now))
                        .bind(stored_time(now + purpose.lifetime()))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    tx.commit().await.map_err(store_error)?;
                    Ok(())
                }

                async fn take_reader_token(
                    &self,
                    token_hash: &str,
                    purpose: TokenPurpose,
                    now: DateTime<Utc>,
                ) -> StoreResult<Option<(ReaderId, Option<String>)>> {
                    let _writing = self.writing().await;
                    let row: Option<(i64, Option<String>)> = sqlx::query_as(sql::TAKE_TOKEN)
                        .bind(token_hash)
                        .bind(purpose.as_str())
                        .bind(stored_time(now))
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.map(|(id, email)| (ReaderId(id), email)))
                }

                async fn peek_reader_token(
                    &self,
                    token_hash: &str,
                    purpose: TokenPurpose,
                    now: DateTime<Utc>,
                ) -> StoreResult<bool> {
                    let (n,): (i64,) = sqlx::query_as(sql::PEEK_TOKEN)
                        .bind(token_hash)
                        .bind(purpose.as_str())
                        .bind(stored_time(now))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(n > 0)
                }

                async fn create_reader_session(
                    &self,
                    token_hash: &str,
                    reader: ReaderId,
                    csrf_token: &str,
                    now: DateTime<Utc>,
                    expires_at: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::INSERT_SESSION)
                        .bind(token_hash)
                        .bind(reader.0)
                        .bind(csrf_token)
                        .bind(stored_time(now))
                        .bind(stored_time(expires_at))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn reader_session(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<Option<ReaderSession>> {
                    let row: Option<SessionRow> = sqlx::query_as(sql::SESSION)
                        .bind(token_hash)
                        .bind(now)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(|r| {
                        Ok(ReaderSession {
                            reader: Reader::try_from(r.reader)?,
                            csrf_token: r.csrf_token,
                            last_seen_at: r.last_seen_at,
                        })
                    })
                    .transpose()
                }

                async fn touch_reader_session(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::TOUCH_SESSION)
                        .bind(token_hash)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn delete_reader_session(&self, token_hash: &str) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::DELETE_SESSION)
                        .bind(token_hash)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn delete_reader_sessions(&self, reader: ReaderId) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::DELETE_SESSIONS)
                        .bind(reader.0)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn delete_reader(
                    &self,
                    id: ReaderId,
                    policy: DeletionPolicy,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    sqlx::query(sql::UNLIKE_ALL)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    if policy == DeletionPolicy::Remove {
                        sqlx::query(sql::REMOVE_COMMENTS)
                            .bind(id.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    // Comments keep no link to the account: ON DELETE SET NULL.
                    let done = sqlx::query(sql::DELETE_READER)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(())
                }

                async fn moderate_reader(
                    &self,
                    id: ReaderId,
                    action: &ReaderAction,
                    moderator: UserId,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let (query, reason) = match action {
                        ReaderAction::Warn(reason) => {
                            (sqlx::query(sql::WARN).bind(id.0), reason.clone())
                        }
                        ReaderAction::Suspend { until, reason } => (
                            sqlx::query(sql::SUSPEND)
                                .bind(id.0)
                                .bind(stored_time(*until)),
                            format!("{reason} (until {})", until.to_rfc3339()),
                        ),
                        ReaderAction::Ban(reason) => (
                            sqlx::query(sql::BAN).bind(id.0).bind(reason.clone()),
                            reason.clone(),
                        ),
                        ReaderAction::Premoderate(on) => (
                            sqlx::query(sql::PREMODERATE).bind(id.0).bind(*on),
                            String::new(),
                        ),
                        ReaderAction::Reinstate => {
                            (sqlx::query(sql::REINSTATE).bind(id.0), String::new())
                        }
                    };
                    let done = query.execute(&mut *tx).await.map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Self::log_moderation(
                        &mut *tx,
                        moderator,
                        action.action(),
                        None,
                        Some(id),
                        &reason,
                        now,
                    )
                    .await?;
                    tx.commit().await.map_err(store_error)?;
                    Ok(())
                }

                async fn import_readers(
                    &self,
                    batch: &[NewReader],
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<ReaderId>> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let mut ids = Vec::with_capacity(batch.len());
                    for new in batch {
                        let (id,): (i64,) = sqlx::query_as(sql::INSERT_READER)
                            .bind(&new.email)
                            .bind(&new.display_name)
                            .bind(&new.password_hash)
                            .bind(stored_time(now))
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        sqlx::query(sql::VERIFY)
                            .bind(id)
                            .bind(stored_time(now))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        ids.push(ReaderId(id));
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(ids)
                }

                async fn find_readers(&self, query: &str, limit: u32) -> StoreResult<Vec<Reader>> {
                    let pattern =
                        format!("%{}%", query.trim().to_lowercase().replace(['%', '_'], ""));
                    let rows: Vec<ReaderRow> = sqlx::query_as(sql::FIND_READERS)
                        .bind(pattern)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    rows.into_iter().map(Reader::try_from).collect()
                }
            }

            #[async_trait]
            impl CommentStore for $store {
                async fn import_comments(
                    &self,
                    batch: &[(NewComment, DateTime<Utc>)],
                ) -> StoreResult<Vec<CommentId>> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let mut ids = Vec::with_capacity(batch.len());
                    for (new, at) in batch {
                        let (id,): (i64,) = sqlx::query_as(sql::INSERT_COMMENT)
                            .bind(new.article_id.0)
                            .bind(new.reader_id.0)
                            .bind(new.parent_id.map(|c| c.0))
                            .bind(new.reply_to.map(|c| c.0))
                            .bind(&new.body)
                            .bind(body_fingerprint(&new.body))
                            .bind(new.status.as_str())
                            .bind(new.queued_because.as_deref())
                            .bind(stored_time(*at))
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        ids.push(CommentId(id));
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(ids)
                }

                async fn post_comment(
                    &self,
                    new: &NewComment,
                    now: DateTime<Utc>,
                ) -> StoreResult<Comment> {
                    let id = {
                        let _writing = self.writing().await;
                        let (id,): (i64,) = sqlx::query_as(sql::INSERT_COMMENT)
                            .bind(new.article_id.0)
                            .bind(new.reader_id.0)
                            .bind(new.parent_id.map(|c| c.0))
                            .bind(new.reply_to.map(|c| c.0))
                            .bind(&new.body)
                            .bind(body_fingerprint(&new.body))
                            .bind(new.status.as_str())
                            .bind(new.queued_because.as_deref())
                            .bind(stored_time(now))
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?;
                        id
                    };
                    self.comment(CommentId(id)).await
                }

                async fn comment(&self, id: CommentId) -> StoreResult<Comment> {
                    let row: CommentRow = sqlx::query_as(sql::COMMENT)
                        .bind(id.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Comment::try_from(row)
                }

                async fn thread(
                    &self,
                    article: ArticleId,
                    sort: Sort,
                    page: u32,
                ) -> StoreResult<ThreadPage> {
                    let (total, roots_total): (i64, i64) = sqlx::query_as(sql::COUNTS)
                        .bind(article.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    let roots_sql = match sort {
                        Sort::Newest => sql::ROOTS_NEWEST,
                        Sort::Oldest => sql::ROOTS_OLDEST,
                        Sort::Liked => sql::ROOTS_LIKED,
                    };
                    let roots = comments(
                        sqlx::query_as(roots_sql)
                            .bind(article.0)
                            .bind(i64::from(PAGE_SIZE))
                            .bind(i64::from(page) * i64::from(PAGE_SIZE))
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?,
                    )?;
                    let mut replies = Vec::new();
                    let mut reply_counts = Vec::new();
                    if !roots.is_empty() {
                        let rows: Vec<CommentRow> = sqlx::query_as(sql::REPLIES_OF)
                            .bind(id_list(roots.iter().map(|c| c.id.0))?)
                            .bind(i64::from(REPLIES_SHOWN))
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?;
                        for row in rows {
                            let siblings = row.siblings;
                            let reply = Comment::try_from(row)?;
                            if let Some(parent) = reply.parent_id {
                                if !reply_counts.iter().any(|(p, _)| *p == parent) {
                                    reply_counts.push((parent, siblings));
                                }
                            }
                            replies.push(reply);
                        }
                    }
                    Ok(ThreadPage {
                        total,
                        roots_total,
                        roots,
                        replies,
                        reply_counts,
                    })
                }

                async fn replies(&self, root: CommentId) -> StoreResult<Vec<Comment>> {
                    comments(
                        sqlx::query_as(sql::ALL_REPLIES)
                            .bind(root.0)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?,
                    )
                }

                async fn comment_count(&self, article: ArticleId) -> StoreResult<i64> {
                    let (total, _): (i64, i64) = sqlx::query_as(sql::COUNTS)
                        .bind(article.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(total)
                }

                async fn pending_for(
                    &self,
                    article: ArticleId,
                    reader: ReaderId,
                ) -> StoreResult<Vec<Comment>> {
                    comments(
                        sqlx::query_as(sql::PENDING_FOR)
                            .bind(article.0)
                            .bind(reader.0)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?,
                    )
                }

                async fn author_history(
                    &self,
                    reader: ReaderId,
                    fingerprint: &str,
                    since: DateTime<Utc>,
                ) -> StoreResult<(i64, bool)> {
                    let (approved,): (i64,) = sqlx::query_as(sql::APPROVED_BY)
                        .bind(reader.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    let (repeated,): (i64,) = sqlx::query_as(sql::REPEATED)
                        .bind(reader.0)
                        .bind(fingerprint)
                        .bind(stored_time(since))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok((approved, repeated > 0))
                }

                async fn edit_comment(
                    &self,
                    id: CommentId,
                    body: &str,
                    status: CommentStatus,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::EDIT)
                        .bind(id.0)
                        .bind(body)
                        .bind(body_fingerprint(body))
                        .bind(status.as_str())
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Ok(())
                }

                async fn delete_comment(&self, id: CommentId) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::DELETE_COMMENT)
                        .bind(id.0)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn toggle_like(&self, id: CommentId, reader: ReaderId) -> StoreResult<bool> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let added = sqlx::query(sql::LIKE)
                        .bind(id.0)
                        .bind(reader.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    let likes = added.rows_affected() == 1;
                    if likes {
                        sqlx::query(sql::LIKES_UP)
                            .bind(id.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    } else {
                        sqlx::query(sql::UNLIKE)
                            .bind(id.0)
                            .bind(reader.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        sqlx::query(sql::LIKES_DOWN)
                            .bind(id.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(likes)
                }

                async fn liked_by(
                    &self,
                    reader: ReaderId,
                    ids: &[CommentId],
                ) -> StoreResult<Vec<CommentId>> {
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    let rows: Vec<(i64,)> = sqlx::query_as(sql::LIKED)
                        .bind(id_list(ids.iter().map(|c| c.0))?)
                        .bind(reader.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(|(id,)| CommentId(id)).collect())
                }

                async fn report_comment(
                    &self,
                    id: CommentId,
                    reader: ReaderId,
                    reason: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<bool> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let added = sqlx::query(sql::REPORT)
                        .bind(id.0)
                        .bind(reader.0)
                        .bind(reason)
                        .bind(stored_time(now))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    let new = added.rows_affected() == 1;
                    if new {
                        sqlx::query(sql::REPORTS_UP)
                            .bind(id.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(new)
                }

                async fn moderation_queue(
                    &self,
                    queue: Queue,
                    limit: u32,
                ) -> StoreResult<Vec<QueueItem>> {
                    use std::collections::HashMap;
                    let query = match queue {
                        Queue::Pending => sql::QUEUE_PENDING,
                        Queue::Reported => sql::QUEUE_REPORTED,
                        Queue::Recent => sql::QUEUE_RECENT,
                    };
                    let list = comments(
                        sqlx::query_as(query)
                            .bind(i64::from(limit))
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?,
                    )?;
                    if list.is_empty() {
                        return Ok(Vec::new());
                    }
                    let ids = id_list(list.iter().map(|c| c.id.0))?;
                    let details: Vec<(i64, String, Option<String>)> =
                        sqlx::query_as(sql::QUEUE_DETAILS)
                            .bind(&ids)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?;
                    let details: HashMap<i64, (String, Option<String>)> =
                        details.into_iter().map(|(id, h, q)| (id, (h, q))).collect();
                    let reasons: Vec<(i64, String, i64)> = sqlx::query_as(sql::REPORT_REASONS)
                        .bind(&ids)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(list
                        .into_iter()
                        .map(|comment| {
                            let (headline, queued_because) =
                                details.get(&comment.id.0).cloned().unwrap_or_default();
                            let reports = reasons
                                .iter()
                                .filter(|(id, _, _)| *id == comment.id.0)
                                .map(|(_, reason, n)| (reason.clone(), *n))
                                .collect();
                            QueueItem {
                                comment,
                                headline,
                                reports,
                                queued_because,
                            }
                        })
                        .collect())
                }

                async fn moderate_comments(
                    &self,
                    ids: &[CommentId],
                    decision: &Decision,
                    moderator: UserId,
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<(Comment, CommentStatus)>> {
                    let mut before = Vec::new();
                    for id in ids {
                        match self.comment(*id).await {
                            Ok(c) => before.push(c),
                            Err(StoreError::NotFound) => {}
                            Err(e) => return Err(e),
                        }
                    }
                    let mut changed = Vec::new();
                    {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        for comment in &before {
                            let id = comment.id.0;
                            let done = match decision {
                                Decision::Approve => {
                                    let done = sqlx::query(sql::APPROVE)
                                        .bind(id)
                                        .execute(&mut *tx)
                                        .await
                                        .map_err(store_error)?;
                                    sqlx::query(sql::CLEAR_REPORTS)
                                        .bind(id)
                                        .execute(&mut *tx)
                                        .await
                                        .map_err(store_error)?;
                                    done
                                }
                                Decision::Reject(reason) => sqlx::query(sql::REJECT)
                                    .bind(id)
                                    .bind(reason)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?,
                                Decision::Feature => sqlx::query(sql::FEATURE)
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?,
                                Decision::Unfeature => sqlx::query(sql::UNFEATURE)
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?,
                            };
                            if done.rows_affected() == 0 {
                                continue;
                            }
                            let reason = match decision {
                                Decision::Reject(reason) => reason.as_str(),
                                _ => "",
                            };
                            Self::log_moderation(
                                &mut *tx,
                                moderator,
                                decision.action(),
                                Some(comment.id),
                                comment.author.as_ref().map(|a| a.reader),
                                reason,
                                now,
                            )
                            .await?;
                            changed.push((comment.id, comment.status));
                        }
                        tx.commit().await.map_err(store_error)?;
                    }
                    let mut out = Vec::with_capacity(changed.len());
                    for (id, status) in changed {
                        out.push((self.comment(id).await?, status));
                    }
                    Ok(out)
                }

                async fn featured(&self, article: ArticleId) -> StoreResult<Vec<Comment>> {
                    comments(
                        sqlx::query_as(sql::FEATURED)
                            .bind(article.0)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?,
                    )
                }

                async fn moderation_log(&self, limit: u32) -> StoreResult<Vec<ModerationEntry>> {
                    let rows: Vec<(
                        Option<String>,
                        String,
                        Option<i64>,
                        Option<i64>,
                        Option<String>,
                        String,
                        DateTime<Utc>,
                    )> = sqlx::query_as(sql::MODERATION_LOG)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows
                        .into_iter()
                        .map(
                            |(
                                moderator,
                                action,
                                comment,
                                reader,
                                reader_name,
                                reason,
                                created_at,
                            )| ModerationEntry {
                                moderator,
                                action,
                                comment_id: comment.map(CommentId),
                                reader_id: reader.map(ReaderId),
                                reader_name,
                                reason,
                                created_at,
                            },
                        )
                        .collect())
                }

                async fn pending_count(&self) -> StoreResult<i64> {
                    let (n,): (i64,) = sqlx::query_as(sql::PENDING_COUNT)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(n)
                }

                async fn reader_comments(
                    &self,
                    reader: ReaderId,
                    limit: u32,
                ) -> StoreResult<Vec<Comment>> {
                    comments(
                        sqlx::query_as(sql::READER_COMMENTS)
                            .bind(reader.0)
                            .bind(i64::from(limit))
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?,
                    )
                }
            }
        };
    };
}

/// The database type of a store, for helpers generic over executors.
pub(crate) trait HasDb {
    type Db: sqlx::Database;
}
