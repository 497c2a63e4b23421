-- Dashboard 10: customers and revenue per tier, and brand x tier.
-- Run by test/demo.sh after the demo data is loaded; plain psql.
\pset footer off
\pset null '-'
CREATE TEMP TABLE dash_profile AS
SELECT p.*, p.tier IS NOT NULL AND custvalue.tier_is_card(p.tier) AS card_tier
  FROM custvalue.customer_profile p;

SELECT to_char(custvalue.as_of_month(), 'YYYY-MM') AS "as of month",
       count(*) AS customers,
       count(*) FILTER (WHERE status = 'active') AS active,
       count(*) FILTER (WHERE status = 'suspended') AS suspended,
       count(*) FILTER (WHERE status = 'churned') AS "churned in the year",
       round(sum(annual_spend) / 1e6, 1) AS "revenue, M yuan"
  FROM dash_profile;

\echo
\echo 'Customers and revenue per tier (annual spend = last 12 bills; ARPU = mean of last 3)'
SELECT tier,
       custvalue.tier_label_zh(tier) AS "等级",
       count(*) AS customers,
       to_char(100.0 * count(*) / sum(count(*)) OVER (), 'FM990.0') || ' %' AS share,
       round(sum(annual_spend) / 1e3) AS "revenue, k yuan",
       to_char(100.0 * sum(annual_spend) / sum(sum(annual_spend)) OVER (), 'FM990.0') || ' %' AS "revenue share",
       round(avg(annual_spend)) AS "avg annual spend",
       round(avg(monthly_arpu), 1) AS "avg ARPU",
       round(avg(tenure_months)) AS "avg tenure, months",
       to_char(100.0 * avg((tenure_months < 24)::int), 'FM990.0') || ' %' AS "tenure < 2 y",
       to_char(100.0 * avg((tenure_months >= 60)::int), 'FM990.0') || ' %' AS "tenure >= 5 y"
  FROM dash_profile
 GROUP BY tier
 ORDER BY tier DESC;

\echo
\echo 'Brand x tier (customers; card = holds a GoTone VIP card)'
SELECT brand || CASE WHEN vip_card THEN ' (card)' ELSE '' END AS brand,
       count(*) FILTER (WHERE custvalue.tier_rank(tier) = 5) AS diamond,
       count(*) FILTER (WHERE custvalue.tier_rank(tier) = 4) AS gold,
       count(*) FILTER (WHERE custvalue.tier_rank(tier) = 3) AS silver,
       count(*) FILTER (WHERE custvalue.tier_rank(tier) = 2) AS a,
       count(*) FILTER (WHERE custvalue.tier_rank(tier) = 1) AS b,
       count(*) FILTER (WHERE custvalue.tier_rank(tier) = 0) AS c,
       count(*) AS total,
       round(avg(monthly_arpu), 1) AS "avg ARPU"
  FROM dash_profile
 GROUP BY brand, vip_card
 ORDER BY vip_card DESC, brand;
