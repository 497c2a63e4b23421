-- Workload against capacity (seed 000, 服务承载能力评估: "客户经理不足800名"
-- for 2.13 M mid/high-end customers).  Per manager and per channel: the
-- customers they own, the service events and work orders of the recent
-- window, the SLA clocks still running -- against a capacity policy; and a
-- proposal that brings every manager under their customer capacity with
-- the fewest moves.  New in 1.3.

CREATE TABLE @extschema@.manager_capacity (
    role                     text PRIMARY KEY
                                 CONSTRAINT manager_capacity_role_valid
                                 CHECK (role IN ('account_manager', 'phone_manager')),
    max_customers            integer NOT NULL
                                 CONSTRAINT manager_capacity_customers_valid CHECK (max_customers > 0),
    max_work_orders_per_day  numeric(8,2) NOT NULL
                                 CONSTRAINT manager_capacity_orders_valid
                                 CHECK (max_work_orders_per_day > 0 AND max_work_orders_per_day <> 'NaN'),
    max_open_sla_clocks      integer NOT NULL
                                 CONSTRAINT manager_capacity_open_valid CHECK (max_open_sla_clocks > 0),
    basis                    text NOT NULL
);
COMMENT ON TABLE @extschema@.manager_capacity IS
'How much one manager can carry (服务承载能力), per role: customers owned, work orders a day (mean over the setting workload_window_days) and SLA clocks open at once.  custvalue.manager_workload measures against it; custvalue.propose_customer_moves() rebalances the customers.';
COMMENT ON COLUMN @extschema@.manager_capacity.max_customers IS 'Most customers one manager owns (customer.account_manager / phone_manager).';
COMMENT ON COLUMN @extschema@.manager_capacity.max_work_orders_per_day IS 'Most work orders a day: received in the window, assigned to the manager or, unassigned, on the manager''s channel for their customers.';
COMMENT ON COLUMN @extschema@.manager_capacity.max_open_sla_clocks IS 'Most work orders not yet resolved or closed at once.';

INSERT INTO @extschema@.manager_capacity VALUES
    ('account_manager', 540, 20, 40,
     'Seed 000: under 800 account managers for the card VIPs (0.43 M of 2.13 M mid/high-end customers): about 540 each.  Work-order limits: design.'),
    ('phone_manager', 2500, 60, 120,
     'Design: the seed gives no number of phone managers; they serve the A/B customers (0.40 M) by phone, 7x24.');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.manager_capacity', '');

CREATE TABLE @extschema@.channel_capacity (
    channel                  text PRIMARY KEY REFERENCES @extschema@.channel ON UPDATE CASCADE,
    max_work_orders_per_day  numeric(10,2)
                                 CONSTRAINT channel_capacity_orders_valid
                                 CHECK (max_work_orders_per_day > 0 AND max_work_orders_per_day <> 'NaN'),
    max_open_sla_clocks      integer
                                 CONSTRAINT channel_capacity_open_valid CHECK (max_open_sla_clocks > 0)
);
COMMENT ON TABLE @extschema@.channel_capacity IS
'How much work a channel can take (work orders a day over workload_window_days, SLA clocks open at once); a channel without a row, or a NULL limit, has none.  The seed gives no channel''s capacity (7 000 halls, 300 of them the operator''s own): set your own.';

INSERT INTO @extschema@.setting VALUES
    ('workload_window_days', 30, 'days',
     'Days before the end of custvalue.as_of_month() over which service events and work orders are counted per manager and channel (manager_workload, channel_workload).  Design default.')
ON CONFLICT (name) DO NOTHING;

DO $policy_triggers$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['manager_capacity', 'channel_capacity'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.%I FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed()', t);
    END LOOP;
    EXECUTE 'CREATE TRIGGER manager_capacity_no_truncate BEFORE TRUNCATE ON @extschema@.manager_capacity FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate()';
END;
$policy_triggers$;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.channel_capacity', '');

-- The views below read the capacity policies through these functions,
-- not by name: on Citus a view that names a policy table and the customer
-- data must be propagated when the policy table becomes a reference table,
-- before the customer tables are distributed, and cannot be.  A function
-- with a string body, and a result type of its own (not the table's row
-- type), records no dependency on the table.
CREATE FUNCTION @extschema@.manager_capacities()
    RETURNS TABLE (role text, max_customers integer, max_work_orders_per_day numeric, max_open_sla_clocks integer)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
SELECT c.role, c.max_customers, c.max_work_orders_per_day, c.max_open_sla_clocks
  FROM @extschema@.manager_capacity c
$$;
COMMENT ON FUNCTION @extschema@.manager_capacities() IS
'The rows of custvalue.manager_capacity (for the workload views; see 810_capacity.sql on why not the table).';

CREATE FUNCTION @extschema@.channel_capacities()
    RETURNS TABLE (channel text, max_work_orders_per_day numeric, max_open_sla_clocks integer)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
SELECT ch.code, cap.max_work_orders_per_day, cap.max_open_sla_clocks
  FROM @extschema@.channel ch
  LEFT JOIN @extschema@.channel_capacity cap ON cap.channel = ch.code
$$;
COMMENT ON FUNCTION @extschema@.channel_capacities() IS
'Every channel of custvalue.channel with its custvalue.channel_capacity limits (NULL: none).';

-- Whose work a service or a work order is: the manager named on it, else,
-- on a manager's channel, the customer's manager of that role.
CREATE FUNCTION @extschema@.responsible_manager(named text, channel text,
                                                account_manager text, phone_manager text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(named, CASE channel WHEN 'account_manager' THEN account_manager
                                    WHEN 'phone_manager' THEN phone_manager END);
COMMENT ON FUNCTION @extschema@.responsible_manager(text, text, text, text) IS
'The manager a service event or work order counts for: the one named on it (named), else, on the account_manager or phone_manager channel, the customer''s manager of that role; NULL otherwise.';

-- Who owns whom: the customers (not churned) of every manager, by role.
CREATE VIEW @extschema@.manager_customers WITH (security_invoker = true) AS
SELECT 'account_manager'::text AS role, c.account_manager AS manager, c.customer_id, c.region
  FROM @extschema@.customer c
 WHERE c.account_manager IS NOT NULL AND c.status <> 'churned'
UNION ALL
SELECT 'phone_manager', c.phone_manager, c.customer_id, c.region
  FROM @extschema@.customer c
 WHERE c.phone_manager IS NOT NULL AND c.status <> 'churned';
COMMENT ON VIEW @extschema@.manager_customers IS
'Every customer (not churned) with the account manager and the phone manager who own them, one row per role.';

CREATE VIEW @extschema@.manager_workload WITH (security_invoker = true) AS
WITH win AS (
    SELECT ((@extschema@.as_of_month() + interval '1 month')::date)::timestamptz AS ends,
           @extschema@.setting('workload_window_days') AS days
), staff AS (
    -- the registry, and anyone named on a customer but not registered
    SELECT m.manager, m.role, m.team, m.active FROM @extschema@.manager m
    UNION
    SELECT DISTINCT mc.manager, mc.role, NULL::text, true
      FROM @extschema@.manager_customers mc
     WHERE NOT EXISTS (SELECT FROM @extschema@.manager m WHERE m.manager = mc.manager)
), owned AS (
    SELECT mc.role, mc.manager, count(*) AS customers
      FROM @extschema@.manager_customers mc
     GROUP BY mc.role, mc.manager
), events AS (
    SELECT e.manager, count(*) AS service_events
      FROM @extschema@.service_event e, win
     WHERE e.manager IS NOT NULL
       AND e.occurred_at >= win.ends - make_interval(days => win.days::int) AND e.occurred_at < win.ends
     GROUP BY e.manager
), orders AS (
    -- a work order is the assignee's; unassigned on a manager's channel,
    -- the work of the customer's manager of that role
    SELECT @extschema@.responsible_manager(w.assignee, w.channel, c.account_manager, c.phone_manager) AS manager,
           count(*) FILTER (WHERE w.received_at >= win.ends - make_interval(days => win.days::int)
                              AND w.received_at < win.ends) AS received,
           count(*) FILTER (WHERE w.state NOT IN ('resolved', 'closed')) AS open_sla_clocks
      FROM @extschema@.work_order w
      JOIN @extschema@.customer c ON c.customer_id = w.customer_id
      CROSS JOIN win
     GROUP BY 1
)
SELECT s.role, s.manager, s.team, s.active,
       coalesce(o.customers, 0) AS customers,
       cap.max_customers,
       coalesce(e.service_events, 0) AS service_events,
       round(coalesce(w.received, 0) / win.days, 2) AS work_orders_per_day,
       cap.max_work_orders_per_day,
       coalesce(w.open_sla_clocks, 0) AS open_sla_clocks,
       cap.max_open_sla_clocks,
       round(greatest(coalesce(o.customers, 0)::numeric / cap.max_customers,
                      coalesce(w.received, 0) / win.days / cap.max_work_orders_per_day,
                      coalesce(w.open_sla_clocks, 0)::numeric / cap.max_open_sla_clocks), 3) AS load,
       coalesce(o.customers, 0) > cap.max_customers
           OR coalesce(w.received, 0) / win.days > cap.max_work_orders_per_day
           OR coalesce(w.open_sla_clocks, 0) > cap.max_open_sla_clocks AS overloaded
  FROM staff s
  CROSS JOIN win
  JOIN @extschema@.manager_capacities() cap ON cap.role = s.role
  LEFT JOIN owned o ON o.role = s.role AND o.manager = s.manager
  LEFT JOIN events e ON e.manager = s.manager
  LEFT JOIN orders w ON w.manager = s.manager;
COMMENT ON VIEW @extschema@.manager_workload IS
'Each manager''s load (服务承载能力评估) as of the end of custvalue.as_of_month(): customers owned, service events and work orders a day over the last workload_window_days (setting; a work order is its assignee''s, or, unassigned on the phone_manager or account_manager channel, the customer''s manager''s), SLA clocks open now, each against custvalue.manager_capacity for the role; load = the largest of the three ratios, overloaded when any limit is passed.  Managers come from the manager registry and from the customers'' account_manager / phone_manager.';

CREATE VIEW @extschema@.channel_workload WITH (security_invoker = true) AS
WITH win AS (
    SELECT ((@extschema@.as_of_month() + interval '1 month')::date)::timestamptz AS ends,
           @extschema@.setting('workload_window_days') AS days
), orders AS (
    SELECT w.channel,
           count(*) FILTER (WHERE w.received_at >= win.ends - make_interval(days => win.days::int)
                              AND w.received_at < win.ends) AS received,
           count(*) FILTER (WHERE w.state NOT IN ('resolved', 'closed')) AS open_sla_clocks
      FROM @extschema@.work_order w, win
     GROUP BY w.channel
), events AS (
    SELECT e.channel, count(*) AS service_events
      FROM @extschema@.service_event e, win
     WHERE e.occurred_at >= win.ends - make_interval(days => win.days::int) AND e.occurred_at < win.ends
     GROUP BY e.channel
)
SELECT cap.channel,
       coalesce(e.service_events, 0) AS service_events,
       round(coalesce(o.received, 0) / win.days, 2) AS work_orders_per_day,
       cap.max_work_orders_per_day,
       coalesce(o.open_sla_clocks, 0) AS open_sla_clocks,
       cap.max_open_sla_clocks,
       coalesce(coalesce(o.received, 0) / win.days > cap.max_work_orders_per_day, false)
           OR coalesce(coalesce(o.open_sla_clocks, 0) > cap.max_open_sla_clocks, false) AS overloaded
  FROM @extschema@.channel_capacities() cap
  CROSS JOIN win
  LEFT JOIN orders o ON o.channel = cap.channel
  LEFT JOIN events e ON e.channel = cap.channel;
COMMENT ON VIEW @extschema@.channel_workload IS
'Each channel''s load as of the end of custvalue.as_of_month(): service events and work orders a day over the last workload_window_days, SLA clocks open now, against custvalue.channel_capacity (no row or NULL: no limit); overloaded when a limit is passed.';

-- The fewest moves.  Every customer a manager owns beyond their capacity
-- must move, so no plan moves fewer than the sum of the excesses; this one
-- moves exactly that many (each to a free place of an active manager of
-- the role under capacity), so it is a plan with the fewest moves.  Which
-- customers move is a choice among equals: those of least value (the
-- latest stored CVF; the relationship with the best customers stays), to
-- a manager of the same region when one has room, else to any.
CREATE FUNCTION @extschema@.propose_customer_moves(role text)
    RETURNS TABLE (customer_id bigint, from_manager text, to_manager text, same_region boolean)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    -- The planner cannot estimate joins on row numbers: it guessed 10^10
    -- placements and sized a hash join for them (a million batches, 2 s on
    -- 100 000 customers for 30 moves); merge joins need no such guess.
    SET enable_hashjoin = off
AS $$
DECLARE
    cap integer;
    excess bigint;
    room bigint;
BEGIN
    SELECT c.max_customers INTO cap FROM @extschema@.manager_capacity c WHERE c.role = propose_customer_moves.role;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'role must be account_manager or phone_manager, not %', coalesce(role, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    WITH staff AS (
        SELECT w.manager, w.active FROM @extschema@.manager_workload w WHERE w.role = propose_customer_moves.role
    ), home AS (
        -- a manager's region: the registry's, else that of most of their customers
        SELECT s.manager, coalesce(m.region, r.region) AS region, s.active
          FROM staff s
          LEFT JOIN @extschema@.manager m ON m.manager = s.manager
          LEFT JOIN (SELECT mc.manager, mode() WITHIN GROUP (ORDER BY mc.region) AS region
                       FROM @extschema@.manager_customers mc
                      WHERE mc.role = propose_customer_moves.role
                      GROUP BY mc.manager) r ON r.manager = s.manager
    ), owned AS (
        SELECT mc.manager, mc.customer_id, mc.region,
               row_number() OVER (PARTITION BY mc.manager
                                  ORDER BY h.cvf DESC NULLS LAST, mc.customer_id) AS keep_rank,
               count(*) OVER (PARTITION BY mc.manager) AS owned
          FROM @extschema@.manager_customers mc
          LEFT JOIN @extschema@.customer_month_latest h ON h.customer_id = mc.customer_id
         WHERE mc.role = propose_customer_moves.role
    ), movers AS (
        -- beyond capacity; an inactive manager keeps no one
        SELECT o.customer_id, o.manager, o.region, h.active
          FROM owned o JOIN home h ON h.manager = o.manager
         WHERE o.keep_rank > CASE WHEN h.active THEN cap ELSE 0 END
    ), slots AS (
        SELECT h.manager, h.region, g AS slot
          FROM home h
          LEFT JOIN (SELECT o.manager, max(o.owned) AS owned FROM owned o GROUP BY o.manager) o USING (manager)
          -- generate_series(1, cap) with a bound the planner can count (a
          -- lateral bound made it guess 1 000 rows a manager and plan a
          -- hash join of a million batches)
          CROSS JOIN generate_series(1, cap) g
         WHERE h.active AND g <= cap - coalesce(o.owned, 0)
    ), local_movers AS (
        -- first within the region: the k-th mover of a region takes the
        -- region's k-th slot, slots dealt round the region's managers; the
        -- customers of a manager who left first, since no one serves them
        SELECT m.customer_id, m.manager AS from_manager, m.region, m.active,
               row_number() OVER (PARTITION BY m.region ORDER BY m.active, m.manager, m.customer_id) AS k
          FROM movers m
    ), local_slots AS (
        SELECT s.manager, s.region,
               row_number() OVER (PARTITION BY s.region ORDER BY s.slot, s.manager) AS k
          FROM slots s
    ), placed_local AS (
        SELECT lm.customer_id, lm.from_manager, ls.manager AS to_manager, ls.region, ls.k
          FROM local_movers lm JOIN local_slots ls ON ls.region = lm.region AND ls.k = lm.k
    ), rest_movers AS (
        SELECT lm.customer_id, lm.from_manager,
               row_number() OVER (ORDER BY lm.active, lm.from_manager, lm.customer_id) AS k
          FROM local_movers lm
         WHERE NOT EXISTS (SELECT FROM placed_local p WHERE p.customer_id = lm.customer_id)
    ), rest_slots AS (
        SELECT ls.manager, row_number() OVER (ORDER BY ls.k, ls.manager) AS k
          FROM local_slots ls
         WHERE NOT EXISTS (SELECT FROM placed_local p WHERE p.region = ls.region AND p.k = ls.k)
    )
    SELECT p.customer_id, p.from_manager, p.to_manager, true FROM placed_local p
    UNION ALL
    SELECT r.customer_id, r.from_manager, s.manager, false
      FROM rest_movers r JOIN rest_slots s ON s.k = r.k
    ORDER BY 2, 1;

    SELECT coalesce(sum(greatest(w.customers - CASE WHEN w.active THEN cap ELSE 0 END, 0)), 0),
           coalesce(sum(greatest(cap - w.customers, 0)) FILTER (WHERE w.active), 0)
      INTO excess, room
      FROM @extschema@.manager_workload w WHERE w.role = propose_customer_moves.role;
    IF excess > room THEN
        RAISE WARNING '% customers are beyond the capacity of their %s, and the others have room for % of them: % cannot be placed',
                excess, role, room, excess - room
            USING HINT = 'Raise custvalue.manager_capacity.max_customers or add managers (the manager registry).';
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.propose_customer_moves(text) IS
'A proposal, not a change: moves of customers between managers of role (account_manager or phone_manager) that bring every active manager to at most custvalue.manager_capacity.max_customers and give an inactive manager''s customers to others, with the fewest moves (exactly the customers beyond capacity move, the lower bound).  Those who move are each manager''s customers of least value (latest stored CVF), the customers of inactive managers first, each placed with a manager of the same region when one has room (same_region), else with any manager who has room.  When the room is short a WARNING says how many cannot be placed; those stay.';
