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

#endif							/* CUSTVALUE_MONEY_H */
