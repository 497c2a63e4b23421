-- Customer value: cvf_score() against hand-built scales, the CVF policy,
-- clv(), and the views (inputs, value classes, contribution efficiency,
-- scorecard, tier summary) on a six-customer data set computed by hand.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql

SELECT dimension, weight, reference_quantile FROM cvf_policy ORDER BY weight DESC, dimension;

-- ------------------------------------------------------------ cvf_score
-- Reference levels at p95: revenue 400, tenure 60, credit_risk 0.5,
-- tariff 0.8, bundles 2.
CREATE TABLE value_scale AS SELECT
    'revenue(n=4, min=0, p50=100, p75=200, p90=400, p95=400, p99=800, max=1000),
     tenure(n=4, min=0, p50=12, p75=24, p90=48, p95=60, p99=60, max=60),
     credit_risk(n=4, min=0, p50=0, p75=0.25, p90=0.5, p95=0.5, p99=0.5, max=0.5),
     tariff(n=4, min=0, p50=0.2, p75=0.4, p90=0.5, p95=0.8, p99=0.8, max=0.8),
     bundles(n=4, min=0, p50=0, p75=1, p90=2, p95=2, p99=2, max=2)'::cvf_scale AS s;
-- a: 200/400 = 50, 30/60 = 50, credit 100 (1 - 0.125/0.5) = 75, 0.2/0.8 = 25,
--    1/2 = 50; cvf = .35*50 + .25*50 + .15*75 + .10*25 + .15*50 = 51.25
-- b: everything at or beyond the reference: 100 each (credit 0 = no risk)
-- c: nothing, and credit risk at the reference: 0 each
-- d: credit beyond the reference still 0 (clamped), revenue 400 = 100:
--    cvf = .35*100 = 35
-- e: NULL tenure and credit: weights renormalised over .35 + .10 + .15:
--    (.35*50 + .10*25 + .15*50) / .6 = 27.5 / .6 = 45.8333...
-- f: all NULL: all NULL
SELECT c.case, (cvf_score(s, c.r, c.t, c.cr, c.ta, c.b)).*
  FROM value_scale,
       (VALUES ('a', 200, 30, 0.125, 0.2, 1),
               ('b', 1000, 120, 0, 1, 5),
               ('c', 0, 0, 0.5, 0, 0),
               ('d', 400, 0, 0.9, 0, 0),
               ('e', 200, NULL, NULL, 0.2, 1),
               ('f', NULL, NULL, NULL, NULL, NULL)) AS c("case", r, t, cr, ta, b)
 ORDER BY c.case;
-- cvf() is cvf_score's composite alone, on every case.
SELECT c.case, cvf(s, c.r, c.t, c.cr, c.ta, c.b) AS cvf,
       cvf(s, c.r, c.t, c.cr, c.ta, c.b) IS NOT DISTINCT FROM (cvf_score(s, c.r, c.t, c.cr, c.ta, c.b)).cvf AS same
  FROM value_scale,
       (VALUES ('a', 200, 30, 0.125, 0.2, 1), ('b', 1000, 120, 0, 1, 5), ('c', 0, 0, 0.5, 0, 0),
               ('d', 400, 0, 0.9, 0, 0), ('e', 200, NULL, NULL, 0.2, 1),
               ('f', NULL, NULL, NULL, NULL, NULL)) AS c("case", r, t, cr, ta, b)
 ORDER BY c.case;
SELECT cvf(NULL, 1, 1, 0, 0, 0) IS NULL AS null_scale,
       pg_temp.expect_error($$SELECT custvalue.cvf(s, -1, 0, 0, 0, 0) FROM value_scale$$) AS negative;
-- NULL scale: NULL.  A dimension the scale has no values for: NULL
-- sub-score.  A zero reference (p95 credit risk 0, p95 bundles 0): no
-- risk scores 100, any risk 0; no bundle 0, any bundle 100.
SELECT cvf_score(NULL, 1, 1, 0, 0, 0) IS NULL AS null_scale;
SELECT (cvf_score('revenue(n=1, min=5, p50=5, p75=5, p90=5, p95=5, p99=5, max=5), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
                  10, 10, 0, 0.5, 1)).*;
SELECT x.credit, x.bundles, s.credit_score, s.bundle_score
  FROM (VALUES (0, 0), (0.1, 1)) AS x(credit, bundles),
       cvf_score('revenue(n=3, min=1, p50=1, p75=1, p90=1, p95=1, p99=1, max=1), tenure(n=3, min=1, p50=1, p75=1, p90=1, p95=1, p99=1, max=1),
                  credit_risk(n=3, min=0, p50=0, p75=0, p90=0, p95=0, p99=0.5, max=0.5), tariff(n=3, min=0, p50=0, p75=0, p90=0, p95=0, p99=0, max=0),
                  bundles(n=3, min=0, p50=0, p75=0, p90=0, p95=0, p99=0, max=0)', 1, 1, x.credit, 0, x.bundles) AS s;
-- Bad inputs: 22023, naming the dimension.
SELECT pg_temp.expect_error(format('SELECT custvalue.cvf_score(%L::custvalue.cvf_scale, %s)', s, a))
  FROM value_scale, unnest(ARRAY['-1, 1, 0, 0, 0', '1, ''NaN'', 0, 0, 0', '1, 1, ''Infinity'', 0, 0',
                                 '1, 1, 0, -0.5, 0', '1, 1, 0, 0, -2']) AS a;

-- ------------------------------------------------------------ CVF policy
-- Reference quantile p50 for revenue: ref 100, so case a scores revenue
-- 100 and cvf = 51.25 + .35 * 50 = 68.75.
UPDATE cvf_policy SET reference_quantile = 0.50 WHERE dimension = 'revenue';
SELECT (cvf_score(s, 200, 30, 0.125, 0.2, 1)).revenue_score, (cvf_score(s, 200, 30, 0.125, 0.2, 1)).cvf FROM value_scale;
UPDATE cvf_policy SET reference_quantile = 0.95 WHERE dimension = 'revenue';
-- Several weights moved in one transaction: revenue .40, tariff .05:
-- case a: .40*50 + .25*50 + .15*75 + .05*25 + .15*50 = 52.5.
BEGIN;
SET CONSTRAINTS cvf_policy_valid DEFERRED;
UPDATE cvf_policy SET weight = 0.40 WHERE dimension = 'revenue';
-- mid-transaction the weights sum to 1.05: scoring refuses the policy
SELECT pg_temp.expect_error($$SELECT custvalue.cvf_score(s, 1, 1, 0, 0, 0) FROM value_scale$$);
UPDATE cvf_policy SET weight = 0.05 WHERE dimension = 'tariff';
COMMIT;
SELECT (cvf_score(s, 200, 30, 0.125, 0.2, 1)).cvf FROM value_scale;
BEGIN;
SET CONSTRAINTS cvf_policy_valid DEFERRED;
UPDATE cvf_policy SET weight = 0.35 WHERE dimension = 'revenue';
UPDATE cvf_policy SET weight = 0.10 WHERE dimension = 'tariff';
COMMIT;
SELECT (cvf_score(s, 200, 30, 0.125, 0.2, 1)).cvf AS back_to_default FROM value_scale;
-- Invalid policies: 23514.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$UPDATE custvalue.cvf_policy SET weight = 0.5 WHERE dimension = 'revenue'$$,
    $$UPDATE custvalue.cvf_policy SET weight = -0.1 WHERE dimension = 'tariff'$$,
    $$UPDATE custvalue.cvf_policy SET weight = 1.5 WHERE dimension = 'tariff'$$,
    $$UPDATE custvalue.cvf_policy SET reference_quantile = 0.8 WHERE dimension = 'tenure'$$,
    $$UPDATE custvalue.cvf_policy SET reference_quantile = 1 WHERE dimension = 'tenure'$$,
    $$DELETE FROM custvalue.cvf_policy WHERE dimension = 'bundles'$$,
    $$INSERT INTO custvalue.cvf_policy VALUES ('nps', 0, 0.95, 'x')$$,
    $$TRUNCATE custvalue.cvf_policy$$]) AS q;
BEGIN;
SET CONSTRAINTS cvf_policy_valid DEFERRED;
UPDATE cvf_policy SET weight = 0 WHERE dimension = 'bundles';
COMMIT;
SELECT sum(weight) AS weights_still_sum_to FROM cvf_policy;

-- ------------------------------------------------------------ clv
-- m * sum_{t=0}^{H-1} (r / (1 + d))^t:
--   (100, .9, 0, inf) = 100 / .1 = 1000;  (100, .9, 0, 3) = 100 + 90 + 81 = 271
--   (100, .9, .1, inf) = 100 * 1.1 / .2 = 550;  (100, .9, .1, 2) = 100 + 90/1.1 = 181.8181..
--   (100, 1, 0, 12) = 1200;  (100, 0, .01, inf) = 100 (this month only)
--   (-50, .5, 0, inf) = -100 (a loss-making customer);  H = 0: 0
--   (100, 1, .01, inf) = 100 * 1.01 / .01 = 10100
SELECT m, r, d, h, round(clv(m, r, d, h)::numeric, 6) AS clv
  FROM (VALUES (100, 0.9, 0, 'Infinity'::float8), (100, 0.9, 0, 3), (100, 0.9, 0.1, 'Infinity'),
               (100, 0.9, 0.1, 2), (100, 1, 0, 12), (100, 0, 0.01, 'Infinity'), (100, 0, 0.01, 5),
               (-50, 0.5, 0, 'Infinity'), (100, 0.9, 0, 0), (100, 1, 0.01, 'Infinity'),
               (100, 0.9, 0, 1000)) AS x(m, r, d, h);
SELECT round(clv(100, 0.9, 0)::numeric, 6) AS default_horizon_is_infinite;
-- Against the explicit sum, where retention is close to 1.
SELECT round(clv(123.45, 0.985, 0.008, 60)::numeric, 8) =
       round((SELECT sum(123.45 * (0.985 / 1.008) ^ t) FROM generate_series(0, 59) AS t)::numeric, 8)
       AS closed_form_equals_sum;
SELECT clv(NULL, 0.9, 0.01, 12) IS NULL AS strict;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.clv('NaN', 0.9, 0, 12)$$,
    $$SELECT custvalue.clv('Infinity', 0.9, 0, 12)$$,
    $$SELECT custvalue.clv(100, 1.1, 0, 12)$$,
    $$SELECT custvalue.clv(100, -0.1, 0, 12)$$,
    $$SELECT custvalue.clv(100, 'NaN', 0, 12)$$,
    $$SELECT custvalue.clv(100, 0.9, -0.01, 12)$$,
    $$SELECT custvalue.clv(100, 0.9, 'Infinity', 12)$$,
    $$SELECT custvalue.clv(100, 0.9, 0, 1.5)$$,
    $$SELECT custvalue.clv(100, 0.9, 0, -1)$$,
    $$SELECT custvalue.clv(100, 0.9, 0, 'NaN')$$,
    $$SELECT custvalue.clv(100, 1, 0)$$,
    $$SELECT custvalue.clv(1e308, 0.99, 0)$$]) AS q;

-- ------------------------------------------------------------ the views
-- No customers: empty scorecard, NULL scale, every tier and band with 0
-- customers and undefined shares.
SELECT count(*) AS scorecard_rows FROM customer_scorecard;
SELECT source, scale IS NULL AS no_scale, customers, total_revenue, a_min_revenue FROM value_population;
SELECT tier, customers, customer_share, revenue_share, contribution_efficiency, mean_cvf, median_cvf
  FROM tier_value_summary;
SELECT grouping, band, customers, efficiency FROM contribution_efficiency;

-- Reference month 2026-06 (the latest bill); spend window 2025-07..2026-06,
-- ARPU window 2026-04..06.
--  1 diamond card: 12 x 600 (voice 300, data 200, vas 100) = 7200, joined
--    2016-06-15 (120 months), never late, 1 family bundle, cost 200/month
--  2 gold card: 12 x 400 voice = 4800, 60 months, late in 3 months, no
--    cost data; its handset bundle ended on 2026-06-01 (not active)
--  3 a (ARPU 250): 12 x (150 voice + 100 data) = 3000, 24 months, arrears
--    in 1 month, 2 active bundles (+1 expired), cost 100 in 6 months only
--  4 b (ARPU 150): 12 x 150 data = 1800, 12 months, 1 gift bundle
--  5 c (ARPU 50): 6 x (40 voice + 10 sms) = 300, 6 months, cost 60/month
--  6 c: joined 2026-06-01, no bills, no bundles
--  7 churned: excluded from every value view
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, status, churned_on) VALUES
    (1, '13800000001', 'changsha', 'gotone', true, '2016-06-15', 'active', NULL),
    (2, '13800000002', 'changsha', 'gotone', true, '2021-06-01', 'active', NULL),
    (3, '13800000003', 'zhuzhou', 'mzone', false, '2024-06-01', 'active', NULL),
    (4, '13800000004', 'zhuzhou', 'easyown', false, '2025-06-01', 'suspended', NULL),
    (5, '13800000005', 'xiangtan', 'easyown', false, '2025-12-20', 'active', NULL),
    (6, '13800000006', 'xiangtan', 'mzone', false, '2026-06-01', 'active', NULL),
    (7, '13800000007', 'xiangtan', 'gotone', false, '2020-01-01', 'churned', '2026-05-01');
INSERT INTO monthly_bill (customer_id, month, voice_fee, sms_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve)
SELECT c, m::date, v, s, d, x, late, arr, cost
  FROM generate_series('2025-07-01'::date, '2026-06-01', '1 month') AS m,
       LATERAL (VALUES
         (1, 300, 0, 200, 100, false, 0, 200),
         (2, 400, 0, 0, 0, extract(month FROM m) IN (1, 2, 3), 0, NULL),
         (3, 150, 0, 100, 0, false, CASE WHEN m = '2026-02-01' THEN 80 ELSE 0 END,
             CASE WHEN m >= '2026-01-01' THEN 100 END),
         (4, 0, 0, 150, 0, false, 0, NULL),
         (7, 1000, 0, 0, 0, false, 0, NULL)) AS b(c, v, s, d, x, late, arr, cost)
UNION ALL
SELECT 5, m::date, 40, 10, 0, 0, false, 0, 60
  FROM generate_series('2026-01-01'::date, '2026-06-01', '1 month') AS m;
-- An old bill outside the window counts for nothing.
INSERT INTO monthly_bill (customer_id, month, voice_fee) VALUES (2, '2025-06-01', 9999);
INSERT INTO bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor) VALUES
    (1, 'family', NULL, '2025-01-01', '2027-01-01', 0),
    (2, 'handset', NULL, '2024-06-01', '2026-06-01', 0),
    (3, 'handset', NULL, '2026-01-01', '2028-01-01', 0),
    (3, 'prepaid', NULL, '2026-06-01', '2027-04-01', 50),
    (3, 'gift', 'high', '2024-01-01', '2025-01-01', 80),
    (4, 'gift', 'entry', '2026-03-01', '2027-01-01', 50);

-- The bills aggregate behind the inputs, by hand: 3 usable rows (one has no
-- month, one no fee); at risk: late (row 2) and in arrears (row 3); ARPU
-- window from 2026-05: rows 2 and 3, 200.51; costed: rows 1 and 3, margin
-- (100 - 30) + (0.01 - 0.02) = 69.99; growth share 15 / 300.51.
SELECT (bill_value_summary(m, fee, d, v, late, arr, cost, '2026-05-01')).*
  FROM (VALUES ('2026-04-01'::date, 100.00, 10.00, 5.00, false, 0.00, 30.00),
               ('2026-05-01', 200.50, 0, 0, true, 0, NULL),
               ('2026-06-01', 0.01, NULL, NULL, NULL, 12.00, 0.02),
               (NULL, 999, 0, 0, false, 0, NULL),
               ('2026-06-01', NULL, 0, 0, false, 0, NULL)) AS b(m, fee, d, v, late, arr, cost);
SELECT round((15 / 300.51)::numeric, 15) AS growth_share_by_hand;
SELECT bill_value_summary(NULL, NULL, 1, 1, true, 1, 1, NULL) IS NULL AS no_usable_rows_is_null
  FROM generate_series(1, 3);
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.bill_value_summary('2026-01-01', -1, 0, 0, false, 0, NULL, NULL)$$,
    $$SELECT custvalue.bill_value_summary('2026-01-01', 1, 'NaN', 0, false, 0, NULL, NULL)$$,
    $$SELECT custvalue.bill_value_summary('2026-01-01', 1, 0, 0, false, 0, -5, NULL)$$]) AS q;

SELECT customer_id, tier, revenue, monthly_arpu, tenure_months, round(credit_risk::numeric, 4) AS credit_risk,
       tariff_share, bundles, net_value, monthly_margin
  FROM customer_value_inputs ORDER BY customer_id;
-- revenue, ARPU, tenure and tier are customer_profile's.
SELECT count(*) AS customers, count(*) FILTER (
         WHERE (v.revenue, v.monthly_arpu, v.tenure_months, v.tier::text, v.region, v.brand, v.vip_card)
               IS DISTINCT FROM (p.annual_spend, p.monthly_arpu, p.tenure_months, p.tier::text, p.region, p.brand, p.vip_card))
       AS disagreeing_with_profile
  FROM customer_value_inputs v JOIN customer_profile p USING (customer_id);

-- The scale of the six (n <= 19, so p95 is the exact maximum):
-- revenue 7200, tenure 120, credit_risk 0.25 (n=5), tariff 1 (n=5), bundles 2.
SELECT * FROM cvf_scale_summary((SELECT scale FROM value_population));
SELECT source, customers, total_revenue, a_min_revenue, b_min_revenue, core_min_revenue, as_of_month
  FROM value_population;

-- Sub-scores, by hand:
--  1: 7200/7200=100, 120/120=100, credit 100, 0.5/1=50, 1/2=50
--     cvf = 35 + 25 + 15 + 5 + 7.5 = 87.5
--  2: 4800/7200=66.67, 50, credit 1-.25/.25 = 0, 0, 0  -> 23.33 + 12.5 = 35.83
--  3: 41.67, 20, 100 (1 - (1/12)/.25) = 66.67, 40, 100
--     -> 14.58 + 5 + 10 + 4 + 15 = 48.58
--  4: 25, 10, 100, 100, 50 -> 8.75 + 2.5 + 15 + 10 + 7.5 = 43.75
--  5: 4.17, 5, 100, 0, 0 -> 1.46 + 1.25 + 15 = 17.71
--  6: 0, 0, NULL, NULL, 0 -> 0 (weights renormalised over .75)
-- Value classes: revenue 17100 in all; 80 % = 13680, 95 % = 16245.  Before
-- customer 3 come 12000 (< 13680: A), before 4 15000 (B), before 5 16800
-- (C).  Core: the top ceil(.2 * 6) = 2 customers (revenue >= 4800).
-- Net value 7200 - 2400 = 4800 for 1, 300 - 360 = -60 for 5, else unknown;
-- margin 400, (1500 - 600)/6 = 150, -10.
SELECT customer_id, tier, revenue_score, tenure_score, credit_score, tariff_score, bundle_score, cvf,
       value_class, core_customer, net_value, monthly_margin
  FROM customer_scorecard ORDER BY customer_id;
-- CLV with the settings (0.985, 0.008, 60 months), against the explicit sum.
SELECT customer_id, clv,
       clv = round((SELECT sum(monthly_margin * (0.985 / 1.008) ^ t) FROM generate_series(0, 59) AS t), 2)
         AS equals_sum
  FROM customer_scorecard ORDER BY customer_id;

-- Contribution efficiency = revenue share / customer share (n = 6,
-- revenue 17100): diamond 7200/17100 / (1/6) = 2.53, gold 1.68, a 1.05,
-- b 0.63, c (300 over 2 customers) 0.05; silver has none.  ARPU bands over
-- the non-card customers 3..6: 250 -> 200–500, 150 -> 120–200, 50 and 0 -> < 120.
SELECT * FROM contribution_efficiency;
SELECT * FROM tier_value_summary;

-- The policy is data: class A at 50 % of revenue (8550) is customers 1 and 2;
-- ARPU bands without 500.
UPDATE setting SET value = 0.5 WHERE name = 'value_class_a_share';
SELECT customer_id, value_class FROM customer_scorecard ORDER BY customer_id;
UPDATE setting SET value = 0.8 WHERE name = 'value_class_a_share';
DELETE FROM value_arpu_band WHERE min_arpu = 500;
SELECT band, customers, efficiency FROM contribution_efficiency WHERE grouping = 'arpu_band';
INSERT INTO value_arpu_band VALUES (500);
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$DELETE FROM custvalue.value_arpu_band WHERE min_arpu = 0$$,
    $$INSERT INTO custvalue.value_arpu_band VALUES (-1)$$,
    $$TRUNCATE custvalue.value_arpu_band$$,
    $$UPDATE custvalue.setting SET value = 1.5 WHERE name = 'value_class_a_share'$$,
    $$UPDATE custvalue.setting SET value = 0 WHERE name = 'value_class_b_share'$$,
    $$UPDATE custvalue.setting SET value = 1.01 WHERE name = 'clv_monthly_retention'$$,
    $$UPDATE custvalue.setting SET value = 12.5 WHERE name = 'clv_horizon_months'$$]) AS q;

-- ------------------------------------------------------------ snapshot
-- Stored, the population is read, not recomputed: scoring one customer
-- never executes the population's window aggregate (live, it runs once).
CREATE FUNCTION pg_temp.loops(q text, node text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || q INTO plan;
    RETURN (SELECT coalesce(sum(l::text::bigint), 0)
              FROM jsonb_path_query(plan, 'strict $.**?(@."Node Type" == $n)."Actual Loops"',
                                    jsonb_build_object('n', node)) AS l);
END;
$$;
SELECT pg_temp.loops('SELECT * FROM custvalue.customer_scorecard WHERE customer_id = 3', 'WindowAgg')
       AS live_window_loops;
SELECT customers, total_revenue, a_min_revenue, b_min_revenue, core_min_revenue
  FROM refresh_value_population();
SELECT source FROM value_population;
SELECT pg_temp.loops('SELECT * FROM custvalue.customer_scorecard WHERE customer_id = 3', 'WindowAgg')
       AS snapshot_window_loops;
SELECT customer_id, cvf, value_class FROM customer_scorecard WHERE customer_id = 3;
-- The snapshot gives the same scorecard as live computation.
CREATE TABLE value_card_snapshot AS SELECT * FROM customer_scorecard;
DELETE FROM value_population_snapshot;
SELECT count(*) AS differences FROM (
    (SELECT * FROM customer_scorecard EXCEPT SELECT * FROM value_card_snapshot)
    UNION ALL
    (SELECT * FROM value_card_snapshot EXCEPT SELECT * FROM customer_scorecard)) AS d;

-- Parallel plans give the same scorecard.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT count(*) AS parallel_differences FROM (
    (SELECT * FROM customer_scorecard EXCEPT SELECT * FROM value_card_snapshot)
    UNION ALL
    (SELECT * FROM value_card_snapshot EXCEPT SELECT * FROM customer_scorecard)) AS d;
RESET ALL;
SET search_path = public, custvalue_data, custvalue;

-- Labels.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict
  FROM pg_proc p
 WHERE p.pronamespace = 'custvalue'::regnamespace
   AND p.proname IN ('cvf_score', 'cvf', 'clv', 'refresh_value_population')
 ORDER BY 1::text;
-- Every public object of this concern has a comment.
SELECT c.relname AS uncommented
  FROM pg_class c
 WHERE c.relnamespace = 'custvalue'::regnamespace AND c.relkind IN ('r', 'v')
   AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT p.oid::regprocedure AS uncommented
  FROM pg_proc p
 WHERE p.pronamespace = 'custvalue'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
   AND (p.proname LIKE 'cvf%' OR p.proname LIKE '%value%' OR p.proname LIKE 'bill%' OR p.proname = 'clv');

DELETE FROM bundle WHERE customer_id BETWEEN 1 AND 7;
DELETE FROM monthly_bill WHERE customer_id BETWEEN 1 AND 7;
SELECT pg_temp.drop_customers(1, 7);
DROP TABLE value_scale, value_card_snapshot;
