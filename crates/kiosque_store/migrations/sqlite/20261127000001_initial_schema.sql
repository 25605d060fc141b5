-- Kiosque initial schema (SQLite). Timestamps are RFC 3339 text in UTC.
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES sections(id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE contributors (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'desk')),
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    bio TEXT NOT NULL DEFAULT ''
);

CREATE TABLE agencies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    storage_key TEXT NOT NULL UNIQUE,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    byte_size INTEGER NOT NULL,
    alt TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE media_renditions (
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    PRIMARY KEY (media_id, name)
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
    slug TEXT NOT NULL,
    kicker TEXT,
    headline TEXT NOT NULL,
    standfirst TEXT NOT NULL DEFAULT '',
    body_markdown TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    word_count INTEGER NOT NULL DEFAULT 0,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    language TEXT NOT NULL,
    lead_media_id INTEGER REFERENCES media(id),
    lead_alt TEXT NOT NULL DEFAULT '',
    lead_caption TEXT NOT NULL DEFAULT '',
    lead_credit TEXT NOT NULL DEFAULT '',
    seo_title TEXT,
    seo_description TEXT,
    comments_open INTEGER NOT NULL DEFAULT 1,
    published_at TEXT,
    updated_at TEXT,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_public ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_section_public ON articles (section_id, status, published_at DESC, id DESC);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

CREATE TABLE article_contributors (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    contributor_id INTEGER NOT NULL REFERENCES contributors(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, contributor_id)
);
CREATE INDEX article_contributors_contributor ON article_contributors (contributor_id, article_id);

CREATE TABLE article_agencies (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, agency_id)
);

CREATE TABLE site_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
