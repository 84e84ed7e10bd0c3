#!/usr/bin/env bash
# Throughput of `sitdash extract --batch`: about 10 MB of article text (the development
# set's reports and the seed article, a few kilobytes an article) read on one core.
# Usage: bench/extract.sh [MEGABYTES]   (needs a release build: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-10}
bin=target/release/sitdash
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
corpus=$(mktemp -t sitdash-extract-XXXX.jsonl)
out=$(mktemp -t sitdash-extract-out-XXXX.jsonl)
trap 'rm -f "$corpus" "$out"' EXIT
python3 - "$mb" "$corpus" <<'PY'
import glob, json, re, sys
limit, path = int(sys.argv[1]) * 1_000_000, sys.argv[2]
texts = []
for f in sorted(glob.glob("tests/fixtures/extract/*.txt")):
    texts += re.findall(r"^text: (.*)$", open(f, encoding="utf-8").read(), re.M)
seeds = [open(f, encoding="utf-8").read() for f in glob.glob("../shared/seeds/*.txt")]
total = n = i = 0
with open(path, "w", encoding="utf-8") as out:
    while total < limit:
        body = seeds[0] if seeds and n % 5 == 0 else " ".join(texts[(i + k) % len(texts)] for k in range(12))
        i += 7
        out.write(json.dumps({"id": n, "text": body, "date": "2021-06-10"}) + "\n")
        total += len(body.encode())
        n += 1
print(f"{n} articles, {total / 1e6:.1f} MB of text")
PY
bytes=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1])))" "$corpus")
start=$(date +%s.%N)
/usr/bin/time -f "%U s user, %M KB peak" "$bin" extract --batch "$corpus" -o "$out" 2>&1 | tail -1 > "$out.time" || true
end=$(date +%s.%N)
user=$(awk '{print $1}' "$out.time")
echo "lines out: $(wc -l < "$out"); wall $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}') s; $(cat "$out.time")"
awk -v b="$bytes" -v u="$user" 'BEGIN{printf "throughput: %.2f MB/s per core (text bytes / user CPU time)\n", b/1e6/u}'
rm -f "$out.time"
