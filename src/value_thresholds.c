/*
 * value_thresholds.c
 *		custvalue.value_class_thresholds(revenue, a_share, b_share,
 *		core_share): the revenue thresholds of value class A, class B and
 *		core customers, in one pass.
 *
 * Class A is the customers who, by descending revenue, bring the first
 * a_share of the total revenue (the customer who crosses the line is in);
 * so is class B with b_share; core customers are the first core_share of
 * the customers by count.  A threshold is the least revenue in the class.
 * In SQL that is a window sum over a sort of every customer's numeric
 * revenue, then three filtered min() -- the monthly cycle's population
 * stage.  Here the revenues are integer fen in a tuplesort (which spills
 * to disk beyond work_mem, so memory does not grow with the book), read
 * once in order with the running sum.
 *
 * No combine function: a threshold needs the global order, as
 * percentile_cont does, so partial aggregation cannot split it.
 */
#include "custvalue.h"

#include "catalog/pg_operator_d.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "money.h"
#include "row_form.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"
#include "utils/tuplesort.h"
#include "value_bills.h"

typedef struct ValueThresholds
{
	Tuplesortstate *sort;		/* -revenue in fen: ascending is descending */
	int64		customers;
	int64		total;			/* fen */
	Datum		share[3];		/* a_share, b_share, core_share (numeric) */
	bool		sorted;
} ValueThresholds;

static void
thresholds_shutdown(Datum arg)
{
	ValueThresholds *s = (ValueThresholds *) DatumGetPointer(arg);

	if (s->sort != NULL)
		tuplesort_end(s->sort);
	s->sort = NULL;
}

/*
 * Transition: (revenue, a_share, b_share, core_share).  Rows without a
 * revenue are skipped; the shares are those of the first row (they are the
 * policy's, the same on every row).
 */
PG_FUNCTION_INFO_V1(value_thresholds_accum);
Datum
value_thresholds_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ValueThresholds *s;
	int64		cents;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "value_thresholds_accum called in non-aggregate context");
	s = PG_ARGISNULL(0) ? NULL : (ValueThresholds *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);
		int			i;

		for (i = 0; i < 3; i++)
			if (PG_ARGISNULL(i + 2))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("custvalue.value_class_thresholds needs its three shares, not NULL")));
		s = palloc0(sizeof(ValueThresholds));
		for (i = 0; i < 3; i++)
			s->share[i] = datumCopy(PG_GETARG_DATUM(i + 2), false, -1);
		s->sort = tuplesort_begin_datum(INT8OID, Int8LessOperator, InvalidOid, false,
										work_mem, NULL, TUPLESORT_NONE);
		MemoryContextSwitchTo(old);
		AggRegisterCallback(fcinfo, thresholds_shutdown, PointerGetDatum(s));
	}
	if (s->sorted)
		elog(ERROR, "custvalue.value_class_thresholds: row added after the final function");
	cents = cv_money_cents(PG_GETARG_DATUM(1), "revenue");
	cv_add_checked(&s->total, cents);
	s->customers++;
	tuplesort_putdatum(s->sort, Int64GetDatum(-cents), false);
	PG_RETURN_POINTER(s);
}

/* ceil(share * n); a share so large that this leaves bigint is an error */
static int64
ceil_share(Datum share, int64 n)
{
	Datum		product;

	product = DirectFunctionCall2(numeric_mul, share,
								  NumericGetDatum(int64_to_numeric(n)));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 DirectFunctionCall1(numeric_ceil, product)));
}

PG_FUNCTION_INFO_V1(value_thresholds_final);
Datum
value_thresholds_final(PG_FUNCTION_ARGS)
{
	ValueThresholds *s;
	TupleDesc	desc;
	int64		a_limit;		/* a running sum below this is still class A */
	int64		b_limit;
	int64		core_rank;
	int64		before = 0;
	int64		rank = 0;
	Datum		value;
	bool		isnull;

	static const Oid types[] = {NUMERICOID, NUMERICOID, NUMERICOID};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {true, true, true};
	int64		found[lengthof(types)] = {0};

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "value_thresholds_final called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (ValueThresholds *) PG_GETARG_POINTER(0);
	if (s->sorted)
		elog(ERROR, "custvalue.value_class_thresholds: final function called twice");
	desc = cv_result_desc(fcinfo, lengthof(types), types);

	/* before < share * total, in fen: before < ceil(share * total) */
	a_limit = ceil_share(s->share[0], s->total);
	b_limit = ceil_share(s->share[1], s->total);
	core_rank = ceil_share(s->share[2], s->customers);

	tuplesort_performsort(s->sort);
	s->sorted = true;
	while (cv_tuplesort_getdatum(s->sort, true, &value, &isnull))
	{
		int64		cents = -DatumGetInt64(value);

		CHECK_FOR_INTERRUPTS();
		rank++;
		/* descending order: the last row that qualifies has the least revenue */
		if (before < a_limit)
			found[0] = cents, nulls[0] = false;
		if (before < b_limit)
			found[1] = cents, nulls[1] = false;
		if (rank <= core_rank)
			found[2] = cents, nulls[2] = false;
		cv_add_checked(&before, cents);
	}
	for (int i = 0; i < lengthof(types); i++)
		values[i] = nulls[i] ? (Datum) 0 : NumericGetDatum(int64_div_fast_to_numeric(found[i], 2));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
