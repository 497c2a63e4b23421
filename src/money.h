/*
 * money.h
 *		Checks on money arguments (numeric, yuan) shared by the functions.
 */
#ifndef CUSTVALUE_MONEY_H
#define CUSTVALUE_MONEY_H

#include "utils/numeric.h"

/*
 * Error (22023) unless value is a finite, non-negative amount; argname is
 * the SQL argument's name for the message.
 */
extern void cv_check_money(Numeric value, const char *argname);

/* a >= b for numerics, without a function-call round trip per use. */
extern bool cv_numeric_ge(Numeric a, Numeric b);

/*
 * The amount in a numeric Datum, checked as cv_check_money() does, in whole
 * fen (cents): floor(value * 100).  Amounts of 10^12 yuan or more (beyond
 * any numeric(12,2)) give CV_MONEY_CENTS_MAX.
 *
 * For per-row hot paths: it reads the datum where it lies, so a short
 * numeric straight from a tuple is neither detoasted nor copied, and a
 * comparison with a threshold that is itself a whole number of fen (every
 * numeric(12,2) is) becomes one integer comparison:
 *		value >= t  <=>  cv_money_cents(value) >= t * 100
 */
#define CV_MONEY_CENTS_MAX	PG_INT64_MAX
extern int64 cv_money_cents_slow(Datum value, const char *argname);
extern double cv_numeric_float8(Datum value);

/*
 * numeric's on-disk format (src/backend/utils/adt/numeric.c), which must
 * stay stable for pg_upgrade: a varlena holding a 16-bit header, in the
 * long form an int16 weight, then int16 digits in base 10000, most
 * significant first, leading and trailing zero digits stripped.
 */
#define CV_NUMERIC_NBASE			10000
#define CV_NUMERIC_SIGN_MASK		0xC000
#define CV_NUMERIC_NEG				0x4000
#define CV_NUMERIC_SHORT			0x8000
#define CV_NUMERIC_SPECIAL			0xC000
#define CV_NUMERIC_SHORT_SIGN_MASK	0x2000
#define CV_NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define CV_NUMERIC_SHORT_WEIGHT_MASK	0x003F
#define CV_NUMERIC_SHORT_DSCALE_MASK	0x1F80
#define CV_NUMERIC_SHORT_DSCALE_SHIFT	7

static inline int64
cv_numeric_digit(const char *digits, int ndigits, int k)
{
	int16		d = 0;

	/* Payloads of 1-byte-header varlenas are not aligned: memcpy. */
	if (k < ndigits)
		memcpy(&d, digits + k * sizeof(int16), sizeof(int16));
	return d;
}

/*
 * Inline, for the amounts money columns hold: an uncompressed short-form
 * numeric, positive, 0 or from 1 yuan up to 10^8 (weight 0 or 1).  Anything
 * else, errors included, takes cv_money_cents_slow().
 */
static inline int64
cv_money_cents(Datum value, const char *argname)
{
	const char *v = DatumGetPointer(value);
	const char *data;
	int			len;
	uint16		header;

	if (VARATT_IS_1B(v) && !VARATT_IS_1B_E(v))
	{
		data = VARDATA_1B(v);
		len = VARSIZE_1B(v) - VARHDRSZ_SHORT;
	}
	else if (VARATT_IS_4B_U(v))
	{
		data = VARDATA_4B(v);
		len = VARSIZE_4B(v) - VARHDRSZ;
	}
	else
		return cv_money_cents_slow(value, argname);

	memcpy(&header, data, sizeof(uint16));
	if ((header & (CV_NUMERIC_SIGN_MASK | CV_NUMERIC_SHORT_SIGN_MASK |
				   CV_NUMERIC_SHORT_WEIGHT_SIGN_MASK)) == CV_NUMERIC_SHORT)
	{
		const char *digits = data + sizeof(uint16);
		int			ndigits = (len - (int) sizeof(uint16)) / (int) sizeof(int16);
		int64		acc;		/* floor(value * NBASE) */

		switch (header & CV_NUMERIC_SHORT_WEIGHT_MASK)
		{
			case 0:
				acc = cv_numeric_digit(digits, ndigits, 0) * CV_NUMERIC_NBASE +
					cv_numeric_digit(digits, ndigits, 1);
				return acc / (CV_NUMERIC_NBASE / 100);
			case 1:
				acc = (cv_numeric_digit(digits, ndigits, 0) * CV_NUMERIC_NBASE +
					   cv_numeric_digit(digits, ndigits, 1)) * CV_NUMERIC_NBASE +
					cv_numeric_digit(digits, ndigits, 2);
				return acc / (CV_NUMERIC_NBASE / 100);
			default:
				break;
		}
	}
	return cv_money_cents_slow(value, argname);
}

#ifndef HAVE_INT128
#error "custvalue needs a compiler with a 128-bit integer type"
#endif

/*
 * num / den rounded half away from zero, as numeric's round() rounds; den
 * must be positive.  Exact where numeric arithmetic on a recurring decimal
 * is not.
 */
static inline int64
cv_div_round(int128 num, int128 den)
{
	int128		q = num / den;
	int128		r = num % den;

	if (2 * (r < 0 ? -r : r) >= den)
		q += num < 0 ? -1 : 1;
	return (int64) q;
}

#endif							/* CUSTVALUE_MONEY_H */
