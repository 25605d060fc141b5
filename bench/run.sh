#!/usr/bin/env bash
# Kiosque reader-site benchmark: a release build on 127.0.0.1, measured with wrk against
# nginx serving the same article page as a static file in the same run, so every row
# carries its ratio to that physical limit. Prints a Markdown table and keeps it in
# bench/results/latest.md.
#
# Needs: wrk, nginx (Debian: apt-get install wrk nginx), curl, gzip.
# Settings: DURATION (10s), CONNECTIONS (64), THREADS (2), PORT (18080).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18080}
COLD_PORT=$((PORT + 1))
NGINX_PORT=$((PORT + 2))
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DATA=$(mktemp -d)
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
out=bench/results/latest.md
mkdir -p bench/results
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$DATA/nginx/nginx.pid" ] && kill "$(cat "$DATA/nginx/nginx.pid")" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

cargo build --release -p kiosque >/dev/null
say() { echo "$*" | tee -a "$out"; }
: > "$out"
say "# Kiosque reader benchmark"
say ""
say "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(rustc --version | cut -d' ' -f1-2), wrk -t$THREADS -c$CONNECTIONS -d$DURATION on the same machine, SQLite."
say ""

wait_up() {
  for _ in $(seq 1 4000); do
    curl -fso /dev/null "http://127.0.0.1:$1/healthz" && return 0
    sleep 0.005
  done
  return 1
}

# First start: creates the SQLite database, migrates, draws and stores the demo pictures.
start=$(date +%s%N)
KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --demo --listen "127.0.0.1:$PORT" & pid=$!
wait_up "$PORT"
first_start=$(( ($(date +%s%N) - start) / 1000000 ))
kill "$pid"; wait "$pid" 2>/dev/null || true

# Later starts: the time a restart takes to answer its first request.
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" & pid=$!
  wait_up "$PORT"
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
restarts=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')

# The server as deployed (10 s page cache), and one rendering every request.
KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" & pid=$!
pids+=("$pid")
wait_up "$PORT"
# A second process on the same data: the search index is one writer's, so it gets
# its own data directory copy.
cp -r "$DATA" "$DATA-cold" 2>/dev/null || true
rm -rf "$DATA-cold/search"
KIOSQUE_LOG=warn "$BIN" --data "$DATA-cold" serve --listen "127.0.0.1:$COLD_PORT" --page-cache-seconds 0 & cold=$!
pids+=("$cold")
wait_up "$COLD_PORT"

base="http://127.0.0.1:$PORT"
article=$(curl -fs "$base/monde/europe/" | grep -o 'href="/monde/europe/[^"]*sommet-europeen[^"]*\.html"' | head -1 | cut -d'"' -f2)
tag=$(curl -fs "$base$article" | grep -o 'href="/tags/[^"]*/"' | head -1 | cut -d'"' -f2)

# nginx serving the article's bytes as a static file, with a gzip copy made once.
mkdir -p "$DATA/nginx/www" "$DATA/nginx/logs"
curl -fs "$base$article" > "$DATA/nginx/www/article.html"
gzip -9 -k "$DATA/nginx/www/article.html"
# nginx's workers run as nobody: let them read the file.
chmod 755 "$DATA"
chmod -R a+rX "$DATA/nginx"
cat > "$DATA/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $DATA/nginx/nginx.pid;
error_log $DATA/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/html html; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $DATA/nginx/www;
    gzip_static on;
  }
}
EOF
nginx -c "$DATA/nginx/nginx.conf" -p "$DATA/nginx" -g 'daemon on;'
for _ in $(seq 1 200); do curl -fso /dev/null "http://127.0.0.1:$NGINX_PORT/article.html" && break; sleep 0.01; done
cmp -s <(curl -fs "http://127.0.0.1:$NGINX_PORT/article.html") "$DATA/nginx/www/article.html" || { echo "nginx does not serve the article" >&2; exit 1; }

# One wrk run; prints "req/s|p50 ms|p99 ms|errors".
measure() {
  local url=$1; shift
  curl -fso /dev/null "$@" "$url" || true
  local report
  report=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
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
row "nginx static file (article bytes)" "$nginx_plain" "$ceiling"
row "nginx static file, gzip_static" "$nginx_gzip" "$ceiling_gzip"
row "article, cached" "$(measure "$base$article")" "$ceiling"
row "article, cached, gzip client" "$(measure "$base$article" -H "Accept-Encoding: gzip")" "$ceiling_gzip"
row "article, cached, brotli client" "$(measure "$base$article" -H "Accept-Encoding: br, gzip")" "$ceiling_gzip"
row "article, cold render (no cache)" "$(measure "http://127.0.0.1:$COLD_PORT$article")" "$ceiling"
row "home, cached" "$(measure "$base/")" "$ceiling"
row "home, cold" "$(measure "http://127.0.0.1:$COLD_PORT/")" "$ceiling"
row "section /monde/, cached" "$(measure "$base/monde/")" "$ceiling"
row "section /monde/, cold" "$(measure "http://127.0.0.1:$COLD_PORT/monde/")" "$ceiling"
row "tag $tag, cold" "$(measure "http://127.0.0.1:$COLD_PORT$tag")" "$ceiling"
row "RSS /rss.xml, cached" "$(measure "$base/rss.xml")" "$ceiling"
row "RSS /rss.xml, cold" "$(measure "http://127.0.0.1:$COLD_PORT/rss.xml")" "$ceiling"
row "sitemap index, cold" "$(measure "http://127.0.0.1:$COLD_PORT/sitemap.xml")" "$ceiling"
row "search ?q=europe, cold" "$(measure "http://127.0.0.1:$COLD_PORT/recherche?q=europe")" "$ceiling"
say ""
say "- article page: $(wc -c < "$DATA/nginx/www/article.html") bytes, $(wc -c < "$DATA/nginx/www/article.html.gz") gzipped"
say "- server memory (RSS) after the runs: cached $(( $(ps -o rss= -p "$pid") / 1024 )) MiB, cold $(( $(ps -o rss= -p "$cold") / 1024 )) MiB"
say "- binary: $(( $(stat -c %s "$BIN") / 1024 / 1024 )) MiB; first start with the demo load: $first_start ms; restart to first response (ms, 5 runs): $restarts"
rm -rf "$DATA-cold"
