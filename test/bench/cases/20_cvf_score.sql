-- cvf_score(): one customer's five CVF sub-scores and composite against
-- the population's cvf_scale, weighted by custvalue.cvf_policy.
--
-- @kind      per-row
-- @requires  custvalue.cvf_score(custvalue.cvf_scale,float8,float8,float8,float8,float8) custvalue.cvf_scale(float8,float8,float8,float8,float8)
-- @table     bench_cvf
-- @floor     SELECT count(*) FROM @T@
--              WHERE revenue IS NOT NULL OR tenure IS NOT NULL OR credit_risk IS NOT NULL
--                 OR tariff IS NOT NULL OR bundles IS NOT NULL
-- @custvalue SELECT sum((custvalue.cvf_score((SELECT scale FROM bench.cvf_scale),
--              revenue, tenure, credit_risk, tariff, bundles)).cvf) FROM @T@
-- @bound     SELECT sum((bench.cvf_score_bound((SELECT r FROM bench.cvf_score_template), (SELECT scale FROM bench.cvf_scale),
--              revenue, tenure, credit_risk, tariff, bundles)).cvf) FROM @T@
-- @plain     SELECT sum(bench.cvf_sql(revenue, tenure, credit_risk, tariff, bundles)) FROM @T@
-- @plpgsql   SELECT sum(bench.cvf_plpgsql(revenue, tenure, credit_risk, tariff, bundles)) FROM @T@
--
-- The inputs, as customer_value_inputs gives them, in the function's
-- argument type (float8), so no cast is measured on either side.
CREATE TABLE bench_cvf AS
SELECT customer_id, revenue::float8 AS revenue, tenure_months::float8 AS tenure,
       credit_risk::float8 AS credit_risk, tariff_share::float8 AS tariff, bundles::float8 AS bundles
  FROM bench_value_inputs;
CREATE TABLE bench.cvf_scale AS
SELECT custvalue.cvf_scale(revenue, tenure, credit_risk, tariff, bundles) AS scale FROM bench_cvf;

-- The bound (bench.sh, bound_row.c): a C function with cvf_score's
-- arguments and result type that returns a copy of a row cvf_score
-- returned, one with all five sub-scores (the widest).
CREATE TABLE bench.cvf_score_template AS
SELECT custvalue.cvf_score(c.scale, revenue, tenure, credit_risk, tariff, bundles) AS r
  FROM bench_cvf, bench.cvf_scale AS c
 WHERE revenue IS NOT NULL AND tenure IS NOT NULL AND credit_risk IS NOT NULL
   AND tariff IS NOT NULL AND bundles IS NOT NULL
 LIMIT 1;
CREATE FUNCTION bench.cvf_score_bound(custvalue.cvf_scores, custvalue.cvf_scale,
        float8, float8, float8, float8, float8)
    RETURNS custvalue.cvf_scores AS 'bound_row', 'bound_row' LANGUAGE C STABLE PARALLEL SAFE;

-- The equivalents, with each dimension's reference level (the policy's
-- quantile of the scale) and weight written in as constants.  Sub-score
-- 100 * min(x / ref, 1) (credit: 100 * (1 - ...)); composite = weighted
-- mean over the non-NULL sub-scores, clamped to 0..100.
DO $do$
DECLARE
    sub text[] := '{}';
    w text[] := '{}';
    dims text[] := '{}';
    args text[] := ARRAY['revenue', 'tenure', 'credit_risk', 'tariff', 'bundles'];
    r record;
    ratio text;
    sql_total text;
    sql_wsum text;
    plpgsql_body text := '';
BEGIN
    FOR r IN
        SELECT s.dimension, s.n,
               CASE p.reference_quantile WHEN 0.50 THEN s.p50 WHEN 0.75 THEN s.p75 WHEN 0.90 THEN s.p90
                                         WHEN 0.95 THEN s.p95 WHEN 0.99 THEN s.p99 END AS ref,
               p.weight::float8 AS weight
          FROM bench.cvf_scale AS c, custvalue.cvf_scale_summary(c.scale) AS s
          JOIN custvalue.cvf_policy AS p ON p.dimension = s.dimension
         ORDER BY array_position(args, s.dimension)
    LOOP
        IF r.n = 0 THEN
            CONTINUE;           -- no values in the population: never scored
        END IF;
        -- (not least(x / ref, 1): least() ignores NULLs)
        ratio := CASE WHEN r.ref > 0 THEN format('CASE WHEN %1$s >= %2$s::float8 THEN 1.0::float8 ELSE %1$s / %2$s::float8 END', r.dimension, r.ref)
                      ELSE format('(%s > 0)::int::float8', r.dimension) END;
        sub := sub || format(CASE WHEN r.dimension = 'credit_risk' THEN '100 * (1 - %s)' ELSE '100 * %s' END, ratio);
        w := w || format('%s::float8', r.weight);
        plpgsql_body := plpgsql_body || format($b$
    IF %1$s IS NOT NULL THEN
        s := %2$s;
        total := total + %3$s * s;
        wsum := wsum + %3$s;
    END IF;$b$, r.dimension, sub[cardinality(sub)], w[cardinality(w)]);
        dims := dims || r.dimension::text;
    END LOOP;
    SELECT string_agg(format('coalesce(%s * %s, 0)', w[i], sub[i]), ' + '),
           string_agg(format('CASE WHEN %s IS NULL THEN 0 ELSE %s END', dims[i], w[i]), ' + ')
      INTO sql_total, sql_wsum
      FROM generate_subscripts(sub, 1) AS i;
    EXECUTE format($f$
CREATE FUNCTION bench.cvf_sql(revenue float8, tenure float8, credit_risk float8, tariff float8, bundles float8)
    RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE WHEN %2$s > 0 THEN least(greatest((%1$s) / (%2$s), 0), 100) END
$$;
CREATE FUNCTION bench.cvf_plpgsql(revenue float8, tenure float8, credit_risk float8, tariff float8, bundles float8)
    RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    s float8;
    total float8 := 0;
    wsum float8 := 0;
BEGIN%3$s
    IF wsum > 0 THEN
        RETURN least(greatest(total / wsum, 0), 100);
    END IF;
    RETURN NULL;
END
$$;
$f$, sql_total, sql_wsum, plpgsql_body);
END
$do$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM bench_cvf, bench.cvf_scale AS c
                WHERE abs((custvalue.cvf_score(c.scale, revenue, tenure, credit_risk, tariff, bundles)).cvf
                          - bench.cvf_sql(revenue, tenure, credit_risk, tariff, bundles)) > 1e-9
                   OR abs((custvalue.cvf_score(c.scale, revenue, tenure, credit_risk, tariff, bundles)).cvf
                          - bench.cvf_plpgsql(revenue, tenure, credit_risk, tariff, bundles)) > 1e-9
                   OR ((custvalue.cvf_score(c.scale, revenue, tenure, credit_risk, tariff, bundles)).cvf IS NULL)
                      <> (bench.cvf_sql(revenue, tenure, credit_risk, tariff, bundles) IS NULL)) THEN
        RAISE EXCEPTION 'bench: cvf_score equivalents disagree with custvalue.cvf_score';
    END IF;
END
$$;
