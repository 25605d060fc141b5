-- State every node shares: rate-limit events by the hash of their key (an account or
-- an address, never stored in clear), pruned after a day, and who has which article
-- open in the editor.
CREATE TABLE throttle_events (
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX throttle_events_key ON throttle_events (key, at);
CREATE INDEX throttle_events_time ON throttle_events (at);

CREATE TABLE editor_presence (
    article_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    taken_over_by TEXT,
    PRIMARY KEY (article_id, user_id)
);
