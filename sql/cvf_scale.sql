-- The CVF population scale: the aggregate cvf_scale() and its sketch
-- (hand-computed quantiles, accuracy bound, edge cases), the cvf_scale type's
-- text and binary I/O, the deserialiser under garbage, and parallel = serial.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

-- Hand-computed: values 0..10, quantile of rank k = ceil(p * n), n = 11:
-- p50 k=6 -> 5, p75 k=9 -> 8, p90 k=10 -> 9, p95 k=11 -> 10 (= max),
-- p99 k=11 -> 10.  Small integers are bin edges, so exact; tariff
-- (0, 0.1, .., 1) shows bin edges below the truth: 0.8 is in
-- [0.796875, 0.828125) (width 1/32 in [0.5, 1)), 0.9 in [0.890625, ...).
-- credit_risk is all NULL (n=0); bundles are all equal (every quantile 1).
SELECT cvf_scale(x, 10 - x, NULL, x / 10.0, 1) FROM generate_series(0, 10) AS x;
SELECT * FROM cvf_scale_summary(
    (SELECT cvf_scale(x, 10 - x, NULL, x / 10.0, 1) FROM generate_series(0, 10) AS x));

-- The sketch reports the lower edge of the bin of the order statistic:
-- 1000 lies in [992, 1008) (bins of width 16 in [512, 1024)), so with
-- values {10, 1000, 1000, 1000, 5000}: p50 (k=3) and p75 (k=4) are 992,
-- 0.8 % below the truth; p90 (k=5 = n) is the exact maximum.  Rank 1 is the
-- exact minimum (clamped).
SELECT * FROM cvf_scale_summary(
    (SELECT cvf_scale(v, NULL, NULL, NULL, NULL)
       FROM unnest(ARRAY[10, 1000, 1000, 1000, 5000]) AS v)) WHERE dimension = 'revenue';

-- Empty input: NULL (like avg).  One customer: every quantile is its value.
-- All equal: likewise.  Rows that are all NULL: NULL; a dimension that is
-- NULL in every row: n = 0.
SELECT cvf_scale(x, x, x, x, x) IS NULL AS empty_is_null FROM generate_series(1, 0) AS x;
SELECT cvf_scale(1234.56, 7, 0.25, 0.5, 3);
SELECT cvf_scale(1234.56, 7, 0.25, 0.5, 3) FROM generate_series(1, 100);
SELECT cvf_scale(NULL, NULL, NULL, NULL, NULL) IS NULL AS all_null_is_null FROM generate_series(1, 3);
SELECT cvf_scale(CASE WHEN g = 2 THEN 5 END, NULL, NULL, NULL, NULL) FROM generate_series(1, 3) AS g;

-- Extreme values.  From 2^32 up all values share the top bin, so only the
-- exact minimum/maximum survive: {5e9, 6e9, 7e9} reports p50 = 5e9 (the
-- top bin's edge 2^32 clamped to the minimum), {0, 1e300, 1.7e308} reports
-- p50 = 2^32.  Below 2^-8 all values share
-- bin 0: {0.001, 0.002, 0.003} reports p50 = 0.001.  Huge and tiny values
-- are accepted and never overflow.
SELECT p50, max FROM cvf_scale_summary(
    (SELECT cvf_scale(v, NULL, NULL, NULL, NULL) FROM unnest(ARRAY[5e9, 6e9, 7e9]) AS v))
 WHERE dimension = 'revenue';
SELECT min, p50, max FROM cvf_scale_summary(
    (SELECT cvf_scale(v, NULL, NULL, NULL, NULL) FROM unnest(ARRAY[0.001, 0.002, 0.003]) AS v))
 WHERE dimension = 'revenue';
SELECT cvf_scale(v, 0, 5e-324, 1e308, 0) FROM unnest(ARRAY[1e300, 1.7e308, 0]) AS v;

-- Negative or non-finite values are errors, naming the dimension.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.cvf_scale(-1, 0, 0, 0, 0)$$,
    $$SELECT custvalue.cvf_scale(0, 'NaN', 0, 0, 0)$$,
    $$SELECT custvalue.cvf_scale(0, 0, 'Infinity', 0, 0)$$,
    $$SELECT custvalue.cvf_scale(0, 0, 0, '-Infinity', 0)$$,
    $$SELECT custvalue.cvf_scale(0, 0, 0, 0, -0.5)$$]) AS q;
-- -0 is 0.
SELECT cvf_scale('-0'::float8, 0, 0, 0, 0);

-- The accuracy bound on a wide population (10 .. 30 000 yuan, tenure
-- 0 .. 299, shares, counts): against the exact inverse-CDF quantiles
-- (percentile_disc), every estimate is at or below the truth and less than
-- 1/32 (3.125 %) below it; for values under 2^-8 less than 2^-8 below.
CREATE TABLE cvf_pop AS
SELECT i,
       round((10 * exp(8 * ((i * 2654435761) % 4294967296) / 4294967296.0))::numeric, 2)::float8 AS revenue,
       ((i * 40503) % 300)::float8 AS tenure,
       CASE WHEN i % 5 = 0 THEN (i % 13) / 12.0 ELSE 0 END::float8 AS credit_risk,
       ((i * 69069) % 1000) / 1000.0::float8 AS tariff,
       CASE WHEN i % 17 = 0 THEN NULL ELSE i % 4 END::float8 AS bundles,
       i % 3 AS g
  FROM generate_series(1::bigint, 200000) AS i;
ANALYZE cvf_pop;
CREATE TABLE cvf_pop_exact AS
SELECT d.dimension, p.level, p.value AS exact
  FROM (VALUES ('revenue'), ('tenure'), ('credit_risk'), ('tariff'), ('bundles')) AS d(dimension),
  LATERAL (SELECT unnest(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) AS level,
                  unnest(CASE d.dimension
                    WHEN 'revenue' THEN (SELECT percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY revenue) FROM cvf_pop)
                    WHEN 'tenure' THEN (SELECT percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY tenure) FROM cvf_pop)
                    WHEN 'credit_risk' THEN (SELECT percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY credit_risk) FROM cvf_pop)
                    WHEN 'tariff' THEN (SELECT percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY tariff) FROM cvf_pop)
                    ELSE (SELECT percentile_disc(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY bundles) FROM cvf_pop)
                  END) AS value) AS p;
-- The serial baseline: no workers.
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT cvf_scale(revenue, tenure, credit_risk, tariff, bundles) AS scale FROM cvf_pop;
CREATE TABLE cvf_pop_scale AS
SELECT cvf_scale(revenue, tenure, credit_risk, tariff, bundles) AS scale FROM cvf_pop;
RESET max_parallel_workers_per_gather;
SELECT e.dimension, e.level, e.exact, x.estimate,
       x.estimate <= e.exact
         AND (e.exact - x.estimate) < CASE WHEN e.exact >= 2 ^ -8 THEN e.exact / 32 ELSE 2 ^ -8 END AS within_bound
  FROM cvf_pop_exact e
  JOIN (SELECT s.dimension, u.level, u.estimate
          FROM cvf_pop_scale, cvf_scale_summary(scale) AS s,
               unnest(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99], ARRAY[s.p50, s.p75, s.p90, s.p95, s.p99]) AS u(level, estimate)) x
    ON x.dimension = e.dimension AND x.level = e.level
 ORDER BY e.dimension, e.level;
SELECT dimension, n, min, max FROM cvf_pop_scale, cvf_scale_summary(scale);

-- Parallel = serial, exactly.  Histogram merge adds integer counts, so the
-- split over workers cannot change any quantile.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT cvf_scale(revenue, tenure, credit_risk, tariff, bundles) FROM cvf_pop;
SELECT p = s.scale AS parallel_equals_serial, p::text = s.scale::text AS same_text
  FROM (SELECT cvf_scale(revenue, tenure, credit_risk, tariff, bundles) AS p FROM cvf_pop) AS q,
       cvf_pop_scale AS s;
SET parallel_leader_participation = off;
SELECT cvf_scale(revenue, tenure, credit_risk, tariff, bundles) = (SELECT scale FROM cvf_pop_scale)
       AS workers_only_equals_serial
  FROM cvf_pop;
RESET parallel_leader_participation;
-- Grouped: partial aggregates per group, combined per group.
CREATE TABLE cvf_pop_groups_parallel AS
SELECT g, cvf_scale(revenue, tenure, credit_risk, tariff, bundles)::text AS scale FROM cvf_pop GROUP BY g;
EXPLAIN (COSTS OFF)
SELECT g, cvf_scale(revenue, tenure, credit_risk, tariff, bundles) FROM cvf_pop GROUP BY g;
RESET ALL;
SET search_path = public, custvalue_data, custvalue;
SET max_parallel_workers_per_gather = 0;
SELECT g, cvf_scale(revenue, tenure, credit_risk, tariff, bundles)::text = p.scale AS grouped_parallel_equals_serial
  FROM cvf_pop JOIN cvf_pop_groups_parallel p USING (g) GROUP BY g, p.scale ORDER BY g;
RESET max_parallel_workers_per_gather;

-- The serialised state decodes to the same scale.
SELECT cvf_scale_from_state(cvf_scale_state(revenue, tenure, credit_risk, tariff, bundles))
       = (SELECT scale FROM cvf_pop_scale) AS state_round_trip
  FROM cvf_pop;

-- Text I/O: output is input.
SELECT scale::text::cvf_scale = scale AS text_round_trip FROM cvf_pop_scale;
SELECT 'revenue(n=2, min=1, p50=1, p75=2, p90=2, p95=2, p99=2, max=2),tenure(n=0),
        credit_risk( n = 0 ) , tariff(n=0), bundles(n=1,min=3,p50=3,p75=3,p90=3,p95=3,p99=3,max=3)'::cvf_scale;
-- Invalid text: syntax (22P02, with the position), bad numbers, order.
SELECT pg_temp.expect_error(format('SELECT %L::custvalue.cvf_scale', t)) FROM unnest(ARRAY[
    '',
    'revenue(n=0)',
    'revenue(n=0), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0) x',
    'tenure(n=0), revenue(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=-1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=99999999999999999999), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=1, min=abc, p50=1, p75=1, p90=1, p95=1, p99=1, max=1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=1, min=2, p50=1, p75=1, p90=1, p95=1, p99=1, max=1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=1, min=-1, p50=1, p75=1, p90=1, p95=1, p99=1, max=1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=1, min=0, p50=NaN, p75=1, p90=1, p95=1, p99=1, max=1), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=1, min=0, p50=1, p75=1, p90=1, p95=1, p99=1, max=Infinity), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)',
    'revenue(n=1, min=0, p50=1, p75=1, p90=1, p95=1, p99=1, max=1e999), tenure(n=0), credit_risk(n=0), tariff(n=0), bundles(n=0)']) AS t;

-- Binary I/O: send, then receive through COPY BINARY; recv validates too.
SELECT length(cvf_scale_send(scale)) AS send_bytes FROM cvf_pop_scale;
CREATE TABLE cvf_copy (s cvf_scale);
-- COPY BINARY layout: 19 bytes of header, int2 field count, int4 length,
-- then the value; byte 26 is the top byte of the revenue count.
CREATE FUNCTION pg_temp.copy_in(bytes bytea) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    f text := current_setting('data_directory') || '/cvf_scale_test.bin';
    lo oid := lo_from_bytea(0, bytes);
BEGIN
    PERFORM lo_export(lo, f);
    PERFORM lo_unlink(lo);
    EXECUTE format('COPY cvf_copy FROM %L (FORMAT binary)', f);
    RETURN 'loaded';
END;
$$;
DO $$
BEGIN
    EXECUTE format('COPY (SELECT scale FROM cvf_pop_scale) TO %L (FORMAT binary)',
                   current_setting('data_directory') || '/cvf_scale_test.bin');
END;
$$;
CREATE TABLE cvf_copy_file AS
SELECT pg_read_binary_file(current_setting('data_directory') || '/cvf_scale_test.bin') AS bytes;
SELECT pg_temp.copy_in(bytes) FROM cvf_copy_file;
SELECT s = (SELECT scale FROM cvf_pop_scale) AS binary_round_trip FROM cvf_copy;
SELECT pg_temp.expect_error(format('SELECT pg_temp.copy_in(%L::bytea)', b)) FROM cvf_copy_file,
  LATERAL (VALUES (set_byte(bytes, 25, 255)),                           -- negative count
                  (set_byte(bytes, 33, 255)),                           -- NaN minimum
                  (overlay(bytes placing int4send(319) from 22 for 4))  -- one byte short
          ) AS v(b);
DROP TABLE cvf_copy, cvf_copy_file;

-- The deserialiser trusts nothing.  Crafted states, built portably:
-- magic "CVF1", then per dimension int8 n, float8 min, float8 max, int4
-- number of bins, and (int4 bin, int8 count) pairs, all big-endian.  The
-- value 1 is in bin 257, 2 in bin 289, 0 in bin 0; there are 1282 bins.
CREATE FUNCTION pg_temp.dim(n bigint, mn float8, mx float8, bins int[] DEFAULT '{}',
                            counts bigint[] DEFAULT '{}', nnz int DEFAULT NULL) RETURNS bytea
    LANGUAGE sql AS $$
    SELECT int8send(n) || float8send(mn) || float8send(mx)
           || int4send(coalesce(nnz, cardinality(bins)))
           || coalesce((SELECT string_agg(int4send(b) || int8send(c), ''::bytea ORDER BY o)
                          FROM unnest(bins, counts) WITH ORDINALITY AS u(b, c, o)), '')
$$;
CREATE FUNCTION pg_temp.state(VARIADIC dims bytea[]) RETURNS bytea
    LANGUAGE sql AS $$ SELECT '\x43564631'::bytea || string_agg(d, ''::bytea) FROM unnest(dims) AS d $$;
CREATE FUNCTION pg_temp.empty() RETURNS bytea
    LANGUAGE sql AS $$ SELECT pg_temp.dim(0, 0, 0) $$;
-- A valid state: revenue {1, 2, 2}, everything else empty.
SELECT cvf_scale_from_state(pg_temp.state(pg_temp.dim(3, 1, 2, '{257,289}', '{1,2}'),
       pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty()));
SELECT cvf_scale_from_state(pg_temp.state(pg_temp.empty(), pg_temp.empty(), pg_temp.empty(),
       pg_temp.empty(), pg_temp.empty())) AS all_empty;
SELECT label, pg_temp.expect_error(format('SELECT custvalue.cvf_scale_from_state(%L::bytea)', s))
  FROM (VALUES
    ('no bytes', ''::bytea),
    ('wrong magic', '\x43564632'::bytea || pg_temp.empty()),
    ('one dimension only', pg_temp.state(pg_temp.empty())),
    ('negative n', pg_temp.state(pg_temp.dim(-1, 0, 0), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('n too large', pg_temp.state(pg_temp.dim(4611686018427387905, 1, 1, '{257}', '{4611686018427387905}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('more bins than values', pg_temp.state(pg_temp.dim(1, 1, 2, '{257,289}', '{1,1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('negative bin count', pg_temp.state(pg_temp.dim(1, 1, 1, nnz => -1), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('promised pairs missing', pg_temp.state(pg_temp.dim(3, 1, 2, '{257}', '{3}', nnz => 2))),
    ('bin out of range', pg_temp.state(pg_temp.dim(1, 1, 1, '{1282}', '{1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('bins out of order', pg_temp.state(pg_temp.dim(2, 1, 2, '{289,257}', '{1,1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('bin repeated', pg_temp.state(pg_temp.dim(2, 1, 1, '{257,257}', '{1,1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('zero count', pg_temp.state(pg_temp.dim(2, 1, 2, '{257,289}', '{2,0}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('counts short of n', pg_temp.state(pg_temp.dim(3, 1, 2, '{257,289}', '{1,1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('counts beyond n', pg_temp.state(pg_temp.dim(2, 1, 2, '{257,289}', '{1,9223372036854775807}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('min above max', pg_temp.state(pg_temp.dim(2, 2, 1, '{257,289}', '{1,1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('NaN min', pg_temp.state(pg_temp.dim(1, 'NaN', 1, '{257}', '{1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('infinite max', pg_temp.state(pg_temp.dim(1, 1, 'Infinity', '{257}', '{1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('min not in first bin', pg_temp.state(pg_temp.dim(2, 2, 2, '{257,289}', '{1,1}'), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('empty with a minimum', pg_temp.state(pg_temp.dim(0, 1, 1), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty())),
    ('trailing byte', pg_temp.state(pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty(), pg_temp.empty()) || '\x00'::bytea)
  ) AS c(label, s);

-- Mutation fuzzing: every byte of a real state replaced by four values,
-- and the state cut at every length.  Each attempt either decodes to a
-- valid scale (which then survives a text round trip) or fails with 22P03;
-- anything else would show up here as its own line.
CREATE TABLE cvf_fuzz_seed AS
SELECT cvf_scale_state(revenue, tenure, credit_risk, tariff, bundles) AS s
  FROM cvf_pop WHERE i <= 40;
CREATE FUNCTION pg_temp.try_state(s bytea) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    sc custvalue.cvf_scale;
BEGIN
    sc := custvalue.cvf_scale_from_state(s);
    IF sc::text::custvalue.cvf_scale = sc THEN RETURN 'decoded, valid'; END IF;
    RETURN 'decoded, INVALID';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END;
$$;
SELECT length(s) AS seed_bytes FROM cvf_fuzz_seed;
SELECT pg_temp.try_state(m) AS outcome, count(*)
  FROM cvf_fuzz_seed,
       generate_series(0, length(s) - 1) AS pos,
       unnest(ARRAY[0, 255, get_byte(s, pos) # 1, get_byte(s, pos) # 128]) AS v,
       LATERAL (SELECT set_byte(s, pos, v) AS m) AS x
 GROUP BY 1 ORDER BY 1;
SELECT pg_temp.try_state(substring(s FROM 1 FOR len)) AS outcome, count(*)
  FROM cvf_fuzz_seed, generate_series(0, length(s) - 1) AS len
 GROUP BY 1 ORDER BY 1;
-- Random bytes after a valid magic, deterministic seed.
SELECT setseed(0.42);
SELECT outcome, count(*) FROM (
    SELECT t, pg_temp.try_state('\x43564631'::bytea
             || decode(string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), ''), 'hex')) AS outcome
      FROM generate_series(1, 300) AS t, LATERAL generate_series(1, 1 + (t * 7) % 200) AS b
     GROUP BY t) AS f
 GROUP BY outcome ORDER BY outcome;

-- The aggregate's own state is a bytea (so that Citus can ship it between
-- nodes): a tag and the dense sketch, 51 kB.  SQL can reach it through an
-- aggregate of its own, so the combine and final functions check whatever
-- they are handed (22P03) before they believe it.  Layout after the 4-byte
-- tag, per dimension: int8 n, float8 min, float8 max, 1282 int8 counts, in
-- this machine's byte order (little-endian here; the first test says so).
CREATE AGGREGATE pg_temp.dense(float8, float8, float8, float8, float8) (
    SFUNC = custvalue.cvf_scale_accum, STYPE = bytea);
CREATE AGGREGATE pg_temp.merge(bytea) (
    SFUNC = custvalue.cvf_scale_combine, STYPE = bytea, FINALFUNC = custvalue.cvf_scale_final);
CREATE TABLE cvf_dense AS
SELECT pg_temp.dense(revenue, tenure, credit_risk, tariff, bundles) AS s FROM cvf_pop;
SELECT length(s) AS dense_bytes, substr(s, 1, 4) AS tag,
       get_byte(s, 4) + 256 * get_byte(s, 5) + 65536 * get_byte(s, 6) = (SELECT count(revenue) FROM cvf_pop) AS little_endian_n,
       cvf_scale_final(s) = (SELECT scale FROM cvf_pop_scale) AS final_equals_aggregate,
       cvf_scale_from_state(cvf_scale_serialize(s)) = (SELECT scale FROM cvf_pop_scale) AS serial_form_equals
  FROM cvf_dense;
-- Merged with itself: every count doubles, the percentiles stay.
SELECT (SELECT string_agg(format('%s:%s', dimension, n), ' ') FROM cvf_scale_summary(m)) AS doubled,
       (SELECT array_agg(p95) FROM cvf_scale_summary(m))
       = (SELECT array_agg(p95) FROM cvf_scale_summary((SELECT scale FROM cvf_pop_scale))) AS same_p95
  FROM (SELECT pg_temp.merge(s) AS m FROM cvf_dense, generate_series(1, 2)) AS x;
SELECT label, pg_temp.expect_error(format('SELECT custvalue.cvf_scale_final(%L::bytea)', m))
  FROM cvf_dense, LATERAL (VALUES
    ('wrong tag', set_byte(s, 0, 0)),
    ('one byte short', substr(s, 1, length(s) - 1)),
    ('no sketch', substr(s, 1, 4)),
    ('negative n', set_byte(s, 11, 128)),
    ('a count more', set_byte(s, 28, get_byte(s, 28) + 1)),
    ('NaN minimum', overlay(s placing '\x000000000000f87f'::bytea from 13 for 8)),
    ('minimum above maximum', overlay(s placing '\x0000000000c0fe40'::bytea from 13 for 8))
  ) AS v(label, m);
SELECT pg_temp.expect_error(format('SELECT pg_temp.merge(x) FROM (VALUES (%L::bytea), (%L::bytea)) AS v(x)',
                                   s, set_byte(s, 11, 128))) AS merge_rejects_bad_state
  FROM cvf_dense;
SELECT pg_temp.expect_error($$SELECT custvalue.cvf_scale_accum(NULL, 1, 1, 1, 1, 1)$$) AS outside_an_aggregate;
DROP TABLE cvf_dense;

-- Labels.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict
  FROM pg_proc p
 WHERE p.pronamespace = 'custvalue'::regnamespace AND p.proname LIKE 'cvf_scale%'
 ORDER BY 1::text;
SELECT aggfnoid::regprocedure, aggcombinefn, aggserialfn, aggdeserialfn, p.proparallel
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
 WHERE p.pronamespace = 'custvalue'::regnamespace AND p.proname LIKE 'cvf%'
 ORDER BY 1::text;

DROP TABLE cvf_pop, cvf_pop_exact, cvf_pop_scale, cvf_pop_groups_parallel, cvf_fuzz_seed;
