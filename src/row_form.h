/*
 * row_form.h
 *		Forming the composite rows that custvalue's functions return: the
 *		result type checked against the row the C code writes, and, for
 *		per-row functions, the row formed cheaply.
 */
#ifndef CUSTVALUE_ROW_FORM_H
#define CUSTVALUE_ROW_FORM_H

#include "access/htup_details.h"
#include "access/tupdesc.h"

/*
 * What is the same for every row a function returns in one query: the
 * result type's blessed descriptor, each attribute's storage, and the
 * tuple header fields that identify the type (see row_form.c).
 */
typedef struct CvRowForm
{
	TupleDesc	desc;
	int			natts;
	int			nfixed;			/* leading fixed-length attributes ... */
	Size		fixed_len;		/* ... and the bytes they take */
	Size		hoff_nonulls;	/* t_hoff without, and with, a null bitmap */
	Size		hoff_nulls;
	bool		dense;			/* all attributes by value, no padding */
	bool		datum_array;	/* ... and all 8 bytes: the values array */
	bool		varlena_tail;	/* fixed-length attributes, then one varlena */
	/* the whole header of a row without NULLs (dense: its length too) */
	char		nonull_header[MAXALIGN(SizeofHeapTupleHeader)];
	char		header[SizeofHeapTupleHeader];	/* type identity: t_choice,
												 * t_ctid, flags */
	struct
	{
		int16		len;
		char		align;
		bool		byval;
		bool		packable;	/* varlena that may take a 1-byte header */
		uint32		off;		/* offset if no attribute before is NULL */
	}			att[FLEXIBLE_ARRAY_MEMBER];
} CvRowForm;

extern TupleDesc cv_result_desc(FunctionCallInfo fcinfo, int natts, const Oid *types);
extern CvRowForm *cv_row_form_init(FunctionCallInfo fcinfo, MemoryContext cxt,
								   int natts, const Oid *types);
extern Datum cv_row_form(const CvRowForm *form, const Datum *values, const bool *isnull);
extern char *cv_row_form_tail(const CvRowForm *form, const Datum *values, Size size,
							  Datum *row);

#endif							/* CUSTVALUE_ROW_FORM_H */
