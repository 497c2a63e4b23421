-- Dashboard 30: satisfaction per tier, channel and phone manager (domain.md §7).
-- Runs on the demo data of custvalue.generate_demo(); plain psql.
\echo
-- customer_profile (the tiers) is the costly part: read the tier view once.
CREATE TEMP TABLE dash_satisfaction AS SELECT * FROM custvalue.satisfaction_by_tier_month;

\echo '=== Satisfaction per tier: monthly sample survey, % satisfied (last 6 months; * = below target) ==='
\echo '    and the post-service SMS survey over the same months'
WITH months AS (
    SELECT DISTINCT month FROM dash_satisfaction ORDER BY month DESC LIMIT 6
), t AS (
    SELECT s.* FROM dash_satisfaction s JOIN months USING (month)
)
SELECT t.tier,
       custvalue.tier_label_zh(t.tier) AS label,
       sum(t.responses) FILTER (WHERE t.survey = 'sample') AS sample_answers,
       string_agg(to_char(t.month, 'YYYY-MM') || ' ' || to_char(t.satisfaction_pct, 'FM990.0')
                  || CASE WHEN t.below_target THEN '*' ELSE '' END, '  ' ORDER BY t.month)
           FILTER (WHERE t.survey = 'sample') AS sample_monthly_pct,
       sum(t.responses) FILTER (WHERE t.survey = 'post_service') AS post_service_answers,
       round((100.0 * sum(t.satisfied) FILTER (WHERE t.survey = 'post_service')
              / nullif(sum(t.responses) FILTER (WHERE t.survey = 'post_service'), 0))::numeric, 1)
           AS post_service_pct
  FROM t
 GROUP BY t.tier
 ORDER BY t.tier DESC;

\echo '--- the seed''s segments, sample survey, % satisfied per month (seed 2009: VIP 88 90 91 93 94 96, mid/high-end 86 89 89 91 92 93) ---'
WITH months AS (
    SELECT DISTINCT month FROM dash_satisfaction ORDER BY month DESC LIMIT 6
)
SELECT segment,
       string_agg(to_char(month, 'YYYY-MM') || ' ' || to_char(pct, 'FM990.0'), '  ' ORDER BY month) AS monthly_pct
  FROM (SELECT custvalue.tier_segment(s.tier) AS segment, s.month,
               100.0 * sum(s.satisfied) / sum(s.responses) AS pct
          FROM dash_satisfaction s JOIN months USING (month)
         WHERE s.survey = 'sample'
         GROUP BY 1, 2) g
 GROUP BY segment
 ORDER BY min(CASE segment WHEN 'vip' THEN 1 WHEN 'mid_high_end' THEN 2 ELSE 3 END);

\echo '--- tier-months of the last 6 months below the target (significantly = whole confidence interval below it) ---'
SELECT survey, tier, month, responses, round(satisfaction_pct::numeric, 1) AS pct,
       round(ci_low::numeric, 1) AS ci_low, round(ci_high::numeric, 1) AS ci_high,
       target_pct, significantly_below
  FROM dash_satisfaction
 WHERE below_target
   AND month > (SELECT max(month) FROM dash_satisfaction) - interval '6 months'
 ORDER BY significantly_below DESC, satisfaction_pct
 LIMIT 10;

\echo '--- post-service survey, latest month, per service channel ---'
SELECT channel, responses, round(satisfaction_pct::numeric, 1) AS pct,
       round(ci_low::numeric, 1) AS ci_low, round(ci_high::numeric, 1) AS ci_high, below_target
  FROM custvalue.satisfaction_by_channel_month
 WHERE month = (SELECT max(month) FROM custvalue.satisfaction_by_channel_month)
 ORDER BY satisfaction_pct DESC;

\echo '--- post-service survey, latest month: the five lowest phone managers ---'
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

SELECT EXISTS (SELECT FROM custvalue.service_item_evaluation) AS have_evaluations \gset
\if :have_evaluations
\echo '--- service-item decisions (latest evaluation per item) ---'
SELECT item, round(awareness::numeric) AS aware, round(attractiveness::numeric) AS attract,
       round(convenience::numeric) AS conv, coverage, operability, offered, low_indicators
  FROM custvalue.service_item_decisions
 ORDER BY offered DESC, item;
\else
\echo '--- service-item decisions: no evaluations loaded; the seed''s 17 VIP services, each grade at its band''s middle (low 25, medium 63, high 88) ---'
SELECT g.no, g.item, g.grades, a.offered, g.seed_offered
  FROM (VALUES (1, '营业厅优先办理', '高高强弱高', false), (2, '10086服务热线优先接入', '高高强强高', true),
               (3, '机场贵宾厅服务', '高高强弱低', false), (4, '停机关怀服务', '高高强强高', true),
               (5, '免预存话费开通国际长途/漫游', '低高强强中', false), (6, '火车站贵宾厅服务', '高高强弱中', false),
               (7, '国际漫游租机服务', '低低强强低', false), (8, '个人客户经理服务', '高高强弱低', false),
               (9, '生日关怀服务', '高高中强高', true), (10, '终端服务', '低高强强高', false),
               (11, 'SIM卡服务', '高高强强高', true), (12, '全球通VIP大讲堂', '高高中强中', true),
               (13, '《全球通》杂志', '高低弱强低', false), (14, '高尔夫俱乐部服务', '高低弱强低', false),
               (15, '联盟商家服务', '中高强强高', true), (16, '健康服务', '低高强强中', false),
               (17, '车友俱乐部服务', '中高强强中', true)) AS g(no, item, grades, seed_offered),
       LATERAL (SELECT array_agg(CASE WHEN c IN ('高', '强') THEN 88 WHEN c = '中' THEN 63 ELSE 25 END
                                 ORDER BY i) AS score
                  FROM unnest(string_to_array(g.grades, NULL)) WITH ORDINALITY AS u(c, i)) sc,
       LATERAL custvalue.service_item_evaluate(sc.score[1], sc.score[2], sc.score[3], 100,
                                               sc.score[4], sc.score[5]) a
 ORDER BY g.no;
\endif

DROP TABLE dash_satisfaction;
