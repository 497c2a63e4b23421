/*
 * churn_sbg.c
 *		Cohort retention in the contractual setting: the shifted-beta-
 *		geometric (sBG) model of Fader & Hardie, "How to Project Customer
 *		Retention", J. Interactive Marketing 21(1), 2007.
 *
 * Each customer has a constant per-period churn probability theta, and theta
 * varies over customers as Beta(alpha, beta).  Then
 *		P(T = 1) = alpha / (alpha + beta)
 *		P(T = t) = P(T = t - 1) * (beta + t - 2) / (alpha + beta + t - 1)
 *		S(t)     = S(t - 1) * (beta + t - 1) / (alpha + beta + t - 1), S(0) = 1
 *		r(t)     = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)
 * and a cohort's log-likelihood is sum churned(t) log P(T = t) plus
 * sum alive(t) log S(t) over the customers still alive after t periods.
 *
 * The maximum-likelihood (alpha, beta) is found by Nelder-Mead on
 * (log alpha, log beta), restarted at its own answer until it no longer
 * moves; two parameters make a simplex method both robust and cheap.
 *
 * sbg_fit(periods, churned) is an aggregate over customers; its state is
 * two histograms (churned in period t, still alive after t periods), so it
 * is tiny and combines by addition.  sbg_fit(survivors float8[]) takes a
 * cohort's survivor counts as published in the paper.
 */
#include "custvalue.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "row_form.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "catalog/pg_type.h"

#define SBG_MAX_PERIODS		10000
#define SBG_LOG_BOUND		15.0	/* |log alpha|, |log beta| beyond: no MLE */
#define SBG_STATE_MAGIC		0x43565342	/* "CVSB" */

typedef struct SbgState
{
	int32		horizon;		/* highest period seen, -1 if none */
	float8		churned[SBG_MAX_PERIODS + 1];	/* [t]: churned in period t */
	float8		alive[SBG_MAX_PERIODS + 1]; /* [t]: alive after t periods */
} SbgState;

/* 160 kB per group; serialization sends only the used prefix. */

static float8
sbg_loglik(const SbgState *st, float8 a, float8 b)
{
	float8		logp = log(a) - log(a + b);	/* log P(T = 1) */
	float8		logs = log(b) - log(a + b);	/* log S(1) */
	float8		ll = 0;

	for (int t = 1; t <= st->horizon; t++)
	{
		if (t > 1)
		{
			logp += log(b + t - 2) - log(a + b + t - 1);
			logs += log(b + t - 1) - log(a + b + t - 1);
		}
		if (st->churned[t] > 0)
			ll += st->churned[t] * logp;
		if (st->alive[t] > 0)
			ll += st->alive[t] * logs;
	}
	return ll;
}

static float8
neg_ll(const SbgState *st, const float8 *x)
{
	float8		ll = sbg_loglik(st, exp(x[0]), exp(x[1]));

	return isfinite(ll) ? -ll : get_float8_infinity();
}

/* Nelder-Mead in two dimensions from x; the minimum is left in x. */
static int
nelder_mead(const SbgState *st, float8 *x, float8 step)
{
	float8		s[3][2];
	float8		f[3];
	int			iter;

	for (int i = 0; i < 3; i++)
	{
		s[i][0] = x[0] + (i == 1 ? step : 0);
		s[i][1] = x[1] + (i == 2 ? step : 0);
		f[i] = neg_ll(st, s[i]);
	}
	for (iter = 0; iter < 2000; iter++)
	{
		int			hi = 0,
					lo = 0,
					mid;
		float8		c[2],
					xr[2],
					fr;

		for (int i = 1; i < 3; i++)
		{
			if (f[i] > f[hi])
				hi = i;
			if (f[i] < f[lo])
				lo = i;
		}
		mid = 3 - hi - lo;
		if (hi == lo)
			mid = (hi + 1) % 3, lo = (hi + 2) % 3;
		if (fabs(f[hi] - f[lo]) <= 1e-15 * (fabs(f[lo]) + 1e-300) &&
			fabs(s[hi][0] - s[lo][0]) + fabs(s[hi][1] - s[lo][1]) < 1e-12)
			break;
		c[0] = (s[lo][0] + s[mid][0]) / 2;
		c[1] = (s[lo][1] + s[mid][1]) / 2;
		xr[0] = c[0] + (c[0] - s[hi][0]);
		xr[1] = c[1] + (c[1] - s[hi][1]);
		fr = neg_ll(st, xr);
		if (fr < f[lo])
		{
			float8		xe[2] = {c[0] + 2 * (c[0] - s[hi][0]), c[1] + 2 * (c[1] - s[hi][1])};
			float8		fe = neg_ll(st, xe);

			if (fe < fr)
				s[hi][0] = xe[0], s[hi][1] = xe[1], f[hi] = fe;
			else
				s[hi][0] = xr[0], s[hi][1] = xr[1], f[hi] = fr;
		}
		else if (fr < f[mid])
			s[hi][0] = xr[0], s[hi][1] = xr[1], f[hi] = fr;
		else
		{
			float8		xc[2];
			float8		fc;

			if (fr < f[hi])
			{
				xc[0] = c[0] + 0.5 * (xr[0] - c[0]);
				xc[1] = c[1] + 0.5 * (xr[1] - c[1]);
			}
			else
			{
				xc[0] = c[0] + 0.5 * (s[hi][0] - c[0]);
				xc[1] = c[1] + 0.5 * (s[hi][1] - c[1]);
			}
			fc = neg_ll(st, xc);
			if (fc < Min(fr, f[hi]))
				s[hi][0] = xc[0], s[hi][1] = xc[1], f[hi] = fc;
			else
			{
				/* shrink towards the best vertex */
				for (int i = 0; i < 3; i++)
				{
					if (i == lo)
						continue;
					s[i][0] = s[lo][0] + 0.5 * (s[i][0] - s[lo][0]);
					s[i][1] = s[lo][1] + 0.5 * (s[i][1] - s[lo][1]);
					f[i] = neg_ll(st, s[i]);
				}
			}
		}
	}
	{
		int			lo = 0;

		for (int i = 1; i < 3; i++)
			if (f[i] < f[lo])
				lo = i;
		x[0] = s[lo][0];
		x[1] = s[lo][1];
	}
	return iter;
}

static Datum
sbg_result(FunctionCallInfo fcinfo, const SbgState *st)
{
	float8		x[2] = {0, 0};
	float8		n = 0,
				nchurn = 0;
	TupleDesc	desc;

	/* custvalue.sbg_estimate */
	static const Oid types[] = {FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, INT4OID};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};

	for (int t = 0; t <= st->horizon; t++)
	{
		n += st->churned[t] + st->alive[t];
		nchurn += st->churned[t];
	}
	if (nchurn == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit: no customer churned, so churn rates cannot be estimated")));
	if (nchurn == n && st->horizon <= 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit: every customer churned in the first period, so the sBG maximum is at the boundary")));

	/* Restart until a restart no longer improves the point. */
	for (int r = 0; r < 10; r++)
	{
		float8		before[2] = {x[0], x[1]};

		nelder_mead(st, x, r == 0 ? 0.5 : 0.05);
		if (fabs(x[0] - before[0]) + fabs(x[1] - before[1]) < 1e-11 && r > 0)
			break;
	}
	if (fabs(x[0]) > SBG_LOG_BOUND || fabs(x[1]) > SBG_LOG_BOUND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit: the maximum-likelihood estimate is at the boundary of the parameter space"),
				 (x[0] > SBG_LOG_BOUND && x[1] > SBG_LOG_BOUND)
				 ? errdetail("The counts show no heterogeneity in churn rates (alpha and beta grow without bound): a geometric model with constant retention fits them as well.")
				 : errdetail("The counts do not determine a finite (alpha, beta).")));

	desc = cv_result_desc(fcinfo, lengthof(types), types);
	values[0] = Float8GetDatum(exp(x[0]));
	values[1] = Float8GetDatum(exp(x[1]));
	values[2] = Float8GetDatum(sbg_loglik(st, exp(x[0]), exp(x[1])));
	values[3] = Float8GetDatum(n);
	values[4] = Int32GetDatum(st->horizon);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* sbg_fit(survivors float8[]): survivors[1] is the cohort at period 0. */
PG_FUNCTION_INFO_V1(sbg_fit_survivors);
Datum
sbg_fit_survivors(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int			n;
	float8	   *s;
	SbgState   *st;

	if (ARR_NDIM(arr) != 1 || (ARR_HASNULL(arr) && array_contains_nulls(arr)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survivors must be a one-dimensional array without NULLs")));
	n = ArrayGetNItems(1, ARR_DIMS(arr));
	if (n < 2 || n > SBG_MAX_PERIODS + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survivors must have between 2 and %d counts, not %d",
						SBG_MAX_PERIODS + 1, n)));
	s = (float8 *) ARR_DATA_PTR(arr);
	st = palloc0(sizeof(SbgState));
	st->horizon = n - 1;
	for (int t = 0; t < n; t++)
	{
		if (!isfinite(s[t]) || s[t] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("survivors[%d] = %g is not a finite count >= 0", t + 1, s[t])));
		if (t > 0 && s[t] > s[t - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("survivors must not increase: survivors[%d] = %g > survivors[%d] = %g",
							t + 1, s[t], t, s[t - 1])));
		if (t > 0)
			st->churned[t] = s[t - 1] - s[t];
	}
	st->alive[n - 1] = s[n - 1];
	return sbg_result(fcinfo, st);
}

/* Aggregate sbg_fit(periods integer, churned boolean). */
PG_FUNCTION_INFO_V1(sbg_fit_trans);
Datum
sbg_fit_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SbgState   *st;
	int32		t;
	bool		churned;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sbg_fit_trans called in non-aggregate context");
	/* No state until the first usable row, so no rows gives NULL. */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	if (PG_ARGISNULL(0))
	{
		st = MemoryContextAllocZero(aggcxt, sizeof(SbgState));
		st->horizon = -1;
	}
	else
		st = (SbgState *) PG_GETARG_POINTER(0);
	t = PG_GETARG_INT32(1);
	churned = PG_GETARG_BOOL(2);
	if (t < (churned ? 1 : 0) || t > SBG_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sbg_fit: periods = %d is out of range", t),
				 errdetail("A churned customer churned in period 1 to %d; one still active has survived 0 to %d periods.",
						   SBG_MAX_PERIODS, SBG_MAX_PERIODS)));
	if (churned)
		st->churned[t] += 1;
	else
		st->alive[t] += 1;
	st->horizon = Max(st->horizon, t);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sbg_fit_combine);
Datum
sbg_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SbgState   *a = PG_ARGISNULL(0) ? NULL : (SbgState *) PG_GETARG_POINTER(0);
	SbgState   *b = PG_ARGISNULL(1) ? NULL : (SbgState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sbg_fit_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = MemoryContextAllocZero(aggcxt, sizeof(SbgState));
		a->horizon = -1;
	}
	for (int t = 0; t <= b->horizon; t++)
	{
		a->churned[t] += b->churned[t];
		a->alive[t] += b->alive[t];
	}
	a->horizon = Max(a->horizon, b->horizon);
	PG_RETURN_POINTER(a);
}

/* Serialized: magic, horizon, then churned[0..h] and alive[0..h]. */
PG_FUNCTION_INFO_V1(sbg_fit_serial);
Datum
sbg_fit_serial(PG_FUNCTION_ARGS)
{
	SbgState   *st = (SbgState *) PG_GETARG_POINTER(0);
	int			h1 = st->horizon + 1;
	Size		bytes = 8 + 2 * sizeof(float8) * h1;
	bytea	   *out = palloc(VARHDRSZ + bytes);
	uint32		magic = SBG_STATE_MAGIC;
	char	   *p = VARDATA(out);

	SET_VARSIZE(out, VARHDRSZ + bytes);
	memcpy(p, &magic, 4);
	memcpy(p + 4, &st->horizon, 4);
	memcpy(p + 8, st->churned, sizeof(float8) * h1);
	memcpy(p + 8 + sizeof(float8) * h1, st->alive, sizeof(float8) * h1);
	PG_RETURN_BYTEA_P(out);
}

static void
bad_state(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid sbg_fit state: %s", why)));
}

static SbgState *
sbg_state_decode(bytea *in)
{
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	uint32		magic;
	int32		horizon;
	SbgState   *st;

	if (len < 8)
		bad_state("too short");
	memcpy(&magic, p, 4);
	memcpy(&horizon, p + 4, 4);
	if (magic != SBG_STATE_MAGIC)
		bad_state("bad magic number");
	if (horizon < -1 || horizon > SBG_MAX_PERIODS)
		bad_state("horizon out of range");
	if (len != 8 + 2 * sizeof(float8) * (horizon + 1))
		bad_state("length does not match the horizon");
	st = palloc0(sizeof(SbgState));
	st->horizon = horizon;
	memcpy(st->churned, p + 8, sizeof(float8) * (horizon + 1));
	memcpy(st->alive, p + 8 + sizeof(float8) * (horizon + 1), sizeof(float8) * (horizon + 1));
	for (int t = 0; t <= horizon; t++)
		if (!isfinite(st->churned[t]) || st->churned[t] < 0 ||
			!isfinite(st->alive[t]) || st->alive[t] < 0 ||
			(t == 0 && st->churned[0] != 0))
			bad_state(psprintf("bad count at period %d", t));
	return st;
}

PG_FUNCTION_INFO_V1(sbg_fit_deserial);
Datum
sbg_fit_deserial(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(sbg_state_decode(PG_GETARG_BYTEA_PP(0)));
}

/* sbg_fit_from_state(bytea): the fit of a state made by sbg_fit_state. */
PG_FUNCTION_INFO_V1(sbg_fit_from_state);
Datum
sbg_fit_from_state(PG_FUNCTION_ARGS)
{
	SbgState   *st = sbg_state_decode(PG_GETARG_BYTEA_PP(0));

	if (st->horizon < 0)
		PG_RETURN_NULL();
	return sbg_result(fcinfo, st);
}

PG_FUNCTION_INFO_V1(sbg_fit_final);
Datum
sbg_fit_final(PG_FUNCTION_ARGS)
{
	SbgState   *st = PG_ARGISNULL(0) ? NULL : (SbgState *) PG_GETARG_POINTER(0);

	if (st == NULL || st->horizon < 0)
		PG_RETURN_NULL();
	return sbg_result(fcinfo, st);
}

static void
check_params(float8 a, float8 b)
{
	if (!(isfinite(a) && a > 0 && isfinite(b) && b > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sBG parameters must be finite and > 0 (alpha = %g, beta = %g)", a, b)));
}

static void
check_period(int32 t, int32 min)
{
	if (t < min || t > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %d is out of range [%d, 1000000]", t, min)));
}

/* S(t): probability a new customer is still active after t periods. */
PG_FUNCTION_INFO_V1(sbg_survival);
Datum
sbg_survival(PG_FUNCTION_ARGS)
{
	float8		a = PG_GETARG_FLOAT8(0);
	float8		b = PG_GETARG_FLOAT8(1);
	int32		t = PG_GETARG_INT32(2);
	float8		logs = 0;

	check_params(a, b);
	check_period(t, 0);
	for (int i = 1; i <= t; i++)
		logs += log(b + i - 1) - log(a + b + i - 1);
	PG_RETURN_FLOAT8(exp(logs));
}

/* r(t): probability a customer active after t - 1 periods renews at t. */
PG_FUNCTION_INFO_V1(sbg_retention);
Datum
sbg_retention(PG_FUNCTION_ARGS)
{
	float8		a = PG_GETARG_FLOAT8(0);
	float8		b = PG_GETARG_FLOAT8(1);
	int32		t = PG_GETARG_INT32(2);

	check_params(a, b);
	check_period(t, 1);
	PG_RETURN_FLOAT8((b + t - 1) / (a + b + t - 1));
}

/*
 * Discounted expected residual lifetime (Fader & Hardie, "Customer-Base
 * Valuation in a Contractual Setting", Marketing Science 29(1), 2010) of a
 * customer who has made `renewals` renewals and faces the next one now:
 *		DERL = sum_{k>=0} P(renews the next k + 1 times) / (1 + d)^k
 *			 = r(n) * 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d)),
 * n = renewals + 1: the expected discounted number of future payments,
 * the first (at the coming renewal) undiscounted.  The series is summed
 * until its tail, bounded by a geometric series of ratio 1 / (1 + d), is
 * below 1e-15 of the sum.
 */
PG_FUNCTION_INFO_V1(sbg_derl);
Datum
sbg_derl(PG_FUNCTION_ARGS)
{
	float8		a = PG_GETARG_FLOAT8(0);
	float8		b = PG_GETARG_FLOAT8(1);
	float8		d = PG_GETARG_FLOAT8(2);
	int32		renewals = PG_GETARG_INT32(3);
	float8		n,
				term,
				sum = 0,
				z;

	check_params(a, b);
	check_period(renewals, 0);
	if (!(isfinite(d) && d >= 1e-6 && d <= 100))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount rate must be in [1e-6, 100], not %g", d),
				 errdetail("Without discounting the expected lifetime is infinite when alpha <= 1.")));
	n = renewals + 1;
	z = 1.0 / (1.0 + d);
	term = (b + n - 1) / (a + b + n - 1);
	for (int64 k = 0;; k++)
	{
		sum += term;
		if (term * z / (1 - z) < 1e-15 * sum)
			break;
		term *= z * (b + n + k) / (a + b + n + k);
		if ((k & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_FLOAT8(sum);
}
