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

-- Receipts are recorded once per statement, from its transition table: a
-- bulk INSERT of work orders (run_month's call tasks) then writes their
-- history in one INSERT instead of planning one per order, which took a
-- fifth of the call-task stage (docs/performance.md, "The monthly cycle").
-- The rows are passed as arrays of plain types, not read from the
-- transition table inside the INSERT: on Citus that INSERT, run from a
-- worker's shard, is planned by Citus, which does not see the table.
CREATE FUNCTION @extschema@.work_order_record_inserted() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids bigint[];
    customers bigint[];
    received timestamptz[];
    states text[];
    channels text[];
    assignees text[];
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NULL;                -- the history is restored from the dump
    END IF;
    -- One aggregation, so the six arrays are in the same row order.
    SELECT array_agg(n.work_order_id), array_agg(n.customer_id), array_agg(n.received_at),
           array_agg(n.state), array_agg(n.channel), array_agg(n.assignee)
      INTO ids, customers, received, states, channels, assignees
      FROM work_order_received n;
    IF ids IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format(
        'INSERT INTO %s (work_order_id, customer_id, changed_at, changed_by, from_state, to_state,'
        ' from_channel, to_channel, assignee)'
        ' SELECT n.id, n.customer, n.received, current_user, NULL, n.state, NULL, n.channel, n.assignee'
        '   FROM unnest($1, $2, $3, $4, $5, $6) AS n(id, customer, received, state, channel, assignee)'
        '  ORDER BY n.id',
        @extschema@.source_target('work_order_history'))
    USING ids, customers, received, states, channels, assignees;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_record_inserted() IS
'AFTER INSERT statement trigger of custvalue.work_order (transition table work_order_received): appends the receipt of every new order to custvalue.work_order_history, with the order''s customer, in one INSERT.';
