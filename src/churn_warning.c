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
#include "row_form.h"
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

typedef enum SignalArg
{
	ARG_FLOAT8,
	ARG_INT32,
	ARG_MONEY,
	ARG_BOOL
} SignalArg;

/*
 * Each signal: its name (the jsonb key), whether it fires below (true) or
 * at/above (false) its threshold, whether its value prints as an integer,
 * its argument's type, and the range of valid values.
 */
#define SIGNAL(name_, below_, integral_, arg_, min_, max_) \
	{name_, sizeof(name_) - 1, below_, integral_, arg_, min_, max_}
static const struct
{
	const char *name;
	int			namelen;
	bool		below;
	bool		integral;
	SignalArg	arg;
	double		min;
	double		max;
}			signal_info[N_SIGNALS] = {
	[SIG_ARPU_DROP] = SIGNAL("arpu_drop", false, false, ARG_FLOAT8, -INFINITY, INFINITY),
	[SIG_USAGE_DROP] = SIGNAL("usage_drop", false, false, ARG_FLOAT8, -INFINITY, INFINITY),
	[SIG_COMPLAINTS_30D] = SIGNAL("complaints_30d", false, true, ARG_INT32, 0, INFINITY),
	[SIG_SHORT_TENURE] = SIGNAL("short_tenure", true, true, ARG_INT32, 0, INFINITY),
	[SIG_DETRACTOR] = SIGNAL("detractor", true, true, ARG_INT32, 0, 10),
	[SIG_SATISFACTION_DROP] = SIGNAL("satisfaction_drop", false, false, ARG_FLOAT8, -INFINITY, INFINITY),
	[SIG_DISSATISFIED_30D] = SIGNAL("dissatisfied_30d", false, true, ARG_INT32, 0, INFINITY),
	[SIG_BUNDLE_ENDING] = SIGNAL("bundle_ending", true, true, ARG_INT32, -INFINITY, INFINITY),
	[SIG_ARREARS] = SIGNAL("arrears", false, false, ARG_MONEY, -INFINITY, INFINITY),
	[SIG_SUSPENDED] = SIGNAL("suspended", false, true, ARG_BOOL, 0, 1),
	[SIG_CANCELLATIONS_30D] = SIGNAL("cancellations_30d", false, true, ARG_INT32, 0, INFINITY),
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
	int			nenabled;		/* the enabled signals, in signal order */
	int			enabled[N_SIGNALS];
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
	{
		if (!seen[s])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("custvalue.churn_signal has no row for signal \"%s\"", signal_info[s].name)));
		if (policy->rules[s].enabled)
			policy->enabled[policy->nenabled++] = s;
	}

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

/* Small integers' numerics, made once per query: counts, days, NPS. */
#define N_SMALL_INT_NUMERICS 512

typedef struct WarningCallCache
{
	void	   *pin;
	CvRowForm  *row;			/* how to form a churn_warning_result */
	Jsonb	   *empty;			/* {} for customers with no signal */
	Numeric		small_int[N_SMALL_INT_NUMERICS];
	int			key_order[N_SIGNALS];	/* signals in jsonb key order */
} WarningCallCache;

/*
 * A signal's value as a jsonb numeric: integers exactly, fractions in the
 * shortest decimal that reads back to the same double.
 */
static Numeric
value_numeric(WarningCallCache *cc, float8 v, bool integral)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (integral && v >= 0 && v < N_SMALL_INT_NUMERICS)
	{
		int			i = (int) v;

		if (cc->small_int[i] == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(cc));

			cc->small_int[i] = int64_to_numeric(i);
			MemoryContextSwitchTo(old);
		}
		return cc->small_int[i];
	}
	if (integral && fabs(v) < 1e15)
		return int64_to_numeric((int64) v);
	double_to_shortest_decimal_buf(v, tmp);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(tmp),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* jsonb's key order: shorter keys first, then bytewise (see jsonb_util.c) */
static int
key_cmp(const void *a, const void *b)
{
	const char *ka = signal_info[*(const int *) a].name;
	const char *kb = signal_info[*(const int *) b].name;
	size_t		la = strlen(ka),
				lb = strlen(kb);

	if (la != lb)
		return la < lb ? -1 : 1;
	return memcmp(ka, kb, la);
}

/*
 * The jsonb object {signal: value, ...} of the fired signals, written in
 * jsonb's on-disk format directly.  pushJsonbValue() and
 * JsonbValueToJsonb() would build a tree, sort and de-duplicate the keys
 * and copy it all into a growing buffer: about 600 instructions per
 * customer with a signal, more than the rest of churn_warning().  Here
 * the keys are known, distinct and pre-sorted (cc->key_order), the values
 * are numerics, and the layout is that of convertJsonbObject(): header,
 * the JEntries of all keys then all values, the key bytes, then each
 * numeric 4-byte aligned.  Only the first JEntry carries an offset, since
 * an object of at most 11 pairs has fewer than JB_OFFSET_STRIDE entries.
 */
static Jsonb *
fired_jsonb(const WarningCallCache *cc, uint32 fired, Numeric const *num, int nfired)
{
	int			order[N_SIGNALS];
	Size		len = VARHDRSZ + sizeof(uint32) + 2 * nfired * sizeof(JEntry);
	Jsonb	   *jb;
	JEntry	   *je;
	char	   *p;
	int			n = 0;

	StaticAssertStmt(2 * N_SIGNALS < JB_OFFSET_STRIDE, "an offset JEntry after the first");
	for (int i = 0; i < N_SIGNALS; i++)
		if (fired & (1 << cc->key_order[i]))
			order[n++] = cc->key_order[i];
	Assert(n == nfired);
	for (int i = 0; i < n; i++)
		len += signal_info[order[i]].namelen;
	for (int i = 0; i < n; i++)
		len = INTALIGN(len) + VARSIZE_ANY(num[order[i]]);

	jb = palloc0(len);
	SET_VARSIZE(jb, len);
	jb->root.header = n | JB_FOBJECT;
	je = jb->root.children;
	p = (char *) &je[2 * n];
	for (int i = 0; i < n; i++)
	{
		int			s = order[i];

		je[i] = JENTRY_ISSTRING | signal_info[s].namelen | (i == 0 ? JENTRY_HAS_OFF : 0);
		memcpy(p, signal_info[s].name, signal_info[s].namelen);
		p += signal_info[s].namelen;
	}
	for (int i = 0; i < n; i++)
	{
		Numeric		v = num[order[i]];
		char	   *start = p;

		p = (char *) jb + INTALIGN(p - (char *) jb);
		memcpy(p, v, VARSIZE_ANY(v));
		p += VARSIZE_ANY(v);
		je[n + i] = JENTRY_ISNUMERIC | (p - start);
	}
	Assert(p - (char *) jb == len);
	return jb;
}

/* One customer's evaluation under the policy. */
typedef struct Evaluation
{
	float8		value[N_SIGNALS];	/* the arguments, as numbers */
	uint32		fired;			/* bit s: signal s fired */
	int			nfired;
	int64		score;			/* thousandths */
	int			level;			/* index into level_names */
} Evaluation;

static pg_noinline void
bad_range(const Evaluation *ev, uint32 known)
{
	/* in this order, so which of several bad arguments is reported is fixed */
	static const int ranged[] = {SIG_COMPLAINTS_30D, SIG_SHORT_TENURE,
	SIG_DISSATISFIED_30D, SIG_CANCELLATIONS_30D, SIG_DETRACTOR};

	for (int i = 0; i < lengthof(ranged); i++)
	{
		int			s = ranged[i];

		if (!(known & (1 << s)) ||
			(ev->value[s] >= signal_info[s].min && ev->value[s] <= signal_info[s].max))
			continue;
		if (s == SIG_DETRACTOR)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_warning: nps must be between 0 and 10, not %d",
							(int) ev->value[s])));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_warning: %s must not be negative: %d",
						s == SIG_SHORT_TENURE ? "tenure_months" : signal_info[s].name,
						(int) ev->value[s])));
	}
}

static pg_noinline void
bad_float(int s, float8 v)
{
	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_warning: %s must not be NaN", signal_info[s].name)));
	/* An infinite value would also end up in the jsonb as a number, which
	 * JSON cannot represent. */
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("churn_warning: %s must be finite, not %s", signal_info[s].name,
					v > 0 ? "Infinity" : "-Infinity")));
}

/*
 * The arguments of churn_warning() / churn_level() against the policy.
 * Written out argument by argument and then over the enabled signals
 * only, since this runs for every customer: about 150 instructions.
 */
static void
evaluate(FunctionCallInfo fcinfo, const WarningPolicy *policy, Evaluation *ev)
{
	uint32		known = 0;
	bool		out_of_range = false;
	int			level = 0;

#define READ(s_, expr_) \
	do { \
		if (!PG_ARGISNULL(s_)) \
		{ \
			known |= 1 << (s_); \
			ev->value[s_] = (expr_); \
		} \
	} while (0)
	/* an integer argument outside its signal_info range (counts, tenure, NPS) */
#define READ_RANGED(s_) \
	do { \
		if (!PG_ARGISNULL(s_)) \
		{ \
			int32		v_ = PG_GETARG_INT32(s_); \
			known |= 1 << (s_); \
			ev->value[s_] = v_; \
			out_of_range |= v_ < signal_info[s_].min || v_ > signal_info[s_].max; \
		} \
	} while (0)

	READ(SIG_ARPU_DROP, PG_GETARG_FLOAT8(0));
	READ(SIG_USAGE_DROP, PG_GETARG_FLOAT8(1));
	READ_RANGED(SIG_COMPLAINTS_30D);
	READ_RANGED(SIG_SHORT_TENURE);
	READ_RANGED(SIG_DETRACTOR);
	READ(SIG_SATISFACTION_DROP, PG_GETARG_FLOAT8(5));
	READ_RANGED(SIG_DISSATISFIED_30D);
	READ(SIG_BUNDLE_ENDING, PG_GETARG_INT32(7));
	if (!PG_ARGISNULL(SIG_ARREARS))
	{
		int64		cents = cv_money_cents(PG_GETARG_DATUM(SIG_ARREARS), "arrears");

		known |= 1 << SIG_ARREARS;
		ev->value[SIG_ARREARS] = cents == CV_MONEY_CENTS_MAX ? 1e12 : cents / 100.0;
	}
	READ(SIG_SUSPENDED, PG_GETARG_BOOL(9) ? 1 : 0);
	READ_RANGED(SIG_CANCELLATIONS_30D);
#undef READ
#undef READ_RANGED
	if (unlikely(out_of_range))
		bad_range(ev, known);

	ev->fired = 0;
	ev->nfired = 0;
	ev->score = 0;
	for (int i = 0; i < policy->nenabled; i++)
	{
		int			s = policy->enabled[i];
		const SignalRule *rule = &policy->rules[s];
		float8		v = ev->value[s];

		if (!(known & (1 << s)))
			continue;
		if (signal_info[s].arg == ARG_FLOAT8 && unlikely(isnan(v) || isinf(v)))
			bad_float(s, v);
		if (signal_info[s].below ? v < rule->threshold : v >= rule->threshold)
		{
			ev->fired |= 1 << s;
			ev->nfired++;
			ev->score += rule->weight_milli;
			level = Max(level, rule->min_level);
		}
	}
	for (int l = N_LEVELS - 1; l > 0; l--)
		if (ev->score >= policy->level_min_milli[l])
		{
			level = Max(level, l);
			break;
		}
	ev->level = level;
}

PG_FUNCTION_INFO_V1(churn_warning);
Datum
churn_warning(PG_FUNCTION_ARGS)
{
	WarningCallCache *cc = fcinfo->flinfo->fn_extra;
	const WarningPolicy *policy;
	Evaluation	ev;
	Numeric		num[N_SIGNALS];
	Datum		values[3];
	bool		nulls[3] = {0};

	if (cc == NULL)
	{
		cc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(WarningCallCache));
		cc->row = cv_row_form_init(fcinfo, fcinfo->flinfo->fn_mcxt);
		{
			MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

			cc->empty = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
			MemoryContextSwitchTo(old);
		}
		for (int s = 0; s < N_SIGNALS; s++)
			cc->key_order[s] = s;
		qsort(cc->key_order, N_SIGNALS, sizeof(int), key_cmp);
		fcinfo->flinfo->fn_extra = cc;
	}
	policy = cv_policy_pin(&warning_policy_cache, fcinfo->flinfo->fn_mcxt, &cc->pin);

	evaluate(fcinfo, policy, &ev);
	for (int s = 0; s < N_SIGNALS; s++)
		if (ev.fired & (1 << s))
			num[s] = value_numeric(cc, ev.value[s], signal_info[s].integral);

	values[0] = ObjectIdGetDatum(policy->level_oid[ev.level]);
	values[1] = Float8GetDatum(ev.score / 1000.0);
	values[2] = PointerGetDatum(ev.nfired == 0 ? cc->empty : fired_jsonb(cc, ev.fired, num, ev.nfired));
#ifdef CV_SELF_CHECK
	/* The test build checks fired_jsonb() against the server's own builder. */
	if (ev.nfired > 0)
	{
		JsonbParseState *state = NULL;
		Jsonb	   *ref;

		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		for (int s = 0; s < N_SIGNALS; s++)
		{
			JsonbValue	k,
						v;

			if (!(ev.fired & (1 << s)))
				continue;
			k.type = jbvString;
			k.val.string.val = (char *) signal_info[s].name;
			k.val.string.len = signal_info[s].namelen;
			pushJsonbValue(&state, WJB_KEY, &k);
			v.type = jbvNumeric;
			v.val.numeric = num[s];
			pushJsonbValue(&state, WJB_VALUE, &v);
		}
		ref = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
		if (VARSIZE(ref) != VARSIZE(DatumGetPointer(values[2])) ||
			memcmp(ref, DatumGetPointer(values[2]), VARSIZE(ref)) != 0)
			elog(ERROR, "churn_warning: fired_jsonb() differs from JsonbValueToJsonb()");
	}
#endif
	/* heap_form_tuple() would cost about 600 instructions: see row_form.c */
	PG_RETURN_DATUM(cv_row_form(cc->row, values, nulls));
}

/*
 * custvalue.churn_level(...): only the warning level of churn_warning(),
 * for the nightly pass over every customer and for filtering: no jsonb
 * and no row, just the enum.
 */
PG_FUNCTION_INFO_V1(churn_level);
Datum
churn_level(PG_FUNCTION_ARGS)
{
	const WarningPolicy *policy = cv_policy_get(&warning_policy_cache, fcinfo);
	Evaluation	ev;

	evaluate(fcinfo, policy, &ev);
	PG_RETURN_OID(policy->level_oid[ev.level]);
}
