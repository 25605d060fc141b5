#!/usr/bin/env bash
# Seeds each fuzz target's corpus from ../shared/corpus. The copies go to fuzz/corpus/,
# which is git-ignored: third-party data never enters the repository.
set -euo pipefail
cd "$(dirname "$0")"
shared=../../shared/corpus
seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  find "$@" -type f \( -name '*.xml' -o -name '*.json' -o -name '*.iptc' \) -print0 |
    while IFS= read -r -d '' f; do
      cp "$f" "corpus/$target/$(echo "${f#"$shared"/}" | tr '/' '_')"
    done
}
seed newsml_g2 "$shared/newsml-g2/examples" "$shared/newsml-g2/test-suite" "$shared/newsml-g2/agency-samples"
seed ninjs "$shared/ninjs/examples" "$shared/ninjs/test-suite"
seed nitf "$shared/nitf/examples" "$shared/newsml-g2/examples"
seed iptc7901 "$shared/iptc7901/examples"
seed any_format "$shared/newsml-g2/agency-samples" "$shared/ninjs/examples" "$shared/nitf/examples" "$shared/iptc7901/examples"
