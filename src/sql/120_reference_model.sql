-- The reference data model (domain.md §1, §7, §8): the data an operator
-- loads into the tables of custvalue.create_data_model(), or binds from
-- their own warehouse with custvalue.bind_source().  Money is yuan,
-- numeric(12,2); months are the first day of the month.  Personal data
-- (phone, id_card, bank_card) lives only in custvalue.customer; every view
-- of custvalue shows it masked.

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

-- custvalue.setting(name), which reads it: 119 (before the table: the views below call it).

-- The sources of the reference model (see 115_data_source.sql): their
-- interface, as unbound views.  custvalue.create_data_model() creates tables
-- of exactly this shape (950_data_model.sql); bind_source() binds others.
-- Personal numbers are a source of their own: a view reads every column
-- it names, so custvalue.customer, which every analysis view reads, must
-- not name them for column privileges to keep them from custvalue_reader.
-- The reference tables hold both in one table, masked columns computed on
-- write; a warehouse without masked columns gets them derived from its raw
-- ones (its readers then need SELECT on those), or binds a view of its own.
SELECT @extschema@.define_source('customer',
    'One row per subscriber, personal numbers only masked (phone_masked, id_card_masked, bank_card_masked); the raw numbers are custvalue.customer_identity.',
    ARRAY['customer_id bigint', 'region text', 'brand text', 'vip_card boolean', 'joined_on date',
          'birth_date date', 'account_manager text', 'phone_manager text', 'status text',
          'churned_on date', 'phone_masked text', 'id_card_masked text', 'bank_card_masked text'],
    '{"phone_masked": "@extschema@.mask_phone({phone})",
      "id_card_masked": "@extschema@.mask_id_card({id_card})",
      "bank_card_masked": "@extschema@.mask_bank_card({bank_card})"}');
SELECT @extschema@.define_source('customer_identity',
    'Each subscriber''s personal numbers, unmasked: mobile phone, resident ID card, bank card for direct debit.  Readable only by custvalue_pii.',
    ARRAY['customer_id bigint', 'phone text', 'id_card text', 'bank_card text']);
COMMENT ON COLUMN @extschema@.customer.region IS 'City or district; the natural key for row-level security.';
COMMENT ON COLUMN @extschema@.customer.brand IS 'gotone (全球通), mzone (动感地带) or easyown (神州行).';
COMMENT ON COLUMN @extschema@.customer.vip_card IS 'Holds a GoTone VIP card, so is tiered by annual spend.';
COMMENT ON COLUMN @extschema@.customer.joined_on IS 'Start of tenure on the network.';
COMMENT ON COLUMN @extschema@.customer.account_manager IS 'Code of the customer''s account manager (客户经理), if any.';
COMMENT ON COLUMN @extschema@.customer.phone_manager IS 'Code of the customer''s phone manager (电话经理), if any.';

SELECT @extschema@.define_source('monthly_bill',
    'One row per customer and month: revenue by component (tariff composition), usage, payment behaviour (credit risk) and, when known, cost to serve.',
    ARRAY['customer_id bigint', 'month date', 'voice_fee numeric(12,2)', 'sms_fee numeric(12,2)',
          'data_fee numeric(12,2)', 'vas_fee numeric(12,2)', 'total_fee numeric(12,2)',
          'voice_minutes integer', 'sms_count integer', 'data_mb integer', 'paid_late boolean',
          'arrears numeric(12,2)', 'cost_to_serve numeric(12,2)'],
    '{"total_fee": "{voice_fee} + {sms_fee} + {data_fee} + {vas_fee}"}');
COMMENT ON COLUMN @extschema@.monthly_bill.arrears IS 'Amount overdue at the end of the month.';
COMMENT ON COLUMN @extschema@.monthly_bill.cost_to_serve IS 'Operator''s cost of serving the customer that month, NULL when unknown.';

SELECT @extschema@.define_source('bundle',
    'Bundled-marketing commitments (domain.md §5): prepaid, handset, gift (with grade) and family-net bundles.',
    ARRAY['bundle_id bigint', 'customer_id bigint', 'kind text', 'grade text', 'started_on date',
          'ends_on date', 'monthly_floor numeric(12,2)']);

SELECT @extschema@.define_source('service_event',
    'A service delivered to a customer: which service item, over which channel, by which manager.',
    ARRAY['event_id bigint', 'customer_id bigint', 'occurred_at timestamptz', 'service_item text',
          'channel text', 'manager text']);

SELECT @extschema@.define_source('survey_response',
    'Survey answers: the post-service SMS survey (satisfied yes/no, tied to a service event) and periodic surveys (CSAT 1–5, NPS 0–10).',
    ARRAY['response_id bigint', 'customer_id bigint', 'event_id bigint', 'answered_at timestamptz',
          'channel text', 'satisfied boolean', 'csat smallint', 'nps smallint']);

SELECT @extschema@.define_source('complaint',
    'Customer complaints, graded major / ordinary / minor (domain.md §9).',
    ARRAY['complaint_id bigint', 'customer_id bigint', 'filed_at timestamptz', 'category text',
          'severity text', 'resolved_at timestamptz']);

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
