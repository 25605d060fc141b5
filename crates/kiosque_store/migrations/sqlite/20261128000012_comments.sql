-- no-transaction
-- Reader accounts and comments. The staff role list gains 'moderator'; SQLite cannot
-- change a CHECK constraint in place, so users is rebuilt with foreign keys off, in
-- one transaction of its own.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'moderator', 'journalist')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
INSERT INTO users_new (id, email, name, role, password_hash, active, created_at)
    SELECT id, email, name, role, password_hash, active, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE readers (
    id INTEGER PRIMARY KEY,
    email TEXT UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    staff_id INTEGER UNIQUE REFERENCES users(id) ON DELETE SET NULL,
    verified_at TEXT,
    notify_replies INTEGER NOT NULL DEFAULT 0,
    banned_reason TEXT,
    suspended_until TEXT,
    always_premoderate INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE reader_sessions (
    token_hash TEXT PRIMARY KEY,
    reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX reader_sessions_reader ON reader_sessions (reader_id);

CREATE TABLE reader_tokens (
    token_hash TEXT PRIMARY KEY,
    reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'magic', 'email')),
    new_email TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX reader_tokens_reader ON reader_tokens (reader_id, purpose);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    reader_id INTEGER REFERENCES readers(id) ON DELETE SET NULL,
    parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    reply_to_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'deleted')),
    queued_because TEXT,
    featured INTEGER NOT NULL DEFAULT 0,
    like_count INTEGER NOT NULL DEFAULT 0,
    report_count INTEGER NOT NULL DEFAULT 0,
    reject_reason TEXT,
    created_at TEXT NOT NULL,
    edited_at TEXT
);
-- A page of top-level comments, newest or oldest first (ids grow with time).
CREATE INDEX comments_roots ON comments (article_id, status, parent_id, id);
-- The same, most liked first.
CREATE INDEX comments_roots_liked ON comments (article_id, status, parent_id, like_count, id);
CREATE INDEX comments_replies ON comments (parent_id, status, id);
CREATE INDEX comments_queue ON comments (status, id);
CREATE INDEX comments_reported ON comments (report_count, id) WHERE report_count > 0;
CREATE INDEX comments_reader ON comments (reader_id, id);
CREATE INDEX comments_featured ON comments (article_id, featured, id);

CREATE TABLE comment_likes (
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    PRIMARY KEY (comment_id, reader_id)
);
CREATE INDEX comment_likes_reader ON comment_likes (reader_id);

CREATE TABLE comment_reports (
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);

CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY,
    moderator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    comment_id INTEGER,
    reader_id INTEGER,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX moderation_log_time ON moderation_log (id DESC);
COMMIT;
PRAGMA foreign_keys = ON;
