-- custvalue 1.1 -> 1.2: the operator's data leaves the extension.
\echo Use "ALTER EXTENSION custvalue UPDATE TO '1.2'" to load this file. \quit

-- In 1.1 the twelve tables of the reference model were members of the
-- extension, so DROP EXTENSION deleted every customer.  Here they leave it
-- (ALTER EXTENSION ... DROP) with every row, sequence position, index,
-- constraint, privilege, row-level security policy and trigger, and move
-- to schema custvalue_data as ordinary tables; custvalue.<name> becomes the
-- data source view bound to them (src/sql/115_data_source.sql), and every
-- view and SQL function of the extension is re-pointed from the tables to
-- those views.  A fresh 1.2 install followed by
-- SELECT custvalue.create_data_model('custvalue_data') gives the same
-- catalog (test/checks/extension_update.sh) and the data is kept byte for
-- byte (test/checks/update_keeps_data.sh).

-- 1. Data sources (src/sql/115_data_source.sql).
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
-- back, makes its view read what the row says.
CREATE FUNCTION @extschema@.data_source_apply() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel regclass;
    query text;
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
    EXECUTE format('CREATE OR REPLACE VIEW @extschema@.%I WITH (security_invoker = true) AS %s',
                   NEW.source, query);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.data_source_apply() IS
'AFTER trigger of custvalue.data_source: (re)creates the view custvalue.<source> as the row says (bound relation or unbound placeholder); refuses to delete or rename a source (23514).';

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

-- 2. The data tables leave the extension and the extension's schema.
-- custvalue_data is the DBA's schema, not the extension's.
DO $schema$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.=) 'custvalue_data') THEN
        CREATE SCHEMA custvalue_data;
        ALTER EXTENSION custvalue DROP SCHEMA custvalue_data;
    END IF;
END;
$schema$;
DO $move$
DECLARE
    t text;
    seq regclass;
BEGIN
    FOREACH t IN ARRAY ARRAY[
    'customer',
    'monthly_bill',
    'bundle',
    'service_event',
    'survey_response',
    'complaint',
    'value_population_snapshot',
    'churn_model_store',
    'service_cancellation',
    'work_order',
    'work_order_history',
    'survey_request'
    ] LOOP
        FOR seq IN
            SELECT d.objid::regclass
              FROM pg_catalog.pg_depend d
              JOIN pg_catalog.pg_class s ON s.oid OPERATOR(pg_catalog.=) d.objid
             WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
               AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
               AND d.refobjid OPERATOR(pg_catalog.=) pg_catalog.format('@extschema@.%I', t)::pg_catalog.regclass
               AND s.relkind OPERATOR(pg_catalog.=) 'S'
        LOOP
            EXECUTE pg_catalog.format('ALTER EXTENSION custvalue DROP SEQUENCE %s', seq);
        END LOOP;
        EXECUTE pg_catalog.format('ALTER EXTENSION custvalue DROP TABLE @extschema@.%I', t);
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I SET SCHEMA custvalue_data', t);
        -- pg_dump restores an ordinary table's rows as they are: no merging.
        EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS restore_merge ON custvalue_data.%I', t);
    END LOOP;
END;
$move$;

-- 3. The interface of every data source, as in a fresh install.
SELECT @extschema@.define_source('customer',
    'One row per subscriber, personal numbers only masked (phone_masked, id_card_masked, bank_card_masked); the raw numbers are custvalue.customer_identity.',
    ARRAY['customer_id bigint', 'region text', 'brand text', 'vip_card boolean', 'joined_on date',
          'birth_date date', 'account_manager text', 'phone_manager text', 'status text',
          'churned_on date', 'phone_masked text', 'id_card_masked text', 'bank_card_masked text'],
    '{"phone_masked": "@extschema@.mask_phone({phone})",
      "id_card_masked": "@extschema@.mask_id_card({id_card})",
      "bank_card_masked": "@extschema@.mask_bank_card({bank_card})"}');
SELECT @extschema@.define_source('customer_identity',
    'Each subscriber''s personal numbers, unmasked: mobile phone, resident ID card, bank card for direct debit.  Readable only by custvalue_pii.',
    ARRAY['customer_id bigint', 'phone text', 'id_card text', 'bank_card text']);
SELECT @extschema@.define_source('monthly_bill',
    'One row per customer and month: revenue by component (tariff composition), usage, payment behaviour (credit risk) and, when known, cost to serve.',
    ARRAY['customer_id bigint', 'month date', 'voice_fee numeric(12,2)', 'sms_fee numeric(12,2)',
          'data_fee numeric(12,2)', 'vas_fee numeric(12,2)', 'total_fee numeric(12,2)',
          'voice_minutes integer', 'sms_count integer', 'data_mb integer', 'paid_late boolean',
          'arrears numeric(12,2)', 'cost_to_serve numeric(12,2)'],
    '{"total_fee": "{voice_fee} + {sms_fee} + {data_fee} + {vas_fee}"}');
SELECT @extschema@.define_source('bundle',
    'Bundled-marketing commitments (domain.md §5): prepaid, handset, gift (with grade) and family-net bundles.',
    ARRAY['bundle_id bigint', 'customer_id bigint', 'kind text', 'grade text', 'started_on date',
          'ends_on date', 'monthly_floor numeric(12,2)']);
SELECT @extschema@.define_source('service_event',
    'A service delivered to a customer: which service item, over which channel, by which manager.',
    ARRAY['event_id bigint', 'customer_id bigint', 'occurred_at timestamptz', 'service_item text',
          'channel text', 'manager text']);
SELECT @extschema@.define_source('survey_response',
    'Survey answers: the post-service SMS survey (satisfied yes/no, tied to a service event) and periodic surveys (CSAT 1–5, NPS 0–10).',
    ARRAY['response_id bigint', 'customer_id bigint', 'event_id bigint', 'answered_at timestamptz',
          'channel text', 'satisfied boolean', 'csat smallint', 'nps smallint']);
SELECT @extschema@.define_source('complaint',
    'Customer complaints, graded major / ordinary / minor (domain.md §9).',
    ARRAY['complaint_id bigint', 'customer_id bigint', 'filed_at timestamptz', 'category text',
          'severity text', 'resolved_at timestamptz']);
COMMENT ON COLUMN @extschema@.customer.region IS 'City or district; the natural key for row-level security.';
COMMENT ON COLUMN @extschema@.customer.brand IS 'gotone (全球通), mzone (动感地带) or easyown (神州行).';
COMMENT ON COLUMN @extschema@.customer.vip_card IS 'Holds a GoTone VIP card, so is tiered by annual spend.';
COMMENT ON COLUMN @extschema@.customer.joined_on IS 'Start of tenure on the network.';
COMMENT ON COLUMN @extschema@.customer.account_manager IS 'Code of the customer''s account manager (客户经理), if any.';
COMMENT ON COLUMN @extschema@.customer.phone_manager IS 'Code of the customer''s phone manager (电话经理), if any.';
COMMENT ON COLUMN @extschema@.monthly_bill.arrears IS 'Amount overdue at the end of the month.';
COMMENT ON COLUMN @extschema@.monthly_bill.cost_to_serve IS 'Operator''s cost of serving the customer that month, NULL when unknown.';
SELECT @extschema@.define_source('value_population_snapshot',
    'The stored population summary (at most one row), written by custvalue.refresh_value_population(); while it exists, scoring a customer reads it instead of scanning the population.',
    ARRAY['singleton boolean', 'scale @extschema@.cvf_scale', 'customers bigint', 'total_revenue numeric',
          'a_min_revenue numeric', 'b_min_revenue numeric', 'core_min_revenue numeric',
          'as_of_month date', 'computed_at timestamptz']);
SELECT @extschema@.define_source('churn_model_store',
    'Fitted churn models by name with the names of their features, in order.  The model named ''watchlist'' scores custvalue.churn_watchlist; its features are custvalue.churn_feature_names().',
    ARRAY['name text', 'model @extschema@.churn_model', 'feature_names text[]', 'trained_at timestamptz',
          'note text']);
SELECT @extschema@.define_source('service_cancellation',
    'Services or value-added products a customer unsubscribed from or cancelled (退订): a churn signal (domain.md §8).',
    ARRAY['cancellation_id bigint', 'customer_id bigint', 'cancelled_at timestamptz', 'service text']);
SELECT @extschema@.define_source('work_order',
    'Work orders (工单).  Insert with state received (the default); change state with UPDATE, validated against custvalue.work_order_transition; every change is kept in custvalue.work_order_history.  tier is the customer''s tier when the order was received (filled from customer_profile when omitted).  respond_by/resolve_by come from custvalue.work_order_sla; responded_at (first entry into in_progress or resolved), resolved_at (latest resolution, cleared on reopening) and closed_at are kept by the triggers and cannot be written.',
    ARRAY['work_order_id bigint', 'customer_id bigint', 'tier @extschema@.tier', 'service_item text',
          'channel text', 'kind text', 'severity text', 'state text', 'assignee text', 'summary text',
          'received_at timestamptz', 'state_changed_at timestamptz', 'effective_at timestamptz',
          'respond_by timestamptz', 'resolve_by timestamptz', 'responded_at timestamptz',
          'resolved_at timestamptz', 'closed_at timestamptz']);
SELECT @extschema@.define_source('work_order_history',
    'Append-only history of work orders: one row at receipt (from_state NULL) and one for every change of state, channel or assignee (a reassignment keeps from_state = to_state), with the effective time (changed_at), the time it was written (recorded_at) and the database user who made it.  Rows cannot be updated or deleted except by deleting the work order.',
    ARRAY['history_id bigint', 'work_order_id bigint', 'changed_at timestamptz', 'recorded_at timestamptz',
          'changed_by name', 'from_state text', 'to_state text', 'from_channel text', 'to_channel text',
          'assignee text']);
COMMENT ON COLUMN @extschema@.work_order.kind IS 'request (consultation, application, service request), complaint, or fault.';
COMMENT ON COLUMN @extschema@.work_order.state_changed_at IS 'When the current state began (kept by the trigger).';
COMMENT ON COLUMN @extschema@.work_order.effective_at IS 'Write-only, always NULL when read: set it in an UPDATE that changes state to give the change''s effective time (replaying history); without it the change takes effect at clock_timestamp().';
COMMENT ON COLUMN @extschema@.work_order.respond_by IS 'First response due; NULL = no response clock.  Being answered exactly at respond_by is on time.';
COMMENT ON COLUMN @extschema@.work_order.resolve_by IS 'Resolution due; NULL = no resolution clock.  Resolved exactly at resolve_by is on time.';
SELECT @extschema@.define_source('survey_request',
    'Post-service survey queue: one request per resolution of a work order, for the service_event that resolution recorded.  state: pending (to send from due_at), sent, answered (response_id is the custvalue.survey_response), cancelled (the order was reopened before the survey went out).',
    ARRAY['request_id bigint', 'work_order_id bigint', 'customer_id bigint', 'event_id bigint',
          'channel text', 'due_at timestamptz', 'state text', 'sent_at timestamptz', 'response_id bigint']);
COMMENT ON COLUMN @extschema@.customer_identity.phone IS
'Mobile number (personal data: readable only by custvalue_pii; others read phone_masked).';
COMMENT ON COLUMN @extschema@.customer_identity.id_card IS
'Resident ID-card number (personal data: readable only by custvalue_pii; others read id_card_masked).';
COMMENT ON COLUMN @extschema@.customer_identity.bank_card IS
'Bank card for direct debit (personal data: readable only by custvalue_pii; others read bank_card_masked).';
COMMENT ON COLUMN @extschema@.customer.phone_masked IS 'mask_phone(phone): a generated column in the reference tables, derived from the bound relation''s phone otherwise.';
COMMENT ON COLUMN @extschema@.customer.id_card_masked IS 'mask_id_card(id_card): a generated column in the reference tables, derived from the bound relation''s id_card otherwise.';
COMMENT ON COLUMN @extschema@.customer.bank_card_masked IS 'mask_bank_card(bank_card): a generated column in the reference tables, derived from the bound relation''s bank_card otherwise.';

-- 4. create_data_model() (src/sql/950_data_model.sql).
-- The reference data model as ordinary tables in a schema the DBA chooses:
-- custvalue.create_data_model(schema) creates them, owned by the caller,
-- with the keys, checks, indexes and the work-order and survey triggers the
-- seed's processes need, grants the custvalue roles what they had on the
-- data, and binds every data source to them.  They are not members of the
-- extension: DROP EXTENSION leaves them and every row in them (without
-- CASCADE it refuses, because their triggers, foreign keys to custvalue's
-- catalogs and columns of custvalue types depend on it), and pg_dump dumps
-- them as the DBA's own tables.

-- A table of the data model says what its source view says: the source's
-- description on the table (when the table is the source's own) and the
-- comments of the view's columns on the table's columns of the same names.
CREATE FUNCTION @extschema@.describe_data_table(source text, rel regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stmt text;
BEGIN
    FOR stmt IN
        SELECT format('COMMENT ON COLUMN %s.%I IS %L', rel, a.attname, col_description(a.attrelid, a.attnum))
          FROM pg_attribute a
         WHERE a.attrelid = format('@extschema@.%I', source)::regclass
           AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NOT NULL
           AND EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = rel AND t.attname = a.attname)
         ORDER BY a.attnum
    LOOP
        EXECUTE stmt;
    END LOOP;
    IF (SELECT c.relname FROM pg_class c WHERE c.oid = rel) = source THEN
        EXECUTE format('COMMENT ON TABLE %s IS %L', rel,
                       (SELECT d.description FROM @extschema@.data_source d WHERE d.source = describe_data_table.source));
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.describe_data_table(text, regclass) IS
'Copies the description of the data source custvalue.<source> and its column comments onto rel, a table of the data model (used by custvalue.create_data_model()).';

CREATE FUNCTION @extschema@.create_data_model(schema name DEFAULT 'custvalue_data')
    RETURNS TABLE (source text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    pii_columns constant name[] := ARRAY['phone', 'id_card', 'bank_card'];
    src record;
    rel regclass;
    seq regclass;
    public_cols text;
BEGIN
    IF schema IS NULL THEN
        RAISE EXCEPTION 'create_data_model needs a schema name, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF schema = '@extschema@' OR schema LIKE 'pg\_%' OR schema = 'information_schema' THEN
        RAISE EXCEPTION 'the data model cannot go into schema %', schema
            USING ERRCODE = 'invalid_schema_name',
                  HINT = 'The operator''s data lives outside the extension''s schema, e.g. custvalue_data.';
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', schema);
    EXECUTE format($ddl$
CREATE TABLE %1$I.customer (
    customer_id      bigint PRIMARY KEY,
    phone            text NOT NULL CHECK (phone ~ '^1[0-9]{10}$'),
    id_card          text CHECK (id_card ~ '^[0-9]{17}[0-9X]$'),
    bank_card        text CHECK (bank_card ~ '^[0-9]{12,19}$'),
    region           text NOT NULL,
    brand            text NOT NULL CHECK (brand IN ('gotone', 'mzone', 'easyown')),
    vip_card         boolean NOT NULL DEFAULT false,
    joined_on        date NOT NULL,
    birth_date       date,
    account_manager  text,
    phone_manager    text,
    status           text NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'suspended', 'churned')),
    churned_on       date,
    CHECK ((status = 'churned') = (churned_on IS NOT NULL)),
    CHECK (churned_on IS NULL OR churned_on >= joined_on)
);

CREATE TABLE %1$I.monthly_bill (
    customer_id    bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    month          date NOT NULL CHECK (extract(day FROM month) = 1),
    voice_fee      numeric(12,2) NOT NULL DEFAULT 0 CHECK (voice_fee >= 0),
    sms_fee        numeric(12,2) NOT NULL DEFAULT 0 CHECK (sms_fee >= 0),
    data_fee       numeric(12,2) NOT NULL DEFAULT 0 CHECK (data_fee >= 0),
    vas_fee        numeric(12,2) NOT NULL DEFAULT 0 CHECK (vas_fee >= 0),
    total_fee      numeric(12,2) GENERATED ALWAYS AS (voice_fee + sms_fee + data_fee + vas_fee) STORED,
    voice_minutes  integer NOT NULL DEFAULT 0 CHECK (voice_minutes >= 0),
    sms_count      integer NOT NULL DEFAULT 0 CHECK (sms_count >= 0),
    data_mb        integer NOT NULL DEFAULT 0 CHECK (data_mb >= 0),
    paid_late      boolean NOT NULL DEFAULT false,
    arrears        numeric(12,2) NOT NULL DEFAULT 0 CHECK (arrears >= 0),
    cost_to_serve  numeric(12,2) CHECK (cost_to_serve >= 0),
    PRIMARY KEY (customer_id, month)
);
-- as_of_month() is max(month): with this index a lookup, not a scan of
-- every bill (views call it per statement, some plans per row).
CREATE INDEX monthly_bill_month_idx ON %1$I.monthly_bill (month);

CREATE TABLE %1$I.bundle (
    bundle_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id    bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('prepaid', 'handset', 'gift', 'family')),
    grade          text CHECK (grade IN ('special', 'entry', 'middle', 'high')),
    started_on     date NOT NULL,
    ends_on        date NOT NULL,
    monthly_floor  numeric(12,2) NOT NULL DEFAULT 0 CHECK (monthly_floor >= 0),
    CHECK (ends_on > started_on),
    CHECK ((kind = 'gift') = (grade IS NOT NULL))
);
CREATE INDEX ON %1$I.bundle (customer_id);

CREATE TABLE %1$I.service_event (
    event_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    occurred_at   timestamptz NOT NULL,
    service_item  text NOT NULL,
    channel       text NOT NULL,
    manager       text
);
CREATE INDEX ON %1$I.service_event (customer_id);

CREATE TABLE %1$I.survey_response (
    response_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    event_id      bigint REFERENCES %1$I.service_event ON DELETE SET NULL,
    answered_at   timestamptz NOT NULL,
    channel       text,
    satisfied     boolean,
    csat          smallint CHECK (csat BETWEEN 1 AND 5),
    nps           smallint CHECK (nps BETWEEN 0 AND 10)
);
CREATE INDEX ON %1$I.survey_response (customer_id);

CREATE TABLE %1$I.complaint (
    complaint_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    filed_at      timestamptz NOT NULL,
    category      text NOT NULL,
    severity      text NOT NULL CHECK (severity IN ('major', 'ordinary', 'minor')),
    resolved_at   timestamptz,
    CHECK (resolved_at IS NULL OR resolved_at >= filed_at)
);
CREATE INDEX ON %1$I.complaint (customer_id);

ALTER TABLE %1$I.customer
    ADD COLUMN phone_masked text
        GENERATED ALWAYS AS (@extschema@.mask_phone(phone)) STORED,
    ADD COLUMN id_card_masked text
        GENERATED ALWAYS AS (@extschema@.mask_id_card(id_card)) STORED,
    ADD COLUMN bank_card_masked text
        GENERATED ALWAYS AS (@extschema@.mask_bank_card(bank_card)) STORED;

ALTER TABLE %1$I.service_event
    ADD FOREIGN KEY (service_item) REFERENCES @extschema@.service_item (code);

CREATE TABLE %1$I.value_population_snapshot (
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    scale             @extschema@.cvf_scale,
    customers         bigint NOT NULL,
    total_revenue     numeric NOT NULL,
    a_min_revenue     numeric,
    b_min_revenue     numeric,
    core_min_revenue  numeric,
    as_of_month       date NOT NULL,
    computed_at       timestamptz NOT NULL
);

CREATE TABLE %1$I.churn_model_store (
    name           text PRIMARY KEY,
    model          @extschema@.churn_model NOT NULL,
    feature_names  text[] NOT NULL,
    trained_at     timestamptz NOT NULL DEFAULT now(),
    note           text,
    CONSTRAINT churn_model_store_feature_count
        CHECK (cardinality(feature_names) = (@extschema@.churn_model_info(model)).features)
);

CREATE TABLE %1$I.service_cancellation (
    cancellation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id     bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    cancelled_at    timestamptz NOT NULL,
    service         text NOT NULL
);
CREATE INDEX ON %1$I.service_cancellation (customer_id);

ALTER TABLE %1$I.churn_model_store
    ADD CONSTRAINT churn_model_store_watchlist_features
    CHECK (name <> 'watchlist' OR feature_names = @extschema@.churn_feature_names());

CREATE TABLE %1$I.work_order (
    work_order_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id      bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    tier             @extschema@.tier NOT NULL,
    service_item     text NOT NULL REFERENCES @extschema@.service_item ON UPDATE CASCADE,
    channel          text NOT NULL REFERENCES @extschema@.channel ON UPDATE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('request', 'complaint', 'fault')),
    severity         text NOT NULL DEFAULT 'ordinary' CHECK (severity IN ('major', 'ordinary', 'minor')),
    state            text NOT NULL DEFAULT 'received'
        CHECK (state IN ('received', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed')),
    assignee         text,
    summary          text,
    received_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    state_changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    effective_at     timestamptz CHECK (effective_at IS NULL),
    respond_by       timestamptz,
    resolve_by       timestamptz,
    responded_at     timestamptz,
    resolved_at      timestamptz,
    closed_at        timestamptz,
    CHECK (state_changed_at >= received_at),
    CHECK (respond_by > received_at AND resolve_by > received_at),
    CHECK (responded_at >= received_at AND resolved_at >= responded_at AND closed_at >= received_at),
    CHECK (state NOT IN ('in_progress', 'resolved') OR responded_at IS NOT NULL),
    CHECK (state <> 'resolved' OR resolved_at IS NOT NULL),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX ON %1$I.work_order (customer_id);
CREATE INDEX ON %1$I.work_order (received_at);
CREATE INDEX work_order_open_idx ON %1$I.work_order (respond_by, resolve_by)
    WHERE state NOT IN ('resolved', 'closed');

CREATE TABLE %1$I.work_order_history (
    history_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_order_id  bigint NOT NULL REFERENCES %1$I.work_order ON DELETE CASCADE,
    changed_at     timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    changed_by     name NOT NULL DEFAULT current_user,
    from_state     text,
    to_state       text NOT NULL,
    from_channel   text,
    to_channel     text NOT NULL,
    assignee       text,
    CHECK ((from_state IS NULL) = (from_channel IS NULL))
);
CREATE INDEX ON %1$I.work_order_history (work_order_id, history_id);

CREATE TRIGGER work_order_before BEFORE INSERT OR UPDATE ON %1$I.work_order
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_before();

CREATE TRIGGER work_order_record_insert AFTER INSERT ON %1$I.work_order
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_record();

CREATE TRIGGER work_order_record_update AFTER UPDATE OF state, channel, assignee ON %1$I.work_order
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.channel IS DISTINCT FROM NEW.channel
                       OR OLD.assignee IS DISTINCT FROM NEW.assignee)
    EXECUTE FUNCTION @extschema@.work_order_record();

CREATE TRIGGER work_order_history_append_only BEFORE UPDATE OR DELETE ON %1$I.work_order_history
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_history_append_only();

CREATE INDEX survey_response_event_id_idx ON %1$I.survey_response (event_id);

CREATE TABLE %1$I.survey_request (
    request_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_order_id  bigint NOT NULL REFERENCES %1$I.work_order ON DELETE CASCADE,
    customer_id    bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    event_id       bigint NOT NULL UNIQUE REFERENCES %1$I.service_event ON DELETE CASCADE,
    channel        text NOT NULL DEFAULT 'sms' REFERENCES @extschema@.channel ON UPDATE CASCADE,
    due_at         timestamptz NOT NULL,
    state          text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sent', 'answered', 'cancelled')),
    sent_at        timestamptz,
    response_id    bigint UNIQUE REFERENCES %1$I.survey_response ON DELETE CASCADE,
    CHECK ((state IN ('sent', 'answered')) = (sent_at IS NOT NULL) OR (state = 'cancelled')),
    CHECK ((state = 'answered') = (response_id IS NOT NULL))
);
CREATE INDEX ON %1$I.survey_request (work_order_id);
CREATE INDEX survey_request_pending_idx ON %1$I.survey_request (due_at) WHERE state = 'pending';

CREATE TRIGGER work_order_survey AFTER UPDATE OF state ON %1$I.work_order
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state
                       AND (NEW.state = 'resolved' OR OLD.state = 'resolved'))
    EXECUTE FUNCTION @extschema@.work_order_survey();
$ddl$, schema);

    -- The watchlist's design prior, until churn_train_watchlist_model().
    EXECUTE format($ins$INSERT INTO %I.churn_model_store (name, model, feature_names, trained_at, note)
VALUES ('watchlist',
        'n=0 l2=0 iterations=0 loglik=0 coef={-4,2,1.5,0.5,-0.15,0.9,0.5,0.4,1.2,0.3,1.5,0.6}',
        @extschema@.churn_feature_names(), '2026-01-01 00:00+00',
        'Design prior, not fitted: base churn about 2 %% per quarter, raised by each signal.  Replace with SELECT custvalue.churn_train_watchlist_model();')$ins$,
                   schema);

    EXECUTE format('GRANT USAGE ON SCHEMA %I TO custvalue_reader, custvalue_admin, custvalue_pii', schema);
    FOR src IN
        SELECT d.source, d.description,
               -- customer_identity: the personal numbers of customer
               CASE d.source WHEN 'customer_identity' THEN 'customer' ELSE d.source END AS tab
          FROM @extschema@.data_source d ORDER BY d.source
    LOOP
        rel := format('%I.%I', schema, src.tab)::regclass;
        PERFORM @extschema@.describe_data_table(src.source, rel);
        PERFORM @extschema@.bind_source(src.source, rel);
        source := src.source;
        relation := rel;
        RETURN NEXT;
        CONTINUE WHEN src.tab <> src.source;

        -- custvalue_reader reads everything but personal numbers,
        -- custvalue_pii everything, custvalue_admin writes.
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO public_cols
          FROM pg_attribute a
         WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
           AND a.attname <> ALL (pii_columns);
        IF EXISTS (SELECT FROM pg_attribute a
                    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                      AND a.attname = ANY (pii_columns)) THEN
            EXECUTE format('GRANT SELECT (%s) ON %s TO custvalue_reader', public_cols, rel);
        ELSE
            EXECUTE format('GRANT SELECT ON %s TO custvalue_reader', rel);
        END IF;
        EXECUTE format('GRANT SELECT ON %s TO custvalue_pii', rel);
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %s TO custvalue_admin', rel);
        FOR seq IN
            SELECT d.objid::regclass
              FROM pg_depend d
             WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
               AND d.refobjid = rel AND d.deptype IN ('a', 'i')
               AND (SELECT c.relkind FROM pg_class c WHERE c.oid = d.objid) = 'S'
        LOOP
            EXECUTE format('GRANT SELECT ON SEQUENCE %s TO custvalue_reader', seq);
            EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO custvalue_admin', seq);
        END LOOP;

    END LOOP;
END;
$fn$;
COMMENT ON FUNCTION @extschema@.create_data_model(name) IS
'Creates the reference data model (customer, monthly_bill, bundle, service_event, survey_response, complaint, service_cancellation, work_order, work_order_history, survey_request, value_population_snapshot, churn_model_store) as ordinary tables owned by the caller in schema (created if missing; default custvalue_data), with their keys, checks, indexes and the work-order and survey triggers, grants custvalue_reader (all but phone, id_card, bank_card), custvalue_pii and custvalue_admin (write), and binds every data source to them.  Returns the sources and their tables.  The tables are not part of the extension: DROP EXTENSION never drops them.';

-- 5. Bind every source to its moved table, which takes the source's
-- descriptions as a table of create_data_model() would.
GRANT USAGE ON SCHEMA custvalue_data TO custvalue_reader, custvalue_admin, custvalue_pii;
DO $bind$
DECLARE
    src record;
BEGIN
    FOR src IN
        SELECT d.source, CASE d.source WHEN 'customer_identity' THEN 'customer' ELSE d.source END AS tab
          FROM @extschema@.data_source d ORDER BY d.source
    LOOP
        PERFORM @extschema@.describe_data_table(src.source, pg_catalog.format('custvalue_data.%I', src.tab)::pg_catalog.regclass);
        PERFORM @extschema@.bind_source(src.source, pg_catalog.format('custvalue_data.%I', src.tab)::pg_catalog.regclass);
    END LOOP;
END;
$bind$;

-- 6. Views and SQL-standard functions of the extension that read the
-- moved tables read the source views instead: the same definitions as a
-- fresh install, now resolving custvalue.<source> to the views.
CREATE OR REPLACE VIEW @extschema@.churn_watchlist WITH (security_invoker = true) AS
WITH retention AS (
    SELECT r.tier, r.alpha, r.beta FROM @extschema@.tier_retention() r
), pol AS (
    SELECT @extschema@.setting('churn_discount_rate')::float8 AS discount
), listed AS (
    SELECT w.*,
           (w.annual_spend * coalesce(@extschema@.sbg_derl(r.alpha, r.beta, pol.discount,
                                                           w.tenure_months / 12), 1))::numeric AS clv_raw
      FROM @extschema@.customer_churn_warning w
      CROSS JOIN pol
      LEFT JOIN retention r ON @extschema@.tier_rank(r.tier) = @extschema@.tier_rank(w.tier)
     WHERE @extschema@.tier_rank(w.tier) >= @extschema@.tier_rank('b')
       AND w.level OPERATOR(pg_catalog.>=) 'orange'::@extschema@.warning_level
       AND w.status <> 'churned'
)
SELECT l.customer_id, l.region, l.tier, l.lifecycle, l.level, l.score, l.signals,
       round(l.churn_probability::numeric, 4) AS churn_probability,
       l.annual_spend,
       round(l.clv_raw, 2) AS clv,
       round(round(l.clv_raw, 2) * l.churn_probability::numeric, 2) AS value_at_risk,
       te.suspension_warning_by AS owner_channel,
       CASE te.suspension_warning_by WHEN 'account_manager' THEN c.account_manager
                                     WHEN 'phone_manager' THEN c.phone_manager END AS owner
  FROM listed l
  JOIN @extschema@.customer c USING (customer_id)
  LEFT JOIN @extschema@.tier_entitlements te
         ON @extschema@.tier_rank(te.tier) = @extschema@.tier_rank(l.tier)
 ORDER BY value_at_risk DESC, l.customer_id;
CREATE OR REPLACE VIEW @extschema@.customer_churn_warning WITH (security_invoker = true) AS
SELECT i.customer_id, p.region, p.tier, i.status, i.tenure_months,
       p.annual_spend, p.monthly_arpu,
       w.level, w.score, w.signals,
       s.p AS churn_probability,
       (CASE WHEN i.status = 'churned' THEN 'churned'
             WHEN w.level OPERATOR(pg_catalog.>=) 'orange'::@extschema@.warning_level
               OR s.p >= pol.alert_p THEN 'about_to_churn'
             WHEN i.tenure_months < pol.new_months THEN 'new'
             ELSE 'active' END)::@extschema@.lifecycle_state AS lifecycle
  FROM @extschema@.customer_churn_inputs i
  JOIN @extschema@.customer_profile p USING (customer_id)
  CROSS JOIN (SELECT @extschema@.setting('churn_alert_probability')::float8 AS alert_p,
                     @extschema@.setting('lifecycle_new_months')::int AS new_months) pol
  LEFT JOIN @extschema@.churn_model_store m ON m.name = 'watchlist'
  CROSS JOIN LATERAL @extschema@.churn_warning(
        i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
        i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
        i.suspended, i.cancellations_30d) w
  CROSS JOIN LATERAL (SELECT @extschema@.churn_probability(m.model, i.features) AS p) s;
CREATE OR REPLACE VIEW @extschema@.customer_directory WITH (security_invoker = true) AS
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       c.status,
       c.phone_masked AS phone,
       c.id_card_masked AS id_card,
       c.bank_card_masked AS bank_card,
       c.account_manager,
       c.phone_manager
  FROM @extschema@.customer c;
CREATE OR REPLACE VIEW @extschema@.customer_profile WITH (security_invoker = true) AS
WITH ref AS (
    SELECT @extschema@.as_of_month() AS month,
           @extschema@.setting('spend_window_months')::int AS spend_months,
           @extschema@.setting('arpu_window_months')::int AS arpu_months
), bills AS (
    SELECT b.customer_id,
           sum(b.total_fee) AS annual_spend,
           (sum(b.total_fee) FILTER (WHERE b.month > ref.month - make_interval(months => ref.arpu_months)))
             / nullif(count(*) FILTER (WHERE b.month > ref.month - make_interval(months => ref.arpu_months)), 0)
             AS monthly_arpu
      FROM @extschema@.monthly_bill b, ref
     WHERE b.month > ref.month - make_interval(months => ref.spend_months)
       AND b.month <= ref.month
     GROUP BY b.customer_id
)
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       c.status,
       c.joined_on,
       ((extract(year FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on)) * 12
         + extract(month FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on))))::int
         AS tenure_months,
       coalesce(bills.annual_spend, 0)::numeric(12,2) AS annual_spend,
       coalesce(bills.monthly_arpu, 0)::numeric(12,2) AS monthly_arpu,
       @extschema@.tier_of(coalesce(bills.annual_spend, 0)::numeric(12,2),
                           coalesce(bills.monthly_arpu, 0)::numeric(12,2),
                           c.vip_card) AS tier
  FROM @extschema@.customer c
  CROSS JOIN ref
  LEFT JOIN bills USING (customer_id);
CREATE OR REPLACE VIEW @extschema@.customer_value_inputs WITH (security_invoker = true) AS
WITH ref AS (
    SELECT r.month,
           r.month - make_interval(months => r.spend_months) AS spend_after,
           (r.month - make_interval(months => r.arpu_months - 1))::date AS arpu_from
      FROM (SELECT @extschema@.as_of_month() AS month,
                   @extschema@.setting('spend_window_months')::int AS spend_months,
                   @extschema@.setting('arpu_window_months')::int AS arpu_months) AS r
), bills AS (
    SELECT b.customer_id,
           @extschema@.bill_value_summary(b.month, b.total_fee, b.data_fee, b.vas_fee, b.paid_late,
                                          b.arrears, b.cost_to_serve, ref.arpu_from) AS t
      FROM @extschema@.monthly_bill b, ref
     WHERE b.month > ref.spend_after
       AND b.month <= ref.month
     GROUP BY b.customer_id
), active_bundles AS (
    SELECT u.customer_id, count(*) AS bundles
      FROM @extschema@.bundle u, ref
     WHERE u.started_on < ref.month + interval '1 month'
       AND u.ends_on > ref.month
     GROUP BY u.customer_id
)
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       @extschema@.tier_of(coalesce((bills.t).total_fee, 0)::numeric(12,2),
                           coalesce((bills.t).arpu_fee / nullif((bills.t).arpu_months, 0), 0)::numeric(12,2),
                           c.vip_card) AS tier,
       coalesce((bills.t).arpu_fee / nullif((bills.t).arpu_months, 0), 0)::numeric(12,2) AS monthly_arpu,
       coalesce((bills.t).total_fee, 0)::numeric(12,2) AS revenue,
       ((extract(year FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on)) * 12
         + extract(month FROM age(ref.month + interval '1 month' - interval '1 day', c.joined_on))))::int
         AS tenure_months,
       (bills.t).risk_months::float8 / (bills.t).billed_months AS credit_risk,
       (bills.t).growth_share AS tariff_share,
       coalesce(active_bundles.bundles, 0) AS bundles,
       CASE WHEN (bills.t).costed_months = (bills.t).billed_months THEN (bills.t).costed_margin END AS net_value,
       round((bills.t).costed_margin / nullif((bills.t).costed_months, 0), 2) AS monthly_margin
  FROM @extschema@.customer c
 CROSS JOIN ref
  LEFT JOIN bills USING (customer_id)
  LEFT JOIN active_bundles USING (customer_id)
 WHERE c.status <> 'churned';
CREATE OR REPLACE VIEW @extschema@.satisfaction_answers WITH (security_invoker = true) AS
SELECT r.response_id,
       r.customer_id,
       CASE WHEN r.event_id IS NULL THEN 'sample' ELSE 'post_service' END AS survey,
       r.event_id,
       r.answered_at,
       pg_catalog.date_trunc('month', r.answered_at)::date AS month,
       p.tier,
       @extschema@.tier_segment(p.tier) AS segment,
       e.service_item,
       coalesce(e.channel, r.channel) AS channel,
       e.manager,
       r.satisfied
  FROM @extschema@.survey_response r
  LEFT JOIN @extschema@.service_event e ON e.event_id = r.event_id
  LEFT JOIN @extschema@.customer_profile p ON p.customer_id = r.customer_id
 WHERE r.satisfied IS NOT NULL;
CREATE OR REPLACE VIEW @extschema@.satisfaction_by_channel_month WITH (security_invoker = true) AS
SELECT g.channel,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT e.channel, pg_catalog.date_trunc('month', r.answered_at)::date AS month,
               @extschema@.csat(r.satisfied) AS s
          FROM @extschema@.survey_response r
          JOIN @extschema@.service_event e ON e.event_id = r.event_id
         WHERE r.satisfied IS NOT NULL
         GROUP BY 1, 2) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
CREATE OR REPLACE VIEW @extschema@.satisfaction_by_manager_month WITH (security_invoker = true) AS
SELECT g.channel,
       g.manager,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT e.channel, e.manager, pg_catalog.date_trunc('month', r.answered_at)::date AS month,
               @extschema@.csat(r.satisfied) AS s
          FROM @extschema@.survey_response r
          JOIN @extschema@.service_event e ON e.event_id = r.event_id
         WHERE r.satisfied IS NOT NULL AND e.manager IS NOT NULL
         GROUP BY 1, 2, 3) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
CREATE OR REPLACE VIEW @extschema@.satisfaction_indices_by_tier WITH (security_invoker = true) AS
SELECT p.tier,
       @extschema@.csat(r.csat) AS csat,
       @extschema@.nps(r.nps) AS nps
  FROM @extschema@.survey_response r
  JOIN @extschema@.customer_profile p ON p.customer_id = r.customer_id
 WHERE r.csat IS NOT NULL OR r.nps IS NOT NULL
 GROUP BY p.tier;
CREATE OR REPLACE VIEW @extschema@.sla_compliance_by_tier_month WITH (security_invoker = true) AS
WITH o AS (
    SELECT w.tier,
           date_trunc('month', w.received_at)::date AS month,
           w.state,
           w.respond_by IS NOT NULL AND (w.responded_at IS NOT NULL OR w.respond_by < now()) AS respond_decided,
           w.responded_at <= w.respond_by AS respond_on_time,
           w.resolve_by IS NOT NULL AND (w.resolved_at IS NOT NULL OR w.resolve_by < now()) AS resolve_decided,
           w.resolved_at <= w.resolve_by AS resolve_on_time
      FROM @extschema@.work_order w
)
SELECT o.tier,
       o.month,
       count(*) AS received,
       count(*) FILTER (WHERE o.state NOT IN ('resolved', 'closed')) AS open,
       count(*) FILTER (WHERE o.respond_decided) AS response_due,
       count(*) FILTER (WHERE o.respond_decided AND o.respond_on_time) AS responded_on_time,
       round(100.0 * count(*) FILTER (WHERE o.respond_decided AND o.respond_on_time)
             / nullif(count(*) FILTER (WHERE o.respond_decided), 0), 2) AS response_compliance_pct,
       count(*) FILTER (WHERE o.resolve_decided) AS resolution_due,
       count(*) FILTER (WHERE o.resolve_decided AND o.resolve_on_time) AS resolved_on_time,
       round(100.0 * count(*) FILTER (WHERE o.resolve_decided AND o.resolve_on_time)
             / nullif(count(*) FILTER (WHERE o.resolve_decided), 0), 2) AS resolution_compliance_pct
  FROM o
 GROUP BY o.tier, o.month;
CREATE OR REPLACE VIEW @extschema@.survey_outbox WITH (security_invoker = true) AS
SELECT r.request_id, r.work_order_id, r.customer_id, r.event_id, r.channel, r.due_at
  FROM @extschema@.survey_request r
 WHERE r.state = 'pending' AND r.due_at <= now();
CREATE OR REPLACE VIEW @extschema@.value_population WITH (security_invoker = true) AS
SELECT 'snapshot'::text AS source, s.scale, s.customers, s.total_revenue, s.a_min_revenue,
       s.b_min_revenue, s.core_min_revenue, s.as_of_month, s.computed_at
  FROM @extschema@.value_population_snapshot s
UNION ALL
SELECT 'live', l.scale, l.customers, l.total_revenue, l.a_min_revenue,
       l.b_min_revenue, l.core_min_revenue, l.as_of_month, l.computed_at
  FROM @extschema@.value_population_live l
 WHERE NOT EXISTS (SELECT FROM @extschema@.value_population_snapshot);
CREATE OR REPLACE FUNCTION @extschema@.as_of_month() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(max(month), date_trunc('month', current_date)::date)
      FROM @extschema@.monthly_bill;
END;
CREATE OR REPLACE FUNCTION @extschema@.churn_backtest(horizon_months integer DEFAULT 3)
    RETURNS TABLE (scorer text, customers bigint, churners bigint,
                   auc float8, log_loss float8, lift_top_decile float8)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH snap AS (
        SELECT (@extschema@.as_of_month() - make_interval(months => horizon_months))::date AS month
    ), scored AS (
        SELECT c.churned_on IS NOT NULL
               AND c.churned_on < (snap.month + make_interval(months => horizon_months + 1))::date AS churned,
               @extschema@.churn_probability(m.model, i.features) AS p,
               w.score
          FROM snap
         CROSS JOIN LATERAL @extschema@.churn_inputs_at(snap.month) i
          JOIN @extschema@.customer c ON c.customer_id = i.customer_id
          LEFT JOIN @extschema@.churn_model_store m ON m.name = 'watchlist'
         CROSS JOIN LATERAL @extschema@.churn_warning(
                i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
                i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
                i.suspended, i.cancellations_30d) w
         WHERE i.status <> 'churned'
    )
    SELECT 'watchlist model', count(*), count(*) FILTER (WHERE churned),
           @extschema@.churn_auc(p, churned), @extschema@.churn_log_loss(p, churned),
           @extschema@.churn_lift(p, churned)
      FROM scored
    UNION ALL
    SELECT 'warning score', count(*), count(*) FILTER (WHERE churned),
           @extschema@.churn_auc(score, churned), NULL,
           @extschema@.churn_lift(score, churned)
      FROM scored;
END;
CREATE OR REPLACE FUNCTION @extschema@.churn_inputs_at(as_of date)
    RETURNS TABLE (customer_id bigint, status text, joined_on date, tenure_months integer,
                   arpu_drop float8, usage_drop float8, complaints_30d integer, nps integer,
                   satisfaction_drop float8, dissatisfied_30d integer, bundle_days_left integer,
                   arrears numeric, suspended boolean, cancellations_30d integer,
                   features float8[])
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH ref AS (
        SELECT date_trunc('month', as_of)::date AS month,
               (date_trunc('month', as_of) + interval '1 month' - interval '1 day')::date AS last_day,
               (date_trunc('month', as_of) + interval '1 month')::timestamptz AS stop,
               @extschema@.setting('churn_baseline_months')::int AS base_months
    ), bills AS (
        SELECT b.customer_id,
               max(b.total_fee) FILTER (WHERE b.month = ref.month) AS fee_now,
               avg(b.total_fee) FILTER (WHERE b.month < ref.month) AS fee_base,
               max(b.voice_minutes) FILTER (WHERE b.month = ref.month) AS voice_now,
               avg(b.voice_minutes) FILTER (WHERE b.month < ref.month) AS voice_base,
               max(b.data_mb) FILTER (WHERE b.month = ref.month) AS data_now,
               avg(b.data_mb) FILTER (WHERE b.month < ref.month) AS data_base,
               max(b.arrears) FILTER (WHERE b.month = ref.month) AS arrears
          FROM @extschema@.monthly_bill b, ref
         WHERE b.month >= ref.month - make_interval(months => ref.base_months)
           AND b.month <= ref.month
         GROUP BY b.customer_id
    ), complaints AS (
        SELECT k.customer_id, count(*)::int AS n
          FROM @extschema@.complaint k, ref
         WHERE k.filed_at >= ref.stop - interval '30 days' AND k.filed_at < ref.stop
         GROUP BY k.customer_id
    ), surveys AS (
        SELECT s.customer_id,
               (array_agg(s.nps ORDER BY s.answered_at DESC, s.response_id DESC)
                  FILTER (WHERE s.nps IS NOT NULL AND s.answered_at >= ref.stop - interval '180 days'))[1] AS nps,
               (array_agg(s.csat ORDER BY s.answered_at DESC, s.response_id DESC)
                  FILTER (WHERE s.csat IS NOT NULL))[1] AS csat_last,
               sum(s.csat) AS csat_sum,
               count(s.csat) AS csat_n,
               count(*) FILTER (WHERE s.satisfied = false
                                  AND s.answered_at >= ref.stop - interval '30 days')::int AS dissatisfied
          FROM @extschema@.survey_response s, ref
         WHERE s.answered_at >= ref.stop - interval '365 days' AND s.answered_at < ref.stop
         GROUP BY s.customer_id
    ), bundles AS (
        SELECT u.customer_id, (max(u.ends_on) - ref.last_day)::int AS days_left
          FROM @extschema@.bundle u, ref
         WHERE u.started_on <= ref.last_day AND u.ends_on >= ref.last_day
         GROUP BY u.customer_id, ref.last_day
    ), cancels AS (
        SELECT x.customer_id, count(*)::int AS n
          FROM @extschema@.service_cancellation x, ref
         WHERE x.cancelled_at >= ref.stop - interval '30 days' AND x.cancelled_at < ref.stop
         GROUP BY x.customer_id
    ), inputs AS (
        SELECT c.customer_id,
               CASE WHEN c.churned_on <= ref.last_day THEN 'churned'
                    WHEN c.churned_on IS NOT NULL THEN 'active'
                    ELSE c.status END AS status,
               c.joined_on,
               (extract(year FROM age(ref.last_day, c.joined_on)) * 12
                + extract(month FROM age(ref.last_day, c.joined_on)))::int AS tenure_months,
               -- rounded to 4 places so a drop of exactly 30 % compares
               -- equal to a threshold of 0.30
               round(1 - bills.fee_now / nullif(bills.fee_base, 0), 4)::float8 AS arpu_drop,
               greatest(round(1 - bills.voice_now / nullif(bills.voice_base, 0), 4),
                        round(1 - bills.data_now / nullif(bills.data_base, 0), 4))::float8 AS usage_drop,
               coalesce(complaints.n, 0) AS complaints_30d,
               surveys.nps::int AS nps,
               CASE WHEN surveys.csat_n > 1
                    THEN round((surveys.csat_sum - surveys.csat_last) / (surveys.csat_n - 1.0)
                               - surveys.csat_last, 4)::float8 END AS satisfaction_drop,
               coalesce(surveys.dissatisfied, 0) AS dissatisfied_30d,
               bundles.days_left AS bundle_days_left,
               bills.arrears,
               c.status = 'suspended' AS suspended,
               coalesce(cancels.n, 0) AS cancellations_30d
          FROM @extschema@.customer c
          CROSS JOIN ref
          LEFT JOIN bills ON bills.customer_id = c.customer_id
          LEFT JOIN complaints ON complaints.customer_id = c.customer_id
          LEFT JOIN surveys ON surveys.customer_id = c.customer_id
          LEFT JOIN bundles ON bundles.customer_id = c.customer_id
          LEFT JOIN cancels ON cancels.customer_id = c.customer_id
         WHERE c.joined_on <= ref.last_day
    )
    SELECT i.customer_id, i.status, i.joined_on, i.tenure_months, i.arpu_drop, i.usage_drop,
           i.complaints_30d, i.nps, i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left,
           i.arrears, i.suspended, i.cancellations_30d,
           ARRAY[greatest(0, least(1, coalesce(i.arpu_drop, 0))),
                 greatest(0, least(1, coalesce(i.usage_drop, 0))),
                 i.complaints_30d,
                 i.tenure_months / 12.0,
                 CASE WHEN i.nps < 7 THEN 1 ELSE 0 END,
                 greatest(0, coalesce(i.satisfaction_drop, 0)),
                 i.dissatisfied_30d,
                 CASE WHEN i.bundle_days_left IS NULL THEN 0
                      ELSE greatest(0, 1 - i.bundle_days_left / 90.0) END,
                 ln(1 + coalesce(i.arrears, 0)),
                 CASE WHEN i.suspended THEN 1 ELSE 0 END,
                 i.cancellations_30d]::float8[]
      FROM inputs i;
END;
CREATE OR REPLACE FUNCTION @extschema@.work_orders_overdue_at(at timestamptz)
    RETURNS TABLE (work_order_id bigint, customer_id bigint, tier @extschema@.tier, kind text,
                   severity text, state text, channel text, assignee text, received_at timestamptz,
                   clock text, due_at timestamptz, overdue_by interval)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT w.work_order_id, w.customer_id, w.tier, w.kind, w.severity, w.state, w.channel, w.assignee,
           w.received_at, c.clock, c.due_at, work_orders_overdue_at.at - c.due_at
      FROM @extschema@.work_order w
     CROSS JOIN LATERAL (VALUES ('respond', w.respond_by, w.responded_at),
                                ('resolve', w.resolve_by, w.resolved_at)) AS c(clock, due_at, met_at)
     WHERE c.due_at < work_orders_overdue_at.at
       AND (c.met_at IS NULL OR c.met_at > work_orders_overdue_at.at)
       AND (w.closed_at IS NULL OR w.closed_at > work_orders_overdue_at.at);
END;

-- 7. Objects whose definition changed.
CREATE OR REPLACE VIEW @extschema@.customer_contact WITH (security_invoker = true) AS
SELECT c.customer_id,
       c.region,
       i.phone,
       i.id_card,
       i.bank_card
  FROM @extschema@.customer c
  JOIN @extschema@.customer_identity i USING (customer_id);
DROP FUNCTION @extschema@.refresh_value_population();
CREATE FUNCTION @extschema@.refresh_value_population()
    RETURNS @extschema@.value_population_snapshot
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    live record;
    result @extschema@.value_population_snapshot;
BEGIN
    SELECT * INTO live FROM @extschema@.value_population_live;
    DELETE FROM @extschema@.value_population_snapshot;
    INSERT INTO @extschema@.value_population_snapshot
        (scale, customers, total_revenue, a_min_revenue, b_min_revenue, core_min_revenue,
         as_of_month, computed_at)
    VALUES (live.scale, live.customers, live.total_revenue, live.a_min_revenue,
            live.b_min_revenue, live.core_min_revenue, live.as_of_month, live.computed_at)
    RETURNING * INTO result;
    RETURN result;
END;
$$;
COMMENT ON FUNCTION @extschema@.refresh_value_population() IS
'Recomputes the population summary (CVF scale, value-class thresholds) and stores it in custvalue.value_population_snapshot, so that scoring one customer reads one row instead of the population.  Run it after loading data; DELETE FROM custvalue.value_population_snapshot goes back to live computation.';
CREATE OR REPLACE FUNCTION @extschema@.generate_demo(n bigint, seed bigint)
    RETURNS TABLE (table_name text, rows bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    batch constant bigint := 5000;
    lo bigint := 1;
    hi bigint;
    next_event bigint := 1;
    got bigint;
    obj record;
    fks text[] := '{}';
    rebuild text[] := '{}';
    counts bigint[] := '{0,0,0,0,0,0,0}';
    t0 timestamptz := clock_timestamp();
    ddl text;
    sources constant text[] := ARRAY['customer', 'monthly_bill', 'bundle', 'service_event',
        'survey_response', 'complaint', 'service_cancellation'];
    loaded regclass[];
    unfit text;
BEGIN
    IF n IS NULL OR seed IS NULL THEN
        RAISE EXCEPTION 'generate_demo needs a number of customers and a seed, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF n < 0 OR n > 100000000 THEN
        RAISE EXCEPTION 'number of demo customers must be between 0 and 100000000, not %', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- The demo goes into the tables of custvalue.create_data_model(): each
    -- source bound, unmapped, to an ordinary table.  A warehouse bound with
    -- bind_source() is never emptied by a demo.
    SELECT string_agg(format('%s (%s)', d.source, coalesce(d.relation, 'unbound')), ', ' ORDER BY d.source)
      INTO unfit
      FROM @extschema@.data_source d
      LEFT JOIN pg_class c ON c.oid = to_regclass(d.relation)
     WHERE d.source = ANY (sources || 'customer_identity'::text)
       AND (c.relkind IS DISTINCT FROM 'r' OR d.column_map <> '{}'
            OR (d.source = 'customer_identity'
                AND d.relation IS DISTINCT FROM (SELECT e.relation FROM @extschema@.data_source e
                                                  WHERE e.source = 'customer')));
    IF unfit IS NOT NULL THEN
        RAISE EXCEPTION 'generate_demo loads only the tables of custvalue.create_data_model()'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('Not bound to such a table: %s.', unfit),
                  HINT = 'Run SELECT custvalue.create_data_model(''custvalue_data'') first (or in a database of its own).';
    END IF;
    SELECT array_agg(to_regclass(d.relation) ORDER BY array_position(sources, d.source))
      INTO loaded
      FROM @extschema@.data_source d WHERE d.source = ANY (sources);

    -- Empty the loaded tables and every table that references them,
    -- transitively (what TRUNCATE ... CASCADE would do, named explicitly).
    EXECUTE (
        WITH RECURSIVE dependent(rel) AS (
            SELECT unnest(loaded)
            UNION
            SELECT c.conrelid::regclass
              FROM pg_constraint c JOIN dependent d ON c.confrelid = d.rel
             WHERE c.contype = 'f'
        )
        SELECT 'TRUNCATE ' || string_agg(rel::text, ', ' ORDER BY rel::oid) || ' RESTART IDENTITY'
          FROM dependent);

    -- Take off the foreign keys that touch the loaded tables, then their
    -- indexes (except constraints a view depends on); build them again after
    -- the load, which is several times faster than maintaining them per row.
    FOR obj IN
        SELECT c.conrelid::regclass AS tab, c.conname AS name, pg_get_constraintdef(c.oid) AS def
          FROM pg_constraint c
         WHERE c.contype = 'f' AND (c.conrelid = ANY (loaded) OR c.confrelid = ANY (loaded))
         ORDER BY c.conrelid, c.conname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', obj.tab, obj.name);
        fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', obj.tab, obj.name, obj.def);
    END LOOP;
    FOR obj IN
        SELECT c.conrelid::regclass AS tab, c.conname AS name, pg_get_constraintdef(c.oid) AS def
          FROM pg_constraint c
         WHERE c.contype IN ('p', 'u') AND c.conrelid = ANY (loaded)
           AND NOT EXISTS (SELECT FROM pg_depend d
                            WHERE d.refclassid = 'pg_constraint'::regclass AND d.refobjid = c.oid)
         ORDER BY c.conrelid, c.conname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', obj.tab, obj.name);
        rebuild := rebuild || format('ALTER TABLE %s ADD CONSTRAINT %I %s', obj.tab, obj.name, obj.def);
    END LOOP;
    FOR obj IN
        SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def
          FROM pg_index i
         WHERE i.indrelid = ANY (loaded)
           AND NOT EXISTS (SELECT FROM pg_constraint c
                            WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
           AND NOT EXISTS (SELECT FROM pg_depend d
                            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indexrelid)
         ORDER BY i.indrelid, i.indexrelid
    LOOP
        EXECUTE format('DROP INDEX %s', obj.name);
        rebuild := rebuild || obj.def;
    END LOOP;

    WHILE lo <= n LOOP
        hi := least(n, lo + batch - 1);
        EXECUTE format('INSERT INTO %s
            (customer_id, phone, id_card, bank_card, region, brand, vip_card, joined_on,
             birth_date, account_manager, phone_manager, status, churned_on)
            SELECT * FROM @extschema@.demo_customers($1, $2, $3, $4)', loaded[1])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[1] := counts[1] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, month, voice_fee, sms_fee, data_fee, vas_fee, voice_minutes,
             sms_count, data_mb, paid_late, arrears, cost_to_serve)
            SELECT * FROM @extschema@.demo_bills($1, $2, $3, $4)', loaded[2])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[2] := counts[2] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, kind, grade, started_on, ends_on, monthly_floor)
            SELECT * FROM @extschema@.demo_bundles($1, $2, $3, $4)', loaded[3])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[3] := counts[3] + got;
        EXECUTE format('INSERT INTO %s
            (event_id, customer_id, occurred_at, service_item, channel, manager)
            OVERRIDING SYSTEM VALUE
            SELECT * FROM @extschema@.demo_service_events($1, $2, $3, $4, $5)', loaded[4])
            USING seed, n, lo, hi, next_event;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[4] := counts[4] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, event_id, answered_at, channel, satisfied, csat, nps)
            SELECT * FROM @extschema@.demo_survey_responses($1, $2, $3, $4, $5)', loaded[5])
            USING seed, n, lo, hi, next_event;
        next_event := next_event + got;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[5] := counts[5] + got;
        EXECUTE format('INSERT INTO %s
            (customer_id, filed_at, category, severity, resolved_at)
            SELECT * FROM @extschema@.demo_complaints($1, $2, $3, $4)', loaded[6])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[6] := counts[6] + got;
        -- The churn signal table of 420_churn_watchlist.sql.
        EXECUTE format('INSERT INTO %s (customer_id, cancelled_at, service)
            SELECT * FROM @extschema@.demo_service_cancellations($1, $2, $3, $4)', loaded[7])
            USING seed, n, lo, hi;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[7] := counts[7] + got;
        lo := hi + 1;
    END LOOP;

    RAISE DEBUG 'generate_demo: rows loaded after %', clock_timestamp() - t0;

    -- Events were numbered explicitly; later inserts continue after them.
    PERFORM setval(pg_get_serial_sequence(loaded[4]::text, 'event_id'),
                   greatest(next_event - 1, 1), next_event > 1);

    FOREACH ddl IN ARRAY rebuild || fks LOOP
        EXECUTE ddl;
    END LOOP;

    RAISE DEBUG 'generate_demo: indexes and foreign keys rebuilt after %', clock_timestamp() - t0;
    EXECUTE 'ANALYZE ' || array_to_string(loaded, ', ');

    RETURN QUERY
        SELECT t, c
          FROM unnest(ARRAY['customer', 'monthly_bill', 'bundle', 'service_event',
                            'survey_response', 'complaint', 'service_cancellation'],
                      counts) AS u(t, c);
END;
$$;
COMMENT ON FUNCTION @extschema@.generate_demo(bigint, bigint) IS
'Empties the tables of custvalue.create_data_model() bound to customer, monthly_bill, bundle, service_event, survey_response, complaint and service_cancellation, and every table that references them, and fills them with n demo customers determined by seed; returns the row counts.  n outside 0 .. 100000000 is an error (22023); a source not bound to such a table (unbound, or a warehouse bound with bind_source) is an error (55000), so a demo never empties an operator''s data by mistake.  Destructive: executable only by the extension''s owner unless granted.';

-- Comments on the tier type's plumbing (src/sql/100_tier_type.sql), now that
-- REFERENCE.md is generated from the catalog.
COMMENT ON FUNCTION @extschema@.tier_in(cstring) IS 'Input function of custvalue.tier: diamond, gold, silver, a, b, c or the Chinese labels (钻卡, 金卡, 银卡, A类, B类, C类); anything else is 22P02.';
COMMENT ON FUNCTION @extschema@.tier_out(@extschema@.tier) IS 'Output function of custvalue.tier: the English code (diamond .. c).';
COMMENT ON FUNCTION @extschema@.tier_recv(internal) IS 'Binary input of custvalue.tier (COPY BINARY, binary protocol); rejects an out-of-range byte (22P03).';
COMMENT ON FUNCTION @extschema@.tier_send(@extschema@.tier) IS 'Binary output of custvalue.tier: one byte, the rank.';
COMMENT ON FUNCTION @extschema@.tier_sortsupport(internal) IS 'Sort support of the btree operator class tier_ops: compares tiers without a function call per comparison.';
COMMENT ON OPERATOR @extschema@.= (@extschema@.tier, @extschema@.tier) IS 'Same tier.';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.tier, @extschema@.tier) IS 'Different tiers.';
COMMENT ON OPERATOR @extschema@.< (@extschema@.tier, @extschema@.tier) IS 'Lower tier (c < b < a < silver < gold < diamond).';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.tier, @extschema@.tier) IS 'Lower or the same tier.';
COMMENT ON OPERATOR @extschema@.> (@extschema@.tier, @extschema@.tier) IS 'Higher tier (diamond > gold > silver > a > b > c).';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.tier, @extschema@.tier) IS 'Higher or the same tier.';
COMMENT ON OPERATOR CLASS @extschema@.tier_ops USING btree IS 'Default btree operator class of custvalue.tier: ordered by rank, with sort support.';
COMMENT ON OPERATOR FAMILY @extschema@.tier_ops USING btree IS 'Btree operator family of custvalue.tier.';
COMMENT ON OPERATOR CLASS @extschema@.tier_hash_ops USING hash IS 'Default hash operator class of custvalue.tier (hash joins, hash indexes, hash partitioning).';
COMMENT ON OPERATOR FAMILY @extschema@.tier_hash_ops USING hash IS 'Hash operator family of custvalue.tier.';
COMMENT ON CAST (@extschema@.tier AS text) IS 'A tier as its English code; assignment cast.';
COMMENT ON CAST (text AS @extschema@.tier) IS 'Text to tier by the input function (English codes or Chinese labels); explicit.';
COMMENT ON CAST (@extschema@.tier AS varchar) IS 'A tier as its English code; assignment cast.';
COMMENT ON CAST (varchar AS @extschema@.tier) IS 'varchar to tier by the input function; explicit.';

-- 8. Privileges of the new members (src/sql/990_privileges.sql).
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
