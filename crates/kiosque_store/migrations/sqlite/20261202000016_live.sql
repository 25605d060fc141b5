-- Live coverage ("En direct"): an article's kind, a live's state on its row, and
-- the entries, rows of their own so that many journalists post at once; every
-- version of an entry is kept.
ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE articles ADD COLUMN live_closed_at TEXT;
ALTER TABLE articles ADD COLUMN live_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN live_last_entry_at TEXT;

CREATE TABLE live_entries (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    title TEXT,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    credit TEXT,
    key_event INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    UNIQUE (article_id, seq)
);
-- At most one pinned entry per live, enforced by the database.
CREATE UNIQUE INDEX live_entries_one_pin ON live_entries (article_id) WHERE pinned AND deleted_at IS NULL;
CREATE INDEX live_entries_key_events ON live_entries (article_id, seq) WHERE key_event AND deleted_at IS NULL;

CREATE TABLE live_entry_revisions (
    entry_id INTEGER NOT NULL REFERENCES live_entries(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'edit', 'delete')),
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    title TEXT,
    body_markdown TEXT NOT NULL,
    credit TEXT,
    key_event INTEGER NOT NULL,
    pinned INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, revision)
);
