-- churn_fit / churn_probability / evaluation aggregates on small data sets
-- whose answers are known in closed form; errors; type I/O; serial = parallel.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

-- One binary feature: the MLE reproduces the observed churn rate of each
-- group.  x = 0: 2 of 6 churn, logit(1/3) = -ln 2; x = 1: 3 of 4 churn,
-- logit(3/4) = ln 3; so b0 = -ln 2 and b1 = ln 3 + ln 2 = ln 6.
CREATE TABLE public.tiny (y boolean, x float8);
INSERT INTO tiny VALUES (true, 0), (true, 0), (false, 0), (false, 0), (false, 0), (false, 0),
                        (true, 1), (true, 1), (true, 1), (false, 1);
SELECT (i).features, (i).n, (i).l2,
       abs((i).coefficients[1] - (-ln(2))) < 1e-12 AS b0_is_minus_ln2,
       abs((i).coefficients[2] - ln(6)) < 1e-12 AS b1_is_ln6,
       -- loglik = 6 (1/3 ln 1/3 + 2/3 ln 2/3) + 4 (3/4 ln 3/4 + 1/4 ln 1/4)
       abs((i).loglik - (6 * (ln(1/3.0) / 3 + 2 * ln(2/3.0) / 3)
                         + 4 * (3 * ln(0.75) / 4 + ln(0.25) / 4))) < 1e-12 AS loglik_ok
  FROM (SELECT churn_model_info(churn_fit(y, ARRAY[x])) AS i FROM tiny) s;

-- Its probabilities are the group rates.
SELECT round(churn_probability(m, '{0}')::numeric, 12) AS p0,
       round(churn_probability(m, '{1}')::numeric, 12) AS p1
  FROM (SELECT churn_fit(y, ARRAY[x]) AS m FROM tiny) s;

-- Intercept-only model: b0 = logit(5/10) = 0.
SELECT churn_fit(y, '{}'::float8[]) FROM tiny;

-- L2: the penalized score equations hold at the answer:
-- sum(y - p) = 0 and sum((y - p) x) - l2 * b1 = 0; the slope shrinks.
CREATE TABLE public.tiny_fit AS SELECT churn_fit(y, ARRAY[x], 2.0) AS m FROM tiny;
SELECT abs(sum((y::int - churn_probability(m, ARRAY[x])))) < 1e-10 AS intercept_score_zero,
       abs(sum((y::int - churn_probability(m, ARRAY[x])) * x)
           - 2.0 * min((churn_model_info(m)).coefficients[2])) < 1e-10 AS slope_score_zero,
       min((churn_model_info(m)).coefficients[2]) BETWEEN 0 AND ln(6) AS shrunk
  FROM tiny, tiny_fit;

-- Text I/O round trip is exact; binary I/O through a bytea round trip too.
SELECT m::text::churn_model::text = m::text AS text_round_trip,
       churn_model_send(m::text::churn_model) = churn_model_send(m) AS send_equal
  FROM tiny_fit;
SELECT 'n=10 l2=0 iterations=4 loglik=-5.5 coef={-0.5, 1.25}'::churn_model;
-- Binary COPY out and in (send/recv) keeps the value exactly.
CREATE TABLE public.model_copy (m churn_model);
\copy tiny_fit TO 'results/churn_model.bin' WITH (FORMAT binary)
\copy model_copy FROM 'results/churn_model.bin' WITH (FORMAT binary)
SELECT c.m::text = f.m::text AS binary_round_trip FROM model_copy c, tiny_fit f;
DROP TABLE model_copy;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT 'n=10 l2=0 iterations=4 loglik=-5.5'::custvalue.churn_model$$,
    $$SELECT 'n=10 l2=0 iterations=4 loglik=-5.5 coef={}'::custvalue.churn_model$$,
    $$SELECT 'n=10 l2=0 iterations=4 loglik=-5.5 coef={1,NaN}'::custvalue.churn_model$$,
    $$SELECT 'n=10 l2=-1 iterations=4 loglik=-5.5 coef={1}'::custvalue.churn_model$$,
    $$SELECT 'n=10 l2=0 iterations=4 loglik=5.5 coef={1}'::custvalue.churn_model$$,
    $$SELECT 'n=10 l2=0 iterations=4 loglik=-5.5 coef={1} x'::custvalue.churn_model$$,
    $$SELECT 'n=99999999999999999999 l2=0 iterations=4 loglik=-5.5 coef={1}'::custvalue.churn_model$$
]) AS q;

-- churn_probability checks its features.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.churn_probability('n=1 l2=0 iterations=1 loglik=-1 coef={0,1}', '{1,2}')$$,
    $$SELECT custvalue.churn_probability('n=1 l2=0 iterations=1 loglik=-1 coef={0,1}', '{NULL}')$$,
    $$SELECT custvalue.churn_probability('n=1 l2=0 iterations=1 loglik=-1 coef={0,1}', '{Infinity}')$$,
    $$SELECT custvalue.churn_probability('n=1 l2=0 iterations=1 loglik=-1 coef={0,1}', '{{1}}')$$
]) AS q;
-- Extreme linear predictors give 0 and 1, never NaN.
SELECT churn_probability('n=1 l2=0 iterations=1 loglik=-1 coef={0,1}', '{-1000}') AS p_low,
       churn_probability('n=1 l2=0 iterations=1 loglik=-1 coef={0,1}', '{1000}') AS p_high;

-- Degenerate inputs: clear errors, never NaN coefficients.
CREATE TABLE public.degenerate (y boolean, x float8, x2 float8);
INSERT INTO degenerate SELECT i > 5, i, 2 * i FROM generate_series(1, 10) i;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    -- complete separation: y = (x > 5)
    $$SELECT custvalue.churn_fit(y, ARRAY[x]) FROM degenerate$$,
    -- quasi-complete separation: y = (x >= 5) but x = 5 has both labels
    $$SELECT custvalue.churn_fit(y, ARRAY[x]) FROM (SELECT * FROM degenerate UNION ALL SELECT false, 5, 10) d$$,
    -- one class only
    $$SELECT custvalue.churn_fit(true, ARRAY[x]) FROM degenerate$$,
    $$SELECT custvalue.churn_fit(false, ARRAY[x], 1.0) FROM degenerate$$,
    -- collinear features
    $$SELECT custvalue.churn_fit(x::int % 3 = 0, ARRAY[x, x2]) FROM degenerate$$,
    -- constant feature
    $$SELECT custvalue.churn_fit(x::int % 3 = 0, ARRAY[x, 7]) FROM degenerate$$,
    -- bad arguments
    $$SELECT custvalue.churn_fit(y, ARRAY[x], -1) FROM degenerate$$,
    $$SELECT custvalue.churn_fit(y, ARRAY[x], x) FROM degenerate$$,
    $$SELECT custvalue.churn_fit(y, CASE WHEN x < 3 THEN ARRAY[x] ELSE ARRAY[x, x] END) FROM degenerate$$,
    $$SELECT custvalue.churn_fit(y, ARRAY['NaN'::float8]) FROM degenerate$$
]) AS q;
-- With an L2 penalty separation and collinearity have finite answers:
-- the collinear pair shares the weight as 1:2, the constant feature gets 0.
SELECT (churn_model_info(churn_fit(y, ARRAY[x], 0.1))).coefficients[2] > 0 AS separated_finite
  FROM degenerate;
SELECT round(((i).coefficients[3] / (i).coefficients[2])::numeric, 9) AS collinear_ratio
  FROM (SELECT churn_model_info(churn_fit(x::int % 3 = 0, ARRAY[x, x2], 0.5)) AS i FROM degenerate) s;
SELECT (i).coefficients[3] AS constant_feature_coef
  FROM (SELECT churn_model_info(churn_fit(x::int % 3 = 0, ARRAY[x, 7], 0.5)) AS i FROM degenerate) s;
-- NULL rows are skipped; no rows gives NULL.
SELECT churn_fit(y, ARRAY[x]) IS NULL AS empty_is_null FROM tiny WHERE false;
SELECT churn_fit(y, CASE WHEN x IS NOT NULL THEN ARRAY[x] END)::text
         = (SELECT churn_fit(y, ARRAY[x])::text FROM tiny) AS nulls_skipped
  FROM (SELECT * FROM tiny UNION ALL SELECT NULL, 1 UNION ALL SELECT true, NULL) t;

-- Evaluation aggregates on hand-checked data.
-- scores 0.9 0.8 0.7 0.6 0.5 0.4 / labels T F T T F F:
-- positive-negative pairs ordered correctly: 0.9 beats 3, 0.7 beats 2,
-- 0.6 beats 2 = 7 of 9.  Ties count 1/2: a tie of one pair gives 0.5.
CREATE TABLE public.scores (s float8, y boolean);
INSERT INTO scores VALUES (0.9, true), (0.8, false), (0.7, true), (0.6, true), (0.5, false), (0.4, false);
SELECT churn_auc(s, y) = 7/9.0 AS auc_7_9,
       abs(churn_log_loss(s, y) - -(ln(0.9) + ln(0.2) + ln(0.7) + ln(0.6) + ln(0.5) + ln(0.6)) / 6) < 1e-15 AS logloss_ok,
       -- top 1/3 = 2 rows: 1 churner of 2 vs overall 3 of 6: lift 1
       churn_lift(s, y, 1/3.0) AS lift_third,
       -- top 1/6 = the 0.9 row, a churner: lift 2
       churn_lift(s, y, 1/6.0) AS lift_sixth,
       -- top decile = 0.6 of a row, all churner: lift 2
       churn_lift(s, y) AS lift_decile
  FROM scores;
SELECT churn_auc(s, y) AS all_tied
  FROM (VALUES (0.5, true), (0.5, false)) v(s, y);
-- tie straddling the cut: top half of (0.5 T, 0.5 F, 0.5 F, 0.1 F) = 2 of
-- the 3 tied rows, 1/3 churners: rate 1/3 over 1/4 = 4/3
SELECT round(churn_lift(s, y, 0.5)::numeric, 12) AS lift_tied
  FROM (VALUES (0.5, true), (0.5, false), (0.5, false), (0.1, false)) v(s, y);
SELECT churn_auc(s, false) IS NULL AS one_class_auc_null, churn_lift(s, false) IS NULL AS no_churner_lift_null
  FROM scores;
SELECT churn_log_loss(0, true) AS clipped_log_loss;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.churn_log_loss(1.5, true)$$,
    $$SELECT custvalue.churn_auc('NaN', true)$$,
    $$SELECT custvalue.churn_lift(0.5, true, 0)$$,
    $$SELECT custvalue.churn_lift(s, y, s) FROM public.scores$$
]) AS q;

-- Serial = parallel, bit for bit, on a bigger synthetic set.
CREATE TABLE public.synth AS
SELECT i, ARRAY[(i % 97) / 10.0, ((i * 7919) % 101) / 25.0, (i % 2)]::float8[] AS x,
       ((i * 2654435761) % 1000) / 1000.0
         < 1 / (1 + exp(-(-1 + 0.3 * (i % 97) / 10.0 - 0.4 * ((i * 7919) % 101) / 25.0 + 0.8 * (i % 2)))) AS y
  FROM generate_series(1, 60000) i;
ANALYZE synth;
CREATE TABLE public.serial_results AS
SELECT churn_fit(y, x)::text AS fit, churn_fit(y, x, 3)::text AS fit_l2,
       churn_auc(x[1], y) AS auc, churn_log_loss(x[2] / 5, y) AS ll, churn_lift(x[1], y) AS lift
  FROM synth;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT churn_fit(y, x) FROM synth;
SELECT s.fit = p.fit AS fit_equal, s.fit_l2 = p.fit_l2 AS fit_l2_equal, s.auc = p.auc AS auc_equal,
       s.ll = p.ll AS log_loss_equal, s.lift = p.lift AS lift_equal
  FROM serial_results s,
       (SELECT churn_fit(y, x)::text AS fit, churn_fit(y, x, 3)::text AS fit_l2,
               churn_auc(x[1], y) AS auc, churn_log_loss(x[2] / 5, y) AS ll, churn_lift(x[1], y) AS lift
          FROM synth) p;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
-- The generating coefficients are recovered within sampling error.
SELECT round((i).coefficients[2]::numeric, 1) AS b1, round((i).coefficients[3]::numeric, 1) AS b2,
       round((i).coefficients[4]::numeric, 1) AS b3
  FROM (SELECT churn_model_info(churn_fit(y, x)) AS i FROM synth) s;

DROP TABLE tiny, tiny_fit, degenerate, scores, synth, serial_results;
