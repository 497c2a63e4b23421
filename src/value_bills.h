/*
 * value_bills.h
 *		A customer's bills reduced to the CVF inputs: the state of
 *		custvalue.bill_value_summary(), shared with the monthly cycle's
 *		custvalue.month_bill_inputs() (month_bills.c).
 */
#ifndef CUSTVALUE_VALUE_BILLS_H
#define CUSTVALUE_VALUE_BILLS_H

#include "fmgr.h"

/* Money in integer fen: sums are exact. */
typedef struct BillSummary
{
	int64		billed_months;
	int64		risk_months;		/* paid late or arrears > 0 */
	int64		arpu_months;		/* months >= arpu_from */
	int64		costed_months;		/* cost_to_serve known */
	int64		fee;				/* fen, all months */
	int64		arpu_fee;			/* fen, months >= arpu_from */
	int64		growth_fee;			/* fen, data + value-added */
	int64		costed_margin;		/* fen, fee - cost over costed months */
} BillSummary;

#define BILL_SUMMARY_FIELDS 8

extern void cv_add_checked(int64 *acc, int64 v);
extern void cv_bill_summary_add(BillSummary *s, FunctionCallInfo fcinfo, int arpu_from_argno);

#endif
