/*
 * money.c
 *		Checks and comparisons on money arguments (numeric yuan).
 *
 * The functions that tier, score and warn run once per customer per night,
 * so their money arguments are read here without the generic numeric
 * machinery: no detoasting copy, no fmgr call, no NumericVar.  That means
 * reading numeric's on-disk format, which PostgreSQL must keep stable for
 * pg_upgrade (see money.h).  The common case is inline in money.h; this
 * file has the general one.
 */
#include "custvalue.h"

#include "money.h"
#include "utils/builtins.h"

#define NBASE					CV_NUMERIC_NBASE
#define NUMERIC_SIGN_MASK		CV_NUMERIC_SIGN_MASK
#define NUMERIC_NEG				CV_NUMERIC_NEG
#define NUMERIC_SHORT			CV_NUMERIC_SHORT
#define NUMERIC_SPECIAL			CV_NUMERIC_SPECIAL
#define NUMERIC_SHORT_SIGN_MASK	CV_NUMERIC_SHORT_SIGN_MASK
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK	CV_NUMERIC_SHORT_WEIGHT_SIGN_MASK
#define NUMERIC_SHORT_WEIGHT_MASK		CV_NUMERIC_SHORT_WEIGHT_MASK

/* A finite numeric's sign, weight and digits, as they lie in the datum. */
typedef struct MoneyParts
{
	bool		special;		/* NaN or ±Infinity: nothing else is set */
	bool		negative;
	int			weight;			/* of digits[0], in powers of NBASE */
	int			ndigits;
	const char *digits;			/* int16s, possibly unaligned */
} MoneyParts;

/*
 * Decode the numeric whose varlena payload (after the length word, of
 * either length-word size) is data[0 .. len).
 */
static inline void
money_parts(const char *data, Size len, MoneyParts *parts)
{
	uint16		header;
	Size		hdrsz;

	/* Payloads of 1-byte-header varlenas are not aligned: memcpy. */
	memcpy(&header, data, sizeof(uint16));
	parts->special = false;
	parts->negative = false;
	parts->weight = 0;
	parts->ndigits = 0;
	parts->digits = NULL;
	switch (header & NUMERIC_SIGN_MASK)
	{
		case NUMERIC_SPECIAL:
			parts->special = true;
			return;
		case NUMERIC_SHORT:
			parts->negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
			parts->weight = (header & NUMERIC_SHORT_WEIGHT_SIGN_MASK ?
							 ~NUMERIC_SHORT_WEIGHT_MASK : 0) |
				(header & NUMERIC_SHORT_WEIGHT_MASK);
			hdrsz = sizeof(uint16);
			break;
		default:
			{
				int16		weight;

				memcpy(&weight, data + sizeof(uint16), sizeof(int16));
				parts->negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
				parts->weight = weight;
				hdrsz = sizeof(uint16) + sizeof(int16);
				break;
			}
	}
	parts->ndigits = (len - hdrsz) / sizeof(int16);
	parts->digits = data + hdrsz;
	/* Zero has no digits and is never negative, whatever its sign bit. */
	if (parts->ndigits == 0)
		parts->negative = false;
}

pg_noreturn static void
money_error(Numeric value, const char *argname)
{
	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite amount, not %s", argname,
						numeric_normalize(value))));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must not be negative: %s", argname,
					numeric_normalize(value))));
}

void
cv_check_money(Numeric value, const char *argname)
{
	MoneyParts	parts;

	/* The sign is in the header: no comparison with zero needed. */
	money_parts(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), &parts);
	if (parts.special || parts.negative)
		money_error(value, argname);
}

bool
cv_numeric_ge(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(a),
											 NumericGetDatum(b))) >= 0;
}

int64
cv_money_cents_slow(Datum value, const char *argname)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(value);
	MoneyParts	parts;
	int64		acc = 0;
	int			k;

	/*
	 * Only a compressed or out-of-line value needs detoasting; an inline
	 * one, with a 1- or 4-byte length word, is read in place.  Money
	 * amounts are a few bytes, so in practice this never copies.
	 */
	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
		v = pg_detoast_datum(v);
	money_parts(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), &parts);
	if (parts.special || parts.negative)
		money_error(DatumGetNumeric(value), argname);

	/*
	 * acc = floor(value * NBASE): the digits of weight -1 and up, as an
	 * integer; lower ones only add a fraction below 1.  Digits at or above
	 * NBASE^3 (10^12 yuan) could overflow: saturate, no threshold is there.
	 */
	if (parts.weight >= 3)
		return CV_MONEY_CENTS_MAX;
	for (k = 0; k <= parts.weight + 1; k++)
	{
		int16		digit = 0;

		if (k < parts.ndigits)
			memcpy(&digit, parts.digits + k * sizeof(int16), sizeof(int16));
		acc = acc * NBASE + digit;
	}
	return acc / (NBASE / 100);
}

/*
 * value::float8.  A numeric of at most 2 decimals is cents / 100.0, the
 * double nearest the decimal (both operands are exact and IEEE division
 * rounds correctly), which is what numeric_float8()'s strtod() gives; any
 * other value takes numeric_float8() itself.
 */
double
cv_numeric_float8(Datum value)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(value);

	if (!VARATT_IS_EXTENDED(v) || VARATT_IS_SHORT(v))
	{
		const char *data = VARDATA_ANY(v);
		uint16		header;

		memcpy(&header, data, sizeof(uint16));
		/* a short-format, non-negative numeric with dscale <= 2 */
		if ((header & (CV_NUMERIC_SIGN_MASK | CV_NUMERIC_SHORT_SIGN_MASK)) == CV_NUMERIC_SHORT &&
			((header & CV_NUMERIC_SHORT_DSCALE_MASK) >> CV_NUMERIC_SHORT_DSCALE_SHIFT) <= 2)
		{
			int64		cents = cv_money_cents(value, "value");

			if (cents < ((int64) 1 << 53))
				return (double) cents / 100.0;
		}
	}
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, value));
}
