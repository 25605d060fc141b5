#!/usr/bin/env bash
# Kiosque benchmark: a release build on 127.0.0.1 holding ARTICLES generated articles
# and COMMENTS generated comments (100,000 and 1,000,000 by default) on SQLite or
# PostgreSQL (BACKEND), measured with wrk against nginx serving the same article page
# as a static file in the same run, so every row carries its ratio to that physical
# limit. Prints a Markdown table and keeps it in bench/results/latest-$BACKEND.md.
#
# Needs: wrk, nginx (Debian: apt-get install wrk nginx), curl, gzip, python3; psql for
# PostgreSQL.
# Settings: BACKEND (sqlite | postgres), ARTICLES (100000), COMMENTS (1000000),
# DURATION (10s), CONNECTIONS (64), THREADS (2), PORT (18080),
# STORE (where the generated site is kept and reused: /var/tmp/kiosque-bench/...),
# PG (postgres://postgres@127.0.0.1:5432, the server the PostgreSQL store goes on).
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${BACKEND:-sqlite}
ARTICLES=${ARTICLES:-100000}
COMMENTS=${COMMENTS:-1000000}
PORT=${PORT:-18080}
COLD_PORT=$((PORT + 1))
NGINX_PORT=$((PORT + 2))
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
STORE=${STORE:-/var/tmp/kiosque-bench/$BACKEND-$ARTICLES-$COMMENTS}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
out=bench/results/latest-$BACKEND.md
mkdir -p bench/results
WORK=$(mktemp -d)
case $BACKEND in
  sqlite) DBURL="sqlite:$STORE/kiosque.db" ;;
  postgres) DBURL="$PG/kiosque_bench_${ARTICLES}_$COMMENTS" ;;
  *) echo "BACKEND is sqlite or postgres" >&2; exit 2 ;;
esac
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cargo build --release -p kiosque >/dev/null
kq() { KIOSQUE_LOG=warn "$BIN" --data "$1" --database-url "$DBURL" "${@:2}"; }
# The same in the background; $pid is the server's own process.
kq_bg() { KIOSQUE_LOG=warn "$BIN" --data "$1" --database-url "$DBURL" "${@:2}" & pid=$!; pids+=("$pid"); }
# One SQL statement on the store; prints the first column of each row.
sql() {
  if [ "$BACKEND" = sqlite ]; then
    python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(row[0])' "$STORE/kiosque.db" "$1"
  else
    psql -qtA "$DBURL" -c "$1"
  fi
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# 1. The store: the demo, then the generated articles and comments (kept for reuse).
if [ ! -f "$STORE/generated.txt" ]; then
  rm -rf "$STORE"; mkdir -p "$STORE"
  if [ "$BACKEND" = postgres ]; then
    psql -qtA "$PG/postgres" -c "DROP DATABASE IF EXISTS kiosque_bench_${ARTICLES}_$COMMENTS WITH (FORCE)" >/dev/null
    psql -qtA "$PG/postgres" -c "CREATE DATABASE kiosque_bench_${ARTICLES}_$COMMENTS" >/dev/null
  fi
  kq "$STORE" demo >/dev/null
  start=$(date +%s%N)
  # PostgreSQL: the bulk load does not wait for each commit's fsync (a crash loses
  # the last few generated articles, never consistency); the runs below do.
  gen_url=$DBURL
  [ "$BACKEND" = postgres ] && gen_url="$DBURL?options=-c%20synchronous_commit%3Doff"
  KIOSQUE_LOG=warn "$BIN" --data "$STORE" --database-url "$gen_url" demo --generate --articles "$ARTICLES" --comments "$COMMENTS" > "$WORK/generated"
  echo "generated in $(( $(ms_since "$start") / 1000 )) s: $(tr '\n' ' ' < "$WORK/generated")" > "$STORE/generated.txt"
fi
say() { echo "$*" | tee -a "$out"; }
: > "$out"
say "# Kiosque benchmark, $BACKEND"
say ""
say "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem/ {print $2}') GB RAM, $(rustc --version | cut -d' ' -f1-2), wrk -t$THREADS -c$CONNECTIONS -d$DURATION on the same machine unless a row says otherwise."
say ""
say "Store: $BACKEND, $(sql "SELECT COUNT(*) FROM articles WHERE status = 'published'") published articles, $(sql "SELECT COUNT(*) FROM comments") comments, $(sql "SELECT COUNT(*) FROM readers") readers; $(cat "$STORE/generated.txt")"
say ""

# 2. Wire ingest into the big store: 2,000 original NewsML-G2 items, new each run.
mkdir -p "$WORK/wire"
python3 - "$WORK/wire" 2000 <<'PY'
import os, random, sys, time
folder, count = sys.argv[1], int(sys.argv[2])
rng = random.Random()
nonce = time.time_ns()
words = ("gouvernement réforme budget séisme élection marché récolte tempête sommet accord "
         "grève tribunal stade record hôpital école port frontière crue incendie").split()
w = lambda k: " ".join(rng.choice(words) for _ in range(k))
for n in range(count):
    paragraphs = "".join(f"<p>{w(rng.randint(20, 60)).capitalize()}.</p>" for _ in range(rng.randint(3, 15)))
    with open(os.path.join(folder, f"{n:05d}.xml"), "w") as f:
        f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:{nonce}:{n}" version="1" standard="NewsML-G2" standardversion="2.35" xml:lang="fr">
  <rightsInfo><copyrightHolder literal="Agence Bench"/></rightsInfo>
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="BENCH"/><versionCreated>2026-11-27T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta>
  <contentMeta><urgency>{rng.randint(1, 8)}</urgency><language tag="fr"/><headline>{w(8).capitalize()} {n}</headline><description role="drol:summary">{w(25).capitalize()}.</description></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{paragraphs}</body></html></inlineXML></contentSet>
</newsItem>""")
PY
start=$(date +%s%N)
kq "$STORE" ingest "$WORK/wire" > "$WORK/ingest.txt"
ingest_ms=$(ms_since "$start")

# 3. Rebuilding the search index from the database.
reindex=$(kq "$STORE" reindex)

# 4. Restart to first response, five times.
wait_up() {
  for _ in $(seq 1 6000); do
    curl -fso /dev/null "http://127.0.0.1:$1/healthz" && return 0
    sleep 0.005
  done
  return 1
}
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  kq_bg "$STORE" serve --listen "127.0.0.1:$PORT"
  wait_up "$PORT"
  times+=("$(ms_since "$start")")
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
restarts=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')

# 5. Sessions for 20,000 generated readers, written straight into the database (the
#    post rows measure posting, not argon2 logins; the login row measures those).
python3 - "$BACKEND" "$STORE/kiosque.db" "$WORK/creds" > "$WORK/sessions.sql" <<'PY'
import datetime, hashlib, secrets, sys
backend, db, creds = sys.argv[1:4]
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
rows = []
for n in range(20000):
    token, csrf = secrets.token_hex(32), secrets.token_hex(32)
    rows.append((f"lecteur{n}@charge.kiosque.test", hashlib.sha256(token.encode()).hexdigest(), csrf))
    with open(creds, "a") as f:
        f.write(f"{token} {csrf}\n")
insert = ("INSERT INTO reader_sessions (token_hash, reader_id, csrf_token, created_at, last_seen_at, expires_at) "
          "SELECT {hash}, id, {csrf}, {now}, {now}, {later} FROM readers WHERE email = {email}")
later = now + datetime.timedelta(days=1)
if backend == "sqlite":
    import sqlite3
    c = sqlite3.connect(db)
    for email, h, csrf in rows:
        c.execute(insert.format(hash="?", csrf="?", now="?", later="?", email="?"),
                  (h, csrf, now.isoformat(), now.isoformat(), later.isoformat(), email))
    c.commit()
else:
    print("BEGIN;")
    for email, h, csrf in rows:
        print(insert.format(hash=f"'{h}'", csrf=f"'{csrf}'", now=f"'{now.isoformat()}'", later=f"'{later.isoformat()}'", email=f"'{email}'") + ";")
    print("COMMIT;")
PY
[ "$BACKEND" = postgres ] && psql -qtA "$DBURL" -f "$WORK/sessions.sql" >/dev/null

# 6. The server as deployed (10 s page cache), and one rendering every request (its own
#    data directory: the search index has one writer; same database).
mkdir -p "$WORK/cold"
cp -r "$STORE/search" "$WORK/cold/search"
ln -s "$STORE/media" "$WORK/cold/media"
kq_bg "$WORK/cold" serve --listen "127.0.0.1:$COLD_PORT" --page-cache-seconds 0 --trusted-proxies 127.0.0.1
cold=$pid
kq_bg "$STORE" serve --listen "127.0.0.1:$PORT" --trusted-proxies 127.0.0.1
wait_up "$PORT"; wait_up "$COLD_PORT"
base="http://127.0.0.1:$PORT"
coldbase="http://127.0.0.1:$COLD_PORT"
# The demo's European summit article (lead photo, tags, a long body): /{section}/{slug}_{id}.html.
article=$(sql "SELECT '/' || s.path || '/' || a.slug || '_' || a.id || '.html' FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = 1")
tag=$(curl -fs "$base$article" | grep -o 'href="/tags/[^"]*/"' | head -1 | cut -d'"' -f2 || true)
section=/$(sql "SELECT s.path FROM articles a JOIN sections s ON s.id = a.section_id GROUP BY s.path ORDER BY COUNT(*) DESC LIMIT 1")/
big=$(sql "SELECT article_id FROM comments GROUP BY article_id ORDER BY COUNT(*) DESC LIMIT 1")
open=$(sql "SELECT id FROM articles WHERE status = 'published' AND comments_open ORDER BY published_at DESC LIMIT 1")

# nginx serving the article's bytes as a static file, with a gzip copy made once.
mkdir -p "$WORK/nginx/www" "$WORK/nginx/logs"
curl -fs "$base$article" > "$WORK/nginx/www/article.html"
gzip -9 -k "$WORK/nginx/www/article.html"
chmod 755 "$WORK"
chmod -R a+rX "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/html html; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/www;
    gzip_static on;
  }
}
EOF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon on;'
for _ in $(seq 1 200); do curl -fso /dev/null "http://127.0.0.1:$NGINX_PORT/article.html" && break; sleep 0.01; done
cmp -s <(curl -fs "http://127.0.0.1:$NGINX_PORT/article.html") "$WORK/nginx/www/article.html" || { echo "nginx does not serve the article" >&2; exit 1; }

# Reader logins (comment posts: bench/post.lua).
cat > "$WORK/login.lua" <<'LUA'
me = 0
local threads = 0
local counter = 0
function setup(thread)
  thread:set("me", threads)
  threads = threads + 1
end
function init(args) math.randomseed(os.time() + me) end
function request()
  counter = counter + 1
  local n = (counter * 2 + me) % 40000
  local ip = "10." .. me .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("POST", "/compte/connexion", {
    ["Cookie"] = "kq_form=bench0123456789",
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["X-Forwarded-For"] = ip,
  }, "csrf=bench0123456789&email=lecteur" .. n .. "%40charge.kiosque.test&password=mot+de+passe+de+charge")
end
LUA

# One wrk run; prints "req/s|p50 ms|p99 ms|errors". C and T override connections and
# threads for one row. A 3xx answer counts as a success (a stored comment, a login).
measure() {
  local url=$1; shift
  local report
  report=$(wrk -t"${T:-$THREADS}" -c"${C:-$CONNECTIONS}" -d"$DURATION" --latency "$@" "$url")
  echo "$report" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors += $5 }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%.0f|%.2f|%.2f|%d\n", rps, p50, p99, errors }'
}

nginx_plain=$(measure "http://127.0.0.1:$NGINX_PORT/article.html")
nginx_gzip=$(measure "http://127.0.0.1:$NGINX_PORT/article.html" -H "Accept-Encoding: gzip")
ceiling=${nginx_plain%%|*}
ceiling_gzip=${nginx_gzip%%|*}

say "| Page | req/s | p50 ms | p99 ms | errors | ratio to nginx static |"
say "|---|---:|---:|---:|---:|---:|"
row() {
  local name=$1 result=$2 limit=$3
  IFS='|' read -r rps p50 p99 errors <<< "$result"
  say "| $name | $rps | $p50 | $p99 | $errors | $(awk -v a="$rps" -v b="$limit" 'BEGIN { printf "%.2f", a / b }') |"
}
# Each measured URL is asked once first, so that "cached" rows start warm.
warm() { curl -fso /dev/null "$@" || true; }
rendered=(-H "Cookie: kq_reader=none")
row "nginx static file (article bytes)" "$nginx_plain" "$ceiling"
row "nginx static file, gzip_static" "$nginx_gzip" "$ceiling_gzip"
warm "$base$article"
row "article, cached" "$(measure "$base$article")" "$ceiling"
row "article, cached, gzip client" "$(measure "$base$article" -H "Accept-Encoding: gzip")" "$ceiling_gzip"
row "article, cached, brotli client" "$(measure "$base$article" -H "Accept-Encoding: br, gzip")" "$ceiling_gzip"
row "article, rendered each time" "$(measure "$coldbase$article")" "$ceiling"
row "article, rendered each time, 1 connection" "$(C=1 T=1 measure "$coldbase$article")" "$ceiling"
warm "$base/"
row "home, cached" "$(measure "$base/")" "$ceiling"
row "home, rendered each time" "$(measure "$coldbase/")" "$ceiling"
row "section $section, rendered each time" "$(measure "$coldbase$section")" "$ceiling"
row "tag $tag, rendered each time" "$(measure "$coldbase$tag")" "$ceiling"
warm "$base/rss.xml"
row "RSS /rss.xml, cached" "$(measure "$base/rss.xml")" "$ceiling"
row "RSS /rss.xml, rendered each time" "$(measure "$coldbase/rss.xml")" "$ceiling"
row "sitemap index, rendered each time" "$(measure "$coldbase/sitemap.xml")" "$ceiling"
row "search ?q=europe, rendered each time" "$(measure "$coldbase/recherche?q=europe")" "$ceiling"
row "search ?q=europe, 1 connection" "$(C=1 T=1 measure "$coldbase/recherche?q=europe")" "$ceiling"
warm "$base/commentaires/$big?fragment=1"
row "comments fragment ($big), logged out, cached" "$(measure "$base/commentaires/$big?fragment=1")" "$ceiling"
row "comments fragment ($big), rendered, 16 connections" "$(C=16 measure "$base/commentaires/$big?fragment=1" "${rendered[@]}")" "$ceiling"
before=$(sql "SELECT COUNT(*) FROM comments")
posts=$(KQ_CREDS="$WORK/creds" KQ_THREAD="/commentaires/$open" KQ_RUN="$(date +%s%N)" C=32 measure "$base" -s bench/post.lua)
after=$(sql "SELECT COUNT(*) FROM comments")
row "comment post (logged in), 32 connections" "$posts" "$ceiling"
row "reader login (argon2id), 16 connections" "$(C=16 measure "$base" -s "$WORK/login.lua")" "$ceiling"
say ""
say "- comments stored during the post run: $((after - before)) ($(( (after - before) / ${DURATION%s} ))/s)"
say "- wire ingest into this store: $(tail -1 "$WORK/ingest.txt"), $ingest_ms ms with process start"
say "- $reindex"
say "- article page: $(wc -c < "$WORK/nginx/www/article.html") bytes, $(wc -c < "$WORK/nginx/www/article.html.gz") gzipped"
# RssAnon is the heap (pages, caches, connections); RssFile is the search index and the
# SQLite file mapped into memory, pages the kernel may drop and read again.
mem() { awk '/^(RssAnon|RssFile)/ { printf "%s %d MiB ", $1, $2 / 1024 }' "/proc/$1/status"; }
say "- server memory (RSS) after the runs: cached $(( $(ps -o rss= -p "$pid") / 1024 )) MiB ($(mem "$pid")), rendering $(( $(ps -o rss= -p "$cold") / 1024 )) MiB ($(mem "$cold"))"
say "- binary: $(( $(stat -c %s "$BIN") / 1024 / 1024 )) MiB; restart to first response (ms, 5 runs): $restarts"
