/*
 * clv.c
 *		custvalue.clv(): customer lifetime value of a monthly margin under a
 *		monthly retention rate and a monthly discount rate.
 *
 * The customer is active now and earns this month's margin; each further
 * month is earned with probability retention^t and discounted by
 * (1 + discount_rate)^t (Gupta & Lehmann, "Customers as assets", 2003):
 *     CLV = m * sum_{t=0}^{H-1} x^t,   x = retention / (1 + discount_rate)
 *         = m * (1 - x^H) / (1 - x)          (finite horizon H)
 *         = m * (1 + d) / (1 + d - r)        (H = infinity)
 * 1 - x^H is computed as -expm1(H * log x) so that x near 1 keeps its
 * precision.  Retention is an argument, so churn models or cohort curves can
 * supply it; the function itself depends only on its arguments (IMMUTABLE).
 */
#include "custvalue.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/float.h"

static void
bad_arg(const char *msg, double v)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg(msg, float8out_internal(v))));
}

PG_FUNCTION_INFO_V1(clv);
Datum
clv(PG_FUNCTION_ARGS)
{
	double		m = PG_GETARG_FLOAT8(0);
	double		r = PG_GETARG_FLOAT8(1);
	double		d = PG_GETARG_FLOAT8(2);
	double		h = PG_GETARG_FLOAT8(3);
	double		factor;
	double		result;

	if (isnan(m) || isinf(m))
		bad_arg("monthly_margin must be finite, not %s", m);
	if (isnan(r) || r < 0 || r > 1)
		bad_arg("monthly_retention must be between 0 and 1, not %s", r);
	if (isnan(d) || isinf(d) || d < 0)
		bad_arg("discount_rate must be a finite non-negative monthly rate, not %s", d);
	if (isnan(h) || h < 0 || (!isinf(h) && h != floor(h)))
		bad_arg("horizon_months must be a whole number of months or infinity, not %s", h);

	if (h == 0)
		PG_RETURN_FLOAT8(0.0);
	if (isinf(h))
	{
		if (r == 1 && d == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("lifetime value over an infinite horizon diverges with retention 1 and discount rate 0"),
					 errhint("Give a finite horizon_months, a retention below 1 or a positive discount rate.")));
		factor = (1 + d) / (1 + d - r);
	}
	else if (r == 1 && d == 0)
		factor = h;
	else
	{
		double		x = r / (1 + d);
		double		one_minus_x = (1 + d - r) / (1 + d);

		factor = -expm1(h * log(x)) / one_minus_x;
	}
	result = m * factor;
	if (isinf(result) || isnan(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("lifetime value is out of range")));
	PG_RETURN_FLOAT8(result);
}
