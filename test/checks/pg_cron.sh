#!/usr/bin/env bash
# test/checks/pg_cron.sh — pg_cron runs the monthly cycle.
#
# Starts a second throw-away server with pg_cron preloaded (Debian package
# postgresql-<major>-cron, installed by test/lib.sh), loads demo data and
# schedules the line README.md shows, with its schedule "on the 1st at
# 03:00" replaced by "every minute", so it runs at the next minute.  Passes
# when pg_cron reports the job succeeded and custvalue.month_run holds the
# month it ran.  The server is stopped on exit, success or failure.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
work=$CV_TMP/pg_cron
mkdir -p "$work"

[ -f "$CV_BIN/../lib/pg_cron.so" ] \
    || cv_die "pg_cron is not installed here: test/lib.sh installs postgresql-$CV_PG_MAJOR-cron"
line=$(grep -o "SELECT cron.schedule('custvalue-monthly', '0 3 1 \* \*', .*;" README.md | head -1)
[ -n "$line" ] || cv_die "README.md shows no cron.schedule('custvalue-monthly', '0 3 1 * *', ...) line"
every_minute=${line/\'0 3 1 \* \*\'/\'* * * * *\'}

# The jobs run in background workers: no TCP, no password needed.
CV_SERVER_OPTS="shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 16"
cv_server_start "$work/server" "$CV_BIN"
trap 'cv_as_server_user "$CV_BIN/pg_ctl" -D "$work/server/data" -m immediate -w stop >/dev/null 2>&1 || true' EXIT
psql() { "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

psql >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION pg_cron;
CREATE EXTENSION custvalue;
SELECT count(*) FROM custvalue.create_data_model('ops');
SELECT * FROM custvalue.generate_demo(500, 3);
SQL
echo "README: $line"
echo "scheduled: $every_minute"
jobid=$(psql -At -c "$every_minute")
echo "job $jobid scheduled at $(date -u +%H:%M:%S) UTC"

status=
for _ in $(seq 150); do
    status=$(psql -At -c "SELECT status FROM cron.job_run_details WHERE jobid = $jobid
                           AND status IN ('succeeded', 'failed') ORDER BY start_time DESC LIMIT 1")
    [ -n "$status" ] && break
    sleep 1
done
psql -c "SELECT jobid, status, return_message, start_time, end_time FROM cron.job_run_details WHERE jobid = $jobid"
[ "$status" = succeeded ] || cv_die "the scheduled run did not succeed (status '${status:-none after 150 s}')"
runs=$(psql -At -c "SELECT count(*) FROM custvalue.month_run WHERE month = custvalue.as_of_month() AND customers > 0")
psql -c "SELECT month, customers, warned, call_tasks_opened, finished_at FROM custvalue.month_run"
[ "$runs" = 1 ] || cv_die "custvalue.month_run has no complete run of the data's month"
psql -At -c "SELECT cron.unschedule($jobid)" >/dev/null
echo "pg_cron ran custvalue.run_month; the month is stored"
