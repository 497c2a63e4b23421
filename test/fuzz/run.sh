#!/usr/bin/env bash
# test/fuzz/run.sh [SECONDS] [TARGET...] — fuzz each target (default: all
# that build.sh found) for SECONDS (default 60) with libFuzzer, starting
# from test/fuzz/seeds/<target>/ and the corpus kept in
# test/fuzz/build/corpus/<target>/.  Prints one line per target:
#   <target>: <executions> executions, <crashes> crashes
# and exits non-zero if any target crashed (the reproducer is saved as
# test/fuzz/build/crash-*; replay it with
#   CV_FUZZ_TARGET=<target> test/fuzz/build/cv_fuzz <file>
# and add it to test/fuzz/seeds/<target>/ so every later run replays it).
#
# A run is reproducible with CV_FUZZ_SEED=<n> (libFuzzer's -seed) and
# CV_FUZZ_CORPUS=<empty dir>: the same seed and corpus give the same inputs
# in the same order, so SECONDS only decides how far into that sequence a
# run gets.  CV_FUZZ_RUNS=<n> stops each target after n inputs.
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
shift || true
bash test/fuzz/build.sh >/dev/null || exit 1
out=test/fuzz/build
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < "$out/targets.txt"
status=0
corpus=${CV_FUZZ_CORPUS:-$out/corpus}
extra=()
[ -n "${CV_FUZZ_SEED:-}" ] && extra+=(-seed="$CV_FUZZ_SEED")
[ -n "${CV_FUZZ_RUNS:-}" ] && extra+=(-runs="$CV_FUZZ_RUNS")
for t in "${targets[@]}"; do
    started=$SECONDS
    mkdir -p "$corpus/$t"
    seeds=()
    [ -d "test/fuzz/seeds/$t" ] && seeds=("test/fuzz/seeds/$t")
    CV_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
        "$out/cv_fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/" "${extra[@]}" \
        "$corpus/$t" "${seeds[@]}" > "$out/$t.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -1)
    crashes=0
    if [ $rc -ne 0 ]; then
        crashes=1
        status=1
        grep -E 'ERROR: AddressSanitizer|runtime error|finding|not modelled|deadly signal' "$out/$t.log" | head -5
    fi
    echo "$t: ${execs:-0} executions, $crashes crashes ($((SECONDS - started))s)"
done
exit $status
