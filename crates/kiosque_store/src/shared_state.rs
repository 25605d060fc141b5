//! Throttle events and editors' presence (migration 0014), implemented once for both
//! backends: the state every node must share (see `SharedStateStore`).

pub(crate) mod sql {
    pub const COUNT: &str = "SELECT COUNT(*) FROM throttle_events WHERE key = $1 AND at >= $2";
    pub const RECORD: &str = "INSERT INTO throttle_events (key, at) VALUES ($1, $2)";
    pub const CLEAR: &str = "DELETE FROM throttle_events WHERE key = $1";
    pub const PRUNE: &str = "DELETE FROM throttle_events WHERE at < $1";
    pub const PING: &str = "INSERT INTO editor_presence (article_id, user_id, name, seen_at) VALUES ($1, $2, $3, $4) \
        ON CONFLICT (article_id, user_id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at";
    pub const TAKEN_OVER: &str =
        "SELECT taken_over_by FROM editor_presence WHERE article_id = $1 AND user_id = $2";
    pub const FORGET_TAKEN_OVER: &str =
        "UPDATE editor_presence SET taken_over_by = NULL WHERE article_id = $1 AND user_id = $2";
    pub const PRESENT: &str = "SELECT user_id, name, seen_at FROM editor_presence WHERE article_id = $1 AND seen_at >= $2 ORDER BY name";
    pub const TAKE_OVER: &str = "UPDATE editor_presence SET taken_over_by = $3 WHERE article_id = $1 AND user_id <> $2 AND seen_at >= $4";
    pub const LEAVE: &str = "DELETE FROM editor_presence WHERE article_id = $1 AND user_id = $2";
}

macro_rules! impl_shared_state {
    ($store:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::store::SharedStateStore;
            use kiosque_domain::{ArticleId, StoreResult, UserId};
            use $crate::shared::{store_error, stored_time};
            use $crate::shared_state::sql;

            #[async_trait]
            impl SharedStateStore for $store {
                async fn count_events(&self, key: &str, since: DateTime<Utc>) -> StoreResult<u64> {
                    let n: i64 = sqlx::query_scalar(sql::COUNT)
                        .bind(key)
                        .bind(stored_time(since))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(u64::try_from(n).unwrap_or(0))
                }

                async fn record_event(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::RECORD)
                        .bind(key)
                        .bind(stored_time(at))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn take_events(
                    &self,
                    limits: &[(String, u64, DateTime<Utc>)],
                    at: DateTime<Utc>,
                ) -> StoreResult<bool> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    for (key, limit, since) in limits {
                        let n: i64 = sqlx::query_scalar(sql::COUNT)
                            .bind(key)
                            .bind(stored_time(*since))
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        if u64::try_from(n).unwrap_or(0) >= *limit {
                            return Ok(false);
                        }
                    }
                    for (key, _, _) in limits {
                        sqlx::query(sql::RECORD)
                            .bind(key)
                            .bind(stored_time(at))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(true)
                }

                async fn clear_events(&self, key: &str) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::CLEAR)
                        .bind(key)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn prune_events(&self, before: DateTime<Utc>) -> StoreResult<u64> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::PRUNE)
                        .bind(stored_time(before))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(done.rows_affected())
                }

                async fn ping_presence(
                    &self,
                    article: ArticleId,
                    user: UserId,
                    name: &str,
                    at: DateTime<Utc>,
                ) -> StoreResult<Option<String>> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let taken: Option<Option<String>> = sqlx::query_scalar(sql::TAKEN_OVER)
                        .bind(article.0)
                        .bind(user.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    sqlx::query(sql::PING)
                        .bind(article.0)
                        .bind(user.0)
                        .bind(name)
                        .bind(stored_time(at))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    let taken = taken.flatten();
                    if taken.is_some() {
                        sqlx::query(sql::FORGET_TAKEN_OVER)
                            .bind(article.0)
                            .bind(user.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(taken)
                }

                async fn present(
                    &self,
                    article: ArticleId,
                    since: DateTime<Utc>,
                ) -> StoreResult<Vec<(UserId, String, DateTime<Utc>)>> {
                    let rows: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(sql::PRESENT)
                        .bind(article.0)
                        .bind(stored_time(since))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows
                        .into_iter()
                        .map(|(u, n, at)| (UserId(u), n, at))
                        .collect())
                }

                async fn take_over(
                    &self,
                    article: ArticleId,
                    user: UserId,
                    name: &str,
                    since: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::TAKE_OVER)
                        .bind(article.0)
                        .bind(user.0)
                        .bind(name)
                        .bind(stored_time(since))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn leave_presence(
                    &self,
                    article: ArticleId,
                    user: UserId,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::LEAVE)
                        .bind(article.0)
                        .bind(user.0)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }
            }
        };
    };
}
