-- churn_fit_terms: one Newton evaluation of churn_fit_query(), its state a
-- bytea (src/flat_state.h) so that Citus splits it between its workers and
-- the coordinator.  Its own file because 1.3 changed it (the 1.2 -> 1.3
-- update re-runs it; keep it CREATE OR REPLACE).

CREATE OR REPLACE FUNCTION @extschema@.churn_fit_terms_trans(bytea, boolean, float8[], float8[])
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.churn_fit_terms_combine(bytea, bytea)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.churn_fit_terms_final(bytea)
    RETURNS float8[] AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_terms_trans(bytea, boolean, float8[], float8[]) IS 'Transition function of churn_fit_terms: adds one row''s log-likelihood, gradient and Hessian.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_combine(bytea, bytea) IS 'Combine function of churn_fit_terms: adds the sums.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_final(bytea) IS 'Final function of churn_fit_terms.';

CREATE OR REPLACE AGGREGATE @extschema@.churn_fit_terms(label boolean, features float8[], params float8[]) (
    SFUNC = @extschema@.churn_fit_terms_trans,
    STYPE = bytea,
    FINALFUNC = @extschema@.churn_fit_terms_final,
    COMBINEFUNC = @extschema@.churn_fit_terms_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_terms(boolean, float8[], float8[]) IS
'One Newton evaluation of custvalue.churn_fit_query: with params = {coefficients, means, standard deviations} (standardized scale, intercept first, k + 1 each), returns {rows, log-likelihood, gradient, lower triangle of the information matrix}.  Fixed-size state: parallel workers each take a share.';
