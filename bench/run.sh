#!/usr/bin/env bash
# Kiosque benchmarks: release build size, start-up time to first response, article page
# size, and article page throughput with wrk on 127.0.0.1. Numbers go to stdout and to
# bench/results/latest.txt. Needs: wrk, curl, gzip (apt-get install wrk curl gzip).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18080}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DATA=$(mktemp -d)
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
out=bench/results/latest.txt
mkdir -p bench/results

cargo build --release -p kiosque >/dev/null
say() { echo "$*" | tee -a "$out"; }
: > "$out"
say "# Kiosque benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(rustc --version)"
say "binary size: $(stat -c %s "$BIN") bytes ($(du -h "$BIN" | cut -f1))"

wait_up() {
  for _ in $(seq 1 2000); do
    curl -fso /dev/null "http://127.0.0.1:$PORT/healthz" && return 0
    sleep 0.005
  done
  return 1
}

# First start: creates the SQLite database, migrates, draws and stores the demo pictures.
start=$(date +%s%N)
KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --demo --listen "127.0.0.1:$PORT" & pid=$!
wait_up
say "first start with demo load (migrate + 23 articles + pictures): $(( ($(date +%s%N) - start) / 1000000 )) ms"
kill "$pid"; wait "$pid" 2>/dev/null || true

# Later starts: the time a restart takes to answer its first request.
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --demo --listen "127.0.0.1:$PORT" & pid=$!
  wait_up
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
say "restart to first response (5 runs, ms): $sorted"

# Rendering on every request: the page cache is off.
KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" --page-cache-seconds 0 & pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$DATA"' EXIT
wait_up
article=$(curl -fs "http://127.0.0.1:$PORT/monde/europe/" | grep -o 'href="/monde/europe/[^"]*sommet-europeen[^"]*\.html"' | head -1 | cut -d'"' -f2)
url="http://127.0.0.1:$PORT$article"
bytes=$(curl -fs "$url" | wc -c)
gz=$(curl -fs "$url" | gzip -9 | wc -c)
say "article page: $article"
say "article page HTML: $bytes bytes ($gz bytes gzipped)"
say "home page HTML: $(curl -fs "http://127.0.0.1:$PORT/" | wc -c) bytes"

curl -fso /dev/null "$url"
say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (article page rendered on every request, SQLite):"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" | tee -a "$out"
rss=$(ps -o rss= -p "$pid")
say "server resident memory after the run: $((rss / 1024)) MiB"
kill "$pid"; wait "$pid" 2>/dev/null || true

# The default: pages kept 10 s in the in-memory page cache.
KIOSQUE_LOG=warn "$BIN" --data "$DATA" serve --listen "127.0.0.1:$PORT" & pid=$!
wait_up
curl -fso /dev/null "$url"
say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (article page, default 10 s page cache):"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" | tee -a "$out"
rss=$(ps -o rss= -p "$pid")
say "server resident memory after the run: $((rss / 1024)) MiB"
