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
#include "row_form.h"
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

	rc = SPI_execute(psprintf("SELECT confidence::float8, csat_scale, csat_threshold, "
							  "csi_scale, servqual_scale, ipa_scale, "
							  "band_low_max::float8, band_medium_max::float8 "
							  "FROM %s", cv_policy_source("satisfaction_policy")), true, 0);
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

/*
 * Continued fraction of the regularised incomplete beta I_x(a, b)
 * (modified Lentz), converging to double precision for the arguments the
 * t distribution needs.
 */
static double
beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double		c = 1.0,
				d = 1.0 - (a + b) * x / (a + 1.0),
				h;
	int			m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (m = 1; m <= 1000; m++)
	{
		double		m2 = 2.0 * m,
					aa,
					delta;

		aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			break;
	}
	return h;
}

/*
 * log(Γ(a + ½) / Γ(a)).  For large a the difference of two lgamma() values
 * of size a·log(a) would lose about log10(a·log a) digits, so it is taken
 * from Stirling's series, where every term stays small: with
 * lgamma(a) = (a − ½)·ln a − a + ½·ln 2π + δ(a),
 * the difference is a·ln(1 + 1/2a) + ½·ln a − ½ + δ(a + ½) − δ(a).
 */
static double
stirling_delta(double a)
{
	double		r = 1.0 / a,
				r2 = r * r;

	return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
}

static double
log_gamma_half_ratio(double a)
{
	if (a < 10.0)
		return lgamma(a + 0.5) - lgamma(a);
	return a * log1p(0.5 / a) + 0.5 * log(a) - 0.5 + stirling_delta(a + 0.5) - stirling_delta(a);
}

/*
 * Upper tail P(T > t) of Student's t with df degrees of freedom, t > 0:
 * ½·I_x(df/2, ½) with x = df/(df + t²), the logs of x and 1 − x taken
 * without cancellation.
 */
static double
t_upper_tail(double t, double df)
{
	double		a = df / 2.0;
	double		x = df / (df + t * t);
	double		log_x = -log1p(t * t / df);
	double		log_1mx = 2.0 * log(t) - log(df + t * t);
	double		front = exp(log_gamma_half_ratio(a) - 0.5 * log(M_PI) +
							a * log_x + 0.5 * log_1mx);
	double		ibeta;

	if (x < (a + 1.0) / (a + 2.5))
		ibeta = front * beta_cf(a, 0.5, x) / a;
	else
		ibeta = 1.0 - front * beta_cf(0.5, a, 1.0 - x) / 0.5;
	return 0.5 * ibeta;
}

/*
 * Student t quantile for p > 0.5: closed forms for 1 and 2 degrees of
 * freedom, else the Cornish–Fisher expansion around the normal quantile
 * (Abramowitz & Stegun 26.7.5), which past 1000 degrees of freedom is exact
 * to double precision and below that is polished by Newton steps on the
 * exact tail.
 */
double
cv_t_quantile(double p, double df)
{
	double		z,
				t,
				lnorm;
	int			i;

	if (!(p > 0.5 && p < 1.0) || !(df >= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t quantile needs 0.5 < p < 1 and df >= 1, got p = %g, df = %g", p, df)));
	if (df == 1.0)
		return tan(M_PI * (p - 0.5));
	if (df == 2.0)
		return (2.0 * p - 1.0) / sqrt(2.0 * p * (1.0 - p));
	z = cv_normal_quantile(p);
	t = z + (z * z * z + z) / (4.0 * df)
		+ (5.0 * pow(z, 5) + 16.0 * pow(z, 3) + 3.0 * z) / (96.0 * df * df)
		+ (3.0 * pow(z, 7) + 19.0 * pow(z, 5) + 17.0 * pow(z, 3) - 15.0 * z) / (384.0 * pow(df, 3))
		+ (79.0 * pow(z, 9) + 776.0 * pow(z, 7) + 1482.0 * pow(z, 5) - 1920.0 * pow(z, 3) - 945.0 * z)
		/ (92160.0 * pow(df, 4));
	/* Past 1000 degrees of freedom the expansion is exact to ~1e-16. */
	if (df > 1000.0)
		return t;
	lnorm = log_gamma_half_ratio(df / 2.0) - 0.5 * log(df * M_PI);
	for (i = 0; i < 20; i++)
	{
		double		density = exp(lnorm - (df + 1.0) / 2.0 * log1p(t * t / df));
		double		step = (t_upper_tail(t, df) - (1.0 - p)) / density;

		t += step;
		if (fabs(step) <= 1e-15 * fabs(t))
			break;
	}
	return t;
}

double
cv_confidence_t(const SatisfactionPolicy *policy, int64 n)
{
	return cv_t_quantile(0.5 + policy->confidence / 2.0, (double) (n - 1));
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

/*
 * Called once per group or call, so the descriptor is not kept: the check
 * costs less than the get_call_result_type() this has always done.
 */
Datum
cv_result_tuple(FunctionCallInfo fcinfo, int natts, const Oid *types,
				Datum *values, bool *nulls)
{
	TupleDesc	desc = cv_result_desc(fcinfo, natts, types);

	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

void
cv_interval(double mean, double se, double z, double lo, double hi,
			double *low, double *high)
{
	*low = Max(mean - z * se, lo);
	*high = Min(mean + z * se, hi);
}
