/*
 * satisfaction_agg.c
 *		Parallel aggregates for single-question indices: CSAT (share of
 *		satisfied answers, Wilson interval), NPS (promoters − detractors,
 *		Wald interval) and the CSI (weighted 0–100 index of several
 *		attribute ratings, normal interval of the mean).
 *
 * Every state is a fixed-size struct kept in a bytea (flat_state.h: so
 * that Citus can split the aggregates between nodes).  A state from elsewhere (a
 * parallel worker, a Citus worker, a user) is checked field by field before
 * it is combined or finalised, so it can never make them read out of bounds
 * or return garbage.
 * Percentages are 0–100 throughout; a group without answers gives NULL.
 */
#include "custvalue.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "flat_state.h"
#include "satisfaction.h"
#include "utils/array.h"
#include "utils/builtins.h"

/* ---------- CSAT ---------- */

/*
 * scale = threshold = 0 marks the yes/no form csat(boolean); otherwise an
 * answer is satisfied when it is >= threshold on the 1..scale scale.
 */
typedef struct CsatState
{
	int64		n;
	int64		satisfied;
	int32		scale;
	int32		threshold;
} CsatState;

/* "CSA1": the tag of a csat state (flat_state.h) */
#define CSAT_TAG	0x31415343

static void
csat_check_state(const CsatState *state)
{
	cv_state_check(state->n >= 0 && state->satisfied >= 0 &&
				   state->satisfied <= state->n,
				   "csat", "Counts are negative or more satisfied than answers.");
	cv_state_check((state->scale == 0 && state->threshold == 0) ||
				   (state->scale >= 2 && state->scale <= CV_MAX_SCALE &&
					state->threshold >= 2 && state->threshold <= state->scale),
				   "csat", "Scale or threshold out of range.");
}

/*
 * The state a transition function adds to, created on the group's first
 * answer; *result is the bytea to return.
 */
static CsatState *
csat_state(FunctionCallInfo fcinfo, int32 scale, int32 threshold, bytea **result)
{
	bytea	   *b = cv_flat_arg(fcinfo, 0, CSAT_TAG, sizeof(CsatState), true, "csat");
	CsatState  *state;

	if (b != NULL)
	{
		state = CV_FLAT_DATA(b);
		if (state->scale != scale || state->threshold != threshold)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("csat scale and threshold must be the same in every row of a group"),
					 errdetail("The group began with scale %d and threshold %d, this row has %d and %d.",
							   state->scale, state->threshold, scale, threshold)));
		*result = b;
		return state;
	}
	b = cv_flat_new(cv_agg_context(fcinfo, "csat"), CSAT_TAG, sizeof(CsatState));
	state = CV_FLAT_DATA(b);
	state->scale = scale;
	state->threshold = threshold;
	*result = b;
	return state;
}

static void
csat_check_answer(int32 answer, int32 scale)
{
	if (answer < 1 || answer > scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csat answer %d is out of range", answer),
				 errdetail("Answers on a %d-point scale run from 1 to %d.", scale, scale)));
}

static void
csat_check_threshold(int32 scale, int32 threshold)
{
	cv_check_scale(scale, "csat scale");
	if (threshold < 2 || threshold > scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csat threshold must be between 2 and the scale (%d), not %d",
						scale, threshold),
				 errdetail("An answer at or above the threshold counts as satisfied.")));
}

PG_FUNCTION_INFO_V1(csat_bool_transfn);
Datum
csat_bool_transfn(PG_FUNCTION_ARGS)
{
	CsatState  *state;
	bytea	   *result;

	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	state = csat_state(fcinfo, 0, 0, &result);
	state->n++;
	if (PG_GETARG_BOOL(1))
		state->satisfied++;
	PG_RETURN_BYTEA_P(result);
}

/* csat(answer): scale and threshold from custvalue.satisfaction_policy */
PG_FUNCTION_INFO_V1(csat_policy_transfn);
Datum
csat_policy_transfn(PG_FUNCTION_ARGS)
{
	const SatisfactionPolicy *policy;
	CsatState  *state;
	bytea	   *result;
	int32		answer;

	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	policy = cv_satisfaction_policy(fcinfo);
	answer = PG_GETARG_INT32(1);
	csat_check_answer(answer, policy->csat_scale);
	state = csat_state(fcinfo, policy->csat_scale, policy->csat_threshold, &result);
	state->n++;
	if (answer >= state->threshold)
		state->satisfied++;
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(csat_transfn);
Datum
csat_transfn(PG_FUNCTION_ARGS)
{
	CsatState  *state;
	bytea	   *result;
	int32		answer,
				scale,
				threshold;

	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("csat scale and threshold must not be NULL")));
	answer = PG_GETARG_INT32(1);
	scale = PG_GETARG_INT32(2);
	threshold = PG_GETARG_INT32(3);
	csat_check_threshold(scale, threshold);
	csat_check_answer(answer, scale);
	state = csat_state(fcinfo, scale, threshold, &result);
	state->n++;
	if (answer >= threshold)
		state->satisfied++;
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(csat_combine);
Datum
csat_combine(PG_FUNCTION_ARGS)
{
	bytea	   *ab = cv_flat_arg(fcinfo, 0, CSAT_TAG, sizeof(CsatState), true, "csat");
	bytea	   *bb = cv_flat_arg(fcinfo, 1, CSAT_TAG, sizeof(CsatState), false, "csat");
	CsatState  *a,
			   *b;

	if (bb == NULL)
	{
		if (ab == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(ab);
	}
	b = CV_FLAT_DATA(bb);
	csat_check_state(b);
	if (ab == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, bb, "csat"));
	a = CV_FLAT_DATA(ab);
	if (a->scale != b->scale || a->threshold != b->threshold)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csat scale and threshold must be the same in every row of a group")));
	a->n = cv_count_add(a->n, b->n);
	a->satisfied = cv_count_add(a->satisfied, b->satisfied);
	PG_RETURN_BYTEA_P(ab);
}

/* 1.2's catalog: serial and deserial functions (flat_state.h) */
PG_FUNCTION_INFO_V1(csat_serialize);
Datum
csat_serialize(PG_FUNCTION_ARGS)
{
	return cv_flat_serial_compat(fcinfo, CSAT_TAG, sizeof(CsatState), "csat");
}

PG_FUNCTION_INFO_V1(csat_deserialize);
Datum
csat_deserialize(PG_FUNCTION_ARGS)
{
	return cv_flat_deserial_compat(fcinfo, CSAT_TAG, sizeof(CsatState), "csat");
}

/*
 * Wilson score interval of a proportion s/n: the set of p whose score test
 * does not reject at level z.  Unlike the Wald interval it stays inside
 * [0, 1] and keeps its coverage near 0 % and 100 % and for small n, where
 * satisfaction figures of 90 %+ live.
 */
static void
wilson_interval(int64 s, int64 n, double z, double *low, double *high)
{
	double		p = (double) s / (double) n;
	double		nn = (double) n;
	double		z2 = z * z;
	double		denom = 1.0 + z2 / nn;
	double		centre = (p + z2 / (2.0 * nn)) / denom;
	double		half = z / denom * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));

	/* Exact ends for the degenerate cases; clamp away rounding elsewhere. */
	*low = (s == 0) ? 0.0 : Max(centre - half, 0.0);
	*high = (s == n) ? 1.0 : Min(centre + half, 1.0);
}

PG_FUNCTION_INFO_V1(csat_final);
Datum
csat_final(PG_FUNCTION_ARGS)
{
	const SatisfactionPolicy *policy;
	bytea	   *b;
	CsatState  *state;

	/* custvalue.csat_result */
	static const Oid types[] = {INT8OID, INT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};
	double		low,
				high;

	b = cv_flat_arg(fcinfo, 0, CSAT_TAG, sizeof(CsatState), false, "csat");
	if (b == NULL)
		PG_RETURN_NULL();
	state = CV_FLAT_DATA(b);
	csat_check_state(state);
	if (state->n == 0)
		PG_RETURN_NULL();
	policy = cv_satisfaction_policy(fcinfo);
	wilson_interval(state->satisfied, state->n, policy->z, &low, &high);
	values[0] = Int64GetDatum(state->satisfied);
	values[1] = Int64GetDatum(state->n);
	values[2] = Float8GetDatum(100.0 * (double) state->satisfied / (double) state->n);
	values[3] = Float8GetDatum(100.0 * low);
	values[4] = Float8GetDatum(100.0 * high);
	PG_RETURN_DATUM(cv_result_tuple(fcinfo, lengthof(types), types, values, nulls));
}

/* Wilson interval as a scalar, for hand checks and precomputed counts. */
PG_FUNCTION_INFO_V1(wilson_interval_sql);
Datum
wilson_interval_sql(PG_FUNCTION_ARGS)
{
	int64		s = PG_GETARG_INT64(0);
	int64		n = PG_GETARG_INT64(1);
	double		confidence = PG_GETARG_FLOAT8(2);

	/* OUT ci_low float8, OUT ci_high float8 */
	static const Oid types[] = {FLOAT8OID, FLOAT8OID};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};
	double		low,
				high;

	if (n < 0 || s < 0 || s > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("successes must be between 0 and n, got %lld of %lld",
						(long long) s, (long long) n)));
	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be between 0 and 1 exclusive, not %g", confidence)));
	if (n == 0)
		PG_RETURN_NULL();
	wilson_interval(s, n, cv_normal_quantile(0.5 + confidence / 2.0), &low, &high);
	values[0] = Float8GetDatum(100.0 * low);
	values[1] = Float8GetDatum(100.0 * high);
	PG_RETURN_DATUM(cv_result_tuple(fcinfo, lengthof(types), types, values, nulls));
}

PG_FUNCTION_INFO_V1(normal_quantile_sql);
Datum
normal_quantile_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(cv_normal_quantile(PG_GETARG_FLOAT8(0)));
}

PG_FUNCTION_INFO_V1(t_quantile_sql);
Datum
t_quantile_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(cv_t_quantile(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1)));
}

/* ---------- NPS ---------- */

/* Counts of detractors (0–6), passives (7–8) and promoters (9–10). */
typedef struct NpsState
{
	int64		count[3];
} NpsState;

#define NPS_DETRACTOR	0
#define NPS_PASSIVE		1
#define NPS_PROMOTER	2

/* "NPS1": the tag of an nps state (flat_state.h) */
#define NPS_TAG		0x3153504E

static void
nps_check_state(const NpsState *state)
{
	cv_state_check(state->count[0] >= 0 && state->count[1] >= 0 && state->count[2] >= 0,
				   "nps", "Negative counts.");
	/* The total must be representable too. */
	cv_state_check(state->count[0] <= PG_INT64_MAX - state->count[1] &&
				   state->count[0] + state->count[1] <= PG_INT64_MAX - state->count[2],
				   "nps", "Counts overflow.");
}

PG_FUNCTION_INFO_V1(nps_transfn);
Datum
nps_transfn(PG_FUNCTION_ARGS)
{
	bytea	   *b;
	NpsState   *state;
	int32		answer;

	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	answer = PG_GETARG_INT32(1);
	if (answer < 0 || answer > 10)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nps answer %d is out of range", answer),
				 errdetail("Net Promoter answers run from 0 to 10.")));
	b = cv_flat_arg(fcinfo, 0, NPS_TAG, sizeof(NpsState), true, "nps");
	if (b == NULL)
		b = cv_flat_new(cv_agg_context(fcinfo, "nps"), NPS_TAG, sizeof(NpsState));
	state = CV_FLAT_DATA(b);
	state->count[answer >= 9 ? NPS_PROMOTER : answer >= 7 ? NPS_PASSIVE : NPS_DETRACTOR]++;
	PG_RETURN_BYTEA_P(b);
}

PG_FUNCTION_INFO_V1(nps_combine);
Datum
nps_combine(PG_FUNCTION_ARGS)
{
	bytea	   *ab = cv_flat_arg(fcinfo, 0, NPS_TAG, sizeof(NpsState), true, "nps");
	bytea	   *bb = cv_flat_arg(fcinfo, 1, NPS_TAG, sizeof(NpsState), false, "nps");
	NpsState   *a,
			   *b;
	int			i;

	if (bb == NULL)
	{
		if (ab == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(ab);
	}
	b = CV_FLAT_DATA(bb);
	nps_check_state(b);
	if (ab == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, bb, "nps"));
	a = CV_FLAT_DATA(ab);
	for (i = 0; i < 3; i++)
		a->count[i] = cv_count_add(a->count[i], b->count[i]);
	PG_RETURN_BYTEA_P(ab);
}

/* 1.2's catalog: serial and deserial functions (flat_state.h) */
PG_FUNCTION_INFO_V1(nps_serialize);
Datum
nps_serialize(PG_FUNCTION_ARGS)
{
	return cv_flat_serial_compat(fcinfo, NPS_TAG, sizeof(NpsState), "nps");
}

PG_FUNCTION_INFO_V1(nps_deserialize);
Datum
nps_deserialize(PG_FUNCTION_ARGS)
{
	return cv_flat_deserial_compat(fcinfo, NPS_TAG, sizeof(NpsState), "nps");
}

/*
 * NPS = 100 (p_pro − p_det).  The two shares come from one multinomial
 * sample, so Var(p̂_pro − p̂_det) = (p_pro(1−p_pro) + p_det(1−p_det)
 * + 2 p_pro p_det)/n, the covariance term being −p_pro p_det/n.  The
 * interval is NPS ± z·SE (Wald), clamped to [−100, 100].
 */
PG_FUNCTION_INFO_V1(nps_final);
Datum
nps_final(PG_FUNCTION_ARGS)
{
	const SatisfactionPolicy *policy;
	bytea	   *b;
	NpsState   *state;

	/* custvalue.nps_result */
	static const Oid types[] = {
		INT8OID, INT8OID, INT8OID, INT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};
	int64		n;
	double		pp,
				pd,
				nps,
				se,
				low,
				high;

	b = cv_flat_arg(fcinfo, 0, NPS_TAG, sizeof(NpsState), false, "nps");
	if (b == NULL)
		PG_RETURN_NULL();
	state = CV_FLAT_DATA(b);
	nps_check_state(state);
	n = cv_count_add(cv_count_add(state->count[0], state->count[1]), state->count[2]);
	if (n == 0)
		PG_RETURN_NULL();
	policy = cv_satisfaction_policy(fcinfo);
	pp = (double) state->count[NPS_PROMOTER] / (double) n;
	pd = (double) state->count[NPS_DETRACTOR] / (double) n;
	nps = 100.0 * (double) (state->count[NPS_PROMOTER] - state->count[NPS_DETRACTOR]) / (double) n;
	se = 100.0 * sqrt(Max(pp * (1.0 - pp) + pd * (1.0 - pd) + 2.0 * pp * pd, 0.0) / (double) n);
	cv_interval(nps, se, policy->z, -100.0, 100.0, &low, &high);
	values[0] = Int64GetDatum(state->count[NPS_PROMOTER]);
	values[1] = Int64GetDatum(state->count[NPS_PASSIVE]);
	values[2] = Int64GetDatum(state->count[NPS_DETRACTOR]);
	values[3] = Int64GetDatum(n);
	values[4] = Float8GetDatum(nps);
	values[5] = Float8GetDatum(se);
	values[6] = Float8GetDatum(low);
	values[7] = Float8GetDatum(high);
	PG_RETURN_DATUM(cv_result_tuple(fcinfo, lengthof(types), types, values, nulls));
}

/* ---------- CSI ---------- */

/*
 * Each respondent's index is the weighted mean of the attribute ratings
 * rescaled to 0–100, (x − 1)/(k − 1) × 100; the CSI is the mean over
 * respondents.  Weights are normalised per row, so they need not sum to 1.
 */
typedef struct CsiState
{
	int64		n;
	CvMoments	m;
	int32		scale;
	int32		pad;			/* zero; keeps the serialised form defined */
} CsiState;

/* "CSI1": the tag of a csi state (flat_state.h) */
#define CSI_TAG		0x31495343

static void
csi_check(const CsiState *state)
{
	cv_state_check(state->n >= 0, "csi", "Negative count.");
	cv_state_check(state->scale >= 2 && state->scale <= CV_MAX_SCALE && state->pad == 0,
				   "csi", "Scale out of range.");
	cv_state_check(cv_moments_valid(&state->m, state->n, 0.0, 100.0),
				   "csi", "Mean or sum of squares out of range.");
}

static const double *
csi_weights(ArrayType *arr, int nratings, double *sum)
{
	const double *w;
	int			n;
	int			i;

	w = cv_rating_array(arr, "weights", 0.0, DBL_MAX, &n);
	if (n != nratings)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("ratings and weights must have the same length"),
				 errdetail("ratings has %d elements, weights has %d.", nratings, n)));
	*sum = 0.0;
	for (i = 0; i < n; i++)
		*sum += w[i];
	if (!(*sum > 0.0 && isfinite(*sum)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must have a positive, finite sum")));
	return w;
}

static Datum
csi_add(FunctionCallInfo fcinfo, int weights_arg, int32 scale)
{
	bytea	   *b;
	CsiState   *state;
	const double *x;
	const double *w = NULL;
	double		wsum = 0.0;
	double		score = 0.0;
	int			n;
	int			i;

	cv_check_scale(scale, "csi scale");
	x = cv_rating_array(PG_GETARG_ARRAYTYPE_P(1), "ratings", 1.0, (double) scale, &n);
	if (weights_arg > 0)
	{
		if (PG_ARGISNULL(weights_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("csi weights must not be NULL")));
		w = csi_weights(PG_GETARG_ARRAYTYPE_P(weights_arg), n, &wsum);
	}
	for (i = 0; i < n; i++)
		score += (w ? w[i] : 1.0) * (x[i] - 1.0);
	score = score / ((w ? wsum : (double) n) * (double) (scale - 1)) * 100.0;
	/* Rounding must not push a perfect score over the top. */
	score = Min(Max(score, 0.0), 100.0);

	b = cv_flat_arg(fcinfo, 0, CSI_TAG, sizeof(CsiState), true, "csi");
	if (b == NULL)
	{
		b = cv_flat_new(cv_agg_context(fcinfo, "csi"), CSI_TAG, sizeof(CsiState));
		state = CV_FLAT_DATA(b);
		state->scale = scale;
	}
	else
	{
		state = CV_FLAT_DATA(b);
		if (state->scale != scale)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("csi scale must be the same in every row of a group"),
					 errdetail("The group began with a %d-point scale, this row has %d.",
							   state->scale, scale)));
	}
	cv_moments_add(&state->m, state->n, score);
	state->n++;
	PG_RETURN_BYTEA_P(b);
}

#define CSI_SKIP_NULL_RATINGS() \
	do { if (PG_ARGISNULL(1)) CV_RETURN_STATE_UNCHANGED(); } while (0)

static int32
csi_scale_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("csi scale must not be NULL")));
	return PG_GETARG_INT32(argno);
}

/* csi(ratings) */
PG_FUNCTION_INFO_V1(csi_transfn);
Datum
csi_transfn(PG_FUNCTION_ARGS)
{
	CSI_SKIP_NULL_RATINGS();
	return csi_add(fcinfo, 0, cv_satisfaction_policy(fcinfo)->csi_scale);
}

/* csi(ratings, weights) */
PG_FUNCTION_INFO_V1(csi_weighted_transfn);
Datum
csi_weighted_transfn(PG_FUNCTION_ARGS)
{
	CSI_SKIP_NULL_RATINGS();
	return csi_add(fcinfo, 2, cv_satisfaction_policy(fcinfo)->csi_scale);
}

/* csi(ratings, scale) */
PG_FUNCTION_INFO_V1(csi_scale_transfn);
Datum
csi_scale_transfn(PG_FUNCTION_ARGS)
{
	CSI_SKIP_NULL_RATINGS();
	return csi_add(fcinfo, 0, csi_scale_arg(fcinfo, 2));
}

/* csi(ratings, weights, scale) */
PG_FUNCTION_INFO_V1(csi_weighted_scale_transfn);
Datum
csi_weighted_scale_transfn(PG_FUNCTION_ARGS)
{
	CSI_SKIP_NULL_RATINGS();
	return csi_add(fcinfo, 2, csi_scale_arg(fcinfo, 3));
}

PG_FUNCTION_INFO_V1(csi_combine);
Datum
csi_combine(PG_FUNCTION_ARGS)
{
	bytea	   *ab = cv_flat_arg(fcinfo, 0, CSI_TAG, sizeof(CsiState), true, "csi");
	bytea	   *bb = cv_flat_arg(fcinfo, 1, CSI_TAG, sizeof(CsiState), false, "csi");
	CsiState   *a,
			   *b;

	if (bb == NULL)
	{
		if (ab == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(ab);
	}
	b = CV_FLAT_DATA(bb);
	csi_check(b);
	if (ab == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, bb, "csi"));
	a = CV_FLAT_DATA(ab);
	if (a->scale != b->scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("csi scale must be the same in every row of a group")));
	cv_moments_combine(&a->m, a->n, &b->m, b->n);
	a->n = cv_count_add(a->n, b->n);
	PG_RETURN_BYTEA_P(ab);
}

/* 1.2's catalog: serial and deserial functions (flat_state.h) */
PG_FUNCTION_INFO_V1(csi_serialize);
Datum
csi_serialize(PG_FUNCTION_ARGS)
{
	return cv_flat_serial_compat(fcinfo, CSI_TAG, sizeof(CsiState), "csi");
}

PG_FUNCTION_INFO_V1(csi_deserialize);
Datum
csi_deserialize(PG_FUNCTION_ARGS)
{
	return cv_flat_deserial_compat(fcinfo, CSI_TAG, sizeof(CsiState), "csi");
}

PG_FUNCTION_INFO_V1(csi_final);
Datum
csi_final(PG_FUNCTION_ARGS)
{
	bytea	   *bytes;
	const SatisfactionPolicy *policy;
	CsiState   *state;

	/* custvalue.csi_result */
	static const Oid types[] = {INT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};
	double		mean,
				se,
				low,
				high;

	bytes = cv_flat_arg(fcinfo, 0, CSI_TAG, sizeof(CsiState), false, "csi");
	if (bytes == NULL)
		PG_RETURN_NULL();
	state = CV_FLAT_DATA(bytes);
	csi_check(state);
	if (state->n == 0)
		PG_RETURN_NULL();
	policy = cv_satisfaction_policy(fcinfo);
	values[0] = Int64GetDatum(state->n);
	mean = Min(Max(cv_moments_mean(&state->m, state->n), 0.0), 100.0);
	values[1] = Float8GetDatum(mean);
	if (cv_moments_se(&state->m, state->n, &se))
	{
		cv_interval(mean, se, cv_confidence_t(policy, state->n), 0.0, 100.0, &low, &high);
		values[2] = Float8GetDatum(se);
		values[3] = Float8GetDatum(low);
		values[4] = Float8GetDatum(high);
	}
	else
		nulls[2] = nulls[3] = nulls[4] = true;
	PG_RETURN_DATUM(cv_result_tuple(fcinfo, lengthof(types), types, values, nulls));
}
