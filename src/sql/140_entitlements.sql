-- Entitlements per tier (分层服务标准, domain.md §3): the whole matrix of the
-- tiered service standard as typed policy data, two views that package it
-- for reporting (one row per tier; one row per customer), and the rule of
-- suspension care as a function.
--
-- One row per (tier, service item) the tier is entitled to; no row means no
-- entitlement.  The typed columns say how much: which of them apply depends
-- on the item (see the table comment), and entitlement_problem() enforces
-- exactly that shape, so every cell of the seed's table has one and only one
-- representation.
--
-- Tier c is served by the ordinary-customer standard (seed: "C类客户参考普通
-- 客户服务标准"), which is not part of this matrix: the table refuses rows
-- for c, and the views show c with every entitlement absent.

CREATE TABLE @extschema@.entitlement (
    tier             @extschema@.tier NOT NULL
                         CONSTRAINT entitlement_tier_c_is_ordinary
                         CHECK (@extschema@.tier_rank(tier) > 0),
    service_item     text NOT NULL REFERENCES @extschema@.service_item (code),
    quantity         integer
                         CONSTRAINT entitlement_quantity_valid CHECK (quantity >= 0),
    unlimited        boolean NOT NULL DEFAULT false,
    amount           numeric(12,2)
                         CONSTRAINT entitlement_amount_valid
                         CHECK (amount >= 0 AND amount <> 'NaN'),
    per_request_cap  numeric(12,2)
                         CONSTRAINT entitlement_per_request_cap_valid
                         CHECK (per_request_cap > 0 AND per_request_cap <> 'NaN'),
    points           integer
                         CONSTRAINT entitlement_points_valid CHECK (points >= 0),
    channel          text
                         CONSTRAINT entitlement_channel_valid
                         CHECK (channel IN ('auto_identified', 'ivr',
                                            'account_manager', 'phone_manager')),
    seed_text        text,
    PRIMARY KEY (tier, service_item)
);
COMMENT ON TABLE @extschema@.entitlement IS
'The tiered service standard (domain.md §3): one row per tier and service item the tier is entitled to; no row = no entitlement.  Columns that apply per service_item (all others NULL / false):
  hotline_priority   channel auto_identified (no IVR, quantity 0) or ivr (quantity = most IVR options, human included);
  suspension_care    amount = monthly overdraft credit, per_request_cap (NULL = none), channel = who warns before two-way suspension (account_manager | phone_manager);
  lecture_hall       quantity = free visits per service period, unlimited = further visits without limit paid with points, points = points per such visit (NULL = set per event);
  birthday_gift      amount = value cap of the gift;
  sim_replacement    quantity = free replacements per service period;
  car_club           points = points deducted per year (0 = explicitly none, NULL = the standard says nothing), amount = cap of free services (NULL = none stated);
  experience_vouchers quantity = vouchers per service period;
  alliance_merchants, phone_manager, multimedia_manager, community: presence only.
Amounts are yuan and caps inclusive (the seed''s 不超过/以内/以下 include the number).  Tier c has the ordinary-customer standard and no rows.  Edit with plain SQL; the next statement sees the change.';
COMMENT ON COLUMN @extschema@.entitlement.tier IS 'Tier entitled (b and up; c is served by the ordinary-customer standard).';
COMMENT ON COLUMN @extschema@.entitlement.service_item IS 'Item of the standard, custvalue.service_item.code.';
COMMENT ON COLUMN @extschema@.entitlement.quantity IS 'A count: most IVR options (hotline_priority, 0 = no IVR), free visits / replacements / vouchers per service period (lecture_hall, sim_replacement, experience_vouchers).';
COMMENT ON COLUMN @extschema@.entitlement.unlimited IS 'lecture_hall only: visits beyond the free ones are unlimited but cost points.';
COMMENT ON COLUMN @extschema@.entitlement.amount IS 'Yuan: monthly overdraft credit (suspension_care), gift value cap (birthday_gift), free-service cap (car_club).';
COMMENT ON COLUMN @extschema@.entitlement.per_request_cap IS 'suspension_care only: most yuan of credit per request; NULL = only the monthly credit limits a request.';
COMMENT ON COLUMN @extschema@.entitlement.points IS 'Loyalty points deducted: per year (car_club), per paid visit (lecture_hall, with unlimited).';
COMMENT ON COLUMN @extschema@.entitlement.channel IS 'hotline_priority: auto_identified or ivr; suspension_care: account_manager or phone_manager, who warns by phone or SMS before two-way suspension.';
COMMENT ON COLUMN @extschema@.entitlement.seed_text IS 'The seed''s wording of the cell this row came from (abridged, simplified characters), for reference only (not interpreted); update or clear it when you change the row.';

INSERT INTO @extschema@.entitlement
    (tier, service_item, quantity, unlimited, amount, per_request_cap, points, channel, seed_text)
VALUES
    -- 1. 10086 hotline priority
    ('diamond', 'hotline_priority', 0, false, NULL, NULL, NULL, 'auto_identified', '无须听取语音通知，自动识别客户身份，免去一切IVR环节'),
    ('gold',    'hotline_priority', 0, false, NULL, NULL, NULL, 'auto_identified', '无须听取语音通知，自动识别客户身份，免去一切IVR环节'),
    ('silver',  'hotline_priority', 3, false, NULL, NULL, NULL, 'ivr', '可安排IVR环节，但服务选项不能超过三项(含人工服务项)'),
    ('a',       'hotline_priority', 3, false, NULL, NULL, NULL, 'ivr', '可安排IVR环节，但服务选项不能超过三项(含人工服务项)'),
    ('b',       'hotline_priority', 3, false, NULL, NULL, NULL, 'ivr', '可安排IVR环节，但服务选项不能超过三项(含人工服务项)'),
    -- 2. suspension care
    ('diamond', 'suspension_care', NULL, false, 300, 100, NULL, 'account_manager', '每月透支总额不超过300元的信用额度(每次申请透支额度不超过100元)，双向停机前由客户经理电话或短信提醒'),
    ('gold',    'suspension_care', NULL, false, 200, 100, NULL, 'phone_manager', '每月透支总额不超过200元的信用额度(每次申请透支额度不超过100元)，双向停机前由电话经理电话或短信提醒'),
    ('silver',  'suspension_care', NULL, false, 100, NULL, NULL, 'account_manager', '每月透支总额不超过100元的信用额度，双向停机前由客户经理电话或短信提醒'),
    ('a',       'suspension_care', NULL, false, 100, NULL, NULL, 'phone_manager', '每月透支总额不超过100元的信用额度，双向停机前由电话经理电话或短信提醒'),
    ('b',       'suspension_care', NULL, false, 50, NULL, NULL, 'phone_manager', '每月透支总额不超过50元的信用额度，双向停机前由电话经理电话或短信提醒'),
    -- 3. VIP lecture hall
    ('diamond', 'lecture_hall', 0, true, NULL, NULL, NULL, NULL, '服务期内可不限次参加，但需扣减一定积分'),
    ('gold',    'lecture_hall', 2, false, NULL, NULL, NULL, NULL, '服务期内可免费参加2次'),
    ('silver',  'lecture_hall', 1, false, NULL, NULL, NULL, NULL, '服务期内可免费参加1次'),
    -- 4. birthday gift
    ('diamond', 'birthday_gift', NULL, false, 150, NULL, NULL, NULL, '价值150元以内的生日礼物一份'),
    ('gold',    'birthday_gift', NULL, false, 120, NULL, NULL, NULL, '价值120元以内的生日礼物一份'),
    ('silver',  'birthday_gift', NULL, false, 60, NULL, NULL, NULL, '价值60元以内的生日礼物一份'),
    ('a',       'birthday_gift', NULL, false, 60, NULL, NULL, NULL, '价值60元以内的生日礼物一份'),
    ('b',       'birthday_gift', NULL, false, 40, NULL, NULL, NULL, '价值40元以内的生日礼物一份'),
    -- 5. SIM replacement
    ('diamond', 'sim_replacement', 5, false, NULL, NULL, NULL, NULL, '服务期内免费更换五次SIM卡'),
    ('gold',    'sim_replacement', 4, false, NULL, NULL, NULL, NULL, '服务期内免费更换四次SIM卡'),
    ('silver',  'sim_replacement', 3, false, NULL, NULL, NULL, NULL, '服务期内免费更换三次SIM卡'),
    ('a',       'sim_replacement', 3, false, NULL, NULL, NULL, NULL, '服务期内免费更换三次SIM卡'),
    ('b',       'sim_replacement', 2, false, NULL, NULL, NULL, NULL, '服务期内免费更换两次SIM卡'),
    -- 6. alliance merchants (one cell spanning all five tiers)
    ('diamond', 'alliance_merchants', NULL, false, NULL, NULL, NULL, NULL, '可凭有效身份证件在联盟商家享受移动公司与其协议的服务'),
    ('gold',    'alliance_merchants', NULL, false, NULL, NULL, NULL, NULL, '可凭有效身份证件在联盟商家享受移动公司与其协议的服务'),
    ('silver',  'alliance_merchants', NULL, false, NULL, NULL, NULL, NULL, '可凭有效身份证件在联盟商家享受移动公司与其协议的服务'),
    ('a',       'alliance_merchants', NULL, false, NULL, NULL, NULL, NULL, '可凭有效身份证件在联盟商家享受移动公司与其协议的服务'),
    ('b',       'alliance_merchants', NULL, false, NULL, NULL, NULL, NULL, '可凭有效身份证件在联盟商家享受移动公司与其协议的服务'),
    -- 7. car club
    ('diamond', 'car_club', NULL, false, NULL, NULL, 0, NULL, '可申请加入车友俱乐部，不扣减积分'),
    ('gold',    'car_club', NULL, false, NULL, NULL, 0, NULL, '可申请加入车友俱乐部，不扣减积分'),
    ('silver',  'car_club', NULL, false, NULL, NULL, 1000, NULL, '可申请加入车友俱乐部，并扣减1000积分/年'),
    ('a',       'car_club', NULL, false, 800, NULL, NULL, NULL, '可申请加入车友俱乐部，免费服务享受金额限制在800元以下'),
    ('b',       'car_club', NULL, false, 500, NULL, NULL, NULL, '可申请加入车友俱乐部，免费服务享受金额限制在500元以下'),
    -- 8.–11. new services for A and B
    ('a',       'phone_manager', NULL, false, NULL, NULL, NULL, NULL, '7×24小时响应服务；业务受理；新业务推介；私人助理服务；免费邮寄账单、发票'),
    ('b',       'phone_manager', NULL, false, NULL, NULL, NULL, NULL, '7×24小时响应服务；业务受理；新业务推介；私人助理服务；免费邮寄账单、发票'),
    ('a',       'multimedia_manager', NULL, false, NULL, NULL, NULL, NULL, '7×24小时响应服务；文字、图像交互服务及主动关怀服务，包括电邮账单'),
    ('b',       'multimedia_manager', NULL, false, NULL, NULL, NULL, NULL, '7×24小时响应服务；文字、图像交互服务及主动关怀服务，包括电邮账单'),
    ('a',       'community', NULL, false, NULL, NULL, NULL, NULL, '潇湘家园：随时随地通过移动互联网分享生活、沟通信息、交流情感'),
    ('b',       'community', NULL, false, NULL, NULL, NULL, NULL, '潇湘家园：随时随地通过移动互联网分享生活、沟通信息、交流情感'),
    ('a',       'experience_vouchers', 5, false, NULL, NULL, NULL, NULL, '服务期内可获取5张体验券用于高端服务的免费体验'),
    ('b',       'experience_vouchers', 3, false, NULL, NULL, NULL, NULL, '服务期内可获取3张体验券用于高端服务的免费体验');

-- What is wrong with one row, or NULL: the per-item shape described in the
-- table comment.  A function of its own so the trigger, the tests and a DBA
-- checking a planned edit all use the same rule.
CREATE FUNCTION @extschema@.entitlement_problem(e @extschema@.entitlement) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH shape(applies) AS (
        SELECT CASE e.service_item
                 WHEN 'hotline_priority'    THEN ARRAY['quantity', 'channel']
                 WHEN 'suspension_care'     THEN ARRAY['amount', 'per_request_cap', 'channel']
                 WHEN 'lecture_hall'        THEN ARRAY['quantity', 'unlimited', 'points']
                 WHEN 'birthday_gift'       THEN ARRAY['amount']
                 WHEN 'sim_replacement'     THEN ARRAY['quantity']
                 WHEN 'alliance_merchants'  THEN ARRAY[]::text[]
                 WHEN 'car_club'            THEN ARRAY['points', 'amount']
                 WHEN 'phone_manager'       THEN ARRAY[]::text[]
                 WHEN 'multimedia_manager'  THEN ARRAY[]::text[]
                 WHEN 'community'           THEN ARRAY[]::text[]
                 WHEN 'experience_vouchers' THEN ARRAY['quantity']
               END
    ), given(cols) AS (
        SELECT array_remove(ARRAY[
                   CASE WHEN e.quantity IS NOT NULL THEN 'quantity' END,
                   CASE WHEN e.unlimited THEN 'unlimited' END,
                   CASE WHEN e.amount IS NOT NULL THEN 'amount' END,
                   CASE WHEN e.per_request_cap IS NOT NULL THEN 'per_request_cap' END,
                   CASE WHEN e.points IS NOT NULL THEN 'points' END,
                   CASE WHEN e.channel IS NOT NULL THEN 'channel' END], NULL)
    ), extra(cols) AS (
        -- columns set that the item does not use
        SELECT ARRAY(SELECT unnest(given.cols) EXCEPT SELECT unnest(shape.applies) ORDER BY 1)
          FROM given, shape
    )
    SELECT CASE
        WHEN shape.applies IS NULL THEN
            'service item ' || e.service_item || ' is not one of the eleven items of the tiered service standard'
        WHEN cardinality(extra.cols) > 0 THEN
            array_to_string(extra.cols, ', ')
            || CASE WHEN cardinality(extra.cols) > 1 THEN ' do' ELSE ' does' END
            || ' not apply to ' || e.service_item
            || CASE WHEN shape.applies = '{}' THEN ' (presence only)'
                    ELSE ' (only ' || array_to_string(shape.applies, ', ') || ')' END
        -- hotline: either recognised with no IVR at all, or a short IVR menu
        WHEN e.service_item = 'hotline_priority' AND e.channel IS NULL THEN
            'hotline_priority needs channel auto_identified or ivr'
        WHEN e.service_item = 'hotline_priority' AND e.channel NOT IN ('auto_identified', 'ivr') THEN
            'hotline_priority channel must be auto_identified or ivr, not ' || e.channel
        WHEN e.service_item = 'hotline_priority' AND e.channel = 'auto_identified'
             AND e.quantity IS DISTINCT FROM 0 THEN
            'hotline_priority auto_identified means no IVR: quantity must be 0'
        WHEN e.service_item = 'hotline_priority' AND e.channel = 'ivr'
             AND coalesce(e.quantity, 0) < 1 THEN
            'hotline_priority ivr needs quantity >= 1 (the most IVR options, human included)'
        -- suspension care: a credit, an optional per-request cap within it, a warner
        WHEN e.service_item = 'suspension_care' AND coalesce(e.amount, 0) <= 0 THEN
            'suspension_care needs a positive amount (the monthly overdraft credit)'
        WHEN e.service_item = 'suspension_care' AND e.per_request_cap > e.amount THEN
            'suspension_care per_request_cap ' || e.per_request_cap
            || ' exceeds the monthly overdraft credit ' || e.amount
        WHEN e.service_item = 'suspension_care'
             AND e.channel IS DISTINCT FROM 'account_manager'
             AND e.channel IS DISTINCT FROM 'phone_manager' THEN
            'suspension_care needs channel account_manager or phone_manager (who warns before two-way suspension)'
        -- lecture hall: free visits, possibly unlimited paid visits
        WHEN e.service_item = 'lecture_hall' AND e.quantity IS NULL THEN
            'lecture_hall needs quantity (free visits per service period, 0 if none)'
        WHEN e.service_item = 'lecture_hall' AND e.quantity = 0 AND NOT e.unlimited THEN
            'lecture_hall with no free visits must be unlimited (paid with points); delete the row to withdraw the item'
        WHEN e.service_item = 'lecture_hall' AND e.points IS NOT NULL AND NOT e.unlimited THEN
            'lecture_hall points price the unlimited visits: set unlimited or clear points'
        WHEN e.service_item = 'birthday_gift' AND coalesce(e.amount, 0) <= 0 THEN
            'birthday_gift needs a positive amount (the value cap of the gift)'
        WHEN e.service_item IN ('sim_replacement', 'experience_vouchers')
             AND coalesce(e.quantity, 0) <= 0 THEN
            e.service_item || ' needs a positive quantity per service period; delete the row to withdraw the item'
        WHEN e.service_item = 'car_club' AND e.amount = 0 THEN
            'car_club amount is the cap of free services: positive, or NULL for none stated'
    END
      FROM shape, extra;
END;
COMMENT ON FUNCTION @extschema@.entitlement_problem(@extschema@.entitlement) IS
'What is wrong with an entitlement row (which columns apply to its service item, and their rules), or NULL if it is valid.  Used by the validation trigger of custvalue.entitlement.';

-- custvalue.entitlement_validate(): 139_entitlement_validate.sql (replaced by the 1.3 update).

CREATE CONSTRAINT TRIGGER entitlement_valid
    AFTER INSERT OR UPDATE ON @extschema@.entitlement
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.entitlement_validate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.entitlement
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.entitlement', '');

-- One row per tier, one typed column per entitlement: the matrix as a BI
-- tool reads it.  Counts and amounts of an entitlement a tier lacks are 0
-- (no free visits, no credit, no gift); terms that only qualify an
-- entitlement (IVR options, per-request cap, warner, car-club terms) are NULL
-- when it is absent or the standard states none.
CREATE VIEW @extschema@.tier_entitlements WITH (security_invoker = true) AS
SELECT t.tier,
       @extschema@.tier_label_zh(t.tier) AS tier_label_zh,
       max(e.channel) FILTER (WHERE e.service_item = 'hotline_priority') AS hotline_access,
       max(e.quantity) FILTER (WHERE e.service_item = 'hotline_priority') AS hotline_max_ivr_options,
       coalesce(max(e.amount) FILTER (WHERE e.service_item = 'suspension_care'), 0)::numeric(12,2)
           AS overdraft_monthly_credit,
       max(e.per_request_cap) FILTER (WHERE e.service_item = 'suspension_care') AS overdraft_per_request_cap,
       max(e.channel) FILTER (WHERE e.service_item = 'suspension_care') AS suspension_warning_by,
       coalesce(max(e.quantity) FILTER (WHERE e.service_item = 'lecture_hall'), 0) AS lecture_hall_free_visits,
       coalesce(bool_or(e.unlimited) FILTER (WHERE e.service_item = 'lecture_hall'), false)
           AS lecture_hall_unlimited_with_points,
       max(e.points) FILTER (WHERE e.service_item = 'lecture_hall') AS lecture_hall_points_per_visit,
       coalesce(max(e.amount) FILTER (WHERE e.service_item = 'birthday_gift'), 0)::numeric(12,2)
           AS birthday_gift_cap,
       coalesce(max(e.quantity) FILTER (WHERE e.service_item = 'sim_replacement'), 0) AS sim_replacements,
       count(*) FILTER (WHERE e.service_item = 'alliance_merchants') > 0 AS alliance_merchants,
       count(*) FILTER (WHERE e.service_item = 'car_club') > 0 AS car_club,
       max(e.points) FILTER (WHERE e.service_item = 'car_club') AS car_club_points_per_year,
       max(e.amount) FILTER (WHERE e.service_item = 'car_club') AS car_club_free_service_cap,
       count(*) FILTER (WHERE e.service_item = 'phone_manager') > 0 AS phone_manager,
       count(*) FILTER (WHERE e.service_item = 'multimedia_manager') > 0 AS multimedia_manager,
       count(*) FILTER (WHERE e.service_item = 'community') > 0 AS community,
       coalesce(max(e.quantity) FILTER (WHERE e.service_item = 'experience_vouchers'), 0) AS experience_vouchers,
       @extschema@.setting('service_period_months')::integer AS service_period_months
  FROM @extschema@.tiers() AS t(tier)
  LEFT JOIN @extschema@.entitlement e ON e.tier = t.tier
 GROUP BY t.tier
 ORDER BY t.tier DESC;
COMMENT ON VIEW @extschema@.tier_entitlements IS
'The tiered service standard (domain.md §3) as one row per tier, all six (c = ordinary-customer standard: nothing), one typed column per entitlement, from custvalue.entitlement.  Counts and amounts a tier lacks are 0; qualifying terms (IVR options, per-request cap, warner, car-club terms, lecture-hall points) are NULL when absent or not stated.  Per-period counts are per service_period_months.';
COMMENT ON COLUMN @extschema@.tier_entitlements.tier IS 'The tier (all six, highest first).';
COMMENT ON COLUMN @extschema@.tier_entitlements.tier_label_zh IS 'The tier''s name in the seed: 钻卡, 金卡, 银卡, A类, B类, C类.';
COMMENT ON COLUMN @extschema@.tier_entitlements.hotline_access IS '10086 priority: auto_identified (no IVR), ivr (short menu), NULL = ordinary hotline service.';
COMMENT ON COLUMN @extschema@.tier_entitlements.hotline_max_ivr_options IS 'Most IVR options, human included (0 = no IVR); NULL = ordinary hotline service.';
COMMENT ON COLUMN @extschema@.tier_entitlements.overdraft_monthly_credit IS 'Suspension care: yuan of overdraft credit per month (0 = none).';
COMMENT ON COLUMN @extschema@.tier_entitlements.overdraft_per_request_cap IS 'Suspension care: most yuan per request; NULL = only the monthly credit limits a request.';
COMMENT ON COLUMN @extschema@.tier_entitlements.suspension_warning_by IS 'Who warns before two-way suspension: account_manager or phone_manager; NULL = no suspension care.';
COMMENT ON COLUMN @extschema@.tier_entitlements.lecture_hall_free_visits IS 'VIP lecture hall: free visits per service period.';
COMMENT ON COLUMN @extschema@.tier_entitlements.lecture_hall_unlimited_with_points IS 'VIP lecture hall: unlimited visits, each paid with points.';
COMMENT ON COLUMN @extschema@.tier_entitlements.lecture_hall_points_per_visit IS 'Points per paid lecture-hall visit; NULL = set per event (the seed: 一定积分).';
COMMENT ON COLUMN @extschema@.tier_entitlements.birthday_gift_cap IS 'Value cap (yuan) of the birthday gift; 0 = no gift.';
COMMENT ON COLUMN @extschema@.tier_entitlements.sim_replacements IS 'Free SIM card replacements per service period.';
COMMENT ON COLUMN @extschema@.tier_entitlements.alliance_merchants IS 'Alliance-merchant benefits (联盟商家).';
COMMENT ON COLUMN @extschema@.tier_entitlements.car_club IS 'May join the car club (车友俱乐部).';
COMMENT ON COLUMN @extschema@.tier_entitlements.car_club_points_per_year IS 'Points deducted per year of car-club membership; 0 = explicitly none; NULL = not a member or not stated.';
COMMENT ON COLUMN @extschema@.tier_entitlements.car_club_free_service_cap IS 'Cap (yuan) of free car-club services; NULL = not a member or no cap stated.';
COMMENT ON COLUMN @extschema@.tier_entitlements.phone_manager IS 'Phone manager (电话经理), 7x24.';
COMMENT ON COLUMN @extschema@.tier_entitlements.multimedia_manager IS 'Multimedia manager (多媒体经理), 7x24.';
COMMENT ON COLUMN @extschema@.tier_entitlements.community IS 'Xiaoxiang Home community (潇湘家园).';
COMMENT ON COLUMN @extschema@.tier_entitlements.experience_vouchers IS 'Service-experience vouchers (体验券) per service period.';
COMMENT ON COLUMN @extschema@.tier_entitlements.service_period_months IS 'Length of the service period the per-period counts refer to (setting service_period_months).';

-- Each customer with the entitlements of their current tier; no personal
-- data (phone, id_card, bank_card never appear).
CREATE VIEW @extschema@.customer_entitlements WITH (security_invoker = true) AS
SELECT p.customer_id,
       p.region,
       p.brand,
       p.vip_card,
       p.status,
       p.tenure_months,
       p.tier,
       te.tier_label_zh,
       te.hotline_access,
       te.hotline_max_ivr_options,
       te.overdraft_monthly_credit,
       te.overdraft_per_request_cap,
       te.suspension_warning_by,
       te.lecture_hall_free_visits,
       te.lecture_hall_unlimited_with_points,
       te.lecture_hall_points_per_visit,
       te.birthday_gift_cap,
       te.sim_replacements,
       te.alliance_merchants,
       te.car_club,
       te.car_club_points_per_year,
       te.car_club_free_service_cap,
       te.phone_manager,
       te.multimedia_manager,
       te.community,
       te.experience_vouchers,
       te.service_period_months
  FROM @extschema@.customer_profile p
  LEFT JOIN @extschema@.tier_entitlements te ON te.tier = p.tier;
COMMENT ON VIEW @extschema@.customer_entitlements IS
'Each customer of custvalue.customer_profile with their current tier and its entitlements (columns as in custvalue.tier_entitlements).  No personal data.  Churned customers are listed with their last tier; filter on status.';

-- In C (src/entitlement.c): credit control calls it per account, so the
-- credits are cached per backend instead of read per call.
CREATE FUNCTION @extschema@.overdraft_allowed(tier @extschema@.tier,
                                              used_this_month numeric,
                                              request numeric)
    RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.overdraft_allowed(@extschema@.tier, numeric, numeric) IS
'Suspension care (停机关怀): may a customer of this tier, who has used used_this_month yuan of overdraft credit this month, overdraw request more yuan?  True when request > 0, request <= the per-request cap (if the tier has one) and used_this_month + request <= the monthly credit, all limits inclusive, from custvalue.entitlement.  False for request = 0 and for tiers without suspension care (c).  NULL arguments give NULL; a negative, NaN or infinite amount is an error (22023) naming the argument.';
