-- Dashboard: churn warnings (domain.md §8).
\echo
\echo '== Churn: warning levels per tier (customers not churned) =='
SELECT w.tier,
       count(*) AS customers,
       count(*) FILTER (WHERE w.level = 'yellow') AS yellow,
       count(*) FILTER (WHERE w.level = 'orange') AS orange,
       count(*) FILTER (WHERE w.level = 'red') AS red,
       round(avg(w.churn_probability)::numeric, 3) AS mean_p
  FROM custvalue.customer_churn_warning w
 WHERE w.status <> 'churned'
 GROUP BY w.tier
 ORDER BY custvalue.tier_rank(w.tier) DESC;

\echo '== Churn: lifecycle states =='
SELECT lifecycle, count(*) AS customers
  FROM custvalue.customer_churn_warning GROUP BY lifecycle ORDER BY lifecycle;

\echo '== Churn: signals that fire most (customers not churned) =='
SELECT s.signal, count(*) AS customers
  FROM custvalue.customer_churn_warning w, jsonb_object_keys(w.signals) AS s(signal)
 WHERE w.status <> 'churned'
 GROUP BY s.signal ORDER BY count(*) DESC, s.signal;

\echo '== Churn: sBG retention per tier (one period = one year) =='
SELECT tier, customers, churned, round(alpha::numeric, 3) AS alpha, round(beta::numeric, 3) AS beta,
       round(retention_next_year::numeric, 3) AS r1, round(derl_new::numeric, 2) AS derl_years, note
  FROM custvalue.tier_retention();

\echo '== Churn: watchlist head (tier b and up, orange/red, most value at risk first) =='
SELECT customer_id, tier, level, lifecycle, churn_probability AS p, clv, value_at_risk,
       owner_channel, owner, signals
  FROM custvalue.churn_watchlist
 LIMIT 10;

\echo '== Churn: model scoring the watchlist =='
SELECT name, (custvalue.churn_model_info(model)).n AS trained_rows, trained_at::date, note
  FROM custvalue.churn_model_store WHERE name = 'watchlist';

\echo '== Churn: back-test over the last 3 months (inputs 3 months ago, who churned since) =='
SELECT scorer, customers, churners, round(auc::numeric, 3) AS auc,
       round(log_loss::numeric, 4) AS log_loss, round(lift_top_decile::numeric, 2) AS lift_top_decile
  FROM custvalue.churn_backtest(3);
