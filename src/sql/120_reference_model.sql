-- The reference data model (domain.md §1, §7, §8): the tables an operator
-- loads into, or replaces with views over their own warehouse of the same
-- shape.  Money is yuan, numeric(12,2); months are the first day of the month.
-- Personal data (phone, id_card, bank_card) lives only here; every view of
-- custvalue shows it masked.

-- Scalar settings that are not worth a table of their own.
CREATE TABLE @extschema@.setting (
    name        text PRIMARY KEY,
    value       numeric NOT NULL,
    unit        text NOT NULL,
    description text NOT NULL
);
COMMENT ON TABLE @extschema@.setting IS
'Scalar policy values (name, value, unit).  Edit with UPDATE; read with custvalue.setting(name).';
INSERT INTO @extschema@.setting VALUES
    ('service_period_months', 12, 'months',
     'Length of the service period (服务期) over which per-period entitlements (lecture hall visits, SIM replacements, vouchers) are counted. Design default: one year.'),
    ('arpu_window_months', 3, 'months',
     'Months of bills averaged into a customer''s monthly ARPU in customer_profile.'),
    ('spend_window_months', 12, 'months',
     'Months of bills summed into a customer''s annual spend in customer_profile.');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.setting', '');
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.setting
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();

CREATE FUNCTION @extschema@.setting(setting_name text) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v numeric;
BEGIN
    SELECT s.value INTO v FROM @extschema@.setting s WHERE s.name = setting_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown custvalue setting "%"', setting_name
            USING ERRCODE = 'undefined_object',
                  HINT = 'See SELECT name FROM custvalue.setting.';
    END IF;
    RETURN v;
END;
$$;
COMMENT ON FUNCTION @extschema@.setting(text) IS
'Value of a scalar policy setting from custvalue.setting; unknown names are an error (42704).';

CREATE TABLE @extschema@.customer (
    customer_id      bigint PRIMARY KEY,
    phone            text NOT NULL CHECK (phone ~ '^1[0-9]{10}$'),
    id_card          text CHECK (id_card ~ '^[0-9]{17}[0-9X]$'),
    bank_card        text CHECK (bank_card ~ '^[0-9]{12,19}$'),
    region           text NOT NULL,
    brand            text NOT NULL CHECK (brand IN ('gotone', 'mzone', 'easyown')),
    vip_card         boolean NOT NULL DEFAULT false,
    joined_on        date NOT NULL,
    birth_date       date,
    account_manager  text,
    phone_manager    text,
    status           text NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'suspended', 'churned')),
    churned_on       date,
    CHECK ((status = 'churned') = (churned_on IS NOT NULL)),
    CHECK (churned_on IS NULL OR churned_on >= joined_on)
);
COMMENT ON TABLE @extschema@.customer IS
'One row per subscriber.  phone, id_card and bank_card are personal data: views show them masked.';
COMMENT ON COLUMN @extschema@.customer.region IS 'City or district; the natural key for row-level security.';
COMMENT ON COLUMN @extschema@.customer.brand IS 'gotone (全球通), mzone (动感地带) or easyown (神州行).';
COMMENT ON COLUMN @extschema@.customer.vip_card IS 'Holds a GoTone VIP card, so is tiered by annual spend.';
COMMENT ON COLUMN @extschema@.customer.joined_on IS 'Start of tenure on the network.';
COMMENT ON COLUMN @extschema@.customer.account_manager IS 'Code of the customer''s account manager (客户经理), if any.';
COMMENT ON COLUMN @extschema@.customer.phone_manager IS 'Code of the customer''s phone manager (电话经理), if any.';

CREATE TABLE @extschema@.monthly_bill (
    customer_id    bigint NOT NULL REFERENCES @extschema@.customer ON DELETE CASCADE,
    month          date NOT NULL CHECK (extract(day FROM month) = 1),
    voice_fee      numeric(12,2) NOT NULL DEFAULT 0 CHECK (voice_fee >= 0),
    sms_fee        numeric(12,2) NOT NULL DEFAULT 0 CHECK (sms_fee >= 0),
    data_fee       numeric(12,2) NOT NULL DEFAULT 0 CHECK (data_fee >= 0),
    vas_fee        numeric(12,2) NOT NULL DEFAULT 0 CHECK (vas_fee >= 0),
    total_fee      numeric(12,2) GENERATED ALWAYS AS (voice_fee + sms_fee + data_fee + vas_fee) STORED,
    voice_minutes  integer NOT NULL DEFAULT 0 CHECK (voice_minutes >= 0),
    sms_count      integer NOT NULL DEFAULT 0 CHECK (sms_count >= 0),
    data_mb        integer NOT NULL DEFAULT 0 CHECK (data_mb >= 0),
    paid_late      boolean NOT NULL DEFAULT false,
    arrears        numeric(12,2) NOT NULL DEFAULT 0 CHECK (arrears >= 0),
    cost_to_serve  numeric(12,2) CHECK (cost_to_serve >= 0),
    PRIMARY KEY (customer_id, month)
);
-- as_of_month() is max(month): with this index a lookup, not a scan of
-- every bill (views call it per statement, some plans per row).
CREATE INDEX monthly_bill_month_idx ON @extschema@.monthly_bill (month);
COMMENT ON TABLE @extschema@.monthly_bill IS
'One row per customer and month: revenue by component (tariff composition), usage, payment behaviour (credit risk) and, when known, cost to serve.';
COMMENT ON COLUMN @extschema@.monthly_bill.arrears IS 'Amount overdue at the end of the month.';
COMMENT ON COLUMN @extschema@.monthly_bill.cost_to_serve IS 'Operator''s cost of serving the customer that month, NULL when unknown.';

CREATE TABLE @extschema@.bundle (
    bundle_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id    bigint NOT NULL REFERENCES @extschema@.customer ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('prepaid', 'handset', 'gift', 'family')),
    grade          text CHECK (grade IN ('special', 'entry', 'middle', 'high')),
    started_on     date NOT NULL,
    ends_on        date NOT NULL,
    monthly_floor  numeric(12,2) NOT NULL DEFAULT 0 CHECK (monthly_floor >= 0),
    CHECK (ends_on > started_on),
    CHECK ((kind = 'gift') = (grade IS NOT NULL))
);
CREATE INDEX ON @extschema@.bundle (customer_id);
COMMENT ON TABLE @extschema@.bundle IS
'Bundled-marketing commitments (domain.md §5): prepaid, handset, gift (with grade) and family-net bundles.';

CREATE TABLE @extschema@.service_event (
    event_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES @extschema@.customer ON DELETE CASCADE,
    occurred_at   timestamptz NOT NULL,
    service_item  text NOT NULL,
    channel       text NOT NULL,
    manager       text
);
CREATE INDEX ON @extschema@.service_event (customer_id);
COMMENT ON TABLE @extschema@.service_event IS
'A service delivered to a customer: which service item, over which channel, by which manager.';

CREATE TABLE @extschema@.survey_response (
    response_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES @extschema@.customer ON DELETE CASCADE,
    event_id      bigint REFERENCES @extschema@.service_event ON DELETE SET NULL,
    answered_at   timestamptz NOT NULL,
    channel       text,
    satisfied     boolean,
    csat          smallint CHECK (csat BETWEEN 1 AND 5),
    nps           smallint CHECK (nps BETWEEN 0 AND 10)
);
CREATE INDEX ON @extschema@.survey_response (customer_id);
COMMENT ON TABLE @extschema@.survey_response IS
'Survey answers: the post-service SMS survey (satisfied yes/no, tied to a service event) and periodic surveys (CSAT 1–5, NPS 0–10).';

CREATE TABLE @extschema@.complaint (
    complaint_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES @extschema@.customer ON DELETE CASCADE,
    filed_at      timestamptz NOT NULL,
    category      text NOT NULL,
    severity      text NOT NULL CHECK (severity IN ('major', 'ordinary', 'minor')),
    resolved_at   timestamptz,
    CHECK (resolved_at IS NULL OR resolved_at >= filed_at)
);
CREATE INDEX ON @extschema@.complaint (customer_id);
COMMENT ON TABLE @extschema@.complaint IS 'Customer complaints, graded major / ordinary / minor (domain.md §9).';

-- The month the data describes: the latest billed month.  Views measure
-- tenure, windows and recency from it rather than from now(), so a data set
-- keeps its meaning when it is loaded later.
CREATE FUNCTION @extschema@.as_of_month() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(max(month), date_trunc('month', current_date)::date)
      FROM @extschema@.monthly_bill;
END;
COMMENT ON FUNCTION @extschema@.as_of_month() IS
'The reference month of the data: the latest month in custvalue.monthly_bill (this month if there are no bills).';

-- Each customer's current standing: spend, ARPU, tenure and tier.
CREATE VIEW @extschema@.customer_profile WITH (security_invoker = true) AS
WITH ref AS (
    SELECT @extschema@.as_of_month() AS month,
           @extschema@.setting('spend_window_months')::int AS spend_months,
           @extschema@.setting('arpu_window_months')::int AS arpu_months
), bills AS (
    SELECT b.customer_id,
           sum(b.total_fee) AS annual_spend,
           (sum(b.total_fee) FILTER (WHERE b.month > ref.month - make_interval(months => ref.arpu_months)))
             / nullif(count(*) FILTER (WHERE b.month > ref.month - make_interval(months => ref.arpu_months)), 0)
             AS monthly_arpu
      FROM @extschema@.monthly_bill b, ref
     WHERE b.month > ref.month - make_interval(months => ref.spend_months)
       AND b.month <= ref.month
     GROUP BY b.customer_id
)
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       c.status,
       c.joined_on,
       ((extract(year FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on)) * 12
         + extract(month FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on))))::int
         AS tenure_months,
       coalesce(bills.annual_spend, 0)::numeric(12,2) AS annual_spend,
       coalesce(bills.monthly_arpu, 0)::numeric(12,2) AS monthly_arpu,
       @extschema@.tier_of(coalesce(bills.annual_spend, 0)::numeric(12,2),
                           coalesce(bills.monthly_arpu, 0)::numeric(12,2),
                           c.vip_card) AS tier
  FROM @extschema@.customer c
  CROSS JOIN ref
  LEFT JOIN bills USING (customer_id);
COMMENT ON VIEW @extschema@.customer_profile IS
'Each customer''s standing at custvalue.as_of_month(): annual spend (last spend_window_months of bills), monthly ARPU (mean of the last arpu_window_months), tenure in whole months, and tier by custvalue.tier_of().';
