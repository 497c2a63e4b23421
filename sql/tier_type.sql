-- The tier type: input, output, order, operators, indexes, binary I/O.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

-- Every spelling in, one spelling out.
SELECT t::tier AS tier
  FROM unnest(ARRAY['diamond', 'GOLD', 'Silver', 'a', 'B', 'c', '  gold  ',
                    '钻卡', '金卡', '银卡', 'A类', 'B类', 'C类', 'a类']) AS t;

-- Invalid input: 22P02, naming the value and the valid ones.

SELECT 'platinum'::tier;
SELECT ''::tier;
SELECT 'gold card'::tier;
SELECT '铜卡'::tier;
SELECT pg_temp.expect_error($$SELECT 'd'::custvalue.tier$$);

-- Total order diamond > gold > silver > a > b > c.
SELECT t, tier_rank(t), tier_label_zh(t), tier_is_card(t) FROM tiers() AS t;
SELECT array_agg(t ORDER BY t) AS ascending FROM tiers() AS t;
SELECT 'diamond'::tier > 'gold'::tier AS dg, 'gold'::tier > 'silver'::tier AS gs,
       'silver'::tier > 'a'::tier AS sa, 'a'::tier > 'b'::tier AS ab, 'b'::tier > 'c'::tier AS bc;

-- All six operators against every pair agree with the rank.
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (x = y) = (tier_rank(x) = tier_rank(y))
                          AND (x <> y) = (tier_rank(x) <> tier_rank(y))
                          AND (x < y) = (tier_rank(x) < tier_rank(y))
                          AND (x <= y) = (tier_rank(x) <= tier_rank(y))
                          AND (x > y) = (tier_rank(x) > tier_rank(y))
                          AND (x >= y) = (tier_rank(x) >= tier_rank(y))
                          AND sign(tier_cmp(x, y)) = sign(tier_rank(x) - tier_rank(y))) AS consistent
  FROM tiers() AS x, tiers() AS y;

SELECT max(t), min(t) FROM tiers() AS t;
SELECT max(t) IS NULL AS empty_max FROM tiers() AS t WHERE false;
SELECT tier_from_rank(3);
SELECT pg_temp.expect_error($$SELECT custvalue.tier_from_rank(6)$$);
SELECT pg_temp.expect_error($$SELECT custvalue.tier_from_rank(-1)$$);

-- Casts to and from text.
SELECT 'gold'::tier::text || '!' AS as_text, ('DIAMOND'::text)::tier AS from_text,
       ('b'::varchar)::tier AS from_varchar;
SELECT NULL::text::tier IS NULL AS null_stays_null;

-- Sorting, grouping, btree and hash indexes, hash joins.
CREATE TEMP TABLE tiered (id int, t tier);
INSERT INTO tiered SELECT i, tier_from_rank(i % 6) FROM generate_series(1, 600) i;
SELECT t, count(*) FROM tiered GROUP BY t ORDER BY t DESC;
CREATE INDEX tiered_btree ON tiered (t);
CREATE INDEX tiered_hash ON tiered USING hash (t);
ANALYZE tiered;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM tiered WHERE t >= 'gold';
SELECT count(*) FROM tiered WHERE t >= 'gold';
SET enable_indexscan = off;
SET enable_bitmapscan = on;
DROP INDEX tiered_btree;
EXPLAIN (COSTS OFF) SELECT count(*) FROM tiered WHERE t = 'a';
SELECT count(*) FROM tiered WHERE t = 'a';
RESET enable_seqscan;
RESET enable_indexscan;
RESET enable_bitmapscan;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM tiered x JOIN tiers() y ON x.t = y;
SELECT count(*) FROM tiered x JOIN tiers() y ON x.t = y;
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT count(DISTINCT t) FROM tiered;
CREATE TEMP TABLE tier_parts (t tier) PARTITION BY HASH (t);
CREATE TEMP TABLE tier_parts_0 PARTITION OF tier_parts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TEMP TABLE tier_parts_1 PARTITION OF tier_parts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO tier_parts SELECT t FROM tiered;
SELECT count(*) FROM tier_parts;

-- Binary send/receive round trip, and a bad byte on the wire.
SELECT tier_send(t) AS wire, t FROM tiers() AS t;
CREATE TEMP TABLE bin_copy (t tier);
SELECT current_setting('data_directory') || '/tier_type_test.bin' AS binfile \gset
COPY (SELECT t FROM tiers() AS t) TO :'binfile' WITH (FORMAT binary);
COPY bin_copy FROM :'binfile' WITH (FORMAT binary);
SELECT array_agg(t ORDER BY t DESC) FROM bin_copy;
-- One tuple with one one-byte field holding 7: not a tier (22P03).
SELECT pg_temp.expect_error($q$COPY bin_copy FROM PROGRAM $$printf 'PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0\0\1\0\0\0\1\7\377\377'$$ WITH (FORMAT binary)$q$);
