-- Bad input to the customer-value family (cvf_scale type and aggregate,
-- cvf_score, clv, cvf_scale_from_state): every case shows its value or
-- 'SQLSTATE: message'; none may crash or give NaN.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/data_model.sql
\i sql/include/try.sql

-- The aggregate over zero rows, NULL rows, and non-finite or negative input.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT cvf_scale(r, t, c, f, b) FROM (SELECT 1.0, 1.0, 1.0, 1.0, 1.0 WHERE false) AS x(r, t, c, f, b)$$,
    $$SELECT cvf_scale(NULL, NULL, NULL, NULL, NULL) IS NULL FROM generate_series(1, 0)$$,
    $$SELECT cvf_scale(x, 1, 1, 1, 1) FROM unnest(ARRAY[1, 'NaN']::float8[]) AS x$$,
    $$SELECT cvf_scale(x, 1, 1, 1, 1) FROM unnest(ARRAY[1, 'Infinity']::float8[]) AS x$$,
    $$SELECT cvf_scale(1, x, 1, 1, 1) FROM unnest(ARRAY[1, '-Infinity']::float8[]) AS x$$,
    $$SELECT cvf_scale(1, 1, x, 1, 1) FROM unnest(ARRAY[1, -1]::float8[]) AS x$$,
    $$SELECT cvf_scale(1, 1, 1, 1, x) FROM unnest(ARRAY[0, 1e308, 1e308]::float8[]) AS x$$]) AS q;

-- The type's text input: junk, empty, truncated, duplicated or bad numbers.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT ''::cvf_scale$$,
    $$SELECT 'garbage'::cvf_scale$$,
    $$SELECT 'revenue(n=1'::cvf_scale$$,
    $$SELECT 'revenue(n=-1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)'::cvf_scale$$,
    $$SELECT 'revenue(n=0), revenue(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)'::cvf_scale$$,
    $$SELECT 'revenue(n=1, min=NaN, max=1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)'::cvf_scale$$,
    $$SELECT 'revenue(n=1, min=1e999, max=1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)'::cvf_scale$$,
    $$SELECT 'revenue(n=0), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)'::cvf_scale$$]) AS q;

-- A state from anywhere: SQL can hand any bytes to cvf_scale_from_state.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT cvf_scale_from_state(''::bytea)$$,
    $$SELECT cvf_scale_from_state('\x00'::bytea)$$,
    $$SELECT cvf_scale_from_state('\x43564631'::bytea)$$,
    $$SELECT cvf_scale_from_state(decode(repeat('ff', 300), 'hex'))$$,
    $$SELECT cvf_scale_from_state(cvf_scale_state(x, x, x, x, x)) FROM generate_series(1, 5) AS x$$]) AS q;

-- Scoring: NULL scale, NULL, negative and non-finite inputs.
CREATE TEMP TABLE scale AS
SELECT cvf_scale(x, x, x, x, x) AS s FROM generate_series(1, 100) AS x;
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT cvf_score(NULL, 1, 1, 1, 1, 1)$$,
    $$SELECT (cvf_score(s, NULL, NULL, NULL, NULL, NULL)).cvf FROM scale$$,
    $$SELECT (cvf_score(s, 50, NULL, 50, NULL, 50)).cvf FROM scale$$,
    $$SELECT (cvf_score(s, -1, 1, 1, 1, 1)).cvf FROM scale$$,
    $$SELECT (cvf_score(s, 1, 'NaN', 1, 1, 1)).cvf FROM scale$$,
    $$SELECT (cvf_score(s, 1, 1, 'Infinity', 1, 1)).cvf FROM scale$$,
    $$SELECT (cvf_score(s, 0, 0, 0, 0, 0)).cvf FROM scale$$,
    $$SELECT (cvf_score(s, 1e308, 1e308, 1e308, 1e308, 1e308)).cvf FROM scale$$]) AS q;
DROP TABLE scale;

-- Lifetime value: retention outside [0, 1], negative discount, NaN, the
-- divergent sum, fractional and huge horizons.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT clv(100, 1.01, 0.01)$$,
    $$SELECT clv(100, -0.1, 0.01)$$,
    $$SELECT clv(100, 0.9, -0.01)$$,
    $$SELECT clv('NaN', 0.9, 0.01)$$,
    $$SELECT clv(100, 'NaN', 0.01)$$,
    $$SELECT clv('Infinity', 0.9, 0.01)$$,
    $$SELECT clv(100, 1, 0)$$,
    $$SELECT clv(100, 1, 0, 12)$$,
    $$SELECT clv(100, 0.9, 0.01, 2.5)$$,
    $$SELECT clv(100, 0.9, 0.01, -1)$$,
    $$SELECT clv(100, 0.9, 0.01, 0)$$,
    $$SELECT clv(100, 0.9, 0.01, 1e300)$$,
    $$SELECT clv(-100, 0.9, 0.01)$$,
    $$SELECT clv(1e308, 0.999999, 0)$$,
    $$SELECT clv(100, 0, 0)$$]) AS q;
