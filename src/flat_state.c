/*
 * flat_state.c
 *		Aggregate states kept as a bytea (see flat_state.h for why).
 */
#include "custvalue.h"

#include "flat_state.h"

StaticAssertDecl(CV_FLAT_HDRSZ == MAXALIGN(VARHDRSZ + sizeof(uint32)),
				 "flat state payload must start aligned");

static uint32
flat_tag(const bytea *b)
{
	uint32		tag;

	memcpy(&tag, (const char *) b + VARHDRSZ, sizeof(tag));
	return tag;
}

MemoryContext
cv_flat_agg_context(FunctionCallInfo fcinfo, const char *aggname)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		elog(ERROR, "%s state function called in non-aggregate context", aggname);
	return cxt;
}

bytea *
cv_flat_new(MemoryContext cxt, uint32 tag, Size size)
{
	bytea	   *b = MemoryContextAllocZero(cxt, CV_FLAT_HDRSZ + size);

	SET_VARSIZE(b, CV_FLAT_HDRSZ + size);
	memcpy((char *) b + VARHDRSZ, &tag, sizeof(tag));
	return b;
}

bytea *
cv_flat_arg(FunctionCallInfo fcinfo, int argno, uint32 tag, Size size,
			bool writable, const char *aggname)
{
	struct varlena *raw;
	bytea	   *b;
	MemoryContext cxt = CurrentMemoryContext;

	if (PG_ARGISNULL(argno))
		return NULL;
	if (writable)
		cxt = cv_flat_agg_context(fcinfo, aggname);
	raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));

	/*
	 * Used where it lies only if it is a plain 4-byte-header value at a
	 * MAXALIGNed address (a state the aggregate allocated); a short-header,
	 * compressed or toasted value, or one inside a tuple, is copied.
	 */
	if (!VARATT_IS_EXTENDED(raw) && (uintptr_t) raw % MAXIMUM_ALIGNOF == 0)
		b = (bytea *) raw;
	else
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);
		struct varlena *flat = pg_detoast_datum_packed(raw);
		Size		len = VARSIZE_ANY(flat);

		b = palloc(Max(len, VARHDRSZ));
		if (VARATT_IS_SHORT(flat))
		{
			SET_VARSIZE(b, VARSIZE_SHORT(flat) - VARHDRSZ_SHORT + VARHDRSZ);
			memcpy(VARDATA(b), VARDATA_SHORT(flat), VARSIZE_SHORT(flat) - VARHDRSZ_SHORT);
		}
		else
			memcpy(b, flat, len);
		MemoryContextSwitchTo(old);
	}
	if (VARSIZE(b) < CV_FLAT_HDRSZ || flat_tag(b) != tag)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s aggregate state", aggname),
				 errdetail("A %s state begins with the tag %08X.", aggname, tag)));
	if (size != 0 && CV_FLAT_SIZE(b) != size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s aggregate state", aggname),
				 errdetail("The state is %zu bytes, a %s state %zu.",
						   (Size) VARSIZE(b) - VARHDRSZ, aggname,
						   size + CV_FLAT_HDRSZ - VARHDRSZ)));
	return b;
}

bytea *
cv_flat_copy(FunctionCallInfo fcinfo, const bytea *state, const char *aggname)
{
	MemoryContext cxt = cv_flat_agg_context(fcinfo, aggname);
	bytea	   *b = MemoryContextAlloc(cxt, VARSIZE(state));

	memcpy(b, state, VARSIZE(state));
	return b;
}

/*
 * An older version's catalog with this library: before 1.3 these aggregates
 * declared their state internal, with serial and deserial functions.  The
 * transition, combine and final functions work on the same bytea either
 * way; the serial function of such a catalog hands the bytea over as it is
 * and the deserial function takes it back, so a database keeps working
 * between the package upgrade and ALTER EXTENSION custvalue UPDATE.
 */
Datum
cv_flat_serial_compat(FunctionCallInfo fcinfo, uint32 tag, Size size, const char *aggname)
{
	bytea	   *b = cv_flat_arg(fcinfo, 0, tag, size, false, aggname);
	bytea	   *copy = palloc(VARSIZE(b));

	memcpy(copy, b, VARSIZE(b));
	PG_RETURN_BYTEA_P(copy);
}

Datum
cv_flat_deserial_compat(FunctionCallInfo fcinfo, uint32 tag, Size size, const char *aggname)
{
	return cv_flat_serial_compat(fcinfo, tag, size, aggname);
}
