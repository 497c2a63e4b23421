-- Dashboard: the monthly cycle — three months of history (run_month).
\echo
\echo '== Monthly cycle: the runs =='
SELECT month, customers, warned, tier_changes, call_tasks_opened
  FROM custvalue.month_run ORDER BY month;

\echo '== Monthly cycle: customers per tier held, month by month =='
SELECT month,
       sum(customers) FILTER (WHERE tier = 'diamond') AS diamond,
       sum(customers) FILTER (WHERE tier = 'gold') AS gold,
       sum(customers) FILTER (WHERE tier = 'silver') AS silver,
       sum(customers) FILTER (WHERE tier = 'a') AS a,
       sum(customers) FILTER (WHERE tier = 'b') AS b,
       sum(customers) FILTER (WHERE tier = 'c') AS c,
       sum(upgraded_in) AS upgrades, sum(downgraded_in) AS downgrades, sum(warned) AS warned
  FROM custvalue.tier_month_summary GROUP BY month ORDER BY month;

\echo '== Monthly cycle: tier migration into the latest month (rows: tier held before; NULL = new / churned) =='
SELECT coalesce(from_tier, '(new)') AS from_tier,
       sum(customers) FILTER (WHERE to_tier = 'diamond') AS diamond,
       sum(customers) FILTER (WHERE to_tier = 'gold') AS gold,
       sum(customers) FILTER (WHERE to_tier = 'silver') AS silver,
       sum(customers) FILTER (WHERE to_tier = 'a') AS a,
       sum(customers) FILTER (WHERE to_tier = 'b') AS b,
       sum(customers) FILTER (WHERE to_tier = 'c') AS c,
       sum(customers) FILTER (WHERE to_tier IS NULL) AS churned
  FROM custvalue.tier_migration
 WHERE month = (SELECT max(month) FROM custvalue.month_run)
 GROUP BY from_tier
 ORDER BY custvalue.tier_rank(from_tier::custvalue.tier) DESC NULLS FIRST;

\echo '== Monthly cycle: post-service satisfaction (% satisfied) per tier held, month by month =='
SELECT month,
       max(satisfied_pct) FILTER (WHERE tier = 'diamond') AS diamond,
       max(satisfied_pct) FILTER (WHERE tier = 'gold') AS gold,
       max(satisfied_pct) FILTER (WHERE tier = 'silver') AS silver,
       max(satisfied_pct) FILTER (WHERE tier = 'a') AS a,
       max(satisfied_pct) FILTER (WHERE tier = 'b') AS b,
       max(satisfied_pct) FILTER (WHERE tier = 'c') AS c,
       sum(answers) AS answers
  FROM custvalue.satisfaction_by_held_tier_month
 WHERE survey = 'post_service'
 GROUP BY month ORDER BY month;

\echo '== Monthly cycle: back-test of the stored warnings (orange and red; horizon complete?) =='
SELECT month, level, warned, not_warned, warned_churned_3m, not_warned_churned_3m,
       precision_3m, recall_3m, lift_3m, complete_3m
  FROM custvalue.warning_backtest
 WHERE level IN ('orange', 'red')
 ORDER BY month, level;

\echo '== Monthly cycle: call tasks and what became of them =='
SELECT * FROM custvalue.call_task_outcome;
