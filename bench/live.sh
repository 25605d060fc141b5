#!/usr/bin/env bash
# Live coverage and push alerts (bench/live.py): a release build on SQLite, a live of
# 1,000 entries posted by 8 writers at once, its first page rendered on every
# request, the time from a post to the cached public page, and one alert fanned out
# to SUBSCRIPTIONS subscriptions on a local push service (nginx answering 201).
#
# Needs: python3 with `cryptography` (the CI venv has it), nginx.
# Settings: SUBSCRIPTIONS (100000), WORK (/var/tmp/kiosque-bench/live), PORT (8097).
set -euo pipefail
cd "$(dirname "$0")/.."
SUBSCRIPTIONS=${SUBSCRIPTIONS:-100000}
WORK=${WORK:-/var/tmp/kiosque-bench/live}
PORT=${PORT:-8097}
STUB_PORT=$((PORT + 1))
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
PY=${KIOSQUE_PYTHON:-${XDG_CACHE_HOME:-$HOME/.cache}/kiosque-ci/venv/bin/python3}
[ -x "$PY" ] || PY=python3
cargo build --release -q -p kiosque
rm -rf "$WORK"; mkdir -p "$WORK/site" "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$STUB_PORT;
    keepalive_requests 100000;
    location /push/ { return 201; }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon on;'
trap 'kill $(cat "$WORK/nginx/nginx.pid") 2>/dev/null; kill $server 2>/dev/null || true' EXIT
echo 'mot de passe du banc' | "$BIN" --data "$WORK/site" user create --email bench@example.org --name Banc --role editor --password-stdin >/dev/null
token=$("$BIN" --data "$WORK/site" token create --email bench@example.org | tail -1)
KIOSQUE_PUSH_SERVICES="http://127.0.0.1:$STUB_PORT" KIOSQUE_LOG=warn "$BIN" --data "$WORK/site" serve --listen "127.0.0.1:$PORT" &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
echo "| measure | result |"
echo "|---|---|"
"$PY" bench/live.py "http://127.0.0.1:$PORT" "$token" "$WORK/site/kiosque.db" "http://127.0.0.1:$STUB_PORT" "$SUBSCRIPTIONS"
echo "| resident memory of the server after the run | $(awk '/VmRSS/ {print int($2/1024) " MB"}' /proc/$server/status) |"
