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
#include "flat_state.h"
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

/* Kept in a flat_state bytea (flat_state.h), as month_bills.c's state. */
typedef struct MonthSurveys
{
	LatestAnswer nps;
	LatestAnswer csat;
	int64		csat_sum;
	int64		csat_answers;
	int64		dissatisfied;
} MonthSurveys;

#define MONTH_SURVEYS_TAG	0x4D534931	/* "MSI1" */
#define MONTH_SURVEYS_AGG	"custvalue.month_survey_inputs"

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
	bytea	   *state;
	MonthSurveys *s;
	LatestAnswer answer;
	TimestampTz at;

	state = cv_flat_arg(fcinfo, 0, MONTH_SURVEYS_TAG, sizeof(MonthSurveys), true, MONTH_SURVEYS_AGG);
	if (PG_ARGISNULL(ARG_AT))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(state);
	}
	if (state == NULL)
		state = cv_flat_new(cv_flat_agg_context(fcinfo, MONTH_SURVEYS_AGG),
							MONTH_SURVEYS_TAG, sizeof(MonthSurveys));
	s = (MonthSurveys *) CV_FLAT_DATA(state);
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
	PG_RETURN_BYTEA_P(state);
}

/*
 * A state from elsewhere (a Citus worker's, shipped as text) is believed
 * only with non-negative counts, flags that are 0 or 1, and a latest CSAT
 * exactly when there are CSAT answers.
 */
static void
check_state(const MonthSurveys *s)
{
	if (s->csat_answers < 0 || s->dissatisfied < 0 ||
		(s->nps.found | s->nps.id_null | s->csat.found | s->csat.id_null) & ~(int64) 1 ||
		(s->csat.found != 0) != (s->csat_answers > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s aggregate state: inconsistent counts", MONTH_SURVEYS_AGG)));
}

PG_FUNCTION_INFO_V1(month_surveys_combine);
Datum
month_surveys_combine(PG_FUNCTION_ARGS)
{
	bytea	   *state = cv_flat_arg(fcinfo, 0, MONTH_SURVEYS_TAG, sizeof(MonthSurveys), true, MONTH_SURVEYS_AGG);
	bytea	   *other = cv_flat_arg(fcinfo, 1, MONTH_SURVEYS_TAG, sizeof(MonthSurveys), false, MONTH_SURVEYS_AGG);
	MonthSurveys *a;
	const MonthSurveys *b;

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(state);
	}
	b = (const MonthSurveys *) CV_FLAT_DATA(other);
	check_state(b);
	if (state == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, other, MONTH_SURVEYS_AGG));
	a = (MonthSurveys *) CV_FLAT_DATA(state);
	if (b->nps.found)
		keep_latest(&a->nps, &b->nps);
	if (b->csat.found)
		keep_latest(&a->csat, &b->csat);
	cv_add_checked(&a->csat_sum, b->csat_sum);
	cv_add_checked(&a->csat_answers, b->csat_answers);
	cv_add_checked(&a->dissatisfied, b->dissatisfied);
	PG_RETURN_BYTEA_P(state);
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
	bytea	   *state;
	MonthSurveys *s;
	TupleDesc	desc;

	static const Oid types[] = {INT4OID, FLOAT8OID, INT4OID};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "month_surveys_final called in non-aggregate context");
	state = cv_flat_arg(fcinfo, 0, MONTH_SURVEYS_TAG, sizeof(MonthSurveys), false, MONTH_SURVEYS_AGG);
	if (state == NULL)
		PG_RETURN_NULL();
	s = (MonthSurveys *) CV_FLAT_DATA(state);
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
