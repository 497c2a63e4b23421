#!/usr/bin/env bash
# test/checks/demo.sh — README's first command, test/demo.sh, runs end to
# end on a small demo (3 000 customers): every dashboard section prints,
# and nothing fails.  (The suite's second command is the suite itself.)
# Run by test/run-tests.sh with CV_BIN/CV_TMP set.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
cd "$(dirname "$0")/../.."
out=$CV_TMP/demo.out
CV_DEMO_CUSTOMERS=3000 bash test/demo.sh >"$out" 2>&1 || { tail -30 "$out"; echo "test/demo.sh failed"; exit 1; }
if grep -q 'ERROR' "$out"; then
    grep -B2 -A3 'ERROR' "$out" | head -30
    echo "test/demo.sh printed an error"
    exit 1
fi
sections=$(ls test/dashboard/*.sql | wc -l)
printed=$(grep -c '^==== ' "$out" || true)
[ "$printed" = "$sections" ] || { echo "$printed of $sections dashboard sections printed"; exit 1; }
echo "test/demo.sh: $printed dashboard sections on 3 000 demo customers, no error"
