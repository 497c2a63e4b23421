#!/usr/bin/env bash
# test/run-tests.sh — the whole test suite on a throw-away server.
#
#   bash test/run-tests.sh                 # everything, on this machine's PostgreSQL
#   bash test/run-tests.sh tier_type       # only these pg_regress tests
#   bash test/run-tests.sh check:citus     # only these test/checks/*.sh
#   bash test/run-tests.sh --all-versions  # everything, here and on every other
#                                          # major (PostgreSQL 17 and 18 in Debian
#                                          # trixie and forky trees made by
#                                          # debootstrap)
#
# Installs missing Debian packages, builds custvalue with warnings as errors,
# installs it into a private copy of PostgreSQL, starts a server on a Unix
# socket in a temporary directory and runs:
#   1. pg_regress over sql/*.sql (expected/*.out),
#   2. isolation tests test/isolation/specs/*.spec, if any,
#   3. every executable test/checks/*.sh (each one check; exit 0 = pass,
#      77 = cannot run here, with the reason as its last line).
# The server and the temporary directory are removed on exit.  The last line
# is the summary "N passed, N failed" (and ", N skipped" if any).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# --all-versions: this machine's PostgreSQL, then every other major in a
# throw-away Debian tree (cv_chroot: debootstrap once, kept in
# /var/cache/custvalue) with a fresh copy of the source tree.  The last line
# adds up every version's summary.
CV_OTHER_VERSIONS=${CV_OTHER_VERSIONS:-trixie:17 forky:18}
if [ "${1:-}" = --all-versions ]; then
    shift
    [ $# -eq 0 ] || cv_die "--all-versions runs the whole suite; name no tests"
    logs=$(mktemp -d "${TMPDIR:-/tmp}/custvalue-versions.XXXXXX")
    trap 'rm -rf "$logs"' EXIT
    set +e
    start=$(date +%s)
    bash "$0" 2>&1 | tee "$logs/host.log"
    echo "host" "$CV_PG_MAJOR" "$(( $(date +%s) - start ))" > "$logs/host.time"
    for spec in $CV_OTHER_VERSIONS; do
        suite=${spec%%:*} major=${spec##*:}
        start=$(date +%s)
        root=$(cv_chroot "$suite" "$major") || { echo "custvalue: 0 passed, 1 failed" > "$logs/$suite.log"; continue; }
        rm -rf "$root/build/custvalue"
        mkdir -p "$root/build/custvalue"
        (cd "$CV_ROOT" && if [ -d .git ]; then git ls-files -z --cached --others --exclude-standard; \
                          else find . -type f -not -path './.git/*' -print0; fi) \
            | (cd "$CV_ROOT" && tar --null -T - -cf -) | tar -xf - -C "$root/build/custvalue"
        # the vendored sources the checks build (Citus), where the tree expects them
        if [ -d "$CV_ROOT/../shared/vendor" ]; then
            rm -rf "$root/build/shared/vendor"
            mkdir -p "$root/build/shared"
            cp -a "$CV_ROOT/../shared/vendor" "$root/build/shared/"
        fi
        cv_log "PostgreSQL $major (Debian $suite, in $root)"
        cv_in_chroot "$root" /usr/bin/env CV_PG_MAJOR="$major" TMPDIR=/tmp \
            bash /build/custvalue/test/run-tests.sh 2>&1 | tee "$logs/$suite.log"
        echo "$suite" "$major" "$(( $(date +%s) - start ))" > "$logs/$suite.time"
    done
    set -e
    total_p=0 total_f=0
    for log in "$logs"/*.log; do
        name=$(basename "$log" .log)
        line=$(grep -E '^custvalue: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
        [ -n "$line" ] || line="custvalue: 0 passed, 1 failed"
        p=$(echo "$line" | sed -E 's/^custvalue: ([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        read -r _ major secs < "$logs/$name.time" 2>/dev/null || { major=?; secs=?; }
        echo "PostgreSQL $major ($name): $p passed, $f failed, ${secs} s"
        total_p=$((total_p + p)); total_f=$((total_f + f))
    done
    echo "custvalue: $total_p passed, $total_f failed"
    [ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
    exit
fi

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
skipped=0
failures=()

# Names: pg_regress tests, or check:NAME for test/checks/NAME.sh.
tests=()
checks=()
for arg in "$@"; do
    case $arg in
        check:*) checks+=("${arg#check:}") ;;
        *) tests+=("$arg") ;;
    esac
done

# 1. pg_regress
regress_log=$CV_TMP/regress.log
: > "$regress_log"
set +e
regress_cmd="$CV_PG_LIB/pgxs/src/test/regress/pg_regress --inputdir=./ --bindir=$CV_BIN"
if [ ${#checks[@]} -gt 0 ] && [ ${#tests[@]} -eq 0 ]; then
    true    # only checks named
elif [ ${#tests[@]} -gt 0 ]; then
    cv_make installcheck pg_regress_installcheck="$regress_cmd" REGRESS="${tests[*]}" \
        2>&1 | tee "$regress_log"
else
    cv_make installcheck pg_regress_installcheck="$regress_cmd" 2>&1 | tee "$regress_log"
fi
regress_rc=$?
set -e
# pg_regress prints "test x ... ok" up to PostgreSQL 15, TAP ("ok 1 - x")
# from 16 on.
p=$(grep -cE '^(ok [0-9]+ |(ok|test|     ).* \.\.\. ok )' "$regress_log" || true)
f=$(grep -cE '^not ok [0-9]+ | \.\.\. FAILED' "$regress_log" || true)
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
if [ ${#tests[@]} -eq 0 ] && [ ${#checks[@]} -eq 0 ] && compgen -G "test/isolation/specs/*.spec" >/dev/null; then
    iso_log=$CV_TMP/isolation.log
    specs=$(cd test/isolation/specs && ls *.spec | sed 's/\.spec$//')
    set +e
    "$CV_PG_LIB/pgxs/src/test/isolation/pg_isolation_regress" \
        --inputdir=test/isolation --outputdir=output_iso --bindir="$CV_BIN" \
        --dbname=custvalue_isolation --load-extension=custvalue \
        $specs 2>&1 | tee "$iso_log"
    iso_rc=${PIPESTATUS[0]}
    set -e
    p=$(grep -cE '^ok [0-9]+ | \.\.\. ok ' "$iso_log" || true)
    f=$(grep -cE '^not ok [0-9]+ | \.\.\. FAILED' "$iso_log" || true)
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
    if [ ${#checks[@]} -gt 0 ]; then
        selected=()
        for c in "${checks[@]}"; do
            [ -f "test/checks/$c.sh" ] || cv_die "no check test/checks/$c.sh"
            selected+=("test/checks/$c.sh")
        done
    else
        selected=(test/checks/*.sh)
    fi
    for check in "${selected[@]}"; do
        [ -x "$check" ] || continue
        name=$(basename "$check" .sh)
        set +e
        CV_BIN=$CV_BIN CV_TMP=$CV_TMP bash "$check" >"$CV_TMP/$name.log" 2>&1
        rc=$?
        set -e
        if [ "$rc" = 0 ]; then
            echo "check $name ... ok"
            passed=$((passed + 1))
        elif [ "$rc" = 77 ]; then
            # a check that cannot run here says why (its last line)
            echo "check $name ... skipped: $(tail -1 "$CV_TMP/$name.log" | sed 's/^skipped: //')"
            skipped=$((skipped + 1))
        else
            echo "check $name ... FAILED"
            sed 's/^/    /' "$CV_TMP/$name.log" | tail -40
            failed=$((failed + 1))
            failures+=("check $name")
        fi
    done
fi

for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
summary="custvalue: $passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary+=", $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
