#!/usr/bin/env bash
# test/checks/readme_examples.sh — README.md's SQL runs as printed, so it
# cannot go stale silently.  "A first session" runs against demo data
# (create_data_model + generate_demo) and every query must answer with rows;
# the two ways in ("Your data: two ways in"): the first block in a fresh
# database must tier its customer, the second, over a small warehouse
# (dw.subscriber, dw.bill) of the shape it names, must tier every subscriber
# without a row copied into custvalue's tables.  Any other ```sql block of
# the README runs against the demo data too, except the pg_cron line, which
# test/checks/pg_cron.sh runs, and the Scale out block, which
# test/checks/citus.sh runs.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
cd "$(dirname "$0")/../.."
work=$CV_TMP/readme_examples
mkdir -p "$work"
psql() { "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# The n-th ```sql block of a section (default: Your data: two ways in).
block() {
    awk -v want="$1" -v section="${2:-Your data: two ways in}" '
        $0 == "## " section { in_section = 1; next }
        in_section && /^## / { exit }
        in_section && /^```sql/ { n++; if (n == want) { copying = 1; next } }
        copying && /^```/ { exit }
        copying { print }' README.md
}
block 1 > "$work/reference.sql"
block 2 > "$work/warehouse.sql"
[ -s "$work/reference.sql" ] && [ -s "$work/warehouse.sql" ] || { echo "README examples not found"; exit 1; }

status=0
# A first session, and every block outside the two sections above.
block 1 "A first session" > "$work/first.sql"
[ -s "$work/first.sql" ] || { echo "README has no \"A first session\" block"; exit 1; }
# (A block that schedules with pg_cron is run by test/checks/pg_cron.sh, on
# a server with pg_cron loaded; the "Scale out" block by test/checks/citus.sh,
# on a Citus coordinator.)
awk '/^## / { section = substr($0, 4) }
     /^```sql/ { if (section != "Your data: two ways in" && section != "A first session" && section != "Scale out") { copying = 1; text = "" }; next }
     copying && /^```/ { copying = 0; if (text !~ /cron\.schedule/) print text; next }
     copying { text = text $0 "\n" }' README.md > "$work/other.sql"
psql -d postgres -c "DROP DATABASE IF EXISTS cv_readme_demo" 2>/dev/null
psql -d postgres -c "CREATE DATABASE cv_readme_demo"
psql -d cv_readme_demo >/dev/null <<'SQL'
CREATE EXTENSION custvalue;
SELECT count(*) FROM custvalue.create_data_model('custvalue_data');
SELECT count(*) FROM custvalue.generate_demo(3000, 42);
SQL
if psql -d cv_readme_demo -f "$work/first.sql" > "$work/first.out" 2>&1; then
    queries=$(grep -c ';' "$work/first.sql" || true)
    empty=$(grep -c '^(0 rows)$' "$work/first.out" || true)
    answered=$(grep -c '^([0-9]* rows\?)$' "$work/first.out" || true)
    echo "first session: $answered of $queries queries answered on 3 000 demo customers, $empty empty"
    [ "$answered" -ge 5 ] && [ "$empty" = 0 ] || { cat "$work/first.out"; status=1; }
else
    echo "first session fails:"; cat "$work/first.out"; status=1
fi
if [ -s "$work/other.sql" ]; then
    if psql -d cv_readme_demo -f "$work/other.sql" > "$work/other.out" 2>&1; then
        echo "other README examples: $(grep -c ';' "$work/other.sql") statements ran"
    else
        echo "a README example fails:"; cat "$work/other.out"; status=1
    fi
fi
psql -d postgres -c "DROP DATABASE cv_readme_demo"

for db in cv_readme_ref cv_readme_dw; do
    psql -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
    psql -d postgres -c "CREATE DATABASE $db"
done

out=$(psql -d cv_readme_ref -At -f "$work/reference.sql" | tail -1)
if [ "$out" = "1|c" ]; then      # no bills yet: tier c
    echo "reference tables example: customer_profile says $out"
else
    echo "reference tables example: unexpected last line '$out'"; status=1
fi

psql -d cv_readme_dw >/dev/null <<'SQL'
CREATE EXTENSION custvalue;
CREATE SCHEMA dw;
CREATE TABLE dw.subscriber (subscriber_id bigint PRIMARY KEY, msisdn text, id_no text, city text,
    brand text, gotone_card boolean, activated date, birth_date date, account_manager text,
    phone_manager text, status text, churned_on date, crm_segment text);
INSERT INTO dw.subscriber
SELECT g, '139' || lpad(g::text, 8, '0'), NULL, 'changsha', 'gotone', g % 2 = 0, '2015-03-01',
       NULL, NULL, NULL, 'active', NULL, 'x'
  FROM generate_series(1, 4) g;
CREATE TABLE dw.bill (sub bigint, period date, voice_fee numeric(12,2), sms_fee numeric(12,2),
    data_fee numeric(12,2), vas_fee numeric(12,2), voice_minutes integer, sms_count integer,
    data_mb integer, paid_late boolean, arrears numeric(12,2), cost_to_serve numeric(12,2), loaded_at timestamptz);
INSERT INTO dw.bill
SELECT s, m::date, 100 * s, 0, 0, 0, 0, 0, 0, false, 0, NULL, now()
  FROM generate_series(1, 4) s, generate_series('2025-11-01'::date, '2026-10-01', '1 month') m;
SQL
psql -d cv_readme_dw -At -f "$work/warehouse.sql" > "$work/warehouse.out"
tiers=$(grep -c '^[0-9]*|[a-z]*|[0-9.]*$' "$work/warehouse.out" || true)
if [ "$tiers" = 4 ]; then
    echo "warehouse example: 4 subscribers tiered from dw.subscriber and dw.bill ($(grep '^[0-9]*|' "$work/warehouse.out" | cut -d'|' -f2 | tr '\n' ' '))"
else
    echo "warehouse example: expected 4 tiered subscribers"; cat "$work/warehouse.out"; status=1
fi
copied=$(psql -d cv_readme_dw -At -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'custvalue_data'")
[ "$copied" = 0 ] || { echo "the warehouse example created reference tables"; status=1; }

for db in cv_readme_ref cv_readme_dw; do psql -d postgres -c "DROP DATABASE $db"; done
exit $status
