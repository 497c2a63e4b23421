-- The cvf_scale aggregate: a dense histogram sketch per dimension (src/
-- cvf_sketch.c) in a bytea state (src/flat_state.h), so that Citus splits
-- it between its workers and the coordinator; cvf_scale_state gives the
-- sketch in its compact serial form.  Its own file because 1.3 changed it
-- (the 1.2 -> 1.3 update re-runs it; keep it CREATE OR REPLACE).

CREATE OR REPLACE FUNCTION @extschema@.cvf_scale_accum(bytea, float8, float8, float8, float8, float8)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_accum(bytea, float8, float8, float8, float8, float8) IS
'Transition function of custvalue.cvf_scale(): adds one customer to the per-dimension histograms; NULL dimensions are skipped, negative or non-finite ones are an error (22023).';
CREATE OR REPLACE FUNCTION @extschema@.cvf_scale_combine(bytea, bytea)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_combine(bytea, bytea) IS
'Combine function of custvalue.cvf_scale(): adds histogram counts, so any split of the input gives the serial result exactly.  The incoming state is checked first (22P03).';
CREATE OR REPLACE FUNCTION @extschema@.cvf_scale_final(bytea)
    RETURNS @extschema@.cvf_scale AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_final(bytea) IS
'Final function of custvalue.cvf_scale(): percentiles from the histograms of a checked state (22P03 otherwise).';
CREATE OR REPLACE FUNCTION @extschema@.cvf_scale_serialize(bytea)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_serialize(bytea) IS
'Final function of custvalue.cvf_scale_state(): the non-empty bins of each histogram of a checked state.';

CREATE OR REPLACE AGGREGATE @extschema@.cvf_scale(revenue float8, tenure float8, credit_risk float8,
                                                  tariff float8, bundles float8) (
    SFUNC = @extschema@.cvf_scale_accum,
    STYPE = bytea,
    SSPACE = 51408,
    FINALFUNC = @extschema@.cvf_scale_final,
    COMBINEFUNC = @extschema@.cvf_scale_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvf_scale(float8, float8, float8, float8, float8) IS
'The population''s scale for CVF scoring: per dimension a fixed-bin log-linear histogram (32 bins per octave), reduced to count, minimum, 50/75/90/95/99th percentiles (inverse empirical CDF, reported as the lower edge of the bin of the order statistic: at most 3.2 % below it, exact for bin edges such as integers below 64) and maximum.  NULL dimension values are skipped per dimension; no rows gives NULL.  Parallel plans give exactly the serial result.';

CREATE OR REPLACE AGGREGATE @extschema@.cvf_scale_state(revenue float8, tenure float8, credit_risk float8,
                                                        tariff float8, bundles float8) (
    SFUNC = @extschema@.cvf_scale_accum,
    STYPE = bytea,
    SSPACE = 51408,
    FINALFUNC = @extschema@.cvf_scale_serialize,
    COMBINEFUNC = @extschema@.cvf_scale_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvf_scale_state(float8, float8, float8, float8, float8) IS
'The serialised state behind custvalue.cvf_scale() (for tests and diagnostics); custvalue.cvf_scale_from_state() turns it into the scale.';
