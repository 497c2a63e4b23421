-- The demo data generator: argument errors, n = 0, determinism, that the
-- load leaves indexes and constraints as they were, integrity of what it
-- writes, and the shares domain.md asks for (with sampling tolerances).
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

-- Bad n or ranges: 22023; NULL: 22004.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.generate_demo(-1, 42)$$,
    $$SELECT custvalue.generate_demo(100000001, 42)$$,
    $$SELECT custvalue.generate_demo(NULL, 42)$$,
    $$SELECT custvalue.generate_demo(10, NULL)$$,
    $$SELECT count(*) FROM custvalue.demo_customers(42, -5, 1, 1)$$,
    $$SELECT count(*) FROM custvalue.demo_bills(42, 10, 0, 5)$$,
    $$SELECT count(*) FROM custvalue.demo_complaints(42, 10, 5, 11)$$,
    $$SELECT count(*) FROM custvalue.demo_service_events(42, 10, 1, 10, 0)$$,
    $$SELECT count(*) FROM custvalue.demo_survey_responses(42, 10, 1, 10, 9223372036854775807)$$
]) AS q;
-- An empty range is no rows, not an error.
SELECT count(*) AS empty_range FROM demo_customers(42, 10, 6, 5);

-- Destructive, so not for PUBLIC.
SELECT has_function_privilege('public', 'custvalue.generate_demo(bigint, bigint)', 'execute')
       AS public_may_generate;

-- The schema of the loaded tables before: the load takes indexes and
-- foreign keys off and must put back exactly the same.
CREATE TEMP VIEW schema_now AS
WITH loaded AS (
    SELECT custvalue.source_relation(s) AS rel
      FROM unnest(ARRAY['customer', 'monthly_bill', 'bundle', 'service_event',
                        'survey_response', 'complaint', 'service_cancellation']) AS s
)
SELECT c.conrelid::regclass::text AS tab, c.conname::text AS name,
       pg_get_constraintdef(c.oid) AS def, c.convalidated AS valid
  FROM pg_constraint c
 WHERE c.conrelid IN (SELECT rel FROM loaded)
UNION ALL
SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), true
  FROM pg_index i
 WHERE i.indrelid IN (SELECT rel FROM loaded);
CREATE TEMP TABLE schema_before AS SELECT * FROM schema_now;

-- n = 0: every table empty.
SELECT * FROM generate_demo(0, 42);
SELECT (SELECT count(*) FROM customer) + (SELECT count(*) FROM monthly_bill)
     + (SELECT count(*) FROM bundle) + (SELECT count(*) FROM service_event)
     + (SELECT count(*) FROM survey_response) + (SELECT count(*) FROM complaint)
     + (SELECT count(*) FROM service_cancellation) AS rows_after_n0;

-- Determinism: md5 of every table's ordered contents.
CREATE TEMP TABLE digest (run text, tab text, md5 text);
CREATE FUNCTION pg_temp.take_digest(run text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO digest
    SELECT run, 'customer', md5(string_agg(c::text, E'\n' ORDER BY c.customer_id)) FROM custvalue.customer c
    UNION ALL
    SELECT run, 'monthly_bill', md5(string_agg(b::text, E'\n' ORDER BY b.customer_id, b.month)) FROM custvalue.monthly_bill b
    UNION ALL
    SELECT run, 'bundle', md5(string_agg(b::text, E'\n' ORDER BY b.bundle_id)) FROM custvalue.bundle b
    UNION ALL
    SELECT run, 'service_event', md5(string_agg(e::text, E'\n' ORDER BY e.event_id)) FROM custvalue.service_event e
    UNION ALL
    SELECT run, 'survey_response', md5(string_agg(s::text, E'\n' ORDER BY s.response_id)) FROM custvalue.survey_response s
    UNION ALL
    SELECT run, 'complaint', md5(string_agg(c::text, E'\n' ORDER BY c.complaint_id)) FROM custvalue.complaint c
    UNION ALL
    SELECT run, 'service_cancellation', md5(string_agg(x::text, E'\n' ORDER BY x.cancellation_id))
      FROM custvalue.service_cancellation x;
$$;

SELECT table_name, rows > 0 AS has_rows FROM generate_demo(3000, 7);
SELECT pg_temp.take_digest('seed 7, first');
SELECT count(*) AS tables_loaded FROM generate_demo(3000, 8);
SELECT pg_temp.take_digest('seed 8');
SELECT count(*) AS tables_loaded FROM generate_demo(3000, 7);
SELECT pg_temp.take_digest('seed 7, second');
SELECT a.tab,
       a.md5 = b.md5 AS same_seed_identical,
       a.md5 <> c.md5 AS other_seed_differs
  FROM digest a
  JOIN digest b ON b.tab = a.tab AND b.run = 'seed 7, second'
  JOIN digest c ON c.tab = a.tab AND c.run = 'seed 8'
 WHERE a.run = 'seed 7, first'
 ORDER BY a.tab;

-- The generator functions give the same rows inside a parallel worker.
-- force_parallel_mode is debug_parallel_query from PostgreSQL 16 on.
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', false) AS parallel_forced;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
CREATE TEMP TABLE par AS
SELECT md5(string_agg(b::text, E'\n' ORDER BY b.customer_id, b.month)) AS m
  FROM demo_bills(7, 3000, 1, 3000) b;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'off', false) AS parallel_forced;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
SELECT (SELECT m FROM par)
     = (SELECT md5(string_agg(b::text, E'\n' ORDER BY b.customer_id, b.month))
          FROM demo_bills(7, 3000, 1, 3000) b) AS parallel_equals_serial;
-- ... and a batch is the same rows as the slice of a bigger call.
SELECT (SELECT md5(string_agg(b::text, E'\n' ORDER BY b.customer_id, b.month))
          FROM demo_bills(7, 3000, 1001, 2000) b)
     = (SELECT md5(string_agg(b::text, E'\n' ORDER BY b.customer_id, b.month))
          FROM demo_bills(7, 3000, 1, 3000) b WHERE b.customer_id BETWEEN 1001 AND 2000)
       AS batch_equals_slice;

-- The realistic population: 20 000 customers.
SELECT table_name, rows > 0 AS has_rows FROM generate_demo(20000, 42);

-- Same indexes and constraints as before, all validated.
SELECT count(*) > 0 AS snapshot_taken FROM schema_before;
(SELECT 'lost' AS what, * FROM (SELECT * FROM schema_before EXCEPT SELECT * FROM schema_now) x)
UNION ALL
(SELECT 'new', * FROM (SELECT * FROM schema_now EXCEPT SELECT * FROM schema_before) y);
SELECT bool_and(valid) AS all_constraints_validated FROM schema_now;

-- Every foreign key holds (checked directly, not only by the constraints).
SELECT (SELECT count(*) FROM monthly_bill b WHERE NOT EXISTS (SELECT FROM customer c WHERE c.customer_id = b.customer_id))
     + (SELECT count(*) FROM bundle b WHERE NOT EXISTS (SELECT FROM customer c WHERE c.customer_id = b.customer_id))
     + (SELECT count(*) FROM service_event e WHERE NOT EXISTS (SELECT FROM customer c WHERE c.customer_id = e.customer_id))
     + (SELECT count(*) FROM service_event e WHERE NOT EXISTS (SELECT FROM service_item i WHERE i.code = e.service_item))
     + (SELECT count(*) FROM survey_response s WHERE NOT EXISTS (SELECT FROM customer c WHERE c.customer_id = s.customer_id))
     + (SELECT count(*) FROM survey_response s WHERE s.event_id IS NOT NULL
          AND NOT EXISTS (SELECT FROM service_event e WHERE e.event_id = s.event_id
                                                        AND e.customer_id = s.customer_id
                                                        AND e.occurred_at <= s.answered_at))
     + (SELECT count(*) FROM complaint x WHERE NOT EXISTS (SELECT FROM customer c WHERE c.customer_id = x.customer_id))
     + (SELECT count(*) FROM service_cancellation x WHERE NOT EXISTS (SELECT FROM customer c WHERE c.customer_id = x.customer_id))
       AS dangling_references;

-- Identity sequences continue after the loaded rows.
SELECT (SELECT last_value FROM custvalue_data.service_event_event_id_seq) = (SELECT max(event_id) FROM service_event)
       AS event_seq_at_max,
       (SELECT last_value FROM custvalue_data.bundle_bundle_id_seq) = (SELECT max(bundle_id) FROM bundle)
       AS bundle_seq_at_max;

-- Bills: one per month from joining (or 2008-07) to churning (or 2009-06);
-- twelve for everyone who was a customer the whole year.
SELECT as_of_month() AS as_of,
       (SELECT min(month) FROM monthly_bill) AS first_month;
SELECT count(*) AS customers_with_wrong_bills
  FROM customer c
  LEFT JOIN (SELECT customer_id, count(*) AS n, min(month) AS lo, max(month) AS hi
               FROM monthly_bill GROUP BY customer_id) b USING (customer_id)
 WHERE b.n IS DISTINCT FROM
         (extract(year FROM age(coalesce(date_trunc('month', c.churned_on), '2009-06-01'),
                                greatest(date_trunc('month', c.joined_on), '2008-07-01'))) * 12
          + extract(month FROM age(coalesce(date_trunc('month', c.churned_on), '2009-06-01'),
                                   greatest(date_trunc('month', c.joined_on), '2008-07-01'))) + 1)
    OR b.lo <> greatest(date_trunc('month', c.joined_on), '2008-07-01')
    OR b.hi <> coalesce(date_trunc('month', c.churned_on), '2009-06-01');
SELECT bool_and(n = 12) AS twelve_bills_for_full_year_actives
  FROM (SELECT count(*) AS n FROM customer c JOIN monthly_bill b USING (customer_id)
         WHERE c.status <> 'churned' AND c.joined_on < '2008-07-01'
         GROUP BY c.customer_id) s;

-- Personal data is fake but well-formed: unique 104 phones, ID numbers of
-- division 4399 with a correct check character, Luhn-valid 9999 cards.
SELECT count(*) = count(DISTINCT phone) AS phones_unique,
       bool_and(phone LIKE '104%') AS phones_104,
       bool_and(id_card LIKE '4399%') AS id_cards_4399,
       bool_and(bank_card LIKE '9999%') AS bank_cards_9999
  FROM customer;
SELECT bool_and(substr(id_card, 18, 1) =
         substr('10X98765432',
                (SELECT sum(substr(id_card, i::int, 1)::int * w)::int % 11
                   FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS u(w, i)) + 1, 1))
       AS id_check_characters_valid,
       bool_and(substr(id_card, 7, 8) = to_char(birth_date, 'YYYYMMDD')) AS id_cards_carry_birth_date
  FROM customer WHERE id_card IS NOT NULL;
SELECT bool_and((SELECT sum(CASE WHEN i % 2 = 0 THEN (2 * d) / 10 + (2 * d) % 10 ELSE d END) % 10 = 0
                   FROM (SELECT substr(reverse(bank_card), i, 1)::int AS d, i
                           FROM generate_series(1, length(bank_card)) AS i) s))
       AS bank_cards_luhn_valid
  FROM customer WHERE bank_card IS NOT NULL;

-- Status: a few per cent churned; churned_on only for them (also a CHECK).
SELECT bool_and((status = 'churned') = (churned_on IS NOT NULL)) AS churned_on_iff_churned,
       avg((status = 'churned')::int) BETWEEN 0.015 AND 0.05 AS churned_few_percent,
       avg((status = 'suspended')::int) BETWEEN 0.002 AND 0.02 AS suspended_under_2_percent,
       count(DISTINCT region) AS regions,
       bool_and(account_manager IS NOT NULL) FILTER (WHERE vip_card) AS card_vips_have_account_manager,
       bool_and(account_manager ~ '^AM[0-9]{6}$') AS account_manager_codes,
       bool_and(phone_manager ~ '^PM[0-9]{5}$') AS phone_manager_codes
  FROM customer;

-- Shares (domain.md §1, §2).  20 000 customers: a share p is off by more
-- than 4 standard errors (~0.03 at p = 0.5) with negligible probability.
CREATE TEMP TABLE prof AS SELECT * FROM customer_profile;
SELECT avg(vip_card::int) BETWEEN 0.18 AND 0.22 AS card_vips_20_percent,
       bool_and(brand = 'gotone') FILTER (WHERE vip_card) AS card_vips_gotone,
       avg((brand = 'gotone')::int) FILTER (WHERE NOT vip_card) BETWEEN 0.13 AND 0.17 AS noncard_gotone_15,
       avg((brand = 'easyown')::int) FILTER (WHERE NOT vip_card) BETWEEN 0.225 AND 0.275 AS noncard_easyown_25,
       avg((brand = 'mzone')::int) FILTER (WHERE NOT vip_card) BETWEEN 0.575 AND 0.625 AS noncard_mzone_60,
       avg((tenure_months < 24)::int) FILTER (WHERE NOT vip_card) BETWEEN 0.42 AND 0.48 AS noncard_45_under_2y,
       avg((tenure_months >= 60)::int) FILTER (WHERE NOT vip_card) < 0.25 AS noncard_under_25_over_5y,
       avg((tenure_months >= 60)::int) FILTER (WHERE vip_card) BETWEEN 0.52 AND 0.58 AS card_55_over_5y
  FROM prof;
-- All six tiers, in plausible shares: a pyramid within the card VIPs, and
-- about 23 % of non-card customers at ARPU 120 or more (0.40 M of 1.70 M).
SELECT tier, share BETWEEN lo AND hi AS share_plausible
  FROM (SELECT tier, count(*)::numeric / sum(count(*)) OVER () AS share
          FROM prof GROUP BY tier) s
  JOIN (VALUES ('diamond'::tier, 0.012, 0.035), ('gold', 0.055, 0.09), ('silver', 0.065, 0.105),
               ('a', 0.045, 0.085), ('b', 0.10, 0.155), ('c', 0.59, 0.67)) AS t(tier, lo, hi) USING (tier)
 ORDER BY tier DESC;
SELECT avg((monthly_arpu >= 120)::int) FILTER (WHERE NOT vip_card) BETWEEN 0.20 AND 0.27
       AS noncard_23_percent_at_arpu_120
  FROM prof;

-- Bills: brand-dependent tariff mix, arrears only with late payment,
-- future churners' spend falling, cost to serve mostly known.
SELECT bool_and(arrears = 0 OR paid_late) AS arrears_only_when_late,
       avg(paid_late::int) BETWEEN 0.02 AND 0.08 AS late_2_to_8_percent,
       avg((cost_to_serve IS NULL)::int) BETWEEN 0.005 AND 0.04 AS cost_unknown_few,
       bool_and(cost_to_serve < total_fee + 20) AS cost_below_revenue_plus_fixed
  FROM monthly_bill;
SELECT (SELECT sum(sms_fee) / sum(total_fee) FROM monthly_bill JOIN customer USING (customer_id) WHERE brand = 'mzone')
     > 2 * (SELECT sum(sms_fee) / sum(total_fee) FROM monthly_bill JOIN customer USING (customer_id) WHERE brand = 'easyown')
       AS mzone_texts_more,
       (SELECT sum(sms_fee) FROM monthly_bill WHERE month = '2009-01-01')
     > 1.3 * (SELECT sum(sms_fee) FROM monthly_bill WHERE month = '2008-11-01')
       AS new_year_sms_peak;
-- Churned customers' last three bills against their first three.
SELECT avg(late3 / early3) < 0.8 AS churners_spend_falls
  FROM (SELECT customer_id,
               avg(total_fee) FILTER (WHERE rn <= 3) AS early3,
               avg(total_fee) FILTER (WHERE rn > n - 3) AS late3
          FROM (SELECT b.customer_id, b.total_fee,
                       row_number() OVER (PARTITION BY b.customer_id ORDER BY b.month) AS rn,
                       count(*) OVER (PARTITION BY b.customer_id) AS n
                  FROM monthly_bill b JOIN customer c USING (customer_id)
                 WHERE c.status = 'churned') x
         WHERE n >= 8 GROUP BY customer_id) s;

-- Bundles: prepaid and gift at least 10 months and 50 a month (domain.md
-- §5); card VIPs and Easyown take part most; some end within 3 months.
SELECT bool_and(ends_on >= started_on + interval '10 months' OR c.status = 'churned')
         FILTER (WHERE kind IN ('prepaid', 'gift')) AS prepaid_gift_10_months,
       bool_and(monthly_floor >= 50) FILTER (WHERE kind IN ('prepaid', 'gift')) AS prepaid_gift_floor_50,
       count(*) FILTER (WHERE ends_on > '2009-06-30' AND ends_on <= '2009-09-30') > 0 AS some_end_within_3_months,
       count(DISTINCT grade) AS gift_grades
  FROM bundle JOIN customer c USING (customer_id);
SELECT part_card > part_easyown AND part_easyown > 2 * part_gotone AND part_easyown > 2 * part_mzone
       AS bundle_participation_order
  FROM (SELECT avg(has::int) FILTER (WHERE vip_card) AS part_card,
               avg(has::int) FILTER (WHERE NOT vip_card AND brand = 'easyown') AS part_easyown,
               avg(has::int) FILTER (WHERE NOT vip_card AND brand = 'gotone') AS part_gotone,
               avg(has::int) FILTER (WHERE NOT vip_card AND brand = 'mzone') AS part_mzone
          FROM (SELECT c.vip_card, c.brand, EXISTS (SELECT FROM bundle b WHERE b.customer_id = c.customer_id) AS has
                  FROM customer c) x) s;

-- Service, satisfaction, complaints (domain.md §7, §8): post-service
-- answers ~98 % satisfied; monthly survey rising in 2009; churned
-- customers complain far more.
SELECT avg(satisfied::int) FILTER (WHERE event_id IS NOT NULL) BETWEEN 0.95 AND 0.99 AS post_service_95_to_99,
       bool_and(csat IS NULL AND nps IS NULL) FILTER (WHERE event_id IS NOT NULL) AS post_service_yes_no_only,
       bool_and(csat IS NOT NULL AND nps IS NOT NULL) FILTER (WHERE event_id IS NULL) AS periodic_has_csat_nps,
       avg(satisfied::int) FILTER (WHERE event_id IS NULL AND answered_at >= '2009-06-01')
     > avg(satisfied::int) FILTER (WHERE event_id IS NULL AND answered_at < '2009-01-01') AS satisfaction_rises
  FROM survey_response;
SELECT count(DISTINCT service_item) AS items_used,
       count(DISTINCT channel) AS channels_used,
       bool_and(manager IS NULL OR manager ~ '^(AM|PM)') AS managers_are_codes
  FROM service_event;
SELECT (SELECT count(*)::numeric / (SELECT count(*) FROM customer WHERE status = 'churned')
          FROM complaint JOIN customer USING (customer_id) WHERE status = 'churned')
     > 4 * (SELECT count(*)::numeric / (SELECT count(*) FROM customer WHERE status = 'active')
              FROM complaint JOIN customer USING (customer_id) WHERE status = 'active')
       AS churned_complain_more,
       (SELECT avg((resolved_at - filed_at <= interval '48 hours')::int) FROM complaint WHERE severity = 'major')
       BETWEEN 0.7 AND 0.95 AS most_major_within_48h;

-- Cancellations of value-added services: mostly by customers on their way
-- out, never after churning.
SELECT (SELECT count(*)::numeric / (SELECT count(*) FROM customer WHERE status = 'churned')
          FROM service_cancellation JOIN customer USING (customer_id) WHERE status = 'churned')
     > 5 * (SELECT count(*)::numeric / (SELECT count(*) FROM customer WHERE status = 'active')
              FROM service_cancellation JOIN customer USING (customer_id) WHERE status = 'active')
       AS churned_cancel_more,
       (SELECT bool_and(x.cancelled_at < c.churned_on + 1)
          FROM service_cancellation x JOIN customer c USING (customer_id)
         WHERE c.status = 'churned') AS none_after_churn;

-- Leave the reference tables empty for the tests that follow.
SET client_min_messages = warning;
TRUNCATE custvalue_data.customer, custvalue_data.monthly_bill, custvalue_data.bundle,
         custvalue_data.service_event, custvalue_data.survey_response, custvalue_data.complaint,
         custvalue_data.service_cancellation
    RESTART IDENTITY CASCADE;
RESET client_min_messages;
DROP VIEW schema_now;
DROP TABLE schema_before, digest, par, prof;
