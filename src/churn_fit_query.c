/*
 * churn_fit_query.c
 *		churn_fit_query(query, l2): the churn_fit model of a query's rows,
 *		fitted with one parallel scan per Newton evaluation instead of
 *		keeping the rows.
 *
 * Why a second way to fit.  churn_fit keeps every row in its state, so its
 * Newton iterations run in the final function, in the leader, alone: parallel
 * workers only collect rows, and shipping them costs more than it saves.
 * Here the iterations are driven from outside the aggregate: each evaluation
 * of the objective is a query over the rows with a fixed-size, combinable
 * aggregate, churn_fit_terms (log-likelihood, gradient and Hessian at the
 * given coefficients), so every worker does its share of the O(n k^2) work
 * and memory is O(k^2) whatever n.  A first scan, churn_fit_moments, gives
 * the counts, means and standard deviations.  The Newton loop itself is
 * churn_fit's (churn_newton() in churn_fit.c): same standardization,
 * penalty, step halving, errors and stopping rule; a fit takes about as many
 * scans as Newton steps, since the scan that evaluates an accepted step
 * also gives the next step's derivatives.
 *
 * All scans run under the snapshot of the calling statement (read-only
 * SPI), so concurrent commits cannot change the rows between iterations;
 * a query whose rows change between scans anyway (random(), volatile
 * functions) is an error.  The sums come in whatever order the plan
 * delivers rows, so the fit agrees with churn_fit's to rounding (about
 * 1e-12 relative), not bit for bit.
 */
#include "custvalue.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "churn_fit.h"
#include "flat_state.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#define MOMENTS_MAGIC	0x43564d4f	/* "CVMO" */
#define TERMS_MAGIC		0x43565445	/* "CVTE" */

static void
bad_state(const char *agg, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid %s state: %s", agg, why)));
}

/* ---- churn_fit_moments: n, positives, means and standard deviations ---- */

typedef struct Moments
{
	int32		k;
	int64		n;
	int64		npos;
	float8	   *mean;			/* [k] */
	float8	   *m2;				/* [k], sums of squared deviations */
} Moments;

static Moments *
moments_new(MemoryContext cxt, int k)
{
	Moments    *mo = MemoryContextAllocZero(cxt, sizeof(Moments));

	mo->k = k;
	mo->mean = MemoryContextAllocZero(cxt, sizeof(float8) * Max(k, 1));
	mo->m2 = MemoryContextAllocZero(cxt, sizeof(float8) * Max(k, 1));
	return mo;
}

/* Welford's update; rows with a NULL label or features are skipped. */
PG_FUNCTION_INFO_V1(churn_fit_moments_trans);
Datum
churn_fit_moments_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	Moments    *mo;
	float8	   *x;
	int			k;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "churn_fit_moments_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	x = churn_array_to_vector(PG_GETARG_ARRAYTYPE_P(2), &k, "features");
	mo = PG_ARGISNULL(0) ? moments_new(aggcxt, k) : (Moments *) PG_GETARG_POINTER(0);
	churn_fit_check_width(k, mo->k);
	mo->n++;
	mo->npos += PG_GETARG_BOOL(1);
	for (int j = 0; j < k; j++)
	{
		float8		d = x[j] - mo->mean[j];

		mo->mean[j] += d / mo->n;
		mo->m2[j] += d * (x[j] - mo->mean[j]);
	}
	pfree(x);
	PG_RETURN_POINTER(mo);
}

/* Chan et al.'s pairwise combination of two partial moments. */
PG_FUNCTION_INFO_V1(churn_fit_moments_combine);
Datum
churn_fit_moments_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	Moments    *a = PG_ARGISNULL(0) ? NULL : (Moments *) PG_GETARG_POINTER(0);
	Moments    *b = PG_ARGISNULL(1) ? NULL : (Moments *) PG_GETARG_POINTER(1);
	int64		n;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "churn_fit_moments_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = moments_new(aggcxt, b->k);
		a->n = b->n;
		a->npos = b->npos;
		memcpy(a->mean, b->mean, sizeof(float8) * b->k);
		memcpy(a->m2, b->m2, sizeof(float8) * b->k);
		PG_RETURN_POINTER(a);
	}
	churn_fit_check_width(b->k, a->k);
	n = a->n + b->n;
	for (int j = 0; j < a->k; j++)
	{
		float8		d = b->mean[j] - a->mean[j];

		a->m2[j] += b->m2[j] + d * d * ((float8) a->n * b->n / n);
		a->mean[j] += d * ((float8) b->n / n);
	}
	a->n = n;
	a->npos += b->npos;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(churn_fit_moments_serial);
Datum
churn_fit_moments_serial(PG_FUNCTION_ARGS)
{
	Moments    *mo = (Moments *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	uint32		magic = MOMENTS_MAGIC;

	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	appendBinaryStringInfo(&buf, (char *) &magic, sizeof(magic));
	appendBinaryStringInfo(&buf, (char *) &mo->k, sizeof(mo->k));
	appendBinaryStringInfo(&buf, (char *) &mo->n, sizeof(mo->n));
	appendBinaryStringInfo(&buf, (char *) &mo->npos, sizeof(mo->npos));
	appendBinaryStringInfo(&buf, (char *) mo->mean, sizeof(float8) * mo->k);
	appendBinaryStringInfo(&buf, (char *) mo->m2, sizeof(float8) * mo->k);
	SET_VARSIZE(buf.data, buf.len);
	PG_RETURN_BYTEA_P(buf.data);
}

PG_FUNCTION_INFO_V1(churn_fit_moments_deserial);
Datum
churn_fit_moments_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	const Size	head = sizeof(uint32) + sizeof(int32) + 2 * sizeof(int64);
	uint32		magic;
	int32		k;
	Moments    *mo;

	if (len < head)
		bad_state("churn_fit_moments", "too short");
	memcpy(&magic, p, sizeof(magic));
	memcpy(&k, p + sizeof(magic), sizeof(k));
	if (magic != MOMENTS_MAGIC)
		bad_state("churn_fit_moments", "bad magic number");
	if (k < 0 || k > CHURN_MAX_FEATURES)
		bad_state("churn_fit_moments", "feature count out of range");
	if (len != head + 2 * sizeof(float8) * k)
		bad_state("churn_fit_moments", "length does not match the feature count");
	mo = moments_new(CurrentMemoryContext, k);
	memcpy(&mo->n, p + sizeof(magic) + sizeof(k), sizeof(int64));
	memcpy(&mo->npos, p + sizeof(magic) + sizeof(k) + sizeof(int64), sizeof(int64));
	memcpy(mo->mean, p + head, sizeof(float8) * k);
	memcpy(mo->m2, p + head + sizeof(float8) * k, sizeof(float8) * k);
	if (mo->n < 1 || mo->npos < 0 || mo->npos > mo->n)
		bad_state("churn_fit_moments", "counts out of range");
	for (int j = 0; j < k; j++)
		if (!isfinite(mo->mean[j]) || !isfinite(mo->m2[j]) || mo->m2[j] < 0)
			bad_state("churn_fit_moments", "a moment is not finite or negative");
	PG_RETURN_POINTER(mo);
}

/* {n, positives, mean_1..mean_k, sd_1..sd_k}, or NULL for no rows */
PG_FUNCTION_INFO_V1(churn_fit_moments_final);
Datum
churn_fit_moments_final(PG_FUNCTION_ARGS)
{
	Moments    *mo;
	float8	   *v;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	mo = (Moments *) PG_GETARG_POINTER(0);
	v = palloc(sizeof(float8) * (2 + 2 * mo->k));
	v[0] = mo->n;
	v[1] = mo->npos;
	for (int j = 0; j < mo->k; j++)
	{
		v[2 + j] = mo->mean[j];
		v[2 + mo->k + j] = sqrt(mo->m2[j] / mo->n);
	}
	PG_RETURN_ARRAYTYPE_P(churn_vector_to_array(v, 2 + 2 * mo->k));
}

/* ---- churn_fit_terms: the objective's data terms at given coefficients -- */

/*
 * params = {gamma_0..gamma_k, mean_0..mean_k, scale_0..scale_k}: the
 * coefficients on the standardized scale and the standardization, p = k + 1
 * of each.  The sums: log-likelihood, gradient [p], the Hessian's lower
 * triangle [p (p + 1) / 2].
 */
typedef struct Terms
{
	int32		p;
	int32		pad;
	int64		n;
	float8		data[FLEXIBLE_ARRAY_MEMBER];	/* params [3p], only for the
												 * transition; scratch xs [p],
												 * the standardized row, xs[0] =
												 * 1; sums [TERMS_NSUMS(p)] */
} Terms;

#define TERMS_NSUMS(p)	(1 + (p) + (p) * ((p) + 1) / 2)
#define TERMS_SIZE(p)	(offsetof(Terms, data) + sizeof(float8) * (4 * (p) + TERMS_NSUMS(p)))
#define TERMS_PARAMS(t)	((t)->data)
#define TERMS_XS(t)		((t)->data + 3 * (t)->p)
#define TERMS_SUMS(t)	((t)->data + 4 * (t)->p)

/*
 * The state is a bytea (flat_state.h), so Citus can split the aggregate
 * between its workers and the coordinator.  It holds the parameters too:
 * the transition function reads them from the first row only.
 */
static Terms *
terms_arg(FunctionCallInfo fcinfo, int argno, bool writable, bytea **state)
{
	bytea	   *b = cv_flat_arg(fcinfo, argno, TERMS_MAGIC, 0, writable, "churn_fit_terms");
	Terms	   *t;

	*state = b;
	if (b == NULL)
		return NULL;
	t = CV_FLAT_DATA(b);
	if (CV_FLAT_SIZE(b) < offsetof(Terms, data) ||
		t->p < 1 || t->p > CHURN_MAX_FEATURES + 1 ||
		CV_FLAT_SIZE(b) != TERMS_SIZE(t->p))
		bad_state("churn_fit_terms", "length does not match the feature count");
	return t;
}

/* A state from elsewhere: its counts and sums must be possible. */
static void
terms_check(const Terms *t)
{
	if (t->n < 0)
		bad_state("churn_fit_terms", "row count out of range");
	for (int i = 0; i < TERMS_NSUMS(t->p); i++)
		if (isnan(TERMS_SUMS(t)[i]))
			bad_state("churn_fit_terms", "a sum is NaN");
}

PG_FUNCTION_INFO_V1(churn_fit_terms_trans);
Datum
churn_fit_terms_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bytea	   *state;
	Terms	   *t;
	struct varlena *raw;
	const char *body;
	int			ndim,
				nitems = 0;
	int32		dataoffset;
	Oid			elemtype;
	const float8 *gamma,
			   *mean,
			   *scale;
	float8	   *xs,
			   *sums,
			   *grad,
			   *hess;
	float8		eta = 0,
				y,
				prob,
				w,
				r;
	int			p;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "churn_fit_terms_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	t = terms_arg(fcinfo, 0, true, &state);
	if (t == NULL)
	{
		float8	   *params;
		int			np;

		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("churn_fit_terms: params must not be NULL")));
		params = churn_array_to_vector(PG_GETARG_ARRAYTYPE_P(3), &np, "params");
		if (np < 3 || np % 3 != 0 || np / 3 > CHURN_MAX_FEATURES + 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_fit_terms: params must hold 3 (k + 1) numbers, not %d", np)));
		state = cv_flat_new(aggcxt, TERMS_MAGIC, TERMS_SIZE(np / 3));
		t = CV_FLAT_DATA(state);
		t->p = np / 3;
		memcpy(TERMS_PARAMS(t), params, sizeof(float8) * np);
		for (int j = 1; j < t->p; j++)
			if (!(TERMS_PARAMS(t)[2 * t->p + j] > 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("churn_fit_terms: scale %d must be positive", j)));
		TERMS_XS(t)[0] = 1.0;
	}
	p = t->p;
	gamma = TERMS_PARAMS(t);
	mean = gamma + p;
	scale = gamma + 2 * p;
	xs = TERMS_XS(t);
	sums = TERMS_SUMS(t);

	/*
	 * The features read where they lie, as churn_probability() does: an
	 * array of a dozen float8s is stored with a 1-byte header, and
	 * PG_GETARG_ARRAYTYPE_P would palloc an aligned copy of it on every row
	 * of every scan.
	 */
	raw = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(2));
	body = VARDATA_ANY(raw);
	memcpy(&ndim, body + offsetof(ArrayType, ndim) - VARHDRSZ, sizeof(ndim));
	memcpy(&dataoffset, body + offsetof(ArrayType, dataoffset) - VARHDRSZ, sizeof(dataoffset));
	memcpy(&elemtype, body + offsetof(ArrayType, elemtype) - VARHDRSZ, sizeof(elemtype));
	if (ndim == 1)
		memcpy(&nitems, body + sizeof(ArrayType) - VARHDRSZ, sizeof(nitems));
	if (ndim == 1 && dataoffset == 0 && elemtype == FLOAT8OID && nitems == p - 1)
	{
		const char *x = body + ARR_OVERHEAD_NONULLS(1) - VARHDRSZ;

		for (int j = 1; j < p; j++)
		{
			float8		xj;

			memcpy(&xj, x + (j - 1) * sizeof(float8), sizeof(float8));
			if (unlikely(!isfinite(xj)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("features[%d] is not finite", j)));
			xs[j] = (xj - mean[j]) / scale[j];
		}
	}
	else
	{
		/* anything else: the usual checks and their errors */
		int			k;
		float8	   *x = churn_array_to_vector(PG_GETARG_ARRAYTYPE_P(2), &k, "features");

		churn_fit_check_width(k, p - 1);
		for (int j = 1; j < p; j++)
			xs[j] = (x[j - 1] - mean[j]) / scale[j];
		pfree(x);
	}
	for (int j = 0; j < p; j++)
		eta += gamma[j] * xs[j];
	y = PG_GETARG_BOOL(1) ? 1.0 : 0.0;
	t->n++;
	sums[0] += y * eta - churn_softplus(eta);
	prob = churn_logistic(eta);
	w = prob * (1 - prob);
	r = y - prob;
	grad = sums + 1;
	hess = sums + 1 + p;
	for (int j = 0; j < p; j++)
	{
		float8		wx = w * xs[j];

		grad[j] += r * xs[j];
		for (int m = 0; m <= j; m++)
			*hess++ += wx * xs[m];
	}
	PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(churn_fit_terms_combine);
Datum
churn_fit_terms_combine(PG_FUNCTION_ARGS)
{
	bytea	   *astate,
			   *bstate;
	Terms	   *a = terms_arg(fcinfo, 0, true, &astate);
	Terms	   *b = terms_arg(fcinfo, 1, false, &bstate);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(astate);
	}
	terms_check(b);
	if (a == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, bstate, "churn_fit_terms"));
	churn_fit_check_width(b->p - 1, a->p - 1);
	a->n += b->n;
	for (int i = 0; i < TERMS_NSUMS(a->p); i++)
		TERMS_SUMS(a)[i] += TERMS_SUMS(b)[i];
	PG_RETURN_BYTEA_P(astate);
}

/* 1.2's catalog: serial and deserial functions (flat_state.h) */
PG_FUNCTION_INFO_V1(churn_fit_terms_serial);
Datum
churn_fit_terms_serial(PG_FUNCTION_ARGS)
{
	return cv_flat_serial_compat(fcinfo, TERMS_MAGIC, 0, "churn_fit_terms");
}

PG_FUNCTION_INFO_V1(churn_fit_terms_deserial);
Datum
churn_fit_terms_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *state;

	(void) terms_arg(fcinfo, 0, false, &state);
	return cv_flat_deserial_compat(fcinfo, TERMS_MAGIC, 0, "churn_fit_terms");
}

/* {n, loglik, gradient[p], Hessian lower triangle[p (p + 1) / 2]} */
PG_FUNCTION_INFO_V1(churn_fit_terms_final);
Datum
churn_fit_terms_final(PG_FUNCTION_ARGS)
{
	bytea	   *state;
	Terms	   *t = terms_arg(fcinfo, 0, false, &state);
	float8	   *v;
	int			nsums;

	if (t == NULL)
		PG_RETURN_NULL();
	terms_check(t);
	nsums = TERMS_NSUMS(t->p);
	v = palloc(sizeof(float8) * (1 + nsums));
	v[0] = t->n;
	memcpy(v + 1, TERMS_SUMS(t), sizeof(float8) * nsums);
	PG_RETURN_ARRAYTYPE_P(churn_vector_to_array(v, 1 + nsums));
}

/* ---- churn_fit_query: the driver ---------------------------------------- */

typedef struct ScanTerms
{
	const char *sql;			/* churn_fit_terms over the query, $1 = params */
	int64		n;				/* rows the moments scan counted */
	bool		have;			/* the last scan's results are below */
	float8	   *gamma;			/* [p] it was run at */
	float8	   *sums;			/* [TERMS_NSUMS(p)] */
	int			scans;
} ScanTerms;

/* Run a one-row, one-float8[]-column query; its array, or NULL. */
static float8 *
scan_array(const char *sql, int nargs, Oid *argtypes, Datum *args, int *len)
{
	int			rc;
	bool		isnull;
	Datum		d;
	float8	   *v;

	rc = SPI_execute_with_args(sql, nargs, argtypes, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "churn_fit_query: scan failed: %s", SPI_result_code_string(rc));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	v = isnull ? NULL : churn_array_to_vector(DatumGetArrayTypeP(d), len, "scan result");
	SPI_freetuptable(SPI_tuptable);
	return v;
}

/*
 * ChurnDataTerms by a scan.  The step-halving loop asks for the objective at
 * a trial point without derivatives and then, once the step is accepted,
 * with them at the same point: the scan computes both, and the second call
 * is answered from the first.
 */
static void
scan_terms(void *arg, const ChurnNewtonProblem *np, const float8 *gamma,
		   float8 *grad, float8 *hess, float8 *loglik)
{
	ScanTerms  *sc = arg;
	int			p = np->p;

	if (!sc->have || memcmp(sc->gamma, gamma, sizeof(float8) * p) != 0)
	{
		float8	   *params = palloc(sizeof(float8) * 3 * p);
		Oid			argtype = FLOAT8ARRAYOID;
		Datum		arg;
		float8	   *v;
		int			len;

		CHECK_FOR_INTERRUPTS();
		memcpy(params, gamma, sizeof(float8) * p);
		memcpy(params + p, np->mean, sizeof(float8) * p);
		memcpy(params + 2 * p, np->scale, sizeof(float8) * p);
		arg = PointerGetDatum(churn_vector_to_array(params, 3 * p));
		v = scan_array(sc->sql, 1, &argtype, &arg, &len);
		if (v == NULL || len != 1 + TERMS_NSUMS(p) || (int64) v[0] != sc->n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_fit_query: the query returned " INT64_FORMAT " rows on its first scan and %s on a later one",
							sc->n, v == NULL ? "none" : psprintf(INT64_FORMAT, (int64) v[0])),
					 errhint("The query must return the same rows every time it runs: no random() or other volatile functions.")));
		memcpy(sc->sums, v + 1, sizeof(float8) * TERMS_NSUMS(p));
		memcpy(sc->gamma, gamma, sizeof(float8) * p);
		sc->have = true;
		sc->scans++;
	}
	*loglik = sc->sums[0];
	if (grad)
	{
		const float8 *h = sc->sums + 1 + p;

		for (int j = 0; j < p; j++)
		{
			grad[j] += sc->sums[1 + j];
			for (int m = 0; m <= j; m++)
				hess[j * p + m] += *h++;
		}
	}
}

/*
 * custvalue.churn_fit_query(query text, l2 float8 DEFAULT 0): the model
 * churn_fit(label, features, l2) would give over the rows of query, whose
 * first two columns are the label (boolean) and the features (float8[]).
 * The query runs with the caller's privileges and search_path, like any
 * query of theirs.  NULL for no rows.
 */
PG_FUNCTION_INFO_V1(churn_fit_query);
Datum
churn_fit_query(PG_FUNCTION_ARGS)
{
	char	   *query = text_to_cstring(PG_GETARG_TEXT_PP(0));
	float8		l2 = PG_GETARG_FLOAT8(1);
	const char *schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
	ChurnNewtonProblem np;
	ScanTerms	sc;
	float8	   *v;
	int			len,
				k;
	ChurnModel *m,
			   *result = NULL;

	churn_fit_check_l2(l2);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "churn_fit_query: SPI_connect failed");

	v = scan_array(psprintf("SELECT %s.churn_fit_moments(q.label, q.features) "
							"FROM (%s\n) AS q(label, features)", schema, query),
				   0, NULL, NULL, &len);
	if (v != NULL)
	{
		k = (len - 2) / 2;
		memset(&np, 0, sizeof(np));
		np.p = k + 1;
		np.n = (int64) v[0];
		np.npos = (int64) v[1];
		np.l2 = l2;
		np.mean = palloc0(sizeof(float8) * np.p);
		np.scale = palloc0(sizeof(float8) * np.p);
		memcpy(np.mean + 1, v + 2, sizeof(float8) * k);
		memcpy(np.scale + 1, v + 2 + k, sizeof(float8) * k);

		memset(&sc, 0, sizeof(sc));
		sc.sql = psprintf("SELECT %s.churn_fit_terms(q.label, q.features, $1) "
						  "FROM (%s\n) AS q(label, features)", schema, query);
		sc.n = np.n;
		sc.gamma = palloc(sizeof(float8) * np.p);
		sc.sums = palloc(sizeof(float8) * TERMS_NSUMS(np.p));
		np.terms = scan_terms;
		np.terms_arg = &sc;

		m = churn_newton(&np);
		result = SPI_palloc(VARSIZE(m));
		memcpy(result, m, VARSIZE(m));
		elog(DEBUG1, "churn_fit_query: %d Newton steps, %d scans after the first",
			 m->iterations, sc.scans);
	}
	SPI_finish();
	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(result);
}
