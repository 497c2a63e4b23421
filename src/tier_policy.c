/*
 * tier_policy.c
 *		tier_of(): a customer's tier from annual spend, ARPU and card status,
 *		under the thresholds in custvalue.tier_policy.
 */
#include "custvalue.h"

#include "executor/spi.h"
#include "money.h"
#include "policy_cache.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/*
 * Lower bound of each tier in fen (cents), indexed by Tier; copied out of
 * the table.  min_amount is numeric(12,2), a whole number of fen, so
 * comparing fen is exact (see cv_money_cents()) and each comparison is one
 * integer instruction instead of a numeric_cmp() call.
 */
typedef struct TierPolicy
{
	int64		min_cents[TIER_COUNT];
} TierPolicy;

static void *
load_tier_policy(MemoryContext cxt)
{
	TierPolicy *policy = MemoryContextAllocZero(cxt, sizeof(TierPolicy));
	bool		seen[TIER_COUNT] = {0};
	uint64		i;
	int			rc;

	rc = SPI_execute(psprintf("SELECT custvalue.tier_rank(tier), "
							  "(min_amount * 100)::pg_catalog.int8 "
							  "FROM %s", cv_policy_source("tier_policy")), true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.tier_policy failed: %s",
			 SPI_result_code_string(rc));

	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull1,
					isnull2;
		int32		rank = DatumGetInt32(SPI_getbinval(tup, desc, 1, &isnull1));
		int64		cents = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull2));

		/* The table's constraints make these impossible; be safe anyway. */
		if (isnull1 || isnull2 || rank < 0 || rank >= TIER_COUNT)
			continue;
		policy->min_cents[rank] = cents;
		seen[rank] = true;
	}
	for (i = 0; i < TIER_COUNT; i++)
		if (!seen[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("custvalue.tier_policy has no threshold for tier \"%s\"",
							tier_name((Tier) i)),
					 errhint("Every tier needs a row in custvalue.tier_policy.")));
	return policy;
}

static CvPolicyCache tier_policy_cache = CV_POLICY_CACHE("tier_policy", load_tier_policy);

/*
 * The tier for one customer.  Card holders are tiered by annual spend; one
 * below the silver threshold (and anyone without a card) is tiered by
 * monthly ARPU.  NULL vip_card means no card; NULL annual_spend sends a card
 * holder to the ARPU classes; NULL ARPU where it is needed gives NULL.
 *
 * This runs for every customer of a nightly batch, so per row it is only:
 * the policy pinned for the statement (no table, catalog or SPI access),
 * each amount read in place as integer fen (no detoasting copy, no fmgr
 * call, no numeric arithmetic), and integer comparisons.  The result is a
 * one-byte pass-by-value tier: nothing is allocated.
 */
PG_FUNCTION_INFO_V1(tier_of);
Datum
tier_of(PG_FUNCTION_ARGS)
{
	const TierPolicy *policy = cv_policy_get(&tier_policy_cache, fcinfo);
	bool		vip_card = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	bool		have_spend = !PG_ARGISNULL(0);
	bool		have_arpu = !PG_ARGISNULL(1);
	int64		spend = 0;
	int64		arpu = 0;
	int			t;

	/* Both are validated whether or not they decide the tier. */
	if (have_spend)
		spend = cv_money_cents(PG_GETARG_DATUM(0), "annual_spend");
	if (have_arpu)
		arpu = cv_money_cents(PG_GETARG_DATUM(1), "monthly_arpu");

	if (vip_card && have_spend)
	{
		for (t = TIER_DIAMOND; t >= TIER_SILVER; t--)
			if (spend >= policy->min_cents[t])
				PG_RETURN_TIER((Tier) t);
	}
	if (!have_arpu)
		PG_RETURN_NULL();
	for (t = TIER_A; t > TIER_C; t--)
		if (arpu >= policy->min_cents[t])
			PG_RETURN_TIER((Tier) t);
	PG_RETURN_TIER(TIER_C);
}
