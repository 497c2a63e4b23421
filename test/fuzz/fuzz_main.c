/*
 * fuzz_main.c
 *		libFuzzer entry point: feeds arbitrary bytes to one of custvalue's
 *		functions that parse untrusted input, chosen by CV_FUZZ_TARGET.
 *
 * Targets (generated into targets.h by build.sh from the C files in src/):
 *	- text input functions (<type>_in): the bytes as a C string, as the
 *	  server would pass them (valid UTF-8, no NUL); accepted input must
 *	  survive output and input again unchanged;
 *	- binary receive functions (<type>_recv): the bytes as a message;
 *	  accepted input must survive send and receive again unchanged;
 *	- mask functions (mask_*): the bytes as text; the result must be valid
 *	  UTF-8 and no longer than the input;
 *	- functions of a bytea state (*_from_state): the bytes as the bytea;
 *	  anything but an ERROR or a value is a finding;
 *	- aggregate deserialise functions (*_deserial(bytea, internal)): the bytes
 *	  as the serialised state; accepted input must give a state whose
 *	  serialisation deserialises and serialises to the same bytes.
 * Rejecting input with ereport(ERROR) is fine; a crash, a sanitizer report
 * or a failed round trip is a finding.
 */
#include "postgres.h"
#include "pg_compat.h"

#include <setjmp.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/nodes.h"

#include "pg_stubs.h"

typedef enum TargetKind
{
	K_CSTRING_IN,
	K_RECV,
	K_TEXT,
	K_BYTEA,
	K_DESERIAL
} TargetKind;

typedef struct Target
{
	const char *name;
	TargetKind	kind;
	PGFunction	fn;
	PGFunction	inverse;		/* out, send or serial; may be NULL */
} Target;

#define CV_DECLARE(fn) extern Datum fn(PG_FUNCTION_ARGS);
#include "targets.h"
#undef CV_DECLARE

static const Target targets[] = {
#define CV_TARGET(name, kind, fn, inverse) {name, kind, fn, inverse},
#include "targets.h"
#undef CV_TARGET
};

static const Target *target;
static Node fake_aggstate = {T_AggState};

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *name = getenv("CV_FUZZ_TARGET");
	int			i;

	for (i = 0; name && i < lengthof(targets); i++)
		if (strcmp(targets[i].name, name) == 0)
			target = &targets[i];
	if (target == NULL)
	{
		fprintf(stderr, "set CV_FUZZ_TARGET to one of:");
		for (i = 0; i < lengthof(targets); i++)
			fprintf(stderr, " %s", targets[i].name);
		fprintf(stderr, "\n");
		exit(2);
	}
	return 0;
}

/* Call fn like the executor does, in an aggregate's context. */
static Datum
call(PGFunction fn, int nargs, Datum arg0, Datum arg1, Datum arg2, bool *isnull)
{
	LOCAL_FCINFO(fcinfo, 3);
	FmgrInfo	flinfo;
	Datum		result;

	memset(&flinfo, 0, sizeof(flinfo));
	flinfo.fn_addr = fn;
	flinfo.fn_nargs = nargs;
	flinfo.fn_mcxt = CurrentMemoryContext;
	InitFunctionCallInfoData(*fcinfo, &flinfo, nargs, InvalidOid,
							 &fake_aggstate, NULL);
	fcinfo->args[0].value = arg0;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = arg1;
	fcinfo->args[1].isnull = false;
	fcinfo->args[2].value = arg2;
	fcinfo->args[2].isnull = false;
	result = fn(fcinfo);
	*isnull = fcinfo->isnull;
	return result;
}

static void
finding(const char *what)
{
	fprintf(stderr, "custvalue fuzz finding in %s: %s\n", target->name, what);
	abort();
}

/* The bytes as the server would pass text: valid UTF-8 and no NUL. */
static char *
as_server_string(const uint8_t *data, size_t size, int *len)
{
	char	   *s = palloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	*len = pg_encoding_verifymbstr(PG_UTF8, s, strlen(s));
	s[*len] = '\0';
	return s;
}

static bytea *
as_bytea(const char *data, size_t size)
{
	bytea	   *b = palloc(size + VARHDRSZ);

	SET_VARSIZE(b, size + VARHDRSZ);
	memcpy(VARDATA(b), data, size);
	return b;
}

static void
receive_buffer(StringInfo buf, const char *data, int size)
{
	buf->data = palloc(size + 1);
	memcpy(buf->data, data, size);
	buf->data[size] = '\0';
	buf->len = size;
	buf->maxlen = size + 1;
	buf->cursor = 0;
}

static bool
same_bytea(bytea *a, bytea *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

static void
run_one(const uint8_t *data, size_t size)
{
	bool		isnull;
	Datum		d;

	switch (target->kind)
	{
		case K_CSTRING_IN:
			{
				int			len;
				char	   *s = as_server_string(data, size, &len);
				char	   *out1,
						   *out2;

				d = call(target->fn, 3, CStringGetDatum(s), 0, Int32GetDatum(-1), &isnull);
				if (isnull || target->inverse == NULL)
					break;
				out1 = DatumGetCString(call(target->inverse, 1, d, 0, 0, &isnull));
				d = call(target->fn, 3, CStringGetDatum(out1), 0, Int32GetDatum(-1), &isnull);
				out2 = DatumGetCString(call(target->inverse, 1, d, 0, 0, &isnull));
				if (strcmp(out1, out2) != 0)
					finding("output(input(output(x))) differs from output(x)");
				break;
			}
		case K_RECV:
			{
				StringInfoData buf;
				bytea	   *sent1,
						   *sent2;

				receive_buffer(&buf, (const char *) data, size);
				d = call(target->fn, 3, PointerGetDatum(&buf), 0, Int32GetDatum(-1), &isnull);
				if (isnull || target->inverse == NULL)
					break;
				sent1 = DatumGetByteaPP(call(target->inverse, 1, d, 0, 0, &isnull));
				receive_buffer(&buf, VARDATA_ANY(sent1), VARSIZE_ANY_EXHDR(sent1));
				d = call(target->fn, 3, PointerGetDatum(&buf), 0, Int32GetDatum(-1), &isnull);
				if (buf.cursor != buf.len)
					finding("receive does not consume what send produced");
				sent2 = DatumGetByteaPP(call(target->inverse, 1, d, 0, 0, &isnull));
				if (!same_bytea(sent1, sent2))
					finding("send(receive(send(x))) differs from send(x)");
				break;
			}
		case K_TEXT:
			{
				int			len;
				char	   *s = as_server_string(data, size, &len);
				text	   *in = as_bytea(s, len);
				text	   *out;

				out = DatumGetTextPP(call(target->fn, 1, PointerGetDatum(in), 0, 0, &isnull));
				if (VARSIZE_ANY_EXHDR(out) > len)
					finding("result longer than the input");
				if (pg_encoding_verifymbstr(PG_UTF8, VARDATA_ANY(out),
											VARSIZE_ANY_EXHDR(out)) != VARSIZE_ANY_EXHDR(out))
					finding("result is not valid UTF-8");
				break;
			}
		case K_BYTEA:
			{
				bytea	   *in = as_bytea((const char *) data, size);

				(void) call(target->fn, 1, PointerGetDatum(in), 0, 0, &isnull);
				break;
			}
		case K_DESERIAL:
			{
				bytea	   *in = as_bytea((const char *) data, size);
				bytea	   *s1,
						   *s2;

				d = call(target->fn, 2, PointerGetDatum(in), 0, 0, &isnull);
				if (isnull || target->inverse == NULL)
					break;
				s1 = DatumGetByteaPP(call(target->inverse, 1, d, 0, 0, &isnull));
				d = call(target->fn, 2, PointerGetDatum(s1), 0, 0, &isnull);
				s2 = DatumGetByteaPP(call(target->inverse, 1, d, 0, 0, &isnull));
				if (!same_bytea(s1, s2))
					finding("serialise(deserialise(serialise(state))) differs");
				break;
			}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sigjmp_buf	jb;

	PG_exception_stack = &jb;
	if (sigsetjmp(jb, 0) == 0)
		run_one(data, size);
	/* else: the input was rejected with an ERROR, as it may be */
	PG_exception_stack = NULL;
	cv_fuzz_free_all();
	return 0;
}
