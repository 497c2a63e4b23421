# test/bench/timing.sh — timing helpers of the benchmark scripts (sourced;
# they run "${PSQL[@]}", the caller's psql command line).

# seconds SQL: wall time of SQL in a fresh connection, in seconds.
seconds() {
    "${PSQL[@]}" -o /dev/null -c '\timing on' -c "$1" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' \
        | tail -1 | awk '{ printf "%.3f", $1 / 1000 }'
}
# best3 SQL: the best of three runs after a warm-up.
best3() {
    "${PSQL[@]}" -o /dev/null -c "$1" >/dev/null
    local b="" t
    for _ in 1 2 3; do
        t=$(seconds "$1")
        b=$(awk -v a="$b" -v t="$t" 'BEGIN { print (a == "" || t < a) ? t : a }')
    done
    echo "$b"
}
