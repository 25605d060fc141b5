-- Curated fronts: the home page's and each section's ordered top stories.
-- front is 'home' or 'section:<id>'; slot 0 is the lead; until lapses a slot.
CREATE TABLE fronts (
    front TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE front_slots (
    front TEXT NOT NULL REFERENCES fronts(front) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    until TIMESTAMPTZ,
    PRIMARY KEY (front, position)
);
CREATE INDEX front_slots_article ON front_slots (article_id);
