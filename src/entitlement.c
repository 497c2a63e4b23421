/*
 * entitlement.c
 *		overdraft_allowed(): the suspension-care rule (停机关怀) under the
 *		credits in custvalue.entitlement.
 *
 * A billing or credit-control run asks this for every account near its
 * limit, so it must not read the policy table per call: the credits of the
 * six tiers are cached per backend (policy_cache.h) and each call is a few
 * integer comparisons.
 */
#include "custvalue.h"

#include "executor/spi.h"
#include "money.h"
#include "policy_cache.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/numeric.h"

/*
 * Suspension care of one tier.  Amounts are numeric(12,2), so their value
 * in fen (cents) is exact; the Numeric copies serve the rare exact
 * comparison of an argument with sub-fen digits at a limit.
 */
typedef struct OverdraftTerms
{
	bool		granted;		/* the tier has suspension care */
	bool		has_cap;		/* a per-request cap applies */
	int64		credit_cents;	/* monthly overdraft credit */
	int64		cap_cents;		/* per-request cap */
	Numeric		credit;
	Numeric		cap;
} OverdraftTerms;

typedef struct OverdraftPolicy
{
	OverdraftTerms tier[TIER_COUNT];
} OverdraftPolicy;

static void *
load_overdraft_policy(MemoryContext cxt)
{
	OverdraftPolicy *policy = MemoryContextAllocZero(cxt, sizeof(OverdraftPolicy));
	uint64		i;
	int			rc;

	rc = SPI_execute(psprintf("SELECT custvalue.tier_rank(tier), amount, "
							  "(amount * 100)::pg_catalog.int8, per_request_cap, "
							  "(per_request_cap * 100)::pg_catalog.int8 "
							  "FROM %s "
							  "WHERE service_item = 'suspension_care'",
							  cv_policy_source("entitlement")), true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.entitlement failed: %s",
			 SPI_result_code_string(rc));

	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		rank_null,
					credit_null,
					cap_null;
		int32		rank = DatumGetInt32(SPI_getbinval(tup, desc, 1, &rank_null));
		Datum		credit = SPI_getbinval(tup, desc, 2, &credit_null);
		Datum		cap = SPI_getbinval(tup, desc, 4, &cap_null);
		OverdraftTerms *t;
		MemoryContext oldcxt;

		/*
		 * The table's validation makes these impossible (a credit is
		 * required); a row without one grants nothing rather than
		 * everything.
		 */
		if (rank_null || credit_null || rank < 0 || rank >= TIER_COUNT)
			continue;
		t = &policy->tier[rank];
		t->granted = true;
		t->credit_cents = DatumGetInt64(SPI_getbinval(tup, desc, 3, &credit_null));
		oldcxt = MemoryContextSwitchTo(cxt);
		t->credit = DatumGetNumeric(datumCopy(credit, false, -1));
		if (!cap_null)
		{
			t->has_cap = true;
			t->cap_cents = DatumGetInt64(SPI_getbinval(tup, desc, 5, &cap_null));
			t->cap = DatumGetNumeric(datumCopy(cap, false, -1));
		}
		MemoryContextSwitchTo(oldcxt);
	}
	return policy;
}

static CvPolicyCache overdraft_policy_cache =
CV_POLICY_CACHE("entitlement", load_overdraft_policy);

static int
numeric_cmp_datum(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

/*
 * overdraft_allowed(tier, used_this_month numeric, request numeric)
 *
 * True when request > 0, request <= the tier's per-request cap (if any) and
 * used_this_month + request <= its monthly credit: all limits inclusive
 * (the seed's 不超过).  Tiers without suspension care get false.  Negative,
 * NaN or infinite amounts are an error naming the argument (STRICT handles
 * NULLs).
 *
 * Exact for any numeric: arguments are read as whole fen, rounded down
 * (cv_money_cents()), which decides every case except an argument with
 * sub-fen digits within one fen of a limit; only those take numeric
 * arithmetic.
 */
PG_FUNCTION_INFO_V1(overdraft_allowed);
Datum
overdraft_allowed(PG_FUNCTION_ARGS)
{
	const OverdraftPolicy *policy = cv_policy_get(&overdraft_policy_cache, fcinfo);
	Tier		tier = PG_GETARG_TIER(0);
	int64		used = cv_money_cents(PG_GETARG_DATUM(1), "used_this_month");
	int64		request = cv_money_cents(PG_GETARG_DATUM(2), "request");
	const OverdraftTerms *t;
	int64		sum;

	if (tier >= TIER_COUNT)
		elog(ERROR, "invalid tier %d", (int) tier);
	t = &policy->tier[tier];

	/* Only a positive request is an overdraft; 0 < request < 0.01 still is. */
	if (request == 0 &&
		numeric_cmp_datum(PG_GETARG_DATUM(2),
						  DirectFunctionCall1(int4_numeric, Int32GetDatum(0))) == 0)
		PG_RETURN_BOOL(false);
	if (!t->granted)
		PG_RETURN_BOOL(false);

	/* request <= cap; request * 100 lies in [request, request + 1) fen. */
	if (t->has_cap)
	{
		if (request > t->cap_cents)
			PG_RETURN_BOOL(false);
		if (request == t->cap_cents &&
			numeric_cmp_datum(PG_GETARG_DATUM(2), NumericGetDatum(t->cap)) > 0)
			PG_RETURN_BOOL(false);
	}

	/*
	 * used + request <= credit.  Amounts from 10^12 yuan up come back as
	 * CV_MONEY_CENTS_MAX and exceed any credit; the sum then cannot
	 * overflow because both are below 2^62.
	 */
	if (used == CV_MONEY_CENTS_MAX || request == CV_MONEY_CENTS_MAX)
		PG_RETURN_BOOL(false);
	sum = used + request;		/* (used + request) * 100 in [sum, sum + 2) */
	if (sum > t->credit_cents)
		PG_RETURN_BOOL(false);
	if (sum + 2 <= t->credit_cents)
		PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(numeric_cmp_datum(DirectFunctionCall2(numeric_add,
														 PG_GETARG_DATUM(1),
														 PG_GETARG_DATUM(2)),
									 NumericGetDatum(t->credit)) <= 0);
}
