-- cvf(): only the composite CVF score of cvf_score(), as a float8 -- what a
-- nightly scoring run or a ranking query needs, without forming the row.
--
-- @kind      per-row
-- @requires  custvalue.cvf(custvalue.cvf_scale,float8,float8,float8,float8,float8) custvalue.cvf_scale(float8,float8,float8,float8,float8)
-- @table     bench_cvf_total
-- @floor     SELECT count(*) FROM @T@
--              WHERE revenue IS NOT NULL OR tenure IS NOT NULL OR credit_risk IS NOT NULL
--                 OR tariff IS NOT NULL OR bundles IS NOT NULL
-- @custvalue SELECT sum(custvalue.cvf((SELECT scale FROM bench.cvf_scale),
--              revenue, tenure, credit_risk, tariff, bundles)) FROM @T@
-- @plain     SELECT sum(bench.cvf_sql(revenue, tenure, credit_risk, tariff, bundles)) FROM @T@
-- @plpgsql   SELECT sum(bench.cvf_plpgsql(revenue, tenure, credit_risk, tariff, bundles)) FROM @T@
--
-- The inputs, the scale and the equivalents are cvf_score's (20_cvf_score.sql),
-- set up here too when that case is not being run.
SELECT to_regclass('bench_cvf') IS NULL AS need_cvf_score_setup \gset
\if :need_cvf_score_setup
\ir 20_cvf_score.sql
\endif
CREATE TABLE bench_cvf_total AS SELECT * FROM bench_cvf;

DO $$
BEGIN
    IF EXISTS (SELECT FROM bench_cvf_total, bench.cvf_scale AS c
                WHERE custvalue.cvf(c.scale, revenue, tenure, credit_risk, tariff, bundles)
                      IS DISTINCT FROM (custvalue.cvf_score(c.scale, revenue, tenure, credit_risk, tariff, bundles)).cvf) THEN
        RAISE EXCEPTION 'bench: cvf() disagrees with cvf_score().cvf';
    END IF;
END
$$;
