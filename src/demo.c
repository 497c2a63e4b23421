/*
 * demo.c
 *		Demo data generator: the customer model, demo_customers() and
 *		demo_bills().  custvalue.generate_demo() (150_demo.sql) loads their
 *		output into the reference model.
 *
 * The population imitates the seed's mid/high-end customer base (domain.md
 * §1, §2): 20 % card VIPs (0.43 M of 2.13 M), the rest split over GoTone,
 * Easyown and M-Zone as 0.32 : 0.53 : 1.28; log-normal spend calibrated so
 * that about 23 % of non-card customers reach ARPU 120 (the seed's 0.40 M of
 * 1.70 M); tenure with 45 % of non-card customers under 2 years and 55 % of
 * card VIPs over 5.  Customers who will churn spend less month by month.
 */
#include "custvalue.h"

#include <math.h>

#include "demo.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(demo_customers);
PG_FUNCTION_INFO_V1(demo_bills);

typedef struct DemoRegion
{
	const char *name;
	double		share;
} DemoRegion;

/* Hunan's fourteen prefectures, roughly by subscribers. */
static const DemoRegion demo_regions[] = {
	{"changsha", 0.18}, {"zhuzhou", 0.08}, {"xiangtan", 0.06},
	{"hengyang", 0.09}, {"shaoyang", 0.08}, {"yueyang", 0.08},
	{"changde", 0.09}, {"zhangjiajie", 0.02}, {"yiyang", 0.06},
	{"chenzhou", 0.07}, {"yongzhou", 0.06}, {"huaihua", 0.05},
	{"loudi", 0.05}, {"xiangxi", 0.03}
};
#define DEMO_REGIONS lengthof(demo_regions)

static const char *const demo_brands[] = {"gotone", "mzone", "easyown"};
static const char *const demo_statuses[] = {"active", "suspended", "churned"};

/* Share of card VIPs among mid/high-end customers: 0.43 M of 2.13 M. */
#define DEMO_CARD_SHARE		0.202
/* Customers per account manager (< 800 managers for 0.43 M card VIPs). */
#define DEMO_PER_ACCOUNT_MANAGER	540
#define DEMO_PER_PHONE_MANAGER		2000

double
demo_normal(DemoRng *rng)
{
	double		u1 = 1.0 - demo_unif(rng);	/* (0, 1] */
	double		u2 = demo_unif(rng);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Knuth's method; lambda is small here. */
int
demo_poisson(DemoRng *rng, double lambda)
{
	double		limit = exp(-lambda);
	double		p = 1.0;
	int			k = 0;

	if (lambda <= 0)
		return 0;
	for (;;)
	{
		p *= demo_unif(rng);
		if (p <= limit || k >= 1000)
			return k;
		k++;
	}
}

DateADT
demo_month_start(int k)
{
	int			m = DEMO_FIRST_MONTH - 1 + k;

	return date2j(DEMO_FIRST_YEAR + m / 12, m % 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
}

/* Month index of a date: 0 = the window's first month; may be out of 0..11. */
int
demo_month_of(DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return (y - DEMO_FIRST_YEAR) * 12 + (m - DEMO_FIRST_MONTH);
}

DateADT
demo_window_start(void)
{
	return demo_month_start(0);
}

/* Last day of the reference month. */
DateADT
demo_window_end(void)
{
	return demo_month_start(DEMO_MONTHS) - 1;
}

TimestampTz
demo_timestamp(DateADT day, int64 second)
{
	return (TimestampTz) day * USECS_PER_DAY
		+ (second - 8 * SECS_PER_HOUR) * USECS_PER_SEC;
}

const char *
demo_region_name(int region)
{
	return demo_regions[region].name;
}

void
demo_manager_code(char *buf, size_t len, const DemoCustomer *c, bool account)
{
	if (account)
		snprintf(buf, len, "AM%02d%04d", c->region + 1, c->account_manager);
	else
		snprintf(buf, len, "PM%05d", c->phone_manager);
}

/* Index drawn with probability proportional to weights[i]. */
int
demo_pick(DemoRng *rng, const double *weights, int count)
{
	double		total = 0,
				u;
	int			i;

	for (i = 0; i < count; i++)
		total += weights[i];
	u = demo_unif(rng) * total;
	for (i = 0; i < count - 1; i++)
	{
		if (u < weights[i])
			return i;
		u -= weights[i];
	}
	return count - 1;
}

/* Tenure bands in months and their weights, for card VIPs and the others. */
static const double tenure_bounds[] = {0, 12, 24, 60, 192};
static const double tenure_card[] = {0.02, 0.06, 0.37, 0.55};
static const double tenure_other[] = {0.19, 0.24, 0.36, 0.21};

/* Bill split voice / sms / data / value-added by brand, 2009-style. */
static const double brand_mix[3][4] = {
	{0.72, 0.08, 0.06, 0.14},	/* gotone: voice-heavy business users */
	{0.45, 0.25, 0.12, 0.18},	/* mzone: youth, SMS and data */
	{0.80, 0.08, 0.03, 0.09}	/* easyown: prepaid, mostly voice */
};

void
demo_customer(int64 seed, int64 n, int64 id, DemoCustomer *c)
{
	DemoRng		r;
	double		u,
				sum,
				tenure_days,
				tenure_years,
				age_years;
	DateADT		end = demo_window_end();
	int			band,
				i;
	double		region_w[DEMO_REGIONS];

	memset(c, 0, sizeof(*c));
	demo_rng_init(&r, seed, id, DEMO_STREAM_CUSTOMER);
	c->id = id;

	c->card = demo_unif(&r) < DEMO_CARD_SHARE;
	u = demo_unif(&r);
	if (c->card)
		c->brand = DEMO_GOTONE;
	else						/* 0.32 : 0.53 : 1.28 */
		c->brand = u < 0.150 ? DEMO_GOTONE : u < 0.399 ? DEMO_EASYOWN : DEMO_MZONE;

	for (i = 0; i < DEMO_REGIONS; i++)
		region_w[i] = demo_regions[i].share;
	c->region = demo_pick(&r, region_w, DEMO_REGIONS);

	/* Spend: card VIPs by annual spend, the others by monthly ARPU. */
	if (c->card)
	{
		c->level = 3900.0 * exp(0.35 * demo_normal(&r)) / 12.0;
		c->latent_tier = c->level * 12 >= 6000 ? DEMO_TIER_DIAMOND
			: c->level * 12 >= 4000 ? DEMO_TIER_GOLD
			: c->level * 12 >= 2500 ? DEMO_TIER_SILVER
			: c->level >= 200 ? DEMO_TIER_A
			: c->level >= 120 ? DEMO_TIER_B : DEMO_TIER_C;
	}
	else
	{
		static const double brand_factor[3] = {1.5, 0.85, 1.0};

		c->level = 75.0 * brand_factor[c->brand] * exp(0.72 * demo_normal(&r));
		c->level = Max(c->level, 8.0);
		c->latent_tier = c->level >= 200 ? DEMO_TIER_A
			: c->level >= 120 ? DEMO_TIER_B : DEMO_TIER_C;
	}

	/* Age by brand: M-Zone is the youth brand. */
	u = demo_unif(&r);
	if (c->brand == DEMO_MZONE)
		age_years = 16 + 16 * u;
	else if (c->card)
		age_years = 27 + 33 * u;
	else
		age_years = 20 + 45 * u;

	/* Tenure, capped so nobody joined before turning 15. */
	band = demo_pick(&r, c->card ? tenure_card : tenure_other, 4);
	tenure_days = (tenure_bounds[band]
				   + demo_unif(&r) * (tenure_bounds[band + 1] - tenure_bounds[band]))
		* 30.4375;
	tenure_days = Min(tenure_days, (age_years - 15) * 365.25);
	tenure_days = Max(tenure_days, 1);
	c->joined_on = end - (DateADT) tenure_days;
	c->birth_date = end - (DateADT) (age_years * 365.25);

	/*
	 * Churn: the yearly hazard falls with tenure (domain.md §1, §8: short
	 * tenure is the risk), as it does when customers differ in loyalty and
	 * the disloyal leave first.
	 */
	tenure_years = tenure_days / 365.25;
	c->status = DEMO_ACTIVE;
	u = demo_unif(&r);
	if (u < (0.012 + 0.05 / (1.0 + tenure_years)) * (c->card ? 0.6 : 1.0))
	{
		DateADT		from = demo_month_start(3);

		c->churned_on = from + (DateADT) demo_int(&r, 0, end - from);
		if (c->churned_on >= c->joined_on + 60)
			c->status = DEMO_CHURNED;
	}
	else
		(void) demo_unif(&r);	/* same number of draws either way, so the
								 * traits below don't depend on this branch */
	if (c->status != DEMO_CHURNED)
		c->churned_on = 0;
	c->at_risk = c->status != DEMO_CHURNED
		&& demo_unif(&r) < 0.035 + 0.10 / (1.0 + tenure_years);
	c->declining = c->at_risk || c->status == DEMO_CHURNED;

	c->first_month = Max(0, demo_month_of(c->joined_on));
	c->last_month = c->status == DEMO_CHURNED ? demo_month_of(c->churned_on) : DEMO_MONTHS - 1;

	c->growth = 0.01 * demo_normal(&r);
	if (c->declining)
	{
		c->growth = Min(c->growth, 0);
		c->decline_from = Max(c->first_month, c->last_month - (int) demo_int(&r, 2, 6));
		c->decline = 0.05 + 0.12 * demo_unif(&r);
	}
	else
		c->decline_from = DEMO_MONTHS;

	/* Personal tariff mix: the brand's, perturbed. */
	sum = 0;
	for (i = 0; i < 4; i++)
	{
		c->mix[i] = brand_mix[c->brand][i] * (0.5 + demo_unif(&r));
		sum += c->mix[i];
	}
	for (i = 0; i < 4; i++)
		c->mix[i] /= sum;
	c->price_minute = (c->brand == DEMO_EASYOWN ? 0.30 : c->brand == DEMO_MZONE ? 0.22 : 0.20)
		* (0.8 + 0.4 * demo_unif(&r));
	c->price_sms = (c->brand == DEMO_MZONE ? 0.07 : 0.10) * (0.8 + 0.4 * demo_unif(&r));
	c->price_mb = 0.2 + 0.8 * demo_unif(&r);

	/* Credit: most pay on time, a few run arrears and get suspended. */
	u = demo_unif(&r);
	c->late_p = u < 0.80 ? 0.02 : u < 0.95 ? 0.12 : 0.45;
	c->risky = u >= 0.95;
	if (c->risky && c->status == DEMO_ACTIVE && demo_unif(&r) < 0.15)
		c->status = DEMO_SUSPENDED;

	c->cost_known = demo_unif(&r) >= 0.02;
	c->cost_ratio = (c->brand == DEMO_GOTONE ? 0.35 : c->brand == DEMO_MZONE ? 0.30 : 0.25)
		+ 0.10 * demo_unif(&r);
	c->cost_fixed = 3 + (c->card ? 12 : 0)
		+ (c->latent_tier == DEMO_TIER_A || c->latent_tier == DEMO_TIER_B ? 4 : 0);

	c->anonymous = demo_unif(&r) < (c->brand == DEMO_EASYOWN ? 0.40
									: c->brand == DEMO_MZONE ? 0.10 : 0.0);
	c->bank_card = demo_unif(&r) < (c->brand == DEMO_GOTONE ? (c->card ? 0.60 : 0.40)
									: c->brand == DEMO_MZONE ? 0.10 : 0.03);

	/*
	 * Managers: every card VIP has an account manager in their region; phone
	 * managers (a provincial call centre) serve A/B and, per the suspension
	 * care rule, gold.  Pools scale with n like the seed's staff.
	 */
	if (c->card)
	{
		int			pool = (int) ceil((double) n * DEMO_CARD_SHARE
									  * demo_regions[c->region].share / DEMO_PER_ACCOUNT_MANAGER);

		c->account_manager = 1 + (int) demo_int(&r, 0, Max(pool, 1) - 1);
	}
	if (c->latent_tier == DEMO_TIER_A || c->latent_tier == DEMO_TIER_B
		|| c->latent_tier == DEMO_TIER_GOLD)
	{
		int			pool = (int) ceil((double) n * 0.25 / DEMO_PER_PHONE_MANAGER);

		c->phone_manager = 1 + (int) demo_int(&r, 0, Max(pool, 1) - 1);
	}
}

void
demo_get_args(FunctionCallInfo fcinfo, DemoArgs *args)
{
	args->seed = PG_GETARG_INT64(0);
	args->n = PG_GETARG_INT64(1);
	args->first = PG_GETARG_INT64(2);
	args->last = PG_GETARG_INT64(3);

	if (args->n < 0 || args->n > DEMO_MAX_CUSTOMERS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of demo customers must be between 0 and " INT64_FORMAT ", not " INT64_FORMAT,
						DEMO_MAX_CUSTOMERS, args->n)));
	if (args->first < 1 || args->last > args->n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("demo customer range " INT64_FORMAT " .. " INT64_FORMAT " is outside 1 .. " INT64_FORMAT,
						args->first, args->last, args->n)));
}

static inline Datum
cents_datum(int64 cents)
{
	return NumericGetDatum(int64_div_fast_to_numeric(cents, 2));
}

static inline int64
to_cents(double yuan)
{
	return (int64) llround(Max(yuan, 0.0) * 100.0);
}

/* ISO 7064 MOD 11-2 check character of a Chinese resident ID number. */
static char
id_card_check(const char *digits17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int			sum = 0,
				i;

	for (i = 0; i < 17; i++)
		sum += (digits17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

static char
luhn_check(const char *digits, int len)
{
	int			sum = 0,
				i;

	for (i = 0; i < len; i++)
	{
		int			d = digits[len - 1 - i] - '0';

		if (i % 2 == 0)
		{
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return '0' + (10 - sum % 10) % 10;
}

/*
 * demo_customers(seed, n, first_id, last_id): customers first_id..last_id
 * of a demo population of n.
 *
 * Personal data is fake by construction: phones are 104 + 8 digits (no
 * Chinese subscriber number starts with 10), ID numbers use the
 * non-existent division 4399xx with a correct check character, bank cards
 * the issuer prefix 9999 with a correct Luhn digit.
 */
Datum
demo_customers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DemoArgs	a;
	MemoryContext rowcxt,
				old;
	uint64		phone_offset;
	int64		id;

	demo_get_args(fcinfo, &a);
	InitMaterializedSRF(fcinfo, 0);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "demo rows",
								   ALLOCSET_SMALL_SIZES);
	phone_offset = demo_mix64((uint64) a.seed ^ UINT64CONST(0x3c6ef372fe94f82b)) % 100000000;

	for (id = a.first; id <= a.last; id++)
	{
		DemoCustomer c;
		Datum		values[13];
		bool		nulls[13] = {0};
		char		buf[32];
		DemoRng		r;

		CHECK_FOR_INTERRUPTS();
		demo_customer(a.seed, a.n, id, &c);
		demo_rng_init(&r, a.seed, id, DEMO_STREAM_PERSONAL);
		old = MemoryContextSwitchTo(rowcxt);

		values[0] = Int64GetDatum(id);
		/* An affine bijection of 0..10^8-1 keeps phones unique but unordered. */
		snprintf(buf, sizeof(buf), "104%08llu",
				 (unsigned long long) (((uint64) (id - 1) * UINT64CONST(39916801) + phone_offset) % 100000000));
		values[1] = CStringGetTextDatum(buf);
		if (c.anonymous)
		{
			nulls[2] = true;
			nulls[8] = true;
		}
		else
		{
			int			y,
						m,
						d;

			j2date(c.birth_date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
			snprintf(buf, sizeof(buf), "4399%02d%04d%02d%02d%03d",
					 c.region + 1, y, m, d, (int) demo_int(&r, 0, 999));
			buf[17] = id_card_check(buf);
			buf[18] = '\0';
			values[2] = CStringGetTextDatum(buf);
			values[8] = DateADTGetDatum(c.birth_date);
		}
		if (c.bank_card)
		{
			snprintf(buf, sizeof(buf), "9999%011lld", (long long) demo_int(&r, 0, INT64CONST(99999999999)));
			buf[15] = luhn_check(buf, 15);
			buf[16] = '\0';
			values[3] = CStringGetTextDatum(buf);
		}
		else
			nulls[3] = true;
		values[4] = CStringGetTextDatum(demo_regions[c.region].name);
		values[5] = CStringGetTextDatum(demo_brands[c.brand]);
		values[6] = BoolGetDatum(c.card);
		values[7] = DateADTGetDatum(c.joined_on);
		if (c.account_manager > 0)
		{
			demo_manager_code(buf, sizeof(buf), &c, true);
			values[9] = CStringGetTextDatum(buf);
		}
		else
			nulls[9] = true;
		if (c.phone_manager > 0)
		{
			demo_manager_code(buf, sizeof(buf), &c, false);
			values[10] = CStringGetTextDatum(buf);
		}
		else
			nulls[10] = true;
		values[11] = CStringGetTextDatum(demo_statuses[c.status]);
		if (c.status == DEMO_CHURNED)
			values[12] = DateADTGetDatum(c.churned_on);
		else
			nulls[12] = true;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

/*
 * demo_bills(seed, n, first_id, last_id): the monthly bills of customers
 * first_id..last_id, one per month from joining (or the window's start) to
 * churning (or the reference month); the first and last are prorated.
 */
Datum
demo_bills(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DemoArgs	a;
	MemoryContext rowcxt,
				old;
	int64		id;
	DateADT		month_start[DEMO_MONTHS + 1];
	int			k;

	/* Chinese New Year fell on 26 January 2009: greetings by SMS. */
	static const double sms_season[DEMO_MONTHS] = {1, 1, 1, 1, 1, 1.05, 1.6, 1.25, 1, 1, 1, 1};
	static const double voice_season[DEMO_MONTHS] = {1, 1, 1, 1.02, 1, 1.02, 1.08, 1.04, 0.98, 1, 1, 1};

	demo_get_args(fcinfo, &a);
	InitMaterializedSRF(fcinfo, 0);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "demo rows",
								   ALLOCSET_SMALL_SIZES);
	for (k = 0; k <= DEMO_MONTHS; k++)
		month_start[k] = demo_month_start(k);

	for (id = a.first; id <= a.last; id++)
	{
		DemoCustomer c;
		int64		arrears = 0;

		CHECK_FOR_INTERRUPTS();
		demo_customer(a.seed, a.n, id, &c);
		old = MemoryContextSwitchTo(rowcxt);

		for (k = c.first_month; k <= c.last_month; k++)
		{
			Datum		values[12];
			bool		nulls[12] = {0};
			DemoRng		r;
			double		days = month_start[k + 1] - month_start[k];
			double		frac = 1.0,
						spend,
						noise;
			int64		voice,
						sms,
						data,
						vas,
						total;
			bool		late;

			demo_rng_init(&r, a.seed, id, DEMO_STREAM_BILL + k);
			if (c.joined_on > month_start[k])
				frac = (month_start[k + 1] - c.joined_on) / days;
			if (c.status == DEMO_CHURNED && k == c.last_month)
				frac -= (month_start[k + 1] - c.churned_on - 1) / days;
			frac = Max(frac, 1.0 / 31);

			/* Sum of three uniforms: sd 0.12, bounded, no transcendental. */
			noise = 1.0 + 0.24 * (demo_unif(&r) + demo_unif(&r) + demo_unif(&r) - 1.5);
			spend = c.level * exp(c.growth * (k - (DEMO_MONTHS - 1))) * noise * frac;
			if (k > c.decline_from)
				spend *= exp(-c.decline * (k - c.decline_from));

			voice = to_cents(spend * c.mix[0] * voice_season[k] * (0.92 + 0.16 * demo_unif(&r)));
			sms = to_cents(spend * c.mix[1] * sms_season[k] * (0.9 + 0.2 * demo_unif(&r)));
			/* Data grows 3 % a month (2009: early mobile internet). */
			data = to_cents(spend * c.mix[2] * exp(0.03 * (k - (DEMO_MONTHS - 1)))
							* (0.8 + 0.4 * demo_unif(&r)));
			/* Leaving customers cancel value-added services first. */
			vas = to_cents(spend * c.mix[3] * (0.9 + 0.2 * demo_unif(&r))
						   * (k > c.decline_from ? exp(-0.25 * (k - c.decline_from)) : 1.0));
			total = voice + sms + data + vas;

			late = demo_unif(&r) < c.late_p
				|| (c.status == DEMO_SUSPENDED && k >= DEMO_MONTHS - 2);
			if (late && (c.risky || demo_unif(&r) < 0.3))
				arrears = arrears / 2 + (int64) (total * (0.2 + 0.8 * demo_unif(&r)));
			else
				arrears = 0;

			values[0] = Int64GetDatum(id);
			values[1] = DateADTGetDatum(month_start[k]);
			values[2] = cents_datum(voice);
			values[3] = cents_datum(sms);
			values[4] = cents_datum(data);
			values[5] = cents_datum(vas);
			values[6] = Int32GetDatum((int32) (voice / 100.0 / c.price_minute));
			values[7] = Int32GetDatum((int32) (sms / 100.0 / c.price_sms));
			values[8] = Int32GetDatum((int32) (data / 100.0 / c.price_mb));
			values[9] = BoolGetDatum(late);
			values[10] = cents_datum(arrears);
			if (c.cost_known)
				values[11] = cents_datum(to_cents(total / 100.0 * c.cost_ratio * (0.9 + 0.2 * demo_unif(&r))
												  + c.cost_fixed * frac));
			else
				nulls[11] = true;

			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}
