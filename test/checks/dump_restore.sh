#!/usr/bin/env bash
# test/checks/dump_restore.sh — a database that uses custvalue survives a
# plain pg_dump and restore unchanged: the tier type in a user table, edited
# policies (tier_policy, setting, a new service item), the reference tables
# of create_data_model() in a schema of the DBA's choosing (ordinary tables:
# identity columns, stored models, work orders, no restore triggers), a
# source bound to a warehouse table of another shape, in both the custom
# format (pg_restore) and the plain format (psql).  Run by test/run-tests.sh against its throw-away server (PGHOST etc.
# set, CV_BIN = private bin dir).  Exit 0 = restored identically.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
work=$CV_TMP/dump_restore
mkdir -p "$work"
chmod 777 "$work"
psql() { "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

for db in cv_dump_src cv_dump_custom cv_dump_plain; do
    psql -d postgres -c "DROP DATABASE IF EXISTS $db"
done
psql -d postgres -c "CREATE DATABASE cv_dump_src"

psql -d cv_dump_src <<'SQL'
CREATE EXTENSION custvalue;
SET search_path = public, custvalue;
SELECT count(*) AS sources_bound FROM custvalue.create_data_model('ops');
-- A warehouse table of its own shape bound to one source.
CREATE SCHEMA dw;
CREATE TABLE dw.unsubscribe (cust bigint NOT NULL, at timestamptz NOT NULL, product varchar(40), channel text);
INSERT INTO dw.unsubscribe VALUES (1, '2026-10-05 08:00+00', 'ringtone', 'app');
SELECT custvalue.bind_source('service_cancellation', 'dw.unsubscribe',
       '{"customer_id": "cust", "cancelled_at": "at", "service": "product", "cancellation_id": null}') IS NOT NULL AS bound;
-- A DBA's policy edits: two thresholds moved in one transaction through an
-- invalid middle state (a below b's old value), a setting, a new item.
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
UPDATE custvalue.tier_policy SET min_amount = 100 WHERE tier = 'a';
UPDATE custvalue.tier_policy SET min_amount = 80 WHERE tier = 'b';
COMMIT;
UPDATE custvalue.tier_policy SET min_amount = 7000 WHERE tier = 'diamond';
UPDATE custvalue.setting SET value = 6 WHERE name = 'arpu_window_months';
INSERT INTO custvalue.service_item VALUES
    ('airport_lounge', NULL, 'Airport VIP lounge', '机场贵宾厅', 'other', true);
-- Reference data, with identity columns and personal numbers.
INSERT INTO ops.customer (customer_id, phone, id_card, bank_card, region, brand, vip_card, joined_on)
VALUES (1, '10012345678', '00000019900101000X', '0000001234567890', 'east', 'gotone', true, '2015-03-01'),
       (2, '10087654321', NULL, NULL, 'west', 'mzone', false, '2020-07-01');
INSERT INTO custvalue.monthly_bill (customer_id, month, voice_fee, data_fee)
SELECT 1, m::date, 300, 250.5 FROM generate_series('2026-01-01'::date, '2026-10-01', '1 month') m;
INSERT INTO custvalue.bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor)
VALUES (1, 'gift', 'high', '2026-01-01', '2027-01-01', 50), (2, 'prepaid', NULL, '2026-02-01', '2026-12-01', 50);
DELETE FROM custvalue.bundle WHERE customer_id = 2;   -- the sequence must not go back
-- Stored models: a churn model fitted here and the CVF population snapshot.
INSERT INTO custvalue.churn_model_store (name, model, feature_names, trained_at, note)
SELECT 'dba_model', custvalue.churn_fit(y, ARRAY[x, x * x]), ARRAY['x', 'x2'], '2026-11-01', 'fitted in dump_restore'
  FROM (SELECT g % 7 < 3 AS y, g / 100.0 AS x FROM generate_series(1, 200) g) d;
SELECT custvalue.refresh_value_population() IS NOT NULL AS snapshot_stored;
-- A work order through its life (history, survey queue, service event):
-- restored as dumped, not re-validated or re-recorded by its triggers.
INSERT INTO custvalue.work_order (customer_id, service_item, channel, kind, severity, received_at, summary)
VALUES (2, 'complaint', '10086', 'complaint', 'major', '2026-10-02 09:00+00', 'dump me');
UPDATE custvalue.work_order SET state = 'escalated', effective_at = '2026-10-02 09:10+00',
       channel = custvalue.route_work_order(channel, 'beyond_capability', tier) WHERE summary = 'dump me';
UPDATE custvalue.work_order SET state = 'in_progress', effective_at = '2026-10-02 10:00+00' WHERE summary = 'dump me';
UPDATE custvalue.work_order SET state = 'resolved', effective_at = '2026-10-03 10:00+00' WHERE summary = 'dump me';
UPDATE custvalue.work_order SET state = 'closed', effective_at = '2026-10-04 10:00+00' WHERE summary = 'dump me';
UPDATE custvalue.work_order_sla SET respond_within = '12 hours' WHERE kind = 'request';
-- A user table of the tier type, with an index on it.
CREATE TABLE public.tier_history (customer_id bigint, month date, tier custvalue.tier);
INSERT INTO public.tier_history VALUES (1, '2026-09-01', 'gold'), (1, '2026-10-01', '钻卡'), (2, '2026-10-01', 'b');
CREATE INDEX ON public.tier_history (tier);
SQL

# What must come back: every table's rows, the next identity values, the
# policy in effect, privileges and the customer profile.
snapshot() {
    local db=$1
    psql -d "$db" -At <<'SQL'
SELECT format('SELECT %L AS rel, count(*) AS n, md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM %s t',
              c.oid::regclass, c.oid::regclass)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('custvalue', 'public', 'ops', 'dw') AND c.relkind IN ('r', 'p')
 ORDER BY 1
\gexec
SET search_path = public, custvalue;
SELECT c.oid::regclass::text AS rel, pg_sequence_last_value(c.oid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('custvalue', 'ops') AND c.relkind = 'S' ORDER BY 1;
SELECT c.oid::regclass::text AS rel, relacl FROM pg_class c
 WHERE relnamespace IN ('custvalue'::regnamespace, 'ops'::regnamespace) AND relacl IS NOT NULL ORDER BY 1;
SELECT attrelid::regclass::text AS rel, attname, attacl FROM pg_attribute
 WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace IN ('custvalue'::regnamespace, 'ops'::regnamespace))
   AND attacl IS NOT NULL ORDER BY 1, 2;
-- Bindings and the reference tables' own triggers (no restore tricks).
SELECT source, relation, pg_get_viewdef(relation) IS NOT NULL, md5(query) FROM custvalue.data_source_binding ORDER BY 1;
SELECT tgrelid::regclass::text AS rel, tgname FROM pg_trigger
 WHERE tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'ops'::regnamespace) AND NOT tgisinternal
 ORDER BY 1, 2;
SELECT customer_id, cancelled_at, service FROM custvalue.service_cancellation ORDER BY 1, 2;
SELECT customer_id, tier, annual_spend, monthly_arpu FROM custvalue.customer_profile ORDER BY 1;
SELECT tier, count(*) FROM public.tier_history WHERE tier >= 'gold' GROUP BY tier ORDER BY tier;
SELECT custvalue.tier_of(0, 90, false) AS tier_at_90_arpu;
SQL
}
snapshot cv_dump_src > "$work/src.txt"
grep -q 'custvalue.tier_policy' "$work/src.txt" || { echo "snapshot is empty"; cat "$work/src.txt"; exit 1; }

"$CV_BIN/pg_dump" -Fc -f "$work/db.dump" cv_dump_src
"$CV_BIN/pg_dump" -Fp -f "$work/db.sql" cv_dump_src

psql -d postgres -c "CREATE DATABASE cv_dump_custom"
"$CV_BIN/pg_restore" --exit-on-error -d cv_dump_custom "$work/db.dump"
psql -d postgres -c "CREATE DATABASE cv_dump_plain"
psql -d cv_dump_plain -f "$work/db.sql" >/dev/null

status=0
for db in cv_dump_custom cv_dump_plain; do
    snapshot "$db" > "$work/$db.txt"
    if diff -u "$work/src.txt" "$work/$db.txt"; then
        echo "$db: restored identically ($(wc -l < "$work/src.txt") lines compared)"
    else
        echo "$db: differs from the source database"
        status=1
    fi
done

# The restored database keeps working: new rows get fresh identities, and
# an INSERT of an existing policy key is an error again outside a restore.
psql -d cv_dump_custom -At <<'SQL' > "$work/after.txt"
INSERT INTO custvalue.bundle (customer_id, kind, started_on, ends_on, monthly_floor)
VALUES (1, 'prepaid', '2026-03-01', '2027-01-01', 50) RETURNING bundle_id;
DO $$
BEGIN
    INSERT INTO custvalue.tier_policy (tier, min_amount) VALUES ('b', 90);
    RAISE EXCEPTION 'insert of an existing key was merged outside a restore';
EXCEPTION WHEN unique_violation THEN
    RAISE NOTICE 'duplicate key rejected as usual';
END $$;
DO $$
BEGIN
    UPDATE custvalue.work_order SET state = 'in_progress' WHERE summary = 'dump me';
    RAISE EXCEPTION 'a restored closed work order was reopened';
EXCEPTION WHEN check_violation THEN
    RAISE NOTICE 'work-order state machine active after restore';
END $$;
SQL
cat "$work/src.txt" "$work/after.txt"
# The operator's tables restore as plain tables: no custom restore trigger.
merging=$(psql -d cv_dump_custom -At -c "SELECT count(*) FROM pg_trigger WHERE tgname = 'restore_merge'
    AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace IN ('ops'::regnamespace, 'dw'::regnamespace))")
[ "$merging" = 0 ] || { echo "$merging data tables carry restore_merge"; status=1; }
[ "$(head -1 "$work/after.txt")" = 3 ] || { echo "identity restarted: $(head -1 "$work/after.txt")"; status=1; }

for db in cv_dump_src cv_dump_custom cv_dump_plain; do
    psql -d postgres -c "DROP DATABASE $db"
done
exit $status
