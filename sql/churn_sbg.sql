-- sBG cohort retention (Fader & Hardie, "How to Project Customer Retention",
-- 2007): the paper's two cohorts, curves, DERL, the per-customer aggregate,
-- errors and serial = parallel.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

-- The paper's survivor counts over years 0-7 and its estimates:
-- regular alpha 0.704, beta 1.182; high end alpha 0.668, beta 3.806.
CREATE TABLE public.fh_cohort (segment text, survivors float8[], paper_alpha float8, paper_beta float8);
INSERT INTO fh_cohort VALUES
    ('regular',  '{1000,631,468,382,326,289,262,241}', 0.704, 1.182),
    ('high end', '{1000,869,743,653,593,551,517,491}', 0.668, 3.806);
SELECT segment, round((e).alpha::numeric, 3) AS alpha, round((e).beta::numeric, 3) AS beta,
       round((e).alpha::numeric, 3) = paper_alpha::numeric AND round((e).beta::numeric, 3) = paper_beta::numeric AS matches_paper,
       round((e).loglik::numeric, 3) AS loglik, (e).customers, (e).periods
  FROM (SELECT segment, paper_alpha, paper_beta, sbg_fit(survivors) AS e FROM fh_cohort) s
 ORDER BY segment DESC;

-- It is a maximum: nudging either parameter by 1 % lowers the likelihood,
-- computed here independently in SQL from the recursion of P(T = t).
CREATE FUNCTION pg_temp.sbg_ll(s float8[], a float8, b float8) RETURNS float8
    LANGUAGE sql IMMUTABLE AS $$
    SELECT sum((s[t] - s[t + 1]) * ln(sbg_survival(a, b, t - 1) - sbg_survival(a, b, t)))
           + s[cardinality(s)] * ln(sbg_survival(a, b, cardinality(s) - 1))
      FROM generate_series(1, cardinality(s) - 1) t $$;
SELECT segment,
       abs(pg_temp.sbg_ll(survivors, (e).alpha, (e).beta) - (e).loglik) < 1e-9 AS loglik_consistent,
       pg_temp.sbg_ll(survivors, (e).alpha * 1.01, (e).beta) < (e).loglik
       AND pg_temp.sbg_ll(survivors, (e).alpha * 0.99, (e).beta) < (e).loglik
       AND pg_temp.sbg_ll(survivors, (e).alpha, (e).beta * 1.01) < (e).loglik
       AND pg_temp.sbg_ll(survivors, (e).alpha, (e).beta * 0.99) < (e).loglik AS is_maximum
  FROM (SELECT segment, survivors, sbg_fit(survivors) AS e FROM fh_cohort) s
 ORDER BY segment DESC;

-- Curves for the regular cohort (paper's Figure 3/4: fitted survival vs
-- actual, and the retention rate rising with tenure).
SELECT c.period, round(c.survival::numeric, 4) AS survival, round(1000 * c.survival) AS fitted,
       f.survivors[c.period + 1] AS actual, round(c.retention::numeric, 4) AS retention,
       round(c.churn_share::numeric, 4) AS churn_share
  FROM fh_cohort f, sbg_fit(f.survivors) e, sbg_curve(e.alpha, e.beta, 12) c
 WHERE f.segment = 'regular' ORDER BY c.period;

-- Hand checks at alpha = 1, beta = 2: r(1) = 2/3, r(2) = 3/4, S(2) = 1/2,
-- S(t) = prod_{i<=t} (i + 1)/(i + 2) = 2 / (t + 2).
SELECT sbg_retention(1, 2, 1) = 2/3.0 AS r1, sbg_retention(1, 2, 2) = 0.75 AS r2,
       abs(sbg_survival(1, 2, 2) - 0.5) < 1e-15 AS s2, abs(sbg_survival(1, 2, 9) - 2 / 11.0) < 1e-15 AS s9,
       sbg_survival(1, 2, 0) AS s0;

-- DERL against an independent sum of the series in SQL:
-- sum_{k>=0} S(n + k) / S(n - 1) / (1 + d)^k, n = renewals + 1.
SELECT segment, renewals,
       round(sbg_derl((e).alpha, (e).beta, 0.1, renewals)::numeric, 4) AS derl,
       abs(sbg_derl((e).alpha, (e).beta, 0.1, renewals)
           - (SELECT sum(sbg_survival((e).alpha, (e).beta, renewals + 1 + k)
                         / sbg_survival((e).alpha, (e).beta, renewals) / 1.1 ^ k)
                FROM generate_series(0, 600) k)) < 1e-9 AS matches_series
  FROM (SELECT segment, sbg_fit(survivors) AS e FROM fh_cohort) s, (VALUES (0), (1), (4)) v(renewals)
 ORDER BY segment DESC, renewals;
-- alpha = 1, beta = 1: r(t) = t / (t + 1); DERL at n = 1 and d -> small grows
-- without bound; at d = 1: sum_k 1/(k+2) / 2^k = 4 ln 2 - 2 (exactly).
SELECT abs(sbg_derl(1, 1, 1, 0) - (4 * ln(2) - 2)) < 1e-14 AS derl_closed_form;

-- The aggregate over individual customers, several cohorts at once, equals
-- the survivor-count version on the same data.
CREATE TABLE public.fh_customers AS
SELECT f.segment, t AS periods, true AS churned
  FROM fh_cohort f, generate_series(1, 7) t, generate_series(1, (f.survivors[t] - f.survivors[t + 1])::int)
UNION ALL
SELECT f.segment, 7, false FROM fh_cohort f, generate_series(1, f.survivors[8]::int);
SELECT segment, round((sbg_fit(periods, churned)).alpha::numeric, 3) AS alpha,
       round((sbg_fit(periods, churned)).beta::numeric, 3) AS beta
  FROM fh_customers GROUP BY segment ORDER BY segment DESC;
-- Right-censoring at different ages (two cohorts of the regular segment,
-- one observed 7 years, one only 3): still a proper fit.
SELECT round((e).alpha::numeric, 2) AS alpha, round((e).beta::numeric, 2) AS beta
  FROM (SELECT sbg_fit(periods, churned) AS e FROM (
        SELECT periods, churned FROM fh_customers WHERE segment = 'regular'
        UNION ALL
        SELECT least(periods, 3), churned AND periods <= 3 FROM fh_customers WHERE segment = 'regular') c) s;

-- Serial = parallel.
CREATE TABLE public.fh_big AS SELECT c.* FROM fh_customers c, generate_series(1, 20);
ANALYZE fh_big;
CREATE TABLE public.fh_serial AS SELECT sbg_fit(periods, churned)::text AS e FROM fh_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sbg_fit(periods, churned) FROM fh_big;
SELECT sbg_fit(periods, churned)::text = (SELECT e FROM fh_serial) AS parallel_equal FROM fh_big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- Errors and degenerate data.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.sbg_fit('{1000}'::float8[])$$,
    $$SELECT custvalue.sbg_fit('{1000, 1200}'::float8[])$$,
    $$SELECT custvalue.sbg_fit('{1000, -1}'::float8[])$$,
    $$SELECT custvalue.sbg_fit('{1000, NULL}'::float8[])$$,
    $$SELECT custvalue.sbg_fit('{1000, 1000, 1000}'::float8[])$$,
    $$SELECT custvalue.sbg_fit('{1000, 0}'::float8[])$$,
    -- constant retention 0.5 every year: no heterogeneity, MLE at infinity
    $$SELECT custvalue.sbg_fit('{1024,512,256,128,64,32,16,8}'::float8[])$$,
    $$SELECT custvalue.sbg_fit(0, true)$$,
    $$SELECT custvalue.sbg_survival(0, 1, 1)$$,
    $$SELECT custvalue.sbg_retention(1, 1, 0)$$,
    $$SELECT custvalue.sbg_derl(1, 1, 0, 0)$$,
    $$SELECT custvalue.sbg_derl(1, 1, 0.1, -1)$$
]) AS q;
SELECT sbg_fit(periods, churned) IS NULL AS empty_is_null FROM fh_customers WHERE false;

DROP TABLE fh_cohort, fh_customers, fh_big, fh_serial;
