-- custvalue.churn_inputs_at(month): every churn input of every customer as
-- of a month, the one definition the live views (customer_churn_inputs)
-- and the monthly cycle (run_month, which computes the same in one pass
-- with the value inputs) agree with.  CREATE OR REPLACE: the update to 1.3
-- replaces it (features in float8 arithmetic).

-- The model's feature vector from the warning inputs, in the order of
-- custvalue.churn_feature_names(); one definition for churn_inputs_at() and
-- run_month().  In C (churn_features.c): as an inlined SQL expression it
-- was a tenth of run_month's inputs stage.
CREATE OR REPLACE FUNCTION @extschema@.churn_features(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS float8[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_features(float8, float8, integer, integer, integer, float8, integer, integer, numeric, boolean, integer) IS
'The churn model''s feature vector (custvalue.churn_feature_names()) from a customer''s warning inputs, as custvalue.churn_inputs_at() gives them: drops clipped to [0, 1], counts, tenure in years, detractor 0/1, CSAT drop, bundle end proximity (1 today, 0 at 90+ days), ln(1 + arrears), suspended 0/1.';

-- Every churn input of every customer who had joined by the end of the
-- month as_of lies in; windows end with that month.  status is the state
-- then as far as the data tell: churned if churned_on is past, else the
-- current status (suspension has no history in the reference model).
--
-- One query, two forms.  churn_inputs_at(as_of) is PL/pgSQL because Citus
-- cannot plan a SQL function whose parameter reaches distributed tables
-- (it would be inlined after Citus had looked); the view
-- customer_churn_inputs is the same query at custvalue.as_of_month(),
-- inline, so that on one server a lookup of one customer stays a lookup.
DO $churn_inputs$
DECLARE
    query constant text := $query$
    WITH ref AS (
        SELECT date_trunc('month', {as_of})::date AS month,
               (date_trunc('month', {as_of}) + interval '1 month' - interval '1 day')::date AS last_day,
               e.stop,
               -- the windows' starts once, not a stable subtraction per row
               e.stop - interval '30 days' AS since_30d,
               e.stop - interval '180 days' AS since_180d,
               e.stop - interval '365 days' AS since_365d,
               @extschema@.setting('churn_baseline_months')::int AS base_months
          FROM (SELECT (date_trunc('month', {as_of}) + interval '1 month')::timestamptz AS stop) AS e
    ), bills AS (
        -- the churn parts of the monthly cycle's aggregate (no spend window)
        SELECT b.customer_id,
               @extschema@.month_bill_inputs(b.month, b.total_fee, NULL, NULL, NULL, b.arrears, NULL,
                                             b.voice_minutes, b.data_mb, ref.month, NULL, NULL,
                                             (ref.month - make_interval(months => ref.base_months))::date) AS f
          FROM @extschema@.monthly_bill b, ref
         WHERE b.month >= ref.month - make_interval(months => ref.base_months)
           AND b.month <= ref.month
         GROUP BY b.customer_id
    ), complaints AS (
        SELECT k.customer_id, count(*)::int AS n
          FROM @extschema@.complaint k, ref
         WHERE k.filed_at >= ref.since_30d AND k.filed_at < ref.stop
         GROUP BY k.customer_id
    ), surveys AS (
        SELECT s.customer_id,
               @extschema@.month_survey_inputs(s.answered_at, s.response_id, s.csat, s.nps, s.satisfied,
                                               ref.since_180d, ref.since_30d) AS f
          FROM @extschema@.survey_response s, ref
         WHERE s.answered_at >= ref.since_365d AND s.answered_at < ref.stop
         GROUP BY s.customer_id
    ), bundles AS (
        SELECT u.customer_id, (max(u.ends_on) - ref.last_day)::int AS days_left
          FROM @extschema@.bundle u, ref
         WHERE u.started_on <= ref.last_day AND u.ends_on >= ref.last_day
         GROUP BY u.customer_id, ref.last_day
    ), cancels AS (
        SELECT x.customer_id, count(*)::int AS n
          FROM @extschema@.service_cancellation x, ref
         WHERE x.cancelled_at >= ref.since_30d AND x.cancelled_at < ref.stop
         GROUP BY x.customer_id
    ), inputs AS (
        SELECT c.customer_id,
               CASE WHEN c.churned_on <= ref.last_day THEN 'churned'
                    WHEN c.churned_on IS NOT NULL THEN 'active'
                    ELSE c.status END AS status,
               c.joined_on,
               (extract(year FROM age(ref.last_day, c.joined_on)) * 12
                + extract(month FROM age(ref.last_day, c.joined_on)))::int AS tenure_months,
               -- 1 - now / baseline average, rounded to 4 places (exactly:
               -- a drop of 30 % compares equal to a threshold of 0.30)
               (bills.f).arpu_drop,
               (bills.f).usage_drop,
               coalesce(complaints.n, 0) AS complaints_30d,
               (surveys.f).nps,
               (surveys.f).satisfaction_drop,
               coalesce((surveys.f).dissatisfied, 0) AS dissatisfied_30d,
               bundles.days_left AS bundle_days_left,
               (bills.f).arrears,
               c.status = 'suspended' AS suspended,
               coalesce(cancels.n, 0) AS cancellations_30d
          FROM @extschema@.customer c
          CROSS JOIN ref
          LEFT JOIN bills ON bills.customer_id = c.customer_id
          LEFT JOIN complaints ON complaints.customer_id = c.customer_id
          LEFT JOIN surveys ON surveys.customer_id = c.customer_id
          LEFT JOIN bundles ON bundles.customer_id = c.customer_id
          LEFT JOIN cancels ON cancels.customer_id = c.customer_id
         WHERE c.joined_on <= ref.last_day
    )
    SELECT i.customer_id, i.status, i.joined_on, i.tenure_months, i.arpu_drop, i.usage_drop,
           i.complaints_30d, i.nps, i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left,
           i.arrears, i.suspended, i.cancellations_30d,
           @extschema@.churn_features(i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
                                      i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
                                      i.suspended, i.cancellations_30d) AS features
      FROM inputs i
$query$;
BEGIN
    EXECUTE format($create$
CREATE OR REPLACE FUNCTION @extschema@.churn_inputs_at(as_of date)
    RETURNS TABLE (customer_id bigint, status text, joined_on date, tenure_months integer,
                   arpu_drop float8, usage_drop float8, complaints_30d integer, nps integer,
                   satisfaction_drop float8, dissatisfied_30d integer, bundle_days_left integer,
                   arrears numeric, suspended boolean, cancellations_30d integer,
                   features float8[])
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS %L$create$,
        E'#variable_conflict use_column\nBEGIN\n    RETURN QUERY\n' || replace(query, '{as_of}', 'churn_inputs_at.as_of') || E';\nEND;\n');
    EXECUTE format('CREATE OR REPLACE VIEW @extschema@.customer_churn_inputs WITH (security_invoker = true) AS %s',
                   replace(query, '{as_of}', '@extschema@.as_of_month()'));
END;
$churn_inputs$;
COMMENT ON FUNCTION @extschema@.churn_inputs_at(date) IS
'Churn warning inputs of every customer who had joined by the end of as_of''s month, measured over windows ending with that month: ARPU and usage drop of that month against the churn_baseline_months before it, complaints / dissatisfied answers / cancellations in the last 30 days, latest NPS (180 days), CSAT drop (12 months), days until the last running bundle ends, arrears, suspension; plus the model feature vector (custvalue.churn_feature_names()).  NULL = not measurable (no bills, no answers, no bundle).';
COMMENT ON VIEW @extschema@.customer_churn_inputs IS
'Churn warning inputs of every customer at custvalue.as_of_month() (see custvalue.churn_inputs_at).';
