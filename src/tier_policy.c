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

/* Lower bound of each tier, indexed by Tier; copied out of the table. */
typedef struct TierPolicy
{
	Numeric		min_amount[TIER_COUNT];
} TierPolicy;

static void *
load_tier_policy(MemoryContext cxt)
{
	TierPolicy *policy = MemoryContextAllocZero(cxt, sizeof(TierPolicy));
	bool		seen[TIER_COUNT] = {0};
	uint64		i;
	int			rc;

	rc = SPI_execute("SELECT custvalue.tier_rank(tier), min_amount "
					 "FROM custvalue.tier_policy", true, 0);
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
		Datum		amount = SPI_getbinval(tup, desc, 2, &isnull2);
		MemoryContext old;

		/* The table's constraints make these impossible; be safe anyway. */
		if (isnull1 || isnull2 || rank < 0 || rank >= TIER_COUNT)
			continue;
		old = MemoryContextSwitchTo(cxt);
		policy->min_amount[rank] = DatumGetNumericCopy(amount);
		MemoryContextSwitchTo(old);
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
 * Per row this is a handful of numeric comparisons against thresholds
 * pinned for the statement: no table or catalog access.
 */
PG_FUNCTION_INFO_V1(tier_of);
Datum
tier_of(PG_FUNCTION_ARGS)
{
	const TierPolicy *policy = cv_policy_get(&tier_policy_cache, fcinfo);
	bool		vip_card = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	Numeric		spend = PG_ARGISNULL(0) ? NULL : PG_GETARG_NUMERIC(0);
	Numeric		arpu = PG_ARGISNULL(1) ? NULL : PG_GETARG_NUMERIC(1);
	int			t;

	if (spend)
		cv_check_money(spend, "annual_spend");
	if (arpu)
		cv_check_money(arpu, "monthly_arpu");

	if (vip_card && spend)
	{
		for (t = TIER_DIAMOND; t >= TIER_SILVER; t--)
			if (cv_numeric_ge(spend, policy->min_amount[t]))
				PG_RETURN_TIER((Tier) t);
	}
	if (arpu == NULL)
		PG_RETURN_NULL();
	for (t = TIER_A; t > TIER_C; t--)
		if (cv_numeric_ge(arpu, policy->min_amount[t]))
			PG_RETURN_TIER((Tier) t);
	PG_RETURN_TIER(TIER_C);
}
