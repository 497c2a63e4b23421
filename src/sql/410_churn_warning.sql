-- Rule-based churn early warning (domain.md §8).  The seeds name the signals
-- but give no thresholds or levels: every number here is a *(design)*
-- default in a policy table.  A signal fires when its value crosses its
-- threshold; the warning score is the sum of the weights of the fired
-- signals, and the level is the highest whose min_score the score reaches,
-- raised to a fired signal's min_level if that is higher.

CREATE TYPE @extschema@.warning_level AS ENUM ('none', 'yellow', 'orange', 'red');
COMMENT ON TYPE @extschema@.warning_level IS
'Churn warning level, ordered none < yellow < orange < red.';

CREATE TABLE @extschema@.churn_signal (
    signal      text PRIMARY KEY
                    CONSTRAINT churn_signal_known CHECK (signal IN (
                        'arpu_drop', 'usage_drop', 'complaints_30d', 'short_tenure',
                        'detractor', 'satisfaction_drop', 'dissatisfied_30d',
                        'bundle_ending', 'arrears', 'suspended', 'cancellations_30d')),
    fires_when  text GENERATED ALWAYS AS
                    (CASE WHEN signal IN ('short_tenure', 'detractor', 'bundle_ending')
                          THEN 'value < threshold' ELSE 'value >= threshold' END) STORED,
    threshold   numeric(12,4) NOT NULL,
    weight      numeric(6,3) NOT NULL CONSTRAINT churn_signal_weight_range CHECK (weight >= 0),
    min_level   @extschema@.warning_level
                    CONSTRAINT churn_signal_min_level CHECK (min_level <> 'none'),
    enabled     boolean NOT NULL DEFAULT true,
    unit        text NOT NULL,
    description text NOT NULL,
    -- A threshold must mean something for its signal.
    CONSTRAINT churn_signal_threshold_range CHECK (CASE
        WHEN signal IN ('arpu_drop', 'usage_drop') THEN threshold > 0 AND threshold <= 1
        WHEN signal IN ('complaints_30d', 'dissatisfied_30d', 'cancellations_30d', 'suspended')
            THEN threshold >= 1 AND threshold = trunc(threshold)
        WHEN signal = 'short_tenure' THEN threshold > 0 AND threshold <= 1200
        WHEN signal = 'detractor' THEN threshold > 0 AND threshold <= 10
        WHEN signal = 'satisfaction_drop' THEN threshold > 0 AND threshold <= 4
        WHEN signal = 'bundle_ending' THEN threshold > 0 AND threshold <= 3660
        WHEN signal = 'arrears' THEN threshold > 0
    END)
);
COMMENT ON TABLE @extschema@.churn_signal IS
'Churn warning signals (design defaults; domain.md §8 names the signals but no numbers).  Each fires when its value crosses threshold (see fires_when) and adds weight to the warning score; min_level, if set, is the lowest level a customer with that signal gets.  Edit with UPDATE (enabled = false switches a signal off); rows cannot be added or removed.';
COMMENT ON COLUMN @extschema@.churn_signal.signal IS 'Signal code; the value is computed by custvalue.customer_churn_inputs.';
COMMENT ON COLUMN @extschema@.churn_signal.fires_when IS 'Direction of the comparison with threshold (fixed per signal).';
COMMENT ON COLUMN @extschema@.churn_signal.threshold IS 'Value at which the signal fires (inclusive for >=, exclusive for <).';
COMMENT ON COLUMN @extschema@.churn_signal.weight IS 'Points added to the warning score when the signal fires.';
COMMENT ON COLUMN @extschema@.churn_signal.min_level IS 'Lowest warning level when this signal fires, NULL = only the score counts.';
COMMENT ON COLUMN @extschema@.churn_signal.enabled IS 'false = the signal never fires.';

INSERT INTO @extschema@.churn_signal (signal, threshold, weight, min_level, unit, description) VALUES
    ('arpu_drop', 0.30, 1.0, NULL, 'fraction',
     'Last month''s bill is this fraction or more below the customer''s average over the preceding churn_baseline_months (drop in purchase amount).'),
    ('usage_drop', 0.50, 1.0, NULL, 'fraction',
     'Voice minutes or data volume last month fell by this fraction or more against the preceding churn_baseline_months (drop in usage frequency).'),
    ('complaints_30d', 2, 1.5, NULL, 'complaints',
     'Complaints filed in the last 30 days (frequent complaints).'),
    ('short_tenure', 24, 0.5, NULL, 'months',
     'Tenure under 24 months: seed 000 names tenure under 2 years as the churn risk of 45 % of mid/high-end customers.  Weak alone (0.5 < yellow).'),
    ('detractor', 7, 1.0, NULL, 'NPS points',
     'Latest NPS answer in the last 180 days is below 7 (a detractor, 0-6).'),
    ('satisfaction_drop', 1, 1.0, NULL, 'CSAT points',
     'Latest CSAT answer is this many points or more below the customer''s earlier CSAT answers of the last 12 months (falling satisfaction).'),
    ('dissatisfied_30d', 1, 0.5, NULL, 'answers',
     'Post-service surveys answered "not satisfied" in the last 30 days.'),
    ('bundle_ending', 60, 1.0, NULL, 'days',
     'The customer''s last running bundle or contract ends in fewer than 60 days (bundle expiry).'),
    ('arrears', 1, 1.0, NULL, 'yuan',
     'Amount overdue at the end of last month (credit / arrears).'),
    ('suspended', 1, 1.0, 'orange', 'flag',
     'The line is suspended (1 = suspended); at least orange.'),
    ('cancellations_30d', 1, 1.0, NULL, 'cancellations',
     'Services unsubscribed or cancelled in the last 30 days (custvalue.service_cancellation).');

CREATE TABLE @extschema@.churn_warning_level (
    level      @extschema@.warning_level PRIMARY KEY
                   CONSTRAINT churn_warning_level_not_none CHECK (level <> 'none'),
    min_score  numeric(7,3) NOT NULL CONSTRAINT churn_warning_level_positive CHECK (min_score > 0),
    description text NOT NULL
);
COMMENT ON TABLE @extschema@.churn_warning_level IS
'Warning score needed for each level (design defaults): yellow 1, orange 2, red 3, strictly increasing.  Below yellow the level is none.';
INSERT INTO @extschema@.churn_warning_level VALUES
    ('yellow', 1, 'Watch: one clear signal.  The owning channel reviews at its next contact.'),
    ('orange', 2, 'Act: two signals.  The owning manager contacts the customer within 24 h (seed 002).'),
    ('red', 3, 'Urgent: three or more signals.  Retention offer within 24 h; escalate.');

CREATE FUNCTION @extschema@.churn_policy_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int;
BEGIN
    SELECT count(*) INTO n FROM @extschema@.churn_signal;
    IF n <> 11 THEN
        RAISE EXCEPTION 'custvalue.churn_signal must hold one row for each of the 11 signals, not % rows', n
            USING ERRCODE = 'check_violation',
                  HINT = 'Change signals with UPDATE; set enabled = false to switch one off.';
    END IF;
    SELECT count(*) INTO n FROM @extschema@.churn_warning_level;
    IF n <> 3 THEN
        RAISE EXCEPTION 'custvalue.churn_warning_level must hold yellow, orange and red, not % rows', n
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT FROM @extschema@.churn_warning_level a, @extschema@.churn_warning_level b
                WHERE a.level OPERATOR(pg_catalog.<) b.level AND a.min_score >= b.min_score) THEN
        RAISE EXCEPTION 'custvalue.churn_warning_level is not monotone: min_score must rise from yellow to orange to red'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.churn_policy_validate() IS
'Constraint trigger of the churn warning policy: all 11 signals present, levels yellow < orange < red by min_score.';

CREATE CONSTRAINT TRIGGER churn_signal_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.churn_signal
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.churn_policy_validate();
CREATE CONSTRAINT TRIGGER churn_warning_level_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.churn_warning_level
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.churn_policy_validate();
CREATE TRIGGER churn_signal_no_truncate BEFORE TRUNCATE ON @extschema@.churn_signal
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER churn_warning_level_no_truncate BEFORE TRUNCATE ON @extschema@.churn_warning_level
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.churn_signal
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.churn_warning_level
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.churn_signal', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.churn_warning_level', '');

CREATE TYPE @extschema@.churn_warning_result AS (
    level    @extschema@.warning_level,
    score    float8,
    signals  jsonb
);
COMMENT ON TYPE @extschema@.churn_warning_result IS
'Result of custvalue.churn_warning(): level, score (sum of fired weights) and the fired signals with their values, {"signal": value, ...}.';

CREATE FUNCTION @extschema@.churn_warning(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS @extschema@.churn_warning_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_warning(float8, float8, integer, integer, integer, float8, integer, integer, numeric, boolean, integer) IS
'Evaluate the churn warning signals of custvalue.churn_signal for one customer''s inputs (as custvalue.customer_churn_inputs computes them): returns the level, the score and the fired signals with their values.  A NULL input never fires.  Reads the policy once per statement, not per row.';

CREATE FUNCTION @extschema@.churn_level(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS @extschema@.warning_level
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_level(float8, float8, integer, integer, integer, float8, integer, integer, numeric, boolean, integer) IS
'Only the level of custvalue.churn_warning() for the same inputs (same policy, NULL handling and errors), without building the row or the jsonb of fired signals: for nightly runs over every customer and for filtering, e.g. WHERE churn_level(...) >= ''orange''.';
