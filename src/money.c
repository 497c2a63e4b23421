/*
 * money.c
 *		Checks and comparisons on money arguments (numeric yuan).
 */
#include "custvalue.h"

#include "money.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

static Numeric
numeric_zero(void)
{
	static Numeric zero = NULL;

	if (zero == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		zero = int64_to_numeric(0);
		MemoryContextSwitchTo(old);
	}
	return zero;
}

void
cv_check_money(Numeric value, const char *argname)
{
	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite amount, not %s", argname,
						numeric_normalize(value))));
	if (!cv_numeric_ge(value, numeric_zero()))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative: %s", argname,
						numeric_normalize(value))));
}

bool
cv_numeric_ge(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(a),
											 NumericGetDatum(b))) >= 0;
}
