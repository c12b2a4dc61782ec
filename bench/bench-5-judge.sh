#!/usr/bin/env bash
# Judge benchmark (issue "The LLM judge"): 2,000 judge calls against the local scripted server
# answering after 100 ms, concurrency 32; wall time against the 6.25 s floor, client CPU, and a
# re-run that must send nothing. Run by scripts/bench. See bench/judge_bench.py.
set -euo pipefail
: "${BUILD:?}" "${ROOT:?}" "${RUNS:=3}"
exec python3 "$ROOT/bench/judge_bench.py" "$BUILD" "$ROOT" --runs "$RUNS"
