#!/usr/bin/env bash
# Runs every fuzz target for a while (default 600 s each), one at a time (the machine is
# shared), seeded from the test fixtures. Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(situation_json json_lines acled_csv query ucdp_csv acled_api compressed extract_text)

mkdir -p corpus/situation_json corpus/json_lines corpus/acled_csv corpus/query logs
mkdir -p corpus/ucdp_csv corpus/acled_api corpus/compressed corpus/extract_text
cp ../data/*.json ../tests/fixtures/bad/*.json ../tests/fixtures/good/*.json corpus/situation_json/ 2>/dev/null || true
cp ../tests/fixtures/bad/*.jsonl ../tests/fixtures/good/*.jsonl ../tests/fixtures/mangled/*.jsonl corpus/json_lines/ 2>/dev/null || true
cp ../tests/fixtures/import/*.csv corpus/acled_csv/ 2>/dev/null || true
cp ../tests/fixtures/import/ucdp*.csv corpus/ucdp_csv/ 2>/dev/null || true
cp ../tests/fixtures/import/acled_api* corpus/acled_api/ 2>/dev/null || true
# Compressed seeds: each import fixture gzipped, and two zipped together (small ones).
for f in ../tests/fixtures/import/ucdp_hdx.csv ../tests/fixtures/import/acled_api.json; do
    gzip -c "$f" > "corpus/compressed/$(basename "$f").gz"
done
(cd ../tests/fixtures/import && zip -q -j - ucdp_hdx.csv acled_current.csv) > corpus/compressed/two.zip 2>/dev/null || true
cp ../tests/fixtures/fuzz-regressions/compressed/* corpus/compressed/ 2>/dev/null || true
cp ../tests/fixtures/extract/*.txt corpus/extract_text/ 2>/dev/null || true
printf '%s' 'saraqib kind:shelling since:2020-02-05' > corpus/query/a
printf '%s' '-"air strike" or near:saraqeb:20 killed>=5' > corpus/query/b
printf '%s' 'kind:armed_clash,shelling post:encircled displaced>500000' > corpus/query/c

cargo +nightly fuzz build -O "${targets[@]/#/}" >/dev/null 2>&1 || cargo +nightly fuzz build -O
for t in "${targets[@]}"; do
    echo "fuzzing $t for ${seconds}s (log: fuzz/logs/$t.log)"
    nice -n 10 cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 >"logs/$t.log" 2>&1 || true
done
for t in "${targets[@]}"; do
    runs=$(grep -Eo 'Done [0-9]+ runs' "logs/$t.log" | tail -1 || true)
    crashes=$(ls artifacts/"$t" 2>/dev/null | wc -l)
    echo "$t: ${runs:-no summary} · crash artifacts: $crashes"
done
