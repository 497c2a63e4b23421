/*
 * service_item_eval.c
 *		Service-item evaluation (domain.md §4): five indicators on 0–100,
 *		their bands under custvalue.satisfaction_policy, and the decision
 *		to offer an item only when no indicator is low.
 */
#include "custvalue.h"

#include "catalog/pg_type.h"
#include "satisfaction.h"
#include "utils/builtins.h"

#define N_INDICATORS 5

/*
 * The seed's bands are whole points: 0–50 low, 51–75 medium, 76+ high.  A
 * survey share can fall between them (50.4 %), so the policy stores the
 * top of the low and medium bands and the bands are (−∞, low_max],
 * (low_max, medium_max], (medium_max, 100]: no score is left unbanded.
 */
static const char *
band_of(const SatisfactionPolicy *policy, double score)
{
	if (score <= policy->band_low_max)
		return "low";
	if (score <= policy->band_medium_max)
		return "medium";
	return "high";
}

static void
check_score(double score, const char *argname)
{
	if (!(score >= 0.0 && score <= 100.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s score %g is out of range", argname, score),
				 errdetail("Scores run from 0 to 100.")));
}

static double
survey_share(int32 count, int32 valid_sample, const char *argname)
{
	if (count < 0 || count > valid_sample)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s count %d is out of range", argname, count),
				 errdetail("A count runs from 0 to the valid sample (%d).", valid_sample)));
	return 100.0 * (double) count / (double) valid_sample;
}

PG_FUNCTION_INFO_V1(service_item_band);
Datum
service_item_band(PG_FUNCTION_ARGS)
{
	double		score = PG_GETARG_FLOAT8(0);

	check_score(score, "service item");
	PG_RETURN_TEXT_P(cstring_to_text(band_of(cv_satisfaction_policy(fcinfo), score)));
}

/*
 * service_item_evaluate(aware, well_perceived, finds_convenient,
 *                       valid_sample, coverage, operability)
 */
PG_FUNCTION_INFO_V1(service_item_evaluate);
Datum
service_item_evaluate(PG_FUNCTION_ARGS)
{
	const SatisfactionPolicy *policy = cv_satisfaction_policy(fcinfo);
	int32		valid_sample = PG_GETARG_INT32(3);
	double		score[N_INDICATORS];

	/* custvalue.service_item_assessment: the scores, their bands, offered */
	static const Oid types[] = {
		FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID, FLOAT8OID,
		TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID
	};
	Datum		values[lengthof(types)];
	bool		nulls[lengthof(types)] = {0};
	bool		offered = true;
	int			i;

	StaticAssertDecl(lengthof(types) == 2 * N_INDICATORS + 1, "scores, bands, offered");

	if (valid_sample <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("valid_sample must be positive, not %d", valid_sample)));
	score[0] = survey_share(PG_GETARG_INT32(0), valid_sample, "aware");
	score[1] = survey_share(PG_GETARG_INT32(1), valid_sample, "well_perceived");
	score[2] = survey_share(PG_GETARG_INT32(2), valid_sample, "finds_convenient");
	score[3] = PG_GETARG_FLOAT8(4);
	score[4] = PG_GETARG_FLOAT8(5);
	check_score(score[3], "coverage");
	check_score(score[4], "operability");

	for (i = 0; i < N_INDICATORS; i++)
	{
		const char *band = band_of(policy, score[i]);

		values[i] = Float8GetDatum(score[i]);
		values[N_INDICATORS + i] = CStringGetTextDatum(band);
		if (band[0] == 'l')
			offered = false;
	}
	values[2 * N_INDICATORS] = BoolGetDatum(offered);
	PG_RETURN_DATUM(cv_result_tuple(fcinfo, lengthof(types), types, values, nulls));
}
