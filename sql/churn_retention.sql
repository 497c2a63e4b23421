-- Retention per tier from customer data: custvalue.tier_retention() must
-- recover Fader & Hardie's (2007) estimates when the customers of a tier
-- are exactly the paper's cohort, and the watchlist's CLV must use them.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql

-- Tier b (ARPU 150): the "regular" cohort; tier a (ARPU 250): "high end".
-- 1000 customers each joined 2019-06-15; those lost in year t left on
-- 2019-12-15 + (t - 1) years; the rest are active in June 2026 (7 years).
-- Each has bills for the last 3 months before leaving (or to June 2026).
CREATE TABLE public.fh (tier text, survivors int[], fee numeric);
INSERT INTO fh VALUES ('b', '{1000,631,468,382,326,289,262,241}', 150),
                      ('a', '{1000,869,743,653,593,551,517,491}', 250);
CREATE TABLE public.fh_people AS
SELECT row_number() OVER (ORDER BY fh.tier, t) + 8000000 AS customer_id, fh.tier, fh.fee,
       CASE WHEN t <= 7 THEN ('2019-12-15'::date + make_interval(years => t - 1))::date END AS churned_on
  FROM fh, generate_series(1, 8) t,
       generate_series(1, CASE WHEN t <= 7 THEN fh.survivors[t] - fh.survivors[t + 1] ELSE fh.survivors[8] END);
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, phone_manager, status, churned_on)
SELECT customer_id, '139' || lpad(customer_id::text, 8, '0'), 'changsha', 'mzone', false, '2019-06-15',
       'PM' || customer_id,
       CASE WHEN churned_on IS NOT NULL THEN 'churned'
            WHEN customer_id IN (8002000, 8000800) THEN 'suspended' ELSE 'active' END,
       churned_on
  FROM fh_people;
INSERT INTO monthly_bill (customer_id, month, voice_fee, arrears)
SELECT p.customer_id, (date_trunc('month', coalesce(p.churned_on, '2026-06-30')) - make_interval(months => k))::date,
       p.fee, CASE WHEN k = 0 AND p.customer_id IN (8002000, 8000800) THEN 50 ELSE 0 END
  FROM fh_people p, generate_series(0, 2) k;
-- Five diamond card holders (2100 a month), all still active: no churner,
-- so the tier gets the fit pooled over all tiers.
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on, account_manager)
SELECT i, '139' || lpad(i::text, 8, '0'), 'changsha', 'gotone', true, '2019-06-15', 'AM' || i
  FROM generate_series(8002001, 8002005) i;
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT i, m::date, 2100 FROM generate_series(8002001, 8002005) i,
       generate_series('2026-04-01'::date, '2026-06-01', '1 month') m;
SELECT as_of_month();

SELECT tier, customers, churned, round(alpha::numeric, 3) AS alpha, round(beta::numeric, 3) AS beta,
       round(retention_next_year::numeric, 4) AS r1, round(derl_new::numeric, 4) AS derl_new, note
  FROM tier_retention() WHERE customers > 0 AND tier <> 'diamond';
-- Diamond's pooled fit is the fit of all 2005 customers together.
SELECT r.note, r.customers, abs(r.alpha - p.alpha) < 1e-12 AND abs(r.beta - p.beta) < 1e-12 AS is_pooled_fit
  FROM tier_retention() r,
       (SELECT (sbg_fit(CASE WHEN churned_on IS NULL THEN 7 ELSE extract(year FROM churned_on)::int - 2018 END,
                        churned_on IS NOT NULL)).*
          FROM customer WHERE customer_id BETWEEN 8000001 AND 8002005) p
 WHERE r.tier = 'diamond';
-- The paper: regular alpha 0.704 beta 1.182, high end alpha 0.668 beta 3.806.
SELECT bool_and(CASE tier WHEN 'b' THEN round(alpha::numeric, 3) = 0.704 AND round(beta::numeric, 3) = 1.182
                          WHEN 'a' THEN round(alpha::numeric, 3) = 0.668 AND round(beta::numeric, 3) = 3.806 END)
         AS matches_paper
  FROM tier_retention() WHERE tier IN ('a', 'b');
-- Discounting changes DERL, not the fit.
SELECT tier, round(derl_new::numeric, 4) AS derl_at_5pct FROM tier_retention(0.05) WHERE tier IN ('a', 'b');

-- The two suspended customers with arrears are on the watchlist (orange by
-- min_level); their CLV is 3 months of spend x DERL of their tier at 7
-- renewals, and value at risk = CLV x probability.
SELECT w.customer_id, w.tier, w.level, w.annual_spend, w.clv,
       w.clv = round(w.annual_spend * sbg_derl(r.alpha, r.beta, 0.10, 7)::numeric, 2) AS clv_is_spend_x_derl,
       w.value_at_risk = round(w.clv * p.churn_probability::numeric, 2) AS var_is_clv_x_p,
       w.owner_channel, w.owner
  FROM churn_watchlist w
  JOIN customer_churn_warning p USING (customer_id)
  JOIN tier_retention() r ON r.tier = w.tier
 WHERE w.customer_id BETWEEN 8000001 AND 8002000
 ORDER BY w.value_at_risk DESC;

SELECT pg_temp.drop_customers(8000001, 8002005);
DROP TABLE fh, fh_people;
