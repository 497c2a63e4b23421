/*
 * churn_features.c
 *		custvalue.churn_features(...): the churn model's feature vector from
 *		a customer's warning inputs, in the order of churn_feature_names().
 *
 * It was an inlined SQL function: eleven expressions and an array
 * constructor per customer, and arrears converted to float8 through text --
 * a tenth of run_month's inputs stage.  Here it is the same arithmetic in
 * the same order, with PostgreSQL's NULL and NaN rules: coalesce() makes a
 * missing drop, CSAT drop, bundle or arrears 0, CASE makes a missing NPS or
 * suspension 0, and a missing count stays a NULL element; NaN sorts above
 * every number in greatest() and least().
 */
#include "custvalue.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "money.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#define CHURN_FEATURES 11

/* greatest(lo, x) with NaN the largest value */
static double
at_least(double lo, double x)
{
	return isnan(x) || x > lo ? x : lo;
}

/* least(hi, x) with NaN the largest value */
static double
at_most(double hi, double x)
{
	return isnan(x) || x > hi ? hi : x;
}

static double
float8_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? 0 : PG_GETARG_FLOAT8(argno);
}

PG_FUNCTION_INFO_V1(churn_features);
Datum
churn_features(PG_FUNCTION_ARGS)
{
	Datum		f[CHURN_FEATURES];
	bool		nulls[CHURN_FEATURES] = {0};
	int			dims[1] = {CHURN_FEATURES};
	int			lbs[1] = {1};
	double		arrears;

	/* arpu_drop, usage_drop: clipped to [0, 1] */
	f[0] = Float8GetDatum(at_least(0, at_most(1, float8_arg(fcinfo, 0))));
	f[1] = Float8GetDatum(at_least(0, at_most(1, float8_arg(fcinfo, 1))));
	/* complaints_30d */
	nulls[2] = PG_ARGISNULL(2);
	f[2] = Float8GetDatum(nulls[2] ? 0 : (double) PG_GETARG_INT32(2));
	/* tenure in years */
	nulls[3] = PG_ARGISNULL(3);
	f[3] = Float8GetDatum(nulls[3] ? 0 : PG_GETARG_INT32(3) / 12.0);
	/* detractor */
	f[4] = Float8GetDatum(!PG_ARGISNULL(4) && PG_GETARG_INT32(4) < 7 ? 1 : 0);
	/* satisfaction_drop, not below 0 */
	f[5] = Float8GetDatum(at_least(0, float8_arg(fcinfo, 5)));
	/* dissatisfied_30d */
	nulls[6] = PG_ARGISNULL(6);
	f[6] = Float8GetDatum(nulls[6] ? 0 : (double) PG_GETARG_INT32(6));
	/* bundle end proximity: 1 today, 0 at 90 days or more, 0 without one */
	f[7] = Float8GetDatum(PG_ARGISNULL(7) ? 0 : at_least(0, 1 - PG_GETARG_INT32(7) / 90.0));
	/* ln(1 + arrears), with ln's errors for 1 + arrears <= 0 */
	arrears = PG_ARGISNULL(8) ? 0 : cv_numeric_float8(PG_GETARG_DATUM(8));
	f[8] = DirectFunctionCall1(dlog1, Float8GetDatum(1 + arrears));
	/* suspended */
	f[9] = Float8GetDatum(!PG_ARGISNULL(9) && PG_GETARG_BOOL(9) ? 1 : 0);
	/* cancellations_30d */
	nulls[10] = PG_ARGISNULL(10);
	f[10] = Float8GetDatum(nulls[10] ? 0 : (double) PG_GETARG_INT32(10));

	PG_RETURN_ARRAYTYPE_P(construct_md_array(f, nulls, 1, dims, lbs, FLOAT8OID,
											 sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
