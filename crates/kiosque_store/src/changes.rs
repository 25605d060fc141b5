//! The article change feed (written by the triggers of migration 0007), implemented
//! once for both backends (see `shared.rs`).

pub(crate) mod sql {
    pub const CHANGES: &str = "SELECT seq, article_id, changed_at FROM (SELECT seq, article_id, changed_at FROM article_changes WHERE seq > $1 ORDER BY seq LIMIT $3) fresh \
        UNION ALL SELECT seq, article_id, changed_at FROM article_changes WHERE seq <= $1 AND $2 IS NOT NULL AND changed_at >= $2 \
        ORDER BY seq";
    pub const BOUNDS: &str = "SELECT MIN(seq), MAX(seq) FROM article_changes";
    pub const REQUEST_REBUILD: &str = "INSERT INTO article_changes (article_id) VALUES (0)";
    pub const PRUNE: &str = "DELETE FROM article_changes WHERE changed_at < $1";
    pub const SIGNAL: &str =
        "INSERT INTO site_signals (scope, created_at) VALUES ($1, $2) RETURNING seq";
    pub const SIGNALS: &str = "SELECT seq, scope, created_at FROM site_signals WHERE seq > $1 OR created_at >= $2 ORDER BY seq LIMIT 1000";
    pub const LAST_SIGNAL: &str = "SELECT COALESCE(MAX(seq), 0) FROM site_signals";
    pub const PRUNE_SIGNALS: &str = "DELETE FROM site_signals WHERE created_at < $1";
    pub const PUBLISHED_IDS: &str =
        "SELECT id FROM articles WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2";
    /// `$2` is a JSON array of ids; each backend unpacks it its own way.
    pub const PUBLIC_BY_IDS_SQLITE: &str = concat!(
        summary_select!(),
        // `+` keeps SQLite from walking the status index instead of the ids.
        "WHERE a.id IN (SELECT value FROM json_each($2)) AND +a.status = 'published' AND +a.published_at <= $1"
    );
    pub const PUBLIC_BY_IDS_POSTGRES: &str = concat!(
        summary_select!(),
        "WHERE a.status = 'published' AND a.published_at <= $1 AND a.id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)"
    );
}

macro_rules! impl_changes {
    ($store:ty, $public_by_ids:expr) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::store::{ArticleChange, ChangeFeed, SiteSignal};
            use kiosque_domain::{ArticleId, ArticleSummary, StoreResult};
            use $crate::changes::sql;
            use $crate::rows::SummaryRow;
            use $crate::shared::{store_error, stored_time};

            #[async_trait]
            impl ChangeFeed for $store {
                async fn article_changes(
                    &self,
                    after: i64,
                    recent: Option<DateTime<Utc>>,
                    limit: u32,
                ) -> StoreResult<Vec<ArticleChange>> {
                    let rows: Vec<(i64, i64, DateTime<Utc>)> = sqlx::query_as(sql::CHANGES)
                        .bind(after)
                        .bind(recent.map(stored_time))
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows
                        .into_iter()
                        .map(|(seq, article, changed_at)| ArticleChange {
                            seq,
                            article: (article != 0).then_some(ArticleId(article)),
                            changed_at,
                        })
                        .collect())
                }

                async fn change_bounds(&self) -> StoreResult<Option<(i64, i64)>> {
                    let (low, high): (Option<i64>, Option<i64>) = sqlx::query_as(sql::BOUNDS)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(low.zip(high))
                }

                async fn request_rebuild(&self) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::REQUEST_REBUILD)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn prune_changes(&self, before: DateTime<Utc>) -> StoreResult<u64> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::PRUNE)
                        .bind(stored_time(before))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(done.rows_affected())
                }

                async fn signal(&self, scope: &str, at: DateTime<Utc>) -> StoreResult<i64> {
                    let _writing = self.writing().await;
                    sqlx::query_scalar(sql::SIGNAL)
                        .bind(scope)
                        .bind(stored_time(at))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }

                async fn signals(
                    &self,
                    after: i64,
                    recent: DateTime<Utc>,
                ) -> StoreResult<Vec<SiteSignal>> {
                    let rows: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(sql::SIGNALS)
                        .bind(after)
                        .bind(stored_time(recent))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows
                        .into_iter()
                        .map(|(seq, scope, at)| SiteSignal { seq, scope, at })
                        .collect())
                }

                async fn last_signal(&self) -> StoreResult<i64> {
                    sqlx::query_scalar(sql::LAST_SIGNAL)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)
                }

                async fn prune_signals(&self, before: DateTime<Utc>) -> StoreResult<u64> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::PRUNE_SIGNALS)
                        .bind(stored_time(before))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(done.rows_affected())
                }

                async fn published_ids(
                    &self,
                    after: ArticleId,
                    limit: u32,
                ) -> StoreResult<Vec<ArticleId>> {
                    let ids: Vec<i64> = sqlx::query_scalar(sql::PUBLISHED_IDS)
                        .bind(after.0)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(ids.into_iter().map(ArticleId).collect())
                }

                async fn public_summaries(
                    &self,
                    ids: &[ArticleId],
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<ArticleSummary>> {
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    let list =
                        serde_json::to_string(&ids.iter().map(|id| id.0).collect::<Vec<_>>())
                            .map_err(|e| kiosque_domain::StoreError::Other(Box::new(e)))?;
                    let rows: Vec<SummaryRow> = sqlx::query_as($public_by_ids)
                        .bind(now)
                        .bind(list)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    rows.into_iter().map(ArticleSummary::try_from).collect()
                }
            }
        };
    };
}
