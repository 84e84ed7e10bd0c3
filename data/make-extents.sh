#!/bin/sh
# Rebuilds data/country-extents.tsv (where each country lies, for the import check that a
# row's coordinates fit its country) from Natural Earth as published on npm in `world-atlas`,
# with ISO 3166-1 codes and names from `i18n-iso-countries`. The packages go under target/ and
# are never committed; the output is. Run from the repository's root: sh data/make-extents.sh
set -eu
dir=target/world-atlas
mkdir -p "$dir"
(cd "$dir" && [ -f package.json ] || npm init -y >/dev/null)
(cd "$dir" && npm install --no-audit --no-fund world-atlas@2.0.2 i18n-iso-countries@7.14.0 >/dev/null)
node data/make-extents.mjs "$dir/node_modules" data/country-extents.tsv
