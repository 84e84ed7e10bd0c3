#!/usr/bin/env bash
# The scale benchmark: generates reproducible ACLED-style files of 10k, 100k and 1M events
# and measures each in its own process (so peak memory is that size's alone):
# load throughput, filter latency per keystroke, frame time and memory.
# Usage: bench/run.sh [SIZES...]   (default: 10000 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
cargo build --release --quiet
bin=target/release/sitdash
dir=target/bench
mkdir -p "$dir"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for n in "${sizes[@]}"; do
    file="$dir/acled-$n.csv"
    [ -f "$file" ] || "$bin" gen --events "$n" --seed 1 --format acled --output "$file"
    echo
    "$bin" bench "$file"
done
