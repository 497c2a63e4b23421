-- test/citus/answers.sql — every aggregate and every BI view of custvalue
-- over the demo data, printed so that two databases can be compared line
-- by line (test/checks/citus.sh: one server against a Citus cluster).
-- Each answer is "label: row", rows sorted by their text; floats print
-- with 12 significant digits and the comparison allows a relative 1e-9
-- on every number, for float sums whose order differs between one server
-- and the shards.
\pset tuples_only on
\pset format unaligned
SET extra_float_digits = -3;
SET search_path = custvalue, ops, public;   -- ops: the ratings table of the check
SET TIME ZONE 'UTC';

-- aggregates (churn_fit without a penalty on four of the eleven features:
-- on this demo month the eleven are collinear)
SELECT 'cvf_scale: ' || t::text FROM (SELECT cvf_scale(revenue, tenure_months, credit_risk, tariff_share, bundles) FROM customer_value_inputs) t ORDER BY 1;
SELECT 'cvf_scale_state: ' || t::text FROM (SELECT cvf_scale_state(revenue, tenure_months, credit_risk, tariff_share, bundles) IS NOT NULL AS made FROM customer_value_inputs) t ORDER BY 1;
SELECT 'bill_value_summary_all: ' || t::text FROM (SELECT bill_value_summary(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve, '2009-01-01') FROM monthly_bill) t ORDER BY 1;
SELECT 'bill_value_summary_per_customer: ' || t::text FROM (SELECT customer_id, bill_value_summary(month, total_fee, data_fee, vas_fee, paid_late, arrears, cost_to_serve, '2009-01-01') FROM monthly_bill GROUP BY customer_id) t ORDER BY 1;
SELECT 'csat_bool: ' || t::text FROM (SELECT csat(satisfied) FROM survey_response) t ORDER BY 1;
SELECT 'csat_bool_by_channel: ' || t::text FROM (SELECT channel, csat(satisfied) FROM survey_response GROUP BY channel) t ORDER BY 1;
SELECT 'csat_policy: ' || t::text FROM (SELECT csat(csat) FROM survey_response) t ORDER BY 1;
SELECT 'csat_scale: ' || t::text FROM (SELECT csat(csat, 5, 4) FROM survey_response) t ORDER BY 1;
SELECT 'nps: ' || t::text FROM (SELECT channel, nps(nps) FROM survey_response GROUP BY channel) t ORDER BY 1;
SELECT 'csi: ' || t::text FROM (SELECT csi(r), csi(r, w), csi(r, 10), csi(r, w, 10) FROM rating) t ORDER BY 1;
SELECT 'servqual: ' || t::text FROM (SELECT servqual(p, e), servqual(p, e, 7) FROM rating) t ORDER BY 1;
SELECT 'ipa: ' || t::text FROM (SELECT ipa(i, perf), ipa(i, perf, 7) FROM rating) t ORDER BY 1;
SELECT 'churn_fit: ' || t::text FROM (SELECT churn_fit(c.churned_on IS NOT NULL, i.features[1:4]), churn_fit(c.churned_on IS NOT NULL, i.features, 1.0) FROM churn_inputs_at('2009-01-01') i JOIN customer c USING (customer_id) WHERE i.status <> 'churned') t ORDER BY 1;
SELECT 'churn_fit_state: ' || t::text FROM (SELECT churn_fit_state(c.churned_on IS NOT NULL, i.features) IS NOT NULL AS made FROM churn_inputs_at('2009-01-01') i JOIN customer c USING (customer_id)) t ORDER BY 1;
SELECT 'churn_fit_query: ' || t::text FROM (SELECT churn_fit_query($q$SELECT c.churned_on IS NOT NULL, i.features FROM custvalue.churn_inputs_at('2009-01-01') i JOIN custvalue.customer c USING (customer_id) WHERE i.status <> 'churned'$q$, 1.0)) t ORDER BY 1;
SELECT 'churn_eval: ' || t::text FROM (SELECT churn_auc(w.churn_probability, c.churned_on IS NOT NULL), churn_log_loss(w.churn_probability, c.churned_on IS NOT NULL), churn_lift(w.churn_probability, c.churned_on IS NOT NULL), churn_lift(w.score, c.churned_on IS NOT NULL, 0.2) FROM customer_churn_warning w JOIN customer c USING (customer_id)) t ORDER BY 1;
-- sbg_fit over the customers laid out as Fader and Hardie's (2007) high-end
-- cohort, three times over (customer_id % 1000 as the rank: survivors 1000,
-- 869, 743, 653, 593, 551, 517, 491; published alpha 0.668, beta 3.806)
SELECT 'sbg_fit: ' || t::text FROM (SELECT round((e).alpha::numeric, 3) AS alpha, round((e).beta::numeric, 3) AS beta, (e).customers FROM (SELECT sbg_fit(CASE WHEN r < 131 THEN 1 WHEN r < 257 THEN 2 WHEN r < 347 THEN 3 WHEN r < 407 THEN 4 WHEN r < 449 THEN 5 WHEN r < 483 THEN 6 WHEN r < 509 THEN 7 ELSE 7 END, r < 509) AS e FROM (SELECT customer_id % 1000 AS r FROM customer) c) f) t ORDER BY 1;
SELECT 'tier_min_max: ' || t::text FROM (SELECT region, min(tier), max(tier) FROM customer_profile GROUP BY region) t ORDER BY 1;

-- views a BI tool reads
SELECT 'customer_profile: ' || t::text FROM (SELECT * FROM customer_profile) t ORDER BY 1;
SELECT 'customer_scorecard: ' || t::text FROM (SELECT * FROM customer_scorecard) t ORDER BY 1;
SELECT 'customer_value_inputs: ' || t::text FROM (SELECT * FROM customer_value_inputs) t ORDER BY 1;
SELECT 'value_population: ' || t::text FROM (SELECT source, scale, customers, total_revenue, a_min_revenue, b_min_revenue, core_min_revenue, as_of_month FROM value_population) t ORDER BY 1;
SELECT 'tier_value_summary: ' || t::text FROM (SELECT * FROM tier_value_summary) t ORDER BY 1;
SELECT 'contribution_efficiency: ' || t::text FROM (SELECT * FROM contribution_efficiency) t ORDER BY 1;
SELECT 'tier_bands: ' || t::text FROM (SELECT * FROM tier_bands) t ORDER BY 1;
SELECT 'upgrade_offer: ' || t::text FROM (SELECT * FROM upgrade_offer) t ORDER BY 1;
SELECT 'tier_entitlements: ' || t::text FROM (SELECT * FROM tier_entitlements) t ORDER BY 1;
SELECT 'customer_entitlements: ' || t::text FROM (SELECT * FROM customer_entitlements) t ORDER BY 1;
SELECT 'customer_service_channel: ' || t::text FROM (SELECT * FROM customer_service_channel) t ORDER BY 1;
SELECT 'satisfaction_by_tier_month: ' || t::text FROM (SELECT * FROM satisfaction_by_tier_month) t ORDER BY 1;
SELECT 'satisfaction_by_channel_month: ' || t::text FROM (SELECT * FROM satisfaction_by_channel_month) t ORDER BY 1;
SELECT 'satisfaction_by_manager_month: ' || t::text FROM (SELECT * FROM satisfaction_by_manager_month) t ORDER BY 1;
SELECT 'satisfaction_by_segment_month: ' || t::text FROM (SELECT * FROM satisfaction_by_segment_month) t ORDER BY 1;
SELECT 'satisfaction_indices_by_tier: ' || t::text FROM (SELECT * FROM satisfaction_indices_by_tier) t ORDER BY 1;
SELECT 'customer_churn_inputs: ' || t::text FROM (SELECT * FROM customer_churn_inputs) t ORDER BY 1;
SELECT 'customer_churn_warning: ' || t::text FROM (SELECT * FROM customer_churn_warning) t ORDER BY 1;
SELECT 'tier_retention: ' || t::text FROM (SELECT * FROM tier_retention()) t ORDER BY 1;
SELECT 'churn_watchlist: ' || t::text FROM (SELECT * FROM churn_watchlist) t ORDER BY 1;
SELECT 'sla_compliance_by_tier_month: ' || t::text FROM (SELECT * FROM sla_compliance_by_tier_month) t ORDER BY 1;
SELECT 'work_orders_overdue_at: ' || t::text FROM (SELECT * FROM work_orders_overdue_at('2009-06-20 12:00+00')) t ORDER BY 1;
SELECT 'work_order_history: ' || t::text FROM (SELECT h.work_order_id, h.customer_id, h.changed_at, h.from_state, h.to_state, h.to_channel FROM work_order_history h) t ORDER BY 1;
SELECT 'churn_backtest: ' || t::text FROM (SELECT * FROM churn_backtest(3)) t ORDER BY 1;
