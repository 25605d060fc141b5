//! Static pages, redirects and the import's bookkeeping (migration 0015), implemented
//! once for both backends.

use chrono::{DateTime, Utc};

pub(crate) mod sql {
    pub const PAGE_BY_ID: &str = "SELECT id, path, title, description, body_markdown, body_html, status, in_footer, footer_position, version, created_at, modified_at FROM pages WHERE id = $1";
    pub const PAGE_BY_PATH: &str = "SELECT id, path, title, description, body_markdown, body_html, status, in_footer, footer_position, version, created_at, modified_at FROM pages WHERE path = $1";
    pub const ALL_PAGES: &str = "SELECT id, path, title, description, body_markdown, body_html, status, in_footer, footer_position, version, created_at, modified_at FROM pages ORDER BY in_footer DESC, footer_position, title, id";
    pub const ARTICLE_VERSION: &str = "SELECT version FROM articles WHERE id = $1";
    pub const INSERT_PAGE: &str = "INSERT INTO pages (path, title, description, body_markdown, body_html, status, in_footer, footer_position, version, created_at, modified_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id";
    pub const UPDATE_PAGE: &str = "UPDATE pages SET path = $3, title = $4, description = $5, body_markdown = $6, body_html = $7, status = $8, in_footer = $9, footer_position = $10, version = version + 1, modified_at = $11 WHERE id = $1 AND version = $2";
    pub const PAGE_VERSION: &str = "SELECT version FROM pages WHERE id = $1";
    pub const INSERT_PAGE_REVISION: &str = "INSERT INTO page_revisions (page_id, version, user_id, title, body_markdown, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    pub const PAGE_REVISIONS: &str = "SELECT version, user_id, title, body_markdown, created_at FROM page_revisions WHERE page_id = $1 ORDER BY version DESC";
    pub const DELETE_PAGE: &str = "DELETE FROM pages WHERE id = $1";

    pub const REDIRECT_EXACT: &str = "SELECT r.status, r.target, r.article_id, a.slug AS article_slug, s.path AS article_section, p.path AS page_path, s2.path AS section_path FROM redirects r \
        LEFT JOIN articles a ON a.id = r.article_id LEFT JOIN sections s ON s.id = a.section_id \
        LEFT JOIN pages p ON p.id = r.page_id LEFT JOIN sections s2 ON s2.id = r.section_id \
        WHERE r.prefix = FALSE AND r.path = $1";
    pub const REDIRECT_PREFIX: &str = "SELECT r.status, r.target, r.article_id, a.slug AS article_slug, s.path AS article_section, p.path AS page_path, s2.path AS section_path FROM redirects r \
        LEFT JOIN articles a ON a.id = r.article_id LEFT JOIN sections s ON s.id = a.section_id \
        LEFT JOIN pages p ON p.id = r.page_id LEFT JOIN sections s2 ON s2.id = r.section_id \
        WHERE r.prefix = TRUE AND substr($1, 1, length(r.path)) = r.path ORDER BY length(r.path) DESC LIMIT 1";
    pub const LIST_REDIRECTS: &str = "SELECT r.id, r.path, r.prefix, r.status, r.target, r.article_id, r.origin, r.created_at, a.slug AS article_slug, s.path AS article_section, p.path AS page_path, s2.path AS section_path FROM redirects r \
        LEFT JOIN articles a ON a.id = r.article_id LEFT JOIN sections s ON s.id = a.section_id \
        LEFT JOIN pages p ON p.id = r.page_id LEFT JOIN sections s2 ON s2.id = r.section_id \
        WHERE ($1 = '' OR r.path LIKE $2 OR COALESCE(r.target, '') LIKE $2) ORDER BY r.path, r.id LIMIT $3 OFFSET $4";
    pub const ONE_REDIRECT: &str = "SELECT r.id, r.path, r.prefix, r.status, r.target, r.article_id, r.origin, r.created_at, a.slug AS article_slug, s.path AS article_section, p.path AS page_path, s2.path AS section_path FROM redirects r \
        LEFT JOIN articles a ON a.id = r.article_id LEFT JOIN sections s ON s.id = a.section_id \
        LEFT JOIN pages p ON p.id = r.page_id LEFT JOIN sections s2 ON s2.id = r.section_id \
        WHERE r.id = $1";
    pub const COUNT_REDIRECTS: &str = "SELECT COUNT(*) FROM redirects r WHERE ($1 = '' OR r.path LIKE $2 OR COALESCE(r.target, '') LIKE $2)";
    pub const SAVE_REDIRECT: &str = "INSERT INTO redirects (path, prefix, target, article_id, page_id, section_id, status, origin, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
        ON CONFLICT (path, prefix) DO UPDATE SET target = excluded.target, article_id = excluded.article_id, page_id = excluded.page_id, section_id = excluded.section_id, status = excluded.status, origin = excluded.origin, created_at = excluded.created_at";
    pub const DELETE_REDIRECT: &str = "DELETE FROM redirects WHERE id = $1";

    pub const SOURCE: &str =
        "SELECT kind, target_id, fingerprint FROM import_sources WHERE system = $1 AND key = $2";
    pub const RECORD_SOURCE: &str = "INSERT INTO import_sources (system, key, kind, target_id, fingerprint, imported_at) VALUES ($1, $2, $3, $4, $5, $6) \
        ON CONFLICT (system, key) DO UPDATE SET kind = excluded.kind, target_id = excluded.target_id, fingerprint = excluded.fingerprint, imported_at = excluded.imported_at";
    pub const IMPORTED_STATUS: &str = "UPDATE articles SET status = $2, published_at = $3, review_requested_at = $4 WHERE id = $1";
    pub const INSERT_LEGACY_COMMENT: &str = "INSERT INTO comments (article_id, reader_id, parent_id, reply_to_id, body, fingerprint, status, queued_because, created_at, legacy_author, legacy_email, legacy_key) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    pub const LEGACY_COMMENTS: &str = "SELECT legacy_key, id, parent_id FROM comments WHERE article_id = $1 AND legacy_key IS NOT NULL";
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PageRow {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub body_markdown: String,
    pub body_html: String,
    pub status: String,
    pub in_footer: bool,
    pub footer_position: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

impl PageRow {
    pub fn into_page(self) -> kiosque_domain::StoreResult<kiosque_domain::page::StaticPage> {
        use kiosque_domain::page::{PageId, PageStatus, StaticPage};
        Ok(StaticPage {
            id: PageId(self.id),
            path: self.path,
            title: self.title,
            description: self.description,
            body_markdown: self.body_markdown,
            body_html: self.body_html,
            status: PageStatus::parse(&self.status).ok_or_else(|| {
                kiosque_domain::StoreError::Other(format!("page status {:?}", self.status).into())
            })?,
            in_footer: self.in_footer,
            footer_position: self.footer_position,
            version: self.version,
            created_at: self.created_at,
            modified_at: self.modified_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PageRevisionRow {
    pub version: i64,
    pub user_id: Option<i64>,
    pub title: String,
    pub body_markdown: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RedirectTargetRow {
    pub status: i64,
    pub target: Option<String>,
    pub article_id: Option<i64>,
    pub article_slug: Option<String>,
    pub article_section: Option<String>,
    pub page_path: Option<String>,
    pub section_path: Option<String>,
}

impl RedirectTargetRow {
    /// The target's current address.
    pub fn location(&self) -> Option<String> {
        if let Some(target) = &self.target {
            return Some(target.clone());
        }
        if let (Some(id), Some(slug), Some(section)) =
            (self.article_id, &self.article_slug, &self.article_section)
        {
            let slug = kiosque_domain::Slug::parse(slug).ok()?;
            return Some(kiosque_domain::url::article_path(
                section,
                &slug,
                kiosque_domain::ArticleId(id),
            ));
        }
        if let Some(page) = &self.page_path {
            return Some(format!("/{page}/"));
        }
        self.section_path
            .as_deref()
            .map(kiosque_domain::url::section_path)
    }

    pub fn answer(&self) -> Option<kiosque_domain::redirect::RedirectAnswer> {
        use kiosque_domain::redirect::{RedirectAnswer, RedirectStatus};
        let status = RedirectStatus::from_code(self.status)?;
        let location = self.location();
        Some(match (status, location) {
            (RedirectStatus::Gone, _) | (_, None) => RedirectAnswer {
                status: RedirectStatus::Gone,
                location: None,
            },
            (status, Some(location)) => RedirectAnswer {
                status,
                location: Some(location),
            },
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RedirectRow {
    pub id: i64,
    pub path: String,
    pub prefix: bool,
    pub origin: String,
    pub created_at: DateTime<Utc>,
    #[sqlx(flatten)]
    pub target: RedirectTargetRow,
}

impl RedirectRow {
    pub fn into_redirect(self) -> kiosque_domain::redirect::Redirect {
        use kiosque_domain::redirect::{Redirect, RedirectStatus};
        let location = self.target.location();
        Redirect {
            id: self.id,
            path: self.path,
            prefix: self.prefix,
            status: RedirectStatus::from_code(self.target.status).unwrap_or(RedirectStatus::Gone),
            location: if self.target.status == 410 {
                None
            } else {
                location
            },
            origin: self.origin,
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct KeyedSourceRow {
    pub key: String,
    pub kind: String,
    pub target_id: i64,
    pub fingerprint: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SourceRow {
    pub kind: String,
    pub target_id: i64,
    pub fingerprint: String,
}

/// `%text%` for LIKE, with LIKE's own wildcards taken literally where possible.
pub(crate) fn like_pattern(search: &str) -> String {
    format!("%{}%", search.replace(['%', '_'], ""))
}

macro_rules! impl_imports {
    ($store:ty, $db:ty) => {
        const _: () = {
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use kiosque_domain::article::{ArticleStatus, RevisionKind};
            use kiosque_domain::page::{NewPage, PageId, PageRevision, StaticPage};
            use kiosque_domain::redirect::{NewRedirect, Redirect, RedirectAnswer, RedirectTarget};
            use kiosque_domain::store::{
                ImportContent, ImportOutcome, ImportStore, ImportWrite, ImportedSource, PageStore,
                RedirectQuery, RedirectStore,
            };
            use kiosque_domain::{StoreError, StoreResult, UserId};
            use $crate::imports::{
                KeyedSourceRow, PageRevisionRow, PageRow, RedirectRow, RedirectTargetRow, SourceRow, like_pattern,
                sql,
            };
            use $crate::shared::{store_error, stored_time};

            impl $store {
                async fn load_page(&self, id: i64) -> StoreResult<StaticPage> {
                    let row: PageRow = sqlx::query_as(sql::PAGE_BY_ID)
                        .bind(id)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.into_page()
                }

                async fn insert_page_tx(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    new: &NewPage,
                    html: &str,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<i64> {
                    let id: i64 = sqlx::query_scalar(sql::INSERT_PAGE)
                        .bind(&new.path)
                        .bind(new.title.trim())
                        .bind(new.description.as_deref().filter(|d| !d.trim().is_empty()))
                        .bind(&new.body_markdown)
                        .bind(html)
                        .bind(new.status.as_str())
                        .bind(new.in_footer)
                        .bind(new.footer_position)
                        .bind(stored_time(now))
                        .fetch_one(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    Self::page_revision_tx(tx, id, 1, new, user, now).await?;
                    Ok(id)
                }

                async fn page_revision_tx(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    id: i64,
                    version: i64,
                    new: &NewPage,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    sqlx::query(sql::INSERT_PAGE_REVISION)
                        .bind(id)
                        .bind(version)
                        .bind(user.map(|u| u.0))
                        .bind(new.title.trim())
                        .bind(&new.body_markdown)
                        .bind(stored_time(now))
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn update_page_tx(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    id: i64,
                    content: &NewPage,
                    html: &str,
                    expected_version: i64,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let done = sqlx::query(sql::UPDATE_PAGE)
                        .bind(id)
                        .bind(expected_version)
                        .bind(&content.path)
                        .bind(content.title.trim())
                        .bind(
                            content
                                .description
                                .as_deref()
                                .filter(|d| !d.trim().is_empty()),
                        )
                        .bind(&content.body_markdown)
                        .bind(html)
                        .bind(content.status.as_str())
                        .bind(content.in_footer)
                        .bind(content.footer_position)
                        .bind(stored_time(now))
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        let stored: Option<i64> = sqlx::query_scalar(sql::PAGE_VERSION)
                            .bind(id)
                            .fetch_optional(&mut **tx)
                            .await
                            .map_err(store_error)?;
                        return Err(match stored {
                            None => StoreError::NotFound,
                            Some(v) => StoreError::VersionMismatch {
                                stored: Some(v),
                                expected: expected_version,
                            },
                        });
                    }
                    Self::page_revision_tx(tx, id, expected_version + 1, content, user, now).await
                }

                /// Links the comments of an imported item, parents first, each once (by
                /// their key on the old site).
                async fn import_comments_tx(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    item: &ImportWrite,
                    article: i64,
                    fresh: bool,
                ) -> StoreResult<()> {
                    use std::collections::HashMap;
                    if item.comments.is_empty() {
                        return Ok(());
                    }
                    // comment key → (its id, the id of its thread's top-level comment)
                    let mut known: HashMap<String, (i64, i64)> = HashMap::new();
                    if !fresh {
                        let rows: Vec<(String, i64, Option<i64>)> =
                            sqlx::query_as(sql::LEGACY_COMMENTS)
                                .bind(article)
                                .fetch_all(&mut **tx)
                                .await
                                .map_err(store_error)?;
                        for (key, id, parent) in rows {
                            known.insert(key, (id, parent.unwrap_or(id)));
                        }
                    }
                    for comment in &item.comments {
                        if known.contains_key(&comment.key) {
                            continue;
                        }
                        let parent = comment
                            .parent_key
                            .as_deref()
                            .and_then(|p| known.get(p).copied());
                        let (parent_id, reply_to) = match parent {
                            None => (None, None),
                            Some((id, root)) if id == root => (Some(root), None),
                            Some((id, root)) => (Some(root), Some(id)),
                        };
                        let (status, queued) = if comment.approved {
                            ("approved", None)
                        } else {
                            ("pending", Some("imported: waiting for moderation on the old site"))
                        };
                        let id: i64 = sqlx::query_scalar(sql::INSERT_LEGACY_COMMENT)
                            .bind(article)
                            .bind(parent_id)
                            .bind(reply_to)
                            .bind(&comment.body)
                            .bind(kiosque_domain::comment::body_fingerprint(&comment.body))
                            .bind(status)
                            .bind(queued)
                            .bind(stored_time(comment.created_at))
                            .bind(&comment.author_name)
                            .bind(&comment.author_email)
                            .bind(&comment.key)
                            .fetch_one(&mut **tx)
                            .await
                            .map_err(store_error)?;
                        known.insert(comment.key.clone(), (id, parent_id.unwrap_or(id)));
                    }
                    Ok(())
                }
            }

            #[async_trait]
            impl PageStore for $store {
                async fn create_page(
                    &self,
                    new: &NewPage,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<StaticPage> {
                    let body = $crate::shared::render_off_runtime(&new.body_markdown).await?;
                    let id = {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        let id = Self::insert_page_tx(&mut tx, new, &body.html, user, now).await?;
                        tx.commit().await.map_err(store_error)?;
                        id
                    };
                    self.load_page(id).await
                }

                async fn update_page(
                    &self,
                    id: PageId,
                    content: &NewPage,
                    expected_version: i64,
                    user: Option<UserId>,
                    now: DateTime<Utc>,
                ) -> StoreResult<StaticPage> {
                    let body = $crate::shared::render_off_runtime(&content.body_markdown).await?;
                    {
                        let _writing = self.writing().await;
                        let mut tx = self.pool.begin().await.map_err(store_error)?;
                        Self::update_page_tx(
                            &mut tx,
                            id.0,
                            content,
                            &body.html,
                            expected_version,
                            user,
                            now,
                        )
                        .await?;
                        tx.commit().await.map_err(store_error)?;
                    }
                    self.load_page(id.0).await
                }

                async fn page(&self, id: PageId) -> StoreResult<StaticPage> {
                    self.load_page(id.0).await
                }

                async fn page_by_path(&self, path: &str) -> StoreResult<Option<StaticPage>> {
                    let row: Option<PageRow> = sqlx::query_as(sql::PAGE_BY_PATH)
                        .bind(path)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    row.map(PageRow::into_page).transpose()
                }

                async fn pages(&self) -> StoreResult<Vec<StaticPage>> {
                    let rows: Vec<PageRow> = sqlx::query_as(sql::ALL_PAGES)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    rows.into_iter().map(PageRow::into_page).collect()
                }

                async fn page_revisions(&self, id: PageId) -> StoreResult<Vec<PageRevision>> {
                    let rows: Vec<PageRevisionRow> = sqlx::query_as(sql::PAGE_REVISIONS)
                        .bind(id.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows
                        .into_iter()
                        .map(|r| PageRevision {
                            version: r.version,
                            user: r.user_id.map(UserId),
                            title: r.title,
                            body_markdown: r.body_markdown,
                            created_at: r.created_at,
                        })
                        .collect())
                }

                async fn delete_page(&self, id: PageId) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::DELETE_PAGE)
                        .bind(id.0)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Ok(())
                }
            }

            #[async_trait]
            impl RedirectStore for $store {
                async fn find_redirect(&self, key: &str) -> StoreResult<Option<RedirectAnswer>> {
                    let exact: Option<RedirectTargetRow> = sqlx::query_as(sql::REDIRECT_EXACT)
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if let Some(row) = exact {
                        return Ok(row.answer());
                    }
                    let prefix: Option<RedirectTargetRow> = sqlx::query_as(sql::REDIRECT_PREFIX)
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(prefix.and_then(|r| r.answer()))
                }

                async fn save_redirects(
                    &self,
                    batch: &[NewRedirect],
                    origin: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<u64> {
                    let _writing = self.writing().await;
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    let mut written = 0;
                    for r in batch {
                        let (url, article, page, section) = match &r.target {
                            RedirectTarget::Url(u) => (Some(u.as_str()), None, None, None),
                            RedirectTarget::Article(a) => (None, Some(a.0), None, None),
                            RedirectTarget::Page(p) => (None, None, Some(p.0), None),
                            RedirectTarget::Section(s) => (None, None, None, Some(s.0)),
                            RedirectTarget::Nothing => (None, None, None, None),
                        };
                        let done = sqlx::query(sql::SAVE_REDIRECT)
                            .bind(&r.path)
                            .bind(r.prefix)
                            .bind(url)
                            .bind(article)
                            .bind(page)
                            .bind(section)
                            .bind(i64::from(r.status.code()))
                            .bind(origin)
                            .bind(stored_time(now))
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        written += done.rows_affected();
                    }
                    tx.commit().await.map_err(store_error)?;
                    Ok(written)
                }

                async fn redirects(&self, query: &RedirectQuery) -> StoreResult<Vec<Redirect>> {
                    let rows: Vec<RedirectRow> = sqlx::query_as(sql::LIST_REDIRECTS)
                        .bind(query.search.trim())
                        .bind(like_pattern(query.search.trim()))
                        .bind(i64::from(query.limit))
                        .bind(i64::from(query.offset))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(rows.into_iter().map(RedirectRow::into_redirect).collect())
                }

                async fn count_redirects(&self, search: &str) -> StoreResult<u64> {
                    let n: i64 = sqlx::query_scalar(sql::COUNT_REDIRECTS)
                        .bind(search.trim())
                        .bind(like_pattern(search.trim()))
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(u64::try_from(n).unwrap_or(0))
                }

                async fn redirect(&self, id: i64) -> StoreResult<Redirect> {
                    let row: RedirectRow = sqlx::query_as(sql::ONE_REDIRECT)
                        .bind(id)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.into_redirect())
                }

                async fn delete_redirect(&self, id: i64) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    let done = sqlx::query(sql::DELETE_REDIRECT)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    Ok(())
                }
            }

            #[async_trait]
            impl ImportStore for $store {
                async fn imported(
                    &self,
                    system: &str,
                    key: &str,
                ) -> StoreResult<Option<ImportedSource>> {
                    let row: Option<SourceRow> = sqlx::query_as(sql::SOURCE)
                        .bind(system)
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(row.map(|r| ImportedSource {
                        kind: r.kind,
                        target_id: r.target_id,
                        fingerprint: r.fingerprint,
                    }))
                }

                async fn record_imported(
                    &self,
                    system: &str,
                    key: &str,
                    source: &ImportedSource,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    let _writing = self.writing().await;
                    sqlx::query(sql::RECORD_SOURCE)
                        .bind(system)
                        .bind(key)
                        .bind(&source.kind)
                        .bind(source.target_id)
                        .bind(&source.fingerprint)
                        .bind(stored_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(store_error)?;
                    Ok(())
                }

                async fn import_items(
                    &self,
                    batch: &[ImportWrite],
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<StoreResult<(i64, ImportOutcome)>>> {
                    // Refused before anything is written.
                    let mut results: Vec<Option<StoreResult<(i64, ImportOutcome)>>> = batch
                        .iter()
                        .map(|item| match &item.content {
                            ImportContent::Article { article, .. } => article
                                .validate()
                                .and_then(|()| article.effective_slug().map(|_| ()))
                                .err()
                                .map(|e| Err(e.into())),
                            ImportContent::Page(_) => None,
                        })
                        .collect();
                    let valid: Vec<&ImportWrite> = batch
                        .iter()
                        .zip(&results)
                        .filter(|(_, r)| r.is_none())
                        .map(|(item, _)| item)
                        .collect();
                    let _writing = self.writing().await;
                    // The whole batch in one transaction; should a statement fail, the
                    // batch is rolled back and its items written one transaction each,
                    // so that the failing one is left out alone.
                    let mut tx = self.pool.begin().await.map_err(store_error)?;
                    if let Some(tuning) = Self::IMPORT_TUNING {
                        sqlx::query(tuning).execute(&mut *tx).await.map_err(store_error)?;
                    }
                    let written = match Self::import_batch(&mut tx, &valid, now).await {
                        Ok(written) => {
                            tx.commit().await.map_err(store_error)?;
                            written.into_iter().map(Ok).collect::<Vec<_>>()
                        }
                        Err(StoreError::Unavailable(e)) => return Err(StoreError::Unavailable(e)),
                        Err(e) if valid.len() == 1 => {
                            tx.rollback().await.map_err(store_error)?;
                            vec![Err(e)]
                        }
                        Err(_) => {
                            tx.rollback().await.map_err(store_error)?;
                            let mut one_by_one = Vec::with_capacity(valid.len());
                            for item in &valid {
                                let mut tx = self.pool.begin().await.map_err(store_error)?;
                                match Self::import_batch(&mut tx, std::slice::from_ref(item), now)
                                    .await
                                {
                                    Ok(mut done) => {
                                        tx.commit().await.map_err(store_error)?;
                                        one_by_one.push(done.pop().ok_or(StoreError::NotFound));
                                    }
                                    Err(StoreError::Unavailable(e)) => {
                                        return Err(StoreError::Unavailable(e));
                                    }
                                    Err(e) => {
                                        tx.rollback().await.map_err(store_error)?;
                                        one_by_one.push(Err(e));
                                    }
                                }
                            }
                            one_by_one
                        }
                    };
                    let mut written = written.into_iter();
                    Ok(results
                        .iter_mut()
                        .map(|r| match r.take() {
                            Some(refused) => refused,
                            None => written.next().unwrap_or(Err(StoreError::NotFound)),
                        })
                        .collect())
                }
            }

            impl $store {
                /// Items in the caller's transaction: their sources looked up at once,
                /// their tags made at once, then each item, then their source records.
                async fn import_batch(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    batch: &[&ImportWrite],
                    now: DateTime<Utc>,
                ) -> StoreResult<Vec<(i64, ImportOutcome)>> {
                    use std::collections::HashMap;
                    if batch.is_empty() {
                        return Ok(Vec::new());
                    }
                    let system = batch[0].system.as_str();
                    let mut known: HashMap<String, SourceRow> = HashMap::new();
                    for chunk in batch.chunks(200) {
                        let mut query = sqlx::QueryBuilder::<$db>::new(
                            "SELECT key, kind, target_id, fingerprint FROM import_sources WHERE system = ",
                        );
                        query.push_bind(system).push(" AND key IN (");
                        let mut keys = query.separated(", ");
                        for item in chunk {
                            keys.push_bind(item.key.as_str());
                        }
                        query.push(")");
                        let rows: Vec<KeyedSourceRow> = query
                            .build_query_as()
                            .fetch_all(&mut **tx)
                            .await
                            .map_err(store_error)?;
                        for row in rows {
                            known.insert(
                                row.key,
                                SourceRow {
                                    kind: row.kind,
                                    target_id: row.target_id,
                                    fingerprint: row.fingerprint,
                                },
                            );
                        }
                    }
                    // Every tag of the batch, made once.
                    let mut tags: Vec<(String, String)> = Vec::new();
                    for item in batch {
                        if let ImportContent::Article { article, .. } = &item.content {
                            for name in &article.tags {
                                if let Some(slug) = kiosque_domain::Slug::from_text(name)
                                    && !tags.iter().any(|(s, _)| s == slug.as_str())
                                {
                                    tags.push((slug.as_str().to_owned(), name.trim().to_owned()));
                                }
                            }
                        }
                    }
                    for chunk in tags.chunks(400) {
                        let mut insert = sqlx::QueryBuilder::<$db>::new("INSERT INTO tags (slug, name) ");
                        insert.push_values(chunk, |mut row, (slug, name)| {
                            row.push_bind(slug.as_str()).push_bind(name.as_str());
                        });
                        insert.push(" ON CONFLICT (slug) DO NOTHING");
                        insert.build().execute(&mut **tx).await.map_err(store_error)?;
                    }
                    let mut done = Vec::with_capacity(batch.len());
                    let mut records: Vec<(&str, &'static str, i64, &str)> = Vec::new();
                    for item in batch {
                        let existing = known.get(&item.key);
                        let (id, kind, outcome) = Self::import_one(tx, item, existing, now).await?;
                        if outcome != ImportOutcome::Unchanged {
                            // A key met twice in one batch: the second finds the first.
                            known.insert(
                                item.key.clone(),
                                SourceRow {
                                    kind: kind.into(),
                                    target_id: id,
                                    fingerprint: item.fingerprint.clone(),
                                },
                            );
                            records.retain(|(k, _, _, _)| *k != item.key.as_str());
                            records.push((item.key.as_str(), kind, id, item.fingerprint.as_str()));
                        }
                        done.push((id, outcome));
                    }
                    for chunk in records.chunks(200) {
                        let mut insert = sqlx::QueryBuilder::<$db>::new(
                            "INSERT INTO import_sources (system, key, kind, target_id, fingerprint, imported_at) ",
                        );
                        insert.push_values(chunk, |mut row, (key, kind, id, fingerprint)| {
                            row.push_bind(system)
                                .push_bind(*key)
                                .push_bind(*kind)
                                .push_bind(*id)
                                .push_bind(*fingerprint)
                                .push_bind(stored_time(now));
                        });
                        insert.push(
                            " ON CONFLICT (system, key) DO UPDATE SET kind = excluded.kind, target_id = excluded.target_id, fingerprint = excluded.fingerprint, imported_at = excluded.imported_at",
                        );
                        insert.build().execute(&mut **tx).await.map_err(store_error)?;
                    }
                    Ok(done)
                }

                /// Links an imported article's tags (made by the batch) in one statement,
                /// and its contributors and agencies as every article's.
                async fn link_imported(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    id: i64,
                    new: &kiosque_domain::article::NewArticle,
                ) -> StoreResult<()> {
                    let slugs: Vec<String> = new
                        .tags
                        .iter()
                        .filter_map(|n| kiosque_domain::Slug::from_text(n))
                        .map(|s| s.as_str().to_owned())
                        .collect();
                    if !slugs.is_empty() {
                        let mut insert = sqlx::QueryBuilder::<$db>::new("WITH v (slug, position) AS (");
                        insert.push_values(slugs.iter().enumerate(), |mut row, (position, slug)| {
                            row.push_bind(slug.as_str()).push_bind(position as i64);
                        });
                        insert.push(") INSERT INTO article_tags (article_id, tag_id, position) SELECT ");
                        insert.push_bind(id);
                        insert.push(", t.id, v.position FROM v JOIN tags t ON t.slug = v.slug ON CONFLICT DO NOTHING");
                        insert.build().execute(&mut **tx).await.map_err(store_error)?;
                    }
                    let mut rest = new.clone();
                    rest.tags.clear();
                    Self::link_parts(tx, id, &rest).await
                }
                /// One item, in the caller's transaction; `existing` is what an earlier
                /// import made of it.
                async fn import_one(
                    tx: &mut sqlx::Transaction<'_, $db>,
                    item: &ImportWrite,
                    existing: Option<&SourceRow>,
                    now: DateTime<Utc>,
                ) -> StoreResult<(i64, &'static str, ImportOutcome)> {
                    let body = &item.body;
                    if let Some(existing) = existing
                        && existing.fingerprint == item.fingerprint
                    {
                        let kind = if existing.kind == "page" { "page" } else { "article" };
                        return Ok((existing.target_id, kind, ImportOutcome::Unchanged));
                    }
                    let (kind, id, outcome) = match (&item.content, existing) {
                        (ImportContent::Page(page), None) => (
                            "page",
                            Self::insert_page_tx(tx, page, &body.html, None, now).await?,
                            ImportOutcome::Created,
                        ),
                        (ImportContent::Page(page), Some(existing)) => {
                            let version: Option<i64> = sqlx::query_scalar(sql::PAGE_VERSION)
                                .bind(existing.target_id)
                                .fetch_optional(&mut **tx)
                                .await
                                .map_err(store_error)?;
                            let id = match version {
                                Some(version) => {
                                    Self::update_page_tx(
                                        tx,
                                        existing.target_id,
                                        page,
                                        &body.html,
                                        version,
                                        None,
                                        now,
                                    )
                                    .await?;
                                    existing.target_id
                                }
                                None => Self::insert_page_tx(tx, page, &body.html, None, now).await?,
                            };
                            ("page", id, ImportOutcome::Updated)
                        }
                        (
                            ImportContent::Article {
                                article,
                                review_requested,
                            },
                            existing,
                        ) => {
                            let new = article.as_ref();
                            let slug = new.effective_slug()?;
                            let current: Option<(i64,)> = match &existing {
                                Some(e) => sqlx::query_as(sql::ARTICLE_VERSION)
                                    .bind(e.target_id)
                                    .fetch_optional(&mut **tx)
                                    .await
                                    .map_err(store_error)?,
                                None => None,
                            };
                            let (id, outcome) = match (existing, current) {
                                (Some(e), Some((version,))) => {
                                    Self::update_article_row(
                                        tx,
                                        e.target_id,
                                        version,
                                        new,
                                        &slug,
                                        body,
                                        new.updated_at,
                                        now,
                                    )
                                    .await?;
                                    for unlink in [
                                        $crate::shared::sql::UNLINK_TAGS,
                                        $crate::shared::sql::UNLINK_CONTRIBUTORS,
                                        $crate::shared::sql::UNLINK_AGENCIES,
                                    ] {
                                        sqlx::query(unlink)
                                            .bind(e.target_id)
                                            .execute(&mut **tx)
                                            .await
                                            .map_err(store_error)?;
                                    }
                                    Self::link_imported(tx, e.target_id, new).await?;
                                    let kind = if new.status == ArticleStatus::Published {
                                        RevisionKind::Update
                                    } else {
                                        RevisionKind::Draft
                                    };
                                    Self::record_revision(tx, e.target_id, version + 1, kind, None, new, now).await?;
                                    sqlx::query(sql::IMPORTED_STATUS)
                                        .bind(e.target_id)
                                        .bind(new.status.as_str())
                                        .bind(new.published_at.map(stored_time))
                                        .bind(review_requested.then(|| stored_time(now)))
                                        .execute(&mut **tx)
                                        .await
                                        .map_err(store_error)?;
                                    (e.target_id, ImportOutcome::Updated)
                                }
                                _ => {
                                    let id = Self::insert_article_row(tx, new, &slug, body, now).await?;
                                    Self::link_imported(tx, id, new).await?;
                                    Self::record_revision(tx, id, 1, RevisionKind::Create, None, new, now).await?;
                                    if *review_requested {
                                        sqlx::query(sql::IMPORTED_STATUS)
                                            .bind(id)
                                            .bind(new.status.as_str())
                                            .bind(new.published_at.map(stored_time))
                                            .bind(stored_time(now))
                                            .execute(&mut **tx)
                                            .await
                                            .map_err(store_error)?;
                                    }
                                    (id, ImportOutcome::Created)
                                }
                            };
                            Self::import_comments_tx(tx, item, id, outcome == ImportOutcome::Created).await?;
                            ("article", id, outcome)
                        }
                    };
                    if !item.old_paths.is_empty() {
                        let (article, page) = if kind == "article" {
                            (Some(id), None)
                        } else {
                            (None, Some(id))
                        };
                        let mut insert = sqlx::QueryBuilder::<$db>::new(
                            "INSERT INTO redirects (path, prefix, target, article_id, page_id, section_id, status, origin, created_at) ",
                        );
                        insert.push_values(item.old_paths.iter().take(500), |mut row, path| {
                            row.push_bind(path.as_str())
                                .push("FALSE")
                                .push("NULL")
                                .push_bind(article)
                                .push_bind(page)
                                .push("NULL")
                                .push("301")
                                .push_bind(item.system.as_str())
                                .push_bind(stored_time(now));
                        });
                        // An address already taken (by hand, or by another item) is kept.
                        insert.push(" ON CONFLICT (path, prefix) DO NOTHING");
                        insert
                            .build()
                            .execute(&mut **tx)
                            .await
                            .map_err(store_error)?;
                    }
                    Ok((id, kind, outcome))
                }
            }
        };
    };
}

pub(crate) use impl_imports;
