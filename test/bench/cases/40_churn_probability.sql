-- churn_probability(): one customer's churn probability under the
-- 'watchlist' model of churn_model_store, from the eleven-element feature
-- array of customer_churn_inputs.
--
-- @kind      per-row
-- @requires  custvalue.churn_probability(custvalue.churn_model,float8[])
-- @table     bench_churn
-- @floor     SELECT count(*) FROM @T@ WHERE features IS NOT NULL
-- @custvalue SELECT count(custvalue.churn_probability(
--              (SELECT model FROM custvalue.churn_model_store WHERE name = 'watchlist'), features)) FROM @T@
-- @plain     SELECT count(bench.churn_probability_sql(features)) FROM @T@
-- @plpgsql   SELECT count(bench.churn_probability_plpgsql(features)) FROM @T@
CREATE TABLE bench_churn AS
SELECT customer_id, features FROM bench_churn_inputs;

-- The equivalents with the model's coefficients written in as constants:
-- an inlinable SQL expression and a PL/pgSQL function.
DO $do$
DECLARE
    eta text;
BEGIN
    SELECT format('%s::float8', b[1]) || string_agg(format(' + %s::float8 * features[%s]', b[i + 1], i), '' ORDER BY i)
      INTO eta
      FROM (SELECT (custvalue.churn_model_info(model)).coefficients AS b
              FROM custvalue.churn_model_store WHERE name = 'watchlist') AS m,
           generate_series(1, cardinality(b) - 1) AS i
     GROUP BY b;
    EXECUTE format($f$
CREATE FUNCTION bench.churn_probability_sql(features float8[]) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 1 / (1 + exp(-(%1$s))) $$;
CREATE FUNCTION bench.churn_probability_plpgsql(features float8[]) RETURNS float8
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    eta float8 := %1$s;
BEGIN
    RETURN 1 / (1 + exp(-eta));
END
$$;
$f$, eta);
END
$do$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM bench_churn, custvalue.churn_model_store AS m
                WHERE m.name = 'watchlist'
                  AND (abs(custvalue.churn_probability(m.model, features)
                           - bench.churn_probability_sql(features)) > 1e-12
                    OR abs(custvalue.churn_probability(m.model, features)
                           - bench.churn_probability_plpgsql(features)) > 1e-12)) THEN
        RAISE EXCEPTION 'bench: churn_probability equivalents disagree with custvalue.churn_probability';
    END IF;
END
$$;
