-- custvalue 1.0 -> 1.1
\echo Use "ALTER EXTENSION custvalue UPDATE TO '1.1'" to load this file. \quit

-- churn_level(): the warning level alone, for nightly runs and filters
-- (src/sql/410_churn_warning.sql).
CREATE FUNCTION @extschema@.churn_level(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS @extschema@.warning_level
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_level(float8, float8, integer, integer, integer, float8, integer, integer, numeric, boolean, integer) IS
'Only the level of custvalue.churn_warning() for the same inputs (same policy, NULL handling and errors), without building the row or the jsonb of fired signals: for nightly runs over every customer and for filtering, e.g. WHERE churn_level(...) >= ''orange''.';
