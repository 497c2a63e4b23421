/*
 * servqual_ipa.c
 *		Parallel aggregates over multi-attribute ratings: SERVQUAL gaps
 *		(perception − expectation on the five dimensions) and
 *		importance–performance analysis (each attribute's quadrant).
 *
 * SERVQUAL's state is fixed-size.  The IPA state holds two running moments
 * per attribute, so its size depends on the number of attributes, which is
 * checked against the length before anything else is read.  Both states
 * are kept in a bytea (flat_state.h), so that Citus splits the aggregates
 * between its workers and the coordinator; a state from elsewhere is
 * checked field by field before it is combined or finalised.
 */
#include "custvalue.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "flat_state.h"
#include "satisfaction.h"
#include "utils/array.h"
#include "utils/builtins.h"

/* ---------- SERVQUAL ---------- */

#define SQ_DIMS		5			/* reliability, responsiveness, assurance,
								 * empathy, tangibles */
#define SQ_OVERALL	SQ_DIMS

typedef struct ServqualState
{
	int64		n;
	int32		scale;
	int32		pad;			/* zero */
	CvMoments	gap[SQ_DIMS + 1];	/* per dimension, then the overall */
} ServqualState;

/* "SVQ1": the tag of a servqual state (flat_state.h) */
#define SERVQUAL_TAG	0x31515653

static void
servqual_check(const ServqualState *state)
{
	int			i;

	cv_state_check(state->n >= 0, "servqual", "Negative count.");
	cv_state_check(state->scale >= 2 && state->scale <= CV_MAX_SCALE && state->pad == 0,
				   "servqual", "Scale out of range.");
	for (i = 0; i <= SQ_DIMS; i++)
		cv_state_check(cv_moments_valid(&state->gap[i], state->n,
										-(state->scale - 1), state->scale - 1),
					   "servqual", "Gap mean or sum of squares out of range.");
}

static const double *
servqual_array(ArrayType *arr, const char *argname, int32 scale)
{
	int			n;
	const double *v = cv_rating_array(arr, argname, 1.0, (double) scale, &n);

	if (n != SQ_DIMS)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must have %d elements, not %d", argname, SQ_DIMS, n),
				 errhint("Give one mean rating per dimension, in the order reliability, responsiveness, assurance, empathy, tangibles.")));
	return v;
}

static Datum
servqual_add(FunctionCallInfo fcinfo, int32 scale)
{
	bytea	   *b;
	ServqualState *state;
	const double *p,
			   *e;
	double		overall = 0.0;
	int			i;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("servqual expectation must not be NULL when perception is given")));
	cv_check_scale(scale, "servqual scale");
	p = servqual_array(PG_GETARG_ARRAYTYPE_P(1), "perception", scale);
	e = servqual_array(PG_GETARG_ARRAYTYPE_P(2), "expectation", scale);

	b = cv_flat_arg(fcinfo, 0, SERVQUAL_TAG, sizeof(ServqualState), true, "servqual");
	if (b == NULL)
	{
		b = cv_flat_new(cv_agg_context(fcinfo, "servqual"), SERVQUAL_TAG, sizeof(ServqualState));
		state = CV_FLAT_DATA(b);
		state->scale = scale;
	}
	else
	{
		state = CV_FLAT_DATA(b);
		if (state->scale != scale)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("servqual scale must be the same in every row of a group")));
	}
	for (i = 0; i < SQ_DIMS; i++)
	{
		double		gap = p[i] - e[i];

		cv_moments_add(&state->gap[i], state->n, gap);
		overall += gap;
	}
	cv_moments_add(&state->gap[SQ_OVERALL], state->n, overall / SQ_DIMS);
	state->n++;
	PG_RETURN_BYTEA_P(b);
}

/* servqual(perception, expectation): scale from the policy */
PG_FUNCTION_INFO_V1(servqual_transfn);
Datum
servqual_transfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	return servqual_add(fcinfo, cv_satisfaction_policy(fcinfo)->servqual_scale);
}

/* servqual(perception, expectation, scale) */
PG_FUNCTION_INFO_V1(servqual_scale_transfn);
Datum
servqual_scale_transfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("servqual scale must not be NULL")));
	return servqual_add(fcinfo, PG_GETARG_INT32(3));
}

PG_FUNCTION_INFO_V1(servqual_combine);
Datum
servqual_combine(PG_FUNCTION_ARGS)
{
	bytea	   *ab = cv_flat_arg(fcinfo, 0, SERVQUAL_TAG, sizeof(ServqualState), true, "servqual");
	bytea	   *bb = cv_flat_arg(fcinfo, 1, SERVQUAL_TAG, sizeof(ServqualState), false, "servqual");
	ServqualState *a,
			   *b;
	int			i;

	if (bb == NULL)
	{
		if (ab == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(ab);
	}
	b = CV_FLAT_DATA(bb);
	servqual_check(b);
	if (ab == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, bb, "servqual"));
	a = CV_FLAT_DATA(ab);
	if (a->scale != b->scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("servqual scale must be the same in every row of a group")));
	for (i = 0; i <= SQ_DIMS; i++)
		cv_moments_combine(&a->gap[i], a->n, &b->gap[i], b->n);
	a->n = cv_count_add(a->n, b->n);
	PG_RETURN_BYTEA_P(ab);
}

/* 1.2's catalog: serial and deserial functions (flat_state.h) */
PG_FUNCTION_INFO_V1(servqual_serialize);
Datum
servqual_serialize(PG_FUNCTION_ARGS)
{
	return cv_flat_serial_compat(fcinfo, SERVQUAL_TAG, sizeof(ServqualState), "servqual");
}

PG_FUNCTION_INFO_V1(servqual_deserialize);
Datum
servqual_deserialize(PG_FUNCTION_ARGS)
{
	return cv_flat_deserial_compat(fcinfo, SERVQUAL_TAG, sizeof(ServqualState), "servqual");
}

/* ---------- Importance–performance analysis ---------- */

#define IPA_MAX_ATTRIBUTES	1000

/* m[0..k-1]: importance of each attribute; m[k..2k-1]: performance. */
typedef struct IpaState
{
	int64		n;
	int32		k;
	int32		scale;
	CvMoments	m[FLEXIBLE_ARRAY_MEMBER];
} IpaState;

#define IPA_STATE_SIZE(k)	(offsetof(IpaState, m) + 2 * (Size) (k) * sizeof(CvMoments))

/* "IPA1": the tag of an ipa state (flat_state.h) */
#define IPA_TAG		0x31415049

/* Argument argno as an ipa state whose length matches its attribute count. */
static IpaState *
ipa_arg(FunctionCallInfo fcinfo, int argno, bool writable, bytea **bytes)
{
	bytea	   *b = cv_flat_arg(fcinfo, argno, IPA_TAG, 0, writable, "ipa");
	IpaState   *state;

	*bytes = b;
	if (b == NULL)
		return NULL;
	state = CV_FLAT_DATA(b);
	cv_state_check(CV_FLAT_SIZE(b) >= offsetof(IpaState, m),
				   "ipa", "State is shorter than its header.");
	cv_state_check(state->k >= 1 && state->k <= IPA_MAX_ATTRIBUTES,
				   "ipa", "Attribute count out of range.");
	cv_state_check(CV_FLAT_SIZE(b) == IPA_STATE_SIZE(state->k),
				   "ipa", "State length does not match its attribute count.");
	return state;
}

/* A state from elsewhere: every field possible. */
static void
ipa_check(const IpaState *state)
{
	int			i;

	cv_state_check(state->n >= 0, "ipa", "Negative count.");
	cv_state_check(state->scale >= 2 && state->scale <= CV_MAX_SCALE,
				   "ipa", "Scale out of range.");
	for (i = 0; i < 2 * state->k; i++)
		cv_state_check(cv_moments_valid(&state->m[i], state->n, 1.0, state->scale),
					   "ipa", "Mean or sum of squares out of range.");
}

static Datum
ipa_add(FunctionCallInfo fcinfo, int32 scale)
{
	bytea	   *b;
	IpaState   *state;
	const double *imp,
			   *perf;
	int			ni,
				np,
				i;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ipa performance must not be NULL when importance is given")));
	cv_check_scale(scale, "ipa scale");
	imp = cv_rating_array(PG_GETARG_ARRAYTYPE_P(1), "importance", 1.0, (double) scale, &ni);
	perf = cv_rating_array(PG_GETARG_ARRAYTYPE_P(2), "performance", 1.0, (double) scale, &np);
	if (ni != np)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("importance and performance must have the same length"),
				 errdetail("importance has %d elements, performance has %d.", ni, np)));
	if (ni > IPA_MAX_ATTRIBUTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("ipa supports at most %d attributes, not %d", IPA_MAX_ATTRIBUTES, ni)));

	state = ipa_arg(fcinfo, 0, true, &b);
	if (state == NULL)
	{
		b = cv_flat_new(cv_agg_context(fcinfo, "ipa"), IPA_TAG, IPA_STATE_SIZE(ni));
		state = CV_FLAT_DATA(b);
		state->k = ni;
		state->scale = scale;
	}
	else
	{
		if (state->k != ni)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("every row of an ipa group must rate the same number of attributes"),
					 errdetail("The group began with %d attributes, this row has %d.", state->k, ni)));
		if (state->scale != scale)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ipa scale must be the same in every row of a group")));
	}
	for (i = 0; i < ni; i++)
	{
		cv_moments_add(&state->m[i], state->n, imp[i]);
		cv_moments_add(&state->m[ni + i], state->n, perf[i]);
	}
	state->n++;
	PG_RETURN_BYTEA_P(b);
}

/* ipa(importance, performance): scale from the policy */
PG_FUNCTION_INFO_V1(ipa_transfn);
Datum
ipa_transfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	return ipa_add(fcinfo, cv_satisfaction_policy(fcinfo)->ipa_scale);
}

/* ipa(importance, performance, scale) */
PG_FUNCTION_INFO_V1(ipa_scale_transfn);
Datum
ipa_scale_transfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		CV_RETURN_STATE_UNCHANGED();
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ipa scale must not be NULL")));
	return ipa_add(fcinfo, PG_GETARG_INT32(3));
}

PG_FUNCTION_INFO_V1(ipa_combine);
Datum
ipa_combine(PG_FUNCTION_ARGS)
{
	bytea	   *ab,
			   *bb;
	IpaState   *a = ipa_arg(fcinfo, 0, true, &ab);
	IpaState   *b = ipa_arg(fcinfo, 1, false, &bb);
	int			i;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(ab);
	}
	ipa_check(b);
	if (a == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, bb, "ipa"));
	if (a->k != b->k)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("every row of an ipa group must rate the same number of attributes")));
	if (a->scale != b->scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ipa scale must be the same in every row of a group")));
	for (i = 0; i < 2 * a->k; i++)
		cv_moments_combine(&a->m[i], a->n, &b->m[i], b->n);
	a->n = cv_count_add(a->n, b->n);
	PG_RETURN_BYTEA_P(ab);
}

/* 1.2's catalog: serial and deserial functions (flat_state.h) */
PG_FUNCTION_INFO_V1(ipa_serialize);
Datum
ipa_serialize(PG_FUNCTION_ARGS)
{
	return cv_flat_serial_compat(fcinfo, IPA_TAG, 0, "ipa");
}

PG_FUNCTION_INFO_V1(ipa_deserialize);
Datum
ipa_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b;

	(void) ipa_arg(fcinfo, 0, false, &b);
	return cv_flat_deserial_compat(fcinfo, IPA_TAG, 0, "ipa");
}

/*
 * Martilla & James (1977): attributes above the importance crosshair and
 * below the performance crosshair need attention ("concentrate here"), and
 * so on round the grid.  The crosshairs are the grand means of the
 * attribute means (data-centred IPA), so the quadrants are relative to this
 * sample; a value exactly on a crosshair counts as high.
 */
static const char *
ipa_quadrant(double imp, double perf, double imp_cross, double perf_cross)
{
	if (imp >= imp_cross)
		return perf >= perf_cross ? "keep_up_the_good_work" : "concentrate_here";
	return perf >= perf_cross ? "possible_overkill" : "low_priority";
}

static Datum
float8_array(double *v, int n)
{
	Datum	   *d = palloc(n * sizeof(Datum));
	int			i;

	for (i = 0; i < n; i++)
		d[i] = Float8GetDatum(v[i]);
	return PointerGetDatum(construct_array(d, n, FLOAT8OID, sizeof(float8),
										   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(servqual_final);
Datum
servqual_final(PG_FUNCTION_ARGS)
{
	bytea	   *bytes;
	const SatisfactionPolicy *policy;
	ServqualState *state;

	/* custvalue.servqual_result */
	static const Oid types[] = {
		INT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID,
		FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8ARRAYOID, FLOAT8ARRAYOID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};
	double		low[SQ_DIMS + 1],
				high[SQ_DIMS + 1],
				span,
				t;
	int			i;

	bytes = cv_flat_arg(fcinfo, 0, SERVQUAL_TAG, sizeof(ServqualState), false, "servqual");
	if (bytes == NULL)
		PG_RETURN_NULL();
	state = CV_FLAT_DATA(bytes);
	servqual_check(state);
	if (state->n == 0)
		PG_RETURN_NULL();
	policy = cv_satisfaction_policy(fcinfo);
	span = state->scale - 1;
	values[0] = Int64GetDatum(state->n);
	for (i = 0; i <= SQ_DIMS; i++)
		values[1 + i] = Float8GetDatum(cv_moments_mean(&state->gap[i], state->n));
	if (state->n >= 2)
	{
		double		se = 0.0;

		t = cv_confidence_t(policy, state->n);
		for (i = 0; i <= SQ_DIMS; i++)
		{
			(void) cv_moments_se(&state->gap[i], state->n, &se);
			cv_interval(cv_moments_mean(&state->gap[i], state->n), se, t, -span, span,
						&low[i], &high[i]);
		}
		values[7] = Float8GetDatum(se);	/* the overall gap's, last */
		values[8] = Float8GetDatum(low[SQ_OVERALL]);
		values[9] = Float8GetDatum(high[SQ_OVERALL]);
		values[10] = float8_array(low, SQ_DIMS);
		values[11] = float8_array(high, SQ_DIMS);
	}
	else
		nulls[7] = nulls[8] = nulls[9] = nulls[10] = nulls[11] = true;
	PG_RETURN_DATUM(cv_result_tuple(fcinfo, lengthof(types), types, values, nulls));
}


PG_FUNCTION_INFO_V1(ipa_final);
Datum
ipa_final(PG_FUNCTION_ARGS)
{
	bytea	   *bytes;
	const SatisfactionPolicy *policy;
	IpaState   *state;

	/* custvalue.ipa_result */
	static const Oid types[] = {
		INT8OID, FLOAT8ARRAYOID, FLOAT8ARRAYOID, TEXTARRAYOID, FLOAT8OID, FLOAT8OID,
		FLOAT8ARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};
	double	   *imp,
			   *perf,
			   *ci[4];
	Datum	   *quadrant;
	double		imp_cross = 0.0,
				perf_cross = 0.0;
	bool		have_se;
	double		t = 0.0;
	int			k,
				i,
				j;

	state = ipa_arg(fcinfo, 0, false, &bytes);
	if (state == NULL)
		PG_RETURN_NULL();
	ipa_check(state);
	if (state->n == 0)
		PG_RETURN_NULL();
	policy = cv_satisfaction_policy(fcinfo);
	have_se = state->n >= 2;
	if (have_se)
		t = cv_confidence_t(policy, state->n);
	k = state->k;
	imp = palloc(k * sizeof(double));
	perf = palloc(k * sizeof(double));
	for (j = 0; j < 4; j++)
		ci[j] = palloc(k * sizeof(double));
	quadrant = palloc(k * sizeof(Datum));

	for (i = 0; i < k; i++)
	{
		imp[i] = cv_moments_mean(&state->m[i], state->n);
		perf[i] = cv_moments_mean(&state->m[k + i], state->n);
		imp_cross += imp[i];
		perf_cross += perf[i];
	}
	imp_cross /= k;
	perf_cross /= k;

	for (i = 0; i < k; i++)
	{
		double		se;

		quadrant[i] = CStringGetTextDatum(ipa_quadrant(imp[i], perf[i], imp_cross, perf_cross));
		for (j = 0; j < 2 && have_se; j++)
		{
			const CvMoments *m = &state->m[j * k + i];

			if (!cv_moments_se(m, state->n, &se))
				have_se = false;
			else
				cv_interval(cv_moments_mean(m, state->n), se, t, 1.0, state->scale,
							&ci[2 * j][i], &ci[2 * j + 1][i]);
		}
	}

	values[0] = Int64GetDatum(state->n);
	values[1] = float8_array(imp, k);
	values[2] = float8_array(perf, k);
	values[3] = PointerGetDatum(construct_array(quadrant, k, TEXTOID, -1, false, TYPALIGN_INT));
	values[4] = Float8GetDatum(imp_cross);
	values[5] = Float8GetDatum(perf_cross);
	for (j = 0; j < 4; j++)
	{
		if (have_se)
			values[6 + j] = float8_array(ci[j], k);
		else
			nulls[6 + j] = true;
	}
	PG_RETURN_DATUM(cv_result_tuple(fcinfo, lengthof(types), types, values, nulls));
}
