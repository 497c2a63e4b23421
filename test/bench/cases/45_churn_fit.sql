-- churn_fit(): fitting the logistic churn model (ridge, l2 = 1) on every
-- customer's churn label and feature array.
--
-- @kind      aggregate
-- @requires  custvalue.churn_fit(boolean,float8[],float8)
-- @table     bench_churn_fit
-- @floor     SELECT count(*) FROM @T@ WHERE churned IS NOT NULL OR features IS NOT NULL
-- @custvalue SELECT custvalue.churn_fit(churned, features, 1.0) FROM @T@
CREATE TABLE bench_churn_fit AS
SELECT customer_id, churned, features FROM bench_churn_inputs;
