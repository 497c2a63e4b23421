-- Churn probability model (domain.md §8): logistic regression fitted in the
-- database by a parallel aggregate, stored as a value of type churn_model,
-- plus evaluation aggregates (AUC, log-loss, lift) and the sBG cohort
-- retention model of Fader & Hardie (2007).

CREATE TYPE @extschema@.churn_model;

CREATE FUNCTION @extschema@.churn_model_in(cstring) RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_model_out(@extschema@.churn_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_model_recv(internal) RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_model_send(@extschema@.churn_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.churn_model (
    INPUT = @extschema@.churn_model_in,
    OUTPUT = @extschema@.churn_model_out,
    RECEIVE = @extschema@.churn_model_recv,
    SEND = @extschema@.churn_model_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.churn_model IS
'A fitted logistic churn model: training rows n, L2 penalty, Newton iterations, log-likelihood and coefficients (intercept first, then one slope per feature on the raw feature scale).  Text form: n=<int> l2=<float> iterations=<int> loglik=<float> coef={b0,b1,...}, exact on dump and restore.';
COMMENT ON FUNCTION @extschema@.churn_model_in(cstring) IS 'Text input of churn_model; rejects malformed or non-finite values (22P02, 22023).';
COMMENT ON FUNCTION @extschema@.churn_model_out(@extschema@.churn_model) IS 'Text output of churn_model, shortest round-trip numbers.';
COMMENT ON FUNCTION @extschema@.churn_model_recv(internal) IS 'Binary input of churn_model; validates length and values.';
COMMENT ON FUNCTION @extschema@.churn_model_send(@extschema@.churn_model) IS 'Binary output of churn_model.';

CREATE FUNCTION @extschema@.churn_probability(model @extschema@.churn_model, features float8[])
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_probability(@extschema@.churn_model, float8[]) IS
'Churn probability 1 / (1 + exp(-(b0 + b·features))) under a fitted model.  features must have exactly the model''s number of features, no NULLs, all finite (2202E / 22004 / 22023).';

CREATE FUNCTION @extschema@.churn_model_info(model @extschema@.churn_model,
        OUT features integer, OUT n bigint, OUT l2 float8, OUT iterations integer,
        OUT loglik float8, OUT coefficients float8[])
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_model_info(@extschema@.churn_model) IS
'The parts of a churn_model: number of features, training rows, L2 penalty, Newton iterations, unpenalized log-likelihood, coefficients (intercept first).';

-- The fitting aggregate.  State: the rows themselves (see src/churn_fit.c
-- for why), so it is combinable by concatenation.
CREATE FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[])
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[], float8)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_final(internal)
    RETURNS @extschema@.churn_model AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[]) IS 'Transition function of churn_fit: appends one row.';
COMMENT ON FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[], float8) IS 'Transition function of churn_fit with L2 penalty: appends one row.';
COMMENT ON FUNCTION @extschema@.churn_fit_combine(internal, internal) IS 'Combine function of churn_fit: concatenates two partial row sets.';
COMMENT ON FUNCTION @extschema@.churn_fit_serial(internal) IS 'Serializes a churn_fit state for parallel aggregation.';
COMMENT ON FUNCTION @extschema@.churn_fit_deserial(bytea, internal) IS 'Deserializes a churn_fit state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_fit_final(internal) IS 'Final function of churn_fit: Newton/IRLS iterations over the collected rows.';

CREATE AGGREGATE @extschema@.churn_fit(label boolean, features float8[]) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit(boolean, float8[]) IS
'Maximum-likelihood logistic regression of label (true = churned) on features, with an intercept, by Newton''s method; returns a churn_model.  Rows with a NULL label or feature array are skipped; no rows gives NULL.  Errors (22023): a single class, separated classes (no MLE: use the l2 variant), constant or collinear features.';

CREATE AGGREGATE @extschema@.churn_fit(label boolean, features float8[], l2 float8) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit(boolean, float8[], float8) IS
'Logistic regression with an L2 (ridge) penalty: maximizes loglik - l2/2 * sum(slope^2), slopes on the raw feature scale, intercept unpenalized.  l2 must be the same on every row.  l2 > 0 gives a finite answer under separation and collinearity.';

-- The collected rows as a value, and the fit of such a value: partial data
-- can be stored or shipped and fitted later.
CREATE AGGREGATE @extschema@.churn_fit_state(label boolean, features float8[]) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_serial,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_state(boolean, float8[]) IS
'The state churn_fit collects (its rows, packed), as bytea; custvalue.churn_fit_from_state() fits it.';
CREATE AGGREGATE @extschema@.churn_fit_state(label boolean, features float8[], l2 float8) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_serial,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_state(boolean, float8[], float8) IS
'The state churn_fit(label, features, l2) collects, as bytea.';
CREATE FUNCTION @extschema@.churn_fit_from_state(state bytea) RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_from_state(bytea) IS
'Fit a churn model to a state made by custvalue.churn_fit_state: same answer as churn_fit over the same rows.  A malformed state is ERROR 22P03.';

-- Evaluation aggregates: all keep (score, label) pairs and sort in the
-- final function, so ties are exact and serial = parallel.
CREATE FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean, float8)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_prob_trans(internal, float8, boolean)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_auc_final(internal)
    RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_log_loss_final(internal)
    RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_lift_final(internal)
    RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean) IS 'Transition function of churn_auc and churn_lift: collects (score, label).';
COMMENT ON FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean, float8) IS 'Transition function of churn_lift with a top fraction.';
COMMENT ON FUNCTION @extschema@.churn_eval_prob_trans(internal, float8, boolean) IS 'Transition function of churn_log_loss: collects (probability, label), probability in [0, 1].';
COMMENT ON FUNCTION @extschema@.churn_eval_combine(internal, internal) IS 'Combine function of the churn evaluation aggregates.';
COMMENT ON FUNCTION @extschema@.churn_eval_serial(internal) IS 'Serializes a churn evaluation state.';
COMMENT ON FUNCTION @extschema@.churn_eval_deserial(bytea, internal) IS 'Deserializes a churn evaluation state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_auc_final(internal) IS 'Final function of churn_auc.';
COMMENT ON FUNCTION @extschema@.churn_log_loss_final(internal) IS 'Final function of churn_log_loss.';
COMMENT ON FUNCTION @extschema@.churn_lift_final(internal) IS 'Final function of churn_lift.';

CREATE AGGREGATE @extschema@.churn_auc(score float8, label boolean) (
    SFUNC = @extschema@.churn_eval_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_auc_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_auc(float8, boolean) IS
'Area under the ROC curve of score for label (true = churned): the probability that a churner outscores a non-churner, ties counting 1/2.  NULL when a class is absent; NULL rows skipped.';

CREATE AGGREGATE @extschema@.churn_log_loss(probability float8, label boolean) (
    SFUNC = @extschema@.churn_eval_prob_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_log_loss_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_log_loss(float8, boolean) IS
'Mean log-loss -avg(y log p + (1-y) log(1-p)), p clipped to [1e-15, 1-1e-15].  p outside [0, 1] is an error (22023).';

CREATE AGGREGATE @extschema@.churn_lift(score float8, label boolean) (
    SFUNC = @extschema@.churn_eval_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_lift_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_lift(float8, boolean) IS
'Lift at the top decile: churn rate among the 10 % highest scores over the overall churn rate (ties at the cut counted in proportion).  NULL without churners.';

CREATE AGGREGATE @extschema@.churn_lift(score float8, label boolean, top_fraction float8) (
    SFUNC = @extschema@.churn_eval_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_lift_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_lift(float8, boolean, float8) IS
'Lift in the top_fraction (0 < f <= 1) highest scores: their churn rate over the overall churn rate.';

-- Fitted models, by name, so a model survives dump/restore and the
-- watchlist can use one.
SELECT @extschema@.define_source('churn_model_store',
    'Fitted churn models by name with the names of their features, in order.  The model named ''watchlist'' scores custvalue.churn_watchlist; its features are custvalue.churn_feature_names().',
    ARRAY['name text', 'model @extschema@.churn_model', 'feature_names text[]', 'trained_at timestamptz',
          'note text']);

-- ---------------------------------------------------------------------------
-- sBG cohort retention (Fader & Hardie 2007).
CREATE TYPE @extschema@.sbg_estimate AS (
    alpha     float8,
    beta      float8,
    loglik    float8,
    customers float8,
    periods   integer
);
COMMENT ON TYPE @extschema@.sbg_estimate IS
'Maximum-likelihood sBG fit: Beta(alpha, beta) heterogeneity of per-period churn probability, log-likelihood, customers and periods observed.';

CREATE FUNCTION @extschema@.sbg_fit(survivors float8[]) RETURNS @extschema@.sbg_estimate
    AS 'MODULE_PATHNAME', 'sbg_fit_survivors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_fit(float8[]) IS
'sBG maximum-likelihood fit from one cohort''s survivor counts: survivors[1] customers at the start, survivors[t+1] still active after t periods (non-increasing).  E.g. sbg_fit(''{1000,631,468,382,326,289,262,241}'') gives alpha 0.704, beta 1.182 (Fader & Hardie 2007, "regular").';

CREATE FUNCTION @extschema@.sbg_fit_trans(internal, integer, boolean)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_final(internal)
    RETURNS @extschema@.sbg_estimate AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_fit_trans(internal, integer, boolean) IS 'Transition function of the sbg_fit aggregate: histograms of churn period and survived periods.';
COMMENT ON FUNCTION @extschema@.sbg_fit_combine(internal, internal) IS 'Combine function of sbg_fit: adds histograms.';
COMMENT ON FUNCTION @extschema@.sbg_fit_serial(internal) IS 'Serializes an sbg_fit state.';
COMMENT ON FUNCTION @extschema@.sbg_fit_deserial(bytea, internal) IS 'Deserializes an sbg_fit state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.sbg_fit_final(internal) IS 'Final function of sbg_fit: maximum likelihood by Nelder-Mead on log parameters.';

CREATE AGGREGATE @extschema@.sbg_fit(periods integer, churned boolean) (
    SFUNC = @extschema@.sbg_fit_trans, STYPE = internal,
    FINALFUNC = @extschema@.sbg_fit_final,
    COMBINEFUNC = @extschema@.sbg_fit_combine,
    SERIALFUNC = @extschema@.sbg_fit_serial, DESERIALFUNC = @extschema@.sbg_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sbg_fit(integer, boolean) IS
'sBG maximum-likelihood fit over customers: churned = true means the customer left during period `periods` (>= 1); false means still active after `periods` complete periods (right-censored, >= 0).  Customers may come from many cohorts.';

CREATE AGGREGATE @extschema@.sbg_fit_state(periods integer, churned boolean) (
    SFUNC = @extschema@.sbg_fit_trans, STYPE = internal,
    FINALFUNC = @extschema@.sbg_fit_serial,
    COMBINEFUNC = @extschema@.sbg_fit_combine,
    SERIALFUNC = @extschema@.sbg_fit_serial, DESERIALFUNC = @extschema@.sbg_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sbg_fit_state(integer, boolean) IS
'The histograms sbg_fit collects, as bytea; custvalue.sbg_fit_from_state() fits them.';
CREATE FUNCTION @extschema@.sbg_fit_from_state(state bytea) RETURNS @extschema@.sbg_estimate
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_fit_from_state(bytea) IS
'sBG fit of a state made by custvalue.sbg_fit_state; a malformed state is ERROR 22P03.';

CREATE FUNCTION @extschema@.sbg_survival(alpha float8, beta float8, period integer) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_survival(float8, float8, integer) IS
'sBG survival S(t) = B(alpha, beta + t) / B(alpha, beta): share of a new cohort still active after t periods.';

CREATE FUNCTION @extschema@.sbg_retention(alpha float8, beta float8, period integer) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_retention(float8, float8, integer) IS
'sBG retention rate r(t) = (beta + t - 1) / (alpha + beta + t - 1): share of those active after t-1 periods who renew at period t (t >= 1); rises with t as the churn-prone leave.';

CREATE FUNCTION @extschema@.sbg_derl(alpha float8, beta float8, discount_rate float8, renewals integer)
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_derl(float8, float8, float8, integer) IS
'Discounted expected residual lifetime (Fader & Hardie 2010) of a customer who has made `renewals` renewals: expected discounted number of future payments, the first at the coming renewal undiscounted; = r(n) 2F1(1, beta+n; alpha+beta+n; 1/(1+d)), n = renewals + 1.  Multiply by the margin per period for residual CLV.';

CREATE FUNCTION @extschema@.sbg_curve(alpha float8, beta float8, horizon integer)
    RETURNS TABLE (period integer, survival float8, retention float8, churn_share float8)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT t,
           @extschema@.sbg_survival(alpha, beta, t),
           CASE WHEN t > 0 THEN @extschema@.sbg_retention(alpha, beta, t) END,
           CASE WHEN t > 0 THEN @extschema@.sbg_survival(alpha, beta, t - 1)
                              - @extschema@.sbg_survival(alpha, beta, t) END
      FROM pg_catalog.generate_series(0, horizon) AS t;
END;
COMMENT ON FUNCTION @extschema@.sbg_curve(float8, float8, integer) IS
'The survival curve S(t), retention curve r(t) and share churning in period t, P(T = t), for t = 0..horizon.';
