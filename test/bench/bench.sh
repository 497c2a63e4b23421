#!/usr/bin/env bash
# test/bench/bench.sh — how fast custvalue is, against what a DBA would write
# otherwise and against what the hardware allows.
#
#   bash test/bench/bench.sh                      # 1 000 000 customers
#   bash test/bench/bench.sh -n 100000 --runs 3   # quicker
#   bash test/bench/bench.sh --memcheck-n 10000000
#
# Options:
#   -n N              customers (default 1000000)
#   --seed S          demo generator seed (default 42)
#   --runs R          timed runs per query after one warm-up (default 5; the
#                     best is reported: on a shared machine the fastest run
#                     is the one least disturbed by other processes)
#   --workers W       parallel workers for the parallel runs (default 2)
#   --memcheck-n M    also measure peak memory over M input rows (the N
#                     inputs replicated), to show memory is flat in N
#   --callgrind-n K   per-row instruction counts under callgrind over K rows
#                     (default 50000; 0 = skip)
#   --synthetic       use generate_series inputs even if generate_demo exists
#   --only CASE       run only cases/NN_CASE.sql (repeatable)
#   --citus           instead: one node against Citus, a coordinator and two
#                     workers (test/bench/citus.sh; takes -n, --seed, --runs,
#                     --shards)
#
# On a throw-away server (test/lib.sh), it generates the customers, then
# runs every test/bench/cases/*.sql whose custvalue functions are installed.
# A case file creates its input table (a real table, so the scan floor and
# the functions read the same columns) and the equivalents in plain SQL and
# PL/pgSQL, and names its queries in "-- @key" header lines:
#   @kind per-row | aggregate   @requires function(s) the case needs
#   @table the input table
#   @floor the scan floor: a bare sequential scan that reads (deforms) the
#          same input columns and does nothing else with them, e.g.
#          SELECT count(*) FROM t WHERE a IS NULL AND b IS NULL; the
#          function's query can only be slower by what the function costs
#          (plus one count() transition per row)
#   @custvalue, @plain, @plpgsql the function and its equivalents
#   @bound (optional, for a function returning a row) the same query as
#          @custvalue with the function replaced by a C function the
#          case's SQL declares AS 'bound_row', 'bound_row' with a template
#          row then the function's arguments, and its result type:
#          bound_row.c (built here only if a case has a @bound) returns a
#          copy of the template, the least any C function with those
#          arguments and that result can cost in that query, so
#          bound ÷ floor shows whether a target ratio is reachable at all
#   @parallel_check a query whose plan shows the parallel workers, for a
#          function that runs its own parallel queries (default: @custvalue)
# Every query runs in a fresh connection, JIT off, one warm-up then R timed
# runs; per-row cases serially (max_parallel_workers_per_gather = 0), the
# custvalue query also with W workers.  Peak private memory of the backend
# comes from memwatch.sh.  Per-row instruction counts come from callgrind on
# a single-user server (perf has no hardware counters on most VMs): the
# difference between K and K/5 rows, so fixed costs cancel out.  @bound is
# measured like @custvalue (serially, and under callgrind).
set -euo pipefail
for arg in "$@"; do
    if [ "$arg" = --citus ]; then
        args=()
        for a in "$@"; do [ "$a" = --citus ] || args+=("$a"); done
        exec bash "$(dirname "$0")/citus.sh" "${args[@]}"
    fi
done
. "$(dirname "$0")/../lib.sh"
BENCH_DIR=$CV_ROOT/test/bench

N=1000000
SEED=42
RUNS=5
WORKERS=2
MEMCHECK_N=0
CALLGRIND_N=50000
SYNTHETIC=false
ONLY=()
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --workers) WORKERS=$2; shift 2 ;;
        --memcheck-n) MEMCHECK_N=$2; shift 2 ;;
        --callgrind-n) CALLGRIND_N=$2; shift 2 ;;
        --synthetic) SYNTHETIC=true; shift ;;
        --only) ONLY+=("$2"); shift 2 ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) cv_die "unknown option $1 (see --help)" ;;
    esac
done

# callgrind is the bench's own dependency, not the test suite's.
bench_install_deps() {
    [ "$CALLGRIND_N" -gt 0 ] || return 0
    command -v valgrind >/dev/null && return 0
    if [ "$(id -u)" = 0 ]; then
        cv_log "installing valgrind"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind \
            >/dev/null || cv_log "valgrind install failed: no instruction counts"
    else
        cv_log "valgrind missing and not root: no instruction counts"
    fi
}

cv_install_deps
bench_install_deps
cd "$CV_ROOT"
cv_log "building"
cv_make >/dev/null
# The load truncates and fills in one transaction: with wal_level = minimal
# it writes no WAL (as test/demo.sh does).
CV_SERVER_OPTS="wal_level = minimal
max_wal_senders = 0
${CV_SERVER_OPTS:-}"
cv_throwaway_server
WORK=$CV_TMP/bench
mkdir -p "$WORK"
chmod 777 "$WORK"
PSQL=("$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1)
psql_c() { "${PSQL[@]}" -At -c "$1"; }

cv_log "generating $N customers"
psql_c "CREATE EXTENSION custvalue" >/dev/null
if [ "$SYNTHETIC" = false ] && [ "$(psql_c "SELECT to_regproc('custvalue.generate_demo') IS NOT NULL")" = t ]; then
    USE_DEMO=true
    DATA_DESC="custvalue.generate_demo($N, $SEED)"
else
    USE_DEMO=false
    DATA_DESC="synthetic generate_series inputs"
fi
t0=$(date +%s)
"${PSQL[@]}" -v n="$N" -v seed="$SEED" -v use_demo="$USE_DEMO" -f "$BENCH_DIR/data.sql" > "$WORK/data.out"
cv_log "data ready in $(( $(date +%s) - t0 )) s (${DATA_DESC}): $(tail -n 3 "$WORK/data.out" | head -n 1)"

# ---- cases -----------------------------------------------------------------

# meta FILE KEY: the value of "-- @KEY value" in FILE's header, joined with
# its continuation lines ("--" and three or more spaces).
meta() {
    awk -v key="$2" '
        on && /^--   / { sub(/^--[ \t]+/, ""); out = out " " $0; next }
        on { exit }
        /^-- @/ && $2 == "@" key { on = 1; sub(/^-- @[a-z_]+[ \t]*/, ""); out = $0 }
        END { print out }' "$1"
}

# bound_row.c, built into the throw-away installation once, for the first
# case that has a @bound.
BOUND_BUILT=false
build_bound() {
    [ "$BOUND_BUILT" = false ] || return 0
    cv_log "building bound_row"
    cv_test_module "$BENCH_DIR/bound_row.c"
    BOUND_BUILT=true
}

VARIANTS=(floor custvalue bound plain plpgsql)
HAS_BOUND=
CASES=()
SKIPPED=()
declare -A KIND TABLE Q ROWS PCHECK
for f in "$BENCH_DIR"/cases/*.sql; do
    name=$(basename "$f" .sql)
    name=${name#*_}
    if [ ${#ONLY[@]} -gt 0 ] && [[ ! " ${ONLY[*]} " == *" $name "* ]]; then continue; fi
    missing=""
    for fn in $(meta "$f" requires); do
        if [[ $fn == *"("* ]]; then check="to_regprocedure('$fn')"; else check="to_regproc('$fn')"; fi
        [ "$(psql_c "SELECT $check IS NOT NULL")" = t ] || missing+=" $fn"
    done
    if [ -n "$missing" ]; then
        SKIPPED+=("$name: not installed:$missing")
        continue
    fi
    [ -z "$(meta "$f" bound)" ] || build_bound
    cv_log "setting up $name"
    "${PSQL[@]}" -v use_demo="$USE_DEMO" -f "$f" >/dev/null
    TABLE[$name]=$(meta "$f" table)
    KIND[$name]=$(meta "$f" kind)
    psql_c "VACUUM (FREEZE, ANALYZE) ${TABLE[$name]}" >/dev/null
    for v in "${VARIANTS[@]}"; do
        q=$(meta "$f" $v)
        Q[$name.$v]=${q//@T@/${TABLE[$name]}}
    done
    q=$(meta "$f" parallel_check)
    PCHECK[$name]=${q//@T@/${TABLE[$name]}}
    # A "plain SQL" equivalent packaged as an SQL function must be inlined
    # by the planner, or it would be measuring function-call overhead.
    if [ -n "${Q[$name.plain]}" ] && psql_c "SET jit = off; EXPLAIN (VERBOSE, COSTS OFF) ${Q[$name.plain]}" \
        | grep -q 'bench\.[a-z_]*_sql('; then
        cv_die "$name: the plain SQL equivalent was not inlined"
    fi
    [ -z "${Q[$name.bound]}" ] || HAS_BOUND=true
    ROWS[$name]=$(psql_c "SELECT count(*) FROM ${TABLE[$name]}")
    CASES+=("$name")
done

# ---- measuring ---------------------------------------------------------------

declare -A MS=() KB=()
# measure KEY WORKERS RUNS SQL [PLANSQL]: best ms of RUNS runs after a
# warm-up, and the peak private memory of the backend, from a fresh
# connection; with workers, PLANSQL's plan (default SQL's) must show them.
measure() {
    local key=$1 workers=$2 runs=$3 sql=$4 plansql=${5:-$4}
    local dir=$WORK/m/$key
    rm -rf "$dir"
    mkdir -p "$dir"
    {
        echo "SET jit = off;"
        echo "SET max_parallel_workers_per_gather = $workers;"
        if [ "$workers" -gt 0 ]; then
            echo "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
            echo "SET min_parallel_table_scan_size = 0;"
        fi
        echo "SELECT pg_backend_pid() AS cvpid \\gset"
        echo "\\setenv CVPID :cvpid"
        echo "\\! bash '$BENCH_DIR/memwatch.sh' \"\$CVPID\" '$dir/mem' '$dir/stop' &"
        echo "$sql;"
        echo "\\timing on"
        for _ in $(seq "$runs"); do echo "$sql;"; done
        echo "\\timing off"
        if [ "$workers" -gt 0 ]; then
            echo "\\o $dir/plan"
            echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $plansql;"
            echo "\\o /dev/null"
        fi
        echo "\\! touch '$dir/stop'"
    } > "$dir/script.sql"
    "${PSQL[@]}" -o /dev/null -f "$dir/script.sql" > "$dir/out"
    for _ in $(seq 100); do [ -s "$dir/mem" ] && break; sleep 0.05; done
    MS[$key]=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$dir/out" | sort -g | head -n 1)
    KB[$key]=$(cat "$dir/mem" 2>/dev/null || echo "")
    if [ "$workers" -gt 0 ] && ! grep -q 'Workers Launched: [1-9]' "$dir/plan"; then
        cv_log "warning: $key ran without parallel workers"
        MS[$key]=""
    fi
    cv_log "$(printf '%-28s %10s ms  %6s kB' "$key" "${MS[$key]}" "${KB[$key]}")"
}

for c in "${CASES[@]+"${CASES[@]}"}"; do
    for v in "${VARIANTS[@]}"; do
        [ -n "${Q[$c.$v]}" ] || continue
        measure "$c.$v" 0 "$RUNS" "${Q[$c.$v]}"
    done
    [ "$WORKERS" -gt 0 ] && measure "$c.parallel" "$WORKERS" "$RUNS" "${Q[$c.custvalue]}" "${PCHECK[$c]}"
done

# ---- memory flat in N --------------------------------------------------------

if [ "$MEMCHECK_N" -gt 0 ]; then
    for c in "${CASES[@]+"${CASES[@]}"}"; do
        t=${TABLE[$c]}
        cv_log "memcheck: $t replicated to $MEMCHECK_N rows"
        "${PSQL[@]}" >/dev/null <<EOF
CREATE TABLE ${t}_m AS
SELECT t.* FROM generate_series(1, ceil($MEMCHECK_N::numeric / $N)::int) AS r, $t AS t LIMIT $MEMCHECK_N;
VACUUM (FREEZE, ANALYZE) ${t}_m;
EOF
        q=${Q[$c.custvalue]}
        measure "$c.memcheck" 0 1 "${q//$t/${t}_m}"
        psql_c "DROP TABLE ${t}_m" >/dev/null
    done
fi

# ---- instructions per row ----------------------------------------------------

declare -A IR=()
if [ "$CALLGRIND_N" -gt 0 ] && command -v valgrind >/dev/null && [ ${#CASES[@]} -gt 0 ]; then
    K2=$CALLGRIND_N
    K1=$(( CALLGRIND_N / 5 ))
    for c in "${CASES[@]}"; do
        t=${TABLE[$c]}
        "${PSQL[@]}" >/dev/null <<EOF
CREATE TABLE ${t}_cg1 AS SELECT * FROM $t LIMIT $K1;
CREATE TABLE ${t}_cg2 AS SELECT * FROM $t LIMIT $K2;
VACUUM (FREEZE, ANALYZE) ${t}_cg1;
VACUUM (FREEZE, ANALYZE) ${t}_cg2;
EOF
    done
    # Single-user mode needs the data directory to itself.
    cv_server_stop
    cg=$WORK/cg
    mkdir -p "$cg"
    [ "$(id -u)" = 0 ] && chown postgres: "$cg"
    for c in "${CASES[@]}"; do
        t=${TABLE[$c]}
        for v in "${VARIANTS[@]}"; do
            q=${Q[$c.$v]}
            [ -n "$q" ] || continue
            cv_log "callgrind $c.$v"
            # Warm-up on K1 rows (policy loads, plan caches), then K1, K2 rows.
            printf '%s;\n\n%s;\n\n%s;\n\n' "${q//$t/${t}_cg1}" "${q//$t/${t}_cg1}" "${q//$t/${t}_cg2}" \
                > "$cg/$c.$v.sql"
            rm -f "$cg/$c.$v.out"*
            cv_as_server_user valgrind --tool=callgrind --callgrind-out-file="$cg/$c.$v.out" \
                --collect-atstart=no --toggle-collect=PortalRun --dump-after=PortalRun \
                --compress-strings=no --compress-pos=no \
                "$CV_BIN/postgres" --single -j -D "$CV_SERVER_WORK/data" \
                -c jit=off -c max_parallel_workers_per_gather=0 postgres \
                < "$cg/$c.$v.sql" > "$cg/$c.$v.log" 2>&1 || { cv_log "callgrind failed: $cg/$c.$v.log"; continue; }
            i1=$(sed -n 's/^\(totals\|summary\): *\([0-9]*\).*/\2/p' "$cg/$c.$v.out.2" | head -n 1)
            i2=$(sed -n 's/^\(totals\|summary\): *\([0-9]*\).*/\2/p' "$cg/$c.$v.out.3" | head -n 1)
            [ -n "$i1" ] && [ -n "$i2" ] && IR[$c.$v]=$(( (i2 - i1) / (K2 - K1) ))
        done
    done
fi

# ---- report ------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.1f", k / 1024 }'; }
val() { [ -n "$1" ] && echo "$1" || echo "-"; }

{
echo
echo "custvalue benchmark: N = $N customers ($DATA_DESC), best of $RUNS runs after a warm-up, JIT off"
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'), PostgreSQL $("$CV_BIN/postgres" --version | awk '{print $3}')"
echo
echo "Per-row functions (serial): milliseconds over all rows, ratios, peak backend memory (MB)"
echo
echo "| function | rows | scan floor | custvalue | bound | plain SQL | PL/pgSQL | custvalue ÷ floor | bound ÷ floor | custvalue ÷ plain SQL | PL/pgSQL ÷ custvalue | parallel ($WORKERS workers) speed-up | MB custvalue / plain / PL/pgSQL |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in "${CASES[@]+"${CASES[@]}"}"; do
    [ "${KIND[$c]}" = per-row ] || continue
    echo "| $c | ${ROWS[$c]} | $(val "${MS[$c.floor]:-}") | $(val "${MS[$c.custvalue]:-}") | $(val "${MS[$c.bound]:-}") | $(val "${MS[$c.plain]:-}") | $(val "${MS[$c.plpgsql]:-}") | $(ratio "${MS[$c.custvalue]:-}" "${MS[$c.floor]:-}") | $(ratio "${MS[$c.bound]:-}" "${MS[$c.floor]:-}") | $(ratio "${MS[$c.custvalue]:-}" "${MS[$c.plain]:-}") | $(ratio "${MS[$c.plpgsql]:-}" "${MS[$c.custvalue]:-}") | $(ratio "${MS[$c.custvalue]:-}" "${MS[$c.parallel]:-}") | $(mb "${KB[$c.custvalue]:-}") / $(mb "${KB[$c.plain]:-}") / $(mb "${KB[$c.plpgsql]:-}") |"
done
echo
echo "Aggregates: milliseconds over all rows, serial and with $WORKERS parallel workers"
echo
echo "| aggregate | rows | scan floor | serial | parallel | parallel speed-up | plain SQL | custvalue ÷ plain SQL | MB serial |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in "${CASES[@]+"${CASES[@]}"}"; do
    [ "${KIND[$c]}" = aggregate ] || continue
    echo "| $c | ${ROWS[$c]} | $(val "${MS[$c.floor]:-}") | $(val "${MS[$c.custvalue]:-}") | $(val "${MS[$c.parallel]:-}") | $(ratio "${MS[$c.custvalue]:-}" "${MS[$c.parallel]:-}") | $(val "${MS[$c.plain]:-}") | $(ratio "${MS[$c.custvalue]:-}" "${MS[$c.plain]:-}") | $(mb "${KB[$c.custvalue]:-}") |"
done
if [ ${#IR[@]} -gt 0 ]; then
    echo
    echo "Instructions per row (callgrind, $K1 → $K2 rows, executor only)"
    echo
    echo "| case | scan floor | custvalue | bound | plain SQL | PL/pgSQL | custvalue − floor | custvalue ÷ floor | bound ÷ floor | PL/pgSQL ÷ custvalue |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for c in "${CASES[@]}"; do
        net=-
        [ -n "${IR[$c.floor]:-}" ] && [ -n "${IR[$c.custvalue]:-}" ] && net=$(( IR[$c.custvalue] - IR[$c.floor] ))
        echo "| $c | $(val "${IR[$c.floor]:-}") | $(val "${IR[$c.custvalue]:-}") | $(val "${IR[$c.bound]:-}") | $(val "${IR[$c.plain]:-}") | $(val "${IR[$c.plpgsql]:-}") | $net | $(ratio "${IR[$c.custvalue]:-}" "${IR[$c.floor]:-}") | $(ratio "${IR[$c.bound]:-}" "${IR[$c.floor]:-}") | $(ratio "${IR[$c.plpgsql]:-}" "${IR[$c.custvalue]:-}") |"
    done
fi
if [ -n "${HAS_BOUND:-}" ]; then
    echo
    echo "bound: the custvalue query with the function replaced by test/bench/bound_row.c, which takes the same"
    echo "arguments (after a template row) and returns a palloc'd copy of the template, a row of the same type:"
    echo "the least any C function returning a new row per call can cost there (the rest is PostgreSQL's: argument"
    echo "evaluation, the per-tuple context reset, field selection), so bound ÷ floor is the best ratio reachable."
fi
if [ "$MEMCHECK_N" -gt 0 ]; then
    echo
    echo "Peak backend memory of the custvalue query (MB): $N vs $MEMCHECK_N rows"
    echo
    echo "| case | $N rows | $MEMCHECK_N rows |"
    echo "|---|---:|---:|"
    for c in "${CASES[@]+"${CASES[@]}"}"; do
        echo "| $c | $(mb "${KB[$c.custvalue]:-}") | $(mb "${KB[$c.memcheck]:-}") |"
    done
fi
for s in "${SKIPPED[@]+"${SKIPPED[@]}"}"; do
    echo
    echo "skipped $s"
done
} | tee "$WORK/report.md"
