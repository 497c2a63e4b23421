-- A survey after every service: survey_policy per service item (surveyed,
-- sample, channel, delay), queue_post_service_surveys() in batches,
-- consent honoured, rounds (期) and their report.
-- In one transaction on a data model of its own, rolled back at the end.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
SET TimeZone = 'UTC';
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS sources_bound FROM create_data_model('ps_data');
SET LOCAL search_path = public, ps_data, custvalue;
-- Customers 1 (tier b, phone manager pm1), 2 (b, no survey consent), 3 (c).
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, phone_manager)
VALUES (1, '10400000001', 'changsha', 'mzone', false, '2020-01-01', 'pm1'),
       (2, '10400000002', 'changsha', 'mzone', false, '2020-01-01', 'pm1'),
       (3, '10400000003', 'changsha', 'mzone', false, '2020-01-01', NULL);
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c, m::date, CASE c WHEN 3 THEN 20 ELSE 150 END
  FROM generate_series(1, 3) c, generate_series('2026-04-01'::date, '2026-06-01', '1 month') m;
CALL run_month('2026-05-01', false);
CALL run_month('2026-06-01', false);
RESET client_min_messages;
INSERT INTO contact_consent (customer_id, purpose, granted, channel) VALUES (2, 'survey', false, 'hotline');
SELECT count(*) AS items, count(*) FILTER (WHERE surveyed AND sample_percent = 100 AND channel = 'sms') AS every_service_by_sms
  FROM survey_policy;
UPDATE survey_policy SET surveyed = false WHERE service_item = 'lecture_hall';

INSERT INTO service_event (customer_id, occurred_at, service_item, channel, manager) VALUES
    (1, '2026-05-10 10:00', 'birthday_gift', 'phone_manager', NULL),   -- 1: surveyed, pm1's
    (1, '2026-06-03 10:00', 'sim_replacement', 'hall', NULL),           -- 2: surveyed
    (2, '2026-06-04 10:00', 'birthday_gift', 'phone_manager', NULL),   -- 3: no consent
    (3, '2026-06-05 10:00', 'lecture_hall', 'hall', NULL),              -- 4: not surveyed
    (3, '2026-07-02 10:00', 'sim_replacement', 'hall', NULL);           -- 5: after until
SELECT queue_post_service_surveys('2026-05-01', '2026-07-01') AS queued;
SELECT queue_post_service_surveys('2026-05-01', '2026-07-01') AS queued_again;
SELECT request_id, work_order_id, customer_id, event_id, channel, due_at, state FROM survey_request ORDER BY request_id;
-- A delay per item, and a sample: at 0.01 % an event is almost never drawn.
UPDATE survey_policy SET delay_minutes = 90 WHERE service_item = 'sim_replacement';
SELECT queue_post_service_surveys('2026-07-01', '2026-08-01') AS queued_july;
SELECT event_id, due_at FROM survey_request WHERE event_id = 5;
UPDATE survey_policy SET sample_percent = 0.01 WHERE service_item = 'birthday_gift';
INSERT INTO service_event (customer_id, occurred_at, service_item, channel) VALUES (1, '2026-07-03 10:00', 'birthday_gift', 'phone_manager');
SELECT queue_post_service_surveys('2026-07-01', '2026-08-01') AS queued_at_a_tiny_sample;
SELECT pg_temp.expect_error($$UPDATE custvalue.survey_policy SET sample_percent = 0 WHERE service_item = 'birthday_gift'$$);
SELECT pg_temp.expect_error($$SELECT custvalue.queue_post_service_surveys(NULL)$$);

-- Two rounds, May and June; rounds may not overlap.
INSERT INTO survey_round VALUES (1, '2026-05-01', '2026-06-01', 'May'), (2, '2026-06-01', '2026-07-01', 'June');
SELECT pg_temp.expect_error($$INSERT INTO custvalue.survey_round VALUES (3, '2026-06-15', '2026-07-15', 'overlap')$$);
-- Sent: event 1 in May (answered, satisfied), event 2 in June (no answer).
SELECT survey_sent(request_id, '2026-05-10 10:05') FROM survey_request WHERE event_id = 1;
SELECT survey_sent(request_id, '2026-06-03 10:05') FROM survey_request WHERE event_id = 2;
SELECT survey_answer(request_id, true, answered_at => '2026-05-10 11:00') IS NOT NULL AS answered
  FROM survey_request WHERE event_id = 1;
-- Round 1: 1 sent, 1 answered, 100 % satisfied, pm1's birthday care for
-- tier b; round 2: 1 sent, none answered; in all 2 sent, 1 answered.
SELECT round, label, service_item, tier, service_channel, manager, sent, answered, response_rate, satisfied, satisfied_pct
  FROM survey_round_summary ORDER BY round NULLS LAST, service_item NULLS LAST;
ROLLBACK;
