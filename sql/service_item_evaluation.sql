-- Service-item evaluation (domain.md §4): bands, the offer rule, and the
-- seed's table of 17 VIP services.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

-- Bands at and around every edge: 0–50 low, 51–75 medium, 76+ high; a
-- share between whole points falls in the band above the edge it passed.
SELECT score, service_item_band(score) AS band
  FROM unnest(ARRAY[0, 50, 50.01, 51, 75, 75.5, 76, 100]::float8[]) AS score;

-- Survey shares are count / valid sample × 100.  Here 130/200 = 65 %
-- aware (medium), 180/200 = 90 % attracted (high), 101/200 = 50.5 %
-- convenient (medium), coverage 76 (high), operability 50 (low): not offered
-- because operability is low.
SELECT * FROM service_item_evaluate(130, 180, 101, 200, 76, 50);
-- Raise operability to 51: nothing is low any more, so it is offered.
SELECT offered FROM service_item_evaluate(130, 180, 101, 200, 76, 51);
-- 100/200 aware is exactly 50 %: low.
SELECT awareness, awareness_band, offered FROM service_item_evaluate(100, 200, 200, 200, 100, 100);

SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.service_item_band(-0.1)$$,
    $$SELECT custvalue.service_item_band(100.5)$$,
    $$SELECT custvalue.service_item_band('NaN')$$,
    $$SELECT custvalue.service_item_evaluate(10, 10, 10, 0, 50, 50)$$,
    $$SELECT custvalue.service_item_evaluate(201, 10, 10, 200, 50, 50)$$,
    $$SELECT custvalue.service_item_evaluate(10, -1, 10, 200, 50, 50)$$,
    $$SELECT custvalue.service_item_evaluate(10, 10, 10, 200, 101, 50)$$,
    $$SELECT custvalue.service_item_evaluate(10, 10, 10, 200, 50, 'Infinity')$$]) AS q;
SELECT service_item_evaluate(NULL, 1, 1, 1, 1, 1) IS NULL AS null_in_null_out;

-- ===== the seed's 17 VIP services =====
-- Seed 000 (服务项目评估) grades every VIP service on 知晓度, 吸引力, 便捷性,
-- 覆盖度, 操作性 (awareness, attractiveness, convenience, coverage,
-- operability) as 高/强 (high), 中 (medium) or 低/弱 (low) and decides 是
-- (offered) or 否 (not offered).  Each grade becomes a score at the very
-- edge of its band (low 50, medium 51 or 75, high 76) and the survey grades
-- become counts out of a valid sample of 200, so the test also checks the
-- band edges.
CREATE TABLE seed_grades (
    no int PRIMARY KEY, name_zh text, service_item text, grades text, seed_decision text);
INSERT INTO seed_grades VALUES
    (1,  '营业厅优先办理',                      NULL,                 '高高强弱高', '否'),
    (2,  '10086服务热线优先接入',               'hotline_priority',   '高高强强高', '是'),
    (3,  '全球通VIP俱乐部机场贵宾厅服务',       NULL,                 '高高强弱低', '否'),
    (4,  '停机关怀服务',                        'suspension_care',    '高高强强高', '是'),
    (5,  '免预存话费开通国际长途/漫游服务',     NULL,                 '低高强强中', '否'),
    (6,  '全球通VIP俱乐部火车站贵宾厅服务',     NULL,                 '高高强弱中', '否'),
    (7,  '国际漫游租机服务',                    NULL,                 '低低强强低', '否'),
    (8,  '个人客户经理服务',                    NULL,                 '高高强弱低', '否'),
    (9,  '生日关怀服务',                        'birthday_gift',      '高高中强高', '是'),
    (10, '终端服务',                            NULL,                 '低高强强高', '否'),
    (11, 'SIM卡服务',                           'sim_replacement',    '高高强强高', '是'),
    (12, '全球通VIP大讲堂',                     'lecture_hall',       '高高中强中', '是'),
    (13, '《全球通》杂志',                      NULL,                 '高低弱强低', '否'),
    (14, '全球通VIP高尔夫俱乐部服务',           NULL,                 '高低弱强低', '否'),
    (15, '全球通VIP俱乐部联盟商家服务',         'alliance_merchants', '中高强强高', '是'),
    (16, '健康服务',                            NULL,                 '低高强强中', '否'),
    (17, '全球通VIP车友俱乐部服务',             'car_club',           '中高强强中', '是');

CREATE FUNCTION pg_temp.grade_score(grade text, survey boolean) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN grade IN ('高', '强') THEN 76
                WHEN grade = '中' THEN CASE WHEN survey THEN 51 ELSE 75 END
                WHEN grade IN ('低', '弱') THEN 50 END;

INSERT INTO service_item_evaluation
       (item, service_item, evaluated_on, valid_sample, aware, well_perceived,
        finds_convenient, coverage, operability)
SELECT name_zh, service_item, '2009-06-30', 200,
       2 * pg_temp.grade_score(substr(grades, 1, 1), true),
       2 * pg_temp.grade_score(substr(grades, 2, 1), true),
       2 * pg_temp.grade_score(substr(grades, 3, 1), true),
       pg_temp.grade_score(substr(grades, 4, 1), false),
       pg_temp.grade_score(substr(grades, 5, 1), false)
  FROM seed_grades;

-- The decisions, with the bands turned back into the seed's letters.
CREATE FUNCTION pg_temp.letter(band text, strong boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN CASE band WHEN 'high' THEN CASE WHEN strong THEN '强' ELSE '高' END
                     WHEN 'medium' THEN '中'
                     ELSE CASE WHEN strong THEN '弱' ELSE '低' END END;
SELECT s.no, s.grades AS seed_grades,
       pg_temp.letter(d.awareness_band, false) || pg_temp.letter(d.attractiveness_band, false)
         || pg_temp.letter(d.convenience_band, true) || pg_temp.letter(d.coverage_band, true)
         || pg_temp.letter(d.operability_band, false) AS computed_grades,
       s.seed_decision,
       CASE WHEN d.offered THEN '是' ELSE '否' END AS computed_decision,
       d.low_indicators
  FROM seed_grades s JOIN service_item_decisions d ON d.item = s.name_zh
 ORDER BY s.no;

SELECT count(*) AS services,
       count(*) FILTER (WHERE d.offered = (s.seed_decision = '是')) AS decisions_as_seed,
       count(*) FILTER (WHERE d.offered) AS offered
  FROM seed_grades s JOIN service_item_decisions d ON d.item = s.name_zh;

-- The seven services the seed keeps are exactly the seven former VIP
-- services of the tiered standard (domain.md §3, catalog items 1–7).
SELECT d.service_item, i.standard_no
  FROM service_item_decisions d JOIN service_item i ON i.code = d.service_item
 WHERE d.offered ORDER BY i.standard_no;
SELECT count(*) AS former_vip_not_offered
  FROM service_item i
 WHERE i.origin = 'former_vip'
   AND NOT EXISTS (SELECT FROM service_item_decisions d WHERE d.service_item = i.code AND d.offered);

-- The view shows the latest evaluation: a later survey of 营业厅优先办理
-- whose coverage improved to 80 turns it to offered.
INSERT INTO service_item_evaluation
       (item, evaluated_on, valid_sample, aware, well_perceived, finds_convenient, coverage, operability)
VALUES ('营业厅优先办理', '2009-12-31', 200, 160, 170, 180, 80, 90);
SELECT item, evaluated_on, coverage, coverage_band, offered
  FROM service_item_decisions WHERE item = '营业厅优先办理';

-- The bands are policy: with medium starting above 60, every grade scored
-- 51 (the survey 中 grades) becomes low: items 9, 12, 15 and 17 drop out.
UPDATE satisfaction_policy SET band_low_max = 60;
SELECT item, low_indicators FROM service_item_decisions
 WHERE NOT offered AND item IN (SELECT name_zh FROM seed_grades WHERE seed_decision = '是')
 ORDER BY item;
UPDATE satisfaction_policy SET band_low_max = 50;
-- Back to the seed's seven plus the re-evaluated 营业厅优先办理.
SELECT count(*) FILTER (WHERE offered) AS offered_after_restoring FROM service_item_decisions;

DELETE FROM service_item_evaluation;
DROP TABLE seed_grades;
