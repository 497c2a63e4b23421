/*
 * churn_eval.c
 *		Evaluation aggregates for churn scores: churn_auc(score, label),
 *		churn_log_loss(probability, label), churn_lift(score, label
 *		[, top_fraction]).
 *
 * All three keep the (score, label) pairs, 9 bytes of payload a row, and
 * compute in the final function after sorting, so ties are handled exactly
 * and the result does not depend on the order rows arrived in: serial and
 * parallel plans give bit-identical answers.
 */
#include "custvalue.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#define EVAL_STATE_MAGIC	0x43564556	/* "CVEV" */
#define LOG_LOSS_EPS		1e-15

typedef struct ScorePoint
{
	float8		score;
	bool		label;
} ScorePoint;

typedef struct EvalState
{
	int64		n;
	int64		cap;
	float8		fraction;		/* churn_lift's top fraction, NaN if unset */
	ScorePoint *pts;
} EvalState;

static EvalState *
eval_state_new(MemoryContext cxt)
{
	EvalState  *st = MemoryContextAllocZero(cxt, sizeof(EvalState));

	st->fraction = get_float8_nan();
	return st;
}

static void
eval_state_reserve(EvalState *st, MemoryContext cxt, int64 extra)
{
	int64		need = st->n + extra;
	int64		newcap;

	if (need <= st->cap)
		return;
	newcap = Max(need, Max(st->cap * 2, 256));
	if ((Size) newcap > MaxAllocHugeSize / sizeof(ScorePoint))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for a churn evaluation aggregate")));
	if (st->pts == NULL)
		st->pts = MemoryContextAllocHuge(cxt, sizeof(ScorePoint) * newcap);
	else
		st->pts = repalloc_huge(st->pts, sizeof(ScorePoint) * newcap);
	st->cap = newcap;
}

static void
set_fraction(EvalState *st, float8 fraction)
{
	if (isnan(st->fraction))
		st->fraction = fraction;
	else if (st->fraction != fraction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_lift: top_fraction must be the same for every row")));
}

/*
 * Transition for all three aggregates; rows with a NULL score or label are
 * skipped.  is_probability: scores must lie in [0, 1].
 */
static Datum
eval_trans(FunctionCallInfo fcinfo, bool is_probability)
{
	MemoryContext aggcxt;
	EvalState  *st;
	float8		score;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "churn evaluation transition called in non-aggregate context");
	st = PG_ARGISNULL(0) ? eval_state_new(aggcxt) : (EvalState *) PG_GETARG_POINTER(0);
	if (PG_NARGS() > 3)
	{
		float8		fraction;

		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("churn_lift: top_fraction must not be NULL")));
		fraction = PG_GETARG_FLOAT8(3);
		if (!(fraction > 0 && fraction <= 1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_lift: top_fraction must be in (0, 1], not %g", fraction)));
		set_fraction(st, fraction);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	score = PG_GETARG_FLOAT8(1);
	if (isnan(score))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn score must not be NaN")));
	if (is_probability && !(score >= 0 && score <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_log_loss: probability %g is outside [0, 1]", score)));
	eval_state_reserve(st, aggcxt, 1);
	st->pts[st->n].score = score;
	st->pts[st->n].label = PG_GETARG_BOOL(2);
	st->n++;
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(churn_eval_trans);
Datum
churn_eval_trans(PG_FUNCTION_ARGS)
{
	return eval_trans(fcinfo, false);
}

PG_FUNCTION_INFO_V1(churn_eval_prob_trans);
Datum
churn_eval_prob_trans(PG_FUNCTION_ARGS)
{
	return eval_trans(fcinfo, true);
}

PG_FUNCTION_INFO_V1(churn_eval_combine);
Datum
churn_eval_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EvalState  *a = PG_ARGISNULL(0) ? NULL : (EvalState *) PG_GETARG_POINTER(0);
	EvalState  *b = PG_ARGISNULL(1) ? NULL : (EvalState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "churn_eval_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = eval_state_new(aggcxt);
	if (!isnan(b->fraction))
		set_fraction(a, b->fraction);
	eval_state_reserve(a, aggcxt, b->n);
	if (b->n > 0)
		memcpy(a->pts + a->n, b->pts, sizeof(ScorePoint) * b->n);
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

/* Serialized: magic, fraction, n, n scores, n label bytes. */
typedef struct EvalStateHeader
{
	uint32		magic;
	float8		fraction;
	int64		n;
} EvalStateHeader;

PG_FUNCTION_INFO_V1(churn_eval_serial);
Datum
churn_eval_serial(PG_FUNCTION_ARGS)
{
	EvalState  *st = (EvalState *) PG_GETARG_POINTER(0);
	EvalStateHeader hdr;
	Size		bytes;
	bytea	   *out;
	char	   *p;

	if ((Size) st->n > (MaxAllocSize - VARHDRSZ - sizeof(hdr)) / 9)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("churn evaluation: partial state too large to pass between parallel workers"),
				 errhint("SET max_parallel_workers_per_gather = 0 for this query.")));
	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = EVAL_STATE_MAGIC;
	hdr.fraction = st->fraction;
	hdr.n = st->n;
	bytes = sizeof(hdr) + 9 * st->n;
	out = palloc(VARHDRSZ + bytes);
	SET_VARSIZE(out, VARHDRSZ + bytes);
	p = VARDATA(out);
	memcpy(p, &hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (int64 i = 0; i < st->n; i++)
	{
		memcpy(p, &st->pts[i].score, sizeof(float8));
		p += sizeof(float8);
	}
	for (int64 i = 0; i < st->n; i++)
		*p++ = st->pts[i].label ? 1 : 0;
	PG_RETURN_BYTEA_P(out);
}

static void
bad_state(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid churn evaluation state: %s", why)));
}

PG_FUNCTION_INFO_V1(churn_eval_deserial);
Datum
churn_eval_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *in;
	const char *data;
	Size		len;
	EvalStateHeader hdr;
	EvalState  *st;
	const char *scores;
	const char *labels;

	/* Not strict, so tests can feed it garbage from SQL. */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	in = PG_GETARG_BYTEA_PP(0);
	data = VARDATA_ANY(in);
	len = VARSIZE_ANY_EXHDR(in);

	if (len < sizeof(hdr))
		bad_state("too short");
	memcpy(&hdr, data, sizeof(hdr));
	if (hdr.magic != EVAL_STATE_MAGIC)
		bad_state("bad magic number");
	if (!isnan(hdr.fraction) && !(hdr.fraction > 0 && hdr.fraction <= 1))
		bad_state("top fraction out of range");
	if (hdr.n < 0 || (Size) hdr.n > (len - sizeof(hdr)) / 9 ||
		len - sizeof(hdr) != 9 * (Size) hdr.n)
		bad_state("length does not match the row count");
	st = eval_state_new(CurrentMemoryContext);
	st->fraction = hdr.fraction;
	eval_state_reserve(st, CurrentMemoryContext, hdr.n);
	scores = data + sizeof(hdr);
	labels = scores + sizeof(float8) * hdr.n;
	for (int64 i = 0; i < hdr.n; i++)
	{
		memcpy(&st->pts[i].score, scores + sizeof(float8) * i, sizeof(float8));
		if (isnan(st->pts[i].score))
			bad_state("score is NaN");
		if (labels[i] != 0 && labels[i] != 1)
			bad_state("label is not 0 or 1");
		st->pts[i].label = labels[i];
	}
	st->n = hdr.n;
	PG_RETURN_POINTER(st);
}

/* Descending score, then label, so the order is total. */
static int
point_cmp_desc(const void *a, const void *b)
{
	const ScorePoint *x = a;
	const ScorePoint *y = b;

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	return (int) x->label - (int) y->label;
}

static EvalState *
sorted_state(FunctionCallInfo fcinfo)
{
	EvalState  *st = PG_ARGISNULL(0) ? NULL : (EvalState *) PG_GETARG_POINTER(0);

	if (st == NULL || st->n == 0)
		return NULL;
	qsort(st->pts, st->n, sizeof(ScorePoint), point_cmp_desc);
	return st;
}

/*
 * Area under the ROC curve: the probability that a random churner scores
 * above a random non-churner, ties counting one half (Mann-Whitney).  NULL
 * when either class is absent.
 */
PG_FUNCTION_INFO_V1(churn_auc_final);
Datum
churn_auc_final(PG_FUNCTION_ARGS)
{
	EvalState  *st = sorted_state(fcinfo);
	float8		pairs = 0;		/* (pos, neg) pairs ordered correctly */
	int64		pos_above = 0;
	int64		npos = 0;
	int64		i = 0;

	if (st == NULL)
		PG_RETURN_NULL();
	while (i < st->n)
	{
		int64		gpos = 0,
					gneg = 0;
		int64		j = i;

		while (j < st->n && st->pts[j].score == st->pts[i].score)
		{
			if (st->pts[j].label)
				gpos++;
			else
				gneg++;
			j++;
		}
		/* each negative here is beaten by every positive above it */
		pairs += (float8) gneg * pos_above + 0.5 * (float8) gneg * gpos;
		pos_above += gpos;
		npos += gpos;
		i = j;
	}
	if (npos == 0 || npos == st->n)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pairs / ((float8) npos * (float8) (st->n - npos)));
}

/*
 * Mean negative log-likelihood of the labels under the probabilities;
 * probabilities are clipped to [1e-15, 1 - 1e-15] so a confident mistake
 * costs about 34.5 rather than infinity.  Summed in sorted order.
 */
PG_FUNCTION_INFO_V1(churn_log_loss_final);
Datum
churn_log_loss_final(PG_FUNCTION_ARGS)
{
	EvalState  *st = sorted_state(fcinfo);
	float8		sum = 0;

	if (st == NULL)
		PG_RETURN_NULL();
	for (int64 i = 0; i < st->n; i++)
	{
		float8		p = Min(Max(st->pts[i].score, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);

		sum -= st->pts[i].label ? log(p) : log1p(-p);
	}
	PG_RETURN_FLOAT8(sum / st->n);
}

/*
 * Lift in the top fraction (default 0.1, the top decile): the churn rate
 * among the fraction * n highest scores divided by the overall churn rate.
 * fraction * n need not be whole, and a group of tied scores that straddles
 * the cut counts in proportion, so the answer does not depend on how ties
 * happen to be ordered.  NULL when there are no churners.
 */
PG_FUNCTION_INFO_V1(churn_lift_final);
Datum
churn_lift_final(PG_FUNCTION_ARGS)
{
	EvalState  *st = sorted_state(fcinfo);
	float8		fraction;
	float8		cut;
	float8		taken = 0;
	float8		pos_taken = 0;
	int64		npos = 0;
	int64		i = 0;

	if (st == NULL)
		PG_RETURN_NULL();
	fraction = isnan(st->fraction) ? 0.1 : st->fraction;
	cut = fraction * st->n;
	for (int64 r = 0; r < st->n; r++)
		npos += st->pts[r].label;
	if (npos == 0)
		PG_RETURN_NULL();
	while (i < st->n && taken < cut)
	{
		int64		gpos = 0;
		int64		j = i;
		float8		share;

		while (j < st->n && st->pts[j].score == st->pts[i].score)
			gpos += st->pts[j++].label;
		share = Min(1.0, (cut - taken) / (float8) (j - i));
		taken += share * (j - i);
		pos_taken += share * gpos;
		i = j;
	}
	PG_RETURN_FLOAT8((pos_taken / cut) / ((float8) npos / st->n));
}
