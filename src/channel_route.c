/*
 * channel_route.c
 *		route_work_order(): where a channel hands a matter it cannot handle,
 *		by the coordination matrix in custvalue.coordination_rule and the
 *		channels each tier uses (custvalue.tier_channel_preference).
 *
 * The answer for every (from_channel, need, tier) is computed once per
 * policy version by the loader, in SQL, with the same ordering as the
 * documented rule (lowest priority, then the tier's preferred target, only
 * targets that serve the tier).  Per call that leaves a binary search over
 * a few dozen (from_channel, need) pairs: no table access, no SPI.  A
 * combination without a route falls back to the SQL implementation
 * custvalue.route_work_order_sql(), which raises the error that says why
 * (unknown channel, unknown need, no rule, no target serving the tier).
 */
#include "custvalue.h"

#include "executor/spi.h"
#include "policy_cache.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

typedef struct RouteEntry
{
	char	   *from_channel;
	char	   *need;
	text	   *target[TIER_COUNT]; /* NULL: no route for that tier */
} RouteEntry;

typedef struct RoutePolicy
{
	int			nentries;
	RouteEntry *entries;		/* sorted by (from_channel, need), strcmp */
} RoutePolicy;

static int
route_entry_cmp(const void *a, const void *b)
{
	const RouteEntry *x = a;
	const RouteEntry *y = b;
	int			c = strcmp(x->from_channel, y->from_channel);

	return c != 0 ? c : strcmp(x->need, y->need);
}

static void *
load_route_policy(MemoryContext cxt)
{
	RoutePolicy *policy = MemoryContextAllocZero(cxt, sizeof(RoutePolicy));
	uint64		i;
	int			rc;
	int			n = 0;

	/* One row per (from_channel, need, tier) that has a route. */
	const char *rules = cv_policy_source("coordination_rule");
	const char *preferences = cv_policy_source("tier_channel_preference");

	rc = SPI_execute(psprintf("SELECT r.from_channel, r.need, custvalue.tier_rank(p.tier), "
							  "(pg_catalog.array_agg(r.to_channel ORDER BY r.priority, p.preference))[1] "
							  "FROM %s r "
							  "JOIN %s p ON p.channel OPERATOR(pg_catalog.=) r.to_channel "
							  "GROUP BY 1, 2, 3 "
							  "ORDER BY r.from_channel, r.need", rules, preferences), true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.coordination_rule failed: %s",
			 SPI_result_code_string(rc));

	policy->entries = MemoryContextAllocZero(cxt, sizeof(RouteEntry) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *from = SPI_getvalue(tup, desc, 1);
		char	   *need = SPI_getvalue(tup, desc, 2);
		char	   *target = SPI_getvalue(tup, desc, 4);
		bool		isnull;
		int32		rank = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull));
		RouteEntry *e;

		/* The tables' constraints make these impossible; be safe anyway. */
		if (from == NULL || need == NULL || target == NULL || isnull ||
			rank < 0 || rank >= TIER_COUNT)
			continue;
		e = n > 0 ? &policy->entries[n - 1] : NULL;
		if (e == NULL || strcmp(e->from_channel, from) != 0 || strcmp(e->need, need) != 0)
		{
			e = &policy->entries[n++];
			e->from_channel = MemoryContextStrdup(cxt, from);
			e->need = MemoryContextStrdup(cxt, need);
		}
		e->target[rank] = (text *) MemoryContextAlloc(cxt, VARHDRSZ + strlen(target));
		SET_VARSIZE(e->target[rank], VARHDRSZ + strlen(target));
		memcpy(VARDATA(e->target[rank]), target, strlen(target));
	}
	policy->nentries = n;
	/* Rows of one pair were adjacent; bsearch needs strcmp order. */
	qsort(policy->entries, n, sizeof(RouteEntry), route_entry_cmp);
	return policy;
}

static CvPolicyCache route_policy_cache =
CV_POLICY_CACHE_2("coordination_rule", "tier_channel_preference", load_route_policy);

/* No route: let the SQL implementation explain (it raises) or answer. */
static Datum
route_by_sql(FunctionCallInfo fcinfo)
{
	Oid		   *sigtypes;
	int			nargs;
	Datum		values[3] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), PG_GETARG_DATUM(2)};
	Datum		result;
	bool		isnull;
	int			rc;

	/* Our own signature gives the OID of custvalue.tier. */
	(void) get_func_signature(fcinfo->flinfo->fn_oid, &sigtypes, &nargs);
	if (nargs != 3)
		elog(ERROR, "route_work_order: unexpected signature");
	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	rc = SPI_execute_with_args("SELECT custvalue.route_work_order_sql($1, $2, $3)",
							   3, sigtypes, values, NULL, true, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "custvalue.route_work_order_sql() failed: %s", SPI_result_code_string(rc));
	result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	if (isnull)
		PG_RETURN_NULL();
	return result;
}

PG_FUNCTION_INFO_V1(route_work_order);
Datum
route_work_order(PG_FUNCTION_ARGS)
{
	const RoutePolicy *policy = cv_policy_get(&route_policy_cache, fcinfo);
	RouteEntry	key;
	const RouteEntry *e;
	Tier		tier = PG_GETARG_TIER(2);

	key.from_channel = text_to_cstring(PG_GETARG_TEXT_PP(0));
	key.need = text_to_cstring(PG_GETARG_TEXT_PP(1));
	e = bsearch(&key, policy->entries, policy->nentries, sizeof(RouteEntry), route_entry_cmp);
	if (e == NULL || tier >= TIER_COUNT || e->target[tier] == NULL)
		return route_by_sql(fcinfo);
	PG_RETURN_TEXT_P(DatumGetTextPCopy(PointerGetDatum(e->target[tier])));
}
