-- Bad input to the churn family (churn_model type, churn_fit, churn_probability,
-- churn_auc/log_loss/lift, sbg_*, churn_warning, *_from_state): every case
-- shows its value or 'SQLSTATE: message'; none may crash or give NaN.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/data_model.sql
\i sql/include/try.sql

CREATE TEMP TABLE m AS
SELECT churn_fit(g % 3 = 0, ARRAY[g / 10.0, (g % 7)::float8]) AS model
  FROM generate_series(1, 60) AS g;

-- Fitting: empty groups, NULL labels and features, mismatched and empty
-- feature arrays, non-finite features, bad l2.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT churn_fit(y, f) FROM (SELECT true, '{1}'::float8[] WHERE false) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) IS NULL FROM (VALUES (NULL::bool, '{1}'::float8[]), (true, NULL)) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{1,2}'::float8[]), (false, '{1}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{}'::float8[]), (false, '{}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{1,NULL}'::float8[]), (false, '{1,2}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{1,NaN}'::float8[]), (false, '{1,2}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{1,Infinity}'::float8[]), (false, '{1,2}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{{1},{2}}'::float8[]), (false, '{{1},{2}}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f, -1) FROM (VALUES (true, '{1}'::float8[]), (false, '{2}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f, 'NaN') FROM (VALUES (true, '{1}'::float8[]), (false, '{2}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{1}'::float8[]), (true, '{2}')) AS v(y, f)$$,
    $$SELECT churn_fit(y, f) FROM (VALUES (true, '{1e308}'::float8[]), (false, '{-1e308}')) AS v(y, f)$$]) AS q;

-- Scoring: wrong feature count, NULL elements, non-finite features.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT churn_probability(model, '{1}') FROM m$$,
    $$SELECT churn_probability(model, '{1,2,3}') FROM m$$,
    $$SELECT churn_probability(model, '{}') FROM m$$,
    $$SELECT churn_probability(model, '{1,NULL}') FROM m$$,
    $$SELECT churn_probability(model, '{1,NaN}') FROM m$$,
    $$SELECT churn_probability(model, '{-Infinity,1}') FROM m$$,
    $$SELECT churn_probability(model, '{1e308,1e308}') BETWEEN 0 AND 1 FROM m$$,
    $$SELECT churn_probability(model, '{-1e308,-1e308}') BETWEEN 0 AND 1 FROM m$$,
    $$SELECT churn_probability(NULL, '{1,2}')$$]) AS q;

-- The model type's text input and states from anywhere.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT ''::churn_model$$,
    $$SELECT 'n=1'::churn_model$$,
    $$SELECT 'n=0 l2=0 iterations=0 loglik=0 coef={}'::churn_model$$,
    $$SELECT 'n=0 l2=0 iterations=0 loglik=0 coef={NaN}'::churn_model$$,
    $$SELECT 'n=0 l2=0 iterations=0 loglik=0 coef={1,2'::churn_model$$,
    $$SELECT 'n=-5 l2=0 iterations=0 loglik=0 coef={1,2}'::churn_model$$,
    $$SELECT ('n=9223372036854775807 l2=0 iterations=2147483647 loglik=0 coef={1,2}'::churn_model)::text$$,
    $$SELECT 'n=9223372036854775808 l2=0 iterations=0 loglik=0 coef={1,2}'::churn_model$$,
    $$SELECT 'n=92233720368547758099 l2=0 iterations=0 loglik=0 coef={1,2}'::churn_model$$,
    $$SELECT 'n=1 l2=0 iterations=2147483648 loglik=0 coef={1,2}'::churn_model$$,
    $$SELECT churn_fit_from_state(''::bytea)$$,
    $$SELECT churn_fit_from_state(decode(repeat('7f', 64), 'hex'))$$,
    $$SELECT sbg_fit_from_state(''::bytea)$$,
    $$SELECT sbg_fit_from_state(decode(repeat('ff', 64), 'hex'))$$]) AS q;

-- Evaluation aggregates: empty groups, NULLs, probabilities outside [0, 1].
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT churn_auc(p, y) FROM (SELECT 0.5::float8, true WHERE false) AS v(p, y)$$,
    $$SELECT churn_auc(p, y) FROM (VALUES (0.5::float8, true), (0.4, true)) AS v(p, y)$$,
    $$SELECT churn_auc(p, y) FROM (VALUES (NULL::float8, true), (0.4, NULL)) AS v(p, y)$$,
    $$SELECT churn_auc(p, y) FROM (VALUES ('NaN'::float8, true), (0.4, false)) AS v(p, y)$$,
    $$SELECT churn_log_loss(p, y) FROM (VALUES (1.5::float8, true), (0.4, false)) AS v(p, y)$$,
    $$SELECT churn_log_loss(p, y) FROM (VALUES (0::float8, true), (1, false)) AS v(p, y)$$,
    $$SELECT churn_lift(p, y) FROM (VALUES (0.5::float8, true), (0.4, false)) AS v(p, y) WHERE false$$,
    $$SELECT churn_lift(p, y, 0) FROM (VALUES (0.5::float8, true), (0.4, false)) AS v(p, y)$$,
    $$SELECT churn_lift(p, y, 1.5) FROM (VALUES (0.5::float8, true), (0.4, false)) AS v(p, y)$$]) AS q;

-- Shifted-beta-geometric: survivors not a cohort, parameters out of range.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT sbg_fit('{}'::float8[])$$,
    $$SELECT sbg_fit('{1000}'::float8[])$$,
    $$SELECT sbg_fit('{1000,1200}'::float8[])$$,
    $$SELECT sbg_fit('{1000,-1}'::float8[])$$,
    $$SELECT sbg_fit('{1000,NULL,500}'::float8[])$$,
    $$SELECT sbg_fit('{1000,NaN}'::float8[])$$,
    $$SELECT sbg_fit('{0,0,0}'::float8[])$$,
    $$SELECT sbg_fit('{1000,1000,1000}'::float8[])$$,
    $$SELECT sbg_survival(0, 1, 3)$$,
    $$SELECT sbg_survival(1, -1, 3)$$,
    $$SELECT sbg_survival(1, 1, -3)$$,
    $$SELECT sbg_survival('NaN', 1, 3)$$,
    $$SELECT sbg_survival(1e-300, 1e300, 2147483647)$$,
    $$SELECT sbg_retention(1, 1, 0)$$,
    $$SELECT sbg_derl(1, 1, -0.1, 3)$$,
    $$SELECT sbg_derl(1, 1, 0, 3)$$,
    $$SELECT sbg_derl('Infinity', 1, 0.1, 3)$$,
    $$SELECT count(*) FROM sbg_curve(1, 1, -1)$$,
    $$SELECT sbg_fit(t, c) FROM (SELECT 1, true WHERE false) AS v(t, c)$$,
    $$SELECT sbg_fit(t, c) FROM (VALUES (-1, true), (2, false)) AS v(t, c)$$]) AS q;

-- Warning signals: every input NULL never fires; extremes.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT churn_warning(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT (churn_warning('NaN', 'Infinity', -1, -1, 11, '-Infinity', -1, -1, 'NaN', true, -1)).level$$,
    $$SELECT churn_warning('NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_warning(NULL, 'Infinity', NULL, NULL, NULL, '-Infinity', NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_warning(NULL, NULL, -1, -1, 11, NULL, -1, NULL, -5, NULL, -1)$$,
    $$SELECT churn_warning(NULL, NULL, -1, -1, 11, NULL, -1, -1, NULL, NULL, -1)$$,
    $$SELECT churn_warning(NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_warning(NULL, NULL, NULL, NULL, 11, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_warning(NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, NULL, NULL, NULL)$$,
    $$SELECT (churn_warning(1, 1, 2147483647, 2147483647, 10, 1, 2147483647, -2147483648, 1e100, true, 2147483647)).level$$]) AS q;
-- churn_level: the same inputs, the same outcomes as churn_warning's level.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT churn_level(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_level('NaN', 'Infinity', -1, -1, 11, '-Infinity', -1, -1, 'NaN', true, -1)$$,
    $$SELECT churn_level('NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_level(NULL, '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_level(NULL, NULL, -1, -1, 11, NULL, -1, NULL, -5, NULL, -1)$$,
    $$SELECT churn_level(NULL, NULL, NULL, NULL, 11, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_level(1, 1, 2147483647, 2147483647, 10, 1, 2147483647, -2147483648, 1e100, true, 2147483647)$$]) AS q;

-- Bad input is bad whatever the policy: a disabled signal's argument is
-- still checked.
BEGIN;
UPDATE churn_signal SET enabled = false WHERE signal IN ('arpu_drop', 'complaints_30d');
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT churn_warning('NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$,
    $$SELECT churn_level(NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)$$]) AS q;
ROLLBACK;

-- churn_fit_query and its aggregates: bad queries, bad rows, bad parameters.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT churn_fit_query(NULL)$$,
    $$SELECT churn_fit_query('SELECT true, ''{1}''::float8[]', NULL)$$,
    $$SELECT churn_fit_query('SELECT true, ''{1}''::float8[] WHERE false')$$,
    $$SELECT churn_fit_query('SELECT 1, ''{1}''::float8[]')$$,
    $$SELECT churn_fit_query('SELECT true, ''{1}''::int[]')$$,
    $$SELECT churn_fit_query('not sql at all')$$,
    $$SELECT churn_fit_query('SELECT i % 2 = 0, ARRAY[i, ''NaN'']::float8[] FROM generate_series(1, 10) i')$$,
    $$SELECT churn_fit_query('SELECT i % 2 = 0, ARRAY[i, NULL]::float8[] FROM generate_series(1, 10) i')$$,
    $$SELECT churn_fit_query('SELECT i % 2 = 0, ''{{1,2},{3,4}}''::float8[] FROM generate_series(1, 10) i')$$,
    $$SELECT churn_fit_query('SELECT i % 2 = 0, ARRAY[i]::float8[] FROM generate_series(1, 10) i', 'Infinity')$$,
    $$SELECT churn_fit_query('SELECT i > 5, ARRAY[i]::float8[] FROM generate_series(1, 10) i')$$,
    $$SELECT churn_fit_query('SELECT i > 5, ARRAY[i]::float8[] FROM generate_series(1, 10) i', 1) IS NOT NULL$$,
    $$SELECT churn_fit_terms(true, '{1}', NULL)$$,
    $$SELECT churn_fit_terms(true, '{1}', '{0,0,1,1}')$$,
    $$SELECT churn_fit_terms(true, '{1}', '{0,0,0,0,1,0}')$$,
    $$SELECT churn_fit_terms(true, '{1,2}', '{0,0,0,0,1,1}')$$,
    $$SELECT churn_fit_terms(true, '{}', '{0,0,1}')$$,
    $$SELECT churn_fit_moments(b, x) FROM (VALUES (true, '{1,2}'::float8[]), (false, '{1}')) v(b, x)$$,
    $$SELECT churn_fit_moments(true, '{Infinity}')$$]) AS q;
DROP TABLE m;
