#!/usr/bin/env bash
# test/bench/citus.sh — custvalue on one node against custvalue on Citus (a
# coordinator and two workers on this machine), on the same data.
#
#   bash test/bench/bench.sh --citus                 # 1 000 000 customers
#   bash test/bench/bench.sh --citus -n 200000 --runs 3
#
# Options (bench.sh passes them on):
#   -n N           customers (default 1000000)
#   --seed S       demo generator seed (default 42)
#   --runs R       timed runs per query after one warm-up (default 3; best)
#   --shards K     shards per distributed table (default 8)
#
# Builds Citus from the vendored source (test/citus.sh), starts the three
# servers on Unix sockets and, on the coordinator, two databases with the
# same custvalue.generate_demo(N, S): "single" stays plain PostgreSQL (with
# 2 parallel workers per query, as a default server allows), "dist" is
# distributed by custvalue.distribute_data_model().  Then times, in both:
#   the nightly pass: every customer tiered (customer_profile), scored
#     (customer_scorecard) and warned (customer_churn_warning);
#   the aggregates over the whole population: cvf_scale, bill_value_summary
#     per customer, csat and nps over the surveys, one churn_fit_terms step;
#   the monthly cycle, custvalue.run_month() for one month;
# and prints a table: seconds and input rows per second on each, and the
# ratio.  Every server is stopped on exit.  All servers share this
# machine's cores, so the table shows what distribution costs and where the
# work goes, not what more machines would buy.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../citus.sh"

N=1000000
SEED=42
RUNS=3
SHARDS=8
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --shards) SHARDS=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) cv_die "unknown option $1 (see --help)" ;;
    esac
done

why=$(cv_citus_unavailable)
[ -z "$why" ] || cv_die "cannot benchmark on Citus: $why"
cv_install_deps
cd "$CV_ROOT"
cv_log "building"
cv_make >/dev/null
CV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/custvalue-citus-bench.XXXXXX")
chmod 755 "$CV_TMP"
bindir=$(cv_private_install "$CV_TMP/install") || cv_die "install into $CV_TMP failed"
cv_citus_install "$bindir"
work=$CV_TMP/citus
trap 'cv_citus_stop "$work" "$bindir"; rm -rf "$CV_TMP"' EXIT
CV_CITUS_SERVER_OPTS="shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
wal_level = minimal
max_wal_senders = 0
max_parallel_workers_per_gather = 2" cv_citus_cluster "$work" "$bindir" dist

on() { local db=$1; shift; "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$CV_CITUS_SOCK" -p 5440 -U postgres -d "$db" "$@"; }
# seconds DB SQL: wall time of SQL in a fresh connection (nothing if it failed).
seconds() {
    local out
    out=$(on "$1" -o /dev/null -c "SET search_path = custvalue, public" -c '\timing on' -c "$2" 2>&1) \
        || { echo "$out" >&2; return 0; }
    echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1 | awk '{ printf "%.3f", $1 / 1000 }'
}
best() {
    local db=$1 sql=$2 b="" t
    on "$db" -o /dev/null -c "SET search_path = custvalue, public" -c "$sql" >/dev/null
    for _ in $(seq "$RUNS"); do
        t=$(seconds "$db" "$sql")
        [ -n "$t" ] || cv_die "query failed in $db: $sql"
        b=$(awk -v a="$b" -v t="$t" 'BEGIN { print (a == "" || t < a) ? t : a }')
    done
    echo "$b"
}

on postgres -c "CREATE DATABASE single" >/dev/null
load="SET client_min_messages = warning;
CREATE EXTENSION custvalue;
SELECT count(*) FROM custvalue.create_data_model('ops');
SELECT count(*) FROM custvalue.generate_demo($N, $SEED);"
for db in single dist; do
    cv_log "$db: generating $N customers"
    t0=$(date +%s)
    on "$db" -c "$load" >/dev/null
    on "$db" -c "VACUUM ANALYZE" >/dev/null
    echo "$db: demo generated in $(( $(date +%s) - t0 )) s"
done
cv_log "dist: distributing ($SHARDS shards per table)"
t0=$(date +%s)
on dist -c "SET client_min_messages = warning" -c "SELECT count(*) FROM custvalue.distribute_data_model('ops', $SHARDS)" >/dev/null
on dist -c "VACUUM ANALYZE" >/dev/null
echo "dist: distributed in $(( $(date +%s) - t0 )) s"

rows() { on single -At -c "SELECT count(*) FROM $1"; }
customers=$(rows ops.customer)
bills=$(rows ops.monthly_bill)
surveys=$(rows ops.survey_response)

# label|input rows|query
queries=(
"tiering: customer_profile|$customers|SELECT tier, count(*) FROM customer_profile GROUP BY tier"
"scoring: customer_scorecard|$customers|SELECT value_class, count(*), sum(cvf) FROM customer_scorecard GROUP BY value_class"
"warning: customer_churn_warning|$customers|SELECT level, count(*) FROM customer_churn_warning GROUP BY level"
"cvf_scale over the population|$customers|SELECT cvf_scale(revenue, tenure_months, credit_risk, tariff_share, bundles) IS NOT NULL FROM customer_value_inputs"
"bill_value_summary per customer|$bills|SELECT count(*) FILTER (WHERE s.b IS NOT NULL) FROM (SELECT customer_id, bill_value_summary(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve, '2009-01-01') AS b FROM monthly_bill GROUP BY customer_id) s"
"csat and nps over the surveys|$surveys|SELECT csat(satisfied), nps(nps) FROM survey_response"
"churn_fit_terms, one Newton step|$customers|SELECT churn_fit_terms(c.churned_on IS NOT NULL, i.features, array_fill(0::float8, ARRAY[24]) || array_fill(1::float8, ARRAY[12])) IS NOT NULL FROM customer_churn_inputs i JOIN customer c USING (customer_id)"
)
results=()
for q in "${queries[@]}"; do
    IFS='|' read -r label n sql <<<"$q"
    cv_log "$label"
    s1=$(best single "$sql")
    s2=$(best dist "$sql")
    results+=("$label|$n|$s1|$s2")
done
cv_log "run_month (once each: it replaces the month)"
month="CALL custvalue.run_month('2009-06-01', false)"
export PGOPTIONS="-c client_min_messages=warning"
on single -c "$month" >/dev/null; on dist -c "$month" >/dev/null
m1=$(seconds single "$month"); m2=$(seconds dist "$month")
[ -n "$m1" ] && [ -n "$m2" ] || cv_die "run_month failed"
results+=("monthly cycle: run_month|$customers|$m1|$m2")

echo
echo "custvalue on one node vs Citus (coordinator + 2 workers, $SHARDS shards per table), all on this machine ($(nproc) cores)"
echo "N = $customers customers, $bills bills, $surveys surveys; best of $RUNS runs (run_month: one run)"
printf '%-36s %10s %9s %12s %9s %12s %8s\n' "" "rows" "1 node s" "rows/s" "Citus s" "rows/s" "Citus/1"
for r in "${results[@]}"; do
    IFS='|' read -r label n s1 s2 <<<"$r"
    awk -v l="$label" -v n="$n" -v a="$s1" -v b="$s2" 'BEGIN {
        printf "%-36s %10d %9.3f %12.0f %9.3f %12.0f %7.2fx\n", l, n, a, n / a, b, n / b, b / a }'
done
