-- Scale-out on Citus.  custvalue needs nothing of Citus to install, and
-- nothing of its own changes on a Citus cluster: CREATE EXTENSION on the
-- coordinator reaches every worker, the aggregates' combine, serial and
-- deserial functions let Citus run them as partial aggregates on the
-- workers, and the C policy readers read each node's placement of a policy
-- table when that table is a reference table (policy_cache.c).  What a DBA
-- must do is distribute the tables, in an order and with keys that Citus
-- accepts; distribute_data_model() does that in one call.
--
-- Why its steps:
--   * Citus converts a table that a foreign key links to a table being
--     distributed; it cannot convert the extension's tables (their views
--     belong to the extension).  So every foreign key touching the tables is
--     dropped first and created again at the end.
--   * A distributed table's primary and unique keys must contain the
--     distribution column, so a key on an identity column (bundle_id, ...)
--     becomes (customer_id, bundle_id), and a foreign key between two
--     customer tables becomes (customer_id, ...) REFERENCES (customer_id, ...):
--     a customer's survey then refers to an event of the same customer, which
--     the single-node model could not say.  Citus cannot SET NULL such a
--     key on delete (survey_response.event_id), so that one becomes NO
--     ACTION: an event with surveys is deleted with its customer, or after
--     its surveys.
--   * Policy and catalog tables are small and read by every node: reference
--     tables, with their validation and cache-invalidation triggers (Citus
--     runs them on every placement: citus.enable_unsafe_triggers).  So is
--     custvalue.data_source, so that every node's views of the sources
--     read the same tables (see step 5).
CREATE OR REPLACE FUNCTION @extschema@.distribute_data_model(schema name DEFAULT 'custvalue_data',
                                                           shard_count integer DEFAULT NULL)
    RETURNS TABLE (relation regclass, distribution text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ns oid;
    customer regclass;
    t record;
    k record;
    fk record;
    fks jsonb := '[]';
    cols text;
    refcols text;
    ddl text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension e WHERE e.extname = 'citus') THEN
        RAISE EXCEPTION 'distribute_data_model needs the citus extension in this database'
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'On a Citus coordinator: CREATE EXTENSION citus; then add the workers (citus_add_node) and CREATE EXTENSION custvalue.';
    END IF;
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO STRICT ddl;
    IF NOT ddl::boolean THEN
        RAISE EXCEPTION 'distribute_data_model runs on the Citus coordinator'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT n.oid INTO ns FROM pg_namespace n WHERE n.nspname = schema;
    customer := pg_catalog.to_regclass(pg_catalog.format('%I.customer', schema));
    IF ns IS NULL OR customer IS NULL THEN
        RAISE EXCEPTION 'schema % holds no custvalue data model', schema
            USING ERRCODE = 'invalid_schema_name',
                  HINT = 'Create it with custvalue.create_data_model(schema) and load the data; then distribute it.';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = customer) THEN
        RAISE EXCEPTION '%.customer is already distributed', schema
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
    -- foreign keys to reference tables, made in the same transaction as
    -- the shards: one connection per node (Citus says so otherwise)
    PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);
    IF shard_count IS NOT NULL THEN
        PERFORM pg_catalog.set_config('citus.shard_count', shard_count::text, true);
    END IF;

    -- 1. Every foreign key from or to the tables: remembered, dropped.
    FOR fk IN
        SELECT c.conrelid::regclass AS rel, c.conname, c.conrelid, c.confrelid,
               pg_catalog.pg_get_constraintdef(c.oid) AS def,
               c.confupdtype, c.confdeltype, c.condeferrable, c.condeferred,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY u(n, i)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.n ORDER BY u.i) AS cols,
               ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY u(n, i)
                       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = u.n ORDER BY u.i) AS refcols
          FROM pg_constraint c
          JOIN pg_class r ON r.oid = c.conrelid
          JOIN pg_class f ON f.oid = c.confrelid
         WHERE c.contype = 'f' AND c.conparentid = 0
           AND (r.relnamespace IN (ns, '@extschema@'::regnamespace)
                OR f.relnamespace IN (ns, '@extschema@'::regnamespace))
    LOOP
        fks := fks || pg_catalog.jsonb_build_object(
            'rel', fk.rel::text, 'name', fk.conname, 'def', fk.def,
            'from_customer', EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = fk.conrelid
                                        AND a.attname = 'customer_id' AND NOT a.attisdropped),
            'to_customer', EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = fk.confrelid
                                      AND a.attname = 'customer_id' AND NOT a.attisdropped),
            'cols', pg_catalog.to_jsonb(fk.cols), 'refcols', pg_catalog.to_jsonb(fk.refcols),
            'ref', fk.confrelid::regclass::text, 'upd', fk.confupdtype, 'del', fk.confdeltype,
            'deferrable', fk.condeferrable, 'deferred', fk.condeferred);
        EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', fk.rel, fk.conname);
    END LOOP;

    -- 2. The extension's policy and catalog tables: reference tables.
    FOR t IN
        SELECT c.oid::regclass AS rel
          FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass
           AND d.refobjid = (SELECT e.oid FROM pg_extension e WHERE e.extname = 'custvalue')
           AND d.deptype = 'e' AND c.relkind = 'r'
           AND c.oid <> '@extschema@.data_source'::regclass     -- step 5
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = c.oid)
         ORDER BY c.relname
    LOOP
        PERFORM pg_catalog.create_reference_table(t.rel);
        relation := t.rel;
        distribution := 'reference';
        RETURN NEXT;
    END LOOP;

    -- 3. The data model: customer tables by customer_id, co-located with
    --    customer; the rest (one row per model or per month) reference tables.
    FOR t IN
        SELECT c.oid::regclass AS rel, c.oid,
               EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid
                          AND a.attname = 'customer_id' AND NOT a.attisdropped) AS by_customer
          FROM pg_class c
         WHERE c.relnamespace = ns AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY c.oid <> customer, c.relname
    LOOP
        IF t.by_customer THEN
            FOR k IN
                SELECT c.conname, c.contype,
                       ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY u(n, i)
                               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = u.n
                              ORDER BY u.i) AS cols
                  FROM pg_constraint c
                 WHERE c.conrelid = t.oid AND c.contype IN ('p', 'u')
            LOOP
                CONTINUE WHEN 'customer_id' = ANY (k.cols);
                EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I %s (customer_id, %s)',
                                          t.rel, k.conname, k.conname,
                                          CASE k.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END,
                                          (SELECT string_agg(pg_catalog.quote_ident(x), ', ') FROM unnest(k.cols) x));
            END LOOP;
            -- Citus copies the rows into the shards with the table's
            -- triggers in place: the work-order triggers would take the
            -- copy for new orders.  Off for the copy, on again after, on
            -- every shard.
            EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE TRIGGER USER', t.rel);
            IF t.oid = customer THEN
                PERFORM pg_catalog.create_distributed_table(t.rel, 'customer_id');
            ELSE
                PERFORM pg_catalog.create_distributed_table(t.rel, 'customer_id', colocate_with => customer::text);
            END IF;
            EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE TRIGGER USER', t.rel);
            distribution := 'distributed by customer_id';
        ELSE
            PERFORM pg_catalog.create_reference_table(t.rel);
            distribution := 'reference';
        END IF;
        relation := t.rel;
        RETURN NEXT;
    END LOOP;

    -- 4. The foreign keys again; between two customer tables, by customer.
    FOR fk IN SELECT * FROM jsonb_array_elements(fks) AS e(j) LOOP
        IF (fk.j ->> 'from_customer')::boolean AND (fk.j ->> 'to_customer')::boolean
           AND NOT (fk.j -> 'cols') ? 'customer_id' THEN
            SELECT string_agg(pg_catalog.quote_ident(x), ', ') INTO cols FROM jsonb_array_elements_text(fk.j -> 'cols') x;
            SELECT string_agg(pg_catalog.quote_ident(x), ', ') INTO refcols FROM jsonb_array_elements_text(fk.j -> 'refcols') x;
            ddl := pg_catalog.format('FOREIGN KEY (customer_id, %s) REFERENCES %s (customer_id, %s)%s%s%s',
                cols, fk.j ->> 'ref', refcols,
                CASE fk.j ->> 'upd' WHEN 'c' THEN ' ON UPDATE CASCADE' WHEN 'r' THEN ' ON UPDATE RESTRICT'
                                    WHEN 'n' THEN ' ON UPDATE SET NULL' WHEN 'd' THEN ' ON UPDATE SET DEFAULT' ELSE '' END,
                CASE fk.j ->> 'del' WHEN 'c' THEN ' ON DELETE CASCADE' WHEN 'r' THEN ' ON DELETE RESTRICT'
                                    ELSE '' END,
                CASE WHEN (fk.j ->> 'deferred')::boolean THEN ' DEFERRABLE INITIALLY DEFERRED'
                     WHEN (fk.j ->> 'deferrable')::boolean THEN ' DEFERRABLE' ELSE '' END);
            IF fk.j ->> 'del' IN ('n', 'd') THEN
                RAISE NOTICE '% %: ON DELETE % becomes NO ACTION (Citus cannot clear a key that holds the distribution column): delete the referring rows first',
                    fk.j ->> 'rel', fk.j ->> 'name', CASE fk.j ->> 'del' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END;
            END IF;
        ELSE
            ddl := fk.j ->> 'def';
        END IF;
        -- The workers' copies of the extension's tables still have their
        -- own keys (CREATE EXTENSION made them there); Citus sends both
        -- commands to every node.
        IF (fk.j ->> 'rel')::regclass::oid IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = '@extschema@'::regnamespace) THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', fk.j ->> 'rel', fk.j ->> 'name');
        END IF;
        EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.j ->> 'rel', fk.j ->> 'name', ddl);
    END LOOP;

    -- 5. The bindings: a reference table last, once every table it names
    --    exists on every node.  Its trigger (data_source_apply) runs on each
    --    placement as Citus copies the rows, so every worker's views of the
    --    sources read the same tables as the coordinator's, and so does a
    --    later bind_source(): a trigger on a worker's shard (the work-order
    --    history) writes through them.
    PERFORM pg_catalog.create_reference_table('@extschema@.data_source');
    relation := '@extschema@.data_source'::regclass;
    distribution := 'reference';
    RETURN NEXT;

    -- 6. The coordinator's local copies of the data, now in the shards
    --    (the policy tables' copies are a few rows: they stay).
    FOR t IN
        SELECT p.logicalrelid AS rel FROM pg_catalog.pg_dist_partition p
          JOIN pg_class c ON c.oid = p.logicalrelid
         WHERE c.relnamespace = ns
    LOOP
        PERFORM pg_catalog.truncate_local_data_after_distributing_table(t.rel);
    END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.distribute_data_model(name, integer) IS
'On a Citus coordinator (after CREATE EXTENSION citus, citus_add_node for the workers and CREATE EXTENSION custvalue): distributes the data model in schema (custvalue.create_data_model()) by customer_id, every customer table co-located with customer, its keys and foreign keys between customer tables extended by customer_id; makes the other tables of schema and every policy and catalog table of custvalue reference tables (so a policy edit reaches every node in the same transaction).  shard_count sets citus.shard_count for the call.  Returns each table and how it is placed.  One transaction; run it once, on loaded or empty tables.';
