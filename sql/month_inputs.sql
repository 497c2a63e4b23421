-- The monthly cycle's per-customer arithmetic in C: month_bill_inputs()
-- and month_survey_inputs() against customers computed by hand and against
-- exact SQL over many generated ones (serial and parallel),
-- value_class_thresholds() against the window query, tenure_months()
-- against age(), round2() against round(::numeric, 2).
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

CREATE TABLE bills (customer_id int, month date, total_fee numeric, data_fee numeric, vas_fee numeric,
                    paid_late boolean, arrears numeric, cost_to_serve numeric, voice_minutes int, data_mb int);
-- Customer 1, as of June 2009: spend window from July 2008, ARPU window
-- from April, baseline March to May.
INSERT INTO bills VALUES
    (1, '2008-06-01', 500.00, 0, 0, true, 9.00, 1, 999, 999),    -- before every window: ignored
    (1, '2009-03-01', 100.00, 20, 5, false, 0, 60, 300, 1000),
    (1, '2009-04-01', 110.00, 30, 0, true, 0, 70, 200, 1100),
    (1, '2009-05-01', 90.00, 10, 10, false, 15.50, NULL, 100, 900),
    (1, '2009-06-01', 75.00, 15, 0, false, 12.25, 50, 150, 1500),
    (1, '2009-07-01', 800.00, 0, 0, true, 0, 1, 1, 1);            -- after as_of: ignored
-- revenue 375.00; ARPU (110 + 90 + 75) / 3 = 91.666.. -> 91.67;
-- credit risk: April late, May and June in arrears, 3 of 4 months = 0.75;
-- tariff share (25 + 30 + 20 + 15) / 375 = 0.24; May's cost unknown, so
-- no net value, and the margin (40 + 40 + 25) / 3 = 35.00 per costed month;
-- the fee drop 1 - 75 / 100 = 0.25; voice 1 - 150 / 200 = 0.25, data
-- 1 - 1500 / 1000 = -0.5, usage drop the larger 0.25; June's arrears 12.25.
-- Customer 2 (the real case behind the exact arithmetic): voice 159, 178,
-- 207 then 153: 1 - 153 / (544 / 3) = 85 / 544 = 0.15625 exactly, which
-- rounds half away to 0.1563.  avg() makes 544 / 3 a rounded decimal first,
-- and round(1 - 153 / avg(...), 4) gave 0.1562.  Data 17, 20, 23 then 17:
-- 0.15.  No bill in the spend window before March: ARPU over 3 months.
INSERT INTO bills VALUES
    (2, '2009-03-01', 82.39, 0, 0, false, 0, NULL, 159, 17),
    (2, '2009-04-01', 93.39, 0, 0, false, 0, NULL, 178, 20),
    (2, '2009-05-01', 108.57, 0, 0, false, 0, NULL, 207, 23),
    (2, '2009-06-01', 80.23, 0, 0, false, 0, NULL, 153, 17);
-- Customer 3: no June bill (not billed, no drops, no arrears), a zero
-- baseline fee (no fee drop: nullif), a NULL fee row (skipped for money,
-- counted for usage), and no cost known (no margin).
INSERT INTO bills VALUES
    (3, '2009-04-01', 0, 0, 0, false, 0, NULL, 10, 0),
    (3, '2009-05-01', NULL, 0, 0, false, 0, NULL, 20, 0);
SELECT customer_id, (f).*
  FROM (SELECT customer_id,
               month_bill_inputs(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve,
                                 voice_minutes, data_mb, '2009-06-01', '2008-07-01', '2009-04-01', '2009-03-01') AS f
          FROM bills GROUP BY customer_id) x
 ORDER BY customer_id;
-- A customer whose only bills lie outside every window has no figures.
SELECT month_bill_inputs(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve,
                         voice_minutes, data_mb, '2009-06-01', '2009-01-01', '2009-04-01', '2009-03-01') IS NULL
       AS no_figures
  FROM bills WHERE month IN ('2008-06-01', '2009-07-01');
-- Negative money is refused, as by bill_value_summary.
SELECT pg_temp.expect_error($$SELECT month_bill_inputs('2009-06-01', -1, 0, 0, false, 0, NULL, 0, 0,
                                                       '2009-06-01', '2008-07-01', '2009-04-01', '2009-03-01')$$);

-- 20 000 generated customers over 14 months: the aggregate agrees with the
-- SQL it replaced in run_month, except that the drops are the exact quotient
-- (now * months / sum, not now / avg); serial and parallel plans agree.
TRUNCATE bills;
INSERT INTO bills
SELECT c, m::date,
       CASE WHEN (c * 7 + k) % 23 = 0 THEN NULL ELSE ((c * 37 + k * 101) % 9000) / 100.0 END,
       ((c * 13 + k) % 2000) / 100.0, ((c + k * 7) % 500) / 100.0,
       (c + k) % 11 = 0, CASE WHEN (c * 3 + k) % 17 = 0 THEN ((c + k) % 300) / 10.0 ELSE 0 END,
       CASE WHEN (c + 2 * k) % 5 = 0 THEN NULL ELSE ((c * 11 + k) % 4000) / 100.0 END,
       CASE WHEN (c + k) % 29 = 0 THEN NULL ELSE (c * 17 + k * 31) % 400 END,
       (c * 19 + k * 43) % 3000
  FROM generate_series(1, 20000) c,
       generate_series(0, 13) k,
       LATERAL (SELECT date '2008-05-01' + make_interval(months => k) AS m) mm
 WHERE (c + k) % 9 <> 0;
ANALYZE bills;
CREATE TABLE by_sql AS
SELECT b.customer_id,
       coalesce((t).total_fee, 0) AS revenue,
       coalesce((t).arpu_fee / nullif((t).arpu_months, 0), 0)::numeric(12,2) AS monthly_arpu,
       (t).risk_months::float8 / (t).billed_months AS credit_risk,
       (t).growth_share AS tariff_share,
       CASE WHEN (t).costed_months = (t).billed_months THEN (t).costed_margin END AS net_value,
       round((t).costed_margin / nullif((t).costed_months, 0), 2) AS monthly_margin,
       fee_now IS NOT NULL AS billed,
       round(1 - fee_now * fee_n / nullif(fee_sum, 0), 4)::float8 AS arpu_drop,
       greatest(round(1 - voice_now * voice_n / nullif(voice_sum, 0)::numeric, 4),
                round(1 - data_now * data_n / nullif(data_sum, 0)::numeric, 4))::float8 AS usage_drop,
       arrears
  FROM (SELECT b.customer_id,
               bill_value_summary(b.month, b.total_fee, b.data_fee, b.vas_fee, b.paid_late, b.arrears,
                                  b.cost_to_serve, '2009-04-01') FILTER (WHERE b.month >= '2008-07-01') AS t,
               max(b.total_fee) FILTER (WHERE b.month = '2009-06-01') AS fee_now,
               sum(b.total_fee) FILTER (WHERE b.month >= '2009-03-01' AND b.month < '2009-06-01') AS fee_sum,
               count(b.total_fee) FILTER (WHERE b.month >= '2009-03-01' AND b.month < '2009-06-01') AS fee_n,
               max(b.voice_minutes) FILTER (WHERE b.month = '2009-06-01') AS voice_now,
               sum(b.voice_minutes) FILTER (WHERE b.month >= '2009-03-01' AND b.month < '2009-06-01') AS voice_sum,
               count(b.voice_minutes) FILTER (WHERE b.month >= '2009-03-01' AND b.month < '2009-06-01') AS voice_n,
               max(b.data_mb) FILTER (WHERE b.month = '2009-06-01') AS data_now,
               sum(b.data_mb) FILTER (WHERE b.month >= '2009-03-01' AND b.month < '2009-06-01') AS data_sum,
               count(b.data_mb) FILTER (WHERE b.month >= '2009-03-01' AND b.month < '2009-06-01') AS data_n,
               max(b.arrears) FILTER (WHERE b.month = '2009-06-01') AS arrears
          FROM bills b
         WHERE b.month >= '2008-07-01' AND b.month <= '2009-06-01'
         GROUP BY b.customer_id) b;
CREATE VIEW by_aggregate AS
SELECT customer_id, coalesce((f).revenue, 0) AS revenue, (f).monthly_arpu, (f).credit_risk, (f).tariff_share,
       (f).net_value, (f).monthly_margin, (f).billed, (f).arpu_drop, (f).usage_drop, (f).arrears
  FROM (SELECT customer_id,
               month_bill_inputs(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve,
                                 voice_minutes, data_mb, '2009-06-01', '2008-07-01', '2009-04-01', '2009-03-01') AS f
          FROM bills WHERE month >= '2008-07-01' AND month <= '2009-06-01' GROUP BY customer_id) x;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE s.billed) AS billed,
       count(*) FILTER (WHERE s.arpu_drop IS NOT NULL) AS with_fee_drop,
       count(*) FILTER (WHERE s.net_value IS NULL) AS without_net_value
  FROM by_sql s;
SELECT count(*) AS differences FROM ((TABLE by_sql EXCEPT TABLE by_aggregate)
                                     UNION ALL (TABLE by_aggregate EXCEPT TABLE by_sql)) d;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_sort = off;    -- a partial hash aggregate in each worker
EXPLAIN (COSTS OFF) SELECT sum(revenue) FROM by_aggregate;
SELECT count(*) AS parallel_differences FROM ((TABLE by_sql EXCEPT TABLE by_aggregate)
                                              UNION ALL (TABLE by_aggregate EXCEPT TABLE by_sql)) d;
RESET ALL;
SET search_path = public, custvalue;

-- ------------------------------------------------------------ month_survey_inputs
-- As of the end of June 2009 (nps since 2 January, recent since 1 June):
-- customer 1's latest NPS is June's 9 (the later of two answers at the same
-- time, by response_id); CSAT 5, 4, 4 then latest 2: (4 + 4 + 5) / 3 - 2 =
-- 2.3333; one dissatisfied answer in the last 30 days (the March one is
-- older).  Customer 2: an NPS older than 180 days does not count; one CSAT
-- answer gives no drop.  Customer 3: a NULL id is latest at its time: NPS
-- 5, CSAT (4 + 2) - 2 * 2 = 2.
CREATE TABLE answers (customer_id int, response_id bigint, answered_at timestamptz, csat smallint,
                      nps smallint, satisfied boolean);
INSERT INTO answers VALUES
    (1, 10, '2009-03-01', 5, 3, false), (1, 11, '2009-04-01', 4, NULL, true),
    (1, 12, '2009-05-01', 4, 6, true), (1, 14, '2009-06-20', 2, 9, false),
    (1, 13, '2009-06-20', NULL, 1, NULL),
    (2, 20, '2008-12-01', 3, 10, true),
    (3, 31, '2009-06-01', 4, 8, true), (3, NULL, '2009-06-01', 2, 5, true);
SELECT customer_id, (f).*
  FROM (SELECT customer_id,
               month_survey_inputs(answered_at, response_id, csat, nps, satisfied,
                                   '2009-07-01'::timestamptz - interval '180 days',
                                   '2009-07-01'::timestamptz - interval '30 days') AS f
          FROM answers WHERE answered_at >= '2008-07-01' AND answered_at < '2009-07-01'
         GROUP BY customer_id) x
 ORDER BY customer_id;
-- 30 000 generated customers: the SQL it replaced, serial and parallel.
TRUNCATE answers;
INSERT INTO answers
SELECT i % 30000, i, timestamptz '2008-07-01' + make_interval(days => (i * 7) % 365, hours => i % 3),
       CASE WHEN i % 5 = 0 THEN NULL ELSE 1 + (i * 13) % 5 END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE (i * 17) % 11 END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE i % 4 <> 0 END
  FROM generate_series(1, 120000) i;
CREATE TABLE answers_by_sql AS
SELECT customer_id, nps::int AS nps,
       CASE WHEN csat_n > 1 THEN round((csat_sum - csat_last) / (csat_n - 1.0) - csat_last, 4)::float8 END
           AS satisfaction_drop,
       dissatisfied
  FROM (SELECT s.customer_id,
               (array_agg(s.nps ORDER BY s.answered_at DESC, s.response_id DESC)
                  FILTER (WHERE s.nps IS NOT NULL AND s.answered_at >= '2009-07-01'::timestamptz - interval '180 days'))[1] AS nps,
               (array_agg(s.csat ORDER BY s.answered_at DESC, s.response_id DESC)
                  FILTER (WHERE s.csat IS NOT NULL))[1] AS csat_last,
               sum(s.csat) AS csat_sum, count(s.csat) AS csat_n,
               count(*) FILTER (WHERE s.satisfied = false
                                  AND s.answered_at >= '2009-07-01'::timestamptz - interval '30 days')::int AS dissatisfied
          FROM answers s GROUP BY s.customer_id) a;
CREATE VIEW answers_by_aggregate AS
SELECT customer_id, (f).*
  FROM (SELECT customer_id,
               month_survey_inputs(answered_at, response_id, csat, nps, satisfied,
                                   '2009-07-01'::timestamptz - interval '180 days',
                                   '2009-07-01'::timestamptz - interval '30 days') AS f
          FROM answers GROUP BY customer_id) x;
SELECT count(*) AS customers, count(nps) AS with_nps, count(satisfaction_drop) AS with_drop,
       sum(dissatisfied) AS dissatisfied
  FROM answers_by_sql;
SELECT count(*) AS differences FROM ((TABLE answers_by_sql EXCEPT TABLE answers_by_aggregate)
                                     UNION ALL (TABLE answers_by_aggregate EXCEPT TABLE answers_by_sql)) d;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_sort = off;
SELECT count(*) AS parallel_differences FROM ((TABLE answers_by_sql EXCEPT TABLE answers_by_aggregate)
                                              UNION ALL (TABLE answers_by_aggregate EXCEPT TABLE answers_by_sql)) d;
RESET ALL;
SET search_path = public, custvalue;

-- ------------------------------------------------------------ states
-- Both aggregates keep a flat bytea state (a tag, then int64 fields in this
-- machine's byte order), which parallel query and Citus ship as it is, with
-- no serial functions.  SQL can hand a state to the combine and final
-- functions through an aggregate of its own, so they check it (22P03).
CREATE AGGREGATE pg_temp.bill_state(date, numeric, numeric, numeric, boolean, numeric, numeric,
                                    integer, integer, date, date, date, date) (
    SFUNC = custvalue.month_bills_accum, STYPE = bytea);
CREATE AGGREGATE pg_temp.bill_merge(bytea) (
    SFUNC = custvalue.month_bills_combine, STYPE = bytea, FINALFUNC = custvalue.month_bills_final);
CREATE AGGREGATE pg_temp.survey_state(timestamptz, bigint, smallint, smallint, boolean, timestamptz, timestamptz) (
    SFUNC = custvalue.month_surveys_accum, STYPE = bytea);
CREATE AGGREGATE pg_temp.survey_merge(bytea) (
    SFUNC = custvalue.month_surveys_combine, STYPE = bytea, FINALFUNC = custvalue.month_surveys_final);
-- Each customer's rows in two halves (odd and even months), merged: the
-- aggregate's own answer, for every customer.
WITH halves AS (
    SELECT customer_id,
           pg_temp.bill_state(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve,
                              voice_minutes, data_mb, '2009-06-01', '2008-07-01', '2009-04-01', '2009-03-01') AS s
      FROM bills GROUP BY customer_id, extract(month FROM month)::int % 2
), merged AS (
    SELECT customer_id, pg_temp.bill_merge(s) AS f FROM halves GROUP BY customer_id
), direct AS (
    SELECT customer_id,
           month_bill_inputs(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve,
                             voice_minutes, data_mb, '2009-06-01', '2008-07-01', '2009-04-01', '2009-03-01') AS f
      FROM bills GROUP BY customer_id
)
SELECT count(*) AS customers, count(d.f) AS with_figures,
       count(*) FILTER (WHERE m.f IS DISTINCT FROM d.f) AS merged_differ
  FROM merged m FULL JOIN direct d USING (customer_id);
WITH halves AS (
    SELECT customer_id,
           pg_temp.survey_state(answered_at, response_id, csat, nps, satisfied,
                                '2009-07-01'::timestamptz - interval '180 days',
                                '2009-07-01'::timestamptz - interval '30 days') AS s
      FROM answers WHERE answered_at >= '2008-07-01' AND answered_at < '2009-07-01'
     GROUP BY customer_id, extract(month FROM answered_at)::int % 2
), merged AS (
    SELECT customer_id, pg_temp.survey_merge(s) AS f FROM halves GROUP BY customer_id
), direct AS (
    SELECT customer_id,
           month_survey_inputs(answered_at, response_id, csat, nps, satisfied,
                               '2009-07-01'::timestamptz - interval '180 days',
                               '2009-07-01'::timestamptz - interval '30 days') AS f
      FROM answers WHERE answered_at >= '2008-07-01' AND answered_at < '2009-07-01'
     GROUP BY customer_id
)
SELECT count(*) AS customers, count(d.f) AS with_figures,
       count(*) FILTER (WHERE m.f IS DISTINCT FROM d.f) AS merged_differ
  FROM merged m FULL JOIN direct d USING (customer_id);
-- Damaged states.  Bills: months billed is the first field (bytes 4-11),
-- the flag "the month has a fee" the fifteenth (byte 116).  Surveys: "has
-- an NPS" the first (byte 4), the CSAT answers the twelfth (bytes 92-99).
SELECT label, pg_temp.expect_error(format('SELECT pg_temp.bill_merge(x) FROM (VALUES (%L::bytea)) v(x)', m))
  FROM (SELECT pg_temp.bill_state(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve,
                                  voice_minutes, data_mb, '2009-06-01', '2008-07-01', '2009-04-01', '2009-03-01') AS s
          FROM bills WHERE customer_id = 1) t,
       LATERAL (VALUES ('wrong tag', set_byte(s, 0, 0)),
                       ('one byte short', substr(s, 1, length(s) - 1)),
                       ('negative months billed', set_byte(s, 11, 128)),
                       ('a flag of 2', set_byte(s, 116, 2))) AS v(label, m);
SELECT label, pg_temp.expect_error(format('SELECT pg_temp.survey_merge(x) FROM (VALUES (%L::bytea)) v(x)', m))
  FROM (SELECT pg_temp.survey_state(answered_at, response_id, csat, nps, satisfied, '2008-01-01', '2009-06-01') AS s
          FROM answers WHERE customer_id = 1) t,
       LATERAL (VALUES ('wrong tag', set_byte(s, 0, 0)),
                       ('a bill state', (SELECT pg_temp.bill_state(month, total_fee, data_fee, vas_fee, paid_late,
                                                                   arrears, cost_to_serve, voice_minutes, data_mb,
                                                                   '2009-06-01', '2008-07-01', '2009-04-01', '2009-03-01')
                                           FROM bills WHERE customer_id = 1)),
                       ('a flag of 2', set_byte(s, 4, 2)),
                       ('negative CSAT answers', set_byte(s, 99, 128))) AS v(label, m);
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggtranstype::regtype AS state, a.aggcombinefn,
       a.aggserialfn, a.aggdeserialfn
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
 WHERE p.pronamespace = 'custvalue'::regnamespace AND p.proname IN ('month_bill_inputs', 'month_survey_inputs')
 ORDER BY 1::text;

DROP TABLE answers, answers_by_sql CASCADE;

-- ------------------------------------------------------------ churn_features
-- The C function against the SQL expression it replaced, on 20 000 input
-- rows with NULLs, negative and out-of-range drops, NaN and arrears with
-- more than two decimals; and ln()'s error for arrears of -1.
CREATE FUNCTION pg_temp.churn_features_sql(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS float8[] LANGUAGE sql IMMUTABLE
RETURN ARRAY[greatest(0, least(1, coalesce(arpu_drop, 0))),
             greatest(0, least(1, coalesce(usage_drop, 0))),
             complaints_30d,
             tenure_months / 12.0::float8,
             CASE WHEN nps < 7 THEN 1 ELSE 0 END,
             greatest(0, coalesce(satisfaction_drop, 0)),
             dissatisfied_30d,
             CASE WHEN bundle_days_left IS NULL THEN 0
                  ELSE greatest(0, 1 - bundle_days_left / 90.0::float8) END,
             ln(1 + coalesce(arrears, 0)::float8),
             CASE WHEN suspended THEN 1 ELSE 0 END,
             cancellations_30d]::float8[];
CREATE TABLE feature_inputs AS
SELECT CASE WHEN i % 13 = 0 THEN NULL WHEN i % 97 = 0 THEN 'NaN' ELSE ((i * 31) % 300 - 100) / 137.0 END::float8 AS a,
       CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 17) % 260 - 60) / 99.0 END::float8 AS u,
       CASE WHEN i % 19 = 0 THEN NULL ELSE i % 4 END AS c,
       CASE WHEN i % 23 = 0 THEN NULL ELSE (i * 7) % 200 END AS t,
       CASE WHEN i % 5 = 0 THEN NULL ELSE i % 11 END AS n,
       CASE WHEN i % 7 = 0 THEN NULL WHEN i % 89 = 0 THEN 'NaN' ELSE ((i * 3) % 50 - 20) / 9.0 END::float8 AS s,
       CASE WHEN i % 29 = 0 THEN NULL ELSE i % 3 END AS d,
       CASE WHEN i % 3 = 0 THEN NULL ELSE (i * 13) % 200 - 20 END AS b,
       CASE WHEN i % 17 = 0 THEN NULL WHEN i % 41 = 0 THEN ((i * 7) % 100000) / 1000.0
            ELSE ((i * 7) % 500000) / 100.0 END AS r,
       CASE WHEN i % 31 = 0 THEN NULL ELSE i % 2 = 0 END AS p,
       CASE WHEN i % 37 = 0 THEN NULL ELSE i % 5 END AS x
  FROM generate_series(1, 20000) i;
SELECT count(*) AS inputs,
       count(*) FILTER (WHERE churn_features(a, u, c, t, n, s, d, b, r, p, x)
                              IS DISTINCT FROM pg_temp.churn_features_sql(a, u, c, t, n, s, d, b, r, p, x)) AS differ
  FROM feature_inputs;
SELECT churn_features(0.25, NULL, 2, 30, 6, 'NaN', NULL, 45, 12.25, true, 1);
SELECT pg_temp.expect_error($$SELECT churn_features(0, 0, 0, 0, 0, 0, 0, 0, -1, false, 0)$$);
DROP TABLE feature_inputs;

-- ------------------------------------------------------------ tenure_months
-- age()'s rule: a month counts once its day of the month is reached; the
-- end of February reaches no 30th or 31st.
SELECT j::date AS joined_on, a::date AS as_of, tenure_months(j::date, a::date),
       (extract(year FROM age(a::date, j::date)) * 12 + extract(month FROM age(a::date, j::date)))::int AS by_age
  FROM (VALUES ('2009-01-31', '2009-02-28'), ('2009-01-31', '2009-03-31'), ('2008-02-29', '2009-02-28'),
               ('2008-02-29', '2012-02-29'), ('2009-06-30', '2009-06-30'), ('2009-06-15', '2009-06-14'),
               ('2000-01-01', '2009-06-30')) v(j, a);
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE tenure_months(j, a) <> (extract(year FROM age(a, j)) * 12
                                                      + extract(month FROM age(a, j)))::int) AS differ
  FROM (SELECT date '2004-01-01' + (i * 37) % 2500 AS j, date '2004-01-01' + (i * 53) % 2500 AS a
          FROM generate_series(1, 20000) i) p;
SELECT pg_temp.expect_error($$SELECT tenure_months('infinity', '2009-06-30')$$);

-- ------------------------------------------------------------ round2
SELECT v, round2(v), round(v::numeric, 2) AS by_numeric
  FROM unnest(ARRAY[1.005, 0.125, -0.125, 2.675, 99.995, -1e-9, 1234567.125, 1e20, 'NaN', '-Infinity']::float8[]) v;
SELECT count(*) AS values, count(*) FILTER (WHERE round2(v) IS DISTINCT FROM round(v::numeric, 2)) AS differ
  FROM (SELECT ((i * 7919) % 2000003 - 1000000) / 8000.0::float8 + (i % 7) * 1e-9 AS v
          FROM generate_series(1, 200000) i) x;

-- ------------------------------------------------------------ value_class_thresholds
-- Revenues 50, 30, 10, 10: total 100.  Class A at 0.80: before 0, 50, 80
-- -> 50 and 30 are in (80 is not below 80): threshold 30.  Class B at 0.95:
-- before 80 and 90 are below 95, so both customers with 10 are in:
-- threshold 10.  Core at 0.5: the first ceil(2) = 2 customers: threshold
-- 30.  The NULL revenue is skipped.
SELECT (value_class_thresholds(r, 0.80, 0.95, 0.5)).*
  FROM unnest(ARRAY[10, 50, NULL, 10, 30]::numeric[]) r;
SELECT (value_class_thresholds(r, 0.80, 0.95, 0.5)).* FROM unnest(ARRAY[0, 0]::numeric[]) r;   -- no revenue: no class A or B
SELECT value_class_thresholds(r, 0.8, 0.95, 0.2) IS NULL AS empty FROM unnest(ARRAY[]::numeric[]) r;
SELECT pg_temp.expect_error($$SELECT value_class_thresholds(r, 0.8, 0.95, 0.2) FROM unnest(ARRAY[-1]::numeric[]) r$$);
SELECT pg_temp.expect_error($$SELECT value_class_thresholds(r, NULL, 0.95, 0.2) FROM unnest(ARRAY[1]::numeric[]) r$$);
-- Against the window query of value_population_live, on 50 000 revenues
-- with many ties, with a sort that spills (work_mem 64kB).
CREATE TABLE revenues AS
SELECT ((i * 7919) % 5000) / 4.0 AS revenue FROM generate_series(1, 50000) i;
SET work_mem = '64kB';
WITH tot AS (SELECT count(*) AS customers, sum(revenue) AS total_revenue FROM revenues),
ranked AS (SELECT revenue, sum(revenue) OVER w - revenue AS before, row_number() OVER w AS rn
             FROM revenues WINDOW w AS (ORDER BY revenue DESC ROWS UNBOUNDED PRECEDING)),
by_window AS (SELECT min(r.revenue) FILTER (WHERE r.before < 0.80 * t.total_revenue) AS a,
                     min(r.revenue) FILTER (WHERE r.before < 0.95 * t.total_revenue) AS b,
                     min(r.revenue) FILTER (WHERE r.rn <= ceil(0.2 * t.customers)) AS core
                FROM ranked r, tot t),
by_aggregate AS (SELECT (x).* FROM (SELECT value_class_thresholds(revenue, 0.80, 0.95, 0.2) AS x FROM revenues) y)
SELECT g.*, (w.a, w.b, w.core) = (g.a_min_revenue, g.b_min_revenue, g.core_min_revenue) AS same_as_window
  FROM by_window w, by_aggregate g;
RESET work_mem;
DROP TABLE revenues;

-- ------------------------------------------------------------ to_float8
SELECT v, to_float8(v), v::float8 AS by_cast
  FROM unnest(ARRAY[0, 0.1, 12.25, 1234567.89, 0.005, -3.10, 1e20, 'NaN']::numeric[]) v;
SELECT count(*) AS values, count(*) FILTER (WHERE to_float8(v) IS DISTINCT FROM v::float8) AS differ
  FROM (SELECT ((i * 7919 % 100000000)::numeric / 100)::numeric(12,2) AS v FROM generate_series(1, 200000) i) x;

-- Labels.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict
  FROM pg_proc p
 WHERE p.pronamespace = 'custvalue'::regnamespace
   AND p.proname IN ('month_bill_inputs', 'tenure_months', 'round2', 'month_bills_final', 'value_class_thresholds', 'month_survey_inputs', 'churn_features', 'to_float8')
 ORDER BY 1::text;
DROP TABLE bills, by_sql CASCADE;
