-- Slugs of merged tags, so that their pages keep answering.
CREATE TABLE tag_redirects (
    old_slug TEXT PRIMARY KEY,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE
);
