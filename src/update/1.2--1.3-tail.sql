-- The history tables of 1.3 next to an existing data model: where the
-- work_order source is bound to a work_order table of create_data_model()
-- (in any schema) and that schema has no history yet, create it there.
-- (Tables created by an extension script become members of the
-- extension; create_history_model() takes them out again at once, since
-- like the data model they are the operator's.)
DO $history$
DECLARE
    data_schema name;
BEGIN
    SELECT n.nspname INTO data_schema
      FROM @extschema@.data_source d
      JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(d.relation)
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE d.source OPERATOR(pg_catalog.=) 'work_order' AND c.relname OPERATOR(pg_catalog.=) 'work_order';
    IF data_schema IS NULL
       OR pg_catalog.to_regclass(pg_catalog.format('%I.customer_month', data_schema)) IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM @extschema@.create_history_model(data_schema);
END;
$history$;
