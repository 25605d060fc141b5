//! Curated fronts, implemented once for both backends (see `shared.rs`).

pub(crate) mod sql {
    pub const FRONT: &str = "SELECT version, updated_at FROM fronts WHERE front = $1";
    pub const SLOTS: &str =
        "SELECT article_id, until FROM front_slots WHERE front = $1 ORDER BY position";
    /// The first save of a front: no row back when another save got there first.
    pub const CREATE: &str = "INSERT INTO fronts (front, version, updated_at) VALUES ($1, 1, $2) ON CONFLICT (front) DO NOTHING";
    /// A later save: no row changed when the version moved on.
    pub const BUMP: &str = "UPDATE fronts SET version = version + 1, updated_at = $3 WHERE front = $1 AND version = $2";
    pub const CLEAR: &str = "DELETE FROM front_slots WHERE front = $1";
    pub const INSERT_SLOT: &str =
        "INSERT INTO front_slots (front, position, article_id, until) VALUES ($1, $2, $3, $4)";
    /// Public articles of a front in slot order; lapsed slots left out.
    pub const ARTICLES: &str = concat!(
        summary_select!(),
        "JOIN front_slots f ON f.article_id = a.id \
        WHERE f.front = $1 AND (f.until IS NULL OR f.until > $2) \
          AND a.status = 'published' AND a.published_at <= $2 \
        ORDER BY f.position"
    );
}

macro_rules! impl_fronts {
    ($store:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::front::{Front, FrontKey, FrontSlot};
            use kiosque_domain::store::FrontStore;
            use kiosque_domain::{ArticleId, ArticleSummary, StoreError, StoreResult};
            use $crate::fronts::sql;
            use $crate::rows::SummaryRow;
            use $crate::shared::{store_error, stored_time};

            #[async_trait]
            impl FrontStore for $store {
                async fn front(&self, key: FrontKey) -> StoreResult<Front> {
                    let name = key.as_key();
                    let head: Option<(i64, DateTime<Utc>)> = sqlx::query_as(sql::FRONT)
                        .bind(&name)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    let slots: Vec<(i64, Option<DateTime<Utc>>)> = sqlx::query_as(sql::SLOTS)
                        .bind(&name)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(Front {
                        key,
                        version: head.map_or(0, |(v, _)| v),
                        updated_at: head.map(|(_, at)| at),
                        slots: slots
                            .into_iter()
                            .map(|(article, until)| FrontSlot {
                                article: ArticleId(article),
                                until,
                            })
                            .collect(),
                    })
                }

                async fn save_front(
                    &self,
                    key: FrontKey,
                    expected_version: i64,
                    slots: &[FrontSlot],
                    now: DateTime<Utc>,
                ) -> StoreResult<Front> {
                    kiosque_domain::front::check_slots(slots)
                        .map_err(|e| StoreError::Other(Box::new(e)))?;
                    let _writing = self.writing().await;
                    let name = key.as_key();
                    let now = stored_time(now);
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let done = if expected_version == 0 {
                        sqlx::query(sql::CREATE)
                            .bind(&name)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?
                    } else {
                        sqlx::query(sql::BUMP)
                            .bind(&name)
                            .bind(expected_version)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?
                    };
                    if done.rows_affected() != 1 {
                        return Err(StoreError::VersionMismatch {
                            stored: None,
                            expected: expected_version,
                        });
                    }
                    sqlx::query(sql::CLEAR)
                        .bind(&name)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    for (position, slot) in slots.iter().enumerate() {
                        sqlx::query(sql::INSERT_SLOT)
                            .bind(&name)
                            .bind(position as i64)
                            .bind(slot.article.0)
                            .bind(slot.until.map(stored_time))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(Front {
                        key,
                        version: expected_version + 1,
                        updated_at: Some(now),
                        slots: slots.to_vec(),
                    })
                }

                async fn front_articles(
                    &self,
                    key: FrontKey,
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<ArticleSummary>> {
                    let rows: Vec<SummaryRow> = sqlx::query_as(sql::ARTICLES)
                        .bind(key.as_key())
                        .bind(now)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    rows.into_iter().map(ArticleSummary::try_from).collect()
                }
            }
        };
    };
}
