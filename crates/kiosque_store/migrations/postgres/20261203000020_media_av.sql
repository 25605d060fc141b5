-- Videos and sounds of the library: a media row (type, size, dimensions) and, here,
-- what only they have: the duration read from the container, the poster picture,
-- the WebVTT captions.
CREATE TABLE media_av (
    media_id BIGINT PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('video', 'audio')),
    duration_ms BIGINT NOT NULL,
    poster_media_id BIGINT REFERENCES media(id) ON DELETE SET NULL,
    captions_key TEXT,
    captions_lang TEXT NOT NULL DEFAULT 'fr'
);
