-- CSAT and NPS: counts in a bytea state (src/flat_state.h), so that Citus
-- splits them between its workers and the coordinator as PostgreSQL splits
-- them between parallel workers.  Its own file because 1.3 changed them
-- (the 1.2 -> 1.3 update re-runs it; keep it CREATE OR REPLACE).

-- ---------- CSAT ----------

CREATE OR REPLACE FUNCTION @extschema@.csat_bool_transfn(bytea, boolean) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csat_policy_transfn(bytea, integer) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csat_transfn(bytea, integer, integer, integer) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csat_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csat_final(bytea) RETURNS @extschema@.csat_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.csat_bool_transfn(bytea, boolean) IS 'Transition function of custvalue.csat(boolean).';
COMMENT ON FUNCTION @extschema@.csat_policy_transfn(bytea, integer) IS 'Transition function of custvalue.csat(integer).';
COMMENT ON FUNCTION @extschema@.csat_transfn(bytea, integer, integer, integer) IS 'Transition function of custvalue.csat(integer, integer, integer).';
COMMENT ON FUNCTION @extschema@.csat_combine(bytea, bytea) IS 'Combine function of custvalue.csat().';
COMMENT ON FUNCTION @extschema@.csat_final(bytea) IS 'Final function of custvalue.csat(): share and Wilson interval.';

CREATE OR REPLACE AGGREGATE @extschema@.csat(satisfied boolean) (
    SFUNC = @extschema@.csat_bool_transfn, STYPE = bytea, SSPACE = 32,
    FINALFUNC = @extschema@.csat_final,
    COMBINEFUNC = @extschema@.csat_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csat(boolean) IS
'Share of satisfied answers to a yes/no question (the post-service SMS survey) in percent, with its Wilson score interval at satisfaction_policy.confidence.  NULL answers are ignored; no answers gives NULL.';

CREATE OR REPLACE AGGREGATE @extschema@.csat(answer integer) (
    SFUNC = @extschema@.csat_policy_transfn, STYPE = bytea, SSPACE = 32,
    FINALFUNC = @extschema@.csat_final,
    COMBINEFUNC = @extschema@.csat_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csat(integer) IS
'CSAT on the scale of satisfaction_policy (default 1–5, satisfied = 4 or 5): share of satisfied answers in percent with its Wilson interval.  Answers outside the scale are an error (22023); NULLs are ignored; no answers gives NULL.';

CREATE OR REPLACE AGGREGATE @extschema@.csat(answer integer, scale integer, threshold integer) (
    SFUNC = @extschema@.csat_transfn, STYPE = bytea, SSPACE = 32,
    FINALFUNC = @extschema@.csat_final,
    COMBINEFUNC = @extschema@.csat_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csat(integer, integer, integer) IS
'CSAT on a 1..scale answer scale: share of answers >= threshold in percent, with its Wilson interval.  scale 2–100, threshold 2..scale, the same in every row of a group; answers outside 1..scale are an error (22023).';


-- ---------- NPS ----------

CREATE OR REPLACE FUNCTION @extschema@.nps_transfn(bytea, integer) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.nps_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.nps_final(bytea) RETURNS @extschema@.nps_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_transfn(bytea, integer) IS 'Transition function of custvalue.nps().';
COMMENT ON FUNCTION @extschema@.nps_combine(bytea, bytea) IS 'Combine function of custvalue.nps().';
COMMENT ON FUNCTION @extschema@.nps_final(bytea) IS 'Final function of custvalue.nps().';

CREATE OR REPLACE AGGREGATE @extschema@.nps(answer integer) (
    SFUNC = @extschema@.nps_transfn, STYPE = bytea, SSPACE = 32,
    FINALFUNC = @extschema@.nps_final,
    COMBINEFUNC = @extschema@.nps_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.nps(integer) IS
'Net Promoter Score of 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6; NPS = % promoters − % detractors with SE = 100·sqrt((p_pro(1−p_pro) + p_det(1−p_det) + 2·p_pro·p_det)/n) and interval NPS ± z·SE clamped to ±100.  Answers outside 0–10 are an error (22023); NULLs are ignored; no answers gives NULL.';

