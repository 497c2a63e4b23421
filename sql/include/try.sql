\set ECHO none
-- Test helper: run a query that returns one value and show either the
-- value (as text, 'NULL' for NULL) or 'SQLSTATE: message' if it failed.
-- Usage:
--     SELECT q, pg_temp.try(q) FROM unnest(ARRAY[$$SELECT ...$$, ...]) AS q;
CREATE FUNCTION pg_temp.try(query text) RETURNS text
    LANGUAGE plpgsql AS $fn$
DECLARE
    r text;
BEGIN
    EXECUTE query INTO r;
    RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END;
$fn$;
\set ECHO all
