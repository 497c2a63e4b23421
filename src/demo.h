/*
 * demo.h
 *		The demo data generator's customer model, shared by demo.c (customers,
 *		bills) and demo_activity.c (bundles, service events, surveys,
 *		complaints).
 *
 * Every attribute of customer i is a pure function of (seed, i): each table's
 * generator re-derives the customer's latent traits instead of reading them
 * back, so the tables can be generated separately, in batches, in any order,
 * and the same seed always gives the same rows.
 */
#ifndef CUSTVALUE_DEMO_H
#define CUSTVALUE_DEMO_H

#include "postgres.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/date.h"

/* The generator refuses more customers than it has fake phone numbers. */
#define DEMO_MAX_CUSTOMERS	INT64CONST(100000000)

/* The data describes the 12 months ending June 2009 (the seed's period). */
#define DEMO_MONTHS			12
#define DEMO_FIRST_YEAR		2008
#define DEMO_FIRST_MONTH	7

/* Independent random streams, one per table, so tables don't shift each other. */
#define DEMO_STREAM_CUSTOMER	1
#define DEMO_STREAM_PERSONAL	2	/* id card and bank card digits */
#define DEMO_STREAM_BUNDLE		20
#define DEMO_STREAM_EVENT		21
#define DEMO_STREAM_SURVEY		22
#define DEMO_STREAM_COMPLAINT	23
#define DEMO_STREAM_CANCEL		24
#define DEMO_STREAM_BILL		100 /* + month index */

#define DEMO_GOTONE		0
#define DEMO_MZONE		1
#define DEMO_EASYOWN	2

#define DEMO_ACTIVE		0
#define DEMO_SUSPENDED	1
#define DEMO_CHURNED	2

/* Latent tier, by the default thresholds; same numbering as Tier. */
#define DEMO_TIER_C			0
#define DEMO_TIER_B			1
#define DEMO_TIER_A			2
#define DEMO_TIER_SILVER	3
#define DEMO_TIER_GOLD		4
#define DEMO_TIER_DIAMOND	5

typedef struct DemoCustomer
{
	int64		id;
	bool		card;			/* holds a GoTone VIP card */
	uint8		brand;
	uint8		region;			/* index into demo_regions */
	uint8		latent_tier;	/* expected tier from level, default thresholds */
	uint8		status;
	bool		at_risk;		/* active, but declining: a future churner */
	bool		declining;		/* at_risk or churned */
	bool		anonymous;		/* prepaid without real-name data */
	bool		bank_card;		/* pays by bank card */
	bool		cost_known;
	DateADT		joined_on;
	DateADT		churned_on;		/* when status is churned */
	DateADT		birth_date;
	int			first_month;	/* first billed month index, 0..11 */
	int			last_month;		/* last billed month index, 0..11 */
	double		level;			/* monthly spend before trends and noise, yuan */
	double		growth;			/* log change of spend per month */
	int			decline_from;	/* month index after which spend falls */
	double		decline;		/* log fall of spend per month after it */
	double		mix[4];			/* voice, sms, data, vas shares of the bill */
	double		price_minute;
	double		price_sms;
	double		price_mb;
	double		late_p;			/* probability of paying a month late */
	bool		risky;			/* late payer who runs arrears */
	double		cost_ratio;
	double		cost_fixed;
	int			account_manager;	/* 0 = none, else number within region */
	int			phone_manager;	/* 0 = none, else number */
} DemoCustomer;

/* splitmix64: a counter-based generator; the state is a hash of its key. */
typedef struct DemoRng
{
	uint64		state;
} DemoRng;

static inline uint64
demo_mix64(uint64 z)
{
	z = (z ^ (z >> 30)) * UINT64CONST(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline void
demo_rng_init(DemoRng *rng, int64 seed, int64 id, uint32 stream)
{
	rng->state = demo_mix64(demo_mix64((uint64) seed ^ UINT64CONST(0x6a09e667f3bcc909))
							^ demo_mix64((uint64) id + ((uint64) stream << 40)));
}

static inline uint64
demo_next(DemoRng *rng)
{
	rng->state += UINT64CONST(0x9e3779b97f4a7c15);
	return demo_mix64(rng->state);
}

/* Uniform on [0, 1). */
static inline double
demo_unif(DemoRng *rng)
{
	return (double) (demo_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer on [lo, hi]. */
static inline int64
demo_int(DemoRng *rng, int64 lo, int64 hi)
{
	return lo + (int64) (demo_unif(rng) * (double) (hi - lo + 1));
}

extern double demo_normal(DemoRng *rng);
extern int	demo_poisson(DemoRng *rng, double lambda);
extern int	demo_pick(DemoRng *rng, const double *weights, int count);

/* The customer's latent traits. */
extern void demo_customer(int64 seed, int64 n, int64 id, DemoCustomer *c);

/* Dates of the data window. */
extern DateADT demo_month_start(int k);
extern int	demo_month_of(DateADT d);
extern DateADT demo_window_start(void);
extern DateADT demo_window_end(void);

/* Instant of a Beijing-time (UTC+8) date and second of day. */
extern TimestampTz demo_timestamp(DateADT day, int64 second);

extern const char *demo_region_name(int region);
extern void demo_manager_code(char *buf, size_t len, const DemoCustomer *c,
							  bool account);

/* Checked arguments (seed, n, first_id, last_id) of the demo_* functions. */
typedef struct DemoArgs
{
	int64		seed;
	int64		n;
	int64		first;
	int64		last;
} DemoArgs;

extern void demo_get_args(FunctionCallInfo fcinfo, DemoArgs *args);

/* One customer's service events over the window, in time order. */
#define DEMO_MAX_EVENTS 48

typedef struct DemoEvent
{
	TimestampTz occurred_at;
	int			item;			/* index into demo_items */
	int			channel;		/* index into demo_channels */
	bool		manager;		/* served by the customer's manager */
} DemoEvent;

extern int	demo_events_of(int64 seed, const DemoCustomer *c, DemoEvent *events);
extern const char *const demo_items[];
extern const char *const demo_channels[];


#endif							/* CUSTVALUE_DEMO_H */
