/*
 * satisfaction.h
 *		Shared pieces of the satisfaction aggregates and the service-item
 *		evaluation: the satisfaction policy, interval arithmetic, running
 *		moments, and the checks on aggregate states and rating arrays.
 */
#ifndef CUSTVALUE_SATISFACTION_H
#define CUSTVALUE_SATISFACTION_H

#include "fmgr.h"
#include "utils/array.h"

/* custvalue.satisfaction_policy, copied out of the table. */
typedef struct SatisfactionPolicy
{
	double		confidence;		/* two-sided level of every interval */
	double		z;				/* its standard normal quantile */
	int32		csat_scale;
	int32		csat_threshold;
	int32		csi_scale;
	int32		servqual_scale;
	int32		ipa_scale;
	double		band_low_max;	/* service-item bands, 0–100 */
	double		band_medium_max;
} SatisfactionPolicy;

/* The policy pinned for the statement calling fcinfo (uses fn_extra). */
extern const SatisfactionPolicy *cv_satisfaction_policy(FunctionCallInfo fcinfo);

/* Largest point scale any rating aggregate accepts. */
#define CV_MAX_SCALE	100

/* Standard normal quantile, |error| < 1e-15 for 0 < p < 1. */
extern double cv_normal_quantile(double p);

/* Student t quantile for 0.5 < p < 1 and df >= 1. */
extern double cv_t_quantile(double p, double df);

/*
 * The two-sided critical value of a mean of n >= 2 values at the policy's
 * confidence: Student t with n − 1 degrees of freedom.
 */
extern double cv_confidence_t(const SatisfactionPolicy *policy, int64 n);

/*
 * Running sum and sum of squared deviations of a sample, updated and
 * combined as PostgreSQL's own float8 aggregates do (Youngs & Cramer; Chan
 * et al. for the combine step).  Keeping the plain sum, not a running
 * mean, makes the mean of integer ratings exact, so a parallel plan gives
 * bit for bit the serial means and the same IPA quadrants.
 */
typedef struct CvMoments
{
	double		sx;
	double		sxx;
} CvMoments;

static inline void
cv_moments_add(CvMoments *m, int64 n_before, double x)
{
	m->sx += x;
	if (n_before > 0)
	{
		double		n = (double) (n_before + 1);
		double		tmp = x * n - m->sx;

		m->sxx += tmp * tmp / (n * (double) n_before);
	}
}

static inline double
cv_moments_mean(const CvMoments *m, int64 n)
{
	return m->sx / (double) n;
}

extern void cv_moments_combine(CvMoments *a, int64 na, const CvMoments *b, int64 nb);

/* Standard error of the mean, or false (no estimate) when n < 2. */
extern bool cv_moments_se(const CvMoments *m, int64 n, double *se);

/*
 * Whether deserialised moments of n values from [lo, hi] are plausible:
 * all zero for n = 0, else a mean in range (with a hair of slack for
 * rounding) and a finite, non-negative sum of squares.
 */
extern bool cv_moments_valid(const CvMoments *m, int64 n, double lo, double hi);

/* a + b, or ERROR 22003 when the count would overflow. */
extern int64 cv_count_add(int64 a, int64 b);

/* Memory context of the aggregate calling fcinfo, or ERROR. */
extern MemoryContext cv_agg_context(FunctionCallInfo fcinfo, const char *fname);

/*
 * A check of a state's contents (ERROR 22P03 naming aggname and what is
 * wrong when ok is false), for states from elsewhere: flat_state.h.
 */
extern void cv_state_check(bool ok, const char *aggname, const char *what);

/*
 * A one-dimensional float8[] rating array without NULLs, finite and within
 * [lo, hi]; returns its elements and sets *n.  Errors: 2202E for shape or
 * NULL elements, 22023 for values out of range.
 */
extern const double *cv_rating_array(ArrayType *arr, const char *argname,
									 double lo, double hi, int *n);

/* ERROR 22023 unless 2 <= scale <= CV_MAX_SCALE. */
extern void cv_check_scale(int32 scale, const char *argname);

/* A transition function's answer when the row adds nothing. */
#define CV_RETURN_STATE_UNCHANGED() \
	do { \
		if (PG_ARGISNULL(0)) \
			PG_RETURN_NULL(); \
		PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
	} while (0)

/*
 * Composite result of the calling function from values/nulls: natts
 * attributes of types[], which the result type is checked against (see
 * cv_result_desc() in row_form.c).
 */
extern Datum cv_result_tuple(FunctionCallInfo fcinfo, int natts, const Oid *types,
							 Datum *values, bool *nulls);

/* Mean ± z·se clamped to [lo, hi]. */
extern void cv_interval(double mean, double se, double z, double lo, double hi,
						double *low, double *high);

#endif							/* CUSTVALUE_SATISFACTION_H */
