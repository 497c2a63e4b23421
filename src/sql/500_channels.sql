-- Channels and the CPC model (domain.md §6, seed 000 "中高端服务项目与渠道的匹配"
-- and "中高端客户服务新模式下的渠道协同机制").  Everything here is data a DBA
-- edits: the channel catalog, which channels deliver each service item,
-- which channels each tier uses and in which order, and the coordination
-- matrix that says where a channel sends what it cannot do itself.

CREATE TABLE @extschema@.channel (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_]*$'),
    name_en       text NOT NULL,
    name_zh       text NOT NULL,
    class         text NOT NULL CHECK (class IN ('electronic', 'physical', 'social')),
    matrix_group_zh text,
    description   text NOT NULL
);
COMMENT ON TABLE @extschema@.channel IS
'Catalog of service channels (domain.md §6).  class is the seed''s split into electronic (电子渠道), physical (实体渠道) and social (社会渠道) channels; matrix_group_zh names the row/column of the seed''s coordination matrix the channel belongs to (NULL: not in the matrix).';
COMMENT ON COLUMN @extschema@.channel.code IS 'Stable code used by work orders, service events and survey requests; the same codes the demo generator writes into service_event.channel.';
COMMENT ON COLUMN @extschema@.channel.matrix_group_zh IS 'The seed''s group in the coordination matrix, e.g. 10086、网站及自助终端 for 10086, web and self_service.';

INSERT INTO @extschema@.channel VALUES
    ('phone_manager',      'Phone manager',               '电话经理',     'electronic', '电话经理',
     'A named manager who serves mid/high-end customers by phone, 7x24, proactively and personally; the hub of the coordination model.'),
    ('multimedia_manager', 'Multimedia manager',          '多媒体经理',   'electronic', '多媒体经理',
     'Interactive 7x24 service over SMS, MMS, e-mail and the web (多媒体经理).'),
    ('10086',              '10086 service hotline',       '10086服务热线', 'electronic', '10086、网站及自助终端',
     'The 10086 hotline: enquiries, complaints and business handling, with priority access for higher tiers.'),
    ('web',                'Website and online hall',     '网站/网上营业厅', 'electronic', '10086、网站及自助终端',
     'The website''s customer zone, online business hall and the Xiaoxiang Home community platform.'),
    ('self_service',       'Self-service terminal',       '自助终端',     'electronic', '10086、网站及自助终端',
     'Self-service terminals in halls and public places.'),
    ('sms',                'SMS platform',                '短信平台',     'electronic', NULL,
     'One-way notifications: care messages, reminders and the post-service satisfaction survey SMS.'),
    ('account_manager',    'Account manager',             '客户经理',     'physical',   '客户经理',
     'A named account manager who visits the customer; scarce (fewer than 800 in the seed''s province).'),
    ('hall',               'Own business hall',           '自办营业厅',   'physical',   '自办厅/专席/基地',
     'Business halls run by the operator itself (about 300 of 7000 in the seed).'),
    ('vip_desk',           'VIP desk',                    '专席',         'physical',   '自办厅/专席/基地',
     'Dedicated VIP counters in the operator''s halls, airport lounges and similar.'),
    ('club',               'VIP club and bases',          '俱乐部/基地',  'physical',   '自办厅/专席/基地',
     'GoTone VIP clubs and bases: the designated lecture halls, the car club, the alliance-merchant club.'),
    ('social',             'Social and third-party channels', '社会渠道/第三方', 'social', '社会渠道',
     'Third parties: agents, partner merchants, car-club partners, gift suppliers.');

-- Service items to channels: the seed's "服务项目与渠道的匹配" table.
CREATE TABLE @extschema@.service_item_channel (
    service_item  text NOT NULL REFERENCES @extschema@.service_item ON UPDATE CASCADE ON DELETE CASCADE,
    channel       text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE ON DELETE CASCADE,
    PRIMARY KEY (service_item, channel)
);
CREATE INDEX ON @extschema@.service_item_channel (channel);
COMMENT ON TABLE @extschema@.service_item_channel IS
'Which channels deliver each service item (seed 000, 中高端服务项目与渠道的匹配).  The order among them is the customer''s tier''s (custvalue.tier_channel_preference).';

-- Items a work order can be about besides the eleven of the standard.
INSERT INTO @extschema@.service_item (code, standard_no, name_en, name_zh, origin, per_period) VALUES
    ('business_request', NULL, 'Business request or enquiry', '业务咨询与受理', 'other', false),
    ('complaint',        NULL, 'Complaint handling',          '投诉处理',       'other', false),
    ('fault_repair',     NULL, 'Fault handling',              '故障处理',       'other', false)
ON CONFLICT (code) DO NOTHING;

INSERT INTO @extschema@.service_item_channel (service_item, channel) VALUES
    -- 10086优先接入: 10086服务热线
    ('hotline_priority', '10086'),
    -- 停机关怀: 电话经理、10086热线、网站
    ('suspension_care', 'phone_manager'), ('suspension_care', '10086'), ('suspension_care', 'web'),
    -- 全球通大讲堂: 指定大讲堂
    ('lecture_hall', 'club'),
    -- 生日关怀: 电话经理、多媒体、短信平台、第三方合作商
    ('birthday_gift', 'phone_manager'), ('birthday_gift', 'multimedia_manager'),
    ('birthday_gift', 'sms'), ('birthday_gift', 'social'),
    -- SIM卡服务: 各移动自办营业厅
    ('sim_replacement', 'hall'),
    -- 联盟商家: 全球通VIP俱乐部联盟商家
    ('alliance_merchants', 'club'), ('alliance_merchants', 'social'),
    -- 车友俱乐部: 全球通VIP车友俱乐部与合作商
    ('car_club', 'club'), ('car_club', 'social'),
    -- 电话经理服务: 电话经理
    ('phone_manager', 'phone_manager'),
    -- 多媒体经理: 电子网络
    ('multimedia_manager', 'multimedia_manager'),
    -- 潇湘家园: 网络社区平台
    ('community', 'web'),
    -- 服务积分计划 (体验券): 各种电子渠道
    ('experience_vouchers', 'multimedia_manager'), ('experience_vouchers', '10086'),
    ('experience_vouchers', 'web'), ('experience_vouchers', 'self_service'), ('experience_vouchers', 'sms'),
    -- Work-order items (design): where a customer can raise them.
    ('business_request', 'phone_manager'), ('business_request', 'multimedia_manager'),
    ('business_request', '10086'), ('business_request', 'web'), ('business_request', 'self_service'),
    ('business_request', 'account_manager'), ('business_request', 'hall'), ('business_request', 'vip_desk'),
    ('business_request', 'social'),
    ('complaint', 'phone_manager'), ('complaint', 'multimedia_manager'), ('complaint', '10086'),
    ('complaint', 'web'), ('complaint', 'account_manager'), ('complaint', 'hall'), ('complaint', 'vip_desk'),
    ('fault_repair', 'phone_manager'), ('fault_repair', '10086'), ('fault_repair', 'web'),
    ('fault_repair', 'account_manager'), ('fault_repair', 'hall')
ON CONFLICT DO NOTHING;

-- Customers to channels: which channels each tier uses, most preferred first.
-- A channel missing for a tier does not serve it.  The seed names the idea
-- (各个层级客户获取服务的渠道倾向) and the policy -- card VIPs keep their
-- account managers and VIP desks, A/B are served "mainly by the phone
-- manager" (以电话经理为主的多渠道服务) with electronic channels to divert
-- volume, C gets the ordinary channels -- but no ranking, so the ranks are
-- design.
CREATE TABLE @extschema@.tier_channel_preference (
    tier          @extschema@.tier NOT NULL,
    channel       text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE ON DELETE CASCADE,
    preference    smallint NOT NULL CHECK (preference > 0),
    PRIMARY KEY (tier, channel),
    CONSTRAINT tier_channel_preference_unique UNIQUE (tier, preference) DEFERRABLE INITIALLY IMMEDIATE
);
COMMENT ON TABLE @extschema@.tier_channel_preference IS
'Which channels serve each tier and in which order the tier prefers them (1 = first).  A channel without a row for a tier does not serve that tier.  Ranks are design defaults; swap them in one transaction with SET CONSTRAINTS tier_channel_preference_unique DEFERRED.';

INSERT INTO @extschema@.tier_channel_preference (tier, channel, preference)
SELECT t.tier::@extschema@.tier, c.channel, c.ord::smallint
  FROM (VALUES
    ('diamond', ARRAY['account_manager', 'vip_desk', 'phone_manager', '10086', 'club',
                      'multimedia_manager', 'hall', 'web', 'sms', 'self_service', 'social']),
    ('gold',    ARRAY['account_manager', 'phone_manager', 'vip_desk', '10086', 'club',
                      'multimedia_manager', 'hall', 'web', 'sms', 'self_service', 'social']),
    ('silver',  ARRAY['account_manager', 'phone_manager', '10086', 'vip_desk', 'multimedia_manager',
                      'club', 'hall', 'web', 'sms', 'self_service', 'social']),
    ('a',       ARRAY['phone_manager', 'multimedia_manager', '10086', 'web', 'self_service',
                      'hall', 'sms', 'club', 'account_manager', 'social']),
    ('b',       ARRAY['phone_manager', 'multimedia_manager', '10086', 'web', 'self_service',
                      'hall', 'sms', 'club', 'account_manager', 'social']),
    ('c',       ARRAY['10086', 'web', 'self_service', 'hall', 'sms', 'social'])
  ) AS t(tier, channels),
  unnest(t.channels) WITH ORDINALITY AS c(channel, ord);

-- "For this tier and this service, which channels, in which order."
CREATE VIEW @extschema@.service_channel_choice WITH (security_invoker = true) AS
SELECT p.tier,
       sc.service_item,
       sc.channel,
       row_number() OVER (PARTITION BY p.tier, sc.service_item ORDER BY p.preference)::int AS choice,
       si.standard_no IS NULL
         OR EXISTS (SELECT FROM @extschema@.entitlement e
                     WHERE e.tier OPERATOR(@extschema@.=) p.tier AND e.service_item = sc.service_item)
         AS entitled
  FROM @extschema@.service_item_channel sc
  JOIN @extschema@.service_item si ON si.code = sc.service_item
  JOIN @extschema@.tier_channel_preference p ON p.channel = sc.channel;
COMMENT ON VIEW @extschema@.service_channel_choice IS
'CPC matching per tier: the channels that deliver a service item and serve the tier, numbered in the tier''s order of preference (choice 1 = first).  entitled: the tier has the item in custvalue.entitlement (items outside the tiered standard, such as complaint handling, are open to every tier).  An item with no row for a tier has no channel serving that tier.';

CREATE VIEW @extschema@.customer_service_channel WITH (security_invoker = true) AS
SELECT cp.customer_id,
       cp.tier,
       s.service_item,
       s.channel,
       s.choice
  FROM @extschema@.customer_profile cp
  JOIN @extschema@.service_channel_choice s ON s.tier OPERATOR(@extschema@.=) cp.tier
 WHERE s.entitled;
COMMENT ON VIEW @extschema@.customer_service_channel IS
'CPC matching per customer: for each customer (at their current tier from customer_profile) and each service item their tier is entitled to, the channels to use in order (choice 1 = first).  Filter by customer_id and service_item.';

-- Coordination (渠道协同): what one channel hands to another, and why.
CREATE TABLE @extschema@.coordination_need (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    name_zh       text NOT NULL,
    description   text NOT NULL
);
COMMENT ON TABLE @extschema@.coordination_need IS
'Why a channel hands a customer or a work order to another channel: the situations named in the cells of the seed''s coordination matrix.';

INSERT INTO @extschema@.coordination_need VALUES
    ('beyond_capability', '不能直接处理',     'The channel cannot handle the matter itself.'),
    ('hotline_assist',    '需要热线协助',     'The matter needs the hotline''s back office (a work order to 10086).'),
    ('visit',             '客户强烈要求上门服务', 'The customer insists on a visit.'),
    ('in_person',         '需要现场办理业务', 'The business must be done in person, on site.'),
    ('manager_assist',    '请求电话经理协助', 'The channel needs the customer''s phone manager to follow up or serve.'),
    ('self_service',      '引导/推荐客户使用', 'The customer can serve themselves on an electronic channel; the channel recommends it.');

CREATE TABLE @extschema@.coordination_rule (
    from_channel  text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE ON DELETE CASCADE,
    need          text NOT NULL REFERENCES @extschema@.coordination_need ON UPDATE CASCADE ON DELETE CASCADE,
    to_channel    text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE ON DELETE CASCADE,
    priority      smallint NOT NULL DEFAULT 1 CHECK (priority > 0),
    action        text NOT NULL CHECK (action IN ('dispatch', 'assist_request', 'service_request', 'recommend')),
    feedback      boolean NOT NULL DEFAULT false,
    origin        text NOT NULL CHECK (origin IN ('seed', 'design')),
    seed_text_zh  text,
    PRIMARY KEY (from_channel, need, to_channel),
    CONSTRAINT coordination_rule_not_self CHECK (from_channel <> to_channel),
    CONSTRAINT coordination_rule_seed_text CHECK (origin = 'design' OR seed_text_zh IS NOT NULL)
);
CREATE INDEX ON @extschema@.coordination_rule (to_channel);
COMMENT ON TABLE @extschema@.coordination_rule IS
'The channel-coordination matrix (seed 000, 中高端客户服务新模式下的渠道协同机制) as data: for a matter with this need at from_channel, hand it to to_channel.  Among several rules for one (from_channel, need) the lowest priority wins, then the target the customer''s tier prefers; targets that do not serve the tier are skipped.  action: dispatch (派单, a work order), assist_request (发起协助需求), service_request (请求服务事项), recommend (引导/推荐客户使用: the customer is pointed to the channel).  feedback: the target reports back (反馈信息).';
COMMENT ON COLUMN @extschema@.coordination_rule.origin IS 'seed: a cell of the seed''s matrix (seed_text_zh quotes it); design: our addition.';

INSERT INTO @extschema@.coordination_rule
    (from_channel, need, to_channel, priority, action, feedback, origin, seed_text_zh)
VALUES
    -- Row 电话经理.
    ('phone_manager',      'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '引导客户使用多媒体渠道,收集客户服务信息'),
    ('phone_manager',      'hotline_assist',    '10086',              1, 'dispatch',       false, 'seed',  '需要热线协助的分派工单,热线协助处理'),
    ('phone_manager',      'visit',             'account_manager',    1, 'dispatch',       true,  'seed',  '客户强烈要求上门服务的,派单客户经理,反馈信息'),
    ('phone_manager',      'in_person',         'hall',               1, 'assist_request', false, 'seed',  '客户要求现场办理业务的,发起协助需求'),
    ('phone_manager',      'in_person',         'social',             1, 'assist_request', false, 'seed',  '客户需要现场办理业务的,发起协助需求'),
    -- Row 多媒体经理.
    ('multimedia_manager', 'beyond_capability', 'phone_manager',      1, 'dispatch',       false, 'seed',  '不能直接处理的,统一派单给电话经理'),
    -- Row 10086、网站及自助终端 (one rule per member channel).
    ('10086',              'beyond_capability', 'phone_manager',      1, 'dispatch',       false, 'seed',  '不能直接处理的,统一派单电话经理'),
    ('web',                'beyond_capability', 'phone_manager',      1, 'dispatch',       false, 'seed',  '不能直接处理的,统一派单电话经理'),
    ('self_service',       'beyond_capability', 'phone_manager',      1, 'dispatch',       false, 'seed',  '不能直接处理的,统一派单电话经理'),
    ('10086',              'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '引导客户使用'),
    ('web',                'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '引导客户使用'),
    ('self_service',       'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '引导客户使用'),
    -- Row 客户经理.
    ('account_manager',    'manager_assist',    'phone_manager',      1, 'service_request',true,  'seed',  '请求电话经理服务事项,反馈信息'),
    ('account_manager',    'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '重点推荐客户使用'),
    ('account_manager',    'self_service',      '10086',              1, 'recommend',      false, 'seed',  '重点推荐客户使用'),
    -- Row 自办厅/专席/基地 (one rule per member channel).
    ('hall',               'manager_assist',    'phone_manager',      1, 'assist_request', true,  'seed',  '向电话经理发起协助需求,反馈响应信息'),
    ('vip_desk',           'manager_assist',    'phone_manager',      1, 'assist_request', true,  'seed',  '向电话经理发起协助需求,反馈响应信息'),
    ('club',               'manager_assist',    'phone_manager',      1, 'assist_request', true,  'seed',  '向电话经理发起协助需求,反馈响应信息'),
    ('hall',               'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '推荐客户使用'),
    ('vip_desk',           'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '推荐客户使用'),
    ('club',               'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '推荐客户使用'),
    ('hall',               'self_service',      '10086',              1, 'recommend',      false, 'seed',  '推荐客户使用'),
    ('vip_desk',           'self_service',      '10086',              1, 'recommend',      false, 'seed',  '推荐客户使用'),
    ('club',               'self_service',      '10086',              1, 'recommend',      false, 'seed',  '推荐客户使用'),
    ('hall',               'visit',             'account_manager',    1, 'dispatch',       true,  'seed',  '客户强烈要求上门服务的,派单客户经理,反馈信息'),
    ('vip_desk',           'visit',             'account_manager',    1, 'dispatch',       true,  'seed',  '客户强烈要求上门服务的,派单客户经理,反馈信息'),
    ('club',               'visit',             'account_manager',    1, 'dispatch',       true,  'seed',  '客户强烈要求上门服务的,派单客户经理,反馈信息'),
    -- Row 社会渠道.
    ('social',             'manager_assist',    'phone_manager',      1, 'assist_request', true,  'seed',  '向电话经理发起协助需求,反馈响应信息'),
    ('social',             'self_service',      'multimedia_manager', 1, 'recommend',      false, 'seed',  '推荐客户使用'),
    ('social',             'self_service',      '10086',              1, 'recommend',      false, 'seed',  '推荐客户使用'),
    -- Design: C customers have no phone manager ("served as ordinary
    -- customers"), so what 10086, the web or a terminal cannot handle for
    -- them goes to a business hall.  Priority 2: for every tier the phone
    -- manager serves, the seed's rule wins.
    ('10086',              'beyond_capability', 'hall',               2, 'dispatch',       false, 'design',NULL),
    ('web',                'beyond_capability', 'hall',               2, 'dispatch',       false, 'design',NULL),
    ('self_service',       'beyond_capability', 'hall',               2, 'dispatch',       false, 'design',NULL);

-- The matrix as the seed prints it: one row per (requesting, target) pair.
CREATE VIEW @extschema@.coordination_matrix WITH (security_invoker = true) AS
SELECT r.from_channel,
       r.to_channel,
       string_agg(r.need || ':' || r.action || CASE WHEN r.feedback THEN '+feedback' ELSE '' END,
                  ', ' ORDER BY r.need) AS rules,
       string_agg(DISTINCT r.seed_text_zh, ';') AS seed_text_zh
  FROM @extschema@.coordination_rule r
 GROUP BY r.from_channel, r.to_channel;
COMMENT ON VIEW @extschema@.coordination_matrix IS
'custvalue.coordination_rule folded into the seed''s matrix shape: per requesting channel (row) and target channel (column), the needs routed there with their action.';

-- The rule in SQL: the reference implementation, and the explanation when
-- there is no route (the C function below calls it only then).
CREATE FUNCTION @extschema@.route_work_order_sql(from_channel text, need text, tier @extschema@.tier)
    RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    target text;
    known text;
BEGIN
    SELECT r.to_channel INTO target
      FROM @extschema@.coordination_rule r
      JOIN @extschema@.tier_channel_preference p
        ON p.channel = r.to_channel AND p.tier OPERATOR(@extschema@.=) route_work_order_sql.tier
     WHERE r.from_channel = route_work_order_sql.from_channel
       AND r.need = route_work_order_sql.need
     ORDER BY r.priority, p.preference
     LIMIT 1;
    IF FOUND THEN
        RETURN target;
    END IF;

    -- No route: say precisely why.
    IF NOT EXISTS (SELECT FROM @extschema@.channel c WHERE c.code = route_work_order_sql.from_channel) THEN
        SELECT string_agg(c.code, ', ' ORDER BY c.code) INTO known FROM @extschema@.channel c;
        RAISE EXCEPTION 'unknown channel "%"', from_channel
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Channels: ' || known || '.';
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.coordination_need n WHERE n.code = route_work_order_sql.need) THEN
        SELECT string_agg(n.code, ', ' ORDER BY n.code) INTO known FROM @extschema@.coordination_need n;
        RAISE EXCEPTION 'unknown coordination need "%"', need
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Needs: ' || known || '.';
    END IF;
    SELECT string_agg(r.to_channel, ', ' ORDER BY r.priority, r.to_channel) INTO known
      FROM @extschema@.coordination_rule r
     WHERE r.from_channel = route_work_order_sql.from_channel AND r.need = route_work_order_sql.need;
    IF known IS NULL THEN
        SELECT string_agg(DISTINCT r.need, ', ') INTO known
          FROM @extschema@.coordination_rule r WHERE r.from_channel = route_work_order_sql.from_channel;
        RAISE EXCEPTION 'no coordination rule routes need "%" from channel "%"', need, from_channel
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = CASE WHEN known IS NULL
                                THEN format('Channel "%s" hands nothing to other channels.', from_channel)
                                ELSE format('Channel "%s" has rules for: %s.', from_channel, known) END,
                  HINT = 'Rules are rows of custvalue.coordination_rule.';
    END IF;
    RAISE EXCEPTION 'no coordination rule routes need "%" from channel "%" for tier %', need, from_channel, tier
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = format('The rules'' targets (%s) do not serve tier %s.', known, tier),
              HINT = 'Which channels serve a tier is custvalue.tier_channel_preference.';
END;
$$;
COMMENT ON FUNCTION @extschema@.route_work_order_sql(text, text, @extschema@.tier) IS
'SQL implementation of custvalue.route_work_order() (same result, same errors), reading the tables on every call; route_work_order() uses it to explain a combination without a route.';

CREATE FUNCTION @extschema@.route_work_order(from_channel text, need text, tier @extschema@.tier)
    RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.route_work_order(text, text, @extschema@.tier) IS
'Channel a matter with this need goes to from from_channel, for a customer of this tier, by custvalue.coordination_rule: lowest priority first, then the tier''s preferred target; targets that do not serve the tier are skipped.  An unknown channel or need, or a combination no rule covers, is an error (22023).  NULL arguments give NULL.  The rules are cached per backend and policy version (no table access per call).';

-- Free-text channel names as other tables and loaders write them, mapped to
-- the catalog.  service_event.channel and survey_response.channel stay free
-- text (loaded data need not match the catalog); join through channel_of().
CREATE TABLE @extschema@.channel_alias (
    alias         text PRIMARY KEY CHECK (alias = lower(btrim(alias)) AND alias <> ''),
    channel       text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE @extschema@.channel_alias IS
'Other spellings of channel codes (lower case, trimmed), as loaders and older data write them; custvalue.channel_of() maps through it.';

INSERT INTO @extschema@.channel_alias (alias, channel) VALUES
    ('电话经理', 'phone_manager'), ('電話經理', 'phone_manager'),
    ('多媒体经理', 'multimedia_manager'), ('多媒體經理', 'multimedia_manager'), ('multimedia', 'multimedia_manager'),
    ('mms', 'multimedia_manager'), ('email', 'multimedia_manager'),
    ('hotline_10086', '10086'), ('hotline', '10086'), ('10086热线', '10086'),
    ('网站', 'web'), ('網站', 'web'), ('online', 'web'), ('website', 'web'), ('网上营业厅', 'web'),
    ('app', 'web'), ('community', 'web'), ('潇湘家园', 'web'),
    ('自助终端', 'self_service'), ('自助終端', 'self_service'), ('kiosk', 'self_service'), ('terminal', 'self_service'),
    ('短信', 'sms'), ('短信平台', 'sms'), ('text', 'sms'),
    ('客户经理', 'account_manager'), ('客戶經理', 'account_manager'), ('manager', 'account_manager'),
    ('visit', 'account_manager'),
    ('自办营业厅', 'hall'), ('自辦營業廳', 'hall'), ('营业厅', 'hall'), ('own_hall', 'hall'),
    ('store', 'hall'),
    ('专席', 'vip_desk'), ('專席', 'vip_desk'), ('vip', 'vip_desk'), ('lounge', 'vip_desk'),
    ('俱乐部', 'club'), ('俱樂部', 'club'), ('基地', 'club'), ('vip_club', 'club'),
    ('社会渠道', 'social'), ('社會渠道', 'social'), ('第三方', 'social'), ('third_party', 'social'),
    ('partner', 'social'), ('agent', 'social');

CREATE FUNCTION @extschema@.channel_of(name text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(
        (SELECT c.code FROM @extschema@.channel c WHERE c.code = lower(btrim(channel_of.name))),
        (SELECT a.channel FROM @extschema@.channel_alias a WHERE a.alias = lower(btrim(channel_of.name))));
END;
COMMENT ON FUNCTION @extschema@.channel_of(text) IS
'Catalog code of a channel written as free text: a code itself (any case, trimmed) or an alias from custvalue.channel_alias; NULL when unknown.';

-- Policy plumbing: every table above is a policy a DBA edits.
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.channel
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.service_item_channel
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.tier_channel_preference
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.coordination_need
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.coordination_rule
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.channel_alias
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.channel', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service_item_channel', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tier_channel_preference', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.coordination_need', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.coordination_rule', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.channel_alias', '');
