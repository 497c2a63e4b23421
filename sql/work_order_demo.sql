-- Demo work orders: one per demo complaint, replayed through the state
-- machine; the result must obey every rule and be reproducible.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
SET TimeZone = 'UTC';

SELECT count(*) > 0 AS loaded FROM generate_demo(3000, 7);
SELECT demo_work_orders() = (SELECT count(*) FROM complaint) AS one_order_per_complaint;
-- Every recorded state change is an allowed transition; effective times
-- never go backwards; derived times agree with the states.
SELECT count(*) AS illegal_changes FROM work_order_history h
 WHERE h.from_state <> h.to_state
   AND NOT EXISTS (SELECT FROM work_order_transition t
                    WHERE t.from_state = h.from_state AND t.to_state = h.to_state);
SELECT count(*) AS backwards FROM (
    SELECT changed_at < lag(changed_at) OVER (PARTITION BY work_order_id ORDER BY history_id) AS back
      FROM work_order_history) h WHERE back;
SELECT count(*) FILTER (WHERE w.state IN ('resolved', 'closed') AND w.resolved_at IS NULL) AS resolved_without_time,
       count(*) FILTER (WHERE w.resolved_at IS NOT NULL
                          AND NOT EXISTS (SELECT FROM survey_request r WHERE r.work_order_id = w.work_order_id))
           AS resolved_without_survey,
       count(*) FILTER (WHERE w.resolved_at IS DISTINCT FROM c.resolved_at) AS resolution_differs_from_complaint
  FROM work_order w JOIN complaint c ON w.summary = 'demo complaint ' || c.complaint_id;
-- Escalations went where the coordination rules send them.
SELECT count(*) AS misrouted FROM work_order_history h JOIN work_order w USING (work_order_id)
 WHERE h.to_state = 'escalated'
   AND h.to_channel <> route_work_order(h.from_channel, 'beyond_capability', w.tier);
-- Reproducible: a second run gives the same orders.
CREATE TEMP TABLE run1 AS
SELECT summary, tier, channel, state, state_changed_at, respond_by, resolve_by FROM work_order;
SELECT demo_work_orders() AS rerun_added;
SELECT count(*) AS differences FROM (
    (SELECT summary, tier, channel, state, state_changed_at, respond_by, resolve_by FROM work_order
     EXCEPT SELECT * FROM run1)
    UNION ALL
    (SELECT * FROM run1
     EXCEPT SELECT summary, tier, channel, state, state_changed_at, respond_by, resolve_by FROM work_order)) d;
-- The rerun added nothing: still one service event per resolution.
SELECT (SELECT count(*) FROM service_event e WHERE e.service_item = 'complaint')
     = (SELECT count(*) FROM survey_request) AS one_event_per_survey;
-- Empty again (generate_demo also empties the tables that reference customers).
SELECT count(*) >= 0 AS emptied FROM generate_demo(0, 1);
SELECT (SELECT count(*) FROM work_order) AS orders, (SELECT count(*) FROM work_order_history) AS history,
       (SELECT count(*) FROM survey_request) AS surveys, (SELECT count(*) FROM customer) AS customers;
