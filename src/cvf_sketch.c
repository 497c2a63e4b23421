/*
 * cvf_sketch.c
 *		The population sketch behind custvalue.cvf_scale(): a fixed-bin
 *		histogram per CVF dimension (layout and accuracy in cvf.h), with the
 *		aggregate's transition, combine and final functions, and its sparse
 *		serial form (custvalue.cvf_scale_state, cvf_scale_from_state).
 */
#include "custvalue.h"

#include <math.h>

#include "cvf.h"
#include "flat_state.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
#include "utils/float.h"

const char *const cvf_dim_names[CVF_NDIMS] = {
	[CVF_REVENUE] = "revenue",
	[CVF_TENURE] = "tenure",
	[CVF_CREDIT] = "credit_risk",
	[CVF_TARIFF] = "tariff",
	[CVF_BUNDLES] = "bundles",
};

const int	cvf_levels[CVF_NLEVELS] = {50, 75, 90, 95, 99};

/* Serialised state: magic, then per dimension n, min, max, nnz, pairs. */
#define CVF_STATE_MAGIC		0x43564631	/* "CVF1" */
#define CVF_DIM_HEADER		(sizeof(int64) + 2 * sizeof(double) + sizeof(int32))
#define CVF_PAIR_SIZE		(sizeof(int32) + sizeof(int64))

/*
 * The bin of a finite v >= 0.  frexp() and the mantissa arithmetic are
 * exact, so the bin depends only on v, never on rounding.
 */
int
cvf_bin_of(double v)
{
	int			e;
	double		f;

	if (v < ldexp(1.0, CVF_EXP_MIN))
		return 0;
	if (v >= ldexp(1.0, CVF_EXP_MAX))
		return CVF_NBINS - 1;
	f = frexp(v, &e);			/* v = f * 2^e, 0.5 <= f < 1 */
	e--;						/* v = (2f) * 2^e, 1 <= 2f < 2 */
	return 1 + (e - CVF_EXP_MIN) * CVF_SUBBINS +
		(int) ((2.0 * f - 1.0) * CVF_SUBBINS);
}

/* The lowest value of a bin. */
double
cvf_bin_lower(int bin)
{
	int			j;

	Assert(bin >= 0 && bin < CVF_NBINS);
	if (bin == 0)
		return 0.0;
	if (bin == CVF_NBINS - 1)
		return ldexp(1.0, CVF_EXP_MAX);
	j = bin - 1;
	return ldexp((double) (CVF_SUBBINS + j % CVF_SUBBINS),
				 CVF_EXP_MIN + j / CVF_SUBBINS - CVF_SUBBINS_LOG2);
}

/*
 * The pct-th percentile of one dimension: the value of rank
 * k = ceil(pct * n / 100) (the inverse of the empirical distribution
 * function), as the lower edge of its bin clamped to [min, max] (exactly
 * the maximum when k = n).  k is
 * computed in integers so it never depends on how 0.95 rounds in binary.
 */
static double
sketch_quantile(const CvfSketchDim *d, int pct)
{
	int64		k;
	int64		cum = 0;
	int			bin;

	Assert(d->n > 0);
	/* n <= 2^62 is guaranteed by validation; (n / 100) * pct cannot overflow */
	k = (d->n / 100) * pct + ((d->n % 100) * pct + 99) / 100;
	if (k < 1)
		k = 1;
	if (k >= d->n)				/* the largest value is known exactly */
		return d->max;
	for (bin = 0; bin < CVF_NBINS; bin++)
	{
		cum += d->counts[bin];
		if (cum >= k)
			break;
	}
	if (bin == CVF_NBINS)		/* cannot happen: counts sum to n */
		bin = CVF_NBINS - 1;
	return Min(Max(cvf_bin_lower(bin), d->min), d->max);
}

void
cvf_sketch_to_scale(const CvfSketch *sketch, CvfScale *scale)
{
	int			i,
				l;

	memset(scale, 0, sizeof(CvfScale));
	for (i = 0; i < CVF_NDIMS; i++)
	{
		const CvfSketchDim *d = &sketch->dim[i];
		CvfScaleDim *s = &scale->dim[i];

		s->n = d->n;
		if (d->n == 0)
			continue;
		s->min = d->min;
		s->max = d->max;
		for (l = 0; l < CVF_NLEVELS; l++)
			s->q[l] = sketch_quantile(d, cvf_levels[l]);
	}
}

/*
 * The aggregate's state is the dense sketch in a bytea (flat_state.h), so
 * Citus can split the aggregate between its workers and the coordinator;
 * a worker's sketch travels as the bytea's text form.
 */
#define CVF_DENSE_TAG		0x44465643	/* "CVFD" */

static CvfSketch *
sketch_arg(FunctionCallInfo fcinfo, int argno, bool writable, bytea **state)
{
	*state = cv_flat_arg(fcinfo, argno, CVF_DENSE_TAG, sizeof(CvfSketch),
						 writable, "custvalue.cvf_scale");
	return *state ? (CvfSketch *) CV_FLAT_DATA(*state) : NULL;
}

static void bad_state(const char *detail);

/*
 * Every invariant the other functions rely on, for a dense sketch from
 * anywhere (a worker's text, a user's bytea): counts non-negative and
 * adding up to n, min and max finite, ordered and falling into the first
 * and last non-empty bins; an empty dimension has min = max = 0.
 */
static void
sketch_check(const CvfSketch *state)
{
	for (int i = 0; i < CVF_NDIMS; i++)
	{
		const CvfSketchDim *d = &state->dim[i];
		int64		sum = 0;
		int			first = -1,
					last = -1;

		if (d->n < 0 || d->n > (INT64CONST(1) << 62))
			bad_state("A count is out of range.");
		for (int b = 0; b < CVF_NBINS; b++)
		{
			if (d->counts[b] == 0)
				continue;
			if (d->counts[b] < 0 || d->counts[b] > d->n - sum)
				bad_state("Bin counts do not add up to the number of values.");
			sum += d->counts[b];
			if (first < 0)
				first = b;
			last = b;
		}
		if (sum != d->n)
			bad_state("Bin counts do not add up to the number of values.");
		if (d->n == 0)
		{
			if (d->min != 0 || d->max != 0)
				bad_state("An empty dimension has a minimum or maximum.");
			continue;
		}
		if (isnan(d->min) || isnan(d->max) || isinf(d->min) || isinf(d->max) ||
			d->min < 0 || d->min > d->max)
			bad_state("Minimum and maximum are not finite, non-negative and ordered.");
		if (cvf_bin_of(d->min) != first || cvf_bin_of(d->max) != last)
			bad_state("Minimum and maximum do not match the bins.");
	}
}

/*
 * Transition: one customer's five dimension values, any of them NULL (that
 * dimension then skips the row, as avg() does).  Every dimension is a
 * non-negative quantity; anything else is an error, not a silent skip.
 */
PG_FUNCTION_INFO_V1(cvf_scale_accum);
Datum
cvf_scale_accum(PG_FUNCTION_ARGS)
{
	bytea	   *result;
	CvfSketch  *state = sketch_arg(fcinfo, 0, true, &result);
	int			i;

	if (state == NULL)
	{
		/* no state before a row with a value: all-NULL input gives NULL */
		for (i = 0; i < CVF_NDIMS; i++)
			if (!PG_ARGISNULL(i + 1))
				break;
		if (i == CVF_NDIMS)
			PG_RETURN_NULL();
		result = cv_flat_new(cv_flat_agg_context(fcinfo, "custvalue.cvf_scale"),
							 CVF_DENSE_TAG, sizeof(CvfSketch));
		state = CV_FLAT_DATA(result);
	}

	for (i = 0; i < CVF_NDIMS; i++)
	{
		CvfSketchDim *d = &state->dim[i];
		double		v;

		if (PG_ARGISNULL(i + 1))
			continue;
		v = PG_GETARG_FLOAT8(i + 1);
		if (isnan(v) || isinf(v) || v < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("CVF dimension %s must be a finite non-negative number, not %s",
							cvf_dim_names[i], float8out_internal(v))));
		if (v == 0)
			v = 0;				/* fold -0 into 0 */
		if (d->n == 0)
			d->min = d->max = v;
		else
		{
			d->min = Min(d->min, v);
			d->max = Max(d->max, v);
		}
		d->n++;
		d->counts[cvf_bin_of(v)]++;
	}
	PG_RETURN_BYTEA_P(result);
}

static void
sketch_merge(CvfSketch *into, const CvfSketch *from)
{
	int			i,
				b;

	for (i = 0; i < CVF_NDIMS; i++)
	{
		CvfSketchDim *a = &into->dim[i];
		const CvfSketchDim *f = &from->dim[i];

		if (f->n == 0)
			continue;
		if (a->n == 0)
		{
			a->min = f->min;
			a->max = f->max;
		}
		else
		{
			a->min = Min(a->min, f->min);
			a->max = Max(a->max, f->max);
		}
		a->n += f->n;
		for (b = 0; b < CVF_NBINS; b++)
			a->counts[b] += f->counts[b];
	}
}

PG_FUNCTION_INFO_V1(cvf_scale_combine);
Datum
cvf_scale_combine(PG_FUNCTION_ARGS)
{
	bytea	   *state_bytes,
			   *other_bytes;
	CvfSketch  *state = sketch_arg(fcinfo, 0, true, &state_bytes);
	CvfSketch  *other = sketch_arg(fcinfo, 1, false, &other_bytes);

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(state_bytes);
	}
	sketch_check(other);
	/* other may live in a short-lived context: copy, never adopt */
	if (state == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, other_bytes, "custvalue.cvf_scale"));
	sketch_merge(state, other);
	PG_RETURN_BYTEA_P(state_bytes);
}

/*
 * Serial form, the result of custvalue.cvf_scale_state(): only the
 * non-empty bins, as (bin, count) pairs, a few hundred bytes instead of the
 * 51 kB of the dense sketch.  Network byte order, so that crafted test
 * states are portable.
 */
static char *
put32(char *p, uint32 v)
{
	v = pg_hton32(v);
	memcpy(p, &v, sizeof(v));
	return p + sizeof(v);
}

static char *
put64(char *p, uint64 v)
{
	v = pg_hton64(v);
	memcpy(p, &v, sizeof(v));
	return p + sizeof(v);
}

static char *
put_double(char *p, double d)
{
	uint64		v;

	memcpy(&v, &d, sizeof(v));
	return put64(p, v);
}

PG_FUNCTION_INFO_V1(cvf_scale_serialize);
Datum
cvf_scale_serialize(PG_FUNCTION_ARGS)
{
	bytea	   *state_bytes;
	CvfSketch  *state = sketch_arg(fcinfo, 0, false, &state_bytes);
	Size		len = VARHDRSZ + sizeof(uint32);
	bytea	   *result;
	char	   *p;
	int			i,
				b;

	if (state == NULL)
		PG_RETURN_NULL();
	sketch_check(state);
	for (i = 0; i < CVF_NDIMS; i++)
	{
		len += CVF_DIM_HEADER;
		for (b = 0; b < CVF_NBINS; b++)
			if (state->dim[i].counts[b] != 0)
				len += CVF_PAIR_SIZE;
	}
	result = palloc(len);
	SET_VARSIZE(result, len);
	p = VARDATA(result);

	p = put32(p, CVF_STATE_MAGIC);
	for (i = 0; i < CVF_NDIMS; i++)
	{
		const CvfSketchDim *d = &state->dim[i];
		uint32		nnz = 0;

		for (b = 0; b < CVF_NBINS; b++)
			nnz += (d->counts[b] != 0);
		p = put64(p, (uint64) d->n);
		p = put_double(p, d->min);
		p = put_double(p, d->max);
		p = put32(p, nnz);
		for (b = 0; b < CVF_NBINS; b++)
		{
			if (d->counts[b] == 0)
				continue;
			p = put32(p, (uint32) b);
			p = put64(p, (uint64) d->counts[b]);
		}
	}
	Assert(p == (char *) result + len);
	PG_RETURN_BYTEA_P(result);
}

typedef struct Reader
{
	const char *p;
	const char *end;
} Reader;

static void
bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid custvalue.cvf_scale aggregate state"),
			 errdetail("%s", detail)));
}

static void
read_bytes(Reader *r, void *dst, Size n)
{
	if (r->end - r->p < (ptrdiff_t) n)
		bad_state("The state ends early.");
	memcpy(dst, r->p, n);
	r->p += n;
}

static uint32
get32(Reader *r)
{
	uint32		v;

	read_bytes(r, &v, sizeof(v));
	return pg_ntoh32(v);
}

static uint64
get64(Reader *r)
{
	uint64		v;

	read_bytes(r, &v, sizeof(v));
	return pg_ntoh64(v);
}

static double
get_double(Reader *r)
{
	uint64		v = get64(r);
	double		d;

	memcpy(&d, &v, sizeof(d));
	return d;
}

/*
 * Rebuild a sketch from its serial form, trusting nothing: it can be called
 * (through cvf_scale_from_state) with any bytes at all.  Every invariant
 * the other functions rely on is checked: known magic, bins in range and
 * strictly increasing, positive counts adding up to n, min and max finite,
 * ordered and falling into the first and last non-empty bins, no trailing
 * bytes.
 */
static CvfSketch *
sketch_deserialize(bytea *bytes)
{
	Reader		r;
	CvfSketch  *state = palloc0(sizeof(CvfSketch));
	uint32		magic;
	int			i;

	r.p = VARDATA_ANY(bytes);
	r.end = r.p + VARSIZE_ANY_EXHDR(bytes);

	magic = get32(&r);
	if (magic != CVF_STATE_MAGIC)
		bad_state("Unknown format marker.");
	for (i = 0; i < CVF_NDIMS; i++)
	{
		CvfSketchDim *d = &state->dim[i];
		int32		nnz,
					j;
		int32		prev = -1;
		int32		first = -1;
		int64		sum = 0;

		d->n = (int64) get64(&r);
		d->min = get_double(&r);
		d->max = get_double(&r);
		nnz = (int32) get32(&r);
		if (d->n < 0 || d->n > (INT64CONST(1) << 62))
			bad_state("A count is out of range.");
		if (nnz < 0 || nnz > CVF_NBINS || nnz > d->n)
			bad_state("The number of bins is out of range.");
		/* also rejects an nnz that promises more pairs than there are bytes */
		if ((r.end - r.p) / (ptrdiff_t) CVF_PAIR_SIZE < nnz)
			bad_state("The state ends early.");
		for (j = 0; j < nnz; j++)
		{
			int32		bin;
			int64		count;

			bin = (int32) get32(&r);
			count = (int64) get64(&r);
			if (bin <= prev || bin >= CVF_NBINS)
				bad_state("Bins are out of range or out of order.");
			if (count <= 0 || count > d->n - sum)
				bad_state("Bin counts do not add up to the number of values.");
			d->counts[bin] = count;
			sum += count;
			if (first < 0)
				first = bin;
			prev = bin;
		}
		if (sum != d->n)
			bad_state("Bin counts do not add up to the number of values.");
		if (d->n == 0)
		{
			if (d->min != 0 || d->max != 0)
				bad_state("An empty dimension has a minimum or maximum.");
			continue;
		}
		if (isnan(d->min) || isnan(d->max) || isinf(d->min) || isinf(d->max) ||
			d->min < 0 || d->min > d->max)
			bad_state("Minimum and maximum are not finite, non-negative and ordered.");
		if (cvf_bin_of(d->min) != first || cvf_bin_of(d->max) != prev)
			bad_state("Minimum and maximum do not match the bins.");
		if (d->min == 0)
			d->min = 0;			/* fold -0 */
	}
	if (r.p != r.end)
		bad_state("Trailing bytes after the state.");
	return state;
}

/*
 * 1.2's catalog: its serial function is cvf_scale_serialize (the sparse
 * form, as in 1.3's cvf_scale_state), so its deserial function rebuilds the
 * dense bytea state from that (flat_state.h).
 */
PG_FUNCTION_INFO_V1(cvf_scale_deserialize);
Datum
cvf_scale_deserialize(PG_FUNCTION_ARGS)
{
	CvfSketch  *sketch = sketch_deserialize(PG_GETARG_BYTEA_PP(0));
	bytea	   *state = cv_flat_new(CurrentMemoryContext, CVF_DENSE_TAG, sizeof(CvfSketch));

	memcpy(CV_FLAT_DATA(state), sketch, sizeof(CvfSketch));
	pfree(sketch);
	PG_RETURN_BYTEA_P(state);
}

PG_FUNCTION_INFO_V1(cvf_scale_final);
Datum
cvf_scale_final(PG_FUNCTION_ARGS)
{
	bytea	   *state_bytes;
	CvfSketch  *state = sketch_arg(fcinfo, 0, false, &state_bytes);
	CvfScale   *scale;

	if (state == NULL)
		PG_RETURN_NULL();
	sketch_check(state);
	scale = palloc(sizeof(CvfScale));
	cvf_sketch_to_scale(state, scale);
	PG_RETURN_CVFSCALE_P(scale);
}

/*
 * custvalue.cvf_scale_from_state(bytea): the scale a serialised state
 * stands for.  Lets tests (and the fuzzing helper) drive the deserialiser
 * with arbitrary bytes from SQL.
 */
PG_FUNCTION_INFO_V1(cvf_scale_from_state);
Datum
cvf_scale_from_state(PG_FUNCTION_ARGS)
{
	CvfSketch  *state = sketch_deserialize(PG_GETARG_BYTEA_PP(0));
	CvfScale   *scale = palloc(sizeof(CvfScale));

	cvf_sketch_to_scale(state, scale);
	pfree(state);
	PG_RETURN_CVFSCALE_P(scale);
}
