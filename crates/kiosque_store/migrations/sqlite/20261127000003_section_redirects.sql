-- Old section paths, so that renamed or moved sections keep their URLs.
CREATE TABLE section_redirects (
    old_path TEXT PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE
);
