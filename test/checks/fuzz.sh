#!/usr/bin/env bash
# test/checks/fuzz.sh — a short bounded libFuzzer run of every fuzz target
# (tier input and receive, mask functions, every aggregate's deserialise
# function): CV_FUZZ_SECONDS per target (default 2).  Passes when no target
# crashed, tripped a sanitizer or failed a round trip.  The long run
# recorded in the README is `bash test/fuzz/run.sh 300`.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/fuzz/run.sh "${CV_FUZZ_SECONDS:-2}"
