/*
 * satisfaction_common.c
 *		The satisfaction policy and the arithmetic, state and array checks
 *		shared by the satisfaction aggregates; see satisfaction.h.
 */
#include "custvalue.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "policy_cache.h"
#include "satisfaction.h"
#include "utils/builtins.h"

static void *
load_satisfaction_policy(MemoryContext cxt)
{
	SatisfactionPolicy *policy;
	HeapTuple	tup;
	TupleDesc	desc;
	int			rc;
	int			i;
	Datum		v[8];

	rc = SPI_execute("SELECT confidence::float8, csat_scale, csat_threshold, "
					 "csi_scale, servqual_scale, ipa_scale, "
					 "band_low_max::float8, band_medium_max::float8 "
					 "FROM custvalue.satisfaction_policy", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.satisfaction_policy failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("custvalue.satisfaction_policy must hold exactly one row, not %d",
						(int) SPI_processed)));

	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	for (i = 0; i < 8; i++)
	{
		bool		isnull;

		v[i] = SPI_getbinval(tup, desc, i + 1, &isnull);
		/* NOT NULL constraints make this impossible; be safe anyway. */
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("custvalue.satisfaction_policy.%s is NULL",
							NameStr(TupleDescAttr(desc, i)->attname))));
	}

	policy = MemoryContextAllocZero(cxt, sizeof(SatisfactionPolicy));
	policy->confidence = DatumGetFloat8(v[0]);
	policy->csat_scale = DatumGetInt32(v[1]);
	policy->csat_threshold = DatumGetInt32(v[2]);
	policy->csi_scale = DatumGetInt32(v[3]);
	policy->servqual_scale = DatumGetInt32(v[4]);
	policy->ipa_scale = DatumGetInt32(v[5]);
	policy->band_low_max = DatumGetFloat8(v[6]);
	policy->band_medium_max = DatumGetFloat8(v[7]);
	/* The table's CHECK constraints guarantee 0 < confidence < 1. */
	policy->z = cv_normal_quantile(0.5 + policy->confidence / 2.0);
	return policy;
}

static CvPolicyCache satisfaction_policy_cache =
CV_POLICY_CACHE("satisfaction_policy", load_satisfaction_policy);

const SatisfactionPolicy *
cv_satisfaction_policy(FunctionCallInfo fcinfo)
{
	return cv_policy_get(&satisfaction_policy_cache, fcinfo);
}

/*
 * Acklam's rational approximation (relative error 1.15e-9) refined by one
 * Halley step on erfc(), which brings it to double precision.  Only called
 * once per statement, so the refinement costs nothing that matters.
 */
double
cv_normal_quantile(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	const double p_low = 0.02425;
	double		q,
				r,
				x,
				e,
				u;

	if (!(p > 0.0 && p < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability %g is not between 0 and 1", p)));

	if (p < p_low)
	{
		q = sqrt(-2.0 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}
	else if (p <= 1.0 - p_low)
	{
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
	}
	else
	{
		q = sqrt(-2.0 * log1p(-p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}

	e = 0.5 * erfc(-x / M_SQRT2) - p;
	u = e * sqrt(2.0 * M_PI) * exp(x * x / 2.0);
	x = x - u / (1.0 + x * u / 2.0);
	return x;
}

void
cv_moments_combine(CvMoments *a, int64 na, const CvMoments *b, int64 nb)
{
	double		tmp;

	if (nb == 0)
		return;
	if (na == 0)
	{
		*a = *b;
		return;
	}
	tmp = a->sx / (double) na - b->sx / (double) nb;
	a->sxx += b->sxx + (double) na * (double) nb * tmp * tmp / ((double) na + (double) nb);
	a->sx += b->sx;
}

bool
cv_moments_se(const CvMoments *m, int64 n, double *se)
{
	double		var;

	if (n < 2)
		return false;
	/* Rounding can leave a hair below zero when every value is equal. */
	var = Max(m->sxx, 0.0) / (double) (n - 1);
	*se = sqrt(var / (double) n);
	return true;
}

bool
cv_moments_valid(const CvMoments *m, int64 n, double lo, double hi)
{
	double		slack = 1e-9 * Max(hi - lo, 1.0);
	double		mean;

	if (n == 0)
		return m->sx == 0.0 && m->sxx == 0.0;
	if (n < 0 || !isfinite(m->sx) || !(m->sxx >= 0.0 && isfinite(m->sxx)))
		return false;
	mean = m->sx / (double) n;
	return mean >= lo - slack && mean <= hi + slack;
}

int64
cv_count_add(int64 a, int64 b)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many responses to count")));
	return r;
}

MemoryContext
cv_agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		elog(ERROR, "%s called in non-aggregate context", fname);
	return cxt;
}

bytea *
cv_state_serialize(const void *state, Size size)
{
	bytea	   *result = (bytea *) palloc(VARHDRSZ + size);

	SET_VARSIZE(result, VARHDRSZ + size);
	memcpy(VARDATA(result), state, size);
	return result;
}

void
cv_state_deserialize(bytea *data, void *state, Size size, const char *aggname)
{
	if (VARSIZE_ANY_EXHDR(data) != size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s aggregate state", aggname),
				 errdetail("State is %zu bytes, expected %zu.",
						   (Size) VARSIZE_ANY_EXHDR(data), size)));
	memcpy(state, VARDATA_ANY(data), size);
}

void
cv_state_check(bool ok, const char *aggname, const char *what)
{
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s aggregate state", aggname),
				 errdetail("%s", what)));
}

const double *
cv_rating_array(ArrayType *arr, const char *argname, double lo, double hi, int *n)
{
	const double *v;
	int			count;
	int			i;

	if (ARR_ELEMTYPE(arr) != FLOAT8OID)
		elog(ERROR, "%s must be a float8 array", argname);
	if (ARR_NDIM(arr) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional, non-empty array", argname)));
	if (array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_ELEMENT_ERROR),
				 errmsg("%s must not contain NULL elements", argname),
				 errhint("Leave out incomplete responses, or impute them before aggregating.")));
	count = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	v = (const double *) ARR_DATA_PTR(arr);
	for (i = 0; i < count; i++)
	{
		/* Written so that NaN fails too. */
		if (!(v[i] >= lo && v[i] <= hi))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s[%d] = %g is out of range", argname,
							i + ARR_LBOUND(arr)[0], v[i]),
					 hi < DBL_MAX ?
					 errdetail("Ratings on this scale run from %g to %g.", lo, hi) :
					 errdetail("Values must be finite and at least %g.", lo)));
	}
	*n = count;
	return v;
}

void
cv_check_scale(int32 scale, const char *argname)
{
	if (scale < 2 || scale > CV_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 2 and %d, not %d",
						argname, CV_MAX_SCALE, scale)));
}

Datum
cv_result_tuple(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

void
cv_interval(double mean, double se, double z, double lo, double hi,
			double *low, double *high)
{
	*low = Max(mean - z * se, lo);
	*high = Min(mean + z * se, hi);
}
