-- Data sources: where custvalue reads the operator's data.
--
-- The extension holds code, types and its own configuration; customer data
-- lives in ordinary tables the DBA owns, so DROP EXTENSION never deletes a
-- row.  Each kind of data custvalue reads (customer, monthly_bill, ...) is a
-- *source*: a view custvalue.<source> of a fixed shape, the interface the
-- analysis views, functions and triggers are written against.  A source is
--   unbound   the view reads custvalue.unbound_source(), which raises 55000
--             naming the source: no view gives a silently empty answer;
--   bound     the view is SELECT <columns> FROM <relation>, the DBA's table
--             or view, with column_map renaming columns and JSON null for
--             data the operator does not have (NULL).
-- custvalue.create_data_model(schema) creates the reference tables, as
-- ordinary tables, and binds every source to them;
-- custvalue.bind_source(source, relation, column_map) binds one source to a
-- warehouse table of another shape.  A bound view is a plain projection of
-- one relation, so PostgreSQL keeps it updatable (INSERT, UPDATE, DELETE
-- through custvalue.customer reach the DBA's table) and the planner sees the
-- table directly: no cost at query time.
--
-- Bindings are rows of custvalue.data_source, a configuration table that
-- pg_dump dumps; restoring a row rebinds its view (the trigger below), so a
-- plain pg_dump/pg_restore of a database brings the bindings back with the
-- data.

CREATE TABLE @extschema@.data_source (
    source       text PRIMARY KEY,
    relation     text,
    column_map   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(column_map) = 'object'),
    derived      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(derived) = 'object'),
    description  text NOT NULL
);
COMMENT ON TABLE @extschema@.data_source IS
'Where custvalue reads each kind of data (source): relation is the bound table or view (schema-qualified; NULL = unbound), column_map maps an interface column to a column of relation (a name) or to NULL (JSON null: the operator has no such data); derived gives the expression custvalue uses for a column relation lacks (e.g. phone_masked from phone).  Change bindings with custvalue.bind_source() or custvalue.create_data_model(); the interface of a source is the column list of the view custvalue.<source>.';
COMMENT ON COLUMN @extschema@.data_source.relation IS 'Bound relation, schema-qualified; NULL while the source is unbound.';
COMMENT ON COLUMN @extschema@.data_source.column_map IS 'Interface column -> column of relation ("name") or null (no such data: NULL).  Columns not named are taken by their own name.';
COMMENT ON COLUMN @extschema@.data_source.derived IS 'Interface column -> expression over other interface columns ({column}) used when relation has no column of that name.';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.data_source', '');

CREATE FUNCTION @extschema@.unbound_source(source text) RETURNS SETOF boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'custvalue source "%" is not bound', source
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = format('custvalue.%I reads the operator''s data, and no table is bound to it yet.', source),
              HINT = 'Create the reference tables with SELECT custvalue.create_data_model(''custvalue_data''), or bind your own with custvalue.bind_source().';
END;
$$;
COMMENT ON FUNCTION @extschema@.unbound_source(text) IS
'What an unbound source view reads: raises 55000 naming the source, with the two ways to bind it.';

-- The SELECT list of a source view over relation: each interface column
-- from the column column_map names (or its own name), NULL for a JSON null,
-- the derived expression when relation has no such column.  Plain column
-- references wherever the types agree keep the view updatable; a column of
-- another type is cast when an implicit or assignment cast exists, and is
-- an error (42804) otherwise, naming source and column, so a wrong binding
-- fails here and not as a wrong number later.
CREATE FUNCTION @extschema@.source_select(source text, relation regclass, column_map jsonb, derived jsonb)
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    view_oid oid := pg_catalog.to_regclass(format('@extschema@.%I', source));
    col record;
    src record;
    src_name text;
    src_type oid;
    expr text;
    exprs jsonb := '{}';
    items text[] := '{}';
    token text;
    unknown text;
BEGIN
    IF view_oid IS NULL THEN
        RAISE EXCEPTION 'custvalue has no data source "%"', source
            USING ERRCODE = 'undefined_object',
                  HINT = 'The sources are the rows of custvalue.data_source.';
    END IF;
    -- column_map names interface columns, and the columns of relation that
    -- derived expressions read ({phone} of phone_masked).
    SELECT string_agg(k, ', ' ORDER BY k) INTO unknown
      FROM jsonb_object_keys(column_map) AS k
     WHERE NOT EXISTS (SELECT FROM pg_attribute a
                        WHERE a.attrelid = view_oid AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attname = k)
       AND NOT EXISTS (SELECT FROM jsonb_each_text(derived) AS e(col, expression)
                        WHERE strpos(e.expression, '{' || k || '}') > 0);
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'custvalue source "%" has no column %', source, unknown
            USING ERRCODE = 'undefined_column',
                  HINT = format('column_map maps the columns of custvalue.%I to columns of the bound relation.', source);
    END IF;

    FOR col IN
        SELECT a.attname, a.atttypid, a.atttypmod, format_type(a.atttypid, a.atttypmod) AS type
          FROM pg_attribute a
         WHERE a.attrelid = view_oid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
    LOOP
        src_name := col.attname;
        IF column_map ? col.attname THEN
            IF jsonb_typeof(column_map -> col.attname) = 'null' THEN
                expr := format('NULL::%s', col.type);
                exprs := exprs || jsonb_build_object(col.attname, expr);
                items := items || format('%s AS %I', expr, col.attname);
                CONTINUE;
            ELSIF jsonb_typeof(column_map -> col.attname) <> 'string' THEN
                RAISE EXCEPTION 'custvalue source "%": column_map value for "%" must be a column name or null, not %',
                        source, col.attname, column_map -> col.attname
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            src_name := column_map ->> col.attname;
        END IF;

        SELECT a.attname, a.atttypid, a.atttypmod, format_type(a.atttypid, a.atttypmod) AS type
          INTO src
          FROM pg_attribute a
         WHERE a.attrelid = relation AND a.attname = src_name AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            IF derived ? col.attname AND NOT column_map ? col.attname THEN
                expr := derived ->> col.attname;
                -- {name}: an interface column bound before this one, else
                -- the column of relation that column_map names (or name).
                FOR token IN SELECT DISTINCT m[1] FROM regexp_matches(expr, '\{([a-z_0-9]+)\}', 'g') AS m LOOP
                    IF exprs ? token THEN
                        expr := replace(expr, '{' || token || '}', '(' || (exprs ->> token) || ')');
                        CONTINUE;
                    END IF;
                    IF jsonb_typeof(column_map -> token) = 'null' THEN
                        expr := replace(expr, '{' || token || '}', 'NULL');
                        CONTINUE;
                    END IF;
                    src_name := coalesce(column_map ->> token, token);
                    IF NOT EXISTS (SELECT FROM pg_attribute a
                                    WHERE a.attrelid = relation AND a.attname = src_name
                                      AND a.attnum > 0 AND NOT a.attisdropped) THEN
                        RAISE EXCEPTION 'custvalue source "%": column "%" not found in %', source, col.attname, relation
                            USING ERRCODE = 'undefined_column',
                                  HINT = format('custvalue derives it from a column "%s", which %s lacks as well: map "%s" or "%s" with column_map, or map "%s" to null.',
                                                token, relation, col.attname, token, col.attname);
                    END IF;
                    expr := replace(expr, '{' || token || '}', format('s.%I', src_name));
                END LOOP;
                expr := format('(%s)::%s', expr, col.type);
                exprs := exprs || jsonb_build_object(col.attname, expr);
                items := items || format('%s AS %I', expr, col.attname);
                CONTINUE;
            END IF;
            RAISE EXCEPTION 'custvalue source "%": column % not found in %', source,
                    CASE WHEN src_name = col.attname THEN format('"%s"', src_name)
                         ELSE format('"%s" (for %s)', src_name, col.attname) END, relation
                USING ERRCODE = 'undefined_column',
                      HINT = format('Name the column of %s that holds %s with column_map => ''{"%s": "<column>"}'', or map it to null if you have no such data.',
                                    relation, col.attname, col.attname);
        END IF;

        IF src.atttypid = col.atttypid AND (src.atttypmod = col.atttypmod OR col.atttypmod = -1) THEN
            expr := format('s.%I', src.attname);
        ELSE
            -- Domains read as their base type.
            src_type := src.atttypid;
            WHILE (SELECT t.typtype = 'd' FROM pg_type t WHERE t.oid = src_type) LOOP
                src_type := (SELECT t.typbasetype FROM pg_type t WHERE t.oid = src_type);
            END LOOP;
            IF src_type <> col.atttypid
               AND NOT EXISTS (SELECT FROM pg_cast c
                                WHERE c.castsource = src_type AND c.casttarget = col.atttypid
                                  AND c.castcontext IN ('i', 'a')) THEN
                RAISE EXCEPTION 'custvalue source "%": column "%" of % is %, custvalue needs %',
                        source, src.attname, relation, src.type, col.type
                    USING ERRCODE = 'datatype_mismatch',
                          HINT = 'Bind a view of your own that converts it.';
            END IF;
            expr := format('s.%I::%s', src.attname, col.type);
        END IF;
        exprs := exprs || jsonb_build_object(col.attname, expr);
        items := items || CASE WHEN expr = format('s.%I', col.attname) THEN expr
                               ELSE format('%s AS %I', expr, col.attname) END;
    END LOOP;
    RETURN format('SELECT %s FROM %s s', array_to_string(items, ', '), relation);
END;
$$;
COMMENT ON FUNCTION @extschema@.source_select(text, regclass, jsonb, jsonb) IS
'The query of the view custvalue.<source> bound to relation with column_map and the derived expressions; raises 42703 (column missing or unknown) or 42804 (type that does not convert implicitly) naming the source and the column.';

-- The query of an unbound source: the interface's columns, typed NULLs.
CREATE FUNCTION @extschema@.source_placeholder(source text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT format('SELECT %s FROM @extschema@.unbound_source(%L)',
                  string_agg(format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname),
                             ', ' ORDER BY a.attnum),
                  source)
      FROM pg_attribute a
     WHERE a.attrelid = pg_catalog.to_regclass(format('@extschema@.%I', source))
       AND a.attnum > 0 AND NOT a.attisdropped;
END;
COMMENT ON FUNCTION @extschema@.source_placeholder(text) IS
'The query of the view custvalue.<source> while it is unbound: its columns as typed NULLs, read from custvalue.unbound_source().';

-- Every change of a data_source row, including the rows a restore brings
-- back, makes its view read what the row says (data_source_apply(): 114).
CREATE TRIGGER data_source_apply AFTER INSERT OR UPDATE OR DELETE ON @extschema@.data_source
    FOR EACH ROW EXECUTE FUNCTION @extschema@.data_source_apply();
CREATE TRIGGER data_source_no_truncate BEFORE TRUNCATE ON @extschema@.data_source
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();

-- Install-time helper: a source's interface, as an unbound view.
CREATE FUNCTION @extschema@.define_source(source text, description text, columns text[],
                                          derived jsonb DEFAULT '{}')
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('CREATE VIEW @extschema@.%I WITH (security_invoker = true) AS SELECT %s FROM @extschema@.unbound_source(%L)',
                   source,
                   (SELECT string_agg(format('NULL::%s AS %I', substr(c, strpos(c, ' ') + 1),
                                             split_part(c, ' ', 1)), ', ' ORDER BY n)
                      FROM unnest(columns) WITH ORDINALITY AS u(c, n)),
                   source);
    EXECUTE format('COMMENT ON VIEW @extschema@.%I IS %L', source,
                   description || '  A custvalue data source: bind it with custvalue.create_data_model() or custvalue.bind_source().');
    INSERT INTO @extschema@.data_source (source, derived, description)
    VALUES (source, derived, description);
END;
$$;
COMMENT ON FUNCTION @extschema@.define_source(text, text, text[], jsonb) IS
'Used by the install script: creates the unbound view custvalue.<source> with the given columns (''name type'') and its custvalue.data_source row.';
REVOKE ALL ON FUNCTION @extschema@.define_source(text, text, text[], jsonb) FROM PUBLIC;

CREATE FUNCTION @extschema@.bind_source(source text, relation regclass, column_map jsonb DEFAULT '{}')
    RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    qualified text;
BEGIN
    IF source IS NULL THEN
        RAISE EXCEPTION 'bind_source needs a source name, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF column_map IS NOT NULL AND jsonb_typeof(column_map) <> 'object' THEN
        RAISE EXCEPTION 'column_map must be a JSON object of interface column -> column name or null, not %', column_map
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'E.g. column_map => ''{"customer_id": "subscriber_id", "id_card": null}''.';
    END IF;
    IF relation IS NOT NULL THEN
        SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = relation;
    END IF;
    UPDATE @extschema@.data_source d
       SET relation = qualified, column_map = coalesce(bind_source.column_map, '{}')
     WHERE d.source = bind_source.source;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'custvalue has no data source "%"', source
            USING ERRCODE = 'undefined_object',
                  HINT = (SELECT 'Sources: ' || string_agg(d.source, ', ' ORDER BY d.source)
                            FROM @extschema@.data_source d);
    END IF;
    RETURN pg_get_viewdef(format('@extschema@.%I', source)::regclass);
END;
$$;
COMMENT ON FUNCTION @extschema@.bind_source(text, regclass, jsonb) IS
'Binds the data source custvalue.<source> to relation, a table or view of your own (any name, any wider shape): column_map => ''{"customer_id": "subscriber_id", "id_card": null}'' names the column holding each interface column whose name differs, or null for data you do not have.  Checked now: a missing column is 42703 and a type without an implicit or assignment cast is 42804, naming the source and the column.  relation NULL unbinds.  Returns the view''s new query.  Bind to ordinary columns and the view stays updatable.';

CREATE FUNCTION @extschema@.source_relation(source text) RETURNS regclass
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.to_regclass(d.relation) FROM @extschema@.data_source d WHERE d.source = source_relation.source;
END;
COMMENT ON FUNCTION @extschema@.source_relation(text) IS
'The relation the data source custvalue.<source> is bound to, NULL when unbound.';

CREATE VIEW @extschema@.data_source_binding WITH (security_invoker = true) AS
SELECT d.source,
       pg_catalog.to_regclass(d.relation) AS relation,
       d.column_map,
       pg_catalog.pg_get_viewdef(pg_catalog.to_regclass(format('@extschema@.%I', d.source))) AS query,
       d.description
  FROM @extschema@.data_source d;
COMMENT ON VIEW @extschema@.data_source_binding IS
'Every data source with what it is bound to (relation NULL = unbound) and the query of its view.';
