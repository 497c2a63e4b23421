#!/usr/bin/env bash
# test/run-tests.sh — the whole test suite on a throw-away server.
#
#   bash test/run-tests.sh            # everything
#   bash test/run-tests.sh tier_type  # only these pg_regress tests
#
# Installs missing Debian packages, builds custvalue with warnings as errors,
# installs it into a private copy of PostgreSQL, starts a server on a Unix
# socket in a temporary directory and runs:
#   1. pg_regress over sql/*.sql (expected/*.out),
#   2. isolation tests test/isolation/specs/*.spec, if any,
#   3. every executable test/checks/*.sh (each one check; exit 0 = pass).
# The server and the temporary directory are removed on exit.  The last line
# is the summary "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cv_install_deps
cd "$CV_ROOT"
cv_log "building"
# Exported, so that every make below (install, installcheck) builds with the
# same flags: the objects depend on them (Makefile), and a make without them
# would quietly rebuild without the self-check.
export COPT="-Werror -DCV_SELF_CHECK"
cv_make clean >/dev/null
cv_make >/dev/null
cv_throwaway_server

passed=0
failed=0
failures=()

# 1. pg_regress
tests=("$@")
regress_log=$CV_TMP/regress.log
set +e
regress_cmd="$CV_PG_LIB/pgxs/src/test/regress/pg_regress --inputdir=./ --bindir=$CV_BIN"
if [ ${#tests[@]} -gt 0 ]; then
    cv_make installcheck pg_regress_installcheck="$regress_cmd" REGRESS="${tests[*]}" \
        2>&1 | tee "$regress_log"
else
    cv_make installcheck pg_regress_installcheck="$regress_cmd" 2>&1 | tee "$regress_log"
fi
regress_rc=$?
set -e
p=$(grep -cE '^(ok|test|     ).* \.\.\. ok ' "$regress_log" || true)
f=$(grep -cE ' \.\.\. FAILED' "$regress_log" || true)
passed=$((passed + p))
failed=$((failed + f))
if [ "$f" -gt 0 ]; then
    failures+=("pg_regress: see regression.diffs")
    cat regression.diffs >&2
elif [ "$regress_rc" -ne 0 ]; then
    failures+=("pg_regress did not run (exit $regress_rc)")
    failed=$((failed + 1))
fi

# 2. isolation tests
if [ ${#tests[@]} -eq 0 ] && compgen -G "test/isolation/specs/*.spec" >/dev/null; then
    iso_log=$CV_TMP/isolation.log
    specs=$(cd test/isolation/specs && ls *.spec | sed 's/\.spec$//')
    set +e
    "$CV_PG_LIB/pgxs/src/test/isolation/pg_isolation_regress" \
        --inputdir=test/isolation --outputdir=output_iso --bindir="$CV_BIN" \
        --dbname=custvalue_isolation --load-extension=custvalue \
        $specs 2>&1 | tee "$iso_log"
    iso_rc=${PIPESTATUS[0]}
    set -e
    p=$(grep -cE ' \.\.\. ok ' "$iso_log" || true)
    f=$(grep -cE ' \.\.\. FAILED' "$iso_log" || true)
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
        failures+=("isolation: see output_iso/regression.diffs")
        cat output_iso/regression.diffs >&2
    elif [ "$iso_rc" -ne 0 ]; then
        # e.g. a spec without expected output: neither ok nor FAILED
        failures+=("pg_isolation_regress failed (exit $iso_rc)")
        failed=$((failed + 1))
    fi
fi

# 3. script checks
if [ ${#tests[@]} -eq 0 ]; then
    for check in test/checks/*.sh; do
        [ -x "$check" ] || continue
        name=$(basename "$check" .sh)
        if CV_BIN=$CV_BIN CV_TMP=$CV_TMP bash "$check" >"$CV_TMP/$name.log" 2>&1; then
            echo "check $name ... ok"
            passed=$((passed + 1))
        else
            echo "check $name ... FAILED"
            sed 's/^/    /' "$CV_TMP/$name.log" | tail -40
            failed=$((failed + 1))
            failures+=("check $name")
        fi
    done
fi

for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "custvalue: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
