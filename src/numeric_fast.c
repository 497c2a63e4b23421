/*
 * numeric_fast.c
 *		custvalue.round2(float8) = round(value::numeric, 2) and
 *		custvalue.to_float8(numeric) = value::float8, the same values
 *		without the detour through text that PostgreSQL's casts take.
 *
 * The history stores each score as numeric with 2 decimals, as the live
 * scorecard shows it.  float8 to numeric goes through printf("%.15g") and
 * numeric_in, which was a quarter of run_month's scoring stage.  The
 * fast path rounds value * 100 directly; it gives the same answer whenever
 * value is below 1e6 in magnitude and value * 100 is not within 1e-6 of a
 * tie (x.5): there the 15-digit decimal and the double are closer to each
 * other (under 1e-7 after scaling) than either is to the tie, so both round
 * the same way.  Every other value takes the exact path of the SQL it
 * replaces.
 */
#include "custvalue.h"

#include <math.h>

#include "money.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(round2);
Datum
round2(PG_FUNCTION_ARGS)
{
	double		value = PG_GETARG_FLOAT8(0);
	double		scaled = fabs(value) * 100.0;

	if (fabs(value) < 1e6)
	{
		double		whole = floor(scaled);
		double		fraction = scaled - whole;

		if (fabs(fraction - 0.5) > 1e-6)
		{
			int64		cents = (int64) whole + (fraction > 0.5 ? 1 : 0);

			PG_RETURN_NUMERIC(int64_div_fast_to_numeric(value < 0 ? -cents : cents, 2));
		}
	}
	return DirectFunctionCall2(numeric_round,
							   DirectFunctionCall1(float8_numeric, Float8GetDatum(value)),
							   Int32GetDatum(2));
}

/*
 * numeric_float8() prints the numeric and reads it back with strtod(); an
 * amount in yuan and fen is cents / 100.0, the same double (money.c).
 */
PG_FUNCTION_INFO_V1(to_float8);
Datum
to_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(cv_numeric_float8(PG_GETARG_DATUM(0)));
}
