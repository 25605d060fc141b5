-- Agency dispatches: one row per agency guid at its latest version, and every
-- version received, with the parsed dispatch as JSON.
CREATE TABLE wire_items (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    format TEXT NOT NULL,
    item_class TEXT NOT NULL,
    pub_status TEXT NOT NULL CHECK (pub_status IN ('usable', 'withheld', 'canceled')),
    provider TEXT,
    urgency INTEGER,
    language TEXT,
    headline TEXT NOT NULL,
    summary TEXT,
    embargo TEXT,
    version_created TEXT,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    article_version INTEGER,
    auto_published INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX wire_items_desk ON wire_items (updated_at DESC, id DESC);
CREATE INDEX wire_items_article ON wire_items (article_id);

CREATE TABLE wire_versions (
    wire_id INTEGER NOT NULL REFERENCES wire_items(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    payload TEXT NOT NULL,
    source TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (wire_id, version)
);
