-- Satisfaction aggregates: textbook cases computed by hand, boundary
-- answers, empty groups, bad input, policy changes, and parallel = serial.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

SELECT * FROM satisfaction_policy;

-- The normal quantile behind every interval: z(0.975) = 1.959963984540054,
-- z(0.995) = 2.5758293035489004, z(0.5) = 0, symmetric in the tails.
SELECT round(normal_quantile(0.975)::numeric, 14) AS z95,
       round(normal_quantile(0.995)::numeric, 14) AS z99,
       normal_quantile(0.5) AS z50,
       round((normal_quantile(0.025) + normal_quantile(0.975))::numeric, 12) AS symmetric,
       round(normal_quantile(1e-10)::numeric, 8) AS z_1e10;

-- Student t, the critical value of every interval of a mean, against R's
-- qt(): 12.706204736174694, 4.302652729749462, 2.228138851986274,
-- 1.983971518523552, 1.962336705280879 (df 1001: the expansion branch),
-- and qt(0.995, 5) = 4.032142983555229.
SELECT df, round(t_quantile(0.975, df)::numeric, 12) AS t975
  FROM unnest(ARRAY[1, 2, 10, 100, 1001]::float8[]) df;
SELECT round(t_quantile(0.995, 5)::numeric, 12) AS t995_5,
       round(t_quantile(0.975, 1e12)::numeric, 9) = round(normal_quantile(0.975)::numeric, 9) AS large_df_is_normal;
SELECT pg_temp.expect_error($$SELECT custvalue.t_quantile(0.4, 3)$$),
       pg_temp.expect_error($$SELECT custvalue.t_quantile(0.975, 0.5)$$);

-- ===== CSAT =====
-- 5-point answers 5,5,4,3,2,1,4,5,3,4: 6 of 10 are 4 or 5 -> 60 %.
-- Wilson at 95 %: p = .6, n = 10, z² = 3.841459: centre = (.6 + .192073)/1.384146
-- = .572247, half = 1.416008 · sqrt(.024 + .0096036) = .259573
-- -> [31.2674, 83.1820] %.
SELECT (r).satisfied, (r).n, (r).csat, round((r).ci_low::numeric, 4) AS ci_low,
       round((r).ci_high::numeric, 4) AS ci_high
  FROM (SELECT csat(a) AS r FROM unnest(ARRAY[5,5,4,3,2,1,4,5,3,4]) a) s;

-- The same through the explicit scale/threshold form and the yes/no form.
SELECT (csat(a, 5, 4)).csat AS explicit_form,
       (csat(a >= 4)).csat AS boolean_form
  FROM unnest(ARRAY[5,5,4,3,2,1,4,5,3,4]) a;

-- The interval against the closed formula written out in SQL.
WITH c AS (SELECT 6.0 AS s, 10.0 AS n, normal_quantile(0.975)::numeric AS z),
     w AS (SELECT (s/n + z*z/(2*n)) / (1 + z*z/n) AS centre,
                  z / (1 + z*z/n) * sqrt(s/n*(1 - s/n)/n + z*z/(4*n*n)) AS half FROM c)
SELECT round(100*(centre - half), 10) = round((r).ci_low::numeric, 10) AS low_ok,
       round(100*(centre + half), 10) = round((r).ci_high::numeric, 10) AS high_ok
  FROM w, (SELECT csat(a) AS r FROM unnest(ARRAY[5,5,4,3,2,1,4,5,3,4]) a) s;

-- 88 of 100 satisfied (the seed's VIP January): [80.1879, 93.0006] %.
SELECT round(ci_low::numeric, 4), round(ci_high::numeric, 4) FROM wilson_interval(88, 100);
-- The ends: all or nothing gives an exact 0 or 100 end and stays in range.
SELECT (csat(x)).* FROM unnest(array_fill(true, ARRAY[20])) x;
SELECT (csat(x)).* FROM unnest(array_fill(false, ARRAY[20])) x;
SELECT (csat(true)).*;

-- Threshold boundary on a 10-point scale: threshold 7 counts 7 but not 6.
SELECT a, (csat(a, 10, 7)).satisfied FROM unnest(ARRAY[6, 7, 10, 1]) a GROUP BY a ORDER BY a;

-- Empty groups are NULL, not an error; NULL answers are ignored.
SELECT csat(a) IS NULL AS no_rows FROM unnest(ARRAY[]::int[]) a;
SELECT csat(a) IS NULL AS only_nulls FROM unnest(ARRAY[NULL, NULL]::int[]) a;
SELECT (csat(a)).n AS nulls_skipped FROM unnest(ARRAY[5, NULL, 1]::int[]) a;
SELECT g, csat(a) FROM (VALUES (1, 5), (2, NULL)) v(g, a) GROUP BY g ORDER BY g;

-- Bad answers and parameters: clear errors.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.csat(a) FROM unnest(ARRAY[5, 6]) a$$,
    $$SELECT custvalue.csat(a) FROM unnest(ARRAY[0]) a$$,
    $$SELECT custvalue.csat(a, 7, 5) FROM unnest(ARRAY[8]) a$$,
    $$SELECT custvalue.csat(a, 1, 1) FROM unnest(ARRAY[1]) a$$,
    $$SELECT custvalue.csat(a, 101, 50) FROM unnest(ARRAY[1]) a$$,
    $$SELECT custvalue.csat(a, 5, 6) FROM unnest(ARRAY[1]) a$$,
    $$SELECT custvalue.csat(a, 5, 1) FROM unnest(ARRAY[1]) a$$,
    $$SELECT custvalue.csat(a, NULL, 4) FROM unnest(ARRAY[1]) a$$,
    $$SELECT custvalue.csat(a, s, 4) FROM (VALUES (1, 5), (2, 7)) v(a, s)$$,
    $$SELECT * FROM custvalue.wilson_interval(11, 10)$$,
    $$SELECT * FROM custvalue.wilson_interval(1, 10, 1)$$,
    $$SELECT custvalue.normal_quantile(0)$$]) AS q;

-- Policy: csat(integer) follows csat_scale/csat_threshold, every interval
-- follows confidence; changes are seen by the next statement.
UPDATE satisfaction_policy SET csat_threshold = 5;
SELECT (csat(a)).satisfied AS top_box_only FROM unnest(ARRAY[5,5,4,3,2,1,4,5,3,4]) a;
UPDATE satisfaction_policy SET confidence = 0.99;
SELECT round(ci_low::numeric, 4) AS low99, round(ci_high::numeric, 4) AS high99
  FROM (SELECT (csat(a, 5, 4)).* FROM unnest(ARRAY[5,5,4,3,2,1,4,5,3,4]) a) s;
UPDATE satisfaction_policy SET csat_threshold = 4, confidence = 0.95;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$UPDATE custvalue.satisfaction_policy SET csat_threshold = 6$$,
    $$UPDATE custvalue.satisfaction_policy SET confidence = 1$$,
    $$UPDATE custvalue.satisfaction_policy SET target_pct = 0$$,
    $$UPDATE custvalue.satisfaction_policy SET band_low_max = 80$$,
    $$INSERT INTO custvalue.satisfaction_policy (singleton) VALUES (false)$$,
    $$DELETE FROM custvalue.satisfaction_policy$$,
    $$TRUNCATE custvalue.satisfaction_policy$$]) AS q;

-- ===== NPS =====
-- 10,9,9,8,7,6,5,0,10,9: promoters 5, passives 2, detractors 3, NPS = 50 − 30
-- = 20.  SE = 100·sqrt((.5·.5 + .3·.7 + 2·.5·.3)/10) = 100·sqrt(.076)
-- = 27.5681; interval 20 ± 1.959964 · 27.5681 = 20 ± 54.0325.
SELECT (r).promoters, (r).passives, (r).detractors, (r).n, (r).nps,
       round((r).se::numeric, 4) AS se, round((r).ci_low::numeric, 4) AS ci_low,
       round((r).ci_high::numeric, 4) AS ci_high
  FROM (SELECT nps(a) AS r FROM unnest(ARRAY[10,9,9,8,7,6,5,0,10,9]) a) s;

-- Boundary answers: 6 is a detractor, 7 and 8 passives, 9 a promoter.
SELECT a, (nps(a)).promoters, (nps(a)).passives, (nps(a)).detractors, (nps(a)).nps
  FROM unnest(ARRAY[0, 6, 7, 8, 9, 10]) a GROUP BY a ORDER BY a;

-- Unanimous samples have SE 0 and a degenerate interval, never NaN.
SELECT (nps(a)).* FROM unnest(array_fill(10, ARRAY[7])) a;
SELECT (nps(a)).* FROM unnest(array_fill(3, ARRAY[7])) a;
-- A wide interval is clamped to ±100.
SELECT (nps(a)).* FROM unnest(ARRAY[10, 0]) a;

SELECT nps(a) IS NULL AS no_rows FROM unnest(ARRAY[]::int[]) a;
SELECT nps(a) IS NULL AS only_nulls FROM unnest(ARRAY[NULL]::int[]) a;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.nps(a) FROM unnest(ARRAY[10, 11]) a$$,
    $$SELECT custvalue.nps(a) FROM unnest(ARRAY[-1]) a$$]) AS q;

-- ===== CSI =====
-- 10-point scale, weights .5/.3/.2.  Rescaled (x − 1)/9 × 100:
--   [10, 8, 6] -> (.5·9 + .3·7 + .2·5)/9 = 7.6/9 = 84.4444
--   [ 7, 7, 7] -> 6/9 = 66.6667
--   [ 1,10, 4] -> (.3·9 + .2·3)/9 = 3.3/9 = 36.6667
-- CSI = 16.9/27 × 100 = 62.5926; deviations 21.8519, 4.0741, −25.9259, sum
-- of squares 1166.2551, s = 24.1481, SE = s/√3 = 13.9419; with 2 degrees of
-- freedom t = 4.302653, interval 62.5926 ± 59.9871 = [2.6055, 122.58],
-- clamped to 100.
CREATE TABLE csi_sample (r float8[]);
INSERT INTO csi_sample VALUES ('{10,8,6}'), ('{7,7,7}'), ('{1,10,4}');
SELECT (x).n, round((x).csi::numeric, 4) AS csi, round((x).se::numeric, 4) AS se,
       round((x).ci_low::numeric, 4) AS ci_low, round((x).ci_high::numeric, 4) AS ci_high
  FROM (SELECT csi(r, '{.5,.3,.2}', 10) AS x FROM csi_sample) s;
-- Weights are normalised (5/3/2 = .5/.3/.2); the policy's 10-point scale is
-- the default; int[] ratings work; equal weights are the plain mean.
SELECT round((csi(r, '{5,3,2}', 10)).csi::numeric, 10) = round((csi(r, '{.5,.3,.2}', 10)).csi::numeric, 10) AS normalised,
       (csi(r, '{.5,.3,.2}')).csi = (csi(r, '{.5,.3,.2}', 10)).csi AS policy_scale,
       round((csi(r)).csi::numeric, 4) AS equal_weights,
       round((avg((r[1] + r[2] + r[3] - 3) / 27 * 100))::numeric, 4) AS by_hand
  FROM csi_sample;
SELECT (csi(ARRAY[5, 5, 1], 5)).csi AS int_ratings;
-- One respondent: no standard error, so no interval.
SELECT (csi(ARRAY[10.0, 1.0], 10)).*;
-- All top marks: exactly 100.
SELECT (csi(r, 7)).csi FROM (VALUES ('{7,7}'::float8[]), ('{7,7}')) v(r);

SELECT csi(r, 10) IS NULL AS no_rows FROM csi_sample WHERE false;
SELECT csi(NULL::float8[], 10) IS NULL AS null_row;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.csi(ARRAY[10, 11]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[0.5]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY['NaN']::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY['Infinity']::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[5, NULL]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[[5, 5], [5, 5]]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[5, 5]::float8[], ARRAY[1]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[5, 5]::float8[], ARRAY[1, -1]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[5, 5]::float8[], ARRAY[0, 0]::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[5, 5]::float8[], ARRAY[1, 'NaN']::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[5, 5]::float8[], NULL::float8[], 10)$$,
    $$SELECT custvalue.csi(ARRAY[1]::float8[], 1)$$,
    $$SELECT custvalue.csi(r, s) FROM (VALUES ('{5}'::float8[], 5), ('{5}', 7)) v(r, s)$$]) AS q;

-- ===== SERVQUAL =====
-- Dimensions in the order reliability, responsiveness, assurance, empathy,
-- tangibles, 7-point scale.  Gaps P − E:
--   respondent 1: P 5,5,5,5,5 E 6,6,6,6,6 -> −1,−1,−1,−1,−1, overall −1
--   respondent 2: P 7,5,5,5,5 E 6,6,6,6,7 -> +1,−1,−1,−1,−2, overall −0.8
-- Means 0, −1, −1, −1, −1.5, overall −0.9; s = 0.141421, SE = 0.1,
-- t(1 df) = 12.706205, interval −0.9 ± 1.270620 = [−2.170620, 0.370620].
CREATE TABLE servqual_sample (p float8[], e float8[]);
INSERT INTO servqual_sample VALUES
    ('{5,5,5,5,5}', '{6,6,6,6,6}'), ('{7,5,5,5,5}', '{6,6,6,6,7}');
SELECT (x).n, (x).reliability, (x).responsiveness, (x).assurance, (x).empathy, (x).tangibles,
       round((x).overall::numeric, 10) AS overall, round((x).overall_se::numeric, 10) AS overall_se,
       round((x).ci_low::numeric, 6) AS ci_low, round((x).ci_high::numeric, 6) AS ci_high
  FROM (SELECT servqual(p, e) AS x FROM servqual_sample) s;
-- Per-dimension intervals, same t: reliability 0 ± 12.71 (s = 1.414214,
-- SE = 1) clamped to the ±6 a 7-point gap can reach; the three dimensions
-- where both respondents agree have SE 0; tangibles −1.5 ± 6.353102
-- (SE = .5) -> [−6, 4.853102].
SELECT (x).dimension_ci_low, (SELECT array_agg(round(v::numeric, 6)) FROM unnest((x).dimension_ci_high) v) AS high
  FROM (SELECT servqual(p, e) AS x FROM servqual_sample) s;
SELECT (servqual(p, e, 7)).overall = (servqual(p, e)).overall AS policy_scale FROM servqual_sample;
SELECT servqual(p, e) IS NULL AS no_rows FROM servqual_sample WHERE false;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.servqual('{5,5,5,5}', '{5,5,5,5}')$$,
    $$SELECT custvalue.servqual('{5,5,5,5,8}', '{5,5,5,5,5}')$$,
    $$SELECT custvalue.servqual('{5,5,5,5,5}', '{5,5,NULL,5,5}')$$,
    $$SELECT custvalue.servqual('{5,5,5,5,5}', NULL)$$,
    $$SELECT custvalue.servqual('{5,5,5,5,5}', '{5,5,5,5,5}', 4)$$]) AS q;

-- ===== Importance–performance =====
-- Four attributes, two respondents, 5-point scale:
--   importance  {5,1,4,2} and {4,2,4,1}: means 4.5, 1.5, 4, 1.5 (crosshair 2.875)
--   performance {1,5,4,2} and {2,4,5,1}: means 1.5, 4.5, 4.5, 1.5 (crosshair 3)
-- -> 1 concentrate_here, 2 possible_overkill, 3 keep_up_the_good_work,
--    4 low_priority.
CREATE TABLE ipa_sample (i float8[], p float8[]);
INSERT INTO ipa_sample VALUES ('{5,1,4,2}', '{1,5,4,2}'), ('{4,2,4,1}', '{2,4,5,1}');
SELECT (x).n, (x).importance, (x).performance, (x).importance_crosshair, (x).performance_crosshair
  FROM (SELECT ipa(i, p) AS x FROM ipa_sample) s;
SELECT a.attribute, a.name, a.importance, a.performance, a.quadrant
  FROM (SELECT ipa(i, p) AS x FROM ipa_sample) s,
       ipa_attributes(s.x, '{hall wait,hotline,birthday care,magazine}') a;
-- Intervals of the means, five respondents, one attribute: importance
-- 3,4,4,3,4 (mean 3.6, s = .547723, SE = .244949), performance 2,2,3,2,2
-- (mean 2.2, s = .447214, SE = .2); t(4 df) = 2.776445 gives 3.6 ± .680087
-- and 2.2 ± .555289.
SELECT a.importance, round(a.importance_ci_low::numeric, 6) AS imp_low,
       round(a.importance_ci_high::numeric, 6) AS imp_high,
       a.performance, round(a.performance_ci_low::numeric, 6) AS perf_low,
       round(a.performance_ci_high::numeric, 6) AS perf_high
  FROM (SELECT ipa(ARRAY[i], ARRAY[p]) AS x
          FROM unnest(ARRAY[3, 4, 4, 3, 4]::float8[], ARRAY[2, 2, 3, 2, 2]::float8[]) AS u(i, p)) s,
       ipa_attributes(s.x) a;
-- On a crosshair counts as high: attribute 1 here sits exactly on both.
SELECT (ipa(i, p, 5)).quadrant FROM (VALUES ('{3,5,1}'::float8[], '{3,1,5}'::float8[])) v(i, p);
SELECT ipa(i, p) IS NULL AS no_rows FROM ipa_sample WHERE false;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.ipa('{1,2}', '{1,2,3}')$$,
    $$SELECT custvalue.ipa('{1,2}', '{1,6}')$$,
    $$SELECT custvalue.ipa(i, p) FROM (VALUES ('{1,2}'::float8[], '{1,2}'::float8[]), ('{1}', '{1}')) v(i, p)$$,
    $$SELECT custvalue.ipa('{1,2}', '{1,NULL}')$$,
    $$SELECT custvalue.ipa(array_fill(1.0::float8, ARRAY[1001]), array_fill(1.0::float8, ARRAY[1001]))$$]) AS q;

-- ===== as window functions =====
-- Running values month by month: CSAT 1/1, 1/2, 2/3, 3/4; NPS over
-- 10, 0, 9, 7: 100, 0, 33.3, 25.
SELECT m, round((csat(s) OVER w).csat::numeric, 2) AS running_csat,
       round((nps(n) OVER w).nps::numeric, 2) AS running_nps
  FROM (VALUES (1, true, 10), (2, false, 0), (3, true, 9), (4, true, 7)) v(m, s, n)
WINDOW w AS (ORDER BY m);

-- ===== parallel = serial =====
-- 60 000 deterministic responses in 7 groups; every aggregate, once with a
-- plain plan and once split over two workers (partial aggregate, serialise,
-- deserialise, combine).  Counts and the means of integer ratings must
-- match exactly (sums are exact), fractional CSI scores to 1e-9.
CREATE TABLE sat_big AS
SELECT (g % 7)::int AS grp,
       ((g * 7919) % 5 + 1)::int AS csat5,
       ((g * 104729) % 11)::int AS nps11,
       ((g * 31) % 3 <> 0) AS yes,
       ARRAY[(g * 13) % 10 + 1, (g * 17) % 10 + 1, (g * 19) % 10 + 1]::float8[] AS ratings,
       ARRAY[(g * 3) % 7 + 1, (g * 5) % 7 + 1, (g * 11) % 7 + 1, (g * 23) % 7 + 1, (g * 29) % 7 + 1]::float8[] AS p,
       ARRAY[(g * 37) % 7 + 1, (g * 41) % 7 + 1, (g * 43) % 7 + 1, (g * 47) % 7 + 1, (g * 53) % 7 + 1]::float8[] AS e,
       ARRAY[(g * 59) % 5 + 1, (g * 61) % 5 + 1]::float8[] AS imp
  FROM generate_series(1::bigint, 60000) g;
ANALYZE sat_big;

CREATE TEMP TABLE agg_serial AS
SELECT grp, csat(csat5) AS c, csat(yes) AS y, nps(nps11) AS n,
       csi(ratings, '{3,2,1}', 10) AS i, servqual(p, e) AS s, ipa(imp, ARRAY[imp[2], imp[1]]) AS a
  FROM sat_big GROUP BY grp;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
CREATE TEMP TABLE agg_parallel AS
SELECT grp, csat(csat5) AS c, csat(yes) AS y, nps(nps11) AS n,
       csi(ratings, '{3,2,1}', 10) AS i, servqual(p, e) AS s, ipa(imp, ARRAY[imp[2], imp[1]]) AS a
  FROM sat_big GROUP BY grp;
CREATE TEMP TABLE agg_parallel AS
SELECT grp, csat(csat5) AS c, csat(yes) AS y, nps(nps11) AS n,
       csi(ratings, '{3,2,1}', 10) AS i, servqual(p, e) AS s, ipa(imp, ARRAY[imp[2], imp[1]]) AS a
  FROM sat_big GROUP BY grp;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

SELECT count(*) AS groups,
       bool_and(s.c = p.c AND s.y = p.y) AS csat_equal,
       bool_and(s.n = p.n) AS nps_equal,
       bool_and((s.i).n = (p.i).n AND abs((s.i).csi - (p.i).csi) < 1e-9
                AND abs((s.i).ci_low - (p.i).ci_low) < 1e-9) AS csi_equal,
       bool_and((s.s).n = (p.s).n AND abs((s.s).overall - (p.s).overall) < 1e-12
                AND (s.s).reliability = (p.s).reliability AND (s.s).tangibles = (p.s).tangibles
                AND abs((s.s).overall_se - (p.s).overall_se) < 1e-12) AS servqual_equal,
       bool_and((s.a).n = (p.a).n AND (s.a).importance = (p.a).importance
                AND (s.a).performance = (p.a).performance
                AND (s.a).quadrant = (p.a).quadrant) AS ipa_equal
  FROM agg_serial s JOIN agg_parallel p USING (grp);

-- And the totals agree with plain SQL.
SELECT (c).n = 60000 / 7 + (grp BETWEEN 1 AND 60000 % 7)::int AS n_ok,
       (c).satisfied = (SELECT count(*) FROM sat_big b WHERE b.grp = a.grp AND b.csat5 >= 4) AS satisfied_ok,
       (n).promoters = (SELECT count(*) FROM sat_big b WHERE b.grp = a.grp AND b.nps11 >= 9) AS promoters_ok
  FROM agg_parallel a ORDER BY grp LIMIT 3;

DROP TABLE csi_sample, servqual_sample, ipa_sample, sat_big;
