#!/usr/bin/env bash
# test/checks/update_keeps_data.sh — ALTER EXTENSION custvalue UPDATE from
# 1.1 (where the reference tables were members of the extension) to the
# current version keeps the operator's data byte for byte: demo customers,
# bills, events, surveys, complaints, cancellations, work orders with their
# history and survey queue, a stored value snapshot and a fitted model, as
# well as the DBA's own additions to those tables (a row-level security
# policy, a grant, an index, a trigger of their own).  Compared before and
# after by table name, whatever the schema: every row (md5 of the ordered
# rows), every sequence position, index, constraint, trigger, policy and
# privilege, and the answers of the views a BI tool reads.  Then the moved
# tables must be ordinary tables (no member of the extension holds data),
# and DROP EXTENSION (next check) cannot take them.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
work=$CV_TMP/update_keeps_data
mkdir -p "$work"
psql() { "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
db=cv_update_data

psql -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
psql -d postgres -c "CREATE DATABASE $db"
psql -d "$db" >/dev/null <<'SQL'
CREATE EXTENSION custvalue VERSION '1.1';
SELECT * FROM custvalue.generate_demo(3000, 11);
SELECT custvalue.demo_work_orders();
SELECT custvalue.refresh_value_population();
SELECT custvalue.churn_train_watchlist_model();
-- The DBA's own additions to the 1.1 tables.
CREATE ROLE cv_update_east;
GRANT SELECT (customer_id, region) ON custvalue.customer TO cv_update_east;
ALTER TABLE custvalue.complaint ENABLE ROW LEVEL SECURITY;
CREATE POLICY east_only ON custvalue.complaint TO cv_update_east
    USING (customer_id IN (SELECT customer_id FROM custvalue.customer WHERE region = 'east'));
CREATE INDEX complaint_filed_at_idx ON custvalue.complaint (filed_at);
CREATE FUNCTION public.note_bundle() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER note_bundle BEFORE INSERT ON custvalue.bundle FOR EACH ROW EXECUTE FUNCTION public.note_bundle();
SQL

# Facts by table name: schema names are taken out of every definition.
snapshot() {
    psql -d "$db" -At <<'SQL'
-- Names print unqualified where they resolve: custvalue.customer before,
-- custvalue_data.customer after.
SET search_path = custvalue_data, custvalue, public;
CREATE TEMP VIEW data_table AS
SELECT c.oid, c.relname
  FROM pg_class c
 WHERE c.relkind = 'r'
   AND c.relname IN ('customer', 'monthly_bill', 'bundle', 'service_event', 'survey_response',
                     'complaint', 'value_population_snapshot', 'churn_model_store',
                     'service_cancellation', 'work_order', 'work_order_history', 'survey_request')
   AND c.relnamespace IN ('custvalue'::regnamespace,
                          coalesce(to_regnamespace('custvalue_data'), 'custvalue'::regnamespace));
-- Every row, over the columns it had at 1.1: 1.3 adds work_order_history.customer_id
-- (checked against the work orders below) and bundle.prestore, gift_value (empty).
SELECT format('SELECT %L || '': '' || count(*) || '' rows, md5 '' || md5(coalesce(string_agg((to_jsonb(t) - %L::text[])::text, E''\n'' ORDER BY (to_jsonb(t) - %L::text[])::text), '''')) FROM %s t',
              'rows ' || relname, added, added, oid::regclass)
  FROM (SELECT oid, relname, CASE relname WHEN 'work_order_history' THEN '{customer_id}'
                                          WHEN 'bundle' THEN '{prestore,gift_value}' ELSE '{}' END AS added
          FROM data_table) d
 ORDER BY relname
\gexec
SELECT * FROM (
    SELECT format('sequence %s: %s', s.relname, pg_sequence_last_value(s.oid))
      FROM data_table t JOIN pg_depend d ON d.refobjid = t.oid AND d.classid = 'pg_class'::regclass
      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    UNION ALL
    SELECT format('index %s', regexp_replace(pg_get_indexdef(i.indexrelid), ' ON custvalue(_data)?\.', ' ON '))
      FROM data_table t JOIN pg_index i ON i.indrelid = t.oid
    UNION ALL
    SELECT format('constraint %s.%s %s', t.relname, c.conname, pg_get_constraintdef(c.oid))
      FROM data_table t JOIN pg_constraint c ON c.conrelid = t.oid
     -- the added column's NOT NULL (a constraint of its own from PostgreSQL 18)
     WHERE NOT (t.relname = 'work_order_history' AND c.conname = 'work_order_history_customer_id_not_null')
       -- 1.3 lets an erased customer's phone be NULL (checked below)
       AND NOT (t.relname = 'customer' AND c.conname = 'customer_phone_not_null')
    UNION ALL
    SELECT format('trigger %s', regexp_replace(pg_get_triggerdef(g.oid), ' ON custvalue(_data)?\.', ' ON '))
      FROM data_table t JOIN pg_trigger g ON g.tgrelid = t.oid
     -- the retention guard 1.3 adds (checked below)
     WHERE NOT g.tgisinternal AND g.tgname NOT IN ('restore_merge', 'record_retention_guard')
    UNION ALL
    SELECT format('policy %s.%s %s %s', t.relname, p.polname, p.polroles::regrole[], p.polqual IS NOT NULL)
      FROM data_table t JOIN pg_policy p ON p.polrelid = t.oid
    UNION ALL
    SELECT format('rls %s %s', t.relname, c.relrowsecurity)
      FROM data_table t JOIN pg_class c ON c.oid = t.oid
    UNION ALL
    SELECT format('acl %s %s', t.relname, c.relacl)
      FROM data_table t JOIN pg_class c ON c.oid = t.oid
    UNION ALL
    SELECT format('column acl %s.%s %s', t.relname, a.attname, a.attacl)
      FROM data_table t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attacl IS NOT NULL
) f(line) ORDER BY 1;
-- What the views answer.
SELECT 'profile ' || md5(string_agg(p::text, E'\n' ORDER BY p.customer_id)) FROM custvalue.customer_profile p;
SELECT 'scorecard ' || md5(string_agg(s::text, E'\n' ORDER BY s.customer_id)) FROM custvalue.customer_scorecard s;
SELECT 'watchlist ' || md5(string_agg(w::text, E'\n' ORDER BY w.customer_id)) FROM custvalue.churn_watchlist w;
SELECT 'sla ' || md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM custvalue.sla_compliance_by_tier_month x;
SQL
}

snapshot > "$work/before.txt"
rows=$(grep -c '^rows ' "$work/before.txt" || true)
[ "$rows" = 12 ] || { echo "before: $rows data tables seen, not 12"; cat "$work/before.txt"; exit 1; }
grep -q '^rows customer: 3000 rows' "$work/before.txt" || { echo "demo not loaded"; exit 1; }
grep -q '^rows work_order: 0 rows' "$work/before.txt" && { echo "no work orders"; exit 1; }

psql -d "$db" -c "ALTER EXTENSION custvalue UPDATE"
snapshot > "$work/after.all.txt"

status=0
# 1.3's bundle rules: the bundle table gains the trigger and the gift
# value's check (and its two columns, empty); nothing else changes.
# So does the complaint table the trigger that tells the customer's manager.
bundle_rules='^(constraint bundle\.bundle_gift_value_check |trigger CREATE TRIGGER bundle_rule_check |trigger CREATE TRIGGER complaint_notify_manager )'
if [ "$(grep -cE "$bundle_rules" "$work/after.all.txt")" != 3 ]; then
    echo "after the update the bundle table lacks the bundle rules' trigger or check, or complaint its notice:"
    grep -E '^(constraint|trigger).*(bundle|complaint)' "$work/after.all.txt"
    status=1
fi
grep -vE "$bundle_rules" "$work/after.all.txt" > "$work/after.txt"
# 1.3 records work-order receipts once per statement: the row trigger that
# wrote each receipt becomes a statement trigger with a transition table.
receipts_row='^trigger CREATE TRIGGER work_order_record_insert AFTER INSERT ON work_order FOR EACH ROW EXECUTE FUNCTION (custvalue\.)?work_order_record\(\)$'
receipts_statement='^trigger CREATE TRIGGER work_order_record_insert AFTER INSERT ON work_order REFERENCING NEW TABLE AS work_order_received FOR EACH STATEMENT EXECUTE FUNCTION (custvalue\.)?work_order_record_inserted\(\)$'
if ! grep -qE "$receipts_row" "$work/before.txt" || ! grep -qE "$receipts_statement" "$work/after.txt"; then
    echo "the update did not turn the work orders' receipt trigger into a statement trigger:"
    grep -E '^trigger .*work_order_record_insert' "$work/before.txt" "$work/after.txt"
    status=1
fi
grep -vE "$receipts_row" "$work/before.txt" > "$work/before.cmp" && mv "$work/before.cmp" "$work/before.txt"
grep -vE "$receipts_statement" "$work/after.txt" > "$work/after.cmp" && mv "$work/after.cmp" "$work/after.txt"
# A post-service survey need not be a work order's any more: the update lets
# survey_request.work_order_id be NULL (on PostgreSQL 18 a NOT NULL is a
# constraint of its own, which goes).
survey_nullable=$(psql -d "$db" -At -c "SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'custvalue_data.survey_request'::regclass AND attname = 'work_order_id'")
[ "$survey_nullable" = t ] || { echo "after the update survey_request.work_order_id is still NOT NULL"; status=1; }
grep -v '^constraint survey_request\.survey_request_work_order_id_not_null ' "$work/before.txt" > "$work/before.cmp"
mv "$work/before.cmp" "$work/before.txt"
filled_bundles=$(psql -d "$db" -At -c "SELECT count(*) FROM custvalue_data.bundle WHERE prestore IS NOT NULL OR gift_value IS NOT NULL")
[ "$filled_bundles" = 0 ] || { echo "the update filled $filled_bundles bundles' prestore or gift value"; status=1; }
# 1.3's work_order_history.customer_id, filled by the update: every history
# row carries its work order's customer.
wrong=$(psql -d "$db" -At -c "SELECT count(*) FROM custvalue_data.work_order_history h
                               LEFT JOIN custvalue_data.work_order w USING (work_order_id)
                              WHERE h.customer_id IS DISTINCT FROM w.customer_id")
filled=$(psql -d "$db" -At -c "SELECT count(*) FROM custvalue_data.work_order_history WHERE customer_id IS NOT NULL")
if [ "$wrong" != 0 ] || [ "$filled" = 0 ]; then
    echo "work_order_history.customer_id after the update: $wrong rows differ from their work order, $filled filled"
    status=1
fi
# 1.3's record keeping: every record table guarded, the phone of an erased
# customer nullable, the new tables (records and supervision) there.
guarded=$(psql -d "$db" -At -c "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_trigger g
                                 JOIN pg_class c ON c.oid = g.tgrelid
                                WHERE g.tgname = 'record_retention_guard'
                                  AND c.relnamespace = 'custvalue_data'::regnamespace")
want="call_task complaint complaint_handling entitlement_use loyalty_points pii_access service_cancellation service_event suggestion survey_request survey_response suspension work_order work_order_history"
if [ "$guarded" != "$want" ]; then
    echo "retention guard after the update on: $guarded; expected: $want"
    status=1
fi
phone=$(psql -d "$db" -At -c "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'custvalue_data.customer'::regclass AND attname = 'phone'")
records=$(psql -d "$db" -At -c "SELECT count(to_regclass('custvalue_data.' || t)) FROM unnest(ARRAY['legal_hold', 'erasure', 'pii_access', 'contact_consent', 'entitlement_use', 'suspension', 'loyalty_points', 'manager', 'suggestion', 'manager_evaluation', 'complaint_handling', 'manager_notification']) t")
if [ "$phone" != f ] || [ "$records" != 12 ]; then
    echo "after the update: customer.phone NOT NULL = $phone, $records of 12 record-keeping and supervision tables"
    status=1
fi
if diff -u "$work/before.txt" "$work/after.txt"; then
    echo "update 1.1 -> $(psql -d "$db" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'custvalue'"): $(grep -c . "$work/before.txt") facts identical ($(grep '^rows ' "$work/before.txt" | awk '{s += $3} END {print s}') rows in 12 tables)"
else
    echo "the update changed the data"
    status=1
fi

# Nothing that holds data is a member any more, and the tables are where
# the bindings say.
psql -d "$db" -At > "$work/members.txt" <<'SQL'
SELECT 'member table holding data: ' || c.oid::regclass
  FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
 WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND c.relkind = 'r' AND c.relnamespace <> 'custvalue'::regnamespace
UNION ALL
SELECT 'still a member: ' || c.oid::regclass
  FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
 WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND c.relnamespace = 'custvalue_data'::regnamespace
UNION ALL
SELECT 'not bound to custvalue_data: ' || source FROM custvalue.data_source
 WHERE relation NOT LIKE 'custvalue\_data.%'
UNION ALL
SELECT 'a member table of custvalue named like data: ' || c.relname
  FROM pg_class c WHERE c.relnamespace = 'custvalue'::regnamespace AND c.relkind = 'r'
   AND c.relname IN (SELECT source FROM custvalue.data_source);
SQL
if [ -s "$work/members.txt" ]; then cat "$work/members.txt"; status=1; else echo "no member of the extension holds data; every source bound to custvalue_data"; fi
psql -d postgres -c "DROP DATABASE $db"
psql -d postgres -c "DROP ROLE cv_update_east"
exit $status
