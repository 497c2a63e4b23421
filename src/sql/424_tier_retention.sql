-- sBG retention per tier (in a file of its own: the 1.3 update replaces it).  A customer's tier here is the tier of their last
-- 12 billed months (churned customers keep the tier they left from); one
-- period is one year; a churned customer churned in year ceil(tenure).
CREATE OR REPLACE FUNCTION @extschema@.tier_retention(discount_rate float8 DEFAULT NULL)
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
    life text;
BEGIN
    -- Per tier and over all tiers (rank NULL), the sbg_fit state (two small
    -- histograms).  The fits, which may fail for a tier, come after.  Two
    -- groupings of one query, not GROUPING SETS, which Citus cannot split.
    life := $life$
            SELECT @extschema@.tier_rank(@extschema@.tier_of(s.annual::numeric(12,2),
                                                             s.arpu::numeric(12,2), c.vip_card)) AS rank,
                   c.churned_on IS NOT NULL AS churned,
                   (extract(year FROM age(coalesce(c.churned_on, $1), c.joined_on)) * 12
                    + extract(month FROM age(coalesce(c.churned_on, $1), c.joined_on)))::int AS months
              FROM @extschema@.customer c
              JOIN (SELECT b.customer_id,
                           sum(b.total_fee) AS annual,
                           avg(b.total_fee) FILTER (WHERE b.month > b.last_month
                                                    - make_interval(months => $2)) AS arpu
                      FROM (SELECT m.customer_id, m.month, m.total_fee,
                                   max(m.month) OVER (PARTITION BY m.customer_id) AS last_month
                              FROM @extschema@.monthly_bill m) b
                     WHERE b.month > b.last_month - make_interval(months => $3)
                     GROUP BY b.customer_id) s USING (customer_id)
             WHERE c.joined_on <= $1
$life$;
    life := 'SELECT l.rank, l.churned, CASE WHEN l.churned THEN l.months / 12 + 1 ELSE l.months / 12 END AS periods FROM ('
            || life || ') l';
    EXECUTE format($q$
        SELECT array_agg(g.rank), array_agg(g.state), array_agg(g.n), array_agg(g.n_churned)
          FROM (SELECT life.rank, @extschema@.sbg_fit_state(life.periods, life.churned) AS state,
                       count(*) AS n, count(*) FILTER (WHERE life.churned) AS n_churned
                  FROM (%1$s) life GROUP BY life.rank
                UNION ALL
                SELECT NULL, @extschema@.sbg_fit_state(life.periods, life.churned),
                       count(*), count(*) FILTER (WHERE life.churned)
                  FROM (%1$s) life) g$q$, life)
       INTO ranks, states, counts, churn_counts
      USING last_day, arpu_months, spend_months;

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
