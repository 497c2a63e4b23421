#!/usr/bin/env bash
# test/checks/fuzz.sh — a short, reproducible libFuzzer run of every fuzz
# target (tier input and receive, mask functions, every aggregate's
# deserialise function).  Passes when no target crashed, tripped a sanitizer
# or failed a round trip.
#
# The suite must not fail on one machine and pass on the next for the same
# commit, so this run is fixed: seed 1, a fresh corpus (the committed seeds,
# which include every input a fuzzer ever crashed on), and at most
# CV_FUZZ_RUNS inputs (default 300000) or CV_FUZZ_SECONDS (default 10) per
# target, whichever comes first.  Exploring further is the long run recorded
# in the README: `bash test/fuzz/run.sh 300`.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
CV_FUZZ_SEED=1 CV_FUZZ_RUNS=${CV_FUZZ_RUNS:-300000} CV_FUZZ_CORPUS=$corpus \
    bash test/fuzz/run.sh "${CV_FUZZ_SECONDS:-10}"
