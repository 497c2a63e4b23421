-- Every aggregate of the extension, over zero rows and over rows whose
-- arguments are all NULL, returns NULL rather than an error or a made-up
-- number.  The aggregates are found in the catalog, so one added later is
-- checked without changing this file; only violations are listed.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql

CREATE FUNCTION pg_temp.agg_result(query text) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE query INTO r;
    RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END;
$$;

CREATE TEMP TABLE ext_aggregate AS
SELECT p.oid::regprocedure AS aggregate, a.aggkind,
       format('%I.%I', n.nspname, p.proname) AS name,
       (SELECT string_agg(format('NULL::%s', format_type(t, NULL)), ', ' ORDER BY i)
          FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS x(t, i)
         WHERE i > a.aggnumdirectargs) AS aggregated_args,
       (SELECT string_agg(format('NULL::%s', format_type(t, NULL)), ', ' ORDER BY i)
          FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS x(t, i)
         WHERE i <= a.aggnumdirectargs) AS direct_args
  FROM pg_aggregate a
  JOIN pg_proc p ON p.oid = a.aggfnoid
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'custvalue';

CREATE TEMP TABLE agg_check AS
SELECT aggregate, source,
       pg_temp.agg_result(CASE WHEN aggkind = 'n'
                               THEN format('SELECT %s(%s) FROM %s', name, aggregated_args, source)
                               ELSE format('SELECT %s(%s) WITHIN GROUP (ORDER BY %s) FROM %s',
                                           name, coalesce(direct_args, ''), aggregated_args, source)
                          END) AS result
  FROM ext_aggregate,
       unnest(ARRAY['generate_series(1, 0) AS zero_rows',
                    'generate_series(1, 3) AS null_rows']) AS source;

SELECT count(DISTINCT aggregate) >= 2 AS aggregates_checked FROM agg_check;
SELECT aggregate, source, result AS not_null FROM agg_check
 WHERE result <> 'NULL' ORDER BY aggregate::text, source;
