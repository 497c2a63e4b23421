-- Personal data (domain.md §10): the mask functions, and what a user bound
-- by row-level security sees through every view of the extension: only
-- their region's customers, and no raw phone, ID-card or bank-card number.
-- The view checks run over every view the extension has, so a view added
-- later is checked without changing this file (only its expected output).
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql

-- Masks: well-formed numbers, separators, short and odd values, NULL.
SELECT v AS phone, mask_phone(v)
  FROM unnest(ARRAY['13912341234', '139-1234-1234', '139 1234 1234', '(139)12341234',
                    '+8613912341234', '0731-88881234', '88881234', '1391234', '', '１３９１２３４１２３４'])
       AS v;
SELECT v AS id_card, mask_id_card(v)
  FROM unnest(ARRAY['43010219900101123X', '430102900101123', '4301021990', 'abc']) AS v;
SELECT v AS bank_card, mask_bank_card(v)
  FROM unnest(ARRAY['6222021234567890123', '6222 0212 3456 7890', '622202123456', '62220212345']) AS v;
SELECT mask_phone(NULL) IS NULL AS strict_phone, mask_id_card(NULL) IS NULL AS strict_id,
       mask_bank_card(NULL) IS NULL AS strict_bank;
-- Never longer than the input, and nothing of the middle survives.
SELECT count(*) AS checked,
       count(*) FILTER (WHERE length(mask_phone(p)) <> length(p)) AS length_changed,
       count(*) FILTER (WHERE substr(mask_phone(p), 4, 4) <> '****') AS middle_shown
  FROM (SELECT '1' || lpad((g * 7919)::text, 10, '0') AS p FROM generate_series(1, 1000) g) s;
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel
  FROM pg_proc p WHERE p.pronamespace = 'custvalue'::regnamespace AND p.proname LIKE 'mask\_%'
 ORDER BY 1;

-- The demo generator's personal numbers cannot be anyone's: phones in the
-- unallocated 104 range, ID cards of the non-existent division 4399, bank
-- cards of issuer prefix 9999.
SELECT count(*) AS demo_customers,
       bool_and(phone ~ '^104[0-9]{8}$') AS fake_phones,
       bool_and(id_card IS NULL OR id_card ~ '^4399') AS fake_id_cards,
       bool_and(bank_card IS NULL OR bank_card ~ '^9999') AS fake_bank_cards,
       count(DISTINCT phone) = count(*) AS phones_unique
  FROM demo_customers(42, 5000, 1, 5000);

-- Two regions, two customers each, with bills, a bundle, an event, a survey
-- answer and a complaint, so every view has something to show.
INSERT INTO customer (customer_id, phone, id_card, bank_card, region, brand, vip_card, joined_on, birth_date)
VALUES (991001, '10011110001', '00000019800101111X', '0000001111000001', 'east', 'gotone', true, '2012-05-01', '1980-01-01'),
       (991002, '10011110002', '000000198002021112', '0000001111000002', 'east', 'mzone', false, '2019-01-01', '1980-02-02'),
       (991003, '10022220003', '000000198003032223', '0000002222000003', 'west', 'gotone', true, '2010-01-01', '1980-03-03'),
       (991004, '10022220004', '000000198004042224', '0000002222000004', 'west', 'easyown', false, '2021-06-01', '1980-04-04');
INSERT INTO monthly_bill (customer_id, month, voice_fee, data_fee, vas_fee)
SELECT c, m::date, 100 + c % 10 * 50, 80, 20
  FROM generate_series(991001, 991004) c, generate_series('2026-01-01'::date, '2026-12-01', '1 month') m;
INSERT INTO bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor)
SELECT c, 'gift', 'high', '2026-01-01', '2027-01-01', 50 FROM generate_series(991001, 991004) c;
INSERT INTO service_event (customer_id, occurred_at, service_item, channel)
SELECT c, '2026-11-15 10:00+08', 'hotline_priority', 'hotline' FROM generate_series(991001, 991004) c;
INSERT INTO survey_response (customer_id, answered_at, channel, satisfied, csat, nps)
SELECT c, '2026-11-16 10:00+08', 'sms', c % 2 = 0, 4, 8 FROM generate_series(991001, 991004) c;
INSERT INTO complaint (customer_id, filed_at, category, severity)
SELECT c, '2026-11-20 10:00+08', 'billing', 'minor' FROM generate_series(991001, 991004) c;
CREATE TEMP TABLE west_customer AS SELECT customer_id FROM customer WHERE region = 'west' AND customer_id > 991000;
GRANT SELECT ON west_customer TO PUBLIC;

-- Row-level security: cv_east sees the east region; the customer's other
-- tables follow the customer.
CREATE ROLE cv_east IN ROLE custvalue_reader;
ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY cv_test_region ON customer TO cv_east USING (region = 'east');
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT c.oid::regclass
               FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
              WHERE c.relnamespace = 'custvalue_data'::regnamespace AND c.relkind = 'r'
                AND a.attname = 'customer_id' AND c.relname <> 'customer'
    LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY cv_test_region ON %s TO cv_east USING (customer_id IN (SELECT customer_id FROM custvalue.customer))', t);
    END LOOP;
END $$;
-- The audit of unmasked reads (pii_access) is written by whoever reads
-- through customer_contact: under row-level security it needs a policy
-- that lets them.
CREATE POLICY cv_test_audit ON pii_access FOR INSERT TO custvalue_pii WITH CHECK (true);
SELECT count(*) >= 5 AS customer_tables_under_rls FROM pg_policy WHERE polname = 'cv_test_region';

-- Every view, as cv_east: rows seen, rows of west customers or of another
-- region, and whether a raw personal number of a test customer appears
-- anywhere in a row.  An error (e.g. permission denied) is shown as such.
CREATE FUNCTION pg_temp.view_exposure(view regclass,
    OUT rows_seen bigint, OUT foreign_rows bigint, OUT raw_numbers bigint, OUT error text)
    LANGUAGE plpgsql AS $$
DECLARE
    has_id boolean := EXISTS (SELECT FROM pg_attribute WHERE attrelid = view AND attname = 'customer_id' AND NOT attisdropped);
    has_region boolean := EXISTS (SELECT FROM pg_attribute WHERE attrelid = view AND attname = 'region' AND NOT attisdropped);
BEGIN
    EXECUTE format(
        'SELECT count(*), count(*) FILTER (WHERE %s OR %s), '
        'count(*) FILTER (WHERE v::text ~ ''(100(1111|2222)000[1-4]|0000001[12]{3}00000[1-4]|0000001980)'') FROM %s v',
        CASE WHEN has_id THEN 'v.customer_id IN (SELECT customer_id FROM pg_temp.west_customer)' ELSE 'false' END,
        CASE WHEN has_region THEN 'v.region IS DISTINCT FROM ''east''' ELSE 'false' END,
        view)
      INTO rows_seen, foreign_rows, raw_numbers;
EXCEPTION WHEN OTHERS THEN
    error := SQLSTATE || ': ' || SQLERRM;
END;
$$;
CREATE TEMP TABLE ext_view AS
SELECT c.oid::regclass AS view
  FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
  JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
 WHERE x.extname = 'custvalue' AND d.deptype = 'e' AND c.relkind IN ('v', 'm');
GRANT SELECT ON ext_view TO PUBLIC;

SET ROLE cv_east;
SELECT customer_id, region, phone, id_card, bank_card FROM customer_directory
 WHERE customer_id > 991000 ORDER BY 1;
SELECT customer_id, tier FROM customer_profile WHERE customer_id > 991000 ORDER BY 1;
CREATE TEMP TABLE exposure AS
SELECT e.view, x.* FROM ext_view e, LATERAL pg_temp.view_exposure(e.view) x;
-- Only views that show too much (or fail) are listed; customer_contact and
-- customer_identity must fail, as cv_east is no custvalue_pii.
SELECT * FROM exposure
 WHERE foreign_rows > 0 OR raw_numbers > 0 OR error IS NOT NULL
 ORDER BY view::text;
SELECT count(*) >= 4 AS all_views_checked,
       count(*) FILTER (WHERE rows_seen > 0) >= 3 AS most_show_rows
  FROM exposure;
RESET ROLE;

-- The same views as custvalue_pii without row-level security policies of
-- its own: RLS hides every row (no policy applies), and customer_contact is
-- the one view that may show the raw numbers.
SET ROLE custvalue_pii;
SELECT count(*) AS pii_sees_under_rls FROM customer_contact;
RESET ROLE;
ALTER TABLE customer DISABLE ROW LEVEL SECURITY;
SET ROLE custvalue_pii;
SELECT customer_id, phone, id_card, bank_card FROM customer_contact WHERE customer_id > 991000 ORDER BY 1;
RESET ROLE;

-- Clean up.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT polrelid::regclass FROM pg_policy WHERE polname = 'cv_test_region' LOOP
        EXECUTE format('DROP POLICY cv_test_region ON %s', t);
        EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', t);
    END LOOP;
END $$;
DROP POLICY cv_test_audit ON pii_access;
SELECT pg_temp.drop_customers(991001, 991999);
DROP TABLE exposure;
DROP ROLE cv_east;
