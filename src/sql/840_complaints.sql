-- Complaint analytics and service recovery (seed 000: 投诉记录, 1 987
-- complaints analysed; seed 004: 质量过失弥补, a fault made good; seed 000:
-- 10086 tells the phone manager of a complaint by their customer).  The
-- complaints are the operator's (the complaint source); their handling and
-- the notices to managers are the supervision tables of 800.  New in 1.3.

CREATE TABLE @extschema@.complaint_root_cause (
    code      text PRIMARY KEY,
    label     text NOT NULL,
    label_zh  text NOT NULL
);
COMMENT ON TABLE @extschema@.complaint_root_cause IS
'Root causes a complaint''s handling may name (complaint_handling.root_cause).  Design defaults: the seeds name complaints and their recovery, not a taxonomy.  Add rows for your own.';
INSERT INTO @extschema@.complaint_root_cause VALUES
    ('network',          'Network quality',              '网络质量'),
    ('billing',          'Billing and charges',          '计费账务'),
    ('service_attitude', 'Attitude of the staff',        '服务态度'),
    ('service_process',  'Service process and standard', '服务流程规范'),
    ('product',          'Product or tariff',            '业务产品'),
    ('channel',          'Hall or channel',              '渠道营业厅'),
    ('third_party',      'Partner merchant',             '合作商'),
    ('other',            'Other',                        '其他');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.complaint_root_cause', '');
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.complaint_root_cause
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();

INSERT INTO @extschema@.setting VALUES
    ('repeat_complaint_count', 2, 'complaints',
     'A customer with at least this many complaints within repeat_complaint_days is a repeat complainer (custvalue.repeat_complainers).  Design default.'),
    ('repeat_complaint_days', 90, 'days',
     'The window, ending with custvalue.as_of_month(), over which repeat complainers are counted.  Design default.')
ON CONFLICT (name) DO NOTHING;

CREATE FUNCTION @extschema@.complaint_handling_check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    owner bigint;
    handled record;
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NEW;
    END IF;
    SELECT c.customer_id INTO owner FROM @extschema@.complaint c WHERE c.complaint_id = NEW.complaint_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no complaint %', NEW.complaint_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NEW.customer_id IS NULL THEN
        NEW.customer_id := owner;
    ELSIF NEW.customer_id <> owner THEN
        RAISE EXCEPTION 'complaint % is customer %''s, not customer %''s', NEW.complaint_id, owner, NEW.customer_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.work_order_id IS NOT NULL THEN
        SELECT w.customer_id, w.kind, w.state INTO handled
          FROM @extschema@.work_order w WHERE w.work_order_id = NEW.work_order_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no work order %', NEW.work_order_id USING ERRCODE = 'foreign_key_violation';
        ELSIF handled.customer_id <> owner OR handled.kind <> 'complaint' THEN
            RAISE EXCEPTION 'work order % is a % of customer %, not a complaint of customer %',
                    NEW.work_order_id, handled.kind, handled.customer_id, owner
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.confirmed IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.confirmed IS NULL) THEN
        IF NEW.work_order_id IS NULL OR handled.state NOT IN ('resolved', 'closed') THEN
            RAISE EXCEPTION 'the customer confirms the outcome of complaint % once its work order is resolved', NEW.complaint_id
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        NEW.confirmed_at := coalesce(NEW.confirmed_at, clock_timestamp());
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.complaint_handling_check() IS
'BEFORE INSERT OR UPDATE trigger of complaint_handling: fills the complaint''s customer (23514 for another), the work order must be a complaint of the same customer (23514), the customer confirms only once it is resolved or closed (55000), and confirmed_at is stamped.  A pg_dump replay is taken as dumped.';

-- The customer's phone manager hears of the complaint (seed 000); a
-- customer without one, their account manager.
CREATE FUNCTION @extschema@.complaint_notify_manager() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who text;
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(c.phone_manager, c.account_manager) INTO who
      FROM @extschema@.customer c WHERE c.customer_id = NEW.customer_id;
    IF who IS NOT NULL THEN
        EXECUTE format('INSERT INTO %s (manager, customer_id, complaint_id, reason, notified_at) VALUES ($1, $2, $3, $4, $5)',
                       @extschema@.source_target('manager_notification'))
          USING who, NEW.customer_id, NEW.complaint_id, 'complaint: ' || NEW.category, NEW.filed_at;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.complaint_notify_manager() IS
'AFTER INSERT trigger of the complaint table: notifies the customer''s phone manager (else account manager) of the complaint in manager_notification, dated when it was filed.';

-- One row per complaint with what the analyses group by.
CREATE VIEW @extschema@.complaint_facts WITH (security_invoker = true) AS
SELECT c.complaint_id, c.customer_id, date_trunc('month', c.filed_at)::date AS month, c.filed_at,
       c.category, c.severity, t.tier, coalesce(w.channel, 'unknown') AS channel,
       h.work_order_id, w.state AS work_order_state, h.root_cause, h.remedy, h.compensation,
       h.confirmed, h.confirmed_at,
       CASE WHEN h.confirmed THEN 'confirmed'
            WHEN h.confirmed = false THEN 'not_confirmed'
            WHEN w.state IN ('resolved', 'closed') OR c.resolved_at IS NOT NULL THEN 'resolved'
            WHEN h.work_order_id IS NOT NULL THEN 'in_handling'
            ELSE 'unhandled' END AS recovery
  FROM @extschema@.complaint c
  LEFT JOIN @extschema@.complaint_handling h ON h.complaint_id = c.complaint_id
  LEFT JOIN @extschema@.work_order w ON w.work_order_id = h.work_order_id
  -- the tier held then: the latest month stored up to it, else today's
  CROSS JOIN LATERAL (SELECT coalesce(
            (SELECT m.tier FROM @extschema@.customer_month m
              WHERE m.customer_id = c.customer_id AND m.month <= c.filed_at
              ORDER BY m.month DESC LIMIT 1),
            (SELECT p.tier::text FROM @extschema@.customer_profile p WHERE p.customer_id = c.customer_id)) AS tier) t;
COMMENT ON VIEW @extschema@.complaint_facts IS
'Every complaint with its month, category, severity, the tier held then (the latest month stored by the monthly cycle up to it, else the current tier), the channel of the work order that handled it (unknown without one), its root cause, remedy, compensation, the customer''s confirmation and the recovery state: unhandled, in_handling, resolved, confirmed, not_confirmed.';

CREATE VIEW @extschema@.complaint_frequency WITH (security_invoker = true) AS
SELECT f.month, f.category, f.tier, f.channel, count(*) AS complaints,
       count(*) FILTER (WHERE f.severity = 'major') AS major,
       count(DISTINCT f.customer_id) AS customers
  FROM @extschema@.complaint_facts f
 GROUP BY f.month, f.category, f.tier, f.channel;
COMMENT ON VIEW @extschema@.complaint_frequency IS
'Complaints per month × category × tier (held then) × channel (of the handling work order): complaints, major ones, customers who complained.';

CREATE VIEW @extschema@.complaint_rate WITH (security_invoker = true) AS
WITH base AS (
    SELECT m.month, m.tier, count(*) AS customers
      FROM @extschema@.customer_month m
     GROUP BY m.month, m.tier
), filed AS (
    SELECT m.month, m.tier, count(*) AS complaints, count(DISTINCT c.customer_id) AS complainers
      FROM @extschema@.complaint c
      JOIN @extschema@.customer_month m
        ON m.customer_id = c.customer_id AND m.month = date_trunc('month', c.filed_at)::date
     GROUP BY m.month, m.tier
)
SELECT b.month, b.tier, b.customers, coalesce(f.complaints, 0) AS complaints,
       coalesce(f.complainers, 0) AS complainers,
       round(1000.0 * coalesce(f.complaints, 0) / b.customers, 2) AS complaints_per_1000,
       round(100.0 * coalesce(f.complainers, 0) / b.customers, 3) AS complaint_rate_pct
  FROM base b
  LEFT JOIN filed f ON f.month = b.month AND f.tier = b.tier;
COMMENT ON VIEW @extschema@.complaint_rate IS
'The complaint rate (抱怨率, seed 004: a proportion) per month stored by the monthly cycle and tier held: customers, complaints filed in the month by them, complainers, complaints per 1 000 customers and the share of customers who complained (%).';

CREATE VIEW @extschema@.repeat_complainers WITH (security_invoker = true) AS
WITH win AS (
    SELECT ((@extschema@.as_of_month() + interval '1 month')::date)::timestamptz AS ends,
           @extschema@.setting('repeat_complaint_days')::int AS days,
           @extschema@.setting('repeat_complaint_count')::int AS at_least
)
SELECT c.customer_id, count(*) AS complaints, min(c.filed_at) AS first_filed_at, max(c.filed_at) AS last_filed_at,
       array_agg(DISTINCT c.category ORDER BY c.category) AS categories,
       count(*) FILTER (WHERE c.resolved_at IS NULL) AS unresolved
  FROM @extschema@.complaint c, win
 WHERE c.filed_at >= win.ends - make_interval(days => win.days) AND c.filed_at < win.ends
 GROUP BY c.customer_id, win.at_least
HAVING count(*) >= win.at_least;
COMMENT ON VIEW @extschema@.repeat_complainers IS
'Customers with at least repeat_complaint_count complaints in the repeat_complaint_days before the end of custvalue.as_of_month() (settings): how many, first and last, the categories, how many are unresolved.';

CREATE VIEW @extschema@.complaint_themes WITH (security_invoker = true) AS
SELECT t.month, t.category, t.complaints,
       round(t.complaints::numeric / sum(t.complaints) OVER (PARTITION BY t.month), 4) AS share,
       rank() OVER (PARTITION BY t.month ORDER BY t.complaints DESC) AS rank,
       t.complaints - lag(t.complaints) OVER (PARTITION BY t.category ORDER BY t.month) AS change
  FROM (SELECT date_trunc('month', c.filed_at)::date AS month, c.category, count(*) AS complaints
          FROM @extschema@.complaint c
         GROUP BY 1, 2) t;
COMMENT ON VIEW @extschema@.complaint_themes IS
'The themes of the complaints per month: each category''s complaints, share of the month, rank (1 = most), and change against the category''s previous month with complaints.';

CREATE VIEW @extschema@.complaint_recovery WITH (security_invoker = true) AS
SELECT f.month, f.tier,
       count(*) AS complaints,
       count(*) FILTER (WHERE f.recovery = 'unhandled') AS unhandled,
       count(*) FILTER (WHERE f.recovery = 'in_handling') AS in_handling,
       count(*) FILTER (WHERE f.recovery = 'resolved') AS resolved_unconfirmed,
       count(*) FILTER (WHERE f.recovery = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE f.recovery = 'not_confirmed') AS not_confirmed,
       round(count(*) FILTER (WHERE f.recovery = 'confirmed')::numeric
             / nullif(count(*) FILTER (WHERE f.confirmed IS NOT NULL), 0), 4) AS confirmation_rate,
       coalesce(sum(f.compensation), 0) AS compensation,
       mode() WITHIN GROUP (ORDER BY f.root_cause) AS top_root_cause
  FROM @extschema@.complaint_facts f
 GROUP BY f.month, f.tier;
COMMENT ON VIEW @extschema@.complaint_recovery IS
'Service recovery (seed 004, 质量过失弥补) per month and tier held: complaints unhandled, in handling, resolved but not confirmed, confirmed and not confirmed by the customer, the confirmation rate among those asked, compensation paid, the commonest root cause.';
