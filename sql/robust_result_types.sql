-- The composite types custvalue's C functions return are ordinary catalog
-- objects: a superuser or the extension's owner can ALTER TYPE them.  Each
-- function checks its result type against the row its C code writes (once
-- per query where it keeps the descriptor), so an altered type is ERROR
-- 42804 -- never a row formed by reading past the values array or with a
-- float8 stored where a varlena is expected.  Every ALTER is rolled back,
-- after which each function works again.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

CREATE TEMP TABLE scale AS
SELECT cvf_scale(x, x, x, x, x) AS s FROM generate_series(1, 100) AS x;
CREATE TEMP TABLE bills (m date, fee numeric, d numeric, v numeric, late boolean,
                         arr numeric, cost numeric);
INSERT INTO bills VALUES ('2026-04-01', 100.00, 10.00, 5.00, false, 0.00, 30.00),
                         ('2026-05-01', 200.50, 0, 0, true, 0, NULL);

-- The calls, each forming a row of one of the types.
CREATE TEMP TABLE calls (type text, q text);
INSERT INTO calls VALUES
    ('cvf_scores', $$SELECT cvf_score(s, 50, 20, 10, 60, 2) FROM scale$$),
    ('churn_warning_result', $$SELECT churn_warning(0.5, 0, 3, 12, 3, 0, 0, 10, 100, false, 0)$$),
    ('churn_warning_result', $$SELECT churn_warning(x, 0, 0, 60, 9, 0, 0, 400, 0, false, 0) FROM generate_series(0, 2) AS x$$),
    ('csat_result', $$SELECT csat(x) FROM unnest(ARRAY[true, false, true, true]) AS x$$),
    ('nps_result', $$SELECT nps(x) FROM unnest(ARRAY[10, 9, 3, 7, 8]) AS x$$),
    ('csi_result', $$SELECT csi(a) FROM (VALUES ('{4,5}'::float8[]), ('{3,4}')) AS v(a)$$),
    ('servqual_result', $$SELECT servqual(p, e) FROM (VALUES ('{5,4,6,5,4}'::float8[], '{6,6,6,6,6}'::float8[]), ('{4,4,5,6,5}', '{6,5,6,7,6}')) AS v(p, e)$$),
    ('ipa_result', $$SELECT ipa(i, p) FROM (VALUES ('{5,3}'::float8[], '{4,4}'::float8[]), ('{4,2}', '{3,5}')) AS v(i, p)$$),
    ('service_item_assessment', $$SELECT service_item_evaluate(80, 70, 60, 100, 90, 85)$$),
    ('bill_value_totals', $$SELECT bill_value_summary(m, fee, d, v, late, arr, cost, '2026-05-01') FROM bills$$),
    ('sbg_estimate', $$SELECT sbg_fit('{1000,631,468,382,326,289,262,241}')$$),
    ('sbg_estimate', $$SELECT sbg_fit(p, c) FROM (VALUES (1, true), (2, true), (3, false), (1, true), (4, false)) AS v(p, c)$$);

-- Unaltered: no errors.
SELECT type, pg_temp.expect_error(q) AS outcome FROM calls;

BEGIN;
-- Each ALTER as it goes ('no error', or PostgreSQL's own refusal when a view
-- uses the attribute; a function body's refusal differs between majors, 18
-- looks only at the attributes the body reads):
--   an attribute added: the function writes one value fewer than the type
--     has (before the check: read past the values array);
--   one dropped, and one dropped and added again under its name (the type
--     looks the same in \d, but its attributes are not where the function
--     writes them);
--   one of another type: a float8 written where text or an array is
--     expected.
SELECT a, pg_temp.expect_error(a) AS outcome FROM unnest(ARRAY[
    $$ALTER TYPE cvf_scores ADD ATTRIBUTE extra integer$$,
    $$ALTER TYPE churn_warning_result ADD ATTRIBUTE extra jsonb$$,
    $$ALTER TYPE service_item_assessment ADD ATTRIBUTE note text$$,
    $$ALTER TYPE csat_result ADD ATTRIBUTE extra float8$$,
    $$ALTER TYPE bill_value_totals ADD ATTRIBUTE extra numeric$$,
    $$ALTER TYPE sbg_estimate DROP ATTRIBUTE periods$$,
    $$ALTER TYPE nps_result DROP ATTRIBUTE se$$,
    $$ALTER TYPE nps_result ADD ATTRIBUTE se float8$$,
    $$ALTER TYPE csi_result ALTER ATTRIBUTE csi TYPE text$$,
    $$ALTER TYPE servqual_result ALTER ATTRIBUTE overall TYPE float8[]$$,
    $$ALTER TYPE ipa_result ADD ATTRIBUTE extra text$$,
    $$ALTER TYPE churn_warning_result ALTER ATTRIBUTE level TYPE text$$,
    $$ALTER TYPE bill_value_totals ALTER ATTRIBUTE total_fee TYPE numeric(6, 2)$$]) AS a;
SELECT q, pg_temp.expect_error(q) AS outcome FROM calls;
ROLLBACK;

-- What views keep ALTER TYPE from doing, a superuser can still do by
-- declaring the C function again with another result type: the same check.
-- An enum attribute retyped, a typmod the values are not rounded to, and
-- row types of OUT parameters.
CREATE TYPE pg_temp.warning_as_text AS (level text, score float8, signals jsonb);
CREATE FUNCTION pg_temp.churn_warning_as_text(float8, float8, integer, integer, integer, float8,
                                              integer, integer, numeric, boolean, integer)
    RETURNS pg_temp.warning_as_text AS '$libdir/custvalue', 'churn_warning' LANGUAGE C STABLE;
CREATE TYPE pg_temp.totals_rounded AS (
    billed_months integer, risk_months integer, arpu_months integer, costed_months integer,
    total_fee numeric(6, 2), arpu_fee numeric, growth_share float8, costed_margin numeric);
CREATE FUNCTION pg_temp.totals_rounded_final(internal) RETURNS pg_temp.totals_rounded
    AS '$libdir/custvalue', 'bill_summary_final' LANGUAGE C;
CREATE AGGREGATE pg_temp.totals_rounded(date, numeric, numeric, numeric, boolean, numeric, numeric, date) (
    SFUNC = custvalue.bill_summary_accum, STYPE = internal, FINALFUNC = pg_temp.totals_rounded_final);
CREATE FUNCTION pg_temp.wilson3(bigint, bigint, float8, OUT lo float8, OUT hi float8, OUT extra float8)
    AS '$libdir/custvalue', 'wilson_interval_sql' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION pg_temp.model_info(churn_model, OUT features text, OUT n bigint, OUT l2 float8,
                                   OUT iterations integer, OUT loglik float8, OUT coefficients float8[])
    AS '$libdir/custvalue', 'churn_model_info' LANGUAGE C IMMUTABLE STRICT;
SELECT q, pg_temp.expect_error(q) AS outcome FROM unnest(ARRAY[
    $$SELECT pg_temp.churn_warning_as_text(0.5, 0, 3, 12, 3, 0, 0, 10, 100, false, 0)$$,
    $$SELECT pg_temp.totals_rounded(m, fee, d, v, late, arr, cost, '2026-05-01') FROM bills$$,
    $$SELECT pg_temp.wilson3(3, 10, 0.95)$$,
    $$SELECT pg_temp.model_info('n=10 l2=0 iterations=4 loglik=-5.5 coef={-0.5, 1.25}')$$]) AS q;
SELECT wilson_interval(3, 10, 0.95),
       churn_model_info('n=10 l2=0 iterations=4 loglik=-5.5 coef={-0.5, 1.25}') AS info;

-- Rolled back: every call works again, and the rows are the types' own.
SELECT type, pg_temp.expect_error(q) AS outcome FROM calls;
SELECT cvf_score(s, 50, 20, 10, 60, 2) FROM scale;
SELECT churn_warning(0.5, 0, 3, 12, 3, 0, 0, 10, 100, false, 0);
SELECT churn_warning(x, 0, 0, 60, 9, 0, 0, 400, 0, false, 0) FROM generate_series(0, 2) AS x;
SELECT (nps(x)).* FROM unnest(ARRAY[10, 9, 3, 7, 8]) AS x;
SELECT (bill_value_summary(m, fee, d, v, late, arr, cost, '2026-05-01')).* FROM bills;
SELECT service_item_evaluate(80, 70, 60, 100, 90, 85);
