-- Dashboard: satisfaction (domain.md §7).  Runs on the demo data of
-- custvalue.generate_demo(); every query is cheap and prints nothing
-- surprising when a view is empty.
\echo
\echo '=== Satisfaction: post-service SMS survey, % satisfied per tier (last 6 months; * = below target) ==='
WITH months AS (
    SELECT DISTINCT month FROM custvalue.satisfaction_by_tier_month ORDER BY month DESC LIMIT 6
)
SELECT s.tier,
       custvalue.tier_label_zh(s.tier) AS label,
       sum(s.responses) AS answers,
       string_agg(to_char(s.month, 'YYYY-MM') || ' ' || to_char(s.satisfaction_pct, 'FM990.0')
                  || CASE WHEN s.below_target THEN '*' ELSE '' END, '  ' ORDER BY s.month) AS monthly_pct,
       round((100.0 * sum(s.satisfied) / nullif(sum(s.responses), 0))::numeric, 1) AS pct_6_months
  FROM custvalue.satisfaction_by_tier_month s
  JOIN months USING (month)
 GROUP BY s.tier
 ORDER BY s.tier DESC;

\echo '--- tier-months below the target (significantly = whole confidence interval below it) ---'
SELECT tier, month, responses, round(satisfaction_pct::numeric, 1) AS pct,
       round(ci_low::numeric, 1) AS ci_low, round(ci_high::numeric, 1) AS ci_high,
       target_pct, significantly_below
  FROM custvalue.satisfaction_by_tier_month
 WHERE below_target
 ORDER BY significantly_below DESC, satisfaction_pct
 LIMIT 10;

\echo '--- latest month per channel ---'
SELECT channel, responses, round(satisfaction_pct::numeric, 1) AS pct,
       round(ci_low::numeric, 1) AS ci_low, round(ci_high::numeric, 1) AS ci_high, below_target
  FROM custvalue.satisfaction_by_channel_month
 WHERE month = (SELECT max(month) FROM custvalue.satisfaction_by_channel_month)
 ORDER BY satisfaction_pct DESC;

\echo '--- phone managers, latest month: lowest five ---'
SELECT manager, responses, round(satisfaction_pct::numeric, 1) AS pct,
       round(ci_low::numeric, 1) AS ci_low, round(ci_high::numeric, 1) AS ci_high, below_target
  FROM custvalue.satisfaction_by_manager_month
 WHERE channel = 'phone_manager'
   AND month = (SELECT max(month) FROM custvalue.satisfaction_by_manager_month)
 ORDER BY satisfaction_pct, manager
 LIMIT 5;

\echo '--- periodic surveys: CSAT (top-2 box, %) and NPS per tier ---'
SELECT tier, (csat).n AS csat_answers, round((csat).csat::numeric, 1) AS csat_pct,
       (nps).n AS nps_answers, round((nps).nps::numeric, 1) AS nps,
       round((nps).ci_low::numeric, 1) AS nps_ci_low, round((nps).ci_high::numeric, 1) AS nps_ci_high
  FROM custvalue.satisfaction_indices_by_tier
 ORDER BY tier DESC;

\echo '--- service-item decisions (latest evaluation per item) ---'
SELECT item, round(awareness::numeric) AS aware, round(attractiveness::numeric) AS attract,
       round(convenience::numeric) AS conv, coverage, operability, offered, low_indicators
  FROM custvalue.service_item_decisions
 ORDER BY offered DESC, item;
