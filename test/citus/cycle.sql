-- test/citus/cycle.sql — the monthly cycle's stored months and the views a
-- BI tool reads over them, printed like answers.sql so that one server and
-- a Citus cluster can be compared line by line after the same
-- custvalue.run_month() calls.  Timestamps of the run itself (started,
-- finished, stage seconds) and work-order ids differ by nature and are
-- left out.
\pset tuples_only on
\pset format unaligned
SET extra_float_digits = -3;
SET search_path = custvalue, public;
SET TIME ZONE 'UTC';

SELECT 'customer_month: ' || t::text FROM (SELECT * FROM customer_month) t ORDER BY 1;
SELECT 'month_run: ' || t::text FROM (SELECT month, customers, warned, tier_changes, call_tasks_opened FROM month_run) t ORDER BY 1;
SELECT 'call_task: ' || t::text FROM (SELECT month, customer_id, warning_level FROM call_task) t ORDER BY 1;
SELECT 'call_task_order: ' || t::text FROM (SELECT t.month, w.customer_id, w.tier, w.service_item, w.channel, w.severity, w.assignee, w.summary, w.state FROM call_task t JOIN work_order w USING (customer_id, work_order_id)) t ORDER BY 1;
SELECT 'customer_month_latest: ' || t::text FROM (SELECT * FROM customer_month_latest) t ORDER BY 1;
SELECT 'tier_change: ' || t::text FROM (SELECT * FROM tier_change) t ORDER BY 1;
SELECT 'tier_migration: ' || t::text FROM (SELECT * FROM tier_migration) t ORDER BY 1;
SELECT 'tier_month_summary: ' || t::text FROM (SELECT * FROM tier_month_summary) t ORDER BY 1;
SELECT 'watchlist_month: ' || t::text FROM (SELECT month, customer_id, region, tier, lifecycle, warning_level, warning_score, signals, churn_probability, annual_spend, spend_at_risk, owner_channel, owner, work_order_state, respond_by IS NOT NULL AS has_sla, responded_at FROM watchlist_month) t ORDER BY 1;
SELECT 'warning_backtest: ' || t::text FROM (SELECT * FROM warning_backtest) t ORDER BY 1;
SELECT 'satisfaction_by_held_tier_month: ' || t::text FROM (SELECT * FROM satisfaction_by_held_tier_month) t ORDER BY 1;
