-- churn_fit_query(): the churn_fit model of a query's rows, fitted with one
-- parallel scan per Newton step (C in src/churn_fit_query.c).  churn_fit
-- keeps every row in its state and iterates in its final function, in one
-- process; here each evaluation is a fixed-size, combinable aggregate that
-- parallel workers share, and memory does not grow with the rows.

CREATE FUNCTION @extschema@.churn_fit_moments_trans(internal, boolean, float8[])
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_final(internal)
    RETURNS float8[] AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_moments_trans(internal, boolean, float8[]) IS 'Transition function of churn_fit_moments (Welford).';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_combine(internal, internal) IS 'Combine function of churn_fit_moments (pairwise means and squared deviations).';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_serial(internal) IS 'Serializes a churn_fit_moments state for parallel aggregation.';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_deserial(bytea, internal) IS 'Deserializes a churn_fit_moments state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_final(internal) IS 'Final function of churn_fit_moments.';

CREATE AGGREGATE @extschema@.churn_fit_moments(label boolean, features float8[]) (
    SFUNC = @extschema@.churn_fit_moments_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_moments_final,
    COMBINEFUNC = @extschema@.churn_fit_moments_combine,
    SERIALFUNC = @extschema@.churn_fit_moments_serial,
    DESERIALFUNC = @extschema@.churn_fit_moments_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_moments(boolean, float8[]) IS
'First scan of custvalue.churn_fit_query: {rows, rows labelled true, mean of each feature, standard deviation of each feature} over the rows with a non-NULL label and features; NULL for none.';

CREATE FUNCTION @extschema@.churn_fit_query(query text, l2 float8 DEFAULT 0)
    RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_query(text, float8) IS
'The model churn_fit(label, features, l2) gives, over the rows of query (first column the label boolean, second the features float8[]), fitted by one scan of the query per Newton step: each scan is a parallel aggregate, and memory does not grow with the rows.  Same errors and NULL handling as churn_fit; agrees with it to rounding (about 1e-12), not bit for bit.  The query runs with the caller''s privileges and search_path, all scans under one snapshot; it must return the same rows every time (no random()).';
