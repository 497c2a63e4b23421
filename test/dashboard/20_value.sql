-- Dashboard: customer value (domain.md §2): the population scale, value by
-- tier and band, Pareto value classes and the most valuable customers.
\echo '== Customer value: storing the population scale (custvalue.refresh_value_population) =='
SELECT customers, total_revenue, a_min_revenue, b_min_revenue, core_min_revenue, as_of_month
  FROM custvalue.refresh_value_population();

\echo '== Population scale per CVF dimension (custvalue.value_population) =='
SELECT dimension, n, round(p50::numeric, 2) AS p50, round(p95::numeric, 2) AS p95,
       round(max::numeric, 2) AS max
  FROM custvalue.cvf_scale_summary((SELECT scale FROM custvalue.value_population));

\echo '== Value by tier (custvalue.tier_value_summary) =='
SELECT tier, customers, customer_share, revenue_share, contribution_efficiency AS efficiency,
       mean_cvf, median_cvf, class_a, core_customers
  FROM custvalue.tier_value_summary;

\echo '== Revenue contribution efficiency by band (custvalue.contribution_efficiency; seed: >=500: 13, 200-500: 4.7, 120-200: 2.7, <120: 1.6; diamond 8.5, gold 5.4, silver 4.2) =='
SELECT grouping, band, customers, customer_share, revenue_share, efficiency
  FROM custvalue.contribution_efficiency;

\echo '== Pareto value classes (custvalue.customer_scorecard) =='
SELECT value_class, count(*) AS customers,
       round(sum(revenue) / nullif(sum(sum(revenue)) OVER (), 0), 3) AS revenue_share,
       round(avg(cvf), 1) AS mean_cvf, count(*) FILTER (WHERE core_customer) AS core
  FROM custvalue.customer_scorecard GROUP BY value_class ORDER BY value_class;

\echo '== Ten most valuable customers by CVF =='
SELECT customer_id, tier, revenue, tenure_months AS tenure, revenue_score AS rev, tenure_score AS ten,
       credit_score AS cred, tariff_score AS tariff, bundle_score AS bund, cvf, value_class AS class, clv
  FROM custvalue.customer_scorecard ORDER BY cvf DESC NULLS LAST, customer_id LIMIT 10;
