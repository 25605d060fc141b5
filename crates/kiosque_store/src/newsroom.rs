//! Accounts, sessions, API tokens, audit log and jobs, implemented once for both
//! backends (see `shared.rs` for why a macro).

/// The end of both claim statements: the due condition again, and the claimed rows.
macro_rules! claim_tail {
    () => {
        "AND ((status = 'pending' AND run_at <= $1) OR (status = 'running' AND locked_until < $1)) \
        RETURNING id, kind, payload, run_at, attempts, status, last_error"
    };
}

/// SQL shared by both dialects.
pub(crate) mod sql {
    pub const INSERT_USER: &str = "INSERT INTO users (email, name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id, email, name, role, active, created_at";
    pub const USER_CREDENTIALS: &str = "SELECT id, email, name, role, active, created_at, password_hash FROM users WHERE email = $1";
    pub const USER_BY_ID: &str =
        "SELECT id, email, name, role, active, created_at FROM users WHERE id = $1";
    pub const ALL_USERS: &str =
        "SELECT id, email, name, role, active, created_at FROM users ORDER BY name, id";
    pub const COUNT_ADMINS: &str =
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = TRUE";
    pub const SET_ACTIVE: &str = "UPDATE users SET active = $2 WHERE id = $1";
    pub const DELETE_USER_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
    pub const REVOKE_USER_TOKENS: &str =
        "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
    pub const SET_PASSWORD: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";

    pub const INSERT_SESSION: &str = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)";
    pub const SESSION: &str = "SELECT u.id, u.email, u.name, u.role, u.active, u.created_at, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, s.expires_at \
        FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE";
    pub const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";
    pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

    pub const INSERT_TOKEN: &str = "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
    pub const USER_BY_TOKEN: &str = "SELECT u.id, u.email, u.name, u.role, u.active, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = TRUE";
    pub const TOKEN_USED: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1";
    pub const TOKENS: &str = "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC";
    pub const REVOKE_TOKEN: &str = "UPDATE api_tokens SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL";

    pub const INSERT_AUDIT: &str = "INSERT INTO audit_log (user_id, action, target, detail, created_at) VALUES ($1, $2, $3, $4, $5)";
    pub const AUDIT_LOG: &str = "SELECT u.name AS user_name, l.action, l.target, l.detail, l.created_at FROM audit_log l LEFT JOIN users u ON u.id = l.user_id ORDER BY l.created_at DESC, l.id DESC LIMIT $1";

    /// Claims due jobs, and jobs whose claim expired (a crashed worker). The condition
    /// is repeated outside the subquery so two workers never claim the same job.
    pub const CLAIM_JOBS_SQLITE: &str = concat!(
        "UPDATE jobs SET status = 'running', locked_until = $2, locked_by = $4, attempts = attempts + 1, updated_at = $1 \
        WHERE id IN (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= $1) OR (status = 'running' AND locked_until < $1) ORDER BY run_at, id LIMIT $3) ",
        claim_tail!()
    );
    /// On PostgreSQL, workers on several nodes claim at once: each skips the rows
    /// another is claiming instead of queueing behind its lock.
    pub const CLAIM_JOBS_POSTGRES: &str = concat!(
        "UPDATE jobs SET status = 'running', locked_until = $2, locked_by = $4, attempts = attempts + 1, updated_at = $1 \
        WHERE id IN (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= $1) OR (status = 'running' AND locked_until < $1) ORDER BY run_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) ",
        claim_tail!()
    );
    /// A claimed job given back unstarted (a worker shutting down): not an attempt.
    pub const RELEASE_JOB: &str = "UPDATE jobs SET status = 'pending', locked_until = NULL, attempts = attempts - 1, updated_at = $2 WHERE id = $1 AND status = 'running'";
    /// Jobs due and waiting, and when the oldest of them came due.
    pub const QUEUE_STATS: &str = "SELECT COUNT(*), MIN(run_at) FROM jobs WHERE (status = 'pending' AND run_at <= $1) OR (status = 'running' AND locked_until < $1)";
    pub const COMPLETE_JOB: &str =
        "UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = $2 WHERE id = $1";
    pub const RETRY_JOB: &str = "UPDATE jobs SET status = 'pending', run_at = $3, last_error = $2, locked_until = NULL, updated_at = $4 WHERE id = $1";
    pub const FAIL_JOB: &str = "UPDATE jobs SET status = 'failed', last_error = $2, locked_until = NULL, updated_at = $3 WHERE id = $1";
    pub const TROUBLED_JOBS: &str = "SELECT id, kind, payload, run_at, attempts, status, last_error FROM jobs WHERE status = 'failed' OR (status = 'pending' AND attempts > 0) ORDER BY updated_at DESC, id DESC LIMIT $1";
}

macro_rules! impl_newsroom {
    ($store:ty, $claim_jobs:expr) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::staff::{
                AuditEntry, NewUser, Session, User, UserId, normalise_email,
            };
            use kiosque_domain::store::{AccountStore, ApiToken, Job, JobQueue};
            use kiosque_domain::{StoreError, StoreResult};
            use $crate::newsroom::sql;
            use $crate::rows::{AuditRow, CredentialsRow, JobRow, SessionRow, TokenRow, UserRow};
            use $crate::shared::{store_error, stored_time};

            fn found(rows: u64) -> StoreResult<()> {
                if rows == 0 {
                    Err(StoreError::NotFound)
                } else {
                    Ok(())
                }
            }

            #[async_trait]
            impl AccountStore for $store {
                async fn create_user(
                    &self,
                    new: &NewUser,
                    now: DateTime<Utc>,
                ) -> StoreResult<User> {
                    let _writing = self.writing().await;
                    let row: UserRow = sqlx::query_as(sql::INSERT_USER)
                        .bind(normalise_email(&new.email))
                        .bind(new.name.trim())
                        .bind(new.role.as_str())
                        .bind(&new.password_hash)
                        .bind(stored_time(now))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.try_into()
                }

                async fn user_credentials(
                    &self,
                    email: &str,
                ) -> StoreResult<Option<(User, String)>> {
                    let row: Option<CredentialsRow> = sqlx::query_as(sql::USER_CREDENTIALS)
                        .bind(normalise_email(email))
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(|r| Ok((r.user.try_into()?, r.password_hash)))
                        .transpose()
                }

                async fn user(&self, id: UserId) -> StoreResult<User> {
                    let row: UserRow = sqlx::query_as(sql::USER_BY_ID)
                        .bind(id.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.try_into()
                }

                async fn users(&self) -> StoreResult<Vec<User>> {
                    let rows: Vec<UserRow> = sqlx::query_as(sql::ALL_USERS)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    rows.into_iter().map(User::try_from).collect()
                }

                async fn count_admins(&self) -> StoreResult<i64> {
                    sqlx::query_scalar(sql::COUNT_ADMINS)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }

                async fn set_user_active(
                    &self,
                    id: UserId,
                    active: bool,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let done = sqlx::query(sql::SET_ACTIVE)
                        .bind(id.0)
                        .bind(active)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    found(done.rows_affected())?;
                    if !active {
                        sqlx::query(sql::DELETE_USER_SESSIONS)
                            .bind(id.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        sqlx::query(sql::REVOKE_USER_TOKENS)
                            .bind(id.0)
                            .bind(stored_time(now))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)
                }

                async fn set_password_hash(&self, id: UserId, hash: &str) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let done = sqlx::query(sql::SET_PASSWORD)
                        .bind(id.0)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    found(done.rows_affected())?;
                    // A new password ends every session; the caller opens a fresh one.
                    sqlx::query(sql::DELETE_USER_SESSIONS)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    tx.commit().await.map_err(store_error)
                }

                async fn create_session(
                    &self,
                    token_hash: &str,
                    user: UserId,
                    csrf_token: &str,
                    now: DateTime<Utc>,
                    expires_at: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::INSERT_SESSION)
                        .bind(token_hash)
                        .bind(user.0)
                        .bind(csrf_token)
                        .bind(stored_time(now))
                        .bind(stored_time(expires_at))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn session(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<Option<Session>> {
                    let row: Option<SessionRow> = sqlx::query_as(sql::SESSION)
                        .bind(token_hash)
                        .bind(now)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(Session::try_from).transpose()
                }

                async fn touch_session(
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

                async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::DELETE_SESSION)
                        .bind(token_hash)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn create_api_token(
                    &self,
                    user: UserId,
                    name: &str,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<i64> {
                    let _writing = self.writing().await;
                    sqlx::query_scalar(sql::INSERT_TOKEN)
                        .bind(user.0)
                        .bind(name.trim())
                        .bind(token_hash)
                        .bind(stored_time(now))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }

                async fn user_by_api_token(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<Option<User>> {
                    let _writing = self.writing().await;
                    let row: Option<UserRow> = sqlx::query_as(sql::USER_BY_TOKEN)
                        .bind(token_hash)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if row.is_some() {
                        sqlx::query(sql::TOKEN_USED)
                            .bind(token_hash)
                            .bind(stored_time(now))
                            .execute(&self.pool)
                            .await
                            .map_err(store_error)?;
                    }
                    row.map(User::try_from).transpose()
                }

                async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
                    let rows: Vec<TokenRow> = sqlx::query_as(sql::TOKENS)
                        .bind(user.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(ApiToken::from).collect())
                }

                async fn revoke_api_token(
                    &self,
                    user: UserId,
                    id: i64,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::REVOKE_TOKEN)
                        .bind(user.0)
                        .bind(id)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    found(done.rows_affected())
                }

                async fn audit(
                    &self,
                    user: Option<UserId>,
                    action: &str,
                    target: &str,
                    detail: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::INSERT_AUDIT)
                        .bind(user.map(|u| u.0))
                        .bind(action)
                        .bind(target)
                        .bind(detail)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn audit_log(&self, limit: u32) -> StoreResult<Vec<AuditEntry>> {
                    let rows: Vec<AuditRow> = sqlx::query_as(sql::AUDIT_LOG)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(AuditEntry::from).collect())
                }
            }

            #[async_trait]
            impl JobQueue for $store {
                async fn enqueue(
                    &self,
                    kind: &str,
                    payload: &str,
                    run_at: DateTime<Utc>,
                    now: DateTime<Utc>,
                ) -> StoreResult<i64> {
                    let _writing = self.writing().await;
                    sqlx::query_scalar($crate::shared::sql::ENQUEUE_JOB)
                        .bind(kind)
                        .bind(payload)
                        .bind(stored_time(run_at))
                        .bind(stored_time(now))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }

                async fn claim_due(
                    &self,
                    worker: &str,
                    now: DateTime<Utc>,
                    lease_until: DateTime<Utc>,
                    limit: u32,
                ) -> StoreResult<Vec<Job>> {
                    let _writing = self.writing().await;
                    let rows: Vec<JobRow> = sqlx::query_as($claim_jobs)
                        .bind(stored_time(now))
                        .bind(stored_time(lease_until))
                        .bind(i64::from(limit))
                        .bind(worker)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(Job::from).collect())
                }

                async fn complete(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::COMPLETE_JOB)
                        .bind(id)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    found(done.rows_affected())
                }

                async fn fail(
                    &self,
                    id: i64,
                    error: &str,
                    retry_at: Option<DateTime<Utc>>,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = match retry_at {
                        Some(at) => {
                            sqlx::query(sql::RETRY_JOB)
                                .bind(id)
                                .bind(error)
                                .bind(stored_time(at))
                                .bind(stored_time(now))
                                .execute(&self.pool)
                                .await
                        }
                        None => {
                            sqlx::query(sql::FAIL_JOB)
                                .bind(id)
                                .bind(error)
                                .bind(stored_time(now))
                                .execute(&self.pool)
                                .await
                        }
                    }
                    .map_err(store_error)?;
                    found(done.rows_affected())
                }

                async fn release(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::RELEASE_JOB)
                        .bind(id)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn queue_stats(
                    &self,
                    now: DateTime<Utc>,
                ) -> StoreResult<(u64, Option<DateTime<Utc>>)> {
                    let (count, oldest): (i64, Option<DateTime<Utc>>) =
                        sqlx::query_as(sql::QUEUE_STATS)
                            .bind(stored_time(now))
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?;
                    Ok((u64::try_from(count).unwrap_or(0), oldest))
                }

                async fn troubled_jobs(&self, limit: u32) -> StoreResult<Vec<Job>> {
                    let rows: Vec<JobRow> = sqlx::query_as(sql::TROUBLED_JOBS)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(Job::from).collect())
                }
            }
        };
    };
}
