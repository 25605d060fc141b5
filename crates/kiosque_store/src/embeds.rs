//! Embeds and the embed links of articles, implemented once for both backends (see
//! `shared.rs`).

use chrono::{DateTime, Utc};
use kiosque_domain::StoreError;
use kiosque_domain::embed::{Embed, EmbedStyle};
use kiosque_domain::media::ImageRef;

pub(crate) mod sql {
    macro_rules! embed_select {
        () => {
            "SELECT e.id, e.url, e.provider, e.style, e.title, e.author_name, e.author_url, e.frame_src, e.width, e.height, e.card_text, e.card_date, e.fetched_at, e.error, e.thumbnail_media_id, e.thumbnail_src, \
            COALESCE(r.storage_key, m.storage_key) AS thumb_key, COALESCE(r.width, m.width) AS thumb_width, COALESCE(r.height, m.height) AS thumb_height \
            FROM embeds e LEFT JOIN media m ON m.id = e.thumbnail_media_id \
            LEFT JOIN media_renditions r ON r.media_id = m.id AND r.name = 'thumb' "
        };
    }
    pub const BY_URL: &str = concat!(embed_select!(), "WHERE e.url = $1");
    pub const OF_ARTICLE: &str = concat!(
        embed_select!(),
        "JOIN article_embeds ae ON ae.embed_id = e.id WHERE ae.article_id = $1 ORDER BY e.id"
    );
    pub const UPSERT: &str = "INSERT INTO embeds (url, provider, style, title, author_name, author_url, frame_src, width, height, card_text, card_date, thumbnail_media_id, fetched_at, error, thumbnail_src) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
        ON CONFLICT (url) DO UPDATE SET provider = excluded.provider, style = excluded.style, title = excluded.title, author_name = excluded.author_name, \
        author_url = excluded.author_url, frame_src = excluded.frame_src, width = excluded.width, height = excluded.height, card_text = excluded.card_text, \
        card_date = excluded.card_date, thumbnail_media_id = excluded.thumbnail_media_id, fetched_at = excluded.fetched_at, error = excluded.error, \
        thumbnail_src = excluded.thumbnail_src";
    pub const UNLINK: &str = "DELETE FROM article_embeds WHERE article_id = $1";
    pub const LINK: &str =
        "INSERT INTO article_embeds (article_id, embed_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    pub const CROPS_OF: &str =
        "SELECT storage_key FROM media_renditions WHERE media_id = $1 AND name LIKE $2";
    pub const DELETE_CROPS: &str =
        "DELETE FROM media_renditions WHERE media_id = $1 AND name LIKE $2";
    pub const MEDIA_BY_KEY: &str = "SELECT m.id, m.storage_key, m.mime, m.width, m.height, m.byte_size, m.alt, m.credit, m.copyright, m.focal_x, m.focal_y, m.created_at, \
        r.name AS rendition_name, r.storage_key AS rendition_key, r.mime AS rendition_mime, r.width AS rendition_width, r.height AS rendition_height \
        FROM media m LEFT JOIN media_renditions r ON r.media_id = m.id WHERE m.storage_key = $1 ORDER BY r.width";
    pub const INSERT_AV: &str =
        "INSERT INTO media_av (media_id, kind, duration_ms) VALUES ($1, $2, $3)";
    pub const AV_OF: &str = "SELECT v.media_id, v.kind, v.duration_ms, v.captions_key, v.captions_lang, \
        COALESCE(r.storage_key, p.storage_key) AS poster_key, COALESCE(r.width, p.width) AS poster_width, COALESCE(r.height, p.height) AS poster_height \
        FROM media_av v LEFT JOIN media p ON p.id = v.poster_media_id \
        LEFT JOIN media_renditions r ON r.media_id = p.id AND r.name = 'medium' WHERE v.media_id = $1";
    pub const SET_POSTER: &str = "UPDATE media_av SET poster_media_id = $2 WHERE media_id = $1";
    pub const SET_CAPTIONS: &str =
        "UPDATE media_av SET captions_key = $2, captions_lang = $3 WHERE media_id = $1";
    pub const LEAD_OF: &str = "SELECT id FROM articles WHERE lead_media_id = $1";
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EmbedRow {
    pub id: i64,
    pub url: String,
    pub provider: String,
    pub style: String,
    pub title: String,
    pub author_name: String,
    pub author_url: String,
    pub frame_src: Option<String>,
    pub width: i64,
    pub height: i64,
    pub card_text: String,
    pub card_date: String,
    pub fetched_at: DateTime<Utc>,
    pub error: Option<String>,
    pub thumbnail_media_id: Option<i64>,
    pub thumbnail_src: Option<String>,
    pub thumb_key: Option<String>,
    pub thumb_width: Option<i64>,
    pub thumb_height: Option<i64>,
}

impl TryFrom<EmbedRow> for Embed {
    type Error = StoreError;

    fn try_from(r: EmbedRow) -> Result<Self, StoreError> {
        let style = EmbedStyle::parse(&r.style).ok_or_else(|| {
            StoreError::Other(format!("embed {} has an unknown style {:?}", r.id, r.style).into())
        })?;
        let size = |v: i64| u32::try_from(v).unwrap_or(0);
        Ok(Embed {
            id: r.id,
            thumbnail: match (r.thumb_key, r.thumb_width, r.thumb_height) {
                (Some(key), Some(w), Some(h)) => Some(ImageRef {
                    url: kiosque_domain::url::media_path(&key),
                    width: size(w),
                    height: size(h),
                    alt: String::new(),
                }),
                _ => None,
            },
            url: r.url,
            provider: r.provider,
            style,
            title: r.title,
            author_name: r.author_name,
            author_url: r.author_url,
            frame_src: r.frame_src,
            width: size(r.width),
            height: size(r.height),
            card_text: r.card_text,
            card_date: r.card_date,
            thumbnail_media: r.thumbnail_media_id.map(kiosque_domain::MediaId),
            thumbnail_src: r.thumbnail_src,
            fetched_at: r.fetched_at,
            error: r.error,
        })
    }
}

macro_rules! impl_embeds {
    ($store:ty) => {
        impl $store {
            pub(crate) async fn embed_row(
                &self,
                url: &str,
            ) -> kiosque_domain::StoreResult<Option<kiosque_domain::embed::Embed>> {
                let row: Option<$crate::embeds::EmbedRow> =
                    sqlx::query_as($crate::embeds::sql::BY_URL)
                        .bind(url)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err($crate::shared::store_error)?;
                row.map(TryInto::try_into).transpose()
            }

            pub(crate) async fn write_embed(
                &self,
                new: &kiosque_domain::embed::NewEmbed,
                now: chrono::DateTime<chrono::Utc>,
            ) -> kiosque_domain::StoreResult<kiosque_domain::embed::Embed> {
                {
                    let _writing = self.writing().await;
                    let size = |v: u32| i64::from(v);
                    sqlx::query($crate::embeds::sql::UPSERT)
                        .bind(&new.url)
                        .bind(&new.provider)
                        .bind(new.style.as_str())
                        .bind(&new.title)
                        .bind(&new.author_name)
                        .bind(&new.author_url)
                        .bind(new.frame_src.as_deref())
                        .bind(size(new.width))
                        .bind(size(new.height))
                        .bind(&new.card_text)
                        .bind(&new.card_date)
                        .bind(new.thumbnail.map(|m| m.0))
                        .bind($crate::shared::stored_time(now))
                        .bind(new.error.as_deref())
                        .bind(new.thumbnail_src.as_deref())
                        .execute(&self.pool)
                        .await
                        .map_err($crate::shared::store_error)?;
                }
                self.embed_row(&new.url)
                    .await?
                    .ok_or(kiosque_domain::StoreError::NotFound)
            }

            pub(crate) async fn write_embed_links(
                &self,
                article: kiosque_domain::ArticleId,
                embeds: &[i64],
            ) -> kiosque_domain::StoreResult<()> {
                let _writing = self.writing().await;
                let mut tx = self
                    .pool
                    .begin()
                    .await
                    .map_err($crate::shared::store_error)?;
                sqlx::query($crate::embeds::sql::UNLINK)
                    .bind(article.0)
                    .execute(&mut *tx)
                    .await
                    .map_err($crate::shared::store_error)?;
                for id in embeds {
                    sqlx::query($crate::embeds::sql::LINK)
                        .bind(article.0)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err($crate::shared::store_error)?;
                }
                tx.commit().await.map_err($crate::shared::store_error)
            }

            pub(crate) async fn embeds_of(
                &self,
                article: kiosque_domain::ArticleId,
            ) -> kiosque_domain::StoreResult<Vec<kiosque_domain::embed::Embed>> {
                let rows: Vec<$crate::embeds::EmbedRow> =
                    sqlx::query_as($crate::embeds::sql::OF_ARTICLE)
                        .bind(article.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err($crate::shared::store_error)?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            pub(crate) async fn swap_renditions(
                &self,
                id: kiosque_domain::MediaId,
                prefix: &str,
                renditions: &[kiosque_domain::media::Rendition],
            ) -> kiosque_domain::StoreResult<Vec<String>> {
                let like = format!("{}%", prefix.replace(['%', '_'], ""));
                let _writing = self.writing().await;
                let mut tx = self
                    .pool
                    .begin()
                    .await
                    .map_err($crate::shared::store_error)?;
                let old: Vec<String> = sqlx::query_scalar($crate::embeds::sql::CROPS_OF)
                    .bind(id.0)
                    .bind(&like)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err($crate::shared::store_error)?;
                sqlx::query($crate::embeds::sql::DELETE_CROPS)
                    .bind(id.0)
                    .bind(&like)
                    .execute(&mut *tx)
                    .await
                    .map_err($crate::shared::store_error)?;
                for r in renditions {
                    sqlx::query($crate::shared::sql::INSERT_RENDITION)
                        .bind(id.0)
                        .bind(&r.name)
                        .bind(&r.storage_key)
                        .bind(&r.mime)
                        .bind(i64::from(r.width))
                        .bind(i64::from(r.height))
                        .execute(&mut *tx)
                        .await
                        .map_err($crate::shared::store_error)?;
                }
                tx.commit().await.map_err($crate::shared::store_error)?;
                Ok(old)
            }

            pub(crate) async fn media_of_keys(
                &self,
                keys: &[String],
            ) -> kiosque_domain::StoreResult<Vec<kiosque_domain::media::Media>> {
                let mut found = Vec::new();
                // A body names a few pictures; one indexed lookup each.
                for key in keys.iter().take(100) {
                    let rows: Vec<$crate::rows::MediaRow> =
                        sqlx::query_as($crate::embeds::sql::MEDIA_BY_KEY)
                            .bind(key)
                            .fetch_all(&self.pool)
                            .await
                            .map_err($crate::shared::store_error)?;
                    if !rows.is_empty() {
                        found.push($crate::rows::MediaRow::into_media(rows)?);
                    }
                }
                Ok(found)
            }

            pub(crate) async fn av_of(
                &self,
                ids: &[kiosque_domain::MediaId],
            ) -> kiosque_domain::StoreResult<Vec<kiosque_domain::media::AvDetails>> {
                type Row = (
                    i64,
                    String,
                    i64,
                    Option<String>,
                    String,
                    Option<String>,
                    Option<i64>,
                    Option<i64>,
                );
                let mut found = Vec::new();
                for id in ids.iter().take(100) {
                    let row: Option<Row> = sqlx::query_as($crate::embeds::sql::AV_OF)
                        .bind(id.0)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err($crate::shared::store_error)?;
                    if let Some((media_id, kind, duration, captions, lang, poster, w, h)) = row {
                        let size =
                            |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
                        found.push(kiosque_domain::media::AvDetails {
                            media_id: kiosque_domain::MediaId(media_id),
                            kind,
                            duration_ms: u64::try_from(duration).unwrap_or(0),
                            poster: poster.map(|key| kiosque_domain::media::ImageRef {
                                url: kiosque_domain::url::media_path(&key),
                                width: size(w),
                                height: size(h),
                                alt: String::new(),
                            }),
                            captions_url: captions.map(|k| kiosque_domain::url::media_path(&k)),
                            captions_lang: lang,
                        });
                    }
                }
                Ok(found)
            }

            pub(crate) async fn write_av(
                &self,
                query: &'static str,
                id: kiosque_domain::MediaId,
                value: Option<&str>,
                poster: Option<i64>,
                lang: Option<&str>,
            ) -> kiosque_domain::StoreResult<()> {
                let _writing = self.writing().await;
                let done = if query == $crate::embeds::sql::SET_POSTER {
                    sqlx::query(query)
                        .bind(id.0)
                        .bind(poster)
                        .execute(&self.pool)
                        .await
                } else {
                    sqlx::query(query)
                        .bind(id.0)
                        .bind(value)
                        .bind(lang)
                        .execute(&self.pool)
                        .await
                }
                .map_err($crate::shared::store_error)?;
                if done.rows_affected() == 0 {
                    Err(kiosque_domain::StoreError::NotFound)
                } else {
                    Ok(())
                }
            }

            pub(crate) async fn lead_users(
                &self,
                id: kiosque_domain::MediaId,
            ) -> kiosque_domain::StoreResult<Vec<kiosque_domain::ArticleId>> {
                let ids: Vec<i64> = sqlx::query_scalar($crate::embeds::sql::LEAD_OF)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::shared::store_error)?;
                Ok(ids.into_iter().map(kiosque_domain::ArticleId).collect())
            }
        }
    };
}
pub(crate) use impl_embeds;
