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
 * fen (cents): floor(value * 100).  Amounts of CV_MONEY_CENTS_MAX / 100 yuan
 * or more (beyond any numeric(12,2)) give CV_MONEY_CENTS_MAX.
 *
 * For per-row hot paths: it reads the datum where it lies, so a short
 * numeric straight from a tuple is neither detoasted nor copied, and a
 * comparison with a threshold that is itself a whole number of fen (every
 * numeric(12,2) is) becomes one integer comparison:
 *		value >= t  <=>  cv_money_cents(value) >= t * 100
 */
#define CV_MONEY_CENTS_MAX	PG_INT64_MAX
extern int64 cv_money_cents(Datum value, const char *argname);

#endif							/* CUSTVALUE_MONEY_H */
