/*
 * tenure.c
 *		custvalue.tenure_months(joined_on, as_of): whole months between two
 *		dates, as extract(year FROM age(as_of, joined_on)) * 12 +
 *		extract(month FROM age(as_of, joined_on)).
 *
 * age() of two dates goes through timestamptz and a broken-down time per
 * call, once per customer per run; this is the same calendar arithmetic
 * (a month counts once its day of the month is reached) on the dates, and
 * does not depend on the session's time zone.
 */
#include "custvalue.h"

#include "datatype/timestamp.h"
#include "utils/date.h"
#include "utils/datetime.h"

static int
months_from(DateADT from, DateADT to)
{
	int			y1,
				m1,
				d1,
				y2,
				m2,
				d2;
	int			months;

	j2date(from + POSTGRES_EPOCH_JDATE, &y1, &m1, &d1);
	j2date(to + POSTGRES_EPOCH_JDATE, &y2, &m2, &d2);
	months = (y2 - y1) * 12 + (m2 - m1);
	if (d2 < d1)
		months--;
	return months;
}

PG_FUNCTION_INFO_V1(tenure_months);
Datum
tenure_months(PG_FUNCTION_ARGS)
{
	DateADT		joined_on = PG_GETARG_DATEADT(0);
	DateADT		as_of = PG_GETARG_DATEADT(1);

	if (DATE_NOT_FINITE(joined_on) || DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("custvalue.tenure_months needs finite dates")));
	/* age() is antisymmetric: a later joined_on gives a negative count */
	if (joined_on > as_of)
		PG_RETURN_INT32(-months_from(as_of, joined_on));
	PG_RETURN_INT32(months_from(joined_on, as_of));
}
