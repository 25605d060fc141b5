-- Changes readers can see, announced to every node: each one forgets what it keeps
-- in memory (rendered pages, the section tree, site settings) when a row it has not
-- seen appears. Rows are pruned after a day.
CREATE TABLE site_signals (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX site_signals_time ON site_signals (created_at);

-- Which worker (host and process) holds a running job's claim: shown to operators,
-- and how a node that died mid-job is told apart.
ALTER TABLE jobs ADD COLUMN locked_by TEXT;

-- A thread's top-level comments, newest or oldest first and by likes: with parent_id
-- in the key as "IS NULL", the planner cannot see the rows come out in id order, and
-- on PostgreSQL it walked every comment backwards instead (a 10,000-comment thread
-- amid a million comments: 114 ms, then 0.1 ms with these).
CREATE INDEX comments_thread_roots ON comments (article_id, status, id) WHERE parent_id IS NULL;
CREATE INDEX comments_thread_roots_liked ON comments (article_id, status, like_count, id) WHERE parent_id IS NULL;
