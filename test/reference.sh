#!/usr/bin/env bash
# test/reference.sh — regenerate REFERENCE.md from the catalog: build and
# install custvalue into a throw-away server, CREATE EXTENSION, and write
# every member with its signature or columns and its COMMENT ON text,
# grouped by the src/sql/ file that defines it (test/reference.sql).  The
# comments are the single source: what a DBA reads in \df+ is what
# REFERENCE.md says.  Fails when an object has no comment.
# test/checks/reference.sh fails the suite when the committed file is stale.
#
#   bash test/reference.sh        # rewrites REFERENCE.md
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cv_install_deps
cd "$CV_ROOT"
cv_log "building"
cv_make >/dev/null
cv_throwaway_server
"$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE cv_reference"
"$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d cv_reference -c "CREATE EXTENSION custvalue"
"$CV_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d cv_reference -f test/reference.sql > "$CV_TMP/REFERENCE.md"
if grep -E '^(MISSING COMMENT|NO DEFINING FILE): ' "$CV_TMP/REFERENCE.md"; then
    cv_die "every object needs a COMMENT ON in its src/sql/ file"
fi
cp "$CV_TMP/REFERENCE.md" REFERENCE.md
cv_log "wrote REFERENCE.md ($(grep -c '^- \*\*' REFERENCE.md) objects)"
