#!/usr/bin/env bash
# Rendition time per picture: decode, re-encode the original, then the whole-picture
# renditions (480, 960 px, JPEG and WebP, full WebP) and the crops around the focal
# point (16:9, 4:3, 1:1 at 480 and 960 px, JPEG and WebP), on one core, release build.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
cargo run -q --release -p kiosque_media --example renditions | tee bench/results/renditions.md
