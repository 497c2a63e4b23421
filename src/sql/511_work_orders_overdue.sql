-- Open clocks that have run out.  Exactly at the deadline is still on time.
--
-- One query, two forms, as churn_inputs_at() (421_churn_inputs_at.sql):
-- work_orders_overdue_at(at) in PL/pgSQL, which Citus can plan, and the
-- view work_orders_overdue, the same query at now() inline.
DO $overdue$
DECLARE
    query constant text := $query$
    SELECT w.work_order_id, w.customer_id, w.tier, w.kind, w.severity, w.state, w.channel, w.assignee,
           w.received_at, c.clock, c.due_at, {at} - c.due_at AS overdue_by
      FROM @extschema@.work_order w
     CROSS JOIN LATERAL (VALUES ('respond', w.respond_by, w.responded_at),
                                ('resolve', w.resolve_by, w.resolved_at)) AS c(clock, due_at, met_at)
     WHERE c.due_at < {at}
       AND (c.met_at IS NULL OR c.met_at > {at})
       AND (w.closed_at IS NULL OR w.closed_at > {at})
$query$;
BEGIN
    EXECUTE format($create$
CREATE OR REPLACE FUNCTION @extschema@.work_orders_overdue_at(at timestamptz)
    RETURNS TABLE (work_order_id bigint, customer_id bigint, tier @extschema@.tier, kind text,
                   severity text, state text, channel text, assignee text, received_at timestamptz,
                   clock text, due_at timestamptz, overdue_by interval)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS %L$create$,
        E'#variable_conflict use_column\nBEGIN\n    RETURN QUERY\n' || replace(query, '{at}', 'work_orders_overdue_at.at') || E';\nEND;\n');
    EXECUTE format('CREATE OR REPLACE VIEW @extschema@.work_orders_overdue WITH (security_invoker = true) AS %s',
                   replace(query, '{at}', 'now()'));
END;
$overdue$;
COMMENT ON FUNCTION @extschema@.work_orders_overdue_at(timestamptz) IS
'Work orders whose response or resolution clock had run out at the instant at and was not met by then (one row per order and clock).  Due exactly at at is on time.  For a past instant it reads the current times: an order reopened since counts by its latest resolution.';
COMMENT ON VIEW @extschema@.work_orders_overdue IS
'Open work orders whose response or resolution clock has run out at now(): one row per order and clock (respond, resolve), with the deadline and how long ago it passed.  An order is on time exactly at its deadline.  custvalue.work_orders_overdue_at(instant) gives the same for another instant.';
