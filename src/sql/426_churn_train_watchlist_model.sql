-- Fitting the watchlist model on the operator's history.  Its own file
-- because 1.3 changed it: it writes to the model store's table itself
-- where it can (source_target()), so that it also runs on Citus.  (The
-- 1.2 -> 1.3 update re-runs this file; keep it CREATE OR REPLACE.)

CREATE OR REPLACE FUNCTION @extschema@.churn_train_watchlist_model(horizon_months integer DEFAULT 3,
                                                        l2 float8 DEFAULT 1.0)
    RETURNS @extschema@.churn_model
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    snapshot date;
    model @extschema@.churn_model;
BEGIN
    IF horizon_months IS NULL OR horizon_months < 1 OR horizon_months > 24 THEN
        RAISE EXCEPTION 'horizon_months must be between 1 and 24, not %', horizon_months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Two horizons back, so the latest horizon stays out of time for
    -- custvalue.churn_backtest().
    snapshot := (@extschema@.as_of_month() - make_interval(months => 2 * horizon_months))::date;
    SELECT @extschema@.churn_fit(
               c.churned_on IS NOT NULL
               AND c.churned_on < (snapshot + make_interval(months => horizon_months + 1))::date,
               i.features, l2)
      INTO model
      FROM @extschema@.churn_inputs_at(snapshot) i
      JOIN @extschema@.customer c USING (customer_id)
     WHERE i.status <> 'churned';
    IF model IS NULL THEN
        RAISE EXCEPTION 'no customers at the snapshot month %', snapshot
            USING ERRCODE = 'no_data_found';
    END IF;
    EXECUTE format($store$
    INSERT INTO %s AS s (name, model, feature_names, trained_at, note)
    VALUES ('watchlist', $1, $2, now(), $3)
    ON CONFLICT (name) DO UPDATE
        SET model = EXCLUDED.model, feature_names = EXCLUDED.feature_names,
            trained_at = EXCLUDED.trained_at, note = EXCLUDED.note
    $store$, @extschema@.source_target('churn_model_store'))
    USING model, @extschema@.churn_feature_names(),
          format('Fitted by churn_train_watchlist_model: inputs at %s, label = churned in the next %s months, l2 = %s.',
                 to_char(snapshot, 'YYYY-MM'), horizon_months, l2);
    RETURN model;
END;
$$;
COMMENT ON FUNCTION @extschema@.churn_train_watchlist_model(integer, float8) IS
'Fit the watchlist churn model on the operator''s history: features from custvalue.churn_inputs_at(as_of_month - 2 * horizon_months) of customers then not churned, label = churned within the following horizon_months; ridge l2 (default 1).  The latest horizon is left out so custvalue.churn_backtest() measures the model out of time.  Stores it as ''watchlist'' in custvalue.churn_model_store and returns it.';
