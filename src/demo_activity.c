/*
 * demo_activity.c
 *		Demo data generator, the customers' activity: bundles, service
 *		events, survey responses and complaints (domain.md §5, §7, §8).
 *
 * Future churners (DemoCustomer.at_risk) and churned customers complain
 * more, cancel value-added services, are less satisfied and see their bundles end soon; card VIPs and
 * non-card Easyown customers take part in bundles, non-card GoTone and
 * M-Zone much less (domain.md §2).
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

PG_FUNCTION_INFO_V1(demo_bundles);
PG_FUNCTION_INFO_V1(demo_service_events);
PG_FUNCTION_INFO_V1(demo_survey_responses);
PG_FUNCTION_INFO_V1(demo_complaints);
PG_FUNCTION_INFO_V1(demo_service_cancellations);

/* The codes of custvalue.service_item, in standard order. */
const char *const demo_items[] = {
	"hotline_priority", "suspension_care", "lecture_hall", "birthday_gift",
	"sim_replacement", "alliance_merchants", "car_club", "phone_manager",
	"multimedia_manager", "community", "experience_vouchers"
};
#define DEMO_ITEMS 11
#define ITEM_BIRTHDAY 3

/* Channels of domain.md §6. */
const char *const demo_channels[] = {
	"phone_manager", "multimedia_manager", "10086", "account_manager",
	"hall", "vip_desk", "club", "social", "web", "sms", "self_service"
};
enum
{
	CH_PHONE_MANAGER, CH_MULTIMEDIA, CH_10086, CH_ACCOUNT_MANAGER,
	CH_HALL, CH_VIP_DESK, CH_CLUB, CH_SOCIAL, CH_WEB, CH_SMS, CH_SELF_SERVICE
};

/* Which services each group uses, by weight (birthdays come separately). */
static const double items_card[DEMO_ITEMS] = {30, 8, 12, 0, 8, 20, 10, 0, 0, 0, 0};
static const double items_ab[DEMO_ITEMS] = {15, 6, 0, 0, 6, 12, 6, 25, 15, 8, 7};

/* Service events per customer and year, by latent tier c .. diamond. */
static const double events_per_year[6] = {0.2, 1.5, 2.5, 2.5, 3.0, 4.0};

static DateADT
add_months(DateADT d, int months)
{
	int			y,
				m,
				day,
				mm;
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			last;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	mm = (y * 12 + m - 1) + months;
	y = mm / 12;
	m = mm % 12 + 1;
	last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return date2j(y, m, Min(day, last)) - POSTGRES_EPOCH_JDATE;
}

/* The days on which the customer was a customer within the window. */
static void
active_span(const DemoCustomer *c, DateADT *from, DateADT *to)
{
	*from = Max(c->joined_on, demo_window_start());
	*to = c->status == DEMO_CHURNED ? c->churned_on : demo_window_end();
}

static int
cmp_event(const void *a, const void *b)
{
	TimestampTz x = ((const DemoEvent *) a)->occurred_at;
	TimestampTz y = ((const DemoEvent *) b)->occurred_at;

	return x < y ? -1 : x > y;
}

int
demo_events_of(int64 seed, const DemoCustomer *c, DemoEvent *events)
{
	DemoRng		r;
	DateADT		from,
				to;
	int			count,
				i,
				nev = 0;
	int			y,
				m,
				d;
	bool		non_c = c->latent_tier != DEMO_TIER_C;

	demo_rng_init(&r, seed, c->id, DEMO_STREAM_EVENT);
	active_span(c, &from, &to);
	count = demo_poisson(&r, events_per_year[c->latent_tier] * (to - from + 1) / 365.0);
	count = Min(count, DEMO_MAX_EVENTS - 1);

	for (i = 0; i < count; i++)
	{
		DemoEvent  *e = &events[nev++];
		int			item;
		int64		sec;

		if (c->latent_tier >= DEMO_TIER_SILVER)
			item = demo_pick(&r, items_card, DEMO_ITEMS);
		else if (non_c)
			item = demo_pick(&r, items_ab, DEMO_ITEMS);
		else
			item = 4;			/* ordinary customers: SIM replacement only */

		switch (item)
		{
			case 0:
				e->channel = CH_10086;
				break;
			case 1:
				e->channel = c->account_manager && c->latent_tier != DEMO_TIER_GOLD
					? CH_ACCOUNT_MANAGER
					: c->phone_manager ? CH_PHONE_MANAGER : CH_10086;
				break;
			case 2:
				e->channel = CH_HALL;
				break;
			case 4:
				e->channel = c->card ? (demo_unif(&r) < 0.5 ? CH_VIP_DESK : CH_HALL)
					: (demo_unif(&r) < 0.2 ? CH_SELF_SERVICE : CH_HALL);
				break;
			case 5:
				e->channel = CH_SOCIAL;
				break;
			case 6:
				e->channel = CH_CLUB;
				break;
			case 7:
				e->channel = CH_PHONE_MANAGER;
				break;
			case 8:
				e->channel = CH_MULTIMEDIA;
				break;
			case 9:
				e->channel = CH_WEB;
				break;
			default:
				e->channel = demo_unif(&r) < 0.5 ? CH_HALL : CH_SOCIAL;
				break;
		}
		e->item = item;
		e->manager = (e->channel == CH_ACCOUNT_MANAGER && c->account_manager)
			|| (e->channel == CH_PHONE_MANAGER && c->phone_manager);
		/* Hotline and managers work 7x24; the rest 09:00-21:00. */
		if ((item == 0 || item == 7 || item == 8) && demo_unif(&r) < 0.15)
			sec = demo_int(&r, 0, SECS_PER_DAY - 1);
		else
			sec = demo_int(&r, 9 * SECS_PER_HOUR, 21 * SECS_PER_HOUR - 1);
		e->occurred_at = demo_timestamp(from + (DateADT) demo_int(&r, 0, to - from), sec);
	}

	/* The birthday gift, for tiers that have one, on the birthday. */
	if (non_c && !c->anonymous && demo_unif(&r) < 0.85)
	{
		DateADT		bday;

		j2date(c->birth_date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		if (m == 2 && d == 29)
			d = 28;
		y = m >= DEMO_FIRST_MONTH ? DEMO_FIRST_YEAR : DEMO_FIRST_YEAR + 1;
		bday = date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
		if (bday >= from && bday <= to)
		{
			DemoEvent  *e = &events[nev++];

			e->item = ITEM_BIRTHDAY;
			e->channel = demo_unif(&r) < 0.3 ? CH_SMS
				: c->account_manager ? CH_ACCOUNT_MANAGER
				: c->phone_manager ? CH_PHONE_MANAGER : CH_SMS;
			e->manager = e->channel != CH_SMS;
			e->occurred_at = demo_timestamp(bday, demo_int(&r, 9 * SECS_PER_HOUR, 18 * SECS_PER_HOUR));
		}
	}
	qsort(events, nev, sizeof(DemoEvent), cmp_event);
	return nev;
}

/* Start a materialised result and a per-customer memory context. */
static MemoryContext
begin_rows(FunctionCallInfo fcinfo, DemoArgs *a)
{
	demo_get_args(fcinfo, a);
	InitMaterializedSRF(fcinfo, 0);
	return AllocSetContextCreate(CurrentMemoryContext, "demo rows",
								 ALLOCSET_SMALL_SIZES);
}

/* The first event id of a batch: positive, and room for every event after it. */
static int64
first_event_id_arg(FunctionCallInfo fcinfo, const DemoArgs *a)
{
	int64		first = PG_GETARG_INT64(4);
	int64		customers = Max(a->last - a->first + 1, 0);

	if (first < 1 || first > PG_INT64_MAX - customers * DEMO_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("first_event_id must be between 1 and " INT64_FORMAT ", not " INT64_FORMAT,
						PG_INT64_MAX - customers * DEMO_MAX_EVENTS, first)));
	return first;
}

/*
 * demo_bundles(seed, n, first_id, last_id): bundled-marketing commitments.
 * Prepaid and gift bundles run at least 10 months with a floor of at least
 * 50 a month (domain.md §5).
 */
Datum
demo_bundles(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DemoArgs	a;
	MemoryContext rowcxt = begin_rows(fcinfo, &a);
	int64		id;
	static const char *const kinds[] = {"prepaid", "handset", "gift", "family"};
	static const double kind_w[] = {35, 25, 25, 15};
	static const char *const grades[] = {"special", "entry", "middle", "high"};
	static const double grade_low[] = {10, 40, 35, 15};
	static const double grade_high[] = {5, 20, 40, 35};
	static const double floors[] = {50, 58, 88, 128, 158, 188, 288};
	DateADT		horizon = add_months(demo_window_end(), -24);

	for (id = a.first; id <= a.last; id++)
	{
		DemoCustomer c;
		DemoRng		r;
		double		p;
		int			count,
					i;
		DateADT		from,
					to;

		CHECK_FOR_INTERRUPTS();
		demo_customer(a.seed, a.n, id, &c);
		demo_rng_init(&r, a.seed, id, DEMO_STREAM_BUNDLE);
		p = c.card ? 0.65 : c.brand == DEMO_EASYOWN ? 0.45
			: c.brand == DEMO_GOTONE ? 0.18 : 0.15;
		if (demo_unif(&r) >= p)
			continue;
		count = 1 + (demo_unif(&r) < 0.3) + (demo_unif(&r) < 0.08);
		from = Max(c.joined_on, horizon);
		to = (c.status == DEMO_CHURNED ? c.churned_on : demo_window_end()) - 15;
		if (to <= from)
			continue;

		for (i = 0; i < count; i++)
		{
			Datum		values[6];
			bool		nulls[6] = {0};
			int			kind = demo_pick(&r, kind_w, 4);
			int			months,
						f;
			DateADT		started,
						ends;
			double		cap;
			MemoryContext old;

			months = kind == 0 ? 12 : kind == 1 ? (demo_unif(&r) < 0.5 ? 24 : 12)
				: kind == 2 ? (demo_unif(&r) < 0.6 ? 12 : 24) : 12;
			ends = demo_window_end() + (DateADT) demo_int(&r, 1, 92);
			started = add_months(ends, -months);
			if (i == 0 && c.at_risk && started >= from && demo_unif(&r) < 0.7)
			{
				/* A future churner's commitment runs out in 1-3 months. */
			}
			else
			{
				started = from + (DateADT) demo_int(&r, 0, to - from);
				ends = add_months(started, months);
			}
			/*
			 * A churner's bundle keeps the term it was signed for: ends_on is
			 * the commitment (checked against custvalue.bundle_rule), not the
			 * day the customer left.
			 */

			cap = Max(50.0, c.level * (0.5 + 0.5 * demo_unif(&r)));
			for (f = lengthof(floors) - 1; f > 0 && floors[f] > cap; f--)
				;

			old = MemoryContextSwitchTo(rowcxt);
			values[0] = Int64GetDatum(id);
			values[1] = CStringGetTextDatum(kinds[kind]);
			if (kind == 2)
				values[2] = CStringGetTextDatum(grades[demo_pick(&r, c.level >= 200 ? grade_high : grade_low, 4)]);
			else
				nulls[2] = true;
			values[3] = DateADTGetDatum(started);
			values[4] = DateADTGetDatum(ends);
			values[5] = NumericGetDatum(int64_div_fast_to_numeric(kind == 3 ? 0 : (int64) floors[f] * 100, 2));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			MemoryContextSwitchTo(old);
		}
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

/*
 * demo_service_events(seed, n, first_id, last_id, first_event_id): the
 * services delivered to customers first_id..last_id, numbered from
 * first_event_id in customer and time order.
 */
Datum
demo_service_events(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DemoArgs	a;
	MemoryContext rowcxt = begin_rows(fcinfo, &a);
	int64		event_id = first_event_id_arg(fcinfo, &a);
	int64		id;

	for (id = a.first; id <= a.last; id++)
	{
		DemoCustomer c;
		DemoEvent	events[DEMO_MAX_EVENTS];
		int			nev,
					i;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		demo_customer(a.seed, a.n, id, &c);
		nev = demo_events_of(a.seed, &c, events);
		old = MemoryContextSwitchTo(rowcxt);
		for (i = 0; i < nev; i++)
		{
			Datum		values[6];
			bool		nulls[6] = {0};
			char		buf[32];

			values[0] = Int64GetDatum(event_id++);
			values[1] = Int64GetDatum(id);
			values[2] = TimestampTzGetDatum(events[i].occurred_at);
			values[3] = CStringGetTextDatum(demo_items[events[i].item]);
			values[4] = CStringGetTextDatum(demo_channels[events[i].channel]);
			if (events[i].manager)
			{
				demo_manager_code(buf, sizeof(buf), &c,
								  events[i].channel == CH_ACCOUNT_MANAGER);
				values[5] = CStringGetTextDatum(buf);
			}
			else
				nulls[5] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

typedef struct DemoAnswer
{
	TimestampTz answered_at;
	int64		event_id;		/* 0 = periodic survey */
	int			channel;
	bool		satisfied;
	int			csat;			/* 0 = not asked */
	int			nps;			/* -1 = not asked */
} DemoAnswer;

static int
cmp_answer(const void *a, const void *b)
{
	TimestampTz x = ((const DemoAnswer *) a)->answered_at;
	TimestampTz y = ((const DemoAnswer *) b)->answered_at;

	return x < y ? -1 : x > y;
}

/*
 * Monthly satisfaction of the first half of 2009 (domain.md §7): VIP
 * 88 .. 96 %, mid/high-end 86 .. 93 %; the half year before at 87 / 85 %.
 */
static const double vip_satisfaction[DEMO_MONTHS] =
{0.87, 0.87, 0.87, 0.87, 0.87, 0.87, 0.88, 0.90, 0.91, 0.93, 0.94, 0.96};
static const double mid_satisfaction[DEMO_MONTHS] =
{0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.86, 0.89, 0.89, 0.91, 0.92, 0.93};

/*
 * demo_survey_responses(seed, n, first_id, last_id, first_event_id): the
 * post-service SMS survey (about half of the services get an answer, ~98 %
 * satisfied) and a monthly sample survey with CSAT and NPS.  Event ids
 * follow demo_service_events() called with the same first_event_id.
 */
Datum
demo_survey_responses(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DemoArgs	a;
	MemoryContext rowcxt = begin_rows(fcinfo, &a);
	int64		event_id = first_event_id_arg(fcinfo, &a);
	int64		id;
	static const char *const survey_channels[] = {"sms", "phone", "web"};
	static const double survey_channel_w[] = {30, 50, 20};

	for (id = a.first; id <= a.last; id++)
	{
		DemoCustomer c;
		DemoEvent	events[DEMO_MAX_EVENTS];
		DemoAnswer	answers[DEMO_MAX_EVENTS + DEMO_MONTHS];
		DemoRng		r;
		int			nev,
					nans = 0,
					i,
					k;
		DateADT		from,
					to;
		double		penalty;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		demo_customer(a.seed, a.n, id, &c);
		nev = demo_events_of(a.seed, &c, events);
		demo_rng_init(&r, a.seed, id, DEMO_STREAM_SURVEY);
		penalty = c.status == DEMO_CHURNED ? 0.25 : c.at_risk ? 0.18 : -0.015;

		for (i = 0; i < nev; i++, event_id++)
		{
			DemoAnswer *s;

			if (demo_unif(&r) >= 0.5)
				continue;
			s = &answers[nans++];
			s->answered_at = events[i].occurred_at
				+ demo_int(&r, 5 * SECS_PER_MINUTE, 6 * SECS_PER_HOUR) * USECS_PER_SEC;
			s->event_id = event_id;
			s->channel = 0;
			s->satisfied = demo_unif(&r) < 0.985 - penalty / 2;
			s->csat = 0;
			s->nps = -1;
		}

		active_span(&c, &from, &to);
		for (k = Max(0, demo_month_of(from)); k <= demo_month_of(to) && k < DEMO_MONTHS; k++)
		{
			DemoAnswer *s;
			DateADT		lo = Max(from, demo_month_start(k));
			DateADT		hi = Min(to, demo_month_start(k + 1) - 1);
			double		u;

			if (demo_unif(&r) >= (c.card ? 0.04 : 0.025))
				continue;
			s = &answers[nans++];
			s->answered_at = demo_timestamp(lo + (DateADT) demo_int(&r, 0, hi - lo),
											demo_int(&r, 10 * SECS_PER_HOUR, 20 * SECS_PER_HOUR));
			s->event_id = 0;
			s->channel = demo_pick(&r, survey_channel_w, 3);
			s->satisfied = demo_unif(&r) < (c.card ? vip_satisfaction[k] : mid_satisfaction[k]) - penalty;
			u = demo_unif(&r);
			if (s->satisfied)
			{
				s->csat = u < 0.55 ? 5 : 4;
				s->nps = (int) demo_int(&r, 7, 10);
				if (s->nps < 9 && demo_unif(&r) < 0.4)
					s->nps += 2;
			}
			else
			{
				s->csat = u < 0.15 ? 1 : u < 0.5 ? 2 : 3;
				s->nps = (int) demo_int(&r, 0, 6);
			}
		}
		qsort(answers, nans, sizeof(DemoAnswer), cmp_answer);

		old = MemoryContextSwitchTo(rowcxt);
		for (i = 0; i < nans; i++)
		{
			DemoAnswer *s = &answers[i];
			Datum		values[7];
			bool		nulls[7] = {0};

			values[0] = Int64GetDatum(id);
			values[1] = Int64GetDatum(s->event_id);
			nulls[1] = s->event_id == 0;
			values[2] = TimestampTzGetDatum(s->answered_at);
			values[3] = CStringGetTextDatum(survey_channels[s->channel]);
			values[4] = BoolGetDatum(s->satisfied);
			values[5] = Int16GetDatum((int16) s->csat);
			nulls[5] = s->csat == 0;
			values[6] = Int16GetDatum((int16) s->nps);
			nulls[6] = s->nps < 0;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

/*
 * demo_complaints(seed, n, first_id, last_id): complaints, mostly from
 * customers on their way out, resolved within the service levels of
 * domain.md §9 most of the time.
 */
Datum
demo_complaints(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DemoArgs	a;
	MemoryContext rowcxt = begin_rows(fcinfo, &a);
	int64		id;
	static const char *const categories[] = {
		"billing", "network", "service", "value_added", "handset", "other"
	};
	static const double category_w[] = {30, 25, 15, 20, 5, 5};
	static const char *const severities[] = {"major", "ordinary", "minor"};
	static const double severity_w[] = {5, 30, 65};
	TimestampTz cutoff = demo_timestamp(demo_window_end() + 1, 0);

	for (id = a.first; id <= a.last; id++)
	{
		DemoCustomer c;
		DemoRng		r;
		DateADT		from,
					to,
					decline_start;
		double		lambda;
		int			count,
					i;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		demo_customer(a.seed, a.n, id, &c);
		demo_rng_init(&r, a.seed, id, DEMO_STREAM_COMPLAINT);
		active_span(&c, &from, &to);
		lambda = 0.04 + (c.at_risk ? 0.5 : 0) + (c.status == DEMO_CHURNED ? 0.7 : 0)
			+ (c.risky ? 0.08 : 0);
		count = demo_poisson(&r, lambda * (to - from + 1) / 365.0);
		decline_start = Max(from, demo_month_start(Min(c.decline_from, DEMO_MONTHS - 1)));

		old = MemoryContextSwitchTo(rowcxt);
		for (i = 0; i < count; i++)
		{
			Datum		values[5];
			bool		nulls[5] = {0};
			DateADT		lo = (c.declining && decline_start < to && demo_unif(&r) < 0.7)
				? decline_start : from;
			TimestampTz filed = demo_timestamp(lo + (DateADT) demo_int(&r, 0, to - lo),
											   demo_int(&r, 8 * SECS_PER_HOUR, 22 * SECS_PER_HOUR - 1));
			int			category = c.risky && demo_unif(&r) < 0.5 ? 0
				: demo_pick(&r, category_w, 6);
			int			severity = demo_pick(&r, severity_w, 3);
			double		u = demo_unif(&r);
			double		hours = severity == 0 ? 4 + 60 * u * u
				: severity == 1 ? 1 + 40 * u * u : 0.5 + 24 * u * u;
			TimestampTz resolved = filed + (TimestampTz) (hours * USECS_PER_HOUR);

			values[0] = Int64GetDatum(id);
			values[1] = TimestampTzGetDatum(filed);
			values[2] = CStringGetTextDatum(categories[category]);
			values[3] = CStringGetTextDatum(severities[severity]);
			values[4] = TimestampTzGetDatum(resolved);
			/* Still open at the end of the data, or never closed. */
			nulls[4] = resolved >= cutoff || demo_unif(&r) < 0.01;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

/*
 * demo_service_cancellations(seed, n, first_id, last_id): value-added
 * services customers unsubscribed from (退订).  Customers on their way out
 * cancel after their spend starts falling, as their bills' VAS share shows;
 * everyone else now and then.
 */
Datum
demo_service_cancellations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DemoArgs	a;
	MemoryContext rowcxt = begin_rows(fcinfo, &a);
	int64		id;
	static const char *const services[] = {
		"ringback_tone", "mobile_newspaper", "wireless_music", "fetion",
		"mailbox_139", "mobile_tv", "data_package", "sms_package", "caller_id"
	};
	static const double service_w[] = {20, 15, 15, 10, 8, 5, 12, 10, 5};

	for (id = a.first; id <= a.last; id++)
	{
		DemoCustomer c;
		DemoRng		r;
		DateADT		from,
					to,
					lo;
		int			count,
					i;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		demo_customer(a.seed, a.n, id, &c);
		demo_rng_init(&r, a.seed, id, DEMO_STREAM_CANCEL);
		active_span(&c, &from, &to);
		if (c.declining)
		{
			count = 1 + demo_poisson(&r, 1.0);
			lo = Max(from, demo_month_start(Min(c.decline_from + 1, DEMO_MONTHS - 1)));
			lo = Min(lo, to);
		}
		else
		{
			count = demo_poisson(&r, 0.15 * (to - from + 1) / 365.0);
			lo = from;
		}

		old = MemoryContextSwitchTo(rowcxt);
		for (i = 0; i < count; i++)
		{
			Datum		values[3];
			bool		nulls[3] = {0};

			values[0] = Int64GetDatum(id);
			values[1] = TimestampTzGetDatum(demo_timestamp(lo + (DateADT) demo_int(&r, 0, to - lo),
														   demo_int(&r, 8 * SECS_PER_HOUR, 23 * SECS_PER_HOUR - 1)));
			values[2] = CStringGetTextDatum(services[demo_pick(&r, service_w, lengthof(services))]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}
