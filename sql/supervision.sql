-- Service supervision (seed 000, 步骤四): workload against capacity, the
-- fewest moves that bring every manager under it, and the registry of
-- needs, findings and suggestions with its lifecycle and the loop back to
-- the evaluation of service items.
-- In one transaction on a data model of its own, rolled back at the end.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
SET TimeZone = 'UTC';
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS sources_bound FROM create_data_model('sv_data');
RESET client_min_messages;
SET LOCAL search_path = public, sv_data, custvalue;
SELECT role, max_customers, max_work_orders_per_day, max_open_sla_clocks FROM manager_capacity ORDER BY role;

-- Four account managers: am1, am2 (east), am3 (west), am4 (east, left).
-- am1 owns customers 1-5, am2 customer 6, am3 none, am4 customers 7-8;
-- customer 9 is pm1's (a phone manager not in the registry).  Bills of
-- 2026-05 and 2026-06 (2 600 each: silver from May, owned by the account
-- manager, silver's warner):
-- the window is June.
INSERT INTO manager (manager, role, team, region, active) VALUES
    ('am1', 'account_manager', 'east-1', 'east', true), ('am2', 'account_manager', 'east-1', 'east', true),
    ('am3', 'account_manager', 'west-1', 'west', true), ('am4', 'account_manager', 'east-1', 'east', false);
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, account_manager, phone_manager)
SELECT c, '104' || lpad(c::text, 8, '0'), 'east', 'gotone', true, '2020-01-01',
       CASE WHEN c <= 5 THEN 'am1' WHEN c = 6 THEN 'am2' WHEN c <= 8 THEN 'am4' END,
       CASE WHEN c = 9 THEN 'pm1' END
  FROM generate_series(1, 9) c;
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c, m, 2600 FROM generate_series(1, 9) c, unnest('{2026-05-01,2026-06-01}'::date[]) m;
-- Three work orders on the account-manager channel for am1's customers,
-- unassigned (so am1's), open; one assigned to am2 by name.
INSERT INTO work_order (customer_id, service_item, channel, kind, received_at)
VALUES (1, 'complaint', 'account_manager', 'complaint', '2026-06-10 09:00'),
       (2, 'complaint', 'account_manager', 'complaint', '2026-06-11 09:00'),
       (3, 'complaint', 'account_manager', 'complaint', '2026-06-12 09:00');
INSERT INTO work_order (customer_id, service_item, channel, kind, received_at, assignee)
VALUES (6, 'complaint', 'account_manager', 'complaint', '2026-06-12 09:00', 'am2');
INSERT INTO service_event (customer_id, occurred_at, service_item, channel, manager)
VALUES (1, '2026-06-05 10:00', 'birthday_gift', 'account_manager', 'am1'),
       (1, '2026-05-05 10:00', 'birthday_gift', 'account_manager', 'am1');

-- Capacity 3 customers and 2 open clocks (a small team's policy).  am1:
-- 5/3 customers, 3 orders in 30 days (0.10 a day), 3/2 open clocks: load
-- 1.667, overloaded; am4 (left) holds 2 customers of capacity 3: 0.667.
UPDATE manager_capacity SET max_customers = 3, max_open_sla_clocks = 2 WHERE role = 'account_manager';
SELECT role, manager, team, active, customers, max_customers, service_events, work_orders_per_day,
       open_sla_clocks, load, overloaded
  FROM manager_workload ORDER BY role, manager;
SELECT channel, service_events, work_orders_per_day, open_sla_clocks, overloaded
  FROM channel_workload WHERE work_orders_per_day > 0 OR service_events > 0 ORDER BY channel;
-- A channel limit of 3 open clocks: the account-manager channel has 4.
INSERT INTO channel_capacity (channel, max_open_sla_clocks) VALUES ('account_manager', 3);
SELECT channel, open_sla_clocks, max_open_sla_clocks, overloaded FROM channel_workload WHERE channel = 'account_manager';

-- The fewest moves: am1 is 2 over, am4 (left) keeps no one: 4 customers
-- must move, and 4 do.  am4's go first (no one serves them), to am2, who
-- has room for 2 in the same region; am1 keeps 1-3 (no stored CVF: lowest
-- ids kept), 4 and 5 go west to am3.
SELECT * FROM propose_customer_moves('account_manager');
-- With room for 2 each there is room for 3 (am2 1, am3 2) but 5 must
-- move: a warning, and the 3 moves that fit: am4's 7 to am2, 8 to am3,
-- then am1's 3 to am3; am1 keeps 4 and 5 over capacity.
UPDATE manager_capacity SET max_customers = 2 WHERE role = 'account_manager';
SELECT * FROM propose_customer_moves('account_manager');
SELECT count(*) AS moves FROM propose_customer_moves('phone_manager');
SELECT pg_temp.expect_error($$SELECT * FROM custvalue.propose_customer_moves('hall')$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.manager_capacity SET max_customers = 0 WHERE role = 'phone_manager'$$);

-- The manager scorecard, June.  The months are stored; then customer 4
-- (am1's in May) churns in June.  am1's evaluations: third party 85 (80,
-- 90, 70, 100), internal 60: quality 72.5; a customer 90: perception 90.
-- Two surveys of am1's services (one of an event with no manager, on the
-- account-manager channel, for am1's customer 2): 1 satisfied, 50.  No
-- work order resolved: no SLA.  Owned in May 5, 1 churned: retention 80.
-- Work orders received in June in team east-1: am1 3, am2 1, am4 0:
-- volume (cume_dist) 100, 66.67, 33.33.  Score of am1 over the five
-- components with data: (0.25*72.5 + 0.15*90 + 0.25*50 + 0.15*80 +
-- 0.05*100) / 0.85 = 71.91; am2 (retention 100, volume 66.67): 91.67;
-- am4: 83.33; am3, alone in west-1, volume 100: 100.
SET LOCAL client_min_messages = warning;
CALL run_month('2026-05-01', false);
CALL run_month('2026-06-01', false);
RESET client_min_messages;
UPDATE customer SET status = 'churned', churned_on = '2026-06-15' WHERE customer_id = 4;
INSERT INTO manager_evaluation (manager, evaluated_at, method, courtesy, standards, competence, communication) VALUES
    ('am1', '2026-06-10', 'third_party', 80, 90, 70, 100),
    ('am1', '2026-06-11', 'internal', 60, 60, 60, 60),
    ('am1', '2026-06-12', 'customer_perception', 90, 90, 90, 90);
INSERT INTO service_event (customer_id, occurred_at, service_item, channel, manager)
VALUES (2, '2026-06-06 10:00', 'birthday_gift', 'account_manager', NULL);
INSERT INTO survey_response (customer_id, event_id, answered_at, channel, satisfied)
SELECT e.customer_id, e.event_id, e.occurred_at + interval '1 hour', 'sms', e.customer_id = 1
  FROM service_event e WHERE e.occurred_at >= '2026-06-01';
SELECT manager, team, quality, perception, satisfaction, sla, retention, volume, score, team_percentile, team_rank,
       quality_reviews, perception_reviews, surveys, work_orders, customers_before, churned
  FROM manager_scorecard WHERE month = '2026-06-01' AND role = 'account_manager' ORDER BY team, team_rank;
-- The weights are policy, summing to 1 (checked at commit, here at once).
SELECT pg_temp.expect_error($$UPDATE custvalue.manager_kpi_weight SET weight = 0.35 WHERE component = 'quality'; SET CONSTRAINTS custvalue.manager_kpi_weight_sum IMMEDIATE$$);
UPDATE manager_kpi_weight SET weight = 0.30 WHERE component = 'quality';
UPDATE manager_kpi_weight SET weight = 0.00 WHERE component = 'volume';
SET CONSTRAINTS manager_kpi_weight_sum IMMEDIATE;
SET CONSTRAINTS manager_kpi_weight_sum DEFERRED;
-- am1 now: (0.30*72.5 + 0.15*90 + 0.25*50 + 0.15*80 + 0*100) / 0.85 = 70.29.
SELECT manager, score FROM manager_scorecard WHERE month = '2026-06-01' AND manager = 'am1';

-- The registry.  The seed's think-tank shape in small: 5 suggestions, 2
-- adopted of which 1 improved, 1 rejected; internal supervision 2, 1 adopted.
INSERT INTO service_item_evaluation (item, service_item, evaluated_on, valid_sample, aware, well_perceived,
                                     finds_convenient, coverage, operability)
VALUES ('Birthday care', 'birthday_gift', '2026-03-31', 100, 80, 80, 80, 80, 80);
INSERT INTO suggestion (submitted_at, origin, kind, from_customer, service_item, summary, evaluation_requested) VALUES
    ('2026-04-01 10:00', 'think_tank', 'suggestion', 1, 'birthday_gift', 'let the customer choose the gift', true),
    ('2026-04-02 10:00', 'think_tank', 'finding', 2, 'birthday_gift', 'gift arrives after the birthday', true),
    ('2026-04-03 10:00', 'think_tank', 'need', 3, 'lecture_hall', 'weekend lectures', false),
    ('2026-04-04 10:00', 'think_tank', 'suggestion', NULL, 'lecture_hall', 'record the lectures', false),
    ('2026-03-01 10:00', 'think_tank', 'suggestion', NULL, 'birthday_gift', 'a card with the gift', true),
    ('2026-04-05 10:00', 'internal_supervision', 'finding', NULL, 'hotline_priority', 'IVR has four options', true),
    ('2026-04-06 10:00', 'internal_supervision', 'suggestion', NULL, NULL, 'airport lounge signage', false);
UPDATE suggestion SET status = 'adopted', decided_at = submitted_at + interval '2 days' WHERE suggestion_id IN (1, 2, 6);
UPDATE suggestion SET status = 'rejected', decided_at = submitted_at + interval '4 days' WHERE suggestion_id = 3;
SELECT pg_temp.expect_error($$UPDATE sv_data.suggestion SET status = 'improved' WHERE suggestion_id = 2$$);
UPDATE suggestion SET status = 'improved', improved_at = '2026-05-01', rectification = 'gifts leave 7 days before'
 WHERE suggestion_id = 2;
SELECT pg_temp.expect_error($$UPDATE sv_data.suggestion SET status = 'submitted' WHERE suggestion_id = 2$$);
SELECT pg_temp.expect_error($$UPDATE sv_data.suggestion SET status = 'improved', rectification = 'x' WHERE suggestion_id = 4$$);
SELECT pg_temp.expect_error($$UPDATE sv_data.suggestion SET status = 'adopted' WHERE suggestion_id = 3$$);
SELECT pg_temp.expect_error($$UPDATE sv_data.suggestion SET origin = 'forum' WHERE suggestion_id = 4$$);
SELECT pg_temp.expect_error($$INSERT INTO sv_data.suggestion (submitted_at, origin, kind, summary) VALUES ('2026-04-07', 'newspaper', 'need', 'x')$$);
SELECT suggestion_id, status, decided_at::date, improved_at::date, rectification FROM suggestion ORDER BY 1;
-- think_tank: 5 submitted, 2 adopted (1 since improved), 1 rejected, 2
-- open: 0.4000 adopted, 0.5000 of those improved, decisions after 2, 2, 4
-- days (2.7); by kind: 3 suggestions (1 adopted), 1 finding (improved), 1
-- need (rejected).  Internal: 2, 1 adopted (the finding): 0.5000; all: 7,
-- 3: 0.4286.
SELECT * FROM suggestion_adoption ORDER BY origin = 'all', origin, kind = 'all', kind;
-- The loop: birthday care was evaluated on 2026-03-31; suggestions 1 and 2
-- asked for a new evaluation after it (5 was before), hotline priority was
-- never evaluated.  A new evaluation takes birthday care off the queue.
SELECT service_item, last_evaluated_on, requests, adopted_requests, suggestion_ids
  FROM service_item_review_queue ORDER BY service_item;
INSERT INTO service_item_evaluation (item, service_item, evaluated_on, valid_sample, aware, well_perceived,
                                     finds_convenient, coverage, operability)
VALUES ('Birthday care', 'birthday_gift', '2026-05-15', 100, 85, 85, 85, 80, 80);
SELECT service_item FROM service_item_review_queue ORDER BY service_item;
-- What a customer suggested is a record: kept 3 years.
SELECT pg_temp.expect_error($$DELETE FROM sv_data.suggestion WHERE suggestion_id = 1$$);

-- The demo: the registry from the managers its customers name, and the
-- seed's counts from generated rows (think-tank 1 257 / 518 / 266;
-- internal 87 suggestions, 49 adopted and carried out; 23 problems, all
-- solved).  A second call adds no suggestions.
SET LOCAL client_min_messages = warning;
TRUNCATE suggestion, manager_evaluation;
SELECT count(*) AS tables_loaded FROM generate_demo(2000, 7);
SELECT demo_work_orders() > 0 AS work_orders_made;
RESET client_min_messages;
SELECT * FROM demo_supervision(7);
SELECT * FROM demo_supervision(7);
SELECT origin, kind, submitted, adopted, improved, adoption_rate
  FROM suggestion_adoption WHERE origin IN ('think_tank', 'internal_supervision') ORDER BY origin, kind;
SELECT role, count(*) AS managers, sum(customers) AS customers FROM manager_workload GROUP BY role ORDER BY role;
-- The survey programme: five rounds; the sample makes the demo send the
-- seed's 296 244 SMS per 2.13 M customers, 278 for these 2 000 (a hash
-- draws them: 288); the demo's answers (98.5 % satisfied at 100 000
-- customers, the seed's 98.48 %; here 99.36).
SELECT count(*) AS rounds, min(starts_on) AS first_day, max(ends_on) AS day_after FROM survey_round;
SELECT round, sent, answered, satisfied_pct FROM survey_round_summary WHERE service_item IS NULL ORDER BY round NULLS LAST;
-- The proposal on the demo: with 30 customers each, the moves are exactly
-- the customers beyond capacity, and once made no active account manager
-- is over it.
UPDATE manager_capacity SET max_customers = 30 WHERE role = 'account_manager';
CREATE TEMP TABLE demo_moves AS SELECT * FROM propose_customer_moves('account_manager');
SELECT (SELECT count(*) FROM demo_moves) AS moves,
       (SELECT sum(greatest(customers - CASE WHEN active THEN 30 ELSE 0 END, 0)) FROM manager_workload
         WHERE role = 'account_manager') AS beyond_capacity;
UPDATE customer c SET account_manager = m.to_manager FROM demo_moves m WHERE m.customer_id = c.customer_id;
SELECT count(*) FILTER (WHERE customers > 30 AND active) AS over_capacity_after,
       max(customers) FILTER (WHERE active) AS most_customers_after
  FROM manager_workload WHERE role = 'account_manager';
-- Every demo complaint with a work order is handled; the customer's word
-- on 9 in 10 resolved ones; every complaint of a customer with a manager
-- was notified.
SELECT count(*) AS handled, count(*) FILTER (WHERE h.confirmed IS NOT NULL) AS asked,
       count(*) FILTER (WHERE h.confirmed) AS confirmed
  FROM complaint_handling h;
SELECT count(*) AS complaints,
       count(*) FILTER (WHERE EXISTS (SELECT FROM manager_notification n WHERE n.complaint_id = c.complaint_id)) AS notified,
       count(*) FILTER (WHERE coalesce(k.phone_manager, k.account_manager) IS NOT NULL) AS with_a_manager
  FROM complaint c JOIN customer k USING (customer_id);
ROLLBACK;
