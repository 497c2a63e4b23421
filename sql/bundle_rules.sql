-- Bundled marketing as policy (seed 000): the prepaid and gift bundles'
-- 10 months and 50 yuan a month, the gift bundle's grades and gift value,
-- the upgrade's balance floor.  Checked when a bundle is signed.
-- In one transaction on a data model of its own, rolled back at the end.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS sources_bound FROM create_data_model('br_data');
RESET client_min_messages;
SET LOCAL search_path = public, br_data, custvalue;
SELECT kind, min_commitment_months, min_monthly_floor FROM bundle_rule ORDER BY kind;
SELECT grade, min_prestore, min_commitment_months, gift_share_per_year FROM gift_bundle_grade
 ORDER BY gift_grade_rank(grade);

-- Whole months, as a commitment is counted (by the day of the month).
SELECT commitment_months('2026-01-15', '2026-11-15') AS ten, commitment_months('2026-01-15', '2026-11-14') AS nine,
       commitment_months('2026-01-31', '2026-11-30') AS end_of_month;

INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on)
VALUES (1, '10400000001', 'changsha', 'gotone', false, '2023-03-01');

-- Prepaid: 10 months and 50 a month are enough; 9 months, or 49.99, are not.
INSERT INTO bundle (customer_id, kind, started_on, ends_on, monthly_floor, prestore)
VALUES (1, 'prepaid', '2026-01-15', '2026-11-15', 50, 500);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, started_on, ends_on, monthly_floor) VALUES (1, 'prepaid', '2026-01-15', '2026-11-14', 50)$$);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, started_on, ends_on, monthly_floor) VALUES (1, 'prepaid', '2026-01-15', '2027-01-15', 49.99)$$);
-- The handset bundle has no minimum in the seed.
INSERT INTO bundle (customer_id, kind, started_on, ends_on) VALUES (1, 'handset', '2026-01-01', '2026-04-01');
-- A change of terms is checked too; ending a bundle early is not a term.
SELECT pg_temp.expect_error($$UPDATE br_data.bundle SET monthly_floor = 40 WHERE kind = 'prepaid'$$);
UPDATE bundle SET ends_on = '2026-10-01' WHERE kind = 'prepaid';
SELECT pg_temp.expect_error($$UPDATE br_data.bundle SET started_on = '2026-01-10' WHERE kind = 'prepaid'$$);
UPDATE bundle SET ends_on = '2026-11-15' WHERE kind = 'prepaid';

-- Gift bundles.  1 300 yuan over 12 months meets special (300, 10), entry
-- (600, 12) and middle (1 200, 12), not high (2 400, 24): middle, and a
-- gift of at most 1 300 x 0.15 x 12/12 = 195.00.
SELECT gift_bundle_grade_of(1300, 12) AS grade, gift_bundle_value_cap(1300, 12) AS cap;
-- 2 400 over 23 months misses high by a month: middle, 2 400 x 0.15 x 23/12
-- = 690.00; over 24 months high, 2 400 x 0.20 x 24/12 = 960.00.
SELECT gift_bundle_grade_of(2400, 23) AS grade_23, gift_bundle_value_cap(2400, 23) AS cap_23,
       gift_bundle_grade_of(2400, 24) AS grade_24, gift_bundle_value_cap(2400, 24) AS cap_24,
       gift_bundle_grade_of(299.99, 36) AS below_lowest;
INSERT INTO bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor, prestore, gift_value)
VALUES (1, 'gift', 'middle', '2026-02-01', '2027-02-01', 60, 1300, 195.00),
       (1, 'gift', 'high', '2026-02-01', '2028-02-01', 100, 2400, 960.00);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor, prestore, gift_value) VALUES (1, 'gift', 'high', '2026-02-01', '2027-02-01', 60, 1300, 100)$$);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor, prestore, gift_value) VALUES (1, 'gift', 'middle', '2026-02-01', '2027-02-01', 60, 1300, 195.01)$$);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor, prestore) VALUES (1, 'gift', 'special', '2026-02-01', '2027-02-01', 60, 250)$$);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor, gift_value) VALUES (1, 'gift', 'entry', '2026-02-01', '2027-02-01', 60, 50)$$);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, started_on, ends_on, monthly_floor, prestore, gift_value) VALUES (1, 'prepaid', '2026-02-01', '2027-02-01', 60, 600, 10)$$);
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor) VALUES (1, 'gift', 'entry', '2026-02-01', '2026-10-01', 60)$$);
-- Without a prestore the grade cannot be checked; the term and floor still are.
INSERT INTO bundle (customer_id, kind, grade, started_on, ends_on, monthly_floor)
VALUES (1, 'gift', 'entry', '2026-02-01', '2026-12-01', 50);
SELECT kind, grade, commitment_months(started_on, ends_on) AS months, monthly_floor, prestore, gift_value
  FROM bundle ORDER BY bundle_id;

-- The DBA changes the policy: 12 months for a prepaid bundle from now on.
-- Bundles already signed stay; a new 11-month one is refused.
UPDATE bundle_rule SET min_commitment_months = 12 WHERE kind = 'prepaid';
SELECT pg_temp.expect_error($$INSERT INTO br_data.bundle (customer_id, kind, started_on, ends_on, monthly_floor) VALUES (1, 'prepaid', '2026-03-01', '2027-02-01', 50)$$);
SELECT count(*) AS prepaid_bundles FROM bundle WHERE kind = 'prepaid';
-- Policies are validated.
SELECT pg_temp.expect_error($$UPDATE custvalue.gift_bundle_grade SET min_prestore = 200 WHERE grade = 'entry'$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.gift_bundle_grade SET gift_share_per_year = 0.11 WHERE grade = 'middle'$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.gift_bundle_grade SET min_commitment_months = 11 WHERE grade = 'high'$$);
SELECT pg_temp.expect_error($$INSERT INTO custvalue.gift_bundle_grade VALUES ('premium', 5000, 36, 0.3)$$);
SELECT pg_temp.expect_error($$INSERT INTO custvalue.bundle_rule VALUES ('loyalty', 10, 50, 'x')$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.bundle_rule SET min_commitment_months = 0 WHERE kind = 'gift'$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.bundle_rule SET min_monthly_floor = -1 WHERE kind = 'gift'$$);
SELECT pg_temp.expect_error($$TRUNCATE custvalue.bundle_rule$$);
-- A larger share for the high grade is fine, and caps the gift at once.
UPDATE gift_bundle_grade SET gift_share_per_year = 0.25 WHERE grade = 'high';
SELECT gift_bundle_value_cap(2400, 24) AS cap_24;

-- The upgrade: the plan's prestore less the tenure reduction, and the
-- balance floor (帐户余额不低于…; NULL by default: the plan's prestore).  Gold with
-- 40 months: 4 000 - 600 = 3 400 to prestore, a balance of 4 000 to keep.
SELECT tier, prestore, balance_floor FROM upgrade_plan ORDER BY tier DESC;
SELECT DISTINCT target_tier, balance_floor FROM upgrade_offer ORDER BY target_tier;
SELECT upgrade_check('gold', 40, 3400, 4000) AS may_go_ahead;
SELECT pg_temp.expect_error($$SELECT custvalue.upgrade_check('gold', 40, 3399.99, 4000)$$);
SELECT pg_temp.expect_error($$SELECT custvalue.upgrade_check('gold', 40, 3400, 3999.99)$$);
SELECT pg_temp.expect_error($$SELECT custvalue.upgrade_check('a', 40, 3400, 4000)$$);
SELECT pg_temp.expect_error($$SELECT custvalue.upgrade_check('gold', 40, NULL, 4000)$$);
UPDATE upgrade_plan SET balance_floor = 3500 WHERE tier = 'gold';
SELECT upgrade_check('gold', 40, 3400, 3500) AS may_go_ahead;
SELECT pg_temp.expect_error($$UPDATE custvalue.upgrade_plan SET balance_floor = 0 WHERE tier = 'gold'$$);
SELECT target_tier, prestore, balance_floor FROM upgrade_offer WHERE customer_id = 1 ORDER BY target_tier;
ROLLBACK;
