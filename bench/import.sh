#!/usr/bin/env bash
# Import benchmark: a generated WordPress export of POSTS posts (bench/wxr.py) imported
# by a release build into an empty SQLite site, then into an empty PostgreSQL database;
# prints the rate and the peak resident memory of each run, and runs the import a
# second time on SQLite (everything unchanged) to time the check alone.
#
# Needs: python3, /usr/bin/time (Debian: apt-get install time); psql for PostgreSQL.
# Settings: POSTS (100000), PG (postgres://postgres@127.0.0.1:5432), BACKENDS ("sqlite postgres"),
# WORK (/var/tmp/kiosque-bench/import).
set -euo pipefail
cd "$(dirname "$0")/.."
POSTS=${POSTS:-100000}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
BACKENDS=${BACKENDS:-sqlite postgres}
WORK=${WORK:-/var/tmp/kiosque-bench/import}
BIN="${CARGO_TARGET_DIR:-target}/release/kiosque"
mkdir -p "$WORK"
cargo build --release -q -p kiosque
export_file="$WORK/wordpress-$POSTS.xml"
[ -s "$export_file" ] || python3 bench/wxr.py "$POSTS" > "$export_file"
echo "export: $(du -h "$export_file" | cut -f1), $POSTS posts"
run() { # label, global args…
  local label=$1; shift
  /usr/bin/time -f "%M %e" -o "$WORK/time" "$BIN" "$@" import wordpress "$export_file" > "$WORK/report-$label.txt"
  read -r kb seconds < "$WORK/time"
  local last; last=$(tail -1 "$WORK/report-$label.txt")
  echo "| $label | ${last%% in *} | ${seconds} s | $(echo "$last" | sed -n 's/.*(\([0-9]*\) items\/s).*/\1/p') items/s | $((kb / 1024)) MB |"
}
echo "| run | summary | time | rate | peak RSS |"
echo "|---|---|---|---|---|"
for backend in $BACKENDS; do
  case $backend in
    sqlite)
      rm -rf "$WORK/site"; mkdir -p "$WORK/site"
      run sqlite --data "$WORK/site"
      run sqlite-again --data "$WORK/site"
      ;;
    postgres)
      db="kiosque_import_bench"
      psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
      rm -rf "$WORK/site-pg"; mkdir -p "$WORK/site-pg"
      run postgres --data "$WORK/site-pg" --database-url "$PG/$db"
      ;;
  esac
done
