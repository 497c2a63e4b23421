/*
 * tier.c
 *		The tier type: I/O, comparison, hashing.
 *
 * A tier is one byte (see custvalue.h).  Text input accepts the English
 * names in any case and the seed's Chinese names; output is always the
 * lower-case English name, so dumps and BI tools see one spelling.
 */
#include "custvalue.h"

#include "common/hashfn.h"
#include "common/string.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/sortsupport.h"

PG_MODULE_MAGIC;

typedef struct TierNames
{
	const char *english;
	const char *chinese;		/* UTF-8 */
} TierNames;

static const TierNames tier_names[TIER_COUNT] = {
	[TIER_C] = {"c", "C类"},
	[TIER_B] = {"b", "B类"},
	[TIER_A] = {"a", "A类"},
	[TIER_SILVER] = {"silver", "银卡"},
	[TIER_GOLD] = {"gold", "金卡"},
	[TIER_DIAMOND] = {"diamond", "钻卡"},
};

#define TIER_VALID_NAMES \
	"diamond, gold, silver, a, b, c (or 钻卡, 金卡, 银卡, A类, B类, C类)"

const char *
tier_name(Tier tier)
{
	Assert(tier < TIER_COUNT);
	return tier_names[tier].english;
}

/*
 * Parse a tier name, ignoring surrounding white space and the case of Latin
 * letters.  The Chinese names are compared in UTF-8 whatever the database
 * encoding is.
 */
bool
tier_parse(const char *str, Tier *result)
{
	const char *start = str;
	const char *end = str + strlen(str);
	int			len;
	char	   *utf8;
	size_t		utf8len;
	int			i;

	while (start < end && isspace((unsigned char) *start))
		start++;
	while (end > start && isspace((unsigned char) end[-1]))
		end--;
	len = end - start;

	for (i = 0; i < TIER_COUNT; i++)
	{
		if (strlen(tier_names[i].english) == len &&
			pg_strncasecmp(start, tier_names[i].english, len) == 0)
		{
			*result = (Tier) i;
			return true;
		}
	}

	/* Only non-ASCII input can be a Chinese name: skip the conversion else. */
	if (pg_is_ascii(str))
		return false;

	/*
	 * Without a conversion (a UTF-8 database) this returns start itself,
	 * which is not terminated after the trimmed name; a converted copy is.
	 */
	utf8 = (char *) pg_server_to_any(start, len, PG_UTF8);
	utf8len = (utf8 == start) ? (size_t) len : strlen(utf8);
	for (i = 0; i < TIER_COUNT; i++)
	{
		const char *zh = tier_names[i].chinese;
		size_t		zhlen = strlen(zh);

		/* The Latin letter of A类/B类/C类 may come in either case. */
		if (utf8len == zhlen && pg_strncasecmp(utf8, zh, zhlen) == 0)
		{
			*result = (Tier) i;
			return true;
		}
	}
	return false;
}

PG_FUNCTION_INFO_V1(tier_in);
Datum
tier_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Tier		tier;

	if (!tier_parse(str, &tier))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type tier: \"%s\"", str),
				 errhint("Valid tiers are " TIER_VALID_NAMES ".")));
	PG_RETURN_TIER(tier);
}

PG_FUNCTION_INFO_V1(tier_out);
Datum
tier_out(PG_FUNCTION_ARGS)
{
	Tier		tier = PG_GETARG_TIER(0);

	PG_RETURN_CSTRING(pstrdup(tier_name(tier)));
}

PG_FUNCTION_INFO_V1(tier_recv);
Datum
tier_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			value = pq_getmsgbyte(buf);

	if (value < 0 || value >= TIER_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external tier value %d", value),
				 errhint("The binary form of a tier is one byte from 0 (c) to 5 (diamond).")));
	PG_RETURN_TIER((Tier) value);
}

PG_FUNCTION_INFO_V1(tier_send);
Datum
tier_send(PG_FUNCTION_ARGS)
{
	Tier		tier = PG_GETARG_TIER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, tier);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The seed's Chinese name, converted to the database encoding. */
PG_FUNCTION_INFO_V1(tier_label_zh);
Datum
tier_label_zh(PG_FUNCTION_ARGS)
{
	const char *zh = tier_names[PG_GETARG_TIER(0)].chinese;

	PG_RETURN_TEXT_P(cstring_to_text(pg_any_to_server(zh, strlen(zh), PG_UTF8)));
}

PG_FUNCTION_INFO_V1(tier_rank);
Datum
tier_rank(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_TIER(0));
}

PG_FUNCTION_INFO_V1(tier_from_rank);
Datum
tier_from_rank(PG_FUNCTION_ARGS)
{
	int32		rank = PG_GETARG_INT32(0);

	if (rank < 0 || rank >= TIER_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tier rank %d is out of range", rank),
				 errdetail("Tier ranks go from 0 (c) to 5 (diamond).")));
	PG_RETURN_TIER((Tier) rank);
}

PG_FUNCTION_INFO_V1(tier_is_card);
Datum
tier_is_card(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(TierIsCard(PG_GETARG_TIER(0)));
}

/* Comparison: the one-byte values are ordered like the tiers. */
#define TIER_CMP_FUNCTION(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_TIER(0) op PG_GETARG_TIER(1)); \
}

TIER_CMP_FUNCTION(tier_eq, ==)
TIER_CMP_FUNCTION(tier_ne, !=)
TIER_CMP_FUNCTION(tier_lt, <)
TIER_CMP_FUNCTION(tier_le, <=)
TIER_CMP_FUNCTION(tier_gt, >)
TIER_CMP_FUNCTION(tier_ge, >=)

PG_FUNCTION_INFO_V1(tier_cmp);
Datum
tier_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_TIER(0) - (int32) PG_GETARG_TIER(1));
}

PG_FUNCTION_INFO_V1(tier_larger);
Datum
tier_larger(PG_FUNCTION_ARGS)
{
	Tier		a = PG_GETARG_TIER(0);
	Tier		b = PG_GETARG_TIER(1);

	PG_RETURN_TIER(a > b ? a : b);
}

PG_FUNCTION_INFO_V1(tier_smaller);
Datum
tier_smaller(PG_FUNCTION_ARGS)
{
	Tier		a = PG_GETARG_TIER(0);
	Tier		b = PG_GETARG_TIER(1);

	PG_RETURN_TIER(a < b ? a : b);
}

static int
tier_fastcmp(Datum a, Datum b, SortSupport ssup)
{
	return (int) DatumGetTier(a) - (int) DatumGetTier(b);
}

/* Sorting by tier skips the fmgr call per comparison. */
PG_FUNCTION_INFO_V1(tier_sortsupport);
Datum
tier_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = tier_fastcmp;
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(tier_hash);
Datum
tier_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_TIER(0));
}

PG_FUNCTION_INFO_V1(tier_hash_extended);
Datum
tier_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_TIER(0), PG_GETARG_INT64(1));
}
