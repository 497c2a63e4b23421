-- churn_fit on real data: the 5000-customer telecom churn set mlc_churn
-- (R package modeldata, MIT; test/data/mlc_churn.csv).  Train on rows whose
-- file position is not a multiple of 5 (4000), hold out the other 1000.
-- Reference: R 4.x glm(family = binomial), script test/reference/mlc_churn_glm.R,
-- output test/reference/mlc_churn_glm.out:
--     d <- read.csv("test/data/mlc_churn.csv"); d$row <- seq_len(nrow(d))
--     d$y <- as.numeric(d$churn == "yes")
--     d$intl <- as.numeric(d$international_plan == "yes")
--     d$vmail <- as.numeric(d$voice_mail_plan == "yes")
--     m <- glm(y ~ account_length + intl + vmail + number_vmail_messages +
--              total_day_minutes + total_day_calls + total_eve_minutes + total_eve_calls +
--              total_night_minutes + total_night_calls + total_intl_minutes +
--              total_intl_calls + number_customer_service_calls,
--              family = binomial, data = d[d$row %% 5 != 0, ],
--              control = glm.control(epsilon = 1e-14, maxit = 100))
--     sprintf("%.17g", coef(m))
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

CREATE TABLE public.mlc_churn (
    state text, account_length int, area_code text, international_plan text,
    voice_mail_plan text, number_vmail_messages int,
    total_day_minutes float8, total_day_calls int, total_day_charge float8,
    total_eve_minutes float8, total_eve_calls int, total_eve_charge float8,
    total_night_minutes float8, total_night_calls int, total_night_charge float8,
    total_intl_minutes float8, total_intl_calls int, total_intl_charge float8,
    number_customer_service_calls int, churn text,
    row_no int GENERATED ALWAYS AS IDENTITY
);
\copy mlc_churn (state, account_length, area_code, international_plan, voice_mail_plan, number_vmail_messages, total_day_minutes, total_day_calls, total_day_charge, total_eve_minutes, total_eve_calls, total_eve_charge, total_night_minutes, total_night_calls, total_night_charge, total_intl_minutes, total_intl_calls, total_intl_charge, number_customer_service_calls, churn) FROM 'test/data/mlc_churn.csv' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS customers, count(*) FILTER (WHERE churn = 'yes') AS churners FROM mlc_churn;

CREATE VIEW public.mlc AS
SELECT row_no, row_no % 5 = 0 AS holdout, churn = 'yes' AS churned,
       ARRAY[account_length, (international_plan = 'yes')::int, (voice_mail_plan = 'yes')::int,
             number_vmail_messages, total_day_minutes, total_day_calls,
             total_eve_minutes, total_eve_calls, total_night_minutes, total_night_calls,
             total_intl_minutes, total_intl_calls, number_customer_service_calls]::float8[] AS x
  FROM mlc_churn;

CREATE TABLE public.mlc_fit AS
SELECT churn_fit(churned, x) AS m FROM mlc WHERE NOT holdout;

-- Coefficients against R's, |ours - R| < 1e-6 (in fact far closer).
WITH r(j, name, coef) AS (VALUES
    (1, '(Intercept)', -8.2401732511906651),
    (2, 'account_length', 0.0018053601491068688),
    (3, 'intl', 2.1826243283485356),
    (4, 'vmail', -2.1801198784624285),
    (5, 'number_vmail_messages', 0.0359927460749246),
    (6, 'total_day_minutes', 0.012301321446840581),
    (7, 'total_day_calls', 0.0036733608902643879),
    (8, 'total_eve_minutes', 0.0065258735287042459),
    (9, 'total_eve_calls', -0.0016717305468973841),
    (10, 'total_night_minutes', 0.0037782159775362483),
    (11, 'total_night_calls', -0.00076810431486944543),
    (12, 'total_intl_minutes', 0.083594031185149964),
    (13, 'total_intl_calls', -0.071795121650685675),
    (14, 'number_customer_service_calls', 0.53701765233024013))
SELECT r.name, round(r.coef::numeric, 6) AS r_coef,
       abs((churn_model_info(m)).coefficients[r.j] - r.coef) < 1e-6 AS agrees_1e6,
       abs((churn_model_info(m)).coefficients[r.j] - r.coef) < 1e-9 * greatest(1, abs(r.coef)) AS agrees_1e9
  FROM r, mlc_fit ORDER BY r.j;
-- R: logLik -1264.8764142910559 after 7 Fisher-scoring iterations, n 4000.
SELECT (i).n, (i).features, abs((i).loglik - -1264.8764142910559) < 1e-8 AS loglik_agrees, (i).iterations <= 10 AS few_iterations
  FROM (SELECT churn_model_info(m) AS i FROM mlc_fit) s;

-- Hold-out: R gives AUC 0.83904465212876422, log-loss 0.31688939485802592
-- on these 1000 customers (144 churners).
SELECT count(*) AS holdout, count(*) FILTER (WHERE churned) AS churners,
       round(churn_auc(churn_probability(m, x), churned)::numeric, 4) AS auc,
       abs(churn_auc(churn_probability(m, x), churned) - 0.83904465212876422) < 1e-9 AS auc_agrees,
       abs(churn_log_loss(churn_probability(m, x), churned) - 0.31688939485802592) < 1e-8 AS log_loss_agrees,
       round(churn_lift(churn_probability(m, x), churned)::numeric, 2) AS lift_top_decile
  FROM mlc, mlc_fit WHERE holdout;

-- Storable: the model goes into churn_model_store and back unchanged.
INSERT INTO churn_model_store (name, model, feature_names, note)
SELECT 'mlc_test', m, ARRAY['account_length', 'intl', 'vmail', 'number_vmail_messages',
        'total_day_minutes', 'total_day_calls', 'total_eve_minutes', 'total_eve_calls',
        'total_night_minutes', 'total_night_calls', 'total_intl_minutes', 'total_intl_calls',
        'number_customer_service_calls'], 'regression test'
  FROM mlc_fit;
SELECT s.model::text = f.m::text AS stored_equal FROM churn_model_store s, mlc_fit f WHERE s.name = 'mlc_test';
SELECT pg_temp.expect_error($$INSERT INTO custvalue.churn_model_store (name, model, feature_names, trained_at)
    VALUES ('bad', 'n=1 l2=0 iterations=1 loglik=-1 coef={0,1}', '{a,b}', '2026-01-01 00:00+00')$$);
DELETE FROM churn_model_store WHERE name = 'mlc_test';

-- With an L2 penalty the fit is a different, finite model; log-likelihood lower.
SELECT (churn_model_info(churn_fit(churned, x, 10))).loglik
         < (SELECT (churn_model_info(m)).loglik FROM mlc_fit) AS l2_lowers_loglik
  FROM mlc WHERE NOT holdout;

-- Serial = parallel on the real data.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT churn_fit(churned, x)::text = (SELECT m::text FROM mlc_fit) AS parallel_equal
  FROM mlc WHERE NOT holdout;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- churn_fit_query: the same fit, by one scan of a query per Newton step
-- (parallel aggregates; memory independent of the rows).  Against R and
-- against churn_fit, serially and with workers, with and without L2.
CREATE TABLE public.mlc_q AS
SELECT 'serial' AS how, churn_fit_query('SELECT churned, x FROM public.mlc WHERE NOT holdout') AS m;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
INSERT INTO mlc_q SELECT 'parallel', churn_fit_query('SELECT churned, x FROM public.mlc WHERE NOT holdout');
EXPLAIN (COSTS OFF)
SELECT custvalue.churn_fit_terms(q.label, q.features, array_fill(0::float8, ARRAY[42]))
  FROM (SELECT churned, x FROM public.mlc WHERE NOT holdout) AS q(label, features);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT q.how, (churn_model_info(q.m)).n, (churn_model_info(q.m)).iterations = (churn_model_info(f.m)).iterations AS same_iterations,
       (SELECT max(abs(a - b) / greatest(1, abs(b)))
          FROM unnest((churn_model_info(q.m)).coefficients, (churn_model_info(f.m)).coefficients) AS c(a, b)) < 1e-11 AS coef_agree_1e11,
       abs((churn_model_info(q.m)).loglik - (churn_model_info(f.m)).loglik) < 1e-8 AS loglik_agrees
  FROM mlc_q q, mlc_fit f ORDER BY q.how;
SELECT (SELECT max(abs(a - b) / greatest(1, abs(b)))
          FROM unnest((churn_model_info(churn_fit_query('SELECT churned, x FROM public.mlc WHERE NOT holdout', 10))).coefficients,
                      (churn_model_info(churn_fit(churned, x, 10))).coefficients) AS c(a, b)) < 1e-11 AS l2_agrees
  FROM mlc WHERE NOT holdout;
-- Rows NULL in label or features are skipped, as by churn_fit; no rows: NULL.
SELECT churn_fit_query($$SELECT churned, x FROM public.mlc WHERE NOT holdout
                         UNION ALL SELECT NULL, '{1,2}' UNION ALL SELECT true, NULL$$)::text
       = (SELECT m::text FROM mlc_q WHERE how = 'serial') AS nulls_skipped,
       churn_fit_query('SELECT churned, x FROM public.mlc WHERE false') IS NULL AS no_rows_null,
       churn_fit_moments(churned, x) IS NULL AS moments_no_rows_null,
       churn_fit_terms(churned, x, ARRAY[0, 0, 1]::float8[]) IS NULL AS terms_no_rows_null
  FROM mlc WHERE false;
-- A query whose rows change between scans (here: every other row, by a
-- sequence that goes on counting) is refused.
CREATE SEQUENCE public.mlc_seq;
SELECT pg_temp.expect_error($$SELECT custvalue.churn_fit_query('SELECT churned, x FROM public.mlc WHERE row_no < 5000 AND nextval(''public.mlc_seq'') % 2 = 0')$$);
DROP SEQUENCE mlc_seq;
SELECT pg_temp.expect_error($$SELECT custvalue.churn_fit_query('SELECT true, x FROM public.mlc')$$);
SELECT pg_temp.expect_error($$SELECT custvalue.churn_fit_query('SELECT churned, x || 1.0::float8 FROM public.mlc')$$);
SELECT pg_temp.expect_error($$SELECT custvalue.churn_fit_query('SELECT churned, CASE WHEN row_no = 7 THEN x[1:3] ELSE x END FROM public.mlc')$$);
SELECT pg_temp.expect_error($$SELECT custvalue.churn_fit_query('SELECT churned, x FROM public.mlc', -1)$$);
SELECT pg_temp.expect_error($$SELECT custvalue.churn_fit_query('SELECT churned FROM public.mlc')$$);
DROP TABLE mlc_q;

DROP VIEW mlc;
DROP TABLE mlc_churn, mlc_fit;
