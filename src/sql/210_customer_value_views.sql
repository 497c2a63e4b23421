-- Customer value views (domain.md §2): the per-customer CVF inputs, the
-- population summary (scale and value-class thresholds, live or stored),
-- revenue contribution efficiency by band, the customer scorecard and the
-- per-tier summary.

-- Settings of this concern (custvalue.setting; design defaults, see README).
INSERT INTO @extschema@.setting VALUES
    ('value_class_a_share', 0.80, 'share',
     'Pareto/ABC: class A is the smallest set of top-revenue customers that makes this share of revenue (seed 004: ~80 %).'),
    ('value_class_b_share', 0.95, 'share',
     'Pareto/ABC: classes A and B together make this share of revenue; the rest is class C.'),
    ('core_customer_share', 0.20, 'share',
     'Core customers: this share of customers with the highest revenue (seed 004: top ~20 %).'),
    ('clv_monthly_retention', 0.985, 'share',
     'Monthly retention used for CLV in customer_scorecard until a churn model supplies one (0.985/month = 83 % a year).'),
    ('clv_monthly_discount_rate', 0.008, 'rate',
     'Monthly discount rate for CLV (0.8 %/month = about 10 % a year).'),
    ('clv_horizon_months', 60, 'months',
     'CLV horizon in months (Infinity for the closed form); 5 years, the seed''s long-tenure mark.');

ALTER TABLE @extschema@.setting ADD CONSTRAINT setting_value_shares_valid CHECK (
    CASE name
        WHEN 'value_class_a_share' THEN value > 0 AND value <= 1
        WHEN 'value_class_b_share' THEN value > 0 AND value <= 1
        WHEN 'core_customer_share' THEN value >= 0 AND value <= 1
        WHEN 'clv_monthly_retention' THEN value >= 0 AND value <= 1
        WHEN 'clv_monthly_discount_rate' THEN value >= 0 AND value < 'Infinity'
        WHEN 'clv_horizon_months' THEN value >= 0 AND (value = 'Infinity' OR value = trunc(value))
        ELSE true
    END);

-- ARPU bands for revenue contribution efficiency (seed 000's table:
-- ≥ 500, 200–500, 120–200, < 120).  A band runs from its lower bound to the
-- next one.
CREATE TABLE @extschema@.value_arpu_band (
    min_arpu  numeric(12,2) PRIMARY KEY
                  CONSTRAINT value_arpu_band_min_arpu_range CHECK (min_arpu >= 0 AND min_arpu < 'Infinity')
);
COMMENT ON TABLE @extschema@.value_arpu_band IS
'Lower bounds (monthly ARPU, yuan) of the ARPU bands in custvalue.contribution_efficiency; each band ends at the next bound.  There must be a band starting at 0.';
INSERT INTO @extschema@.value_arpu_band VALUES (0), (120), (200), (500);

CREATE FUNCTION @extschema@.value_arpu_band_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.value_arpu_band WHERE min_arpu = 0) THEN
        RAISE EXCEPTION 'custvalue.value_arpu_band needs a band starting at 0'
            USING ERRCODE = 'check_violation',
                  DETAIL = 'Every ARPU from 0 up must fall into some band.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.value_arpu_band_validate() IS
'Constraint trigger of custvalue.value_arpu_band: the lowest band starts at 0.';
CREATE CONSTRAINT TRIGGER value_arpu_band_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.value_arpu_band
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.value_arpu_band_validate();
CREATE TRIGGER value_arpu_band_no_truncate BEFORE TRUNCATE ON @extschema@.value_arpu_band
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.value_arpu_band
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.value_arpu_band', '');

-- ---------------------------------------------------------------- inputs
-- One pass over the bills, with one C aggregate (src/value_bills.c) for
-- everything the inputs need from them.  revenue, monthly_arpu,
-- tenure_months and tier are defined exactly as in custvalue.customer_profile
-- (the test customer_value checks they agree); computing them here rather
-- than joining the profile saves a second aggregation of every bill.
CREATE TYPE @extschema@.bill_value_totals AS (
    billed_months  int,
    risk_months    int,
    arpu_months    int,
    costed_months  int,
    total_fee      numeric,
    arpu_fee       numeric,
    growth_share   float8,
    costed_margin  numeric
);
COMMENT ON TYPE @extschema@.bill_value_totals IS
'Result of custvalue.bill_value_summary(): months billed, months paid late or in arrears, months in the ARPU window, months with a known cost; total fee, fee in the ARPU window (yuan); share of the fees from data and value-added services (NULL when nothing was billed); fee minus cost over the months with a known cost.';

CREATE FUNCTION @extschema@.bill_summary_accum(internal, date, numeric, numeric, numeric, boolean, numeric, numeric, date)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_accum(internal, date, numeric, numeric, numeric, boolean, numeric, numeric, date) IS
'Transition function of custvalue.bill_value_summary().';
CREATE FUNCTION @extschema@.bill_summary_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_combine(internal, internal) IS
'Combine function of custvalue.bill_value_summary(): adds the counts and sums.';
CREATE FUNCTION @extschema@.bill_summary_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_serialize(internal) IS
'Serial function of custvalue.bill_value_summary().';
CREATE FUNCTION @extschema@.bill_summary_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_deserialize(bytea, internal) IS
'Deserial function of custvalue.bill_value_summary(); checks length and consistency (22P03).';
CREATE FUNCTION @extschema@.bill_summary_final(internal)
    RETURNS @extschema@.bill_value_totals AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_final(internal) IS
'Final function of custvalue.bill_value_summary().';

CREATE AGGREGATE @extschema@.bill_value_summary(month date, total_fee numeric, data_fee numeric,
        vas_fee numeric, paid_late boolean, arrears numeric, cost_to_serve numeric, arpu_from date) (
    SFUNC = @extschema@.bill_summary_accum,
    STYPE = internal,
    SSPACE = 64,
    FINALFUNC = @extschema@.bill_summary_final,
    COMBINEFUNC = @extschema@.bill_summary_combine,
    SERIALFUNC = @extschema@.bill_summary_serialize,
    DESERIALFUNC = @extschema@.bill_summary_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.bill_value_summary(date, numeric, numeric, numeric, boolean, numeric, numeric, date) IS
'A customer''s bills reduced to what custvalue.customer_value_inputs needs (custvalue.bill_value_totals), in one pass with exact integer-fen sums; months on or after arpu_from count to the ARPU window.  Rows without month or total_fee are skipped; negative or non-finite money is an error (22023).';

CREATE VIEW @extschema@.customer_value_inputs WITH (security_invoker = true) AS
WITH ref AS (
    SELECT r.month,
           r.month - make_interval(months => r.spend_months) AS spend_after,
           (r.month - make_interval(months => r.arpu_months - 1))::date AS arpu_from
      FROM (SELECT @extschema@.as_of_month() AS month,
                   @extschema@.setting('spend_window_months')::int AS spend_months,
                   @extschema@.setting('arpu_window_months')::int AS arpu_months) AS r
), bills AS (
    SELECT b.customer_id,
           @extschema@.bill_value_summary(b.month, b.total_fee, b.data_fee, b.vas_fee, b.paid_late,
                                          b.arrears, b.cost_to_serve, ref.arpu_from) AS t
      FROM @extschema@.monthly_bill b, ref
     WHERE b.month > ref.spend_after
       AND b.month <= ref.month
     GROUP BY b.customer_id
), active_bundles AS (
    SELECT u.customer_id, count(*) AS bundles
      FROM @extschema@.bundle u, ref
     WHERE u.started_on < ref.month + interval '1 month'
       AND u.ends_on > ref.month
     GROUP BY u.customer_id
)
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       @extschema@.tier_of(coalesce((bills.t).total_fee, 0)::numeric(12,2),
                           coalesce((bills.t).arpu_fee / nullif((bills.t).arpu_months, 0), 0)::numeric(12,2),
                           c.vip_card) AS tier,
       coalesce((bills.t).arpu_fee / nullif((bills.t).arpu_months, 0), 0)::numeric(12,2) AS monthly_arpu,
       coalesce((bills.t).total_fee, 0)::numeric(12,2) AS revenue,
       ((extract(year FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on)) * 12
         + extract(month FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on))))::int
         AS tenure_months,
       (bills.t).risk_months::float8 / (bills.t).billed_months AS credit_risk,
       (bills.t).growth_share AS tariff_share,
       coalesce(active_bundles.bundles, 0) AS bundles,
       CASE WHEN (bills.t).costed_months = (bills.t).billed_months THEN (bills.t).costed_margin END AS net_value,
       round((bills.t).costed_margin / nullif((bills.t).costed_months, 0), 2) AS monthly_margin
  FROM @extschema@.customer c
 CROSS JOIN ref
  LEFT JOIN bills USING (customer_id)
  LEFT JOIN active_bundles USING (customer_id)
 WHERE c.status <> 'churned';
COMMENT ON VIEW @extschema@.customer_value_inputs IS
'Per customer (not churned), the raw CVF dimensions over the spend window of custvalue.customer_profile: revenue = annual spend (yuan); tenure_months; credit_risk = share of billed months paid late or ending in arrears (NULL without bills); tariff_share = share of the bill from data and value-added services (NULL when nothing was billed); bundles = bundles active in the reference month.  Also net_value = revenue − cost to serve (seed 004; NULL unless every billed month has a cost) and monthly_margin = mean (bill − cost) over the months with a known cost.  revenue, monthly_arpu, tenure_months and tier are those of custvalue.customer_profile.';

-- ---------------------------------------------------------------- population
CREATE VIEW @extschema@.value_population_live WITH (security_invoker = true) AS
WITH i AS MATERIALIZED (
    SELECT v.revenue, v.tenure_months, v.credit_risk, v.tariff_share, v.bundles
      FROM @extschema@.customer_value_inputs v
), pol AS (
    SELECT @extschema@.setting('value_class_a_share') AS a_share,
           @extschema@.setting('value_class_b_share') AS b_share,
           @extschema@.setting('core_customer_share') AS core_share
), tot AS (
    SELECT @extschema@.cvf_scale(i.revenue, i.tenure_months, i.credit_risk, i.tariff_share, i.bundles) AS scale,
           count(*) AS customers,
           coalesce(sum(i.revenue), 0) AS total_revenue
      FROM i
), ranked AS (
    SELECT i.revenue,
           sum(i.revenue) OVER w - i.revenue AS before,
           row_number() OVER w AS rn
      FROM i
    WINDOW w AS (ORDER BY i.revenue DESC ROWS UNBOUNDED PRECEDING)
), thresholds AS (
    SELECT min(r.revenue) FILTER (WHERE r.before < pol.a_share * tot.total_revenue) AS a_min_revenue,
           min(r.revenue) FILTER (WHERE r.before < pol.b_share * tot.total_revenue) AS b_min_revenue,
           min(r.revenue) FILTER (WHERE r.rn <= ceil(pol.core_share * tot.customers)) AS core_min_revenue
      FROM ranked r, pol, tot
)
SELECT tot.scale, tot.customers, tot.total_revenue,
       thresholds.a_min_revenue, thresholds.b_min_revenue, thresholds.core_min_revenue,
       @extschema@.as_of_month() AS as_of_month,
       now() AS computed_at
  FROM tot, thresholds;
COMMENT ON VIEW @extschema@.value_population_live IS
'The population summary computed now from custvalue.customer_value_inputs: the CVF scale (aggregate custvalue.cvf_scale) and the revenue thresholds of value class A, class B and core customers (the revenue of the last customer, by descending revenue, needed to reach the setting''s share; customers tied with it are in).';

SELECT @extschema@.define_source('value_population_snapshot',
    'The stored population summary (at most one row), written by custvalue.refresh_value_population(); while it exists, scoring a customer reads it instead of scanning the population.',
    ARRAY['singleton boolean', 'scale @extschema@.cvf_scale', 'customers bigint', 'total_revenue numeric',
          'a_min_revenue numeric', 'b_min_revenue numeric', 'core_min_revenue numeric',
          'as_of_month date', 'computed_at timestamptz']);

CREATE VIEW @extschema@.value_population WITH (security_invoker = true) AS
SELECT 'snapshot'::text AS source, s.scale, s.customers, s.total_revenue, s.a_min_revenue,
       s.b_min_revenue, s.core_min_revenue, s.as_of_month, s.computed_at
  FROM @extschema@.value_population_snapshot s
UNION ALL
SELECT 'live', l.scale, l.customers, l.total_revenue, l.a_min_revenue,
       l.b_min_revenue, l.core_min_revenue, l.as_of_month, l.computed_at
  FROM @extschema@.value_population_live l
 WHERE NOT EXISTS (SELECT FROM @extschema@.value_population_snapshot);
COMMENT ON VIEW @extschema@.value_population IS
'The population summary CVF scoring uses: the stored snapshot if there is one (source = snapshot), else computed live (source = live).';

CREATE FUNCTION @extschema@.refresh_value_population()
    RETURNS @extschema@.value_population_snapshot
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    live record;
    result @extschema@.value_population_snapshot;
BEGIN
    SELECT * INTO live FROM @extschema@.value_population_live;
    DELETE FROM @extschema@.value_population_snapshot;
    INSERT INTO @extschema@.value_population_snapshot
        (scale, customers, total_revenue, a_min_revenue, b_min_revenue, core_min_revenue,
         as_of_month, computed_at)
    VALUES (live.scale, live.customers, live.total_revenue, live.a_min_revenue,
            live.b_min_revenue, live.core_min_revenue, live.as_of_month, live.computed_at)
    RETURNING * INTO result;
    RETURN result;
END;
$$;
COMMENT ON FUNCTION @extschema@.refresh_value_population() IS
'Recomputes the population summary (CVF scale, value-class thresholds) and stores it in custvalue.value_population_snapshot, so that scoring one customer reads one row instead of the population.  Run it after loading data; DELETE FROM custvalue.value_population_snapshot goes back to live computation.';

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
