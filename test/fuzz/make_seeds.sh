#!/usr/bin/env bash
# test/fuzz/make_seeds.sh — regenerate the structured seeds in
# test/fuzz/seeds/: valid text, binary and serialised-state inputs made by
# the real functions on a throw-away server, so the fuzzer starts from deep
# inside each format instead of having to discover it byte by byte.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$CV_ROOT"
cv_make >/dev/null
cv_throwaway_server
seeds=$CV_ROOT/test/fuzz/seeds
psql() { "$CV_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE EXTENSION custvalue"
# seed NAME TARGET SQL: the bytea (hex) or text the query returns
seed() {
    mkdir -p "$seeds/$2"
    psql -c "$3" | xxd -r -p > "$seeds/$2/$1"
}
seed_text() {
    mkdir -p "$seeds/$2"
    psql -c "$3" | tr -d '\n' > "$seeds/$2/$1"
}
scale="SELECT custvalue.cvf_scale(x, x * 2, 100 - x, x % 7, x % 3) FROM generate_series(1, 100) AS x"
seed state cvf_scale_deserialize "SELECT encode(custvalue.cvf_scale_state(x, x * 2, 100 - x, x % 7, x % 3), 'hex') FROM generate_series(1, 100) AS x"
mkdir -p "$seeds/cvf_scale_from_state"; cp "$seeds/cvf_scale_deserialize/state" "$seeds/cvf_scale_from_state/state"
seed value cvf_scale_recv "SELECT encode(custvalue.cvf_scale_send(s), 'hex') FROM ($scale) AS t(s)"
seed_text value cvf_scale_in "SELECT s::text FROM ($scale) AS t(s)"
fit="FROM (SELECT g % 3 = 0 AS y, ARRAY[g / 10.0, (g % 7)::float8] AS f FROM generate_series(1, 60) AS g) d"
seed state churn_fit_deserial "SELECT encode(custvalue.churn_fit_state(y, f), 'hex') $fit"
mkdir -p "$seeds/churn_fit_from_state"; cp "$seeds/churn_fit_deserial/state" "$seeds/churn_fit_from_state/state"
seed value churn_model_recv "SELECT encode(custvalue.churn_model_send(custvalue.churn_fit(y, f)), 'hex') $fit"
seed_text value churn_model_in "SELECT custvalue.churn_fit(y, f)::text $fit"
seed state sbg_fit_deserial "SELECT encode(custvalue.sbg_fit_state(t, c), 'hex') FROM (SELECT g % 8 + 1 AS t, g % 3 = 0 AS c FROM generate_series(1, 200) AS g) d"
mkdir -p "$seeds/sbg_fit_from_state"; cp "$seeds/sbg_fit_deserial/state" "$seeds/sbg_fit_from_state/state"
ls -l "$seeds"/*/
