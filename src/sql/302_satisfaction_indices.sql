-- The multi-attribute indices: CSI, SERVQUAL gaps and importance-
-- performance analysis (src/satisfaction_agg.c, src/servqual_ipa.c), their
-- states in a bytea (src/flat_state.h) so that Citus splits them between
-- its workers and the coordinator.  Their own file because 1.3 changed them
-- (the 1.2 -> 1.3 update re-runs it; keep it CREATE OR REPLACE).

-- ---------- CSI ----------

CREATE OR REPLACE FUNCTION @extschema@.csi_transfn(bytea, float8[]) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csi_weighted_transfn(bytea, float8[], float8[]) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csi_scale_transfn(bytea, float8[], integer) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csi_weighted_scale_transfn(bytea, float8[], float8[], integer) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csi_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.csi_final(bytea) RETURNS @extschema@.csi_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.csi_transfn(bytea, float8[]) IS 'Transition function of custvalue.csi(float8[]).';
COMMENT ON FUNCTION @extschema@.csi_weighted_transfn(bytea, float8[], float8[]) IS 'Transition function of custvalue.csi(float8[], float8[]).';
COMMENT ON FUNCTION @extschema@.csi_scale_transfn(bytea, float8[], integer) IS 'Transition function of custvalue.csi(float8[], integer).';
COMMENT ON FUNCTION @extschema@.csi_weighted_scale_transfn(bytea, float8[], float8[], integer) IS 'Transition function of custvalue.csi(float8[], float8[], integer).';
COMMENT ON FUNCTION @extschema@.csi_combine(bytea, bytea) IS 'Combine function of custvalue.csi().';
COMMENT ON FUNCTION @extschema@.csi_final(bytea) IS 'Final function of custvalue.csi().';

CREATE OR REPLACE AGGREGATE @extschema@.csi(ratings float8[]) (
    SFUNC = @extschema@.csi_transfn, STYPE = bytea, SSPACE = 40,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[]) IS
'Customer satisfaction index 0–100 (ACSI-style) from attribute ratings on the satisfaction_policy.csi_scale scale (default 1–10), equally weighted: mean over respondents of mean((x − 1)/(k − 1) × 100).  NULL rows are ignored; no rows gives NULL.';
CREATE OR REPLACE AGGREGATE @extschema@.csi(ratings float8[], weights float8[]) (
    SFUNC = @extschema@.csi_weighted_transfn, STYPE = bytea, SSPACE = 40,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[], float8[]) IS
'Customer satisfaction index 0–100 from attribute ratings on the policy''s csi_scale, weighted by weights (non-negative, positive sum, normalised per row, same length as ratings or 2202E).';
CREATE OR REPLACE AGGREGATE @extschema@.csi(ratings float8[], scale integer) (
    SFUNC = @extschema@.csi_scale_transfn, STYPE = bytea, SSPACE = 40,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[], integer) IS
'Customer satisfaction index 0–100 from equally weighted attribute ratings on a 1..scale scale.';
CREATE OR REPLACE AGGREGATE @extschema@.csi(ratings float8[], weights float8[], scale integer) (
    SFUNC = @extschema@.csi_weighted_scale_transfn, STYPE = bytea, SSPACE = 40,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[], float8[], integer) IS
'Customer satisfaction index 0–100 from attribute ratings on a 1..scale scale, weighted by weights.';

-- ---------- SERVQUAL ----------

CREATE OR REPLACE FUNCTION @extschema@.servqual_transfn(bytea, float8[], float8[]) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.servqual_scale_transfn(bytea, float8[], float8[], integer) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.servqual_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.servqual_final(bytea) RETURNS @extschema@.servqual_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.servqual_transfn(bytea, float8[], float8[]) IS 'Transition function of custvalue.servqual(float8[], float8[]).';
COMMENT ON FUNCTION @extschema@.servqual_scale_transfn(bytea, float8[], float8[], integer) IS 'Transition function of custvalue.servqual(float8[], float8[], integer).';
COMMENT ON FUNCTION @extschema@.servqual_combine(bytea, bytea) IS 'Combine function of custvalue.servqual().';
COMMENT ON FUNCTION @extschema@.servqual_final(bytea) IS 'Final function of custvalue.servqual().';

CREATE OR REPLACE AGGREGATE @extschema@.servqual(perception float8[], expectation float8[]) (
    SFUNC = @extschema@.servqual_transfn, STYPE = bytea, SSPACE = 120,
    FINALFUNC = @extschema@.servqual_final, COMBINEFUNC = @extschema@.servqual_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.servqual(float8[], float8[]) IS
'SERVQUAL gaps: each row holds one respondent''s five dimension scores (reliability, responsiveness, assurance, empathy, tangibles) for perception and for expectation on the policy''s servqual_scale (default 1–7); returns mean perception − expectation per dimension and overall.  Wrong length or NULL elements 2202E, out-of-scale ratings 22023.';
CREATE OR REPLACE AGGREGATE @extschema@.servqual(perception float8[], expectation float8[], scale integer) (
    SFUNC = @extschema@.servqual_scale_transfn, STYPE = bytea, SSPACE = 120,
    FINALFUNC = @extschema@.servqual_final, COMBINEFUNC = @extschema@.servqual_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.servqual(float8[], float8[], integer) IS
'SERVQUAL gaps as servqual(perception, expectation), on a 1..scale scale.';

-- ---------- importance–performance analysis ----------

CREATE OR REPLACE FUNCTION @extschema@.ipa_transfn(bytea, float8[], float8[]) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.ipa_scale_transfn(bytea, float8[], float8[], integer) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.ipa_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.ipa_final(bytea) RETURNS @extschema@.ipa_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ipa_transfn(bytea, float8[], float8[]) IS 'Transition function of custvalue.ipa(float8[], float8[]).';
COMMENT ON FUNCTION @extschema@.ipa_scale_transfn(bytea, float8[], float8[], integer) IS 'Transition function of custvalue.ipa(float8[], float8[], integer).';
COMMENT ON FUNCTION @extschema@.ipa_combine(bytea, bytea) IS 'Combine function of custvalue.ipa().';
COMMENT ON FUNCTION @extschema@.ipa_final(bytea) IS 'Final function of custvalue.ipa().';

CREATE OR REPLACE AGGREGATE @extschema@.ipa(importance float8[], performance float8[]) (
    SFUNC = @extschema@.ipa_transfn, STYPE = bytea,
    FINALFUNC = @extschema@.ipa_final, COMBINEFUNC = @extschema@.ipa_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.ipa(float8[], float8[]) IS
'Importance–performance analysis (Martilla & James 1977): each row rates the same k attributes (at most 1000) for importance and performance on the policy''s ipa_scale (default 1–5); returns mean importance and performance per attribute and its quadrant against the grand-mean crosshairs (at or above a crosshair counts as high).';
CREATE OR REPLACE AGGREGATE @extschema@.ipa(importance float8[], performance float8[], scale integer) (
    SFUNC = @extschema@.ipa_scale_transfn, STYPE = bytea,
    FINALFUNC = @extschema@.ipa_final, COMBINEFUNC = @extschema@.ipa_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.ipa(float8[], float8[], integer) IS
'Importance–performance analysis as ipa(importance, performance), on a 1..scale scale.';
