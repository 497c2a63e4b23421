-- Bad input to the tier family (tier type, tier_from_rank, tier_of, min/max
-- of tiers): each gives a result or an ERROR with its SQLSTATE and a
-- message naming the argument or value, never a crash or a wrong answer.
-- (The ordinary cases are in tier_type and tier_policy.)
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

-- Text input: empty, blank, near misses, long, multibyte, control chars.
SELECT pg_temp.expect_error(format('SELECT %L::custvalue.tier', v))
  FROM unnest(ARRAY['', '   ', 'gol', 'golden', 'g o l d', 'diamond!', '钻', '钻卡卡', 'A類',
                    E'gold\t\tx', repeat('gold', 20)]) AS v;
-- Surrounding white space (including tabs and newlines) is fine.
SELECT E'\t Gold \n'::tier AS gold, E' 银卡\n'::tier AS silver, E'\tb类 '::tier AS b;

-- Ranks: out of range both ways and at the int4 limits (22003); NULL.
SELECT pg_temp.expect_error(format('SELECT custvalue.tier_from_rank(%s)', v))
  FROM unnest(ARRAY['6', '-1', '2147483647', '(-2147483647 - 1)']) AS v;
SELECT tier_from_rank(NULL) IS NULL AS null_rank;

-- Binary input: a tier field two bytes long instead of one (22P03).
CREATE TEMP TABLE bin_copy (t tier);
SELECT pg_temp.expect_error($q$COPY bin_copy FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\1\0\0\0\2\1\1\377\377'$$ WITH (FORMAT binary)$q$);
-- A tier field with no bytes at all.
SELECT pg_temp.expect_error($q$COPY bin_copy FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\1\0\0\0\0\377\377'$$ WITH (FORMAT binary)$q$);
DROP TABLE bin_copy;

-- tier_of: money must be finite and non-negative (22023, naming the
-- argument); zero, tiny and huge amounts are fine; numeric overflow is
-- the numeric type's own error (22003) before tier_of is called.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.tier_of('-Infinity', 100, true)$$,
    $$SELECT custvalue.tier_of(100, '-Infinity', false)$$,
    $$SELECT custvalue.tier_of('Infinity', 100, true)$$,
    $$SELECT custvalue.tier_of(100, 'NaN', true)$$,
    $$SELECT custvalue.tier_of(-1e-100, 100, true)$$,
    $$SELECT custvalue.tier_of(0, -1e100, false)$$,
    $$SELECT custvalue.tier_of(1e131072, 0, true)$$,
    $$SELECT custvalue.tier_of('1e400'::float8, 0, true)$$]) AS q;
SELECT tier_of(0, 0, true) AS zero_card, tier_of(-0.0, -0.0, false) AS minus_zero,
       tier_of(1e-100, 1e-100, true) AS tiny, tier_of(1e100, 0, true) AS huge_spend,
       tier_of(0, 1e100, false) AS huge_arpu;
-- Integer arguments are cast to numeric.
SELECT tier_of(6000::int, 0::int, true) AS int_args, tier_of(4000::bigint, 0::smallint, true) AS bigint_args;

-- Over a set: zero rows, NULL-only rows, arrays with NULLs, empty arrays.
SELECT max(t) IS NULL AS max_of_nothing, min(t) IS NULL AS min_of_nothing
  FROM unnest('{}'::tier[]) AS t;
SELECT max(t) IS NULL AS max_of_nulls, min(t) IS NULL AS min_of_nulls
  FROM unnest('{NULL,NULL}'::tier[]) AS t;
SELECT max(t) AS max_skips_nulls, min(t) AS min_skips_nulls
  FROM unnest('{NULL,gold,c,NULL}'::tier[]) AS t;
SELECT tier_of(s, a, v) AS tier
  FROM unnest(ARRAY[7000, NULL, 100]::numeric[], ARRAY[NULL, 250, NULL]::numeric[],
              ARRAY[true, NULL, false]) AS x(s, a, v);
-- An invalid element in array input is the element's error.
SELECT pg_temp.expect_error($$SELECT '{gold,platinum}'::custvalue.tier[]$$);

-- Comparisons with NULL are NULL, not an error.
SELECT ('gold'::tier < NULL) IS NULL AS lt_null, (NULL::tier = 'c') IS NULL AS eq_null,
       tier_cmp('gold', NULL) IS NULL AS cmp_null;
