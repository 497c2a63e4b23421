-- Demo usage of the entitlements, for the fulfilment reports (725): in the
-- service period of custvalue.as_of_month(), up to its end, what the
-- customers of each tier used -- birthday gifts mostly on time, some late,
-- some missed; SIM replacements, free lecture-hall visits and vouchers
-- within the quota; points issued to the card tiers and spent on the
-- diamond lecture hall -- and a few two-way suspensions, most announced by
-- the tier's warner.  Every choice is a hash of (seed, customer, item), so
-- a rerun with the same seed adds nothing new: rows already there are
-- skipped.  Every row goes through the ledgers' triggers, as a desk's
-- would.  New in 1.3.

CREATE FUNCTION @extschema@.demo_fulfilment(seed bigint DEFAULT 42)
    RETURNS TABLE (ledger text, added bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    period_start constant date := @extschema@.service_period_start(@extschema@.as_of_month());
    last_day constant date := (@extschema@.as_of_month() + interval '1 month' - interval '1 day')::date;
    elapsed_days constant integer := last_day - period_start + 1;
    uses constant text := @extschema@.source_target('entitlement_use');
    points constant text := @extschema@.source_target('loyalty_points');
    suspensions constant text := @extschema@.source_target('suspension');
    events constant text := @extschema@.source_target('service_event');
    n bigint;
BEGIN
    -- pick(c, k, m): a number in [0, m) determined by seed, customer and k.
    CREATE TEMP TABLE cv_demo_usage ON COMMIT DROP AS
    SELECT p.customer_id, p.tier, p.annual_spend, c.birth_date,
           te.birthday_gift_cap, te.sim_replacements, te.lecture_hall_free_visits,
           te.lecture_hall_unlimited_with_points, te.experience_vouchers, te.suspension_warning_by
      FROM @extschema@.customer_profile p
      JOIN @extschema@.customer c ON c.customer_id = p.customer_id
      JOIN @extschema@.tier_entitlements te ON te.tier OPERATOR(@extschema@.=) p.tier
     WHERE p.status <> 'churned' AND p.tier OPERATOR(@extschema@.>) 'c'::@extschema@.tier;
    EXECUTE format('CREATE FUNCTION pg_temp.pick(c bigint, k integer, m integer) RETURNS integer'
                   ' LANGUAGE sql IMMUTABLE RETURN (abs(hashint8extended(c, %s + k)) %% m)::integer',
                   seed * 131);

    -- Points: card tiers earn one point per yuan of annual spend at the
    -- period's start, to be spent by its end.
    EXECUTE format($q$
        INSERT INTO %s (customer_id, posted_at, kind, points, expires_on, reason)
        SELECT u.customer_id, $1::timestamptz, 'issued', u.annual_spend::integer,
               ($1 + interval '1 year' - interval '1 day')::date, 'demo: annual spend'
          FROM cv_demo_usage u
         WHERE @extschema@.tier_is_card(u.tier) AND u.annual_spend >= 1
           AND NOT EXISTS (SELECT FROM %1$s x WHERE x.customer_id = u.customer_id AND x.posted_at = $1::timestamptz)$q$,
        points) USING period_start;
    GET DIAGNOSTICS n = ROW_COUNT;
    ledger := 'loyalty_points'; added := n; RETURN NEXT;

    -- The ledger: birthday gifts (70 % on time, 10 % late, the rest none),
    -- then counted uses spread over the elapsed part of the period.
    EXECUTE format($q$
        WITH birthdays AS (
            SELECT u.*, (u.birth_date + make_interval(years => extract(year FROM $1::date)::int
                                                      - extract(year FROM u.birth_date)::int))::date AS birthday
              FROM cv_demo_usage u
             WHERE u.birthday_gift_cap > 0 AND u.birth_date IS NOT NULL
        ), gifts AS (
            SELECT b.customer_id, b.tier::text AS tier, 'birthday_gift' AS item, 1 AS quantity,
                   CASE WHEN pg_temp.pick(b.customer_id, 1, 100) < 70 THEN b.birthday - pg_temp.pick(b.customer_id, 2, 6)
                        WHEN pg_temp.pick(b.customer_id, 1, 100) < 80 THEN b.birthday + 5 + pg_temp.pick(b.customer_id, 2, 15)
                   END AS day,
                   round(b.birthday_gift_cap * (50 + pg_temp.pick(b.customer_id, 3, 51)) / 100.0) AS amount,
                   NULL::integer AS paid_points
              FROM birthdays b
        ), counted AS (
            SELECT u.customer_id, u.tier::text AS tier, i.item, 1 AS quantity,
                   $1::date + pg_temp.pick(u.customer_id, 10 + i.k * 10 + g, $3) AS day,
                   NULL::numeric AS amount,
                   CASE WHEN i.item = 'lecture_hall' AND u.lecture_hall_unlimited_with_points THEN 200 END AS paid_points
              FROM cv_demo_usage u
             CROSS JOIN LATERAL (VALUES
                    (1, 'sim_replacement', u.sim_replacements),
                    (2, 'lecture_hall', CASE WHEN u.lecture_hall_unlimited_with_points THEN 3 ELSE u.lecture_hall_free_visits END),
                    (3, 'experience_vouchers', u.experience_vouchers)) AS i(k, item, quota)
             CROSS JOIN LATERAL generate_series(1, CASE WHEN pg_temp.pick(u.customer_id, i.k, 100) < 40
                                                        THEN pg_temp.pick(u.customer_id, i.k + 100, greatest(i.quota, 0) + 1)
                                                        ELSE 0 END) AS g
             WHERE i.quota > 0
        )
        INSERT INTO %s (customer_id, service_item, used_at, quantity, amount, paid_points, channel)
        SELECT x.customer_id, x.item, (x.day + time '10:00')::timestamptz, x.quantity, x.amount,
               -- a diamond visit is paid only while the points last
               CASE WHEN x.paid_points IS NOT NULL THEN x.paid_points END,
               'demo'
          FROM (SELECT * FROM gifts UNION ALL SELECT * FROM counted) x
         WHERE x.day IS NOT NULL AND x.day >= $1::date AND x.day <= $2::date
           -- the ledger checks a use against the tier held in its month:
           -- no use in a month the customer held another tier
           AND NOT EXISTS (SELECT FROM @extschema@.customer_month m
                            WHERE m.customer_id = x.customer_id AND m.month = date_trunc('month', x.day)::date
                              AND m.tier <> x.tier)
           AND NOT EXISTS (SELECT FROM %1$s e WHERE e.customer_id = x.customer_id AND e.service_item = x.item
                                                 AND e.channel = 'demo'
                                                 AND e.used_at = (x.day + time '10:00')::timestamptz)
         ORDER BY x.day, x.customer_id$q$,
        uses) USING period_start, last_day, elapsed_days;
    GET DIAGNOSTICS n = ROW_COUNT;
    ledger := 'entitlement_use'; added := n; RETURN NEXT;

    -- Two-way suspensions for 1 % of the entitled customers in the last
    -- month, announced by the warner (80 %), by 10086 (10 %) or not at all.
    EXECUTE format($q$
        INSERT INTO %s (customer_id, occurred_at, service_item, channel)
        SELECT u.customer_id,
               (date_trunc('month', $1::date)::date + pg_temp.pick(u.customer_id, 41, 25) + time '09:00')::timestamptz,
               'suspension_care',
               CASE WHEN pg_temp.pick(u.customer_id, 42, 10) < 8 THEN u.suspension_warning_by ELSE '10086' END
          FROM cv_demo_usage u
         WHERE u.suspension_warning_by IS NOT NULL AND pg_temp.pick(u.customer_id, 40, 100) = 0
           AND pg_temp.pick(u.customer_id, 42, 10) < 9
           AND NOT EXISTS (SELECT FROM %s s WHERE s.customer_id = u.customer_id
                                              AND s.suspended_at >= date_trunc('month', $1::date))$q$,
        events, suspensions) USING last_day;
    EXECUTE format($q$
        INSERT INTO %s (customer_id, suspended_at, kind, reason)
        SELECT u.customer_id,
               (date_trunc('month', $1::date)::date + pg_temp.pick(u.customer_id, 41, 25) + 2 + time '10:00')::timestamptz,
               'two_way', 'demo: arrears'
          FROM cv_demo_usage u
         WHERE u.suspension_warning_by IS NOT NULL AND pg_temp.pick(u.customer_id, 40, 100) = 0
           AND NOT EXISTS (SELECT FROM %1$s s WHERE s.customer_id = u.customer_id
                                                AND s.suspended_at >= date_trunc('month', $1::date))$q$,
        suspensions) USING last_day;
    GET DIAGNOSTICS n = ROW_COUNT;
    ledger := 'suspension'; added := n; RETURN NEXT;
    DROP TABLE cv_demo_usage;
    DROP FUNCTION pg_temp.pick(bigint, integer, integer);
END;
$$;
COMMENT ON FUNCTION @extschema@.demo_fulfilment(bigint) IS
'Demo generator: entitlement usage in the service period of custvalue.as_of_month(), up to its end, for the customers above tier c (none in a month the monthly cycle stored them at another tier) -- points for the card tiers (one per yuan of annual spend), birthday gifts (70 % on time, 10 % late, 20 % missed), SIM replacements, lecture-hall visits (diamond: paid with 200 points) and vouchers within the quota, and two-way suspensions of 1 % of them in the last month, 80 % announced by the tier''s warner, 10 % by 10086, 10 % not at all -- through the ledgers'' triggers.  Deterministic in seed; a rerun adds only what is missing.  Returns the rows added per ledger.';
REVOKE ALL ON FUNCTION @extschema@.demo_fulfilment(bigint) FROM PUBLIC;
