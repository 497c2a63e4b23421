-- Dashboard: is the tier promise kept? — entitlements delivered (fulfilment ledger).
\echo
\echo '== Fulfilment: counted entitlements per tier in the latest stored month (period to date) =='
SELECT tier, service_item, customers, allowed_in_period AS allowed, used_in_period AS used,
       unused, customers_served AS served, round(100 * fulfilment_rate, 1) AS "fulfilled %"
  FROM custvalue.entitlement_fulfilment
 WHERE month = (SELECT max(month) FROM custvalue.month_run)
 ORDER BY custvalue.tier_rank(tier::custvalue.tier) DESC, service_item;

\echo '== Fulfilment: birthday gifts per month and tier (on time within the window; missed = window closed, no gift) =='
SELECT month, tier, due, on_time, early, late, missed, still_open, round(100 * on_time_rate, 1) AS "on time %"
  FROM custvalue.birthday_gift_fulfilment
 ORDER BY month, custvalue.tier_rank(tier::custvalue.tier) DESC;

\echo '== Fulfilment: birthday gifts of the current service period, by status =='
SELECT status, count(*) AS customers
  FROM custvalue.birthday_gift_status GROUP BY status ORDER BY count(*) DESC;

\echo '== Fulfilment: two-way suspensions and the tier''s warning before them =='
SELECT tier, warner, status, count(*) AS suspensions, count(*) FILTER (WHERE flagged) AS flagged
  FROM custvalue.suspension_care_check
 GROUP BY tier, warner, status
 ORDER BY custvalue.tier_rank(tier::custvalue.tier) DESC, status;

\echo '== Fulfilment: experience vouchers and points =='
SELECT 'vouchers, current period' AS balance, sum(issued) AS issued, sum(redeemed) AS redeemed,
       sum(expired) AS expired, sum(available) AS available
  FROM custvalue.voucher_balance WHERE period_end > custvalue.as_of_month()
UNION ALL
SELECT 'vouchers, last period', sum(issued), sum(redeemed), sum(expired), sum(available)
  FROM custvalue.voucher_balance WHERE period_end <= custvalue.as_of_month()
UNION ALL
SELECT 'points', sum(issued), sum(redeemed), sum(expired), sum(available)
  FROM custvalue.points_balance;
