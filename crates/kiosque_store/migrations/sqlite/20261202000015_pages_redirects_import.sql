-- Static pages ("Mentions légales"), the redirects that keep old addresses alive, and
-- what each import wrote, keyed on its source so that a second run changes nothing.
CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    in_footer INTEGER NOT NULL DEFAULT 0,
    footer_position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL
);

CREATE TABLE page_revisions (
    page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (page_id, version)
);

-- An old address and where it goes now: a fixed URL, or an article or page whose
-- current address is read at each request (never a chain), or nothing (410).
CREATE TABLE redirects (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    prefix INTEGER NOT NULL DEFAULT 0,
    target TEXT,
    article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
    page_id INTEGER REFERENCES pages(id) ON DELETE CASCADE,
    section_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    status INTEGER NOT NULL CHECK (status IN (301, 302, 410)),
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (path, prefix)
);
CREATE INDEX redirects_prefixes ON redirects (prefix, path);

CREATE TABLE import_sources (
    system TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (system, key)
);

-- Comments brought from another system: their authors are not reader accounts.
ALTER TABLE comments ADD COLUMN legacy_author TEXT;
ALTER TABLE comments ADD COLUMN legacy_email TEXT;
-- The comment's id on the old site, within its article: a second import adds only
-- the comments it has not seen.
ALTER TABLE comments ADD COLUMN legacy_key TEXT;
CREATE INDEX comments_legacy ON comments (article_id, legacy_key) WHERE legacy_key IS NOT NULL;
