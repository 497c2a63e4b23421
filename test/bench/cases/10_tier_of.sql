-- tier_of(): one customer's tier from annual spend, ARPU and card status.
--
-- @kind      per-row
-- @requires  custvalue.tier_of(numeric,numeric,boolean)
-- @table     bench_tier
-- @floor     SELECT count(*) FROM @T@ WHERE annual_spend IS NOT NULL OR monthly_arpu IS NOT NULL OR vip_card IS NOT NULL
-- @custvalue SELECT count(custvalue.tier_of(annual_spend, monthly_arpu, vip_card)) FROM @T@
-- @plain     SELECT count(bench.tier_of_sql(annual_spend, monthly_arpu, vip_card)) FROM @T@
-- @plpgsql   SELECT count(bench.tier_of_plpgsql(annual_spend, monthly_arpu, vip_card)) FROM @T@
--
-- The inputs, exactly the columns tier_of() reads.
CREATE TABLE bench_tier AS
SELECT customer_id, annual_spend, monthly_arpu, vip_card FROM bench_profile;

-- What a DBA would write instead, with the thresholds of tier_policy baked
-- in as constants (the fastest either language can do; reading the policy
-- table per row would be far slower).  The SQL version is a single CASE in
-- an inlinable function, so the planner pastes the CASE into the query:
-- bench.sh checks that it was inlined.  Neither validates its input.
DO $do$
DECLARE
    t numeric[];
BEGIN
    SELECT array_agg(min_amount ORDER BY custvalue.tier_rank(tier)) INTO t
      FROM custvalue.tier_policy;
    EXECUTE format($f$
CREATE FUNCTION bench.tier_of_sql(annual_spend numeric, monthly_arpu numeric, vip_card boolean)
    RETURNS custvalue.tier LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE
         WHEN vip_card AND annual_spend >= %1$s THEN 'diamond'::custvalue.tier
         WHEN vip_card AND annual_spend >= %2$s THEN 'gold'::custvalue.tier
         WHEN vip_card AND annual_spend >= %3$s THEN 'silver'::custvalue.tier
         WHEN monthly_arpu >= %4$s THEN 'a'::custvalue.tier
         WHEN monthly_arpu >= %5$s THEN 'b'::custvalue.tier
         WHEN monthly_arpu IS NOT NULL THEN 'c'::custvalue.tier
       END
$$;
CREATE FUNCTION bench.tier_of_plpgsql(annual_spend numeric, monthly_arpu numeric, vip_card boolean)
    RETURNS custvalue.tier LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    IF vip_card AND annual_spend IS NOT NULL THEN
        IF annual_spend >= %1$s THEN RETURN 'diamond'::custvalue.tier;
        ELSIF annual_spend >= %2$s THEN RETURN 'gold'::custvalue.tier;
        ELSIF annual_spend >= %3$s THEN RETURN 'silver'::custvalue.tier;
        END IF;
    END IF;
    IF monthly_arpu IS NULL THEN
        RETURN NULL;
    ELSIF monthly_arpu >= %4$s THEN RETURN 'a'::custvalue.tier;
    ELSIF monthly_arpu >= %5$s THEN RETURN 'b'::custvalue.tier;
    END IF;
    RETURN 'c'::custvalue.tier;
END
$$;
$f$, t[6], t[5], t[4], t[3], t[2]);
END
$do$;

-- The three must agree on every row before their speed means anything.
DO $$
BEGIN
    IF EXISTS (SELECT FROM bench_tier
                WHERE custvalue.tier_of(annual_spend, monthly_arpu, vip_card)::text
                      IS DISTINCT FROM bench.tier_of_sql(annual_spend, monthly_arpu, vip_card)::text
                   OR custvalue.tier_of(annual_spend, monthly_arpu, vip_card)::text
                      IS DISTINCT FROM bench.tier_of_plpgsql(annual_spend, monthly_arpu, vip_card)::text) THEN
        RAISE EXCEPTION 'bench: tier_of equivalents disagree with custvalue.tier_of';
    END IF;
END
$$;
