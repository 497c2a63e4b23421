/*
 * satisfaction_fuzz.c — test-only module for test/checks/satisfaction_fuzz.sh.
 *
 * satfuzz(deserialize, final, base, iterations) tries the base state, then
 * iterations mutants of it: it mutates a valid serialised
 * aggregate state (bit flips, truncation, extension with random bytes,
 * extreme 8-byte values) and runs the deserialise and final functions on
 * each mutant in a subtransaction.  Every mutant must either finalise or
 * fail with 22P03; the result counts both and names any other error.  A
 * crash fails the check.
 */
#include "postgres.h"
#include "pg_compat.h"			/* src/: what differs between majors */
#include "fmgr.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/resowner.h"
#include "common/pg_prng.h"
PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(satfuzz);
Datum
satfuzz(PG_FUNCTION_ARGS)
{
	Oid deser = PG_GETARG_OID(0);
	Oid final = PG_GETARG_OID(1);
	bytea *base = PG_GETARG_BYTEA_PP(2);
	int iters = PG_GETARG_INT32(3);
	int blen = VARSIZE_ANY_EXHDR(base);
	int ok = 0, err22p03 = 0, errother = 0, i;
	char otherstate[64] = "";
	pg_prng_state rng;
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;

	pg_prng_seed(&rng, 12345);
	/* Attempt 0 is the base state itself; then iters mutants. */
	for (i = 0; i <= iters; i++)
	{
		int len = blen;
		int mode = i == 0 ? -1 : (int) (pg_prng_uint32(&rng) % 4);
		bytea *b;
		int j, nflips;

		if (mode == 1) len = pg_prng_uint32(&rng) % (blen + 1);
		else if (mode == 2) len = blen + 1 + pg_prng_uint32(&rng) % 64;
		b = palloc(VARHDRSZ + len);
		SET_VARSIZE(b, VARHDRSZ + len);
		for (j = 0; j < len; j++)
			VARDATA(b)[j] = j < blen ? VARDATA_ANY(base)[j] : (char) pg_prng_uint32(&rng);
		nflips = (mode == 3 || mode < 0) ? 0 : 1 + pg_prng_uint32(&rng) % 4;
		if (mode == 3 && len > 0)
		{
			/* set a random 8-byte-aligned word to an interesting value */
			static const int64 vals[] = {0, 1, -1, INT64_MAX, INT64_MIN, 0x7ff0000000000000LL, 0x7ff8000000000000LL, 0x3ff0000000000000LL, 1000, 1001, 100};
			int w = (pg_prng_uint32(&rng) % ((len + 7) / 8)) * 8;
			int64 v = vals[pg_prng_uint32(&rng) % lengthof(vals)];
			if (w + 8 <= len) memcpy(VARDATA(b) + w, &v, 8);
			else if (w + 4 <= len) { int32 v4 = (int32) v; memcpy(VARDATA(b) + w, &v4, 4); }
		}
		for (j = 0; j < nflips && len > 0; j++)
			VARDATA(b)[pg_prng_uint32(&rng) % len] ^= (char) (1 << (pg_prng_uint32(&rng) % 8));

		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(oldcxt);
		PG_TRY();
		{
			/* no deserialiser: the bytea is the state (flat_state.h) */
			Datum st = OidIsValid(deser) ? OidFunctionCall2(deser, PointerGetDatum(b), (Datum) 0)
				: PointerGetDatum(b);
			(void) OidFunctionCall1(final, st);
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcxt);
			CurrentResourceOwner = oldowner;
			ok++;
		}
		PG_CATCH();
		{
			ErrorData *edata;
			MemoryContextSwitchTo(oldcxt);
			edata = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(oldcxt);
			CurrentResourceOwner = oldowner;
			if (edata->sqlerrcode == ERRCODE_INVALID_BINARY_REPRESENTATION) err22p03++;
			else { errother++; snprintf(otherstate, sizeof otherstate, "%s: %s", unpack_sql_state(edata->sqlerrcode), edata->message); }
			FreeErrorData(edata);
		}
		PG_END_TRY();
	}
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("ok=%d 22P03=%d other=%d %s", ok, err22p03, errother, otherstate)));
}
