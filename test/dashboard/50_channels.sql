-- Dashboard: channels and work orders (domain.md §6, §9).
\echo
\echo '== Channels: the coordination matrix (what each channel hands on, and to whom) =='
SELECT r.from_channel AS "from",
       string_agg(r.need || ' -> ' || r.to_channel
                  || CASE WHEN r.priority > 1 THEN ' (fallback)' ELSE '' END,
                  '; ' ORDER BY r.need, r.priority, r.to_channel) AS "hands on"
  FROM custvalue.coordination_rule r
 GROUP BY r.from_channel
 ORDER BY r.from_channel;

\echo '== Channels: route_work_order() per tier for the seed''s examples =='
SELECT t AS tier,
       custvalue.route_work_order('multimedia_manager', 'beyond_capability', t) AS "multimedia cannot",
       custvalue.route_work_order('10086', 'beyond_capability', t) AS "10086 cannot",
       custvalue.route_work_order('hall', 'self_service', t) AS "hall recommends",
       custvalue.route_work_order('phone_manager', 'in_person', t) AS "must be in person"
  FROM custvalue.tiers() t
 WHERE custvalue.tier_rank(t) > 0;

\echo '== Channels: first-choice channel per tier (CPC), entitled items only =='
SELECT s.tier,
       string_agg(s.service_item || ': ' || s.channel, ', ' ORDER BY s.service_item)
           FILTER (WHERE s.choice = 1) AS "first choice",
       count(DISTINCT s.service_item) AS items
  FROM custvalue.service_channel_choice s
 WHERE s.entitled AND s.service_item IN ('birthday_gift', 'suspension_care', 'sim_replacement',
                                         'experience_vouchers', 'complaint')
 GROUP BY s.tier
 ORDER BY custvalue.tier_rank(s.tier) DESC;

\echo '== Work orders: one per demo complaint (custvalue.demo_work_orders()), and the monthly cycle''s retention calls =='
SELECT count(*) FILTER (WHERE t.work_order_id IS NULL) AS complaint_orders,
       count(t.work_order_id) AS retention_calls
  FROM custvalue.work_order w
  LEFT JOIN custvalue.call_task t ON t.customer_id = w.customer_id AND t.work_order_id = w.work_order_id;
SELECT state, count(*) AS orders FROM custvalue.work_order GROUP BY state
 ORDER BY array_position('{received,assigned,escalated,in_progress,resolved,closed}'::text[], state);

\echo '== Work orders: SLA compliance per tier, last 6 months of data (respond 24 h; major resolved 48 h) =='
WITH months AS (
    SELECT DISTINCT month FROM custvalue.sla_compliance_by_tier_month ORDER BY month DESC LIMIT 6
)
SELECT s.tier,
       sum(s.received) AS received,
       sum(s.response_due) AS response_due,
       round(100.0 * sum(s.responded_on_time) / nullif(sum(s.response_due), 0), 1) AS "response %",
       sum(s.resolution_due) AS resolution_due,
       round(100.0 * sum(s.resolved_on_time) / nullif(sum(s.resolution_due), 0), 1) AS "resolution %"
  FROM custvalue.sla_compliance_by_tier_month s JOIN months USING (month)
 GROUP BY s.tier
 ORDER BY custvalue.tier_rank(s.tier) DESC;

\echo '== Work orders: overdue at the end of the data (as_of_month + 1 month), per tier and clock =='
SELECT tier, clock, count(*) AS orders, justify_interval(max(overdue_by)) AS longest
  FROM custvalue.work_orders_overdue_at((custvalue.as_of_month() + interval '1 month')::timestamptz)
 GROUP BY tier, clock
 ORDER BY custvalue.tier_rank(tier) DESC, clock;

\echo '== Work orders: escalations routed by the coordination rules =='
SELECT h.from_channel, h.to_channel, count(*) AS orders
  FROM custvalue.work_order_history h
 WHERE h.to_state = 'escalated' AND h.from_channel <> h.to_channel
 GROUP BY 1, 2 ORDER BY 3 DESC;

\echo '== Work orders: post-service survey queue (the demo sends none) =='
SELECT state, count(*) AS requests FROM custvalue.survey_request GROUP BY state ORDER BY state;
