-- Money read in place (src/money.c): tier_of() compares whole fen read
-- straight from the numeric's on-disk form.  Check it against plain numeric
-- comparisons on amounts that stress that reading: both header forms, both
-- length-word sizes, compressed values, fractions of a fen, tiny and huge
-- weights, zero with a sign bit.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

CREATE TABLE money_amounts (label text, v numeric);
INSERT INTO money_amounts VALUES
    ('zero', 0), ('minus zero', '-0'), ('tiny', 1e-100), ('below a fen', 0.0099),
    ('one fen', 0.01), ('b - 1e-9', 119.999999999), ('b', 120), ('b + 1e-7', 120.0000001),
    ('a - half a fen', 199.995), ('a', 200), ('a, scale 100', round(200, 100)),
    ('silver - 1e-10', 2499.9999999999), ('silver', 2500.00), ('gold - 0.001', 3999.999),
    ('gold', 4000), ('diamond - 1e-3', 5999.999), ('diamond', 6000), ('diamond, scale 70', round(6000, 70)),
    ('1e4', 10000), ('max numeric(12,2)', 9999999999.99), ('1e12 - 1 fen', 999999999999.99),
    ('1e12', 1e12), ('1e20', 1e20), ('1e300', 1e300),
    ('6000 digits, compressed', (repeat('9', 6000) || '.5')::numeric);

-- The long numeric is stored compressed, the others inline with 1-byte
-- length words: both ways of reading are exercised.
SELECT label, pg_column_size(v) < 100 AS under_100_bytes, pg_column_compression(v) IS NOT NULL AS compressed
  FROM money_amounts WHERE label LIKE '%compressed' OR label = 'b';

-- Every amount, as a card holder's spend and as ARPU, against the numeric
-- comparisons of the policy's thresholds.
WITH ref AS (
    SELECT label, v,
           tier_of(v, 0, true) AS card_tier,
           tier_of(0, v, false) AS arpu_tier,
           CASE WHEN v >= 6000 THEN 'diamond' WHEN v >= 4000 THEN 'gold'
                WHEN v >= 2500 THEN 'silver' ELSE 'c' END AS card_expected,
           CASE WHEN v >= 200 THEN 'a' WHEN v >= 120 THEN 'b' ELSE 'c' END AS arpu_expected
      FROM money_amounts)
SELECT label, card_tier, arpu_tier,
       card_tier::text = card_expected AND arpu_tier::text = arpu_expected AS agrees
  FROM ref ORDER BY v, label;

-- The same amounts as literals (4-byte length words, never stored).
SELECT tier_of(2499.9999999999, 0, true) AS c, tier_of(round(2500, 80), 0, true) AS silver,
       tier_of(0, 199.999999999999999999, false) AS b, tier_of(1e-300, 1e-300, true) AS c2,
       tier_of(1e131071, 0, true) AS diamond;

-- Negative means below zero, in either header form; minus zero is zero.
SELECT left(pg_temp.expect_error(q), 70) FROM unnest(ARRAY[
    $$SELECT custvalue.tier_of(-1e-70, 100, true)$$,
    $$SELECT custvalue.tier_of(100, round(-0.01, 90), false)$$,
    $$SELECT custvalue.tier_of(100, '-Infinity', false)$$,
    $$SELECT custvalue.tier_of(-(repeat('9', 6000))::numeric, 100, true)$$]) AS q;
INSERT INTO money_amounts VALUES ('negative', -0.01);
SELECT pg_temp.expect_error($$SELECT custvalue.tier_of(v, 0, true) FROM public.money_amounts$$);

DROP TABLE money_amounts;
