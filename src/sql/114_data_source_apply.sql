-- The trigger behind custvalue.data_source: every change of a row,
-- including the rows a restore brings back, makes the source's view read
-- what the row says.  Its own file because 1.3 changed it (the 1.2 -> 1.3
-- update re-runs it; keep it CREATE OR REPLACE).
--
-- On Citus, data_source is a reference table (distribute_data_model()), so
-- this runs on every node's placement and each node's view follows the
-- coordinator's binding; there the view is the node's own (an extension
-- member, which Citus does not propagate), so Citus's DDL propagation is
-- turned off around the CREATE OR REPLACE VIEW -- on a worker it would
-- otherwise refuse a view over a distributed table -- and restored after.
CREATE OR REPLACE FUNCTION @extschema@.data_source_apply() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel regclass;
    query text;
    on_citus boolean := EXISTS (SELECT FROM pg_extension e WHERE e.extname = 'citus');
    propagation text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'custvalue data source "%" cannot be removed', OLD.source
            USING ERRCODE = 'check_violation',
                  HINT = 'Unbind it with custvalue.bind_source(source, NULL).';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.source <> OLD.source THEN
        RAISE EXCEPTION 'custvalue data source "%" cannot be renamed', OLD.source
            USING ERRCODE = 'check_violation';
    END IF;
    IF pg_catalog.to_regclass(format('@extschema@.%I', NEW.source)) IS NULL THEN
        RAISE EXCEPTION 'custvalue has no data source "%"', NEW.source
            USING ERRCODE = 'undefined_object',
                  HINT = 'Sources are defined by the extension; bind one with custvalue.bind_source().';
    END IF;
    IF NEW.relation IS NULL THEN
        query := @extschema@.source_placeholder(NEW.source);
    ELSE
        rel := pg_catalog.to_regclass(NEW.relation);
        IF rel IS NULL THEN
            RAISE EXCEPTION 'custvalue source "%": relation % does not exist', NEW.source, NEW.relation
                USING ERRCODE = 'undefined_table';
        END IF;
        IF (SELECT c.relkind FROM pg_class c WHERE c.oid = rel) NOT IN ('r', 'p', 'v', 'm', 'f') THEN
            RAISE EXCEPTION 'custvalue source "%": % is not a table or view', NEW.source, rel
                USING ERRCODE = 'wrong_object_type';
        END IF;
        IF EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = rel
                      AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') THEN
            RAISE EXCEPTION 'custvalue source "%" cannot be bound to %, which belongs to an extension', NEW.source, rel
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Bind a table or view of your own.';
        END IF;
        query := @extschema@.source_select(NEW.source, rel, NEW.column_map, NEW.derived);
    END IF;
    IF on_citus THEN
        propagation := pg_catalog.current_setting('citus.enable_ddl_propagation');
        PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);
    END IF;
    EXECUTE format('CREATE OR REPLACE VIEW @extschema@.%I WITH (security_invoker = true) AS %s',
                   NEW.source, query);
    IF on_citus THEN
        PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', propagation, true);
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.data_source_apply() IS
'AFTER trigger of custvalue.data_source: (re)creates the view custvalue.<source> as the row says (bound relation or unbound placeholder); refuses to delete or rename a source (23514).';
