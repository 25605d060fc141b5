-- The sitemap index groups every public article by month with its newest change:
-- with this covering index that reads the index alone, not the articles' rows.
CREATE INDEX articles_dates ON articles (status, published_at, updated_at);
