-- Satisfaction views: the seed's monthly satisfaction series for
-- January–June 2009 (VIP 88, 90, 91, 93, 94, 96 %; mid/high-end 86, 89,
-- 89, 91, 92, 93 %) rebuilt from data shaped like it, the post-service
-- survey kept apart from it, target flags, and the per-channel and
-- per-manager views against plain SQL.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql

-- Ten gold-card customers (700 a month: 4200 a year), ten non-card A
-- customers (ARPU 250) and two C customers (ARPU 50), billed Jan–Jun 2009.
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on)
SELECT base + i, '139' || lpad((base + i)::text, 8, '0'), 'changsha', brand, card, '2005-01-01'
  FROM (VALUES (9100000, 'gotone', true, 10), (9200000, 'mzone', false, 10),
               (9300000, 'easyown', false, 2)) g(base, brand, card, n),
       generate_series(1, g.n) i;
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c.customer_id, m::date,
       CASE c.customer_id / 100000 WHEN 91 THEN 700 WHEN 92 THEN 250 ELSE 50 END
  FROM customer c, generate_series('2009-01-01'::date, '2009-06-01', '1 month') m
 WHERE c.customer_id BETWEEN 9100001 AND 9399999;
SELECT as_of_month(), tier, count(*)
  FROM customer_profile WHERE customer_id BETWEEN 9100001 AND 9399999
 GROUP BY tier ORDER BY tier DESC;

-- The monthly sample survey: 100 answers per group and month (no service
-- event) with the seed's satisfied counts, and three months of the C
-- customers around the 85 % target.
CREATE TABLE sat_series (base int, month date, satisfied int);
INSERT INTO sat_series
SELECT 9100000, ('2009-01-01'::date + make_interval(months => (i - 1)::int))::date, s
  FROM unnest(ARRAY[88, 90, 91, 93, 94, 96]) WITH ORDINALITY AS v(s, i)
UNION ALL
SELECT 9200000, ('2009-01-01'::date + make_interval(months => (i - 1)::int))::date, s
  FROM unnest(ARRAY[86, 89, 89, 91, 92, 93]) WITH ORDINALITY AS v(s, i)
UNION ALL
VALUES (9300000, '2009-03-01'::date, 84), (9300000, '2009-04-01', 60), (9300000, '2009-05-01', 85);
INSERT INTO survey_response (customer_id, answered_at, channel, satisfied)
SELECT s.base + 1 + k % (CASE WHEN s.base = 9300000 THEN 2 ELSE 10 END),
       s.month + interval '2 days' + k * interval '1 minute', 'phone', k < s.satisfied
  FROM sat_series s, generate_series(0, 99) k;

-- The post-service survey: 100 service events per month for the gold and
-- A customers, each followed by one SMS answer, 98 of them satisfied (the
-- first 98).  Events rotate over two phone managers, the hall and 10086.
WITH src AS (
    SELECT base + 1 + k % 10 AS customer_id,
           m + interval '1 day' + k * interval '1 minute' AS at,
           k < 98 AS satisfied,
           (ARRAY['phone_manager', 'phone_manager', 'hall', '10086'])[k % 4 + 1] AS channel,
           (ARRAY['PM01', 'PM02', NULL, NULL])[k % 4 + 1] AS manager
      FROM unnest(ARRAY[9100000, 9200000]) base,
           generate_series('2009-01-01'::date, '2009-06-01', '1 month') m,
           generate_series(0, 99) k
), ev AS (
    INSERT INTO service_event (customer_id, occurred_at, service_item, channel, manager)
    SELECT customer_id, at, 'hotline_priority', channel, manager FROM src
    RETURNING event_id, customer_id, occurred_at
)
INSERT INTO survey_response (customer_id, event_id, answered_at, channel, satisfied)
SELECT src.customer_id, ev.event_id, src.at + interval '1 hour', 'sms', src.satisfied
  FROM src JOIN ev ON ev.customer_id = src.customer_id AND ev.occurred_at = src.at;

-- Periodic survey answers of the gold customers with CSAT and NPS only:
-- CSAT 1,2,3,4,5,1,2,3,4,5 and NPS 0–9.
INSERT INTO survey_response (customer_id, answered_at, csat, nps)
SELECT 9100001 + k, '2009-06-15', k % 5 + 1, k FROM generate_series(0, 9) k;

SELECT survey, count(*) FROM satisfaction_answers
 WHERE customer_id BETWEEN 9100001 AND 9399999 GROUP BY survey ORDER BY survey;

-- The seed's series, month by month.
SELECT tier, month, responses, satisfied, satisfaction_pct,
       round(ci_low::numeric, 2) AS ci_low, round(ci_high::numeric, 2) AS ci_high,
       below_target
  FROM satisfaction_by_tier_month
 WHERE survey = 'sample' AND tier IN ('gold', 'a')
 ORDER BY tier DESC, month;

-- Exactly the seed's numbers.
SELECT tier, array_agg(satisfaction_pct ORDER BY month) AS series,
       array_agg(satisfaction_pct ORDER BY month) =
         CASE tier WHEN 'gold' THEN '{88,90,91,93,94,96}'::float8[]
                   ELSE '{86,89,89,91,92,93}'::float8[] END AS as_seed
  FROM satisfaction_by_tier_month
 WHERE survey = 'sample' AND tier IN ('gold', 'a') AND month BETWEEN '2009-01-01' AND '2009-06-01'
 GROUP BY tier ORDER BY tier DESC;

-- The post-service survey is kept apart: 98 % every month.
SELECT tier, array_agg(satisfaction_pct ORDER BY month) AS post_service
  FROM satisfaction_by_tier_month
 WHERE survey = 'post_service'
 GROUP BY tier ORDER BY tier DESC;

-- The same by the seed's segments.
SELECT segment, array_agg(satisfaction_pct ORDER BY month) AS series
  FROM satisfaction_by_segment_month
 WHERE survey = 'sample' AND segment IN ('vip', 'mid_high_end')
 GROUP BY segment ORDER BY segment DESC;

-- The target flags (sample survey of the C customers): 84 % is below the
-- 85 % target but its interval reaches above it; 60 % is below with its
-- whole interval; exactly 85 % is not below.
SELECT survey, tier, month, satisfaction_pct, round(ci_high::numeric, 2) AS ci_high,
       target_pct, below_target, significantly_below
  FROM satisfaction_by_tier_month WHERE tier = 'c' ORDER BY month;
SELECT survey, segment, month, below_target FROM satisfaction_by_segment_month
 WHERE segment = 'ordinary' ORDER BY month;

-- The target is policy: at 90 % the first months of both series fall below.
UPDATE satisfaction_policy SET target_pct = 90;
SELECT survey, tier, month, satisfaction_pct FROM satisfaction_by_tier_month
 WHERE below_target AND tier IN ('gold', 'a') ORDER BY tier DESC, month;
UPDATE satisfaction_policy SET target_pct = 85;

-- Per channel and per manager: post-service answers only (the sample
-- survey's channel 'phone' does not appear), against a plain-SQL count.
CREATE TEMP TABLE by_hand AS
SELECT e.channel, e.manager, date_trunc('month', r.answered_at)::date AS month,
       count(*) AS responses, count(*) FILTER (WHERE r.satisfied) AS satisfied
  FROM survey_response r JOIN service_event e USING (event_id)
 WHERE r.customer_id BETWEEN 9100001 AND 9399999 AND r.satisfied IS NOT NULL
 GROUP BY 1, 2, 3;
SELECT count(*) AS channel_rows_differing FROM (
    (SELECT channel, month, responses, satisfied FROM satisfaction_by_channel_month
     EXCEPT
     SELECT channel, month, sum(responses), sum(satisfied) FROM by_hand GROUP BY 1, 2)
    UNION ALL
    (SELECT channel, month, sum(responses), sum(satisfied) FROM by_hand GROUP BY 1, 2
     EXCEPT
     SELECT channel, month, responses, satisfied FROM satisfaction_by_channel_month)) d;
SELECT count(*) AS manager_rows_differing FROM (
    (SELECT channel, manager, month, responses, satisfied FROM satisfaction_by_manager_month
     EXCEPT
     SELECT channel, manager, month, responses, satisfied FROM by_hand WHERE manager IS NOT NULL)
    UNION ALL
    (SELECT channel, manager, month, responses, satisfied FROM by_hand WHERE manager IS NOT NULL
     EXCEPT
     SELECT channel, manager, month, responses, satisfied FROM satisfaction_by_manager_month)) d;
-- January 2009 per channel and per phone manager, by hand: the misses are
-- answers k = 98 and 99 of each group; the channel is k mod 4, so the hall
-- (k mod 4 = 2) and 10086 (3) miss one of 25 per group, the phone managers
-- none.
SELECT channel, responses, satisfied, round(satisfaction_pct::numeric, 2) AS pct
  FROM satisfaction_by_channel_month WHERE month = '2009-01-01' ORDER BY channel;
SELECT manager, responses, satisfied, round(satisfaction_pct::numeric, 2) AS pct
  FROM satisfaction_by_manager_month
 WHERE month = '2009-01-01' AND channel = 'phone_manager' ORDER BY manager;

-- Periodic CSAT and NPS of the gold customers: 4 of 10 answered 4 or 5
-- (40 %); NPS answers 0–9 give 1 promoter, 2 passives, 7 detractors: −60.
SELECT tier, (csat).satisfied, (csat).n, (csat).csat, (nps).promoters, (nps).passives,
       (nps).detractors, (nps).nps
  FROM satisfaction_indices_by_tier WHERE tier = 'gold';

-- A parallel plan gives the same view.
CREATE TEMP TABLE serial_view AS SELECT * FROM satisfaction_by_tier_month;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE TEMP TABLE parallel_view AS SELECT * FROM satisfaction_by_tier_month;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SELECT count(*) AS rows_differing FROM (
    (TABLE serial_view EXCEPT TABLE parallel_view)
    UNION ALL (TABLE parallel_view EXCEPT TABLE serial_view)) d;

SELECT pg_temp.drop_customers(9100001, 9399999);
DROP TABLE sat_series;
SELECT count(*) AS leftover_responses FROM survey_response WHERE customer_id BETWEEN 9100001 AND 9399999;
