-- The customers the benchmark runs over: :n customers from the demo
-- generator (custvalue.generate_demo) with seed :seed, and their inputs
-- materialised from custvalue's own views into plain tables, so that every
-- case reads a table, never a view:
--   bench_profile        customer_profile + churned
--   bench_value_inputs   customer_value_inputs (CVF dimensions)
--   bench_churn_inputs   customer_churn_inputs (warning inputs, features)
--   bench_survey         survey_response (+ CSI ratings, which the
--                        reference model does not hold: drawn at random)
-- Without the generator (or with bench.sh --synthetic) the same tables are
-- drawn directly with generate_series, spread over all tiers and signals.
CREATE SCHEMA bench;

\if :use_demo
-- The demo goes into the reference tables of custvalue.create_data_model().
DO $$
BEGIN
    IF custvalue.source_relation('customer') IS NULL THEN
        PERFORM custvalue.create_data_model('custvalue_data');
    END IF;
END;
$$;
SELECT custvalue.generate_demo(:n, :seed);
CREATE TABLE bench_profile AS
SELECT p.*, p.status = 'churned' AS churned FROM custvalue.customer_profile AS p;
CREATE TABLE bench_value_inputs AS
SELECT customer_id, revenue, tenure_months, credit_risk, tariff_share, bundles
  FROM custvalue.customer_value_inputs;
CREATE TABLE bench_churn_inputs AS
SELECT i.*, i.status = 'churned' AS churned FROM custvalue.customer_churn_inputs AS i;
SELECT setseed(1.0 / (1 + :seed));
CREATE TABLE bench_survey AS
SELECT customer_id, satisfied, csat::int AS csat, nps::int AS nps,
       ARRAY[1 + floor(random() * 10), 1 + floor(random() * 10), 1 + floor(random() * 10)]::float8[] AS ratings
  FROM custvalue.survey_response;
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
CREATE TABLE bench_value_inputs AS
SELECT customer_id,
       annual_spend AS revenue,
       tenure_months,
       CASE WHEN random() < 0.7 THEN 0 ELSE floor(random() * 13) / 12 END AS credit_risk,
       CASE WHEN random() < 0.02 THEN NULL ELSE random() END AS tariff_share,
       floor(random() ^ 3 * 4)::bigint AS bundles
  FROM bench_profile;
CREATE TABLE bench_churn_inputs AS
SELECT i.*,
       ARRAY[greatest(0, least(1, coalesce(arpu_drop, 0))),
             greatest(0, least(1, coalesce(usage_drop, 0))),
             complaints_30d,
             tenure_months / 12.0,
             CASE WHEN nps < 7 THEN 1 ELSE 0 END,
             greatest(0, coalesce(satisfaction_drop, 0)),
             dissatisfied_30d,
             CASE WHEN bundle_days_left IS NULL THEN 0
                  ELSE greatest(0, 1 - bundle_days_left / 90.0) END,
             ln(1 + coalesce(arrears, 0)),
             CASE WHEN suspended THEN 1 ELSE 0 END,
             cancellations_30d]::float8[] AS features
  FROM (SELECT p.customer_id,
               CASE WHEN p.churned THEN 'churned' ELSE 'active' END AS status,
               p.churned,
               p.tenure_months,
               CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 0.6 - 0.1)::numeric, 4)::float8 END AS arpu_drop,
               CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 0.8 - 0.2)::numeric, 4)::float8 END AS usage_drop,
               floor(random() ^ 4 * 4)::int AS complaints_30d,
               CASE WHEN random() < 0.6 THEN NULL ELSE floor(random() * 11)::int END AS nps,
               CASE WHEN random() < 0.7 THEN NULL ELSE round((random() * 3 - 1)::numeric, 4)::float8 END AS satisfaction_drop,
               floor(random() ^ 4 * 2)::int AS dissatisfied_30d,
               CASE WHEN random() < 0.5 THEN NULL ELSE floor(random() * 400)::int END AS bundle_days_left,
               CASE WHEN random() < 0.9 THEN 0 ELSE round((random() * 300)::numeric, 2) END AS arrears,
               random() < 0.02 AS suspended,
               floor(random() ^ 6 * 2)::int AS cancellations_30d
          FROM bench_profile AS p) AS i;
CREATE TABLE bench_survey AS
SELECT customer_id,
       random() < 0.95 AS satisfied,
       CASE WHEN random() < 0.8 THEN 5 - floor(random() ^ 2 * 5)::int END AS csat,
       CASE WHEN random() < 0.8 THEN 10 - floor(random() ^ 2 * 11)::int END AS nps,
       ARRAY[1 + floor(random() * 10), 1 + floor(random() * 10), 1 + floor(random() * 10)]::float8[] AS ratings
  FROM bench_profile;
\endif
SELECT (SELECT count(*) FROM bench_profile) AS customers,
       (SELECT count(*) FROM bench_value_inputs) AS value_rows,
       (SELECT count(*) FROM bench_churn_inputs) AS churn_rows,
       (SELECT count(*) FROM bench_survey) AS survey_rows;
