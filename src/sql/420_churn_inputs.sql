-- Churn inputs (domain.md §8): the settings of the churn concern, the
-- cancellations source, the lifecycle type and the model's feature names;
-- the inputs themselves are custvalue.churn_inputs_at() (421).

INSERT INTO @extschema@.setting VALUES
    ('churn_baseline_months', 3, 'months',
     'Months before the reference month whose average bill and usage the arpu_drop and usage_drop churn signals compare last month with.'),
    ('lifecycle_new_months', 6, 'months',
     'A customer with less tenure than this is in lifecycle state "new" (seed 002 names new / active / about to churn / churned; the length is a design default).'),
    ('churn_alert_probability', 0.5, 'probability',
     'Model churn probability from which a customer is "about to churn" even without an orange or red warning.'),
    ('churn_discount_rate', 0.10, 'per year',
     'Annual discount rate for the discounted expected residual lifetime (sBG DERL) behind customer lifetime value in the churn watchlist.');

-- Cancellations are a churn signal the reference model had no table for.
SELECT @extschema@.define_source('service_cancellation',
    'Services or value-added products a customer unsubscribed from or cancelled (退订): a churn signal (domain.md §8).',
    ARRAY['cancellation_id bigint', 'customer_id bigint', 'cancelled_at timestamptz', 'service text']);

CREATE TYPE @extschema@.lifecycle_state AS ENUM ('new', 'active', 'about_to_churn', 'churned');
COMMENT ON TYPE @extschema@.lifecycle_state IS
'Customer lifecycle (seed 002): new -> active -> about to churn -> churned.';

-- Names of the model features in custvalue.churn_inputs_at().features.
CREATE FUNCTION @extschema@.churn_feature_names() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['arpu_drop', 'usage_drop', 'complaints_30d', 'tenure_years', 'detractor',
                 'satisfaction_drop', 'dissatisfied_30d', 'bundle_end_proximity', 'log_arrears',
                 'suspended', 'cancellations_30d'];
COMMENT ON FUNCTION @extschema@.churn_feature_names() IS
'Names of the churn model features that custvalue.churn_inputs_at() builds, in order: drops clipped to [0, 1], counts, tenure in years, detractor 0/1, CSAT drop, bundle end proximity (1 today, 0 at 90+ days), ln(1 + arrears), suspended 0/1.';


