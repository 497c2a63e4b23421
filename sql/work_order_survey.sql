-- The post-service survey queue: resolving a work order records a service
-- event and queues its SMS survey; the answer reaches survey_response and
-- the satisfaction views.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql
SET TimeZone = 'UTC';
CREATE FUNCTION pg_temp.expect_error_n(statement text) RETURNS text LANGUAGE sql
    AS $$ SELECT regexp_replace(pg_temp.expect_error(statement), '(request|order) \d+', '\1 N', 'g') $$;

-- Customer 950201: tier b (ARPU 150).
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on)
VALUES (950201, '13800000201', 'changsha', 'mzone', false, '2024-01-01');
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT 950201, m::date, 150 FROM generate_series('2026-01-01'::date, '2026-03-01', '1 month') m;

INSERT INTO work_order (customer_id, service_item, channel, kind, received_at, assignee, summary)
VALUES (950201, 'complaint', 'phone_manager', 'complaint', '2026-02-02 09:00+00', 'PM03', 's1');
UPDATE work_order SET state = 'assigned', effective_at = '2026-02-02 09:05+00' WHERE summary = 's1';
UPDATE work_order SET state = 'in_progress', effective_at = '2026-02-02 09:10+00' WHERE summary = 's1';
-- Nothing is queued before resolution.
SELECT count(*) AS events, (SELECT count(*) FROM survey_request) AS requests
  FROM service_event WHERE customer_id = 950201;
UPDATE work_order SET state = 'resolved', effective_at = '2026-02-02 10:00+00' WHERE summary = 's1';
-- The resolution is a service event (item, channel, manager of the order)
-- with one pending survey due at once (survey_delay_minutes = 0).
SELECT occurred_at, service_item, channel, manager FROM service_event WHERE customer_id = 950201;
SELECT r.state, r.channel, r.due_at, r.event_id = e.event_id AS linked
  FROM survey_request r JOIN service_event e ON e.customer_id = r.customer_id;
SELECT count(*) AS in_outbox FROM survey_outbox WHERE customer_id = 950201;

-- Answering before it is sent, or an unknown request, is refused.
SELECT pg_temp.expect_error_n(format('SELECT custvalue.survey_answer(%s, true)', request_id)) FROM survey_request;
SELECT pg_temp.expect_error_n('SELECT custvalue.survey_answer(-1, true)');
SELECT pg_temp.expect_error_n('SELECT custvalue.survey_sent(-1)');
SELECT survey_sent(request_id, '2026-02-02 10:01+00') FROM survey_request;
SELECT pg_temp.expect_error_n(format($$SELECT custvalue.survey_sent(%s)$$, request_id)) FROM survey_request;
SELECT pg_temp.expect_error_n(format($$SELECT custvalue.survey_answer(%s, true, answered_at => '2026-02-02 10:00+00')$$,
                                     request_id)) FROM survey_request;
SELECT count(*) AS in_outbox FROM survey_outbox WHERE customer_id = 950201;
-- The answer: a survey_response tied to the event.
SELECT survey_answer(request_id, true, answered_at => '2026-02-02 10:30+00') IS NOT NULL AS answered
  FROM survey_request;
SELECT r.state, r.sent_at, s.answered_at, s.channel, s.satisfied, s.event_id = r.event_id AS linked
  FROM survey_request r JOIN survey_response s ON s.response_id = r.response_id;
SELECT pg_temp.expect_error_n(format($$SELECT custvalue.survey_answer(%s, false)$$, request_id)) FROM survey_request;
-- The satisfaction views see it with the order's item, channel and manager.
SELECT survey, tier, segment, service_item, channel, manager, satisfied
  FROM satisfaction_answers WHERE customer_id = 950201;

-- Reopening before the survey goes out cancels it; the next resolution
-- queues a new one for a new event.  Closing does not cancel.
INSERT INTO work_order (customer_id, service_item, channel, kind, received_at, summary)
VALUES (950201, 'fault_repair', '10086', 'fault', '2026-02-03 09:00+00', 's2');
UPDATE work_order SET state = 'assigned', effective_at = '2026-02-03 09:05+00' WHERE summary = 's2';
UPDATE work_order SET state = 'in_progress', effective_at = '2026-02-03 09:10+00' WHERE summary = 's2';
UPDATE work_order SET state = 'resolved', effective_at = '2026-02-03 10:00+00' WHERE summary = 's2';
UPDATE work_order SET state = 'in_progress', effective_at = '2026-02-03 10:20+00' WHERE summary = 's2';
UPDATE work_order SET state = 'resolved', effective_at = '2026-02-03 10:40+00' WHERE summary = 's2';
UPDATE work_order SET state = 'closed', effective_at = '2026-02-03 11:00+00' WHERE summary = 's2';
SELECT r.state, r.due_at, e.occurred_at, e.service_item, e.channel
  FROM survey_request r JOIN service_event e USING (event_id) JOIN work_order w USING (work_order_id)
 WHERE w.summary = 's2' ORDER BY r.request_id;

-- The delay is a setting: due two hours after resolution, so not yet in the
-- outbox for an order resolved now.
BEGIN;
UPDATE setting SET value = 120 WHERE name = 'survey_delay_minutes';
INSERT INTO work_order (customer_id, service_item, channel, kind, summary)
VALUES (950201, 'business_request', 'web', 'request', 's3');
UPDATE work_order SET state = 'assigned' WHERE summary = 's3';
UPDATE work_order SET state = 'in_progress' WHERE summary = 's3';
UPDATE work_order SET state = 'resolved' WHERE summary = 's3';
SELECT r.due_at - w.resolved_at AS delay, r.request_id IN (SELECT request_id FROM survey_outbox) AS in_outbox
  FROM survey_request r JOIN work_order w USING (work_order_id) WHERE w.summary = 's3';
ROLLBACK;

SELECT pg_temp.drop_customers(950201, 950201);
SELECT (SELECT count(*) FROM survey_request) AS requests_left, (SELECT count(*) FROM work_order) AS orders_left;
SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'custvalue'::regnamespace AND c.relname IN ('survey_request', 'survey_outbox')
   AND obj_description(c.oid, 'pg_class') IS NULL;
