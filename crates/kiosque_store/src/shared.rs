//! The store traits, implemented once for both backends.
//!
//! `impl_stores!(SqliteStore)` and `impl_stores!(PostgresStore)` expand the same code
//! against each backend's pool: one SQL text per query, checked on both by the contract
//! suite. A generic implementation over `sqlx::Database` would need a wall of trait
//! bounds for every query; the macro keeps the code readable and monomorphic.

/// The columns and joins of an article in a listing (`SummaryRow`), as a literal for
/// `concat!`.
macro_rules! summary_select {
    () => {
        "SELECT a.id, a.slug, a.kicker, a.headline, a.standfirst, s.path AS section_path, s.name AS section_name, a.language, a.published_at, a.updated_at, a.lead_alt, COALESCE(c.storage_key, r.storage_key, m.storage_key) AS thumb_key, COALESCE(c.width, r.width, m.width) AS thumb_width, COALESCE(c.height, r.height, m.height) AS thumb_height, COALESCE(c2.storage_key, r2.storage_key, m.storage_key) AS large_key, COALESCE(c2.width, r2.width, m.width) AS large_width, COALESCE(c2.height, r2.height, m.height) AS large_height, m.focal_x, m.focal_y \
        FROM articles a \
        JOIN sections s ON s.id = a.section_id \
        LEFT JOIN media m ON m.id = a.lead_media_id \
        LEFT JOIN media_renditions c ON c.media_id = m.id AND c.name = 'crop-16x9-480' \
        LEFT JOIN media_renditions c2 ON c2.media_id = m.id AND c2.name = 'crop-16x9-960' \
        LEFT JOIN media_renditions r ON r.media_id = m.id AND r.name = 'thumb' \
        LEFT JOIN media_renditions r2 ON r2.media_id = m.id AND r2.name = 'medium' "
    };
}

/// The columns of an article with its section (`ArticleWithSectionRow`).
macro_rules! article_select {
    () => {
        "SELECT a.id, a.status, a.slug, a.kicker, a.headline, a.standfirst, a.body_markdown, a.body_html, a.word_count, a.section_id, a.language, a.lead_media_id, a.lead_alt, a.lead_caption, a.lead_credit, a.seo_title, a.seo_description, a.comments_open, a.published_at, a.updated_at, a.created_at, a.modified_at, a.version, a.created_by, a.review_requested_at, a.preview_token, a.translation_of, a.kind, a.live_closed_at, a.live_seq, a.live_last_entry_at, \
        s.parent_id AS section_parent_id, s.slug AS section_slug, s.name AS section_name, s.path AS section_path, s.description AS section_description, s.position AS section_position \
        FROM articles a JOIN sections s ON s.id = a.section_id "
    };
}

/// The columns of a media item and one rendition per row (`MediaRow`).
macro_rules! media_select {
    () => {
        "SELECT m.id, m.storage_key, m.mime, m.width, m.height, m.byte_size, m.alt, m.credit, m.copyright, m.focal_x, m.focal_y, m.created_at, \
        r.name AS rendition_name, r.storage_key AS rendition_key, r.mime AS rendition_mime, r.width AS rendition_width, r.height AS rendition_height \
        FROM media m LEFT JOIN media_renditions r ON r.media_id = m.id "
    };
}

/// Several articles at once, in four queries whatever their number: `$1` is a JSON
/// array of ids, unpacked by `$ids` (a parenthesised subquery in the dialect).
macro_rules! batch_sql {
    ($ids:literal) => {
        const ARTICLES_BY_IDS: &'static str = concat!(article_select!(), "WHERE a.id IN ", $ids);
        const PARTS_BY_IDS: &'static str = concat!(
            "SELECT at.article_id, 'tag' AS part, t.id, t.name, t.slug, '' AS bio, '' AS contributor_kind, at.position FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN ", $ids,
            " UNION ALL SELECT ac.article_id, 'contributor', c.id, c.name, c.slug, c.bio, c.kind, ac.position FROM article_contributors ac JOIN contributors c ON c.id = ac.contributor_id WHERE ac.article_id IN ", $ids,
            " UNION ALL SELECT aa.article_id, 'agency', g.id, g.name, '', '', '', aa.position FROM article_agencies aa JOIN agencies g ON g.id = aa.agency_id WHERE aa.article_id IN ", $ids,
            " ORDER BY 1, 2, 8"
        );
        const MEDIA_BY_IDS: &'static str = concat!(media_select!(), "WHERE m.id IN ", $ids, " ORDER BY m.id, r.width");
        const CORRECTIONS_BY_IDS: &'static str = concat!(
            "SELECT article_id, note, created_at FROM corrections WHERE article_id IN ", $ids,
            " ORDER BY created_at, id"
        );
    };
}

/// SQL shared by both dialects.
pub(crate) mod sql {

    /// An article with its section, in one round trip.
    pub const ARTICLE_BY_ID: &str = concat!(article_select!(), "WHERE a.id = $1");

    /// Tags, contributors and agency credits of an article, in one round trip.
    pub const ARTICLE_PARTS: &str = "SELECT 'tag' AS part, t.id, t.name, t.slug, '' AS bio, '' AS contributor_kind, at.position FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = $1 \
        UNION ALL SELECT 'contributor', c.id, c.name, c.slug, c.bio, c.kind, ac.position FROM article_contributors ac JOIN contributors c ON c.id = ac.contributor_id WHERE ac.article_id = $1 \
        UNION ALL SELECT 'agency', g.id, g.name, '', '', '', aa.position FROM article_agencies aa JOIN agencies g ON g.id = aa.agency_id WHERE aa.article_id = $1 \
        ORDER BY 1, 7";

    pub const INSERT_ARTICLE: &str = "INSERT INTO articles (status, slug, kicker, headline, standfirst, body_markdown, body_html, word_count, section_id, language, lead_media_id, lead_alt, lead_caption, lead_credit, seo_title, seo_description, comments_open, published_at, updated_at, created_at, modified_at, version, created_by, preview_token, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, 1, $21, $22, $23) RETURNING id";

    pub const EDIT_STATE: &str =
        "SELECT status, slug, version, published_at, updated_at FROM articles WHERE id = $1";

    /// Only applies when the stored version is still the one the edit started from.
    pub const UPDATE_ARTICLE: &str = "UPDATE articles SET slug = $3, kicker = $4, headline = $5, standfirst = $6, body_markdown = $7, body_html = $8, word_count = $9, section_id = $10, language = $11, lead_media_id = $12, lead_alt = $13, lead_caption = $14, lead_credit = $15, seo_title = $16, seo_description = $17, comments_open = $18, updated_at = $19, modified_at = $20, version = version + 1 WHERE id = $1 AND version = $2";

    pub const UNLINK_TAGS: &str = "DELETE FROM article_tags WHERE article_id = $1";
    pub const UNLINK_CONTRIBUTORS: &str = "DELETE FROM article_contributors WHERE article_id = $1";
    pub const UNLINK_AGENCIES: &str = "DELETE FROM article_agencies WHERE article_id = $1";

    pub const INSERT_REVISION: &str = "INSERT INTO revisions (article_id, version, user_id, kind, created_at, snapshot) VALUES ($1, $2, $3, $4, $5, $6)";
    /// Folds an autosave into the latest revision when that one is an autosave by the same person.
    pub const FOLD_AUTOSAVE: &str = "UPDATE revisions SET version = $2, created_at = $4, snapshot = $5 WHERE article_id = $1 AND kind = 'autosave' AND user_id IS NOT DISTINCT FROM $3 AND version = (SELECT MAX(version) FROM revisions WHERE article_id = $1)";
    pub const REVISIONS: &str = "SELECT r.version, r.kind, u.name AS user_name, r.created_at, r.snapshot FROM revisions r LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = $1 ORDER BY r.version DESC";

    pub const INSERT_CORRECTION: &str =
        "INSERT INTO corrections (article_id, note, created_at) VALUES ($1, $2, $3)";
    pub const ARTICLE_CORRECTIONS: &str =
        "SELECT note, created_at FROM corrections WHERE article_id = $1 ORDER BY created_at, id";

    pub const PUBLISH: &str = "UPDATE articles SET status = $2, published_at = $3, review_requested_at = NULL, modified_at = $4, version = version + 1 WHERE id = $1";
    pub const REQUEST_REVIEW: &str =
        "UPDATE articles SET review_requested_at = $2, modified_at = $2 WHERE id = $1";
    pub const ENQUEUE_JOB: &str = "INSERT INTO jobs (kind, payload, run_at, status, attempts, created_at, updated_at) VALUES ($1, $2, $3, 'pending', 0, $4, $4) RETURNING id";

    /// The back office's list. $1 status, $2 section, $3 creator, $4 headline pattern,
    /// $5 awaiting review only, $6/$7 cursor, $8 limit.
    /// Ascending on the admin index (`modified_at`, `id`).
    pub const CHANGED_SINCE: &str = "SELECT id, modified_at FROM articles WHERE status IN ('published', 'unpublished') \
        AND (modified_at > $1 OR (modified_at = $1 AND id > $2)) ORDER BY modified_at, id LIMIT $3";
    pub const LIST_ADMIN: &str = "SELECT a.id, a.headline, a.status, s.name AS section_name, u.name AS created_by_name, a.modified_at, a.published_at, a.review_requested_at, a.version \
        FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN users u ON u.id = a.created_by \
        WHERE ($1 IS NULL OR a.status = $1) AND ($2 IS NULL OR a.section_id = $2) AND ($3 IS NULL OR a.created_by = $3) \
          AND ($4 IS NULL OR LOWER(a.headline) LIKE $4 ESCAPE '\\') \
          AND ($5 = FALSE OR (a.review_requested_at IS NOT NULL AND a.status = 'draft')) \
          AND ($6 IS NULL OR a.modified_at < $6 OR (a.modified_at = $6 AND a.id < $7)) \
          AND ($9 IS NULL OR a.created_by = $9 OR a.status = 'published') \
        ORDER BY a.modified_at DESC, a.id DESC LIMIT $8";

    /// Public listing: one query for every scope, newest first, keyset-paginated.
    /// $1/$5 the upper bound (the cursor, or now and the largest id), $2 section
    /// path, $3 tag id, $4 contributor id, $6 published since, $7 limit. Both bounds
    /// are plain ranges on `published_at`, so the index walk starts and stops at them.
    pub const LIST_PUBLISHED: &str = concat!(
        summary_select!(),
        "WHERE a.status = 'published' AND a.published_at <= $1 AND (a.published_at < $1 OR a.id < $5) \
          AND ($2 IS NULL OR s.path = $2 OR s.path LIKE $2 || '/%') \
          AND ($3 IS NULL OR EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_id = $3)) \
          AND ($4 IS NULL OR EXISTS (SELECT 1 FROM article_contributors c WHERE c.article_id = a.id AND c.contributor_id = $4)) \
          AND a.published_at >= $6 \
        ORDER BY a.published_at DESC, a.id DESC LIMIT $7"
    );
    /// The same for a tag used by few articles ($3): walking every public article by
    /// date to find its few (what `LIST_PUBLISHED` does) took 470 ms at 100,000
    /// articles, where fetching the tag's own articles and sorting them takes 0.2 ms.
    /// `a.status || ''` keeps the date index out, so the tag's list drives the query.
    pub const LIST_PUBLISHED_RARE_TAG: &str = concat!(
        summary_select!(),
        "WHERE a.id IN (SELECT t.article_id FROM article_tags t WHERE t.tag_id = $3) \
          AND a.status || '' = 'published' AND a.published_at <= $1 AND (a.published_at < $1 OR a.id < $5) \
          AND ($2 IS NULL OR s.path = $2 OR s.path LIKE $2 || '/%') \
          AND ($4 IS NULL OR EXISTS (SELECT 1 FROM article_contributors c WHERE c.article_id = a.id AND c.contributor_id = $4)) \
          AND a.published_at >= $6 \
        ORDER BY a.published_at DESC, a.id DESC LIMIT $7"
    );
    /// Up to this many articles, a tag's listing starts from the tag.
    pub const RARE_TAG: i64 = 1_000;
    pub const TAG_USES: &str = "SELECT COUNT(*) FROM article_tags WHERE tag_id = $1";
    /// "À lire aussi": public articles sharing the most tags with $2, then the latest
    /// of its section ($3), published since $4, newest first among equals; never $2.
    /// The candidates are the 20 newest (by id) of each shared tag and the section's
    /// 20 latest, and they drive the query (`a.status || ''` keeps the date index
    /// out): with every article of a busy tag as candidates, each counted and sorted,
    /// one article page took 40–110 ms at 100,000 articles; now 2–4 ms.
    pub const RELATED: &str = concat!(
        summary_select!(),
        "WHERE a.status || '' = 'published' AND a.published_at <= $1 AND a.published_at >= $4 AND a.id <> $2 \
          AND a.id IN ( \
            SELECT x.article_id FROM article_tags t1 JOIN article_tags x ON x.tag_id = t1.tag_id \
            WHERE t1.article_id = $2 AND x.article_id >= COALESCE( \
              (SELECT z.article_id FROM article_tags z WHERE z.tag_id = t1.tag_id ORDER BY z.article_id DESC LIMIT 1 OFFSET 19), 0) \
            UNION SELECT recent.id FROM (SELECT id FROM articles WHERE section_id = $3 AND status = 'published' AND published_at <= $1 ORDER BY published_at DESC LIMIT 20) recent) \
        ORDER BY (SELECT COUNT(*) FROM article_tags x JOIN article_tags y ON y.tag_id = x.tag_id WHERE x.article_id = a.id AND y.article_id = $2) DESC, a.published_at DESC, a.id DESC \
        LIMIT $5"
    );

    /// Links an article to the original of `$2`'s family (`$2` itself when it is an
    /// original); never to itself.
    pub const SET_TRANSLATION: &str = "UPDATE articles SET translation_of = (SELECT CASE WHEN COALESCE(o.translation_of, o.id) = $1 THEN NULL ELSE COALESCE(o.translation_of, o.id) END FROM articles o WHERE o.id = $2) WHERE id = $1";
    /// The family of an article: its original ($3) and the original's translations,
    /// public now, except the article itself ($2). `a.status || ''` keeps the date
    /// index out so that the two lookups (by id, by `translation_of`) drive the query:
    /// walking every public article by date took 2–5 s at 100,000 articles.
    pub const TRANSLATIONS: &str = concat!(
        summary_select!(),
        "WHERE a.status || '' = 'published' AND a.published_at <= $1 AND a.id <> $2 AND (a.id = $3 OR a.translation_of = $3) \
        ORDER BY a.language, a.id"
    );

    pub const SECTION_BY_ID: &str =
        "SELECT id, parent_id, slug, name, path, description, position FROM sections WHERE id = $1";
    pub const ALL_SECTIONS: &str = "SELECT id, parent_id, slug, name, path, description, position FROM sections ORDER BY position, name";
    pub const INSERT_SECTION: &str = "INSERT INTO sections (parent_id, slug, name, path, description, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, parent_id, slug, name, path, description, position";

    pub const ENSURE_TAG: &str = "INSERT INTO tags (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, slug, name";
    pub const SECTION_PATH: &str = "SELECT parent_id, path FROM sections WHERE id = $1";
    pub const UPDATE_SECTION: &str = "UPDATE sections SET name = $2, slug = $3, description = $4, position = $5, path = $6 WHERE id = $1";
    /// Re-roots the paths of a section's descendants: $1 old path, $2 new path.
    pub const MOVE_DESCENDANTS: &str =
        "UPDATE sections SET path = $2 || substr(path, length($1) + 1) WHERE path LIKE $1 || '/%'";
    /// Records the old paths of a section and its descendants (already moved): $1 old path, $2 new path.
    pub const RECORD_REDIRECTS: &str = "INSERT INTO section_redirects (old_path, section_id) SELECT $1 || substr(path, length($2) + 1), id FROM sections WHERE path = $2 OR path LIKE $2 || '/%' ON CONFLICT (old_path) DO UPDATE SET section_id = excluded.section_id";
    /// A path in use again is no longer a redirect.
    pub const DROP_LIVE_REDIRECTS: &str =
        "DELETE FROM section_redirects WHERE old_path IN (SELECT path FROM sections)";
    pub const SECTION_REDIRECT: &str = "SELECT s.path FROM section_redirects r JOIN sections s ON s.id = r.section_id WHERE r.old_path = $1";
    pub const TAGS_WITH_COUNTS: &str = "SELECT t.id, t.slug, t.name, COUNT(at.article_id) AS uses FROM tags t LEFT JOIN article_tags at ON at.tag_id = t.id GROUP BY t.id, t.slug, t.name ORDER BY t.name";
    pub const RENAME_TAG: &str = "UPDATE tags SET name = $2 WHERE id = $1";
    pub const MERGE_TAGS_DEDUP: &str = "DELETE FROM article_tags WHERE tag_id = $1 AND article_id IN (SELECT article_id FROM article_tags WHERE tag_id = $2)";
    pub const MERGE_TAGS_MOVE: &str = "UPDATE article_tags SET tag_id = $2 WHERE tag_id = $1";
    pub const DELETE_TAG: &str = "DELETE FROM tags WHERE id = $1";
    /// Redirects that pointed at the merged tag now point at the one it merged into.
    pub const MOVE_TAG_REDIRECTS: &str = "UPDATE tag_redirects SET tag_id = $2 WHERE tag_id = $1";
    pub const INSERT_TAG_REDIRECT: &str = "INSERT INTO tag_redirects (old_slug, tag_id) SELECT slug, $2 FROM tags WHERE id = $1 ON CONFLICT (old_slug) DO UPDATE SET tag_id = excluded.tag_id";
    pub const TAG_REDIRECT: &str =
        "SELECT t.slug FROM tag_redirects r JOIN tags t ON t.id = r.tag_id WHERE r.old_slug = $1";
    pub const UPDATE_CONTRIBUTOR: &str = "UPDATE contributors SET kind = $2, name = $3, slug = $4, bio = $5 WHERE id = $1 RETURNING id, kind, name, slug, bio";

    /// A page of the library with every rendition, in one round trip: one row per
    /// rendition, newest media first. $1 cursor (an id), $2 page size.
    pub const MEDIA_PAGE: &str = "SELECT m.id, m.storage_key, m.mime, m.width, m.height, m.byte_size, m.alt, m.credit, m.copyright, m.focal_x, m.focal_y, m.created_at, \
        r.name AS rendition_name, r.storage_key AS rendition_key, r.mime AS rendition_mime, r.width AS rendition_width, r.height AS rendition_height \
        FROM media m LEFT JOIN media_renditions r ON r.media_id = m.id \
        WHERE m.id IN (SELECT id FROM media WHERE ($1 IS NULL OR id < $1) ORDER BY id DESC LIMIT $2) \
        ORDER BY m.id DESC, r.width";
    pub const UPDATE_MEDIA: &str = "UPDATE media SET alt = $2, credit = $3, copyright = $4, focal_x = $5, focal_y = $6 WHERE id = $1";

    pub const TAG_BY_SLUG: &str = "SELECT id, slug, name FROM tags WHERE slug = $1";
    pub const LINK_TAG: &str = "INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

    pub const INSERT_CONTRIBUTOR: &str = "INSERT INTO contributors (kind, name, slug, bio) VALUES ($1, $2, $3, $4) RETURNING id, kind, name, slug, bio";
    pub const CONTRIBUTOR_BY_SLUG: &str =
        "SELECT id, kind, name, slug, bio FROM contributors WHERE slug = $1";
    pub const ALL_CONTRIBUTORS: &str =
        "SELECT id, kind, name, slug, bio FROM contributors ORDER BY name";
    pub const SET_CONTRIBUTOR_PHOTO: &str =
        "UPDATE contributors SET photo_media_id = $2 WHERE id = $1";
    pub const CONTRIBUTOR_PHOTO: &str = "SELECT photo_media_id FROM contributors WHERE id = $1";
    pub const CONTRIBUTOR_PHOTOS: &str =
        "SELECT id, photo_media_id FROM contributors WHERE photo_media_id IS NOT NULL";
    pub const LINK_CONTRIBUTOR: &str = "INSERT INTO article_contributors (article_id, contributor_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

    pub const ENSURE_AGENCY: &str = "INSERT INTO agencies (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id, name";
    pub const LINK_AGENCY: &str = "INSERT INTO article_agencies (article_id, agency_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

    pub const INSERT_MEDIA: &str = "INSERT INTO media (storage_key, mime, width, height, byte_size, alt, credit, copyright, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    pub const INSERT_RENDITION: &str = "INSERT INTO media_renditions (media_id, name, storage_key, mime, width, height) VALUES ($1, $2, $3, $4, $5, $6)";
    /// A media item and its renditions: one row per rendition (or one row with NULL
    /// rendition columns when there is none).
    pub const MEDIA_BY_ID: &str = concat!(media_select!(), "WHERE m.id = $1 ORDER BY r.width");

    pub const SET_STATUS: &str =
        "UPDATE articles SET status = $2, modified_at = $3, version = version + 1 WHERE id = $1";

    pub const GET_META: &str = "SELECT value FROM site_meta WHERE key = $1";
    pub const SET_META: &str = "INSERT INTO site_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
}

/// The few queries whose text differs between the dialects.
pub(crate) trait DialectSql {
    /// `(year, month, newest change as RFC 3339 text)` per UTC month of public
    /// articles; `$1` now.
    const PUBLICATION_MONTHS: &'static str;
    /// See `batch_sql!`.
    const ARTICLES_BY_IDS: &'static str;
    const PARTS_BY_IDS: &'static str;
    const MEDIA_BY_IDS: &'static str;
    const CORRECTIONS_BY_IDS: &'static str;
}

impl DialectSql for sqlx::Sqlite {
    batch_sql!("(SELECT value FROM json_each($1))");
    const PUBLICATION_MONTHS: &'static str = "SELECT CAST(substr(published_at, 1, 4) AS INTEGER), CAST(substr(published_at, 6, 2) AS INTEGER), \
        MAX(CASE WHEN updated_at > published_at THEN updated_at ELSE published_at END) \
        FROM articles WHERE status = 'published' AND published_at <= $1 GROUP BY 1, 2";
}

impl DialectSql for sqlx::Postgres {
    batch_sql!("(SELECT jsonb_array_elements_text($1::jsonb)::bigint)");
    const PUBLICATION_MONTHS: &'static str = "SELECT EXTRACT(YEAR FROM published_at AT TIME ZONE 'UTC')::int8, EXTRACT(MONTH FROM published_at AT TIME ZONE 'UTC')::int8, \
        to_char(MAX(GREATEST(published_at, COALESCE(updated_at, published_at))) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') \
        FROM articles WHERE status = 'published' AND published_at <= $1 GROUP BY 1, 2";
}

/// Maps a database error to the seam's error.
pub(crate) fn store_error(e: sqlx::Error) -> kiosque_domain::StoreError {
    use kiosque_domain::StoreError;
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Duplicate(column_named(db.constraint().unwrap_or(db.message())))
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::MissingReference(column_named(db.constraint().unwrap_or(db.message())))
        }
        sqlx::Error::Database(db) if storage_unavailable(db.code().as_deref()) => {
            StoreError::Unavailable(db.message().to_owned())
        }
        other => StoreError::Other(Box::new(other)),
    }
}

/// What a constraint (PostgreSQL: its name; SQLite: its message, "UNIQUE constraint
/// failed: users.email") is about, in words a client may see: never the database's
/// own message.
fn column_named(constraint: &str) -> &'static str {
    const KNOWN: [&str; 12] = [
        "email",
        "slug",
        "path",
        "guid",
        "token",
        "name",
        "media",
        "section",
        "contributor",
        "article",
        "user",
        "reader",
    ];
    let lower = constraint.to_ascii_lowercase();
    KNOWN
        .into_iter()
        .find(|word| lower.contains(word))
        .unwrap_or("record")
}

/// Whether a database error code means the storage cannot take writes for now:
/// SQLite's FULL (13), READONLY (8), CANTOPEN (14) and IOERR (10) families (the low
/// byte of an extended code), PostgreSQL's class 53 (insufficient resources: disk
/// full, out of memory) and 25006 (read-only transaction, a replica).
fn storage_unavailable(code: Option<&str>) -> bool {
    match code {
        // PostgreSQL: a five-character SQLSTATE.
        Some(state) if state.len() == 5 => state.starts_with("53") || state == "25006",
        // SQLite: a result code, maybe extended (primary code in the low byte).
        Some(number) => number
            .parse::<i32>()
            .is_ok_and(|n| matches!(n & 0xff, 8 | 10 | 13 | 14)),
        None => false,
    }
}

/// Renders a body on a blocking thread: Markdown is CPU work, and a long body must
/// not hold an async worker (nor, being done before the write lock is taken, delay
/// another writer).
pub(crate) async fn render_off_runtime(
    markdown: &str,
) -> Result<kiosque_domain::body::RenderedBody, kiosque_domain::StoreError> {
    let markdown = markdown.to_owned();
    tokio::task::spawn_blocking(move || kiosque_domain::body::render_body(&markdown))
        .await
        .map_err(|e| kiosque_domain::StoreError::Other(Box::new(e)))
}

/// Timestamps are stored to the second: both backends then compare them the same way.
pub(crate) fn stored_time(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    t.trunc_subsecs(0)
}

macro_rules! impl_stores {
    ($store:ty, $db:ty) => {
        use async_trait::async_trait;
        use chrono::{DateTime, Utc};
        use kiosque_domain::article::{
            Article, ArticleError, ArticleStatus, ArticleSummary, Edit, NewArticle, Revision,
            RevisionKind,
        };
        use kiosque_domain::media::{FocalPoint, Media, MediaDetails, NewMedia};
        use kiosque_domain::people::{Agency, Contributor, NewContributor};
        use kiosque_domain::section::{NewSection, Section};
        use kiosque_domain::staff::UserId;
        use kiosque_domain::store::{AdminQuery, AdminSummary};
        use kiosque_domain::store::{
            ArticleStore, ListQuery, MediaStore, MetaStore, PeopleStore, Scope, TaxonomyStore,
        };
        use kiosque_domain::tag::Tag;
        use kiosque_domain::{ArticleId, MediaId, Slug, StoreError, StoreResult};
        use $crate::rows::{AdminSummaryRow, CorrectionRow, EditStateRow, RevisionRow};
        use $crate::rows::{
            AgencyRow, ArticlePartRow, ArticleWithSectionRow, ContributorRow, MediaRow, SectionRow,
            SummaryRow, TagRow,
        };
        use $crate::shared::{sql, store_error, stored_time};

        impl $store {
            /// A media row with its renditions and, for a video or a sound, its
            /// `media_av` row (kind, duration), in one transaction.
            async fn write_media(
                &self,
                new: &NewMedia,
                av: Option<(&str, u64)>,
                now: DateTime<Utc>,
            ) -> StoreResult<Media> {
                let _writing = self.writing().await;
                let mut tx = self.pool.begin().await.map_err(store_error)?;
                let id: i64 = sqlx::query_scalar(sql::INSERT_MEDIA)
                    .bind(&new.storage_key)
                    .bind(&new.mime)
                    .bind(i64::from(new.width))
                    .bind(i64::from(new.height))
                    .bind(i64::try_from(new.byte_size).unwrap_or(i64::MAX))
                    .bind(&new.alt)
                    .bind(&new.credit)
                    .bind(&new.copyright)
                    .bind(stored_time(now))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_error)?;
                for r in &new.renditions {
                    sqlx::query(sql::INSERT_RENDITION)
                        .bind(id)
                        .bind(&r.name)
                        .bind(&r.storage_key)
                        .bind(&r.mime)
                        .bind(i64::from(r.width))
                        .bind(i64::from(r.height))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                }
                if let Some((kind, duration_ms)) = av {
                    sqlx::query($crate::embeds::sql::INSERT_AV)
                        .bind(id)
                        .bind(kind)
                        .bind(i64::try_from(duration_ms).unwrap_or(i64::MAX))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                }
                tx.commit().await.map_err(store_error)?;
                self.load_media(id).await
            }

            async fn load_media(&self, id: i64) -> StoreResult<Media> {
                let rows: Vec<MediaRow> = sqlx::query_as(sql::MEDIA_BY_ID)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                MediaRow::into_media(rows)
            }
        }

        impl $store {
            /// Links tags, contributors and agency credits of an article, in order.
            async fn link_translation(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                new: &NewArticle,
            ) -> StoreResult<()> {
                sqlx::query(sql::SET_TRANSLATION)
                    .bind(id)
                    .bind(new.translation_of.map(|t| t.0))
                    .execute(&mut **tx)
                    .await
                    .map_err(store_error)?;
                Ok(())
            }

            /// Writes the sections and contributors an article needs created (see
            /// `Creations`) in the article's transaction; returns the content with
            /// their ids in place.
            async fn create_on_the_way(
                tx: &mut sqlx::Transaction<'_, $db>,
                content: &NewArticle,
                creations: &kiosque_domain::lifecycle::Creations,
            ) -> StoreResult<NewArticle> {
                let mut content = content.clone();
                let mut parent = creations.section_parent();
                let mut parent_path = match parent {
                    Some(id) => {
                        let row: SectionRow = sqlx::query_as(sql::SECTION_BY_ID)
                            .bind(id.0)
                            .fetch_one(&mut **tx)
                            .await
                            .map_err(|e| match store_error(e) {
                                StoreError::NotFound => StoreError::MissingReference("section"),
                                other => other,
                            })?;
                        Some(row.path)
                    }
                    None => None,
                };
                for section in &creations.sections {
                    let mut section = section.clone();
                    section.parent_id = parent;
                    let path = section.path_under(parent_path.as_deref());
                    let row: SectionRow = sqlx::query_as(sql::INSERT_SECTION)
                        .bind(section.parent_id.map(|p| p.0))
                        .bind(section.slug.as_str())
                        .bind(&section.name)
                        .bind(&path)
                        .bind(&section.description)
                        .bind(section.position)
                        .fetch_one(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    parent = Some(kiosque_domain::SectionId(row.id));
                    parent_path = Some(path);
                }
                if let (Some(last), false) = (parent, creations.sections.is_empty()) {
                    content.section_id = last;
                }
                for (position, new) in &creations.contributors {
                    let row: ContributorRow = sqlx::query_as(sql::INSERT_CONTRIBUTOR)
                        .bind(new.kind.as_str())
                        .bind(&new.name)
                        .bind(new.slug.as_str())
                        .bind(&new.bio)
                        .fetch_one(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    let at = (*position).min(content.contributors.len());
                    content
                        .contributors
                        .insert(at, kiosque_domain::ContributorId(row.id));
                }
                Ok(content)
            }

            async fn link_parts(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                new: &NewArticle,
            ) -> StoreResult<()> {
                for (position, name) in new.tags.iter().enumerate() {
                    let Some(tag_slug) = Slug::from_text(name) else {
                        continue;
                    };
                    let tag: TagRow = sqlx::query_as(sql::ENSURE_TAG)
                        .bind(tag_slug.as_str())
                        .bind(name.trim())
                        .fetch_one(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    sqlx::query(sql::LINK_TAG)
                        .bind(id)
                        .bind(tag.id)
                        .bind(position as i64)
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                }
                for (position, contributor) in new.contributors.iter().enumerate() {
                    sqlx::query(sql::LINK_CONTRIBUTOR)
                        .bind(id)
                        .bind(contributor.0)
                        .bind(position as i64)
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                }
                for (position, name) in new
                    .agencies
                    .iter()
                    .filter(|n| !n.trim().is_empty())
                    .enumerate()
                {
                    let agency: AgencyRow = sqlx::query_as(sql::ENSURE_AGENCY)
                        .bind(name.trim())
                        .fetch_one(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    sqlx::query(sql::LINK_AGENCY)
                        .bind(id)
                        .bind(agency.id)
                        .bind(position as i64)
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                }
                Ok(())
            }

            /// Inserts an article's row (version 1); the caller links its parts and
            /// records its revision. Shared by every creation, imports included.
            async fn insert_article_row(
                tx: &mut sqlx::Transaction<'_, $db>,
                new: &NewArticle,
                slug: &Slug,
                body: &kiosque_domain::body::RenderedBody,
                now: DateTime<Utc>,
            ) -> StoreResult<i64> {
                let lead = new.lead_image.as_ref();
                let id: i64 = sqlx::query_scalar(sql::INSERT_ARTICLE)
                    .bind(new.status.as_str())
                    .bind(slug.as_str())
                    .bind(
                        new.kicker
                            .as_deref()
                            .map(str::trim)
                            .filter(|k| !k.is_empty()),
                    )
                    .bind(new.headline.trim())
                    .bind(new.standfirst.trim())
                    .bind(&new.body_markdown)
                    .bind(&body.html)
                    .bind(i64::from(body.word_count))
                    .bind(new.section_id.0)
                    .bind(&new.language)
                    .bind(lead.map(|l| l.media_id.0))
                    .bind(lead.map(|l| l.alt.as_str()).unwrap_or_default())
                    .bind(lead.map(|l| l.caption.as_str()).unwrap_or_default())
                    .bind(lead.map(|l| l.credit.as_str()).unwrap_or_default())
                    .bind(new.seo_title.as_deref().filter(|t| !t.trim().is_empty()))
                    .bind(
                        new.seo_description
                            .as_deref()
                            .filter(|t| !t.trim().is_empty()),
                    )
                    .bind(new.comments_open)
                    .bind(new.published_at.map(stored_time))
                    .bind(new.updated_at.map(stored_time))
                    .bind(stored_time(now))
                    .bind(new.created_by.map(|u| u.0))
                    // Preview links are signed (kiosque_app::preview), never stored.
                    .bind(None::<String>)
                    .bind(new.kind.as_str())
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(store_error)?;
                Ok(id)
            }

            /// Updates an article's content on top of `expected_version`; returns the
            /// rows changed (0: someone saved first).
            #[expect(
                clippy::too_many_arguments,
                reason = "the columns a save writes, each told apart"
            )]
            async fn update_article_row(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                expected_version: i64,
                content: &NewArticle,
                slug: &Slug,
                body: &kiosque_domain::body::RenderedBody,
                updated_at: Option<DateTime<Utc>>,
                now: DateTime<Utc>,
            ) -> StoreResult<u64> {
                let lead = content.lead_image.as_ref();
                let done = sqlx::query(sql::UPDATE_ARTICLE)
                    .bind(id)
                    .bind(expected_version)
                    .bind(slug.as_str())
                    .bind(
                        content
                            .kicker
                            .as_deref()
                            .map(str::trim)
                            .filter(|k| !k.is_empty()),
                    )
                    .bind(content.headline.trim())
                    .bind(content.standfirst.trim())
                    .bind(&content.body_markdown)
                    .bind(&body.html)
                    .bind(i64::from(body.word_count))
                    .bind(content.section_id.0)
                    .bind(&content.language)
                    .bind(lead.map(|l| l.media_id.0))
                    .bind(lead.map(|l| l.alt.as_str()).unwrap_or_default())
                    .bind(lead.map(|l| l.caption.as_str()).unwrap_or_default())
                    .bind(lead.map(|l| l.credit.as_str()).unwrap_or_default())
                    .bind(
                        content
                            .seo_title
                            .as_deref()
                            .filter(|t| !t.trim().is_empty()),
                    )
                    .bind(
                        content
                            .seo_description
                            .as_deref()
                            .filter(|t| !t.trim().is_empty()),
                    )
                    .bind(content.comments_open)
                    .bind(updated_at.map(stored_time))
                    .bind(stored_time(now))
                    .execute(&mut **tx)
                    .await
                    .map_err(store_error)?;
                Ok(done.rows_affected())
            }

            /// Records a revision; an autosave following an autosave of the same person
            /// replaces it rather than adding to the history.
            async fn record_revision(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                version: i64,
                kind: RevisionKind,
                user: Option<UserId>,
                content: &NewArticle,
                now: DateTime<Utc>,
            ) -> StoreResult<()> {
                let snapshot =
                    serde_json::to_string(content).map_err(|e| StoreError::Other(Box::new(e)))?;
                if kind == RevisionKind::Autosave {
                    let folded = sqlx::query(sql::FOLD_AUTOSAVE)
                        .bind(id)
                        .bind(version)
                        .bind(user.map(|u| u.0))
                        .bind(stored_time(now))
                        .bind(&snapshot)
                        .execute(&mut **tx)
                        .await
                        .map_err(store_error)?;
                    if folded.rows_affected() > 0 {
                        return Ok(());
                    }
                }
                sqlx::query(sql::INSERT_REVISION)
                    .bind(id)
                    .bind(version)
                    .bind(user.map(|u| u.0))
                    .bind(kind.as_str())
                    .bind(stored_time(now))
                    .bind(&snapshot)
                    .execute(&mut **tx)
                    .await
                    .map_err(store_error)?;
                Ok(())
            }
        }

        #[async_trait]
        impl ArticleStore for $store {
            async fn create_article_with(
                &self,
                new: &NewArticle,
                creations: &kiosque_domain::lifecycle::Creations,
                now: DateTime<Utc>,
            ) -> StoreResult<Article> {
                // Refused before anything is written (the body is rendered outside the lock).
                new.validate()?;
                let slug = new.effective_slug()?;
                let body = $crate::shared::render_off_runtime(&new.body_markdown).await?;
                let _writing = self.writing().await;
                let mut tx = self.pool.begin().await.map_err(store_error)?;
                let created = Self::create_on_the_way(&mut tx, new, creations).await?;
                let new = &created;
                let id = Self::insert_article_row(&mut tx, new, &slug, &body, now).await?;
                Self::link_parts(&mut tx, id, new).await?;
                Self::link_translation(&mut tx, id, new).await?;
                Self::record_revision(
                    &mut tx,
                    id,
                    1,
                    RevisionKind::Create,
                    new.created_by,
                    new,
                    now,
                )
                .await?;
                tx.commit().await.map_err(store_error)?;
                self.article(ArticleId(id)).await
            }

            async fn articles(&self, ids: &[ArticleId]) -> StoreResult<Vec<Article>> {
                use std::collections::HashMap;
                use $crate::shared::DialectSql;
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let json = |list: &[i64]| {
                    serde_json::to_string(list)
                        .map_err(|e| kiosque_domain::StoreError::Other(Box::new(e)))
                };
                let list = json(&ids.iter().map(|i| i.0).collect::<Vec<_>>())?;
                let rows: Vec<ArticleWithSectionRow> =
                    sqlx::query_as(<$db as DialectSql>::ARTICLES_BY_IDS)
                        .bind(&list)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                let mut parts: HashMap<i64, Vec<ArticlePartRow>> = HashMap::new();
                let part_rows: Vec<$crate::rows::ArticlePartOfRow> =
                    sqlx::query_as(<$db as DialectSql>::PARTS_BY_IDS)
                        .bind(&list)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                for row in part_rows {
                    parts.entry(row.article_id).or_default().push(row.part);
                }
                let mut corrections: HashMap<i64, Vec<kiosque_domain::article::Correction>> =
                    HashMap::new();
                let correction_rows: Vec<(i64, String, DateTime<Utc>)> =
                    sqlx::query_as(<$db as DialectSql>::CORRECTIONS_BY_IDS)
                        .bind(&list)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                for (article, note, created_at) in correction_rows {
                    corrections
                        .entry(article)
                        .or_default()
                        .push(CorrectionRow { note, created_at }.into());
                }
                let media_ids: Vec<i64> = rows
                    .iter()
                    .filter_map(|r| r.article.lead_media_id)
                    .collect();
                let mut media: HashMap<i64, Media> = HashMap::new();
                if !media_ids.is_empty() {
                    let media_rows: Vec<MediaRow> =
                        sqlx::query_as(<$db as DialectSql>::MEDIA_BY_IDS)
                            .bind(json(&media_ids)?)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?;
                    let mut group: Vec<MediaRow> = Vec::new();
                    for row in media_rows {
                        if group.first().is_some_and(|first| first.id != row.id) {
                            let item = MediaRow::into_media(std::mem::take(&mut group))?;
                            media.insert(item.id.0, item);
                        }
                        group.push(row);
                    }
                    if !group.is_empty() {
                        let item = MediaRow::into_media(group)?;
                        media.insert(item.id.0, item);
                    }
                }
                let mut by_id: HashMap<i64, Article> = HashMap::new();
                for row in rows {
                    let id = row.article.id;
                    let lead = row
                        .article
                        .lead_media_id
                        .and_then(|m| media.get(&m).cloned());
                    let article = row.into_article(
                        parts.remove(&id).unwrap_or_default(),
                        lead,
                        corrections.remove(&id).unwrap_or_default(),
                    )?;
                    by_id.insert(id, article);
                }
                Ok(ids.iter().filter_map(|id| by_id.remove(&id.0)).collect())
            }

            async fn article(&self, id: ArticleId) -> StoreResult<Article> {
                let row: ArticleWithSectionRow = sqlx::query_as(sql::ARTICLE_BY_ID)
                    .bind(id.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                let parts: Vec<ArticlePartRow> = sqlx::query_as(sql::ARTICLE_PARTS)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                let lead_media = match row.article.lead_media_id {
                    Some(media_id) => Some(self.load_media(media_id).await?),
                    None => None,
                };
                // Corrections always set the public update time: no update, no query.
                let corrections: Vec<CorrectionRow> = if row.article.updated_at.is_some() {
                    sqlx::query_as(sql::ARTICLE_CORRECTIONS)
                        .bind(id.0)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?
                } else {
                    Vec::new()
                };
                row.into_article(
                    parts,
                    lead_media,
                    corrections.into_iter().map(Into::into).collect(),
                )
            }

            async fn list_published(&self, query: &ListQuery) -> StoreResult<Vec<ArticleSummary>> {
                let (section, tag, contributor) = match &query.scope {
                    Scope::All => (None, None, None),
                    Scope::Section(path) => (Some(path.as_str()), None, None),
                    Scope::Tag(tag) => (None, Some(tag.0), None),
                    Scope::Contributor(c) => (None, None, Some(c.0)),
                };
                // The upper bound: the cursor when it is in the past, else now.
                let (until, below_id) = match query.before {
                    Some((at, id)) if at <= query.now => (at, id.0),
                    _ => (query.now, i64::MAX),
                };
                let since = query.since.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
                // The plan depends on how many articles the tag has: few, start from
                // them; many, walk the date index until the page is full.
                let listing = match tag {
                    Some(tag) => {
                        let (uses,): (i64,) = sqlx::query_as(sql::TAG_USES)
                            .bind(tag)
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?;
                        if uses <= sql::RARE_TAG {
                            sql::LIST_PUBLISHED_RARE_TAG
                        } else {
                            sql::LIST_PUBLISHED
                        }
                    }
                    None => sql::LIST_PUBLISHED,
                };
                let rows: Vec<SummaryRow> = sqlx::query_as(listing)
                    .persistent(tag.is_none() || !Self::PLAN_WITH_VALUES)
                    .bind(until)
                    .bind(section)
                    .bind(tag)
                    .bind(contributor)
                    .bind(below_id)
                    .bind(since)
                    .bind(i64::from(query.limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter().map(ArticleSummary::try_from).collect()
            }

            async fn related_articles(
                &self,
                article: &Article,
                now: DateTime<Utc>,
                since: DateTime<Utc>,
                limit: u32,
            ) -> StoreResult<Vec<ArticleSummary>> {
                let rows: Vec<SummaryRow> = sqlx::query_as(sql::RELATED)
                    .bind(now)
                    .bind(article.id.0)
                    .bind(article.section.id.0)
                    .bind(since)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter().map(ArticleSummary::try_from).collect()
            }

            async fn translations(
                &self,
                article: &Article,
                now: DateTime<Utc>,
            ) -> StoreResult<Vec<ArticleSummary>> {
                let original = article.translation_of.unwrap_or(article.id);
                let rows: Vec<SummaryRow> = sqlx::query_as(sql::TRANSLATIONS)
                    .bind(now)
                    .bind(article.id.0)
                    .bind(original.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter().map(ArticleSummary::try_from).collect()
            }

            async fn publication_months(
                &self,
                now: DateTime<Utc>,
            ) -> StoreResult<Vec<(i32, u32, DateTime<Utc>)>> {
                let rows: Vec<(i64, i64, String)> =
                    sqlx::query_as(<$db as $crate::shared::DialectSql>::PUBLICATION_MONTHS)
                        .bind(now)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                rows.into_iter()
                    .map(|(year, month, changed)| {
                        let changed = DateTime::parse_from_rfc3339(&changed)
                            .map_err(|e| kiosque_domain::StoreError::Other(Box::new(e)))?
                            .with_timezone(&Utc);
                        Ok((year as i32, month as u32, changed))
                    })
                    .collect()
            }

            async fn set_article_status(
                &self,
                id: ArticleId,
                status: ArticleStatus,
                now: DateTime<Utc>,
            ) -> StoreResult<()> {
                let _writing = self.writing().await;
                let done = sqlx::query(sql::SET_STATUS)
                    .bind(id.0)
                    .bind(status.as_str())
                    .bind(stored_time(now))
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                if done.rows_affected() == 0 {
                    Err(StoreError::NotFound)
                } else {
                    Ok(())
                }
            }

            async fn update_article_with(
                &self,
                id: ArticleId,
                content: &NewArticle,
                creations: &kiosque_domain::lifecycle::Creations,
                edit: &Edit,
                now: DateTime<Utc>,
            ) -> StoreResult<Article> {
                use kiosque_domain::lifecycle::{Stored, plan_edit};
                // Rendered before taking the write lock: a long body never delays another writer.
                let body = $crate::shared::render_off_runtime(&content.body_markdown).await?;
                let _writing = self.writing().await;
                let mut tx = self.pool.begin().await.map_err(store_error)?;
                let current: EditStateRow = sqlx::query_as(sql::EDIT_STATE)
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_error)?;
                if current.version != edit.expected_version {
                    return Err(StoreError::VersionMismatch {
                        stored: Some(current.version),
                        expected: edit.expected_version,
                    });
                }
                let status = current
                    .status
                    .parse::<ArticleStatus>()
                    .map_err(|e| StoreError::Other(e.into()))?;
                let stored = Stored {
                    status,
                    slug: &current.slug,
                    published_at: current.published_at,
                    updated_at: current.updated_at,
                };
                let plan = plan_edit(
                    &stored,
                    content,
                    edit.kind,
                    edit.correction_note.as_deref(),
                    now,
                )?;
                let (slug, updated_at, note) = (plan.slug, plan.updated_at, plan.correction_note);
                let created = Self::create_on_the_way(&mut tx, content, creations).await?;
                let content = &created;
                let new_version = current.version + 1;
                let done = Self::update_article_row(
                    &mut tx,
                    id.0,
                    edit.expected_version,
                    content,
                    &slug,
                    &body,
                    updated_at,
                    now,
                )
                .await?;
                if done == 0 {
                    return Err(StoreError::VersionMismatch {
                        stored: None,
                        expected: edit.expected_version,
                    });
                }
                for unlink in [
                    sql::UNLINK_TAGS,
                    sql::UNLINK_CONTRIBUTORS,
                    sql::UNLINK_AGENCIES,
                ] {
                    sqlx::query(unlink)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                }
                Self::link_parts(&mut tx, id.0, content).await?;
                Self::link_translation(&mut tx, id.0, content).await?;
                if let Some(note) = note.as_deref() {
                    sqlx::query(sql::INSERT_CORRECTION)
                        .bind(id.0)
                        .bind(note)
                        .bind(stored_time(now))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                }
                let mut snapshot = content.clone();
                snapshot.slug = Some(slug);
                Self::record_revision(
                    &mut tx,
                    id.0,
                    new_version,
                    edit.kind,
                    edit.user,
                    &snapshot,
                    now,
                )
                .await?;
                tx.commit().await.map_err(store_error)?;
                self.article(id).await
            }

            async fn publish_article(
                &self,
                id: ArticleId,
                at: DateTime<Utc>,
                now: DateTime<Utc>,
            ) -> StoreResult<Article> {
                let _writing = self.writing().await;
                let status = if at > now {
                    ArticleStatus::Scheduled
                } else {
                    ArticleStatus::Published
                };
                let mut tx = self.pool.begin().await.map_err(store_error)?;
                let done = sqlx::query(sql::PUBLISH)
                    .bind(id.0)
                    .bind(status.as_str())
                    .bind(stored_time(at))
                    .bind(stored_time(now))
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                if status == ArticleStatus::Scheduled {
                    // In the same transaction: a scheduled article always has its job.
                    sqlx::query(sql::ENQUEUE_JOB)
                        .bind(kiosque_domain::store::PUBLISH_JOB)
                        .bind(id.0.to_string())
                        .bind(stored_time(at))
                        .bind(stored_time(now))
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                }
                tx.commit().await.map_err(store_error)?;
                self.article(id).await
            }

            async fn request_review(&self, id: ArticleId, now: DateTime<Utc>) -> StoreResult<()> {
                let _writing = self.writing().await;
                let done = sqlx::query(sql::REQUEST_REVIEW)
                    .bind(id.0)
                    .bind(stored_time(now))
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                if done.rows_affected() == 0 {
                    Err(StoreError::NotFound)
                } else {
                    Ok(())
                }
            }

            async fn changed_since(
                &self,
                since: (DateTime<Utc>, ArticleId),
                limit: u32,
            ) -> StoreResult<Vec<(ArticleId, DateTime<Utc>)>> {
                let rows: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(sql::CHANGED_SINCE)
                    .bind(stored_time(since.0))
                    .bind(since.1.0)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, at)| (ArticleId(id), at))
                    .collect())
            }

            async fn list_admin(&self, query: &AdminQuery) -> StoreResult<Vec<AdminSummary>> {
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
                let rows: Vec<AdminSummaryRow> = sqlx::query_as(sql::LIST_ADMIN)
                    .bind(query.status.map(|s| s.as_str()))
                    .bind(query.section.map(|s| s.0))
                    .bind(query.created_by.map(|u| u.0))
                    .bind(pattern)
                    .bind(query.awaiting_review)
                    .bind(query.before.map(|(at, _)| at))
                    .bind(query.before.map(|(_, id)| id.0))
                    .bind(i64::from(query.limit))
                    .bind(query.visible_to.map(|u| u.0))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter().map(AdminSummary::try_from).collect()
            }

            async fn revisions(&self, id: ArticleId) -> StoreResult<Vec<Revision>> {
                let rows: Vec<RevisionRow> = sqlx::query_as(sql::REVISIONS)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter().map(Revision::try_from).collect()
            }
        }

        #[async_trait]
        impl TaxonomyStore for $store {
            async fn create_section(&self, new: &NewSection) -> StoreResult<Section> {
                let _writing = self.writing().await;
                let parent_path = match new.parent_id {
                    Some(parent) => {
                        let row: SectionRow = sqlx::query_as(sql::SECTION_BY_ID)
                            .bind(parent.0)
                            .fetch_one(&self.pool)
                            .await
                            .map_err(store_error)?;
                        Some(row.path)
                    }
                    None => None,
                };
                let row: SectionRow = sqlx::query_as(sql::INSERT_SECTION)
                    .bind(new.parent_id.map(|p| p.0))
                    .bind(new.slug.as_str())
                    .bind(&new.name)
                    .bind(new.path_under(parent_path.as_deref()))
                    .bind(&new.description)
                    .bind(new.position)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn sections(&self) -> StoreResult<Vec<Section>> {
                let rows: Vec<SectionRow> = sqlx::query_as(sql::ALL_SECTIONS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter().map(Section::try_from).collect()
            }

            async fn ensure_tag(&self, name: &str) -> StoreResult<Tag> {
                let _writing = self.writing().await;
                let slug =
                    Slug::from_text(name).ok_or(StoreError::Invalid(ArticleError::NoSlug))?;
                let row: TagRow = sqlx::query_as(sql::ENSURE_TAG)
                    .bind(slug.as_str())
                    .bind(name.trim())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn tag_by_slug(&self, slug: &str) -> StoreResult<Tag> {
                let row: TagRow = sqlx::query_as(sql::TAG_BY_SLUG)
                    .bind(slug)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn update_section(
                &self,
                id: kiosque_domain::SectionId,
                update: &kiosque_domain::store::SectionUpdate,
            ) -> StoreResult<Section> {
                let _writing = self.writing().await;
                let mut tx = self.pool.begin().await.map_err(store_error)?;
                let (parent_id, old_path): (Option<i64>, String) =
                    sqlx::query_as(sql::SECTION_PATH)
                        .bind(id.0)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(store_error)?;
                let parent_path: Option<String> = match parent_id {
                    Some(p) => Some(
                        sqlx::query_as::<_, (Option<i64>, String)>(sql::SECTION_PATH)
                            .bind(p)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?
                            .1,
                    ),
                    None => None,
                };
                let new_path = match parent_path {
                    Some(p) => format!("{p}/{}", update.slug),
                    None => update.slug.to_string(),
                };
                sqlx::query(sql::UPDATE_SECTION)
                    .bind(id.0)
                    .bind(update.name.trim())
                    .bind(update.slug.as_str())
                    .bind(update.description.trim())
                    .bind(update.position)
                    .bind(&new_path)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                if new_path != old_path {
                    sqlx::query(sql::MOVE_DESCENDANTS)
                        .bind(&old_path)
                        .bind(&new_path)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    sqlx::query(sql::RECORD_REDIRECTS)
                        .bind(&old_path)
                        .bind(&new_path)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                    sqlx::query(sql::DROP_LIVE_REDIRECTS)
                        .execute(&mut *tx)
                        .await
                        .map_err(store_error)?;
                }
                tx.commit().await.map_err(store_error)?;
                let row: SectionRow = sqlx::query_as(sql::SECTION_BY_ID)
                    .bind(id.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn section_redirect(&self, old_path: &str) -> StoreResult<Option<String>> {
                sqlx::query_scalar(sql::SECTION_REDIRECT)
                    .bind(old_path)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)
            }

            async fn tags_with_counts(&self) -> StoreResult<Vec<(Tag, i64)>> {
                let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(sql::TAGS_WITH_COUNTS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter()
                    .map(|(id, slug, name, uses)| {
                        Ok((Tag::try_from(TagRow { id, slug, name })?, uses))
                    })
                    .collect()
            }

            async fn rename_tag(&self, id: kiosque_domain::TagId, name: &str) -> StoreResult<()> {
                let _writing = self.writing().await;
                let done = sqlx::query(sql::RENAME_TAG)
                    .bind(id.0)
                    .bind(name.trim())
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                if done.rows_affected() == 0 {
                    Err(StoreError::NotFound)
                } else {
                    Ok(())
                }
            }

            async fn tag_redirect(&self, old_slug: &str) -> StoreResult<Option<String>> {
                sqlx::query_scalar(sql::TAG_REDIRECT)
                    .bind(old_slug)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)
            }

            async fn merge_tags(
                &self,
                from: kiosque_domain::TagId,
                into: kiosque_domain::TagId,
            ) -> StoreResult<()> {
                if from == into {
                    return Ok(());
                }
                let _writing = self.writing().await;
                let mut tx = self.pool.begin().await.map_err(store_error)?;
                sqlx::query(sql::MERGE_TAGS_DEDUP)
                    .bind(from.0)
                    .bind(into.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                sqlx::query(sql::MERGE_TAGS_MOVE)
                    .bind(from.0)
                    .bind(into.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                sqlx::query(sql::MOVE_TAG_REDIRECTS)
                    .bind(from.0)
                    .bind(into.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                sqlx::query(sql::INSERT_TAG_REDIRECT)
                    .bind(from.0)
                    .bind(into.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                let done = sqlx::query(sql::DELETE_TAG)
                    .bind(from.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                tx.commit().await.map_err(store_error)
            }
        }

        #[async_trait]
        impl PeopleStore for $store {
            async fn set_contributor_photo(
                &self,
                id: kiosque_domain::ContributorId,
                photo: Option<MediaId>,
            ) -> StoreResult<()> {
                let _writing = self.writing().await;
                let done = sqlx::query(sql::SET_CONTRIBUTOR_PHOTO)
                    .bind(id.0)
                    .bind(photo.map(|m| m.0))
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                if done.rows_affected() == 0 {
                    return Err(kiosque_domain::StoreError::NotFound);
                }
                Ok(())
            }

            async fn contributor_photo(
                &self,
                id: kiosque_domain::ContributorId,
            ) -> StoreResult<Option<Media>> {
                let photo: Option<i64> = sqlx::query_scalar(sql::CONTRIBUTOR_PHOTO)
                    .bind(id.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                match photo {
                    Some(media) => Ok(Some(self.load_media(media).await?)),
                    None => Ok(None),
                }
            }

            async fn contributor_photos(
                &self,
            ) -> StoreResult<Vec<(kiosque_domain::ContributorId, MediaId)>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(sql::CONTRIBUTOR_PHOTOS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(c, m)| (kiosque_domain::ContributorId(c), MediaId(m)))
                    .collect())
            }

            async fn create_contributor(&self, new: &NewContributor) -> StoreResult<Contributor> {
                let _writing = self.writing().await;
                let row: ContributorRow = sqlx::query_as(sql::INSERT_CONTRIBUTOR)
                    .bind(new.kind.as_str())
                    .bind(&new.name)
                    .bind(new.slug.as_str())
                    .bind(&new.bio)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn contributor_by_slug(&self, slug: &str) -> StoreResult<Contributor> {
                let row: ContributorRow = sqlx::query_as(sql::CONTRIBUTOR_BY_SLUG)
                    .bind(slug)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn contributors(&self) -> StoreResult<Vec<Contributor>> {
                let rows: Vec<ContributorRow> = sqlx::query_as(sql::ALL_CONTRIBUTORS)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter().map(Contributor::try_from).collect()
            }

            async fn update_contributor(
                &self,
                id: kiosque_domain::ContributorId,
                update: &NewContributor,
            ) -> StoreResult<Contributor> {
                let _writing = self.writing().await;
                let row: ContributorRow = sqlx::query_as(sql::UPDATE_CONTRIBUTOR)
                    .bind(id.0)
                    .bind(update.kind.as_str())
                    .bind(update.name.trim())
                    .bind(update.slug.as_str())
                    .bind(update.bio.trim())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn ensure_agency(&self, name: &str) -> StoreResult<Agency> {
                let _writing = self.writing().await;
                let row: AgencyRow = sqlx::query_as(sql::ENSURE_AGENCY)
                    .bind(name.trim())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(row.into())
            }
        }

        #[async_trait]
        impl MediaStore for $store {
            async fn create_media(&self, new: &NewMedia, now: DateTime<Utc>) -> StoreResult<Media> {
                self.write_media(new, None, now).await
            }

            async fn media(&self, id: MediaId) -> StoreResult<Media> {
                self.load_media(id.0).await
            }

            async fn list_media(
                &self,
                before: Option<MediaId>,
                limit: u32,
            ) -> StoreResult<Vec<Media>> {
                let rows: Vec<MediaRow> = sqlx::query_as(sql::MEDIA_PAGE)
                    .bind(before.map(|b| b.0))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                // Rows arrive grouped by media: fold each group into one item.
                let mut media = Vec::new();
                let mut group: Vec<MediaRow> = Vec::new();
                for row in rows {
                    if group.first().is_some_and(|first| first.id != row.id) {
                        media.push(MediaRow::into_media(std::mem::take(&mut group))?);
                    }
                    group.push(row);
                }
                if !group.is_empty() {
                    media.push(MediaRow::into_media(group)?);
                }
                Ok(media)
            }

            async fn update_media(&self, id: MediaId, details: &MediaDetails) -> StoreResult<()> {
                let _writing = self.writing().await;
                let focal = FocalPoint::new(details.focal.x, details.focal.y);
                let done = sqlx::query(sql::UPDATE_MEDIA)
                    .bind(id.0)
                    .bind(details.alt.trim())
                    .bind(details.credit.trim())
                    .bind(details.copyright.trim())
                    .bind(focal.x)
                    .bind(focal.y)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                if done.rows_affected() == 0 {
                    Err(StoreError::NotFound)
                } else {
                    Ok(())
                }
            }

            async fn replace_renditions(
                &self,
                id: MediaId,
                prefix: &str,
                renditions: &[kiosque_domain::media::Rendition],
            ) -> StoreResult<Vec<String>> {
                self.swap_renditions(id, prefix, renditions).await
            }

            async fn create_av(
                &self,
                new: &NewMedia,
                kind: &str,
                duration_ms: u64,
                now: DateTime<Utc>,
            ) -> StoreResult<Media> {
                self.write_media(new, Some((kind, duration_ms)), now).await
            }

            async fn av_details(
                &self,
                ids: &[MediaId],
            ) -> StoreResult<Vec<kiosque_domain::media::AvDetails>> {
                self.av_of(ids).await
            }

            async fn set_poster(&self, id: MediaId, poster: Option<MediaId>) -> StoreResult<()> {
                self.write_av(
                    $crate::embeds::sql::SET_POSTER,
                    id,
                    None,
                    poster.map(|p| p.0),
                    None,
                )
                .await
            }

            async fn set_captions(&self, id: MediaId, key: &str, lang: &str) -> StoreResult<()> {
                self.write_av(
                    $crate::embeds::sql::SET_CAPTIONS,
                    id,
                    Some(key),
                    None,
                    Some(lang),
                )
                .await
            }

            async fn media_by_keys(&self, keys: &[String]) -> StoreResult<Vec<Media>> {
                self.media_of_keys(keys).await
            }

            async fn articles_with_lead(&self, id: MediaId) -> StoreResult<Vec<ArticleId>> {
                self.lead_users(id).await
            }

            async fn embed_by_url(
                &self,
                url: &str,
            ) -> StoreResult<Option<kiosque_domain::embed::Embed>> {
                self.embed_row(url).await
            }

            async fn save_embed(
                &self,
                new: &kiosque_domain::embed::NewEmbed,
                now: DateTime<Utc>,
            ) -> StoreResult<kiosque_domain::embed::Embed> {
                self.write_embed(new, now).await
            }

            async fn link_embeds(&self, article: ArticleId, embeds: &[i64]) -> StoreResult<()> {
                self.write_embed_links(article, embeds).await
            }

            async fn article_embeds(
                &self,
                article: ArticleId,
            ) -> StoreResult<Vec<kiosque_domain::embed::Embed>> {
                self.embeds_of(article).await
            }
        }

        #[async_trait]
        impl MetaStore for $store {
            async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
                sqlx::query_scalar(sql::GET_META)
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)
            }

            async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
                let _writing = self.writing().await;
                sqlx::query(sql::SET_META)
                    .bind(key)
                    .bind(value)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(())
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1")
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(())
            }

            async fn pending_migrations(&self) -> StoreResult<usize> {
                let applied: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                        .fetch_one(&self.pool)
                        .await
                        .map_err(store_error)?;
                let applied = usize::try_from(applied).unwrap_or(0);
                Ok(crate::migrations::MIGRATIONS.len().saturating_sub(applied))
            }

            fn pool_usage(&self) -> (u32, u32) {
                let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
                (self.pool.size(), idle)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::storage_unavailable;

    #[test]
    fn full_and_read_only_storage_is_told_apart_from_other_errors() {
        // SQLite: FULL, READONLY, READONLY_DBMOVED (extended), IOERR_WRITE, CANTOPEN.
        for code in ["13", "8", "1032", "778", "14"] {
            assert!(storage_unavailable(Some(code)), "{code}");
        }
        // SQLite: UNIQUE (extended constraint), BUSY, ERROR; PostgreSQL: unique
        // violation, syntax error.
        for code in ["2067", "5", "1", "23505", "42601"] {
            assert!(!storage_unavailable(Some(code)), "{code}");
        }
        // PostgreSQL: disk full, out of memory, read-only transaction (a replica).
        for code in ["53100", "53200", "25006"] {
            assert!(storage_unavailable(Some(code)), "{code}");
        }
        assert!(!storage_unavailable(None));
    }
}
