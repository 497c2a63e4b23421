\set ECHO none
-- Test helper: remove a test's customers and everything of theirs, records
-- inside their retention period included.  The retention guard refuses
-- that (custvalue.record_retention_guard), as it should for an operator's
-- data; a test's fixture is the owner's to remove, so the helper does what
-- the owner would: disable the guard for the one statement.  Usage:
--     SELECT pg_temp.drop_customers(9000001, 9000007);
--     SELECT pg_temp.owner_delete($$DELETE FROM work_order WHERE ...$$);
CREATE FUNCTION pg_temp.owner_delete(statement text) RETURNS bigint
    LANGUAGE plpgsql AS $fn$
DECLARE
    t regclass;
    n bigint;
    guarded regclass[] := ARRAY(SELECT g.tgrelid::regclass FROM pg_trigger g
                                 WHERE g.tgname = 'record_retention_guard' AND NOT g.tgisinternal
                                   AND g.tgenabled <> 'D');
BEGIN
    FOREACH t IN ARRAY guarded LOOP
        EXECUTE format('ALTER TABLE %s DISABLE TRIGGER record_retention_guard', t);
    END LOOP;
    EXECUTE statement;
    GET DIAGNOSTICS n = ROW_COUNT;
    FOREACH t IN ARRAY guarded LOOP
        EXECUTE format('ALTER TABLE %s ENABLE TRIGGER record_retention_guard', t);
    END LOOP;
    RETURN n;
END;
$fn$;
CREATE FUNCTION pg_temp.drop_customers(first_id bigint, last_id bigint) RETURNS bigint
    LANGUAGE sql
    AS $$ SELECT pg_temp.owner_delete(format('DELETE FROM custvalue.customer c WHERE c.customer_id BETWEEN %s AND %s',
                                             first_id, last_id)) $$;
\set ECHO all
