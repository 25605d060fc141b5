#!/usr/bin/env bash
# Newsletters and webhooks (issue 20): a release build on SQLite with RECIPIENTS
# confirmed subscribers (written straight into the database: the subscription path
# itself is covered by the tests), one edition sent through the API to a local SMTP
# sink (bench/smtp_sink.py), mails per second from the first to the last; the
# edition's size; then the latency of a webhook delivery after a publication.
#
# Needs: python3 (the CI venv; uvloop if present), curl. Settings: RECIPIENTS (100000),
# CONNECTIONS (SMTP connections, 64), WORK (/var/tmp/kiosque-bench/newsletters),
# PORT (8099).
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPIENTS=${RECIPIENTS:-100000}
CONNECTIONS=${CONNECTIONS:-64}
WORK=${WORK:-/var/tmp/kiosque-bench/newsletters}
PORT=${PORT:-8099}
SMTP_PORT=$((PORT + 1))
HOOK_PORT=$((PORT + 2))
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
PY=${KIOSQUE_PYTHON:-${XDG_CACHE_HOME:-$HOME/.cache}/kiosque-ci/venv/bin/python3}
[ -x "$PY" ] || PY=python3
cargo build --release -q -p kiosque
rm -rf "$WORK"; mkdir -p "$WORK/site"
"$PY" bench/smtp_sink.py "$SMTP_PORT" "$WORK/smtp.json" &
sink=$!
server=''
trap 'kill $sink $server 2>/dev/null || true' EXIT
echo 'mot de passe du banc' | "$BIN" --data "$WORK/site" user create --email bench@example.org --name Banc --role admin --password-stdin >/dev/null
token=$("$BIN" --data "$WORK/site" token create --email bench@example.org | tail -1)
"$BIN" --data "$WORK/site" demo >/dev/null 2>&1 || true
KIOSQUE_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" KIOSQUE_SMTP_CONNECTIONS=$CONNECTIONS KIOSQUE_WEBHOOKS_ALLOW_PRIVATE=1 KIOSQUE_LOG=warn "$BIN" --data "$WORK/site" serve --listen "127.0.0.1:$PORT" &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
"$PY" bench/newsletters.py "http://127.0.0.1:$PORT" "$token" "$WORK/site/kiosque.db" "$WORK/smtp.json" "$RECIPIENTS" "$HOOK_PORT" "$CONNECTIONS"
echo "| resident memory of the server after the run | $(awk '/VmRSS/ {print int($2/1024) " MB"}' /proc/$server/status) |"
