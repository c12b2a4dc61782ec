#!/usr/bin/env bash
# Workspace benchmark (issue "annotation workspace", Speed): opening a 50,000-item project, showing
# items whose 5 MB document is new or was shown before, find, and a label act until "Saved", each
# through the real window offscreen and against a raw QPlainTextEdit::setPlainText in the same
# process. Run by scripts/bench.
set -euo pipefail
: "${BUILD:?}" "${RUNS:=3}"
QT_QPA_PLATFORM=offscreen "$BUILD/bench/concord_bench_workspace" "$RUNS"
