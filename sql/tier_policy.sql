-- tier_of() under custvalue.tier_policy: boundaries, fallbacks, NULLs,
-- errors, policy validation and cache invalidation.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

SELECT * FROM tier_bands;

-- Card holders by annual spend, exactly at and just below each threshold.
SELECT spend, tier_of(spend, 100, true) AS card_tier
  FROM unnest(ARRAY[6000, 5999.99, 4000, 3999.99, 2500, 2499.99, 1e9]::numeric[]) AS spend;

-- Everyone else by monthly ARPU, exactly at and just below each threshold.
SELECT arpu, tier_of(99999, arpu, false) AS non_card_tier
  FROM unnest(ARRAY[200, 199.99, 120, 119.99, 0, 1e6]::numeric[]) AS arpu;

-- A card holder below silver falls back to the ARPU classes.
SELECT tier_of(2499.99, 250, true) AS a, tier_of(2499.99, 150, true) AS b,
       tier_of(2499.99, 50, true) AS c;

-- NULLs: no card when vip_card is NULL; NULL spend means ARPU classes;
-- NULL ARPU where it is needed gives NULL.
SELECT tier_of(7000, 300, NULL) AS null_card,
       tier_of(NULL, 300, true) AS null_spend_card,
       tier_of(7000, NULL, true) AS null_arpu_card,
       tier_of(7000, NULL, false) IS NULL AS null_arpu_non_card,
       tier_of(NULL, NULL, NULL) IS NULL AS all_null;

-- Bad money: 22023, naming the argument.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.tier_of(-1, 100, true)$$,
    $$SELECT custvalue.tier_of(100, -0.01, false)$$,
    $$SELECT custvalue.tier_of('NaN', 100, true)$$,
    $$SELECT custvalue.tier_of(100, 'Infinity', false)$$]) AS q;

-- The policy is data: a change is seen by the next statement.
UPDATE tier_policy SET min_amount = 150 WHERE tier = 'a';
SELECT tier_of(0, 160, false) AS a_after_lowering;
UPDATE tier_policy SET min_amount = 200 WHERE tier = 'a';
SELECT tier_of(0, 160, false) AS b_after_restoring;

-- Validation: monotone, no gap at the bottom, all six tiers.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$UPDATE custvalue.tier_policy SET min_amount = 7000 WHERE tier = 'gold'$$,
    $$UPDATE custvalue.tier_policy SET min_amount = 120 WHERE tier = 'a'$$,
    $$UPDATE custvalue.tier_policy SET min_amount = 10 WHERE tier = 'c'$$,
    $$DELETE FROM custvalue.tier_policy WHERE tier = 'b'$$,
    $$INSERT INTO custvalue.tier_policy (tier, min_amount) VALUES ('b', 100)$$,
    $$UPDATE custvalue.tier_policy SET min_amount = -5 WHERE tier = 'c'$$,
    $$TRUNCATE custvalue.tier_policy$$]) AS q;

-- Several thresholds moved in one transaction through an invalid middle
-- state, with the constraint deferred.
BEGIN;
SET CONSTRAINTS tier_policy_valid DEFERRED;
UPDATE tier_policy SET min_amount = 9000 WHERE tier = 'gold';   -- above diamond for now
UPDATE tier_policy SET min_amount = 10000 WHERE tier = 'diamond';
COMMIT;
SELECT tier_of(9500, 0, true) AS gold_after, tier_of(10000, 0, true) AS diamond_after;
-- And an invalid state at commit is rejected as a whole.
BEGIN;
SET CONSTRAINTS tier_policy_valid DEFERRED;
UPDATE tier_policy SET min_amount = 20000 WHERE tier = 'gold';
COMMIT;
SELECT tier, min_amount FROM tier_policy ORDER BY tier DESC;
UPDATE tier_policy SET min_amount = CASE tier WHEN 'diamond' THEN 6000 WHEN 'gold' THEN 4000 ELSE min_amount END;
SELECT tier, min_amount FROM tier_policy ORDER BY tier DESC;

-- Volatility and parallel labels.
SELECT proname, provolatile, proparallel FROM pg_proc
 WHERE pronamespace = 'custvalue'::regnamespace AND proname IN ('tier_of', 'tier_in', 'tier_cmp')
 ORDER BY proname;

-- Many rows, one plan: the same answers in a parallel plan.
CREATE TABLE money AS
SELECT i, (i % 8000)::numeric AS spend, (i % 300)::numeric AS arpu, i % 3 = 0 AS card
  FROM generate_series(1, 30000) i;
SELECT tier_of(spend, arpu, card) AS t, count(*) FROM money GROUP BY 1 ORDER BY 1 DESC;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT tier_of(spend, arpu, card) AS t, count(*) FROM money GROUP BY 1;
SELECT tier_of(spend, arpu, card) AS t, count(*) FROM money GROUP BY 1 ORDER BY 1 DESC;
RESET ALL;
DROP TABLE money;
