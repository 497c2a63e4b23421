/*
 * pg_compat.h
 *		What differs between the PostgreSQL majors custvalue supports (15,
 *		17): the one place for version tests, included by custvalue.h.
 */
#ifndef CUSTVALUE_PG_COMPAT_H
#define CUSTVALUE_PG_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "custvalue needs PostgreSQL 15 or later"
#endif

/* PostgreSQL 16 moved the varlena macros (VARDATA, SET_VARSIZE, ...) here. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * PostgreSQL 18 spells "does not return" as the specifier pg_noreturn in
 * front of a declaration; before, pg_attribute_noreturn() came after it.
 * custvalue writes the specifier; before 18 it is the old attribute, whose
 * compiler tests PostgreSQL's c.h already made.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * float8in_internal() gained a soft-error context in PostgreSQL 16; custvalue
 * passes none, so a malformed number is an ordinary ERROR on every major.
 * Callers include utils/float.h.
 */
#if PG_VERSION_NUM >= 160000
#define cv_float8in(num, endptr, type_name, orig) \
	float8in_internal((num), (endptr), (type_name), (orig), NULL)
#else
#define cv_float8in(num, endptr, type_name, orig) \
	float8in_internal((num), (endptr), (type_name), (orig))
#endif

/*
 * Signatures of the backend functions that the fuzz harness's stand-ins
 * (test/fuzz/pg_stubs.c) define in place of the server's.
 */
#if PG_VERSION_NUM >= 180000
#define CV_PQ_COPYMSGBYTES_BUF void
#else
#define CV_PQ_COPYMSGBYTES_BUF char
#endif
#if PG_VERSION_NUM >= 160000
#define CV_PQ_SENDBYTES_DATA const void
#define CV_PQ_COUNTEDTEXT_EXTRA_PARAM
#define CV_PQ_COUNTEDTEXT_LEN(slen) (slen)
#define CV_FLOAT8IN_EXTRA_PARAM , struct Node *escontext
#else
#define CV_PQ_SENDBYTES_DATA const char
#define CV_PQ_COUNTEDTEXT_EXTRA_PARAM , bool countincludesself
#define CV_PQ_COUNTEDTEXT_LEN(slen) (countincludesself ? (slen) + 4 : (slen))
#define CV_FLOAT8IN_EXTRA_PARAM
#endif

/*
 * tuplesort_getdatum() gained a "copy" argument in PostgreSQL 16; custvalue
 * sorts only pass-by-value datums, which need no copy.
 */
#if PG_VERSION_NUM >= 160000
#define cv_tuplesort_getdatum(state, forward, val, isnull) \
	tuplesort_getdatum((state), (forward), false, (val), (isnull), NULL)
#else
#define cv_tuplesort_getdatum(state, forward, val, isnull) \
	tuplesort_getdatum((state), (forward), (val), (isnull), NULL)
#endif

#endif							/* CUSTVALUE_PG_COMPAT_H */
