#!/usr/bin/env bash
# test/bench/cycle.sh — how fast the monthly cycle is, against what the
# hardware allows, and what reading a stored month saves a BI tool.
#
#   bash test/bench/cycle.sh                     # 1 000 000 customers
#   bash test/bench/cycle.sh -n 100000,1000000   # several sizes: linear in N?
#   bash test/bench/cycle.sh -n 10000000         # operator scale (about 1 h)
#
# Options:
#   -n N[,N...]   customers (default 1000000); one fresh data set per N
#   --seed S      demo generator seed (default 42)
#   --no-live     skip the live views (at 10 M each takes minutes)
#   --work-mem W, --maintenance-work-mem M
#                 settings of the timed run's session (default: the server's,
#                 64MB and 256MB): the run's memory is bounded by them
#
# For each N, on a throw-away server (test/lib.sh; plain build, JIT off,
# 2 parallel workers allowed as on a default server, effective_cache_size
# three quarters of the memory): custvalue.generate_demo(N, S) in
# schema ops, CALL custvalue.run_month() for the month before the data's
# month (so the timed run has a previous month to review against), then
# timed:
#   run       CALL custvalue.run_month(<data month>), its first run, with
#             its stage timings (the NOTICEs) and the peak private memory of
#             the backend (RssAnon, test/bench/memwatch.sh);
#   rerun     the same month again (the partition is rebuilt and swapped);
#   floor     what any implementation must at least do: a bare sequential
#             scan of every input table (count(*) with a test on its last
#             column, so every column is deformed), plus an INSERT of the
#             month's rows, as stored, into a plain table with no index
#             (INSERT ... SELECT from the stored partition: this reads them
#             too, so the floor is if anything generous);
#   ratio     run / floor (target: at most 3).
# Each timed part starts settled: a CHECKPOINT and sync(1) first, so that
# no part pays for writing back the data the one before it left dirty (the
# demo's 3 GB at 1 M would otherwise be flushed during the first run).
# Then the BI reads, each the best of 3: the live views that recompute from
# the bills (customer_scorecard, churn_watchlist, tier_value_summary)
# against the stored month (customer_month_latest, watchlist_month,
# tier_month_summary).  Prints one table per N and a summary line per N.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
BENCH_DIR=$CV_ROOT/test/bench

SIZES=1000000
SEED=42
LIVE=true
while [ $# -gt 0 ]; do
    case $1 in
        -n) SIZES=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --no-live) LIVE=false; shift ;;
        --work-mem) RUN_SET="${RUN_SET:-}SET work_mem = '$2';"; shift 2 ;;
        --maintenance-work-mem) RUN_SET="${RUN_SET:-}SET maintenance_work_mem = '$2';"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) cv_die "unknown option $1 (see --help)" ;;
    esac
done
[[ $SIZES =~ ^[0-9]+(,[0-9]+)*$ ]] || cv_die "-n takes customer counts separated by commas, not '$SIZES'"
[[ $SEED =~ ^-?[0-9]+$ ]] || cv_die "--seed takes an integer, not '$SEED'"

cv_install_deps
cd "$CV_ROOT"
cv_log "building"
cv_make >/dev/null
# effective_cache_size as PostgreSQL's documentation advises for a
# dedicated server (three quarters of the memory): left at its default
# 4GB, the planner takes the bills' index scan in customer order for random
# reads once the table outgrows 4GB (at about 4 M customers) and no longer
# runs it in parallel.
cache_kb=$(awk '/^MemTotal:/ { printf "%d", $2 * 3 / 4 }' /proc/meminfo)
CV_SERVER_OPTS="wal_level = minimal
max_wal_senders = 0
jit = off
effective_cache_size = ${cache_kb}kB
${CV_SERVER_OPTS:-}"
cv_throwaway_server
WORK=$CV_TMP/cycle
mkdir -p "$WORK"
chmod 777 "$WORK"
PSQL=("$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1)
psql_c() { "${PSQL[@]}" -At -c "$1"; }

. "$CV_ROOT/test/bench/timing.sh"

# settle: dirty shared buffers written, and the kernel's dirty pages too.
settle() {
    psql_c "CHECKPOINT" >/dev/null
    sync
}

summary=()
for N in ${SIZES//,/ }; do
    db=cycle_$N
    PSQL=("$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres)
    psql_c "CREATE DATABASE $db" >/dev/null
    PSQL=("$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db")
    cv_log "N = $N: generating the demo"
    t0=$(date +%s)
    "${PSQL[@]}" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION custvalue;
SELECT count(*) FROM custvalue.create_data_model('ops');
SELECT * FROM custvalue.generate_demo($N, $SEED);
VACUUM ANALYZE;
SQL
    cv_log "N = $N: data in $(( $(date +%s) - t0 )) s"
    month=$(psql_c "SELECT custvalue.as_of_month()")
    prev=$(psql_c "SELECT (custvalue.as_of_month() - interval '1 month')::date")
    "${PSQL[@]}" -c "SET client_min_messages = warning" -c "CALL custvalue.run_month('$prev')"

    # The timed run, with the backend's peak memory.
    settle
    rm -f "$WORK/mem" "$WORK/stop"
    {
        echo "SELECT pg_backend_pid() AS cvpid \\gset"
        echo "\\setenv CVPID :cvpid"
        echo "\\! bash '$BENCH_DIR/memwatch.sh' \"\$CVPID\" '$WORK/mem' '$WORK/stop' &"
        echo "${RUN_SET:-}"
        echo "\\timing on"
        echo "CALL custvalue.run_month('$month');"
        echo "\\timing off"
        echo "\\! touch '$WORK/stop'"
    } > "$WORK/run.sql"
    "${PSQL[@]}" -f "$WORK/run.sql" > "$WORK/run.out" 2>&1
    for _ in $(seq 100); do [ -s "$WORK/mem" ] && break; sleep 0.05; done
    run=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$WORK/run.out" | awk '{ printf "%.3f", $1 / 1000 }')
    mem=$(cat "$WORK/mem")
    settle
    rerun=$(seconds "${RUN_SET:-} SET client_min_messages = warning; CALL custvalue.run_month('$month')")

    # The floor.
    settle
    scans=0
    scan_detail=""
    for t in customer monthly_bill bundle complaint survey_response service_cancellation; do
        last=$(psql_c "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = 'ops.$t'::regclass
                        AND attnum > 0 AND NOT attisdropped ORDER BY attnum DESC LIMIT 1")
        s=$(best3 "SET max_parallel_workers_per_gather = 0; SELECT count(*) FROM ops.$t WHERE $last IS NULL")
        scans=$(awk -v a="$scans" -v b="$s" 'BEGIN { printf "%.3f", a + b }')
        scan_detail="$scan_detail $t=$s"
    done
    part=$(psql_c "SELECT custvalue.month_partition('ops.customer_month', '$month')")
    rows=$(psql_c "SELECT count(*) FROM $part")
    psql_c "CREATE TABLE floor_insert (LIKE ops.customer_month)" >/dev/null
    insert=""
    for _ in 1 2 3; do
        psql_c "TRUNCATE floor_insert" >/dev/null
        t=$(seconds "INSERT INTO floor_insert SELECT * FROM $part")
        insert=$(awk -v a="$insert" -v t="$t" 'BEGIN { print (a == "" || t < a) ? t : a }')
    done
    psql_c "DROP TABLE floor_insert" >/dev/null
    floor=$(awk -v a="$scans" -v b="$insert" 'BEGIN { printf "%.3f", a + b }')
    ratio=$(awk -v r="$run" -v f="$floor" 'BEGIN { printf "%.2f", r / f }')

    # BI reads.
    live_sc=- live_wl=- live_ts=-
    if [ "$LIVE" = true ]; then
        live_sc=$(best3 "SELECT count(*), sum(cvf) FROM custvalue.customer_scorecard")
        live_wl=$(best3 "SELECT * FROM custvalue.churn_watchlist")
        live_ts=$(best3 "SELECT * FROM custvalue.tier_value_summary")
    fi
    stored_sc=$(best3 "SELECT count(*), sum(cvf) FROM custvalue.customer_month_latest")
    stored_wl=$(best3 "SELECT * FROM custvalue.watchlist_month WHERE month = '$month' ORDER BY spend_at_risk DESC")
    stored_ts=$(best3 "SELECT * FROM custvalue.tier_month_summary WHERE month = '$month'")

    echo
    echo "run_month at N = $N customers (month $month, $rows history rows)${RUN_SET:+, run with: $RUN_SET}"
    echo "  stages of the timed run:"
    sed -n 's/^.*NOTICE:  run_month [0-9-]*: \(.*\)$/    \1/p' "$WORK/run.out"
    printf '  %-34s %10s s\n' "run (first run of the month)" "$run" "rerun (replaces the month)" "$rerun" \
        "floor: scans of the inputs" "$scans" "floor: INSERT of the history rows" "$insert" "floor" "$floor"
    echo "    scans:$scan_detail"
    printf '  %-34s %10s   (target <= 3)\n' "run / floor" "$ratio"
    printf '  %-34s %10s kB\n' "backend peak memory (RssAnon)" "$mem"
    echo "  BI reads (best of 3)                 live      stored"
    printf '  %-34s %8s s %8s s\n' "scorecard (count, sum cvf)" "$live_sc" "$stored_sc" \
        "watchlist (all rows)" "$live_wl" "$stored_wl" "tier summary" "$live_ts" "$stored_ts"
    summary+=("N=$N run=${run}s rerun=${rerun}s floor=${floor}s ratio=$ratio peak_kB=$mem per_million_customers_s=$(awk -v r="$run" -v n="$N" 'BEGIN { printf "%.2f", r * 1e6 / n }')")
    "$CV_BIN/psql" -X -q -d postgres -c "DROP DATABASE $db"
done
echo
printf '%s\n' "${summary[@]}"
