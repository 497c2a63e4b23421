/*
 * month_bills.c
 *		custvalue.month_bill_inputs(): everything the monthly cycle takes
 *		from a customer's bills, as of one month, in one aggregate.
 *
 * run_month needs, per customer, the CVF inputs of the spend window (what
 * custvalue.bill_value_summary() gives) and the churn inputs of the month
 * against its baseline months: this month's fee, minutes, megabytes and
 * arrears, and the baseline averages.  As SQL that was bill_value_summary
 * plus seven FILTERed max()/avg() aggregates and a dozen numeric
 * expressions per customer, which made the bills half of the run's time.
 * Here one transition per bill feeds a flat state of integers (money in
 * fen), and the final function does the arithmetic exactly: a division
 * rounded half away from zero, as numeric's round() does.
 *
 * The answers are those of the SQL they replace (the test monthly_cycle
 * compares the stored month with the live views).  Where the live views'
 * numeric avg() rounds a recurring decimal before dividing by it, these are
 * the exact quotient; they can differ only when that exact quotient lies on
 * a rounding tie.
 */
#include "custvalue.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "flat_state.h"
#include "funcapi.h"
#include "money.h"
#include "row_form.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "value_bills.h"

/*
 * Kept in a flat_state bytea (flat_state.h), so that parallel query and
 * Citus pass it between processes as it is.  Every field an int64, so that
 * the combine is a loop.
 */
typedef struct MonthBills
{
	BillSummary spend;			/* the spend window, as bill_value_summary */
	int64		base_months;	/* baseline months with a fee */
	int64		base_fee;		/* fen */
	int64		base_voice_months;
	int64		base_voice;
	int64		base_data_months;
	int64		base_data;
	int64		has_fee_now;	/* 0/1: the month has a bill with a fee */
	int64		fee_now;		/* fen, the largest such fee */
	int64		has_voice_now;
	int64		voice_now;
	int64		has_data_now;
	int64		data_now;
	int64		has_arrears_now;
	int64		arrears_now;	/* fen */
} MonthBills;

#define MONTH_BILLS_FIELDS (sizeof(MonthBills) / sizeof(int64))
#define MONTH_BILLS_FIRST_MAX offsetof(MonthBills, has_fee_now)
#define MONTH_BILLS_TAG	0x4D424931	/* "MBI1" */
#define MONTH_BILLS_AGG	"custvalue.month_bill_inputs"

/* Argument numbers of the transition function (0 is the state). */
#define ARG_MONTH		1
#define ARG_TOTAL_FEE	2
#define ARG_ARREARS		6
#define ARG_VOICE		8
#define ARG_DATA		9
#define ARG_AS_OF		10
#define ARG_SPEND_FROM	11
#define ARG_ARPU_FROM	12
#define ARG_BASE_FROM	13

static void
take_max(int64 *has, int64 *value, int64 v)
{
	if (!*has || v > *value)
		*value = v;
	*has = 1;
}

static void
add_to_average(int64 *months, int64 *sum, int64 v)
{
	(*months)++;
	cv_add_checked(sum, v);
}

/*
 * Transition: (month, total_fee, data_fee, vas_fee, paid_late, arrears,
 * cost_to_serve, voice_minutes, data_mb, as_of, spend_from, arpu_from,
 * base_from).  A bill counts to the spend window (spend_from <= month <=
 * as_of) as in bill_value_summary, to the baseline (base_from <= month <
 * as_of), or is the month's own (month = as_of); any other bill, or one
 * without a month, is ignored.  NULL measures are skipped, as by max() and
 * avg().
 */
PG_FUNCTION_INFO_V1(month_bills_accum);
Datum
month_bills_accum(PG_FUNCTION_ARGS)
{
	bytea	   *state;
	MonthBills *s;
	DateADT		month;
	DateADT		as_of;
	bool		in_spend;
	bool		in_base;
	bool		is_now;

	state = cv_flat_arg(fcinfo, 0, MONTH_BILLS_TAG, sizeof(MonthBills), true, MONTH_BILLS_AGG);
	if (PG_ARGISNULL(ARG_MONTH) || PG_ARGISNULL(ARG_AS_OF))
		goto done;
	month = PG_GETARG_DATEADT(ARG_MONTH);
	as_of = PG_GETARG_DATEADT(ARG_AS_OF);
	is_now = month == as_of;
	in_spend = month <= as_of && !PG_ARGISNULL(ARG_SPEND_FROM) &&
		month >= PG_GETARG_DATEADT(ARG_SPEND_FROM);
	in_base = month < as_of && !PG_ARGISNULL(ARG_BASE_FROM) &&
		month >= PG_GETARG_DATEADT(ARG_BASE_FROM);
	if (!is_now && !in_spend && !in_base)
		goto done;
	if (state == NULL)
		state = cv_flat_new(cv_flat_agg_context(fcinfo, MONTH_BILLS_AGG),
							MONTH_BILLS_TAG, sizeof(MonthBills));
	s = (MonthBills *) CV_FLAT_DATA(state);

	if (in_spend && !PG_ARGISNULL(ARG_TOTAL_FEE))
		cv_bill_summary_add(&s->spend, fcinfo, ARG_ARPU_FROM);
	if (in_base)
	{
		if (!PG_ARGISNULL(ARG_TOTAL_FEE))
			add_to_average(&s->base_months, &s->base_fee,
						   cv_money_cents(PG_GETARG_DATUM(ARG_TOTAL_FEE), "total_fee"));
		if (!PG_ARGISNULL(ARG_VOICE))
			add_to_average(&s->base_voice_months, &s->base_voice, PG_GETARG_INT32(ARG_VOICE));
		if (!PG_ARGISNULL(ARG_DATA))
			add_to_average(&s->base_data_months, &s->base_data, PG_GETARG_INT32(ARG_DATA));
	}
	if (is_now)
	{
		if (!PG_ARGISNULL(ARG_TOTAL_FEE))
			take_max(&s->has_fee_now, &s->fee_now,
					 cv_money_cents(PG_GETARG_DATUM(ARG_TOTAL_FEE), "total_fee"));
		if (!PG_ARGISNULL(ARG_VOICE))
			take_max(&s->has_voice_now, &s->voice_now, PG_GETARG_INT32(ARG_VOICE));
		if (!PG_ARGISNULL(ARG_DATA))
			take_max(&s->has_data_now, &s->data_now, PG_GETARG_INT32(ARG_DATA));
		if (!PG_ARGISNULL(ARG_ARREARS))
			take_max(&s->has_arrears_now, &s->arrears_now,
					 cv_money_cents(PG_GETARG_DATUM(ARG_ARREARS), "arrears"));
	}

done:
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_BYTEA_P(state);
}

/*
 * A state from elsewhere (a Citus worker's, shipped as text) is believed
 * only with non-negative counts and flags that are 0 or 1.
 */
static void
check_state(const MonthBills *s)
{
	if (s->spend.billed_months < 0 || s->spend.risk_months < 0 ||
		s->spend.arpu_months < 0 || s->spend.costed_months < 0 ||
		s->base_months < 0 || s->base_voice_months < 0 || s->base_data_months < 0 ||
		(s->has_fee_now | s->has_voice_now | s->has_data_now | s->has_arrears_now) & ~(int64) 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s aggregate state: inconsistent counts", MONTH_BILLS_AGG)));
}

PG_FUNCTION_INFO_V1(month_bills_combine);
Datum
month_bills_combine(PG_FUNCTION_ARGS)
{
	bytea	   *state = cv_flat_arg(fcinfo, 0, MONTH_BILLS_TAG, sizeof(MonthBills), true, MONTH_BILLS_AGG);
	bytea	   *other = cv_flat_arg(fcinfo, 1, MONTH_BILLS_TAG, sizeof(MonthBills), false, MONTH_BILLS_AGG);
	int64	   *av;
	int64	   *bv;
	int			i;

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_BYTEA_P(state);
	}
	check_state((MonthBills *) CV_FLAT_DATA(other));
	if (state == NULL)
		PG_RETURN_BYTEA_P(cv_flat_copy(fcinfo, other, MONTH_BILLS_AGG));
	av = (int64 *) CV_FLAT_DATA(state);
	bv = (int64 *) CV_FLAT_DATA(other);
	/* sums and counts add; the month's own figures are maxima */
	for (i = 0; i < MONTH_BILLS_FIRST_MAX / sizeof(int64); i++)
		cv_add_checked(&av[i], bv[i]);
	for (; i < MONTH_BILLS_FIELDS; i += 2)
		if (bv[i])
			take_max(&av[i], &av[i + 1], bv[i + 1]);
	PG_RETURN_BYTEA_P(state);
}

/*
 * round(1 - now / avg, 4)::float8 with avg = sum / months: NULL (false)
 * when there is no baseline or it is 0, as nullif() makes it.  k / 10000.0
 * is the double nearest to the 4-decimal numeric, as its text would give.
 */
static bool
drop_from_baseline(int64 now, int64 sum, int64 months, double *drop)
{
	int128		num;
	int128		den = sum;

	if (months == 0 || sum == 0)
		return false;
	num = ((int128) sum - (int128) now * months) * 10000;
	if (den < 0)
	{
		num = -num;
		den = -den;
	}
	*drop = (double) cv_div_round(num, den) / 10000.0;
	return true;
}

static Datum
cents_numeric(int64 cents)
{
	return NumericGetDatum(int64_div_fast_to_numeric(cents, 2));
}

/*
 * The composite custvalue.month_bill_inputs: the CVF inputs as
 * customer_value_inputs derives them from bill_value_summary, and the
 * churn inputs arpu_drop, usage_drop and arrears as churn_inputs_at does.
 */
PG_FUNCTION_INFO_V1(month_bills_final);
Datum
month_bills_final(PG_FUNCTION_ARGS)
{
	bytea	   *state;
	MonthBills *s;
	const BillSummary *t;
	TupleDesc	desc;
	double		arpu_drop;
	double		voice_drop;
	double		data_drop;
	bool		has_voice_drop;
	bool		has_data_drop;

	static const Oid types[] = {
		NUMERICOID, NUMERICOID, FLOAT8OID, FLOAT8OID, NUMERICOID, NUMERICOID,
		BOOLOID, FLOAT8OID, FLOAT8OID, NUMERICOID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "month_bills_final called in non-aggregate context");
	state = cv_flat_arg(fcinfo, 0, MONTH_BILLS_TAG, sizeof(MonthBills), false, MONTH_BILLS_AGG);
	if (state == NULL)
		PG_RETURN_NULL();
	s = (MonthBills *) CV_FLAT_DATA(state);
	t = &s->spend;
	desc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		/* so the type is checked once per query, not once per group */
		desc = CreateTupleDescCopy(cv_result_desc(fcinfo, lengthof(types), types));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = desc;
	}

	/* revenue, monthly_arpu */
	values[0] = cents_numeric(t->fee);
	values[1] = cents_numeric(t->arpu_months > 0 ? cv_div_round(t->arpu_fee, t->arpu_months) : 0);
	/* credit_risk, tariff_share */
	nulls[2] = t->billed_months == 0;
	values[2] = Float8GetDatum(nulls[2] ? 0 : (double) t->risk_months / (double) t->billed_months);
	nulls[3] = t->fee == 0;
	values[3] = Float8GetDatum(nulls[3] ? 0 : (double) t->growth_fee / (double) t->fee);
	/* net_value: only when every month's cost is known; monthly_margin */
	nulls[4] = t->billed_months == 0 || t->costed_months != t->billed_months;
	values[4] = cents_numeric(t->costed_margin);
	nulls[5] = t->costed_months == 0;
	values[5] = cents_numeric(nulls[5] ? 0 : cv_div_round(t->costed_margin, t->costed_months));
	/* billed: the month has a bill */
	values[6] = BoolGetDatum(s->has_fee_now != 0);
	/* arpu_drop */
	nulls[7] = !s->has_fee_now ||
		!drop_from_baseline(s->fee_now, s->base_fee, s->base_months, &arpu_drop);
	values[7] = Float8GetDatum(nulls[7] ? 0 : arpu_drop);
	/* usage_drop: the larger of the voice and data drops, as greatest() */
	has_voice_drop = s->has_voice_now &&
		drop_from_baseline(s->voice_now, s->base_voice, s->base_voice_months, &voice_drop);
	has_data_drop = s->has_data_now &&
		drop_from_baseline(s->data_now, s->base_data, s->base_data_months, &data_drop);
	nulls[8] = !has_voice_drop && !has_data_drop;
	values[8] = Float8GetDatum(!has_data_drop ? voice_drop :
							   !has_voice_drop ? data_drop : Max(voice_drop, data_drop));
	/* arrears of the month */
	nulls[9] = !s->has_arrears_now;
	values[9] = cents_numeric(s->arrears_now);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
