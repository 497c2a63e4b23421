#!/usr/bin/env bash
# test/checks/bench_smoke.sh — the benchmark (test/bench/bench.sh) still runs
# end to end on a few thousand demo customers, every case's functions are
# installed (nothing skipped), and every case's plain SQL and PL/pgSQL
# equivalents agree with the custvalue function on every row (each case
# file checks that before measuring, so this doubles as a cross-check of
# tier_of, cvf_score, churn_warning and churn_probability against
# independent implementations).  Timings at this size mean nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(bash "$root/test/bench/bench.sh" -n 3000 --runs 1 --workers 0 --callgrind-n 0 2>&1) || {
    echo "$out" | tail -30
    exit 1
}
echo "$out" | grep '^|'
if echo "$out" | grep -q '^skipped'; then
    echo "$out" | grep '^skipped'
    exit 1
fi
