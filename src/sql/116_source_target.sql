-- Where the extension's own writes to a source go.  A source is a view
-- (custvalue.<source>) over the operator's relation, and writing through
-- it is what the single-node model does.  Citus refuses every INSERT,
-- UPDATE or DELETE on a view over its tables, so a write that must also
-- work on a distributed data model (the work-order triggers, which run on
-- the workers' shards) goes to the bound relation itself when the binding
-- renames nothing -- the same columns, so the same write -- and through the
-- view otherwise.  New in 1.3 (the 1.2 -> 1.3 update re-runs this file;
-- keep it CREATE OR REPLACE).
CREATE OR REPLACE FUNCTION @extschema@.source_target(source text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN d.relation IS NOT NULL AND d.column_map = '{}'::jsonb
                THEN d.relation
                ELSE pg_catalog.format('@extschema@.%I', d.source) END
      FROM @extschema@.data_source d
     WHERE d.source = source_target.source;
END;
COMMENT ON FUNCTION @extschema@.source_target(text) IS
'The relation the extension''s own writes to a source go to, quoted for EXECUTE: the bound relation when the binding maps every column by its own name (so that the write also works on Citus, which refuses writes through views), else the view custvalue.<source>.  NULL for an unknown source.';
