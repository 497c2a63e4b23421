-- The tiered service standard (domain.md §3): the matrix cell by cell,
-- suspension care at and just past each limit, policy edits and validation,
-- the per-customer view.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

\x on
SELECT * FROM tier_entitlements;
\x off

-- Every cell of domain.md §3, typed, written out by hand from the seed's
-- table (c = ordinary-customer standard: nothing).  Both differences must be
-- empty and all six tiers must match.
CREATE TABLE public.expected_matrix (
    tier custvalue.tier, hotline_access text, hotline_max_ivr_options int,
    overdraft_monthly_credit numeric, overdraft_per_request_cap numeric, suspension_warning_by text,
    lecture_hall_free_visits int, lecture_hall_unlimited_with_points bool, lecture_hall_points_per_visit int,
    birthday_gift_cap numeric, sim_replacements int, alliance_merchants bool,
    car_club bool, car_club_points_per_year int, car_club_free_service_cap numeric,
    phone_manager bool, multimedia_manager bool, community bool, experience_vouchers int);
INSERT INTO public.expected_matrix VALUES
--  tier       hotline       ivr  credit per_req warner            lh free unl  pts  gift  sim  alliance car   pts   cap  phone  mm     comm   vouchers
  ('diamond', 'auto_identified', 0, 300, 100, 'account_manager', 0, true,  NULL, 150, 5, true, true, 0,    NULL, false, false, false, 0),
  ('gold',    'auto_identified', 0, 200, 100, 'phone_manager',   2, false, NULL, 120, 4, true, true, 0,    NULL, false, false, false, 0),
  ('silver',  'ivr',             3, 100, NULL, 'account_manager', 1, false, NULL, 60,  3, true, true, 1000, NULL, false, false, false, 0),
  ('a',       'ivr',             3, 100, NULL, 'phone_manager',   0, false, NULL, 60,  3, true, true, NULL, 800,  true,  true,  true,  5),
  ('b',       'ivr',             3, 50,  NULL, 'phone_manager',   0, false, NULL, 40,  2, true, true, NULL, 500,  true,  true,  true,  3),
  ('c',       NULL,           NULL, 0,   NULL, NULL,              0, false, NULL, 0,   0, false, false, NULL, NULL, false, false, false, 0);

CREATE VIEW public.actual_matrix AS
SELECT tier, hotline_access, hotline_max_ivr_options, overdraft_monthly_credit, overdraft_per_request_cap,
       suspension_warning_by, lecture_hall_free_visits, lecture_hall_unlimited_with_points,
       lecture_hall_points_per_visit, birthday_gift_cap, sim_replacements, alliance_merchants, car_club,
       car_club_points_per_year, car_club_free_service_cap, phone_manager, multimedia_manager, community,
       experience_vouchers
  FROM tier_entitlements;

SELECT 'missing from view' AS side, * FROM (TABLE public.expected_matrix EXCEPT TABLE public.actual_matrix) x
UNION ALL
SELECT 'unexpected in view', * FROM (TABLE public.actual_matrix EXCEPT TABLE public.expected_matrix) y;
SELECT count(*) AS tiers_matching
  FROM public.expected_matrix e JOIN public.actual_matrix a
    ON ROW(e.*) IS NOT DISTINCT FROM ROW(a.*);

-- The stored rows: 41 cells (5 tiers x items 1-7 minus the empty lecture-hall
-- cells of a and b, plus a and b for items 8-11), none for c, each valid.
SELECT e.tier, s.standard_no AS no, e.service_item, e.quantity, e.unlimited, e.amount,
       e.per_request_cap, e.points, e.channel
  FROM entitlement e JOIN service_item s ON s.code = e.service_item
 ORDER BY s.standard_no, e.tier DESC;
SELECT count(*) AS cells, count(*) FILTER (WHERE tier = 'c') AS c_cells,
       count(*) FILTER (WHERE entitlement_problem(e) IS NOT NULL) AS invalid
  FROM entitlement e;
-- Every one of the eleven items is granted to some tier.
SELECT s.code FROM service_item s
 WHERE s.standard_no IS NOT NULL
   AND NOT EXISTS (SELECT FROM entitlement e WHERE e.service_item = s.code);

-- Suspension care at and just past each limit.  Columns: tier, used so far
-- this month, request, expected.  Diamond 300/100, gold 200/100, silver and
-- a 100 (no per-request cap), b 50, c nothing.
CREATE TABLE public.overdraft_case (tier custvalue.tier, used numeric, request numeric, expected boolean);
INSERT INTO public.overdraft_case VALUES
  ('diamond', 0, 100, true), ('diamond', 0, 100.01, false),          -- per-request cap
  ('diamond', 200, 100, true), ('diamond', 200.01, 100, false),      -- monthly credit
  ('diamond', 299.99, 0.01, true), ('diamond', 300, 0.01, false),
  ('gold', 0, 100, true), ('gold', 0, 100.01, false),
  ('gold', 100, 100, true), ('gold', 100.01, 100, false),
  ('gold', 199.99, 0.01, true), ('gold', 200, 0.01, false),
  ('silver', 0, 100, true), ('silver', 0, 100.01, false),            -- one request may take it all
  ('silver', 60, 40, true), ('silver', 60, 40.01, false),
  ('a', 0, 100, true), ('a', 0, 100.01, false),
  ('a', 99.99, 0.01, true), ('a', 100, 0.01, false),
  ('b', 0, 50, true), ('b', 0, 50.01, false),
  ('b', 49.99, 0.01, true), ('b', 50, 0.01, false),
  ('c', 0, 0.01, false), ('c', 0, 1, false),
  ('diamond', 0, 0, false), ('b', 0, 0, false),                      -- nothing requested
  ('gold', 500, 1, false),                                           -- already past the credit
  -- amounts with sub-fen digits are compared exactly, not rounded to fen
  ('gold', 0, 100.001, false), ('gold', 0, 99.999, true),
  ('gold', 100.005, 99.995, true), ('gold', 100.005, 99.996, false),
  ('b', 0, 0.001, true), ('c', 0, 0.001, false),
  ('b', 49.995, 0.005, true), ('b', 49.995, 0.0051, false),
  ('silver', 99.9999999, 0.0000001, true), ('silver', 99.9999999, 0.0000002, false),
  -- amounts far beyond any credit
  ('diamond', 1e15, 1, false), ('diamond', 0, 1e15, false), ('a', 1e30, 1e30, false);
SELECT tier, used, request, overdraft_allowed(tier, used, request) AS allowed,
       overdraft_allowed(tier, used, request) = expected AS ok
  FROM public.overdraft_case ORDER BY tier DESC, used, request;
SELECT count(*) AS cases, count(*) FILTER (WHERE overdraft_allowed(tier, used, request) = expected) AS ok
  FROM public.overdraft_case;

-- NULL in, NULL out; bad amounts are 22023 naming the argument.
SELECT overdraft_allowed(NULL, 0, 1) IS NULL AS null_tier,
       overdraft_allowed('gold', NULL, 1) IS NULL AS null_used,
       overdraft_allowed('gold', 0, NULL) IS NULL AS null_request;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.overdraft_allowed('gold', -0.01, 10)$$,
    $$SELECT custvalue.overdraft_allowed('gold', 'NaN', 10)$$,
    $$SELECT custvalue.overdraft_allowed('gold', 'Infinity', 10)$$,
    $$SELECT custvalue.overdraft_allowed('gold', 0, -10)$$,
    $$SELECT custvalue.overdraft_allowed('gold', 0, 'NaN')$$,
    $$SELECT custvalue.overdraft_allowed('gold', 0, '-Infinity')$$,
    $$SELECT custvalue.overdraft_allowed('c', -1, 10)$$]) AS q;

-- 20000 mixed calls against the rule written independently over the view.
CREATE TABLE public.overdraft_bulk AS
SELECT custvalue.tier_from_rank(i % 6) AS tier, (i % 37) * 9.5 AS used, (i % 13) * 10 + 0.5 AS request
  FROM generate_series(1, 20000) AS i;
ANALYZE public.overdraft_bulk;
SELECT count(*) AS calls,
       count(*) FILTER (WHERE overdraft_allowed(o.tier, o.used, o.request) IS DISTINCT FROM
                        (o.request > 0
                         AND o.request <= coalesce(t.overdraft_per_request_cap, o.request)
                         AND o.used + o.request <= t.overdraft_monthly_credit)) AS disagreeing
  FROM public.overdraft_bulk o JOIN tier_entitlements t USING (tier);

-- A dense grid around every limit, with sub-fen steps: used + request
-- from 0.011 below to 0.011 above each credit, requests at and around the
-- per-request caps.
CREATE TABLE public.overdraft_grid AS
SELECT t.tier, t.overdraft_monthly_credit - r.request + d.d AS used, r.request
  FROM tier_entitlements t,
       unnest(ARRAY[0.001, 0.004, 0.01, 0.011, 49.995, 50, 50.005, 99.99, 99.999, 100,
                    100.001, 100.01]::numeric[]) AS r(request),
       generate_series(-11, 11) AS g(k), LATERAL (SELECT g.k * 0.001 AS d) d
 WHERE t.overdraft_monthly_credit - r.request + d.d >= 0;
SELECT count(*) AS calls,
       count(*) FILTER (WHERE overdraft_allowed(o.tier, o.used, o.request)) AS allowed,
       count(*) FILTER (WHERE overdraft_allowed(o.tier, o.used, o.request) IS DISTINCT FROM
                        (o.request > 0
                         AND o.request <= coalesce(t.overdraft_per_request_cap, o.request)
                         AND o.used + o.request <= t.overdraft_monthly_credit)) AS disagreeing
  FROM public.overdraft_grid o JOIN tier_entitlements t USING (tier);

-- Parallel = serial: the function is PARALLEL SAFE and gives the same
-- answers in workers.
SELECT tier, count(*) FILTER (WHERE overdraft_allowed(tier, used, request)) AS allowed
  FROM public.overdraft_bulk GROUP BY tier ORDER BY tier DESC;
CREATE TABLE public.overdraft_serial AS
SELECT tier, count(*) FILTER (WHERE overdraft_allowed(tier, used, request)) AS allowed
  FROM public.overdraft_bulk GROUP BY tier;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- force_parallel_mode is debug_parallel_query from PostgreSQL 16 on.
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', false) AS parallel_forced;
EXPLAIN (COSTS OFF)
SELECT tier, count(*) FILTER (WHERE overdraft_allowed(tier, used, request))
  FROM public.overdraft_bulk GROUP BY tier;
SELECT count(*) AS tiers_differing
  FROM (SELECT tier, count(*) FILTER (WHERE overdraft_allowed(tier, used, request)) AS allowed
          FROM public.overdraft_bulk GROUP BY tier) p
  FULL JOIN public.overdraft_serial s USING (tier)
 WHERE p.allowed IS DISTINCT FROM s.allowed;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'off', false) AS parallel_forced;

-- Policy edits are seen by the next statement, by the views and by the function.
BEGIN;
UPDATE entitlement SET amount = 400, per_request_cap = 150
 WHERE tier = 'diamond' AND service_item = 'suspension_care';
SELECT overdraft_allowed('diamond', 250, 150) AS diamond_250_plus_150,
       overdraft_allowed('diamond', 250, 150.01) AS diamond_250_plus_150_01;
UPDATE entitlement SET per_request_cap = NULL
 WHERE tier = 'silver' AND service_item = 'suspension_care';
DELETE FROM entitlement WHERE tier = 'b' AND service_item = 'suspension_care';
SELECT overdraft_allowed('b', 0, 10) AS b_withdrawn;
INSERT INTO entitlement (tier, service_item, quantity) VALUES ('a', 'lecture_hall', 1);
UPDATE entitlement SET quantity = 4 WHERE tier = 'a' AND service_item = 'sim_replacement';
SELECT tier, overdraft_monthly_credit, overdraft_per_request_cap, suspension_warning_by,
       lecture_hall_free_visits, sim_replacements
  FROM tier_entitlements;
ROLLBACK;

-- Validation: each bad edit is refused with 23514 and what is wrong.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    -- negative or NaN credit
    $$UPDATE custvalue.entitlement SET amount = -1 WHERE tier = 'gold' AND service_item = 'suspension_care'$$,
    $$UPDATE custvalue.entitlement SET amount = 'NaN' WHERE tier = 'gold' AND service_item = 'suspension_care'$$,
    $$UPDATE custvalue.entitlement SET amount = 0 WHERE tier = 'gold' AND service_item = 'suspension_care'$$,
    -- per-request cap above the monthly credit
    $$UPDATE custvalue.entitlement SET per_request_cap = 250 WHERE tier = 'gold' AND service_item = 'suspension_care'$$,
    $$UPDATE custvalue.entitlement SET amount = 90 WHERE tier = 'diamond' AND service_item = 'suspension_care'$$,
    $$UPDATE custvalue.entitlement SET per_request_cap = 0 WHERE tier = 'gold' AND service_item = 'suspension_care'$$,
    -- warner
    $$UPDATE custvalue.entitlement SET channel = NULL WHERE tier = 'b' AND service_item = 'suspension_care'$$,
    $$UPDATE custvalue.entitlement SET channel = 'ivr' WHERE tier = 'b' AND service_item = 'suspension_care'$$,
    $$UPDATE custvalue.entitlement SET channel = 'carrier_pigeon' WHERE tier = 'b' AND service_item = 'suspension_care'$$,
    -- hotline shape
    $$UPDATE custvalue.entitlement SET quantity = 3 WHERE tier = 'gold' AND service_item = 'hotline_priority'$$,
    $$UPDATE custvalue.entitlement SET quantity = 0 WHERE tier = 'silver' AND service_item = 'hotline_priority'$$,
    $$UPDATE custvalue.entitlement SET channel = 'phone_manager' WHERE tier = 'silver' AND service_item = 'hotline_priority'$$,
    -- columns that do not apply
    $$UPDATE custvalue.entitlement SET amount = 10 WHERE tier = 'a' AND service_item = 'community'$$,
    $$UPDATE custvalue.entitlement SET quantity = 2, points = 5 WHERE tier = 'b' AND service_item = 'birthday_gift'$$,
    $$UPDATE custvalue.entitlement SET unlimited = true WHERE tier = 'b' AND service_item = 'sim_replacement'$$,
    -- counts
    $$UPDATE custvalue.entitlement SET quantity = 0 WHERE tier = 'b' AND service_item = 'sim_replacement'$$,
    $$UPDATE custvalue.entitlement SET quantity = -1 WHERE tier = 'b' AND service_item = 'experience_vouchers'$$,
    $$UPDATE custvalue.entitlement SET unlimited = false WHERE tier = 'diamond' AND service_item = 'lecture_hall'$$,
    $$UPDATE custvalue.entitlement SET points = 50 WHERE tier = 'gold' AND service_item = 'lecture_hall'$$,
    $$UPDATE custvalue.entitlement SET amount = 0 WHERE tier = 'a' AND service_item = 'car_club'$$,
    $$UPDATE custvalue.entitlement SET points = -1000 WHERE tier = 'silver' AND service_item = 'car_club'$$,
    -- tier c has the ordinary-customer standard; unknown items
    $$INSERT INTO custvalue.entitlement (tier, service_item) VALUES ('c', 'alliance_merchants')$$,
    $$INSERT INTO custvalue.entitlement (tier, service_item) VALUES ('gold', 'golf_club')$$,
    $$INSERT INTO custvalue.entitlement (tier, service_item) VALUES ('gold', 'alliance_merchants')$$]) AS q;

-- A DBA may move through invalid middle states in one transaction with the
-- constraint deferred; the end state is what is checked.
BEGIN;
SET CONSTRAINTS custvalue.entitlement_valid DEFERRED;
UPDATE entitlement SET per_request_cap = 120 WHERE tier = 'gold' AND service_item = 'suspension_care';
UPDATE entitlement SET amount = 240 WHERE tier = 'gold' AND service_item = 'suspension_care';
SELECT overdraft_allowed('gold', 120, 120) AS gold_120_plus_120;
COMMIT;
SELECT overdraft_allowed('gold', 120, 120) AS gold_120_plus_120_after_commit;
UPDATE entitlement SET amount = 200, per_request_cap = 100
 WHERE tier = 'gold' AND service_item = 'suspension_care';
BEGIN;
SET CONSTRAINTS custvalue.entitlement_valid DEFERRED;
UPDATE entitlement SET per_request_cap = 250 WHERE tier = 'gold' AND service_item = 'suspension_care';
SELECT pg_temp.expect_error($$SET CONSTRAINTS custvalue.entitlement_valid IMMEDIATE$$);
ROLLBACK;

-- The policy table is back as shipped.
SELECT count(*) AS differing_tiers
  FROM (TABLE public.expected_matrix EXCEPT TABLE public.actual_matrix) x;

-- customer_entitlements: each customer with the entitlements of their tier
-- and no personal data.  Scratch customers, rolled back.
BEGIN;
INSERT INTO customer (customer_id, phone, id_card, bank_card, region, brand, vip_card, joined_on) VALUES
  (9001, '13800000001', '43010119800101001X', '6222000000000001', 'changsha', 'gotone', true, '2015-03-01'),
  (9002, '13800000002', NULL, NULL, 'changsha', 'gotone', true, '2020-06-15'),
  (9003, '13800000003', NULL, NULL, 'zhuzhou', 'mzone', false, '2024-01-10'),
  (9004, '13800000004', NULL, NULL, 'zhuzhou', 'easyown', false, '2025-09-01'),
  (9005, '13800000005', NULL, NULL, 'xiangtan', 'easyown', false, '2026-05-01');
-- twelve months to 2026-10: 9001 spends 600/month (7200/year, diamond),
-- 9002 350 (4200, gold), 9003 ARPU 250 (a), 9004 150 (b), 9005 60 (c).
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c.id, m::date, c.fee
  FROM (VALUES (9001, 600), (9002, 350), (9003, 250), (9004, 150), (9005, 60)) AS c(id, fee),
       generate_series('2025-11-01'::date, '2026-10-01'::date, interval '1 month') AS m
 WHERE m >= (SELECT date_trunc('month', joined_on) FROM customer WHERE customer_id = c.id);
SELECT customer_id, tier, tier_label_zh, overdraft_monthly_credit, birthday_gift_cap,
       sim_replacements, phone_manager, experience_vouchers, car_club_free_service_cap
  FROM customer_entitlements WHERE customer_id BETWEEN 9001 AND 9005 ORDER BY customer_id;
ROLLBACK;
SELECT count(*) AS personal_data_columns
  FROM information_schema.columns
 WHERE table_schema = 'custvalue' AND table_name IN ('customer_entitlements', 'tier_entitlements')
   AND column_name IN ('phone', 'id_card', 'bank_card', 'birth_date');

-- Views run as the invoker; every object of this concern is commented and
-- the functions carry the right labels.
SELECT c.relname, c.reloptions
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'custvalue' AND c.relname IN ('tier_entitlements', 'customer_entitlements')
 ORDER BY 1;
SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'custvalue'
   AND p.proname IN ('overdraft_allowed', 'entitlement_problem', 'entitlement_validate')
 ORDER BY 1;
SELECT c.relname,
       obj_description(c.oid, 'pg_class') IS NOT NULL AS commented,
       count(a.attname) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS uncommented_columns
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'custvalue' AND c.relname IN ('entitlement', 'tier_entitlements')
 GROUP BY c.relname, c.oid ORDER BY 1;

DROP VIEW public.actual_matrix;
DROP TABLE public.expected_matrix, public.overdraft_case, public.overdraft_grid, public.overdraft_bulk, public.overdraft_serial;
