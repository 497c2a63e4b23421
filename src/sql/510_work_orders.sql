-- Work orders (工单) with a validated state machine, a history of every
-- change and SLA clocks from policy (domain.md §6, §9).
--
-- Time: a state change takes effect at clock_timestamp() read in the BEFORE
-- ROW trigger, i.e. after the row lock is held.  Any later change of the same
-- work order must wait for that lock, so effective times along one order's
-- history are monotone in the order the changes were serialised; now() or
-- statement_timestamp() could stamp a change that waited on a lock earlier
-- than the change it waited for.  A loader replaying history gives the
-- effective time in the write-only column effective_at of the UPDATE; it
-- must not precede the previous change nor lie in the future.  (A separate
-- input column, because a trigger cannot tell "state_changed_at not in the
-- SET list" from "set to its old value", and two changes at the same
-- instant are legitimate.)

CREATE TABLE @extschema@.work_order_sla (
    kind            text NOT NULL CHECK (kind IN ('request', 'complaint', 'fault')),
    severity        text NOT NULL CHECK (severity IN ('major', 'ordinary', 'minor')),
    respond_within  interval,
    resolve_within  interval,
    source          text NOT NULL,
    PRIMARY KEY (kind, severity),
    CONSTRAINT work_order_sla_positive
        CHECK (respond_within > interval '0' AND resolve_within > interval '0'),
    CONSTRAINT work_order_sla_elapsed_time
        CHECK (extract(year FROM respond_within) = 0 AND extract(month FROM respond_within) = 0
               AND extract(day FROM respond_within) = 0
               AND extract(year FROM resolve_within) = 0 AND extract(month FROM resolve_within) = 0
               AND extract(day FROM resolve_within) = 0),
    CONSTRAINT work_order_sla_order CHECK (resolve_within >= respond_within)
);
COMMENT ON TABLE @extschema@.work_order_sla IS
'SLA clocks per work-order kind and severity: the first response is due respond_within after receipt, the resolution resolve_within after receipt (NULL = no clock).  Give clocks in hours (''48 hours'', not ''2 days''): they are elapsed time and must not stretch across a daylight-saving change.  A work order takes its deadlines when it is received (and again if its kind or severity changes); editing this table does not move deadlines already set.';
COMMENT ON COLUMN @extschema@.work_order_sla.source IS 'Where the number comes from (seed and section) or "design".';

INSERT INTO @extschema@.work_order_sla VALUES
    ('request',   'major',    '24 hours', NULL,       'seed 001: respond within 24 h; application acceptance within 24 h'),
    ('request',   'ordinary', '24 hours', NULL,       'seed 001: respond within 24 h; application acceptance within 24 h'),
    ('request',   'minor',    '24 hours', NULL,       'seed 001: respond within 24 h; application acceptance within 24 h'),
    ('complaint', 'major',    '24 hours', '48 hours', 'seed 001: respond within 24 h, resolve a major issue within 48 h'),
    ('complaint', 'ordinary', '24 hours', NULL,       'seed 001: respond within 24 h'),
    ('complaint', 'minor',    '24 hours', NULL,       'seed 001: respond within 24 h'),
    ('fault',     'major',    '1 hour',   NULL,       'seed 003: major fault response within 1 h'),
    ('fault',     'ordinary', '2 hours',  '2 hours',  'seed 003: general fault handled within 2 h (so also answered within 2 h)'),
    ('fault',     'minor',    '2 hours',  '2 hours',  'seed 003: general fault handled within 2 h (so also answered within 2 h)');

-- The state machine.  States are fixed (the triggers give them meaning);
-- the transitions between them are policy.
CREATE TABLE @extschema@.work_order_transition (
    from_state  text NOT NULL
        CHECK (from_state IN ('received', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed')),
    to_state    text NOT NULL
        CHECK (to_state IN ('assigned', 'in_progress', 'escalated', 'resolved', 'closed')),
    description text NOT NULL,
    PRIMARY KEY (from_state, to_state),
    CHECK (from_state <> to_state)
);
COMMENT ON TABLE @extschema@.work_order_transition IS
'Allowed work-order state changes.  States: received (受理) → assigned (派单) → in_progress (处理中) → resolved (解决) → closed (关闭), plus escalated (升级).  received is only ever the initial state.  Any change not listed here is rejected (23514).';

INSERT INTO @extschema@.work_order_transition VALUES
    ('received',    'assigned',    'dispatched to a handler'),
    ('received',    'escalated',   'escalated before dispatch (e.g. routed to another channel)'),
    ('assigned',    'in_progress', 'the handler starts work: the first response'),
    ('assigned',    'escalated',   'the handler cannot handle it'),
    ('in_progress', 'resolved',    'resolved'),
    ('in_progress', 'escalated',   'escalated during work'),
    ('escalated',   'assigned',    'the escalation is dispatched'),
    ('escalated',   'in_progress', 'the escalation handler starts work'),
    ('resolved',    'closed',      'closed after resolution'),
    ('resolved',    'in_progress', 'reopened: the customer says it is not resolved');

SELECT @extschema@.define_source('work_order',
    'Work orders (工单).  Insert with state received (the default); change state with UPDATE, validated against custvalue.work_order_transition; every change is kept in custvalue.work_order_history.  tier is the customer''s tier when the order was received (filled from customer_profile when omitted).  respond_by/resolve_by come from custvalue.work_order_sla; responded_at (first entry into in_progress or resolved), resolved_at (latest resolution, cleared on reopening) and closed_at are kept by the triggers and cannot be written.',
    ARRAY['work_order_id bigint', 'customer_id bigint', 'tier @extschema@.tier', 'service_item text',
          'channel text', 'kind text', 'severity text', 'state text', 'assignee text', 'summary text',
          'received_at timestamptz', 'state_changed_at timestamptz', 'effective_at timestamptz',
          'respond_by timestamptz', 'resolve_by timestamptz', 'responded_at timestamptz',
          'resolved_at timestamptz', 'closed_at timestamptz']);
COMMENT ON COLUMN @extschema@.work_order.kind IS 'request (consultation, application, service request), complaint, or fault.';
COMMENT ON COLUMN @extschema@.work_order.state_changed_at IS 'When the current state began (kept by the trigger).';
COMMENT ON COLUMN @extschema@.work_order.effective_at IS 'Write-only, always NULL when read: set it in an UPDATE that changes state to give the change''s effective time (replaying history); without it the change takes effect at clock_timestamp().';
COMMENT ON COLUMN @extschema@.work_order.respond_by IS 'First response due; NULL = no response clock.  Being answered exactly at respond_by is on time.';
COMMENT ON COLUMN @extschema@.work_order.resolve_by IS 'Resolution due; NULL = no resolution clock.  Resolved exactly at resolve_by is on time.';

SELECT @extschema@.define_source('work_order_history',
    'Append-only history of work orders: one row at receipt (from_state NULL) and one for every change of state, channel or assignee (a reassignment keeps from_state = to_state), with the effective time (changed_at), the time it was written (recorded_at) and the database user who made it.  Rows cannot be updated or deleted except by deleting the work order.',
    ARRAY['history_id bigint', 'work_order_id bigint', 'changed_at timestamptz', 'recorded_at timestamptz',
          'changed_by name', 'from_state text', 'to_state text', 'from_channel text', 'to_channel text',
          'assignee text', 'customer_id bigint']);
COMMENT ON COLUMN @extschema@.work_order_history.customer_id IS
'The work order''s customer, so that the history lives with the customer''s other rows (on one Citus shard too).';

-- Deadlines of an order received at received_at, from the current policy.
CREATE FUNCTION @extschema@.work_order_deadlines(kind text, severity text, received_at timestamptz,
                                                 OUT respond_by timestamptz, OUT resolve_by timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT work_order_deadlines.received_at + s.respond_within,
           work_order_deadlines.received_at + s.resolve_within
      FROM (SELECT 1) AS one
      LEFT JOIN @extschema@.work_order_sla s
        ON s.kind = work_order_deadlines.kind AND s.severity = work_order_deadlines.severity;
END;
COMMENT ON FUNCTION @extschema@.work_order_deadlines(text, text, timestamptz) IS
'Response and resolution deadlines of a work order of this kind and severity received at received_at, by custvalue.work_order_sla (NULL = no clock).';

-- pg_dump replays work orders and their history as they were: the
-- triggers must neither re-validate nor re-record them.  A replaying
-- session is recognised by two settings every pg_dump script makes and
-- ordinary sessions leave alone (search_path, which restore_merge() also
-- uses, is not visible under the triggers' own SET search_path).
CREATE FUNCTION @extschema@.replaying_dump() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.current_setting('row_security') = 'off'
       AND pg_catalog.current_setting('check_function_bodies') = 'off';
END;
COMMENT ON FUNCTION @extschema@.replaying_dump() IS
'True in a session that replays a pg_dump script (row_security and check_function_bodies both off): the work-order triggers then take rows as dumped.';

-- custvalue.work_order_before(): 516_work_order_before.sql (replaced by the 1.3 update).


-- custvalue.work_order_record(): 515_work_order_record.sql (replaced by the 1.3 update).


CREATE FUNCTION @extschema@.work_order_history_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A DELETE cascaded from custvalue.work_order runs inside the foreign
    -- key's trigger, so one level deeper than a direct statement.
    IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'custvalue.work_order_history is append-only'
        USING ERRCODE = 'check_violation',
              HINT = 'History goes when its work order is deleted.';
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_history_append_only() IS
'Trigger that refuses UPDATE and direct DELETE of custvalue.work_order_history.  (TRUNCATE stays possible for the table owner: custvalue.generate_demo() empties every table that references the reference model.)';


-- custvalue.work_orders_overdue_at() and the view work_orders_overdue:
-- 511_work_orders_overdue.sql (replaced by the 1.3 update).

-- Compliance per tier (at receipt) and month of receipt (session time zone).
-- An order counts for a clock once the outcome is known: the clock was met
-- (on time when met_at <= due) or its deadline has passed unmet (a breach).
CREATE VIEW @extschema@.sla_compliance_by_tier_month WITH (security_invoker = true) AS
WITH o AS (
    SELECT w.tier,
           date_trunc('month', w.received_at)::date AS month,
           w.state,
           w.respond_by IS NOT NULL AND (w.responded_at IS NOT NULL OR w.respond_by < now()) AS respond_decided,
           w.responded_at <= w.respond_by AS respond_on_time,
           w.resolve_by IS NOT NULL AND (w.resolved_at IS NOT NULL OR w.resolve_by < now()) AS resolve_decided,
           w.resolved_at <= w.resolve_by AS resolve_on_time
      FROM @extschema@.work_order w
)
SELECT o.tier,
       o.month,
       count(*) AS received,
       count(*) FILTER (WHERE o.state NOT IN ('resolved', 'closed')) AS open,
       count(*) FILTER (WHERE o.respond_decided) AS response_due,
       count(*) FILTER (WHERE o.respond_decided AND o.respond_on_time) AS responded_on_time,
       round(100.0 * count(*) FILTER (WHERE o.respond_decided AND o.respond_on_time)
             / nullif(count(*) FILTER (WHERE o.respond_decided), 0), 2) AS response_compliance_pct,
       count(*) FILTER (WHERE o.resolve_decided) AS resolution_due,
       count(*) FILTER (WHERE o.resolve_decided AND o.resolve_on_time) AS resolved_on_time,
       round(100.0 * count(*) FILTER (WHERE o.resolve_decided AND o.resolve_on_time)
             / nullif(count(*) FILTER (WHERE o.resolve_decided), 0), 2) AS resolution_compliance_pct
  FROM o
 GROUP BY o.tier, o.month;
COMMENT ON VIEW @extschema@.sla_compliance_by_tier_month IS
'SLA compliance per tier (at receipt) and month of receipt (in the session time zone).  response_due/resolution_due count orders whose clock is decided: met, or deadline passed unmet; *_on_time count those met at or before the deadline; *_compliance_pct = on time / due × 100 (NULL when nothing is due).';

CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.work_order_sla
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.work_order_transition
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.work_order_sla', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.work_order_transition', '');
