-- The work-order history writer, in a file of its own because the 1.3
-- update replaces it (1.3 records the customer with each history row, and
-- writes to the history's table itself where it can: source_target(), so
-- that it also runs on a Citus worker's shard).
CREATE OR REPLACE FUNCTION @extschema@.work_order_record() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NULL;                -- the history is restored from the dump
    END IF;
    EXECUTE pg_catalog.format(
        'INSERT INTO %s (work_order_id, customer_id, changed_at, changed_by, from_state, to_state,'
        ' from_channel, to_channel, assignee) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        @extschema@.source_target('work_order_history'))
    USING NEW.work_order_id, NEW.customer_id,
          CASE WHEN TG_OP = 'INSERT' THEN NEW.received_at
               WHEN NEW.state <> OLD.state THEN NEW.state_changed_at
               ELSE clock_timestamp() END,
          current_user::name,
          CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.state END, NEW.state,
          CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.channel END, NEW.channel, NEW.assignee;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_record() IS
'AFTER trigger of custvalue.work_order: appends receipt and every change of state, channel or assignee to custvalue.work_order_history, with the order''s customer.';
