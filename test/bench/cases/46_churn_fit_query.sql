-- churn_fit_query(): the churn_fit model of a query's rows by one scan per
-- Newton step, each a parallel aggregate (churn_fit_terms) -- the same
-- fit as 45_churn_fit.sql, whose iterations cannot use parallel workers.
--
-- @kind      aggregate
-- @requires  custvalue.churn_fit_query(text,float8)
-- @table     bench_churn_fit_q
-- @floor     SELECT count(*) FROM @T@ WHERE churned IS NOT NULL OR features IS NOT NULL
-- @custvalue SELECT custvalue.churn_fit_query('SELECT churned, features FROM @T@', 1.0)
-- @parallel_check SELECT custvalue.churn_fit_moments(churned, features) FROM @T@
--
-- The query's plan has no Gather of its own: the parallel workers run in
-- the scans churn_fit_query makes (@parallel_check makes the benchmark
-- check the plan of a scan of the same shape).
CREATE TABLE bench_churn_fit_q AS
SELECT customer_id, churned, features FROM bench_churn_inputs;

DO $$
BEGIN
    IF (SELECT max(abs(a - b) / greatest(1, abs(b)))
          FROM unnest((custvalue.churn_model_info(custvalue.churn_fit_query('SELECT churned, features FROM bench_churn_fit_q', 1.0))).coefficients,
                      (SELECT (custvalue.churn_model_info(custvalue.churn_fit(churned, features, 1.0))).coefficients
                         FROM bench_churn_fit_q)) AS c(a, b)) > 1e-9 THEN
        RAISE EXCEPTION 'bench: churn_fit_query disagrees with churn_fit';
    END IF;
END
$$;
