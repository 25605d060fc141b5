-- Embeds: what a provider's oEmbed endpoint answered about a URL, fetched when an
-- article naming it was saved (never when a page is read), and which articles name
-- which embeds.
CREATE TABLE embeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL,
    style TEXT NOT NULL CHECK (style IN ('frame', 'card')),
    title TEXT NOT NULL DEFAULT '',
    author_name TEXT NOT NULL DEFAULT '',
    author_url TEXT NOT NULL DEFAULT '',
    frame_src TEXT,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    card_text TEXT NOT NULL DEFAULT '',
    card_date TEXT NOT NULL DEFAULT '',
    thumbnail_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    thumbnail_src TEXT,
    fetched_at TEXT NOT NULL,
    error TEXT
);

CREATE TABLE article_embeds (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    embed_id INTEGER NOT NULL REFERENCES embeds(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, embed_id)
);
CREATE INDEX article_embeds_embed ON article_embeds (embed_id);
