#!/usr/bin/env bash
# Kiosque behind caching proxies: two release-build nodes on one PostgreSQL database
# (the demo site), with nginx (docs/nginx-cache.conf.in) and Varnish (docs/varnish.vcl)
# in front, as the two-node test runs them. Measures an article page with wrk: one
# node's own page cache, each proxy's cache, and the nodes through the proxies with
# their caches bypassed (a session cookie), then how long a publication takes to show
# through each proxy. Prints a Markdown table, kept in bench/results/proxies.md.
#
# Needs: wrk, nginx with libnginx-mod-http-cache-purge, varnish and varnish-modules,
# curl, psql. Settings: DURATION (8s), CONNECTIONS (64), THREADS (2),
# PG (postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
A_PORT=18180 B_PORT=18181 NGINX_PORT=18182 VARNISH_PORT=18183
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
DB=kiosque_bench_proxies
out=bench/results/proxies.md
mkdir -p bench/results
WORK=$(mktemp -d)
chmod 755 "$WORK" # varnishd reads the VCL as its own user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null || true
}
trap cleanup EXIT

cargo build --release -p kiosque >/dev/null
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
DBURL="$PG/$DB"
kq() { KIOSQUE_LOG=warn "$BIN" --data "$1" --database-url "$DBURL" "${@:2}"; }
mkdir -p "$WORK/a" "$WORK/b"
kq "$WORK/a" demo >/dev/null
printf 'un mot de passe pour le banc\n' | kq "$WORK/a" user create --email bench@example.org --name Banc --role editor --password-stdin >/dev/null
token=$(kq "$WORK/a" token create --email bench@example.org)

export KIOSQUE_PURGE_URLS="http://127.0.0.1:$NGINX_PORT/purge"
export KIOSQUE_PURGE_KEYS_URLS="http://127.0.0.1:$VARNISH_PORT"
for node in a:$A_PORT b:$B_PORT; do
  KIOSQUE_LOG=warn "$BIN" --data "$WORK/${node%%:*}" --database-url "$DBURL" serve --listen "127.0.0.1:${node##*:}" &
  pids+=($!)
done
for port in $A_PORT $B_PORT; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done

# nginx, from the tested configuration (its {placeholders} filled in).
python3 - "$WORK" "$NGINX_PORT" "$A_PORT" "$B_PORT" <<'EOF'
import sys
work, port, a, b = sys.argv[1:]
text = open("docs/nginx-cache.conf.in").read()
for key, value in {"module": "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so",
                   "dir": work, "listen": f"127.0.0.1:{port}",
                   "a": f"127.0.0.1:{a}", "b": f"127.0.0.1:{b}"}.items():
    text = text.replace("{" + key + "}", value)
open(f"{work}/nginx.conf", "w").write(text.replace("{{", "{").replace("}}", "}"))
EOF
mkdir -p "$WORK/logs"
nginx -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon on;'
sed -e "s/\.port = \"8080\";/.port = \"$A_PORT\";/" -e "s/\.port = \"8081\";/.port = \"$B_PORT\";/" docs/varnish.vcl >"$WORK/kiosque.vcl"
varnishd -F -f "$WORK/kiosque.vcl" -a "127.0.0.1:$VARNISH_PORT" -n "$WORK/varnish" -s malloc,256m -T none >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$VARNISH_PORT/" >/dev/null && break; sleep 0.2; done

article=$(curl -s "http://127.0.0.1:$A_PORT/monde/" | grep -o 'href="/monde/[^"]*_[0-9]*\.html"' | head -1 | cut -d'"' -f2)
[ -n "$article" ] || { echo "no article found on /monde/" >&2; exit 1; }
for port in $A_PORT $NGINX_PORT $VARNISH_PORT; do curl -s -o /dev/null "http://127.0.0.1:$port$article"; done

# One wrk run; prints "req/s p99".
measure() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${@:2}" "$1" |
    awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {printf "%.0f %s\n", rps, p99}'
}
session=(-H 'Cookie: kq_session=banc')
rows=()
read -r rps p99 < <(measure "http://127.0.0.1:$A_PORT$article"); rows+=("one node, its page cache | $rps | $p99")
read -r rps p99 < <(measure "http://127.0.0.1:$NGINX_PORT$article"); rows+=("nginx cache, two nodes behind | $rps | $p99")
read -r rps p99 < <(measure "http://127.0.0.1:$VARNISH_PORT$article"); rows+=("Varnish cache, two nodes behind | $rps | $p99")
read -r rps p99 < <(measure "http://127.0.0.1:$A_PORT$article" "${session[@]}"); rows+=("one node, rendering (session cookie) | $rps | $p99")
read -r rps p99 < <(measure "http://127.0.0.1:$NGINX_PORT$article" "${session[@]}"); rows+=("nginx passing to two nodes, rendering | $rps | $p99")
read -r rps p99 < <(measure "http://127.0.0.1:$VARNISH_PORT$article" "${session[@]}"); rows+=("Varnish passing to two nodes, rendering | $rps | $p99")

seen=()
# A publication through node B: how long until the home page shows it through each
# proxy (both kept the home page before).
for port in $NGINX_PORT $VARNISH_PORT; do curl -s -o /dev/null "http://127.0.0.1:$port/"; done
id=$(curl -s -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"headline": "Banc des mandataires", "section": "monde", "body_markdown": "Un texte."}' \
  "http://127.0.0.1:$B_PORT/api/v1/articles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
start=$(date +%s%N)
curl -s -o /dev/null -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$B_PORT/api/v1/articles/$id/publish"
for port in $NGINX_PORT $VARNISH_PORT; do
  until curl -s "http://127.0.0.1:$port/" | grep -q "Banc des mandataires"; do sleep 0.02; done
  seen+=("$(( ($(date +%s%N) - start) / 1000000 ))")
done

# What node A's /metrics says after all that (it answers loopback clients).
metrics=$(curl -s "http://127.0.0.1:$A_PORT/metrics" |
  grep -E '^kiosque_(cdn_purges_total|page_cache_requests_total|page_cache_pages|db_connections)' || true)

{
  echo "Article page, demo site on PostgreSQL, release build, wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%d %b %Y %H:%M UTC')"
  echo
  echo "| setup | req/s | p99 |"
  echo "|---|---|---|"
  for row in "${rows[@]}"; do echo "| $row |"; done
  echo
  echo "A publication through node B showed on the home page through nginx after ${seen[0]} ms, through Varnish after ${seen[1]} ms."
  echo
  echo "Node A's /metrics at the end:"
  echo
  echo '```'
  echo "$metrics"
  echo '```'
} | tee "$out"
