-- Rule-based churn warnings: each signal at its threshold and just below,
-- level escalation, policy edits and validation, inputs from the reference
-- model, lifecycle, tier retention and the watchlist on a hand-made fixture.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql

SELECT signal, fires_when, threshold, weight, min_level, enabled, unit FROM churn_signal ORDER BY signal;
SELECT level, min_score FROM churn_warning_level ORDER BY level;

-- One signal at a time: all other inputs NULL (unknown, never fire).
CREATE FUNCTION pg_temp.one(sig text, v float8) RETURNS custvalue.churn_warning_result
    LANGUAGE sql STABLE AS $$
    SELECT custvalue.churn_warning(
        CASE WHEN sig = 'arpu_drop' THEN v END,
        CASE WHEN sig = 'usage_drop' THEN v END,
        CASE WHEN sig = 'complaints_30d' THEN v::int END,
        CASE WHEN sig = 'short_tenure' THEN v::int END,
        CASE WHEN sig = 'detractor' THEN v::int END,
        CASE WHEN sig = 'satisfaction_drop' THEN v END,
        CASE WHEN sig = 'dissatisfied_30d' THEN v::int END,
        CASE WHEN sig = 'bundle_ending' THEN v::int END,
        CASE WHEN sig = 'arrears' THEN v::numeric END,
        CASE WHEN sig = 'suspended' THEN v::int::boolean END,
        CASE WHEN sig = 'cancellations_30d' THEN v::int END) $$;

-- At the threshold (fires for ">=", not for "<") and just on the other side.
SELECT t.sig, t.v, (w).level, (w).score, (w).signals
  FROM (VALUES ('arpu_drop', 0.30), ('arpu_drop', 0.2999),
               ('usage_drop', 0.50), ('usage_drop', 0.4999),
               ('complaints_30d', 2), ('complaints_30d', 1),
               ('short_tenure', 24), ('short_tenure', 23),
               ('detractor', 7), ('detractor', 6),
               ('satisfaction_drop', 1), ('satisfaction_drop', 0.99),
               ('dissatisfied_30d', 1), ('dissatisfied_30d', 0),
               ('bundle_ending', 60), ('bundle_ending', 59),
               ('arrears', 1.00), ('arrears', 0.99),
               ('suspended', 1), ('suspended', 0),
               ('cancellations_30d', 1), ('cancellations_30d', 0)) AS t(sig, v),
       LATERAL (SELECT pg_temp.one(t.sig, t.v) AS w) x;

-- Escalation: weights add up; levels at 1 / 2 / 3; min_level lifts.
SELECT t.case_name, (w).level, (w).score, (w).signals
  FROM (VALUES
    ('nothing',                churn_warning(0, 0, 0, 60, 9, 0, 0, 400, 0, false, 0)),
    ('all unknown',            churn_warning(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)),
    ('short tenure only 0.5',  churn_warning(0, 0, 0, 12, 9, 0, 0, NULL, 0, false, 0)),
    ('tenure + dissatisfied',  churn_warning(0, 0, 0, 12, 9, 0, 1, NULL, 0, false, 0)),
    ('arpu drop 1',            churn_warning(0.45, 0, 0, 60, NULL, NULL, 0, NULL, 0, false, 0)),
    ('arpu + usage 2',         churn_warning(0.45, 0.7, 0, 60, NULL, NULL, 0, NULL, 0, false, 0)),
    ('+ complaints 3.5',       churn_warning(0.45, 0.7, 3, 60, NULL, NULL, 0, NULL, 0, false, 0)),
    ('suspended: min orange',  churn_warning(NULL, NULL, 0, 60, NULL, NULL, 0, NULL, 0, true, 0)),
    ('everything',             churn_warning(0.9, 0.9, 5, 3, 0, 3, 2, 10, 250.5, true, 4))
  ) AS t(case_name, w);

-- Policy edits are seen by the next statement; disabled signals never fire;
-- weights are summed exactly (0.1 + 0.2 reaches a level at 0.3).
BEGIN;
UPDATE churn_signal SET threshold = 0.20 WHERE signal = 'arpu_drop';
SELECT (pg_temp.one('arpu_drop', 0.25)).level AS arpu_25_after_lowering;
UPDATE churn_signal SET enabled = false WHERE signal = 'arpu_drop';
SELECT (pg_temp.one('arpu_drop', 0.99)).level AS arpu_when_disabled;
UPDATE churn_signal SET weight = 0.1 WHERE signal = 'usage_drop';
UPDATE churn_signal SET weight = 0.2 WHERE signal = 'complaints_30d';
UPDATE churn_warning_level SET min_score = 0.3 WHERE level = 'yellow';
SELECT (w).level, (w).score
  FROM (SELECT churn_warning(NULL, 0.6, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) AS w) s;
ROLLBACK;
SELECT (pg_temp.one('arpu_drop', 0.25)).level AS arpu_25_after_rollback;

-- Validation (23514) and bad inputs.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$DELETE FROM custvalue.churn_signal WHERE signal = 'arrears'$$,
    $$INSERT INTO custvalue.churn_signal (signal, threshold, weight, unit, description) VALUES ('moon_phase', 1, 1, 'x', 'y')$$,
    $$UPDATE custvalue.churn_signal SET threshold = 1.5 WHERE signal = 'arpu_drop'$$,
    $$UPDATE custvalue.churn_signal SET threshold = 1.5 WHERE signal = 'complaints_30d'$$,
    $$UPDATE custvalue.churn_signal SET threshold = 11 WHERE signal = 'detractor'$$,
    $$UPDATE custvalue.churn_signal SET weight = -1 WHERE signal = 'arpu_drop'$$,
    $$UPDATE custvalue.churn_signal SET min_level = 'none' WHERE signal = 'arpu_drop'$$,
    $$UPDATE custvalue.churn_warning_level SET min_score = 5 WHERE level = 'yellow'$$,
    $$DELETE FROM custvalue.churn_warning_level WHERE level = 'red'$$,
    $$TRUNCATE custvalue.churn_signal$$,
    $$SELECT custvalue.churn_warning('NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT custvalue.churn_warning(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -5, NULL, NULL)$$
]) AS q;
-- Moving several levels at once works with the constraint deferred.
BEGIN;
SET CONSTRAINTS churn_warning_level_valid DEFERRED;
UPDATE churn_warning_level SET min_score = min_score + 10;
UPDATE churn_warning_level SET min_score = min_score - 10;
COMMIT;
SELECT level, min_score FROM churn_warning_level ORDER BY level;

-- ---------------------------------------------------------------------------
-- Inputs from the reference model.  Reference month 2026-06 (last bills).
-- 1 gold card: bill 500/month, June 300 (-40 %), voice 1000 -> 400, two
--   complaints in June: arpu 1 + usage 1 + complaints 1.5 = red.
-- 2 diamond card, tenure 17 months, bundle ends 2026-07-20 (20 days after
--   June 30), NPS 3 in May: tenure 0.5 + bundle 1 + detractor 1 = orange.
-- 3 tier b (ARPU 150), suspended, 80 yuan arrears: orange by min_level.
-- 4 tier c with the same signals as 1: red, but below b: not on the list.
-- 5 churned in April: lifecycle churned.
-- 6 tier a, joined 2026-03: new, no warning beyond short tenure.
-- 7 tier a, CSAT 5, 5 then 3: drop 2; a "not satisfied" and a
--   cancellation in June: 1 + 0.5 + 1 = 2.5 = orange.
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, account_manager, phone_manager, status, churned_on) VALUES
    (9000001, '13900000001', 'changsha', 'gotone', true, '2018-03-10', 'AM01', 'PM01', 'active', NULL),
    (9000002, '13900000002', 'changsha', 'gotone', true, '2025-01-10', 'AM02', 'PM02', 'active', NULL),
    (9000003, '13900000003', 'yueyang', 'mzone', false, '2019-05-01', NULL, 'PM03', 'suspended', NULL),
    (9000004, '13900000004', 'yueyang', 'easyown', false, '2017-01-01', NULL, 'PM04', 'active', NULL),
    (9000005, '13900000005', 'changsha', 'mzone', false, '2020-01-01', NULL, 'PM05', 'churned', '2026-04-15'),
    (9000006, '13900000006', 'changsha', 'mzone', false, '2026-03-01', NULL, 'PM06', 'active', NULL),
    (9000007, '13900000007', 'changsha', 'gotone', false, '2016-06-01', NULL, 'PM07', 'active', NULL);
INSERT INTO monthly_bill (customer_id, month, voice_fee, voice_minutes, data_mb, arrears)
SELECT c, m::date,
       CASE c WHEN 9000001 THEN CASE WHEN m = '2026-06-01' THEN 300 ELSE 500 END
              WHEN 9000002 THEN 700 WHEN 9000003 THEN 150
              WHEN 9000004 THEN CASE WHEN m = '2026-06-01' THEN 60 ELSE 100 END
              WHEN 9000005 THEN 250 WHEN 9000006 THEN 260 ELSE 230 END,
       CASE WHEN c IN (9000001, 9000004) AND m = '2026-06-01' THEN 400 ELSE 1000 END,
       2000,
       CASE WHEN c = 9000003 AND m = '2026-06-01' THEN 80 ELSE 0 END
  FROM unnest(ARRAY[9000001, 9000002, 9000003, 9000004, 9000005, 9000006, 9000007]) c,
       generate_series('2025-07-01'::date, '2026-06-01', '1 month') m
 WHERE (c <> 9000005 OR m < '2026-04-01') AND (c <> 9000006 OR m >= '2026-03-01');
INSERT INTO complaint (customer_id, filed_at, category, severity) VALUES
    (9000001, '2026-06-05 10:00+08', 'network', 'ordinary'),
    (9000001, '2026-06-20 10:00+08', 'billing', 'major'),
    (9000001, '2026-04-20 10:00+08', 'billing', 'minor'),     -- too old
    (9000004, '2026-06-03 10:00+08', 'network', 'ordinary'),
    (9000004, '2026-06-04 10:00+08', 'network', 'ordinary');
INSERT INTO survey_response (customer_id, answered_at, satisfied, csat, nps) VALUES
    (9000002, '2026-05-12 09:00+08', NULL, NULL, 3),
    (9000002, '2025-06-12 09:00+08', NULL, NULL, 10),           -- older than 180 days
    (9000007, '2025-10-01 09:00+08', NULL, 5, NULL),
    (9000007, '2026-01-01 09:00+08', NULL, 5, NULL),
    (9000007, '2026-06-10 09:00+08', false, 3, NULL);
INSERT INTO bundle (customer_id, kind, started_on, ends_on, monthly_floor) VALUES
    (9000002, 'handset', '2024-07-20', '2026-07-20', 0),
    (9000001, 'prepaid', '2026-01-01', '2027-01-01', 50);
INSERT INTO service_cancellation (customer_id, cancelled_at, service) VALUES
    (9000007, '2026-06-15 12:00+08', 'ringback tone');

SELECT as_of_month();
SELECT customer_id, status, tenure_months, arpu_drop, usage_drop, complaints_30d, nps,
       satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d
  FROM customer_churn_inputs WHERE customer_id > 9000000 ORDER BY customer_id;
SELECT customer_id, features FROM customer_churn_inputs WHERE customer_id > 9000000 ORDER BY customer_id;
SELECT customer_id, tier, lifecycle, level, score, signals, round(churn_probability::numeric, 4) AS p
  FROM customer_churn_warning WHERE customer_id > 9000000 ORDER BY customer_id;

-- Probability under the design-prior model, by hand for customer 3:
-- eta = -4 - 0.15 * 85/12 + 0.3 ln 81 + 1.5 (suspended).
SELECT abs(churn_probability - 1 / (1 + exp(-(-4 - 0.15 * 85 / 12.0 + 0.3 * ln(81) + 1.5)))) < 1e-12 AS p3_by_hand
  FROM customer_churn_warning WHERE customer_id = 9000003;

SELECT customer_id, tier, lifecycle, level, churn_probability,
       annual_spend, clv, value_at_risk, owner_channel, owner, signals
  FROM churn_watchlist WHERE customer_id > 9000000;

-- Value at risk = CLV x probability; CLV = spend x DERL when the tier has
-- an sBG fit, else one year of spend.
SELECT count(*) AS listed, bool_and(value_at_risk = round(clv * churn_probability::numeric, 2)) AS var_consistent
  FROM (SELECT w.clv, w.value_at_risk, p.churn_probability
          FROM churn_watchlist w JOIN customer_churn_warning p USING (customer_id)) s;

SELECT tier, customers, churned, alpha, beta, note FROM tier_retention();

-- Back-test of the prior on the last 3 months (inputs at 2026-03, label
-- churned April-June: customer 5 only).
SELECT scorer, customers, churners, auc, round(log_loss::numeric, 4) AS log_loss, lift_top_decile
  FROM churn_backtest(3);
-- Training the watchlist model on this history (horizon 2: inputs at
-- 2026-02, label churned March-April; customer 5 is the only churner): with
-- the ridge penalty it fits; the stored model is replaced, then the prior
-- restored.
CREATE TABLE public.saved_model AS SELECT * FROM churn_model_store WHERE name = 'watchlist';
SELECT (churn_model_info(churn_train_watchlist_model(2, 1.0))).n AS trained_on;
SELECT name, (churn_model_info(model)).n, note FROM churn_model_store WHERE name = 'watchlist';
SELECT pg_temp.expect_error($$SELECT custvalue.churn_train_watchlist_model(0)$$);
SELECT pg_temp.expect_error($$SELECT custvalue.churn_train_watchlist_model(2, 0)$$);
-- Out of time: the last 2 months (inputs at 2026-04) had no churner.
SELECT scorer, customers, churners, auc FROM churn_backtest(2);
UPDATE churn_model_store s SET model = v.model, feature_names = v.feature_names,
       trained_at = v.trained_at, note = v.note
  FROM saved_model v WHERE s.name = 'watchlist';
DROP TABLE saved_model;

-- A fired signal's value in the jsonb is the numeric of the float's
-- shortest decimal (as float8out prints it), digits and display scale
-- alike: tiny, long, huge and negative values (arpu_drop's threshold
-- lowered to its minimum so they all fire).
BEGIN;
UPDATE churn_signal SET threshold = 0.0001 WHERE signal = 'arpu_drop';
SELECT v, left((w).signals ->> 'arpu_drop', 40) AS in_jsonb,
       (w).signals ->> 'arpu_drop' = (v::text::numeric)::text AS same_digits_and_scale
  FROM unnest(ARRAY[0.0001, 0.00012345678901234567, 0.1::float8 + 0.2::float8, 0.3, 2.5, 1.0 / 3,
                    123456789.125, 9007199254740993, 1e15 + 0.5, 1e22,
                    1.7976931348623157e308]::float8[]) AS v,
       LATERAL (SELECT churn_warning(v, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) AS w) s;
ROLLBACK;
SELECT (w).signals AS bundle_and_arrears, (w).signals ->> 'arrears' = '250.57' AS arrears_exact
  FROM (SELECT churn_warning(NULL, NULL, NULL, NULL, NULL, NULL, NULL, -3, 250.57, NULL, NULL) AS w) s;

-- Customers with no signal share one row per query (no palloc each); every
-- consumer that keeps rows (materialised CTE, sort, hash, array_agg,
-- PL/pgSQL variables) must see each customer's own row.
WITH w AS MATERIALIZED (
    SELECT i, churn_warning(CASE WHEN i % 3 = 0 THEN 0.3 + i / 10000.0 END,
                            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) AS r
      FROM generate_series(1, 3000) AS i)
SELECT count(*) FILTER (WHERE (r).signals = '{}') AS quiet,
       count(DISTINCT r) AS distinct_rows,
       (SELECT count(*) FROM (SELECT DISTINCT r FROM w) AS d) AS hashed_or_sorted,
       (SELECT bool_and(((a[k]).signals = '{}') = (k % 3 <> 0))
          FROM (SELECT array_agg(r ORDER BY i) AS a FROM w) AS x, generate_series(1, 3000) AS k) AS array_agg_in_order,
       (SELECT min((r).signals ->> 'arpu_drop') || ' .. ' || max((r).signals ->> 'arpu_drop') FROM w) AS arpu_range
  FROM w;
DO $$
DECLARE
    kept custvalue.churn_warning_result[] := '{}';
    r custvalue.churn_warning_result;
BEGIN
    FOR i IN 1..100 LOOP
        r := custvalue.churn_warning(CASE WHEN i % 2 = 0 THEN 0.5 END,
                                     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        kept := kept || r;
    END LOOP;
    FOR i IN 1..100 LOOP
        IF ((kept[i]).signals = '{}') <> (i % 2 = 1) THEN
            RAISE EXCEPTION 'row % is not its own', i;
        END IF;
    END LOOP;
    RAISE NOTICE 'plpgsql: 100 rows kept, each its own';
END
$$;

-- Serial = parallel for the warning function (PARALLEL SAFE, policy pinned
-- per worker).
CREATE TABLE public.warn_many AS
SELECT i, (i % 100) / 100.0 AS a, (i % 37) / 37.0 AS u, i % 4 AS c, i % 48 AS t
  FROM generate_series(1, 50000) i;
ANALYZE warn_many;
CREATE TABLE public.warn_serial AS
SELECT (w).level, count(*), sum((w).score)
  FROM (SELECT churn_warning(a, u, c, t, NULL, NULL, NULL, NULL, NULL, NULL, NULL) AS w FROM warn_many) s
 GROUP BY 1;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT level, count, sum,
       (count, sum) = (SELECT count(*), sum((w).score)
                         FROM (SELECT churn_warning(a, u, c, t, NULL, NULL, NULL, NULL, NULL, NULL, NULL) AS w
                                 FROM warn_many) p WHERE (w).level = s.level) AS parallel_equal
  FROM warn_serial s ORDER BY level;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DROP TABLE warn_many, warn_serial;

-- churn_level(): the level of churn_warning() without forming the row or
-- the jsonb.  Every argument varies (NULLs included) over 20 000 rows, under
-- the default policy and with a signal disabled and a level moved.
CREATE TABLE public.warn_args AS
SELECT CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 100) / 250.0 END::float8 AS a,
       CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 37) / 60.0 END::float8 AS u,
       CASE WHEN i % 17 = 0 THEN NULL ELSE (i % 8 = 0)::int * 2 END AS c,
       CASE WHEN i % 19 = 0 THEN NULL ELSE 12 + i % 48 END AS t,
       CASE WHEN i % 7 = 0 THEN NULL ELSE 5 + i % 6 END AS n,
       CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 23) / 20.0 END::float8 AS sd,
       CASE WHEN i % 3 = 0 THEN NULL ELSE (i % 9 = 0)::int END AS d,
       CASE WHEN i % 29 = 0 THEN NULL ELSE 30 + i % 120 END AS b,
       CASE WHEN i % 31 = 0 THEN NULL ELSE (i % 40 = 0)::int * 12.5 END::numeric AS ar,
       CASE WHEN i % 37 = 0 THEN NULL ELSE i % 41 = 0 END AS su,
       CASE WHEN i % 43 = 0 THEN NULL ELSE (i % 50 = 0)::int END AS ca
  FROM generate_series(1, 20000) i;
CREATE FUNCTION pg_temp.level_check() RETURNS TABLE (rows bigint, differ bigint, levels text)
    LANGUAGE sql AS $$
    WITH x AS (SELECT churn_level(a, u, c, t, n, sd, d, b, ar, su, ca) AS l,
                      churn_warning(a, u, c, t, n, sd, d, b, ar, su, ca) AS w
                 FROM warn_args)
    SELECT count(*),
           count(*) FILTER (WHERE l IS DISTINCT FROM (w).level),
           (SELECT string_agg(l || ' ' || n, ', ' ORDER BY l)
              FROM (SELECT l, count(*) AS n FROM x GROUP BY l) g)
      FROM x $$;
SELECT * FROM pg_temp.level_check();
BEGIN;
UPDATE churn_signal SET enabled = false WHERE signal = 'suspended';
UPDATE churn_warning_level SET min_score = 1.5 WHERE level = 'yellow';
SELECT * FROM pg_temp.level_check();
ROLLBACK;
SELECT churn_level(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL) AS suspended_only,
       count(*) FILTER (WHERE churn_level(a, u, c, t, n, sd, d, b, ar, su, ca) >= 'orange') AS orange_or_red
  FROM warn_args;
SELECT pg_temp.expect_error($$SELECT churn_level(NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$);
SELECT pg_temp.expect_error($$SELECT churn_level('NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$);
DROP TABLE warn_args;
SELECT pg_temp.drop_customers(9000001, 9000007);
