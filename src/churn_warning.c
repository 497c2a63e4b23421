/*
 * churn_warning.c
 *		churn_warning(): the rule-based churn early warning of one customer
 *		under the policy in custvalue.churn_signal and churn_warning_level.
 *
 * Per row: eleven comparisons against thresholds pinned for the statement,
 * an integer sum of weights (in thousandths, so 0.1 + 0.2 reaches a level
 * set at 0.3 exactly), and the jsonb of the fired signals, written in
 * place in the result row (no JSON text to parse, no tree).  No table or
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
#include "port/pg_bitutils.h"
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

/*
 * Each signal: its name (the jsonb key), whether it fires below (true) or
 * at/above (false) its threshold, and the range of valid values.
 */
#define SIGNAL(name_, below_, min_, max_) \
	{name_, sizeof(name_) - 1, below_, min_, max_}
static const struct
{
	const char *name;
	int			namelen;
	bool		below;
	double		min;
	double		max;
}			signal_info[N_SIGNALS] = {
	[SIG_ARPU_DROP] = SIGNAL("arpu_drop", false, -INFINITY, INFINITY),
	[SIG_USAGE_DROP] = SIGNAL("usage_drop", false, -INFINITY, INFINITY),
	[SIG_COMPLAINTS_30D] = SIGNAL("complaints_30d", false, 0, INFINITY),
	[SIG_SHORT_TENURE] = SIGNAL("short_tenure", true, 0, INFINITY),
	[SIG_DETRACTOR] = SIGNAL("detractor", true, 0, 10),
	[SIG_SATISFACTION_DROP] = SIGNAL("satisfaction_drop", false, -INFINITY, INFINITY),
	[SIG_DISSATISFIED_30D] = SIGNAL("dissatisfied_30d", false, 0, INFINITY),
	[SIG_BUNDLE_ENDING] = SIGNAL("bundle_ending", true, -INFINITY, INFINITY),
	[SIG_ARREARS] = SIGNAL("arrears", false, -INFINITY, INFINITY),
	[SIG_SUSPENDED] = SIGNAL("suspended", false, 0, 1),
	[SIG_CANCELLATIONS_30D] = SIGNAL("cancellations_30d", false, 0, INFINITY),
};

/* warning_level labels, in enum order */
#define N_LEVELS 4
static const char *const level_names[N_LEVELS] = {"none", "yellow", "orange", "red"};

/* what a fired signal adds; whether and when it fires is in threshold[] */
typedef struct SignalRule
{
	int64		weight_milli;
	int			min_level;		/* index into level_names, 0 = none */
} SignalRule;

typedef struct WarningPolicy
{
	SignalRule	rules[N_SIGNALS];

	/*
	 * The threshold evaluate() compares with: a disabled signal's is one no
	 * value reaches (+Infinity for a signal that fires at or above it,
	 * -Infinity for one that fires below), so disabling costs no test.
	 */
	float8		threshold[N_SIGNALS];
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
	const char *levels_source = cv_policy_source("churn_warning_level");

	rc = SPI_execute(psprintf("SELECT signal, enabled, threshold::float8, weight, min_level::text "
							  "FROM %s", cv_policy_source("churn_signal")), true, 0);
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
		if (DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull)))
			policy->threshold[s] = DatumGetFloat8(SPI_getbinval(tup, desc, 3, &isnull));
		else
			policy->threshold[s] = signal_info[s].below ? -INFINITY : INFINITY;
		policy->rules[s].weight_milli = to_milli(SPI_getbinval(tup, desc, 4, &isnull));
		policy->rules[s].min_level = min_level ? level_index(min_level) : 0;
		seen[s] = true;
	}
	for (int s = 0; s < N_SIGNALS; s++)
		if (!seen[s])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("custvalue.churn_signal has no row for signal \"%s\"", signal_info[s].name)));

	rc = SPI_execute(psprintf("SELECT level::text, min_score FROM %s", levels_source), true, 0);
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
	Numeric		small_int[N_SMALL_INT_NUMERICS];
	int			key_order[N_SIGNALS];	/* signals in jsonb key order */
	int			key_rank[N_SIGNALS];	/* each signal's place in it */

	/*
	 * The row of a customer for whom no signal fired: (the level of score
	 * 0, 0, {}), the same for all of them while the policy gives score 0
	 * that level.  About half of all customers get it, without a palloc
	 * each: see churn_warning().
	 */
	Datum		quiet_row;
	Oid			quiet_level;
} WarningCallCache;

/*
 * A signal's value as a jsonb numeric: the numeric that numeric_in() makes
 * of the shortest decimal that reads back to the same double (the text
 * float8out prints).  Going through the text costs about 1 000
 * instructions for the shortest decimal and 1 300 for numeric_in(); this
 * runs for every fired signal, so:
 *
 * Integers come from int64_to_numeric(), small ones made once per query.
 *
 * Other values of the size these signals have are tried as m / 10^k for
 * k = 1..MAX_FAST_SCALE, m = v * 10^k rounded: the first m whose quotient
 * is v again is the shortest decimal.  Below FAST_LIMIT the doubles that
 * read back to v span less than 10^-MAX_FAST_SCALE, so at most one such m
 * exists for each k, and v * 10^k is within 0.12 of it, so rounding finds
 * it; the fewest fractional digits is the fewest digits.  That numeric, of
 * display scale k, is what int64_div_fast_to_numeric(m, k) makes.
 *
 * Anything else goes through the shortest decimal's text: its digits and
 * exponent, or numeric_in() for a form not expected.
 */
#define MAX_FAST_SCALE 6
#define FAST_LIMIT 1e9

static Numeric
value_numeric(WarningCallCache *cc, float8 v)
{
	static const double pow10[MAX_FAST_SCALE + 1] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];
	const char *p = tmp;
	int64		digits = 0;
	int			ndigits = 0;
	int			scale = 0;		/* digits after the point, less the exponent */
	bool		negative = false;

	if (v == rint(v) && fabs(v) < 1e15)
	{
		if (v >= 0 && v < N_SMALL_INT_NUMERICS)
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
		return int64_to_numeric((int64) v);
	}
	if (fabs(v) < FAST_LIMIT)
	{
		for (int k = 1; k <= MAX_FAST_SCALE; k++)
		{
			double		m = rint(v * pow10[k]);

			if (m / pow10[k] == v)
				return int64_div_fast_to_numeric((int64) m, k);
		}
	}

	/* [-]digits[.digits][e[+-]digits], at most 17 significant digits */
	double_to_shortest_decimal_buf(v, tmp);
	if (*p == '-')
	{
		negative = true;
		p++;
	}
	for (bool frac = false;; p++)
	{
		if (*p == '.' && !frac)
			frac = true;
		else if (isdigit((unsigned char) *p) && ndigits < 18)
		{
			digits = digits * 10 + (*p - '0');
			ndigits += digits > 0;
			scale += frac;
		}
		else
			break;
	}
	if (*p == 'e')
		scale -= atoi(p + 1);
	else if (*p != '\0')
		ndigits = 18;			/* not the expected form: the slow way */
	/* a negative scale (a large number) would need a multiplication */
	if (ndigits < 18 && scale >= 0 && scale <= 1000)
		return int64_div_fast_to_numeric(negative ? -digits : digits, scale);
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
 * The jsonb object {signal: value, ...} of the fired signals is written in
 * jsonb's on-disk format directly, in place in the result row.
 * pushJsonbValue() and JsonbValueToJsonb() would build a tree, sort and
 * de-duplicate the keys and copy it all into a growing buffer: about 600
 * instructions per customer with a signal, more than the rest of
 * churn_warning(); copying a finished jsonb into the row would cost a
 * second palloc and a memcpy.  Here the keys are known, distinct and
 * pre-sorted (cc->key_order), the values are numerics, and the layout is
 * that of convertJsonbObject(): header, the JEntries of all keys then all
 * values, the key bytes, then each numeric 4-byte aligned.  Only the first
 * JEntry carries an offset, since an object of at most 11 pairs has fewer
 * than JB_OFFSET_STRIDE entries.
 *
 * fired_jsonb_size() puts the fired signals in key order and returns the
 * jsonb's size with a 4-byte varlena header.  keyed has bit i set when the
 * i-th signal in key order fired.
 */
static Size
fired_jsonb_size(const WarningCallCache *cc, uint32 keyed, Numeric const *num, int *order, int *n)
{
	Size		len;

	StaticAssertStmt(2 * N_SIGNALS < JB_OFFSET_STRIDE, "an offset JEntry after the first");
	*n = 0;
	for (; keyed != 0; keyed &= keyed - 1)
		order[(*n)++] = cc->key_order[pg_rightmost_one_pos32(keyed)];
	len = VARHDRSZ + sizeof(uint32) + 2 * *n * sizeof(JEntry);
	for (int i = 0; i < *n; i++)
		len += signal_info[order[i]].namelen;
	for (int i = 0; i < *n; i++)
		len = INTALIGN(len) + VARSIZE_ANY(num[order[i]]);
	return len;
}

/*
 * The jsonb's data, after its varlena header, at dst (maybe not aligned:
 * in a row, a short jsonb has a 1-byte header), every byte of it, padding
 * as zeros.  Positions count
 * from the start of the 4-byte-header form, where jsonb reckons its
 * alignment, so the bytes are the same whichever header the row gives it.
 */
static void
fired_jsonb_write(char *dst, const int *order, int n, Numeric const *num)
{
	uint32		header = n | JB_FOBJECT;
	Size		pos = VARHDRSZ + sizeof(uint32) + 2 * n * sizeof(JEntry);
	char	   *je = dst + sizeof(uint32);

#define AT(pos_) (dst + (pos_) - VARHDRSZ)
	memcpy(dst, &header, sizeof(uint32));
	for (int i = 0; i < n; i++)
	{
		int			s = order[i];
		JEntry		e = JENTRY_ISSTRING | signal_info[s].namelen | (i == 0 ? JENTRY_HAS_OFF : 0);

		memcpy(je + i * sizeof(JEntry), &e, sizeof(JEntry));
		memcpy(AT(pos), signal_info[s].name, signal_info[s].namelen);
		pos += signal_info[s].namelen;
	}
	for (int i = 0; i < n; i++)
	{
		Numeric		v = num[order[i]];
		Size		start = pos;
		JEntry		e;

		while (pos != INTALIGN(pos))
			*AT(pos++) = 0;
		memcpy(AT(pos), v, VARSIZE_ANY(v));
		pos += VARSIZE_ANY(v);
		e = JENTRY_ISNUMERIC | (pos - start);
		memcpy(je + (n + i) * sizeof(JEntry), &e, sizeof(JEntry));
	}
#undef AT
}

/* One customer's evaluation under the policy. */
typedef struct Evaluation
{
	float8		value[N_SIGNALS];	/* the arguments, as numbers (fired ones) */
	uint32		fired;			/* bit s: signal s fired */
	int64		score;			/* thousandths */
	int			level;			/* index into level_names */
} Evaluation;

static pg_noinline void
bad_range(FunctionCallInfo fcinfo)
{
	/* in this order, so which of several bad arguments is reported is fixed */
	static const int ranged[] = {SIG_COMPLAINTS_30D, SIG_SHORT_TENURE,
	SIG_DISSATISFIED_30D, SIG_CANCELLATIONS_30D, SIG_DETRACTOR};

	for (int i = 0; i < lengthof(ranged); i++)
	{
		int			s = ranged[i];
		int32		v;

		if (PG_ARGISNULL(s))
			continue;
		v = PG_GETARG_INT32(s);
		if (v >= signal_info[s].min && v <= signal_info[s].max)
			continue;
		if (s == SIG_DETRACTOR)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_warning: nps must be between 0 and 10, not %d", v)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn_warning: %s must not be negative: %d",
						s == SIG_SHORT_TENURE ? "tenure_months" : signal_info[s].name, v)));
	}
}

static pg_noinline void
bad_float(FunctionCallInfo fcinfo)
{
	static const int floats[] = {SIG_ARPU_DROP, SIG_USAGE_DROP, SIG_SATISFACTION_DROP};

	for (int i = 0; i < lengthof(floats); i++)
	{
		int			s = floats[i];
		float8		v;

		if (PG_ARGISNULL(s))
			continue;
		v = PG_GETARG_FLOAT8(s);
		if (isnan(v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_warning: %s must not be NaN", signal_info[s].name)));
		/* An infinite value would also end up in the jsonb as a number, which
		 * JSON cannot represent. */
		if (isinf(v))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("churn_warning: %s must be finite, not %s", signal_info[s].name,
							v > 0 ? "Infinity" : "-Infinity")));
	}
}

/*
 * The arguments of churn_warning() / churn_level() against the policy.
 * This runs for every customer, so each argument is compared with its
 * threshold as it is read, without a branch: a signal that fires at or
 * above its threshold fires when v >= t, one that fires below when not
 * (signal_info's direction is a constant here), and a disabled signal's
 * threshold is never reached.  Bad arguments are noted with one test per
 * kind; the error paths find which one it was.  Only the signals that
 * fired are looked at again, for their weights and levels; ev->value is
 * set for those (and maybe others).  Inlined in both callers, so that the
 * evaluation stays in registers.
 */
static pg_attribute_always_inline void
evaluate(FunctionCallInfo fcinfo, const WarningPolicy *policy, Evaluation *ev)
{
	bool		out_of_range = false;
	bool		not_finite = false;
	uint32		fired = 0;
	int64		score = 0;
	int			level = 0;

#define FIRES(s_, v_) \
	((uint32) (((v_) >= policy->threshold[s_]) ^ signal_info[s_].below) << (s_))
#define READ(s_, expr_) \
	do { \
		if (!PG_ARGISNULL(s_)) \
		{ \
			float8		v_ = (expr_); \
			ev->value[s_] = v_; \
			fired |= FIRES(s_, v_); \
		} \
	} while (0)
	/* a float8 argument: NaN and infinities are errors */
#define READ_FLOAT(s_) \
	do { \
		if (!PG_ARGISNULL(s_)) \
		{ \
			float8		v_ = PG_GETARG_FLOAT8(s_); \
			ev->value[s_] = v_; \
			not_finite |= !isfinite(v_); \
			fired |= FIRES(s_, v_); \
		} \
	} while (0)
	/* an integer argument outside its signal_info range (counts, tenure, NPS) */
#define READ_RANGED(s_) \
	do { \
		if (!PG_ARGISNULL(s_)) \
		{ \
			int32		v_ = PG_GETARG_INT32(s_); \
			ev->value[s_] = v_; \
			out_of_range |= v_ < signal_info[s_].min || v_ > signal_info[s_].max; \
			fired |= FIRES(s_, (float8) v_); \
		} \
	} while (0)

	READ_FLOAT(SIG_ARPU_DROP);
	READ_FLOAT(SIG_USAGE_DROP);
	READ_RANGED(SIG_COMPLAINTS_30D);
	READ_RANGED(SIG_SHORT_TENURE);
	READ_RANGED(SIG_DETRACTOR);
	READ_FLOAT(SIG_SATISFACTION_DROP);
	READ_RANGED(SIG_DISSATISFIED_30D);
	READ(SIG_BUNDLE_ENDING, PG_GETARG_INT32(7));
	if (!PG_ARGISNULL(SIG_ARREARS))
	{
		int64		cents = cv_money_cents(PG_GETARG_DATUM(SIG_ARREARS), "arrears");

		READ(SIG_ARREARS, cents == CV_MONEY_CENTS_MAX ? 1e12 : cents / 100.0);
	}
	READ(SIG_SUSPENDED, PG_GETARG_BOOL(9) ? 1 : 0);
	READ_RANGED(SIG_CANCELLATIONS_30D);
#undef FIRES
#undef READ
#undef READ_FLOAT
#undef READ_RANGED
	if (unlikely(out_of_range))
		bad_range(fcinfo);
	if (unlikely(not_finite))
		bad_float(fcinfo);

	for (uint32 f = fired; f != 0; f &= f - 1)
	{
		const SignalRule *rule = &policy->rules[pg_rightmost_one_pos32(f)];

		score += rule->weight_milli;
		level = Max(level, rule->min_level);
	}
	for (int l = N_LEVELS - 1; l > 0; l--)
		if (score >= policy->level_min_milli[l])
		{
			level = Max(level, l);
			break;
		}
	ev->fired = fired;
	ev->score = score;
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
	int			order[N_SIGNALS];
	uint32		keyed = 0;
	int			n;
	Size		size;

	/* custvalue.churn_warning_result; InvalidOid: custvalue.warning_level */
	static const Oid types[] = {InvalidOid, FLOAT8OID, JSONBOID};
	Datum		values[lengthof(types)];
	Datum		row;
	char	   *dst;

	if (cc == NULL)
	{
		cc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(WarningCallCache));
		cc->row = cv_row_form_init(fcinfo, fcinfo->flinfo->fn_mcxt,
								   lengthof(types), types);
		for (int s = 0; s < N_SIGNALS; s++)
			cc->key_order[s] = s;
		qsort(cc->key_order, N_SIGNALS, sizeof(int), key_cmp);
		for (int i = 0; i < N_SIGNALS; i++)
			cc->key_rank[cc->key_order[i]] = i;
		fcinfo->flinfo->fn_extra = cc;
	}
	policy = cv_policy_pin(&warning_policy_cache, fcinfo->flinfo->fn_mcxt, &cc->pin);

	evaluate(fcinfo, policy, &ev);
	/* most customers have no signal or one: visit the fired ones only */
	for (uint32 f = ev.fired; f != 0; f &= f - 1)
	{
		int			s = pg_rightmost_one_pos32(f);

		num[s] = value_numeric(cc, ev.value[s]);
		keyed |= 1 << cc->key_rank[s];
	}

	values[0] = ObjectIdGetDatum(policy->level_oid[ev.level]);
	values[1] = Float8GetDatum(ev.score / 1000.0);

	/*
	 * A customer with no signal gets the one quiet row of this query, not a
	 * copy: a function may return by-reference memory it keeps, as those
	 * that return one of their arguments do (text_larger() may return a
	 * Const of the plan).  PostgreSQL never modifies or frees a function's
	 * result, and copies it wherever it keeps it beyond the current row.
	 */
	if (ev.fired == 0 && cc->quiet_row != (Datum) 0 &&
		cc->quiet_level == DatumGetObjectId(values[0]))
		PG_RETURN_DATUM(cc->quiet_row);

	size = fired_jsonb_size(cc, keyed, num, order, &n);
	{
		/* the quiet row lives as long as this cache */
		MemoryContext old = MemoryContextSwitchTo(ev.fired == 0 ? fcinfo->flinfo->fn_mcxt
												  : CurrentMemoryContext);

		/*
		 * heap_form_tuple() would cost about 600 instructions: see
		 * row_form.c.  The result type is types[] (cv_row_form_init()
		 * checked), so the jsonb is the row's last attribute and its only
		 * varlena, written in place.
		 */
		dst = cv_row_form_tail(cc->row, values, size, &row);
		fired_jsonb_write(dst, order, n, num);
		MemoryContextSwitchTo(old);
	}
	if (ev.fired == 0)
	{
		/*
		 * A quiet row that was returned is never freed, as a caller may
		 * still hold it; a new one is made only when a policy change moves
		 * score 0 to another level.
		 */
		cc->quiet_row = row;
		cc->quiet_level = DatumGetObjectId(values[0]);
	}
#ifdef CV_SELF_CHECK

	/*
	 * The test build checks every value against numeric_in() and the whole
	 * row against heap_form_tuple() of the jsonb the server's own builder
	 * makes of the same signals.
	 */
	{
		JsonbParseState *state = NULL;
		bool		nulls[lengthof(types)] = {0};
		HeapTuple	ref;

		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		for (int s = 0; s < N_SIGNALS; s++)
		{
			JsonbValue	k,
						v;
			Numeric		refnum;

			if (!(ev.fired & (1 << s)))
				continue;
			refnum = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														 CStringGetDatum(double_to_shortest_decimal(ev.value[s])),
														 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
			if (VARSIZE_ANY(refnum) != VARSIZE_ANY(num[s]) ||
				memcmp(refnum, num[s], VARSIZE_ANY(refnum)) != 0)
				elog(ERROR, "churn_warning: value_numeric(%.17g) differs from numeric_in()", ev.value[s]);
			k.type = jbvString;
			k.val.string.val = (char *) signal_info[s].name;
			k.val.string.len = signal_info[s].namelen;
			pushJsonbValue(&state, WJB_KEY, &k);
			v.type = jbvNumeric;
			v.val.numeric = refnum;
			pushJsonbValue(&state, WJB_VALUE, &v);
		}
		values[2] = JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL)));
		ref = heap_form_tuple(cc->row->desc, values, nulls);
		if (ref->t_len != VARSIZE(DatumGetPointer(row)) ||
			memcmp(ref->t_data, DatumGetPointer(row), ref->t_len) != 0)
			elog(ERROR, "churn_warning: row differs from heap_form_tuple() of JsonbValueToJsonb()");
	}
#endif
	PG_RETURN_DATUM(row);
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
