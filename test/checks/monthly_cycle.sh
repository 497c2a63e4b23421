#!/usr/bin/env bash
# test/checks/monthly_cycle.sh — custvalue.run_month() is all-or-nothing and
# reports its progress while it runs.
#
# On demo data (database cv_cycle, schema ops), June is run once and its
# stored state recorded (row count and md5 of the ordered rows of the month,
# the month_run row).  A policy is then changed, so that a completed rerun
# would store other rows, and the rerun is held at its last stage: another
# session holds a SHARE lock on ops.call_task, which the call-task stage
# must write.  While it waits:
#   - a third session reads custvalue.month_run_progress and must see the
#     run in stage call_tasks (step 5 of 5) with four finished stages;
#   - the run is then stopped, three ways in turn: pg_cancel_backend,
#     pg_terminate_backend, and a crash of the whole server
#     (pg_ctl stop -m immediate, then start again).
# After each, June must be exactly as recorded (same rows, same md5, same
# month_run row), with no staging table left.  Finally an unobstructed rerun
# completes, prints its five stage NOTICEs, and changes June: proof that the
# stopped runs would have changed it.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
. "$(dirname "$0")/../lib.sh"
work=$CV_TMP/monthly_cycle
mkdir -p "$work"
db=cv_cycle
psql() { "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
data=$CV_TMP/server/data
[ -f "$data/postmaster.pid" ] || cv_die "server data directory not found at $data"

"$CV_BIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
"$CV_BIN/psql" -X -q -d postgres -c "CREATE DATABASE $db"
psql >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION custvalue;
SELECT count(*) FROM custvalue.create_data_model('ops');
SELECT * FROM custvalue.generate_demo(3000, 3);
CALL custvalue.run_months('2009-04-01', '2009-06-01');
SQL

state() {
    psql -At <<'SQL'
SELECT count(*) || ' rows, md5 ' || md5(string_agg(h::text, '|' ORDER BY h.customer_id))
       || ', run ' || (SELECT r.finished_at || ' ' || r.customers FROM custvalue.month_run r WHERE r.month = '2009-06-01')
       || ', staging tables ' || (SELECT count(*) FROM pg_class WHERE relname LIKE 'customer\_month\_%\_new')
       || ', partitions ' || (SELECT count(*) FROM pg_inherits WHERE inhparent = 'ops.customer_month'::regclass)
  FROM ops.customer_month h WHERE h.month = '2009-06-01';
SQL
}
recorded=$(state)
echo "June as stored: $recorded"
psql -c "UPDATE custvalue.tier_policy SET min_amount = 150 WHERE tier::text = 'b'"

locker_pid=
start_blocked_run() {
    "$CV_BIN/psql" -X -q -d "$db" -v ON_ERROR_STOP=1 >"$work/locker.log" 2>&1 <<'SQL' &
SET application_name = 'cv_locker';
BEGIN;
LOCK TABLE ops.call_task IN SHARE MODE;
SELECT pg_sleep(600);
SQL
    locker_pid=$!
    for _ in $(seq 100); do
        [ "$(psql -At -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                          WHERE a.application_name = 'cv_locker' AND l.mode = 'ShareLock' AND l.granted")" = 1 ] && break
        sleep 0.1
    done
    PGAPPNAME=cv_run "$CV_BIN/psql" -X -q -d "$db" -v ON_ERROR_STOP=1 \
        -c "CALL custvalue.run_month('2009-06-01')" >"$work/run.log" 2>&1 &
    run_pid=$!
    local progress=
    for _ in $(seq 300); do
        progress=$(psql -At -F ' ' -c "SELECT stage, step, steps, jsonb_array_length(stages_done)
                                         FROM custvalue.month_run_progress WHERE state = 'running'")
        [ -n "$progress" ] && [ "${progress%% *}" = call_tasks ] && break
        sleep 0.1
    done
    echo "progress seen from another session: $progress"
    [ "$progress" = "call_tasks 5 5 4" ] || cv_die "expected the run in stage call_tasks (5 of 5, 4 done), saw '$progress'"
    # the run is waiting for the lock, not finished
    [ "$(psql -At -c "SELECT wait_event_type FROM pg_stat_activity WHERE application_name = 'cv_run'")" = Lock ] \
        || cv_die "the run is not waiting on the lock"
}
release_locker() {
    psql -At -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'cv_locker'" >/dev/null || true
    wait "$locker_pid" 2>/dev/null || true
}
check_unchanged() {
    local how=$1 now
    now=$(state)
    echo "June after $how: $now"
    [ "$now" = "$recorded" ] || cv_die "June changed after $how: was '$recorded'"
}

# 1. cancelled
start_blocked_run
psql -At -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'cv_run'" >/dev/null
wait "$run_pid" && cv_die "the cancelled run reported success"
grep -q 'canceling statement due to user request' "$work/run.log" || { cat "$work/run.log"; cv_die "no cancel message"; }
release_locker
check_unchanged "pg_cancel_backend"

# 2. terminated
start_blocked_run
psql -At -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cv_run'" >/dev/null
wait "$run_pid" && cv_die "the terminated run reported success"
grep -q 'terminating connection due to administrator command' "$work/run.log" || { cat "$work/run.log"; cv_die "no termination message"; }
release_locker
check_unchanged "pg_terminate_backend"

# 3. the server crashes (immediate shutdown: no clean abort, recovery on start)
start_blocked_run
cv_as_server_user "$CV_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
wait "$run_pid" && cv_die "the run survived the crash"
wait "$locker_pid" 2>/dev/null || true
cv_as_server_user "$CV_BIN/pg_ctl" -D "$data" -l "$CV_TMP/server/server.log" -w -t 60 start >/dev/null \
    || cv_die "the server did not come back after the crash"
check_unchanged "a crash (pg_ctl stop -m immediate)"

# 4. unobstructed: completes, tells each stage, and changes June.
psql -c "CALL custvalue.run_month('2009-06-01')" 2>"$work/notices.log"
cat "$work/notices.log"
n=$(grep -cE '^NOTICE:  run_month 2009-06: (inputs|population|scores|publish|call_tasks) — [0-9]+ rows in [0-9.]+ s$' "$work/notices.log" || true)
[ "$n" = 5 ] || cv_die "expected 5 stage NOTICEs, saw $n"
after=$(state)
echo "June after a completed rerun: $after"
[ "$after" != "$recorded" ] || cv_die "a completed rerun under another policy did not change June"
[ "$(psql -At -c "SELECT count(*) FROM pg_inherits WHERE inhparent = 'ops.customer_month'::regclass")" = 3 ] \
    || cv_die "expected three partitions"

"$CV_BIN/psql" -X -q -d postgres -c "DROP DATABASE $db"
echo "run_month: all-or-nothing when cancelled, terminated or crashed; progress visible; NOTICEs per stage"
