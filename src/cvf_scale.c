/*
 * cvf_scale.c
 *		The type custvalue.cvf_scale: a population's scale for the five CVF
 *		dimensions (count, minimum, 50/75/90/95/99th percentiles, maximum),
 *		with text and binary I/O and a tabular view of it.
 *
 * Text form, one group per dimension in a fixed order:
 *   revenue(n=4, min=0, p50=2, p75=3, p90=5, p95=5, p99=5, max=5), tenure(n=0), ...
 * An empty dimension (no non-NULL values) is written as name(n=0).
 */
#include "custvalue.h"

#include <math.h>

#include "cvf.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"

static const char *const level_keys[CVF_NLEVELS] = {"p50", "p75", "p90", "p95", "p99"};

/*
 * Everything the scoring function relies on: counts non-negative, values
 * finite and non-negative, ordered min <= p50 <= ... <= p99 <= max, and an
 * empty dimension all zeros.  Input from text or binary is checked with it.
 */
void
cvf_scale_validate(const CvfScale *scale, int errcode_on_error)
{
	int			i,
				l;

	for (i = 0; i < CVF_NDIMS; i++)
	{
		const CvfScaleDim *d = &scale->dim[i];
		double		prev;

		if (d->n < 0)
			ereport(ERROR,
					(errcode(errcode_on_error),
					 errmsg("invalid custvalue.cvf_scale: %s has a negative count",
							cvf_dim_names[i])));
		if (d->n == 0)
		{
			bool		zero = d->min == 0 && d->max == 0;

			for (l = 0; l < CVF_NLEVELS; l++)
				zero = zero && d->q[l] == 0;
			if (!zero)
				ereport(ERROR,
						(errcode(errcode_on_error),
						 errmsg("invalid custvalue.cvf_scale: %s has no values but has quantiles",
								cvf_dim_names[i])));
			continue;
		}
		prev = d->min;
		if (isnan(prev) || isinf(prev) || prev < 0)
			ereport(ERROR,
					(errcode(errcode_on_error),
					 errmsg("invalid custvalue.cvf_scale: %s minimum must be finite and non-negative",
							cvf_dim_names[i])));
		for (l = 0; l <= CVF_NLEVELS; l++)
		{
			double		v = l < CVF_NLEVELS ? d->q[l] : d->max;

			/* !(v >= prev) also catches NaN */
			if (!(v >= prev) || isinf(v))
				ereport(ERROR,
						(errcode(errcode_on_error),
						 errmsg("invalid custvalue.cvf_scale: %s quantiles must be finite and ordered min <= p50 <= p75 <= p90 <= p95 <= p99 <= max",
								cvf_dim_names[i])));
			prev = v;
		}
	}
}

/* --- text input ------------------------------------------------------- */

typedef struct Parser
{
	char	   *p;
	const char *orig;
} Parser;

static void
syntax_error(Parser *ps, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type custvalue.cvf_scale: \"%s\"", ps->orig),
			 errdetail("Expected %s at character %d.", expected,
					   (int) (ps->p - ps->orig) + 1)));
}

static void
skip_ws(Parser *ps)
{
	while (*ps->p && isspace((unsigned char) *ps->p))
		ps->p++;
}

static void
expect(Parser *ps, const char *token)
{
	size_t		len = strlen(token);

	skip_ws(ps);
	if (strncmp(ps->p, token, len) != 0)
	{
		char	   *what = psprintf("\"%s\"", token);

		syntax_error(ps, what);
	}
	ps->p += len;
}

static int64
parse_count(Parser *ps)
{
	int64		v = 0;

	skip_ws(ps);
	if (!isdigit((unsigned char) *ps->p))
		syntax_error(ps, "a count");
	while (isdigit((unsigned char) *ps->p))
	{
		int			digit = *ps->p - '0';

		if (v > (PG_INT64_MAX - digit) / 10)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("count out of range in custvalue.cvf_scale: \"%s\"", ps->orig)));
		v = v * 10 + digit;
		ps->p++;
	}
	return v;
}

static double
parse_value(Parser *ps)
{
	char	   *end;
	double		v;

	skip_ws(ps);
	/* float8in_internal stops at the first character that is not part of the number */
	v = cv_float8in(ps->p, &end, "custvalue.cvf_scale", ps->orig);
	ps->p = end;
	return v;
}

PG_FUNCTION_INFO_V1(cvf_scale_in);
Datum
cvf_scale_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CvfScale   *scale = palloc0(sizeof(CvfScale));
	Parser		ps = {str, str};
	int			i,
				l;

	for (i = 0; i < CVF_NDIMS; i++)
	{
		CvfScaleDim *d = &scale->dim[i];

		if (i > 0)
			expect(&ps, ",");
		expect(&ps, cvf_dim_names[i]);
		expect(&ps, "(");
		expect(&ps, "n");
		expect(&ps, "=");
		d->n = parse_count(&ps);
		if (d->n > 0)
		{
			expect(&ps, ",");
			expect(&ps, "min");
			expect(&ps, "=");
			d->min = parse_value(&ps);
			for (l = 0; l < CVF_NLEVELS; l++)
			{
				expect(&ps, ",");
				expect(&ps, level_keys[l]);
				expect(&ps, "=");
				d->q[l] = parse_value(&ps);
			}
			expect(&ps, ",");
			expect(&ps, "max");
			expect(&ps, "=");
			d->max = parse_value(&ps);
		}
		expect(&ps, ")");
	}
	skip_ws(&ps);
	if (*ps.p != '\0')
		syntax_error(&ps, "end of input");
	cvf_scale_validate(scale, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_CVFSCALE_P(scale);
}

PG_FUNCTION_INFO_V1(cvf_scale_out);
Datum
cvf_scale_out(PG_FUNCTION_ARGS)
{
	CvfScale   *scale = PG_GETARG_CVFSCALE_P(0);
	StringInfoData buf;
	int			i,
				l;

	initStringInfo(&buf);
	for (i = 0; i < CVF_NDIMS; i++)
	{
		const CvfScaleDim *d = &scale->dim[i];

		appendStringInfo(&buf, "%s%s(n=" INT64_FORMAT,
						 i > 0 ? ", " : "", cvf_dim_names[i], d->n);
		if (d->n > 0)
		{
			appendStringInfo(&buf, ", min=%s", float8out_internal(d->min));
			for (l = 0; l < CVF_NLEVELS; l++)
				appendStringInfo(&buf, ", %s=%s", level_keys[l],
								 float8out_internal(d->q[l]));
			appendStringInfo(&buf, ", max=%s", float8out_internal(d->max));
		}
		appendStringInfoChar(&buf, ')');
	}
	PG_RETURN_CSTRING(buf.data);
}

/* --- binary I/O: per dimension int8 n, then 7 float8 --------------------- */

PG_FUNCTION_INFO_V1(cvf_scale_recv);
Datum
cvf_scale_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CvfScale   *scale = palloc0(sizeof(CvfScale));
	int			i,
				l;

	if (buf->len - buf->cursor != CVF_NDIMS * (int) sizeof(CvfScaleDim))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary custvalue.cvf_scale: %d bytes, expected %d",
						buf->len - buf->cursor, CVF_NDIMS * (int) sizeof(CvfScaleDim))));
	for (i = 0; i < CVF_NDIMS; i++)
	{
		CvfScaleDim *d = &scale->dim[i];

		d->n = pq_getmsgint64(buf);
		d->min = pq_getmsgfloat8(buf);
		for (l = 0; l < CVF_NLEVELS; l++)
			d->q[l] = pq_getmsgfloat8(buf);
		d->max = pq_getmsgfloat8(buf);
	}
	cvf_scale_validate(scale, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_CVFSCALE_P(scale);
}

PG_FUNCTION_INFO_V1(cvf_scale_send);
Datum
cvf_scale_send(PG_FUNCTION_ARGS)
{
	CvfScale   *scale = PG_GETARG_CVFSCALE_P(0);
	StringInfoData buf;
	int			i,
				l;

	pq_begintypsend(&buf);
	for (i = 0; i < CVF_NDIMS; i++)
	{
		const CvfScaleDim *d = &scale->dim[i];

		pq_sendint64(&buf, d->n);
		pq_sendfloat8(&buf, d->min);
		for (l = 0; l < CVF_NLEVELS; l++)
			pq_sendfloat8(&buf, d->q[l]);
		pq_sendfloat8(&buf, d->max);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * custvalue.cvf_scale_summary(scale): one row per dimension, for people and
 * BI tools.  Quantiles of an empty dimension are NULL.
 */
PG_FUNCTION_INFO_V1(cvf_scale_summary);
Datum
cvf_scale_summary(PG_FUNCTION_ARGS)
{
	CvfScale   *scale = PG_GETARG_CVFSCALE_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i,
				l;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < CVF_NDIMS; i++)
	{
		const CvfScaleDim *d = &scale->dim[i];
		Datum		values[3 + CVF_NLEVELS + 1];
		bool		nulls[3 + CVF_NLEVELS + 1];
		bool		empty = d->n == 0;

		values[0] = CStringGetTextDatum(cvf_dim_names[i]);
		values[1] = Int64GetDatum(d->n);
		values[2] = Float8GetDatum(d->min);
		for (l = 0; l < CVF_NLEVELS; l++)
			values[3 + l] = Float8GetDatum(d->q[l]);
		values[3 + CVF_NLEVELS] = Float8GetDatum(d->max);
		nulls[0] = nulls[1] = false;
		for (l = 2; l < 3 + CVF_NLEVELS + 1; l++)
			nulls[l] = empty;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* Equality, so scales can be compared in tests and in DISTINCT. */
PG_FUNCTION_INFO_V1(cvf_scale_eq);
Datum
cvf_scale_eq(PG_FUNCTION_ARGS)
{
	CvfScale   *a = PG_GETARG_CVFSCALE_P(0);
	CvfScale   *b = PG_GETARG_CVFSCALE_P(1);
	int			i,
				l;
	bool		eq = true;

	for (i = 0; i < CVF_NDIMS && eq; i++)
	{
		eq = a->dim[i].n == b->dim[i].n && a->dim[i].min == b->dim[i].min &&
			a->dim[i].max == b->dim[i].max;
		for (l = 0; l < CVF_NLEVELS && eq; l++)
			eq = a->dim[i].q[l] == b->dim[i].q[l];
	}
	PG_RETURN_BOOL(eq);
}
