-- Churn warnings per customer, lifecycle state, retention per tier (sBG),
-- and the watchlist (domain.md §8), over custvalue.churn_inputs_at().

-- custvalue.customer_churn_inputs: 421_churn_inputs_at.sql, with churn_inputs_at().

-- The model the watchlist scores with starts as the design prior that
-- custvalue.create_data_model() stores (950_data_model.sql), until one is
-- fitted on the operator's own history by churn_train_watchlist_model()
-- (426).

-- churn_backtest(), the out-of-time check of the scorers: 427.


-- custvalue.tier_retention(): 424_tier_retention.sql (replaced by the 1.3 update).

CREATE VIEW @extschema@.customer_churn_warning WITH (security_invoker = true) AS
SELECT i.customer_id, p.region, p.tier, i.status, i.tenure_months,
       p.annual_spend, p.monthly_arpu,
       w.level, w.score, w.signals,
       s.p AS churn_probability,
       (CASE WHEN i.status = 'churned' THEN 'churned'
             WHEN w.level OPERATOR(pg_catalog.>=) 'orange'::@extschema@.warning_level
               OR s.p >= pol.alert_p THEN 'about_to_churn'
             WHEN i.tenure_months < pol.new_months THEN 'new'
             ELSE 'active' END)::@extschema@.lifecycle_state AS lifecycle
  FROM @extschema@.customer_churn_inputs i
  JOIN @extschema@.customer_profile p USING (customer_id)
  CROSS JOIN (SELECT @extschema@.setting('churn_alert_probability')::float8 AS alert_p,
                     @extschema@.setting('lifecycle_new_months')::int AS new_months) pol
  LEFT JOIN @extschema@.churn_model_store m ON m.name = 'watchlist'
  CROSS JOIN LATERAL @extschema@.churn_warning(
        i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
        i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
        i.suspended, i.cancellations_30d) w
  CROSS JOIN LATERAL (SELECT @extschema@.churn_probability(m.model, i.features) AS p) s;
COMMENT ON VIEW @extschema@.customer_churn_warning IS
'Every customer''s churn warning at custvalue.as_of_month(): level, score and fired signals (custvalue.churn_warning), probability under the ''watchlist'' model of custvalue.churn_model_store, and lifecycle state (churned; about_to_churn = orange/red or probability >= churn_alert_probability; new = tenure < lifecycle_new_months; else active).';

CREATE VIEW @extschema@.churn_watchlist WITH (security_invoker = true) AS
WITH retention AS (
    SELECT r.tier, r.alpha, r.beta FROM @extschema@.tier_retention() r
), pol AS (
    SELECT @extschema@.setting('churn_discount_rate')::float8 AS discount
), listed AS (
    SELECT w.*,
           (w.annual_spend * coalesce(@extschema@.sbg_derl(r.alpha, r.beta, pol.discount,
                                                           w.tenure_months / 12), 1))::numeric AS clv_raw
      FROM @extschema@.customer_churn_warning w
      CROSS JOIN pol
      LEFT JOIN retention r ON @extschema@.tier_rank(r.tier) = @extschema@.tier_rank(w.tier)
     WHERE @extschema@.tier_rank(w.tier) >= @extschema@.tier_rank('b')
       AND w.level OPERATOR(pg_catalog.>=) 'orange'::@extschema@.warning_level
       AND w.status <> 'churned'
)
SELECT l.customer_id, l.region, l.tier, l.lifecycle, l.level, l.score, l.signals,
       round(l.churn_probability::numeric, 4) AS churn_probability,
       l.annual_spend,
       round(l.clv_raw, 2) AS clv,
       round(round(l.clv_raw, 2) * l.churn_probability::numeric, 2) AS value_at_risk,
       te.suspension_warning_by AS owner_channel,
       CASE te.suspension_warning_by WHEN 'account_manager' THEN c.account_manager
                                     WHEN 'phone_manager' THEN c.phone_manager END AS owner
  FROM listed l
  JOIN @extschema@.customer c USING (customer_id)
  LEFT JOIN @extschema@.tier_entitlements te
         ON @extschema@.tier_rank(te.tier) = @extschema@.tier_rank(l.tier)
 ORDER BY value_at_risk DESC, l.customer_id;
COMMENT ON VIEW @extschema@.churn_watchlist IS
'Customers of tier b and above, not churned, with an orange or red churn warning, most value at risk first: value_at_risk = CLV x churn probability, CLV = annual spend x sBG discounted expected residual lifetime of their tier (custvalue.tier_retention; 1 year when the tier has no fit).  owner_channel: who makes the call, the tier''s suspension-warning channel from custvalue.tier_entitlements (domain.md §3: account manager for diamond and silver, phone manager for gold, a and b), and owner, that manager''s code.';
