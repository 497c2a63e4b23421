-- Roles, privileges and dump support for every table and view of the
-- extension.  This file runs last, so it covers what every other file made;
-- it works from the catalog (the extension's members), not from a list.
--
-- Roles (cluster-wide, so created only when missing and left behind by
-- DROP EXTENSION; drop them by hand when no database uses custvalue):
--   custvalue_reader  reads policy, catalog, reference data and views, with
--                     personal numbers only in masked form;
--   custvalue_admin   custvalue_reader + INSERT/UPDATE/DELETE on every table:
--                     edits policies and catalogs, loads reference data;
--   custvalue_pii     custvalue_reader + the unmasked phone, ID-card and
--                     bank-card columns (custvalue.customer_contact).
-- Nobody else gets anything beyond PUBLIC's default EXECUTE on functions,
-- and the functions read tables with the caller's privileges (there is no
-- SECURITY DEFINER), so granting a role is the one way in.

DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['custvalue_reader', 'custvalue_admin', 'custvalue_pii'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    IF NOT pg_catalog.pg_has_role('custvalue_admin', 'custvalue_reader', 'MEMBER') THEN
        GRANT custvalue_reader TO custvalue_admin;
    END IF;
    IF NOT pg_catalog.pg_has_role('custvalue_pii', 'custvalue_reader', 'MEMBER') THEN
        GRANT custvalue_reader TO custvalue_pii;
    END IF;
END;
$roles$;

GRANT USAGE ON SCHEMA @extschema@ TO custvalue_reader, custvalue_admin, custvalue_pii;

-- pg_dump/pg_restore of tables that CREATE EXTENSION fills with defaults.
-- Such a table is marked for dumping (pg_extension_config_dump), so a DBA's
-- edits survive, but on restore CREATE EXTENSION has already inserted the
-- defaults and the dumped rows would collide with them.  This trigger makes
-- the dumped row replace the default one.  It acts only in a session that
-- replays a pg_dump script, recognised by the settings every such script
-- makes (search_path '' and row_security off); anywhere else an INSERT of an
-- existing key is the usual unique violation.  Validation triggers are
-- deferred to the end of the restore's transaction, because rows come back
-- one by one and the intermediate states of a consistent policy need not be
-- consistent.  Limitation: a default row the DBA deleted comes back.
--
-- No SET search_path here on purpose: the trigger must see the caller's; the
-- body names everything with its schema.
CREATE OR REPLACE FUNCTION @extschema@.restore_merge() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    key_match text;
    assignments text;
    n bigint;
BEGIN
    IF pg_catalog.current_setting('row_security') OPERATOR(pg_catalog.<>) 'off'
       OR pg_catalog.current_setting('search_path') OPERATOR(pg_catalog.<>) '' THEN
        RETURN NEW;
    END IF;

    -- The key's equality operators, from the primary key's operator
    -- classes: right for every type (enums, domains, custvalue.tier, ...)
    -- whatever the search_path.
    SELECT pg_catalog.string_agg(pg_catalog.format('t.%1$I OPERATOR(%2$I.%3$s) ($1).%1$I',
                                                  a.attname, ns.nspname, o.oprname), ' AND ')
      INTO key_match
      FROM pg_catalog.pg_index i
     CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(i.indkey::pg_catalog.int2[]),
                                   pg_catalog.unnest(i.indclass::pg_catalog.oid[]))
           AS k(attnum, opclass)
      JOIN pg_catalog.pg_attribute a
        ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid
       AND a.attnum OPERATOR(pg_catalog.=) k.attnum
      JOIN pg_catalog.pg_opclass oc ON oc.oid OPERATOR(pg_catalog.=) k.opclass
      JOIN pg_catalog.pg_amop ao
        ON ao.amopfamily OPERATOR(pg_catalog.=) oc.opcfamily
       AND ao.amopmethod OPERATOR(pg_catalog.=) oc.opcmethod
       AND ao.amopstrategy OPERATOR(pg_catalog.=) 3
       AND ao.amoplefttype OPERATOR(pg_catalog.=) oc.opcintype
       AND ao.amoprighttype OPERATOR(pg_catalog.=) oc.opcintype
      JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) ao.amopopr
      JOIN pg_catalog.pg_namespace ns ON ns.oid OPERATOR(pg_catalog.=) o.oprnamespace
     WHERE i.indrelid OPERATOR(pg_catalog.=) TG_RELID AND i.indisprimary;

    SELECT pg_catalog.string_agg(pg_catalog.format('%1$I = ($1).%1$I', a.attname), ', ')
      INTO assignments
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) TG_RELID
       AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
       AND a.attgenerated OPERATOR(pg_catalog.=) ''
       AND a.attidentity OPERATOR(pg_catalog.<>) 'a';

    IF key_match IS NULL OR assignments IS NULL THEN
        RETURN NEW;
    END IF;

    SET CONSTRAINTS ALL DEFERRED;
    EXECUTE pg_catalog.format('UPDATE %I.%I AS t SET %s WHERE %s',
                              TG_TABLE_SCHEMA, TG_TABLE_NAME, assignments, key_match)
      USING NEW;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n OPERATOR(pg_catalog.>) 0 THEN
        RETURN NULL;            -- the default row now holds the dumped values
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.restore_merge() IS
'BEFORE INSERT trigger on tables that CREATE EXTENSION fills with defaults: while a pg_dump script is replayed (search_path '''' and row_security off), a dumped row whose key exists replaces that row instead of failing, so policy edits survive dump and restore.';

DO $grants$
DECLARE
    ext oid := (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'custvalue');
    pii_columns name[] := ARRAY['phone', 'id_card', 'bank_card'];
    rel record;
    public_cols text;
    has_pk boolean;
    has_rows boolean;
    pii_views oid[];
    -- The data source views (115_data_source.sql) stand for the DBA's
    -- tables: they are granted like tables, columns and all.
    source_views oid[] := (SELECT pg_catalog.array_agg(pg_catalog.to_regclass(
                                      pg_catalog.format('@extschema@.%I', d.source)))
                             FROM @extschema@.data_source d);
BEGIN
    -- Views and materialized views that read a personal-number column of a
    -- table, directly or through another such view.
    WITH RECURSIVE pii(relid) AS (
        SELECT r.ev_class
          FROM pg_catalog.pg_rewrite r
          JOIN pg_catalog.pg_depend d
            ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
           AND d.objid OPERATOR(pg_catalog.=) r.oid
           AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
          JOIN pg_catalog.pg_attribute a
            ON a.attrelid OPERATOR(pg_catalog.=) d.refobjid
           AND a.attnum OPERATOR(pg_catalog.=) d.refobjsubid
          JOIN pg_catalog.pg_class t ON t.oid OPERATOR(pg_catalog.=) a.attrelid
         WHERE (t.relkind IN ('r', 'p', 'f') OR t.oid OPERATOR(pg_catalog.=) ANY (source_views))
           AND a.attname OPERATOR(pg_catalog.=) ANY (pii_columns)
        UNION
        SELECT r.ev_class
          FROM pii
          JOIN pg_catalog.pg_depend d
            ON d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
           AND d.refobjid OPERATOR(pg_catalog.=) pii.relid
           AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
          JOIN pg_catalog.pg_rewrite r ON r.oid OPERATOR(pg_catalog.=) d.objid
         WHERE r.ev_class OPERATOR(pg_catalog.<>) pii.relid
    )
    -- A source view is granted column by column, like the table it stands
    -- for, whether or not it is bound yet.
    SELECT pg_catalog.array_agg(relid) INTO pii_views FROM pii
     WHERE relid OPERATOR(pg_catalog.<>) ALL (source_views);

    FOR rel IN
        SELECT c.oid, c.oid::pg_catalog.regclass AS name, c.relname, c.relkind,
               c.oid OPERATOR(pg_catalog.=) ANY (x.extconfig) AS dumped
          FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
          JOIN pg_catalog.pg_extension x ON x.oid OPERATOR(pg_catalog.=) d.refobjid
         WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
           AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
           AND d.refobjid OPERATOR(pg_catalog.=) ext
           AND d.deptype OPERATOR(pg_catalog.=) 'e'
         ORDER BY c.relname
    LOOP
        IF rel.relkind OPERATOR(pg_catalog.=) 'S' THEN
            EXECUTE pg_catalog.format('GRANT SELECT ON SEQUENCE %s TO custvalue_reader', rel.name);
            EXECUTE pg_catalog.format('GRANT USAGE, SELECT ON SEQUENCE %s TO custvalue_admin', rel.name);
            -- Identity sequences of dumped tables: keep their position too.
            IF NOT rel.dumped THEN
                PERFORM pg_catalog.pg_extension_config_dump(rel.name, '');
            END IF;
            CONTINUE;
        END IF;
        CONTINUE WHEN rel.relkind NOT IN ('r', 'p', 'v', 'm', 'f');

        -- Read: everyone in custvalue_reader, except personal numbers: the
        -- raw columns of tables, and views that show them.
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO public_cols
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) rel.oid
           AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
           AND a.attname OPERATOR(pg_catalog.<>) ALL (pii_columns);
        IF rel.oid OPERATOR(pg_catalog.=) ANY (pii_views) THEN
            NULL;               -- custvalue_pii only
        ELSIF (rel.relkind IN ('r', 'p', 'f') OR rel.oid OPERATOR(pg_catalog.=) ANY (source_views))
              AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                           WHERE a.attrelid OPERATOR(pg_catalog.=) rel.oid
                             AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
                             AND a.attname OPERATOR(pg_catalog.=) ANY (pii_columns)) THEN
            EXECUTE pg_catalog.format('GRANT SELECT (%s) ON %s TO custvalue_reader',
                                      public_cols, rel.name);
        ELSE
            EXECUTE pg_catalog.format('GRANT SELECT ON %s TO custvalue_reader', rel.name);
        END IF;
        EXECUTE pg_catalog.format('GRANT SELECT ON %s TO custvalue_pii', rel.name);

        IF rel.oid OPERATOR(pg_catalog.=) ANY (source_views) THEN
            -- Writes through a bound source reach the DBA's table, where
            -- that table's own privileges apply as well.
            EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON %s TO custvalue_admin', rel.name);
        END IF;
        CONTINUE WHEN rel.relkind NOT IN ('r', 'p');

        -- Write: custvalue_admin (and the owner).
        EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON %s TO custvalue_admin', rel.name);

        -- Every table holds data a DBA or loader put there: pg_dump must
        -- dump it (an extension's tables are otherwise dumped empty).
        IF NOT rel.dumped THEN
            PERFORM pg_catalog.pg_extension_config_dump(rel.name, '');
        END IF;

        -- Tables that come with default rows merge their dumped rows back.
        SELECT EXISTS (SELECT FROM pg_catalog.pg_index i
                        WHERE i.indrelid OPERATOR(pg_catalog.=) rel.oid AND i.indisprimary)
          INTO has_pk;
        EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s)', rel.name) INTO has_rows;
        IF has_pk AND has_rows
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_trigger g
                            WHERE g.tgrelid OPERATOR(pg_catalog.=) rel.oid
                              AND g.tgname OPERATOR(pg_catalog.=) 'restore_merge') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER restore_merge BEFORE INSERT ON %s '
                'FOR EACH ROW EXECUTE FUNCTION @extschema@.restore_merge()', rel.name);
        ELSIF has_rows AND NOT has_pk THEN
            -- sql/security.sql fails on such a table; do not break installs.
            RAISE WARNING 'custvalue table % has default rows but no primary key', rel.name
                USING HINT = 'pg_restore could not merge its dumped rows with the defaults.';
        END IF;
    END LOOP;
END;
$grants$;
