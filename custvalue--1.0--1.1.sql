-- custvalue 1.0 -> 1.1
\echo Use "ALTER EXTENSION custvalue UPDATE TO '1.1'" to load this file. \quit

-- churn_level(): the warning level alone, for nightly runs and filters
-- (src/sql/410_churn_warning.sql).
CREATE FUNCTION @extschema@.churn_level(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS @extschema@.warning_level
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_level(float8, float8, integer, integer, integer, float8, integer, integer, numeric, boolean, integer) IS
'Only the level of custvalue.churn_warning() for the same inputs (same policy, NULL handling and errors), without building the row or the jsonb of fired signals: for nightly runs over every customer and for filtering, e.g. WHERE churn_level(...) >= ''orange''.';

-- churn_fit_query() and its two aggregates (src/sql/405_churn_fit_query.sql).
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

CREATE FUNCTION @extschema@.churn_fit_terms_trans(internal, boolean, float8[], float8[])
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_final(internal)
    RETURNS float8[] AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_terms_trans(internal, boolean, float8[], float8[]) IS 'Transition function of churn_fit_terms: adds one row''s log-likelihood, gradient and Hessian.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_combine(internal, internal) IS 'Combine function of churn_fit_terms: adds the sums.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_serial(internal) IS 'Serializes a churn_fit_terms state for parallel aggregation.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_deserial(bytea, internal) IS 'Deserializes a churn_fit_terms state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_final(internal) IS 'Final function of churn_fit_terms.';

CREATE AGGREGATE @extschema@.churn_fit_terms(label boolean, features float8[], params float8[]) (
    SFUNC = @extschema@.churn_fit_terms_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_terms_final,
    COMBINEFUNC = @extschema@.churn_fit_terms_combine,
    SERIALFUNC = @extschema@.churn_fit_terms_serial,
    DESERIALFUNC = @extschema@.churn_fit_terms_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_terms(boolean, float8[], float8[]) IS
'One Newton evaluation of custvalue.churn_fit_query: with params = {coefficients, means, standard deviations} (standardized scale, intercept first, k + 1 each), returns {rows, log-likelihood, gradient, lower triangle of the information matrix}.  Fixed-size state: parallel workers each take a share.';

CREATE FUNCTION @extschema@.churn_fit_query(query text, l2 float8 DEFAULT 0)
    RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_query(text, float8) IS
'The model churn_fit(label, features, l2) gives, over the rows of query (first column the label boolean, second the features float8[]), fitted by one scan of the query per Newton step: each scan is a parallel aggregate, and memory does not grow with the rows.  Same errors and NULL handling as churn_fit; agrees with it to rounding (about 1e-12), not bit for bit.  The query runs with the caller''s privileges and search_path, all scans under one snapshot; it must return the same rows every time (no random()).';
