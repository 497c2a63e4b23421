-- The aggregates' partial states as values: churn_fit_state / sbg_fit_state
-- and their *_from_state fits give the same answers as the aggregates;
-- malformed states (hand-made, mutated byte by byte, truncated, random)
-- are ERROR 22P03, never a crash or a silently wrong fit.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

CREATE TABLE public.st_rows AS
SELECT i, (i % 3 = 0) <> (i % 7 = 0) AS y, ARRAY[i % 5, (i * 13) % 11]::float8[] AS x
  FROM generate_series(1, 40) i;
SELECT churn_fit_from_state(churn_fit_state(y, x))::text = churn_fit(y, x)::text AS same_fit,
       churn_fit_from_state(churn_fit_state(y, x, 0.5))::text = churn_fit(y, x, 0.5)::text AS same_l2_fit,
       length(churn_fit_state(y, x)) AS state_bytes   -- 24 header + 40 rows x 3 doubles
  FROM st_rows;
SELECT churn_fit_state(y, x) IS NULL AS empty_state_null FROM st_rows WHERE false;
-- The start of the paper's regular cohort: 100, 63, 47, 38 survivors.
CREATE TABLE public.sbg_rows AS
SELECT p, c FROM (VALUES (1, true, 37), (2, true, 16), (3, true, 9), (3, false, 38)) v(p, c, n),
       generate_series(1, n);
SELECT sbg_fit_from_state(sbg_fit_state(p, c))::text = sbg_fit(p, c)::text AS same_sbg_fit,
       sbg_fit(p, c)::text = sbg_fit('{100,63,47,38}')::text AS same_as_survivors,
       length(sbg_fit_state(p, c)) AS state_bytes       -- 8 + 2 x 8 doubles x (horizon 3 + 1)
  FROM sbg_rows;

-- Hand-made bad states, in the native (little-endian) layout:
-- churn_fit: magic "RLVC", int32 k, float8 l2, int64 n, n rows of k + 1 doubles;
-- sbg_fit: magic "BSVC", int32 horizon, churned[0..h], alive[0..h] doubles.
CREATE FUNCTION pg_temp.le(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(substring(b FROM i FOR 1), ''::bytea ORDER BY i DESC)
      FROM generate_series(1, length(b)) i $$;
CREATE FUNCTION pg_temp.fit_state(k int, l2 float8, n bigint, VARIADIC v float8[] DEFAULT '{}')
    RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT '\x524c5643'::bytea || pg_temp.le(int4send(k)) || pg_temp.le(float8send(l2))
           || pg_temp.le(int8send(n))
           || coalesce((SELECT string_agg(pg_temp.le(float8send(x)), ''::bytea ORDER BY o)
                          FROM unnest(v) WITH ORDINALITY AS u(x, o)), ''::bytea) $$;
CREATE FUNCTION pg_temp.sbg_state(h int, VARIADIC v float8[] DEFAULT '{}')
    RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT '\x42535643'::bytea || pg_temp.le(int4send(h))
           || coalesce((SELECT string_agg(pg_temp.le(float8send(x)), ''::bytea ORDER BY o)
                          FROM unnest(v) WITH ORDINALITY AS u(x, o)), ''::bytea) $$;
-- Valid: two rows (label, x) = (1, 0), (0, 1) are separated, so 22023;
-- four rows fit.
SELECT pg_temp.expect_error(format('SELECT custvalue.churn_fit_from_state(%L::bytea)',
       pg_temp.fit_state(1, 0, 2, 1, 0, 0, 1))) AS separated;
SELECT churn_fit_from_state(pg_temp.fit_state(1, 0, 4, 1, 0, 0, 1, 1, 1, 0, 0))::text AS four_rows,
       churn_fit(y, ARRAY[x])::text AS same_by_aggregate
  FROM (VALUES (true, 0), (false, 1), (true, 1), (false, 0)) v(y, x);
SELECT label, pg_temp.expect_error(format('SELECT custvalue.churn_fit_from_state(%L::bytea)', s))
  FROM (VALUES
    ('no bytes', ''::bytea),
    ('short header', '\x524c5643'::bytea),
    ('wrong magic', '\x00' || substring(pg_temp.fit_state(1, 0, 0) FROM 2)),
    ('k = 2000', pg_temp.fit_state(2000, 0, 0)),
    ('k = -2', pg_temp.fit_state(-2, 0, 0)),
    ('negative n', pg_temp.fit_state(1, 0, -1)),
    ('n beyond the data', pg_temp.fit_state(1, 0, 4611686018427387904, 1, 0)),
    ('half a row', pg_temp.fit_state(1, 0, 1, 1)),
    ('trailing bytes', pg_temp.fit_state(1, 0, 1, 1, 0) || '\x00'::bytea),
    ('label 2', pg_temp.fit_state(1, 0, 1, 2, 0)),
    ('NaN feature', pg_temp.fit_state(1, 0, 1, 1, 'NaN')),
    ('infinite feature', pg_temp.fit_state(1, 0, 1, 1, '-Infinity')),
    ('l2 = -1', pg_temp.fit_state(1, -1, 0)),
    ('l2 = NaN', pg_temp.fit_state(1, 'NaN', 0)),
    ('rows without shape', pg_temp.fit_state(-1, 0, 1, 1))
  ) AS c(label, s);
SELECT sbg_fit_from_state(pg_temp.sbg_state(2, 0, 37, 16,  0, 0, 47))::text = sbg_fit('{100,63,47}')::text
       AS hand_state_fits;
SELECT label, pg_temp.expect_error(format('SELECT custvalue.sbg_fit_from_state(%L::bytea)', s))
  FROM (VALUES
    ('no bytes', ''::bytea),
    ('wrong magic', '\x0000000000000000'::bytea),
    ('horizon 2^31-1', pg_temp.sbg_state(2147483647)),
    ('horizon -2', pg_temp.sbg_state(-2)),
    ('horizon 0, no counts', pg_temp.sbg_state(0)),
    ('one count short', pg_temp.sbg_state(1, 0, 1, 1)),
    ('negative count', pg_temp.sbg_state(1, 0, 1, -1, 1)),
    ('NaN count', pg_temp.sbg_state(1, 0, 'NaN', 0, 1)),
    ('churn at period 0', pg_temp.sbg_state(1, 1, 1, 0, 1))
  ) AS c(label, s);

-- Mutation fuzzing: every byte of real states set to four values, and the
-- states cut at every length.  Outcomes: a fit, a data error (22023: e.g.
-- a mutated label made one class), or a rejected state (22P03).
CREATE FUNCTION pg_temp.try_fit(s bytea) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    m custvalue.churn_model;
BEGIN
    m := custvalue.churn_fit_from_state(s);
    IF m IS NULL THEN RETURN 'no rows'; END IF;
    IF m::text::custvalue.churn_model::text = m::text
       AND (SELECT bool_and(c = c AND abs(c) < 'Infinity') FROM unnest((custvalue.churn_model_info(m)).coefficients) c)
    THEN RETURN 'fitted, finite'; END IF;
    RETURN 'fitted, INVALID';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END;
$$;
CREATE FUNCTION pg_temp.try_sbg(s bytea) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    e custvalue.sbg_estimate;
BEGIN
    e := custvalue.sbg_fit_from_state(s);
    IF e IS NULL THEN RETURN 'no data'; END IF;
    IF e.alpha > 0 AND e.beta > 0 AND e.loglik <= 0 THEN RETURN 'fitted, valid'; END IF;
    RETURN 'fitted, INVALID';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END;
$$;
CREATE TABLE public.st_seed AS
SELECT churn_fit_state(y, x) AS s FROM st_rows WHERE i <= 12;
SELECT length(s) AS seed_bytes, pg_temp.try_fit(s) AS seed_outcome FROM st_seed;
SELECT pg_temp.try_fit(m) AS outcome, count(*)
  FROM st_seed, generate_series(0, length(s) - 1) AS pos,
       unnest(ARRAY[0, 255, get_byte(s, pos) # 1, get_byte(s, pos) # 128]) AS v,
       LATERAL (SELECT set_byte(s, pos, v) AS m) AS x
 GROUP BY 1 ORDER BY 1;
SELECT pg_temp.try_fit(substring(s FROM 1 FOR len)) AS outcome, count(*)
  FROM st_seed, generate_series(0, length(s) - 1) AS len
 GROUP BY 1 ORDER BY 1;
CREATE TABLE public.sbg_seed AS SELECT sbg_fit_state(p, c) AS s FROM sbg_rows;
SELECT pg_temp.try_sbg(m) AS outcome, count(*)
  FROM sbg_seed, generate_series(0, length(s) - 1) AS pos,
       unnest(ARRAY[0, 255, get_byte(s, pos) # 1, get_byte(s, pos) # 128]) AS v,
       LATERAL (SELECT set_byte(s, pos, v) AS m) AS x
 GROUP BY 1 ORDER BY 1;
SELECT pg_temp.try_sbg(substring(s FROM 1 FOR len)) AS outcome, count(*)
  FROM sbg_seed, generate_series(0, length(s) - 1) AS len
 GROUP BY 1 ORDER BY 1;
-- Random bytes after a valid magic, deterministic seed.
SELECT setseed(0.42);
SELECT outcome, count(*) FROM (
    SELECT t, pg_temp.try_fit('\x524c5643'::bytea
             || decode(string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), ''), 'hex')) AS outcome
      FROM generate_series(1, 300) AS t, LATERAL generate_series(1, 1 + (t * 7) % 100) AS b
     GROUP BY t) AS f
 GROUP BY outcome ORDER BY outcome;
SELECT outcome, count(*) FROM (
    SELECT t, pg_temp.try_sbg('\x42535643'::bytea
             || decode(string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), ''), 'hex')) AS outcome
      FROM generate_series(1, 300) AS t, LATERAL generate_series(1, 1 + (t * 7) % 100) AS b
     GROUP BY t) AS f
 GROUP BY outcome ORDER BY outcome;

-- churn_fit_terms keeps its state in a bytea (so that Citus can ship it):
-- tag "CVTE", int32 p, int32 pad, int64 n, then params [3p], scratch [p]
-- and the sums.  SQL reaches it through an aggregate of its own; the final
-- function checks what it is handed.
CREATE AGGREGATE pg_temp.terms_state(boolean, float8[], float8[]) (
    SFUNC = custvalue.churn_fit_terms_trans, STYPE = bytea);
CREATE TABLE public.terms_seed AS
SELECT pg_temp.terms_state(y, x, '{0.1,0.2,-0.3, 0,2,5, 1,1.5,3}') AS s,
       churn_fit_terms(y, x, '{0.1,0.2,-0.3, 0,2,5, 1,1.5,3}') AS terms
  FROM st_rows;
SELECT length(s) AS state_bytes, churn_fit_terms_final(s) = terms AS final_equals_aggregate,
       terms[1] AS n FROM terms_seed;
CREATE FUNCTION pg_temp.try_terms(s bytea) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    t float8[];
BEGIN
    t := custvalue.churn_fit_terms_final(s);
    IF t IS NULL THEN RETURN 'null'; END IF;
    IF t[1] >= 0 AND NOT (SELECT bool_or(v <> v) FROM unnest(t) v) THEN RETURN 'terms'; END IF;
    RETURN 'terms, INVALID';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END;
$$;
SELECT pg_temp.try_terms(m) AS outcome, count(*)
  FROM terms_seed, generate_series(0, length(s) - 1) AS pos,
       unnest(ARRAY[0, 255, get_byte(s, pos) # 1, get_byte(s, pos) # 128]) AS v,
       LATERAL (SELECT set_byte(s, pos, v) AS m) AS x
 GROUP BY 1 ORDER BY 1;
SELECT pg_temp.try_terms(substring(s FROM 1 FOR len)) AS outcome, count(*)
  FROM terms_seed, generate_series(0, length(s) - 1) AS len
 GROUP BY 1 ORDER BY 1;
DROP TABLE terms_seed;

-- Labels of every churn function and aggregate.
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict
  FROM pg_proc p
 WHERE p.pronamespace = 'custvalue'::regnamespace
   AND (p.proname LIKE 'churn%' OR p.proname LIKE 'sbg%' OR p.proname = 'tier_retention')
 ORDER BY p.oid::regprocedure::text;
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, p.proparallel
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
 WHERE p.pronamespace = 'custvalue'::regnamespace AND (p.proname LIKE 'churn%' OR p.proname LIKE 'sbg%')
 ORDER BY a.aggfnoid::regprocedure::text;
-- Every public churn object has a comment.
SELECT p.oid::regprocedure AS uncommented
  FROM pg_proc p
 WHERE p.pronamespace = 'custvalue'::regnamespace
   AND (p.proname LIKE 'churn%' OR p.proname LIKE 'sbg%' OR p.proname = 'tier_retention')
   AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT c.oid::regclass AS uncommented
  FROM pg_class c
 WHERE c.relnamespace = 'custvalue'::regnamespace AND c.relkind IN ('r', 'v')
   AND (c.relname LIKE '%churn%' OR c.relname = 'service_cancellation')
   AND obj_description(c.oid, 'pg_class') IS NULL;

DROP TABLE st_rows, st_seed, sbg_rows, sbg_seed;
