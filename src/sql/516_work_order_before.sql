-- The work-order deadlines trigger, in a file of its own because the 1.3
-- update replaces it.  1.3 reads the SLA policy directly instead of
-- through custvalue.work_order_deadlines() (the same rule, which stays for
-- callers): a SQL function called from PL/pgSQL is run by its own executor
-- on every call, which was half the cost of a bulk INSERT of work orders
-- (run_month's call tasks at 1 M customers: 0.41 s -> 0.22 s for 9 236).
-- A test (work_orders) holds the two to the same answers.
CREATE OR REPLACE FUNCTION @extschema@.work_order_before() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t timestamptz;
    allowed text;
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NEW;
    END IF;
    -- The SLA clocks, from policy at receipt and whenever the kind or the
    -- severity changes (NULL, no clock, without a policy row), else kept.
    -- On INSERT OLD is NULL, and the first test decides.
    IF TG_OP = 'INSERT' OR NEW.kind <> OLD.kind OR NEW.severity <> OLD.severity THEN
        SELECT NEW.received_at + s.respond_within, NEW.received_at + s.resolve_within
          INTO NEW.respond_by, NEW.resolve_by
          FROM @extschema@.work_order_sla s WHERE s.kind = NEW.kind AND s.severity = NEW.severity;
    ELSE
        NEW.respond_by := OLD.respond_by;
        NEW.resolve_by := OLD.resolve_by;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'received' THEN
            RAISE EXCEPTION 'a new work order must be in state received, not %', NEW.state
                USING ERRCODE = 'check_violation',
                      HINT = 'Insert it, then move it through its states with UPDATE.';
        END IF;
        IF NEW.received_at > clock_timestamp() THEN
            RAISE EXCEPTION 'a work order cannot be received in the future (%)', NEW.received_at
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.tier IS NULL THEN
            SELECT cp.tier INTO NEW.tier
              FROM @extschema@.customer_profile cp WHERE cp.customer_id = NEW.customer_id;
        END IF;
        NEW.state_changed_at := NEW.received_at;
        NEW.effective_at := NULL;
        NEW.responded_at := NULL;
        NEW.resolved_at := NULL;
        NEW.closed_at := NULL;
        RETURN NEW;
    END IF;

    -- UPDATE.  Identity and receipt time are fixed; derived columns are ours.
    IF NEW.customer_id <> OLD.customer_id OR NEW.received_at <> OLD.received_at THEN
        RAISE EXCEPTION 'work order %: customer_id and received_at cannot change', OLD.work_order_id
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.responded_at := OLD.responded_at;
    NEW.resolved_at := OLD.resolved_at;
    NEW.closed_at := OLD.closed_at;

    IF NEW.state = OLD.state THEN
        IF NEW.effective_at IS NOT NULL THEN
            RAISE EXCEPTION 'work order %: effective_at given without a change of state', OLD.work_order_id
                USING ERRCODE = 'check_violation',
                      HINT = 'effective_at dates a state change; it is not stored.';
        END IF;
        NEW.state_changed_at := OLD.state_changed_at;
        RETURN NEW;
    END IF;

    IF NOT EXISTS (SELECT FROM @extschema@.work_order_transition tr
                    WHERE tr.from_state = OLD.state AND tr.to_state = NEW.state) THEN
        SELECT string_agg(tr.to_state, ', ' ORDER BY tr.to_state) INTO allowed
          FROM @extschema@.work_order_transition tr WHERE tr.from_state = OLD.state;
        RAISE EXCEPTION 'work order %: illegal state change from % to %', OLD.work_order_id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation',
                  DETAIL = CASE WHEN allowed IS NULL THEN format('State %s is final.', OLD.state)
                                ELSE format('From %s a work order may go to: %s.', OLD.state, allowed) END,
                  HINT = 'Allowed changes are the rows of custvalue.work_order_transition.';
    END IF;

    -- Effective time: given (replaying history) or now.
    IF NEW.effective_at IS NOT NULL THEN
        t := NEW.effective_at;
        NEW.effective_at := NULL;
        IF t < OLD.state_changed_at OR t > clock_timestamp() THEN
            RAISE EXCEPTION 'work order %: state change at % is out of order', OLD.work_order_id, t
                USING ERRCODE = 'check_violation',
                      DETAIL = format('It must lie between the previous change (%s) and now.', OLD.state_changed_at);
        END IF;
    ELSE
        t := greatest(clock_timestamp(), OLD.state_changed_at);
    END IF;
    NEW.state_changed_at := t;

    IF NEW.state IN ('in_progress', 'resolved') AND OLD.responded_at IS NULL THEN
        NEW.responded_at := t;
    END IF;
    IF NEW.state = 'resolved' THEN
        NEW.resolved_at := t;
    ELSIF NEW.state <> 'closed' THEN
        NEW.resolved_at := NULL;            -- reopened
    END IF;
    NEW.closed_at := CASE WHEN NEW.state = 'closed' THEN t END;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_before() IS
'BEFORE INSERT/UPDATE trigger of custvalue.work_order: validates state changes against custvalue.work_order_transition (23514 naming both states), stamps their time, keeps the SLA deadlines and the responded/resolved/closed times.';
