/*
 * churn_warning.c
 *		churn_warning(): the rule-based churn early warning of one customer
 *		under the policy in custvalue.churn_signal and churn_warning_level.
 *
 * Per row: eleven comparisons against thresholds pinned for the statement,
 * an integer sum of weights (in thousandths, so 0.1 + 0.2 reaches a level
 * set at 0.3 exactly), and the jsonb of the fired signals, built directly
 * (no JSON text to parse; a shared {} when nothing fired).  No table or
 * catalog access per row: the level enum's OIDs and the result's tuple
 * descriptor are looked up once, with the policy.
 */
#include "custvalue.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "money.h"
#include "policy_cache.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

typedef enum ChurnSignal
{
	SIG_ARPU_DROP,
	SIG_USAGE_DROP,
	SIG_COMPLAINTS_30D,
	SIG_SHORT_TENURE,
	SIG_DETRACTOR,
	SIG_SATISFACTION_DROP,
	SIG_DISSATISFIED_30D,
	SIG_BUNDLE_ENDING,
	SIG_ARREARS,
	SIG_SUSPENDED,
	SIG_CANCELLATIONS_30D,
	N_SIGNALS
} ChurnSignal;

/* Name, and whether it fires below (true) or at/above (false) threshold. */
static const struct
{
	const char *name;
	bool		below;
	bool		integral;		/* value printed as an integer */
}			signal_info[N_SIGNALS] = {
	[SIG_ARPU_DROP] = {"arpu_drop", false, false},
	[SIG_USAGE_DROP] = {"usage_drop", false, false},
	[SIG_COMPLAINTS_30D] = {"complaints_30d", false, true},
	[SIG_SHORT_TENURE] = {"short_tenure", true, true},
	[SIG_DETRACTOR] = {"detractor", true, true},
	[SIG_SATISFACTION_DROP] = {"satisfaction_drop", false, false},
	[SIG_DISSATISFIED_30D] = {"dissatisfied_30d", false, true},
	[SIG_BUNDLE_ENDING] = {"bundle_ending", true, true},
	[SIG_ARREARS] = {"arrears", false, false},
	[SIG_SUSPENDED] = {"suspended", false, true},
	[SIG_CANCELLATIONS_30D] = {"cancellations_30d", false, true},
};

/* warning_level labels, in enum order */
#define N_LEVELS 4
static const char *const level_names[N_LEVELS] = {"none", "yellow", "orange", "red"};

typedef struct SignalRule
{
	bool		enabled;
	float8		threshold;
	int64		weight_milli;
	int			min_level;		/* index into level_names, 0 = none */
} SignalRule;

typedef struct WarningPolicy
{
	SignalRule	rules[N_SIGNALS];
	int64		level_min_milli[N_LEVELS];	/* [0] unused */
	Oid			level_oid[N_LEVELS];
} WarningPolicy;

static int
level_index(const char *label)
{
	for (int i = 0; i < N_LEVELS; i++)
		if (strcmp(label, level_names[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown churn warning level \"%s\"", label)));
	return 0;					/* keep compiler quiet */
}

/* numeric -> thousandths, exactly for numeric(…,3) columns */
static int64
to_milli(Datum num)
{
	Numeric		scaled = DatumGetNumeric(DirectFunctionCall2(numeric_mul, num,
															 DirectFunctionCall1(int4_numeric, Int32GetDatum(1000))));

	return DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(scaled)));
}

static void *
load_warning_policy(MemoryContext cxt)
{
	WarningPolicy *policy = MemoryContextAllocZero(cxt, sizeof(WarningPolicy));
	bool		seen[N_SIGNALS] = {0};
	bool		seen_level[N_LEVELS] = {0};
	int			rc;

	rc = SPI_execute("SELECT signal, enabled, threshold::float8, weight, min_level::text "
					 "FROM custvalue.churn_signal", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.churn_signal failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *name = SPI_getvalue(tup, desc, 1);
		char	   *min_level = SPI_getvalue(tup, desc, 5);
		bool		isnull;
		int			s;

		for (s = 0; s < N_SIGNALS; s++)
			if (strcmp(name, signal_info[s].name) == 0)
				break;
		if (s == N_SIGNALS)
			continue;			/* the table's CHECK makes this impossible */
		policy->rules[s].enabled = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
		policy->rules[s].threshold = DatumGetFloat8(SPI_getbinval(tup, desc, 3, &isnull));
		policy->rules[s].weight_milli = to_milli(SPI_getbinval(tup, desc, 4, &isnull));
		policy->rules[s].min_level = min_level ? level_index(min_level) : 0;
		seen[s] = true;
	}
	for (int s = 0; s < N_SIGNALS; s++)
		if (!seen[s])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("custvalue.churn_signal has no row for signal \"%s\"", signal_info[s].name)));

	rc = SPI_execute("SELECT level::text, min_score FROM custvalue.churn_warning_level", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.churn_warning_level failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int			l = level_index(SPI_getvalue(tup, desc, 1));

		policy->level_min_milli[l] = to_milli(SPI_getbinval(tup, desc, 2, &isnull));
		seen_level[l] = true;
	}
	for (int l = 1; l < N_LEVELS; l++)
		if (!seen_level[l])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("custvalue.churn_warning_level has no row for level \"%s\"", level_names[l])));

	rc = SPI_execute("SELECT enumlabel::text, oid FROM pg_catalog.pg_enum "
					 "WHERE enumtypid = 'custvalue.warning_level'::pg_catalog.regtype", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading custvalue.warning_level failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		int			l = level_index(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));

		policy->level_oid[l] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
															 SPI_tuptable->tupdesc, 2, &isnull));
	}
	for (int l = 0; l < N_LEVELS; l++)
		if (!OidIsValid(policy->level_oid[l]))
			elog(ERROR, "custvalue.warning_level lacks the label \"%s\"", level_names[l]);
	return policy;
}

/* The loader reads both tables; a change to either reloads. */
static CvPolicyCache warning_policy_cache =
CV_POLICY_CACHE_2("churn_signal", "churn_warning_level", load_warning_policy);

typedef struct WarningCallCache
{
	void	   *pin;
	TupleDesc	desc;
	Jsonb	   *empty;			/* {} for customers with no signal */
} WarningCallCache;

/*
 * A signal's value as a jsonb numeric: integers exactly, fractions in the
 * shortest decimal that reads back to the same double.
 */
static Numeric
value_numeric(float8 v, bool integral)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (integral && fabs(v) < 1e15)
		return int64_to_numeric((int64) v);
	double_to_shortest_decimal_buf(v, tmp);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(tmp),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

PG_FUNCTION_INFO_V1(churn_warning);
Datum
churn_warning(PG_FUNCTION_ARGS)
{
	WarningCallCache *cc = fcinfo->flinfo->fn_extra;
	const WarningPolicy *policy;
	float8		value[N_SIGNALS];
	bool		known[N_SIGNALS];
	int64		score = 0;
	int			level = 0;
	JsonbParseState *state = NULL;
	int			nfired = 0;
	Datum		values[3];
	bool		nulls[3] = {0};

	if (cc == NULL)
	{
		TupleDesc	desc;

		cc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(WarningCallCache));
		fcinfo->flinfo->fn_extra = cc;
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "churn_warning must return a composite type");
		{
			MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

			cc->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
			cc->empty = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
			MemoryContextSwitchTo(old);
		}
	}
	policy = cv_policy_pin(&warning_policy_cache, fcinfo->flinfo->fn_mcxt, &cc->pin);

	/* Arguments in signal order; integers widen exactly to double. */
	for (int s = 0; s < N_SIGNALS; s++)
		known[s] = !PG_ARGISNULL(s);
	if (known[SIG_ARPU_DROP])
		value[SIG_ARPU_DROP] = PG_GETARG_FLOAT8(0);
	if (known[SIG_USAGE_DROP])
		value[SIG_USAGE_DROP] = PG_GETARG_FLOAT8(1);
	if (known[SIG_COMPLAINTS_30D])
		value[SIG_COMPLAINTS_30D] = PG_GETARG_INT32(2);
	if (known[SIG_SHORT_TENURE])
		value[SIG_SHORT_TENURE] = PG_GETARG_INT32(3);
	if (known[SIG_DETRACTOR])
		value[SIG_DETRACTOR] = PG_GETARG_INT32(4);
	if (known[SIG_SATISFACTION_DROP])
		value[SIG_SATISFACTION_DROP] = PG_GETARG_FLOAT8(5);
	if (known[SIG_DISSATISFIED_30D])
		value[SIG_DISSATISFIED_30D] = PG_GETARG_INT32(6);
	if (known[SIG_BUNDLE_ENDING])
		value[SIG_BUNDLE_ENDING] = PG_GETARG_INT32(7);
	if (known[SIG_ARREARS])
	{
		int64		cents = cv_money_cents(PG_GETARG_DATUM(8), "arrears");

		value[SIG_ARREARS] = cents == CV_MONEY_CENTS_MAX ? 1e12 : cents / 100.0;
	}
	if (known[SIG_SUSPENDED])
		value[SIG_SUSPENDED] = PG_GETARG_BOOL(9) ? 1 : 0;
	if (known[SIG_CANCELLATIONS_30D])
		value[SIG_CANCELLATIONS_30D] = PG_GETARG_INT32(10);

	/* Counts and tenure cannot be negative, nor an NPS answer beyond 0-10. */
	{
		static const int nonnegative[] = {SIG_COMPLAINTS_30D, SIG_SHORT_TENURE,
		SIG_DISSATISFIED_30D, SIG_CANCELLATIONS_30D};

		for (int i = 0; i < lengthof(nonnegative); i++)
			if (known[nonnegative[i]] && value[nonnegative[i]] < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("churn_warning: %s must not be negative: %d",
								nonnegative[i] == SIG_SHORT_TENURE ? "tenure_months" :
								signal_info[nonnegative[i]].name,
								(int) value[nonnegative[i]])));
		if (known[SIG_DETRACTOR] && (value[SIG_DETRACTOR] < 0 || value[SIG_DETRACTOR] > 10))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_warning: nps must be between 0 and 10, not %d",
							(int) value[SIG_DETRACTOR])));
	}

	for (int s = 0; s < N_SIGNALS; s++)
	{
		const SignalRule *rule = &policy->rules[s];
		bool		fired;

		if (!known[s] || !rule->enabled)
			continue;
		if (isnan(value[s]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_warning: %s must not be NaN", signal_info[s].name)));
		/* An infinite value would also end up in the jsonb as a number,
		 * which JSON cannot represent. */
		if (isinf(value[s]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_warning: %s must be finite, not %s", signal_info[s].name,
							value[s] > 0 ? "Infinity" : "-Infinity")));
		fired = signal_info[s].below ? value[s] < rule->threshold
			: value[s] >= rule->threshold;
		if (!fired)
			continue;
		score += rule->weight_milli;
		level = Max(level, rule->min_level);
		{
			JsonbValue	k,
						v;

			if (nfired++ == 0)
				pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
			k.type = jbvString;
			k.val.string.val = (char *) signal_info[s].name;
			k.val.string.len = strlen(signal_info[s].name);
			pushJsonbValue(&state, WJB_KEY, &k);
			v.type = jbvNumeric;
			v.val.numeric = value_numeric(value[s], signal_info[s].integral);
			pushJsonbValue(&state, WJB_VALUE, &v);
		}
	}
	for (int l = N_LEVELS - 1; l > 0; l--)
		if (score >= policy->level_min_milli[l])
		{
			level = Max(level, l);
			break;
		}

	values[0] = ObjectIdGetDatum(policy->level_oid[level]);
	values[1] = Float8GetDatum(score / 1000.0);
	if (nfired == 0)
		values[2] = PointerGetDatum(cc->empty);
	else
		values[2] = JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL)));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cc->desc, values, nulls)));
}
