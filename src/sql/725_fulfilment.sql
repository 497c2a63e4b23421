-- Is the tier's promise kept?  What the fulfilment ledger (720) shows a
-- service manager: birthday gifts due, sent on time, late or missed;
-- suspensions that came without the tier's warning (domain.md §3: the
-- account or the phone manager warns before a two-way suspension); the
-- balances of points and experience vouchers; and, per tier and stored
-- month of the monthly cycle (600), how much of each counted entitlement
-- was delivered and how much lies unused.  New in 1.3.
--
-- "As of" is the last day of custvalue.as_of_month(), the data's reference
-- month, as everywhere else in custvalue.

INSERT INTO @extschema@.setting VALUES
    ('birthday_gift_lead_days', 7, 'days',
     'A birthday gift given up to this many days before the birthday is on time (earlier: early).  Design default: a week; the seed asks for 及时 (timely).'),
    ('birthday_gift_grace_days', 3, 'days',
     'A birthday gift given up to this many days after the birthday is still on time (later: late); with none by then it is missed.  Design default.'),
    ('suspension_warning_days', 3, 'days',
     'A two-way suspension counts as warned when the tier''s warner (custvalue.tier_entitlements.suspension_warning_by) recorded a suspension_care service event within this many days before it.  Design default.')
ON CONFLICT (name) DO NOTHING;

SELECT @extschema@.define_source('suspension',
    'Suspensions of service (停机): one row per suspension of a customer''s number, one-way (calls out barred) or two-way, with the reason and when it was lifted.  Suspension care (domain.md §3) warns before a two-way suspension; custvalue.suspension_care_check flags those that came without the tier''s warning.',
    ARRAY['suspension_id bigint', 'customer_id bigint', 'suspended_at timestamptz', 'kind text',
          'reason text', 'resumed_at timestamptz']);
COMMENT ON COLUMN @extschema@.suspension.kind IS 'one_way (单停: outgoing barred) or two_way (双停).';
COMMENT ON COLUMN @extschema@.suspension.resumed_at IS 'When service came back; NULL while suspended.';

SELECT @extschema@.define_source('loyalty_points',
    'The points ledger: points issued to a customer (with the day they expire) and points redeemed outside the entitlement ledger (lecture-hall visits paid with points are entitlement_use.paid_points).  A redemption beyond the available points is refused; custvalue.points_balance shows issued, redeemed, expired and available.',
    ARRAY['entry_id bigint', 'customer_id bigint', 'posted_at timestamptz', 'kind text', 'points integer',
          'expires_on date', 'reason text', 'recorded_by name']);
COMMENT ON COLUMN @extschema@.loyalty_points.kind IS 'issued or redeemed.';
COMMENT ON COLUMN @extschema@.loyalty_points.points IS 'Points, positive for both kinds.';
COMMENT ON COLUMN @extschema@.loyalty_points.expires_on IS 'Last day the issued points can be spent; NULL for a redemption.';

INSERT INTO @extschema@.record_retention (record_kind, time_column, min_years, on_expiry, basis) VALUES
    ('suspension', 'suspended_at', 5, 'delete', 'Design: part of the service archive (seed 003: 5 years), with the care that preceded it.'),
    ('loyalty_points', 'posted_at', 5, 'delete', 'Design: what the customer was given and spent is part of the service archive, 5 years.');

-- ---------------------------------------------------------------- points
-- Points are spent oldest first and expire after their expires_on.  Then,
-- for every day t on which a lot expires, the points expired by t are the
-- largest excess, over the expiry days up to t, of the points expiring by
-- then over the points redeemed by then (none of a lot expiring on day s
-- can be spent after s, and oldest-first spending uses them before any
-- later lot).  Set-based, one pass per ledger; a plain SQL function (no
-- SET clause) so that a caller's customer_id = ... reaches the scans.
-- The query, once, for both uses: every customer (the view) or one (the
-- ledgers' checks, which need an index probe, not a scan of the ledgers).
CREATE FUNCTION @extschema@.points_ledger_query(one_customer boolean) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN replace($q$
WITH issued AS (
    SELECT p.customer_id, p.expires_on, sum(p.points)::bigint AS points
      FROM @extschema@.loyalty_points p
     WHERE p.kind = 'issued' AND p.posted_at <= $1 /*one*/
     GROUP BY p.customer_id, p.expires_on
), spent AS (
    SELECT p.customer_id, p.posted_at AS at, p.points::bigint AS points
      FROM @extschema@.loyalty_points p
     WHERE p.kind = 'redeemed' AND p.posted_at <= $1 /*one*/
    UNION ALL
    SELECT u.customer_id, u.used_at, u.paid_points
      FROM @extschema@.entitlement_use u
     WHERE u.paid_points > 0 AND u.used_at <= $1 /*one*/
), expiring AS (
    SELECT i.customer_id, i.expires_on,
           sum(i.points) OVER (PARTITION BY i.customer_id ORDER BY i.expires_on) AS points
      FROM issued i
), excess AS (
    SELECT e.customer_id, greatest(e.points - coalesce(sum(s.points), 0), 0) AS points
      FROM expiring e
      LEFT JOIN spent s ON s.customer_id = e.customer_id AND s.at < (e.expires_on + 1)::timestamptz
     WHERE (e.expires_on + 1)::timestamptz <= $1
     GROUP BY e.customer_id, e.expires_on, e.points
), totals AS (
    SELECT t.customer_id, sum(t.issued)::bigint AS issued, sum(t.spent)::bigint AS spent
      FROM (SELECT i.customer_id, i.points AS issued, 0 AS spent FROM issued i
            UNION ALL
            SELECT s.customer_id, 0, s.points FROM spent s) t
     GROUP BY t.customer_id
)
SELECT t.customer_id, t.issued, t.spent, coalesce(x.expired, 0)::bigint,
       (t.issued - t.spent - coalesce(x.expired, 0))::bigint
  FROM totals t
  LEFT JOIN (SELECT e.customer_id, max(e.points)::bigint AS expired FROM excess e GROUP BY e.customer_id) x
         ON x.customer_id = t.customer_id$q$,
    '/*one*/', CASE WHEN one_customer THEN 'AND customer_id = $2' ELSE '' END);
COMMENT ON FUNCTION @extschema@.points_ledger_query(boolean) IS
'The text of the points rule shared by custvalue.points_ledger() (every customer) and custvalue.points_available() (one, $2): spent oldest first, a lot expires at the end of its expires_on.';

CREATE FUNCTION @extschema@.points_ledger(as_of timestamptz)
    RETURNS TABLE (customer_id bigint, issued bigint, redeemed bigint, expired bigint, available bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY EXECUTE @extschema@.points_ledger_query(false) USING as_of;
END;
$$;
COMMENT ON FUNCTION @extschema@.points_ledger(timestamptz) IS
'Every customer''s points at as_of (movements up to and including it): issued (loyalty_points), redeemed (loyalty_points redemptions and entitlement_use.paid_points), expired unspent -- spent oldest first, a lot expires at the end of its expires_on: the largest excess, over the expiry days up to as_of, of the points expiring by then over the points redeemed before then -- and available.';

CREATE FUNCTION @extschema@.points_available(customer bigint, as_of timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    issued bigint;
    redeemed bigint;
    expired bigint;
    available bigint;
    who bigint;
BEGIN
    EXECUTE @extschema@.points_ledger_query(true) INTO who, issued, redeemed, expired, available
      USING as_of, customer;
    RETURN coalesce(available, 0);
END;
$$;
COMMENT ON FUNCTION @extschema@.points_available(bigint, timestamptz) IS
'Points one customer can spend at as_of (default now), by the rule of custvalue.points_ledger(); 0 for a customer without points.';

-- Spending points, in either ledger, locks the customer (lock_customer(),
-- 720) so that two desks cannot both spend the same points.
CREATE FUNCTION @extschema@.points_spend_check(customer bigint, points integer, at timestamptz)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    available bigint;
BEGIN
    PERFORM @extschema@.lock_customer(customer);
    available := @extschema@.points_available(customer, at);
    IF points > available THEN
        RAISE EXCEPTION 'customer % has % points available at %, not %', customer, available, at, points
            USING ERRCODE = 'check_violation',
                  HINT = 'custvalue.points_balance shows what was issued, redeemed and expired.';
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.points_spend_check(bigint, integer, timestamptz) IS
'Used by the ledgers'' triggers: locks the customer''s points for the transaction and refuses (23514) spending more than custvalue.points_available().';

CREATE FUNCTION @extschema@.loyalty_points_check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NEW;
    END IF;
    NEW.posted_at := coalesce(NEW.posted_at, now());
    IF NEW.kind = 'redeemed' THEN
        PERFORM @extschema@.points_spend_check(NEW.customer_id, NEW.points, NEW.posted_at);
    ELSIF NEW.expires_on < NEW.posted_at::date THEN
        RAISE EXCEPTION 'points issued on % cannot expire before, on %', NEW.posted_at::date, NEW.expires_on
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.loyalty_points_check() IS
'BEFORE INSERT trigger of the points ledger (loyalty_points): a redemption beyond the customer''s available points is refused (23514), issued points cannot expire before they are issued.';

CREATE VIEW @extschema@.points_balance WITH (security_invoker = true) AS
SELECT l.*
  FROM @extschema@.points_ledger(((@extschema@.as_of_month() + interval '1 month')::date)::timestamptz
                                 - interval '1 microsecond') l;
COMMENT ON VIEW @extschema@.points_balance IS
'Each customer''s points as of the end of custvalue.as_of_month() (custvalue.points_ledger()): issued, redeemed (loyalty_points redemptions and lecture-hall visits paid with points), expired unspent (oldest spent first) and available.';

-- ---------------------------------------------------------------- vouchers
-- Experience vouchers are issued by the tier each service period and lapse
-- at its end: the current period and the one before it.
CREATE VIEW @extschema@.voucher_balance WITH (security_invoker = true) AS
WITH latest AS (
    SELECT max(r.month) AS month FROM @extschema@.month_run r
), period AS (
    SELECT latest.month,
           @extschema@.service_period_start(latest.month) AS current_start,
           @extschema@.setting('service_period_months')::int AS months
      FROM latest
), held AS (
    -- the tier held in the current period's latest stored month, and in
    -- the last month of the period before, when that was stored
    SELECT m.customer_id, period.current_start AS starts,
           (period.current_start + make_interval(months => period.months))::date AS ends,
           true AS current, m.tier
      FROM period JOIN @extschema@.customer_month m ON m.month = period.month
    UNION ALL
    SELECT m.customer_id, (period.current_start - make_interval(months => period.months))::date,
           period.current_start, false, m.tier
      FROM period JOIN @extschema@.customer_month m
        ON m.month = (period.current_start - interval '1 month')::date
), redeemed AS (
    SELECT u.customer_id, u.used_at >= period.current_start AS current, sum(u.quantity) AS redeemed
      FROM @extschema@.entitlement_use u, period
     WHERE u.service_item = 'experience_vouchers'
       AND u.used_at >= period.current_start - make_interval(months => period.months)
       AND u.used_at < period.current_start + make_interval(months => period.months)
     GROUP BY 1, 2
)
SELECT h.customer_id, h.starts AS period_start, h.ends AS period_end, h.tier,
       te.experience_vouchers AS issued,
       coalesce(r.redeemed, 0) AS redeemed,
       CASE WHEN h.current THEN 0 ELSE greatest(te.experience_vouchers - coalesce(r.redeemed, 0), 0) END AS expired,
       CASE WHEN h.current THEN greatest(te.experience_vouchers - coalesce(r.redeemed, 0), 0) ELSE 0 END AS available
  FROM held h
  JOIN @extschema@.tier_entitlements te ON te.tier OPERATOR(@extschema@.=) h.tier::@extschema@.tier
  LEFT JOIN redeemed r ON r.customer_id = h.customer_id AND r.current = h.current
 WHERE te.experience_vouchers > 0;
COMMENT ON VIEW @extschema@.voucher_balance IS
'Experience vouchers (体验券) per customer, from the months the monthly cycle stored: in the current service period (of the latest stored month, by the tier held then) and in the one before (by the tier held in its last month, if stored): issued by the tier, redeemed (entitlement_use), expired (unused at the end of the past period) and available (current period).';

-- ---------------------------------------------------------- birthday gifts
CREATE VIEW @extschema@.birthday_gift_status WITH (security_invoker = true) AS
WITH as_of AS (
    SELECT r.month,
           (r.month + interval '1 month' - interval '1 day')::date AS day,
           @extschema@.service_period_start(r.month) AS starts,
           (@extschema@.service_period_start(r.month)
            + make_interval(months => @extschema@.setting('service_period_months')::int))::date AS ends,
           @extschema@.setting('birthday_gift_lead_days')::int AS lead,
           @extschema@.setting('birthday_gift_grace_days')::int AS grace
      FROM (SELECT max(month) AS month FROM @extschema@.month_run) r
), due AS (
    SELECT m.customer_id, m.tier, c.phone_manager, b.birthday, as_of.*
      FROM as_of
      JOIN @extschema@.customer_month m ON m.month = as_of.month
      JOIN @extschema@.customer c ON c.customer_id = m.customer_id
      JOIN @extschema@.tier_entitlements te ON te.tier OPERATOR(@extschema@.=) m.tier::@extschema@.tier
      CROSS JOIN LATERAL (SELECT (c.birth_date + make_interval(years => extract(year FROM as_of.starts)::int
                                                               - extract(year FROM c.birth_date)::int))::date AS birthday) b0
      CROSS JOIN LATERAL (SELECT CASE WHEN b0.birthday < as_of.starts
                                      THEN (c.birth_date + make_interval(years => extract(year FROM as_of.starts)::int + 1
                                                                         - extract(year FROM c.birth_date)::int))::date
                                      ELSE b0.birthday END AS birthday) b
     WHERE te.birthday_gift_cap > 0 AND c.birth_date IS NOT NULL
       AND b.birthday >= as_of.starts AND b.birthday < as_of.ends
), gifts AS (
    SELECT DISTINCT ON (x.customer_id) x.customer_id, x.used_at, x.amount
      FROM @extschema@.entitlement_use x, as_of
     WHERE x.service_item = 'birthday_gift'
       AND x.used_at >= as_of.starts AND x.used_at < (as_of.day + 1)::timestamptz
     ORDER BY x.customer_id, x.used_at
)
SELECT d.customer_id, d.tier, d.phone_manager, d.birthday,
       d.birthday - d.lead AS window_opens, d.birthday + d.grace AS window_closes,
       g.used_at AS given_at, g.amount,
       CASE WHEN g.used_at IS NOT NULL THEN
                CASE WHEN g.used_at::date < d.birthday - d.lead THEN 'early'
                     WHEN g.used_at::date <= d.birthday + d.grace THEN 'on_time'
                     ELSE 'late' END
            WHEN d.day < d.birthday - d.lead THEN 'upcoming'
            WHEN d.day <= d.birthday + d.grace THEN 'due'
            ELSE 'missed' END AS status
  FROM due d
  LEFT JOIN gifts g ON g.customer_id = d.customer_id;
COMMENT ON VIEW @extschema@.birthday_gift_status IS
'Birthday care (domain.md §3, item 4) in the service period of the latest month the monthly cycle stored, as of that month''s last day: every customer stored then whose tier (held then) gives a birthday gift and whose birthday falls in the period, the window [birthday − birthday_gift_lead_days, birthday + birthday_gift_grace_days] (settings), the first gift of the period from the fulfilment ledger and its status: upcoming (window not open), due (open, no gift yet), on_time, early, late, missed (window closed without a gift).  The birthday is this period''s anniversary (29 February: 28 February in other years); the birth year is not shown.';

-- ------------------------------------------------------- suspension care
CREATE VIEW @extschema@.suspension_care_check WITH (security_invoker = true) AS
SELECT s.suspension_id, s.customer_id, s.suspended_at, s.kind,
       t.tier, te.suspension_warning_by AS warner,
       w.occurred_at AS warned_at, w.channel AS warned_by,
       CASE WHEN s.kind <> 'two_way' THEN 'not_required'
            WHEN te.suspension_warning_by IS NULL THEN 'no_suspension_care'
            WHEN w.channel = te.suspension_warning_by THEN 'warned'
            WHEN w.channel IS NOT NULL THEN 'warned_by_other_channel'
            ELSE 'not_warned' END AS status,
       s.kind = 'two_way' AND te.suspension_warning_by IS NOT NULL
           AND w.channel IS DISTINCT FROM te.suspension_warning_by AS flagged
  FROM @extschema@.suspension s
  -- the tier held in the suspension's month, or the latest stored before
  -- it; for a customer the monthly cycle never stored, the tier now
  CROSS JOIN LATERAL (SELECT coalesce(
            (SELECT m.tier FROM @extschema@.customer_month m
              WHERE m.customer_id = s.customer_id AND m.month <= s.suspended_at
              ORDER BY m.month DESC LIMIT 1),
            (SELECT p.tier::text FROM @extschema@.customer_profile p WHERE p.customer_id = s.customer_id)) AS tier) t
  LEFT JOIN @extschema@.tier_entitlements te ON te.tier OPERATOR(@extschema@.=) t.tier::@extschema@.tier
  -- the warning: the warner's own if there is one, else the latest other
  LEFT JOIN LATERAL (SELECT e.occurred_at, e.channel FROM @extschema@.service_event e
                      WHERE e.customer_id = s.customer_id AND e.service_item = 'suspension_care'
                        AND e.occurred_at < s.suspended_at
                        AND e.occurred_at >= s.suspended_at - make_interval(days => @extschema@.setting('suspension_warning_days')::int)
                      ORDER BY e.channel IS NOT DISTINCT FROM te.suspension_warning_by DESC, e.occurred_at DESC
                      LIMIT 1) w ON true;
COMMENT ON VIEW @extschema@.suspension_care_check IS
'Suspension care (domain.md §3, item 2): every suspension with the customer''s tier then (held in the latest month the monthly cycle stored up to it, else the current tier), who should have warned (tier_entitlements.suspension_warning_by), the warning found (a suspension_care service event within suspension_warning_days before) and the status: warned, warned_by_other_channel, not_warned, no_suspension_care (the tier has none), not_required (a one-way suspension).  flagged: a two-way suspension of a tier with suspension care that its warner did not announce.';

-- ------------------------------------------------------ fulfilment report
-- Per stored month (the monthly cycle's customer_month) and tier: of each
-- counted entitlement, the allowance of the period, what was used in the
-- month and in the period so far, what lies unused.  The allowance comes
-- from counting the stored customers per month and tier; only the
-- customers who used something are looked at one by one.
CREATE VIEW @extschema@.entitlement_fulfilment WITH (security_invoker = true) AS
WITH allowance AS (
    SELECT te.tier::text AS tier, a.service_item, a.allowed
      FROM @extschema@.tier_entitlements te
      CROSS JOIN LATERAL (VALUES
            ('birthday_gift', CASE WHEN te.birthday_gift_cap > 0 THEN 1 END),
            ('experience_vouchers', nullif(te.experience_vouchers, 0)),
            ('lecture_hall', nullif(te.lecture_hall_free_visits, 0)),
            ('sim_replacement', nullif(te.sim_replacements, 0))) AS a(service_item, allowed)
     WHERE a.allowed IS NOT NULL
), entitled AS (
    SELECT m.month, m.tier, count(*) AS customers
      FROM @extschema@.customer_month m
     GROUP BY m.month, m.tier
), used AS (
    SELECT u.customer_id, u.service_item, date_trunc('month', u.used_at)::date AS month,
           sum(u.quantity) AS quantity
      FROM @extschema@.entitlement_use u
     WHERE u.service_item IN ('birthday_gift', 'experience_vouchers', 'lecture_hall', 'sim_replacement')
     GROUP BY 1, 2, 3
), users AS (
    -- only customers who used something: the month of each stored month
    -- from the use's month to the end of its service period
    SELECT m.month, m.tier, u.service_item, m.customer_id, a.allowed,
           sum(u.quantity) FILTER (WHERE u.month = m.month) AS used_in_month,
           sum(u.quantity) AS used_to_date
      FROM used u
      JOIN @extschema@.customer_month m
        ON m.customer_id = u.customer_id AND m.month >= u.month
       AND @extschema@.service_period_start(m.month) = @extschema@.service_period_start(u.month)
      JOIN allowance a ON a.tier = m.tier AND a.service_item = u.service_item
     GROUP BY m.month, m.tier, u.service_item, m.customer_id, a.allowed
), usage AS (
    SELECT c.month, c.tier, c.service_item,
           coalesce(sum(c.used_in_month), 0) AS used_in_month,
           sum(c.used_to_date) AS used_in_period,
           count(*) AS customers_served,
           sum(least(c.used_to_date, c.allowed)) AS delivered
      FROM users c
     GROUP BY c.month, c.tier, c.service_item
)
SELECT e.month, e.tier, a.service_item,
       e.customers,
       e.customers * a.allowed AS allowed_in_period,
       coalesce(x.used_in_month, 0) AS used_in_month,
       coalesce(x.used_in_period, 0) AS used_in_period,
       coalesce(x.customers_served, 0) AS customers_served,
       e.customers * a.allowed - coalesce(x.delivered, 0) AS unused,
       round(coalesce(x.delivered, 0)::numeric / (e.customers * a.allowed), 4) AS fulfilment_rate
  FROM entitled e
  JOIN allowance a ON a.tier = e.tier
  LEFT JOIN usage x ON x.month = e.month AND x.tier = e.tier AND x.service_item = a.service_item;
COMMENT ON VIEW @extschema@.entitlement_fulfilment IS
'Whether the tier promise is kept, per month stored by the monthly cycle (customer_month), tier (as stored) and counted entitlement (birthday gift, experience vouchers, free lecture-hall visits, SIM replacements): customers entitled, allowed_in_period (their allowance of the service period), used_in_month, used_in_period (from the period''s start to the month''s end), customers_served (used at least one), unused (allowance not yet used) and fulfilment_rate = allowance delivered / allowance (uses beyond it not counted).';

CREATE VIEW @extschema@.birthday_gift_fulfilment WITH (security_invoker = true) AS
WITH settings AS (
    SELECT @extschema@.setting('birthday_gift_lead_days')::int AS lead,
           @extschema@.setting('birthday_gift_grace_days')::int AS grace,
           (@extschema@.as_of_month() + interval '1 month' - interval '1 day')::date AS day
), due AS (
    SELECT m.month, m.tier, m.customer_id, b.birthday, settings.*
      FROM @extschema@.customer_month m
      JOIN @extschema@.customer c ON c.customer_id = m.customer_id
      JOIN @extschema@.tier_entitlements te ON te.tier OPERATOR(@extschema@.=) m.tier::@extschema@.tier
      CROSS JOIN settings
      CROSS JOIN LATERAL (SELECT (c.birth_date + make_interval(years => extract(year FROM m.month)::int
                                                               - extract(year FROM c.birth_date)::int))::date AS birthday) b
     WHERE te.birthday_gift_cap > 0 AND c.birth_date IS NOT NULL
       AND date_trunc('month', b.birthday) = m.month
), given AS (
    SELECT d.*, g.given_on
      FROM due d
      LEFT JOIN LATERAL (SELECT min(x.used_at)::date AS given_on FROM @extschema@.entitlement_use x
                          WHERE x.customer_id = d.customer_id AND x.service_item = 'birthday_gift'
                            AND x.used_at >= @extschema@.service_period_start(d.month)
                            AND x.used_at::date <= d.day) g ON true
)
SELECT g.month, g.tier,
       count(*) AS due,
       count(*) FILTER (WHERE g.given_on BETWEEN g.birthday - g.lead AND g.birthday + g.grace) AS on_time,
       count(*) FILTER (WHERE g.given_on < g.birthday - g.lead) AS early,
       count(*) FILTER (WHERE g.given_on > g.birthday + g.grace) AS late,
       count(*) FILTER (WHERE g.given_on IS NULL AND g.day > g.birthday + g.grace) AS missed,
       count(*) FILTER (WHERE g.given_on IS NULL AND g.day <= g.birthday + g.grace) AS still_open,
       round(count(*) FILTER (WHERE g.given_on BETWEEN g.birthday - g.lead AND g.birthday + g.grace)::numeric
             / nullif(count(*) FILTER (WHERE g.given_on IS NOT NULL OR g.day > g.birthday + g.grace), 0), 4) AS on_time_rate
  FROM given g
 GROUP BY g.month, g.tier;
COMMENT ON VIEW @extschema@.birthday_gift_fulfilment IS
'Birthday care per month stored by the monthly cycle and tier (as stored): customers whose birthday fell in the month and whose tier gives a gift (due), and of them gifts on time, early, late, missed (window closed, no gift, as of the end of custvalue.as_of_month()), still_open; on_time_rate = on_time / the settled ones (given or missed).';
