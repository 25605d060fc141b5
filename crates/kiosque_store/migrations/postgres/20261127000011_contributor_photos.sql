-- A contributor's portrait, from the media library.
ALTER TABLE contributors ADD COLUMN photo_media_id BIGINT REFERENCES media(id) ON DELETE SET NULL;
