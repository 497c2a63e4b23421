/*
 * policy_cache.h
 *		Per-backend caches of custvalue's policy tables.
 *
 * Every number a DBA may change lives in a table in schema custvalue.  A C
 * function that needs one must not read the table per row, so each policy
 * is loaded once per backend into a CvPolicyCache and reloaded only after
 * the table changed: a statement trigger on the table
 * (custvalue.policy_changed()) sends a relcache invalidation, which every
 * backend receives by its next statement.
 *
 * Consumers "pin" the policy for the lifetime of a statement (the memory
 * context of the calling FmgrInfo), so a change that arrives while a
 * statement runs is never half-applied: every row of the statement sees the
 * version that was current when the statement first called the function.
 */
#ifndef CUSTVALUE_POLICY_CACHE_H
#define CUSTVALUE_POLICY_CACHE_H

#include "fmgr.h"

/*
 * Build the policy from its table(s) into cxt and return it.  Called inside
 * SPI_connect()/SPI_finish(); it may ereport() to reject an unusable policy.
 */
typedef void *(*CvPolicyLoader) (MemoryContext cxt);

typedef struct CvPolicyVersion CvPolicyVersion;

typedef struct CvPolicyCache
{
	const char *relname;		/* table in schema custvalue, for messages */
	CvPolicyLoader load;
	uint64		generation;		/* of the global counter at load time */
	CvPolicyVersion *current;
	const char *also_relname;	/* a second table the loader reads, or NULL */
} CvPolicyCache;

#define CV_POLICY_CACHE(relname, loader) {relname, loader, 0, NULL, NULL}
/* A policy built from two tables: a change to either reloads it. */
#define CV_POLICY_CACHE_2(relname, also_relname, loader) \
	{relname, loader, 0, NULL, also_relname}

/*
 * The current policy, pinned until statement_cxt is reset or deleted.
 * *pin must be NULL on the first call; later calls with the same pin return
 * the same version without any lookup.
 */
extern const void *cv_policy_pin(CvPolicyCache *cache,
								 MemoryContext statement_cxt, void **pin);

/* Convenience for functions that have no other use for fn_extra. */
#define cv_policy_get(cache, fcinfo) \
	cv_policy_pin((cache), (fcinfo)->flinfo->fn_mcxt, &(fcinfo)->flinfo->fn_extra)

/*
 * What a loader reads for custvalue.<relname>: the table, or on a Citus node
 * where it is a reference table, this node's placement of it.  Call inside
 * SPI, before the loader's own query (it runs one of its own).
 */
extern const char *cv_policy_source(const char *relname);

/* OID of custvalue.<relname>, or error if the extension is half-installed. */
extern Oid	cv_policy_relid(const char *relname);

#endif							/* CUSTVALUE_POLICY_CACHE_H */
