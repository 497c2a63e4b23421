-- The monthly cycle: run_month over a small demo (its own data model in
-- schema cycle, rebound to custvalue_data at the end): the history agrees
-- with the live views, each source is read once, a rerun replaces the month
-- exactly, tier review cadence and grace, call tasks without duplicates, and
-- the stored views (migration, tier changes, back-test, call outcomes).
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
SET client_min_messages = warning;
SELECT count(*) AS sources FROM create_data_model('cycle');
SELECT table_name, rows FROM generate_demo(400, 11) ORDER BY table_name;
RESET client_min_messages;
SELECT as_of_month();

-- Policy: basis and window per tier, cadence and grace (defaults: monthly,
-- no grace).
SELECT * FROM tier_review_rules;
SELECT pg_temp.expect_error($$UPDATE custvalue.tier_review SET review_every_months = 5 WHERE tier = 'gold'$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.tier_review SET downgrade_after_reviews = 0 WHERE tier = 'gold'$$);
SELECT pg_temp.expect_error($$DELETE FROM custvalue.tier_review WHERE tier = 'b'$$);
SELECT pg_temp.expect_error($$TRUNCATE custvalue.tier_review$$);

-- Bad calls.
SELECT pg_temp.expect_error($$CALL custvalue.run_month(NULL)$$);
SELECT pg_temp.expect_error($$CALL custvalue.run_month('2009-06-01', NULL)$$);
-- A month without bills fails once its inputs are known (the inputs stage's
-- NOTICE, with its time, is not shown).
SET client_min_messages = warning;
SELECT pg_temp.expect_error($$CALL custvalue.run_month('2031-01-01')$$);
RESET client_min_messages;
CREATE TABLE cycle.flat_history (LIKE cycle.customer_month);
SELECT bind_source('customer_month', 'cycle.flat_history') IS NOT NULL AS bound;
SELECT pg_temp.expect_error($$CALL custvalue.run_month('2009-06-01')$$);
SELECT bind_source('customer_month', 'cycle.customer_month') IS NOT NULL AS bound;
DROP TABLE cycle.flat_history;

-- Five months, in order.  NOTICEs carry timings: not shown here
-- (test/checks/monthly_cycle.sh reads them).
SET client_min_messages = warning;
CALL run_months('2009-02-01', '2009-06-01');
RESET client_min_messages;
SELECT month, customers, warned, tier_changes, call_tasks_opened,
       jsonb_path_query_array(stages, '$[*].stage') AS stages,
       jsonb_path_query_array(stages, '$[*].rows') AS stage_rows
  FROM month_run ORDER BY month;
SELECT c.relname AS partition, pg_get_expr(c.relpartbound, c.oid) AS bounds
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'cycle.customer_month'::regclass ORDER BY 1;

-- The stored month agrees with the live views computed at the same month:
-- tiers, spend, every CVF part, value class, CLV, warning, probability,
-- lifecycle; the book is every customer joined and not churned by then.
SELECT count(*) AS scorecard_rows,
       count(*) FILTER (WHERE h.customer_id IS NULL) AS missing,
       count(*) FILTER (WHERE (s.tier::text, s.revenue, s.tenure_months, s.revenue_score, s.tenure_score,
                               s.credit_score, s.tariff_score, s.bundle_score, s.cvf, s.value_class,
                               s.core_customer, s.net_value, s.monthly_margin, s.clv)
                          IS DISTINCT FROM
                              (h.earned_tier, h.annual_spend, h.tenure_months, h.revenue_score, h.tenure_score,
                               h.credit_score, h.tariff_score, h.bundle_score, h.cvf, h.value_class,
                               h.core_customer, h.net_value, h.monthly_margin, h.clv)) AS differ
  FROM customer_scorecard s
  LEFT JOIN customer_month h ON h.customer_id = s.customer_id AND h.month = '2009-06-01';
SELECT count(*) AS warning_rows,
       count(*) FILTER (WHERE (w.level::text, w.score, w.signals, w.churn_probability, w.lifecycle::text,
                               w.monthly_arpu, w.status)
                          IS DISTINCT FROM
                              (h.warning_level, h.warning_score, h.signals, h.churn_probability, h.lifecycle,
                               h.monthly_arpu, h.status)) AS differ
  FROM customer_churn_warning w
  JOIN customer_month h ON h.customer_id = w.customer_id AND h.month = '2009-06-01';
SELECT (SELECT count(*) FROM customer_churn_warning WHERE status <> 'churned') AS live_book,
       (SELECT count(*) FROM customer_month WHERE month = '2009-06-01') AS stored_book;
-- ... and an earlier month agrees with the churn inputs computed at it.
SELECT count(*) AS rows_2009_04,
       count(*) FILTER (WHERE (i.tenure_months, i.status) IS DISTINCT FROM (h.tenure_months, h.status)
                           OR (churn_warning(i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
                                             i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left,
                                             i.arrears, i.suspended, i.cancellations_30d)).signals
                              IS DISTINCT FROM h.signals) AS differ
  FROM churn_inputs_at('2009-04-01') i
  JOIN customer_month h ON h.customer_id = i.customer_id AND h.month = '2009-04-01';
-- The stored watchlist of the latest month is the live watchlist.
SELECT (SELECT array_agg(customer_id ORDER BY customer_id) FROM churn_watchlist)
     = (SELECT array_agg(customer_id ORDER BY customer_id) FROM watchlist_month WHERE month = '2009-06-01')
       AS same_watchlist;

-- Each source table is read once by a run (no call tasks here: opening one
-- checks its foreign keys, an index lookup of the customer per task).
SELECT pg_stat_force_next_flush();   -- counts start from zero below
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL client_min_messages = warning;
CALL run_month('2009-06-01', false);
SELECT relname, seq_scan + coalesce(idx_scan, 0) AS scans
  FROM pg_stat_xact_user_tables
 WHERE schemaname = 'cycle'
   AND relname IN ('customer', 'monthly_bill', 'bundle', 'complaint', 'survey_response',
                   'service_cancellation', 'churn_model_store', 'service_event', 'work_order')
 ORDER BY relname;
ROLLBACK;

-- A rerun replaces the month: the same data give the same rows, and no call
-- task or work order is opened twice.
CREATE TEMP TABLE before AS
SELECT (SELECT md5(string_agg(h::text, '|' ORDER BY h.customer_id)) FROM customer_month h
         WHERE h.month = '2009-05-01') AS may_md5,
       (SELECT count(*) FROM call_task) AS tasks,
       (SELECT count(*) FROM work_order) AS work_orders;
SET client_min_messages = warning;
CALL run_month('2009-05-01');
RESET client_min_messages;
SELECT (SELECT md5(string_agg(h::text, '|' ORDER BY h.customer_id)) FROM customer_month h
         WHERE h.month = '2009-05-01') = b.may_md5 AS same_rows,
       (SELECT count(*) FROM call_task) - b.tasks AS new_tasks,
       (SELECT count(*) FROM work_order) - b.work_orders AS new_work_orders,
       (SELECT call_tasks_opened FROM month_run WHERE month = '2009-05-01') AS opened_by_rerun,
       (SELECT count(*) FROM pg_class WHERE relname LIKE 'customer_month%new') AS staging_left
  FROM before b;
-- Other data give other rows; back to the same data, the same rows again.
UPDATE tier_policy SET min_amount = 150 WHERE tier = 'b';
SET client_min_messages = warning;
CALL run_month('2009-05-01', false);
RESET client_min_messages;
SELECT count(*) FILTER (WHERE tier = 'b') AS b_at_150 FROM customer_month WHERE month = '2009-05-01';
UPDATE tier_policy SET min_amount = 120 WHERE tier = 'b';
SET client_min_messages = warning;
CALL run_month('2009-05-01', false);
RESET client_min_messages;
SELECT count(*) FILTER (WHERE tier = 'b') AS b_at_120,
       md5(string_agg(h::text, '|' ORDER BY h.customer_id)) = (SELECT may_md5 FROM before) AS same_rows
  FROM customer_month h WHERE month = '2009-05-01';

-- Call tasks: one per watchlist customer and month, a work order on the
-- owning manager's channel, assigned to that manager, with the 24 h clock of
-- a request; red is major.
SELECT t.month, count(*) AS tasks,
       count(*) FILTER (WHERE w.channel = h.owner_channel AND w.assignee IS NOT DISTINCT FROM h.owner) AS to_owner,
       count(*) FILTER (WHERE w.respond_by - w.received_at = interval '24 hours') AS clock_24h,
       count(*) FILTER (WHERE (w.severity = 'major') = (t.warning_level = 'red')) AS severity_by_level,
       count(*) FILTER (WHERE w.service_item = 'retention_call' AND w.kind = 'request') AS retention_calls,
       (SELECT count(*) FROM watchlist_month wm WHERE wm.month = t.month) AS watchlist
  FROM call_task t
  JOIN work_order w USING (work_order_id)
  JOIN customer_month h ON h.month = t.month AND h.customer_id = t.customer_id
 GROUP BY t.month ORDER BY t.month;
SELECT owner_channel, count(*) FROM watchlist_month GROUP BY 1 ORDER BY 1;
SELECT * FROM call_task_outcome;

-- Tier changes and the migration matrix of the last month.
SELECT * FROM tier_migration WHERE month = '2009-06-01';
SELECT direction, from_tier, to_tier, count(*), min(entitlements_gained::text) AS gained,
       min(entitlements_lost::text) AS lost
  FROM tier_change WHERE month = '2009-06-01'
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- b -> a by hand: a adds nothing and removes nothing; the quantities change.
SELECT entitlements_gained, entitlements_lost, entitlements_changed
  FROM tier_change WHERE from_tier = 'b' AND to_tier = 'a' LIMIT 1;
SELECT month, tier, customers, upgraded_in, downgraded_in, held_by_review, warned
  FROM tier_month_summary WHERE month = '2009-06-01';

-- Grace.  A customer who earned one tier in April and a lower one in May
-- and June: with the default (no grace) they drop in May.
CREATE TEMP TABLE grace_case AS
SELECT a.customer_id FROM customer_month a
  JOIN customer_month b ON b.customer_id = a.customer_id AND b.month = '2009-05-01'
  JOIN customer_month c ON c.customer_id = a.customer_id AND c.month = '2009-06-01'
 WHERE a.month = '2009-04-01' AND a.earned_tier = a.tier
   AND tier_rank(b.earned_tier::tier) < tier_rank(a.tier::tier)
   AND b.earned_tier = c.earned_tier
 ORDER BY a.customer_id LIMIT 1;
SELECT h.month, h.earned_tier, h.tier, h.previous_tier, h.reviews_below
  FROM customer_month h JOIN pg_temp.grace_case g USING (customer_id)
 WHERE h.month >= '2009-04-01' ORDER BY h.month;
-- With two reviews below needed to drop, a customer who earns less
-- keeps the tier for one review, then drops; nobody drops in a month where
-- the previous run had not already counted one review below.
UPDATE tier_review SET downgrade_after_reviews = 2;
SET client_min_messages = warning;
CALL run_months('2009-02-01', '2009-06-01', false);
RESET client_min_messages;
SELECT h.month,
       count(*) FILTER (WHERE tier_rank(h.earned_tier::tier) < tier_rank(h.tier::tier)) AS held_above_earned,
       count(*) FILTER (WHERE tier_rank(h.earned_tier::tier) < tier_rank(h.tier::tier) AND h.reviews_below = 1) AS held_once,
       count(*) FILTER (WHERE tier_rank(h.tier::tier) < tier_rank(h.previous_tier::tier)) AS dropped,
       count(*) FILTER (WHERE tier_rank(h.tier::tier) < tier_rank(h.previous_tier::tier)
                          AND p.reviews_below = 1) AS dropped_after_one_held
  FROM customer_month h
  LEFT JOIN customer_month p ON p.customer_id = h.customer_id
                            AND p.month = (h.month - interval '1 month')::date
 GROUP BY h.month ORDER BY h.month;
-- One customer by hand, who earns a lower tier two months running: without
-- grace they drop at once (above), with grace 2 one month later.
SELECT h.month, h.earned_tier, h.tier, h.previous_tier, h.reviews_below
  FROM customer_month h JOIN pg_temp.grace_case g USING (customer_id)
 WHERE h.month >= '2009-04-01' ORDER BY h.month;
-- Cadence: reviewed only in January, February to June have no downgrade
-- at all; upgrades still happen.
UPDATE tier_review SET downgrade_after_reviews = 1, review_every_months = 12;
SET client_min_messages = warning;
CALL run_months('2009-02-01', '2009-06-01', false);
RESET client_min_messages;
SELECT month,
       count(*) FILTER (WHERE tier_rank(tier::tier) < tier_rank(previous_tier::tier)) AS downgrades,
       count(*) FILTER (WHERE tier_rank(tier::tier) > tier_rank(previous_tier::tier)) AS upgrades
  FROM customer_month GROUP BY month ORDER BY month;
UPDATE tier_review SET review_every_months = 1;
SET client_min_messages = warning;
CALL run_months('2009-02-01', '2009-06-01', false);
RESET client_min_messages;

-- The back-test from the stored warnings, recomputed here independently
-- from the history and the customers' churn dates.
SELECT month, level, warned, not_warned, warned_churned_1m, precision_1m, recall_1m, lift_1m,
       warned_churned_3m, precision_3m, recall_3m, lift_3m, complete_1m, complete_3m
  FROM warning_backtest ORDER BY month, array_position(ARRAY['yellow', 'orange', 'red'], level);
WITH o AS (
    SELECT h.month, h.warning_level IN ('orange', 'red') AS warned,
           c.churned_on > (h.month + interval '1 month' - interval '1 day')::date
           AND c.churned_on < (h.month + interval '4 months')::date AS churned
      FROM customer_month h JOIN customer c USING (customer_id)
)
SELECT b.month,
       count(*) FILTER (WHERE o.churned) AS churned_3m,
       b.precision_3m IS NOT DISTINCT FROM round(count(*) FILTER (WHERE o.warned AND o.churned)::numeric
                              / nullif(count(*) FILTER (WHERE o.warned), 0), 4) AS precision_agrees,
       b.recall_3m IS NOT DISTINCT FROM round(count(*) FILTER (WHERE o.warned AND o.churned)::numeric
                           / nullif(count(*) FILTER (WHERE o.churned), 0), 4) AS recall_agrees
  FROM warning_backtest b JOIN o USING (month)
 WHERE b.level = 'orange'
 GROUP BY b.month, b.precision_3m, b.recall_3m ORDER BY b.month;

-- Satisfaction per tier held, month by month.
SELECT survey, tier, month, answers, satisfied, satisfied_pct
  FROM satisfaction_by_held_tier_month WHERE survey = 'post_service' ORDER BY month, tier_rank(tier::tier) DESC;

-- The demo's dashboard section of the monthly cycle, pinned on this seed.
\i test/dashboard/60_monthly_cycle.sql

-- Progress: nothing is running; the complete runs with their stages.
SELECT month, state, jsonb_array_length(stages_done) AS stages FROM month_run_progress ORDER BY month;

-- Back to the shared data model.
SET client_min_messages = warning;
SELECT count(*) FROM (SELECT bind_source(d.source, format('custvalue_data.%I',
                                 CASE d.source WHEN 'customer_identity' THEN 'customer' ELSE d.source END)::regclass)
                        FROM data_source d) b;
DROP SCHEMA cycle CASCADE;
RESET client_min_messages;
