/*
 * value_bills.c
 *		custvalue.bill_value_summary(): one customer's bills reduced to what
 *		the CVF inputs need, as one aggregate.
 *
 * customer_value_inputs needs nine per-customer figures from the bills
 * (revenue, ARPU, months billed, months at risk, the growth share of the
 * bill, months with a known cost and the margin over them).  As nine SQL
 * aggregates they cost nine transition calls and three numeric states per
 * group -- about 1.3 kB per customer, so a hash aggregate over 100 000
 * customers spills to disk.  Here one transition reads the money in place as
 * integer fen (money.h) into a 64-byte state; sums are exact.
 */
#include "custvalue.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "money.h"
#include "row_form.h"
#include "value_bills.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"

void
cv_add_checked(int64 *acc, int64 v)
{
	if (pg_add_s64_overflow(*acc, v, acc))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bill amounts out of range")));
}

static int64
money_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	return PG_ARGISNULL(argno) ? 0 : cv_money_cents(PG_GETARG_DATUM(argno), name);
}

/*
 * Adds the bill in fcinfo's arguments 1 to 7 (month, total_fee, data_fee,
 * vas_fee, paid_late, arrears, cost_to_serve), whose month and total_fee the
 * caller has checked are not NULL; the month counts to the ARPU window if it
 * is on or after argument arpu_from_argno.
 */
void
cv_bill_summary_add(BillSummary *s, FunctionCallInfo fcinfo, int arpu_from_argno)
{
	int64		fee;

	fee = cv_money_cents(PG_GETARG_DATUM(2), "total_fee");
	s->billed_months++;
	cv_add_checked(&s->fee, fee);
	cv_add_checked(&s->growth_fee, money_arg(fcinfo, 3, "data_fee"));
	cv_add_checked(&s->growth_fee, money_arg(fcinfo, 4, "vas_fee"));
	if ((!PG_ARGISNULL(5) && PG_GETARG_BOOL(5)) || money_arg(fcinfo, 6, "arrears") > 0)
		s->risk_months++;
	if (!PG_ARGISNULL(7))
	{
		s->costed_months++;
		cv_add_checked(&s->costed_margin, fee);
		cv_add_checked(&s->costed_margin, -cv_money_cents(PG_GETARG_DATUM(7), "cost_to_serve"));
	}
	if (!PG_ARGISNULL(arpu_from_argno) &&
		PG_GETARG_DATEADT(1) >= PG_GETARG_DATEADT(arpu_from_argno))
	{
		s->arpu_months++;
		cv_add_checked(&s->arpu_fee, fee);
	}
}

/*
 * Transition: (month, total_fee, data_fee, vas_fee, paid_late, arrears,
 * cost_to_serve, arpu_from).  A row without month or total_fee is skipped;
 * other NULLs count as 0 / false / unknown cost / no ARPU window.
 */
PG_FUNCTION_INFO_V1(bill_summary_accum);
Datum
bill_summary_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	BillSummary *s;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bill_summary_accum called in non-aggregate context");
	s = PG_ARGISNULL(0) ? NULL : (BillSummary *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		/* skipped; with no state yet, all-NULL input gives NULL */
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = MemoryContextAllocZero(aggcxt, sizeof(BillSummary));

	cv_bill_summary_add(s, fcinfo, 8);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(bill_summary_combine);
Datum
bill_summary_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	BillSummary *a,
			   *b;
	int64	   *av,
			   *bv;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bill_summary_combine called in non-aggregate context");
	a = PG_ARGISNULL(0) ? NULL : (BillSummary *) PG_GETARG_POINTER(0);
	b = PG_ARGISNULL(1) ? NULL : (BillSummary *) PG_GETARG_POINTER(1);
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = MemoryContextAlloc(aggcxt, sizeof(BillSummary));
		memcpy(a, b, sizeof(BillSummary));
		PG_RETURN_POINTER(a);
	}
	av = (int64 *) a;
	bv = (int64 *) b;
	for (i = 0; i < BILL_SUMMARY_FIELDS; i++)
		cv_add_checked(&av[i], bv[i]);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(bill_summary_serialize);
Datum
bill_summary_serialize(PG_FUNCTION_ARGS)
{
	BillSummary *s = (BillSummary *) PG_GETARG_POINTER(0);
	bytea	   *result = palloc(VARHDRSZ + sizeof(BillSummary));

	SET_VARSIZE(result, VARHDRSZ + sizeof(BillSummary));
	memcpy(VARDATA(result), s, sizeof(BillSummary));
	PG_RETURN_BYTEA_P(result);
}

/*
 * Only ever fed what bill_summary_serialize wrote in another process of the
 * same server, but checked anyway: the length, and that counts are
 * non-negative and no part exceeds the whole.
 */
PG_FUNCTION_INFO_V1(bill_summary_deserialize);
Datum
bill_summary_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	BillSummary *s;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "bill_summary_deserialize called in non-aggregate context");
	if (VARSIZE_ANY_EXHDR(bytes) != sizeof(BillSummary))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid custvalue.bill_value_summary state: %d bytes, expected %d",
						(int) VARSIZE_ANY_EXHDR(bytes), (int) sizeof(BillSummary))));
	s = palloc(sizeof(BillSummary));
	memcpy(s, VARDATA_ANY(bytes), sizeof(BillSummary));
	if (s->billed_months < 0 || s->risk_months < 0 || s->arpu_months < 0 ||
		s->costed_months < 0 || s->risk_months > s->billed_months ||
		s->arpu_months > s->billed_months || s->costed_months > s->billed_months ||
		s->fee < 0 || s->arpu_fee < 0 || s->growth_fee < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid custvalue.bill_value_summary state: inconsistent counts")));
	PG_RETURN_POINTER(s);
}

/*
 * The composite custvalue.bill_value_summary: months billed, at risk, in
 * the ARPU window and with a known cost; fees in yuan; growth share as a
 * float (NULL when nothing was billed).
 */
PG_FUNCTION_INFO_V1(bill_summary_final);
Datum
bill_summary_final(PG_FUNCTION_ARGS)
{
	BillSummary *s;
	TupleDesc	desc;

	/* custvalue.bill_value_totals */
	static const Oid types[] = {
		INT4OID, INT4OID, INT4OID, INT4OID, NUMERICOID, NUMERICOID, FLOAT8OID, NUMERICOID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "bill_summary_final called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (BillSummary *) PG_GETARG_POINTER(0);
	desc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		/* so the type is checked once per query, not once per group */
		desc = CreateTupleDescCopy(cv_result_desc(fcinfo, lengthof(types), types));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = desc;
	}

	values[0] = Int32GetDatum((int32) Min(s->billed_months, PG_INT32_MAX));
	values[1] = Int32GetDatum((int32) Min(s->risk_months, PG_INT32_MAX));
	values[2] = Int32GetDatum((int32) Min(s->arpu_months, PG_INT32_MAX));
	values[3] = Int32GetDatum((int32) Min(s->costed_months, PG_INT32_MAX));
	values[4] = NumericGetDatum(int64_div_fast_to_numeric(s->fee, 2));
	values[5] = NumericGetDatum(int64_div_fast_to_numeric(s->arpu_fee, 2));
	values[6] = Float8GetDatum((double) s->growth_fee / (double) s->fee);
	nulls[6] = s->fee == 0;
	values[7] = NumericGetDatum(int64_div_fast_to_numeric(s->costed_margin, 2));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
