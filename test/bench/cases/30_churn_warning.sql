-- churn_warning(): one customer's rule-based churn warning (level, score,
-- fired signals as jsonb) under custvalue.churn_signal and
-- churn_warning_level.
--
-- @kind      per-row
-- @requires  custvalue.churn_warning(float8,float8,integer,integer,integer,float8,integer,integer,numeric,boolean,integer)
-- @table     bench_warning
-- @floor     SELECT count(*) FROM @T@
--              WHERE arpu_drop IS NOT NULL OR usage_drop IS NOT NULL OR complaints_30d IS NOT NULL
--                 OR tenure_months IS NOT NULL OR nps IS NOT NULL OR satisfaction_drop IS NOT NULL
--                 OR dissatisfied_30d IS NOT NULL OR bundle_days_left IS NOT NULL OR arrears IS NOT NULL
--                 OR suspended IS NOT NULL OR cancellations_30d IS NOT NULL
-- @custvalue SELECT count(custvalue.churn_warning(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
--              satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)) FROM @T@
-- @bound     SELECT count(bench.churn_warning_bound((SELECT r FROM bench.churn_warning_template),
--              arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
--              satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)) FROM @T@
-- @plain     SELECT count(ROW(
--              bench.churn_level_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d),
--              bench.churn_score_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d),
--              bench.churn_signals_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d))::custvalue.churn_warning_result) FROM @T@
-- @plpgsql   SELECT count(bench.churn_warning_plpgsql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
--              satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d)) FROM @T@
CREATE TABLE bench_warning AS
SELECT customer_id, arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop,
       dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d
  FROM bench_churn_inputs;

-- The bound (bench.sh, bound_row.c): a C function with churn_warning's
-- arguments and result type that returns a copy of the row churn_warning
-- returns when no signal fires (level none, score 0, signals {}), the
-- cheapest it forms.
CREATE TABLE bench.churn_warning_template AS
SELECT custvalue.churn_warning(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) AS r;
CREATE FUNCTION bench.churn_warning_bound(custvalue.churn_warning_result, float8, float8, integer,
        integer, integer, float8, integer, integer, numeric, boolean, integer)
    RETURNS custvalue.churn_warning_result AS 'bound_row', 'bound_row' LANGUAGE C STABLE PARALLEL SAFE;

-- The equivalents, generated from the policy tables (plain SQL as three
-- inlinable functions, since PostgreSQL never inlines one returning a
-- composite): each enabled signal
-- a comparison with its threshold, the score as an integer sum of weights
-- in thousandths (as the C function keeps it, so it is exact), the level
-- the highest reached or a fired signal's min_level, the fired signals
-- as a jsonb object.
DO $do$
DECLARE
    r record;
    fired text;
    score text := '0';
    minlev text := '';
    obj text := '';
    body text := '';
    level_body text := '';
    lv text;
BEGIN
    FOR r IN
        SELECT s.*, (s.weight * 1000)::int AS milli,
               CASE s.signal WHEN 'short_tenure' THEN 'tenure_months' WHEN 'detractor' THEN 'nps'
                             WHEN 'bundle_ending' THEN 'bundle_days_left' WHEN 'suspended' THEN 'suspended::int'
                             ELSE s.signal END AS arg
          FROM custvalue.churn_signal AS s
         WHERE s.enabled
         ORDER BY array_position(ARRAY['arpu_drop', 'usage_drop', 'complaints_30d', 'short_tenure',
                                       'detractor', 'satisfaction_drop', 'dissatisfied_30d',
                                       'bundle_ending', 'arrears', 'suspended', 'cancellations_30d'], s.signal)
    LOOP
        fired := format('%s %s %s', r.arg,
                        CASE WHEN r.fires_when = 'value < threshold' THEN '<' ELSE '>=' END,
                        CASE WHEN r.signal IN ('arpu_drop', 'usage_drop', 'satisfaction_drop')
                             THEN r.threshold::float8::text || '::float8' ELSE r.threshold::text END);
        score := score || format(' + CASE WHEN %s THEN %s ELSE 0 END', fired, r.milli);
        IF r.min_level IS NOT NULL THEN
            minlev := minlev || format(', CASE WHEN %s THEN %L::custvalue.warning_level END', fired, r.min_level);
        END IF;
        obj := obj || format(', %L, CASE WHEN %s THEN to_jsonb(%s) END', r.signal, fired, r.arg);
        body := body || format($b$
    IF %1$s THEN
        score := score + %2$s;
        signals := signals || jsonb_build_object(%3$L, %4$s);%5$s
    END IF;$b$, fired, r.milli, r.signal, r.arg,
            CASE WHEN r.min_level IS NOT NULL
                 THEN format(E'\n        lev := greatest(lev, %L::custvalue.warning_level);', r.min_level) ELSE '' END);
        level_body := level_body || format($b$
    IF %1$s THEN
        score := score + %2$s;%3$s
    END IF;$b$, fired, r.milli,
            CASE WHEN r.min_level IS NOT NULL
                 THEN format(E'\n        lev := greatest(lev, %L::custvalue.warning_level);', r.min_level) ELSE '' END);
    END LOOP;
    SELECT 'CASE ' || string_agg(format('WHEN (%s) >= %s THEN %L::custvalue.warning_level', score,
                                        (min_score * 1000)::int, level), ' ' ORDER BY level DESC)
           || ' ELSE ''none''::custvalue.warning_level END'
      INTO lv FROM custvalue.churn_warning_level;
    EXECUTE format($f$
CREATE FUNCTION bench.churn_level_sql(arpu_drop float8, usage_drop float8, complaints_30d integer,
        tenure_months integer, nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS custvalue.warning_level LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT greatest(%1$s%2$s) $$;
CREATE FUNCTION bench.churn_score_sql(arpu_drop float8, usage_drop float8, complaints_30d integer,
        tenure_months integer, nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT (%3$s) / 1000.0::float8 $$;
CREATE FUNCTION bench.churn_signals_sql(arpu_drop float8, usage_drop float8, complaints_30d integer,
        tenure_months integer, nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT jsonb_strip_nulls(jsonb_build_object(%4$s)) $$;
CREATE FUNCTION bench.churn_warning_plpgsql(arpu_drop float8, usage_drop float8, complaints_30d integer,
        tenure_months integer, nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS custvalue.churn_warning_result LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    score integer := 0;
    lev custvalue.warning_level := 'none';
    signals jsonb := '{}';
BEGIN%5$s
    lev := greatest(lev, %6$s);
    RETURN ROW(lev, score / 1000.0::float8, signals)::custvalue.churn_warning_result;
END
$$;
-- churn_level's PL/pgSQL equivalent (35_churn_level.sql): the same without the jsonb.
CREATE FUNCTION bench.churn_level_plpgsql(arpu_drop float8, usage_drop float8, complaints_30d integer,
        tenure_months integer, nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS custvalue.warning_level LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    score integer := 0;
    lev custvalue.warning_level := 'none';
BEGIN%7$s
    RETURN greatest(lev, %6$s);
END
$$;
$f$, lv, minlev, score, substr(obj, 3), body, replace(lv, score, 'score'), level_body);
END
$do$;

DO $$
BEGIN
    IF EXISTS (SELECT FROM (SELECT custvalue.churn_warning(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
                                       satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended,
                                       cancellations_30d) AS c,
                                   ROW(bench.churn_level_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d),
                                       bench.churn_score_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d),
                                       bench.churn_signals_sql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps, satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended, cancellations_30d))::custvalue.churn_warning_result AS s,
                                   bench.churn_warning_plpgsql(arpu_drop, usage_drop, complaints_30d, tenure_months, nps,
                                       satisfaction_drop, dissatisfied_30d, bundle_days_left, arrears, suspended,
                                       cancellations_30d) AS p
                              FROM bench_warning) AS x
                WHERE (c).level IS DISTINCT FROM (s).level OR (c).score IS DISTINCT FROM (s).score
                   OR (c).signals IS DISTINCT FROM (s).signals
                   OR (c).level IS DISTINCT FROM (p).level OR (c).score IS DISTINCT FROM (p).score
                   OR (c).signals IS DISTINCT FROM (p).signals) THEN
        RAISE EXCEPTION 'bench: churn_warning equivalents disagree with custvalue.churn_warning';
    END IF;
END
$$;
