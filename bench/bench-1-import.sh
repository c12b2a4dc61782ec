#!/usr/bin/env bash
# Import benchmark (issue "Foundation", §8): import of a generated JSONL file (500 documents of
# 100 KB, 50,000 items, 200,000 labels), `concord info` on the result, and a plain Python json +
# sqlite3 importer doing the same inserts (also with --bulk: loading the way concord does). Prints MB/s, items/s and the ratio. Run by scripts/bench.
set -euo pipefail
: "${BUILD:?}" "${ROOT:?}" "${RUNS:=5}"
DATA="$BUILD/bench-data"
mkdir -p "$DATA"
FILE="$DATA/import-500x100k-50k-200k.jsonl"
[ -s "$FILE" ] || "$BUILD/bench/concord_bench_generate" "$FILE" 500 100000 50000 200000
CONCORD="$BUILD/app/concord"
# Debian's Python (what scripts/setup.sh leaves on a fresh machine), not whichever is first on PATH:
# a Python built elsewhere may be faster or slower, and the ratio is against a fixed reference.
PYTHON=/usr/bin/python3
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
concord_times=() python_times=() bulk_times=() info_times=()
for run in $(seq "$RUNS"); do
    rm -f "$DATA"/c.concord* "$DATA"/p.concord*
    "$CONCORD" new "$DATA/c.concord" >/dev/null
    t0=$(now); "$CONCORD" import "$DATA/c.concord" "$FILE" >/dev/null; t1=$(now)
    concord_times+=("$(echo "$t1 - $t0" | bc -l)")
    t0=$(now); "$CONCORD" info "$DATA/c.concord" --json >/dev/null; t1=$(now)
    info_times+=("$(echo "$t1 - $t0" | bc -l)")
    "$CONCORD" new "$DATA/p.concord" >/dev/null
    t0=$(now); "$PYTHON" "$ROOT/bench/python_import.py" "$DATA/p.concord" "$FILE"; t1=$(now)
    python_times+=("$(echo "$t1 - $t0" | bc -l)")
    rm -f "$DATA"/p.concord*
    "$CONCORD" new "$DATA/p.concord" >/dev/null
    t0=$(now); "$PYTHON" "$ROOT/bench/python_import.py" --bulk "$DATA/p.concord" "$FILE"; t1=$(now)
    bulk_times+=("$(echo "$t1 - $t0" | bc -l)")
done
c=$(printf '%s\n' "${concord_times[@]}" | median)
p=$(printf '%s\n' "${python_times[@]}" | median)
b=$(printf '%s\n' "${bulk_times[@]}" | median)
i=$(printf '%s\n' "${info_times[@]}" | median)
mb=$(echo "$(stat -Lc %s "$FILE") / 1000000" | bc -l)
printf 'import   %.1f MB in %.2f s: %.0f MB/s, %.0f items/s (median of %d runs; target >= 100 MB/s)\n' \
    "$mb" "$c" "$(echo "$mb / $c" | bc -l)" "$(echo "50000 / $c" | bc -l)" "$RUNS"
printf 'python   %.2f s (%s, SQLite %s): concord is %.2fx the plain Python importer (target >= 5x)\n' "$p" \
    "$("$PYTHON" -c 'import sys; print("Python " + sys.version.split()[0])')" \
    "$("$PYTHON" -c 'import sqlite3; print(sqlite3.sqlite_version)')" "$(echo "$p / $c" | bc -l)"
printf 'python   --bulk (loading as concord does) %.2f s: concord is %.2fx\n' "$b" "$(echo "$b / $c" | bc -l)"
printf 'info     %.3f s on the imported project (target < 0.5 s)\n' "$i"
printf 'runs     concord %s; python %s; python --bulk %s\n' "$(printf '%.2f ' "${concord_times[@]}")" \
    "$(printf '%.2f ' "${python_times[@]}")" "$(printf '%.2f ' "${bulk_times[@]}")"
printf 'load     %s before, %s after (1, 5, 15 min averages; %s cores)\n' "$load_before" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
# One more import, for where its time goes (wall and CPU of each phase).
rm -f "$DATA"/c.concord*
"$CONCORD" new "$DATA/c.concord" >/dev/null
CONCORD_IMPORT_PHASES=1 "$CONCORD" import "$DATA/c.concord" "$FILE" 2>&1 >/dev/null | sed 's/^/phases   /'
rm -f "$DATA"/c.concord* "$DATA"/p.concord*
