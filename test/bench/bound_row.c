/*-------------------------------------------------------------------------
 *
 * bound_row.c
 *		The benchmark's "bound" for functions that return a composite row:
 *		the least any C function with the same arguments and the same
 *		result type can cost in the same query.
 *
 * bound_row(template, ...) returns a fresh copy of its first argument,
 * whatever its other arguments are.  A case declares it once per function
 * it bounds, with the function's own argument list after the template and
 * the function's result type, volatility and strictness, e.g.
 *
 *	CREATE FUNCTION bench.cvf_score_bound(custvalue.cvf_scores,
 *			custvalue.cvf_scale, float8, float8, float8, float8, float8)
 *		RETURNS custvalue.cvf_scores AS 'bound_row', 'bound_row'
 *		LANGUAGE C STABLE PARALLEL SAFE;
 *
 * and calls it in the same query shape as the function itself, the
 * template being a row the function returned (an uncorrelated subquery,
 * so evaluated once per statement).
 *
 * palloc + memcpy of a preformed row is the least a function that returns
 * a new row per call can do; the rest of its cost is PostgreSQL's: argument
 * evaluation, the per-tuple context reset, field selection.  So the bound
 * divided by the scan floor is the best ratio any implementation could
 * reach, and the function's cost above the bound is what is left to win.
 *
 * The template is copied into fn_mcxt on the first call and the copy is
 * used from then on: detoasting the argument on every call (a row read from
 * a table has a short varlena header, so PG_GETARG_HEAPTUPLEHEADER copies
 * it) would add work no real function does.  Hence the first argument must
 * be the same on every call of one query, which is how bench cases use it.
 *
 * Test-only: bench.sh builds it with PGXS into its throw-away installation.
 *
 * test/bench/bound_row.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(bound_row);

Datum
bound_row(PG_FUNCTION_ARGS)
{
	HeapTupleHeader tmpl = (HeapTupleHeader) fcinfo->flinfo->fn_extra;
	Size		len;
	void	   *result;

	if (tmpl == NULL)
	{
		HeapTupleHeader arg;

		/* declared non-strict like the functions it bounds */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		arg = PG_GETARG_HEAPTUPLEHEADER(0);
		len = HeapTupleHeaderGetDatumLength(arg);
		tmpl = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
		memcpy(tmpl, arg, len);
		fcinfo->flinfo->fn_extra = tmpl;
	}

	len = HeapTupleHeaderGetDatumLength(tmpl);
	result = palloc(len);
	memcpy(result, tmpl, len);
	PG_RETURN_POINTER(result);
}
