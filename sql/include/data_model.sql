\set ECHO none
-- Test helper: the reference tables of custvalue.create_data_model() in
-- schema custvalue_data, bound to every data source; created by the first
-- test that needs them (the tests share one database).
SET client_min_messages = warning;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'custvalue_data') THEN
        PERFORM custvalue.create_data_model('custvalue_data');
    END IF;
END;
$$;
RESET client_min_messages;
\set ECHO all
