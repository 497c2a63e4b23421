/*
 * pg_stubs.h
 *		What the fuzz harness needs from its backend stand-in (pg_stubs.c).
 */
#ifndef CV_FUZZ_PG_STUBS_H
#define CV_FUZZ_PG_STUBS_H

#include "pg_compat.h"

/* Free everything palloc'd since the last call: the end of one input. */
extern void cv_fuzz_free_all(void);

/* SQLSTATE and message of the last ereport(ERROR). */
extern int	cv_fuzz_last_sqlerrcode;
extern const char *cv_fuzz_last_message;

/* Called by the generated stubs of backend functions not modelled. */
pg_noreturn extern void cv_fuzz_missing(const char *name);

#endif							/* CV_FUZZ_PG_STUBS_H */
