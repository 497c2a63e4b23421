-- Channels, CPC matching and the coordination matrix: every routing rule
-- for every tier, tie-breaking by tier preference, errors, policy edits.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql

-- Routing that shows "no route" instead of failing, to print whole matrices.
CREATE FUNCTION pg_temp.try_route(f text, n text, t custvalue.tier) RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN custvalue.route_work_order(f, n, t);
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN '-';
END;
$$;

SELECT code, class, matrix_group_zh FROM channel ORDER BY class, code;

-- Every rule of the matrix, for every tier ("-" = no channel serves it).
-- Expected, by hand from the seed's cells and tier_channel_preference:
--  * targets phone_manager, multimedia_manager, account_manager do not serve C;
--  * what 10086/web/self-service cannot handle goes to the phone manager,
--    for C (no phone manager) to the own hall (design rule, priority 2);
--  * recommendations to "multimedia or 10086" follow the tier: card tiers
--    prefer 10086 (rank 3-4) to the multimedia manager (5-6), A/B the
--    multimedia manager (2) to 10086 (3), C has only 10086;
--  * phone manager's in_person: own hall and social have equal priority;
--    every tier ranks hall above social.
SELECT r.from_channel, r.need,
       pg_temp.try_route(r.from_channel, r.need, 'diamond') AS diamond,
       pg_temp.try_route(r.from_channel, r.need, 'gold') AS gold,
       pg_temp.try_route(r.from_channel, r.need, 'silver') AS silver,
       pg_temp.try_route(r.from_channel, r.need, 'a') AS a,
       pg_temp.try_route(r.from_channel, r.need, 'b') AS b,
       pg_temp.try_route(r.from_channel, r.need, 'c') AS c
  FROM (SELECT DISTINCT from_channel, need FROM coordination_rule) r
 ORDER BY 1, 2;

-- The C function (cached rules) and the SQL reference agree on every
-- channel x need x tier, errors included.
CREATE FUNCTION pg_temp.try_route_sql(f text, n text, t custvalue.tier) RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN custvalue.route_work_order_sql(f, n, t);
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN '-';
END;
$$;
SELECT count(*) AS combinations,
       count(*) FILTER (WHERE pg_temp.try_route(c.code, n.code, t) <> '-') AS routed,
       count(*) FILTER (WHERE pg_temp.try_route(c.code, n.code, t)
                              IS DISTINCT FROM pg_temp.try_route_sql(c.code, n.code, t)) AS disagreements,
       count(*) FILTER (WHERE pg_temp.expect_error(format('SELECT custvalue.route_work_order(%L, %L, %L)', c.code, n.code, t))
                              IS DISTINCT FROM
                              pg_temp.expect_error(format('SELECT custvalue.route_work_order_sql(%L, %L, %L)', c.code, n.code, t)))
           AS different_messages
  FROM channel c, coordination_need n, tiers() t;

-- The three cases the issue names.
SELECT route_work_order('multimedia_manager', 'beyond_capability', 'a') AS multimedia_cannot,
       route_work_order('10086', 'beyond_capability', 'b') AS hotline_cannot,
       route_work_order('phone_manager', 'visit', 'a') AS insists_on_visit,
       route_work_order('phone_manager', 'in_person', 'b') AS must_be_in_person;

-- Errors: unknown names, a pair without a rule, a tier no target serves.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.route_work_order('fax', 'visit', 'a')$$,
    $$SELECT custvalue.route_work_order('web', 'teleport', 'a')$$,
    $$SELECT custvalue.route_work_order('web', 'visit', 'a')$$,
    $$SELECT custvalue.route_work_order('sms', 'beyond_capability', 'a')$$,
    $$SELECT custvalue.route_work_order('account_manager', 'manager_assist', 'c')$$,
    $$SELECT custvalue.route_work_order('web', 'beyond_capability', 'nobody')$$
]) AS q;
SELECT route_work_order(NULL, 'visit', 'a') IS NULL AS null_channel,
       route_work_order('web', NULL, 'a') IS NULL AS null_need,
       route_work_order('web', 'beyond_capability', NULL) IS NULL AS null_tier;

-- Rules are data.  Equal priority: the tier's preference decides; swapping
-- hall and social for tier b sends b's in-person matters to social.
BEGIN;
SET CONSTRAINTS tier_channel_preference_unique DEFERRED;
UPDATE tier_channel_preference SET preference = CASE channel WHEN 'hall' THEN 10 ELSE 6 END
 WHERE tier = 'b' AND channel IN ('hall', 'social');
SELECT route_work_order('phone_manager', 'in_person', 'b') AS b_now,
       route_work_order('phone_manager', 'in_person', 'a') AS a_unchanged;
ROLLBACK;
-- A lower priority number wins over preference; dropping a channel from a
-- tier makes the next rule take over; deleting the last rule is an error.
BEGIN;
UPDATE coordination_rule SET priority = 2
 WHERE from_channel = 'phone_manager' AND need = 'in_person' AND to_channel = 'hall';
SELECT route_work_order('phone_manager', 'in_person', 'a') AS priority_wins;
DELETE FROM tier_channel_preference WHERE tier = 'a' AND channel = 'social';
SELECT route_work_order('phone_manager', 'in_person', 'a') AS next_rule;
DELETE FROM coordination_rule WHERE from_channel = 'phone_manager' AND need = 'in_person';
SELECT pg_temp.expect_error($$SELECT custvalue.route_work_order('phone_manager', 'in_person', 'a')$$);
ROLLBACK;

-- Table constraints.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$INSERT INTO custvalue.coordination_rule (from_channel, need, to_channel, action, origin, seed_text_zh)
      VALUES ('web', 'visit', 'web', 'dispatch', 'seed', 'x')$$,
    $$INSERT INTO custvalue.coordination_rule (from_channel, need, to_channel, action, origin)
      VALUES ('web', 'visit', 'account_manager', 'dispatch', 'seed')$$,
    $$INSERT INTO custvalue.coordination_rule (from_channel, need, to_channel, action, origin)
      VALUES ('web', 'visit', 'account_manager', 'teleport', 'design')$$,
    $$INSERT INTO custvalue.coordination_rule (from_channel, need, to_channel, action, origin)
      VALUES ('web', 'visit', 'carrier_pigeon', 'dispatch', 'design')$$,
    $$INSERT INTO custvalue.tier_channel_preference VALUES ('a', 'vip_desk', 1)$$,
    $$INSERT INTO custvalue.channel_alias VALUES (' Hall', 'hall')$$
]) AS q;

-- CPC: which channels deliver a service item to a tier, in the tier's order.
-- Birthday care (电话经理、多媒体、短信平台、第三方): A ranks phone manager 1,
-- multimedia 2, sms 7, social 10; C has only sms and social, and is not
-- entitled to the gift (custvalue.entitlement has no tier c rows).
SELECT tier, string_agg(channel, ' > ' ORDER BY choice) AS channels, bool_and(entitled) AS entitled
  FROM service_channel_choice WHERE service_item = 'birthday_gift'
 GROUP BY tier ORDER BY tier DESC;
-- Lecture hall: only at the VIP club, which serves diamond..b, not C; only
-- the card tiers are entitled.
SELECT tier, string_agg(channel, ' > ' ORDER BY choice) AS channels, bool_and(entitled) AS entitled
  FROM service_channel_choice WHERE service_item = 'lecture_hall'
 GROUP BY tier ORDER BY tier DESC;
-- Complaints are open to every tier.
SELECT tier, string_agg(channel, ' > ' ORDER BY choice) AS channels, bool_and(entitled) AS entitled
  FROM service_channel_choice WHERE service_item = 'complaint'
 GROUP BY tier ORDER BY tier DESC;
-- Every standard item has at least one channel.
SELECT si.code FROM service_item si
 WHERE NOT EXISTS (SELECT FROM service_item_channel sc WHERE sc.service_item = si.code);

-- Per customer: a card holder spending 6300 a year (diamond) and a non-card
-- customer at 250 ARPU (a).
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on) VALUES
    (950001, '13800000001', 'changsha', 'gotone', true, '2020-01-01'),
    (950002, '13800000002', 'changsha', 'mzone', false, '2024-01-01');
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c, m::date, CASE c WHEN 950001 THEN 2100 ELSE 250 END
  FROM unnest(ARRAY[950001, 950002]) c,
       generate_series('2026-01-01'::date, '2026-03-01', '1 month') m;
-- Experience vouchers are for A/B only, so the diamond customer has none.
SELECT customer_id, tier, service_item, channel, choice
  FROM customer_service_channel
 WHERE customer_id IN (950001, 950002) AND service_item IN ('suspension_care', 'experience_vouchers')
 ORDER BY customer_id, service_item, choice;
SELECT pg_temp.drop_customers(950001, 950002);

-- Free text to catalog codes.
SELECT v, channel_of(v)
  FROM unnest(ARRAY['phone_manager', ' Hotline_10086 ', '10086', '营业厅', 'Hall', 'own_hall', '電話經理', 'phone', 'fax', '']) v;

-- Labels: the routing and lookup functions are STABLE, PARALLEL SAFE and
-- STRICT; every public table, view and function of this concern has a comment.
SELECT proname, provolatile, proparallel, proisstrict FROM pg_proc
 WHERE pronamespace = 'custvalue'::regnamespace
   AND proname IN ('route_work_order', 'channel_of') ORDER BY 1;
SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'custvalue'::regnamespace AND c.relkind IN ('r', 'v')
   AND c.relname IN ('channel', 'service_item_channel', 'tier_channel_preference', 'coordination_need',
                     'coordination_rule', 'channel_alias', 'service_channel_choice',
                     'customer_service_channel', 'coordination_matrix')
   AND obj_description(c.oid, 'pg_class') IS NULL;

-- Parallel = serial: routing every (rule, tier) pair, 200 times each, in a
-- parallel plan gives the same answers as serially.  Tier C is left out
-- because some of its pairs have no route (an error, tested above).
CREATE TABLE public.route_probe AS
SELECT r.from_channel, r.need, t AS tier
  FROM (SELECT DISTINCT from_channel, need FROM coordination_rule) r, custvalue.tiers() t,
       generate_series(1, 200)
 WHERE t <> 'c';
ANALYZE public.route_probe;
\set summary 'SELECT count(*) AS rows_routed, count(*) FILTER (WHERE t = $$phone_manager$$) AS to_phone_manager, count(*) FILTER (WHERE t = $$account_manager$$) AS to_account_manager, count(*) FILTER (WHERE t = $$10086$$) AS to_hotline, count(*) FILTER (WHERE t = $$multimedia_manager$$) AS to_multimedia, count(*) FILTER (WHERE t = $$hall$$) AS to_hall, sum(hashtext(from_channel || need || tier::text || t)) AS checksum FROM (SELECT from_channel, need, tier, custvalue.route_work_order(from_channel, need, tier) AS t FROM public.route_probe) r'
CREATE TEMP TABLE serial_routes AS :summary;
-- 24 pairs x 5 tiers x 200: 9 pairs go to the phone manager for every tier,
-- 4 to the account manager, 1 to 10086 and 1 to the own hall; the 5
-- "multimedia or 10086" recommendations go to 10086 for the 3 card tiers and
-- to the multimedia manager for A/B; 4 more always to the multimedia manager.
SELECT * FROM serial_routes;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) :summary;
CREATE TEMP TABLE parallel_routes AS :summary;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT (SELECT row(s.*) FROM serial_routes s) = (SELECT row(p.*) FROM parallel_routes p)
       AS parallel_equals_serial;
DROP TABLE public.route_probe;
