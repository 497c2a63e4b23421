-- Dashboard: supervision — workload against capacity, and the voice of the customer.
\echo
\echo '== Supervision: the post-service survey programme per round (短信测评; seed: 5 rounds, 296 244 SMS, 98.48 % satisfied) =='
SELECT coalesce(round::text, 'all') AS round, label, sent, answered, response_rate, satisfied_pct
  FROM custvalue.survey_round_summary WHERE service_item IS NULL ORDER BY round NULLS LAST;

\echo '== Supervision: managers against capacity (custvalue.manager_capacity) =='
SELECT role, count(*) AS managers, sum(customers) AS customers, max(max_customers) AS capacity_each,
       round(avg(customers)) AS mean_customers, max(customers) AS most_customers,
       count(*) FILTER (WHERE overloaded) AS overloaded, round(max(load), 2) AS highest_load
  FROM custvalue.manager_workload GROUP BY role ORDER BY role;

\echo '== Supervision: the most loaded managers =='
SELECT role, manager, customers, max_customers, work_orders_per_day, open_sla_clocks, load
  FROM custvalue.manager_workload ORDER BY load DESC, manager LIMIT 5;

\echo '== Supervision: fewest moves to bring every manager under capacity (a proposal) =='
SELECT 'account_manager' AS role, count(*) AS moves, count(*) FILTER (WHERE same_region) AS within_region
  FROM custvalue.propose_customer_moves('account_manager')
UNION ALL
SELECT 'phone_manager', count(*), count(*) FILTER (WHERE same_region)
  FROM custvalue.propose_customer_moves('phone_manager');

\echo '== Supervision: manager scorecard of the latest stored month, best and worst of each role =='
WITH latest AS (
    SELECT * FROM custvalue.manager_scorecard WHERE month = (SELECT max(month) FROM custvalue.month_run)
)
SELECT role, manager, team, quality, perception, satisfaction, sla, retention, volume, score, team_rank
  FROM (SELECT l.*, row_number() OVER (PARTITION BY role ORDER BY score DESC NULLS LAST) AS best,
               row_number() OVER (PARTITION BY role ORDER BY score ASC NULLS LAST) AS worst
          FROM latest l) x
 WHERE best <= 2 OR worst <= 2
 ORDER BY role, score DESC NULLS LAST;

\echo '== Supervision: channels (work orders a day over the window, SLA clocks open) =='
SELECT channel, service_events, work_orders_per_day, open_sla_clocks, overloaded
  FROM custvalue.channel_workload ORDER BY work_orders_per_day DESC, channel;

\echo '== Supervision: needs, findings and suggestions, adoption per origin =='
SELECT * FROM custvalue.suggestion_adoption ORDER BY origin = 'all', origin, kind = 'all', kind;

\echo '== Supervision: service items a finding asked to evaluate again (the loop) =='
SELECT service_item, last_evaluated_on, requests, adopted_requests
  FROM custvalue.service_item_review_queue ORDER BY requests DESC, service_item LIMIT 8;

\echo '== Supervision: complaint rate (抱怨率) per tier held, month by month =='
SELECT month,
       max(complaints_per_1000) FILTER (WHERE tier = 'diamond') AS diamond,
       max(complaints_per_1000) FILTER (WHERE tier = 'gold') AS gold,
       max(complaints_per_1000) FILTER (WHERE tier = 'silver') AS silver,
       max(complaints_per_1000) FILTER (WHERE tier = 'a') AS a,
       max(complaints_per_1000) FILTER (WHERE tier = 'b') AS b,
       max(complaints_per_1000) FILTER (WHERE tier = 'c') AS c,
       sum(complaints) AS complaints
  FROM custvalue.complaint_rate GROUP BY month ORDER BY month;

\echo '== Supervision: top complaint themes of the latest month =='
SELECT category, complaints, share, rank, change
  FROM custvalue.complaint_themes
 WHERE month = (SELECT max(month) FROM custvalue.complaint_themes)
 ORDER BY rank, category LIMIT 5;

\echo '== Supervision: service recovery of the latest stored month, and repeat complainers =='
SELECT tier, complaints, unhandled, in_handling, resolved_unconfirmed, confirmed, not_confirmed,
       confirmation_rate, compensation, top_root_cause
  FROM custvalue.complaint_recovery
 WHERE month = (SELECT max(month) FROM custvalue.month_run)
 ORDER BY custvalue.tier_rank(tier::custvalue.tier) DESC;
SELECT count(*) AS repeat_complainers, max(complaints) AS most_complaints FROM custvalue.repeat_complainers;
