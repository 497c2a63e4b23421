-- Is the tier's promise kept?  Birthday gifts due, on time, late, missed;
-- suspensions without the tier's warning; points and voucher balances; the
-- fulfilment of each counted entitlement per tier and stored month.
-- In one transaction on a data model of its own, rolled back at the end.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
SET TimeZone = 'UTC';
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS sources_bound FROM create_data_model('fu_data');
SET LOCAL search_path = public, fu_data, custvalue;

-- Gold: customers 1-5 and 7 (VIP card, 400 a month); 6 is tier c; 8 tier a
-- (ARPU 250, no card); 9 diamond (VIP card, 600 a month).  Bills up to
-- 2026-06: the reference month, so "as of" is 2026-06-30, and the service
-- period is 2026.
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, birth_date, phone_manager)
VALUES (1, '10400000001', 'changsha', 'gotone', true, '2015-01-01', '1980-06-10', 'pm_li'),
       (2, '10400000002', 'changsha', 'gotone', true, '2015-01-01', '1985-06-25', 'pm_li'),
       (3, '10400000003', 'changsha', 'gotone', true, '2015-01-01', '1990-07-05', 'pm_li'),
       (4, '10400000004', 'changsha', 'gotone', true, '2015-01-01', '1975-08-20', 'pm_wang'),
       (5, '10400000005', 'changsha', 'gotone', true, '2015-01-01', '1988-02-29', 'pm_wang'),
       (6, '10400000006', 'changsha', 'mzone', false, '2015-01-01', '1990-06-01', NULL),
       (7, '10400000007', 'changsha', 'gotone', true, '2015-01-01', '1970-05-20', 'pm_wang'),
       (8, '10400000008', 'changsha', 'mzone', false, '2015-01-01', NULL, 'pm_wang'),
       (9, '10400000009', 'changsha', 'gotone', true, '2015-01-01', NULL, NULL);
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c, m::date, CASE WHEN c = 6 THEN 20 WHEN c = 8 THEN 250 WHEN c = 9 THEN 600 ELSE 400 END
  FROM generate_series(1, 9) c, generate_series('2025-05-01'::date, '2026-06-01', '1 month') m;
SELECT customer_id, tier FROM customer_profile ORDER BY 1;
-- The monthly cycle stores December 2025 (the last month of the period
-- before), May and June (the tiers the reports go by).
CALL run_month('2025-12-01', false);
CALL run_month('2026-05-01', false);
CALL run_month('2026-06-01', false);
RESET client_min_messages;
SELECT month, tier, count(*) FROM customer_month GROUP BY 1, 2 ORDER BY 1, 2 DESC;

-- Uses of the period.  Birthday gifts: 1 on 06-12 (birthday 06-10: window
-- 06-03 .. 06-13, on time); 5 on 03-10 (born 29 February: 2026-02-28,
-- window closes 03-03, late); 7 on 05-01 (birthday 05-20, window opens
-- 05-13: early).  2 (06-25, window closed 06-28) got nothing: missed;
-- 3 (07-05, window opened 06-28): due; 4 (08-20): upcoming.
INSERT INTO entitlement_use (customer_id, service_item, used_at, amount) VALUES
    (1, 'birthday_gift', '2026-06-12 10:00', 100),
    (5, 'birthday_gift', '2026-03-10 10:00', 120),
    (7, 'birthday_gift', '2026-05-01 10:00', 80);
-- SIM replacements: 1 in February, May, and two in June; 2 in May.
INSERT INTO entitlement_use (customer_id, service_item, used_at, quantity) VALUES
    (1, 'sim_replacement', '2026-02-10', 1), (1, 'sim_replacement', '2026-05-03', 1),
    (1, 'sim_replacement', '2026-06-07', 2), (2, 'sim_replacement', '2026-05-20', 1),
    (1, 'lecture_hall', '2026-06-15', 1);
-- Vouchers of customer 8 (tier a, 5 a period): 2 last period, 1 this one.
INSERT INTO entitlement_use (customer_id, service_item, used_at, quantity) VALUES
    (8, 'experience_vouchers', '2025-11-10', 2), (8, 'experience_vouchers', '2026-04-01', 1);

SELECT customer_id, tier, phone_manager, birthday, window_opens, window_closes, given_at::date, amount, status
  FROM birthday_gift_status ORDER BY customer_id;

-- Per stored month and tier.  Gold, 6 customers: SIM 6 x 4 = 24 allowed;
-- to the end of May 3 used (1's February and May, 2's May), 2 in May:
-- 21 unused, 3/24 = 0.1250; to June 5, 0.2083.  Lecture hall 6 x 2 = 12,
-- one visit in June.  Birthday gifts 6: by May 2 given (5, 7), by June 3.
-- December 2025, on 8 months of bills: 3 200 makes 1-5 and 7 silver,
-- 4 800 makes 9 gold; customer 8's 2 vouchers of November: 2/5 = 0.4000.
-- Tier a: customer 8's 5 vouchers, 1 used (April), 3 SIM replacements, a
-- gift (no birth date known: never due).  Diamond: a gift and 5 SIM
-- replacements; no free lecture-hall visits (they are paid with points).
SELECT month, tier, service_item, customers, allowed_in_period, used_in_month, used_in_period,
       customers_served, unused, fulfilment_rate
  FROM entitlement_fulfilment ORDER BY month, tier DESC, service_item;
-- May: 7's birthday (05-20) with an early gift; June: 1 on time, 2 missed.
SELECT * FROM birthday_gift_fulfilment ORDER BY month, tier DESC;

-- Vouchers: this period 5 issued, 1 redeemed, 4 available; last period
-- (tier a in its stored last month, December) 5 issued, 2 redeemed, 3
-- expired.
SELECT customer_id, period_start, period_end, tier, issued, redeemed, expired, available
  FROM voucher_balance ORDER BY customer_id, period_start;

-- Points of customer 9 (diamond): 1 000 issued on 01-05, lasting to 03-31;
-- 300 redeemed on 02-01; 500 issued on 03-01, lasting the year.  On 04-01
-- 700 of the first lot have expired unspent.
INSERT INTO loyalty_points (customer_id, posted_at, kind, points, expires_on, reason) VALUES
    (9, '2026-01-05', 'issued', 1000, '2026-03-31', 'spend 2025'),
    (9, '2026-02-01', 'redeemed', 300, NULL, 'hall gift'),
    (9, '2026-03-01', 'issued', 500, '2026-12-31', 'spend Q1');
SELECT (SELECT expired FROM points_ledger('2026-03-31 23:59') WHERE customer_id = 9) AS before_expiry,
       (SELECT expired FROM points_ledger('2026-04-01') WHERE customer_id = 9) AS after_expiry,
       points_available(9, '2026-03-31 23:59') AS available_0331, points_available(9, '2026-04-01') AS available_0401;
-- Diamond's lecture hall is unlimited, paid with points: 200 go, then 400
-- are more than the 300 left; so are 301 redeemed at the desk; 300 are not.
INSERT INTO entitlement_use (customer_id, service_item, used_at, paid_points) VALUES (9, 'lecture_hall', '2026-06-01', 200);
SELECT pg_temp.expect_error($$INSERT INTO fu_data.entitlement_use (customer_id, service_item, used_at, paid_points) VALUES (9, 'lecture_hall', '2026-06-02', 400)$$);
SELECT pg_temp.expect_error($$INSERT INTO fu_data.loyalty_points (customer_id, posted_at, kind, points) VALUES (9, '2026-06-05', 'redeemed', 301)$$);
INSERT INTO loyalty_points (customer_id, posted_at, kind, points) VALUES (9, '2026-06-05', 'redeemed', 300);
SELECT pg_temp.expect_error($$INSERT INTO fu_data.loyalty_points (customer_id, posted_at, kind, points, expires_on) VALUES (9, '2026-06-05', 'issued', 10, '2026-06-04')$$);
SELECT pg_temp.expect_error($$INSERT INTO fu_data.loyalty_points (customer_id, posted_at, kind, points) VALUES (9, '2026-06-05', 'issued', 10)$$);
-- As of the end of June: 1 500 issued, 800 redeemed, 700 expired, 0 left.
SELECT * FROM points_balance ORDER BY customer_id;
-- Oldest first across two lots: customer 1 gets 100 lasting to 01-31 and
-- 100 to 02-28, and spends 150 on 01-10 (the first lot and half the
-- second).  On 02-01 nothing has expired (50 left); on 03-01 the 50 have.
INSERT INTO loyalty_points (customer_id, posted_at, kind, points, expires_on) VALUES
    (1, '2026-01-01', 'issued', 100, '2026-01-31'), (1, '2026-01-02', 'issued', 100, '2026-02-28');
INSERT INTO loyalty_points (customer_id, posted_at, kind, points) VALUES (1, '2026-01-10', 'redeemed', 150);
SELECT '2026-02-01' AS as_of, * FROM points_ledger('2026-02-01') WHERE customer_id = 1
UNION ALL
SELECT '2026-03-01', * FROM points_ledger('2026-03-01') WHERE customer_id = 1;

-- Suspension care.  Gold's warner is the phone manager, within 3 days
-- before: 1 warned by them (06-18 for 06-20); 2 warned by 10086 only
-- (flagged); 3 warned by the phone manager 10 days before (too early:
-- flagged); 4 a one-way suspension; 6 is tier c, no suspension care.
INSERT INTO service_event (customer_id, occurred_at, service_item, channel) VALUES
    (1, '2026-06-18 09:00', 'suspension_care', 'phone_manager'),
    (2, '2026-06-19 09:00', 'suspension_care', '10086'),
    (3, '2026-06-10 09:00', 'suspension_care', 'phone_manager');
INSERT INTO suspension (customer_id, suspended_at, kind, reason) VALUES
    (1, '2026-06-20 10:00', 'two_way', 'arrears'),
    (2, '2026-06-20 10:00', 'two_way', 'arrears'),
    (3, '2026-06-20 10:00', 'two_way', 'arrears'),
    (4, '2026-06-20 10:00', 'one_way', 'arrears'),
    (6, '2026-06-20 10:00', 'two_way', 'arrears');
SELECT customer_id, kind, tier, warner, warned_at, warned_by, status, flagged
  FROM suspension_care_check ORDER BY customer_id;
-- A longer warning window (the setting) makes 3's call, 10 days and an
-- hour before, count: not at 10 days, at 11.
UPDATE setting SET value = 10 WHERE name = 'suspension_warning_days';
SELECT customer_id, status, flagged FROM suspension_care_check WHERE customer_id = 3;
UPDATE setting SET value = 11 WHERE name = 'suspension_warning_days';
SELECT customer_id, status, flagged FROM suspension_care_check WHERE customer_id = 3;
-- Records kept: a suspension is part of the service archive.
SELECT record_kind, time_column, min_years FROM record_retention
 WHERE record_kind IN ('suspension', 'loyalty_points') ORDER BY 1;
SELECT pg_temp.expect_error($$DELETE FROM fu_data.suspension WHERE customer_id = 1$$);

-- The demo's usage: 2 000 demo customers, three stored months, then
-- demo_fulfilment() through the ledgers' triggers (nothing beyond a quota,
-- so no exception).  A rerun adds nothing.
SET LOCAL client_min_messages = warning;
UPDATE setting SET value = 3 WHERE name = 'suspension_warning_days';
TRUNCATE customer_month, month_run;
SELECT count(*) AS tables_loaded FROM generate_demo(2000, 7);
CALL run_month('2009-04-01', false);
CALL run_month('2009-05-01', false);
CALL run_month('2009-06-01', false);
RESET client_min_messages;
SELECT * FROM demo_fulfilment(7);
SELECT * FROM demo_fulfilment(7);
SELECT count(*) FILTER (WHERE over_quota_reason IS NOT NULL) AS exceptions, count(*) AS uses FROM entitlement_use;
SELECT status, count(*) FROM birthday_gift_status GROUP BY status ORDER BY status;
SELECT status, count(*) FROM suspension_care_check GROUP BY status ORDER BY status;
SELECT tier, service_item, customers, allowed_in_period, used_in_period, unused, fulfilment_rate
  FROM entitlement_fulfilment WHERE month = '2009-06-01' ORDER BY tier_rank(tier::tier) DESC, service_item;
SELECT count(*) AS customers_with_points, sum(issued) - sum(redeemed) - sum(expired) = sum(available) AS balanced,
       min(available) >= 0 AS never_negative
  FROM points_balance;
ROLLBACK;
