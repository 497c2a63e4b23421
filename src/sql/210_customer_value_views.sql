-- Customer value views (domain.md §2): the per-customer CVF inputs and the
-- population summary (scale and value-class thresholds, live or stored);
-- 211 chooses between them, 212 has the scorecard and the summaries.

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

