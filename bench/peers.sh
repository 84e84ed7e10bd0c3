#!/usr/bin/env bash
# Side-by-side figures for the store: sitdash against DuckDB's scan of the same CSV, in one
# run on one machine, as the rows of issue 14's table. DuckDB comes from PyPI into a venv
# under target/ (never a CI or test dependency); without network or pip it is skipped and
# sitdash is measured alone. Files come from $BENCH_DATA/acled-N.csv when there (shared
# generated files), else are generated under target/bench.
# Usage: bench/peers.sh [SIZES...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
cargo build --release --quiet
bin=target/release/sitdash
dir=target/bench
venv=target/bench-venv
mkdir -p "$dir"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet duckdb || echo "peers: DuckDB could not be installed; measuring sitdash alone"
fi
# Prints "<seconds> s, <peak MB> MB" for a command, from GNU time.
measure() {
    /usr/bin/time -f '%e %M' -o "$dir/time.out" "$@" >/dev/null 2>"$dir/err.out" || { cat "$dir/err.out"; return 1; }
    awk '{printf "%.2f s, %.0f MB", $1, $2 / 1024}' "$dir/time.out"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf '| rows | file | sitdash fully loaded | peak (x file) | keystroke p99 | key+frame p99 | first frame | DuckDB count(*), sum(fatalities) |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
    file="${BENCH_DATA:-$dir}/acled-$n.csv"
    [ -f "$file" ] || { file="$dir/acled-$n.csv"; [ -f "$file" ] || "$bin" gen --events "$n" --seed 1 --format acled --output "$file"; }
    mb=$(du -mL "$file" | cut -f1)
    # `sitdash bench` prints the table's row as one line ("issue table ...").
    row=$("$bin" bench "$file" | grep '^issue table')
    cells=$(echo "$row" | sed -E 's/.*fully loaded ([0-9.]+ s), peak ([0-9]+ MB) \(([0-9.]+x) the file\), filter keystroke p99 ([0-9.]+ ms), key\+frame p99 ([0-9.]+ ms), first useful frame ([0-9.]+ s).*/\1 | \2 (\3) | \4 | \5 | \6/')
    if "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
        theirs=$(measure "$venv/bin/python" -c "
import duckdb, sys
con = duckdb.connect()
print(con.execute(\"select count(*), sum(fatalities) from read_csv_auto('$file')\").fetchall())")
    else
        theirs="not installed"
    fi
    printf '| %s | %s MB | %s | %s |\n' "$n" "$mb" "$cells" "$theirs"
done
