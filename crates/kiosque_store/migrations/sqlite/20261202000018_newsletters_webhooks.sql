-- Newsletters: lists, subscriptions with their consent record, editions, one send
-- record per edition and subscription (so each is mailed once whatever happens),
-- suppressed addresses (permanent failures, bounces). Webhooks: endpoints and one
-- delivery record per event and endpoint, with its attempts.
CREATE TABLE newsletters (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    send_time TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE newsletter_subscriptions (
    id INTEGER PRIMARY KEY,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    reader_id INTEGER REFERENCES readers(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    confirm_hash TEXT,
    confirm_expires_at TEXT,
    consent_at TEXT NOT NULL,
    consent_method TEXT NOT NULL,
    consent_page TEXT,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    unsubscribed_at TEXT,
    UNIQUE (newsletter_id, email)
);
CREATE INDEX newsletter_subscriptions_confirmed ON newsletter_subscriptions (newsletter_id, state);
CREATE INDEX newsletter_subscriptions_email ON newsletter_subscriptions (email);
CREATE INDEX newsletter_subscriptions_reader ON newsletter_subscriptions (reader_id);
CREATE UNIQUE INDEX newsletter_subscriptions_confirm ON newsletter_subscriptions (confirm_hash);

CREATE TABLE mail_suppressions (
    email TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE newsletter_editions (
    id INTEGER PRIMARY KEY,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    intro_markdown TEXT NOT NULL DEFAULT '',
    articles TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'sending', 'sent')),
    send_at TEXT,
    html TEXT,
    text TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    sent_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX newsletter_editions_list ON newsletter_editions (newsletter_id, id);

-- No foreign key to the subscription: an erased reader's send record stays with the
-- edition's counts, without the address.
CREATE TABLE newsletter_sends (
    edition_id INTEGER NOT NULL REFERENCES newsletter_editions(id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'suppressed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    claimed_at TEXT,
    claim TEXT,
    error TEXT,
    PRIMARY KEY (edition_id, subscription_id)
);
CREATE INDEX newsletter_sends_due ON newsletter_sends (edition_id, state, next_at);

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    event TEXT NOT NULL,
    article_id INTEGER,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'withheld')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,
    last_error TEXT,
    duration_ms INTEGER,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, id);
