-- churn_probability(): one customer's churn probability under a fitted
-- logistic model, from a feature array.
--
-- @kind      per-row
-- @requires  custvalue.churn_probability(custvalue.churn_model,float8[]) custvalue.churn_fit(boolean,float8[],float8)
-- @table     bench_churn
-- @floor     SELECT count(*) FROM @T@ WHERE features IS NOT NULL
-- @custvalue SELECT count(custvalue.churn_probability((SELECT model FROM bench.churn_model), features)) FROM @T@
-- @plain     SELECT count(bench.churn_probability_sql(features)) FROM @T@
-- @plpgsql   SELECT count(bench.churn_probability_plpgsql(features)) FROM @T@
--
-- The inputs: each customer's label and feature array (tenure in months,
-- monthly ARPU, VIP card), as a churn feature view would deliver them.
CREATE TABLE bench_churn AS
SELECT customer_id, churned,
       ARRAY[tenure_months, monthly_arpu, vip_card::int]::float8[] AS features
  FROM bench_profile;

-- A model fitted on them (ridge, so separation cannot stop the benchmark).
CREATE TABLE bench.churn_model AS
SELECT custvalue.churn_fit(churned, features, 1.0) AS model FROM bench_churn;

-- The equivalents with the model's coefficients written in as constants:
-- an inlinable SQL expression and a PL/pgSQL function.
DO $do$
DECLARE
    b float8[];
BEGIN
    SELECT (custvalue.churn_model_info(model)).coefficients INTO b FROM bench.churn_model;
    EXECUTE format($f$
CREATE FUNCTION bench.churn_probability_sql(features float8[]) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT 1 / (1 + exp(-(%1$s::float8 + %2$s::float8 * features[1] + %3$s::float8 * features[2]
                      + %4$s::float8 * features[3])))
$$;
CREATE FUNCTION bench.churn_probability_plpgsql(features float8[]) RETURNS float8
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    eta float8 := %1$s::float8 + %2$s::float8 * features[1] + %3$s::float8 * features[2]
                  + %4$s::float8 * features[3];
BEGIN
    RETURN 1 / (1 + exp(-eta));
END
$$;
$f$, b[1], b[2], b[3], b[4]);
END
$do$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM bench_churn, bench.churn_model AS m
                WHERE abs(custvalue.churn_probability(m.model, features)
                          - bench.churn_probability_sql(features)) > 1e-12
                   OR abs(custvalue.churn_probability(m.model, features)
                          - bench.churn_probability_plpgsql(features)) > 1e-12) THEN
        RAISE EXCEPTION 'bench: churn_probability equivalents disagree with custvalue.churn_probability';
    END IF;
END
$$;
