-- The entitlement validator (of the table in 140_entitlements.sql), in a
-- file of its own, run before it, because the 1.3 update
-- replaces it (1.3 validates on a Citus placement too).
CREATE OR REPLACE FUNCTION @extschema@.entitlement_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    -- The whole table, not NEW: under SET CONSTRAINTS ... DEFERRED the row
    -- may have changed again since, and at most 55 rows (5 tiers x 11
    -- items) cost nothing.
    -- ROW(e.*), not e: on a Citus node the trigger runs on a placement of
    -- the reference table, whose row type is the placement's, not
    -- custvalue.entitlement.
    SELECT e.tier, e.service_item, @extschema@.entitlement_problem(ROW(e.*)::@extschema@.entitlement) AS problem
      INTO bad
      FROM @extschema@.entitlement e
     WHERE @extschema@.entitlement_problem(ROW(e.*)::@extschema@.entitlement) IS NOT NULL
     ORDER BY e.tier DESC, e.service_item
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'custvalue.entitlement (%, %) is invalid: %',
                bad.tier, bad.service_item, bad.problem
            USING ERRCODE = 'check_violation',
                  HINT = 'See COMMENT ON TABLE custvalue.entitlement for the columns each service item uses.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.entitlement_validate() IS
'Constraint trigger of custvalue.entitlement: every row has the shape its service item needs (custvalue.entitlement_problem()).';
