//! Agency dispatches, implemented once for both backends (see `shared.rs`).

pub(crate) mod sql {
    pub const CURRENT_VERSION: &str = "SELECT id, version FROM wire_items WHERE guid = $1";
    /// A new guid in one statement; no row back when the guid is known.
    pub const INSERT_ITEM: &str = "INSERT INTO wire_items (guid, version, format, item_class, pub_status, provider, urgency, language, headline, summary, embargo, version_created, received_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) ON CONFLICT (guid) DO NOTHING RETURNING id";
    pub const UPDATE_ITEM: &str = "UPDATE wire_items SET version = $2, format = $3, item_class = $4, pub_status = $5, provider = $6, urgency = $7, language = $8, headline = $9, summary = $10, embargo = $11, version_created = $12, updated_at = $13 \
        WHERE id = $1 AND version < $2";
    pub const INSERT_VERSION: &str = "INSERT INTO wire_versions (wire_id, version, payload, source, received_at) VALUES ($1, $2, $3, $4, $5)";
    pub const VERSIONS: &str = "SELECT version, payload, source, received_at FROM wire_versions WHERE wire_id = $1 ORDER BY version DESC";
    pub const LINK_ARTICLE: &str = "UPDATE wire_items SET article_id = $2, article_version = $3, auto_published = $4 WHERE id = $1";

    pub const ITEM: &str = "SELECT id, guid, version, format, item_class, pub_status, provider, urgency, language, headline, summary, embargo, version_created, received_at, updated_at, article_id, article_version, auto_published FROM wire_items WHERE id = $1";
    pub const FOR_ARTICLE: &str = "SELECT id, guid, version, format, item_class, pub_status, provider, urgency, language, headline, summary, embargo, version_created, received_at, updated_at, article_id, article_version, auto_published FROM wire_items WHERE article_id = $1 ORDER BY id DESC LIMIT 1";
    /// The desk: $1 provider, $2 highest urgency, $3 language, $4 headline pattern,
    /// $5/$6 cursor, $7 page size.
    pub const DESK: &str = "SELECT id, guid, version, format, item_class, pub_status, provider, urgency, language, headline, summary, embargo, version_created, received_at, updated_at, article_id, article_version, auto_published FROM wire_items \
        WHERE ($1 IS NULL OR LOWER(provider) = LOWER($1)) \
          AND ($2 IS NULL OR (urgency IS NOT NULL AND urgency <= $2)) \
          AND ($3 IS NULL OR language = $3 OR language LIKE $3 || '-%') \
          AND ($4 IS NULL OR LOWER(headline) LIKE $4 ESCAPE '\\') \
          AND ($5 IS NULL OR updated_at < $5 OR (updated_at = $5 AND id < $6)) \
        ORDER BY updated_at DESC, id DESC LIMIT $7";
}

/// Binds the columns every version sets, `$3` to `$13`, after the guid (or id) and
/// the version.
macro_rules! bind_version {
    ($query:expr, $new:expr, $now:expr) => {
        $query
            .bind(&$new.format)
            .bind(&$new.item_class)
            .bind(&$new.pub_status)
            .bind(&$new.provider)
            .bind($new.urgency)
            .bind(&$new.language)
            .bind(&$new.headline)
            .bind(&$new.summary)
            .bind($new.embargo.map(stored_time))
            .bind($new.version_created.map(stored_time))
            .bind($now)
    };
}

macro_rules! impl_wire {
    ($store:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::ArticleId;
            use kiosque_domain::store::WireStore;
            use kiosque_domain::wire::{
                NewWireVersion, WireEntry, WireId, WireOutcome, WireQuery, WireVersion,
            };
            use kiosque_domain::{StoreError, StoreResult};
            use $crate::rows::{WireEntryRow, WireVersionRow};
            use $crate::shared::{store_error, stored_time};
            use $crate::wire::sql;

            #[async_trait]
            impl WireStore for $store {
                async fn record_wire_batch(
                    &self,
                    batch: &[NewWireVersion],
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<WireOutcome>> {
                    let _writing = self.writing().await;
                    let now = stored_time(now);
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let mut outcomes = Vec::with_capacity(batch.len());
                    for new in batch {
                        // The common case, a new guid, is one statement.
                        let insert = sqlx::query_scalar(sql::INSERT_ITEM)
                            .bind(&new.guid)
                            .bind(new.version);
                        let created: Option<i64> = bind_version!(insert, new, now)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        let outcome = match created {
                            Some(id) => WireOutcome::Created(WireId(id)),
                            None => {
                                let (id, version): (i64, i64) =
                                    sqlx::query_as(sql::CURRENT_VERSION)
                                        .bind(&new.guid)
                                        .fetch_one(&mut *tx)
                                        .await
                                        .map_err(store_error)?;
                                if version >= new.version {
                                    outcomes.push(WireOutcome::Duplicate(WireId(id)));
                                    continue;
                                }
                                let update =
                                    sqlx::query(sql::UPDATE_ITEM).bind(id).bind(new.version);
                                bind_version!(update, new, now)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?;
                                WireOutcome::Updated(WireId(id))
                            }
                        };
                        sqlx::query(sql::INSERT_VERSION)
                            .bind(outcome.id().0)
                            .bind(new.version)
                            .bind(&new.payload)
                            .bind(&new.source)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        outcomes.push(outcome);
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(outcomes)
                }

                async fn wire_items(&self, query: &WireQuery) -> StoreResult<Vec<WireEntry>> {
                    let pattern = query
                        .text
                        .as_deref()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(|t| {
                            let escaped = t
                                .to_lowercase()
                                .replace('\\', "\\\\")
                                .replace('%', "\\%")
                                .replace('_', "\\_");
                            format!("%{escaped}%")
                        });
                    let rows: Vec<WireEntryRow> = sqlx::query_as(sql::DESK)
                        .bind(query.provider.as_deref().filter(|p| !p.is_empty()))
                        .bind(query.urgency_max)
                        .bind(query.language.as_deref().filter(|l| !l.is_empty()))
                        .bind(pattern)
                        .bind(query.before.map(|(at, _)| at))
                        .bind(query.before.map(|(_, id)| id.0))
                        .bind(i64::from(query.limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(WireEntry::from).collect())
                }

                async fn wire_item(&self, id: WireId) -> StoreResult<WireEntry> {
                    let row: WireEntryRow = sqlx::query_as(sql::ITEM)
                        .bind(id.0)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.into())
                }

                async fn wire_versions(&self, id: WireId) -> StoreResult<Vec<WireVersion>> {
                    let rows: Vec<WireVersionRow> = sqlx::query_as(sql::VERSIONS)
                        .bind(id.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(WireVersion::from).collect())
                }

                async fn link_wire_article(
                    &self,
                    id: WireId,
                    article: ArticleId,
                    version: i64,
                    auto_published: bool,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::LINK_ARTICLE)
                        .bind(id.0)
                        .bind(article.0)
                        .bind(version)
                        .bind(auto_published)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        Err(StoreError::NotFound)
                    } else {
                        Ok(())
                    }
                }

                async fn wire_for_article(
                    &self,
                    article: ArticleId,
                ) -> StoreResult<Option<WireEntry>> {
                    let row: Option<WireEntryRow> = sqlx::query_as(sql::FOR_ARTICLE)
                        .bind(article.0)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.map(WireEntry::from))
                }
            }
        };
    };
}
