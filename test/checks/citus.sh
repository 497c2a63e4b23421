#!/usr/bin/env bash
# test/checks/citus.sh — custvalue on Citus: a coordinator and two workers
# give the answers of one server, the work really runs on the workers, and
# a policy edit on the coordinator reaches the workers by the next statement.
#
# Builds Citus from the vendored source into the private PostgreSQL
# (test/citus.sh; cached per major), starts three servers on Unix sockets
# and, on the coordinator, two databases with the same demo data:
#   single  plain PostgreSQL (Citus is preloaded but not created there);
#   dist    Citus: custvalue.distribute_data_model() distributes the data
#           model by customer_id and makes the policy tables reference tables.
# Then:
#   1. every aggregate and BI view (test/citus/answers.sql) in both, compared
#      to a relative 1e-9 (test/citus/compare.awk);
#   2. EXPLAIN (VERBOSE): per-row functions and partial aggregates in the
#      workers' task queries, only the combine and final on the coordinator,
#      for cvf_scale, csat, nps, csi, servqual, ipa and churn_fit_terms;
#   3. policy edits (tier thresholds, a churn signal, CVF weights) in both
#      databases: the tiers, warnings and scores the workers compute follow,
#      and, with the population snapshot and a fitted watchlist model stored
#      by the extension's functions, still equal one server's;
#   4. work orders written on the distributed tables: the triggers keep the
#      history, service events and survey queue on the customer's shard;
#   5. custvalue.run_month() for two months: the stored months, call tasks
#      and the views over them (test/citus/cycle.sql) equal one server's.
# Every server is stopped on exit, success or failure.  Exit 77 (skipped,
# with the reason) only where Citus cannot be built: its source is not
# vendored here, or this PostgreSQL major is one Citus does not support.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../citus.sh"
cd "$(dirname "$0")/../.."
work=$CV_TMP/citus
mkdir -p "$work"

why=$(cv_citus_unavailable)
if [ -n "$why" ]; then
    echo "skipped: $why"
    exit 77
fi
cv_citus_install "$CV_BIN"
trap 'cv_citus_stop "$work" "$CV_BIN"' EXIT
cv_citus_cluster "$work" "$CV_BIN" dist
on() { local db=$1; shift; "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$CV_CITUS_SOCK" -p 5440 -U postgres -d "$db" "$@"; }
fail=0
failed() { echo "FAILED: $*"; fail=1; }

on postgres -c "CREATE DATABASE single"
load='SET client_min_messages = warning;
CREATE EXTENSION custvalue;
SELECT count(*) FROM custvalue.create_data_model('"'ops'"');
SELECT count(*) FROM custvalue.generate_demo(3000, 7);
SELECT custvalue.demo_work_orders();
-- ratings for the multi-attribute indices (CSI, SERVQUAL, IPA), one row per customer
CREATE TABLE ops.rating AS
SELECT c.customer_id,
       ARRAY[1 + c.customer_id % 10, 1 + c.customer_id * 7 % 10, 1 + c.customer_id * 3 % 10]::float8[] AS r,
       ARRAY[0.5, 0.3, 0.2]::float8[] AS w,
       -- SERVQUAL: the five RATER dimensions, perception and expectation on 1..7
       ARRAY[1 + c.customer_id % 7, 1 + c.customer_id * 5 % 7, 1 + c.customer_id * 2 % 7,
             1 + c.customer_id * 3 % 7, 1 + c.customer_id * 6 % 7]::float8[] AS p,
       ARRAY[1 + c.customer_id * 2 % 7, 1 + c.customer_id * 3 % 7, 1 + c.customer_id * 4 % 7,
             1 + c.customer_id % 7, 1 + c.customer_id * 5 % 7]::float8[] AS e,
       -- IPA: importance and performance of three attributes on 1..5
       ARRAY[1 + c.customer_id * 4 % 5, 1 + c.customer_id % 5, 1 + c.customer_id * 2 % 5]::float8[] AS i,
       ARRAY[1 + c.customer_id * 3 % 5, 1 + c.customer_id * 2 % 5, 1 + c.customer_id % 5]::float8[] AS perf
  FROM ops.customer c;
ALTER TABLE ops.rating ADD PRIMARY KEY (customer_id);'
on single -At -c "$load" >/dev/null
on dist -At -c "$load" >/dev/null
# The DBA's one call, as README › Scale out prints it (it takes the ratings
# table too: it has a customer_id).
awk '$0 == "## Scale out" { s = 1; next } s && /^## / { exit }
     s && /^```sql/ { c = 1; next } c && /^```/ { exit } c { print }' README.md >"$work/readme.sql"
grep -q 'distribute_data_model' "$work/readme.sql" || failed "README › Scale out has no distribute_data_model() block"
PGOPTIONS="-c client_min_messages=warning" on dist -At -f "$work/readme.sql" >/dev/null
on dist -At -c "SELECT p.logicalrelid::regclass || ' ' || CASE p.partmethod WHEN 'h' THEN 'distributed by ' || column_to_column_name(p.logicalrelid, p.partkey) ELSE 'reference' END
                  FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
                 WHERE c.relnamespace IN ('ops'::regnamespace, 'custvalue'::regnamespace) AND NOT c.relispartition" >"$work/distributed.txt"
grep -q '^ops.monthly_bill distributed by customer_id$' "$work/distributed.txt" \
    && grep -q '^custvalue.tier_policy reference$' "$work/distributed.txt" \
    || { cat "$work/distributed.txt"; failed "distribute_data_model did not distribute the bills and reference the policies"; }
echo "distributed: $(grep -c 'distributed by' "$work/distributed.txt") tables by customer_id, $(grep -c ' reference$' "$work/distributed.txt") reference tables"
shards=$(on dist -At -c "SELECT count(DISTINCT nodeport) FROM pg_dist_shard_placement p JOIN pg_dist_shard s USING (shardid) WHERE s.logicalrelid = 'ops.monthly_bill'::regclass")
[ "$shards" = 2 ] || failed "the bills are on $shards nodes, not the 2 workers"

# 1. Same answers.
compare() {
    local what=$1
    on single -f test/citus/answers.sql >"$work/single-$what.txt" 2>&1 || true
    on dist -f test/citus/answers.sql >"$work/dist-$what.txt" 2>&1 || true
    if grep -q 'ERROR' "$work/single-$what.txt"; then
        grep -B1 'ERROR' "$work/single-$what.txt" | head -10; failed "answers.sql fails on one server ($what)"
    fi
    if awk -v TOL=1e-9 -f test/citus/compare.awk "$work/single-$what.txt" "$work/dist-$what.txt" >"$work/diff-$what.txt"; then
        echo "same answers ($what): $(wc -l < "$work/single-$what.txt") lines, $(cut -d: -f1 "$work/single-$what.txt" | sort -u | wc -l) aggregates and views"
    else
        head -40 "$work/diff-$what.txt"
        failed "Citus answers differ from one server's ($what)"
    fi
}
compare demo

# 2. Really distributed.  Citus runs an aggregate in two steps when it can
# ship the transition state: worker_partial_agg() in each shard's query,
# coord_combine_agg() on the coordinator.
explain() {
    on dist -At -c "SET search_path = custvalue, public" -c "EXPLAIN (VERBOSE, COSTS OFF) $1"
}
split_on_workers() {
    local name=$1 query=$2 plan
    plan=$(explain "$query")
    if grep -q "Query: SELECT.*worker_partial_agg(.*$name" <<<"$plan" \
       && grep -q "coord_combine_agg(" <<<"$plan" \
       && ! grep -q "Task Count: 1$" <<<"$plan"; then
        echo "$name: partial aggregates on the workers' shards, combine and final on the coordinator"
    else
        echo "$plan" | cut -c1-300 | head -25
        failed "$name is not split between workers and coordinator"
    fi
}
split_on_workers cvf_scale "SELECT cvf_scale(revenue, tenure_months, credit_risk, tariff_share, bundles) FROM customer_value_inputs"
split_on_workers csat "SELECT csat(satisfied) FROM survey_response"
split_on_workers nps "SELECT nps(nps) FROM survey_response"
split_on_workers csi "SELECT csi(r, w) FROM ops.rating"
split_on_workers servqual "SELECT servqual(p, e) FROM ops.rating"
split_on_workers ipa "SELECT ipa(i, perf) FROM ops.rating"
split_on_workers churn_fit_terms "SELECT churn_fit_terms(c.churned_on IS NOT NULL, i.features, array_fill(0::float8, ARRAY[36])) FROM customer_churn_inputs i JOIN customer c USING (customer_id)"
# the per-row functions run in the shards' queries
plan=$(explain "SELECT tier, count(*), sum(cvf) FROM customer_scorecard GROUP BY tier")
for f in tier_of cvf_score bill_value_summary; do
    grep -q "Query: SELECT.*custvalue\.$f(" <<<"$plan" && echo "$f: runs in the workers' task queries" \
        || failed "$f does not run on the workers"
done
plan=$(explain "SELECT level, count(*) FROM customer_churn_warning GROUP BY level")
grep -q "Query: SELECT.*custvalue\.churn_warning(" <<<"$plan" && echo "churn_warning: runs in the workers' task queries" \
    || failed "churn_warning does not run on the workers"

# 3. Policies are the same everywhere: edit on the coordinator, read on the
# workers by the next statement, in both databases.
tiers_q="SELECT tier::text || ' ' || count(*) FROM custvalue.customer_profile GROUP BY tier ORDER BY 1"
before=$(on dist -At -c "$tiers_q")
edit="SET search_path = custvalue;
UPDATE custvalue.tier_policy SET min_amount = 3000 WHERE tier = 'gold';
UPDATE custvalue.churn_signal SET threshold = 0.1 WHERE signal = 'arpu_drop';
UPDATE custvalue.cvf_policy SET weight = CASE dimension WHEN 'revenue' THEN 0.55 WHEN 'tenure' THEN 0.05 ELSE weight END;"
on single -c "$edit" >/dev/null
on dist -c "$edit" >/dev/null
after=$(on dist -At -c "$tiers_q")
single_after=$(on single -At -c "$tiers_q")
if [ "$before" != "$after" ] && [ "$after" = "$single_after" ]; then
    echo "tier policy edited on the coordinator: the workers' tiers follow ($(echo "$after" | tr '\n' ',' | sed 's/,$//'))"
else
    printf 'before: %s\nafter: %s\none server after: %s\n' "$before" "$after" "$single_after"
    failed "the tier policy edit did not reach the workers' tiers"
fi
# a worker's own placement of the policy holds the edit
worker_gold=$(PGOPTIONS="-c search_path=custvalue" "$CV_BIN/psql" -X -At -h "$CV_CITUS_SOCK" -p 5441 -U postgres -d dist \
    -c "SELECT min_amount FROM custvalue.tier_policy WHERE tier = 'gold'")
[ "$worker_gold" = 3000.00 ] && echo "worker 1 reads the edited tier policy: gold from $worker_gold" \
    || failed "worker 1 reads gold from $worker_gold, not 3000.00"
# the stored population summary and a watchlist model fitted on the
# history, written by the extension's own functions on both
stored="SELECT (custvalue.refresh_value_population()).customers;
SELECT custvalue.churn_train_watchlist_model() IS NOT NULL;"
s1=$(on single -At -c "$stored" | tr '\n' ' ')
s2=$(on dist -At -c "$stored" | tr '\n' ' ') || failed "refresh_value_population or churn_train_watchlist_model fails on Citus"
[ -n "$s2" ] && [ "$s1" = "$s2" ] && echo "population snapshot and watchlist model stored on Citus: $s2" \
    || failed "storing the population and the model: $s2 on Citus, $s1 on one server"
compare "after policy edits, with the stored population and model"

# 4. Work orders on the distributed tables: the triggers run on the workers'
# shards and write the history, the service event and the survey request
# on the customer's shard.  (Citus refuses writes through views, so the
# application writes to the data model's tables, ops.work_order here.)
dml="INSERT INTO ops.work_order (customer_id, tier, service_item, channel, kind, summary, received_at)
     SELECT customer_id, tier, 'hotline_priority', '10086', 'request', 'citus check', '2009-06-10 09:00+00'
       FROM custvalue.customer_profile WHERE customer_id IN (11, 12, 13);
     UPDATE ops.work_order SET state = 'assigned', assignee = 'M001', effective_at = '2009-06-10 10:00+00'
      WHERE summary = 'citus check';
     UPDATE ops.work_order SET state = 'in_progress', effective_at = '2009-06-10 11:00+00'
      WHERE summary = 'citus check';
     UPDATE ops.work_order SET state = 'resolved', effective_at = '2009-06-10 12:00+00'
      WHERE summary = 'citus check';"
on single -c "$dml" >/dev/null
on dist -c "$dml" >/dev/null || failed "work orders cannot be written on Citus"
wo_q="SELECT (SELECT count(*) FROM custvalue.work_order_history h JOIN custvalue.work_order w USING (customer_id, work_order_id) WHERE w.summary = 'citus check')
     || ' ' || (SELECT count(*) FROM custvalue.survey_request r JOIN custvalue.work_order w USING (customer_id, work_order_id) WHERE w.summary = 'citus check')
     || ' ' || (SELECT count(*) FROM custvalue.service_event e WHERE e.occurred_at = '2009-06-10 12:00+00' AND e.customer_id IN (11, 12, 13))"
# the survey sender and the answer channel: by request id alone, one call
# each.  (On Citus a function that queries must not be called per row of a
# query over distributed tables: Citus would push the call into the shards'
# queries, and a query inside it would be a nested distributed query.)
surveys="DO \$\$
DECLARE r record;
BEGIN
    FOR r IN SELECT q.request_id, q.customer_id
               FROM custvalue.survey_request q JOIN custvalue.work_order w USING (customer_id, work_order_id)
              WHERE w.summary = 'citus check' ORDER BY q.request_id LOOP
        PERFORM custvalue.survey_sent(r.request_id, '2009-06-10 13:00+00');
        PERFORM custvalue.survey_answer(r.request_id, r.customer_id % 2 = 1, 5::smallint, 9::smallint, '2009-06-11 09:00+00');
    END LOOP;
END;
\$\$;"
on single -c "$surveys" >/dev/null
on dist -c "$surveys" >/dev/null || failed "survey_sent or survey_answer fails on Citus"
wo_q="$wo_q || ' ' || (SELECT count(*) FROM custvalue.survey_request r JOIN custvalue.survey_response s ON s.response_id = r.response_id AND s.customer_id = r.customer_id
                       JOIN custvalue.work_order w ON w.customer_id = r.customer_id AND w.work_order_id = r.work_order_id
                      WHERE w.summary = 'citus check' AND r.state = 'answered')"
w1=$(on single -At -c "$wo_q")
w2=$(on dist -At -c "$wo_q")
[ "$w1" = "12 3 3 3" ] && [ "$w2" = "12 3 3 3" ] \
    && echo "work orders on Citus: 3 received, assigned, in progress, resolved: 12 history rows, 3 service events, 3 surveys queued, sent and answered on their customers' shards" \
    || failed "work orders: history, surveys, events, answers $w2 on Citus, $w1 on one server, 12 3 3 3 expected"

# 5. The monthly cycle on the distributed model: two months, with call
# tasks, then every stored month and view over them compared.
cycle="SET client_min_messages = warning;
CALL custvalue.run_month('2009-05-01');
CALL custvalue.run_month('2009-06-01');"
on single -c "$cycle" >/dev/null
on dist -c "$cycle" >/dev/null || failed "run_month fails on Citus"
on single -f test/citus/cycle.sql >"$work/single-cycle.txt" 2>&1 || true
on dist -f test/citus/cycle.sql >"$work/dist-cycle.txt" 2>&1 || true
if grep -q ERROR "$work/single-cycle.txt" "$work/dist-cycle.txt"; then
    grep -h -B1 ERROR "$work/single-cycle.txt" "$work/dist-cycle.txt" | head -10; failed "cycle.sql fails"
elif awk -v TOL=1e-9 -f test/citus/compare.awk "$work/single-cycle.txt" "$work/dist-cycle.txt" >"$work/diff-cycle.txt"; then
    echo "same monthly cycle: $(wc -l < "$work/single-cycle.txt") lines of stored months, call tasks and views ($(grep -c '^call_task: ' "$work/single-cycle.txt") call tasks)"
else
    head -20 "$work/diff-cycle.txt"
    failed "the monthly cycle on Citus differs from one server's"
fi
parts=$(on dist -At -c "SELECT count(*) FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid WHERE c.relname LIKE 'customer_month_2009%' AND pg_relation_size(c.oid) = 0")
[ "$parts" = 2 ] && echo "the stored months are distributed partitions, nothing left on the coordinator" \
    || failed "$parts of the 2 stored months are distributed with no local copy"

[ "$fail" = 0 ] || exit 1
echo "custvalue on Citus (coordinator + 2 workers): same answers as one server"
