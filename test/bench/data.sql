-- The customers the benchmark runs over: :n customers from the demo
-- generator (custvalue.generate_demo) with seed :seed, materialised into
-- bench_profile so that every case reads a plain table, never a view.
-- Without the generator (or with bench.sh --synthetic) the profile is drawn
-- directly with generate_series, with spend and ARPU spread over all tiers.
CREATE SCHEMA bench;

SELECT to_regproc('custvalue.generate_demo') IS NOT NULL AND NOT :synthetic AS use_demo \gset
\if :use_demo
SELECT custvalue.generate_demo(:n, :seed);
CREATE TABLE bench_profile AS SELECT * FROM custvalue.customer_profile;
\else
SELECT setseed(1.0 / (1 + :seed));
CREATE TABLE bench_profile AS
SELECT g::bigint AS customer_id,
       (random() < 0.15) AS vip_card,
       (random() * 120)::int AS tenure_months,
       round((random() ^ 2 * 9000)::numeric, 2)::numeric(12,2) AS annual_spend,
       round((random() ^ 2 * 400)::numeric, 2)::numeric(12,2) AS monthly_arpu
  FROM generate_series(1, :n) AS g;
\endif
SELECT :'use_demo'::boolean AS demo_data, count(*) AS customers FROM bench_profile;
