/*
 * setting.c
 *		custvalue.setting(name): a scalar policy value from custvalue.setting.
 *
 * In C, through the policy cache, for two reasons.  Views call it in every
 * query, often once per row, and a cached lookup costs nothing next to a
 * PL/pgSQL function's query.  And on Citus, where custvalue.setting is a
 * reference table, a function that queried it from inside a shard's query
 * would be a nested distributed query, which Citus refuses; the cache reads
 * this node's placement instead (cv_policy_source()), like every other
 * policy reader.
 */
#include "custvalue.h"

#include "executor/spi.h"
#include "policy_cache.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

typedef struct SettingPolicy
{
	int			count;
	char	  **names;
	Datum	   *values;			/* numeric */
} SettingPolicy;

static void *
load_settings(MemoryContext cxt)
{
	SettingPolicy *policy = MemoryContextAllocZero(cxt, sizeof(SettingPolicy));
	int			rc;

	rc = SPI_execute(psprintf("SELECT name, value FROM %s",
							  cv_policy_source("setting")), true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.setting failed: %s",
			 SPI_result_code_string(rc));
	policy->names = MemoryContextAllocZero(cxt, sizeof(char *) * Max(SPI_processed, 1));
	policy->values = MemoryContextAllocZero(cxt, sizeof(Datum) * Max(SPI_processed, 1));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *name = SPI_getvalue(tup, desc, 1);
		Datum		value = SPI_getbinval(tup, desc, 2, &isnull);

		/* both columns are NOT NULL */
		if (name == NULL || isnull)
			continue;
		policy->names[policy->count] = MemoryContextStrdup(cxt, name);
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			policy->values[policy->count] = datumCopy(value, false, -1);
			MemoryContextSwitchTo(old);
		}
		policy->count++;
	}
	return policy;
}

static CvPolicyCache setting_cache = CV_POLICY_CACHE("setting", load_settings);

PG_FUNCTION_INFO_V1(cv_setting);
Datum
cv_setting(PG_FUNCTION_ARGS)
{
	const SettingPolicy *policy;
	char	   *name;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("custvalue.setting() needs a setting name, not NULL")));
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	policy = cv_policy_get(&setting_cache, fcinfo);
	for (int i = 0; i < policy->count; i++)
		if (strcmp(policy->names[i], name) == 0)
			PG_RETURN_DATUM(datumCopy(policy->values[i], false, -1));
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("unknown custvalue setting \"%s\"", name),
			 errhint("See SELECT name FROM custvalue.setting.")));
	PG_RETURN_NULL();			/* not reached */
}
