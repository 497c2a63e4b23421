-- churn_fit(): fitting the logistic churn model over all customers.
--
-- @kind      aggregate
-- @requires  custvalue.churn_fit(boolean,float8[],float8)
-- @table     bench_churn_fit
-- @floor     SELECT count(*) FROM @T@ WHERE churned IS NOT NULL OR features IS NOT NULL
-- @custvalue SELECT custvalue.churn_fit(churned, features, 1.0) FROM @T@
CREATE TABLE bench_churn_fit AS
SELECT customer_id, churned,
       ARRAY[tenure_months, monthly_arpu, vip_card::int]::float8[] AS features
  FROM bench_profile;
