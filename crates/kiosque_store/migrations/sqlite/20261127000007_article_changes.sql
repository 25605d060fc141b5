-- The article change feed: every change to an article, its tags, bylines or agency
-- credits, or to the name of a tag, contributor or section it carries, adds a row.
-- Search indexes follow it; article_id 0 asks every follower for a full rebuild.
CREATE TABLE article_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL,
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);
CREATE INDEX article_changes_time ON article_changes (changed_at);

CREATE TRIGGER article_changes_insert AFTER INSERT ON articles
BEGIN INSERT INTO article_changes (article_id) VALUES (NEW.id); END;
CREATE TRIGGER article_changes_update AFTER UPDATE ON articles
BEGIN INSERT INTO article_changes (article_id) VALUES (NEW.id); END;
CREATE TRIGGER article_changes_delete AFTER DELETE ON articles
BEGIN INSERT INTO article_changes (article_id) VALUES (OLD.id); END;

CREATE TRIGGER article_changes_tag_link AFTER INSERT ON article_tags
BEGIN INSERT INTO article_changes (article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER article_changes_tag_unlink AFTER DELETE ON article_tags
BEGIN INSERT INTO article_changes (article_id) VALUES (OLD.article_id); END;
CREATE TRIGGER article_changes_contributor_link AFTER INSERT ON article_contributors
BEGIN INSERT INTO article_changes (article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER article_changes_contributor_unlink AFTER DELETE ON article_contributors
BEGIN INSERT INTO article_changes (article_id) VALUES (OLD.article_id); END;
CREATE TRIGGER article_changes_agency_link AFTER INSERT ON article_agencies
BEGIN INSERT INTO article_changes (article_id) VALUES (NEW.article_id); END;
CREATE TRIGGER article_changes_agency_unlink AFTER DELETE ON article_agencies
BEGIN INSERT INTO article_changes (article_id) VALUES (OLD.article_id); END;

CREATE TRIGGER article_changes_tag_renamed AFTER UPDATE OF name ON tags
BEGIN INSERT INTO article_changes (article_id) SELECT article_id FROM article_tags WHERE tag_id = NEW.id; END;
CREATE TRIGGER article_changes_contributor_renamed AFTER UPDATE OF name ON contributors
BEGIN INSERT INTO article_changes (article_id) SELECT article_id FROM article_contributors WHERE contributor_id = NEW.id; END;
CREATE TRIGGER article_changes_section_moved AFTER UPDATE OF name, path ON sections
BEGIN INSERT INTO article_changes (article_id) SELECT id FROM articles WHERE section_id = NEW.id; END;
