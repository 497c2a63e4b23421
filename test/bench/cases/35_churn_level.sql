-- churn_level(): only the warning level of churn_warning() -- the nightly
-- rule evaluation over every customer, without the row or the jsonb of the
-- fired signals.
--
-- @kind      per-row
-- @requires  custvalue.churn_level(float8,float8,integer,integer,integer,float8,integer,integer,numeric,boolean,integer)
-- @table     bench_level
-- @floor     SELECT count(*) FROM @T@
--              WHERE arpu_drop IS NOT NULL OR usage_drop IS NOT NULL OR complaints_30d IS NOT NULL
--                 OR tenure_months IS NOT NULL OR nps IS NOT NULL OR satisfaction_drop IS NOT NULL
--                 OR dissatisfied_30d IS NOT NULL OR bundle_days_left IS NOT NULL OR arrears IS NOT NULL
--                 OR suspended IS NOT NULL OR cancellations_30d IS NOT NULL
-- @custvalue SELECT count(custvalue.churn_level(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
--              satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)) FROM @T@
-- @plain     SELECT count(bench.churn_level_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
--              satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)) FROM @T@
-- @plpgsql   SELECT count(bench.churn_level_plpgsql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
--              satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)) FROM @T@
--
-- The inputs and both equivalents are made by churn_warning's case
-- (30_churn_warning.sql), set up here too when that case is not being run.
SELECT to_regclass('bench_warning') IS NULL AS need_churn_warning_setup \gset
\if :need_churn_warning_setup
\ir 30_churn_warning.sql
\endif
CREATE TABLE bench_level AS SELECT * FROM bench_warning;

DO $$
BEGIN
    IF EXISTS (SELECT FROM bench_level
                WHERE custvalue.churn_level(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop,
                                            dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)
                      IS DISTINCT FROM bench.churn_level_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
                                            satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)
                   OR custvalue.churn_level(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop,
                                            dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)
                      IS DISTINCT FROM bench.churn_level_plpgsql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
                                            satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)
                   OR custvalue.churn_level(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop,
                                            dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)
                      IS DISTINCT FROM (custvalue.churn_warning(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
                                            satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)).level) THEN
        RAISE EXCEPTION 'bench: churn_level equivalents disagree with custvalue.churn_level';
    END IF;
END
$$;
