#!/usr/bin/env bash
# test/demo.sh — the demo: install what is needed, build custvalue, install
# it into a private copy of PostgreSQL (test/lib.sh; nothing is written to
# /usr), start a throw-away server, load the demo data and print the
# dashboard, then stop and remove the server.
#
#   bash test/demo.sh                           # 100 000 demo customers
#   CV_DEMO_CUSTOMERS=1000000 bash test/demo.sh # a million
#   CV_KEEP=1 bash test/demo.sh                 # keep the temporary directory
#
# The dashboard is every test/dashboard/*.sql, in name order.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

n=${CV_DEMO_CUSTOMERS:-100000}
seed=${CV_DEMO_SEED:-42}
[[ $n =~ ^[0-9]+$ ]] || cv_die "CV_DEMO_CUSTOMERS must be a number of customers, not '$n'"
[[ $seed =~ ^-?[0-9]+$ ]] || cv_die "CV_DEMO_SEED must be an integer, not '$seed'"

cv_install_deps
cd "$CV_ROOT"
cv_log "building"
cv_make >/dev/null
# The load truncates and refills the tables in one transaction: with
# wal_level = minimal the server writes no WAL for them.
CV_SERVER_OPTS=$'wal_level = minimal\nmax_wal_senders = 0\n'"${CV_SERVER_OPTS:-}"
cv_throwaway_server

psql=("$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -P pager=off)
"${psql[@]}" -c "CREATE EXTENSION custvalue"
# The operator's data lives in ordinary tables outside the extension.
"${psql[@]}" -c "SELECT source, relation FROM custvalue.create_data_model('custvalue_data')" >/dev/null

cv_log "generating $n demo customers (seed $seed)"
start=$(date +%s.%N)
"${psql[@]}" -c "SELECT table_name AS \"table\", rows FROM custvalue.generate_demo($n, $seed)"
end=$(date +%s.%N)
cv_log "generated in $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s"

# Work orders for the demo's complaints, replayed through the state machine
# (before the cycle, which adds the retention calls).
"${psql[@]}" -At -c "SELECT custvalue.demo_work_orders()" >/dev/null

# The monthly cycle over the last three months of the data, in order.
cv_log "running the monthly cycle for three months"
start=$(date +%s.%N)
"${psql[@]}" -c "SET client_min_messages = warning" \
    -c "CALL custvalue.run_months((custvalue.as_of_month() - interval '2 months')::date, custvalue.as_of_month())"
end=$(date +%s.%N)
cv_log "three months in $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s"

# What the customers used of their entitlements this service period, through
# the ledgers' triggers (after the cycle: the reports go by the stored tiers).
cv_log "recording the demo's entitlement usage"
start=$(date +%s.%N)
"${psql[@]}" -c "SELECT ledger, added AS rows FROM custvalue.demo_fulfilment($seed)"
# The staff registry and the voice of the customer (the seed's counts).
"${psql[@]}" -c "SELECT registry, added AS rows FROM custvalue.demo_supervision($seed)"
end=$(date +%s.%N)
cv_log "usage in $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s"

for f in test/dashboard/*.sql; do
    [ -e "$f" ] || continue
    title=$(sed -n '1s/^-- *//p' "$f")
    printf '\n==== %s ====\n\n' "${title:-$(basename "$f")}"
    start=$(date +%s.%N)
    "${psql[@]}" -f "$f"
    end=$(date +%s.%N)
    cv_log "$(basename "$f"): $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s"
done
