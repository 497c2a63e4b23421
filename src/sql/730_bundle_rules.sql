-- Bundled marketing as policy (seed 000, 中高端捆绑营销策略; domain.md §5):
-- the prepaid bundle (话费深度捆绑) and the gift bundle (礼品深度捆绑) ask
-- for at least 10 months' commitment (保底时间不少于10个月) and a monthly
-- floor of at least 50 yuan (月保底费用不低于50元); a gift's value grows in
-- proportion to the prestore and the term (礼品价值按预存金额和保底时长成
-- 比例递增) over four grades, special, entry, middle, high (特殊档, 入门档,
-- 中档, 高档); and a customer upgraded to a card tier keeps an account
-- balance of at least the plan's amount (帐户余额不低于6000元).  New in 1.3.
--
-- The seed gives the 10 months, the 50 yuan and the balances; the grades'
-- thresholds and gift shares are not in it (design defaults below).  The
-- rules are checked when a bundle is signed: custvalue.bundle_rule_check()
-- on the data model's bundle table (create_data_model(); a bundle table of
-- the operator's own can take the same trigger).  Rows signed before a
-- policy change are not re-checked: the policy governs new commitments.
-- Nor is a bundle ended early (an UPDATE of ends_on alone, when the
-- customer breaks the commitment or leaves): the rule is about what is
-- signed, and a change of any other term is checked again.

CREATE TABLE @extschema@.bundle_rule (
    kind                   text PRIMARY KEY
                               CONSTRAINT bundle_rule_kind_valid
                               CHECK (kind IN ('prepaid', 'handset', 'gift', 'family')),
    min_commitment_months  integer
                               CONSTRAINT bundle_rule_months_valid
                               CHECK (min_commitment_months BETWEEN 1 AND 120),
    min_monthly_floor      numeric(12,2)
                               CONSTRAINT bundle_rule_floor_valid
                               CHECK (min_monthly_floor >= 0 AND min_monthly_floor <> 'NaN'),
    basis                  text NOT NULL
);
COMMENT ON TABLE @extschema@.bundle_rule IS
'Bundled-marketing rules (domain.md §5, seed 000): per bundle kind the shortest commitment (whole months from started_on to ends_on) and the lowest monthly floor (yuan) a new bundle may have; NULL = no minimum.  Checked by custvalue.bundle_rule_check() when a bundle is signed or its terms change.  Defaults: prepaid and gift 10 months and 50 yuan (the seed); handset and family-net bundles have none in the seed.';
COMMENT ON COLUMN @extschema@.bundle_rule.kind IS 'prepaid (话费深度捆绑), handset (终端深度捆绑), gift (礼品深度捆绑) or family (亲情网深度捆绑).';
COMMENT ON COLUMN @extschema@.bundle_rule.min_commitment_months IS 'Shortest commitment, whole months (保底时间); NULL = none.';
COMMENT ON COLUMN @extschema@.bundle_rule.min_monthly_floor IS 'Lowest monthly floor, yuan (月保底费用); NULL = none.';

INSERT INTO @extschema@.bundle_rule VALUES
    ('prepaid', 10, 50, 'Seed 000: 要求保底时间不少于10个月, 月保底费用不低于50元.'),
    ('gift',    10, 50, 'Seed 000: 原则要求保底时间不少于10个月, 月保底费用不低于50元.'),
    ('handset', NULL, NULL, 'Seed 000 names no minimum for the handset bundle (预存话费分月消费, 购机抵金券).'),
    ('family',  NULL, NULL, 'Seed 000 names no minimum for the family-net bundle.');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.bundle_rule', '');

CREATE FUNCTION @extschema@.gift_grade_rank(grade text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE grade WHEN 'special' THEN 1 WHEN 'entry' THEN 2 WHEN 'middle' THEN 3 WHEN 'high' THEN 4 END;
COMMENT ON FUNCTION @extschema@.gift_grade_rank(text) IS
'Rank of a gift-bundle grade in the seed''s order: special 1 (特殊档), entry 2 (入门档), middle 3 (中档), high 4 (高档); NULL for anything else.';

CREATE TABLE @extschema@.gift_bundle_grade (
    grade                  text PRIMARY KEY
                               CONSTRAINT gift_bundle_grade_name_valid
                               CHECK (@extschema@.gift_grade_rank(grade) IS NOT NULL),
    min_prestore           numeric(12,2) NOT NULL
                               CONSTRAINT gift_bundle_grade_prestore_valid
                               CHECK (min_prestore > 0 AND min_prestore <> 'NaN'),
    min_commitment_months  integer NOT NULL
                               CONSTRAINT gift_bundle_grade_months_valid
                               CHECK (min_commitment_months BETWEEN 1 AND 120),
    gift_share_per_year    numeric(6,4) NOT NULL
                               CONSTRAINT gift_bundle_grade_share_valid
                               CHECK (gift_share_per_year > 0 AND gift_share_per_year <= 1)
);
COMMENT ON TABLE @extschema@.gift_bundle_grade IS
'The gift bundle''s grades (seed 000: 特殊档, 入门档, 中档, 高档; gift value in proportion to prestore and term).  A gift bundle belongs to the highest grade whose min_prestore and min_commitment_months it meets, and its gift may be worth at most prestore × gift_share_per_year × commitment months / 12.  A higher grade needs a strictly larger prestore, no shorter commitment, and gives no smaller share (checked on every change).  The thresholds and shares are design defaults: the seed names the grades only.';
COMMENT ON COLUMN @extschema@.gift_bundle_grade.min_prestore IS 'Smallest prestore of the grade, yuan.';
COMMENT ON COLUMN @extschema@.gift_bundle_grade.min_commitment_months IS 'Shortest commitment of the grade, whole months.';
COMMENT ON COLUMN @extschema@.gift_bundle_grade.gift_share_per_year IS 'Most gift value per yuan prestored and year committed.';

INSERT INTO @extschema@.gift_bundle_grade VALUES
    ('special',  300, 10, 0.10),
    ('entry',    600, 12, 0.12),
    ('middle',  1200, 12, 0.15),
    ('high',    2400, 24, 0.20);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.gift_bundle_grade', '');

CREATE FUNCTION @extschema@.gift_bundle_grade_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    SELECT h.grade AS higher, l.grade AS lower, h.min_prestore AS hp, l.min_prestore AS lp,
           h.min_commitment_months AS hm, l.min_commitment_months AS lm,
           h.gift_share_per_year AS hs, l.gift_share_per_year AS ls
      INTO bad
      FROM @extschema@.gift_bundle_grade h
      JOIN @extschema@.gift_bundle_grade l
        ON @extschema@.gift_grade_rank(l.grade) < @extschema@.gift_grade_rank(h.grade)
     WHERE h.min_prestore <= l.min_prestore
        OR h.min_commitment_months < l.min_commitment_months
        OR h.gift_share_per_year < l.gift_share_per_year
     ORDER BY @extschema@.gift_grade_rank(h.grade), @extschema@.gift_grade_rank(l.grade)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'custvalue.gift_bundle_grade is not monotone: % (prestore %, % months, share %) against % (prestore %, % months, share %)',
                bad.higher, bad.hp, bad.hm, bad.hs, bad.lower, bad.lp, bad.lm, bad.ls
            USING ERRCODE = 'check_violation',
                  DETAIL = 'A higher grade needs a strictly larger prestore, no shorter commitment, and gives no smaller gift share.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.gift_bundle_grade_validate() IS
'Constraint trigger of custvalue.gift_bundle_grade: higher grades need strictly larger prestores, no shorter commitments, and give no smaller gift shares.';
CREATE CONSTRAINT TRIGGER gift_bundle_grade_valid
    AFTER INSERT OR UPDATE ON @extschema@.gift_bundle_grade
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.gift_bundle_grade_validate();

DO $policy_triggers$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['bundle_rule', 'gift_bundle_grade'] LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE TRUNCATE ON @extschema@.%I FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate()',
                                  t || '_no_truncate', t);
        EXECUTE pg_catalog.format('CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.%I FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed()', t);
    END LOOP;
END;
$policy_triggers$;

-- Whole months from start to the end, as the seed counts a commitment.
CREATE FUNCTION @extschema@.commitment_months(started_on date, ends_on date) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (extract(year FROM age(ends_on, started_on)) * 12 + extract(month FROM age(ends_on, started_on)))::integer;
COMMENT ON FUNCTION @extschema@.commitment_months(date, date) IS
'Whole months from started_on to ends_on, counted by the day of the month as age() does: 2026-01-15 .. 2026-11-15 is 10, .. 2026-11-14 is 9, and 2026-01-31 .. 2026-11-30 is 9.';

-- The grade a gift bundle of this prestore and term belongs to.
CREATE FUNCTION @extschema@.gift_bundle_grade_of(prestore numeric, commitment_months integer)
    RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT g.grade
      FROM @extschema@.gift_bundle_grade g
     WHERE g.min_prestore <= gift_bundle_grade_of.prestore
       AND g.min_commitment_months <= gift_bundle_grade_of.commitment_months
     ORDER BY @extschema@.gift_grade_rank(g.grade) DESC
     LIMIT 1;
END;
COMMENT ON FUNCTION @extschema@.gift_bundle_grade_of(numeric, integer) IS
'The grade (custvalue.gift_bundle_grade) of a gift bundle of prestore yuan committed for commitment_months: the highest whose minimums it meets; NULL below the lowest.';

CREATE FUNCTION @extschema@.gift_bundle_value_cap(prestore numeric, commitment_months integer)
    RETURNS numeric
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT round(gift_bundle_value_cap.prestore * g.gift_share_per_year
                 * gift_bundle_value_cap.commitment_months / 12, 2)
      FROM @extschema@.gift_bundle_grade g
     WHERE g.grade = @extschema@.gift_bundle_grade_of(gift_bundle_value_cap.prestore,
                                                     gift_bundle_value_cap.commitment_months);
END;
COMMENT ON FUNCTION @extschema@.gift_bundle_value_cap(numeric, integer) IS
'Most a gift may be worth for a gift bundle of prestore yuan over commitment_months: prestore × the grade''s gift_share_per_year × months / 12, rounded to the fen; NULL below the lowest grade.';

-- The bundle's prestore and gift value are columns of the data model's
-- table, not of the bundle source's interface (a warehouse table bound to
-- the source need not have them): read through to_jsonb.
CREATE FUNCTION @extschema@.bundle_rule_check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rule @extschema@.bundle_rule;
    fields constant jsonb := to_jsonb(NEW);
    prestore constant numeric := (fields ->> 'prestore')::numeric;
    gift constant numeric := (fields ->> 'gift_value')::numeric;
    months integer;
    fits text;
    cap numeric;
BEGIN
    -- A restore takes bundles as they were signed, under the policy of then.
    IF @extschema@.replaying_dump() THEN
        RETURN NEW;
    END IF;
    months := @extschema@.commitment_months(NEW.started_on, NEW.ends_on);
    SELECT r.* INTO rule FROM @extschema@.bundle_rule r WHERE r.kind = NEW.kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no bundle rule for kind "%"', NEW.kind
            USING ERRCODE = 'check_violation',
                  HINT = 'Add a row to custvalue.bundle_rule (NULL minimums for none).';
    END IF;
    IF months < rule.min_commitment_months THEN
        RAISE EXCEPTION 'a % bundle commits at least % months, this one % (% to %)',
                NEW.kind, rule.min_commitment_months, months, to_char(NEW.started_on, 'YYYY-MM-DD'), to_char(NEW.ends_on, 'YYYY-MM-DD')
            USING ERRCODE = 'check_violation',
                  HINT = 'custvalue.bundle_rule.min_commitment_months (seed: 保底时间不少于10个月).';
    END IF;
    IF NEW.monthly_floor < rule.min_monthly_floor THEN
        RAISE EXCEPTION 'a % bundle has a monthly floor of at least % yuan, not %',
                NEW.kind, rule.min_monthly_floor, NEW.monthly_floor
            USING ERRCODE = 'check_violation',
                  HINT = 'custvalue.bundle_rule.min_monthly_floor (seed: 月保底费用不低于50元).';
    END IF;
    IF prestore IS NOT NULL AND prestore <= 0 THEN
        RAISE EXCEPTION 'a bundle''s prestore must be positive, not %', prestore
            USING ERRCODE = 'check_violation';
    END IF;
    IF gift IS NOT NULL AND NEW.kind <> 'gift' THEN
        RAISE EXCEPTION 'only a gift bundle has a gift value, not a % bundle', NEW.kind
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.kind = 'gift' AND prestore IS NOT NULL THEN
        fits := @extschema@.gift_bundle_grade_of(prestore, months);
        IF fits IS NULL THEN
            RAISE EXCEPTION 'a gift bundle of % yuan over % months is below the lowest grade', prestore, months
                USING ERRCODE = 'check_violation',
                      HINT = (SELECT format('The lowest grade, %s, needs %s yuan and %s months (custvalue.gift_bundle_grade).',
                                            g.grade, g.min_prestore, g.min_commitment_months)
                                FROM @extschema@.gift_bundle_grade g
                               ORDER BY @extschema@.gift_grade_rank(g.grade) LIMIT 1);
        ELSIF NEW.grade IS DISTINCT FROM fits THEN
            RAISE EXCEPTION 'a gift bundle of % yuan over % months is grade %, not %', prestore, months, fits,
                    coalesce(NEW.grade, 'NULL')
                USING ERRCODE = 'check_violation',
                      HINT = 'The grade follows from prestore and term (custvalue.gift_bundle_grade_of()).';
        END IF;
        cap := @extschema@.gift_bundle_value_cap(prestore, months);
        IF gift > cap THEN
            RAISE EXCEPTION 'a % gift bundle of % yuan over % months gives a gift of at most % yuan, not %',
                    fits, prestore, months, cap, gift
                USING ERRCODE = 'check_violation',
                      HINT = 'prestore × gift_share_per_year × months / 12 (custvalue.gift_bundle_grade).';
        END IF;
    ELSIF NEW.kind = 'gift' AND gift IS NOT NULL THEN
        RAISE EXCEPTION 'a gift value needs the prestore it is in proportion to'
            USING ERRCODE = 'not_null_violation';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.bundle_rule_check() IS
'BEFORE INSERT OR UPDATE (not of ends_on alone: a bundle ended early) trigger of a bundle table: refuses (23514) a bundle shorter than custvalue.bundle_rule.min_commitment_months or with a monthly floor below min_monthly_floor; for a gift bundle with a prestore, a grade other than gift_bundle_grade_of(prestore, months) or a gift_value above gift_bundle_value_cap(); a gift value without a prestore (23502) or on another kind.  Reads the optional columns prestore and gift_value when the table has them.  A pg_dump replay (custvalue.replaying_dump()) takes rows as dumped.';

-- ------------------------------------------------- the upgrade's balance
-- NULL = the prestore itself, as in the seed (一次性预存话费6000元(帐户余额
-- 不低于6000元)): a DBA who raises a prestore raises its floor with it.
ALTER TABLE @extschema@.upgrade_plan ADD COLUMN balance_floor numeric(12,2)
    CONSTRAINT upgrade_plan_balance_floor_valid CHECK (balance_floor > 0 AND balance_floor <> 'NaN');
COMMENT ON COLUMN @extschema@.upgrade_plan.balance_floor IS
'Account balance (yuan) the customer must keep once upgraded (帐户余额不低于…); NULL (the default) = the prestore before any tenure reduction, as in the seed.';

CREATE FUNCTION @extschema@.upgrade_check(target @extschema@.tier, tenure_months integer,
                                          prestore numeric, balance numeric)
    RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    due constant numeric := @extschema@.upgrade_prestore(target, tenure_months);
    floor_ numeric;
BEGIN
    IF target IS NULL OR tenure_months IS NULL OR prestore IS NULL OR balance IS NULL THEN
        RAISE EXCEPTION 'upgrade_check needs a target tier, a tenure, a prestore and a balance'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT coalesce(p.balance_floor, p.prestore) INTO floor_ FROM @extschema@.upgrade_plan p WHERE p.tier OPERATOR(@extschema@.=) target;
    IF prestore < due THEN
        RAISE EXCEPTION 'an upgrade to % with % months'' tenure needs a prestore of % yuan, not %', target, tenure_months, due, prestore
            USING ERRCODE = 'check_violation',
                  HINT = 'custvalue.upgrade_prestore(): custvalue.upgrade_plan less custvalue.upgrade_tenure_discount.';
    END IF;
    IF balance < floor_ THEN
        RAISE EXCEPTION 'an upgrade to % keeps an account balance of at least % yuan, not %', target, floor_, balance
            USING ERRCODE = 'check_violation',
                  HINT = 'custvalue.upgrade_plan.balance_floor (seed: 帐户余额不低于…).';
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.upgrade_check(@extschema@.tier, integer, numeric, numeric) IS
'For the desk that signs an upgrade: refuses (23514) a prestore below custvalue.upgrade_prestore(target, tenure_months) or an account balance after it below the tier''s custvalue.upgrade_plan.balance_floor (NULL: its prestore); a non-card target is 22023, a NULL argument 22004.  Returns nothing when the upgrade may go ahead.';

CREATE OR REPLACE VIEW @extschema@.upgrade_offer WITH (security_invoker = true) AS
SELECT p.customer_id,
       p.tier AS current_tier,
       p.tenure_months,
       u.tier AS target_tier,
       u.prestore AS base_prestore,
       coalesce(d.discount, 0)::numeric(12,2) AS tenure_discount,
       (u.prestore - coalesce(d.discount, 0))::numeric(12,2) AS prestore,
       coalesce(u.balance_floor, u.prestore) AS balance_floor
  FROM @extschema@.customer_profile p
  LEFT JOIN LATERAL (SELECT t.discount
                       FROM @extschema@.upgrade_tenure_discount t
                      WHERE t.min_tenure_months <= p.tenure_months
                      ORDER BY t.min_tenure_months DESC
                      LIMIT 1) d ON true
  JOIN @extschema@.upgrade_plan u ON u.tier > p.tier
 WHERE p.status <> 'churned';
COMMENT ON COLUMN @extschema@.upgrade_offer.balance_floor IS 'Account balance to keep after the upgrade (custvalue.upgrade_plan.balance_floor; by default the base prestore).';
