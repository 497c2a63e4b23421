/*
 * month_surveys.c
 *		custvalue.month_survey_inputs(): the churn inputs a customer's
 *		survey answers give as of a month, in one aggregate.
 *
 * The churn warning reads three things from the answers of the last year:
 * the latest NPS answer (of the last 180 days), how far the latest CSAT
 * falls below the mean of the earlier ones, and the dissatisfied answers of
 * the last 30 days.  In SQL the two "latest" were array_agg(... ORDER BY
 * answered_at DESC, response_id DESC)[1], a sort of every customer's
 * answers; here each is a running maximum of (answered_at, response_id).
 * The caller's WHERE clause makes the year; the 180- and 30-day lines are
 * arguments, computed by the caller as timestamptz - interval (which
 * depends on the session's time zone).
 */
#include "custvalue.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "money.h"
#include "row_form.h"
#include "utils/timestamp.h"
#include "value_bills.h"

/* The latest answer by (answered_at, response_id); a NULL id sorts last,
 * so is latest among equal times, as in ORDER BY ... DESC (NULLS FIRST). */
typedef struct LatestAnswer
{
	int64		found;			/* 0/1 */
	int64		at;				/* TimestampTz */
	int64		id_null;		/* 0/1 */
	int64		id;
	int64		value;
} LatestAnswer;

/* Every field an int64, so that (de)serialize are a copy. */
typedef struct MonthSurveys
{
	LatestAnswer nps;
	LatestAnswer csat;
	int64		csat_sum;
	int64		csat_answers;
	int64		dissatisfied;
} MonthSurveys;

#define ARG_AT			1
#define ARG_ID			2
#define ARG_CSAT		3
#define ARG_NPS			4
#define ARG_SATISFIED	5
#define ARG_NPS_FROM	6
#define ARG_RECENT_FROM	7

static bool
later(const LatestAnswer *a, const LatestAnswer *b)
{
	if (a->at != b->at)
		return a->at > b->at;
	if (a->id_null != b->id_null)
		return a->id_null;
	return a->id > b->id || (a->id == b->id && a->value > b->value);
}

static void
keep_latest(LatestAnswer *latest, const LatestAnswer *candidate)
{
	if (!latest->found || later(candidate, latest))
		*latest = *candidate;
}

/*
 * Transition: (answered_at, response_id, csat, nps, satisfied, nps_from,
 * recent_from).  An answer without answered_at is ignored.
 */
PG_FUNCTION_INFO_V1(month_surveys_accum);
Datum
month_surveys_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MonthSurveys *s;
	LatestAnswer answer;
	TimestampTz at;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "month_surveys_accum called in non-aggregate context");
	s = PG_ARGISNULL(0) ? NULL : (MonthSurveys *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(ARG_AT))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = MemoryContextAllocZero(aggcxt, sizeof(MonthSurveys));
	at = PG_GETARG_TIMESTAMPTZ(ARG_AT);
	answer.found = 1;
	answer.at = at;
	answer.id_null = PG_ARGISNULL(ARG_ID);
	answer.id = answer.id_null ? 0 : PG_GETARG_INT64(ARG_ID);

	if (!PG_ARGISNULL(ARG_CSAT))
	{
		answer.value = PG_GETARG_INT16(ARG_CSAT);
		keep_latest(&s->csat, &answer);
		cv_add_checked(&s->csat_sum, answer.value);
		s->csat_answers++;
	}
	if (!PG_ARGISNULL(ARG_NPS) && !PG_ARGISNULL(ARG_NPS_FROM) &&
		at >= PG_GETARG_TIMESTAMPTZ(ARG_NPS_FROM))
	{
		answer.value = PG_GETARG_INT16(ARG_NPS);
		keep_latest(&s->nps, &answer);
	}
	if (!PG_ARGISNULL(ARG_SATISFIED) && !PG_GETARG_BOOL(ARG_SATISFIED) &&
		!PG_ARGISNULL(ARG_RECENT_FROM) && at >= PG_GETARG_TIMESTAMPTZ(ARG_RECENT_FROM))
		s->dissatisfied++;
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(month_surveys_combine);
Datum
month_surveys_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	MonthSurveys *a;
	MonthSurveys *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "month_surveys_combine called in non-aggregate context");
	a = PG_ARGISNULL(0) ? NULL : (MonthSurveys *) PG_GETARG_POINTER(0);
	b = PG_ARGISNULL(1) ? NULL : (MonthSurveys *) PG_GETARG_POINTER(1);
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = MemoryContextAlloc(aggcxt, sizeof(MonthSurveys));
		memcpy(a, b, sizeof(MonthSurveys));
		PG_RETURN_POINTER(a);
	}
	if (b->nps.found)
		keep_latest(&a->nps, &b->nps);
	if (b->csat.found)
		keep_latest(&a->csat, &b->csat);
	cv_add_checked(&a->csat_sum, b->csat_sum);
	cv_add_checked(&a->csat_answers, b->csat_answers);
	cv_add_checked(&a->dissatisfied, b->dissatisfied);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(month_surveys_serialize);
Datum
month_surveys_serialize(PG_FUNCTION_ARGS)
{
	MonthSurveys *s = (MonthSurveys *) PG_GETARG_POINTER(0);
	bytea	   *result = palloc(VARHDRSZ + sizeof(MonthSurveys));

	SET_VARSIZE(result, VARHDRSZ + sizeof(MonthSurveys));
	memcpy(VARDATA(result), s, sizeof(MonthSurveys));
	PG_RETURN_BYTEA_P(result);
}

/* Checked although only ever fed what month_surveys_serialize wrote. */
PG_FUNCTION_INFO_V1(month_surveys_deserialize);
Datum
month_surveys_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MonthSurveys *s;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "month_surveys_deserialize called in non-aggregate context");
	if (VARSIZE_ANY_EXHDR(bytes) != sizeof(MonthSurveys))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid custvalue.month_survey_inputs state: %d bytes, expected %d",
						(int) VARSIZE_ANY_EXHDR(bytes), (int) sizeof(MonthSurveys))));
	s = palloc(sizeof(MonthSurveys));
	memcpy(s, VARDATA_ANY(bytes), sizeof(MonthSurveys));
	if (s->csat_answers < 0 || s->dissatisfied < 0 ||
		(s->nps.found | s->nps.id_null | s->csat.found | s->csat.id_null) & ~(int64) 1 ||
		(s->csat.found != 0) != (s->csat_answers > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid custvalue.month_survey_inputs state: inconsistent counts")));
	PG_RETURN_POINTER(s);
}

/*
 * The composite custvalue.month_survey_figures: the latest NPS; the CSAT
 * drop, mean of the earlier answers minus the latest, (sum - latest * n) /
 * (n - 1) rounded to 4 decimals, NULL with fewer than two answers; the
 * dissatisfied answers since recent_from.
 */
PG_FUNCTION_INFO_V1(month_surveys_final);
Datum
month_surveys_final(PG_FUNCTION_ARGS)
{
	MonthSurveys *s;
	TupleDesc	desc;

	static const Oid types[] = {INT4OID, FLOAT8OID, INT4OID};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "month_surveys_final called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (MonthSurveys *) PG_GETARG_POINTER(0);
	desc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		/* so the type is checked once per query, not once per group */
		desc = CreateTupleDescCopy(cv_result_desc(fcinfo, lengthof(types), types));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = desc;
	}
	nulls[0] = !s->nps.found;
	values[0] = Int32GetDatum((int32) s->nps.value);
	nulls[1] = s->csat_answers < 2;
	if (!nulls[1])
	{
		int128		excess = (int128) s->csat_sum - (int128) s->csat.value * s->csat_answers;

		values[1] = Float8GetDatum((double) cv_div_round(excess * 10000, s->csat_answers - 1) / 10000.0);
	}
	else
		values[1] = (Datum) 0;
	values[2] = Int32GetDatum((int32) Min(s->dissatisfied, PG_INT32_MAX));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
