/*
 * flat_state.h
 *		Aggregate states kept as a bytea instead of internal.
 *
 * Citus splits a custom aggregate between its workers and the coordinator
 * only when the state type is a real type: it ships the state as text, by
 * the type's output and input functions, and refuses pseudo-types such as
 * internal (the aggregate is then computed on the coordinator from every
 * row).  A fixed-layout state therefore lives in a bytea: a 4-byte varlena
 * header, a 4-byte tag naming the aggregate (and layout version), then the
 * struct, which starts 8 bytes in and so is aligned whenever the bytea is.
 * PostgreSQL's own parallel query passes such states between processes
 * without serial functions.
 *
 * A transition or combine function may update its first argument in place:
 * called by an aggregate, that value is the aggregate's private state
 * (PostgreSQL's own float8_accum does the same).  A state arriving from
 * anywhere else -- a worker's text, a user's bytea -- is checked for tag and
 * size here and field by field by the aggregate before it is believed.
 */
#ifndef CUSTVALUE_FLAT_STATE_H
#define CUSTVALUE_FLAT_STATE_H

#include "fmgr.h"

#define CV_FLAT_HDRSZ		8

#define CV_FLAT_DATA(b)		((void *) ((char *) (b) + CV_FLAT_HDRSZ))
#define CV_FLAT_SIZE(b)		((Size) (VARSIZE(b) - CV_FLAT_HDRSZ))

/* The calling aggregate's memory context, or ERROR. */
extern MemoryContext cv_flat_agg_context(FunctionCallInfo fcinfo, const char *aggname);

/* A zeroed state of payload size bytes in cxt. */
extern bytea *cv_flat_new(MemoryContext cxt, uint32 tag, Size size);

/*
 * Argument argno as a state with this tag, or NULL when it is NULL.  size 0
 * accepts any payload size (the caller checks it); otherwise the payload
 * must be exactly size bytes.  writable: the caller will change it, so this
 * must be an aggregate call; the result is the argument itself when it is
 * plain and aligned, else a copy in the aggregate's context (return that).
 * Wrong tag or size: ERROR 22P03 naming aggname.
 */
extern bytea *cv_flat_arg(FunctionCallInfo fcinfo, int argno, uint32 tag,
						  Size size, bool writable, const char *aggname);

/*
 * The serial and deserial functions of an older version's catalog, which
 * declared these states internal (flat_state.c).
 */
extern Datum cv_flat_serial_compat(FunctionCallInfo fcinfo, uint32 tag, Size size,
								   const char *aggname);
extern Datum cv_flat_deserial_compat(FunctionCallInfo fcinfo, uint32 tag, Size size,
									 const char *aggname);

/* A copy of state in the aggregate's context (a combine's one-sided case). */
extern bytea *cv_flat_copy(FunctionCallInfo fcinfo, const bytea *state,
						   const char *aggname);

#endif							/* CUSTVALUE_FLAT_STATE_H */
