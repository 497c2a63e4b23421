#!/usr/bin/env bash
# test/valgrind.sh — the pg_regress suite with every backend under valgrind
# memcheck.
#
#   bash test/valgrind.sh            # all sql/*.sql tests
#   bash test/valgrind.sh tier_type  # only these
#
# Builds custvalue without optimisation (exact stacks), initdb's a throw-away
# cluster with the real server, then replaces the private copy of
# `postgres` by a wrapper that runs it under
#   valgrind --tool=memcheck --trace-children=yes --leak-check=full
#            --track-origins=yes --suppressions=test/valgrind.supp
# and runs the regression tests.  Each process logs to its own file; the
# summary counts, over all of them, the errors (invalid read/write, use of
# uninitialised values, invalid free) and the definite leaks, and how many
# of them have a custvalue function in their stack.  Exit 1 if any error
# or definite leak involves custvalue.
#
# Debian's PostgreSQL is not built with USE_VALGRIND, so valgrind sees
# memory contexts as large malloc'd blocks: an overrun inside a block is not
# visible here (test/fuzz covers that, with ASan on every palloc), and
# memory a backend keeps until exit shows as "still reachable", not leaked.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cv_install_deps
command -v valgrind >/dev/null || {
    [ "$(id -u)" = 0 ] || cv_die "valgrind is missing"
    apt-get install -y -qq --no-install-recommends valgrind >/dev/null
}
cd "$CV_ROOT"
# Exported, so that the install below builds with the same flags.
export COPT="-O0 -g -fno-omit-frame-pointer"
cv_make clean >/dev/null
cv_make >/dev/null

CV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/custvalue-vg.XXXXXX")
chmod 755 "$CV_TMP"
trap cv_cleanup EXIT
trap 'exit 130' INT TERM
CV_BIN=$(cv_private_install "$CV_TMP/install")
# The server (and initdb) start normally; only then do we swap in valgrind.
cv_server_start "$CV_TMP/server" "$CV_BIN"
cv_server_stop

vglogs=$CV_TMP/valgrind
mkdir -p "$vglogs"
chmod 777 "$vglogs"
mv "$CV_BIN/postgres" "$CV_BIN/postgres.real"
cat > "$CV_BIN/postgres" <<EOF
#!/bin/sh
# -V/--version etc. from pg_ctl need no valgrind
case "\$1" in -V|--version|-C|--describe-config) exec "$CV_BIN/postgres.real" "\$@";; esac
exec valgrind --tool=memcheck --trace-children=yes --leak-check=full \\
    --show-leak-kinds=definite --errors-for-leak-kinds=definite \\
    --track-origins=yes --num-callers=30 --read-var-info=no \\
    --suppressions="$CV_ROOT/test/valgrind.supp" \\
    --log-file="$vglogs/%p.log" "$CV_BIN/postgres.real" "\$@"
EOF
chmod 755 "$CV_BIN/postgres"
cv_as_server_user "$CV_BIN/pg_ctl" -D "$CV_SERVER_WORK/data" -l "$CV_SERVER_WORK/server.log" \
    -w -t 600 start >/dev/null || { cat "$CV_SERVER_WORK/server.log" >&2; cv_die "server did not start under valgrind"; }

set +e
regress_cmd="$CV_PG_LIB/pgxs/src/test/regress/pg_regress --inputdir=./ --bindir=$CV_BIN"
if [ $# -gt 0 ]; then
    cv_make installcheck pg_regress_installcheck="$regress_cmd" REGRESS="$*"
else
    cv_make installcheck pg_regress_installcheck="$regress_cmd"
fi
regress_rc=$?
set -e
# A fast (not immediate) shutdown, so every process exits normally and
# valgrind writes its leak report.
cv_as_server_user "$CV_BIN/pg_ctl" -D "$CV_SERVER_WORK/data" -m fast -w -t 600 stop >/dev/null || true

# Error blocks: from "==pid== <kind>" up to the next blank "==pid== " line.
# A block is custvalue's if a frame is in custvalue.so or in one of its
# source files.
mine_re="custvalue\\.so|\\(($(cd src && ls *.c | sed 's/\.c$//' | paste -sd'|'))\\.c:[0-9]+\\)"
awk -v mine_re="$mine_re" '
    /^==[0-9]+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|[0-9,]+ bytes in [0-9,]+ blocks are definitely lost)/ {
        inblock = 1; block = $0; next }
    inblock && /^==[0-9]+== *$/ {
        inblock = 0; n++
        if (block ~ mine_re) { mine++; print block "\n" > "/dev/stderr" }
        else {
            # not ours: count by kind and the innermost frames, for the summary
            split(block, line, "\n")
            kind = line[1]; sub(/^==[0-9]+== /, "", kind)
            sub(/^[0-9,]+ bytes in [0-9,]+ blocks/, "N bytes in M blocks", kind)
            sub(/ in loss record [0-9,]+ of [0-9,]+$/, "", kind)
            frames = ""
            for (i = 2; i in line && nf < 3; i++)
                if (line[i] ~ /(at|by) 0x/) {
                    f = line[i]; sub(/.*: /, "", f); sub(/ \(.*/, "", f)
                    frames = frames (frames == "" ? "" : " < ") f; nf++ }
            nf = 0
            other[kind " in " frames]++ }
        next }
    inblock { block = block "\n" $0 }
    END { printf "valgrind: %d processes, %d errors or definite leaks, %d in custvalue\n", ARGC - 1, n, mine + 0
          if (n > mine + 0) {
              print "not in custvalue, by kind and innermost frames:"
              for (k in other) printf "  %5d  %s\n", other[k], k | "sort -rn"
              close("sort -rn") }
          exit (mine > 0) }
' "$vglogs"/*.log
vg_rc=$?
echo "pg_regress exit status: $regress_rc"
[ "$regress_rc" -eq 0 ] && [ "$vg_rc" -eq 0 ]
