-- The out-of-time back-test of the churn scorers.  Its own file because
-- 1.3 changed it: PL/pgSQL with one query, where 1.2 had a SQL function,
-- which Citus cannot plan (a parameter over distributed tables).  (The
-- 1.2 -> 1.3 update re-runs this file; keep it CREATE OR REPLACE.)
CREATE OR REPLACE FUNCTION @extschema@.churn_backtest(horizon_months integer DEFAULT 3)
    RETURNS TABLE (scorer text, customers bigint, churners bigint,
                   auc float8, log_loss float8, lift_top_decile float8)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    snapshot date := (@extschema@.as_of_month() - make_interval(months => horizon_months))::date;
    horizon_end date := (snapshot + make_interval(months => horizon_months + 1))::date;
BEGIN
    RETURN QUERY
    WITH scored AS (
        SELECT c.churned_on IS NOT NULL AND c.churned_on < horizon_end AS churned,
               @extschema@.churn_probability(m.model, i.features) AS p,
               w.score
          FROM @extschema@.churn_inputs_at(snapshot) i
          JOIN @extschema@.customer c ON c.customer_id = i.customer_id
          LEFT JOIN @extschema@.churn_model_store m ON m.name = 'watchlist'
         CROSS JOIN LATERAL @extschema@.churn_warning(
                i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
                i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
                i.suspended, i.cancellations_30d) w
         WHERE i.status <> 'churned'
    )
    SELECT 'watchlist model'::text, count(*), count(*) FILTER (WHERE s.churned),
           @extschema@.churn_auc(s.p, s.churned), @extschema@.churn_log_loss(s.p, s.churned),
           @extschema@.churn_lift(s.p, s.churned)
      FROM scored s
    UNION ALL
    SELECT 'warning score', count(*), count(*) FILTER (WHERE s.churned),
           @extschema@.churn_auc(s.score, s.churned), NULL,
           @extschema@.churn_lift(s.score, s.churned)
      FROM scored s;
END;
$$;
COMMENT ON FUNCTION @extschema@.churn_backtest(integer) IS
'How well the churn scorers ranked the customers who then churned: inputs at as_of_month - horizon_months, label = churned in the following horizon_months; AUC, log-loss (model only) and lift in the top decile, for the ''watchlist'' model and for the rule-based warning score.  Out of time for a model from churn_train_watchlist_model(horizon_months).';
