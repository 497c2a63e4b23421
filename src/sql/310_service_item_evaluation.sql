-- Service-item evaluation (服务项目评估, domain.md §4): which services to
-- offer.  Three customer-side indicators are survey shares (count / valid
-- sample × 100), two operator-side indicators are expert scores 0–100; each
-- falls in a band under custvalue.satisfaction_policy (0–50 low, 51–75
-- medium, 76+ high) and an item is offered only if none is low.

CREATE TYPE @extschema@.service_item_assessment AS (
    awareness            float8,
    attractiveness       float8,
    convenience          float8,
    coverage             float8,
    operability          float8,
    awareness_band       text,
    attractiveness_band  text,
    convenience_band     text,
    coverage_band        text,
    operability_band     text,
    offered              boolean
);
COMMENT ON TYPE @extschema@.service_item_assessment IS
'Result of custvalue.service_item_evaluate(): the five indicators (0–100), their bands (low, medium, high) and the offer decision (false if any band is low).';

CREATE FUNCTION @extschema@.service_item_band(score float8) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_item_band(float8) IS
'Band of a 0–100 evaluation score under custvalue.satisfaction_policy: low up to band_low_max (50), medium up to band_medium_max (75), high above.  Scores outside 0–100 are an error (22023).';

CREATE FUNCTION @extschema@.service_item_evaluate(aware integer, well_perceived integer,
                                                  finds_convenient integer, valid_sample integer,
                                                  coverage float8, operability float8)
    RETURNS @extschema@.service_item_assessment
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_item_evaluate(integer, integer, integer, integer, float8, float8) IS
'Evaluates a service item (domain.md §4): awareness = aware/valid_sample × 100, attractiveness = well_perceived/valid_sample × 100, convenience = finds_convenient/valid_sample × 100, coverage and operability = expert scores 0–100; bands under custvalue.satisfaction_policy; offered unless any indicator is low.  Counts outside 0..valid_sample, valid_sample <= 0 or scores outside 0–100 are an error (22023).';

CREATE TABLE @extschema@.service_item_evaluation (
    evaluation_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item              text NOT NULL,
    service_item      text REFERENCES @extschema@.service_item (code),
    evaluated_on      date NOT NULL,
    valid_sample      integer NOT NULL CHECK (valid_sample > 0),
    aware             integer NOT NULL CHECK (aware BETWEEN 0 AND valid_sample),
    well_perceived    integer NOT NULL CHECK (well_perceived BETWEEN 0 AND valid_sample),
    finds_convenient  integer NOT NULL CHECK (finds_convenient BETWEEN 0 AND valid_sample),
    coverage          numeric(5,2) NOT NULL CHECK (coverage BETWEEN 0 AND 100),
    operability       numeric(5,2) NOT NULL CHECK (operability BETWEEN 0 AND 100),
    UNIQUE (item, evaluated_on)
);
COMMENT ON TABLE @extschema@.service_item_evaluation IS
'One evaluation of a service item: survey counts from the mid/high-end customer questionnaire and expert scores (domain.md §4).  item names the evaluated service (the seed evaluates VIP services outside the catalog too); service_item links it to the catalog when it is there.';
COMMENT ON COLUMN @extschema@.service_item_evaluation.valid_sample IS 'Valid questionnaires (有效样本数).';
COMMENT ON COLUMN @extschema@.service_item_evaluation.aware IS 'Respondents who know the service (知晓).';
COMMENT ON COLUMN @extschema@.service_item_evaluation.well_perceived IS 'Respondents who perceive the service well (感知良好): attractiveness.';
COMMENT ON COLUMN @extschema@.service_item_evaluation.finds_convenient IS 'Respondents who find the service convenient (带来便捷).';
COMMENT ON COLUMN @extschema@.service_item_evaluation.coverage IS 'Expert score 0–100 for coverage (覆盖度): users over half a year, VIP base, operability.';
COMMENT ON COLUMN @extschema@.service_item_evaluation.operability IS 'Expert score 0–100 for operability (操作性).';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service_item_evaluation', '');

CREATE VIEW @extschema@.service_item_decisions WITH (security_invoker = true) AS
SELECT e.item,
       e.service_item,
       e.evaluated_on,
       e.valid_sample,
       a.awareness, a.attractiveness, a.convenience, a.coverage, a.operability,
       a.awareness_band, a.attractiveness_band, a.convenience_band,
       a.coverage_band, a.operability_band,
       a.offered,
       pg_catalog.array_remove(ARRAY[
           CASE WHEN a.awareness_band = 'low' THEN 'awareness' END,
           CASE WHEN a.attractiveness_band = 'low' THEN 'attractiveness' END,
           CASE WHEN a.convenience_band = 'low' THEN 'convenience' END,
           CASE WHEN a.coverage_band = 'low' THEN 'coverage' END,
           CASE WHEN a.operability_band = 'low' THEN 'operability' END], NULL) AS low_indicators
  FROM (SELECT DISTINCT ON (ev.item) ev.*
          FROM @extschema@.service_item_evaluation ev
         ORDER BY ev.item, ev.evaluated_on DESC) e
  CROSS JOIN LATERAL @extschema@.service_item_evaluate(
        e.aware, e.well_perceived, e.finds_convenient, e.valid_sample,
        e.coverage::float8, e.operability::float8) a;
COMMENT ON VIEW @extschema@.service_item_decisions IS
'The latest evaluation of each service item: five indicators, their bands, the offer decision (offered unless an indicator is low) and which indicators are low.';
