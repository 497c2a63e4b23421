/*
 * policy_cache.c
 *		Per-backend caches of the policy tables; see policy_cache.h.
 */
#include "custvalue.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "policy_cache.h"
#include "storage/lmgr.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

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
	generation = policy_generation;

	cxt = AllocSetContextCreate(TopMemoryContext, "custvalue policy",
								ALLOCSET_SMALL_SIZES);
	PG_TRY();
	{
		int			rc;

		version = MemoryContextAllocZero(cxt, sizeof(CvPolicyVersion));
		version->cxt = cxt;
		version->pins = 1;
		if ((rc = SPI_connect()) != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
		version->policy = cache->load(cxt);
		SPI_finish();
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
		return pin->version->policy;

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
