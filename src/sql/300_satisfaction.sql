-- Satisfaction indices (domain.md §7): policy, result types and parallel C
-- aggregates for CSAT, NPS, CSI, SERVQUAL gaps and importance–performance
-- analysis.  Percent-like indices are on 0–100; a group without answers
-- gives NULL; every interval is two-sided at satisfaction_policy.confidence.

CREATE TABLE @extschema@.satisfaction_policy (
    singleton        boolean PRIMARY KEY DEFAULT true
                         CONSTRAINT satisfaction_policy_one_row CHECK (singleton),
    target_pct       numeric(5,2) NOT NULL DEFAULT 85
                         CONSTRAINT satisfaction_policy_target_pct
                         CHECK (target_pct > 0 AND target_pct <= 100),
    confidence       numeric(6,5) NOT NULL DEFAULT 0.95
                         CONSTRAINT satisfaction_policy_confidence
                         CHECK (confidence > 0 AND confidence < 1),
    csat_scale       integer NOT NULL DEFAULT 5
                         CONSTRAINT satisfaction_policy_csat_scale
                         CHECK (csat_scale BETWEEN 2 AND 100),
    csat_threshold   integer NOT NULL DEFAULT 4
                         CONSTRAINT satisfaction_policy_csat_threshold
                         CHECK (csat_threshold BETWEEN 2 AND csat_scale),
    csi_scale        integer NOT NULL DEFAULT 10
                         CONSTRAINT satisfaction_policy_csi_scale
                         CHECK (csi_scale BETWEEN 2 AND 100),
    servqual_scale   integer NOT NULL DEFAULT 7
                         CONSTRAINT satisfaction_policy_servqual_scale
                         CHECK (servqual_scale BETWEEN 2 AND 100),
    ipa_scale        integer NOT NULL DEFAULT 5
                         CONSTRAINT satisfaction_policy_ipa_scale
                         CHECK (ipa_scale BETWEEN 2 AND 100),
    band_low_max     numeric(5,2) NOT NULL DEFAULT 50,
    band_medium_max  numeric(5,2) NOT NULL DEFAULT 75,
    CONSTRAINT satisfaction_policy_bands
        CHECK (band_low_max >= 0 AND band_low_max < band_medium_max AND band_medium_max < 100)
);
COMMENT ON TABLE @extschema@.satisfaction_policy IS
'The satisfaction policy, one row: the satisfaction target, the confidence level of every interval, the default answer scales of the satisfaction aggregates and the service-item evaluation bands.  Edit with UPDATE; the next statement of every session sees the change.';
COMMENT ON COLUMN @extschema@.satisfaction_policy.singleton IS 'Always true: the table holds exactly one row.';
COMMENT ON COLUMN @extschema@.satisfaction_policy.target_pct IS 'Satisfaction target in percent (seed 001: at least 85 %); groups below it are flagged.';
COMMENT ON COLUMN @extschema@.satisfaction_policy.confidence IS 'Two-sided confidence level of every interval the aggregates return (design: 0.95).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.csat_scale IS 'Points of the CSAT scale used by csat(integer), answers 1..csat_scale (design: 5).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.csat_threshold IS 'Lowest CSAT answer that counts as satisfied in csat(integer) (design: 4, the usual top-two box).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.csi_scale IS 'Points of the attribute scale used by csi() without a scale argument (design: 10, as the ACSI).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.servqual_scale IS 'Points of the scale used by servqual() without a scale argument (design: 7, as Parasuraman et al. 1988).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.ipa_scale IS 'Points of the scale used by ipa() without a scale argument (design: 5).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.band_low_max IS 'Service-item evaluation: scores up to this are low/weak (seed 000: 0–50).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.band_medium_max IS 'Service-item evaluation: scores above band_low_max up to this are medium (seed 000: 51–75); above it high/strong.';

INSERT INTO @extschema@.satisfaction_policy DEFAULT VALUES;

CREATE FUNCTION @extschema@.satisfaction_policy_keep() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'custvalue.satisfaction_policy must keep its one row'
        USING ERRCODE = 'check_violation',
              HINT = 'Change the policy with UPDATE.';
END;
$$;
COMMENT ON FUNCTION @extschema@.satisfaction_policy_keep() IS
'Trigger that keeps the one row of custvalue.satisfaction_policy from being deleted.';

CREATE TRIGGER satisfaction_policy_no_delete BEFORE DELETE ON @extschema@.satisfaction_policy
    FOR EACH ROW EXECUTE FUNCTION @extschema@.satisfaction_policy_keep();
CREATE TRIGGER satisfaction_policy_no_truncate BEFORE TRUNCATE ON @extschema@.satisfaction_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.satisfaction_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.satisfaction_policy', '');

-- ---------- result types ----------

CREATE TYPE @extschema@.csat_result AS (
    satisfied  bigint,
    n          bigint,
    csat       float8,
    ci_low     float8,
    ci_high    float8
);
COMMENT ON TYPE @extschema@.csat_result IS
'Result of custvalue.csat(): satisfied answers, answers, their share in percent and its Wilson score interval (percent).';

CREATE TYPE @extschema@.nps_result AS (
    promoters   bigint,
    passives    bigint,
    detractors  bigint,
    n           bigint,
    nps         float8,
    se          float8,
    ci_low      float8,
    ci_high     float8
);
COMMENT ON TYPE @extschema@.nps_result IS
'Result of custvalue.nps(): counts of promoters (9–10), passives (7–8) and detractors (0–6), answers, NPS = % promoters − % detractors (−100…100), its standard error and Wald interval in NPS points.';

CREATE TYPE @extschema@.csi_result AS (
    n        bigint,
    csi      float8,
    se       float8,
    ci_low   float8,
    ci_high  float8
);
COMMENT ON TYPE @extschema@.csi_result IS
'Result of custvalue.csi(): respondents, the 0–100 index, its standard error and Student-t interval (NULL below 2 respondents).';

CREATE TYPE @extschema@.servqual_result AS (
    n               bigint,
    reliability     float8,
    responsiveness  float8,
    assurance       float8,
    empathy         float8,
    tangibles       float8,
    overall         float8,
    overall_se      float8,
    ci_low          float8,
    ci_high         float8,
    dimension_ci_low  float8[],
    dimension_ci_high float8[]
);
COMMENT ON TYPE @extschema@.servqual_result IS
'Result of custvalue.servqual(): respondents, the mean gap perception − expectation per dimension and overall (mean of the five), and the overall gap''s standard error and Student-t interval, and the five dimensions'' intervals as arrays in dimension order (intervals NULL below 2 respondents).  Negative gaps mean service below expectation.';

CREATE TYPE @extschema@.ipa_result AS (
    n                     bigint,
    importance            float8[],
    performance           float8[],
    quadrant              text[],
    importance_crosshair  float8,
    performance_crosshair float8,
    importance_ci_low     float8[],
    importance_ci_high    float8[],
    performance_ci_low    float8[],
    performance_ci_high   float8[]
);
COMMENT ON TYPE @extschema@.ipa_result IS
'Result of custvalue.ipa(): respondents, per attribute the mean importance, mean performance and quadrant (keep_up_the_good_work, concentrate_here, low_priority, possible_overkill), the crosshairs (grand means of the attribute means) and per-attribute Student-t intervals of both means (NULL below 2 respondents).  See custvalue.ipa_attributes() for one row per attribute.';

CREATE FUNCTION @extschema@.wilson_interval(successes bigint, n bigint, confidence float8 DEFAULT 0.95,
                                            OUT ci_low float8, OUT ci_high float8)
    AS 'MODULE_PATHNAME', 'wilson_interval_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wilson_interval(bigint, bigint, float8) IS
'Wilson score interval (percent) of the proportion successes/n at the given two-sided confidence; NULL for n = 0.';

CREATE FUNCTION @extschema@.normal_quantile(p float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'normal_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normal_quantile(float8) IS
'Quantile of the standard normal distribution (inverse CDF), accurate to double precision; 0 < p < 1.';

CREATE FUNCTION @extschema@.t_quantile(p float8, df float8) RETURNS float8
    AS 'MODULE_PATHNAME', 't_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.t_quantile(float8, float8) IS
'Quantile of Student''s t distribution with df degrees of freedom for 0.5 < p < 1 (upper half), accurate to about 1e-13; the critical value of the intervals of means (csi, servqual, ipa).';

-- The CSI, SERVQUAL and IPA aggregates: 302.

CREATE FUNCTION @extschema@.ipa_attributes(result @extschema@.ipa_result, names text[] DEFAULT NULL)
    RETURNS TABLE (attribute integer, name text, importance float8, performance float8,
                   quadrant text, importance_ci_low float8, importance_ci_high float8,
                   performance_ci_low float8, performance_ci_high float8)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT i, names[i], (result).importance[i], (result).performance[i], (result).quadrant[i],
           (result).importance_ci_low[i], (result).importance_ci_high[i],
           (result).performance_ci_low[i], (result).performance_ci_high[i]
      FROM pg_catalog.generate_subscripts((result).importance, 1) AS i
     ORDER BY i;
END;
COMMENT ON FUNCTION @extschema@.ipa_attributes(@extschema@.ipa_result, text[]) IS
'One row per attribute of an ipa() result, numbered from 1, named from names[] when given.';
