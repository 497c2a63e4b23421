-- Complaint analytics and service recovery: frequency by category, tier,
-- channel and month, the complaint rate per 1 000 customers, repeat
-- complainers, themes; each complaint's handling (work order, root cause,
-- remedy, compensation, the customer's confirmation); the manager told.
-- In one transaction on a data model of its own, rolled back at the end.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
SET TimeZone = 'UTC';
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS sources_bound FROM create_data_model('cp_data');
SET LOCAL search_path = public, cp_data, custvalue;
-- Customers 1 and 2 are tier b (ARPU 150), 3 is c; 1 has a phone manager
-- and an account manager, 2 an account manager only, 3 neither.
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, account_manager, phone_manager)
VALUES (1, '10400000001', 'changsha', 'mzone', false, '2020-01-01', 'am1', 'pm1'),
       (2, '10400000002', 'changsha', 'mzone', false, '2020-01-01', 'am2', NULL),
       (3, '10400000003', 'changsha', 'mzone', false, '2020-01-01', NULL, NULL);
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c, m::date, CASE c WHEN 3 THEN 20 ELSE 150 END
  FROM generate_series(1, 3) c, generate_series('2026-04-01'::date, '2026-06-01', '1 month') m;
CALL run_month('2026-05-01', false);
CALL run_month('2026-06-01', false);
RESET client_min_messages;
SELECT month, customer_id, tier FROM customer_month ORDER BY 1, 2;

INSERT INTO complaint (customer_id, filed_at, category, severity) VALUES
    (1, '2026-05-10 09:00', 'billing', 'major'),
    (1, '2026-06-02 09:00', 'billing', 'ordinary'),
    (1, '2026-06-20 09:00', 'network', 'ordinary'),
    (2, '2026-06-15 09:00', 'attitude', 'ordinary'),
    (3, '2026-06-25 09:00', 'network', 'minor');
-- The managers told: 1's phone manager three times, 2's account manager;
-- 3 has no one to tell.
SELECT manager, customer_id, complaint_id, reason, notified_at FROM manager_notification ORDER BY notification_id;

-- Complaint 1 is handled by a work order on the phone-manager channel,
-- resolved, made good with 30 yuan and confirmed by the customer;
-- complaint 2's order is still open.
INSERT INTO work_order (customer_id, service_item, channel, kind, severity, received_at, summary)
VALUES (1, 'complaint', 'phone_manager', 'complaint', 'major', '2026-05-10 09:05', 'complaint 1'),
       (1, 'complaint', '10086', 'complaint', 'ordinary', '2026-06-02 09:05', 'complaint 2');
UPDATE work_order SET state = 'assigned' WHERE summary = 'complaint 1';
UPDATE work_order SET state = 'in_progress' WHERE summary = 'complaint 1';
UPDATE work_order SET state = 'resolved' WHERE summary = 'complaint 1';
UPDATE complaint SET resolved_at = '2026-05-11 09:00' WHERE complaint_id = 1;
INSERT INTO complaint_handling (complaint_id, work_order_id, root_cause, remedy, compensation)
SELECT 1, work_order_id, 'billing', 'refund of the double charge', 30 FROM work_order WHERE summary = 'complaint 1';
INSERT INTO complaint_handling (complaint_id, work_order_id, root_cause)
SELECT 2, work_order_id, 'billing' FROM work_order WHERE summary = 'complaint 2';
UPDATE complaint_handling SET confirmed = true WHERE complaint_id = 1;
SELECT complaint_id, customer_id, root_cause, compensation, confirmed, confirmed_at IS NOT NULL AS stamped
  FROM complaint_handling ORDER BY 1;
SELECT pg_temp.expect_error($$UPDATE cp_data.complaint_handling SET confirmed = true WHERE complaint_id = 2$$);
SELECT pg_temp.expect_error($$INSERT INTO cp_data.complaint_handling (complaint_id, work_order_id) SELECT 4, work_order_id FROM cp_data.work_order WHERE summary = 'complaint 2'$$);
SELECT pg_temp.expect_error($$INSERT INTO cp_data.complaint_handling (complaint_id, customer_id) VALUES (5, 1)$$);
SELECT pg_temp.expect_error($$INSERT INTO cp_data.complaint_handling (complaint_id, root_cause) VALUES (5, 'weather')$$);

SELECT complaint_id, month, category, severity, tier, channel, recovery FROM complaint_facts ORDER BY 1;
SELECT * FROM complaint_frequency ORDER BY month, category, tier, channel;
-- May: tier b 2 customers, 1 complaint: 500 per 1 000, 1 of 2 complained
-- (50 %); June: b 3 complaints by 2 customers: 1 500 per 1 000, 100 %; c:
-- 1 of 1.
SELECT * FROM complaint_rate ORDER BY month, tier DESC;
-- In the 90 days to 2026-06-30, customer 1 complained three times (one
-- resolved); the others once.
SELECT * FROM repeat_complainers ORDER BY customer_id;
UPDATE setting SET value = 4 WHERE name = 'repeat_complaint_count';
SELECT count(*) AS repeat_complainers_at_4 FROM repeat_complainers;
-- June: network 2 of 4 (rank 1), billing and attitude 1 each (rank 2);
-- billing has the same count as in May (change 0).
SELECT * FROM complaint_themes ORDER BY month, rank, category;
SELECT * FROM complaint_recovery ORDER BY month, tier DESC;
ROLLBACK;
