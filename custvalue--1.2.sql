-- custvalue 1.2 install script, assembled from src/sql/*.sql by make; edit those.
\echo Use "CREATE EXTENSION custvalue" to load this file. \quit

-- ===== src/sql/100_tier_type.sql =====
-- The tier type: a customer's service tier (domain.md §1).
-- One byte, passed by value, ordered c < b < a < silver < gold < diamond.

CREATE TYPE @extschema@.tier;

CREATE FUNCTION @extschema@.tier_in(cstring) RETURNS @extschema@.tier
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_out(@extschema@.tier) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_recv(internal) RETURNS @extschema@.tier
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_send(@extschema@.tier) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.tier (
    INPUT = @extschema@.tier_in,
    OUTPUT = @extschema@.tier_out,
    RECEIVE = @extschema@.tier_recv,
    SEND = @extschema@.tier_send,
    INTERNALLENGTH = 1,
    PASSEDBYVALUE,
    ALIGNMENT = char,
    STORAGE = plain,
    CATEGORY = 'U'
);
COMMENT ON TYPE @extschema@.tier IS
'Customer service tier: diamond > gold > silver (card VIPs, by annual spend) > a > b > c (by monthly ARPU). Input also accepts 钻卡 金卡 银卡 A类 B类 C类.';

CREATE FUNCTION @extschema@.tier_label_zh(@extschema@.tier) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_label_zh(@extschema@.tier) IS
'The tier''s name in the seed documents: 钻卡, 金卡, 银卡, A类, B类, C类.';

CREATE FUNCTION @extschema@.tier_rank(@extschema@.tier) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_rank(@extschema@.tier) IS
'Position of the tier in the order: 0 = c, 1 = b, 2 = a, 3 = silver, 4 = gold, 5 = diamond.';

CREATE FUNCTION @extschema@.tier_from_rank(integer) RETURNS @extschema@.tier
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_from_rank(integer) IS
'Inverse of tier_rank(): 0 = c … 5 = diamond; other numbers are an error (22003).';

CREATE FUNCTION @extschema@.tier_is_card(@extschema@.tier) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_is_card(@extschema@.tier) IS
'True for the card VIP tiers (diamond, gold, silver), tiered by annual spend; false for a, b, c, tiered by monthly ARPU.';

-- Casts to and from text go through the type's I/O functions.
CREATE CAST (@extschema@.tier AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.tier) WITH INOUT;
CREATE CAST (@extschema@.tier AS varchar) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.tier) WITH INOUT;

-- Comparison.
CREATE FUNCTION @extschema@.tier_eq(@extschema@.tier, @extschema@.tier) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_ne(@extschema@.tier, @extschema@.tier) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_lt(@extschema@.tier, @extschema@.tier) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_le(@extschema@.tier, @extschema@.tier) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_gt(@extschema@.tier, @extschema@.tier) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_ge(@extschema@.tier, @extschema@.tier) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_cmp(@extschema@.tier, @extschema@.tier) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_hash(@extschema@.tier) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_hash_extended(@extschema@.tier, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_larger(@extschema@.tier, @extschema@.tier) RETURNS @extschema@.tier
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tier_smaller(@extschema@.tier, @extschema@.tier) RETURNS @extschema@.tier
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.tier_cmp(@extschema@.tier, @extschema@.tier) IS
'Three-way comparison of tiers (btree support): negative, zero or positive.';
COMMENT ON FUNCTION @extschema@.tier_hash(@extschema@.tier) IS 'Hash of a tier (hash index and hash join support).';
COMMENT ON FUNCTION @extschema@.tier_hash_extended(@extschema@.tier, bigint) IS 'Seeded 64-bit hash of a tier (hash partitioning support).';
COMMENT ON FUNCTION @extschema@.tier_larger(@extschema@.tier, @extschema@.tier) IS 'The higher of two tiers (transition function of max(tier)).';
COMMENT ON FUNCTION @extschema@.tier_smaller(@extschema@.tier, @extschema@.tier) IS 'The lower of two tiers (transition function of min(tier)).';
COMMENT ON FUNCTION @extschema@.tier_eq(@extschema@.tier, @extschema@.tier) IS 'implementation of = operator';
COMMENT ON FUNCTION @extschema@.tier_ne(@extschema@.tier, @extschema@.tier) IS 'implementation of <> operator';
COMMENT ON FUNCTION @extschema@.tier_lt(@extschema@.tier, @extschema@.tier) IS 'implementation of < operator';
COMMENT ON FUNCTION @extschema@.tier_le(@extschema@.tier, @extschema@.tier) IS 'implementation of <= operator';
COMMENT ON FUNCTION @extschema@.tier_gt(@extschema@.tier, @extschema@.tier) IS 'implementation of > operator';
COMMENT ON FUNCTION @extschema@.tier_ge(@extschema@.tier, @extschema@.tier) IS 'implementation of >= operator';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.tier, RIGHTARG = @extschema@.tier, PROCEDURE = @extschema@.tier_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.tier, RIGHTARG = @extschema@.tier, PROCEDURE = @extschema@.tier_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.tier, RIGHTARG = @extschema@.tier, PROCEDURE = @extschema@.tier_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.tier, RIGHTARG = @extschema@.tier, PROCEDURE = @extschema@.tier_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.tier, RIGHTARG = @extschema@.tier, PROCEDURE = @extschema@.tier_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.tier, RIGHTARG = @extschema@.tier, PROCEDURE = @extschema@.tier_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.tier_ops
    DEFAULT FOR TYPE @extschema@.tier USING btree AS
        OPERATOR 1 @extschema@.<,
        OPERATOR 2 @extschema@.<=,
        OPERATOR 3 @extschema@.=,
        OPERATOR 4 @extschema@.>=,
        OPERATOR 5 @extschema@.>,
        FUNCTION 1 @extschema@.tier_cmp(@extschema@.tier, @extschema@.tier),
        FUNCTION 2 @extschema@.tier_sortsupport(internal);

CREATE OPERATOR CLASS @extschema@.tier_hash_ops
    DEFAULT FOR TYPE @extschema@.tier USING hash AS
        OPERATOR 1 @extschema@.=,
        FUNCTION 1 @extschema@.tier_hash(@extschema@.tier),
        FUNCTION 2 @extschema@.tier_hash_extended(@extschema@.tier, bigint);

-- min()/max() of tiers; the transition function is its own combine function,
-- so both run in parallel.
CREATE AGGREGATE @extschema@.max(@extschema@.tier) (
    SFUNC = @extschema@.tier_larger, STYPE = @extschema@.tier,
    COMBINEFUNC = @extschema@.tier_larger, SORTOP = OPERATOR(@extschema@.>),
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.min(@extschema@.tier) (
    SFUNC = @extschema@.tier_smaller, STYPE = @extschema@.tier,
    COMBINEFUNC = @extschema@.tier_smaller, SORTOP = OPERATOR(@extschema@.<),
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.max(@extschema@.tier) IS 'Highest tier in the group.';
COMMENT ON AGGREGATE @extschema@.min(@extschema@.tier) IS 'Lowest tier in the group.';

CREATE FUNCTION @extschema@.tiers() RETURNS SETOF @extschema@.tier
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.tier_from_rank(r) FROM generate_series(5, 0, -1) AS r;
END;
COMMENT ON FUNCTION @extschema@.tiers() IS 'All six tiers, highest first.';

-- What \do+, \dC+ and REFERENCE.md show for the type's plumbing.
COMMENT ON FUNCTION @extschema@.tier_in(cstring) IS 'Input function of custvalue.tier: diamond, gold, silver, a, b, c or the Chinese labels (钻卡, 金卡, 银卡, A类, B类, C类); anything else is 22P02.';
COMMENT ON FUNCTION @extschema@.tier_out(@extschema@.tier) IS 'Output function of custvalue.tier: the English code (diamond .. c).';
COMMENT ON FUNCTION @extschema@.tier_recv(internal) IS 'Binary input of custvalue.tier (COPY BINARY, binary protocol); rejects an out-of-range byte (22P03).';
COMMENT ON FUNCTION @extschema@.tier_send(@extschema@.tier) IS 'Binary output of custvalue.tier: one byte, the rank.';
COMMENT ON FUNCTION @extschema@.tier_sortsupport(internal) IS 'Sort support of the btree operator class tier_ops: compares tiers without a function call per comparison.';
COMMENT ON OPERATOR @extschema@.= (@extschema@.tier, @extschema@.tier) IS 'Same tier.';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.tier, @extschema@.tier) IS 'Different tiers.';
COMMENT ON OPERATOR @extschema@.< (@extschema@.tier, @extschema@.tier) IS 'Lower tier (c < b < a < silver < gold < diamond).';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.tier, @extschema@.tier) IS 'Lower or the same tier.';
COMMENT ON OPERATOR @extschema@.> (@extschema@.tier, @extschema@.tier) IS 'Higher tier (diamond > gold > silver > a > b > c).';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.tier, @extschema@.tier) IS 'Higher or the same tier.';
COMMENT ON OPERATOR CLASS @extschema@.tier_ops USING btree IS 'Default btree operator class of custvalue.tier: ordered by rank, with sort support.';
COMMENT ON OPERATOR FAMILY @extschema@.tier_ops USING btree IS 'Btree operator family of custvalue.tier.';
COMMENT ON OPERATOR CLASS @extschema@.tier_hash_ops USING hash IS 'Default hash operator class of custvalue.tier (hash joins, hash indexes, hash partitioning).';
COMMENT ON OPERATOR FAMILY @extschema@.tier_hash_ops USING hash IS 'Hash operator family of custvalue.tier.';
COMMENT ON CAST (@extschema@.tier AS text) IS 'A tier as its English code; assignment cast.';
COMMENT ON CAST (text AS @extschema@.tier) IS 'Text to tier by the input function (English codes or Chinese labels); explicit.';
COMMENT ON CAST (@extschema@.tier AS varchar) IS 'A tier as its English code; assignment cast.';
COMMENT ON CAST (varchar AS @extschema@.tier) IS 'varchar to tier by the input function; explicit.';

-- ===== src/sql/110_policy.sql =====
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

-- ===== src/sql/115_data_source.sql =====
-- Data sources: where custvalue reads the operator's data.
--
-- The extension holds code, types and its own configuration; customer data
-- lives in ordinary tables the DBA owns, so DROP EXTENSION never deletes a
-- row.  Each kind of data custvalue reads (customer, monthly_bill, ...) is a
-- *source*: a view custvalue.<source> of a fixed shape, the interface the
-- analysis views, functions and triggers are written against.  A source is
--   unbound   the view reads custvalue.unbound_source(), which raises 55000
--             naming the source: no view gives a silently empty answer;
--   bound     the view is SELECT <columns> FROM <relation>, the DBA's table
--             or view, with column_map renaming columns and JSON null for
--             data the operator does not have (NULL).
-- custvalue.create_data_model(schema) creates the reference tables, as
-- ordinary tables, and binds every source to them;
-- custvalue.bind_source(source, relation, column_map) binds one source to a
-- warehouse table of another shape.  A bound view is a plain projection of
-- one relation, so PostgreSQL keeps it updatable (INSERT, UPDATE, DELETE
-- through custvalue.customer reach the DBA's table) and the planner sees the
-- table directly: no cost at query time.
--
-- Bindings are rows of custvalue.data_source, a configuration table that
-- pg_dump dumps; restoring a row rebinds its view (the trigger below), so a
-- plain pg_dump/pg_restore of a database brings the bindings back with the
-- data.

CREATE TABLE @extschema@.data_source (
    source       text PRIMARY KEY,
    relation     text,
    column_map   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(column_map) = 'object'),
    derived      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(derived) = 'object'),
    description  text NOT NULL
);
COMMENT ON TABLE @extschema@.data_source IS
'Where custvalue reads each kind of data (source): relation is the bound table or view (schema-qualified; NULL = unbound), column_map maps an interface column to a column of relation (a name) or to NULL (JSON null: the operator has no such data); derived gives the expression custvalue uses for a column relation lacks (e.g. phone_masked from phone).  Change bindings with custvalue.bind_source() or custvalue.create_data_model(); the interface of a source is the column list of the view custvalue.<source>.';
COMMENT ON COLUMN @extschema@.data_source.relation IS 'Bound relation, schema-qualified; NULL while the source is unbound.';
COMMENT ON COLUMN @extschema@.data_source.column_map IS 'Interface column -> column of relation ("name") or null (no such data: NULL).  Columns not named are taken by their own name.';
COMMENT ON COLUMN @extschema@.data_source.derived IS 'Interface column -> expression over other interface columns ({column}) used when relation has no column of that name.';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.data_source', '');

CREATE FUNCTION @extschema@.unbound_source(source text) RETURNS SETOF boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'custvalue source "%" is not bound', source
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = format('custvalue.%I reads the operator''s data, and no table is bound to it yet.', source),
              HINT = 'Create the reference tables with SELECT custvalue.create_data_model(''custvalue_data''), or bind your own with custvalue.bind_source().';
END;
$$;
COMMENT ON FUNCTION @extschema@.unbound_source(text) IS
'What an unbound source view reads: raises 55000 naming the source, with the two ways to bind it.';

-- The SELECT list of a source view over relation: each interface column
-- from the column column_map names (or its own name), NULL for a JSON null,
-- the derived expression when relation has no such column.  Plain column
-- references wherever the types agree keep the view updatable; a column of
-- another type is cast when an implicit or assignment cast exists, and is
-- an error (42804) otherwise, naming source and column, so a wrong binding
-- fails here and not as a wrong number later.
CREATE FUNCTION @extschema@.source_select(source text, relation regclass, column_map jsonb, derived jsonb)
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    view_oid oid := pg_catalog.to_regclass(format('@extschema@.%I', source));
    col record;
    src record;
    src_name text;
    src_type oid;
    expr text;
    exprs jsonb := '{}';
    items text[] := '{}';
    token text;
    unknown text;
BEGIN
    IF view_oid IS NULL THEN
        RAISE EXCEPTION 'custvalue has no data source "%"', source
            USING ERRCODE = 'undefined_object',
                  HINT = 'The sources are the rows of custvalue.data_source.';
    END IF;
    -- column_map names interface columns, and the columns of relation that
    -- derived expressions read ({phone} of phone_masked).
    SELECT string_agg(k, ', ' ORDER BY k) INTO unknown
      FROM jsonb_object_keys(column_map) AS k
     WHERE NOT EXISTS (SELECT FROM pg_attribute a
                        WHERE a.attrelid = view_oid AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attname = k)
       AND NOT EXISTS (SELECT FROM jsonb_each_text(derived) AS e(col, expression)
                        WHERE strpos(e.expression, '{' || k || '}') > 0);
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'custvalue source "%" has no column %', source, unknown
            USING ERRCODE = 'undefined_column',
                  HINT = format('column_map maps the columns of custvalue.%I to columns of the bound relation.', source);
    END IF;

    FOR col IN
        SELECT a.attname, a.atttypid, a.atttypmod, format_type(a.atttypid, a.atttypmod) AS type
          FROM pg_attribute a
         WHERE a.attrelid = view_oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
    LOOP
        src_name := col.attname;
        IF column_map ? col.attname THEN
            IF jsonb_typeof(column_map -> col.attname) = 'null' THEN
                expr := format('NULL::%s', col.type);
                exprs := exprs || jsonb_build_object(col.attname, expr);
                items := items || format('%s AS %I', expr, col.attname);
                CONTINUE;
            ELSIF jsonb_typeof(column_map -> col.attname) <> 'string' THEN
                RAISE EXCEPTION 'custvalue source "%": column_map value for "%" must be a column name or null, not %',
                        source, col.attname, column_map -> col.attname
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            src_name := column_map ->> col.attname;
        END IF;

        SELECT a.attname, a.atttypid, a.atttypmod, format_type(a.atttypid, a.atttypmod) AS type
          INTO src
          FROM pg_attribute a
         WHERE a.attrelid = relation AND a.attname = src_name AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            IF derived ? col.attname AND NOT column_map ? col.attname THEN
                expr := derived ->> col.attname;
                -- {name}: an interface column bound before this one, else
                -- the column of relation that column_map names (or name).
                FOR token IN SELECT DISTINCT m[1] FROM regexp_matches(expr, '\{([a-z_0-9]+)\}', 'g') AS m LOOP
                    IF exprs ? token THEN
                        expr := replace(expr, '{' || token || '}', '(' || (exprs ->> token) || ')');
                        CONTINUE;
                    END IF;
                    IF jsonb_typeof(column_map -> token) = 'null' THEN
                        expr := replace(expr, '{' || token || '}', 'NULL');
                        CONTINUE;
                    END IF;
                    src_name := coalesce(column_map ->> token, token);
                    IF NOT EXISTS (SELECT FROM pg_attribute a
                                    WHERE a.attrelid = relation AND a.attname = src_name
                                      AND a.attnum > 0 AND NOT a.attisdropped) THEN
                        RAISE EXCEPTION 'custvalue source "%": column "%" not found in %', source, col.attname, relation
                            USING ERRCODE = 'undefined_column',
                                  HINT = format('custvalue derives it from a column "%s", which %s lacks as well: map "%s" or "%s" with column_map, or map "%s" to null.',
                                                token, relation, col.attname, token, col.attname);
                    END IF;
                    expr := replace(expr, '{' || token || '}', format('s.%I', src_name));
                END LOOP;
                expr := format('(%s)::%s', expr, col.type);
                exprs := exprs || jsonb_build_object(col.attname, expr);
                items := items || format('%s AS %I', expr, col.attname);
                CONTINUE;
            END IF;
            RAISE EXCEPTION 'custvalue source "%": column % not found in %', source,
                    CASE WHEN src_name = col.attname THEN format('"%s"', src_name)
                         ELSE format('"%s" (for %s)', src_name, col.attname) END, relation
                USING ERRCODE = 'undefined_column',
                      HINT = format('Name the column of %s that holds %s with column_map => ''{"%s": "<column>"}'', or map it to null if you have no such data.',
                                    relation, col.attname, col.attname);
        END IF;

        IF src.atttypid = col.atttypid AND (src.atttypmod = col.atttypmod OR col.atttypmod = -1) THEN
            expr := format('s.%I', src.attname);
        ELSE
            -- Domains read as their base type.
            src_type := src.atttypid;
            WHILE (SELECT t.typtype = 'd' FROM pg_type t WHERE t.oid = src_type) LOOP
                src_type := (SELECT t.typbasetype FROM pg_type t WHERE t.oid = src_type);
            END LOOP;
            IF src_type <> col.atttypid
               AND NOT EXISTS (SELECT FROM pg_cast c
                                WHERE c.castsource = src_type AND c.casttarget = col.atttypid
                                  AND c.castcontext IN ('i', 'a')) THEN
                RAISE EXCEPTION 'custvalue source "%": column "%" of % is %, custvalue needs %',
                        source, src.attname, relation, src.type, col.type
                    USING ERRCODE = 'datatype_mismatch',
                          HINT = 'Bind a view of your own that converts it.';
            END IF;
            expr := format('s.%I::%s', src.attname, col.type);
        END IF;
        exprs := exprs || jsonb_build_object(col.attname, expr);
        items := items || CASE WHEN expr = format('s.%I', col.attname) THEN expr
                               ELSE format('%s AS %I', expr, col.attname) END;
    END LOOP;
    RETURN format('SELECT %s FROM %s s', array_to_string(items, ', '), relation);
END;
$$;
COMMENT ON FUNCTION @extschema@.source_select(text, regclass, jsonb, jsonb) IS
'The query of the view custvalue.<source> bound to relation with column_map and the derived expressions; raises 42703 (column missing or unknown) or 42804 (type that does not convert implicitly) naming the source and the column.';

-- The query of an unbound source: the interface's columns, typed NULLs.
CREATE FUNCTION @extschema@.source_placeholder(source text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT format('SELECT %s FROM @extschema@.unbound_source(%L)',
                  string_agg(format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname),
                             ', ' ORDER BY a.attnum),
                  source)
      FROM pg_attribute a
     WHERE a.attrelid = pg_catalog.to_regclass(format('@extschema@.%I', source))
       AND a.attnum > 0 AND NOT a.attisdropped;
END;
COMMENT ON FUNCTION @extschema@.source_placeholder(text) IS
'The query of the view custvalue.<source> while it is unbound: its columns as typed NULLs, read from custvalue.unbound_source().';

-- Every change of a data_source row, including the rows a restore brings
-- back, makes its view read what the row says.
CREATE FUNCTION @extschema@.data_source_apply() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel regclass;
    query text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'custvalue data source "%" cannot be removed', OLD.source
            USING ERRCODE = 'check_violation',
                  HINT = 'Unbind it with custvalue.bind_source(source, NULL).';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.source <> OLD.source THEN
        RAISE EXCEPTION 'custvalue data source "%" cannot be renamed', OLD.source
            USING ERRCODE = 'check_violation';
    END IF;
    IF pg_catalog.to_regclass(format('@extschema@.%I', NEW.source)) IS NULL THEN
        RAISE EXCEPTION 'custvalue has no data source "%"', NEW.source
            USING ERRCODE = 'undefined_object',
                  HINT = 'Sources are defined by the extension; bind one with custvalue.bind_source().';
    END IF;
    IF NEW.relation IS NULL THEN
        query := @extschema@.source_placeholder(NEW.source);
    ELSE
        rel := pg_catalog.to_regclass(NEW.relation);
        IF rel IS NULL THEN
            RAISE EXCEPTION 'custvalue source "%": relation % does not exist', NEW.source, NEW.relation
                USING ERRCODE = 'undefined_table';
        END IF;
        IF (SELECT c.relkind FROM pg_class c WHERE c.oid = rel) NOT IN ('r', 'p', 'v', 'm', 'f') THEN
            RAISE EXCEPTION 'custvalue source "%": % is not a table or view', NEW.source, rel
                USING ERRCODE = 'wrong_object_type';
        END IF;
        IF EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = rel
                      AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') THEN
            RAISE EXCEPTION 'custvalue source "%" cannot be bound to %, which belongs to an extension', NEW.source, rel
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Bind a table or view of your own.';
        END IF;
        query := @extschema@.source_select(NEW.source, rel, NEW.column_map, NEW.derived);
    END IF;
    EXECUTE format('CREATE OR REPLACE VIEW @extschema@.%I WITH (security_invoker = true) AS %s',
                   NEW.source, query);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.data_source_apply() IS
'AFTER trigger of custvalue.data_source: (re)creates the view custvalue.<source> as the row says (bound relation or unbound placeholder); refuses to delete or rename a source (23514).';

CREATE TRIGGER data_source_apply AFTER INSERT OR UPDATE OR DELETE ON @extschema@.data_source
    FOR EACH ROW EXECUTE FUNCTION @extschema@.data_source_apply();
CREATE TRIGGER data_source_no_truncate BEFORE TRUNCATE ON @extschema@.data_source
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();

-- Install-time helper: a source's interface, as an unbound view.
CREATE FUNCTION @extschema@.define_source(source text, description text, columns text[],
                                          derived jsonb DEFAULT '{}')
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE VIEW @extschema@.%I WITH (security_invoker = true) AS SELECT %s FROM @extschema@.unbound_source(%L)',
                   source,
                   (SELECT string_agg(format('NULL::%s AS %I', substr(c, strpos(c, ' ') + 1),
                                             split_part(c, ' ', 1)), ', ' ORDER BY n)
                      FROM unnest(columns) WITH ORDINALITY AS u(c, n)),
                   source);
    EXECUTE format('COMMENT ON VIEW @extschema@.%I IS %L', source,
                   description || '  A custvalue data source: bind it with custvalue.create_data_model() or custvalue.bind_source().');
    INSERT INTO @extschema@.data_source (source, derived, description)
    VALUES (source, derived, description);
END;
$$;
COMMENT ON FUNCTION @extschema@.define_source(text, text, text[], jsonb) IS
'Used by the install script: creates the unbound view custvalue.<source> with the given columns (''name type'') and its custvalue.data_source row.';
REVOKE ALL ON FUNCTION @extschema@.define_source(text, text, text[], jsonb) FROM PUBLIC;

CREATE FUNCTION @extschema@.bind_source(source text, relation regclass, column_map jsonb DEFAULT '{}')
    RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    qualified text;
BEGIN
    IF source IS NULL THEN
        RAISE EXCEPTION 'bind_source needs a source name, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF column_map IS NOT NULL AND jsonb_typeof(column_map) <> 'object' THEN
        RAISE EXCEPTION 'column_map must be a JSON object of interface column -> column name or null, not %', column_map
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'E.g. column_map => ''{"customer_id": "subscriber_id", "id_card": null}''.';
    END IF;
    IF relation IS NOT NULL THEN
        SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = relation;
    END IF;
    UPDATE @extschema@.data_source d
       SET relation = qualified, column_map = coalesce(bind_source.column_map, '{}')
     WHERE d.source = bind_source.source;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'custvalue has no data source "%"', source
            USING ERRCODE = 'undefined_object',
                  HINT = (SELECT 'Sources: ' || string_agg(d.source, ', ' ORDER BY d.source)
                            FROM @extschema@.data_source d);
    END IF;
    RETURN pg_get_viewdef(format('@extschema@.%I', source)::regclass);
END;
$$;
COMMENT ON FUNCTION @extschema@.bind_source(text, regclass, jsonb) IS
'Binds the data source custvalue.<source> to relation, a table or view of your own (any name, any wider shape): column_map => ''{"customer_id": "subscriber_id", "id_card": null}'' names the column holding each interface column whose name differs, or null for data you do not have.  Checked now: a missing column is 42703 and a type without an implicit or assignment cast is 42804, naming the source and the column.  relation NULL unbinds.  Returns the view''s new query.  Bind to ordinary columns and the view stays updatable.';

CREATE FUNCTION @extschema@.source_relation(source text) RETURNS regclass
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.to_regclass(d.relation) FROM @extschema@.data_source d WHERE d.source = source_relation.source;
END;
COMMENT ON FUNCTION @extschema@.source_relation(text) IS
'The relation the data source custvalue.<source> is bound to, NULL when unbound.';

CREATE VIEW @extschema@.data_source_binding WITH (security_invoker = true) AS
SELECT d.source,
       pg_catalog.to_regclass(d.relation) AS relation,
       d.column_map,
       pg_catalog.pg_get_viewdef(pg_catalog.to_regclass(format('@extschema@.%I', d.source))) AS query,
       d.description
  FROM @extschema@.data_source d;
COMMENT ON VIEW @extschema@.data_source_binding IS
'Every data source with what it is bound to (relation NULL = unbound) and the query of its view.';

-- ===== src/sql/120_reference_model.sql =====
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

-- ===== src/sql/130_service_item.sql =====
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


-- ===== src/sql/140_entitlements.sql =====
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

CREATE FUNCTION @extschema@.entitlement_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    -- The whole table, not NEW: under SET CONSTRAINTS ... DEFERRED the row
    -- may have changed again since, and at most 55 rows (5 tiers x 11
    -- items) cost nothing.
    SELECT e.tier, e.service_item, @extschema@.entitlement_problem(e) AS problem
      INTO bad
      FROM @extschema@.entitlement e
     WHERE @extschema@.entitlement_problem(e) IS NOT NULL
     ORDER BY e.tier DESC, e.service_item
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'custvalue.entitlement (%, %) is invalid: %',
                bad.tier, bad.service_item, bad.problem
            USING ERRCODE = 'check_violation',
                  HINT = 'See COMMENT ON TABLE custvalue.entitlement for the columns each service item uses.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.entitlement_validate() IS
'Constraint trigger of custvalue.entitlement: every row has the shape its service item needs (custvalue.entitlement_problem()).';

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

-- ===== src/sql/145_upgrade_plan.sql =====
-- The upgrade plan (中高端客户升级计划, domain.md §5): a mid/high-end customer
-- becomes a card VIP by a one-time prestore, reduced by tenure.
--
-- Tenure bands.  The seed names them 1-3年, 3-5年, 5年以上 (-300, -600,
-- -1000 yuan).  Its bands share their end points, so we make every band
-- lower-inclusive and measure tenure in whole months: [12, 36), [36, 60),
-- [60, ∞).  A customer of exactly 3 years gets the 3-5 year reduction and
-- one of exactly 5 years the "5年以上" one, which is also how Chinese
-- regulations read 以上 (the number itself included).  Under 12 months there
-- is no reduction.  Like tier_policy, each band stores only its lower bound,
-- so bands can neither overlap nor leave gaps.

CREATE TABLE @extschema@.upgrade_plan (
    tier      @extschema@.tier PRIMARY KEY
                  CONSTRAINT upgrade_plan_card_tier CHECK (@extschema@.tier_is_card(tier)),
    prestore  numeric(12,2) NOT NULL
                  CONSTRAINT upgrade_plan_prestore_valid
                  CHECK (prestore > 0 AND prestore <> 'NaN')
);
COMMENT ON TABLE @extschema@.upgrade_plan IS
'Upgrade plan (domain.md §5): the one-time prestore (yuan) that makes a customer a card VIP of this tier; the account balance must then stay at or above it.  One row per card tier (diamond, gold, silver), higher tiers dearer; edit with UPDATE.';
COMMENT ON COLUMN @extschema@.upgrade_plan.prestore IS 'Prestore (预存话费) before the tenure reduction, yuan.';

INSERT INTO @extschema@.upgrade_plan (tier, prestore) VALUES
    ('diamond', 6000), ('gold', 4000), ('silver', 2500);

CREATE TABLE @extschema@.upgrade_tenure_discount (
    min_tenure_months  integer PRIMARY KEY
                           CONSTRAINT upgrade_tenure_discount_months_valid
                           CHECK (min_tenure_months >= 0),
    discount           numeric(12,2) NOT NULL
                           CONSTRAINT upgrade_tenure_discount_amount_valid
                           CHECK (discount >= 0 AND discount <> 'NaN')
);
COMMENT ON TABLE @extschema@.upgrade_tenure_discount IS
'Tenure reductions of the upgrade prestore (domain.md §5): from min_tenure_months (inclusive) up to the next row''s min_tenure_months (exclusive), the prestore of every card tier is reduced by discount yuan.  Below the first row: no reduction.  Defaults: [12,36) 300, [36,60) 600, [60,∞) 1000 (seed: 1-3年, 3-5年, 5年以上).  A longer tenure never gets a smaller reduction, and no reduction reaches the cheapest prestore.';
COMMENT ON COLUMN @extschema@.upgrade_tenure_discount.min_tenure_months IS 'First month of tenure (whole months on the network) of the band, inclusive.';
COMMENT ON COLUMN @extschema@.upgrade_tenure_discount.discount IS 'Reduction of the prestore, yuan.';

INSERT INTO @extschema@.upgrade_tenure_discount (min_tenure_months, discount) VALUES
    (12, 300), (36, 600), (60, 1000);

CREATE FUNCTION @extschema@.upgrade_policy_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int;
    bad record;
BEGIN
    SELECT count(*) INTO n FROM @extschema@.upgrade_plan;
    IF n <> 3 THEN
        RAISE EXCEPTION 'custvalue.upgrade_plan must hold one row for each of the 3 card tiers, not % rows', n
            USING ERRCODE = 'check_violation',
                  HINT = 'Change prestores with UPDATE; card tiers cannot be added or removed.';
    END IF;
    SELECT p.tier AS higher, p.prestore AS higher_prestore, q.tier AS lower, q.prestore AS lower_prestore
      INTO bad
      FROM @extschema@.upgrade_plan p
      JOIN @extschema@.upgrade_plan q
        ON @extschema@.tier_rank(q.tier) = @extschema@.tier_rank(p.tier) - 1
     WHERE q.prestore >= p.prestore;
    IF FOUND THEN
        RAISE EXCEPTION 'custvalue.upgrade_plan is not monotone: % costs % but % costs %',
                bad.higher, bad.higher_prestore, bad.lower, bad.lower_prestore
            USING ERRCODE = 'check_violation',
                  DETAIL = 'A higher card tier must need a strictly larger prestore.';
    END IF;
    SELECT d.min_tenure_months AS months, d.discount,
           s.min_tenure_months AS shorter_months, s.discount AS shorter_discount
      INTO bad
      FROM @extschema@.upgrade_tenure_discount d
      JOIN LATERAL (SELECT s.min_tenure_months, s.discount
                      FROM @extschema@.upgrade_tenure_discount s
                     WHERE s.min_tenure_months < d.min_tenure_months
                     ORDER BY s.min_tenure_months DESC LIMIT 1) s ON true
     WHERE d.discount < s.discount
     ORDER BY d.min_tenure_months
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'custvalue.upgrade_tenure_discount is not monotone: % months and more get % but % months and more get %',
                bad.months, bad.discount, bad.shorter_months, bad.shorter_discount
            USING ERRCODE = 'check_violation',
                  DETAIL = 'A longer tenure must not get a smaller reduction.';
    END IF;
    SELECT d.min_tenure_months AS months, d.discount, p.tier, p.prestore
      INTO bad
      FROM @extschema@.upgrade_tenure_discount d, @extschema@.upgrade_plan p
     WHERE d.discount >= p.prestore
     ORDER BY d.discount DESC, p.prestore
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'custvalue.upgrade_tenure_discount: reduction % (from % months) would leave nothing to prestore for % (prestore %)',
                bad.discount, bad.months, bad.tier, bad.prestore
            USING ERRCODE = 'check_violation',
                  DETAIL = 'Every reduction must be smaller than every card tier''s prestore.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.upgrade_policy_validate() IS
'Constraint trigger of custvalue.upgrade_plan and custvalue.upgrade_tenure_discount: three card tiers with strictly increasing prestores, reductions non-decreasing with tenure and smaller than every prestore.';

CREATE CONSTRAINT TRIGGER upgrade_plan_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.upgrade_plan
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.upgrade_policy_validate();
CREATE CONSTRAINT TRIGGER upgrade_tenure_discount_valid
    AFTER INSERT OR UPDATE ON @extschema@.upgrade_tenure_discount
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.upgrade_policy_validate();
CREATE TRIGGER upgrade_plan_no_truncate BEFORE TRUNCATE ON @extschema@.upgrade_plan
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.upgrade_plan
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.upgrade_tenure_discount
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.upgrade_plan', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.upgrade_tenure_discount', '');

CREATE VIEW @extschema@.upgrade_tenure_bands WITH (security_invoker = true) AS
SELECT d.min_tenure_months AS lower_months,
       lead(d.min_tenure_months) OVER (ORDER BY d.min_tenure_months) AS upper_months,
       d.discount
  FROM @extschema@.upgrade_tenure_discount d
 ORDER BY d.min_tenure_months;
COMMENT ON VIEW @extschema@.upgrade_tenure_bands IS
'Each tenure band [lower_months, upper_months) of custvalue.upgrade_tenure_discount and its prestore reduction (upper_months NULL = open).';

CREATE FUNCTION @extschema@.upgrade_prestore(target @extschema@.tier, tenure_months integer)
    RETURNS numeric
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    base numeric;
    reduction numeric;
BEGIN
    IF NOT @extschema@.tier_is_card(target) THEN
        RAISE EXCEPTION 'target must be a card tier (diamond, gold or silver), not %', target
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The upgrade plan makes a customer a card VIP; tiers a, b and c are reached by ARPU.';
    END IF;
    IF tenure_months < 0 THEN
        RAISE EXCEPTION 'tenure_months must be >= 0, not %', tenure_months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT p.prestore INTO base
      FROM @extschema@.upgrade_plan p
     WHERE p.tier OPERATOR(@extschema@.=) target;
    SELECT d.discount INTO reduction
      FROM @extschema@.upgrade_tenure_discount d
     WHERE d.min_tenure_months <= upgrade_prestore.tenure_months
     ORDER BY d.min_tenure_months DESC
     LIMIT 1;
    RETURN base - coalesce(reduction, 0);
END;
$$;
COMMENT ON FUNCTION @extschema@.upgrade_prestore(@extschema@.tier, integer) IS
'Prestore (yuan) a customer with tenure_months whole months on the network needs to become a card VIP of tier target: custvalue.upgrade_plan less the custvalue.upgrade_tenure_discount of the band holding tenure_months (defaults 6000/4000/2500 less 300 for [12,36), 600 for [36,60), 1000 for 60 months and more).  A non-card target or a negative tenure is an error (22023); NULL arguments give NULL.';

-- For each customer (not churned), every card tier above their current one
-- with the prestore it needs.  The reduction is one backward index probe per
-- customer (LATERAL ... LIMIT 1, tenure computed once), not a call of
-- upgrade_prestore() per offer nor a range join that recomputes tenure per
-- band: 1.5x faster on 100k customers.
CREATE VIEW @extschema@.upgrade_offer WITH (security_invoker = true) AS
SELECT p.customer_id,
       p.tier AS current_tier,
       p.tenure_months,
       u.tier AS target_tier,
       u.prestore AS base_prestore,
       coalesce(d.discount, 0)::numeric(12,2) AS tenure_discount,
       (u.prestore - coalesce(d.discount, 0))::numeric(12,2) AS prestore
  FROM @extschema@.customer_profile p
  LEFT JOIN LATERAL (SELECT t.discount
                       FROM @extschema@.upgrade_tenure_discount t
                      WHERE t.min_tenure_months <= p.tenure_months
                      ORDER BY t.min_tenure_months DESC
                      LIMIT 1) d ON true
  JOIN @extschema@.upgrade_plan u ON u.tier > p.tier
 WHERE p.status <> 'churned';
COMMENT ON VIEW @extschema@.upgrade_offer IS
'Upgrade offers (domain.md §5): for every customer not churned, each card tier above their current tier with the base prestore, their tenure reduction and the prestore to pay, as custvalue.upgrade_prestore() computes it.  Diamond customers get no rows.';

-- ===== src/sql/150_demo.sql =====
-- Demo data generator (src/demo.c, src/demo_activity.c): a realistic,
-- reproducible population for the reference model.  Each demo_* function
-- returns the rows of one table for customers first_id..last_id of a
-- population of n; every row is a pure function of (seed, n, customer), so
-- the functions are IMMUTABLE and batches can be generated in any order.

CREATE FUNCTION @extschema@.demo_customers(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, phone text, id_card text, bank_card text,
                   region text, brand text, vip_card boolean, joined_on date,
                   birth_date date, account_manager text, phone_manager text,
                   status text, churned_on date)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.demo_customers(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.customer for customers first_id..last_id of a population of n (1 <= first_id, last_id <= n <= 100000000), determined by seed.  Phones (104xxxxxxxx), ID numbers (division 4399xx) and bank cards (prefix 9999) are fake by construction.';

CREATE FUNCTION @extschema@.demo_bills(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, month date, voice_fee numeric, sms_fee numeric,
                   data_fee numeric, vas_fee numeric, voice_minutes integer,
                   sms_count integer, data_mb integer, paid_late boolean,
                   arrears numeric, cost_to_serve numeric)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12000;
COMMENT ON FUNCTION @extschema@.demo_bills(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.monthly_bill (2008-07 .. 2009-06, from joining to churning) for customers first_id..last_id of demo_customers(seed, n, ...).';

CREATE FUNCTION @extschema@.demo_bundles(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, kind text, grade text, started_on date,
                   ends_on date, monthly_floor numeric)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 500;
COMMENT ON FUNCTION @extschema@.demo_bundles(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.bundle (without bundle_id) for customers first_id..last_id of demo_customers(seed, n, ...).';

CREATE FUNCTION @extschema@.demo_service_events(seed bigint, n bigint, first_id bigint,
                                                last_id bigint, first_event_id bigint)
    RETURNS TABLE (event_id bigint, customer_id bigint, occurred_at timestamptz,
                   service_item text, channel text, manager text)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.demo_service_events(bigint, bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.service_event for customers first_id..last_id of demo_customers(seed, n, ...), numbered from first_event_id in customer and time order.';

CREATE FUNCTION @extschema@.demo_survey_responses(seed bigint, n bigint, first_id bigint,
                                                  last_id bigint, first_event_id bigint)
    RETURNS TABLE (customer_id bigint, event_id bigint, answered_at timestamptz,
                   channel text, satisfied boolean, csat smallint, nps smallint)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 500;
COMMENT ON FUNCTION @extschema@.demo_survey_responses(bigint, bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.survey_response (without response_id) for customers first_id..last_id: post-service SMS answers referring to the events demo_service_events() numbers from the same first_event_id, and monthly sample surveys with CSAT and NPS.';

CREATE FUNCTION @extschema@.demo_complaints(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, filed_at timestamptz, category text,
                   severity text, resolved_at timestamptz)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.demo_complaints(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.complaint (without complaint_id) for customers first_id..last_id of demo_customers(seed, n, ...).';

CREATE FUNCTION @extschema@.demo_service_cancellations(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, cancelled_at timestamptz, service text)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.demo_service_cancellations(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.service_cancellation (without cancellation_id): value-added services unsubscribed, mostly by customers whose spend is falling, for customers first_id..last_id of demo_customers(seed, n, ...).';

-- Replace the contents of the reference model with n demo customers.
-- Batches of customers keep each SRF's result in memory; foreign keys and
-- indexes are rebuilt once at the end instead of being maintained per row.
CREATE FUNCTION @extschema@.generate_demo(n bigint, seed bigint)
    RETURNS TABLE (table_name text, rows bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    batch constant bigint := 5000;
    lo bigint := 1;
    hi bigint;
    next_event bigint := 1;
    got bigint;
    obj record;
    fks text[] := '{}';
    rebuild text[] := '{}';
    counts bigint[] := '{0,0,0,0,0,0,0}';
    t0 timestamptz := clock_timestamp();
    ddl text;
    sources constant text[] := ARRAY['customer', 'monthly_bill', 'bundle', 'service_event',
        'survey_response', 'complaint', 'service_cancellation'];
    loaded regclass[];
    unfit text;
BEGIN
    IF n IS NULL OR seed IS NULL THEN
        RAISE EXCEPTION 'generate_demo needs a number of customers and a seed, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF n < 0 OR n > 100000000 THEN
        RAISE EXCEPTION 'number of demo customers must be between 0 and 100000000, not %', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- The demo goes into the tables of custvalue.create_data_model(): each
    -- source bound, unmapped, to an ordinary table.  A warehouse bound with
    -- bind_source() is never emptied by a demo.
    SELECT string_agg(format('%s (%s)', d.source, coalesce(d.relation, 'unbound')), ', ' ORDER BY d.source)
      INTO unfit
      FROM @extschema@.data_source d
      LEFT JOIN pg_class c ON c.oid = to_regclass(d.relation)
     WHERE d.source = ANY (sources || 'customer_identity'::text)
       AND (c.relkind IS DISTINCT FROM 'r' OR d.column_map <> '{}'
            OR (d.source = 'customer_identity'
                AND d.relation IS DISTINCT FROM (SELECT e.relation FROM @extschema@.data_source e
                                                  WHERE e.source = 'customer')));
    IF unfit IS NOT NULL THEN
        RAISE EXCEPTION 'generate_demo loads only the tables of custvalue.create_data_model()'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('Not bound to such a table: %s.', unfit),
                  HINT = 'Run SELECT custvalue.create_data_model(''custvalue_data'') first (or in a database of its own).';
    END IF;
    SELECT array_agg(to_regclass(d.relation) ORDER BY array_position(sources, d.source))
      INTO loaded
      FROM @extschema@.data_source d WHERE d.source = ANY (sources);

    -- Empty the loaded tables and every table that references them,
    -- transitively (what TRUNCATE ... CASCADE would do, named explicitly).
    EXECUTE (
        WITH RECURSIVE dependent(rel) AS (
            SELECT unnest(loaded)
            UNION
            SELECT c.conrelid::regclass
              FROM pg_constraint c JOIN dependent d ON c.confrelid = d.rel
             WHERE c.contype = 'f'
        )
        SELECT 'TRUNCATE ' || string_agg(rel::text, ', ' ORDER BY rel::oid) || ' RESTART IDENTITY'
          FROM dependent);

    -- Take off the foreign keys that touch the loaded tables, then their
    -- indexes (except constraints a view depends on); build them again after
    -- the load, which is several times faster than maintaining them per row.
    FOR obj IN
        SELECT c.conrelid::regclass AS tab, c.conname AS name, pg_get_constraintdef(c.oid) AS def
          FROM pg_constraint c
         WHERE c.contype = 'f' AND (c.conrelid = ANY (loaded) OR c.confrelid = ANY (loaded))
         ORDER BY c.conrelid, c.conname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', obj.tab, obj.name);
        fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', obj.tab, obj.name, obj.def);
    END LOOP;
    FOR obj IN
        SELECT c.conrelid::regclass AS tab, c.conname AS name, pg_get_constraintdef(c.oid) AS def
          FROM pg_constraint c
         WHERE c.contype IN ('p', 'u') AND c.conrelid = ANY (loaded)
           AND NOT EXISTS (SELECT FROM pg_depend d
                            WHERE d.refclassid = 'pg_constraint'::regclass AND d.refobjid = c.oid)
         ORDER BY c.conrelid, c.conname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', obj.tab, obj.name);
        rebuild := rebuild || format('ALTER TABLE %s ADD CONSTRAINT %I %s', obj.tab, obj.name, obj.def);
    END LOOP;
    FOR obj IN
        SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def
          FROM pg_index i
         WHERE i.indrelid = ANY (loaded)
           AND NOT EXISTS (SELECT FROM pg_constraint c
                            WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
           AND NOT EXISTS (SELECT FROM pg_depend d
                            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indexrelid)
         ORDER BY i.indrelid, i.indexrelid
    LOOP
        EXECUTE format('DROP INDEX %s', obj.name);
        rebuild := rebuild || obj.def;
    END LOOP;

    WHILE lo <= n LOOP
        hi := least(n, lo + batch - 1);
        EXECUTE format('INSERT INTO %s
            (customer_id, phone, id_card, bank_card, region, brand, vip_card, joined_on,
             birth_date, account_manager, phone_manager, status, churned_on)
            SELECT * FROM @extschema@.demo_customers($1, $2, $3, $4)', loaded[1])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[1] := counts[1] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, month, voice_fee, sms_fee, data_fee, vas_fee, voice_minutes,
             sms_count, data_mb, paid_late, arrears, cost_to_serve)
            SELECT * FROM @extschema@.demo_bills($1, $2, $3, $4)', loaded[2])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[2] := counts[2] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, kind, grade, started_on, ends_on, monthly_floor)
            SELECT * FROM @extschema@.demo_bundles($1, $2, $3, $4)', loaded[3])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[3] := counts[3] + got;
        EXECUTE format('INSERT INTO %s
            (event_id, customer_id, occurred_at, service_item, channel, manager)
            OVERRIDING SYSTEM VALUE
            SELECT * FROM @extschema@.demo_service_events($1, $2, $3, $4, $5)', loaded[4])
            USING seed, n, lo, hi, next_event;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[4] := counts[4] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, event_id, answered_at, channel, satisfied, csat, nps)
            SELECT * FROM @extschema@.demo_survey_responses($1, $2, $3, $4, $5)', loaded[5])
            USING seed, n, lo, hi, next_event;
        next_event := next_event + got;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[5] := counts[5] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, filed_at, category, severity, resolved_at)
            SELECT * FROM @extschema@.demo_complaints($1, $2, $3, $4)', loaded[6])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[6] := counts[6] + got;
        -- The churn signal table of 420_churn_watchlist.sql.
        EXECUTE format('INSERT INTO %s (customer_id, cancelled_at, service)
            SELECT * FROM @extschema@.demo_service_cancellations($1, $2, $3, $4)', loaded[7])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[7] := counts[7] + got;
        lo := hi + 1;
    END LOOP;

    RAISE DEBUG 'generate_demo: rows loaded after %', clock_timestamp() - t0;

    -- Events were numbered explicitly; later inserts continue after them.
    PERFORM setval(pg_get_serial_sequence(loaded[4]::text, 'event_id'),
                   greatest(next_event - 1, 1), next_event > 1);

    FOREACH ddl IN ARRAY rebuild || fks LOOP
        EXECUTE ddl;
    END LOOP;

    RAISE DEBUG 'generate_demo: indexes and foreign keys rebuilt after %', clock_timestamp() - t0;
    EXECUTE 'ANALYZE ' || array_to_string(loaded, ', ');

    RETURN QUERY
        SELECT t, c
          FROM unnest(ARRAY['customer', 'monthly_bill', 'bundle', 'service_event',
                            'survey_response', 'complaint', 'service_cancellation'],
                      counts) AS u(t, c);
END;
$$;
COMMENT ON FUNCTION @extschema@.generate_demo(bigint, bigint) IS
'Empties the tables of custvalue.create_data_model() bound to customer, monthly_bill, bundle, service_event, survey_response, complaint and service_cancellation, and every table that references them, and fills them with n demo customers determined by seed; returns the row counts.  n outside 0 .. 100000000 is an error (22023); a source not bound to such a table (unbound, or a warehouse bound with bind_source) is an error (55000), so a demo never empties an operator''s data by mistake.  Destructive: executable only by the extension''s owner unless granted.';
REVOKE ALL ON FUNCTION @extschema@.generate_demo(bigint, bigint) FROM PUBLIC;

-- ===== src/sql/200_customer_value.sql =====
-- Customer value function (CVF, domain.md §2): the population scale type,
-- its parallel aggregate, the scoring function and its policy, and CLV.
-- C in src/cvf_sketch.c, src/cvf_scale.c, src/cvf_score.c, src/clv.c.

-- ---------------------------------------------------------------- policy
-- One row per CVF dimension: its weight in the composite score and the
-- population quantile that counts as "full marks" (see src/cvf_score.c).
CREATE TABLE @extschema@.cvf_policy (
    dimension           text PRIMARY KEY
                            CONSTRAINT cvf_policy_dimension_known
                            CHECK (dimension IN ('revenue', 'tenure', 'credit_risk', 'tariff', 'bundles')),
    weight              numeric(6,5) NOT NULL
                            CONSTRAINT cvf_policy_weight_range CHECK (weight >= 0 AND weight <= 1),
    reference_quantile  numeric(3,2) NOT NULL DEFAULT 0.95
                            CONSTRAINT cvf_policy_reference_quantile_level
                            CHECK (reference_quantile IN (0.50, 0.75, 0.90, 0.95, 0.99)),
    description         text NOT NULL
);
COMMENT ON TABLE @extschema@.cvf_policy IS
'CVF policy: per dimension, the weight in the composite CVF score (non-negative, summing to 1 over the five dimensions) and the population quantile a customer must reach for a sub-score of 100.  Edit with UPDATE; several weights at once in one transaction with SET CONSTRAINTS cvf_policy_valid DEFERRED.';
COMMENT ON COLUMN @extschema@.cvf_policy.dimension IS 'revenue, tenure, credit_risk, tariff or bundles.';
COMMENT ON COLUMN @extschema@.cvf_policy.weight IS 'Weight of the dimension''s sub-score in the composite CVF score.';
COMMENT ON COLUMN @extschema@.cvf_policy.reference_quantile IS 'Population quantile that scores 100 (0 for credit_risk, where less is better): one of 0.50, 0.75, 0.90, 0.95, 0.99, the levels a cvf_scale keeps.';

-- Weights are a design choice (domain.md §2: not in the seeds); see README.
INSERT INTO @extschema@.cvf_policy (dimension, weight, description) VALUES
    ('revenue',     0.35, 'Revenue contribution (收入贡献): annual spend.  Mattison''s CVF and the seed put revenue first.'),
    ('tenure',      0.25, 'Tenure on network (在网时长) in months.  The seed''s main risk: 45 % of mid/high-end customers under 2 years.'),
    ('credit_risk', 0.15, 'Payment-credit risk (信用风险): share of billed months paid late or in arrears; lower is better.'),
    ('tariff',      0.10, 'Tariff composition (通信资费构成): share of the bill from data and value-added services.'),
    ('bundles',     0.15, 'Bundled-marketing participation (参与捆绑营销): bundles active in the reference month.');

CREATE FUNCTION @extschema@.cvf_policy_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int;
    total numeric;
BEGIN
    SELECT count(*), coalesce(sum(weight), 0) INTO n, total FROM @extschema@.cvf_policy;
    IF n <> 5 THEN
        RAISE EXCEPTION 'custvalue.cvf_policy must hold one row for each of the 5 CVF dimensions, not % rows', n
            USING ERRCODE = 'check_violation',
                  HINT = 'Change weights with UPDATE; dimensions cannot be added or removed.';
    END IF;
    IF total <> 1 THEN
        RAISE EXCEPTION 'custvalue.cvf_policy weights must sum to 1, not %', total
            USING ERRCODE = 'check_violation',
                  HINT = 'Move several weights in one transaction after SET CONSTRAINTS custvalue.cvf_policy_valid DEFERRED.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.cvf_policy_validate() IS
'Constraint trigger of custvalue.cvf_policy: five dimensions whose weights sum to 1.';

CREATE CONSTRAINT TRIGGER cvf_policy_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.cvf_policy
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.cvf_policy_validate();
CREATE TRIGGER cvf_policy_no_truncate BEFORE TRUNCATE ON @extschema@.cvf_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.cvf_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.cvf_policy', '');

-- ---------------------------------------------------------------- cvf_scale type
CREATE TYPE @extschema@.cvf_scale;

CREATE FUNCTION @extschema@.cvf_scale_in(cstring) RETURNS @extschema@.cvf_scale
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_in(cstring) IS 'Text input of custvalue.cvf_scale; validates counts and the order of the quantiles (22P02).';
CREATE FUNCTION @extschema@.cvf_scale_out(@extschema@.cvf_scale) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_out(@extschema@.cvf_scale) IS 'Text output of custvalue.cvf_scale.';
CREATE FUNCTION @extschema@.cvf_scale_recv(internal) RETURNS @extschema@.cvf_scale
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_recv(internal) IS 'Binary input of custvalue.cvf_scale; validates like the text input (22P03).';
CREATE FUNCTION @extschema@.cvf_scale_send(@extschema@.cvf_scale) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_send(@extschema@.cvf_scale) IS 'Binary output of custvalue.cvf_scale: per dimension int8 count and seven float8.';

CREATE TYPE @extschema@.cvf_scale (
    INPUT = @extschema@.cvf_scale_in,
    OUTPUT = @extschema@.cvf_scale_out,
    RECEIVE = @extschema@.cvf_scale_recv,
    SEND = @extschema@.cvf_scale_send,
    INTERNALLENGTH = 320,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.cvf_scale IS
'A population''s scale for the five CVF dimensions (revenue, tenure, credit_risk, tariff, bundles): per dimension the count of non-NULL values, minimum, 50/75/90/95/99th percentiles and maximum.  Built by the aggregate custvalue.cvf_scale(); consumed by custvalue.cvf_score().';

CREATE FUNCTION @extschema@.cvf_scale_eq(@extschema@.cvf_scale, @extschema@.cvf_scale) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_eq(@extschema@.cvf_scale, @extschema@.cvf_scale) IS 'Two scales are equal when every count and value is.';
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.cvf_scale, RIGHTARG = @extschema@.cvf_scale,
    FUNCTION = @extschema@.cvf_scale_eq, COMMUTATOR = OPERATOR(@extschema@.=)
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.cvf_scale, @extschema@.cvf_scale) IS 'Scales are equal when every count and value is.';

CREATE FUNCTION @extschema@.cvf_scale_summary(scale @extschema@.cvf_scale)
    RETURNS TABLE (dimension text, n bigint, min float8, p50 float8, p75 float8,
                   p90 float8, p95 float8, p99 float8, max float8)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.cvf_scale_summary(@extschema@.cvf_scale) IS
'A cvf_scale as a table: one row per dimension with its count, minimum, percentiles and maximum (NULL when the dimension has no values).';

-- ---------------------------------------------------------------- aggregate
CREATE FUNCTION @extschema@.cvf_scale_accum(internal, float8, float8, float8, float8, float8)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_accum(internal, float8, float8, float8, float8, float8) IS
'Transition function of custvalue.cvf_scale(): adds one customer to the per-dimension histograms; NULL dimensions are skipped, negative or non-finite ones are an error (22023).';
CREATE FUNCTION @extschema@.cvf_scale_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_combine(internal, internal) IS
'Combine function of custvalue.cvf_scale(): adds histogram counts, so any split of the input gives the serial result exactly.';
CREATE FUNCTION @extschema@.cvf_scale_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_serialize(internal) IS
'Serial function of custvalue.cvf_scale(): the non-empty bins of each histogram.';
CREATE FUNCTION @extschema@.cvf_scale_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_deserialize(bytea, internal) IS
'Deserial function of custvalue.cvf_scale(): rebuilds a state, rejecting any malformed input (22P03).';
CREATE FUNCTION @extschema@.cvf_scale_final(internal)
    RETURNS @extschema@.cvf_scale AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_final(internal) IS
'Final function of custvalue.cvf_scale(): percentiles from the histograms.';

CREATE AGGREGATE @extschema@.cvf_scale(revenue float8, tenure float8, credit_risk float8,
                                       tariff float8, bundles float8) (
    SFUNC = @extschema@.cvf_scale_accum,
    STYPE = internal,
    SSPACE = 51400,
    FINALFUNC = @extschema@.cvf_scale_final,
    COMBINEFUNC = @extschema@.cvf_scale_combine,
    SERIALFUNC = @extschema@.cvf_scale_serialize,
    DESERIALFUNC = @extschema@.cvf_scale_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvf_scale(float8, float8, float8, float8, float8) IS
'The population''s scale for CVF scoring: per dimension a fixed-bin log-linear histogram (32 bins per octave), reduced to count, minimum, 50/75/90/95/99th percentiles (inverse empirical CDF, reported as the lower edge of the bin of the order statistic: at most 3.2 % below it, exact for bin edges such as integers below 64) and maximum.  NULL dimension values are skipped per dimension; no rows gives NULL.  Parallel plans give exactly the serial result.';

CREATE AGGREGATE @extschema@.cvf_scale_state(revenue float8, tenure float8, credit_risk float8,
                                             tariff float8, bundles float8) (
    SFUNC = @extschema@.cvf_scale_accum,
    STYPE = internal,
    SSPACE = 51400,
    FINALFUNC = @extschema@.cvf_scale_serialize,
    COMBINEFUNC = @extschema@.cvf_scale_combine,
    SERIALFUNC = @extschema@.cvf_scale_serialize,
    DESERIALFUNC = @extschema@.cvf_scale_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cvf_scale_state(float8, float8, float8, float8, float8) IS
'The serialised state behind custvalue.cvf_scale() (for tests and diagnostics); custvalue.cvf_scale_from_state() turns it into the scale.';

CREATE FUNCTION @extschema@.cvf_scale_from_state(state bytea) RETURNS @extschema@.cvf_scale
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_scale_from_state(bytea) IS
'The scale a serialised cvf_scale_state stands for.  Validates every byte: malformed input is an error (22P03), never a crash.';

-- ---------------------------------------------------------------- scoring
CREATE TYPE @extschema@.cvf_scores AS (
    revenue_score  float8,
    tenure_score   float8,
    credit_score   float8,
    tariff_score   float8,
    bundle_score   float8,
    cvf            float8
);
COMMENT ON TYPE @extschema@.cvf_scores IS
'A customer''s CVF: the five sub-scores 0–100 and the weighted composite cvf 0–100.';

CREATE FUNCTION @extschema@.cvf_score(scale @extschema@.cvf_scale, revenue float8, tenure float8,
                                      credit_risk float8, tariff float8, bundles float8)
    RETURNS @extschema@.cvf_scores
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf_score(@extschema@.cvf_scale, float8, float8, float8, float8, float8) IS
'One customer''s CVF against a population scale: each sub-score is 100 * min(x / ref, 1) (credit: 100 * (1 - min(x / ref, 1))), ref = the dimension''s reference quantile in custvalue.cvf_policy; cvf = weighted mean of the sub-scores.  A NULL input (or a dimension the scale has no values for) gives a NULL sub-score and the weights are renormalised over the rest; NULL scale gives NULL.  Negative or non-finite inputs: 22023.  STABLE: reads the weights from custvalue.cvf_policy once per statement.';

CREATE FUNCTION @extschema@.cvf(scale @extschema@.cvf_scale, revenue float8, tenure float8,
                                credit_risk float8, tariff float8, bundles float8)
    RETURNS float8
    AS 'MODULE_PATHNAME', 'cvf_total' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvf(@extschema@.cvf_scale, float8, float8, float8, float8, float8) IS
'Only the composite CVF score 0–100 of custvalue.cvf_score(), as a float8 (no row is formed: for ranking and filtering).  Same NULL handling, errors and policy.';

-- ---------------------------------------------------------------- lifetime value
CREATE FUNCTION @extschema@.clv(monthly_margin float8, monthly_retention float8,
                                discount_rate float8, horizon_months float8 DEFAULT 'Infinity')
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.clv(float8, float8, float8, float8) IS
'Customer lifetime value: m * sum_{t=0}^{H-1} (r / (1 + d))^t, this month''s margin included; closed form m (1 + d) / (1 + d - r) for an infinite horizon (the default).  monthly_retention r in [0, 1] (e.g. 1 - monthly churn probability), discount_rate d >= 0 per month, horizon_months a whole number or ''Infinity''.  Invalid arguments and a divergent sum (r = 1, d = 0, infinite horizon) are 22023.';

-- ===== src/sql/210_customer_value_views.sql =====
-- Customer value views (domain.md §2): the per-customer CVF inputs, the
-- population summary (scale and value-class thresholds, live or stored),
-- revenue contribution efficiency by band, the customer scorecard and the
-- per-tier summary.

-- Settings of this concern (custvalue.setting; design defaults, see README).
INSERT INTO @extschema@.setting VALUES
    ('value_class_a_share', 0.80, 'share',
     'Pareto/ABC: class A is the smallest set of top-revenue customers that makes this share of revenue (seed 004: ~80 %).'),
    ('value_class_b_share', 0.95, 'share',
     'Pareto/ABC: classes A and B together make this share of revenue; the rest is class C.'),
    ('core_customer_share', 0.20, 'share',
     'Core customers: this share of customers with the highest revenue (seed 004: top ~20 %).'),
    ('clv_monthly_retention', 0.985, 'share',
     'Monthly retention used for CLV in customer_scorecard until a churn model supplies one (0.985/month = 83 % a year).'),
    ('clv_monthly_discount_rate', 0.008, 'rate',
     'Monthly discount rate for CLV (0.8 %/month = about 10 % a year).'),
    ('clv_horizon_months', 60, 'months',
     'CLV horizon in months (Infinity for the closed form); 5 years, the seed''s long-tenure mark.');

ALTER TABLE @extschema@.setting ADD CONSTRAINT setting_value_shares_valid CHECK (
    CASE name
        WHEN 'value_class_a_share' THEN value > 0 AND value <= 1
        WHEN 'value_class_b_share' THEN value > 0 AND value <= 1
        WHEN 'core_customer_share' THEN value >= 0 AND value <= 1
        WHEN 'clv_monthly_retention' THEN value >= 0 AND value <= 1
        WHEN 'clv_monthly_discount_rate' THEN value >= 0 AND value < 'Infinity'
        WHEN 'clv_horizon_months' THEN value >= 0 AND (value = 'Infinity' OR value = trunc(value))
        ELSE true
    END);

-- ARPU bands for revenue contribution efficiency (seed 000's table:
-- ≥ 500, 200–500, 120–200, < 120).  A band runs from its lower bound to the
-- next one.
CREATE TABLE @extschema@.value_arpu_band (
    min_arpu  numeric(12,2) PRIMARY KEY
                  CONSTRAINT value_arpu_band_min_arpu_range CHECK (min_arpu >= 0 AND min_arpu < 'Infinity')
);
COMMENT ON TABLE @extschema@.value_arpu_band IS
'Lower bounds (monthly ARPU, yuan) of the ARPU bands in custvalue.contribution_efficiency; each band ends at the next bound.  There must be a band starting at 0.';
INSERT INTO @extschema@.value_arpu_band VALUES (0), (120), (200), (500);

CREATE FUNCTION @extschema@.value_arpu_band_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.value_arpu_band WHERE min_arpu = 0) THEN
        RAISE EXCEPTION 'custvalue.value_arpu_band needs a band starting at 0'
            USING ERRCODE = 'check_violation',
                  DETAIL = 'Every ARPU from 0 up must fall into some band.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.value_arpu_band_validate() IS
'Constraint trigger of custvalue.value_arpu_band: the lowest band starts at 0.';
CREATE CONSTRAINT TRIGGER value_arpu_band_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.value_arpu_band
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.value_arpu_band_validate();
CREATE TRIGGER value_arpu_band_no_truncate BEFORE TRUNCATE ON @extschema@.value_arpu_band
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.value_arpu_band
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.value_arpu_band', '');

-- ---------------------------------------------------------------- inputs
-- One pass over the bills, with one C aggregate (src/value_bills.c) for
-- everything the inputs need from them.  revenue, monthly_arpu,
-- tenure_months and tier are defined exactly as in custvalue.customer_profile
-- (the test customer_value checks they agree); computing them here rather
-- than joining the profile saves a second aggregation of every bill.
CREATE TYPE @extschema@.bill_value_totals AS (
    billed_months  int,
    risk_months    int,
    arpu_months    int,
    costed_months  int,
    total_fee      numeric,
    arpu_fee       numeric,
    growth_share   float8,
    costed_margin  numeric
);
COMMENT ON TYPE @extschema@.bill_value_totals IS
'Result of custvalue.bill_value_summary(): months billed, months paid late or in arrears, months in the ARPU window, months with a known cost; total fee, fee in the ARPU window (yuan); share of the fees from data and value-added services (NULL when nothing was billed); fee minus cost over the months with a known cost.';

CREATE FUNCTION @extschema@.bill_summary_accum(internal, date, numeric, numeric, numeric, boolean, numeric, numeric, date)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_accum(internal, date, numeric, numeric, numeric, boolean, numeric, numeric, date) IS
'Transition function of custvalue.bill_value_summary().';
CREATE FUNCTION @extschema@.bill_summary_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_combine(internal, internal) IS
'Combine function of custvalue.bill_value_summary(): adds the counts and sums.';
CREATE FUNCTION @extschema@.bill_summary_serialize(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_serialize(internal) IS
'Serial function of custvalue.bill_value_summary().';
CREATE FUNCTION @extschema@.bill_summary_deserialize(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_deserialize(bytea, internal) IS
'Deserial function of custvalue.bill_value_summary(); checks length and consistency (22P03).';
CREATE FUNCTION @extschema@.bill_summary_final(internal)
    RETURNS @extschema@.bill_value_totals AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bill_summary_final(internal) IS
'Final function of custvalue.bill_value_summary().';

CREATE AGGREGATE @extschema@.bill_value_summary(month date, total_fee numeric, data_fee numeric,
        vas_fee numeric, paid_late boolean, arrears numeric, cost_to_serve numeric, arpu_from date) (
    SFUNC = @extschema@.bill_summary_accum,
    STYPE = internal,
    SSPACE = 64,
    FINALFUNC = @extschema@.bill_summary_final,
    COMBINEFUNC = @extschema@.bill_summary_combine,
    SERIALFUNC = @extschema@.bill_summary_serialize,
    DESERIALFUNC = @extschema@.bill_summary_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.bill_value_summary(date, numeric, numeric, numeric, boolean, numeric, numeric, date) IS
'A customer''s bills reduced to what custvalue.customer_value_inputs needs (custvalue.bill_value_totals), in one pass with exact integer-fen sums; months on or after arpu_from count to the ARPU window.  Rows without month or total_fee are skipped; negative or non-finite money is an error (22023).';

CREATE VIEW @extschema@.customer_value_inputs WITH (security_invoker = true) AS
WITH ref AS (
    SELECT r.month,
           r.month - make_interval(months => r.spend_months) AS spend_after,
           (r.month - make_interval(months => r.arpu_months - 1))::date AS arpu_from
      FROM (SELECT @extschema@.as_of_month() AS month,
                   @extschema@.setting('spend_window_months')::int AS spend_months,
                   @extschema@.setting('arpu_window_months')::int AS arpu_months) AS r
), bills AS (
    SELECT b.customer_id,
           @extschema@.bill_value_summary(b.month, b.total_fee, b.data_fee, b.vas_fee, b.paid_late,
                                          b.arrears, b.cost_to_serve, ref.arpu_from) AS t
      FROM @extschema@.monthly_bill b, ref
     WHERE b.month > ref.spend_after
       AND b.month <= ref.month
     GROUP BY b.customer_id
), active_bundles AS (
    SELECT u.customer_id, count(*) AS bundles
      FROM @extschema@.bundle u, ref
     WHERE u.started_on < ref.month + interval '1 month'
       AND u.ends_on > ref.month
     GROUP BY u.customer_id
)
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       @extschema@.tier_of(coalesce((bills.t).total_fee, 0)::numeric(12,2),
                           coalesce((bills.t).arpu_fee / nullif((bills.t).arpu_months, 0), 0)::numeric(12,2),
                           c.vip_card) AS tier,
       coalesce((bills.t).arpu_fee / nullif((bills.t).arpu_months, 0), 0)::numeric(12,2) AS monthly_arpu,
       coalesce((bills.t).total_fee, 0)::numeric(12,2) AS revenue,
       ((extract(year FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on)) * 12
         + extract(month FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on))))::int
         AS tenure_months,
       (bills.t).risk_months::float8 / (bills.t).billed_months AS credit_risk,
       (bills.t).growth_share AS tariff_share,
       coalesce(active_bundles.bundles, 0) AS bundles,
       CASE WHEN (bills.t).costed_months = (bills.t).billed_months THEN (bills.t).costed_margin END AS net_value,
       round((bills.t).costed_margin / nullif((bills.t).costed_months, 0), 2) AS monthly_margin
  FROM @extschema@.customer c
 CROSS JOIN ref
  LEFT JOIN bills USING (customer_id)
  LEFT JOIN active_bundles USING (customer_id)
 WHERE c.status <> 'churned';
COMMENT ON VIEW @extschema@.customer_value_inputs IS
'Per customer (not churned), the raw CVF dimensions over the spend window of custvalue.customer_profile: revenue = annual spend (yuan); tenure_months; credit_risk = share of billed months paid late or ending in arrears (NULL without bills); tariff_share = share of the bill from data and value-added services (NULL when nothing was billed); bundles = bundles active in the reference month.  Also net_value = revenue − cost to serve (seed 004; NULL unless every billed month has a cost) and monthly_margin = mean (bill − cost) over the months with a known cost.  revenue, monthly_arpu, tenure_months and tier are those of custvalue.customer_profile.';

-- ---------------------------------------------------------------- population
CREATE VIEW @extschema@.value_population_live WITH (security_invoker = true) AS
WITH i AS MATERIALIZED (
    SELECT v.revenue, v.tenure_months, v.credit_risk, v.tariff_share, v.bundles
      FROM @extschema@.customer_value_inputs v
), pol AS (
    SELECT @extschema@.setting('value_class_a_share') AS a_share,
           @extschema@.setting('value_class_b_share') AS b_share,
           @extschema@.setting('core_customer_share') AS core_share
), tot AS (
    SELECT @extschema@.cvf_scale(i.revenue, i.tenure_months, i.credit_risk, i.tariff_share, i.bundles) AS scale,
           count(*) AS customers,
           coalesce(sum(i.revenue), 0) AS total_revenue
      FROM i
), ranked AS (
    SELECT i.revenue,
           sum(i.revenue) OVER w - i.revenue AS before,
           row_number() OVER w AS rn
      FROM i
    WINDOW w AS (ORDER BY i.revenue DESC ROWS UNBOUNDED PRECEDING)
), thresholds AS (
    SELECT min(r.revenue) FILTER (WHERE r.before < pol.a_share * tot.total_revenue) AS a_min_revenue,
           min(r.revenue) FILTER (WHERE r.before < pol.b_share * tot.total_revenue) AS b_min_revenue,
           min(r.revenue) FILTER (WHERE r.rn <= ceil(pol.core_share * tot.customers)) AS core_min_revenue
      FROM ranked r, pol, tot
)
SELECT tot.scale, tot.customers, tot.total_revenue,
       thresholds.a_min_revenue, thresholds.b_min_revenue, thresholds.core_min_revenue,
       @extschema@.as_of_month() AS as_of_month,
       now() AS computed_at
  FROM tot, thresholds;
COMMENT ON VIEW @extschema@.value_population_live IS
'The population summary computed now from custvalue.customer_value_inputs: the CVF scale (aggregate custvalue.cvf_scale) and the revenue thresholds of value class A, class B and core customers (the revenue of the last customer, by descending revenue, needed to reach the setting''s share; customers tied with it are in).';

SELECT @extschema@.define_source('value_population_snapshot',
    'The stored population summary (at most one row), written by custvalue.refresh_value_population(); while it exists, scoring a customer reads it instead of scanning the population.',
    ARRAY['singleton boolean', 'scale @extschema@.cvf_scale', 'customers bigint', 'total_revenue numeric',
          'a_min_revenue numeric', 'b_min_revenue numeric', 'core_min_revenue numeric',
          'as_of_month date', 'computed_at timestamptz']);

CREATE VIEW @extschema@.value_population WITH (security_invoker = true) AS
SELECT 'snapshot'::text AS source, s.scale, s.customers, s.total_revenue, s.a_min_revenue,
       s.b_min_revenue, s.core_min_revenue, s.as_of_month, s.computed_at
  FROM @extschema@.value_population_snapshot s
UNION ALL
SELECT 'live', l.scale, l.customers, l.total_revenue, l.a_min_revenue,
       l.b_min_revenue, l.core_min_revenue, l.as_of_month, l.computed_at
  FROM @extschema@.value_population_live l
 WHERE NOT EXISTS (SELECT FROM @extschema@.value_population_snapshot);
COMMENT ON VIEW @extschema@.value_population IS
'The population summary CVF scoring uses: the stored snapshot if there is one (source = snapshot), else computed live (source = live).';

CREATE FUNCTION @extschema@.refresh_value_population()
    RETURNS @extschema@.value_population_snapshot
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    live record;
    result @extschema@.value_population_snapshot;
BEGIN
    SELECT * INTO live FROM @extschema@.value_population_live;
    DELETE FROM @extschema@.value_population_snapshot;
    INSERT INTO @extschema@.value_population_snapshot
        (scale, customers, total_revenue, a_min_revenue, b_min_revenue, core_min_revenue,
         as_of_month, computed_at)
    VALUES (live.scale, live.customers, live.total_revenue, live.a_min_revenue,
            live.b_min_revenue, live.core_min_revenue, live.as_of_month, live.computed_at)
    RETURNING * INTO result;
    RETURN result;
END;
$$;
COMMENT ON FUNCTION @extschema@.refresh_value_population() IS
'Recomputes the population summary (CVF scale, value-class thresholds) and stores it in custvalue.value_population_snapshot, so that scoring one customer reads one row instead of the population.  Run it after loading data; DELETE FROM custvalue.value_population_snapshot goes back to live computation.';

-- ---------------------------------------------------------------- efficiency
CREATE VIEW @extschema@.contribution_efficiency WITH (security_invoker = true) AS
WITH i AS (
    SELECT v.tier, v.monthly_arpu, v.revenue FROM @extschema@.customer_value_inputs v
), tot AS (
    SELECT count(*) AS customers, sum(i.revenue) AS revenue FROM i
), bands AS (
    SELECT b.min_arpu, lead(b.min_arpu) OVER (ORDER BY b.min_arpu) AS max_arpu,
           min(b.min_arpu) OVER () AS lowest
      FROM @extschema@.value_arpu_band b
), band_rows AS (
    SELECT 'arpu_band'::text AS grouping,
           CASE WHEN b.max_arpu IS NULL AND b.min_arpu = b.lowest THEN 'all'
                WHEN b.max_arpu IS NULL THEN '≥ ' || trim_scale(b.min_arpu)
                WHEN b.min_arpu = b.lowest THEN '< ' || trim_scale(b.max_arpu)
                ELSE trim_scale(b.min_arpu) || '–' || trim_scale(b.max_arpu) END AS band,
           b.min_arpu AS sort_key,
           count(i.revenue) AS customers,
           coalesce(sum(i.revenue), 0) AS revenue
      FROM bands b
      LEFT JOIN i ON NOT @extschema@.tier_is_card(i.tier)
                 AND i.monthly_arpu >= b.min_arpu
                 AND (b.max_arpu IS NULL OR i.monthly_arpu < b.max_arpu)
     GROUP BY b.min_arpu, b.max_arpu, b.lowest
    UNION ALL
    SELECT 'tier', t::text, @extschema@.tier_rank(t), count(i.revenue), coalesce(sum(i.revenue), 0)
      FROM @extschema@.tiers() AS t
      LEFT JOIN i ON i.tier = t
     GROUP BY t
)
SELECT r.grouping, r.band, r.customers,
       round(r.customers::numeric / nullif(tot.customers, 0), 4) AS customer_share,
       r.revenue,
       round(r.revenue / nullif(tot.revenue, 0), 4) AS revenue_share,
       round((r.revenue / nullif(tot.revenue, 0))
             / nullif(r.customers::numeric / nullif(tot.customers, 0), 0), 2) AS efficiency
  FROM band_rows r, tot
 ORDER BY r.grouping, r.sort_key DESC;
COMMENT ON VIEW @extschema@.contribution_efficiency IS
'Revenue contribution efficiency (收入贡献效率, seed 000) = a band''s share of revenue / its share of customers, over all customers of custvalue.customer_value_inputs: for the ARPU bands of custvalue.value_arpu_band (non-card tiers only, as in the seed) and for every tier.  Shares to 4 decimals, efficiency to 2; NULL where a share is undefined.';

-- ---------------------------------------------------------------- scorecard
CREATE VIEW @extschema@.customer_scorecard WITH (security_invoker = true) AS
WITH pol AS (
    SELECT @extschema@.setting('clv_monthly_retention')::float8 AS retention,
           @extschema@.setting('clv_monthly_discount_rate')::float8 AS discount,
           @extschema@.setting('clv_horizon_months')::float8 AS horizon
)
SELECT i.customer_id, i.region, i.brand, i.tier,
       i.revenue, i.tenure_months, i.credit_risk, i.tariff_share, i.bundles,
       round(s.revenue_score::numeric, 2) AS revenue_score,
       round(s.tenure_score::numeric, 2) AS tenure_score,
       round(s.credit_score::numeric, 2) AS credit_score,
       round(s.tariff_score::numeric, 2) AS tariff_score,
       round(s.bundle_score::numeric, 2) AS bundle_score,
       round(s.cvf::numeric, 2) AS cvf,
       CASE WHEN i.revenue >= p.a_min_revenue THEN 'A'
            WHEN i.revenue >= p.b_min_revenue THEN 'B'
            ELSE 'C' END AS value_class,
       coalesce(i.revenue >= p.core_min_revenue, false) AS core_customer,
       i.net_value,
       i.monthly_margin,
       round(@extschema@.clv(i.monthly_margin, pol.retention, pol.discount, pol.horizon)::numeric, 2) AS clv
  FROM @extschema@.customer_value_inputs i
 CROSS JOIN (SELECT * FROM @extschema@.value_population LIMIT 1) p  -- one row: tell the planner
 CROSS JOIN pol
 CROSS JOIN LATERAL @extschema@.cvf_score(p.scale, i.revenue, i.tenure_months, i.credit_risk,
                                          i.tariff_share, i.bundles) AS s;
COMMENT ON VIEW @extschema@.customer_scorecard IS
'Per customer: tier, the raw CVF dimensions, the five CVF sub-scores and composite cvf (0–100, custvalue.cvf_score against custvalue.value_population), value class A/B/C (Pareto on revenue), core_customer (top core_customer_share by revenue), net value, monthly margin and CLV (custvalue.clv with the clv_* settings; NULL without cost data).';

CREATE VIEW @extschema@.tier_value_summary WITH (security_invoker = true) AS
WITH per_tier AS (
    SELECT t AS tier,
           count(sc.customer_id) AS customers,
           coalesce(sum(sc.revenue), 0) AS revenue,
           round(avg(sc.cvf), 2) AS mean_cvf,
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.cvf))::numeric, 2) AS median_cvf,
           count(*) FILTER (WHERE sc.value_class = 'A') AS class_a,
           count(*) FILTER (WHERE sc.core_customer) AS core_customers
      FROM @extschema@.tiers() AS t
      LEFT JOIN @extschema@.customer_scorecard sc ON sc.tier = t
     GROUP BY t
), tot AS (
    SELECT sum(customers) AS customers, sum(revenue) AS revenue FROM per_tier
)
SELECT p.tier, p.customers,
       round(p.customers / nullif(tot.customers, 0), 4) AS customer_share,
       p.revenue,
       round(p.revenue / nullif(tot.revenue, 0), 4) AS revenue_share,
       round((p.revenue / nullif(tot.revenue, 0)) / nullif(p.customers / nullif(tot.customers, 0), 0), 2)
           AS contribution_efficiency,
       p.mean_cvf, p.median_cvf, p.class_a, p.core_customers
  FROM per_tier p, tot
 ORDER BY p.tier DESC;
COMMENT ON VIEW @extschema@.tier_value_summary IS
'Per tier: customers, customer and revenue share, revenue contribution efficiency (revenue share / customer share), mean and median CVF, and how many customers are in value class A and core.';

-- ===== src/sql/300_satisfaction.sql =====
-- Satisfaction indices (domain.md §7): policy, result types and parallel C
-- aggregates for CSAT, NPS, CSI, SERVQUAL gaps and importance–performance
-- analysis.  Percent-like indices are on 0–100; a group without answers
-- gives NULL; every interval is two-sided at satisfaction_policy.confidence.

CREATE TABLE @extschema@.satisfaction_policy (
    singleton        boolean PRIMARY KEY DEFAULT true
                         CONSTRAINT satisfaction_policy_one_row CHECK (singleton),
    target_pct       numeric(5,2) NOT NULL DEFAULT 85
                         CONSTRAINT satisfaction_policy_target_pct
                         CHECK (target_pct > 0 AND target_pct <= 100),
    confidence       numeric(6,5) NOT NULL DEFAULT 0.95
                         CONSTRAINT satisfaction_policy_confidence
                         CHECK (confidence > 0 AND confidence < 1),
    csat_scale       integer NOT NULL DEFAULT 5
                         CONSTRAINT satisfaction_policy_csat_scale
                         CHECK (csat_scale BETWEEN 2 AND 100),
    csat_threshold   integer NOT NULL DEFAULT 4
                         CONSTRAINT satisfaction_policy_csat_threshold
                         CHECK (csat_threshold BETWEEN 2 AND csat_scale),
    csi_scale        integer NOT NULL DEFAULT 10
                         CONSTRAINT satisfaction_policy_csi_scale
                         CHECK (csi_scale BETWEEN 2 AND 100),
    servqual_scale   integer NOT NULL DEFAULT 7
                         CONSTRAINT satisfaction_policy_servqual_scale
                         CHECK (servqual_scale BETWEEN 2 AND 100),
    ipa_scale        integer NOT NULL DEFAULT 5
                         CONSTRAINT satisfaction_policy_ipa_scale
                         CHECK (ipa_scale BETWEEN 2 AND 100),
    band_low_max     numeric(5,2) NOT NULL DEFAULT 50,
    band_medium_max  numeric(5,2) NOT NULL DEFAULT 75,
    CONSTRAINT satisfaction_policy_bands
        CHECK (band_low_max >= 0 AND band_low_max < band_medium_max AND band_medium_max < 100)
);
COMMENT ON TABLE @extschema@.satisfaction_policy IS
'The satisfaction policy, one row: the satisfaction target, the confidence level of every interval, the default answer scales of the satisfaction aggregates and the service-item evaluation bands.  Edit with UPDATE; the next statement of every session sees the change.';
COMMENT ON COLUMN @extschema@.satisfaction_policy.singleton IS 'Always true: the table holds exactly one row.';
COMMENT ON COLUMN @extschema@.satisfaction_policy.target_pct IS 'Satisfaction target in percent (seed 001: at least 85 %); groups below it are flagged.';
COMMENT ON COLUMN @extschema@.satisfaction_policy.confidence IS 'Two-sided confidence level of every interval the aggregates return (design: 0.95).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.csat_scale IS 'Points of the CSAT scale used by csat(integer), answers 1..csat_scale (design: 5).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.csat_threshold IS 'Lowest CSAT answer that counts as satisfied in csat(integer) (design: 4, the usual top-two box).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.csi_scale IS 'Points of the attribute scale used by csi() without a scale argument (design: 10, as the ACSI).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.servqual_scale IS 'Points of the scale used by servqual() without a scale argument (design: 7, as Parasuraman et al. 1988).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.ipa_scale IS 'Points of the scale used by ipa() without a scale argument (design: 5).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.band_low_max IS 'Service-item evaluation: scores up to this are low/weak (seed 000: 0–50).';
COMMENT ON COLUMN @extschema@.satisfaction_policy.band_medium_max IS 'Service-item evaluation: scores above band_low_max up to this are medium (seed 000: 51–75); above it high/strong.';

INSERT INTO @extschema@.satisfaction_policy DEFAULT VALUES;

CREATE FUNCTION @extschema@.satisfaction_policy_keep() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'custvalue.satisfaction_policy must keep its one row'
        USING ERRCODE = 'check_violation',
              HINT = 'Change the policy with UPDATE.';
END;
$$;
COMMENT ON FUNCTION @extschema@.satisfaction_policy_keep() IS
'Trigger that keeps the one row of custvalue.satisfaction_policy from being deleted.';

CREATE TRIGGER satisfaction_policy_no_delete BEFORE DELETE ON @extschema@.satisfaction_policy
    FOR EACH ROW EXECUTE FUNCTION @extschema@.satisfaction_policy_keep();
CREATE TRIGGER satisfaction_policy_no_truncate BEFORE TRUNCATE ON @extschema@.satisfaction_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.satisfaction_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.satisfaction_policy', '');

-- ---------- result types ----------

CREATE TYPE @extschema@.csat_result AS (
    satisfied  bigint,
    n          bigint,
    csat       float8,
    ci_low     float8,
    ci_high    float8
);
COMMENT ON TYPE @extschema@.csat_result IS
'Result of custvalue.csat(): satisfied answers, answers, their share in percent and its Wilson score interval (percent).';

CREATE TYPE @extschema@.nps_result AS (
    promoters   bigint,
    passives    bigint,
    detractors  bigint,
    n           bigint,
    nps         float8,
    se          float8,
    ci_low      float8,
    ci_high     float8
);
COMMENT ON TYPE @extschema@.nps_result IS
'Result of custvalue.nps(): counts of promoters (9–10), passives (7–8) and detractors (0–6), answers, NPS = % promoters − % detractors (−100…100), its standard error and Wald interval in NPS points.';

CREATE TYPE @extschema@.csi_result AS (
    n        bigint,
    csi      float8,
    se       float8,
    ci_low   float8,
    ci_high  float8
);
COMMENT ON TYPE @extschema@.csi_result IS
'Result of custvalue.csi(): respondents, the 0–100 index, its standard error and Student-t interval (NULL below 2 respondents).';

CREATE TYPE @extschema@.servqual_result AS (
    n               bigint,
    reliability     float8,
    responsiveness  float8,
    assurance       float8,
    empathy         float8,
    tangibles       float8,
    overall         float8,
    overall_se      float8,
    ci_low          float8,
    ci_high         float8,
    dimension_ci_low  float8[],
    dimension_ci_high float8[]
);
COMMENT ON TYPE @extschema@.servqual_result IS
'Result of custvalue.servqual(): respondents, the mean gap perception − expectation per dimension and overall (mean of the five), and the overall gap''s standard error and Student-t interval, and the five dimensions'' intervals as arrays in dimension order (intervals NULL below 2 respondents).  Negative gaps mean service below expectation.';

CREATE TYPE @extschema@.ipa_result AS (
    n                     bigint,
    importance            float8[],
    performance           float8[],
    quadrant              text[],
    importance_crosshair  float8,
    performance_crosshair float8,
    importance_ci_low     float8[],
    importance_ci_high    float8[],
    performance_ci_low    float8[],
    performance_ci_high   float8[]
);
COMMENT ON TYPE @extschema@.ipa_result IS
'Result of custvalue.ipa(): respondents, per attribute the mean importance, mean performance and quadrant (keep_up_the_good_work, concentrate_here, low_priority, possible_overkill), the crosshairs (grand means of the attribute means) and per-attribute Student-t intervals of both means (NULL below 2 respondents).  See custvalue.ipa_attributes() for one row per attribute.';

-- ---------- CSAT ----------

CREATE FUNCTION @extschema@.csat_bool_transfn(internal, boolean) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_policy_transfn(internal, integer) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_transfn(internal, integer, integer, integer) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csat_final(internal) RETURNS @extschema@.csat_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.csat_bool_transfn(internal, boolean) IS 'Transition function of custvalue.csat(boolean).';
COMMENT ON FUNCTION @extschema@.csat_policy_transfn(internal, integer) IS 'Transition function of custvalue.csat(integer).';
COMMENT ON FUNCTION @extschema@.csat_transfn(internal, integer, integer, integer) IS 'Transition function of custvalue.csat(integer, integer, integer).';
COMMENT ON FUNCTION @extschema@.csat_combine(internal, internal) IS 'Combine function of custvalue.csat().';
COMMENT ON FUNCTION @extschema@.csat_serialize(internal) IS 'Serialise function of custvalue.csat().';
COMMENT ON FUNCTION @extschema@.csat_deserialize(bytea, internal) IS 'Deserialise function of custvalue.csat(); rejects malformed states (22P03).';
COMMENT ON FUNCTION @extschema@.csat_final(internal) IS 'Final function of custvalue.csat(): share and Wilson interval.';

CREATE AGGREGATE @extschema@.csat(satisfied boolean) (
    SFUNC = @extschema@.csat_bool_transfn, STYPE = internal, SSPACE = 24,
    FINALFUNC = @extschema@.csat_final,
    COMBINEFUNC = @extschema@.csat_combine,
    SERIALFUNC = @extschema@.csat_serialize, DESERIALFUNC = @extschema@.csat_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csat(boolean) IS
'Share of satisfied answers to a yes/no question (the post-service SMS survey) in percent, with its Wilson score interval at satisfaction_policy.confidence.  NULL answers are ignored; no answers gives NULL.';

CREATE AGGREGATE @extschema@.csat(answer integer) (
    SFUNC = @extschema@.csat_policy_transfn, STYPE = internal, SSPACE = 24,
    FINALFUNC = @extschema@.csat_final,
    COMBINEFUNC = @extschema@.csat_combine,
    SERIALFUNC = @extschema@.csat_serialize, DESERIALFUNC = @extschema@.csat_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csat(integer) IS
'CSAT on the scale of satisfaction_policy (default 1–5, satisfied = 4 or 5): share of satisfied answers in percent with its Wilson interval.  Answers outside the scale are an error (22023); NULLs are ignored; no answers gives NULL.';

CREATE AGGREGATE @extschema@.csat(answer integer, scale integer, threshold integer) (
    SFUNC = @extschema@.csat_transfn, STYPE = internal, SSPACE = 24,
    FINALFUNC = @extschema@.csat_final,
    COMBINEFUNC = @extschema@.csat_combine,
    SERIALFUNC = @extschema@.csat_serialize, DESERIALFUNC = @extschema@.csat_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csat(integer, integer, integer) IS
'CSAT on a 1..scale answer scale: share of answers >= threshold in percent, with its Wilson interval.  scale 2–100, threshold 2..scale, the same in every row of a group; answers outside 1..scale are an error (22023).';

CREATE FUNCTION @extschema@.wilson_interval(successes bigint, n bigint, confidence float8 DEFAULT 0.95,
                                            OUT ci_low float8, OUT ci_high float8)
    AS 'MODULE_PATHNAME', 'wilson_interval_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wilson_interval(bigint, bigint, float8) IS
'Wilson score interval (percent) of the proportion successes/n at the given two-sided confidence; NULL for n = 0.';

CREATE FUNCTION @extschema@.normal_quantile(p float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'normal_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normal_quantile(float8) IS
'Quantile of the standard normal distribution (inverse CDF), accurate to double precision; 0 < p < 1.';

CREATE FUNCTION @extschema@.t_quantile(p float8, df float8) RETURNS float8
    AS 'MODULE_PATHNAME', 't_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.t_quantile(float8, float8) IS
'Quantile of Student''s t distribution with df degrees of freedom for 0.5 < p < 1 (upper half), accurate to about 1e-13; the critical value of the intervals of means (csi, servqual, ipa).';

-- ---------- NPS ----------

CREATE FUNCTION @extschema@.nps_transfn(internal, integer) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_final(internal) RETURNS @extschema@.nps_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_transfn(internal, integer) IS 'Transition function of custvalue.nps().';
COMMENT ON FUNCTION @extschema@.nps_combine(internal, internal) IS 'Combine function of custvalue.nps().';
COMMENT ON FUNCTION @extschema@.nps_serialize(internal) IS 'Serialise function of custvalue.nps().';
COMMENT ON FUNCTION @extschema@.nps_deserialize(bytea, internal) IS 'Deserialise function of custvalue.nps(); rejects malformed states (22P03).';
COMMENT ON FUNCTION @extschema@.nps_final(internal) IS 'Final function of custvalue.nps().';

CREATE AGGREGATE @extschema@.nps(answer integer) (
    SFUNC = @extschema@.nps_transfn, STYPE = internal, SSPACE = 24,
    FINALFUNC = @extschema@.nps_final,
    COMBINEFUNC = @extschema@.nps_combine,
    SERIALFUNC = @extschema@.nps_serialize, DESERIALFUNC = @extschema@.nps_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.nps(integer) IS
'Net Promoter Score of 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6; NPS = % promoters − % detractors with SE = 100·sqrt((p_pro(1−p_pro) + p_det(1−p_det) + 2·p_pro·p_det)/n) and interval NPS ± z·SE clamped to ±100.  Answers outside 0–10 are an error (22023); NULLs are ignored; no answers gives NULL.';

-- ---------- CSI ----------

CREATE FUNCTION @extschema@.csi_transfn(internal, float8[]) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csi_weighted_transfn(internal, float8[], float8[]) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csi_scale_transfn(internal, float8[], integer) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csi_weighted_scale_transfn(internal, float8[], float8[], integer) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csi_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.csi_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csi_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.csi_final(internal) RETURNS @extschema@.csi_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.csi_transfn(internal, float8[]) IS 'Transition function of custvalue.csi(float8[]).';
COMMENT ON FUNCTION @extschema@.csi_weighted_transfn(internal, float8[], float8[]) IS 'Transition function of custvalue.csi(float8[], float8[]).';
COMMENT ON FUNCTION @extschema@.csi_scale_transfn(internal, float8[], integer) IS 'Transition function of custvalue.csi(float8[], integer).';
COMMENT ON FUNCTION @extschema@.csi_weighted_scale_transfn(internal, float8[], float8[], integer) IS 'Transition function of custvalue.csi(float8[], float8[], integer).';
COMMENT ON FUNCTION @extschema@.csi_combine(internal, internal) IS 'Combine function of custvalue.csi().';
COMMENT ON FUNCTION @extschema@.csi_serialize(internal) IS 'Serialise function of custvalue.csi().';
COMMENT ON FUNCTION @extschema@.csi_deserialize(bytea, internal) IS 'Deserialise function of custvalue.csi(); rejects malformed states (22P03).';
COMMENT ON FUNCTION @extschema@.csi_final(internal) IS 'Final function of custvalue.csi().';

CREATE AGGREGATE @extschema@.csi(ratings float8[]) (
    SFUNC = @extschema@.csi_transfn, STYPE = internal, SSPACE = 32,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    SERIALFUNC = @extschema@.csi_serialize, DESERIALFUNC = @extschema@.csi_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[]) IS
'Customer satisfaction index 0–100 (ACSI-style) from attribute ratings on the satisfaction_policy.csi_scale scale (default 1–10), equally weighted: mean over respondents of mean((x − 1)/(k − 1) × 100).  NULL rows are ignored; no rows gives NULL.';
CREATE AGGREGATE @extschema@.csi(ratings float8[], weights float8[]) (
    SFUNC = @extschema@.csi_weighted_transfn, STYPE = internal, SSPACE = 32,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    SERIALFUNC = @extschema@.csi_serialize, DESERIALFUNC = @extschema@.csi_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[], float8[]) IS
'Customer satisfaction index 0–100 from attribute ratings on the policy''s csi_scale, weighted by weights (non-negative, positive sum, normalised per row, same length as ratings or 2202E).';
CREATE AGGREGATE @extschema@.csi(ratings float8[], scale integer) (
    SFUNC = @extschema@.csi_scale_transfn, STYPE = internal, SSPACE = 32,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    SERIALFUNC = @extschema@.csi_serialize, DESERIALFUNC = @extschema@.csi_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[], integer) IS
'Customer satisfaction index 0–100 from equally weighted attribute ratings on a 1..scale scale.';
CREATE AGGREGATE @extschema@.csi(ratings float8[], weights float8[], scale integer) (
    SFUNC = @extschema@.csi_weighted_scale_transfn, STYPE = internal, SSPACE = 32,
    FINALFUNC = @extschema@.csi_final, COMBINEFUNC = @extschema@.csi_combine,
    SERIALFUNC = @extschema@.csi_serialize, DESERIALFUNC = @extschema@.csi_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.csi(float8[], float8[], integer) IS
'Customer satisfaction index 0–100 from attribute ratings on a 1..scale scale, weighted by weights.';

-- ---------- SERVQUAL ----------

CREATE FUNCTION @extschema@.servqual_transfn(internal, float8[], float8[]) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.servqual_scale_transfn(internal, float8[], float8[], integer) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.servqual_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.servqual_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.servqual_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.servqual_final(internal) RETURNS @extschema@.servqual_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.servqual_transfn(internal, float8[], float8[]) IS 'Transition function of custvalue.servqual(float8[], float8[]).';
COMMENT ON FUNCTION @extschema@.servqual_scale_transfn(internal, float8[], float8[], integer) IS 'Transition function of custvalue.servqual(float8[], float8[], integer).';
COMMENT ON FUNCTION @extschema@.servqual_combine(internal, internal) IS 'Combine function of custvalue.servqual().';
COMMENT ON FUNCTION @extschema@.servqual_serialize(internal) IS 'Serialise function of custvalue.servqual().';
COMMENT ON FUNCTION @extschema@.servqual_deserialize(bytea, internal) IS 'Deserialise function of custvalue.servqual(); rejects malformed states (22P03).';
COMMENT ON FUNCTION @extschema@.servqual_final(internal) IS 'Final function of custvalue.servqual().';

CREATE AGGREGATE @extschema@.servqual(perception float8[], expectation float8[]) (
    SFUNC = @extschema@.servqual_transfn, STYPE = internal, SSPACE = 112,
    FINALFUNC = @extschema@.servqual_final, COMBINEFUNC = @extschema@.servqual_combine,
    SERIALFUNC = @extschema@.servqual_serialize, DESERIALFUNC = @extschema@.servqual_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.servqual(float8[], float8[]) IS
'SERVQUAL gaps: each row holds one respondent''s five dimension scores (reliability, responsiveness, assurance, empathy, tangibles) for perception and for expectation on the policy''s servqual_scale (default 1–7); returns mean perception − expectation per dimension and overall.  Wrong length or NULL elements 2202E, out-of-scale ratings 22023.';
CREATE AGGREGATE @extschema@.servqual(perception float8[], expectation float8[], scale integer) (
    SFUNC = @extschema@.servqual_scale_transfn, STYPE = internal, SSPACE = 112,
    FINALFUNC = @extschema@.servqual_final, COMBINEFUNC = @extschema@.servqual_combine,
    SERIALFUNC = @extschema@.servqual_serialize, DESERIALFUNC = @extschema@.servqual_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.servqual(float8[], float8[], integer) IS
'SERVQUAL gaps as servqual(perception, expectation), on a 1..scale scale.';

-- ---------- importance–performance analysis ----------

CREATE FUNCTION @extschema@.ipa_transfn(internal, float8[], float8[]) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ipa_scale_transfn(internal, float8[], float8[], integer) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ipa_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ipa_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ipa_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ipa_final(internal) RETURNS @extschema@.ipa_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ipa_transfn(internal, float8[], float8[]) IS 'Transition function of custvalue.ipa(float8[], float8[]).';
COMMENT ON FUNCTION @extschema@.ipa_scale_transfn(internal, float8[], float8[], integer) IS 'Transition function of custvalue.ipa(float8[], float8[], integer).';
COMMENT ON FUNCTION @extschema@.ipa_combine(internal, internal) IS 'Combine function of custvalue.ipa().';
COMMENT ON FUNCTION @extschema@.ipa_serialize(internal) IS 'Serialise function of custvalue.ipa().';
COMMENT ON FUNCTION @extschema@.ipa_deserialize(bytea, internal) IS 'Deserialise function of custvalue.ipa(); checks the attribute count against the length and rejects malformed states (22P03).';
COMMENT ON FUNCTION @extschema@.ipa_final(internal) IS 'Final function of custvalue.ipa().';

CREATE AGGREGATE @extschema@.ipa(importance float8[], performance float8[]) (
    SFUNC = @extschema@.ipa_transfn, STYPE = internal,
    FINALFUNC = @extschema@.ipa_final, COMBINEFUNC = @extschema@.ipa_combine,
    SERIALFUNC = @extschema@.ipa_serialize, DESERIALFUNC = @extschema@.ipa_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.ipa(float8[], float8[]) IS
'Importance–performance analysis (Martilla & James 1977): each row rates the same k attributes (at most 1000) for importance and performance on the policy''s ipa_scale (default 1–5); returns mean importance and performance per attribute and its quadrant against the grand-mean crosshairs (at or above a crosshair counts as high).';
CREATE AGGREGATE @extschema@.ipa(importance float8[], performance float8[], scale integer) (
    SFUNC = @extschema@.ipa_scale_transfn, STYPE = internal,
    FINALFUNC = @extschema@.ipa_final, COMBINEFUNC = @extschema@.ipa_combine,
    SERIALFUNC = @extschema@.ipa_serialize, DESERIALFUNC = @extschema@.ipa_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.ipa(float8[], float8[], integer) IS
'Importance–performance analysis as ipa(importance, performance), on a 1..scale scale.';

CREATE FUNCTION @extschema@.ipa_attributes(result @extschema@.ipa_result, names text[] DEFAULT NULL)
    RETURNS TABLE (attribute integer, name text, importance float8, performance float8,
                   quadrant text, importance_ci_low float8, importance_ci_high float8,
                   performance_ci_low float8, performance_ci_high float8)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT i, names[i], (result).importance[i], (result).performance[i], (result).quadrant[i],
           (result).importance_ci_low[i], (result).importance_ci_high[i],
           (result).performance_ci_low[i], (result).performance_ci_high[i]
      FROM pg_catalog.generate_subscripts((result).importance, 1) AS i
     ORDER BY i;
END;
COMMENT ON FUNCTION @extschema@.ipa_attributes(@extschema@.ipa_result, text[]) IS
'One row per attribute of an ipa() result, numbered from 1, named from names[] when given.';

-- ===== src/sql/310_service_item_evaluation.sql =====
-- Service-item evaluation (服务项目评估, domain.md §4): which services to
-- offer.  Three customer-side indicators are survey shares (count / valid
-- sample × 100), two operator-side indicators are expert scores 0–100; each
-- falls in a band under custvalue.satisfaction_policy (0–50 low, 51–75
-- medium, 76+ high) and an item is offered only if none is low.

CREATE TYPE @extschema@.service_item_assessment AS (
    awareness            float8,
    attractiveness       float8,
    convenience          float8,
    coverage             float8,
    operability          float8,
    awareness_band       text,
    attractiveness_band  text,
    convenience_band     text,
    coverage_band        text,
    operability_band     text,
    offered              boolean
);
COMMENT ON TYPE @extschema@.service_item_assessment IS
'Result of custvalue.service_item_evaluate(): the five indicators (0–100), their bands (low, medium, high) and the offer decision (false if any band is low).';

CREATE FUNCTION @extschema@.service_item_band(score float8) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_item_band(float8) IS
'Band of a 0–100 evaluation score under custvalue.satisfaction_policy: low up to band_low_max (50), medium up to band_medium_max (75), high above.  Scores outside 0–100 are an error (22023).';

CREATE FUNCTION @extschema@.service_item_evaluate(aware integer, well_perceived integer,
                                                  finds_convenient integer, valid_sample integer,
                                                  coverage float8, operability float8)
    RETURNS @extschema@.service_item_assessment
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_item_evaluate(integer, integer, integer, integer, float8, float8) IS
'Evaluates a service item (domain.md §4): awareness = aware/valid_sample × 100, attractiveness = well_perceived/valid_sample × 100, convenience = finds_convenient/valid_sample × 100, coverage and operability = expert scores 0–100; bands under custvalue.satisfaction_policy; offered unless any indicator is low.  Counts outside 0..valid_sample, valid_sample <= 0 or scores outside 0–100 are an error (22023).';

CREATE TABLE @extschema@.service_item_evaluation (
    evaluation_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item              text NOT NULL,
    service_item      text REFERENCES @extschema@.service_item (code),
    evaluated_on      date NOT NULL,
    valid_sample      integer NOT NULL CHECK (valid_sample > 0),
    aware             integer NOT NULL CHECK (aware BETWEEN 0 AND valid_sample),
    well_perceived    integer NOT NULL CHECK (well_perceived BETWEEN 0 AND valid_sample),
    finds_convenient  integer NOT NULL CHECK (finds_convenient BETWEEN 0 AND valid_sample),
    coverage          numeric(5,2) NOT NULL CHECK (coverage BETWEEN 0 AND 100),
    operability       numeric(5,2) NOT NULL CHECK (operability BETWEEN 0 AND 100),
    UNIQUE (item, evaluated_on)
);
COMMENT ON TABLE @extschema@.service_item_evaluation IS
'One evaluation of a service item: survey counts from the mid/high-end customer questionnaire and expert scores (domain.md §4).  item names the evaluated service (the seed evaluates VIP services outside the catalog too); service_item links it to the catalog when it is there.';
COMMENT ON COLUMN @extschema@.service_item_evaluation.valid_sample IS 'Valid questionnaires (有效样本数).';
COMMENT ON COLUMN @extschema@.service_item_evaluation.aware IS 'Respondents who know the service (知晓).';
COMMENT ON COLUMN @extschema@.service_item_evaluation.well_perceived IS 'Respondents who perceive the service well (感知良好): attractiveness.';
COMMENT ON COLUMN @extschema@.service_item_evaluation.finds_convenient IS 'Respondents who find the service convenient (带来便捷).';
COMMENT ON COLUMN @extschema@.service_item_evaluation.coverage IS 'Expert score 0–100 for coverage (覆盖度): users over half a year, VIP base, operability.';
COMMENT ON COLUMN @extschema@.service_item_evaluation.operability IS 'Expert score 0–100 for operability (操作性).';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service_item_evaluation', '');

CREATE VIEW @extschema@.service_item_decisions WITH (security_invoker = true) AS
SELECT e.item,
       e.service_item,
       e.evaluated_on,
       e.valid_sample,
       a.awareness, a.attractiveness, a.convenience, a.coverage, a.operability,
       a.awareness_band, a.attractiveness_band, a.convenience_band,
       a.coverage_band, a.operability_band,
       a.offered,
       pg_catalog.array_remove(ARRAY[
           CASE WHEN a.awareness_band = 'low' THEN 'awareness' END,
           CASE WHEN a.attractiveness_band = 'low' THEN 'attractiveness' END,
           CASE WHEN a.convenience_band = 'low' THEN 'convenience' END,
           CASE WHEN a.coverage_band = 'low' THEN 'coverage' END,
           CASE WHEN a.operability_band = 'low' THEN 'operability' END], NULL) AS low_indicators
  FROM (SELECT DISTINCT ON (ev.item) ev.*
          FROM @extschema@.service_item_evaluation ev
         ORDER BY ev.item, ev.evaluated_on DESC) e
  CROSS JOIN LATERAL @extschema@.service_item_evaluate(
        e.aware, e.well_perceived, e.finds_convenient, e.valid_sample,
        e.coverage::float8, e.operability::float8) a;
COMMENT ON VIEW @extschema@.service_item_decisions IS
'The latest evaluation of each service item: five indicators, their bands, the offer decision (offered unless an indicator is low) and which indicators are low.';

-- ===== src/sql/320_satisfaction_views.sql =====
-- Satisfaction per tier, segment, channel and manager and month
-- (domain.md §7), against satisfaction_policy.target_pct (85 %).
--
-- Two surveys ask the yes/no question "were you satisfied?" and must not be
-- mixed, because they measure different things (the seed reports 98.48 %
-- for the one and 86–96 % for the other):
--   post_service  after a service event the customer gets one SMS; the
--                 answer is a survey_response with event_id set.  Channel
--                 and manager are those of the event surveyed.
--   sample        the monthly sample survey of the customer base (no
--                 event); the seed's monthly series per segment comes from
--                 it.  Its channel is the one the answer came by.
--
-- An answer is placed in the month of answered_at (session time zone) and
-- in the customer's tier of customer_profile, i.e. the tier at
-- as_of_month(), not the tier they had that month: history is read with
-- today's tiers.

-- The segments of the seed's monthly series.
CREATE FUNCTION @extschema@.tier_segment(t @extschema@.tier) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN @extschema@.tier_is_card(t) THEN 'vip'
                WHEN @extschema@.tier_rank(t) >= 1 THEN 'mid_high_end'
                ELSE 'ordinary' END;
END;
COMMENT ON FUNCTION @extschema@.tier_segment(@extschema@.tier) IS
'Segment of a tier as the seed reports satisfaction: vip (diamond, gold, silver card holders), mid_high_end (non-card A and B), ordinary (C).';

-- One row per yes/no satisfaction answer with everything the views group by.
-- (The channel and manager views read survey_response and service_event
-- directly: they need no tier, and customer_profile is the costly part.)
CREATE VIEW @extschema@.satisfaction_answers WITH (security_invoker = true) AS
SELECT r.response_id,
       r.customer_id,
       CASE WHEN r.event_id IS NULL THEN 'sample' ELSE 'post_service' END AS survey,
       r.event_id,
       r.answered_at,
       pg_catalog.date_trunc('month', r.answered_at)::date AS month,
       p.tier,
       @extschema@.tier_segment(p.tier) AS segment,
       e.service_item,
       coalesce(e.channel, r.channel) AS channel,
       e.manager,
       r.satisfied
  FROM @extschema@.survey_response r
  LEFT JOIN @extschema@.service_event e ON e.event_id = r.event_id
  LEFT JOIN @extschema@.customer_profile p ON p.customer_id = r.customer_id
 WHERE r.satisfied IS NOT NULL;
COMMENT ON VIEW @extschema@.satisfaction_answers IS
'Every yes/no satisfaction answer (survey_response rows with satisfied set): survey (post_service when it follows a service event, else sample), month answered, the customer''s current tier and segment, and for post-service answers the service item, channel and manager of the event surveyed (for sample answers the channel the answer came by).';

CREATE VIEW @extschema@.satisfaction_by_tier_month WITH (security_invoker = true) AS
SELECT g.survey,
       g.tier,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT a.survey, a.tier, a.month, @extschema@.csat(a.satisfied) AS s
          FROM @extschema@.satisfaction_answers a
         GROUP BY a.survey, a.tier, a.month) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_tier_month IS
'Satisfaction per survey (post_service, sample), tier and month: answers, satisfied, share satisfied in percent with its Wilson interval, and flags below_target (share < satisfaction_policy.target_pct) and significantly_below (whole interval below the target).';

CREATE VIEW @extschema@.satisfaction_by_segment_month WITH (security_invoker = true) AS
SELECT g.survey,
       g.segment,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT a.survey, a.segment, a.month, @extschema@.csat(a.satisfied) AS s
          FROM @extschema@.satisfaction_answers a
         GROUP BY a.survey, a.segment, a.month) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_segment_month IS
'Satisfaction per survey, segment (vip, mid_high_end, ordinary; see tier_segment()) and month, as the seed reports it, with interval and target flags.';

CREATE VIEW @extschema@.satisfaction_by_channel_month WITH (security_invoker = true) AS
SELECT g.channel,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT e.channel, pg_catalog.date_trunc('month', r.answered_at)::date AS month,
               @extschema@.csat(r.satisfied) AS s
          FROM @extschema@.survey_response r
          JOIN @extschema@.service_event e ON e.event_id = r.event_id
         WHERE r.satisfied IS NOT NULL
         GROUP BY 1, 2) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_channel_month IS
'Post-service satisfaction per service channel (of the event surveyed) and month, with interval and target flags.';

CREATE VIEW @extschema@.satisfaction_by_manager_month WITH (security_invoker = true) AS
SELECT g.channel,
       g.manager,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT e.channel, e.manager, pg_catalog.date_trunc('month', r.answered_at)::date AS month,
               @extschema@.csat(r.satisfied) AS s
          FROM @extschema@.survey_response r
          JOIN @extschema@.service_event e ON e.event_id = r.event_id
         WHERE r.satisfied IS NOT NULL AND e.manager IS NOT NULL
         GROUP BY 1, 2, 3) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_manager_month IS
'Post-service satisfaction per manager (of the service event surveyed), channel and month, with interval and target flags; the phone managers (电话经理) are the rows of channel phone_manager.';

-- The periodic surveys: CSAT (1–5) and NPS (0–10) per tier.
CREATE VIEW @extschema@.satisfaction_indices_by_tier WITH (security_invoker = true) AS
SELECT p.tier,
       @extschema@.csat(r.csat) AS csat,
       @extschema@.nps(r.nps) AS nps
  FROM @extschema@.survey_response r
  JOIN @extschema@.customer_profile p ON p.customer_id = r.customer_id
 WHERE r.csat IS NOT NULL OR r.nps IS NOT NULL
 GROUP BY p.tier;
COMMENT ON VIEW @extschema@.satisfaction_indices_by_tier IS
'CSAT (csat_result, on the policy''s scale) and NPS (nps_result) of all survey answers per current tier; a tier without answers to one question has NULL there.';

-- ===== src/sql/400_churn_model.sql =====
-- Churn probability model (domain.md §8): logistic regression fitted in the
-- database by a parallel aggregate, stored as a value of type churn_model,
-- plus evaluation aggregates (AUC, log-loss, lift) and the sBG cohort
-- retention model of Fader & Hardie (2007).

CREATE TYPE @extschema@.churn_model;

CREATE FUNCTION @extschema@.churn_model_in(cstring) RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_model_out(@extschema@.churn_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_model_recv(internal) RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_model_send(@extschema@.churn_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.churn_model (
    INPUT = @extschema@.churn_model_in,
    OUTPUT = @extschema@.churn_model_out,
    RECEIVE = @extschema@.churn_model_recv,
    SEND = @extschema@.churn_model_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.churn_model IS
'A fitted logistic churn model: training rows n, L2 penalty, Newton iterations, log-likelihood and coefficients (intercept first, then one slope per feature on the raw feature scale).  Text form: n=<int> l2=<float> iterations=<int> loglik=<float> coef={b0,b1,...}, exact on dump and restore.';
COMMENT ON FUNCTION @extschema@.churn_model_in(cstring) IS 'Text input of churn_model; rejects malformed or non-finite values (22P02, 22023).';
COMMENT ON FUNCTION @extschema@.churn_model_out(@extschema@.churn_model) IS 'Text output of churn_model, shortest round-trip numbers.';
COMMENT ON FUNCTION @extschema@.churn_model_recv(internal) IS 'Binary input of churn_model; validates length and values.';
COMMENT ON FUNCTION @extschema@.churn_model_send(@extschema@.churn_model) IS 'Binary output of churn_model.';

CREATE FUNCTION @extschema@.churn_probability(model @extschema@.churn_model, features float8[])
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_probability(@extschema@.churn_model, float8[]) IS
'Churn probability 1 / (1 + exp(-(b0 + b·features))) under a fitted model.  features must have exactly the model''s number of features, no NULLs, all finite (2202E / 22004 / 22023).';

CREATE FUNCTION @extschema@.churn_model_info(model @extschema@.churn_model,
        OUT features integer, OUT n bigint, OUT l2 float8, OUT iterations integer,
        OUT loglik float8, OUT coefficients float8[])
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_model_info(@extschema@.churn_model) IS
'The parts of a churn_model: number of features, training rows, L2 penalty, Newton iterations, unpenalized log-likelihood, coefficients (intercept first).';

-- The fitting aggregate.  State: the rows themselves (see src/churn_fit.c
-- for why), so it is combinable by concatenation.
CREATE FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[])
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[], float8)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_final(internal)
    RETURNS @extschema@.churn_model AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[]) IS 'Transition function of churn_fit: appends one row.';
COMMENT ON FUNCTION @extschema@.churn_fit_trans(internal, boolean, float8[], float8) IS 'Transition function of churn_fit with L2 penalty: appends one row.';
COMMENT ON FUNCTION @extschema@.churn_fit_combine(internal, internal) IS 'Combine function of churn_fit: concatenates two partial row sets.';
COMMENT ON FUNCTION @extschema@.churn_fit_serial(internal) IS 'Serializes a churn_fit state for parallel aggregation.';
COMMENT ON FUNCTION @extschema@.churn_fit_deserial(bytea, internal) IS 'Deserializes a churn_fit state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_fit_final(internal) IS 'Final function of churn_fit: Newton/IRLS iterations over the collected rows.';

CREATE AGGREGATE @extschema@.churn_fit(label boolean, features float8[]) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit(boolean, float8[]) IS
'Maximum-likelihood logistic regression of label (true = churned) on features, with an intercept, by Newton''s method; returns a churn_model.  Rows with a NULL label or feature array are skipped; no rows gives NULL.  Errors (22023): a single class, separated classes (no MLE: use the l2 variant), constant or collinear features.';

CREATE AGGREGATE @extschema@.churn_fit(label boolean, features float8[], l2 float8) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit(boolean, float8[], float8) IS
'Logistic regression with an L2 (ridge) penalty: maximizes loglik - l2/2 * sum(slope^2), slopes on the raw feature scale, intercept unpenalized.  l2 must be the same on every row.  l2 > 0 gives a finite answer under separation and collinearity.';

-- The collected rows as a value, and the fit of such a value: partial data
-- can be stored or shipped and fitted later.
CREATE AGGREGATE @extschema@.churn_fit_state(label boolean, features float8[]) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_serial,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_state(boolean, float8[]) IS
'The state churn_fit collects (its rows, packed), as bytea; custvalue.churn_fit_from_state() fits it.';
CREATE AGGREGATE @extschema@.churn_fit_state(label boolean, features float8[], l2 float8) (
    SFUNC = @extschema@.churn_fit_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_serial,
    COMBINEFUNC = @extschema@.churn_fit_combine,
    SERIALFUNC = @extschema@.churn_fit_serial,
    DESERIALFUNC = @extschema@.churn_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_state(boolean, float8[], float8) IS
'The state churn_fit(label, features, l2) collects, as bytea.';
CREATE FUNCTION @extschema@.churn_fit_from_state(state bytea) RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_from_state(bytea) IS
'Fit a churn model to a state made by custvalue.churn_fit_state: same answer as churn_fit over the same rows.  A malformed state is ERROR 22P03.';

-- Evaluation aggregates: all keep (score, label) pairs and sort in the
-- final function, so ties are exact and serial = parallel.
CREATE FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean, float8)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_prob_trans(internal, float8, boolean)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_eval_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_auc_final(internal)
    RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_log_loss_final(internal)
    RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_lift_final(internal)
    RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean) IS 'Transition function of churn_auc and churn_lift: collects (score, label).';
COMMENT ON FUNCTION @extschema@.churn_eval_trans(internal, float8, boolean, float8) IS 'Transition function of churn_lift with a top fraction.';
COMMENT ON FUNCTION @extschema@.churn_eval_prob_trans(internal, float8, boolean) IS 'Transition function of churn_log_loss: collects (probability, label), probability in [0, 1].';
COMMENT ON FUNCTION @extschema@.churn_eval_combine(internal, internal) IS 'Combine function of the churn evaluation aggregates.';
COMMENT ON FUNCTION @extschema@.churn_eval_serial(internal) IS 'Serializes a churn evaluation state.';
COMMENT ON FUNCTION @extschema@.churn_eval_deserial(bytea, internal) IS 'Deserializes a churn evaluation state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_auc_final(internal) IS 'Final function of churn_auc.';
COMMENT ON FUNCTION @extschema@.churn_log_loss_final(internal) IS 'Final function of churn_log_loss.';
COMMENT ON FUNCTION @extschema@.churn_lift_final(internal) IS 'Final function of churn_lift.';

CREATE AGGREGATE @extschema@.churn_auc(score float8, label boolean) (
    SFUNC = @extschema@.churn_eval_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_auc_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_auc(float8, boolean) IS
'Area under the ROC curve of score for label (true = churned): the probability that a churner outscores a non-churner, ties counting 1/2.  NULL when a class is absent; NULL rows skipped.';

CREATE AGGREGATE @extschema@.churn_log_loss(probability float8, label boolean) (
    SFUNC = @extschema@.churn_eval_prob_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_log_loss_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_log_loss(float8, boolean) IS
'Mean log-loss -avg(y log p + (1-y) log(1-p)), p clipped to [1e-15, 1-1e-15].  p outside [0, 1] is an error (22023).';

CREATE AGGREGATE @extschema@.churn_lift(score float8, label boolean) (
    SFUNC = @extschema@.churn_eval_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_lift_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_lift(float8, boolean) IS
'Lift at the top decile: churn rate among the 10 % highest scores over the overall churn rate (ties at the cut counted in proportion).  NULL without churners.';

CREATE AGGREGATE @extschema@.churn_lift(score float8, label boolean, top_fraction float8) (
    SFUNC = @extschema@.churn_eval_trans, STYPE = internal,
    FINALFUNC = @extschema@.churn_lift_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.churn_eval_combine,
    SERIALFUNC = @extschema@.churn_eval_serial, DESERIALFUNC = @extschema@.churn_eval_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_lift(float8, boolean, float8) IS
'Lift in the top_fraction (0 < f <= 1) highest scores: their churn rate over the overall churn rate.';

-- Fitted models, by name, so a model survives dump/restore and the
-- watchlist can use one.
SELECT @extschema@.define_source('churn_model_store',
    'Fitted churn models by name with the names of their features, in order.  The model named ''watchlist'' scores custvalue.churn_watchlist; its features are custvalue.churn_feature_names().',
    ARRAY['name text', 'model @extschema@.churn_model', 'feature_names text[]', 'trained_at timestamptz',
          'note text']);

-- ---------------------------------------------------------------------------
-- sBG cohort retention (Fader & Hardie 2007).
CREATE TYPE @extschema@.sbg_estimate AS (
    alpha     float8,
    beta      float8,
    loglik    float8,
    customers float8,
    periods   integer
);
COMMENT ON TYPE @extschema@.sbg_estimate IS
'Maximum-likelihood sBG fit: Beta(alpha, beta) heterogeneity of per-period churn probability, log-likelihood, customers and periods observed.';

CREATE FUNCTION @extschema@.sbg_fit(survivors float8[]) RETURNS @extschema@.sbg_estimate
    AS 'MODULE_PATHNAME', 'sbg_fit_survivors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_fit(float8[]) IS
'sBG maximum-likelihood fit from one cohort''s survivor counts: survivors[1] customers at the start, survivors[t+1] still active after t periods (non-increasing).  E.g. sbg_fit(''{1000,631,468,382,326,289,262,241}'') gives alpha 0.704, beta 1.182 (Fader & Hardie 2007, "regular").';

CREATE FUNCTION @extschema@.sbg_fit_trans(internal, integer, boolean)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_final(internal)
    RETURNS @extschema@.sbg_estimate AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_fit_trans(internal, integer, boolean) IS 'Transition function of the sbg_fit aggregate: histograms of churn period and survived periods.';
COMMENT ON FUNCTION @extschema@.sbg_fit_combine(internal, internal) IS 'Combine function of sbg_fit: adds histograms.';
COMMENT ON FUNCTION @extschema@.sbg_fit_serial(internal) IS 'Serializes an sbg_fit state.';
COMMENT ON FUNCTION @extschema@.sbg_fit_deserial(bytea, internal) IS 'Deserializes an sbg_fit state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.sbg_fit_final(internal) IS 'Final function of sbg_fit: maximum likelihood by Nelder-Mead on log parameters.';

CREATE AGGREGATE @extschema@.sbg_fit(periods integer, churned boolean) (
    SFUNC = @extschema@.sbg_fit_trans, STYPE = internal,
    FINALFUNC = @extschema@.sbg_fit_final,
    COMBINEFUNC = @extschema@.sbg_fit_combine,
    SERIALFUNC = @extschema@.sbg_fit_serial, DESERIALFUNC = @extschema@.sbg_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sbg_fit(integer, boolean) IS
'sBG maximum-likelihood fit over customers: churned = true means the customer left during period `periods` (>= 1); false means still active after `periods` complete periods (right-censored, >= 0).  Customers may come from many cohorts.';

CREATE AGGREGATE @extschema@.sbg_fit_state(periods integer, churned boolean) (
    SFUNC = @extschema@.sbg_fit_trans, STYPE = internal,
    FINALFUNC = @extschema@.sbg_fit_serial,
    COMBINEFUNC = @extschema@.sbg_fit_combine,
    SERIALFUNC = @extschema@.sbg_fit_serial, DESERIALFUNC = @extschema@.sbg_fit_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sbg_fit_state(integer, boolean) IS
'The histograms sbg_fit collects, as bytea; custvalue.sbg_fit_from_state() fits them.';
CREATE FUNCTION @extschema@.sbg_fit_from_state(state bytea) RETURNS @extschema@.sbg_estimate
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_fit_from_state(bytea) IS
'sBG fit of a state made by custvalue.sbg_fit_state; a malformed state is ERROR 22P03.';

CREATE FUNCTION @extschema@.sbg_survival(alpha float8, beta float8, period integer) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_survival(float8, float8, integer) IS
'sBG survival S(t) = B(alpha, beta + t) / B(alpha, beta): share of a new cohort still active after t periods.';

CREATE FUNCTION @extschema@.sbg_retention(alpha float8, beta float8, period integer) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_retention(float8, float8, integer) IS
'sBG retention rate r(t) = (beta + t - 1) / (alpha + beta + t - 1): share of those active after t-1 periods who renew at period t (t >= 1); rises with t as the churn-prone leave.';

CREATE FUNCTION @extschema@.sbg_derl(alpha float8, beta float8, discount_rate float8, renewals integer)
    RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sbg_derl(float8, float8, float8, integer) IS
'Discounted expected residual lifetime (Fader & Hardie 2010) of a customer who has made `renewals` renewals: expected discounted number of future payments, the first at the coming renewal undiscounted; = r(n) 2F1(1, beta+n; alpha+beta+n; 1/(1+d)), n = renewals + 1.  Multiply by the margin per period for residual CLV.';

CREATE FUNCTION @extschema@.sbg_curve(alpha float8, beta float8, horizon integer)
    RETURNS TABLE (period integer, survival float8, retention float8, churn_share float8)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT t,
           @extschema@.sbg_survival(alpha, beta, t),
           CASE WHEN t > 0 THEN @extschema@.sbg_retention(alpha, beta, t) END,
           CASE WHEN t > 0 THEN @extschema@.sbg_survival(alpha, beta, t - 1)
                              - @extschema@.sbg_survival(alpha, beta, t) END
      FROM pg_catalog.generate_series(0, horizon) AS t;
END;
COMMENT ON FUNCTION @extschema@.sbg_curve(float8, float8, integer) IS
'The survival curve S(t), retention curve r(t) and share churning in period t, P(T = t), for t = 0..horizon.';

-- ===== src/sql/405_churn_fit_query.sql =====
-- churn_fit_query(): the churn_fit model of a query's rows, fitted with one
-- parallel scan per Newton step (C in src/churn_fit_query.c).  churn_fit
-- keeps every row in its state and iterates in its final function, in one
-- process; here each evaluation is a fixed-size, combinable aggregate that
-- parallel workers share, and memory does not grow with the rows.

CREATE FUNCTION @extschema@.churn_fit_moments_trans(internal, boolean, float8[])
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_moments_final(internal)
    RETURNS float8[] AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_moments_trans(internal, boolean, float8[]) IS 'Transition function of churn_fit_moments (Welford).';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_combine(internal, internal) IS 'Combine function of churn_fit_moments (pairwise means and squared deviations).';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_serial(internal) IS 'Serializes a churn_fit_moments state for parallel aggregation.';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_deserial(bytea, internal) IS 'Deserializes a churn_fit_moments state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_fit_moments_final(internal) IS 'Final function of churn_fit_moments.';

CREATE AGGREGATE @extschema@.churn_fit_moments(label boolean, features float8[]) (
    SFUNC = @extschema@.churn_fit_moments_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_moments_final,
    COMBINEFUNC = @extschema@.churn_fit_moments_combine,
    SERIALFUNC = @extschema@.churn_fit_moments_serial,
    DESERIALFUNC = @extschema@.churn_fit_moments_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_moments(boolean, float8[]) IS
'First scan of custvalue.churn_fit_query: {rows, rows labelled true, mean of each feature, standard deviation of each feature} over the rows with a non-NULL label and features; NULL for none.';

CREATE FUNCTION @extschema@.churn_fit_terms_trans(internal, boolean, float8[], float8[])
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_combine(internal, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_serial(internal)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_deserial(bytea, internal)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.churn_fit_terms_final(internal)
    RETURNS float8[] AS 'MODULE_PATHNAME' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_terms_trans(internal, boolean, float8[], float8[]) IS 'Transition function of churn_fit_terms: adds one row''s log-likelihood, gradient and Hessian.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_combine(internal, internal) IS 'Combine function of churn_fit_terms: adds the sums.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_serial(internal) IS 'Serializes a churn_fit_terms state for parallel aggregation.';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_deserial(bytea, internal) IS 'Deserializes a churn_fit_terms state; rejects malformed input (22P03).';
COMMENT ON FUNCTION @extschema@.churn_fit_terms_final(internal) IS 'Final function of churn_fit_terms.';

CREATE AGGREGATE @extschema@.churn_fit_terms(label boolean, features float8[], params float8[]) (
    SFUNC = @extschema@.churn_fit_terms_trans,
    STYPE = internal,
    FINALFUNC = @extschema@.churn_fit_terms_final,
    COMBINEFUNC = @extschema@.churn_fit_terms_combine,
    SERIALFUNC = @extschema@.churn_fit_terms_serial,
    DESERIALFUNC = @extschema@.churn_fit_terms_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_fit_terms(boolean, float8[], float8[]) IS
'One Newton evaluation of custvalue.churn_fit_query: with params = {coefficients, means, standard deviations} (standardized scale, intercept first, k + 1 each), returns {rows, log-likelihood, gradient, lower triangle of the information matrix}.  Fixed-size state: parallel workers each take a share.';

CREATE FUNCTION @extschema@.churn_fit_query(query text, l2 float8 DEFAULT 0)
    RETURNS @extschema@.churn_model
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.churn_fit_query(text, float8) IS
'The model churn_fit(label, features, l2) gives, over the rows of query (first column the label boolean, second the features float8[]), fitted by one scan of the query per Newton step: each scan is a parallel aggregate, and memory does not grow with the rows.  Same errors and NULL handling as churn_fit; agrees with it to rounding (about 1e-12), not bit for bit.  The query runs with the caller''s privileges and search_path, all scans under one snapshot; it must return the same rows every time (no random()).';

-- ===== src/sql/410_churn_warning.sql =====
-- Rule-based churn early warning (domain.md §8).  The seeds name the signals
-- but give no thresholds or levels: every number here is a *(design)*
-- default in a policy table.  A signal fires when its value crosses its
-- threshold; the warning score is the sum of the weights of the fired
-- signals, and the level is the highest whose min_score the score reaches,
-- raised to a fired signal's min_level if that is higher.

CREATE TYPE @extschema@.warning_level AS ENUM ('none', 'yellow', 'orange', 'red');
COMMENT ON TYPE @extschema@.warning_level IS
'Churn warning level, ordered none < yellow < orange < red.';

CREATE TABLE @extschema@.churn_signal (
    signal      text PRIMARY KEY
                    CONSTRAINT churn_signal_known CHECK (signal IN (
                        'arpu_drop', 'usage_drop', 'complaints_30d', 'short_tenure',
                        'detractor', 'satisfaction_drop', 'dissatisfied_30d',
                        'bundle_ending', 'arrears', 'suspended', 'cancellations_30d')),
    fires_when  text GENERATED ALWAYS AS
                    (CASE WHEN signal IN ('short_tenure', 'detractor', 'bundle_ending')
                          THEN 'value < threshold' ELSE 'value >= threshold' END) STORED,
    threshold   numeric(12,4) NOT NULL,
    weight      numeric(6,3) NOT NULL CONSTRAINT churn_signal_weight_range CHECK (weight >= 0),
    min_level   @extschema@.warning_level
                    CONSTRAINT churn_signal_min_level CHECK (min_level <> 'none'),
    enabled     boolean NOT NULL DEFAULT true,
    unit        text NOT NULL,
    description text NOT NULL,
    -- A threshold must mean something for its signal.
    CONSTRAINT churn_signal_threshold_range CHECK (CASE
        WHEN signal IN ('arpu_drop', 'usage_drop') THEN threshold > 0 AND threshold <= 1
        WHEN signal IN ('complaints_30d', 'dissatisfied_30d', 'cancellations_30d', 'suspended')
            THEN threshold >= 1 AND threshold = trunc(threshold)
        WHEN signal = 'short_tenure' THEN threshold > 0 AND threshold <= 1200
        WHEN signal = 'detractor' THEN threshold > 0 AND threshold <= 10
        WHEN signal = 'satisfaction_drop' THEN threshold > 0 AND threshold <= 4
        WHEN signal = 'bundle_ending' THEN threshold > 0 AND threshold <= 3660
        WHEN signal = 'arrears' THEN threshold > 0
    END)
);
COMMENT ON TABLE @extschema@.churn_signal IS
'Churn warning signals (design defaults; domain.md §8 names the signals but no numbers).  Each fires when its value crosses threshold (see fires_when) and adds weight to the warning score; min_level, if set, is the lowest level a customer with that signal gets.  Edit with UPDATE (enabled = false switches a signal off); rows cannot be added or removed.';
COMMENT ON COLUMN @extschema@.churn_signal.signal IS 'Signal code; the value is computed by custvalue.customer_churn_inputs.';
COMMENT ON COLUMN @extschema@.churn_signal.fires_when IS 'Direction of the comparison with threshold (fixed per signal).';
COMMENT ON COLUMN @extschema@.churn_signal.threshold IS 'Value at which the signal fires (inclusive for >=, exclusive for <).';
COMMENT ON COLUMN @extschema@.churn_signal.weight IS 'Points added to the warning score when the signal fires.';
COMMENT ON COLUMN @extschema@.churn_signal.min_level IS 'Lowest warning level when this signal fires, NULL = only the score counts.';
COMMENT ON COLUMN @extschema@.churn_signal.enabled IS 'false = the signal never fires.';

INSERT INTO @extschema@.churn_signal (signal, threshold, weight, min_level, unit, description) VALUES
    ('arpu_drop', 0.30, 1.0, NULL, 'fraction',
     'Last month''s bill is this fraction or more below the customer''s average over the preceding churn_baseline_months (drop in purchase amount).'),
    ('usage_drop', 0.50, 1.0, NULL, 'fraction',
     'Voice minutes or data volume last month fell by this fraction or more against the preceding churn_baseline_months (drop in usage frequency).'),
    ('complaints_30d', 2, 1.5, NULL, 'complaints',
     'Complaints filed in the last 30 days (frequent complaints).'),
    ('short_tenure', 24, 0.5, NULL, 'months',
     'Tenure under 24 months: seed 000 names tenure under 2 years as the churn risk of 45 % of mid/high-end customers.  Weak alone (0.5 < yellow).'),
    ('detractor', 7, 1.0, NULL, 'NPS points',
     'Latest NPS answer in the last 180 days is below 7 (a detractor, 0-6).'),
    ('satisfaction_drop', 1, 1.0, NULL, 'CSAT points',
     'Latest CSAT answer is this many points or more below the customer''s earlier CSAT answers of the last 12 months (falling satisfaction).'),
    ('dissatisfied_30d', 1, 0.5, NULL, 'answers',
     'Post-service surveys answered "not satisfied" in the last 30 days.'),
    ('bundle_ending', 60, 1.0, NULL, 'days',
     'The customer''s last running bundle or contract ends in fewer than 60 days (bundle expiry).'),
    ('arrears', 1, 1.0, NULL, 'yuan',
     'Amount overdue at the end of last month (credit / arrears).'),
    ('suspended', 1, 1.0, 'orange', 'flag',
     'The line is suspended (1 = suspended); at least orange.'),
    ('cancellations_30d', 1, 1.0, NULL, 'cancellations',
     'Services unsubscribed or cancelled in the last 30 days (custvalue.service_cancellation).');

CREATE TABLE @extschema@.churn_warning_level (
    level      @extschema@.warning_level PRIMARY KEY
                   CONSTRAINT churn_warning_level_not_none CHECK (level <> 'none'),
    min_score  numeric(7,3) NOT NULL CONSTRAINT churn_warning_level_positive CHECK (min_score > 0),
    description text NOT NULL
);
COMMENT ON TABLE @extschema@.churn_warning_level IS
'Warning score needed for each level (design defaults): yellow 1, orange 2, red 3, strictly increasing.  Below yellow the level is none.';
INSERT INTO @extschema@.churn_warning_level VALUES
    ('yellow', 1, 'Watch: one clear signal.  The owning channel reviews at its next contact.'),
    ('orange', 2, 'Act: two signals.  The owning manager contacts the customer within 24 h (seed 002).'),
    ('red', 3, 'Urgent: three or more signals.  Retention offer within 24 h; escalate.');

CREATE FUNCTION @extschema@.churn_policy_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int;
BEGIN
    SELECT count(*) INTO n FROM @extschema@.churn_signal;
    IF n <> 11 THEN
        RAISE EXCEPTION 'custvalue.churn_signal must hold one row for each of the 11 signals, not % rows', n
            USING ERRCODE = 'check_violation',
                  HINT = 'Change signals with UPDATE; set enabled = false to switch one off.';
    END IF;
    SELECT count(*) INTO n FROM @extschema@.churn_warning_level;
    IF n <> 3 THEN
        RAISE EXCEPTION 'custvalue.churn_warning_level must hold yellow, orange and red, not % rows', n
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT FROM @extschema@.churn_warning_level a, @extschema@.churn_warning_level b
                WHERE a.level OPERATOR(pg_catalog.<) b.level AND a.min_score >= b.min_score) THEN
        RAISE EXCEPTION 'custvalue.churn_warning_level is not monotone: min_score must rise from yellow to orange to red'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.churn_policy_validate() IS
'Constraint trigger of the churn warning policy: all 11 signals present, levels yellow < orange < red by min_score.';

CREATE CONSTRAINT TRIGGER churn_signal_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.churn_signal
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.churn_policy_validate();
CREATE CONSTRAINT TRIGGER churn_warning_level_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.churn_warning_level
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.churn_policy_validate();
CREATE TRIGGER churn_signal_no_truncate BEFORE TRUNCATE ON @extschema@.churn_signal
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER churn_warning_level_no_truncate BEFORE TRUNCATE ON @extschema@.churn_warning_level
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.churn_signal
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON @extschema@.churn_warning_level
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.churn_signal', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.churn_warning_level', '');

CREATE TYPE @extschema@.churn_warning_result AS (
    level    @extschema@.warning_level,
    score    float8,
    signals  jsonb
);
COMMENT ON TYPE @extschema@.churn_warning_result IS
'Result of custvalue.churn_warning(): level, score (sum of fired weights) and the fired signals with their values, {"signal": value, ...}.';

CREATE FUNCTION @extschema@.churn_warning(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS @extschema@.churn_warning_result
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_warning(float8, float8, integer, integer, integer, float8, integer, integer, numeric, boolean, integer) IS
'Evaluate the churn warning signals of custvalue.churn_signal for one customer''s inputs (as custvalue.customer_churn_inputs computes them): returns the level, the score and the fired signals with their values.  A NULL input never fires.  Reads the policy once per statement, not per row.';

CREATE FUNCTION @extschema@.churn_level(
        arpu_drop float8, usage_drop float8, complaints_30d integer, tenure_months integer,
        nps integer, satisfaction_drop float8, dissatisfied_30d integer,
        bundle_days_left integer, arrears numeric, suspended boolean, cancellations_30d integer)
    RETURNS @extschema@.warning_level
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.churn_level(float8, float8, integer, integer, integer, float8, integer, integer, numeric, boolean, integer) IS
'Only the level of custvalue.churn_warning() for the same inputs (same policy, NULL handling and errors), without building the row or the jsonb of fired signals: for nightly runs over every customer and for filtering, e.g. WHERE churn_level(...) >= ''orange''.';

-- ===== src/sql/420_churn_watchlist.sql =====
-- Churn inputs from the reference model, warnings per customer, lifecycle
-- state, retention per tier (sBG), and the watchlist (domain.md §8).

INSERT INTO @extschema@.setting VALUES
    ('churn_baseline_months', 3, 'months',
     'Months before the reference month whose average bill and usage the arpu_drop and usage_drop churn signals compare last month with.'),
    ('lifecycle_new_months', 6, 'months',
     'A customer with less tenure than this is in lifecycle state "new" (seed 002 names new / active / about to churn / churned; the length is a design default).'),
    ('churn_alert_probability', 0.5, 'probability',
     'Model churn probability from which a customer is "about to churn" even without an orange or red warning.'),
    ('churn_discount_rate', 0.10, 'per year',
     'Annual discount rate for the discounted expected residual lifetime (sBG DERL) behind customer lifetime value in the churn watchlist.');

-- Cancellations are a churn signal the reference model had no table for.
SELECT @extschema@.define_source('service_cancellation',
    'Services or value-added products a customer unsubscribed from or cancelled (退订): a churn signal (domain.md §8).',
    ARRAY['cancellation_id bigint', 'customer_id bigint', 'cancelled_at timestamptz', 'service text']);

CREATE TYPE @extschema@.lifecycle_state AS ENUM ('new', 'active', 'about_to_churn', 'churned');
COMMENT ON TYPE @extschema@.lifecycle_state IS
'Customer lifecycle (seed 002): new -> active -> about to churn -> churned.';

-- Names of the model features in custvalue.churn_inputs_at().features.
CREATE FUNCTION @extschema@.churn_feature_names() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY['arpu_drop', 'usage_drop', 'complaints_30d', 'tenure_years', 'detractor',
                 'satisfaction_drop', 'dissatisfied_30d', 'bundle_end_proximity', 'log_arrears',
                 'suspended', 'cancellations_30d'];
COMMENT ON FUNCTION @extschema@.churn_feature_names() IS
'Names of the churn model features that custvalue.churn_inputs_at() builds, in order: drops clipped to [0, 1], counts, tenure in years, detractor 0/1, CSAT drop, bundle end proximity (1 today, 0 at 90+ days), ln(1 + arrears), suspended 0/1.';


-- Every churn input of every customer who had joined by the end of the
-- month as_of lies in; windows end with that month.  status is the state
-- then as far as the data tell: churned if churned_on is past, else the
-- current status (suspension has no history in the reference model).
CREATE FUNCTION @extschema@.churn_inputs_at(as_of date)
    RETURNS TABLE (customer_id bigint, status text, joined_on date, tenure_months integer,
                   arpu_drop float8, usage_drop float8, complaints_30d integer, nps integer,
                   satisfaction_drop float8, dissatisfied_30d integer, bundle_days_left integer,
                   arrears numeric, suspended boolean, cancellations_30d integer,
                   features float8[])
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH ref AS (
        SELECT date_trunc('month', as_of)::date AS month,
               (date_trunc('month', as_of) + interval '1 month' - interval '1 day')::date AS last_day,
               (date_trunc('month', as_of) + interval '1 month')::timestamptz AS stop,
               @extschema@.setting('churn_baseline_months')::int AS base_months
    ), bills AS (
        SELECT b.customer_id,
               max(b.total_fee) FILTER (WHERE b.month = ref.month) AS fee_now,
               avg(b.total_fee) FILTER (WHERE b.month < ref.month) AS fee_base,
               max(b.voice_minutes) FILTER (WHERE b.month = ref.month) AS voice_now,
               avg(b.voice_minutes) FILTER (WHERE b.month < ref.month) AS voice_base,
               max(b.data_mb) FILTER (WHERE b.month = ref.month) AS data_now,
               avg(b.data_mb) FILTER (WHERE b.month < ref.month) AS data_base,
               max(b.arrears) FILTER (WHERE b.month = ref.month) AS arrears
          FROM @extschema@.monthly_bill b, ref
         WHERE b.month >= ref.month - make_interval(months => ref.base_months)
           AND b.month <= ref.month
         GROUP BY b.customer_id
    ), complaints AS (
        SELECT k.customer_id, count(*)::int AS n
          FROM @extschema@.complaint k, ref
         WHERE k.filed_at >= ref.stop - interval '30 days' AND k.filed_at < ref.stop
         GROUP BY k.customer_id
    ), surveys AS (
        SELECT s.customer_id,
               (array_agg(s.nps ORDER BY s.answered_at DESC, s.response_id DESC)
                  FILTER (WHERE s.nps IS NOT NULL AND s.answered_at >= ref.stop - interval '180 days'))[1] AS nps,
               (array_agg(s.csat ORDER BY s.answered_at DESC, s.response_id DESC)
                  FILTER (WHERE s.csat IS NOT NULL))[1] AS csat_last,
               sum(s.csat) AS csat_sum,
               count(s.csat) AS csat_n,
               count(*) FILTER (WHERE s.satisfied = false
                                  AND s.answered_at >= ref.stop - interval '30 days')::int AS dissatisfied
          FROM @extschema@.survey_response s, ref
         WHERE s.answered_at >= ref.stop - interval '365 days' AND s.answered_at < ref.stop
         GROUP BY s.customer_id
    ), bundles AS (
        SELECT u.customer_id, (max(u.ends_on) - ref.last_day)::int AS days_left
          FROM @extschema@.bundle u, ref
         WHERE u.started_on <= ref.last_day AND u.ends_on >= ref.last_day
         GROUP BY u.customer_id, ref.last_day
    ), cancels AS (
        SELECT x.customer_id, count(*)::int AS n
          FROM @extschema@.service_cancellation x, ref
         WHERE x.cancelled_at >= ref.stop - interval '30 days' AND x.cancelled_at < ref.stop
         GROUP BY x.customer_id
    ), inputs AS (
        SELECT c.customer_id,
               CASE WHEN c.churned_on <= ref.last_day THEN 'churned'
                    WHEN c.churned_on IS NOT NULL THEN 'active'
                    ELSE c.status END AS status,
               c.joined_on,
               (extract(year FROM age(ref.last_day, c.joined_on)) * 12
                + extract(month FROM age(ref.last_day, c.joined_on)))::int AS tenure_months,
               -- rounded to 4 places so a drop of exactly 30 % compares
               -- equal to a threshold of 0.30
               round(1 - bills.fee_now / nullif(bills.fee_base, 0), 4)::float8 AS arpu_drop,
               greatest(round(1 - bills.voice_now / nullif(bills.voice_base, 0), 4),
                        round(1 - bills.data_now / nullif(bills.data_base, 0), 4))::float8 AS usage_drop,
               coalesce(complaints.n, 0) AS complaints_30d,
               surveys.nps::int AS nps,
               CASE WHEN surveys.csat_n > 1
                    THEN round((surveys.csat_sum - surveys.csat_last) / (surveys.csat_n - 1.0)
                               - surveys.csat_last, 4)::float8 END AS satisfaction_drop,
               coalesce(surveys.dissatisfied, 0) AS dissatisfied_30d,
               bundles.days_left AS bundle_days_left,
               bills.arrears,
               c.status = 'suspended' AS suspended,
               coalesce(cancels.n, 0) AS cancellations_30d
          FROM @extschema@.customer c
          CROSS JOIN ref
          LEFT JOIN bills ON bills.customer_id = c.customer_id
          LEFT JOIN complaints ON complaints.customer_id = c.customer_id
          LEFT JOIN surveys ON surveys.customer_id = c.customer_id
          LEFT JOIN bundles ON bundles.customer_id = c.customer_id
          LEFT JOIN cancels ON cancels.customer_id = c.customer_id
         WHERE c.joined_on <= ref.last_day
    )
    SELECT i.customer_id, i.status, i.joined_on, i.tenure_months, i.arpu_drop, i.usage_drop,
           i.complaints_30d, i.nps, i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left,
           i.arrears, i.suspended, i.cancellations_30d,
           ARRAY[greatest(0, least(1, coalesce(i.arpu_drop, 0))),
                 greatest(0, least(1, coalesce(i.usage_drop, 0))),
                 i.complaints_30d,
                 i.tenure_months / 12.0,
                 CASE WHEN i.nps < 7 THEN 1 ELSE 0 END,
                 greatest(0, coalesce(i.satisfaction_drop, 0)),
                 i.dissatisfied_30d,
                 CASE WHEN i.bundle_days_left IS NULL THEN 0
                      ELSE greatest(0, 1 - i.bundle_days_left / 90.0) END,
                 ln(1 + coalesce(i.arrears, 0)),
                 CASE WHEN i.suspended THEN 1 ELSE 0 END,
                 i.cancellations_30d]::float8[]
      FROM inputs i;
END;
COMMENT ON FUNCTION @extschema@.churn_inputs_at(date) IS
'Churn warning inputs of every customer who had joined by the end of as_of''s month, measured over windows ending with that month: ARPU and usage drop of that month against the churn_baseline_months before it, complaints / dissatisfied answers / cancellations in the last 30 days, latest NPS (180 days), CSAT drop (12 months), days until the last running bundle ends, arrears, suspension; plus the model feature vector (custvalue.churn_feature_names()).  NULL = not measurable (no bills, no answers, no bundle).';

CREATE VIEW @extschema@.customer_churn_inputs WITH (security_invoker = true) AS
SELECT * FROM @extschema@.churn_inputs_at(@extschema@.as_of_month());
COMMENT ON VIEW @extschema@.customer_churn_inputs IS
'Churn warning inputs of every customer at custvalue.as_of_month() (see custvalue.churn_inputs_at).';

-- The model the watchlist scores with starts as the design prior that
-- custvalue.create_data_model() stores (950_data_model.sql), until one is
-- fitted on the operator's own history by churn_train_watchlist_model().
CREATE FUNCTION @extschema@.churn_train_watchlist_model(horizon_months integer DEFAULT 3,
                                                        l2 float8 DEFAULT 1.0)
    RETURNS @extschema@.churn_model
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    snapshot date;
    model @extschema@.churn_model;
BEGIN
    IF horizon_months IS NULL OR horizon_months < 1 OR horizon_months > 24 THEN
        RAISE EXCEPTION 'horizon_months must be between 1 and 24, not %', horizon_months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Two horizons back, so the latest horizon stays out of time for
    -- custvalue.churn_backtest().
    snapshot := (@extschema@.as_of_month() - make_interval(months => 2 * horizon_months))::date;
    SELECT @extschema@.churn_fit(
               c.churned_on IS NOT NULL
               AND c.churned_on < (snapshot + make_interval(months => horizon_months + 1))::date,
               i.features, l2)
      INTO model
      FROM @extschema@.churn_inputs_at(snapshot) i
      JOIN @extschema@.customer c USING (customer_id)
     WHERE i.status <> 'churned';
    IF model IS NULL THEN
        RAISE EXCEPTION 'no customers at the snapshot month %', snapshot
            USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO @extschema@.churn_model_store AS s (name, model, feature_names, trained_at, note)
    VALUES ('watchlist', model, @extschema@.churn_feature_names(), now(),
            format('Fitted by churn_train_watchlist_model: inputs at %s, label = churned in the next %s months, l2 = %s.',
                   to_char(snapshot, 'YYYY-MM'), horizon_months, l2))
    ON CONFLICT (name) DO UPDATE
        SET model = EXCLUDED.model, feature_names = EXCLUDED.feature_names,
            trained_at = EXCLUDED.trained_at, note = EXCLUDED.note;
    RETURN model;
END;
$$;
COMMENT ON FUNCTION @extschema@.churn_train_watchlist_model(integer, float8) IS
'Fit the watchlist churn model on the operator''s history: features from custvalue.churn_inputs_at(as_of_month - 2 * horizon_months) of customers then not churned, label = churned within the following horizon_months; ridge l2 (default 1).  The latest horizon is left out so custvalue.churn_backtest() measures the model out of time.  Stores it as ''watchlist'' in custvalue.churn_model_store and returns it.';

CREATE FUNCTION @extschema@.churn_backtest(horizon_months integer DEFAULT 3)
    RETURNS TABLE (scorer text, customers bigint, churners bigint,
                   auc float8, log_loss float8, lift_top_decile float8)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH snap AS (
        SELECT (@extschema@.as_of_month() - make_interval(months => horizon_months))::date AS month
    ), scored AS (
        SELECT c.churned_on IS NOT NULL
               AND c.churned_on < (snap.month + make_interval(months => horizon_months + 1))::date AS churned,
               @extschema@.churn_probability(m.model, i.features) AS p,
               w.score
          FROM snap
         CROSS JOIN LATERAL @extschema@.churn_inputs_at(snap.month) i
          JOIN @extschema@.customer c ON c.customer_id = i.customer_id
          LEFT JOIN @extschema@.churn_model_store m ON m.name = 'watchlist'
         CROSS JOIN LATERAL @extschema@.churn_warning(
                i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
                i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
                i.suspended, i.cancellations_30d) w
         WHERE i.status <> 'churned'
    )
    SELECT 'watchlist model', count(*), count(*) FILTER (WHERE churned),
           @extschema@.churn_auc(p, churned), @extschema@.churn_log_loss(p, churned),
           @extschema@.churn_lift(p, churned)
      FROM scored
    UNION ALL
    SELECT 'warning score', count(*), count(*) FILTER (WHERE churned),
           @extschema@.churn_auc(score, churned), NULL,
           @extschema@.churn_lift(score, churned)
      FROM scored;
END;
COMMENT ON FUNCTION @extschema@.churn_backtest(integer) IS
'How well the churn scorers ranked the customers who then churned: inputs at as_of_month - horizon_months, label = churned in the following horizon_months; AUC, log-loss (model only) and lift in the top decile, for the ''watchlist'' model and for the rule-based warning score.  Out of time for a model from churn_train_watchlist_model(horizon_months).';

-- sBG retention per tier.  A customer's tier here is the tier of their last
-- 12 billed months (churned customers keep the tier they left from); one
-- period is one year; a churned customer churned in year ceil(tenure).
CREATE FUNCTION @extschema@.tier_retention(discount_rate float8 DEFAULT NULL)
    RETURNS TABLE (tier @extschema@.tier, customers bigint, churned bigint,
                   alpha float8, beta float8, retention_next_year float8,
                   derl_new float8, note text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d float8 := coalesce(discount_rate, @extschema@.setting('churn_discount_rate')::float8);
    arpu_months int := @extschema@.setting('arpu_window_months')::int;
    spend_months int := @extschema@.setting('spend_window_months')::int;
    last_day date := (@extschema@.as_of_month() + interval '1 month' - interval '1 day')::date;
    ranks int[];
    states bytea[];
    counts bigint[];
    churn_counts bigint[];
    i int;
    e @extschema@.sbg_estimate;
    pooled @extschema@.sbg_estimate;
    pooled_note text;
BEGIN
    -- One pass over the data: per tier, the sbg_fit state (two small
    -- histograms).  The fits, which may fail for a tier, come after.
    SELECT array_agg(g.rank), array_agg(g.state), array_agg(g.n), array_agg(g.n_churned)
      INTO ranks, states, counts, churn_counts
      FROM (
        SELECT life.rank,
               @extschema@.sbg_fit_state(CASE WHEN life.churned THEN life.months / 12 + 1
                                              ELSE life.months / 12 END, life.churned) AS state,
               count(*) AS n,
               count(*) FILTER (WHERE life.churned) AS n_churned
          FROM (
            SELECT @extschema@.tier_rank(@extschema@.tier_of(s.annual::numeric(12,2),
                                                             s.arpu::numeric(12,2), c.vip_card)) AS rank,
                   c.churned_on IS NOT NULL AS churned,
                   (extract(year FROM age(coalesce(c.churned_on, last_day), c.joined_on)) * 12
                    + extract(month FROM age(coalesce(c.churned_on, last_day), c.joined_on)))::int AS months
              FROM @extschema@.customer c
              JOIN (SELECT b.customer_id,
                           sum(b.total_fee) AS annual,
                           avg(b.total_fee) FILTER (WHERE b.month > b.last_month
                                                    - make_interval(months => arpu_months)) AS arpu
                      FROM (SELECT m.customer_id, m.month, m.total_fee,
                                   max(m.month) OVER (PARTITION BY m.customer_id) AS last_month
                              FROM @extschema@.monthly_bill m) b
                     WHERE b.month > b.last_month - make_interval(months => spend_months)
                     GROUP BY b.customer_id) s USING (customer_id)
             WHERE c.joined_on <= last_day) life
         GROUP BY GROUPING SETS ((life.rank), ())) g;

    -- The fit over all tiers (rank NULL), the fallback for a tier whose own
    -- data admit no fit.
    IF ranks IS NOT NULL THEN
        BEGIN
            pooled := @extschema@.sbg_fit_from_state(states[array_position(ranks, NULL)]);
        EXCEPTION WHEN invalid_parameter_value THEN
            GET STACKED DIAGNOSTICS pooled_note = MESSAGE_TEXT;
        END;
    END IF;

    FOREACH i IN ARRAY ARRAY[5, 4, 3, 2, 1, 0] LOOP
        tier := @extschema@.tier_from_rank(i);
        alpha := NULL; beta := NULL; retention_next_year := NULL; derl_new := NULL; note := NULL;
        customers := 0; churned := 0;
        IF i = ANY (ranks) THEN
            customers := counts[array_position(ranks, i)];
            churned := churn_counts[array_position(ranks, i)];
            BEGIN
                e := @extschema@.sbg_fit_from_state(states[array_position(ranks, i)]);
                alpha := e.alpha;
                beta := e.beta;
            EXCEPTION WHEN invalid_parameter_value THEN
                GET STACKED DIAGNOSTICS note = MESSAGE_TEXT;
            END;
        ELSE
            note := 'no customers';
        END IF;
        IF alpha IS NULL AND pooled.alpha IS NOT NULL THEN
            alpha := pooled.alpha;
            beta := pooled.beta;
            note := 'pooled over all tiers (' || note || ')';
        ELSIF alpha IS NULL AND pooled_note IS NOT NULL THEN
            note := note || '; pooled: ' || pooled_note;
        END IF;
        IF alpha IS NOT NULL THEN
            retention_next_year := @extschema@.sbg_retention(alpha, beta, 1);
            derl_new := @extschema@.sbg_derl(alpha, beta, d, 0);
        END IF;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.tier_retention(float8) IS
'sBG retention per tier: each customer (tier of their last 12 billed months) is one lifetime in years, churned or right-censored; returns alpha, beta, next-year retention r(1), and the discounted expected lifetime of a new customer in years (discount_rate, default setting churn_discount_rate).  A tier whose own data admit no fit (e.g. no churner) gets the fit pooled over all tiers, with the reason in note; NULLs if that fails too.';

CREATE VIEW @extschema@.customer_churn_warning WITH (security_invoker = true) AS
SELECT i.customer_id, p.region, p.tier, i.status, i.tenure_months,
       p.annual_spend, p.monthly_arpu,
       w.level, w.score, w.signals,
       s.p AS churn_probability,
       (CASE WHEN i.status = 'churned' THEN 'churned'
             WHEN w.level OPERATOR(pg_catalog.>=) 'orange'::@extschema@.warning_level
               OR s.p >= pol.alert_p THEN 'about_to_churn'
             WHEN i.tenure_months < pol.new_months THEN 'new'
             ELSE 'active' END)::@extschema@.lifecycle_state AS lifecycle
  FROM @extschema@.customer_churn_inputs i
  JOIN @extschema@.customer_profile p USING (customer_id)
  CROSS JOIN (SELECT @extschema@.setting('churn_alert_probability')::float8 AS alert_p,
                     @extschema@.setting('lifecycle_new_months')::int AS new_months) pol
  LEFT JOIN @extschema@.churn_model_store m ON m.name = 'watchlist'
  CROSS JOIN LATERAL @extschema@.churn_warning(
        i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
        i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
        i.suspended, i.cancellations_30d) w
  CROSS JOIN LATERAL (SELECT @extschema@.churn_probability(m.model, i.features) AS p) s;
COMMENT ON VIEW @extschema@.customer_churn_warning IS
'Every customer''s churn warning at custvalue.as_of_month(): level, score and fired signals (custvalue.churn_warning), probability under the ''watchlist'' model of custvalue.churn_model_store, and lifecycle state (churned; about_to_churn = orange/red or probability >= churn_alert_probability; new = tenure < lifecycle_new_months; else active).';

CREATE VIEW @extschema@.churn_watchlist WITH (security_invoker = true) AS
WITH retention AS (
    SELECT r.tier, r.alpha, r.beta FROM @extschema@.tier_retention() r
), pol AS (
    SELECT @extschema@.setting('churn_discount_rate')::float8 AS discount
), listed AS (
    SELECT w.*,
           (w.annual_spend * coalesce(@extschema@.sbg_derl(r.alpha, r.beta, pol.discount,
                                                           w.tenure_months / 12), 1))::numeric AS clv_raw
      FROM @extschema@.customer_churn_warning w
      CROSS JOIN pol
      LEFT JOIN retention r ON @extschema@.tier_rank(r.tier) = @extschema@.tier_rank(w.tier)
     WHERE @extschema@.tier_rank(w.tier) >= @extschema@.tier_rank('b')
       AND w.level OPERATOR(pg_catalog.>=) 'orange'::@extschema@.warning_level
       AND w.status <> 'churned'
)
SELECT l.customer_id, l.region, l.tier, l.lifecycle, l.level, l.score, l.signals,
       round(l.churn_probability::numeric, 4) AS churn_probability,
       l.annual_spend,
       round(l.clv_raw, 2) AS clv,
       round(round(l.clv_raw, 2) * l.churn_probability::numeric, 2) AS value_at_risk,
       te.suspension_warning_by AS owner_channel,
       CASE te.suspension_warning_by WHEN 'account_manager' THEN c.account_manager
                                     WHEN 'phone_manager' THEN c.phone_manager END AS owner
  FROM listed l
  JOIN @extschema@.customer c USING (customer_id)
  LEFT JOIN @extschema@.tier_entitlements te
         ON @extschema@.tier_rank(te.tier) = @extschema@.tier_rank(l.tier)
 ORDER BY value_at_risk DESC, l.customer_id;
COMMENT ON VIEW @extschema@.churn_watchlist IS
'Customers of tier b and above, not churned, with an orange or red churn warning, most value at risk first: value_at_risk = CLV x churn probability, CLV = annual spend x sBG discounted expected residual lifetime of their tier (custvalue.tier_retention; 1 year when the tier has no fit).  owner_channel: who makes the call, the tier''s suspension-warning channel from custvalue.tier_entitlements (domain.md §3: account manager for diamond and silver, phone manager for gold, a and b), and owner, that manager''s code.';

-- ===== src/sql/500_channels.sql =====
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

-- ===== src/sql/510_work_orders.sql =====
-- Work orders (工单) with a validated state machine, a history of every
-- change and SLA clocks from policy (domain.md §6, §9).
--
-- Time: a state change takes effect at clock_timestamp() read in the BEFORE
-- ROW trigger, i.e. after the row lock is held.  Any later change of the same
-- work order must wait for that lock, so effective times along one order's
-- history are monotone in the order the changes were serialised; now() or
-- statement_timestamp() could stamp a change that waited on a lock earlier
-- than the change it waited for.  A loader replaying history gives the
-- effective time in the write-only column effective_at of the UPDATE; it
-- must not precede the previous change nor lie in the future.  (A separate
-- input column, because a trigger cannot tell "state_changed_at not in the
-- SET list" from "set to its old value", and two changes at the same
-- instant are legitimate.)

CREATE TABLE @extschema@.work_order_sla (
    kind            text NOT NULL CHECK (kind IN ('request', 'complaint', 'fault')),
    severity        text NOT NULL CHECK (severity IN ('major', 'ordinary', 'minor')),
    respond_within  interval,
    resolve_within  interval,
    source          text NOT NULL,
    PRIMARY KEY (kind, severity),
    CONSTRAINT work_order_sla_positive
        CHECK (respond_within > interval '0' AND resolve_within > interval '0'),
    CONSTRAINT work_order_sla_elapsed_time
        CHECK (extract(year FROM respond_within) = 0 AND extract(month FROM respond_within) = 0
               AND extract(day FROM respond_within) = 0
               AND extract(year FROM resolve_within) = 0 AND extract(month FROM resolve_within) = 0
               AND extract(day FROM resolve_within) = 0),
    CONSTRAINT work_order_sla_order CHECK (resolve_within >= respond_within)
);
COMMENT ON TABLE @extschema@.work_order_sla IS
'SLA clocks per work-order kind and severity: the first response is due respond_within after receipt, the resolution resolve_within after receipt (NULL = no clock).  Give clocks in hours (''48 hours'', not ''2 days''): they are elapsed time and must not stretch across a daylight-saving change.  A work order takes its deadlines when it is received (and again if its kind or severity changes); editing this table does not move deadlines already set.';
COMMENT ON COLUMN @extschema@.work_order_sla.source IS 'Where the number comes from (seed and section) or "design".';

INSERT INTO @extschema@.work_order_sla VALUES
    ('request',   'major',    '24 hours', NULL,       'seed 001: respond within 24 h; application acceptance within 24 h'),
    ('request',   'ordinary', '24 hours', NULL,       'seed 001: respond within 24 h; application acceptance within 24 h'),
    ('request',   'minor',    '24 hours', NULL,       'seed 001: respond within 24 h; application acceptance within 24 h'),
    ('complaint', 'major',    '24 hours', '48 hours', 'seed 001: respond within 24 h, resolve a major issue within 48 h'),
    ('complaint', 'ordinary', '24 hours', NULL,       'seed 001: respond within 24 h'),
    ('complaint', 'minor',    '24 hours', NULL,       'seed 001: respond within 24 h'),
    ('fault',     'major',    '1 hour',   NULL,       'seed 003: major fault response within 1 h'),
    ('fault',     'ordinary', '2 hours',  '2 hours',  'seed 003: general fault handled within 2 h (so also answered within 2 h)'),
    ('fault',     'minor',    '2 hours',  '2 hours',  'seed 003: general fault handled within 2 h (so also answered within 2 h)');

-- The state machine.  States are fixed (the triggers give them meaning);
-- the transitions between them are policy.
CREATE TABLE @extschema@.work_order_transition (
    from_state  text NOT NULL
        CHECK (from_state IN ('received', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed')),
    to_state    text NOT NULL
        CHECK (to_state IN ('assigned', 'in_progress', 'escalated', 'resolved', 'closed')),
    description text NOT NULL,
    PRIMARY KEY (from_state, to_state),
    CHECK (from_state <> to_state)
);
COMMENT ON TABLE @extschema@.work_order_transition IS
'Allowed work-order state changes.  States: received (受理) → assigned (派单) → in_progress (处理中) → resolved (解决) → closed (关闭), plus escalated (升级).  received is only ever the initial state.  Any change not listed here is rejected (23514).';

INSERT INTO @extschema@.work_order_transition VALUES
    ('received',    'assigned',    'dispatched to a handler'),
    ('received',    'escalated',   'escalated before dispatch (e.g. routed to another channel)'),
    ('assigned',    'in_progress', 'the handler starts work: the first response'),
    ('assigned',    'escalated',   'the handler cannot handle it'),
    ('in_progress', 'resolved',    'resolved'),
    ('in_progress', 'escalated',   'escalated during work'),
    ('escalated',   'assigned',    'the escalation is dispatched'),
    ('escalated',   'in_progress', 'the escalation handler starts work'),
    ('resolved',    'closed',      'closed after resolution'),
    ('resolved',    'in_progress', 'reopened: the customer says it is not resolved');

SELECT @extschema@.define_source('work_order',
    'Work orders (工单).  Insert with state received (the default); change state with UPDATE, validated against custvalue.work_order_transition; every change is kept in custvalue.work_order_history.  tier is the customer''s tier when the order was received (filled from customer_profile when omitted).  respond_by/resolve_by come from custvalue.work_order_sla; responded_at (first entry into in_progress or resolved), resolved_at (latest resolution, cleared on reopening) and closed_at are kept by the triggers and cannot be written.',
    ARRAY['work_order_id bigint', 'customer_id bigint', 'tier @extschema@.tier', 'service_item text',
          'channel text', 'kind text', 'severity text', 'state text', 'assignee text', 'summary text',
          'received_at timestamptz', 'state_changed_at timestamptz', 'effective_at timestamptz',
          'respond_by timestamptz', 'resolve_by timestamptz', 'responded_at timestamptz',
          'resolved_at timestamptz', 'closed_at timestamptz']);
COMMENT ON COLUMN @extschema@.work_order.kind IS 'request (consultation, application, service request), complaint, or fault.';
COMMENT ON COLUMN @extschema@.work_order.state_changed_at IS 'When the current state began (kept by the trigger).';
COMMENT ON COLUMN @extschema@.work_order.effective_at IS 'Write-only, always NULL when read: set it in an UPDATE that changes state to give the change''s effective time (replaying history); without it the change takes effect at clock_timestamp().';
COMMENT ON COLUMN @extschema@.work_order.respond_by IS 'First response due; NULL = no response clock.  Being answered exactly at respond_by is on time.';
COMMENT ON COLUMN @extschema@.work_order.resolve_by IS 'Resolution due; NULL = no resolution clock.  Resolved exactly at resolve_by is on time.';

SELECT @extschema@.define_source('work_order_history',
    'Append-only history of work orders: one row at receipt (from_state NULL) and one for every change of state, channel or assignee (a reassignment keeps from_state = to_state), with the effective time (changed_at), the time it was written (recorded_at) and the database user who made it.  Rows cannot be updated or deleted except by deleting the work order.',
    ARRAY['history_id bigint', 'work_order_id bigint', 'changed_at timestamptz', 'recorded_at timestamptz',
          'changed_by name', 'from_state text', 'to_state text', 'from_channel text', 'to_channel text',
          'assignee text']);

-- Deadlines of an order received at received_at, from the current policy.
CREATE FUNCTION @extschema@.work_order_deadlines(kind text, severity text, received_at timestamptz,
                                                 OUT respond_by timestamptz, OUT resolve_by timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT work_order_deadlines.received_at + s.respond_within,
           work_order_deadlines.received_at + s.resolve_within
      FROM (SELECT 1) AS one
      LEFT JOIN @extschema@.work_order_sla s
        ON s.kind = work_order_deadlines.kind AND s.severity = work_order_deadlines.severity;
END;
COMMENT ON FUNCTION @extschema@.work_order_deadlines(text, text, timestamptz) IS
'Response and resolution deadlines of a work order of this kind and severity received at received_at, by custvalue.work_order_sla (NULL = no clock).';

-- pg_dump replays work orders and their history as they were: the
-- triggers must neither re-validate nor re-record them.  A replaying
-- session is recognised by two settings every pg_dump script makes and
-- ordinary sessions leave alone (search_path, which restore_merge() also
-- uses, is not visible under the triggers' own SET search_path).
CREATE FUNCTION @extschema@.replaying_dump() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.current_setting('row_security') = 'off'
       AND pg_catalog.current_setting('check_function_bodies') = 'off';
END;
COMMENT ON FUNCTION @extschema@.replaying_dump() IS
'True in a session that replays a pg_dump script (row_security and check_function_bodies both off): the work-order triggers then take rows as dumped.';

CREATE FUNCTION @extschema@.work_order_before() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t timestamptz;
    allowed text;
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'received' THEN
            RAISE EXCEPTION 'a new work order must be in state received, not %', NEW.state
                USING ERRCODE = 'check_violation',
                      HINT = 'Insert it, then move it through its states with UPDATE.';
        END IF;
        IF NEW.received_at > clock_timestamp() THEN
            RAISE EXCEPTION 'a work order cannot be received in the future (%)', NEW.received_at
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.tier IS NULL THEN
            SELECT cp.tier INTO NEW.tier
              FROM @extschema@.customer_profile cp WHERE cp.customer_id = NEW.customer_id;
        END IF;
        NEW.state_changed_at := NEW.received_at;
        NEW.effective_at := NULL;
        NEW.responded_at := NULL;
        NEW.resolved_at := NULL;
        NEW.closed_at := NULL;
        SELECT d.respond_by, d.resolve_by INTO NEW.respond_by, NEW.resolve_by
          FROM @extschema@.work_order_deadlines(NEW.kind, NEW.severity, NEW.received_at) d;
        RETURN NEW;
    END IF;

    -- UPDATE.  Identity and receipt time are fixed; derived columns are ours.
    IF NEW.customer_id <> OLD.customer_id OR NEW.received_at <> OLD.received_at THEN
        RAISE EXCEPTION 'work order %: customer_id and received_at cannot change', OLD.work_order_id
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.responded_at := OLD.responded_at;
    NEW.resolved_at := OLD.resolved_at;
    NEW.closed_at := OLD.closed_at;
    IF NEW.kind <> OLD.kind OR NEW.severity <> OLD.severity THEN
        SELECT d.respond_by, d.resolve_by INTO NEW.respond_by, NEW.resolve_by
          FROM @extschema@.work_order_deadlines(NEW.kind, NEW.severity, NEW.received_at) d;
    ELSE
        NEW.respond_by := OLD.respond_by;
        NEW.resolve_by := OLD.resolve_by;
    END IF;

    IF NEW.state = OLD.state THEN
        IF NEW.effective_at IS NOT NULL THEN
            RAISE EXCEPTION 'work order %: effective_at given without a change of state', OLD.work_order_id
                USING ERRCODE = 'check_violation',
                      HINT = 'effective_at dates a state change; it is not stored.';
        END IF;
        NEW.state_changed_at := OLD.state_changed_at;
        RETURN NEW;
    END IF;

    IF NOT EXISTS (SELECT FROM @extschema@.work_order_transition tr
                    WHERE tr.from_state = OLD.state AND tr.to_state = NEW.state) THEN
        SELECT string_agg(tr.to_state, ', ' ORDER BY tr.to_state) INTO allowed
          FROM @extschema@.work_order_transition tr WHERE tr.from_state = OLD.state;
        RAISE EXCEPTION 'work order %: illegal state change from % to %', OLD.work_order_id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation',
                  DETAIL = CASE WHEN allowed IS NULL THEN format('State %s is final.', OLD.state)
                                ELSE format('From %s a work order may go to: %s.', OLD.state, allowed) END,
                  HINT = 'Allowed changes are the rows of custvalue.work_order_transition.';
    END IF;

    -- Effective time: given (replaying history) or now.
    IF NEW.effective_at IS NOT NULL THEN
        t := NEW.effective_at;
        NEW.effective_at := NULL;
        IF t < OLD.state_changed_at OR t > clock_timestamp() THEN
            RAISE EXCEPTION 'work order %: state change at % is out of order', OLD.work_order_id, t
                USING ERRCODE = 'check_violation',
                      DETAIL = format('It must lie between the previous change (%s) and now.', OLD.state_changed_at);
        END IF;
    ELSE
        t := greatest(clock_timestamp(), OLD.state_changed_at);
    END IF;
    NEW.state_changed_at := t;

    IF NEW.state IN ('in_progress', 'resolved') AND OLD.responded_at IS NULL THEN
        NEW.responded_at := t;
    END IF;
    IF NEW.state = 'resolved' THEN
        NEW.resolved_at := t;
    ELSIF NEW.state <> 'closed' THEN
        NEW.resolved_at := NULL;            -- reopened
    END IF;
    NEW.closed_at := CASE WHEN NEW.state = 'closed' THEN t END;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_before() IS
'BEFORE INSERT/UPDATE trigger of custvalue.work_order: validates state changes against custvalue.work_order_transition (23514 naming both states), stamps their time, keeps the SLA deadlines and the responded/resolved/closed times.';


CREATE FUNCTION @extschema@.work_order_record() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NULL;                -- the history is restored from the dump
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO @extschema@.work_order_history
            (work_order_id, changed_at, changed_by, from_state, to_state, from_channel, to_channel, assignee)
        VALUES (NEW.work_order_id, NEW.received_at, current_user, NULL, NEW.state, NULL, NEW.channel, NEW.assignee);
    ELSE
        INSERT INTO @extschema@.work_order_history
            (work_order_id, changed_at, changed_by, from_state, to_state, from_channel, to_channel, assignee)
        VALUES (NEW.work_order_id,
                CASE WHEN NEW.state <> OLD.state THEN NEW.state_changed_at ELSE clock_timestamp() END,
                current_user, OLD.state, NEW.state, OLD.channel, NEW.channel, NEW.assignee);
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_record() IS
'AFTER trigger of custvalue.work_order: appends receipt and every change of state, channel or assignee to custvalue.work_order_history.';


CREATE FUNCTION @extschema@.work_order_history_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A DELETE cascaded from custvalue.work_order runs inside the foreign
    -- key's trigger, so one level deeper than a direct statement.
    IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'custvalue.work_order_history is append-only'
        USING ERRCODE = 'check_violation',
              HINT = 'History goes when its work order is deleted.';
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_history_append_only() IS
'Trigger that refuses UPDATE and direct DELETE of custvalue.work_order_history.  (TRUNCATE stays possible for the table owner: custvalue.generate_demo() empties every table that references the reference model.)';


-- Open clocks that have run out.  Exactly at the deadline is still on time.
CREATE FUNCTION @extschema@.work_orders_overdue_at(at timestamptz)
    RETURNS TABLE (work_order_id bigint, customer_id bigint, tier @extschema@.tier, kind text,
                   severity text, state text, channel text, assignee text, received_at timestamptz,
                   clock text, due_at timestamptz, overdue_by interval)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT w.work_order_id, w.customer_id, w.tier, w.kind, w.severity, w.state, w.channel, w.assignee,
           w.received_at, c.clock, c.due_at, work_orders_overdue_at.at - c.due_at
      FROM @extschema@.work_order w
     CROSS JOIN LATERAL (VALUES ('respond', w.respond_by, w.responded_at),
                                ('resolve', w.resolve_by, w.resolved_at)) AS c(clock, due_at, met_at)
     WHERE c.due_at < work_orders_overdue_at.at
       AND (c.met_at IS NULL OR c.met_at > work_orders_overdue_at.at)
       AND (w.closed_at IS NULL OR w.closed_at > work_orders_overdue_at.at);
END;
COMMENT ON FUNCTION @extschema@.work_orders_overdue_at(timestamptz) IS
'Work orders whose response or resolution clock had run out at the instant at and was not met by then (one row per order and clock).  Due exactly at at is on time.  For a past instant it reads the current times: an order reopened since counts by its latest resolution.';

CREATE VIEW @extschema@.work_orders_overdue WITH (security_invoker = true) AS
SELECT * FROM @extschema@.work_orders_overdue_at(now());
COMMENT ON VIEW @extschema@.work_orders_overdue IS
'Open work orders whose response or resolution clock has run out at now(): one row per order and clock (respond, resolve), with the deadline and how long ago it passed.  An order is on time exactly at its deadline.  custvalue.work_orders_overdue_at(instant) gives the same for another instant.';

-- Compliance per tier (at receipt) and month of receipt (session time zone).
-- An order counts for a clock once the outcome is known: the clock was met
-- (on time when met_at <= due) or its deadline has passed unmet (a breach).
CREATE VIEW @extschema@.sla_compliance_by_tier_month WITH (security_invoker = true) AS
WITH o AS (
    SELECT w.tier,
           date_trunc('month', w.received_at)::date AS month,
           w.state,
           w.respond_by IS NOT NULL AND (w.responded_at IS NOT NULL OR w.respond_by < now()) AS respond_decided,
           w.responded_at <= w.respond_by AS respond_on_time,
           w.resolve_by IS NOT NULL AND (w.resolved_at IS NOT NULL OR w.resolve_by < now()) AS resolve_decided,
           w.resolved_at <= w.resolve_by AS resolve_on_time
      FROM @extschema@.work_order w
)
SELECT o.tier,
       o.month,
       count(*) AS received,
       count(*) FILTER (WHERE o.state NOT IN ('resolved', 'closed')) AS open,
       count(*) FILTER (WHERE o.respond_decided) AS response_due,
       count(*) FILTER (WHERE o.respond_decided AND o.respond_on_time) AS responded_on_time,
       round(100.0 * count(*) FILTER (WHERE o.respond_decided AND o.respond_on_time)
             / nullif(count(*) FILTER (WHERE o.respond_decided), 0), 2) AS response_compliance_pct,
       count(*) FILTER (WHERE o.resolve_decided) AS resolution_due,
       count(*) FILTER (WHERE o.resolve_decided AND o.resolve_on_time) AS resolved_on_time,
       round(100.0 * count(*) FILTER (WHERE o.resolve_decided AND o.resolve_on_time)
             / nullif(count(*) FILTER (WHERE o.resolve_decided), 0), 2) AS resolution_compliance_pct
  FROM o
 GROUP BY o.tier, o.month;
COMMENT ON VIEW @extschema@.sla_compliance_by_tier_month IS
'SLA compliance per tier (at receipt) and month of receipt (in the session time zone).  response_due/resolution_due count orders whose clock is decided: met, or deadline passed unmet; *_on_time count those met at or before the deadline; *_compliance_pct = on time / due × 100 (NULL when nothing is due).';

CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.work_order_sla
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.work_order_transition
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.work_order_sla', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.work_order_transition', '');

-- ===== src/sql/520_survey_request.sql =====
-- The post-service survey (seed 000: after a service the system sends one
-- survey SMS, "是否满意").  Resolving a work order records the service as a
-- custvalue.service_event and queues a survey request for it; the sender
-- takes due requests from custvalue.survey_outbox, marks them sent, and the
-- answer lands in custvalue.survey_response linked to the event, where the
-- satisfaction views read it.

INSERT INTO @extschema@.setting VALUES
    ('survey_delay_minutes', 0, 'minutes',
     'Delay between resolving a work order and sending its post-service survey SMS. Design default: at once (the seed''s survey goes out automatically after the service).')
ON CONFLICT (name) DO NOTHING;

SELECT @extschema@.define_source('survey_request',
    'Post-service survey queue: one request per resolution of a work order, for the service_event that resolution recorded.  state: pending (to send from due_at), sent, answered (response_id is the custvalue.survey_response), cancelled (the order was reopened before the survey went out).',
    ARRAY['request_id bigint', 'work_order_id bigint', 'customer_id bigint', 'event_id bigint',
          'channel text', 'due_at timestamptz', 'state text', 'sent_at timestamptz', 'response_id bigint']);

CREATE VIEW @extschema@.survey_outbox WITH (security_invoker = true) AS
SELECT r.request_id, r.work_order_id, r.customer_id, r.event_id, r.channel, r.due_at
  FROM @extschema@.survey_request r
 WHERE r.state = 'pending' AND r.due_at <= now();
COMMENT ON VIEW @extschema@.survey_outbox IS
'Survey requests to send now: pending and due.  The sender marks each with custvalue.survey_sent(request_id).';

CREATE FUNCTION @extschema@.work_order_survey() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ev bigint;
BEGIN
    IF NEW.state = 'resolved' THEN
        INSERT INTO @extschema@.service_event (customer_id, occurred_at, service_item, channel, manager)
        VALUES (NEW.customer_id, NEW.resolved_at, NEW.service_item, NEW.channel, NEW.assignee)
        RETURNING event_id INTO ev;
        INSERT INTO @extschema@.survey_request (work_order_id, customer_id, event_id, due_at)
        VALUES (NEW.work_order_id, NEW.customer_id, ev,
                NEW.resolved_at + make_interval(mins => @extschema@.setting('survey_delay_minutes')::int));
    ELSIF OLD.state = 'resolved' AND NEW.state <> 'closed' THEN
        -- Reopened: a survey not yet sent would ask about a service that
        -- did not solve the problem.
        UPDATE @extschema@.survey_request SET state = 'cancelled'
         WHERE work_order_id = NEW.work_order_id AND state = 'pending';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_survey() IS
'AFTER UPDATE OF state trigger of custvalue.work_order: on resolution records the service as a custvalue.service_event and queues its survey in custvalue.survey_request; on reopening cancels surveys not yet sent.';


CREATE FUNCTION @extschema@.survey_sent(request_id bigint, sent_at timestamptz DEFAULT now())
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text;
BEGIN
    SELECT r.state INTO st FROM @extschema@.survey_request r
     WHERE r.request_id = survey_sent.request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no survey request %', request_id USING ERRCODE = 'no_data_found';
    END IF;
    IF st <> 'pending' THEN
        RAISE EXCEPTION 'survey request % is %, not pending', request_id, st
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE @extschema@.survey_request r SET state = 'sent', sent_at = survey_sent.sent_at
     WHERE r.request_id = survey_sent.request_id;
END;
$$;
COMMENT ON FUNCTION @extschema@.survey_sent(bigint, timestamptz) IS
'Marks a pending survey request as sent.  Unknown request: P0002; not pending: 55000.';

CREATE FUNCTION @extschema@.survey_answer(request_id bigint, satisfied boolean,
                                          csat smallint DEFAULT NULL, nps smallint DEFAULT NULL,
                                          answered_at timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record;
    resp bigint;
BEGIN
    SELECT r.* INTO req FROM @extschema@.survey_request r
     WHERE r.request_id = survey_answer.request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no survey request %', request_id USING ERRCODE = 'no_data_found';
    END IF;
    IF req.state <> 'sent' THEN
        RAISE EXCEPTION 'survey request % is %, so it cannot be answered', request_id, req.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only a sent survey can be answered.';
    END IF;
    IF survey_answer.answered_at < req.sent_at THEN
        RAISE EXCEPTION 'survey request %: answered at % before it was sent at %',
                request_id, survey_answer.answered_at, req.sent_at
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO @extschema@.survey_response (customer_id, event_id, answered_at, channel, satisfied, csat, nps)
    VALUES (req.customer_id, req.event_id, survey_answer.answered_at, req.channel,
            survey_answer.satisfied, survey_answer.csat, survey_answer.nps)
    RETURNING response_id INTO resp;
    UPDATE @extschema@.survey_request r SET state = 'answered', response_id = resp
     WHERE r.request_id = survey_answer.request_id;
    RETURN resp;
END;
$$;
COMMENT ON FUNCTION @extschema@.survey_answer(bigint, boolean, smallint, smallint, timestamptz) IS
'Records the answer to a sent survey request in custvalue.survey_response (linked to the request''s service_event) and marks the request answered; returns the response_id.  Unknown request: P0002; not sent (pending, answered, cancelled): 55000.';

-- ===== src/sql/530_work_order_demo.sql =====
-- Demo work orders: the demo generator (150_demo.sql) writes complaints but
-- no work orders.  demo_work_orders() turns every complaint into a work
-- order and replays its life through the state machine, so the triggers,
-- history, SLA views and survey queue run on the demo data exactly as on
-- real data.  Deterministic: every choice is a hash of the complaint id.

CREATE FUNCTION @extschema@.demo_work_orders() RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    -- Earlier demo orders, with the service events their resolutions made.
    DELETE FROM @extschema@.service_event
     WHERE event_id IN (SELECT r.event_id FROM @extschema@.survey_request r);
    DELETE FROM @extschema@.work_order;

    -- One plan row per complaint: channel (one of the tier's first three
    -- complaint channels), whether 10086 / multimedia could not handle it
    -- (1 in 4: escalated by the coordination rules), and the times of each
    -- step as fractions of the time to resolution.
    CREATE TEMP TABLE demo_wo_plan ON COMMIT DROP AS
    WITH c AS (
        SELECT c.complaint_id, c.customer_id, c.severity, c.filed_at, c.resolved_at, p.tier,
               abs(hashint8(c.complaint_id)::bigint) AS h
          FROM @extschema@.complaint c
          JOIN @extschema@.customer_profile p USING (customer_id)
    )
    SELECT c.*,
           ch.channel,
           ch.channel IN ('10086', 'multimedia_manager', 'web') AND c.h % 4 = 0 AS escalate,
           coalesce(c.resolved_at - c.filed_at, interval '30 hours') AS span
      FROM c
      JOIN LATERAL (
          SELECT s.channel FROM @extschema@.service_channel_choice s
           WHERE s.service_item = 'complaint' AND s.tier OPERATOR(@extschema@.=) c.tier
           ORDER BY s.choice
          OFFSET (c.h % 3) LIMIT 1) ch ON true;

    INSERT INTO @extschema@.work_order (customer_id, tier, service_item, channel, kind, severity,
                                        received_at, summary)
    SELECT customer_id, tier, 'complaint', channel, 'complaint', severity, filed_at,
           'demo complaint ' || complaint_id
      FROM demo_wo_plan ORDER BY filed_at;
    GET DIAGNOSTICS n = ROW_COUNT;
    ALTER TABLE demo_wo_plan ADD COLUMN work_order_id bigint;
    UPDATE demo_wo_plan p SET work_order_id = w.work_order_id
      FROM @extschema@.work_order w WHERE w.summary = 'demo complaint ' || p.complaint_id;

    UPDATE @extschema@.work_order w
       SET state = 'escalated', effective_at = p.filed_at + p.span * 0.05,
           channel = @extschema@.route_work_order(w.channel, 'beyond_capability', w.tier)
      FROM demo_wo_plan p WHERE p.work_order_id = w.work_order_id AND p.escalate;
    -- 1 in 20 unresolved complaints is never picked up.
    UPDATE @extschema@.work_order w
       SET state = 'assigned', effective_at = p.filed_at + p.span * 0.1,
           assignee = CASE WHEN w.channel IN ('phone_manager', 'account_manager')
                           THEN upper(left(w.channel, 1)) || 'M' || lpad((p.h % 40)::text, 2, '0') END
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND NOT (p.resolved_at IS NULL AND p.h % 20 = 7);
    -- Work starts after 10-50 % of the time to resolution.
    UPDATE @extschema@.work_order w
       SET state = 'in_progress', effective_at = p.filed_at + p.span * (0.1 + (p.h % 41) / 100.0)
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND w.state = 'assigned'
       AND (p.resolved_at IS NOT NULL OR p.h % 2 = 0);
    UPDATE @extschema@.work_order w
       SET state = 'resolved', effective_at = p.resolved_at
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND p.resolved_at IS NOT NULL;
    -- Closed a day after resolution (none reopened in the demo).
    UPDATE @extschema@.work_order w
       SET state = 'closed', effective_at = p.resolved_at + interval '1 day'
      FROM demo_wo_plan p
     WHERE p.work_order_id = w.work_order_id AND p.resolved_at IS NOT NULL
       AND p.resolved_at + interval '1 day' <= now() AND p.h % 10 <> 3;
    DROP TABLE demo_wo_plan;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@.demo_work_orders() IS
'Demo data: replaces all work orders by one per custvalue.complaint row (received at filed_at, resolved at resolved_at), routed, escalated and moved through the state machine deterministically; returns the number of orders.  Run after custvalue.generate_demo().';
-- Destructive, like generate_demo(): only its owner (and whom they grant) may run it.
REVOKE ALL ON FUNCTION @extschema@.demo_work_orders() FROM PUBLIC;

-- ===== src/sql/900_privacy.sql =====
-- Personal data (domain.md §10): phone, ID-card and bank-card numbers are
-- shown masked wherever a person does not need them.  The raw numbers are
-- the data source custvalue.customer_identity, readable only by members of
-- custvalue_pii (see 990_privileges.sql); everyone else reads the *_masked
-- columns of custvalue.customer.  In the reference tables the masks are
-- generated columns, computed once on write, and custvalue_reader holds
-- SELECT on every column but the raw ones, so the privilege system, not a
-- view's good manners, is what keeps the numbers hidden.

CREATE FUNCTION @extschema@.mask_phone(phone text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask_phone(text) IS
'Masked phone number: first 3 and last 4 digits kept, one * per other digit (13912341234 -> 139****1234).  Separators (space - . / parentheses) are kept; 8-10 digits show only the last 4, fewer show nothing.';

CREATE FUNCTION @extschema@.mask_id_card(id_card text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask_id_card(text) IS
'Masked resident ID-card number: first 4 (province and city) and last 4 characters kept, the birth date and sequence hidden (43010219900101123X -> 4301**********123X).  Fewer than 15 characters show nothing.';

CREATE FUNCTION @extschema@.mask_bank_card(bank_card text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask_bank_card(text) IS
'Masked bank-card number: first 6 (issuer) and last 4 digits kept, as PCI DSS allows at most (6222021234567890123 -> 622202*********0123).  12-15 digits show only the last 4, fewer show nothing.';

COMMENT ON COLUMN @extschema@.customer_identity.phone IS
'Mobile number (personal data: readable only by custvalue_pii; others read phone_masked).';
COMMENT ON COLUMN @extschema@.customer_identity.id_card IS
'Resident ID-card number (personal data: readable only by custvalue_pii; others read id_card_masked).';
COMMENT ON COLUMN @extschema@.customer_identity.bank_card IS
'Bank card for direct debit (personal data: readable only by custvalue_pii; others read bank_card_masked).';
COMMENT ON COLUMN @extschema@.customer.phone_masked IS 'mask_phone(phone): a generated column in the reference tables, derived from the bound relation''s phone otherwise.';
COMMENT ON COLUMN @extschema@.customer.id_card_masked IS 'mask_id_card(id_card): a generated column in the reference tables, derived from the bound relation''s id_card otherwise.';
COMMENT ON COLUMN @extschema@.customer.bank_card_masked IS 'mask_bank_card(bank_card): a generated column in the reference tables, derived from the bound relation''s bank_card otherwise.';

-- Who the customer is, with the numbers masked: what front-line staff and
-- reports use.
CREATE VIEW @extschema@.customer_directory WITH (security_invoker = true) AS
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       c.status,
       c.phone_masked AS phone,
       c.id_card_masked AS id_card,
       c.bank_card_masked AS bank_card,
       c.account_manager,
       c.phone_manager
  FROM @extschema@.customer c;
COMMENT ON VIEW @extschema@.customer_directory IS
'Customers with phone, ID-card and bank-card numbers masked (mask_phone, mask_id_card, mask_bank_card).  Readable by custvalue_reader; row-level security on custvalue.customer applies (security_invoker).';

-- The full numbers, for the few who need them (e.g. identity checks at a
-- service desk): custvalue_pii only, through the privileges of
-- custvalue.customer_identity and its table as well as this view's own.
CREATE VIEW @extschema@.customer_contact WITH (security_invoker = true) AS
SELECT c.customer_id,
       c.region,
       i.phone,
       i.id_card,
       i.bank_card
  FROM @extschema@.customer c
  JOIN @extschema@.customer_identity i USING (customer_id);
COMMENT ON VIEW @extschema@.customer_contact IS
'Unmasked phone, ID-card and bank-card numbers.  Readable only by members of custvalue_pii; row-level security on custvalue.customer applies.';

-- ===== src/sql/950_data_model.sql =====
-- The reference data model as ordinary tables in a schema the DBA chooses:
-- custvalue.create_data_model(schema) creates them, owned by the caller,
-- with the keys, checks, indexes and the work-order and survey triggers the
-- seed's processes need, grants the custvalue roles what they had on the
-- data, and binds every data source to them.  They are not members of the
-- extension: DROP EXTENSION leaves them and every row in them (without
-- CASCADE it refuses, because their triggers, foreign keys to custvalue's
-- catalogs and columns of custvalue types depend on it), and pg_dump dumps
-- them as the DBA's own tables.

-- A table of the data model says what its source view says: the source's
-- description on the table (when the table is the source's own) and the
-- comments of the view's columns on the table's columns of the same names.
CREATE FUNCTION @extschema@.describe_data_table(source text, rel regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stmt text;
BEGIN
    FOR stmt IN
        SELECT format('COMMENT ON COLUMN %s.%I IS %L', rel, a.attname, col_description(a.attrelid, a.attnum))
          FROM pg_attribute a
         WHERE a.attrelid = format('@extschema@.%I', source)::regclass
           AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NOT NULL
           AND EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = rel AND t.attname = a.attname)
         ORDER BY a.attnum
    LOOP
        EXECUTE stmt;
    END LOOP;
    IF (SELECT c.relname FROM pg_class c WHERE c.oid = rel) = source THEN
        EXECUTE format('COMMENT ON TABLE %s IS %L', rel,
                       (SELECT d.description FROM @extschema@.data_source d WHERE d.source = describe_data_table.source));
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.describe_data_table(text, regclass) IS
'Copies the description of the data source custvalue.<source> and its column comments onto rel, a table of the data model (used by custvalue.create_data_model()).';

CREATE FUNCTION @extschema@.create_data_model(schema name DEFAULT 'custvalue_data')
    RETURNS TABLE (source text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    pii_columns constant name[] := ARRAY['phone', 'id_card', 'bank_card'];
    src record;
    rel regclass;
    seq regclass;
    public_cols text;
BEGIN
    IF schema IS NULL THEN
        RAISE EXCEPTION 'create_data_model needs a schema name, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF schema = '@extschema@' OR schema LIKE 'pg\_%' OR schema = 'information_schema' THEN
        RAISE EXCEPTION 'the data model cannot go into schema %', schema
            USING ERRCODE = 'invalid_schema_name',
                  HINT = 'The operator''s data lives outside the extension''s schema, e.g. custvalue_data.';
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', schema);
    EXECUTE format($ddl$
CREATE TABLE %1$I.customer (
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

CREATE TABLE %1$I.monthly_bill (
    customer_id    bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
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
CREATE INDEX monthly_bill_month_idx ON %1$I.monthly_bill (month);

CREATE TABLE %1$I.bundle (
    bundle_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id    bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('prepaid', 'handset', 'gift', 'family')),
    grade          text CHECK (grade IN ('special', 'entry', 'middle', 'high')),
    started_on     date NOT NULL,
    ends_on        date NOT NULL,
    monthly_floor  numeric(12,2) NOT NULL DEFAULT 0 CHECK (monthly_floor >= 0),
    CHECK (ends_on > started_on),
    CHECK ((kind = 'gift') = (grade IS NOT NULL))
);
CREATE INDEX ON %1$I.bundle (customer_id);

CREATE TABLE %1$I.service_event (
    event_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    occurred_at   timestamptz NOT NULL,
    service_item  text NOT NULL,
    channel       text NOT NULL,
    manager       text
);
CREATE INDEX ON %1$I.service_event (customer_id);

CREATE TABLE %1$I.survey_response (
    response_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    event_id      bigint REFERENCES %1$I.service_event ON DELETE SET NULL,
    answered_at   timestamptz NOT NULL,
    channel       text,
    satisfied     boolean,
    csat          smallint CHECK (csat BETWEEN 1 AND 5),
    nps           smallint CHECK (nps BETWEEN 0 AND 10)
);
CREATE INDEX ON %1$I.survey_response (customer_id);

CREATE TABLE %1$I.complaint (
    complaint_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    filed_at      timestamptz NOT NULL,
    category      text NOT NULL,
    severity      text NOT NULL CHECK (severity IN ('major', 'ordinary', 'minor')),
    resolved_at   timestamptz,
    CHECK (resolved_at IS NULL OR resolved_at >= filed_at)
);
CREATE INDEX ON %1$I.complaint (customer_id);

ALTER TABLE %1$I.customer
    ADD COLUMN phone_masked text
        GENERATED ALWAYS AS (@extschema@.mask_phone(phone)) STORED,
    ADD COLUMN id_card_masked text
        GENERATED ALWAYS AS (@extschema@.mask_id_card(id_card)) STORED,
    ADD COLUMN bank_card_masked text
        GENERATED ALWAYS AS (@extschema@.mask_bank_card(bank_card)) STORED;

ALTER TABLE %1$I.service_event
    ADD FOREIGN KEY (service_item) REFERENCES @extschema@.service_item (code);

CREATE TABLE %1$I.value_population_snapshot (
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    scale             @extschema@.cvf_scale,
    customers         bigint NOT NULL,
    total_revenue     numeric NOT NULL,
    a_min_revenue     numeric,
    b_min_revenue     numeric,
    core_min_revenue  numeric,
    as_of_month       date NOT NULL,
    computed_at       timestamptz NOT NULL
);

CREATE TABLE %1$I.churn_model_store (
    name           text PRIMARY KEY,
    model          @extschema@.churn_model NOT NULL,
    feature_names  text[] NOT NULL,
    trained_at     timestamptz NOT NULL DEFAULT now(),
    note           text,
    CONSTRAINT churn_model_store_feature_count
        CHECK (cardinality(feature_names) = (@extschema@.churn_model_info(model)).features)
);

CREATE TABLE %1$I.service_cancellation (
    cancellation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id     bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    cancelled_at    timestamptz NOT NULL,
    service         text NOT NULL
);
CREATE INDEX ON %1$I.service_cancellation (customer_id);

ALTER TABLE %1$I.churn_model_store
    ADD CONSTRAINT churn_model_store_watchlist_features
    CHECK (name <> 'watchlist' OR feature_names = @extschema@.churn_feature_names());

CREATE TABLE %1$I.work_order (
    work_order_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id      bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    tier             @extschema@.tier NOT NULL,
    service_item     text NOT NULL REFERENCES @extschema@.service_item ON UPDATE CASCADE,
    channel          text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('request', 'complaint', 'fault')),
    severity         text NOT NULL DEFAULT 'ordinary' CHECK (severity IN ('major', 'ordinary', 'minor')),
    state            text NOT NULL DEFAULT 'received'
        CHECK (state IN ('received', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed')),
    assignee         text,
    summary          text,
    received_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    state_changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    effective_at     timestamptz CHECK (effective_at IS NULL),
    respond_by       timestamptz,
    resolve_by       timestamptz,
    responded_at     timestamptz,
    resolved_at      timestamptz,
    closed_at        timestamptz,
    CHECK (state_changed_at >= received_at),
    CHECK (respond_by > received_at AND resolve_by > received_at),
    CHECK (responded_at >= received_at AND resolved_at >= responded_at AND closed_at >= received_at),
    CHECK (state NOT IN ('in_progress', 'resolved') OR responded_at IS NOT NULL),
    CHECK (state <> 'resolved' OR resolved_at IS NOT NULL),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX ON %1$I.work_order (customer_id);
CREATE INDEX ON %1$I.work_order (received_at);
CREATE INDEX work_order_open_idx ON %1$I.work_order (respond_by, resolve_by)
    WHERE state NOT IN ('resolved', 'closed');

CREATE TABLE %1$I.work_order_history (
    history_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_order_id  bigint NOT NULL REFERENCES %1$I.work_order ON DELETE CASCADE,
    changed_at     timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    changed_by     name NOT NULL DEFAULT current_user,
    from_state     text,
    to_state       text NOT NULL,
    from_channel   text,
    to_channel     text NOT NULL,
    assignee       text,
    CHECK ((from_state IS NULL) = (from_channel IS NULL))
);
CREATE INDEX ON %1$I.work_order_history (work_order_id, history_id);

CREATE TRIGGER work_order_before BEFORE INSERT OR UPDATE ON %1$I.work_order
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_before();

CREATE TRIGGER work_order_record_insert AFTER INSERT ON %1$I.work_order
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_record();

CREATE TRIGGER work_order_record_update AFTER UPDATE OF state, channel, assignee ON %1$I.work_order
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.channel IS DISTINCT FROM NEW.channel
                       OR OLD.assignee IS DISTINCT FROM NEW.assignee)
    EXECUTE FUNCTION @extschema@.work_order_record();

CREATE TRIGGER work_order_history_append_only BEFORE UPDATE OR DELETE ON %1$I.work_order_history
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_history_append_only();

CREATE INDEX survey_response_event_id_idx ON %1$I.survey_response (event_id);

CREATE TABLE %1$I.survey_request (
    request_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_order_id  bigint NOT NULL REFERENCES %1$I.work_order ON DELETE CASCADE,
    customer_id    bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    event_id       bigint NOT NULL UNIQUE REFERENCES %1$I.service_event ON DELETE CASCADE,
    channel        text NOT NULL DEFAULT 'sms' REFERENCES @extschema@.channel ON UPDATE CASCADE,
    due_at         timestamptz NOT NULL,
    state          text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sent', 'answered', 'cancelled')),
    sent_at        timestamptz,
    response_id    bigint UNIQUE REFERENCES %1$I.survey_response ON DELETE CASCADE,
    CHECK ((state IN ('sent', 'answered')) = (sent_at IS NOT NULL) OR (state = 'cancelled')),
    CHECK ((state = 'answered') = (response_id IS NOT NULL))
);
CREATE INDEX ON %1$I.survey_request (work_order_id);
CREATE INDEX survey_request_pending_idx ON %1$I.survey_request (due_at) WHERE state = 'pending';

CREATE TRIGGER work_order_survey AFTER UPDATE OF state ON %1$I.work_order
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state
                       AND (NEW.state = 'resolved' OR OLD.state = 'resolved'))
    EXECUTE FUNCTION @extschema@.work_order_survey();
$ddl$, schema);

    -- The watchlist's design prior, until churn_train_watchlist_model().
    EXECUTE format($ins$INSERT INTO %I.churn_model_store (name, model, feature_names, trained_at, note)
VALUES ('watchlist',
        'n=0 l2=0 iterations=0 loglik=0 coef={-4,2,1.5,0.5,-0.15,0.9,0.5,0.4,1.2,0.3,1.5,0.6}',
        @extschema@.churn_feature_names(), '2026-01-01 00:00+00',
        'Design prior, not fitted: base churn about 2 %% per quarter, raised by each signal.  Replace with SELECT custvalue.churn_train_watchlist_model();')$ins$,
                   schema);

    EXECUTE format('GRANT USAGE ON SCHEMA %I TO custvalue_reader, custvalue_admin, custvalue_pii', schema);
    FOR src IN
        SELECT d.source, d.description,
               -- customer_identity: the personal numbers of customer
               CASE d.source WHEN 'customer_identity' THEN 'customer' ELSE d.source END AS tab
          FROM @extschema@.data_source d ORDER BY d.source
    LOOP
        rel := format('%I.%I', schema, src.tab)::regclass;
        PERFORM @extschema@.describe_data_table(src.source, rel);
        PERFORM @extschema@.bind_source(src.source, rel);
        source := src.source;
        relation := rel;
        RETURN NEXT;
        CONTINUE WHEN src.tab <> src.source;

        -- custvalue_reader reads everything but personal numbers,
        -- custvalue_pii everything, custvalue_admin writes.
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO public_cols
          FROM pg_attribute a
         WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
           AND a.attname <> ALL (pii_columns);
        IF EXISTS (SELECT FROM pg_attribute a
                    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                      AND a.attname = ANY (pii_columns)) THEN
            EXECUTE format('GRANT SELECT (%s) ON %s TO custvalue_reader', public_cols, rel);
        ELSE
            EXECUTE format('GRANT SELECT ON %s TO custvalue_reader', rel);
        END IF;
        EXECUTE format('GRANT SELECT ON %s TO custvalue_pii', rel);
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %s TO custvalue_admin', rel);
        FOR seq IN
            SELECT d.objid::regclass
              FROM pg_depend d
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
               AND d.refobjid = rel AND d.deptype IN ('a', 'i')
               AND (SELECT c.relkind FROM pg_class c WHERE c.oid = d.objid) = 'S'
        LOOP
            EXECUTE format('GRANT SELECT ON SEQUENCE %s TO custvalue_reader', seq);
            EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO custvalue_admin', seq);
        END LOOP;

    END LOOP;
END;
$fn$;
COMMENT ON FUNCTION @extschema@.create_data_model(name) IS
'Creates the reference data model (customer, monthly_bill, bundle, service_event, survey_response, complaint, service_cancellation, work_order, work_order_history, survey_request, value_population_snapshot, churn_model_store) as ordinary tables owned by the caller in schema (created if missing; default custvalue_data), with their keys, checks, indexes and the work-order and survey triggers, grants custvalue_reader (all but phone, id_card, bank_card), custvalue_pii and custvalue_admin (write), and binds every data source to them.  Returns the sources and their tables.  The tables are not part of the extension: DROP EXTENSION never drops them.';

-- ===== src/sql/990_privileges.sql =====
-- Roles, privileges and dump support for every table and view of the
-- extension.  This file runs last, so it covers what every other file made;
-- it works from the catalog (the extension's members), not from a list.
--
-- Roles (cluster-wide, so created only when missing and left behind by
-- DROP EXTENSION; drop them by hand when no database uses custvalue):
--   custvalue_reader  reads policy, catalog, reference data and views, with
--                     personal numbers only in masked form;
--   custvalue_admin   custvalue_reader + INSERT/UPDATE/DELETE on every table:
--                     edits policies and catalogs, loads reference data;
--   custvalue_pii     custvalue_reader + the unmasked phone, ID-card and
--                     bank-card columns (custvalue.customer_contact).
-- Nobody else gets anything beyond PUBLIC's default EXECUTE on functions,
-- and the functions read tables with the caller's privileges (there is no
-- SECURITY DEFINER), so granting a role is the one way in.

DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['custvalue_reader', 'custvalue_admin', 'custvalue_pii'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    IF NOT pg_catalog.pg_has_role('custvalue_admin', 'custvalue_reader', 'MEMBER') THEN
        GRANT custvalue_reader TO custvalue_admin;
    END IF;
    IF NOT pg_catalog.pg_has_role('custvalue_pii', 'custvalue_reader', 'MEMBER') THEN
        GRANT custvalue_reader TO custvalue_pii;
    END IF;
END;
$roles$;

GRANT USAGE ON SCHEMA @extschema@ TO custvalue_reader, custvalue_admin, custvalue_pii;

-- pg_dump/pg_restore of tables that CREATE EXTENSION fills with defaults.
-- Such a table is marked for dumping (pg_extension_config_dump), so a DBA's
-- edits survive, but on restore CREATE EXTENSION has already inserted the
-- defaults and the dumped rows would collide with them.  This trigger makes
-- the dumped row replace the default one.  It acts only in a session that
-- replays a pg_dump script, recognised by the settings every such script
-- makes (search_path '' and row_security off); anywhere else an INSERT of an
-- existing key is the usual unique violation.  Validation triggers are
-- deferred to the end of the restore's transaction, because rows come back
-- one by one and the intermediate states of a consistent policy need not be
-- consistent.  Limitation: a default row the DBA deleted comes back.
--
-- No SET search_path here on purpose: the trigger must see the caller's; the
-- body names everything with its schema.
CREATE FUNCTION @extschema@.restore_merge() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    key_match text;
    assignments text;
    n bigint;
BEGIN
    IF pg_catalog.current_setting('row_security') OPERATOR(pg_catalog.<>) 'off'
       OR pg_catalog.current_setting('search_path') OPERATOR(pg_catalog.<>) '' THEN
        RETURN NEW;
    END IF;

    -- The key's equality operators, from the primary key's operator
    -- classes: right for every type (enums, domains, custvalue.tier, ...)
    -- whatever the search_path.
    SELECT pg_catalog.string_agg(pg_catalog.format('t.%1$I OPERATOR(%2$I.%3$s) ($1).%1$I',
                                                  a.attname, ns.nspname, o.oprname), ' AND ')
      INTO key_match
      FROM pg_catalog.pg_index i
     CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(i.indkey::pg_catalog.int2[]),
                                   pg_catalog.unnest(i.indclass::pg_catalog.oid[]))
           AS k(attnum, opclass)
      JOIN pg_catalog.pg_attribute a
        ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid
       AND a.attnum OPERATOR(pg_catalog.=) k.attnum
      JOIN pg_catalog.pg_opclass oc ON oc.oid OPERATOR(pg_catalog.=) k.opclass
      JOIN pg_catalog.pg_amop ao
        ON ao.amopfamily OPERATOR(pg_catalog.=) oc.opcfamily
       AND ao.amopmethod OPERATOR(pg_catalog.=) oc.opcmethod
       AND ao.amopstrategy OPERATOR(pg_catalog.=) 3
       AND ao.amoplefttype OPERATOR(pg_catalog.=) oc.opcintype
       AND ao.amoprighttype OPERATOR(pg_catalog.=) oc.opcintype
      JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) ao.amopopr
      JOIN pg_catalog.pg_namespace ns ON ns.oid OPERATOR(pg_catalog.=) o.oprnamespace
     WHERE i.indrelid OPERATOR(pg_catalog.=) TG_RELID AND i.indisprimary;

    SELECT pg_catalog.string_agg(pg_catalog.format('%1$I = ($1).%1$I', a.attname), ', ')
      INTO assignments
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) TG_RELID
       AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
       AND a.attgenerated OPERATOR(pg_catalog.=) ''
       AND a.attidentity OPERATOR(pg_catalog.<>) 'a';

    IF key_match IS NULL OR assignments IS NULL THEN
        RETURN NEW;
    END IF;

    SET CONSTRAINTS ALL DEFERRED;
    EXECUTE pg_catalog.format('UPDATE %I.%I AS t SET %s WHERE %s',
                              TG_TABLE_SCHEMA, TG_TABLE_NAME, assignments, key_match)
      USING NEW;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n OPERATOR(pg_catalog.>) 0 THEN
        RETURN NULL;            -- the default row now holds the dumped values
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.restore_merge() IS
'BEFORE INSERT trigger on tables that CREATE EXTENSION fills with defaults: while a pg_dump script is replayed (search_path '''' and row_security off), a dumped row whose key exists replaces that row instead of failing, so policy edits survive dump and restore.';

DO $grants$
DECLARE
    ext oid := (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'custvalue');
    pii_columns name[] := ARRAY['phone', 'id_card', 'bank_card'];
    rel record;
    public_cols text;
    has_pk boolean;
    has_rows boolean;
    pii_views oid[];
    -- The data source views (115_data_source.sql) stand for the DBA's
    -- tables: they are granted like tables, columns and all.
    source_views oid[] := (SELECT pg_catalog.array_agg(pg_catalog.to_regclass(
                                      pg_catalog.format('@extschema@.%I', d.source)))
                             FROM @extschema@.data_source d);
BEGIN
    -- Views and materialized views that read a personal-number column of a
    -- table, directly or through another such view.
    WITH RECURSIVE pii(relid) AS (
        SELECT r.ev_class
          FROM pg_catalog.pg_rewrite r
          JOIN pg_catalog.pg_depend d
            ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
           AND d.objid OPERATOR(pg_catalog.=) r.oid
           AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
          JOIN pg_catalog.pg_attribute a
            ON a.attrelid OPERATOR(pg_catalog.=) d.refobjid
           AND a.attnum OPERATOR(pg_catalog.=) d.refobjsubid
          JOIN pg_catalog.pg_class t ON t.oid OPERATOR(pg_catalog.=) a.attrelid
         WHERE (t.relkind IN ('r', 'p', 'f') OR t.oid OPERATOR(pg_catalog.=) ANY (source_views))
           AND a.attname OPERATOR(pg_catalog.=) ANY (pii_columns)
        UNION
        SELECT r.ev_class
          FROM pii
          JOIN pg_catalog.pg_depend d
            ON d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
           AND d.refobjid OPERATOR(pg_catalog.=) pii.relid
           AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
          JOIN pg_catalog.pg_rewrite r ON r.oid OPERATOR(pg_catalog.=) d.objid
         WHERE r.ev_class OPERATOR(pg_catalog.<>) pii.relid
    )
    -- A source view is granted column by column, like the table it stands
    -- for, whether or not it is bound yet.
    SELECT pg_catalog.array_agg(relid) INTO pii_views FROM pii
     WHERE relid OPERATOR(pg_catalog.<>) ALL (source_views);

    FOR rel IN
        SELECT c.oid, c.oid::pg_catalog.regclass AS name, c.relname, c.relkind,
               c.oid OPERATOR(pg_catalog.=) ANY (x.extconfig) AS dumped
          FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
          JOIN pg_catalog.pg_extension x ON x.oid OPERATOR(pg_catalog.=) d.refobjid
         WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
           AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
           AND d.refobjid OPERATOR(pg_catalog.=) ext
           AND d.deptype OPERATOR(pg_catalog.=) 'e'
         ORDER BY c.relname
    LOOP
        IF rel.relkind OPERATOR(pg_catalog.=) 'S' THEN
            EXECUTE pg_catalog.format('GRANT SELECT ON SEQUENCE %s TO custvalue_reader', rel.name);
            EXECUTE pg_catalog.format('GRANT USAGE, SELECT ON SEQUENCE %s TO custvalue_admin', rel.name);
            -- Identity sequences of dumped tables: keep their position too.
            IF NOT rel.dumped THEN
                PERFORM pg_catalog.pg_extension_config_dump(rel.name, '');
            END IF;
            CONTINUE;
        END IF;
        CONTINUE WHEN rel.relkind NOT IN ('r', 'p', 'v', 'm', 'f');

        -- Read: everyone in custvalue_reader, except personal numbers: the
        -- raw columns of tables, and views that show them.
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO public_cols
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) rel.oid
           AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
           AND a.attname OPERATOR(pg_catalog.<>) ALL (pii_columns);
        IF rel.oid OPERATOR(pg_catalog.=) ANY (pii_views) THEN
            NULL;               -- custvalue_pii only
        ELSIF (rel.relkind IN ('r', 'p', 'f') OR rel.oid OPERATOR(pg_catalog.=) ANY (source_views))
              AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                           WHERE a.attrelid OPERATOR(pg_catalog.=) rel.oid
                             AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
                             AND a.attname OPERATOR(pg_catalog.=) ANY (pii_columns)) THEN
            EXECUTE pg_catalog.format('GRANT SELECT (%s) ON %s TO custvalue_reader',
                                      public_cols, rel.name);
        ELSE
            EXECUTE pg_catalog.format('GRANT SELECT ON %s TO custvalue_reader', rel.name);
        END IF;
        EXECUTE pg_catalog.format('GRANT SELECT ON %s TO custvalue_pii', rel.name);

        IF rel.oid OPERATOR(pg_catalog.=) ANY (source_views) THEN
            -- Writes through a bound source reach the DBA's table, where
            -- that table's own privileges apply as well.
            EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON %s TO custvalue_admin', rel.name);
        END IF;
        CONTINUE WHEN rel.relkind NOT IN ('r', 'p');

        -- Write: custvalue_admin (and the owner).
        EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON %s TO custvalue_admin', rel.name);

        -- Every table holds data a DBA or loader put there: pg_dump must
        -- dump it (an extension's tables are otherwise dumped empty).
        IF NOT rel.dumped THEN
            PERFORM pg_catalog.pg_extension_config_dump(rel.name, '');
        END IF;

        -- Tables that come with default rows merge their dumped rows back.
        SELECT EXISTS (SELECT FROM pg_catalog.pg_index i
                        WHERE i.indrelid OPERATOR(pg_catalog.=) rel.oid AND i.indisprimary)
          INTO has_pk;
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s)', rel.name) INTO has_rows;
        IF has_pk AND has_rows
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_trigger g
                            WHERE g.tgrelid OPERATOR(pg_catalog.=) rel.oid
                              AND g.tgname OPERATOR(pg_catalog.=) 'restore_merge') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER restore_merge BEFORE INSERT ON %s '
                'FOR EACH ROW EXECUTE FUNCTION @extschema@.restore_merge()', rel.name);
        ELSIF has_rows AND NOT has_pk THEN
            -- sql/security.sql fails on such a table; do not break installs.
            RAISE WARNING 'custvalue table % has default rows but no primary key', rel.name
                USING HINT = 'pg_restore could not merge its dumped rows with the defaults.';
        END IF;
    END LOOP;
END;
$grants$;
