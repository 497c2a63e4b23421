/*
 * churn_model.c
 *		The churn_model type (a fitted logistic regression): text and binary
 *		I/O, and churn_probability().
 *
 * Text form, one line, keys in this order:
 *		n=4000 l2=0 iterations=6 loglik=-1234.5 coef={-8.1,0.00067,...}
 * coef[0] is the intercept.  Numbers are printed in the shortest form that
 * reads back to the same double, so dump and restore are exact.
 */
#include "custvalue.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "churn_model.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "row_form.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

ChurnModel *
churn_model_make(int nfeatures)
{
	ChurnModel *m;

	Assert(nfeatures >= 0 && nfeatures <= CHURN_MAX_FEATURES);
	m = palloc0(CHURN_MODEL_SIZE(nfeatures));
	SET_VARSIZE(m, CHURN_MODEL_SIZE(nfeatures));
	m->nfeatures = nfeatures;
	return m;
}

float8
churn_logistic(float8 eta)
{
	if (eta >= 0)
		return 1.0 / (1.0 + exp(-eta));
	else
	{
		float8		e = exp(eta);

		return e / (1.0 + e);
	}
}

float8
churn_softplus(float8 eta)
{
	if (eta > 0)
		return eta + log1p(exp(-eta));
	return log1p(exp(eta));
}

float8 *
churn_array_to_vector(ArrayType *arr, int *n, const char *argname)
{
	int			nitems;
	float8	   *v;

	if (ARR_ELEMTYPE(arr) != FLOAT8OID)
		elog(ERROR, "%s must be float8[]", argname);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", argname)));
	if (ARR_HASNULL(arr) && array_contains_nulls(arr))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not contain NULL elements", argname),
				 errhint("Impute or drop missing features before calling.")));
	nitems = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
	if (nitems > CHURN_MAX_FEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s has %d elements, more than the limit of %d features",
						argname, nitems, CHURN_MAX_FEATURES)));
	v = palloc(sizeof(float8) * (nitems + 1));
	if (nitems > 0)
		memcpy(v, ARR_DATA_PTR(arr), sizeof(float8) * nitems);
	for (int i = 0; i < nitems; i++)
		if (!isfinite(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s[%d] is not finite", argname, i + 1)));
	*n = nitems;
	return v;
}

/* The inverse of churn_array_to_vector: n doubles as a float8[]. */
ArrayType *
churn_vector_to_array(const float8 *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(v[i]);
	return construct_array(d, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* Reject a model whose fields no fit could have produced. */
static void
churn_model_validate(const ChurnModel *m)
{
	if (m->nfeatures < 0 || m->nfeatures > CHURN_MAX_FEATURES ||
		m->iterations < 0 || m->flags != 0 || m->nobs < 0 ||
		!isfinite(m->l2) || m->l2 < 0 ||
		!isfinite(m->loglik) || m->loglik > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid churn_model: header out of range"),
				 errdetail("Need 0 <= features <= %d, n >= 0, iterations >= 0, finite l2 >= 0, finite loglik <= 0.",
						   CHURN_MAX_FEATURES)));
	for (int i = 0; i <= m->nfeatures; i++)
		if (!isfinite(m->coef[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid churn_model: coefficient %d is not finite", i)));
}

static void
append_double(StringInfo buf, float8 x)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(x, tmp);
	appendStringInfoString(buf, tmp);
}

PG_FUNCTION_INFO_V1(churn_model_out);
Datum
churn_model_out(PG_FUNCTION_ARGS)
{
	ChurnModel *m = PG_GETARG_CHURN_MODEL_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "n=" INT64_FORMAT " l2=", m->nobs);
	append_double(&buf, m->l2);
	appendStringInfo(&buf, " iterations=%d loglik=", m->iterations);
	append_double(&buf, m->loglik);
	appendStringInfoString(&buf, " coef={");
	for (int i = 0; i <= m->nfeatures; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		append_double(&buf, m->coef[i]);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

static void
syntax_error(const char *input, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type churn_model: \"%s\"", input),
			 errdetail("%s", what),
			 errhint("Expected n=<int> l2=<float> iterations=<int> loglik=<float> coef={<intercept>,<slope>,...}.")));
}

/* Expect "key=" at *p (after white space); advance past it. */
static void
expect_key(char **p, const char *key, const char *input)
{
	size_t		len = strlen(key);

	while (isspace((unsigned char) **p))
		(*p)++;
	if (strncmp(*p, key, len) != 0 || (*p)[len] != '=')
		syntax_error(input, psprintf("expected \"%s=\"", key));
	*p += len + 1;
}

static float8
read_double(char **p, const char *input)
{
	char	   *end;
	float8		v;

	if (**p == '\0' || isspace((unsigned char) **p))
		syntax_error(input, "missing number");
	v = cv_float8in(*p, &end, "churn_model", input);
	*p = end;
	return v;
}

static int64
read_int(char **p, const char *input, const char *key, int64 max)
{
	int64		v = 0;

	if (!isdigit((unsigned char) **p))
		syntax_error(input, "expected a non-negative integer");
	while (isdigit((unsigned char) **p))
	{
		int			digit = **p - '0';

		/* test before multiplying: the overflow itself would be undefined */
		if (v > (max - digit) / 10)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("churn_model: %s= is out of range in \"%s\"", key, input),
					 errdetail("%s= must be at most " INT64_FORMAT ".", key, max)));
		v = v * 10 + digit;
		(*p)++;
	}
	return v;
}

PG_FUNCTION_INFO_V1(churn_model_in);
Datum
churn_model_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *p = input;
	int64		nobs;
	int32		iterations;
	float8		l2,
				loglik;
	float8		coef[CHURN_MAX_FEATURES + 1];
	int			ncoef = 0;
	ChurnModel *m;

	expect_key(&p, "n", input);
	nobs = read_int(&p, input, "n", PG_INT64_MAX);
	expect_key(&p, "l2", input);
	l2 = read_double(&p, input);
	expect_key(&p, "iterations", input);
	iterations = (int32) read_int(&p, input, "iterations", PG_INT32_MAX);
	expect_key(&p, "loglik", input);
	loglik = read_double(&p, input);
	expect_key(&p, "coef", input);
	if (*p++ != '{')
		syntax_error(input, "expected \"{\" after coef=");
	for (;;)
	{
		while (isspace((unsigned char) *p))
			p++;
		if (ncoef > CHURN_MAX_FEATURES)
			syntax_error(input, psprintf("more than %d features", CHURN_MAX_FEATURES));
		coef[ncoef++] = read_double(&p, input);
		while (isspace((unsigned char) *p))
			p++;
		if (*p == ',')
			p++;
		else if (*p == '}')
		{
			p++;
			break;
		}
		else
			syntax_error(input, "expected \",\" or \"}\" in coef");
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		syntax_error(input, "junk after the closing \"}\"");

	m = churn_model_make(ncoef - 1);
	m->nobs = nobs;
	m->l2 = l2;
	m->iterations = iterations;
	m->loglik = loglik;
	memcpy(m->coef, coef, sizeof(float8) * ncoef);
	churn_model_validate(m);
	PG_RETURN_POINTER(m);
}

PG_FUNCTION_INFO_V1(churn_model_send);
Datum
churn_model_send(PG_FUNCTION_ARGS)
{
	ChurnModel *m = PG_GETARG_CHURN_MODEL_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, m->nfeatures);
	pq_sendint32(&buf, m->iterations);
	pq_sendint64(&buf, m->nobs);
	pq_sendfloat8(&buf, m->l2);
	pq_sendfloat8(&buf, m->loglik);
	for (int i = 0; i <= m->nfeatures; i++)
		pq_sendfloat8(&buf, m->coef[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(churn_model_recv);
Datum
churn_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		k = pq_getmsgint(buf, 4);
	ChurnModel *m;

	if (k < 0 || k > CHURN_MAX_FEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid churn_model: %d features", k)));
	if (buf->len - buf->cursor != 4 + 8 * 3 + 8 * (k + 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid churn_model: %d bytes for %d features",
						buf->len - buf->cursor + 4, k)));
	m = churn_model_make(k);
	m->iterations = pq_getmsgint(buf, 4);
	m->nobs = pq_getmsgint64(buf);
	m->l2 = pq_getmsgfloat8(buf);
	m->loglik = pq_getmsgfloat8(buf);
	for (int i = 0; i <= k; i++)
		m->coef[i] = pq_getmsgfloat8(buf);
	churn_model_validate(m);
	PG_RETURN_POINTER(m);
}

/*
 * Probability of churn for one feature vector: the logistic function of
 * the linear predictor.  Per row this is k multiply-adds and one exp().
 *
 * It runs once per customer in the nightly scoring, so both arguments are
 * read where they lie rather than detoasted: a model or feature array
 * stored in a table arrives with a 1-byte length word, and detoasting
 * would palloc an aligned copy of each on every row.  PG_DETOAST_DATUM_PACKED
 * only expands compressed or out-of-line values; the fields are fetched
 * with memcpy because a 1-byte header leaves them unaligned.  An array that
 * is not a plain NULL-free 1-D float8[] of the model's length takes the
 * general path, which raises the appropriate error.  Sums are taken in the
 * same order either way, so the result is the same to the last bit.
 */
#define PACKED_FIELD(dst, body, type, field) \
	memcpy(&(dst), (body) + offsetof(type, field) - VARHDRSZ, sizeof(dst))

PG_FUNCTION_INFO_V1(churn_probability);
Datum
churn_probability(PG_FUNCTION_ARGS)
{
	struct varlena *mraw = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *araw = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	const char *mbody = VARDATA_ANY(mraw);
	const char *abody = VARDATA_ANY(araw);
	int32		nfeatures;
	int			ndim;
	int32		dataoffset;
	Oid			elemtype;
	int			nitems = 0;
	float8		eta;

	PACKED_FIELD(nfeatures, mbody, ChurnModel, nfeatures);
	PACKED_FIELD(ndim, abody, ArrayType, ndim);
	PACKED_FIELD(dataoffset, abody, ArrayType, dataoffset);
	PACKED_FIELD(elemtype, abody, ArrayType, elemtype);
	if (ndim == 1)
		memcpy(&nitems, abody + sizeof(ArrayType) - VARHDRSZ, sizeof(int));

	if (ndim == 1 && dataoffset == 0 && elemtype == FLOAT8OID &&
		nitems == nfeatures)
	{
		const char *coef = mbody + offsetof(ChurnModel, coef) - VARHDRSZ;
		const char *x = abody + ARR_OVERHEAD_NONULLS(1) - VARHDRSZ;

		memcpy(&eta, coef, sizeof(float8));
		for (int i = 0; i < nitems; i++)
		{
			float8		b,
						xi;

			memcpy(&xi, x + i * sizeof(float8), sizeof(float8));
			if (!isfinite(xi))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s[%d] is not finite", "features", i + 1)));
			memcpy(&b, coef + (i + 1) * sizeof(float8), sizeof(float8));
			eta += b * xi;
		}
	}
	else
	{
		ChurnModel *m = PG_GETARG_CHURN_MODEL_P(0);
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
		int			k;
		float8	   *x = churn_array_to_vector(arr, &k, "features");

		if (k != m->nfeatures)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("features has %d elements but the model expects %d",
							k, m->nfeatures)));
		eta = m->coef[0];
		for (int i = 0; i < k; i++)
			eta += m->coef[i + 1] * x[i];
	}
	PG_RETURN_FLOAT8(churn_logistic(eta));
}

/* The model's fields as a record, coefficients as float8[]. */
PG_FUNCTION_INFO_V1(churn_model_info);
Datum
churn_model_info(PG_FUNCTION_ARGS)
{
	ChurnModel *m = PG_GETARG_CHURN_MODEL_P(0);
	TupleDesc	desc;

	/*
	 * The OUT parameters.  No ALTER TYPE reaches them, but the function can
	 * be dropped and created with others; checked like the named types.
	 */
	static const Oid types[] = {
		INT4OID, INT8OID, FLOAT8OID, INT4OID, FLOAT8OID, FLOAT8ARRAYOID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};

	desc = cv_result_desc(fcinfo, lengthof(types), types);
	values[0] = Int32GetDatum(m->nfeatures);
	values[1] = Int64GetDatum(m->nobs);
	values[2] = Float8GetDatum(m->l2);
	values[3] = Int32GetDatum(m->iterations);
	values[4] = Float8GetDatum(m->loglik);
	values[5] = PointerGetDatum(churn_vector_to_array(m->coef, m->nfeatures + 1));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
