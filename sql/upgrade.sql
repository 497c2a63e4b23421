-- The upgrade plan (domain.md §5): prestore per card tier less the tenure
-- reduction of bands [12,36), [36,60), [60,∞) months; errors, policy edits,
-- validation and the per-customer offers.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

SELECT * FROM upgrade_plan ORDER BY tier DESC;
SELECT * FROM upgrade_tenure_bands;

-- Every band boundary for every card tier, against hand-computed values:
-- 6000/4000/2500 less 0 (under 12 months), 300, 600, 1000.
CREATE TABLE public.upgrade_expected (target custvalue.tier, months int, prestore numeric);
INSERT INTO public.upgrade_expected VALUES
  ('diamond', 0, 6000), ('diamond', 11, 6000), ('diamond', 12, 5700), ('diamond', 35, 5700),
  ('diamond', 36, 5400), ('diamond', 59, 5400), ('diamond', 60, 5000), ('diamond', 120, 5000),
  ('gold', 0, 4000), ('gold', 11, 4000), ('gold', 12, 3700), ('gold', 35, 3700),
  ('gold', 36, 3400), ('gold', 59, 3400), ('gold', 60, 3000), ('gold', 120, 3000),
  ('silver', 0, 2500), ('silver', 11, 2500), ('silver', 12, 2200), ('silver', 35, 2200),
  ('silver', 36, 1900), ('silver', 59, 1900), ('silver', 60, 1500), ('silver', 120, 1500);
SELECT target, months, upgrade_prestore(target, months) AS prestore,
       upgrade_prestore(target, months) = prestore AS ok
  FROM public.upgrade_expected ORDER BY target DESC, months;
SELECT count(*) AS cases, count(*) FILTER (WHERE upgrade_prestore(target, months) = prestore) AS ok
  FROM public.upgrade_expected;
-- Very long tenures stay in the open top band.
SELECT upgrade_prestore('gold', 2147483647) AS gold_max_tenure;

-- Errors: 22023 for a non-card target and a negative tenure; NULL in, NULL out.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.upgrade_prestore('a', 24)$$,
    $$SELECT custvalue.upgrade_prestore('b', 24)$$,
    $$SELECT custvalue.upgrade_prestore('c', 0)$$,
    $$SELECT custvalue.upgrade_prestore('gold', -1)$$,
    $$SELECT custvalue.upgrade_prestore('platinum', 12)$$]) AS q;
SELECT upgrade_prestore(NULL, 12) IS NULL AS null_target,
       upgrade_prestore('gold', NULL) IS NULL AS null_tenure;

-- Policy edits are seen by the next statement.
BEGIN;
UPDATE upgrade_plan SET prestore = 8000 WHERE tier = 'diamond';
SELECT upgrade_prestore('diamond', 12) AS diamond_12_after_edit;
INSERT INTO upgrade_tenure_discount VALUES (6, 100);
UPDATE upgrade_tenure_discount SET discount = 1500 WHERE min_tenure_months = 60;
SELECT * FROM upgrade_tenure_bands;
SELECT m, upgrade_prestore('silver', m) AS silver FROM unnest(ARRAY[5, 6, 11, 12, 60]) AS m;
DELETE FROM upgrade_tenure_discount;
SELECT upgrade_prestore('silver', 120) AS silver_no_reductions;
ROLLBACK;

-- Validation: 23514 with what is wrong.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$UPDATE custvalue.upgrade_plan SET prestore = -1 WHERE tier = 'gold'$$,
    $$UPDATE custvalue.upgrade_plan SET prestore = 'NaN' WHERE tier = 'gold'$$,
    $$UPDATE custvalue.upgrade_plan SET prestore = 6000 WHERE tier = 'gold'$$,
    $$UPDATE custvalue.upgrade_plan SET prestore = 2000 WHERE tier = 'gold'$$,
    $$UPDATE custvalue.upgrade_plan SET prestore = 1000 WHERE tier = 'silver'$$,
    $$DELETE FROM custvalue.upgrade_plan WHERE tier = 'silver'$$,
    $$INSERT INTO custvalue.upgrade_plan VALUES ('a', 1000)$$,
    $$TRUNCATE custvalue.upgrade_plan$$,
    $$UPDATE custvalue.upgrade_tenure_discount SET discount = 200 WHERE min_tenure_months = 36$$,
    $$UPDATE custvalue.upgrade_tenure_discount SET discount = -5 WHERE min_tenure_months = 12$$,
    $$INSERT INTO custvalue.upgrade_tenure_discount VALUES (-12, 0)$$,
    $$INSERT INTO custvalue.upgrade_tenure_discount VALUES (120, 2500)$$,
    $$INSERT INTO custvalue.upgrade_tenure_discount VALUES (72, 900)$$]) AS q;

-- Deferred: swap two prestores through an invalid middle state.
BEGIN;
SET CONSTRAINTS custvalue.upgrade_plan_valid DEFERRED;
UPDATE upgrade_plan SET prestore = 3000 WHERE tier = 'silver';
UPDATE upgrade_plan SET prestore = 5000 WHERE tier = 'gold';
SET CONSTRAINTS custvalue.upgrade_plan_valid IMMEDIATE;
SELECT tier, prestore FROM upgrade_plan ORDER BY tier DESC;
ROLLBACK;
SELECT tier, prestore FROM upgrade_plan ORDER BY tier DESC;

-- Offers per customer: every card tier above the current one, prestore by
-- tenure.  Scratch customers, rolled back (as-of month 2026-10, the last bill).
BEGIN;
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, status, churned_on) VALUES
  (9101, '13900000001', 'changsha', 'mzone', false, '2026-01-05', 'active', NULL),    -- 9 months, a
  (9102, '13900000002', 'changsha', 'easyown', false, '2023-10-01', 'active', NULL),  -- 36 months, b
  (9103, '13900000003', 'changsha', 'gotone', true, '2021-11-20', 'active', NULL),    -- 59 months, silver
  (9104, '13900000004', 'changsha', 'gotone', true, '2010-01-01', 'active', NULL),    -- 201 months, diamond
  (9105, '13900000005', 'changsha', 'mzone', false, '2020-01-01', 'churned', '2026-09-30');
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c.id, m::date, c.fee
  FROM (VALUES (9101, 230), (9102, 150), (9103, 300), (9104, 700), (9105, 300)) AS c(id, fee),
       generate_series('2025-11-01'::date, '2026-10-01'::date, interval '1 month') AS m
 WHERE m >= (SELECT date_trunc('month', joined_on) FROM customer WHERE customer_id = c.id);
SELECT customer_id, tier, tenure_months, status FROM customer_profile
 WHERE customer_id BETWEEN 9101 AND 9105 ORDER BY customer_id;
SELECT * FROM upgrade_offer WHERE customer_id BETWEEN 9101 AND 9105
 ORDER BY customer_id, target_tier DESC;
-- The view and the function agree.
SELECT count(*) AS offers,
       count(*) FILTER (WHERE prestore <> upgrade_prestore(target_tier, tenure_months)) AS disagreeing
  FROM upgrade_offer WHERE customer_id BETWEEN 9101 AND 9105;
ROLLBACK;

SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'custvalue' AND p.proname IN ('upgrade_prestore', 'upgrade_policy_validate')
 ORDER BY 1;
SELECT c.relname, obj_description(c.oid, 'pg_class') IS NOT NULL AS commented, c.reloptions
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'custvalue'
   AND c.relname IN ('upgrade_plan', 'upgrade_tenure_discount', 'upgrade_tenure_bands', 'upgrade_offer')
 ORDER BY 1;

DROP TABLE public.upgrade_expected;
