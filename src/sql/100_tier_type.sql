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
