-- Customer value function (CVF, domain.md §2): the population scale type,
-- its parallel aggregate, the scoring function and its policy, and CLV.
-- C in src/cvf_sketch.c, src/cvf_scale.c, src/cvf_score.c, src/clv.c.

-- ---------------------------------------------------------------- policy
-- One row per CVF dimension: its weight in the composite score and the
-- population quantile that counts as "full marks" (see src/cvf_score.c).
CREATE TABLE @extschema@.cvf_policy (
    dimension           text PRIMARY KEY
                            CONSTRAINT cvf_policy_dimension_known
                            CHECK (dimension IN ('revenue', 'tenure', 'credit_risk', 'tariff', 'bundles')),
    weight              numeric(6,5) NOT NULL
                            CONSTRAINT cvf_policy_weight_range CHECK (weight >= 0 AND weight <= 1),
    reference_quantile  numeric(3,2) NOT NULL DEFAULT 0.95
                            CONSTRAINT cvf_policy_reference_quantile_level
                            CHECK (reference_quantile IN (0.50, 0.75, 0.90, 0.95, 0.99)),
    description         text NOT NULL
);
COMMENT ON TABLE @extschema@.cvf_policy IS
'CVF policy: per dimension, the weight in the composite CVF score (non-negative, summing to 1 over the five dimensions) and the population quantile a customer must reach for a sub-score of 100.  Edit with UPDATE; several weights at once in one transaction with SET CONSTRAINTS cvf_policy_valid DEFERRED.';
COMMENT ON COLUMN @extschema@.cvf_policy.dimension IS 'revenue, tenure, credit_risk, tariff or bundles.';
COMMENT ON COLUMN @extschema@.cvf_policy.weight IS 'Weight of the dimension''s sub-score in the composite CVF score.';
COMMENT ON COLUMN @extschema@.cvf_policy.reference_quantile IS 'Population quantile that scores 100 (0 for credit_risk, where less is better): one of 0.50, 0.75, 0.90, 0.95, 0.99, the levels a cvf_scale keeps.';

-- Weights are a design choice (domain.md §2: not in the seeds); see README.
INSERT INTO @extschema@.cvf_policy (dimension, weight, description) VALUES
    ('revenue',     0.35, 'Revenue contribution (收入贡献): annual spend.  Mattison''s CVF and the seed put revenue first.'),
    ('tenure',      0.25, 'Tenure on network (在网时长) in months.  The seed''s main risk: 45 % of mid/high-end customers under 2 years.'),
    ('credit_risk', 0.15, 'Payment-credit risk (信用风险): share of billed months paid late or in arrears; lower is better.'),
    ('tariff',      0.10, 'Tariff composition (通信资费构成): share of the bill from data and value-added services.'),
    ('bundles',     0.15, 'Bundled-marketing participation (参与捆绑营销): bundles active in the reference month.');

CREATE FUNCTION @extschema@.cvf_policy_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int;
    total numeric;
BEGIN
    SELECT count(*), coalesce(sum(weight), 0) INTO n, total FROM @extschema@.cvf_policy;
    IF n <> 5 THEN
        RAISE EXCEPTION 'custvalue.cvf_policy must hold one row for each of the 5 CVF dimensions, not % rows', n
            USING ERRCODE = 'check_violation',
                  HINT = 'Change weights with UPDATE; dimensions cannot be added or removed.';
    END IF;
    IF total <> 1 THEN
        RAISE EXCEPTION 'custvalue.cvf_policy weights must sum to 1, not %', total
            USING ERRCODE = 'check_violation',
                  HINT = 'Move several weights in one transaction after SET CONSTRAINTS custvalue.cvf_policy_valid DEFERRED.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.cvf_policy_validate() IS
'Constraint trigger of custvalue.cvf_policy: five dimensions whose weights sum to 1.';

CREATE CONSTRAINT TRIGGER cvf_policy_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.cvf_policy
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.cvf_policy_validate();
CREATE TRIGGER cvf_policy_no_truncate BEFORE TRUNCATE ON @extschema@.cvf_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.cvf_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.cvf_policy', '');

-- ---------------------------------------------------------------- cvf_scale type
CREATE TYPE @extschema@.cvf_scale;

CREATE FUNCTION @extschema@.cvf_scale_in(cstring) RETURNS @extschema@.cvf_scale
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_in(cstring) IS 'Text input of custvalue.cvf_scale; validates counts and the order of the quantiles (22P02).';
CREATE FUNCTION @extschema@.cvf_scale_out(@extschema@.cvf_scale) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_out(@extschema@.cvf_scale) IS 'Text output of custvalue.cvf_scale.';
CREATE FUNCTION @extschema@.cvf_scale_recv(internal) RETURNS @extschema@.cvf_scale
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_recv(internal) IS 'Binary input of custvalue.cvf_scale; validates like the text input (22P03).';
CREATE FUNCTION @extschema@.cvf_scale_send(@extschema@.cvf_scale) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_send(@extschema@.cvf_scale) IS 'Binary output of custvalue.cvf_scale: per dimension int8 count and seven float8.';

CREATE TYPE @extschema@.cvf_scale (
    INPUT = @extschema@.cvf_scale_in,
    OUTPUT = @extschema@.cvf_scale_out,
    RECEIVE = @extschema@.cvf_scale_recv,
    SEND = @extschema@.cvf_scale_send,
    INTERNALLENGTH = 320,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.cvf_scale IS
'A population''s scale for the five CVF dimensions (revenue, tenure, credit_risk, tariff, bundles): per dimension the count of non-NULL values, minimum, 50/75/90/95/99th percentiles and maximum.  Built by the aggregate custvalue.cvf_scale(); consumed by custvalue.cvf_score().';

CREATE FUNCTION @extschema@.cvf_scale_eq(@extschema@.cvf_scale, @extschema@.cvf_scale) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_eq(@extschema@.cvf_scale, @extschema@.cvf_scale) IS 'Two scales are equal when every count and value is.';
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.cvf_scale, RIGHTARG = @extschema@.cvf_scale,
    FUNCTION = @extschema@.cvf_scale_eq, COMMUTATOR = OPERATOR(@extschema@.=)
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.cvf_scale, @extschema@.cvf_scale) IS 'Scales are equal when every count and value is.';

CREATE FUNCTION @extschema@.cvf_scale_summary(scale @extschema@.cvf_scale)
    RETURNS TABLE (dimension text, n bigint, min float8, p50 float8, p75 float8,
                   p90 float8, p95 float8, p99 float8, max float8)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.cvf_scale_summary(@extschema@.cvf_scale) IS
'A cvf_scale as a table: one row per dimension with its count, minimum, percentiles and maximum (NULL when the dimension has no values).';

CREATE FUNCTION @extschema@.cvf_scale_from_state(state bytea) RETURNS @extschema@.cvf_scale
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_from_state(bytea) IS
'The scale a serialised cvf_scale_state stands for.  Validates every byte: malformed input is an error (22P03), never a crash.';

-- ---------------------------------------------------------------- scoring
CREATE TYPE @extschema@.cvf_scores AS (
    revenue_score  float8,
    tenure_score   float8,
    credit_score   float8,
    tariff_score   float8,
    bundle_score   float8,
    cvf            float8
);
COMMENT ON TYPE @extschema@.cvf_scores IS
'A customer''s CVF: the five sub-scores 0–100 and the weighted composite cvf 0–100.';

CREATE FUNCTION @extschema@.cvf_score(scale @extschema@.cvf_scale, revenue float8, tenure float8,
                                      credit_risk float8, tariff float8, bundles float8)
    RETURNS @extschema@.cvf_scores
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_score(@extschema@.cvf_scale, float8, float8, float8, float8, float8) IS
'One customer''s CVF against a population scale: each sub-score is 100 * min(x / ref, 1) (credit: 100 * (1 - min(x / ref, 1))), ref = the dimension''s reference quantile in custvalue.cvf_policy; cvf = weighted mean of the sub-scores.  A NULL input (or a dimension the scale has no values for) gives a NULL sub-score and the weights are renormalised over the rest; NULL scale gives NULL.  Negative or non-finite inputs: 22023.  STABLE: reads the weights from custvalue.cvf_policy once per statement.';

CREATE FUNCTION @extschema@.cvf(scale @extschema@.cvf_scale, revenue float8, tenure float8,
                                credit_risk float8, tariff float8, bundles float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cvf_total' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf(@extschema@.cvf_scale, float8, float8, float8, float8, float8) IS
'Only the composite CVF score 0–100 of custvalue.cvf_score(), as a float8 (no row is formed: for ranking and filtering).  Same NULL handling, errors and policy.';

-- ---------------------------------------------------------------- lifetime value
CREATE FUNCTION @extschema@.clv(monthly_margin float8, monthly_retention float8,
                                discount_rate float8, horizon_months float8 DEFAULT 'Infinity')
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.clv(float8, float8, float8, float8) IS
'Customer lifetime value: m * sum_{t=0}^{H-1} (r / (1 + d))^t, this month''s margin included; closed form m (1 + d) / (1 + d - r) for an infinite horizon (the default).  monthly_retention r in [0, 1] (e.g. 1 - monthly churn probability), discount_rate d >= 0 per month, horizon_months a whole number or ''Infinity''.  Invalid arguments and a divergent sum (r = 1, d = 0, infinite horizon) are 22023.';
