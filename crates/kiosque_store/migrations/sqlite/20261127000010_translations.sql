-- Translations: an article can name the original it translates. Every translation
-- points at the original (never at another translation), so one lookup finds the
-- whole family for hreflang links.
ALTER TABLE articles ADD COLUMN translation_of INTEGER REFERENCES articles(id) ON DELETE SET NULL;
CREATE INDEX articles_translation ON articles (translation_of);
