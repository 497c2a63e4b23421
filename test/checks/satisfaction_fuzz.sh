#!/usr/bin/env bash
# Mutation fuzzing of the satisfaction aggregates' states: each keeps its
# state in a bytea (src/flat_state.h), which anyone can hand to the final
# function, so a test-only C module feeds 20 000 mutants of a valid state
# to each final function (in a subtransaction each, counting the outcomes).
# Pass = no crash and nothing but 22P03 rejections.
# Run by test/run-tests.sh with CV_BIN/CV_TMP set and the server running.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cv_test_module "$(dirname "$0")/satisfaction_fuzz.c"

export PGOPTIONS="-c client_min_messages=warning"
psql="$CV_BIN/psql -X -q -v ON_ERROR_STOP=1"
$psql -d postgres -c 'DROP DATABASE IF EXISTS satisfaction_fuzz' -c 'CREATE DATABASE satisfaction_fuzz'
out=$($psql -d satisfaction_fuzz -At <<'SQL'
CREATE EXTENSION custvalue;
CREATE FUNCTION satfuzz(regproc, regproc, bytea, int) RETURNS text
    AS 'satisfaction_fuzz' LANGUAGE C STRICT;
-- States are host-order structs; this machine is little-endian (checked below).
CREATE FUNCTION le(b bytea) RETURNS bytea LANGUAGE sql AS $$
    SELECT string_agg(substr(b, i, 1), ''::bytea ORDER BY i DESC) FROM generate_series(1, length(b)) i $$;
CREATE FUNCTION l8(v bigint) RETURNS bytea LANGUAGE sql AS $$ SELECT le(int8send(v)) $$;
CREATE FUNCTION l4(v int) RETURNS bytea LANGUAGE sql AS $$ SELECT le(int4send(v)) $$;
CREATE FUNCTION lf(v float8) RETURNS bytea LANGUAGE sql AS $$ SELECT le(float8send(v)) $$;
CREATE TABLE base (agg text, state bytea);
-- Each state begins with its aggregate's tag, then the struct.
INSERT INTO base VALUES
    ('csat', 'CSA1'::bytea || l8(100) || l8(88) || l4(5) || l4(4)),
    ('csat', 'CSA1'::bytea || l8(100) || l8(88) || l4(0) || l4(0)),
    ('nps', 'NPS1'::bytea || l8(5) || l8(2) || l8(3)),
    ('csi', 'CSI1'::bytea || l8(3) || lf(187.77) || lf(1166.25) || l4(10) || l4(0)),
    ('servqual', 'SVQ1'::bytea || l8(2) || l4(7) || l4(0) || (SELECT string_agg(lf(-1.8) || lf(0.02), ''::bytea) FROM generate_series(1, 6))),
    ('ipa', 'IPA1'::bytea || l8(2) || l4(3) || l4(5) || (SELECT string_agg(lf(6) || lf(1), ''::bytea) FROM generate_series(1, 6))),
    ('ipa', 'IPA1'::bytea || l8(1) || l4(1) || l4(5) || lf(3) || lf(0) || lf(4) || lf(0));
-- Every base state must be accepted as it is (else the machine is not
-- little-endian or the layout changed, and the fuzzing would prove nothing).
-- No deserialiser ('-'): the mutant is the state.
SELECT agg || ' base ' || satfuzz('-', format('custvalue.%s_final', agg)::regproc, state, 0) FROM base;
SELECT agg || ' ' || satfuzz('-', format('custvalue.%s_final', agg)::regproc, state, 20000) FROM base;
SQL
)
$psql -d postgres -c 'DROP DATABASE satisfaction_fuzz'
echo "$out"
# The base states themselves: ok=1 each (iteration 0 is the unmutated state).
[ "$(echo "$out" | grep -c ' base ok=1 22P03=0 other=0')" -eq 7 ] || { echo "a valid state was rejected"; exit 1; }
! echo "$out" | grep -v ' base ' | grep -qv 'other=0 *$' || { echo "unexpected errors"; exit 1; }
