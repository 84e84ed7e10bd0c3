#!/bin/sh
# Rebuilds data/world.bin (the map's borders and coastlines) from Natural Earth, as
# published on npm in the `world-atlas` package. The package goes under target/ and is
# never committed; the output is. Run from the repository's root: sh data/make-world.sh
set -eu
dir=target/world-atlas
mkdir -p "$dir"
(cd "$dir" && [ -f package.json ] || npm init -y >/dev/null)
(cd "$dir" && npm install --no-audit --no-fund world-atlas@2.0.2 >/dev/null)
node data/make-world.mjs "$dir/node_modules/world-atlas" data/world.bin
