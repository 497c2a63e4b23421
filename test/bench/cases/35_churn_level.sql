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
-- The inputs and the plain SQL level function are churn_warning's
-- (30_churn_warning.sql), set up here too when that case is not being run;
-- the PL/pgSQL equivalent is that case's without the jsonb.
SELECT to_regclass('bench_warning') IS NULL AS need_churn_warning_setup \gset
\if :need_churn_warning_setup
\ir 30_churn_warning.sql
\endif
CREATE TABLE bench_level AS SELECT * FROM bench_warning;

DO $do$
DECLARE
    r record;
    fired text;
    body text := '';
    lv text;
BEGIN
    FOR r IN
        SELECT s.*, (s.weight * 1000)::int AS milli,
               CASE s.signal WHEN 'short_tenure' THEN 'tenure_months' WHEN 'detractor' THEN 'nps'
                             WHEN 'bundle_ending' THEN 'bundle_days_left' WHEN 'suspended' THEN 'suspended::int'
                             ELSE s.signal END AS arg
          FROM custvalue.churn_signal AS s
         WHERE s.enabled
    LOOP
        fired := format('%s %s %s', r.arg,
                        CASE WHEN r.fires_when = 'value < threshold' THEN '<' ELSE '>=' END,
                        CASE WHEN r.signal IN ('arpu_drop', 'usage_drop', 'satisfaction_drop')
                             THEN r.threshold::float8::text || '::float8' ELSE r.threshold::text END);
        body := body || format($b$
    IF %1$s THEN
        score := score + %2$s;%3$s
    END IF;$b$, fired, r.milli,
            CASE WHEN r.min_level IS NOT NULL
                 THEN format(E'\n        lev := greatest(lev, %L::custvalue.warning_level);', r.min_level) ELSE '' END);
    END LOOP;
    SELECT 'CASE ' || string_agg(format('WHEN score >= %s THEN %L::custvalue.warning_level',
                                        (min_score * 1000)::int, level), ' ' ORDER BY level DESC)
           || ' ELSE ''none''::custvalue.warning_level END'
      INTO lv FROM custvalue.churn_warning_level;
    EXECUTE format($f$
CREATE FUNCTION bench.churn_level_plpgsql(arpu_drop float8, usage_drop float8, complaints_30d integer,
        tenure_months integer, nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS custvalue.warning_level LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    score integer := 0;
    lev custvalue.warning_level := 'none';
BEGIN%1$s
    RETURN greatest(lev, %2$s);
END
$$;
$f$, body, lv);
END
$do$;

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
