#!/usr/bin/env bash
# Comments benchmark: a release build on 127.0.0.1 with 1,000,000 generated comments
# in SQLite (DATA to reuse a prepared data directory). Measures, with wrk:
#   - the first page of a 10,000-comment thread (the page and the fragment the article
#     loads in place), one connection (latency) and 16 (throughput);
#   - comment posts by logged-in readers (each post: session, CSRF, rate limits,
#     moderation rules, repeated-post check, insert), 2 threads x 32 connections.
# Prints a Markdown table and keeps it in bench/results/comments.md.
#
# Needs: wrk (Debian: apt-get install wrk), python3, curl.
# Settings: COMMENTS (1000000), DURATION (10s), PORT (18090), DATA (a fresh temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18090}
DURATION=${DURATION:-10s}
COMMENTS=${COMMENTS:-1000000}
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
out=bench/results/comments.md
mkdir -p bench/results
fresh=0
if [ -z "${DATA:-}" ]; then DATA=$(mktemp -d); fresh=1; fi
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ "$fresh" = 1 ] && rm -rf "$DATA"
  rm -f "$DATA.creds"
}
trap cleanup EXIT

cargo build --release -p kiosque >/dev/null
say() { echo "$*" | tee -a "$out"; }
: > "$out"

db="$DATA/kiosque.db"
if [ ! -f "$db" ] || [ "$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select count(*) from comments').fetchone()[0])" 2>/dev/null || echo 0)" -lt "$COMMENTS" ]; then
  start=$(date +%s%N)
  KIOSQUE_LOG=warn "$BIN" --data "$DATA" demo --generate --articles 0 --comments "$COMMENTS" >/dev/null
  generate_ms=$(( ($(date +%s%N) - start) / 1000000 ))
else
  generate_ms=
fi

# Sessions for 20,000 generated readers, written straight into the database (the
# bench measures posting, not argon2 logins): token and CSRF per line.
python3 - "$db" "$DATA.creds" <<'PY'
import hashlib, secrets, sqlite3, sys, datetime
db, creds = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
later = now + datetime.timedelta(days=1)
fmt = lambda t: t.isoformat()
ids = [r[0] for r in c.execute("SELECT id FROM readers WHERE email LIKE '%@charge.kiosque.test' ORDER BY id LIMIT 20000")]
with open(creds, "w") as f:
    for rid in ids:
        token, csrf = secrets.token_hex(32), secrets.token_hex(32)
        c.execute("INSERT INTO reader_sessions (token_hash, reader_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                  (hashlib.sha256(token.encode()).hexdigest(), rid, csrf, fmt(now), fmt(now), fmt(later)))
        f.write(f"{token} {csrf}\n")
c.commit()
PY

# The 10,000-comment thread (the newest article by id) and an open thread to post to
# (the newest by publication).
read -r big open < <(python3 -c "
import sqlite3; c = sqlite3.connect('$db')
big = c.execute('SELECT article_id FROM comments GROUP BY article_id HAVING COUNT(*) = 10000 ORDER BY article_id DESC LIMIT 1').fetchone()[0]
open_ = c.execute(\"SELECT id FROM articles WHERE status = 'published' AND comments_open ORDER BY published_at DESC LIMIT 1\").fetchone()[0]
print(big, open_)")
stored=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select count(*) from comments').fetchone()[0])")

KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" --trusted-proxies 127.0.0.1 & pid=$!
for _ in $(seq 1 2000); do curl -fso /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.01; done
base="http://127.0.0.1:$PORT"
curl -fso /dev/null "$base/commentaires/$big"

run=$(date +%s%N)

row() { # label, wrk output
  local rps p50 p99 errors non
  rps=$(grep 'Requests/sec' <<<"$2" | awk '{printf "%\047d", $2}')
  p50=$(grep -E '^ +50%' <<<"$2" | awk '{print $2}')
  p99=$(grep -E '^ +99%' <<<"$2" | awk '{print $2}')
  errors=$(grep -o 'Socket errors.*' <<<"$2" || true)
  non=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$2" | awk '{print $NF}' || true)
  say "| $1 | $rps | $p50 | $p99 | ${non:-0}${errors:+ ($errors)} |"
}

rss() { awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$pid/status"; }

say "# Kiosque comments benchmark"
say ""
say "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), SQLite, $stored comments in the store${generate_ms:+ (generated in $((generate_ms / 1000)) s)}, thread $big holds 10,000 of them; wrk on the same machine."
say ""
say "| what | req/s | p50 | p99 | errors |"
say "|---|---:|---:|---:|---:|"
# A cookie (here a session that does not exist) keeps the page cache out: these rows
# render the thread on every request, as for a logged-in reader.
render=(-H "Cookie: kq_reader=none")
row "first page of the 10,000-comment thread, rendered, 1 connection" "$(wrk -t1 -c1 -d"$DURATION" --latency "${render[@]}" "$base/commentaires/$big")"
row "its fragment (loaded in place), rendered, 1 connection" "$(wrk -t1 -c1 -d"$DURATION" --latency "${render[@]}" "$base/commentaires/$big?fragment=1")"
row "its fragment, rendered, 16 connections" "$(wrk -t2 -c16 -d"$DURATION" --latency "${render[@]}" "$base/commentaires/$big?fragment=1")"
row "its fragment, logged out (page cache), 64 connections" "$(wrk -t2 -c64 -d"$DURATION" --latency "$base/commentaires/$big?fragment=1")"
before=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select count(*) from comments').fetchone()[0])")
post=$(KQ_CREDS="$DATA.creds" KQ_THREAD="/commentaires/$open" KQ_RUN="$run" wrk -t2 -c32 -d"$DURATION" --latency -s bench/post.lua "$base")
after=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select count(*) from comments').fetchone()[0])")
row "comment posts (303 = stored), 32 connections" "$post"
seconds=${DURATION%s}
say ""
say "Comments stored during the post run: $((after - before)) ($(( (after - before) / seconds )) per second); server memory after the run: $(rss)."
