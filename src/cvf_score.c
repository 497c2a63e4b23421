/*
 * cvf_score.c
 *		custvalue.cvf_score(): one customer's CVF sub-scores and composite
 *		score against a population's custvalue.cvf_scale, weighted by the
 *		policy in custvalue.cvf_policy.
 *
 * Every dimension is a ratio-scale quantity with a natural zero (yuan,
 * months, a share, a count), so a sub-score measures how far a customer gets
 * towards the population's reference level: the policy's reference quantile
 * (default the 95th percentile) of that dimension,
 *     score = 100 * min(x / ref, 1),
 * and for credit risk, where less is better, 100 * (1 - min(x / ref, 1)).
 * Outliers above the reference quantile cannot stretch the scale: they only
 * move the maximum, which scoring never uses.  A zero reference (most of the
 * population at 0) makes any positive x reach it and x = 0 not.
 */
#include "custvalue.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "cvf.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "policy_cache.h"
#include "row_form.h"
#include "utils/builtins.h"
#include "utils/float.h"

typedef struct CvfPolicy
{
	double		weight[CVF_NDIMS];
	int			level[CVF_NDIMS];	/* index into cvf_levels */
} CvfPolicy;

static void
bad_policy(const char *msg, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("custvalue.cvf_policy is not usable: %s", msg),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("Each of the five dimensions needs one row; weights must be non-negative and sum to 1.")));
}

/*
 * The table's constraints already enforce all of this, but a deferred
 * constraint lets a transaction see a half-edited policy: check again.
 */
static void *
load_cvf_policy(MemoryContext cxt)
{
	CvfPolicy  *policy = MemoryContextAllocZero(cxt, sizeof(CvfPolicy));
	bool		seen[CVF_NDIMS] = {0};
	double		sum = 0;
	uint64		r;
	int			i,
				rc;

	rc = SPI_execute(psprintf("SELECT dimension, weight::float8, "
							  "(reference_quantile * 100)::int4 FROM %s",
							  cv_policy_source("cvf_policy")),
					 true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.cvf_policy failed: %s",
			 SPI_result_code_string(rc));
	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *name = SPI_getvalue(tup, desc, 1);
		bool		isnull_w,
					isnull_q;
		double		w = DatumGetFloat8(SPI_getbinval(tup, desc, 2, &isnull_w));
		int32		pct = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull_q));
		int			d = -1,
					l = -1;

		for (i = 0; i < CVF_NDIMS; i++)
			if (name && strcmp(name, cvf_dim_names[i]) == 0)
				d = i;
		if (d < 0)
			bad_policy("unknown dimension", name);
		for (i = 0; i < CVF_NLEVELS; i++)
			if (!isnull_q && pct == cvf_levels[i])
				l = i;
		if (l < 0)
			bad_policy("reference_quantile must be one of 0.50, 0.75, 0.90, 0.95, 0.99", name);
		if (isnull_w || isnan(w) || w < 0 || w > 1)
			bad_policy("a weight is not between 0 and 1", name);
		policy->weight[d] = w;
		policy->level[d] = l;
		seen[d] = true;
		sum += w;
	}
	for (i = 0; i < CVF_NDIMS; i++)
		if (!seen[i])
			bad_policy("a dimension is missing", cvf_dim_names[i]);
	if (fabs(sum - 1.0) > 1e-9)
		bad_policy("the weights do not sum to 1",
				   psprintf("They sum to %s.", float8out_internal(sum)));
	return policy;
}

static CvPolicyCache cvf_policy_cache = CV_POLICY_CACHE("cvf_policy", load_cvf_policy);

typedef struct ScoreCallCache
{
	void	   *pin;			/* for cv_policy_pin */
	CvRowForm  *row;			/* how to form a custvalue.cvf_scores */
} ScoreCallCache;

static pg_noinline void
bad_dimension(int i, double x)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("CVF dimension %s must be a finite non-negative number, not %s",
					cvf_dim_names[i], float8out_internal(x))));
}

/*
 * The five sub-scores (as float8 Datums, ready for the result row) and the
 * composite for the arguments 1..5 of fcinfo (argument 0 is the scale, not
 * NULL).  Not strict: a NULL input, or a dimension the scale has no values
 * for, gives a NULL sub-score, and the composite is the weighted mean of
 * the sub-scores that exist (weights renormalised over them); NULL when
 * none (or only zero-weight ones) exist.
 *
 * A sub-score measures x against the dimension's reference level ref:
 * 100 * min(x / ref, 1), reversed for credit risk; a zero reference makes
 * any positive x reach it.
 */
static inline void
score_customer(FunctionCallInfo fcinfo, const CvfPolicy *policy,
			   Datum *sub, bool *subnull, double *total, bool *totalnull)
{
	const CvfScale *scale = PG_GETARG_CVFSCALE_P(0);
	double		wsum = 0,
				acc = 0;

	for (int i = 0; i < CVF_NDIMS; i++)
	{
		const CvfScaleDim *d = &scale->dim[i];
		double		x,
					ref,
					r,
					score;

		subnull[i] = true;
		sub[i] = (Datum) 0;
		if (PG_ARGISNULL(i + 1))
			continue;
		x = PG_GETARG_FLOAT8(i + 1);
		/* one test for NaN, the infinities and negatives */
		if (unlikely(!(x >= 0 && x <= DBL_MAX)))
			bad_dimension(i, x);
		if (d->n == 0)
			continue;
		ref = d->q[policy->level[i]];
		if (ref > 0)
			r = Min(x / ref, 1.0);
		else
			r = x > 0 ? 1.0 : 0.0;
		score = 100.0 * (i == CVF_CREDIT ? 1.0 - r : r);
		sub[i] = Float8GetDatum(score);
		subnull[i] = false;
		wsum += policy->weight[i];
		acc += policy->weight[i] * score;
	}
	*totalnull = !(wsum > 0);
	*total = *totalnull ? 0 : Min(Max(acc / wsum, 0.0), 100.0);
}

/*
 * custvalue.cvf_score(scale, revenue, tenure, credit_risk, tariff, bundles):
 * the sub-scores and the composite as custvalue.cvf_scores.  A NULL scale
 * gives NULL.  STABLE, since the weights come from custvalue.cvf_policy; no
 * table is read per row.
 */
PG_FUNCTION_INFO_V1(cvf_score);
Datum
cvf_score(PG_FUNCTION_ARGS)
{
	ScoreCallCache *cc = (ScoreCallCache *) fcinfo->flinfo->fn_extra;
	const CvfPolicy *policy;

	/* custvalue.cvf_scores: the five sub-scores, then the composite */
	static const Oid types[] = {
		FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)];
	double		total;

	StaticAssertDecl(lengthof(types) == CVF_NDIMS + 1, "a sub-score per dimension, then cvf");

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();

	if (cc == NULL)
	{
		cc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ScoreCallCache));
		cc->row = cv_row_form_init(fcinfo, fcinfo->flinfo->fn_mcxt,
								   lengthof(types), types);
		fcinfo->flinfo->fn_extra = cc;
	}
	policy = cv_policy_pin(&cvf_policy_cache, fcinfo->flinfo->fn_mcxt, &cc->pin);

	score_customer(fcinfo, policy, values, nulls, &total, &nulls[CVF_NDIMS]);
	values[CVF_NDIMS] = Float8GetDatum(total);
	/* heap_form_tuple() would cost more than the scoring: see row_form.c */
	PG_RETURN_DATUM(cv_row_form(cc->row, values, nulls));
}

/*
 * custvalue.cvf(scale, revenue, tenure, credit_risk, tariff, bundles): only
 * the composite, as a float8 -- the same number as cvf_score(...).cvf
 * without forming a row, for queries that rank or filter by it.
 */
PG_FUNCTION_INFO_V1(cvf_total);
Datum
cvf_total(PG_FUNCTION_ARGS)
{
	const CvfPolicy *policy;
	Datum		sub[CVF_NDIMS];
	bool		subnull[CVF_NDIMS];
	double		total;
	bool		totalnull;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	policy = cv_policy_get(&cvf_policy_cache, fcinfo);
	score_customer(fcinfo, policy, sub, subnull, &total, &totalnull);
	if (totalnull)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(total);
}
