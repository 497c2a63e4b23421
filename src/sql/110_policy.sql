-- Policy tables: every number of domain.md is a default held in a table that
-- the extension's owner edits with plain SQL.  C functions cache a policy per
-- backend; the trigger below tells every backend when a policy table changed
-- (see src/policy_cache.h).  A new policy table needs only:
--     CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
--         ON @extschema@.<table> FOR EACH STATEMENT
--         EXECUTE FUNCTION @extschema@.policy_changed();

CREATE FUNCTION @extschema@.policy_changed() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.policy_changed() IS
'Statement trigger on policy tables: invalidates the per-backend caches of the C functions that read them, so the next statement sees the change.';

-- Tier thresholds (domain.md §1).  Each tier has a lower bound; its upper
-- bound is the next tier's lower bound on the same basis, so gaps and
-- overlaps cannot be expressed.  The trigger keeps the bounds strictly
-- monotone and the bottom class open from zero.
CREATE TABLE @extschema@.tier_policy (
    tier        @extschema@.tier PRIMARY KEY,
    basis       text GENERATED ALWAYS AS
                    (CASE WHEN @extschema@.tier_is_card(tier) THEN 'annual_spend'
                          ELSE 'monthly_arpu' END) STORED,
    min_amount  numeric(12,2) NOT NULL
                    CONSTRAINT tier_policy_min_amount_finite
                    CHECK (min_amount >= 0)
);
COMMENT ON TABLE @extschema@.tier_policy IS
'Tier thresholds: card tiers (diamond, gold, silver) by annual spend, others (a, b, c) by monthly ARPU, in yuan.  A tier covers [min_amount, next higher tier''s min_amount).  Edit with UPDATE; the change is seen by the next statement of every session.';
COMMENT ON COLUMN @extschema@.tier_policy.basis IS 'annual_spend for card tiers, monthly_arpu for the others.';
COMMENT ON COLUMN @extschema@.tier_policy.min_amount IS 'Lowest amount (yuan) that reaches this tier.';

INSERT INTO @extschema@.tier_policy (tier, min_amount) VALUES
    ('diamond', 6000), ('gold', 4000), ('silver', 2500),
    ('a', 200), ('b', 120), ('c', 0);

CREATE FUNCTION @extschema@.tier_policy_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n_tiers int;
    bad record;
BEGIN
    SELECT count(*) INTO n_tiers FROM @extschema@.tier_policy;
    IF n_tiers <> 6 THEN
        RAISE EXCEPTION 'custvalue.tier_policy must hold one row for each of the 6 tiers, not % rows', n_tiers
            USING ERRCODE = 'check_violation',
                  HINT = 'Change thresholds with UPDATE; tiers cannot be added or removed.';
    END IF;
    -- Strictly decreasing lower bounds down the tier order, per basis.
    SELECT p.tier AS higher, p.min_amount AS higher_min, q.tier AS lower, q.min_amount AS lower_min
      INTO bad
      FROM @extschema@.tier_policy p
      JOIN @extschema@.tier_policy q
        ON q.basis = p.basis AND @extschema@.tier_rank(q.tier) = @extschema@.tier_rank(p.tier) - 1
     WHERE q.min_amount >= p.min_amount
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'custvalue.tier_policy is not monotone: % starts at % but % starts at %',
                bad.higher, bad.higher_min, bad.lower, bad.lower_min
            USING ERRCODE = 'check_violation',
                  DETAIL = 'Each tier must start strictly above the tier below it on the same basis.';
    END IF;
    IF (SELECT min_amount FROM @extschema@.tier_policy WHERE @extschema@.tier_rank(tier) = 0) <> 0 THEN
        RAISE EXCEPTION 'custvalue.tier_policy leaves a gap: tier c must start at 0'
            USING ERRCODE = 'check_violation',
                  DETAIL = 'Every ARPU from 0 up must fall into some tier.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.tier_policy_validate() IS
'Constraint trigger of custvalue.tier_policy: six tiers, strictly monotone thresholds, tier c from 0.';

-- Deferrable, so a DBA can move several thresholds in one transaction
-- (SET CONSTRAINTS tier_policy_valid DEFERRED) through invalid middle states.
CREATE CONSTRAINT TRIGGER tier_policy_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.tier_policy
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.tier_policy_validate();

CREATE FUNCTION @extschema@.refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'custvalue.% cannot be truncated', TG_TABLE_NAME
        USING ERRCODE = 'check_violation',
              HINT = 'Policy rows are changed with UPDATE.';
END;
$$;
COMMENT ON FUNCTION @extschema@.refuse_truncate() IS
'Trigger that keeps policy tables from being emptied by TRUNCATE.';

CREATE TRIGGER tier_policy_no_truncate BEFORE TRUNCATE ON @extschema@.tier_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.tier_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.tier_policy', '');

CREATE VIEW @extschema@.tier_bands WITH (security_invoker = true) AS
SELECT p.tier,
       @extschema@.tier_label_zh(p.tier) AS label_zh,
       p.basis,
       p.min_amount AS lower_bound,
       (SELECT min(h.min_amount) FROM @extschema@.tier_policy h
         WHERE h.basis = p.basis AND h.tier > p.tier) AS upper_bound
  FROM @extschema@.tier_policy p
 ORDER BY p.tier DESC;
COMMENT ON VIEW @extschema@.tier_bands IS
'Each tier''s band [lower_bound, upper_bound) on its basis, as the thresholds in custvalue.tier_policy define it (upper_bound NULL = open).';

CREATE FUNCTION @extschema@.tier_of(annual_spend numeric, monthly_arpu numeric, vip_card boolean)
    RETURNS @extschema@.tier
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_of(numeric, numeric, boolean) IS
'Tier of a customer under custvalue.tier_policy: card holders by annual spend (diamond/gold/silver); a card holder below silver, or anyone without a card, by monthly ARPU (a/b/c).  NULL vip_card = no card; NULL annual_spend sends a card holder to the ARPU classes; NULL ARPU where needed gives NULL.  Negative or non-finite money is an error (22023).';
