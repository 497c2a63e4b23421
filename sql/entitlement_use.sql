-- The fulfilment ledger: every use of a counted entitlement is a row,
-- checked against the tier's quota in its window; balances per customer.
-- In one transaction on a data model of its own, rolled back at the end.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
SET TimeZone = 'UTC';
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS sources_bound FROM create_data_model('eu_data');
RESET client_min_messages;
SET LOCAL search_path = public, eu_data, custvalue;
-- Service periods: 12 months from January (service_period_months = 12).
SELECT service_period_start('2026-01-01') AS jan, service_period_start('2026-12-31') AS dec;

-- Customer 1: gold (annual spend 4 800 with a VIP card); customer 2: tier c.
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on)
VALUES (1, '10400000001', 'changsha', 'gotone', true, '2020-01-01'),
       (2, '10400000002', 'changsha', 'mzone', false, '2020-01-01');
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c, m::date, CASE c WHEN 1 THEN 400 ELSE 20 END
  FROM generate_series(1, 2) c, generate_series('2026-01-01'::date, '2026-12-01', '1 month') m;
SELECT customer_id, tier FROM customer_profile ORDER BY 1;
SELECT service_item, quantity, unlimited, amount, per_request_cap, points FROM entitlement
 WHERE tier = 'gold' AND service_item IN ('sim_replacement', 'lecture_hall', 'birthday_gift', 'suspension_care', 'experience_vouchers')
 ORDER BY 1;

-- SIM replacements: 4 a period for gold; the fifth is refused, or kept as
-- an exception with a reason; a new period starts again.
INSERT INTO entitlement_use (customer_id, service_item, used_at)
SELECT 1, 'sim_replacement', '2026-02-01'::timestamptz + g * interval '1 month' FROM generate_series(1, 4) g;
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at) VALUES (1, 'sim_replacement', '2026-11-01')$$);
INSERT INTO entitlement_use (customer_id, service_item, used_at, over_quota_reason)
VALUES (1, 'sim_replacement', '2026-11-02', 'card damaged in the hall''s reader');
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at, over_quota_reason) VALUES (1, 'sim_replacement', '2027-01-05', 'none needed')$$);
INSERT INTO entitlement_use (customer_id, service_item, used_at) VALUES (1, 'sim_replacement', '2027-01-05');
-- The quota is the tier's the customer holds: the desk cannot claim another.
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at, tier) VALUES (1, 'sim_replacement', '2027-02-05', 'diamond')$$);
-- Lecture hall: 2 free visits, then none for gold (not unlimited).
INSERT INTO entitlement_use (customer_id, service_item, used_at) VALUES (1, 'lecture_hall', '2026-03-01'), (1, 'lecture_hall', '2026-04-01');
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at) VALUES (1, 'lecture_hall', '2026-05-01')$$);
-- Birthday gift: one a period, up to the tier's value.
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at, amount) VALUES (1, 'birthday_gift', '2026-06-01', 150)$$);
INSERT INTO entitlement_use (customer_id, service_item, used_at, amount) VALUES (1, 'birthday_gift', '2026-06-01', 120);
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at, amount) VALUES (1, 'birthday_gift', '2026-06-02', 10)$$);
-- Overdraft credit: 200 a month, at most 100 a request; a new month starts again.
INSERT INTO entitlement_use (customer_id, service_item, used_at, amount) VALUES (1, 'suspension_care', '2026-07-03', 100), (1, 'suspension_care', '2026-07-20', 60);
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at, amount) VALUES (1, 'suspension_care', '2026-07-25', 50)$$);
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at, amount) VALUES (1, 'suspension_care', '2026-08-01', 120)$$);
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at) VALUES (1, 'suspension_care', '2026-08-01')$$);
INSERT INTO entitlement_use (customer_id, service_item, used_at, amount) VALUES (1, 'suspension_care', '2026-08-01', 100);
-- Tier c has the ordinary standard: no entitlement; bad input.
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item) VALUES (2, 'sim_replacement')$$);
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item) VALUES (99, 'sim_replacement')$$);
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, quantity) VALUES (1, 'sim_replacement', 0)$$);
-- With exceptions off, a reason does not help.
UPDATE custvalue.setting SET value = 0 WHERE name = 'entitlement_exceptions_allowed';
SELECT pg_temp.expect_error($$INSERT INTO eu_data.entitlement_use (customer_id, service_item, used_at, over_quota_reason) VALUES (1, 'lecture_hall', '2026-05-01', 'VIP guest')$$);
UPDATE custvalue.setting SET value = 1 WHERE name = 'entitlement_exceptions_allowed';

-- The ledger, and the balance of the current period (the bills' last
-- month, 2026-12: the period 2026-01-01 to 2027-01-01).
SELECT service_item, used_at::date, tier, quantity, amount, over_quota_reason IS NOT NULL AS exception
  FROM entitlement_use ORDER BY use_id;
SELECT customer_id, tier, service_item, period_start, period_end, allowed, used, remaining, exceptions, more_with_points
  FROM entitlement_balance ORDER BY customer_id, service_item;
-- The ledger is a record: kept 5 years.
SELECT regexp_replace(pg_temp.expect_error($$DELETE FROM eu_data.entitlement_use$$), 'kept until [0-9-]+', 'kept until <date>');
ROLLBACK;
