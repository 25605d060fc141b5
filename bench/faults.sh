#!/usr/bin/env bash
# Every fault test in one command: kill -9 during writes (articles, comments, wire),
# a full disk and a read-only data dir (tmpfs mounts: run as root), backup while
# writing and restore, concurrent editors on one article, bad input. All of them also
# run in `cargo test --workspace` (and so in CI); this runs just them, none skipped.
# SOAK=10m adds bench/soak.sh (ten minutes of mixed load) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export KIOSQUE_REQUIRE_FAULTS=1
cargo test -p kiosque --test cli -- crash:: faults:: backup::
cargo test -p kiosque_web --test web -- bad_input:: concurrency::
if [ -n "${SOAK:-}" ]; then
  DURATION=$SOAK bash bench/soak.sh
fi
