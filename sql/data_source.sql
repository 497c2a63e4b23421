-- Data sources: the operator's data lives in ordinary tables outside the
-- extension, bound to the views custvalue.<source> that everything reads.
-- The reference tables of create_data_model(), a warehouse of another
-- shape bound with bind_source(), and every way a binding can be wrong.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

-- Every source, bound to its reference table (customer_identity: the
-- personal numbers of the same table).
SELECT source, relation, column_map FROM data_source_binding ORDER BY source;

-- The extension holds code and configuration only: no member table is a
-- data source, the reference tables are ordinary tables of the caller, and
-- every source is a view of the extension's.
SELECT c.relname AS member_table_holding_data
  FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
 WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass
   AND d.deptype = 'e' AND c.relkind = 'r'
   AND c.relname IN (SELECT source FROM data_source UNION ALL SELECT 'customer');
SELECT count(*) AS data_tables,
       bool_and(c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) AS owned_by_caller,
       bool_and(NOT EXISTS (SELECT FROM pg_depend d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                               AND d.deptype = 'e')) AS none_a_member
  FROM pg_class c WHERE c.relnamespace = 'custvalue_data'::regnamespace AND c.relkind = 'r';
SELECT count(*) AS source_views,
       bool_and(c.relkind = 'v') AS all_views,
       bool_and(c.reloptions @> '{security_invoker=true}') AS all_security_invoker
  FROM data_source s JOIN pg_class c ON c.oid = format('custvalue.%I', s.source)::regclass;
-- A bound view is a plain projection: PostgreSQL can write through it.
SELECT table_name, is_insertable_into, is_updatable
  FROM information_schema.views
 WHERE table_schema = 'custvalue' AND table_name IN ('bundle', 'complaint', 'work_order')
 ORDER BY 1;

-- Writes through a source reach the table, with its defaults and checks.
BEGIN;
INSERT INTO custvalue_data.customer (customer_id, phone, region, brand, joined_on)
VALUES (77001, '10077000001', 'east', 'mzone', '2020-01-01');
INSERT INTO custvalue.complaint (customer_id, filed_at, category, severity)
VALUES (77001, '2026-10-01 10:00+00', 'billing', 'minor') RETURNING complaint_id > 0 AS got_identity;
SELECT count(*) AS in_table FROM custvalue_data.complaint WHERE customer_id = 77001;
SELECT split_part(pg_temp.expect_error($$INSERT INTO custvalue.complaint (customer_id, filed_at, category, severity)
                              VALUES (77001, '2026-10-02 10:00+00', 'billing', 'dramatic')$$), E'\n', 1) AS checked;
ROLLBACK;

-- An unbound source is an error naming it, never an empty answer.
BEGIN;
SELECT bind_source('survey_response', NULL) LIKE '%unbound_source%' AS unbound;
SELECT pg_temp.expect_error($$SELECT count(*) FROM custvalue.survey_response$$);
SELECT pg_temp.expect_error($$SELECT count(*) FROM custvalue.satisfaction_answers$$);
ROLLBACK;
SELECT count(*) >= 0 AS bound_again FROM custvalue.survey_response;

-- A warehouse of its own: other names, other column names, wider tables,
-- types that convert (varchar, numeric without scale, bigint), masked
-- numbers it does not have.  Five subscribers with a year of bills each:
-- card holders 1 (600 a month: 7200 a year, diamond) and 2 (350: 4200,
-- gold); the others by ARPU: 3 (250, a), 4 (150, b), 5 (60, c).
CREATE SCHEMA dw;
CREATE TABLE dw.subscriber (
    subscriber_id bigint PRIMARY KEY, msisdn text NOT NULL, id_no text, city varchar(40),
    brand text, gotone_card boolean, activated date, manager text, lifecycle text,
    churn_date date, birthday date, segment_note text, payload jsonb
);
INSERT INTO dw.subscriber VALUES
    (1, '13912341234', '43010219900101123X', 'changsha', 'gotone', true, '2015-03-01', 'AM01', 'active', NULL, NULL, 'x', '{}'),
    (2, '13912341235', NULL, 'changsha', 'gotone', true, '2018-03-01', 'AM01', 'active', NULL, NULL, 'x', '{}'),
    (3, '13912341236', NULL, 'zhuzhou', 'mzone', false, '2019-03-01', NULL, 'active', NULL, NULL, 'x', '{}'),
    (4, '13912341237', NULL, 'zhuzhou', 'easyown', false, '2021-03-01', NULL, 'active', NULL, NULL, 'x', '{}'),
    (5, '13912341238', NULL, 'xiangtan', 'easyown', false, '2022-03-01', NULL, 'active', NULL, NULL, 'x', '{}');
CREATE TABLE dw.bill (
    sub bigint, period date, voice numeric, sms numeric(10,2), data numeric(12,2), vas numeric(12,2),
    minutes integer, texts integer, megabytes bigint, late boolean, overdue numeric(12,2), source_system text
);
INSERT INTO dw.bill
SELECT s.id, m::date, s.fee, 0, 0, 0, 100, 10, 1000, false, 0, 'boss'
  FROM (VALUES (1, 600), (2, 350), (3, 250), (4, 150), (5, 60)) AS s(id, fee),
       generate_series('2025-11-01'::date, '2026-10-01', '1 month') m;

BEGIN;
-- (The view queries are shown without the relation's alias s, which
-- PostgreSQL 16 and later leave out.)
SELECT regexp_replace(bind_source('customer', 'dw.subscriber',
       '{"customer_id": "subscriber_id", "region": "city", "vip_card": "gotone_card",
         "joined_on": "activated", "birth_date": "birthday", "account_manager": "manager",
         "phone_manager": null, "status": "lifecycle", "churned_on": "churn_date",
         "phone": "msisdn", "id_card": "id_no", "bank_card": null}'), '\ms\.', '', 'g') AS customer_view;
SELECT regexp_replace(bind_source('monthly_bill', 'dw.bill',
       '{"customer_id": "sub", "month": "period", "voice_fee": "voice", "sms_fee": "sms",
         "data_fee": "data", "vas_fee": "vas", "voice_minutes": "minutes", "sms_count": "texts",
         "data_mb": "megabytes", "paid_late": "late", "arrears": "overdue", "cost_to_serve": null}'), '\ms\.', '', 'g') AS bill_view;
SELECT customer_id, region, tier, annual_spend, monthly_arpu
  FROM customer_profile ORDER BY customer_id;
SELECT customer_id, phone, id_card, bank_card FROM customer_directory ORDER BY customer_id;
SELECT customer_id, tier, tier_label_zh, overdraft_monthly_credit FROM customer_entitlements ORDER BY customer_id;
-- The planner sees the warehouse tables themselves.
EXPLAIN (COSTS OFF) SELECT count(*) FROM custvalue.monthly_bill WHERE total_fee > 100;
-- A demo never empties a warehouse.
SELECT pg_temp.expect_error($$SELECT * FROM custvalue.generate_demo(10, 1)$$);
ROLLBACK;
SELECT relation FROM data_source_binding WHERE source IN ('customer', 'monthly_bill') ORDER BY source;

-- Wrong bindings fail at bind time, naming the source and the column.
CREATE TABLE dw.bad_customer (customer_id text, region text);
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.bind_source('customer', 'dw.subscriber')$$,
    $$SELECT custvalue.bind_source('customer', 'dw.bad_customer')$$,
    $$SELECT custvalue.bind_source('monthly_bill', 'dw.bill', '{"customer_id": "sub", "month": "period", "voice_fee": "voice", "sms_fee": "sms", "data_fee": "data", "vas_fee": "vas", "voice_minutes": "minutes", "sms_count": "texts", "data_mb": "megabytes", "paid_late": "late", "arrears": "overdue", "cost_to_serve": null, "total": "voice"}')$$,
    $$SELECT custvalue.bind_source('monthly_bill', 'dw.bill', '{"customer_id": 7}')$$,
    $$SELECT custvalue.bind_source('monthly_bill', 'dw.bill', '[1]')$$,
    $$SELECT custvalue.bind_source('customer_identity', 'dw.subscriber', '{"customer_id": "subscriber_id", "phone": "msisdn", "id_card": "id_no", "bank_card": "region"}')$$,
    $$SELECT custvalue.bind_source('subscriber', 'dw.subscriber')$$,
    $$SELECT custvalue.bind_source(NULL, 'dw.subscriber')$$,
    $$SELECT custvalue.bind_source('customer', 'custvalue.tier_policy')$$,
    $$SELECT custvalue.bind_source('customer', 'dw.subscriber_pkey')$$,
    $$DELETE FROM custvalue.data_source WHERE source = 'bundle'$$,
    $$TRUNCATE custvalue.data_source$$,
    $$INSERT INTO custvalue.data_source (source, description) VALUES ('tariff', 'x')$$,
    $$SELECT custvalue.create_data_model('custvalue')$$,
    $$SELECT custvalue.create_data_model(NULL)$$,
    $$SELECT custvalue.create_data_model('custvalue_data')$$]) AS q;
-- Derived masks need the raw column they come from, or a mapping to null.
CREATE TABLE dw.thin_customer AS
SELECT subscriber_id AS customer_id, city AS region, brand, gotone_card AS vip_card,
       activated AS joined_on, lifecycle AS status FROM dw.subscriber;
SELECT pg_temp.expect_error($$SELECT custvalue.bind_source('customer', 'dw.thin_customer', '{"birth_date": null, "account_manager": null, "phone_manager": null, "churned_on": null}')$$);
BEGIN;
SELECT bind_source('customer', 'dw.thin_customer',
       '{"birth_date": null, "account_manager": null, "phone_manager": null, "churned_on": null,
         "phone": null, "id_card": null, "bank_card": null}') LIKE '%mask_phone(NULL%' AS masks_of_nothing;
SELECT count(*) AS customers, count(phone_masked) AS masked FROM custvalue.customer WHERE customer_id <= 5;
ROLLBACK;
DROP SCHEMA dw CASCADE;

-- Every view of custvalue answers the same over a warehouse of another
-- shape (every column renamed, columns in another order, one more column,
-- views instead of tables) as over the reference tables with the same rows.
BEGIN;
SELECT count(*) AS demo_tables FROM generate_demo(300, 7);
SELECT demo_work_orders() > 0 AS work_orders;
SELECT refresh_value_population() IS NOT NULL AS snapshot;
CREATE SCHEMA wh;
CREATE TEMP TABLE wh_map (source text, column_map jsonb);
DO $$
DECLARE
    s record;
    cols text;
    map jsonb;
BEGIN
    FOR s IN SELECT d.source, d.relation FROM custvalue.data_source d LOOP
        SELECT string_agg(format('%I AS %I', a.attname, 'w_' || a.attname), ', ' ORDER BY a.attnum DESC),
               jsonb_object_agg(a.attname, 'w_' || a.attname)
          INTO cols, map
          FROM pg_attribute a
         WHERE a.attrelid = format('custvalue.%I', s.source)::regclass AND a.attnum > 0;
        EXECUTE format('CREATE VIEW wh.%I AS SELECT 1 AS w_extra, %s FROM %s', s.source, cols, s.relation);
        INSERT INTO wh_map VALUES (s.source, map);
    END LOOP;
END;
$$;
CREATE TEMP TABLE view_digest (binding text, view text, rows bigint, md5 text);
CREATE FUNCTION pg_temp.digest_views(binding text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v regclass;
BEGIN
    FOR v IN
        SELECT c.oid::regclass
          FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
         WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND c.relkind = 'v'
           AND c.relname NOT IN (SELECT source FROM custvalue.data_source)
           AND c.relname <> 'data_source_binding'
    LOOP
        EXECUTE format('INSERT INTO view_digest SELECT %L, %L, count(*), md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM %s t',
                       binding, v, v);
    END LOOP;
END;
$$;
SELECT pg_temp.digest_views('reference tables');
SELECT count(*) AS bound_to_warehouse
  FROM wh_map m, LATERAL custvalue.bind_source(m.source, format('wh.%I', m.source)::regclass, m.column_map) b;
SELECT count(*) AS sources_on_wh FROM data_source WHERE relation LIKE 'wh.%';
SELECT pg_temp.digest_views('warehouse');
SELECT count(*) AS views_compared,
       count(*) FILTER (WHERE r.rows > 0) >= 20 AS most_have_rows,
       count(*) FILTER (WHERE r.md5 = w.md5 AND r.rows = w.rows) AS identical
  FROM view_digest r JOIN view_digest w USING (view)
 WHERE r.binding = 'reference tables' AND w.binding = 'warehouse';
SELECT r.view AS differs FROM view_digest r JOIN view_digest w USING (view)
 WHERE r.binding = 'reference tables' AND w.binding = 'warehouse' AND r.md5 IS DISTINCT FROM w.md5;
ROLLBACK;
