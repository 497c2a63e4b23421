-- Customer value views, continued (domain.md §2): revenue contribution
-- efficiency by band, the customer scorecard and the per-tier summary.

-- refresh_value_population(), which stores it: 213.

-- ---------------------------------------------------------------- efficiency
CREATE VIEW @extschema@.contribution_efficiency WITH (security_invoker = true) AS
WITH i AS (
    SELECT v.tier, v.monthly_arpu, v.revenue FROM @extschema@.customer_value_inputs v
), tot AS (
    SELECT count(*) AS customers, sum(i.revenue) AS revenue FROM i
), bands AS (
    SELECT b.min_arpu, lead(b.min_arpu) OVER (ORDER BY b.min_arpu) AS max_arpu,
           min(b.min_arpu) OVER () AS lowest
      FROM @extschema@.value_arpu_band b
), band_rows AS (
    SELECT 'arpu_band'::text AS grouping,
           CASE WHEN b.max_arpu IS NULL AND b.min_arpu = b.lowest THEN 'all'
                WHEN b.max_arpu IS NULL THEN '≥ ' || trim_scale(b.min_arpu)
                WHEN b.min_arpu = b.lowest THEN '< ' || trim_scale(b.max_arpu)
                ELSE trim_scale(b.min_arpu) || '–' || trim_scale(b.max_arpu) END AS band,
           b.min_arpu AS sort_key,
           count(i.revenue) AS customers,
           coalesce(sum(i.revenue), 0) AS revenue
      FROM bands b
      LEFT JOIN i ON NOT @extschema@.tier_is_card(i.tier)
                 AND i.monthly_arpu >= b.min_arpu
                 AND (b.max_arpu IS NULL OR i.monthly_arpu < b.max_arpu)
     GROUP BY b.min_arpu, b.max_arpu, b.lowest
    UNION ALL
    SELECT 'tier', t::text, @extschema@.tier_rank(t), count(i.revenue), coalesce(sum(i.revenue), 0)
      FROM @extschema@.tiers() AS t
      LEFT JOIN i ON i.tier = t
     GROUP BY t
)
SELECT r.grouping, r.band, r.customers,
       round(r.customers::numeric / nullif(tot.customers, 0), 4) AS customer_share,
       r.revenue,
       round(r.revenue / nullif(tot.revenue, 0), 4) AS revenue_share,
       round((r.revenue / nullif(tot.revenue, 0))
             / nullif(r.customers::numeric / nullif(tot.customers, 0), 0), 2) AS efficiency
  FROM band_rows r, tot
 ORDER BY r.grouping, r.sort_key DESC;
COMMENT ON VIEW @extschema@.contribution_efficiency IS
'Revenue contribution efficiency (收入贡献效率, seed 000) = a band''s share of revenue / its share of customers, over all customers of custvalue.customer_value_inputs: for the ARPU bands of custvalue.value_arpu_band (non-card tiers only, as in the seed) and for every tier.  Shares to 4 decimals, efficiency to 2; NULL where a share is undefined.';

-- ---------------------------------------------------------------- scorecard
CREATE VIEW @extschema@.customer_scorecard WITH (security_invoker = true) AS
WITH pol AS (
    SELECT @extschema@.setting('clv_monthly_retention')::float8 AS retention,
           @extschema@.setting('clv_monthly_discount_rate')::float8 AS discount,
           @extschema@.setting('clv_horizon_months')::float8 AS horizon
)
SELECT i.customer_id, i.region, i.brand, i.tier,
       i.revenue, i.tenure_months, i.credit_risk, i.tariff_share, i.bundles,
       round(s.revenue_score::numeric, 2) AS revenue_score,
       round(s.tenure_score::numeric, 2) AS tenure_score,
       round(s.credit_score::numeric, 2) AS credit_score,
       round(s.tariff_score::numeric, 2) AS tariff_score,
       round(s.bundle_score::numeric, 2) AS bundle_score,
       round(s.cvf::numeric, 2) AS cvf,
       CASE WHEN i.revenue >= p.a_min_revenue THEN 'A'
            WHEN i.revenue >= p.b_min_revenue THEN 'B'
            ELSE 'C' END AS value_class,
       coalesce(i.revenue >= p.core_min_revenue, false) AS core_customer,
       i.net_value,
       i.monthly_margin,
       round(@extschema@.clv(i.monthly_margin, pol.retention, pol.discount, pol.horizon)::numeric, 2) AS clv
  FROM @extschema@.customer_value_inputs i
 CROSS JOIN (SELECT * FROM @extschema@.value_population LIMIT 1) p  -- one row: tell the planner
 CROSS JOIN pol
 CROSS JOIN LATERAL @extschema@.cvf_score(p.scale, i.revenue, i.tenure_months, i.credit_risk,
                                          i.tariff_share, i.bundles) AS s;
COMMENT ON VIEW @extschema@.customer_scorecard IS
'Per customer: tier, the raw CVF dimensions, the five CVF sub-scores and composite cvf (0–100, custvalue.cvf_score against custvalue.value_population), value class A/B/C (Pareto on revenue), core_customer (top core_customer_share by revenue), net value, monthly margin and CLV (custvalue.clv with the clv_* settings; NULL without cost data).';

CREATE VIEW @extschema@.tier_value_summary WITH (security_invoker = true) AS
WITH per_tier AS (
    SELECT t AS tier,
           count(sc.customer_id) AS customers,
           coalesce(sum(sc.revenue), 0) AS revenue,
           round(avg(sc.cvf), 2) AS mean_cvf,
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.cvf))::numeric, 2) AS median_cvf,
           count(*) FILTER (WHERE sc.value_class = 'A') AS class_a,
           count(*) FILTER (WHERE sc.core_customer) AS core_customers
      FROM @extschema@.tiers() AS t
      LEFT JOIN @extschema@.customer_scorecard sc ON sc.tier = t
     GROUP BY t
), tot AS (
    SELECT sum(customers) AS customers, sum(revenue) AS revenue FROM per_tier
)
SELECT p.tier, p.customers,
       round(p.customers / nullif(tot.customers, 0), 4) AS customer_share,
       p.revenue,
       round(p.revenue / nullif(tot.revenue, 0), 4) AS revenue_share,
       round((p.revenue / nullif(tot.revenue, 0)) / nullif(p.customers / nullif(tot.customers, 0), 0), 2)
           AS contribution_efficiency,
       p.mean_cvf, p.median_cvf, p.class_a, p.core_customers
  FROM per_tier p, tot
 ORDER BY p.tier DESC;
COMMENT ON VIEW @extschema@.tier_value_summary IS
'Per tier: customers, customer and revenue share, revenue contribution efficiency (revenue share / customer share), mean and median CVF, and how many customers are in value class A and core.';
