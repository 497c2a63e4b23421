-- The customers the benchmark runs over: :n customers from the demo
-- generator (custvalue.generate_demo) with seed :seed, materialised into
-- bench_profile so that every case reads a plain table, never a view.
-- Without the generator (or with bench.sh --synthetic) the profile is drawn
-- directly with generate_series, with spend and ARPU spread over all tiers.
CREATE SCHEMA bench;

SELECT to_regproc('custvalue.generate_demo') IS NOT NULL AND NOT :synthetic AS use_demo \gset
\if :use_demo
SELECT custvalue.generate_demo(:n, :seed);
CREATE TABLE bench_profile AS
SELECT p.*, p.status = 'churned' AS churned FROM custvalue.customer_profile AS p;
\else
SELECT setseed(1.0 / (1 + :seed));
CREATE TABLE bench_profile AS
SELECT customer_id, vip_card, tenure_months, annual_spend, monthly_arpu,
       -- churn more likely for short tenure and low ARPU, as in domain.md §8
       random() < 1 / (1 + exp(1.0 + 0.03 * tenure_months - 0.002 * monthly_arpu::float8
                               + 0.5 * vip_card::int)) AS churned
  FROM (SELECT g::bigint AS customer_id,
               (random() < 0.15) AS vip_card,
               (random() * 120)::int AS tenure_months,
               round((random() ^ 2 * 9000)::numeric, 2)::numeric(12,2) AS annual_spend,
               round((random() ^ 2 * 400)::numeric, 2)::numeric(12,2) AS monthly_arpu
          FROM generate_series(1, :n) AS g) AS draw;
\endif
SELECT :'use_demo'::boolean AS demo_data, count(*) AS customers FROM bench_profile;
