/*
 * policy_cache.c
 *		Per-backend caches of the policy tables; see policy_cache.h.
 */
#include "custvalue.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "policy_cache.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

struct CvPolicyVersion
{
	MemoryContext cxt;			/* holds this struct and the policy */
	int			pins;			/* statements using it, +1 while current */
	void	   *policy;
};

typedef struct CvPolicyPin
{
	MemoryContextCallback callback;
	CvPolicyVersion *version;
	CommandId	cid;			/* the command the version was pinned for */
} CvPolicyPin;

/*
 * Bumped by every relcache invalidation of a policy table (or of all
 * relations); a cache loaded at an older generation is stale.  Which tables
 * are policy tables is remembered as they are loaded.
 */
static uint64 policy_generation = 1;
static bool callback_registered = false;

#define MAX_POLICY_RELS 64
static Oid	policy_relids[MAX_POLICY_RELS];
static int	n_policy_relids = 0;

static void
policy_relcache_callback(Datum arg, Oid relid)
{
	int			i;

	if (!OidIsValid(relid))
	{
		policy_generation++;
		return;
	}
	for (i = 0; i < n_policy_relids; i++)
	{
		if (policy_relids[i] == relid)
		{
			policy_generation++;
			return;
		}
	}
}

static void
remember_policy_relid(Oid relid)
{
	int			i;

	for (i = 0; i < n_policy_relids; i++)
		if (policy_relids[i] == relid)
			return;
	if (n_policy_relids < MAX_POLICY_RELS)
		policy_relids[n_policy_relids++] = relid;
	else
	{
		/* Cannot track it: stay correct by never trusting any cache. */
		policy_generation++;
	}
}

Oid
cv_policy_relid(const char *relname)
{
	Oid			nsp = get_namespace_oid("custvalue", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid(relname, nsp) : InvalidOid;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("policy table custvalue.%s does not exist", relname),
				 errhint("Is the custvalue extension installed?")));
	return relid;
}

static void
release_version(CvPolicyVersion *version)
{
	if (--version->pins == 0)
		MemoryContextDelete(version->cxt);
}

static void
unpin_callback(void *arg)
{
	CvPolicyPin *pin = (CvPolicyPin *) arg;

	release_version(pin->version);
}

/* A cache generation that never matches: the version is for one statement. */
#define GENERATION_THIS_STATEMENT_ONLY 0

/*
 * The relation that holds custvalue.<relname>'s rows on this node.  On one
 * PostgreSQL server that is the table itself.  When the table is a Citus
 * reference table, its rows are in this node's placement, a shard table of
 * its own (custvalue.<relname>_<shardid>), on the coordinator and on every
 * worker alike; naming the table would make every policy load inside a
 * query on a shard a nested distributed query, which Citus refuses.  Reading
 * the local placement is what Citus's local execution does for such a read,
 * and it is as current as the table: a policy edit commits on every
 * placement in one (two-phase) transaction.  The placement is remembered as
 * a policy relation, since its triggers, not the table's, fire on an edit.
 */
const char *
cv_policy_source(const char *relname)
{
	Oid			relid = cv_policy_relid(relname);
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(relid)};
	int			rc;

	if (!OidIsValid(get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE)))
		return psprintf("custvalue.%s", quote_identifier(relname));

	rc = SPI_execute_with_args("SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))::pg_catalog.oid "
							   "FROM pg_catalog.pg_dist_shard s "
							   "JOIN pg_catalog.pg_dist_partition p ON p.logicalrelid OPERATOR(pg_catalog.=) s.logicalrelid "
							   "WHERE s.logicalrelid OPERATOR(pg_catalog.=) $1 AND p.partmethod OPERATOR(pg_catalog.=) 'n'",
							   1, argtypes, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading the Citus placement of custvalue.%s failed: %s", relname,
			 SPI_result_code_string(rc));
	if (SPI_processed == 1)
	{
		bool		isnull;
		Oid			placement = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
															   SPI_tuptable->tupdesc, 1, &isnull));

		if (!isnull)
		{
			remember_policy_relid(placement);
			return psprintf("%s.%s", quote_identifier(get_namespace_name(get_rel_namespace(placement))),
							quote_identifier(get_rel_name(placement)));
		}
	}
	/* not a reference table, or no placement here: the table itself */
	return psprintf("custvalue.%s", quote_identifier(relname));
}

/* Which tuples of custvalue.<relname> the active snapshot sees. */
static char *
table_signature(const char *relname)
{
	char	   *sql = psprintf("SELECT pg_catalog.string_agg(ctid::text, ',' ORDER BY ctid) "
							   "FROM %s", cv_policy_source(relname));
	int			rc = SPI_execute(sql, true, 0);
	char	   *sig;

	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "reading custvalue.%s failed: %s", relname,
			 SPI_result_code_string(rc));
	sig = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	return sig ? sig : "";
}

/*
 * Is the policy just read under the statement's snapshot also the policy of
 * the latest snapshot?  If not (a change committed after the statement
 * began, whose invalidation we have already taken in), the version is right
 * for this statement but must not outlive it: caching it would hide the
 * change from every later statement, as no further invalidation will come.
 * In parallel mode no newer snapshot can be taken, so assume the worst.
 */
static bool
loaded_policy_is_latest(const char *relname)
{
	char	   *as_loaded;
	char	   *latest;

	if (IsInParallelMode() || !ActiveSnapshotSet())
		return false;
	as_loaded = table_signature(relname);
	PushActiveSnapshot(GetLatestSnapshot());
	latest = table_signature(relname);
	PopActiveSnapshot();
	return strcmp(as_loaded, latest) == 0;
}

static void
reload(CvPolicyCache *cache)
{
	MemoryContext cxt;
	CvPolicyVersion *version;
	uint64		generation;

	/*
	 * Record the generation before reading: an invalidation that arrives
	 * during the load makes the new version stale at once, never lost.
	 */
	remember_policy_relid(cv_policy_relid(cache->relname));
	if (cache->also_relname)
		remember_policy_relid(cv_policy_relid(cache->also_relname));
	generation = policy_generation;

	cxt = AllocSetContextCreate(TopMemoryContext, "custvalue policy",
								ALLOCSET_SMALL_SIZES);
	PG_TRY();
	{
		int			rc;
		int			save_nestlevel;

		version = MemoryContextAllocZero(cxt, sizeof(CvPolicyVersion));
		version->cxt = cxt;
		version->pins = 1;

		/*
		 * The loaders' queries name tables and functions with their schema,
		 * but casts and operators are looked up too: pin the search_path
		 * while they run, as SET search_path does for a SQL function, so
		 * the caller's path cannot change what a policy query means.  An
		 * error unwinds the setting with the (sub)transaction.
		 */
		save_nestlevel = NewGUCNestLevel();
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		if ((rc = SPI_connect()) != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
		version->policy = cache->load(cxt);
		if (!loaded_policy_is_latest(cache->relname) ||
			(cache->also_relname && !loaded_policy_is_latest(cache->also_relname)))
			generation = GENERATION_THIS_STATEMENT_ONLY;
		SPI_finish();
		AtEOXact_GUC(true, save_nestlevel);
	}
	PG_CATCH();
	{
		MemoryContextDelete(cxt);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (cache->current)
		release_version(cache->current);
	cache->current = version;
	cache->generation = generation;
}

const void *
cv_policy_pin(CvPolicyCache *cache, MemoryContext statement_cxt, void **pinp)
{
	CvPolicyPin *pin = (CvPolicyPin *) *pinp;

	if (pin != NULL)
	{
		/*
		 * Within one command the pinned version holds.  A context can
		 * outlive its command, though: PL/pgSQL evaluates simple
		 * expressions in one context for the whole transaction, so a
		 * function or trigger called again after a policy edit in the same
		 * transaction would still see the policy from before it.  A later
		 * command takes the current version.
		 */
		if (pin->cid == GetCurrentCommandId(false))
			return pin->version->policy;
		AcceptInvalidationMessages();
		if (cache->current == NULL || cache->generation != policy_generation)
			reload(cache);
		if (pin->version != cache->current)
		{
			release_version(pin->version);
			pin->version = cache->current;
			pin->version->pins++;
		}
		pin->cid = GetCurrentCommandId(false);
		return pin->version->policy;
	}

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(policy_relcache_callback, (Datum) 0);
		callback_registered = true;
	}

	/*
	 * Once per statement, take in invalidations other backends committed,
	 * so their policy changes are visible to this statement even if it
	 * locks no relation that would have done so.
	 */
	AcceptInvalidationMessages();
	if (cache->current == NULL || cache->generation != policy_generation)
		reload(cache);

	pin = MemoryContextAllocZero(statement_cxt, sizeof(CvPolicyPin));
	pin->version = cache->current;
	pin->version->pins++;
	pin->cid = GetCurrentCommandId(false);
	pin->callback.func = unpin_callback;
	pin->callback.arg = pin;
	MemoryContextRegisterResetCallback(statement_cxt, &pin->callback);
	*pinp = pin;
	return pin->version->policy;
}

/*
 * Statement trigger on every policy table: tell every backend, this one
 * included (at the next command), that the table changed.
 */
PG_FUNCTION_INFO_V1(policy_changed);
Datum
policy_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("policy_changed() must be called as a trigger")));
	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}
