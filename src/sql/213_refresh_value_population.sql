-- Storing the population summary (custvalue.value_population_snapshot).
-- Its own file because 1.3 changed it: it writes to the snapshot's table
-- itself where it can (source_target()), so that it also runs on Citus.
-- (The 1.2 -> 1.3 update re-runs this file; keep it CREATE OR REPLACE.)

CREATE OR REPLACE FUNCTION @extschema@.refresh_value_population()
    RETURNS @extschema@.value_population_snapshot
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    live record;
    result @extschema@.value_population_snapshot;
    target text;
BEGIN
    SELECT * INTO live FROM @extschema@.value_population_live;
    target := @extschema@.source_target('value_population_snapshot');
    EXECUTE format('DELETE FROM %s', target);
    EXECUTE format('INSERT INTO %s (scale, customers, total_revenue, a_min_revenue, b_min_revenue,'
                   ' core_min_revenue, as_of_month, computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)'
                   ' RETURNING singleton, scale, customers, total_revenue, a_min_revenue, b_min_revenue,'
                   ' core_min_revenue, as_of_month, computed_at', target)
       INTO result
      USING live.scale, live.customers, live.total_revenue, live.a_min_revenue,
            live.b_min_revenue, live.core_min_revenue, live.as_of_month, live.computed_at;
    RETURN result;
END;
$$;
COMMENT ON FUNCTION @extschema@.refresh_value_population() IS
'Recomputes the population summary (CVF scale, value-class thresholds) and stores it in custvalue.value_population_snapshot, so that scoring one customer reads one row instead of the population.  Run it after loading data; DELETE FROM custvalue.value_population_snapshot goes back to live computation.';
