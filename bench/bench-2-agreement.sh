#!/usr/bin/env bash
# Agreement benchmark (issue "Agreement statistics"): 200,000 items, 5 raters (4 humans, 1 judge),
# 1,000,000 label lines with a preference and the faithfulness of both answers (3,000,000 current
# labels). Times `concord agreement --json` without bootstrap and with 1,000 resamples, and in the
# same run the Python reference (bench/python_agreement.py: scikit-learn cohen_kappa_score,
# statsmodels cohens_kappa and fleiss_kappa on the same current labels, same pairs and facets),
# whose kappas must equal Concord's to 1e-9. Prints medians of RUNS runs and the ratios.
# Run by scripts/bench.
set -euo pipefail
: "${BUILD:?}" "${ROOT:?}" "${RUNS:=3}"
DATA="$BUILD/bench-data"
mkdir -p "$DATA"
GENERATE=(50 2000 200000 1000000 --humans 4 --judges 1 --facets preference,faithful --agreement 0.7)
FILE="$DATA/agreement-200k-5r-1m.jsonl"
PROJECT="$DATA/agreement.concord"
CONCORD="$BUILD/app/concord"
PYTHON=/usr/bin/python3 # Debian's, with python3-sklearn and python3-statsmodels (scripts/setup.sh)
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The data and the project are made once and kept; the stamp says from what.
stamp="${GENERATE[*]} $(stat -c %s "$FILE" 2>/dev/null || echo none)"
if [ ! -s "$FILE" ]; then
    "$BUILD/bench/concord_bench_generate" "$FILE" "${GENERATE[@]}"
    stamp="${GENERATE[*]} $(stat -c %s "$FILE")"
fi
if [ ! -s "$PROJECT" ] || [ "$(cat "$PROJECT.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -f "$PROJECT" "$PROJECT"-wal "$PROJECT"-shm "$PROJECT.stamp"
    "$CONCORD" new "$PROJECT" >/dev/null
    t0=$(now); "$CONCORD" import "$PROJECT" "$FILE" >/dev/null; t1=$(now)
    printf 'import   %s: %.1f s, once (not part of the comparison)\n' "$(basename "$FILE")" "$(echo "$t1 - $t0" | bc -l)"
    echo "$stamp" >"$PROJECT.stamp"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The first report after a change to the labels reads them and keeps the columns in the project
# (agreement_cache); later ones, while nothing changes, read the columns back. Time both.
"$PYTHON" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM agreement_cache"); c.commit()' "$PROJECT"
t0=$(now); "$CONCORD" agreement "$PROJECT" --json --bootstrap 0 >"$out/cold.json"; t1=$(now)
cold=$(echo "$t1 - $t0" | bc -l)
# A change as a team makes it: 1,000 new label rows (a day of annotation, a judge re-run on a
# few items) appended to the project; the next report applies them to the kept columns.
add_labels() {
    "$PYTHON" - "$PROJECT" "$1" <<'PY'
import random, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
raters = [r for (r,) in db.execute("SELECT id FROM raters")]
top = db.execute("SELECT max(id) FROM items").fetchone()[0]
rng = random.Random(int(sys.argv[2]))
with db:
    for _ in range(1000):
        db.execute("INSERT INTO labels(rater_id, item_id, preference, faithful_a, cleared, created_at) "
                   "VALUES (?, ?, ?, ?, 0, '2026-12-01T00:00:00Z')",
                   (rng.choice(raters), rng.randint(1, top), rng.choice(["A", "B", "tie"]),
                    rng.choice(["faithful", "unfaithful"])))
PY
}
changed=()
for run in $(seq "$RUNS"); do
    add_labels "$run"
    t0=$(now); "$CONCORD" agreement "$PROJECT" --json --bootstrap 0 >"$out/changed.json"; t1=$(now)
    changed+=("$(echo "$t1 - $t0" | bc -l)")
done
plain=() boot=() python=() compute=() read=()
for run in $(seq "$RUNS"); do
    t0=$(now); "$CONCORD" agreement "$PROJECT" --json --bootstrap 0 >"$out/b0.json"; t1=$(now)
    plain+=("$(echo "$t1 - $t0" | bc -l)")
    t0=$(now); "$CONCORD" agreement "$PROJECT" --json --bootstrap 1000 >"$out/b1000.json"; t1=$(now)
    boot+=("$(echo "$t1 - $t0" | bc -l)")
    t0=$(now); "$PYTHON" "$ROOT/bench/python_agreement.py" "$PROJECT" >"$out/python.json"; t1=$(now)
    python+=("$(echo "$t1 - $t0" | bc -l)")
    compute+=("$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["compute_s"])' "$out/python.json")")
    read+=("$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["read_s"])' "$out/python.json")")
done

# Same labels, same numbers: every pair's kappa and each facet's Fleiss' kappa.
"$PYTHON" - "$out/b0.json" "$out/python.json" <<'EOF'
import json, sys
concord, python = (json.load(open(p)) for p in sys.argv[1:3])
checked = 0
for facet in concord["facets"]:
    ref = python["facets"].get(facet["facet"])
    if ref is None:
        continue
    pairs = {p["rater_a"] + " / " + p["rater_b"]: p["kappa"] for p in facet["pairs"]}
    pairs.update({"majority / " + p["rater"]: p["kappa"] for p in facet["majority"]})
    assert set(pairs) == set(ref["pairs"]), (facet["facet"], sorted(pairs), sorted(ref["pairs"]))
    for name, kappa in pairs.items():
        for key in ("kappa", "sklearn_kappa"):
            assert abs(kappa - ref["pairs"][name][key]) <= 1e-9, (facet["facet"], name, key, kappa)
            checked += 1
    assert abs(facet["multi"]["fleiss_kappa"] - ref["fleiss_kappa"]) <= 1e-9, facet["facet"]
    checked += 1
print(f"check    {checked} kappas (sklearn, statsmodels, Fleiss) equal Concord's to 1e-9")
EOF

p=$(printf '%s\n' "${plain[@]}" | median)
b=$(printf '%s\n' "${boot[@]}" | median)
py=$(printf '%s\n' "${python[@]}" | median)
pc=$(printf '%s\n' "${compute[@]}" | median)
pr=$(printf '%s\n' "${read[@]}" | median)
printf 'agreement 1,000,000 label lines (3,000,000 current labels), medians of %d runs:\n' "$RUNS"
ch=$(printf '%s\n' "${changed[@]}" | median)
printf '  concord --bootstrap 0     %.2f s; after 1,000 new label rows: %.2f s; with no kept columns (reads every label): %.2f s\n' "$p" "$ch" "$cold"
printf '  concord --bootstrap 1000  %.2f s (target < 3 s)\n' "$b"
printf '  python whole script       %.2f s (imports, read %.2f s, compute %.2f s)\n' "$py" "$pr" "$pc"
printf '  ratio python whole script / concord --bootstrap 0: %.1fx (the target: >= 20x)\n' "$(echo "$py / $p" | bc -l)"
printf '  ratio python whole script / concord after 1,000 new label rows: %.1fx (the target: >= 20x)\n' "$(echo "$py / $ch" | bc -l)"
printf '  ratio python whole script / concord with no kept columns: %.1fx\n' "$(echo "$py / $cold" | bc -l)"
# The kept (and updated) columns give the report a full read gives.
"$PYTHON" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM agreement_cache"); c.commit()' "$PROJECT"
"$CONCORD" agreement "$PROJECT" --json --bootstrap 0 >"$out/full.json"
cmp -s "$out/full.json" "$out/b0.json" || { echo "the report from kept columns differs from a full read's" >&2; exit 1; }
cmp -s "$out/changed.json" "$out/b0.json" || { echo "the report after the last change differs from a full read's" >&2; exit 1; }
printf '  ratio python compute only / concord --bootstrap 0: %.1fx (Concord'"'"'s time includes its start, read and output)\n' \
    "$(echo "$pc / $p" | bc -l)"
