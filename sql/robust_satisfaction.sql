-- Bad input to the satisfaction family (csat, nps, csi, servqual, ipa
-- aggregates; wilson_interval, normal_quantile, t_quantile;
-- service_item_band, service_item_evaluate): every case shows its value or
-- 'SQLSTATE: message'; none may crash or give NaN.
SET search_path = public, custvalue;
\i sql/include/try.sql

-- Scores out of range, NULLs, empty groups.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT csat(x) FROM unnest('{}'::int[]) AS x$$,
    $$SELECT csat(x) FROM unnest('{NULL,NULL}'::int[]) AS x$$,
    $$SELECT csat(x) FROM unnest('{5,0}'::int[]) AS x$$,
    $$SELECT csat(x) FROM unnest('{5,6}'::int[]) AS x$$,
    $$SELECT csat(x) FROM unnest('{5,-2147483648}'::int[]) AS x$$,
    $$SELECT csat(x, 1, 5) FROM unnest('{5,3}'::int[]) AS x$$,
    $$SELECT csat(x, 5, 1) FROM unnest('{5,3}'::int[]) AS x$$,
    $$SELECT csat(x, 10, 11) FROM unnest('{5,3}'::int[]) AS x$$,
    $$SELECT csat(x) FROM unnest('{true,NULL,false}'::bool[]) AS x$$,
    $$SELECT nps(x) FROM unnest('{}'::int[]) AS x$$,
    $$SELECT nps(x) FROM unnest('{10,11}'::int[]) AS x$$,
    $$SELECT nps(x) FROM unnest('{10,-1}'::int[]) AS x$$,
    $$SELECT nps(x) FROM unnest('{10,NULL,0}'::int[]) AS x$$]) AS q;

-- Arrays: empty, NULL elements, mismatched lengths, non-finite values,
-- multi-dimensional, out of scale.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT csi(a) FROM (VALUES ('{}'::float8[])) AS v(a)$$,
    $$SELECT csi(a) FROM (VALUES ('{4,NULL,5}'::float8[])) AS v(a)$$,
    $$SELECT csi(a) FROM (VALUES ('{4,5}'::float8[]), ('{4,5,3}')) AS v(a)$$,
    $$SELECT csi(a) FROM (VALUES ('{4,NaN}'::float8[])) AS v(a)$$,
    $$SELECT csi(a) FROM (VALUES ('{4,Infinity}'::float8[])) AS v(a)$$,
    $$SELECT csi(a) FROM (VALUES ('{{4,5},{3,2}}'::float8[])) AS v(a)$$,
    $$SELECT csi(a, w) FROM (VALUES ('{4,5}'::float8[], '{1}'::float8[])) AS v(a, w)$$,
    $$SELECT csi(a, w) FROM (VALUES ('{4,5}'::float8[], '{-1,2}'::float8[])) AS v(a, w)$$,
    $$SELECT csi(a, w) FROM (VALUES ('{4,5}'::float8[], '{0,0}'::float8[])) AS v(a, w)$$,
    $$SELECT csi(a, 5) FROM (VALUES ('{4,6}'::float8[])) AS v(a)$$,
    $$SELECT csi(a, 0) FROM (VALUES ('{4,5}'::float8[])) AS v(a)$$,
    $$SELECT csi(a, NULL::int) FROM (VALUES ('{4,5}'::float8[])) AS v(a)$$,
    $$SELECT servqual(p, e) FROM (VALUES ('{4,5}'::float8[], '{5}'::float8[])) AS v(p, e)$$,
    $$SELECT servqual(p, e) FROM (VALUES ('{}'::float8[], '{}'::float8[])) AS v(p, e)$$,
    $$SELECT servqual(p, e) FROM (VALUES ('{4,NULL}'::float8[], '{5,5}'::float8[])) AS v(p, e)$$,
    $$SELECT servqual(p, e) FROM (VALUES ('{4,5}'::float8[], '{5,5}'::float8[])) AS v(p, e) WHERE false$$,
    $$SELECT ipa(i, p) FROM (VALUES ('{4,5}'::float8[], '{5,5,5}'::float8[])) AS v(i, p)$$,
    $$SELECT ipa(i, p) FROM (VALUES ('{4,-Infinity}'::float8[], '{5,5}'::float8[])) AS v(i, p)$$,
    $$SELECT ipa(i, p, 7) FROM (VALUES ('{4,8}'::float8[], '{5,5}'::float8[])) AS v(i, p)$$]) AS q;

-- Interval and quantile helpers at and beyond their domains.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT wilson_interval(0, 0)$$,
    $$SELECT wilson_interval(5, 3)$$,
    $$SELECT wilson_interval(-1, 3)$$,
    $$SELECT wilson_interval(3, -3)$$,
    $$SELECT wilson_interval(3, 10, 1)$$,
    $$SELECT wilson_interval(3, 10, 0)$$,
    $$SELECT wilson_interval(3, 10, 'NaN')$$,
    $$SELECT wilson_interval(9223372036854775807, 9223372036854775807)$$,
    $$SELECT normal_quantile(0)$$,
    $$SELECT normal_quantile(1)$$,
    $$SELECT normal_quantile('NaN')$$,
    $$SELECT normal_quantile(1e-300)$$,
    $$SELECT t_quantile(0.975, 0)$$,
    $$SELECT t_quantile(0.975, -1)$$,
    $$SELECT t_quantile(0.975, 'Infinity')$$,
    $$SELECT t_quantile(0.4, 10)$$,
    $$SELECT t_quantile(0.975, 'NaN')$$,
    $$SELECT t_quantile(0.975, 1e-300)$$]) AS q;

-- Service-item evaluation.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT service_item_band(-0.01)$$,
    $$SELECT service_item_band(100.01)$$,
    $$SELECT service_item_band('NaN')$$,
    $$SELECT service_item_band(0)$$,
    $$SELECT service_item_evaluate(5, 5, 5, 0, 50, 50)$$,
    $$SELECT service_item_evaluate(11, 5, 5, 10, 50, 50)$$,
    $$SELECT service_item_evaluate(-1, 5, 5, 10, 50, 50)$$,
    $$SELECT service_item_evaluate(5, 5, 5, 10, 'NaN', 50)$$,
    $$SELECT service_item_evaluate(5, 5, 5, 10, 50, 101)$$,
    $$SELECT service_item_evaluate(2147483647, 0, 0, 2147483647, 0, 100)$$]) AS q;
