/*
 * custvalue.h
 *		Declarations shared by custvalue's C files.
 */
#ifndef CUSTVALUE_H
#define CUSTVALUE_H

#include "postgres.h"
#include "pg_compat.h"
#include "fmgr.h"

/*
 * A customer tier.  Stored as one byte whose integer order is the business
 * order (c < b < a < silver < gold < diamond), so comparison is integer
 * comparison and the type can be pass-by-value.
 */
typedef uint8 Tier;

#define TIER_C			0
#define TIER_B			1
#define TIER_A			2
#define TIER_SILVER		3
#define TIER_GOLD		4
#define TIER_DIAMOND	5
#define TIER_COUNT		6

#define TierIsCard(t)	((t) >= TIER_SILVER)

#define DatumGetTier(X)		((Tier) DatumGetUInt8(X))
#define TierGetDatum(X)		UInt8GetDatum(X)
#define PG_GETARG_TIER(n)	DatumGetTier(PG_GETARG_DATUM(n))
#define PG_RETURN_TIER(x)	return TierGetDatum(x)

/* tier.c */
extern const char *tier_name(Tier tier);
extern bool tier_parse(const char *str, Tier *result);

#endif							/* CUSTVALUE_H */
