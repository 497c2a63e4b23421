/*
 * churn_fit.c
 *		churn_fit(label, features [, l2]): logistic regression by Newton's
 *		method (IRLS), as a parallel aggregate returning a churn_model.
 *
 * Why the state keeps the rows.  Newton's method needs X'WX and X'(y - p)
 * at the current coefficients, and those change every iteration, so no
 * fixed-size summary of the data is sufficient.  The alternatives are one
 * scan per iteration (a driver running an aggregate ~8 times) or one scan
 * that keeps the rows; we keep them, packed as doubles, (k + 1) * 8 bytes a
 * row: 88 MB for 1M rows x 10 features.  That makes the aggregate exact,
 * single-pass and trivially combinable (concatenation), and the Newton
 * iterations run in the final function at O(n k^2) each.
 *
 * The final function sorts the rows first, so every sum is taken in the
 * same order whatever plan (serial or parallel, any worker split) fed the
 * aggregate: serial and parallel fits are bit-identical.
 *
 * Numerics: features are centred and scaled by their standard deviation
 * internally (coefficients are reported on the raw scale), the Newton system
 * is solved by Cholesky with a relative pivot tolerance, and steps that
 * would lower the penalized log-likelihood are halved.  The L2 penalty is
 * (l2 / 2) * sum(beta_j^2) over the raw-scale slopes, never the intercept.
 */
#include "custvalue.h"

#include <math.h>

#include "churn_fit.h"
#include "churn_model.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#define FIT_MAX_ITER		100
#define FIT_STEP_TOL		1e-9	/* on the standardized scale */
#define FIT_PIVOT_TOL		1e-10	/* relative to the largest diagonal */
#define FIT_SEPARATION		50.0	/* standardized slope, log-odds per SD */
#define FIT_STATE_MAGIC		0x43564c52	/* "CVLR" */

typedef struct FitState
{
	int32		k;				/* features per row, -1 until the first row */
	float8		l2;				/* NaN until the first row */
	int64		n;
	int64		cap;
	float8	   *rows;			/* n rows of (label, x_1..x_k) */
} FitState;

#define ROW_WIDTH(st)	((st)->k + 1)

static FitState *
fit_state_new(MemoryContext cxt)
{
	FitState   *st = MemoryContextAllocZero(cxt, sizeof(FitState));

	st->k = -1;
	st->l2 = get_float8_nan();
	return st;
}

/* Room for extra more rows. */
static void
fit_state_reserve(FitState *st, MemoryContext cxt, int64 extra)
{
	int64		need = st->n + extra;
	int64		newcap;
	Size		bytes;

	if (need <= st->cap)
		return;
	newcap = Max(need, Max(st->cap * 2, 64));
	if ((Size) newcap > MaxAllocHugeSize / (sizeof(float8) * ROW_WIDTH(st)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for churn_fit")));
	bytes = sizeof(float8) * ROW_WIDTH(st) * newcap;
	if (st->rows == NULL)
		st->rows = MemoryContextAllocHuge(cxt, bytes);
	else
		st->rows = repalloc_huge(st->rows, bytes);
	st->cap = newcap;
}

static void
fit_state_set_shape(FitState *st, int k, float8 l2)
{
	if (st->k < 0)
	{
		st->k = k;
		st->l2 = l2;
		return;
	}
	churn_fit_check_width(k, st->k);
	if (st->l2 != l2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_fit: l2 must be the same for every row")));
}

void
churn_fit_check_l2(float8 l2)
{
	if (!isfinite(l2) || l2 < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_fit: l2 must be a finite number >= 0, not %g", l2)));
}

/* A row's feature count k against the fit's, want. */
void
churn_fit_check_width(int k, int want)
{
	if (k != want)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("churn_fit: feature arrays of different lengths (%d and %d)",
						want, k),
				 errhint("Every row must have the same features in the same order.")));
}

/* Rows with a NULL label or a NULL feature array are skipped. */
PG_FUNCTION_INFO_V1(churn_fit_trans);
Datum
churn_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FitState   *st;
	float8		l2 = 0;
	float8	   *x;
	float8	   *row;
	int			k;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "churn_fit_trans called in non-aggregate context");
	/* No state until the first usable row, so no rows gives NULL. */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	st = PG_ARGISNULL(0) ? fit_state_new(aggcxt) : (FitState *) PG_GETARG_POINTER(0);
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("churn_fit: l2 must not be NULL")));
		l2 = PG_GETARG_FLOAT8(3);
		churn_fit_check_l2(l2);
	}
	x = churn_array_to_vector(PG_GETARG_ARRAYTYPE_P(2), &k, "features");
	fit_state_set_shape(st, k, l2);
	fit_state_reserve(st, aggcxt, 1);
	row = st->rows + st->n * ROW_WIDTH(st);
	row[0] = PG_GETARG_BOOL(1) ? 1.0 : 0.0;
	memcpy(row + 1, x, sizeof(float8) * k);
	st->n++;
	pfree(x);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(churn_fit_combine);
Datum
churn_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FitState   *a = PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0);
	FitState   *b = PG_ARGISNULL(1) ? NULL : (FitState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "churn_fit_combine called in non-aggregate context");
	if (b == NULL || b->k < 0)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = fit_state_new(aggcxt);
	fit_state_set_shape(a, b->k, b->l2);
	fit_state_reserve(a, aggcxt, b->n);
	if (b->n > 0)
		memcpy(a->rows + a->n * ROW_WIDTH(a), b->rows,
			   sizeof(float8) * ROW_WIDTH(b) * b->n);
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

/*
 * Serialized state: magic, k, l2, n, then the n rows of doubles in native
 * byte order (the state never leaves the server that made it).
 */
typedef struct FitStateHeader
{
	uint32		magic;
	int32		k;
	float8		l2;
	int64		n;
} FitStateHeader;

PG_FUNCTION_INFO_V1(churn_fit_serial);
Datum
churn_fit_serial(PG_FUNCTION_ARGS)
{
	FitState   *st = (FitState *) PG_GETARG_POINTER(0);
	FitStateHeader hdr;
	Size		rowbytes;
	bytea	   *out;

	hdr.magic = FIT_STATE_MAGIC;
	hdr.k = st->k;
	hdr.l2 = st->l2;
	hdr.n = st->n;
	rowbytes = st->k < 0 ? 0 : sizeof(float8) * ROW_WIDTH(st) * st->n;
	if (rowbytes > MaxAllocSize - VARHDRSZ - sizeof(hdr))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("churn_fit: partial state of " INT64_FORMAT " rows is too large to pass between parallel workers", st->n),
				 errhint("SET max_parallel_workers_per_gather = 0 for this fit.")));
	out = palloc(VARHDRSZ + sizeof(hdr) + rowbytes);
	SET_VARSIZE(out, VARHDRSZ + sizeof(hdr) + rowbytes);
	memcpy(VARDATA(out), &hdr, sizeof(hdr));
	if (rowbytes > 0)
		memcpy(VARDATA(out) + sizeof(hdr), st->rows, rowbytes);
	PG_RETURN_BYTEA_P(out);
}

static void
bad_state(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid churn_fit state: %s", why)));
}

/* Decode a serialized state, rejecting anything churn_fit_serial could not have made. */
static FitState *
fit_state_decode(bytea *in)
{
	const char *data = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	FitStateHeader hdr;
	FitState   *st;
	Size		width;

	if (len < sizeof(hdr))
		bad_state("too short");
	memcpy(&hdr, data, sizeof(hdr));
	if (hdr.magic != FIT_STATE_MAGIC)
		bad_state("bad magic number");
	if (hdr.k < -1 || hdr.k > CHURN_MAX_FEATURES)
		bad_state("feature count out of range");
	if (hdr.n < 0 || (hdr.k < 0 && hdr.n != 0))
		bad_state("row count out of range");
	if (hdr.k >= 0 && !(isfinite(hdr.l2) && hdr.l2 >= 0))
		bad_state("l2 out of range");
	width = sizeof(float8) * (hdr.k + 1);
	if (hdr.k >= 0 && (Size) hdr.n > (len - sizeof(hdr)) / width)
		bad_state("row count larger than the data");
	if (len - sizeof(hdr) != (hdr.k < 0 ? 0 : width * hdr.n))
		bad_state("length does not match the row count");

	st = fit_state_new(CurrentMemoryContext);
	if (hdr.k < 0)
		return st;
	st->k = hdr.k;
	st->l2 = hdr.l2;
	fit_state_reserve(st, CurrentMemoryContext, hdr.n);
	if (hdr.n > 0)
		memcpy(st->rows, data + sizeof(hdr), width * hdr.n);
	st->n = hdr.n;
	for (int64 i = 0; i < st->n; i++)
	{
		const float8 *row = st->rows + i * ROW_WIDTH(st);

		if (row[0] != 0.0 && row[0] != 1.0)
			bad_state("label is not 0 or 1");
		for (int j = 1; j <= st->k; j++)
			if (!isfinite(row[j]))
				bad_state("feature is not finite");
	}
	return st;
}

PG_FUNCTION_INFO_V1(churn_fit_deserial);
Datum
churn_fit_deserial(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(fit_state_decode(PG_GETARG_BYTEA_PP(0)));
}

/* Lexicographic order of rows of *(int *) arg doubles. */
static int
row_cmp(const void *a, const void *b, void *arg)
{
	const float8 *x = a;
	const float8 *y = b;
	int			width = *(const int *) arg;

	for (int j = 0; j < width; j++)
	{
		if (x[j] < y[j])
			return -1;
		if (x[j] > y[j])
			return 1;
	}
	return 0;
}

/*
 * Cholesky factorization of the symmetric positive definite p x p matrix a
 * (row-major, lower triangle used) in place, then solve a x = b into b.
 * Returns false if a pivot falls below FIT_PIVOT_TOL times the largest
 * diagonal element: the matrix is singular to working precision.
 */
static bool
cholesky_solve(float8 *a, float8 *b, int p)
{
	float8		maxdiag = 0;

	for (int i = 0; i < p; i++)
		maxdiag = Max(maxdiag, a[i * p + i]);
	if (!(maxdiag > 0))
		return false;
	for (int j = 0; j < p; j++)
	{
		float8		d = a[j * p + j];

		for (int m = 0; m < j; m++)
			d -= a[j * p + m] * a[j * p + m];
		if (!(d > FIT_PIVOT_TOL * maxdiag))
			return false;
		d = sqrt(d);
		a[j * p + j] = d;
		for (int i = j + 1; i < p; i++)
		{
			float8		s = a[i * p + j];

			for (int m = 0; m < j; m++)
				s -= a[i * p + m] * a[j * p + m];
			a[i * p + j] = s / d;
		}
	}
	/* forward: L z = b */
	for (int i = 0; i < p; i++)
	{
		float8		s = b[i];

		for (int m = 0; m < i; m++)
			s -= a[i * p + m] * b[m];
		b[i] = s / a[i * p + i];
	}
	/* backward: L' x = z */
	for (int i = p - 1; i >= 0; i--)
	{
		float8		s = b[i];

		for (int m = i + 1; m < p; m++)
			s -= a[m * p + i] * b[m];
		b[i] = s / a[i * p + i];
	}
	return true;
}

/* The in-memory rows, for churn_newton(). */
typedef struct RowsTerms
{
	const FitState *st;
	float8	   *xs;				/* scratch row, standardized, xs[0] = 1 */
} RowsTerms;

/* ChurnDataTerms over the rows of a FitState, in their (sorted) order. */
static void
rows_terms(void *arg, const ChurnNewtonProblem *np, const float8 *gamma,
		   float8 *grad, float8 *hess, float8 *loglik)
{
	RowsTerms  *rt = arg;
	const FitState *st = rt->st;
	int			p = np->p;
	float8	   *xs = rt->xs;
	float8		ll = 0;

	for (int64 i = 0; i < st->n; i++)
	{
		const float8 *row = st->rows + i * p;
		float8		eta = 0;

		for (int j = 1; j < p; j++)
			xs[j] = (row[j] - np->mean[j]) / np->scale[j];
		for (int j = 0; j < p; j++)
			eta += gamma[j] * xs[j];
		ll += row[0] * eta - churn_softplus(eta);
		if (grad)
		{
			float8		prob = churn_logistic(eta);
			float8		w = prob * (1 - prob);
			float8		r = row[0] - prob;

			for (int j = 0; j < p; j++)
			{
				float8		wx = w * xs[j];

				grad[j] += r * xs[j];
				for (int m = 0; m <= j; m++)
					hess[j * p + m] += wx * xs[m];
			}
		}
	}
	*loglik = ll;
}

/*
 * Penalized log-likelihood at gamma (standardized scale); with grad and
 * hess non-NULL also the gradient and the negated Hessian for Newton's
 * step.  *loglik gets the unpenalized part.  The data's part comes from
 * np->terms, the penalty's is added here.
 */
static float8
objective(const ChurnNewtonProblem *np, const float8 *gamma, float8 *grad,
		  float8 *hess, float8 *loglik)
{
	int			p = np->p;
	float8		ll = 0;
	float8		pen = 0;

	if (grad)
	{
		memset(grad, 0, sizeof(float8) * p);
		memset(hess, 0, sizeof(float8) * p * p);
	}
	np->terms(np->terms_arg, np, gamma, grad, hess, &ll);
	for (int j = 1; j < p; j++)
		pen += 0.5 * np->penalty[j] * gamma[j] * gamma[j];
	if (grad)
	{
		for (int j = 0; j < p; j++)
		{
			grad[j] -= np->penalty[j] * gamma[j];
			hess[j * p + j] += np->penalty[j];
			for (int m = 0; m < j; m++)
				hess[m * p + j] = hess[j * p + m];
		}
	}
	*loglik = ll;
	return ll - pen;
}

static void
separation_error(float8 l2, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("churn_fit: the maximum-likelihood estimate does not exist (the classes are separated)"),
			 errdetail("%s", detail),
			 errhint(l2 > 0
					 ? "Use a larger l2, or drop the feature that separates the classes."
					 : "Fit with an L2 penalty, churn_fit(label, features, l2) with l2 > 0, or drop the feature that separates the classes.")));
}

/*
 * Newton's method for the problem np describes: np->p, n, npos, l2, mean
 * and scale (the features' standard deviations, 0 for a constant one) set
 * by the caller, np->terms giving the data's part of the objective.
 * Shared by churn_fit (rows in memory) and churn_fit_query (one scan per
 * evaluation); the model's coefficients are on the raw scale.
 */
ChurnModel *
churn_newton(ChurnNewtonProblem *np)
{
	int			p = np->p;
	float8	   *gamma,
			   *trial,
			   *grad,
			   *hess;
	float8		q,
				ll;
	int			iter;
	bool		converged = false;
	ChurnModel *m;

	np->penalty = palloc0(sizeof(float8) * p);
	np->mean[0] = 0;
	np->scale[0] = 1.0;
	for (int j = 1; j < p; j++)
	{
		if (!(np->scale[j] > 0))
		{
			if (np->l2 == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("churn_fit: feature %d is constant, so it is collinear with the intercept", j),
						 errhint("Drop the feature, or fit with l2 > 0.")));
			np->scale[j] = 1.0; /* centred to zero; the penalty keeps it 0 */
		}
		np->penalty[j] = np->l2 / (np->scale[j] * np->scale[j]);
	}

	if (np->npos == 0 || np->npos == np->n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_fit: all " INT64_FORMAT " rows have label %s", np->n,
						np->npos == 0 ? "false" : "true"),
				 errdetail("Logistic regression needs both churners and non-churners.")));

	gamma = palloc0(sizeof(float8) * p);
	trial = palloc(sizeof(float8) * p);
	grad = palloc(sizeof(float8) * p);
	hess = palloc(sizeof(float8) * p * p);
	gamma[0] = log((float8) np->npos / (float8) (np->n - np->npos));

	q = objective(np, gamma, grad, hess, &ll);
	for (iter = 1; iter <= FIT_MAX_ITER; iter++)
	{
		float8		step = 0;
		float8		qnew = 0;
		float8		t = 1.0;
		float8		maxslope = 0;

		CHECK_FOR_INTERRUPTS();
		if (!cholesky_solve(hess, grad, p))
		{
			if (iter > 1 && np->l2 == 0 && -ll < 1e-6 * np->n)
				separation_error(np->l2, "The fitted probabilities reached 0 and 1.");
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_fit: the features are collinear (the information matrix is singular)"),
					 errhint("Drop a feature that is a linear combination of others, or fit with l2 > 0.")));
		}
		for (int j = 0; j < p; j++)
			step = Max(step, fabs(grad[j]));

		/* Step halving: never accept a step that lowers the objective. */
		for (int h = 0; h < 30; h++)
		{
			float8		llnew;

			for (int j = 0; j < p; j++)
				trial[j] = gamma[j] + t * grad[j];
			qnew = objective(np, trial, NULL, NULL, &llnew);
			if (qnew >= q - 1e-12 * fabs(q))
				break;
			t /= 2;
		}
		memcpy(gamma, trial, sizeof(float8) * p);
		for (int j = 1; j < p; j++)
			maxslope = Max(maxslope, fabs(gamma[j]));
		if (!isfinite(qnew) || !isfinite(gamma[0]) || !isfinite(maxslope))
			separation_error(np->l2, "The coefficients overflowed.");
		if (np->l2 == 0 && maxslope > FIT_SEPARATION)
			separation_error(np->l2, psprintf("A slope exceeded %g log-odds per standard deviation of its feature after %d iterations.",
											  FIT_SEPARATION, iter));
		q = objective(np, gamma, grad, hess, &ll);
		if (t == 1.0 && step < FIT_STEP_TOL)
		{
			converged = true;
			break;
		}
	}
	if (!converged)
	{
		if (np->l2 == 0)
			separation_error(np->l2, psprintf("Newton's method did not converge in %d iterations.", FIT_MAX_ITER));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_fit: Newton's method did not converge in %d iterations", FIT_MAX_ITER)));
	}

	m = churn_model_make(p - 1);
	m->nobs = np->n;
	m->l2 = np->l2;
	m->iterations = iter;
	m->loglik = ll;
	m->coef[0] = gamma[0];
	for (int j = 1; j < p; j++)
	{
		m->coef[j] = gamma[j] / np->scale[j];
		m->coef[0] -= m->coef[j] * np->mean[j];
	}
	return m;
}

/* The fit of a state, or NULL for no rows.  Sorts the state's rows. */
static ChurnModel *
fit_state_fit(FitState *st)
{
	ChurnNewtonProblem np;
	RowsTerms	rt;
	int			p;

	if (st == NULL || st->n == 0)
		return NULL;
	p = st->k + 1;
	memset(&np, 0, sizeof(np));
	np.p = p;
	np.n = st->n;
	np.l2 = st->l2;
	np.mean = palloc0(sizeof(float8) * p);
	np.scale = palloc0(sizeof(float8) * p);
	rt.st = st;
	rt.xs = palloc(sizeof(float8) * p);
	rt.xs[0] = 1.0;
	np.terms = rows_terms;
	np.terms_arg = &rt;

	qsort_arg(st->rows, st->n, sizeof(float8) * p, row_cmp, &p);

	/* Two-pass mean and standard deviation of each feature. */
	for (int64 i = 0; i < st->n; i++)
	{
		const float8 *row = st->rows + i * p;

		np.npos += (row[0] != 0);
		for (int j = 1; j < p; j++)
			np.mean[j] += row[j];
	}
	for (int j = 1; j < p; j++)
		np.mean[j] /= st->n;
	for (int64 i = 0; i < st->n; i++)
	{
		const float8 *row = st->rows + i * p;

		for (int j = 1; j < p; j++)
			np.scale[j] += (row[j] - np.mean[j]) * (row[j] - np.mean[j]);
	}
	for (int j = 1; j < p; j++)
		np.scale[j] = sqrt(np.scale[j] / st->n);
	return churn_newton(&np);
}

PG_FUNCTION_INFO_V1(churn_fit_final);
Datum
churn_fit_final(PG_FUNCTION_ARGS)
{
	ChurnModel *m = fit_state_fit(PG_ARGISNULL(0) ? NULL : (FitState *) PG_GETARG_POINTER(0));

	if (m == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(m);
}

/*
 * churn_fit_from_state(bytea): the model from a state made by the
 * churn_fit_state aggregate, so the collected rows can be stored or shipped
 * and fitted later (and so tests can feed the decoder arbitrary bytes).
 */
PG_FUNCTION_INFO_V1(churn_fit_from_state);
Datum
churn_fit_from_state(PG_FUNCTION_ARGS)
{
	ChurnModel *m = fit_state_fit(fit_state_decode(PG_GETARG_BYTEA_PP(0)));

	if (m == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(m);
}
