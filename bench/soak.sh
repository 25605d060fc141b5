#!/usr/bin/env bash
# Soak: a steady mix of reads and comment posts against a release build for DURATION
# (10 minutes by default), sampling the server's memory every 30 s. Reports requests,
# errors and memory at start and end: no error and no growth is the pass mark.
#
# Needs: wrk, python3, curl. Settings: DURATION (10m), PORT (18100).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18100}
DURATION=${DURATION:-10m}
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
DATA=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
cargo build --release -p kiosque >/dev/null
KIOSQUE_LOG=warn "$BIN" --data "$DATA" demo --generate --articles 2000 --comments 20000 >/dev/null
db="$DATA/kiosque.db"
python3 - "$db" "$DATA/creds" <<'PY'
import hashlib, secrets, sqlite3, sys, datetime
db, creds = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
later = now + datetime.timedelta(days=2)
with open(creds, "w") as f:
    for (rid,) in c.execute("SELECT id FROM readers ORDER BY id").fetchall():
        token, csrf = secrets.token_hex(32), secrets.token_hex(32)
        c.execute("INSERT INTO reader_sessions (token_hash, reader_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                  (hashlib.sha256(token.encode()).hexdigest(), rid, csrf, now.isoformat(), now.isoformat(), later.isoformat()))
        f.write(f"{token} {csrf}\n")
c.commit()
PY
open=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute(\"SELECT id FROM articles WHERE status = 'published' AND comments_open ORDER BY published_at DESC LIMIT 1\").fetchone()[0])")
KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" --trusted-proxies 127.0.0.1 & pid=$!
for _ in $(seq 1 2000); do curl -fso /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.01; done
base="http://127.0.0.1:$PORT"
article=$(curl -fs "$base/" | grep -o 'href="/[^"]*_[0-9]*\.html"' | head -1 | cut -d'"' -f2)

cat > "$DATA/reads.lua" <<LUA
local paths = { "$article", "/", "/monde/", "/recherche?q=conseil+ville", "/commentaires/$open?fragment=1", "/rss.xml", "/sitemap.xml" }
local n = 0
function request()
  n = n + 1
  -- One request in five renders (a cookie keeps the page cache out).
  local headers = {}
  if n % 5 == 0 then headers["Cookie"] = "kq_reader=none" end
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end
LUA
run=$(date +%s%N)
cat > "$DATA/posts.lua" <<LUA
local creds = {}
local counter = 0
function init(args)
  for line in io.lines("$DATA/creds") do
    local token, csrf = line:match("(%x+) (%x+)")
    creds[#creds + 1] = { token, csrf }
  end
end
function request()
  counter = counter + 1
  local c = creds[(counter % #creds) + 1]
  return wrk.format("POST", "/commentaires/$open", {
    ["Cookie"] = "kq_reader=" .. c[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["X-Forwarded-For"] = "10.9." .. (counter % 250) .. "." .. (counter % 200 + 1),
  }, "csrf=" .. c[2] .. "&body=Soak+run$run+n" .. counter)
end
LUA

rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
samples=("$(rss)")
wrk -t1 -c32 -d"$DURATION" --latency -s "$DATA/reads.lua" "$base" > "$DATA/reads.out" &
reads=$!
wrk -t1 -c2 -d"$DURATION" --latency -s "$DATA/posts.lua" "$base" > "$DATA/posts.out" &
posts=$!
while kill -0 "$reads" 2>/dev/null; do sleep 30; kill -0 "$reads" 2>/dev/null && samples+=("$(rss)"); done
wait "$reads" "$posts" || true
samples+=("$(rss)")
echo "# Kiosque soak ($DURATION, $(date -u +%Y-%m-%dT%H:%MZ))"
echo
for kind in reads posts; do
  out="$DATA/$kind.out"
  echo "- $kind: $(grep -o '[0-9]* requests in' "$out" | cut -d' ' -f1) requests, $(grep 'Requests/sec' "$out" | awk '{print $2}') req/s, p99 $(grep -E '^ +99%' "$out" | awk '{print $2}'), non-2xx/3xx: $(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$out" | awk '{print $NF}' || echo 0), socket errors: $(grep -o 'Socket errors.*' "$out" || echo none)"
done
echo "- server memory (MiB, every 30 s): ${samples[*]}"
