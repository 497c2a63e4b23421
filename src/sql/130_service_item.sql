-- Service items (服务项目): the catalog every entitlement, channel rule,
-- service event and evaluation refers to by code.  Numbers 1–11 are the
-- tiered service standard of domain.md §3 (1–7 former VIP services pushed
-- down, 8–11 new services for A/B); later sections may add items that are
-- evaluated or delivered but not part of the entitlement matrix.
CREATE TABLE @extschema@.service_item (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    standard_no   smallint UNIQUE CHECK (standard_no > 0),
    name_en       text NOT NULL,
    name_zh       text NOT NULL,
    origin        text NOT NULL CHECK (origin IN ('former_vip', 'new', 'other')),
    per_period    boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.service_item IS
'Catalog of service items.  standard_no is the item''s number in the tiered service standard (domain.md §3), NULL for items outside it; per_period marks quotas counted per service period (setting service_period_months).';

INSERT INTO @extschema@.service_item VALUES
    ('hotline_priority',    1,  '10086 hotline priority',        '10086服务热线优先接入', 'former_vip', false),
    ('suspension_care',     2,  'Suspension care (overdraft credit)', '停机关怀服务',     'former_vip', false),
    ('lecture_hall',        3,  'GoTone VIP lecture hall',        '全球通VIP大讲堂',      'former_vip', true),
    ('birthday_gift',       4,  'Birthday care gift',             '生日关怀服务',         'former_vip', false),
    ('sim_replacement',     5,  'Free SIM card replacement',      'SIM卡服务',            'former_vip', true),
    ('alliance_merchants',  6,  'Alliance merchants',             '联盟商家服务',         'former_vip', false),
    ('car_club',            7,  'Car club',                       '车友俱乐部服务',       'former_vip', false),
    ('phone_manager',       8,  'Phone manager, 7x24',            '电话经理服务',         'new',        false),
    ('multimedia_manager',  9,  'Multimedia manager, 7x24',       '多媒体经理服务',       'new',        false),
    ('community',           10, 'Xiaoxiang Home community',       '潇湘家园',             'new',        false),
    ('experience_vouchers', 11, 'Service experience vouchers',    '服务体验计划',         'new',        true);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service_item', '');

