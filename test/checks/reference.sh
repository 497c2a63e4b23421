#!/usr/bin/env bash
# test/checks/reference.sh — REFERENCE.md is what test/reference.sh
# generates from the catalog of a fresh install, and every object of the
# extension has a COMMENT ON text.  On failure: bash test/reference.sh and
# commit the result (or write the missing comment).
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
cd "$(dirname "$0")/../.."
work=$CV_TMP/reference
mkdir -p "$work"
psql() { "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c "DROP DATABASE IF EXISTS cv_reference" 2>/dev/null
psql -d postgres -c "CREATE DATABASE cv_reference"
psql -d cv_reference -c "CREATE EXTENSION custvalue"
psql -At -d cv_reference -f test/reference.sql > "$work/REFERENCE.md"
psql -d postgres -c "DROP DATABASE cv_reference"
status=0
if grep -E '^(MISSING COMMENT|NO DEFINING FILE): ' "$work/REFERENCE.md"; then
    echo "objects without a comment or a defining file (listed above)"
    status=1
fi
if diff -u REFERENCE.md "$work/REFERENCE.md" > "$work/diff"; then
    echo "REFERENCE.md is current: $(grep -c '^- \*\*' REFERENCE.md) objects, each with its comment"
else
    head -40 "$work/diff"
    echo "REFERENCE.md differs from the catalog: run bash test/reference.sh"
    status=1
fi
exit $status
