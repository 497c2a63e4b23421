# test/citus/compare.awk — compare two answer files (test/citus/answers.sql
# run on one server, then on Citus) line by line: the text between numbers
# must be equal and every number equal to a relative tolerance TOL (default
# 1e-9; absolute below 1e-12).  Prints each difference (at most 20) and
# exits 1 if there is one.
#   awk -v TOL=1e-9 -f compare.awk single.txt citus.txt
function split_numbers(s, nums, text,    n, rest, m) {
    n = 0; text[0] = ""
    rest = s
    while (match(rest, /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
        text[n] = text[n] substr(rest, 1, RSTART - 1)
        nums[++n] = substr(rest, RSTART, RLENGTH) + 0
        text[n] = ""
        rest = substr(rest, RSTART + RLENGTH)
    }
    text[n] = text[n] rest
    return n
}
function same(a, b,    d, m) {
    d = a - b; if (d < 0) d = -d
    m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b)
    return d <= 1e-12 || d <= TOL * m
}
BEGIN { if (TOL == "") TOL = 1e-9; bad = 0 }
FNR == NR { a[FNR] = $0; na = FNR; next }
{
    nb = FNR
    if (!(FNR in a)) { report(FNR, "(missing)", $0); next }
    delete x; delete tx; delete y; delete ty
    n1 = split_numbers(a[FNR], x, tx); n2 = split_numbers($0, y, ty)
    ok = (n1 == n2)
    for (i = 0; ok && i <= n1; i++) if (tx[i] != ty[i]) ok = 0
    for (i = 1; ok && i <= n1; i++) if (!same(x[i], y[i])) ok = 0
    if (!ok) report(FNR, a[FNR], $0)
}
function report(line, left, right) {
    bad++
    if (bad <= 20) printf "line %d differs:\n  one server: %s\n  Citus:      %s\n", line, substr(left, 1, 400), substr(right, 1, 400)
}
END {
    if (na != nb) { printf "%d lines on one server, %d on Citus\n", na, nb; bad++ }
    if (bad) { printf "%d differences\n", bad; exit 1 }
}
