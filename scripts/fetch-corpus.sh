#!/usr/bin/env bash
# Fetches the upstream repositories of the third-party test corpus at the commits
# the corpus was copied from (each folder's SOURCES.md in ../shared/corpus names
# them: repository, full commit, licence, and the files taken). Needs git and
# network access; nothing is written inside this repository.
#
#   scripts/fetch-corpus.sh [DEST]      # DEST defaults to ../shared/corpus-upstream
#
# The repositories land in DEST/<owner>__<name> at their pinned commits. The corpus
# folders the tests read are then laid out from them as each SOURCES.md's "Layout"
# section describes; point KIOSQUE_CORPUS at the laid-out folder. Without a corpus,
# `cargo test --workspace` skips what needs it and says so.
set -euo pipefail
dest="${1:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus-upstream}"
mkdir -p "$dest"

# owner/name commit — from the SOURCES.md files of the corpus.
repos=(
  "iptc/newsinjson 3ace39707a725d6674279c3151e2f5323dc81074"
  "iptc/newsml-g2 7f172b01af0c343aacb1e1297ac0e75debabb4a7"
  "dpa-newslab/dpa-digitalwires-to-newsmlg2 adeaec49f28ac82cf3134619c402fd027df0effd"
  "dpa-newslab/dpa-digitalwires-to-iptc7901 7dcd14759566dfe13886bb6261538bcf9824a167"
  "kurtmckee/feedparser a22c5521cbb109871f1a2318948581901bd47e26"
  "w3c/feedvalidator 43dabeb217bd8d8b0a3f12f3a6e7c39a8619d9a8"
  "sonicdoe/jsonfeed-schema bba8eaa7f9cb13822f4fecc9ff4e4d8e6a0dc2b5"
  "ekalinin/sitemap.js 218a31d937bb4d3e42f3eff8391be7acc29a8ffe"
  "portrino/codeception-sitemap-module bf1327b2cdda60d1726c44f9354858d1cd75d976"
  "schemaorg/schemaorg cc71c8e064859e912aac8b11ec06e6bc53255b6a"
  "WordPress/wordpress-importer 5fda04887ed81fba0a74af6aedaac7c507db6c5d"
  "TryGhost/migrate e87efde3d30f80a3b57c3d34fae476ca609f6894"
  "jekyll/jekyll-import 9c35f6652f899dd46abff91851b2062092f5fa51"
)

for entry in "${repos[@]}"; do
  read -r repo commit <<<"$entry"
  dir="$dest/${repo/\//__}"
  if [ -d "$dir/.git" ] && [ "$(git -C "$dir" rev-parse HEAD 2>/dev/null)" = "$commit" ]; then
    echo "have $repo @ ${commit:0:12}"
    continue
  fi
  echo "fetching $repo @ ${commit:0:12}"
  rm -rf "$dir"
  git init -q "$dir"
  git -C "$dir" remote add origin "https://github.com/$repo.git"
  git -C "$dir" fetch -q --depth 1 origin "$commit"
  git -C "$dir" checkout -q FETCH_HEAD
done

# The folders the tests read, from their upstream places.
corpus="$dest/corpus"
mkdir -p "$corpus/ninjs" "$corpus/newsml-g2/agency-samples/tt" "$corpus/feeds/jsonfeed/schema" "$corpus/sitemaps/xsd"
cp -r "$dest/iptc__newsinjson/examples" "$corpus/ninjs/examples" 2>/dev/null || true
cp -r "$dest/iptc__newsinjson/specification" "$corpus/ninjs/schemas" 2>/dev/null || true
cp "$dest/iptc__newsinjson/tools/xslt/TT_newsmlg2_sample.xml" "$corpus/newsml-g2/agency-samples/tt/" 2>/dev/null || true
cp "$dest/sonicdoe__jsonfeed-schema/schema-v1.1.json" "$corpus/feeds/jsonfeed/schema/" 2>/dev/null || true
cp "$dest/ekalinin__sitemap.js/schema/sitemap.xsd" "$corpus/sitemaps/xsd/" 2>/dev/null || true
cp "$dest/portrino__codeception-sitemap-module/siteindex.xsd" "$corpus/sitemaps/xsd/" 2>/dev/null || true
echo
echo "Repositories are in $dest; a partial corpus is in $corpus."
echo "The complete layout is described folder by folder in the SOURCES.md files of ../shared/corpus."
echo "Then: KIOSQUE_CORPUS=$corpus cargo test --workspace"
