/*
 * row_form.c
 *		Forming the composite row a per-row function returns, without
 *		heap_form_tuple()'s general machinery.
 *
 * cvf_score() and churn_warning() return one row per customer.  On this
 * PostgreSQL, heap_form_tuple() spends about 700 instructions on a row of
 * six float8s: a generic size pass and a generic fill pass that look at
 * every attribute's catalog entry and datum in turn, plus the stamping of
 * the type's version into the header.  That was more than the scoring
 * itself and most of what separated those functions from a bare scan.
 *
 * A function's result type does not change during a query, so everything
 * but the values is worked out once, when the function is first called
 * (cv_row_form_init): each attribute's length, alignment and whether a
 * varlena may be stored with a short header, and the header fields that
 * identify the type.  Those header fields (type OID, typmod or, where the
 * server versions composite datums, the version stamp) are the same for
 * every row of the type, so they are taken from a template that the
 * server's own routine filled in once, and copied per row.  Per row that
 * leaves one palloc0 and a store per attribute.
 *
 * The layout written is exactly heap_form_tuple()'s: same alignment, same
 * null bitmap, varlenas packed to 1-byte headers by the same rule, so the
 * rows compare, hash and store identically.  A toasted or expanded value
 * goes to heap_form_tuple() instead.  A result type that is not the one
 * the caller writes -- altered by ALTER TYPE, a dropped attribute say --
 * never gets here: cv_result_desc() refuses it, for every function that
 * returns a row, formed here or by heap_form_tuple().
 */
#include "custvalue.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "row_form.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

/* A fixed-length value at dst, as heap_fill_tuple() stores it. */
static inline void
store_fixed(const CvRowForm *form, int i, char *dst, Datum value)
{
	if (form->att[i].byval)
		store_att_byval(dst, value, form->att[i].len);
	else
		memcpy(dst, DatumGetPointer(value), form->att[i].len);
}

/*
 * Where a varlena of size bytes (with a 4-byte header, uncompressed) goes
 * when the data so far ends at *off, and how many bytes it takes there:
 * heap_compute_data_size()'s rule -- packed to a 1-byte header when the
 * attribute allows and it fits, aligned only when it keeps a 4-byte
 * header.  *off becomes the start.
 */
static inline Size
place_new_varlena(const CvRowForm *form, int i, Size size, Size *off)
{
	if (form->att[i].packable && size - VARHDRSZ + VARHDRSZ_SHORT <= VARATT_SHORT_MAX)
		return size - VARHDRSZ + VARHDRSZ_SHORT;
	*off = att_align_nominal(*off, form->att[i].align);
	return size;
}

/* The same for a varlena p that exists, in whatever form. */
static inline Size
place_varlena(const CvRowForm *form, int i, Pointer p, Size *off)
{
	if (VARATT_IS_SHORT(p))
		return VARSIZE_SHORT(p);
	if (VARATT_IS_4B_U(p))
		return place_new_varlena(form, i, VARSIZE(p), off);
	*off = att_align_nominal(*off, form->att[i].align);
	return VARSIZE(p);			/* compressed in line: never packed */
}

/* Varlena p at dst in the len bytes place_varlena() gave it. */
static inline void
store_varlena(char *dst, Pointer p, Size len)
{
	if (len != VARSIZE_ANY(p))
	{
		/* packed: a 4-byte header becomes a 1-byte one */
		SET_VARSIZE_SHORT(dst, len);
		memcpy(dst + 1, VARDATA(p), len - 1);
	}
	else
		memcpy(dst, p, len);
}

pg_noreturn static void result_type_altered(FunctionCallInfo fcinfo, TupleDesc desc,
											const char *detail);

static void
result_type_altered(FunctionCallInfo fcinfo, TupleDesc desc, const char *detail)
{
	/* a record is the function's OUT parameters: name the function */
	if (desc->tdtypeid == RECORDOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("custvalue: the OUT parameters of %s() have been altered",
						get_func_name(fcinfo->flinfo->fn_oid)),
				 errdetail("%s", detail),
				 errhint("Create the function as the extension defines it, or reinstall the extension.")));
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("custvalue: the result type %s has been altered",
					format_type_be_qualified(desc->tdtypeid)),
			 errdetail("%s", detail),
			 errhint("Restore the type as the extension defines it, e.g. by ALTER TYPE, or reinstall the extension.")));
}

/*
 * The calling function's result descriptor, blessed, checked against the
 * row its C code writes: natts attributes, none dropped, of the types in
 * types[] without a typmod (InvalidOid: any enum type, for an attribute
 * of an enum the extension creates, whose OID is not a constant).
 *
 * Why: the composite types the extension's script creates (CREATE TYPE
 * custvalue.cvf_scores AS ...) are ordinary catalog objects, and their
 * owner or a superuser can ALTER TYPE them -- add, drop or retype an
 * attribute -- without touching the C functions that return them.
 * get_call_result_type() then describes the altered type, while the C
 * code still fills a fixed values array in the original layout: forming
 * a row of the new type from it would read past the end of the array (an
 * added attribute) or store a float8 where the type expects a varlena
 * pointer (a retyped one), i.e. return garbage or crash the backend.  A
 * typmod is refused too, as the values are not coerced to it.  The same
 * goes for a function declared again (by a superuser) with another result
 * type or other OUT parameters than the extension gives it.
 *
 * The pass over the attributes costs less than get_call_result_type()
 * itself; callers that keep the descriptor across calls (copying it into
 * a longer-lived context) check once per query, not per row.
 */
TupleDesc
cv_result_desc(FunctionCallInfo fcinfo, int natts, const Oid *types)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning a row called in a context that cannot accept one")));

	for (int i = 0; i < desc->natts; i++)
		if (TupleDescAttr(desc, i)->attisdropped)
			result_type_altered(fcinfo, desc,
								psprintf("Its attribute %d has been dropped.", i + 1));
	if (desc->natts != natts)
		result_type_altered(fcinfo, desc,
							psprintf("It has %d attributes where custvalue writes %d.",
									 desc->natts, natts));
	for (int i = 0; i < natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->atttypmod < 0 &&
			(OidIsValid(types[i]) ? a->atttypid == types[i] : type_is_enum(a->atttypid)))
			continue;
		result_type_altered(fcinfo, desc,
							psprintf("Attribute \"%s\" has type %s where custvalue writes %s.",
									 NameStr(a->attname),
									 format_type_with_typemod(a->atttypid, a->atttypmod),
									 OidIsValid(types[i]) ? format_type_be(types[i]) : "an enum"));
	}
	return BlessTupleDesc(desc);
}

/*
 * How to form rows of the calling function's result type, which must be
 * natts attributes of types[] (see cv_result_desc()), in cxt: once per
 * query, kept in the function's fn_extra.
 */
CvRowForm *
cv_row_form_init(FunctionCallInfo fcinfo, MemoryContext cxt, int natts, const Oid *types)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	TupleDesc	desc;
	CvRowForm  *form;
	HeapTupleHeader h;

	desc = CreateTupleDescCopy(cv_result_desc(fcinfo, natts, types));

	form = palloc0(offsetof(CvRowForm, att) + desc->natts * sizeof(form->att[0]));
	form->desc = desc;
	form->natts = desc->natts;
	form->nfixed = -1;
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attlen > 0 && form->nfixed < 0)
		{
			form->att[i].off = att_align_nominal(form->fixed_len, a->attalign);
			form->fixed_len = form->att[i].off + a->attlen;
		}
		else if (form->nfixed < 0)
			form->nfixed = i;

		/* cv_result_desc() let through neither: no code for them below */
		Assert(!a->attisdropped && a->attlen != -2);
		form->att[i].len = a->attlen;
		form->att[i].align = a->attalign;
		form->att[i].byval = a->attbyval;
		form->att[i].packable = a->attlen == -1 && a->attstorage != TYPSTORAGE_PLAIN;
	}
	if (form->nfixed < 0)
		form->nfixed = desc->natts;
	form->dense = form->nfixed == desc->natts;
	form->datum_array = true;
	for (int i = 0; i < desc->natts && form->dense; i++)
	{
		Size		packed_end = i == 0 ? 0 : form->att[i - 1].off + form->att[i - 1].len;

		form->dense = form->att[i].byval && form->att[i].off == packed_end;
		form->datum_array &= form->att[i].len == sizeof(Datum);
	}
	form->datum_array &= form->dense;
	form->varlena_tail = form->nfixed == desc->natts - 1 &&
		TupleDescAttr(desc, desc->natts - 1)->attlen == -1;
	form->hoff_nonulls = MAXALIGN(SizeofHeapTupleHeader);
	form->hoff_nulls = MAXALIGN(SizeofHeapTupleHeader + BITMAPLEN(desc->natts));

	/* The header template, filled in by the server's own code. */
	h = (HeapTupleHeader) palloc0(form->hoff_nulls);
	HeapTupleHeaderSetNatts(h, desc->natts);
	h->t_hoff = form->hoff_nonulls;
#ifdef HEAP_IS_DATUM
	/* this server versions composite datums: type identity and version */
	heap_tuple_set_datum(h, desc, form->hoff_nonulls);
#else
	HeapTupleHeaderSetDatumLength(h, form->hoff_nonulls);
	HeapTupleHeaderSetTypeId(h, desc->tdtypeid);
	HeapTupleHeaderSetTypMod(h, desc->tdtypmod);
	ItemPointerSetInvalid(&h->t_ctid);
#endif
	memcpy(form->header, h, SizeofHeapTupleHeader);
	SET_VARSIZE(h, form->hoff_nonulls + form->fixed_len);
	if (form->nfixed < desc->natts)
		h->t_infomask |= HEAP_HASVARWIDTH;
	memcpy(form->nonull_header, h, form->hoff_nonulls);
	pfree(h);

	MemoryContextSwitchTo(old);
	return form;
}

/*
 * The row of values/isnull as a composite Datum, palloc'd in the current
 * memory context.
 */
Datum
cv_row_form(const CvRowForm *form, const Datum *values, const bool *isnull)
{
	int			natts = form->natts;
	int			first = 0;		/* first attribute not yet placed */
	bool		hasnull = false;
	bool		hasvarwidth = false;
	Size		off = 0;
	Size		hoff;
	HeapTupleHeader td;
	char	   *data;
	bits8	   *bits;

	for (int i = 0; i < natts; i++)
		hasnull |= isnull[i];

	/*
	 * The common case, e.g. cvf_scores with all five dimensions known: the
	 * header is a constant and the values are written as they are, with no
	 * padding between them to zero.
	 */
	if (!hasnull && form->dense)
	{
		td = (HeapTupleHeader) palloc(form->hoff_nonulls + form->fixed_len);
		memcpy(td, form->nonull_header, form->hoff_nonulls);
		data = (char *) td + form->hoff_nonulls;
		if (form->datum_array)
			memcpy(data, values, form->fixed_len);
		else
			for (int i = 0; i < natts; i++)
				store_fixed(form, i, data + form->att[i].off, values[i]);
		goto formed;
	}

	/* Without NULLs the leading fixed-length attributes have fixed offsets. */
	if (!hasnull)
	{
		first = form->nfixed;
		off = form->fixed_len;
	}

	/* size of the data area, as heap_compute_data_size() */
	for (int i = first; i < natts; i++)
	{
		if (isnull[i])
			continue;
		if (form->att[i].len > 0)
			off = att_align_nominal(off, form->att[i].align) + form->att[i].len;
		else
		{
			Pointer		p = DatumGetPointer(values[i]);
			Size		len;

			if (VARATT_IS_EXTERNAL(p))
				return HeapTupleGetDatum(heap_form_tuple(form->desc, (Datum *) values,
														 (bool *) isnull));
			hasvarwidth = true;
			len = place_varlena(form, i, p, &off);
			off += len;
		}
	}
	hoff = hasnull ? form->hoff_nulls : form->hoff_nonulls;

	td = (HeapTupleHeader) palloc0(hoff + off);
	memcpy(td, form->header, SizeofHeapTupleHeader);
	SET_VARSIZE(td, hoff + off);
	td->t_hoff = hoff;
	if (hasnull)
		td->t_infomask |= HEAP_HASNULL;
	if (hasvarwidth)
		td->t_infomask |= HEAP_HASVARWIDTH;

	/* the values, as heap_fill_tuple() */
	data = (char *) td + hoff;
	bits = hasnull ? td->t_bits : NULL;
	for (int i = 0; i < first; i++)
		store_fixed(form, i, data + form->att[i].off, values[i]);
	off = first > 0 ? form->fixed_len : 0;
	for (int i = first; i < natts; i++)
	{
		if (isnull[i])
			continue;
		if (bits)
			bits[i >> 3] |= 1 << (i & 7);
		if (form->att[i].len > 0)
		{
			off = att_align_nominal(off, form->att[i].align);
			store_fixed(form, i, data + off, values[i]);
			off += form->att[i].len;
		}
		else
		{
			Pointer		p = DatumGetPointer(values[i]);
			Size		len = place_varlena(form, i, p, &off);

			store_varlena(data + off, p, len);
			off += len;
		}
	}
formed:
#ifdef CV_SELF_CHECK
	/* The test build proves the claim above on every row it forms. */
	{
		HeapTuple	ref = heap_form_tuple(form->desc, (Datum *) values, (bool *) isnull);

		if (ref->t_len != VARSIZE(td) || memcmp(ref->t_data, td, ref->t_len) != 0)
			elog(ERROR, "cv_row_form: row differs from heap_form_tuple()'s (%u vs %u bytes)",
				 (unsigned) VARSIZE(td), ref->t_len);
		heap_freetuple(ref);
	}
#endif
	return PointerGetDatum(td);
}

/*
 * A row whose last attribute is a varlena the caller writes in place, so
 * that it is not built in a buffer of its own and then copied: the
 * fixed-length values, and the size the varlena has with a 4-byte header.
 * Returns where the varlena's data goes (its header is set, 1 byte where
 * heap_form_tuple() would pack it) and the row in *row.  The caller must
 * write every byte of it, alignment padding as zeros.  (Not palloc0: the
 * rest of the row is written here, so zeroing it all first would be paid
 * twice on every row.)  Only for a row type of that shape, fixed-length
 * attributes and then one varlena: the types the caller gave
 * cv_row_form_init(), which made sure the result type is that.
 */
char *
cv_row_form_tail(const CvRowForm *form, const Datum *values, Size size, Datum *row)
{
	int			last = form->natts - 1;
	Size		start = form->fixed_len;
	Size		len;
	HeapTupleHeader td;
	char	   *data;

	if (unlikely(!form->varlena_tail))
		elog(ERROR, "cv_row_form_tail: the row type does not end in its only varlena");
	len = place_new_varlena(form, last, size, &start);
	td = (HeapTupleHeader) palloc(form->hoff_nonulls + start + len);
	memcpy(td, form->nonull_header, form->hoff_nonulls);
	SET_VARSIZE(td, form->hoff_nonulls + start + len);
	data = (char *) td + form->hoff_nonulls;
	memset(data, 0, start);		/* padding between the values */
	for (int i = 0; i < last; i++)
		store_fixed(form, i, data + form->att[i].off, values[i]);
	*row = PointerGetDatum(td);
#ifdef CV_SELF_CHECK
	/* so that the caller's self-check sees a byte it did not write */
	memset(data + start, 0x7f, len);
#endif
	if (len != size)
	{
		SET_VARSIZE_SHORT(data + start, len);
		return data + start + VARHDRSZ_SHORT;
	}
	SET_VARSIZE(data + start, len);
	return data + start + VARHDRSZ;
}
