-- Push alerts: readers' Web Push subscriptions and their topics, the alerts sent, and
-- one delivery per alert and subscription (its state survives any crash).
CREATE TABLE push_subscriptions (
    id INTEGER PRIMARY KEY,
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE push_subscription_topics (
    subscription_id INTEGER NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (subscription_id, topic)
);
CREATE INDEX push_subscription_topics_topic ON push_subscription_topics (topic, subscription_id);

CREATE TABLE push_alerts (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    topics TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    recipients INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    retried INTEGER NOT NULL DEFAULT 0,
    dropped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);

-- No foreign key to the subscription: a gone subscription is deleted, its delivery
-- record stays with the alert's counts.
CREATE TABLE push_deliveries (
    alert_id INTEGER NOT NULL REFERENCES push_alerts(id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'gone', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    claimed_at TEXT,
    claim TEXT,
    PRIMARY KEY (alert_id, subscription_id)
);
CREATE INDEX push_deliveries_due ON push_deliveries (alert_id, state, next_at);
