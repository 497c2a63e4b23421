-- cvf_scale(): the population's CVF scale (per dimension count, min,
-- 50/75/90/95/99th percentiles, max) over every customer's five dimensions.
-- Plain SQL: the same numbers with percentile_disc, which sorts each
-- dimension (exact; cvf_scale keeps fixed-bin histograms instead).
--
-- @kind      aggregate
-- @requires  custvalue.cvf_scale(float8,float8,float8,float8,float8)
-- @table     bench_cvf_scale
-- @floor     SELECT count(*) FROM @T@
--              WHERE revenue IS NOT NULL OR tenure IS NOT NULL OR credit_risk IS NOT NULL
--                 OR tariff IS NOT NULL OR bundles IS NOT NULL
-- @custvalue SELECT custvalue.cvf_scale(revenue, tenure, credit_risk, tariff, bundles) FROM @T@
-- @plain     SELECT count(revenue), min(revenue), max(revenue),
--              percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY revenue),
--              count(tenure), min(tenure), max(tenure),
--              percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY tenure),
--              count(credit_risk), min(credit_risk), max(credit_risk),
--              percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY credit_risk),
--              count(tariff), min(tariff), max(tariff),
--              percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY tariff),
--              count(bundles), min(bundles), max(bundles),
--              percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY bundles)
--              FROM @T@
CREATE TABLE bench_cvf_scale AS
SELECT customer_id, revenue::float8 AS revenue, tenure_months::float8 AS tenure,
       credit_risk::float8 AS credit_risk, tariff_share::float8 AS tariff, bundles::float8 AS bundles
  FROM bench_value_inputs;
