-- Demo data generator (src/demo.c, src/demo_activity.c): a realistic,
-- reproducible population for the reference model.  Each demo_* function
-- returns the rows of one table for customers first_id..last_id of a
-- population of n; every row is a pure function of (seed, n, customer), so
-- the functions are IMMUTABLE and batches can be generated in any order.

CREATE FUNCTION @extschema@.demo_customers(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, phone text, id_card text, bank_card text,
                   region text, brand text, vip_card boolean, joined_on date,
                   birth_date date, account_manager text, phone_manager text,
                   status text, churned_on date)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.demo_customers(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.customer for customers first_id..last_id of a population of n (1 <= first_id, last_id <= n <= 100000000), determined by seed.  Phones (104xxxxxxxx), ID numbers (division 4399xx) and bank cards (prefix 9999) are fake by construction.';

CREATE FUNCTION @extschema@.demo_bills(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, month date, voice_fee numeric, sms_fee numeric,
                   data_fee numeric, vas_fee numeric, voice_minutes integer,
                   sms_count integer, data_mb integer, paid_late boolean,
                   arrears numeric, cost_to_serve numeric)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12000;
COMMENT ON FUNCTION @extschema@.demo_bills(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.monthly_bill (2008-07 .. 2009-06, from joining to churning) for customers first_id..last_id of demo_customers(seed, n, ...).';

CREATE FUNCTION @extschema@.demo_bundles(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, kind text, grade text, started_on date,
                   ends_on date, monthly_floor numeric)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 500;
COMMENT ON FUNCTION @extschema@.demo_bundles(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.bundle (without bundle_id) for customers first_id..last_id of demo_customers(seed, n, ...).';

CREATE FUNCTION @extschema@.demo_service_events(seed bigint, n bigint, first_id bigint,
                                                last_id bigint, first_event_id bigint)
    RETURNS TABLE (event_id bigint, customer_id bigint, occurred_at timestamptz,
                   service_item text, channel text, manager text)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.demo_service_events(bigint, bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.service_event for customers first_id..last_id of demo_customers(seed, n, ...), numbered from first_event_id in customer and time order.';

CREATE FUNCTION @extschema@.demo_survey_responses(seed bigint, n bigint, first_id bigint,
                                                  last_id bigint, first_event_id bigint)
    RETURNS TABLE (customer_id bigint, event_id bigint, answered_at timestamptz,
                   channel text, satisfied boolean, csat smallint, nps smallint)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 500;
COMMENT ON FUNCTION @extschema@.demo_survey_responses(bigint, bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.survey_response (without response_id) for customers first_id..last_id: post-service SMS answers referring to the events demo_service_events() numbers from the same first_event_id, and monthly sample surveys with CSAT and NPS.';

CREATE FUNCTION @extschema@.demo_complaints(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, filed_at timestamptz, category text,
                   severity text, resolved_at timestamptz)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.demo_complaints(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.complaint (without complaint_id) for customers first_id..last_id of demo_customers(seed, n, ...).';

CREATE FUNCTION @extschema@.demo_service_cancellations(seed bigint, n bigint, first_id bigint, last_id bigint)
    RETURNS TABLE (customer_id bigint, cancelled_at timestamptz, service text)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.demo_service_cancellations(bigint, bigint, bigint, bigint) IS
'Demo generator: rows of custvalue.service_cancellation (without cancellation_id): value-added services unsubscribed, mostly by customers whose spend is falling, for customers first_id..last_id of demo_customers(seed, n, ...).';

-- Replace the contents of the reference model with n demo customers.
-- Batches of customers keep each SRF's result in memory; foreign keys and
-- indexes are rebuilt once at the end instead of being maintained per row.
CREATE FUNCTION @extschema@.generate_demo(n bigint, seed bigint)
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
REVOKE ALL ON FUNCTION @extschema@.generate_demo(bigint, bigint) FROM PUBLIC;
