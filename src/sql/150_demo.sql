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
    loaded constant regclass[] := ARRAY['@extschema@.customer', '@extschema@.monthly_bill', '@extschema@.bundle',
        '@extschema@.service_event', '@extschema@.survey_response',
        '@extschema@.complaint', '@extschema@.service_cancellation']::regclass[];
BEGIN
    IF n IS NULL OR seed IS NULL THEN
        RAISE EXCEPTION 'generate_demo needs a number of customers and a seed, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF n < 0 OR n > 100000000 THEN
        RAISE EXCEPTION 'number of demo customers must be between 0 and 100000000, not %', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

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
        INSERT INTO @extschema@.customer
            (customer_id, phone, id_card, bank_card, region, brand, vip_card, joined_on,
             birth_date, account_manager, phone_manager, status, churned_on)
            SELECT * FROM @extschema@.demo_customers(seed, n, lo, hi);
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[1] := counts[1] + got;
        INSERT INTO @extschema@.monthly_bill
            (customer_id, month, voice_fee, sms_fee, data_fee, vas_fee, voice_minutes,
             sms_count, data_mb, paid_late, arrears, cost_to_serve)
            SELECT * FROM @extschema@.demo_bills(seed, n, lo, hi);
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[2] := counts[2] + got;
        INSERT INTO @extschema@.bundle
            (customer_id, kind, grade, started_on, ends_on, monthly_floor)
            SELECT * FROM @extschema@.demo_bundles(seed, n, lo, hi);
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[3] := counts[3] + got;
        INSERT INTO @extschema@.service_event
            (event_id, customer_id, occurred_at, service_item, channel, manager)
            OVERRIDING SYSTEM VALUE
            SELECT * FROM @extschema@.demo_service_events(seed, n, lo, hi, next_event);
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[4] := counts[4] + got;
        INSERT INTO @extschema@.survey_response
            (customer_id, event_id, answered_at, channel, satisfied, csat, nps)
            SELECT * FROM @extschema@.demo_survey_responses(seed, n, lo, hi, next_event);
        next_event := next_event + got;
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[5] := counts[5] + got;
        INSERT INTO @extschema@.complaint
            (customer_id, filed_at, category, severity, resolved_at)
            SELECT * FROM @extschema@.demo_complaints(seed, n, lo, hi);
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[6] := counts[6] + got;
        -- The churn signal table of 420_churn_watchlist.sql.
        INSERT INTO @extschema@.service_cancellation (customer_id, cancelled_at, service)
            SELECT * FROM @extschema@.demo_service_cancellations(seed, n, lo, hi);
        GET DIAGNOSTICS got = ROW_COUNT;
        counts[7] := counts[7] + got;
        lo := hi + 1;
    END LOOP;

    RAISE DEBUG 'generate_demo: rows loaded after %', clock_timestamp() - t0;

    -- Events were numbered explicitly; later inserts continue after them.
    PERFORM setval(pg_get_serial_sequence('@extschema@.service_event', 'event_id'),
                   greatest(next_event - 1, 1), next_event > 1);

    FOREACH ddl IN ARRAY rebuild || fks LOOP
        EXECUTE ddl;
    END LOOP;

    RAISE DEBUG 'generate_demo: indexes and foreign keys rebuilt after %', clock_timestamp() - t0;
    ANALYZE @extschema@.customer, @extschema@.monthly_bill, @extschema@.bundle,
            @extschema@.service_event, @extschema@.survey_response, @extschema@.complaint,
            @extschema@.service_cancellation;

    RETURN QUERY
        SELECT t, c
          FROM unnest(ARRAY['customer', 'monthly_bill', 'bundle', 'service_event',
                            'survey_response', 'complaint', 'service_cancellation'],
                      counts) AS u(t, c);
END;
$$;
COMMENT ON FUNCTION @extschema@.generate_demo(bigint, bigint) IS
'Empties the reference model (customer, monthly_bill, bundle, service_event, survey_response, complaint), custvalue.service_cancellation and every table that references them, and fills them with n demo customers determined by seed; returns the row counts.  n outside 0 .. 100000000 is an error (22023).  Destructive: executable only by the extension''s owner unless granted.';
REVOKE ALL ON FUNCTION @extschema@.generate_demo(bigint, bigint) FROM PUBLIC;
