-- A contributor's portrait, from the media library.
ALTER TABLE contributors ADD COLUMN photo_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL;
