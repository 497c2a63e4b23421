-- (The 1.2 -> 1.3 update re-runs this file; keep it CREATE OR REPLACE.)
-- Demo work orders: the demo generator (150_demo.sql) writes complaints but
-- no work orders.  demo_work_orders() turns every complaint into a work
-- order and replays its life through the state machine, so the triggers,
-- history, SLA views and survey queue run on the demo data exactly as on
-- real data.  Deterministic: every choice is a hash of the complaint id.

CREATE OR REPLACE FUNCTION @extschema@.demo_work_orders() RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    -- Complaints that have their demo order already keep it: work orders
    -- are records, kept for their retention period (700), so a rerun adds
    -- what is missing instead of replacing what is there.

    -- One plan row per complaint: channel (one of the tier's first three
    -- complaint channels), whether 10086 / multimedia could not handle it
    -- (1 in 4: escalated by the coordination rules), and the times of each
    -- step as fractions of the time to resolution.
    CREATE TEMP TABLE demo_wo_plan ON COMMIT DROP AS
    WITH c AS (
        SELECT c.complaint_id, c.customer_id, c.severity, c.filed_at, c.resolved_at, p.tier,
               abs(hashint8(c.complaint_id)::bigint) AS h
          FROM @extschema@.complaint c
          JOIN @extschema@.customer_profile p USING (customer_id)
         WHERE NOT EXISTS (SELECT FROM @extschema@.work_order w
                            WHERE w.customer_id = c.customer_id AND w.summary = 'demo complaint ' || c.complaint_id)
    )
    SELECT c.*,
           ch.channel,
           ch.channel IN ('10086', 'multimedia_manager', 'web') AND c.h % 4 = 0 AS escalate,
           coalesce(c.resolved_at - c.filed_at, interval '30 hours') AS span
      FROM c
      JOIN LATERAL (
          SELECT s.channel FROM @extschema@.service_channel_choice s
           WHERE s.service_item = 'complaint' AND s.tier OPERATOR(@extschema@.=) c.tier
           ORDER BY s.choice
          OFFSET (c.h % 3) LIMIT 1) ch ON true;

    INSERT INTO @extschema@.work_order (customer_id, tier, service_item, channel, kind, severity,
                                        received_at, summary)
    SELECT customer_id, tier, 'complaint', channel, 'complaint', severity, filed_at,
           'demo complaint ' || complaint_id
      FROM demo_wo_plan ORDER BY filed_at;
    GET DIAGNOSTICS n = ROW_COUNT;
    ALTER TABLE demo_wo_plan ADD COLUMN work_order_id bigint;
    UPDATE demo_wo_plan p SET work_order_id = w.work_order_id
      FROM @extschema@.work_order w WHERE w.summary = 'demo complaint ' || p.complaint_id;

    UPDATE @extschema@.work_order w
       SET state = 'escalated', effective_at = p.filed_at + p.span * 0.05,
           channel = @extschema@.route_work_order(w.channel, 'beyond_capability', w.tier)
      FROM demo_wo_plan p WHERE p.work_order_id = w.work_order_id AND p.escalate;
    -- 1 in 20 unresolved complaints is never picked up.
    UPDATE @extschema@.work_order w
       SET state = 'assigned', effective_at = p.filed_at + p.span * 0.1,
           assignee = CASE WHEN w.channel IN ('phone_manager', 'account_manager')
                           THEN upper(left(w.channel, 1)) || 'M' || lpad((p.h % 40)::text, 2, '0') END
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND NOT (p.resolved_at IS NULL AND p.h % 20 = 7);
    -- Work starts after 10-50 % of the time to resolution.
    UPDATE @extschema@.work_order w
       SET state = 'in_progress', effective_at = p.filed_at + p.span * (0.1 + (p.h % 41) / 100.0)
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND w.state = 'assigned'
       AND (p.resolved_at IS NOT NULL OR p.h % 2 = 0);
    UPDATE @extschema@.work_order w
       SET state = 'resolved', effective_at = p.resolved_at
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND p.resolved_at IS NOT NULL;
    -- Closed a day after resolution (none reopened in the demo).
    UPDATE @extschema@.work_order w
       SET state = 'closed', effective_at = p.resolved_at + interval '1 day'
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND p.resolved_at IS NOT NULL
       AND p.resolved_at + interval '1 day' <= now() AND p.h % 10 <> 3;
    DROP TABLE demo_wo_plan;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@.demo_work_orders() IS
'Demo data: adds one work order per custvalue.complaint row that has none yet (summary ''demo complaint <id>''; work orders are kept records, so a rerun replaces nothing) (received at filed_at, resolved at resolved_at), routed, escalated and moved through the state machine deterministically; returns the number of orders added.  Run after custvalue.generate_demo().';
-- Destructive, like generate_demo(): only its owner (and whom they grant) may run it.
REVOKE ALL ON FUNCTION @extschema@.demo_work_orders() FROM PUBLIC;
