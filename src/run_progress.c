/*
 * run_progress.c
 *		Progress of a long custvalue run, visible to other sessions.
 *
 * custvalue.run_month() runs as one transaction, so nothing it writes to a
 * table is visible before it commits, and PostgreSQL's progress views
 * (pg_stat_progress_*) are reserved for its own commands.  What another
 * session can always see is the backend's entry in pg_stat_activity: the
 * run replaces its query text there with a one-line report of the stage it
 * is in and the stages it finished, which custvalue.month_run_progress reads.
 * The text is clipped by track_activity_query_size like any query; the
 * reports are kept short (a few hundred bytes).  A NULL report puts the
 * statement's own text back.
 */
#include "custvalue.h"

#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(cv_report_progress);

Datum
cv_report_progress(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		pgstat_report_activity(STATE_RUNNING, debug_query_string);
	else
	{
		char	   *report = text_to_cstring(PG_GETARG_TEXT_PP(0));

		pgstat_report_activity(STATE_RUNNING, report);
		pfree(report);
	}
	PG_RETURN_VOID();
}
