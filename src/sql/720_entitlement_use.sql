-- Entitlements delivered, not only declared: the fulfilment ledger.  Every
-- use of a counted entitlement (a SIM replacement, a lecture-hall visit, an
-- experience voucher, the birthday gift, overdraft credit, a car-club free
-- service) is a row of the operator's table entitlement_use
-- (create_records_model(), 700), checked on insert against the customer's
-- tier in custvalue.entitlement: a use beyond the quota is refused, or kept
-- as an exception when it gives a reason and the policy allows exceptions.
-- Concurrent uses by one customer are serialised by a lock on the
-- customer's row, so two desks cannot both spend the last one.  New in 1.3.
--
-- Windows: the per-period counts (and the birthday gift, the car-club
-- amount) run over the service period, service_period_months long and
-- aligned to the calendar year (design: the seed names the period, not its
-- start; with 12 months it is the calendar year); suspension care's credit
-- is per calendar month (seed: 每月透支总额).

INSERT INTO @extschema@.setting VALUES
    ('entitlement_exceptions_allowed', 1, 'boolean (1/0)',
     'Whether a use beyond the tier''s quota may be recorded as an exception (entitlement_use.over_quota_reason set); 0 refuses every use beyond it.  Design default: allowed, with a reason.')
ON CONFLICT (name) DO NOTHING;

SELECT @extschema@.define_source('entitlement_use',
    'The fulfilment ledger: one row per use of an entitlement of the tiered service standard (custvalue.entitlement) -- what was delivered, to whom, when, at which tier, how many and for how much, and, for a use beyond the quota, why it was granted anyway.',
    ARRAY['use_id bigint', 'customer_id bigint', 'service_item text', 'used_at timestamptz',
          'tier text', 'quantity integer', 'amount numeric(12,2)', 'paid_points integer',
          'over_quota_reason text', 'channel text', 'recorded_by name']);
COMMENT ON COLUMN @extschema@.entitlement_use.tier IS 'The customer''s tier at the use: the tier held in its month (custvalue.customer_month), else the current one (custvalue.customer_profile); filled by the ledger, and a different one given is refused.';
COMMENT ON COLUMN @extschema@.entitlement_use.quantity IS 'Units used: replacements, visits, vouchers, gifts (default 1).';
COMMENT ON COLUMN @extschema@.entitlement_use.amount IS 'Yuan: overdraft credit granted, gift value, car-club service value.';
COMMENT ON COLUMN @extschema@.entitlement_use.paid_points IS 'Points paid for a lecture-hall visit beyond the free ones (the tier''s entitlement.points when omitted).';
COMMENT ON COLUMN @extschema@.entitlement_use.over_quota_reason IS 'Set for a use beyond the quota granted as an exception; NULL for a use within it.';

-- The first day of the service period that day lies in.
CREATE FUNCTION @extschema@.service_period_start(day date) RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN (date_trunc('year', day)
        + make_interval(months => ((extract(month FROM day)::int - 1)
                                   / @extschema@.setting('service_period_months')::int)
                                  * @extschema@.setting('service_period_months')::int))::date;
COMMENT ON FUNCTION @extschema@.service_period_start(date) IS
'First day of the service period containing day: periods of service_period_months (setting) aligned to the calendar year.';

-- The ledgers serialise one customer's uses by locking the customer's row
-- (FOR NO KEY UPDATE: foreign-key checks, which take KEY SHARE, do not
-- wait).  A row lock lives in the row, not in the shared lock table, so a
-- batch of a million uses in one transaction needs no more lock memory
-- than one (an advisory lock per use ran out of it at ~60 000).
CREATE FUNCTION @extschema@.lock_customer(customer bigint) RETURNS boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_ boolean;
BEGIN
    EXECUTE format('SELECT true FROM %s c WHERE c.customer_id = $1 FOR NO KEY UPDATE',
                   @extschema@.source_target('customer'))
       INTO found_ USING customer;
    RETURN coalesce(found_, false);
END;
$$;
COMMENT ON FUNCTION @extschema@.lock_customer(bigint) IS
'Locks the customer''s row (FOR NO KEY UPDATE) until the transaction ends, so that the ledgers'' checks of one customer run one at a time; false when there is no such customer.';

CREATE FUNCTION @extschema@.entitlement_use_check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rule @extschema@.entitlement;
    held text;
    window_start timestamptz;
    window_end timestamptz;
    used bigint;
    spent numeric;
    over text;
BEGIN
    IF NEW.quantity IS NULL OR NEW.quantity < 1 THEN
        RAISE EXCEPTION 'an entitlement use needs a quantity of at least 1, not %', coalesce(NEW.quantity::text, 'NULL')
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.amount IS NOT NULL AND NEW.amount < 0 THEN
        RAISE EXCEPTION 'an entitlement use cannot have a negative amount (%)', NEW.amount
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.used_at := coalesce(NEW.used_at, now());
    -- The quota is the tier's the customer held in the use's month: stored
    -- by the monthly cycle, else today's.  A tier given with the use must
    -- be that one: the desk does not choose the customer's quota.
    IF @extschema@.source_relation('customer_month') IS NOT NULL THEN
        SELECT m.tier INTO held FROM @extschema@.customer_month m
         WHERE m.customer_id = NEW.customer_id AND m.month = date_trunc('month', NEW.used_at)::date;
    END IF;
    IF held IS NULL THEN
        SELECT p.tier::text INTO held FROM @extschema@.customer_profile p WHERE p.customer_id = NEW.customer_id;
    END IF;
    IF held IS NULL THEN
        RAISE EXCEPTION 'no customer %', NEW.customer_id USING ERRCODE = 'foreign_key_violation';
    ELSIF NEW.tier IS NOT NULL AND NEW.tier <> held THEN
        RAISE EXCEPTION 'customer % held tier % on %, not %', NEW.customer_id, held, NEW.used_at::date, NEW.tier
            USING ERRCODE = 'check_violation',
                  HINT = 'Leave tier out: the ledger fills it.';
    END IF;
    NEW.tier := held;
    -- One use at a time per customer: the count below sees every committed
    -- use before it.
    PERFORM @extschema@.lock_customer(NEW.customer_id);

    SELECT e.* INTO rule FROM @extschema@.entitlement e
     WHERE e.tier OPERATOR(@extschema@.=) NEW.tier::@extschema@.tier AND e.service_item = NEW.service_item;
    IF NOT FOUND THEN
        over := format('tier %s has no %s entitlement', NEW.tier, NEW.service_item);
    ELSE
        IF NEW.service_item = 'suspension_care' THEN
            window_start := date_trunc('month', NEW.used_at);
            window_end := window_start + interval '1 month';
        ELSE
            window_start := @extschema@.service_period_start(NEW.used_at::date);
            window_end := window_start + make_interval(months => @extschema@.setting('service_period_months')::int);
        END IF;
        EXECUTE format('SELECT coalesce(sum(u.quantity), 0), coalesce(sum(u.amount), 0) FROM %s u'
                       ' WHERE u.customer_id = $1 AND u.service_item = $2 AND u.used_at >= $3 AND u.used_at < $4',
                       @extschema@.source_target('entitlement_use'))
           INTO used, spent
          USING NEW.customer_id, NEW.service_item, window_start, window_end;
        CASE NEW.service_item
        WHEN 'sim_replacement', 'experience_vouchers', 'lecture_hall' THEN
            IF used + NEW.quantity > rule.quantity THEN
                IF NEW.service_item = 'lecture_hall' AND rule.unlimited THEN
                    NEW.paid_points := coalesce(NEW.paid_points, rule.points);
                ELSE
                    over := format('%s of %s %s used in the service period from %s', used, rule.quantity,
                                   NEW.service_item, window_start::date);
                END IF;
            END IF;
        WHEN 'birthday_gift' THEN
            IF used + NEW.quantity > 1 THEN
                over := format('the birthday gift of the service period from %s was already given', window_start::date);
            ELSIF NEW.amount > rule.amount THEN
                over := format('a gift of %s yuan is over the tier''s %s', NEW.amount, rule.amount);
            END IF;
        WHEN 'suspension_care' THEN
            IF NEW.amount IS NULL THEN
                RAISE EXCEPTION 'an overdraft credit needs an amount' USING ERRCODE = 'not_null_violation';
            ELSIF NEW.amount > rule.per_request_cap THEN
                over := format('%s yuan is over the %s yuan a request', NEW.amount, rule.per_request_cap);
            ELSIF spent + NEW.amount > rule.amount THEN
                over := format('%s yuan of %s credit already granted in %s', spent, rule.amount,
                               to_char(window_start, 'YYYY-MM'));
            END IF;
        WHEN 'car_club' THEN
            IF rule.amount IS NOT NULL AND spent + coalesce(NEW.amount, 0) > rule.amount THEN
                over := format('%s yuan of %s free service already used in the service period from %s',
                               spent, rule.amount, window_start::date);
            END IF;
        ELSE
            NULL;               -- presence only: the entitlement exists
        END CASE;
    END IF;

    IF over IS NOT NULL THEN
        IF NEW.over_quota_reason IS NULL OR NEW.over_quota_reason = '' THEN
            RAISE EXCEPTION 'customer % cannot use % now: %', NEW.customer_id, NEW.service_item, over
                USING ERRCODE = 'check_violation',
                      HINT = CASE WHEN @extschema@.setting('entitlement_exceptions_allowed') = 1
                                  THEN 'Grant it as an exception by giving over_quota_reason.'
                                  ELSE 'Exceptions are off (setting entitlement_exceptions_allowed).' END;
        ELSIF @extschema@.setting('entitlement_exceptions_allowed') <> 1 THEN
            RAISE EXCEPTION 'customer % cannot use % now: %; exceptions are not allowed', NEW.customer_id, NEW.service_item, over
                USING ERRCODE = 'check_violation',
                      HINT = 'The setting entitlement_exceptions_allowed is 0.';
        END IF;
    ELSIF NEW.over_quota_reason IS NOT NULL THEN
        RAISE EXCEPTION 'this use of % is within the quota: over_quota_reason is for uses beyond it', NEW.service_item
            USING ERRCODE = 'check_violation';
    END IF;
    -- Points paid come out of the points ledger's balance (725).
    IF NEW.paid_points > 0 THEN
        PERFORM @extschema@.points_spend_check(NEW.customer_id, NEW.paid_points, NEW.used_at);
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.entitlement_use_check() IS
'BEFORE INSERT trigger of the fulfilment ledger (entitlement_use): fills used_at and the tier held in the use''s month (stored by the monthly cycle, else today''s; a different tier given is refused, 23514), serialises one customer''s uses (custvalue.lock_customer()), and refuses (23514) a use beyond the tier''s quota in its window -- the service period''s count (SIM, vouchers, lecture hall unless unlimited with points), one birthday gift up to its value, the monthly overdraft credit and its per-request cap, the car-club amount -- or of an item the tier lacks, unless over_quota_reason is given and the setting entitlement_exceptions_allowed is 1; points paid (paid_points) beyond the customer''s available points (custvalue.points_spend_check()) are refused too.';

-- Per customer, counted item and current service period: allowed, used,
-- remaining.
-- Through tier_entitlements, not the policy table itself: on Citus a view
-- that joins a policy table directly to the customer data would have to
-- be propagated when the policy table becomes a reference table, before
-- the customer tables are distributed.
CREATE VIEW @extschema@.entitlement_balance WITH (security_invoker = true) AS
WITH period AS (
    SELECT @extschema@.service_period_start(@extschema@.as_of_month()) AS starts,
           (@extschema@.service_period_start(@extschema@.as_of_month())
            + make_interval(months => @extschema@.setting('service_period_months')::int))::date AS ends
)
SELECT p.customer_id, p.tier, a.service_item, period.starts AS period_start, period.ends AS period_end,
       a.allowed,
       coalesce(u.used, 0) AS used,
       greatest(a.allowed - coalesce(u.used, 0), 0) AS remaining,
       coalesce(u.exceptions, 0) AS exceptions,
       a.more_with_points
  FROM @extschema@.customer_profile p
  CROSS JOIN period
  JOIN @extschema@.tier_entitlements te ON te.tier OPERATOR(@extschema@.=) p.tier
  CROSS JOIN LATERAL (VALUES
        ('birthday_gift', CASE WHEN te.birthday_gift_cap > 0 THEN 1 END, false),
        ('experience_vouchers', nullif(te.experience_vouchers, 0), false),
        ('lecture_hall', CASE WHEN te.lecture_hall_free_visits > 0 OR te.lecture_hall_unlimited_with_points
                              THEN te.lecture_hall_free_visits END, te.lecture_hall_unlimited_with_points),
        ('sim_replacement', nullif(te.sim_replacements, 0), false)) AS a(service_item, allowed, more_with_points)
  LEFT JOIN LATERAL (
        SELECT sum(x.quantity) AS used, count(*) FILTER (WHERE x.over_quota_reason IS NOT NULL) AS exceptions
          FROM @extschema@.entitlement_use x
         WHERE x.customer_id = p.customer_id AND x.service_item = a.service_item
           AND x.used_at >= period.starts AND x.used_at < period.ends) u ON true
 WHERE a.allowed IS NOT NULL;
COMMENT ON VIEW @extschema@.entitlement_balance IS
'Each customer''s counted entitlements in the current service period (custvalue.service_period_start of custvalue.as_of_month()): allowed by the tier (the birthday gift: one), used from the fulfilment ledger entitlement_use, remaining, uses granted as exceptions, and whether more may be had for points.  Filter by customer_id for one customer.';

INSERT INTO @extschema@.record_retention (record_kind, time_column, min_years, on_expiry, basis) VALUES
    ('entitlement_use', 'used_at', 5, 'delete', 'Seed 003: what was delivered is part of the service archive, 5 years.');
