\set ECHO none
-- Test helper: run a statement that must fail and show its SQLSTATE and
-- message (plus DETAIL/HINT when present), in a form that does not change
-- with source line numbers.  Usage:
--     SELECT pg_temp.expect_error($$SELECT custvalue.tier_of(-1, 0, true)$$);
CREATE FUNCTION pg_temp.expect_error(statement text) RETURNS text
    LANGUAGE plpgsql AS $fn$
DECLARE
    state text;
    msg text;
    detail text;
    hint text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN state || ': ' || msg
        || CASE WHEN detail <> '' THEN E'\nDETAIL: ' || detail ELSE '' END
        || CASE WHEN hint <> '' THEN E'\nHINT: ' || hint ELSE '' END;
END;
$fn$;
\set ECHO all
