#!/usr/bin/env bash
# test/bench/fulfilment.sh — what the fulfilment ledgers and their reports
# cost: the ledgers' insert rate through their checks, the reports a
# service manager reads, and the retention guard on a large delete.
#
#   bash test/bench/fulfilment.sh                   # 1 000 000 customers
#   bash test/bench/fulfilment.sh -n 100000
#
# Options:
#   -n N        customers (default 1000000)
#   --seed S    demo generator seed (default 42)
#
# On a throw-away server (test/lib.sh; plain build, JIT off):
# custvalue.generate_demo(N, S) in schema ops, three months of the monthly
# cycle, then timed:
#   ledgers     custvalue.demo_fulfilment(S): points, entitlement uses and
#               suspensions, every row through its trigger (quota, points,
#               the customer's row lock), in one transaction; rows/s;
#   copy floor  the same rows INSERTed into plain tables of the same shape
#               (no trigger, no index): what the checks add;
#   reports     each fulfilment view, the best of 3 after a warm-up;
#   guard       DELETE of every service event (all past their 5 years: the
#               demo's data is from 2008-09) with the retention guard and
#               with it disabled, each rolled back.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

N=1000000
SEED=42
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) cv_die "unknown option $1 (see --help)" ;;
    esac
done
[[ $N =~ ^[0-9]+$ ]] || cv_die "-n takes a number of customers, not '$N'"
[[ $SEED =~ ^-?[0-9]+$ ]] || cv_die "--seed takes an integer, not '$SEED'"

cv_install_deps
cd "$CV_ROOT"
cv_log "building"
cv_make >/dev/null
CV_SERVER_OPTS="wal_level = minimal
max_wal_senders = 0
jit = off
${CV_SERVER_OPTS:-}"
cv_throwaway_server
PSQL=("$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres)
psql_c() { "${PSQL[@]}" -At -c "$1"; }
. "$CV_ROOT/test/bench/timing.sh"

cv_log "N = $N: generating the demo and three months of the cycle"
t0=$(date +%s)
"${PSQL[@]}" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION custvalue;
SELECT count(*) FROM custvalue.create_data_model('ops');
SELECT * FROM custvalue.generate_demo($N, $SEED);
SELECT custvalue.demo_work_orders();
VACUUM ANALYZE;
SQL
"${PSQL[@]}" -c "SET client_min_messages = warning" \
    -c "CALL custvalue.run_months((custvalue.as_of_month() - interval '2 months')::date, custvalue.as_of_month())"
cv_log "N = $N: ready in $(( $(date +%s) - t0 )) s"

ledgers=$(seconds "SELECT * FROM custvalue.demo_fulfilment($SEED)")
psql_c "VACUUM ANALYZE" >/dev/null
uses=$(psql_c "SELECT count(*) FROM ops.entitlement_use")
points=$(psql_c "SELECT count(*) FROM ops.loyalty_points")
suspensions=$(psql_c "SELECT count(*) FROM ops.suspension")
rows=$((uses + points + suspensions))
copy=$(seconds "CREATE TEMP TABLE u AS SELECT * FROM ops.entitlement_use WITH NO DATA;
                CREATE TEMP TABLE p AS SELECT * FROM ops.loyalty_points WITH NO DATA;
                CREATE TEMP TABLE s AS SELECT * FROM ops.suspension WITH NO DATA;
                INSERT INTO u SELECT * FROM ops.entitlement_use;
                INSERT INTO p SELECT * FROM ops.loyalty_points;
                INSERT INTO s SELECT * FROM ops.suspension")

echo
echo "fulfilment at N = $N customers"
printf '  %-44s %10s s  (%s rows: %s uses, %s points, %s suspensions; %s rows/s)\n' \
    "ledgers: demo_fulfilment() through the checks" "$ledgers" "$rows" "$uses" "$points" "$suspensions" \
    "$(awk -v r="$rows" -v t="$ledgers" 'BEGIN { printf "%.0f", r / t }')"
printf '  %-44s %10s s\n' "copy floor: the same rows, no checks" "$copy"
echo "  reports (best of 3):"
for v in entitlement_fulfilment birthday_gift_fulfilment birthday_gift_status suspension_care_check \
         voucher_balance points_balance entitlement_balance; do
    printf '    %-42s %10s s\n' "$v" "$(best3 "SELECT count(*) FROM custvalue.$v")"
done
events=$(psql_c "SELECT count(*) FROM ops.service_event")
guarded=$(seconds "BEGIN; DELETE FROM ops.service_event; ROLLBACK")
unguarded=$(seconds "BEGIN; ALTER TABLE ops.service_event DISABLE TRIGGER record_retention_guard;
                     DELETE FROM ops.service_event; ROLLBACK")
printf '  %-44s %10s s  (%s rows)\n' "guard: DELETE of every service event" "$guarded" "$events" \
    "guard: the same, guard disabled" "$unguarded" "$events"
echo
echo "N=$N ledgers=${ledgers}s rows=$rows copy=${copy}s guard_delete=${guarded}s unguarded_delete=${unguarded}s"
