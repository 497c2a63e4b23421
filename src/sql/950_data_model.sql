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
CREATE OR REPLACE FUNCTION @extschema@.describe_data_table(source text, rel regclass) RETURNS void
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

-- Privileges on a table of the data model, as on the extension's own:
-- custvalue_reader reads everything but personal numbers, custvalue_pii
-- everything, custvalue_admin writes.
CREATE OR REPLACE FUNCTION @extschema@.grant_data_table(rel regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pii_columns constant name[] := ARRAY['phone', 'id_card', 'bank_card'];
    public_cols text;
    seq regclass;
BEGIN
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
END;
$$;
COMMENT ON FUNCTION @extschema@.grant_data_table(regclass) IS
'Grants a table of the data model to the custvalue roles: custvalue_reader SELECT on all but the personal-number columns (phone, id_card, bank_card), custvalue_pii SELECT, custvalue_admin INSERT, UPDATE, DELETE, and the table''s sequences (used by custvalue.create_data_model() and create_history_model()).';

-- A table that create_history_model() or create_records_model() has just
-- made becomes a table of the data model: the operator's, described,
-- bound to its source and granted.
CREATE OR REPLACE FUNCTION @extschema@.adopt_data_table(source text, rel regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    member regclass;
BEGIN
    -- Called from an extension script (the update to 1.3), the new table
    -- and the sequence of an identity column became members; they are the
    -- operator's, so they leave.
    FOR member IN
        SELECT rel
         UNION ALL
        SELECT d.objid::regclass
          FROM pg_depend d
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
           AND d.refobjid = rel AND d.deptype IN ('a', 'i')
           AND (SELECT c.relkind FROM pg_class c WHERE c.oid = d.objid) = 'S'
    LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_depend e
                                   WHERE e.classid = 'pg_class'::regclass AND e.objid = member
                                     AND e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e');
        EXECUTE format('ALTER EXTENSION custvalue DROP %s %s',
                       CASE WHEN member = rel THEN 'TABLE' ELSE 'SEQUENCE' END, member);
    END LOOP;
    PERFORM @extschema@.describe_data_table(source, rel);
    PERFORM @extschema@.bind_source(source, rel);
    PERFORM @extschema@.grant_data_table(rel);
END;
$$;
COMMENT ON FUNCTION @extschema@.adopt_data_table(text, regclass) IS
'Makes a newly created table part of the data model: takes it and its identity sequence out of the extension when an extension script created it, describes it from the source, binds the source to it and grants it (used by custvalue.adopt_data_tables(), for create_history_model(), create_records_model() and create_supervision_model()).';

-- What the makers of the tables next to the data model (history, records,
-- supervision) check first: a schema, and the table they go beside.
CREATE OR REPLACE FUNCTION @extschema@.require_data_model(maker text, schema name, beside text, what text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF schema IS NULL THEN
        RAISE EXCEPTION '% needs a schema name, not NULL', maker
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF pg_catalog.to_regclass(format('%I.%I', schema, beside)) IS NULL THEN
        RAISE EXCEPTION 'schema % has no % table', schema, beside
            USING ERRCODE = 'undefined_table',
                  HINT = format('%s next to the data model: create it with custvalue.create_data_model().', what);
    END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.require_data_model(text, name, text, text) IS
'Used by custvalue.create_history_model(), create_records_model() and create_supervision_model(): schema must be given (22004) and hold the table beside (42P01, with a hint that what goes next to the data model).';

-- The makers' last step: adopt the new tables of schema, one per source.
CREATE OR REPLACE FUNCTION @extschema@.adopt_data_tables(schema name, sources text[])
    RETURNS TABLE (source text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    FOREACH source IN ARRAY sources LOOP
        relation := format('%I.%I', schema, source)::regclass;
        PERFORM @extschema@.adopt_data_table(source, relation);
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.adopt_data_tables(name, text[]) IS
'custvalue.adopt_data_table() for the table of each source in schema (same name); returns the sources and their tables.';

CREATE OR REPLACE FUNCTION @extschema@.create_data_model(schema name DEFAULT 'custvalue_data')
    RETURNS TABLE (source text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    src record;
    rel regclass;
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
    prestore       numeric(12,2),
    gift_value     numeric(12,2) CHECK (gift_value >= 0),
    CHECK (ends_on > started_on),
    CHECK ((kind = 'gift') = (grade IS NOT NULL))
);
CREATE INDEX ON %1$I.bundle (customer_id);
CREATE TRIGGER bundle_rule_check BEFORE INSERT OR UPDATE OF kind, grade, started_on, monthly_floor, prestore, gift_value
    ON %1$I.bundle FOR EACH ROW EXECUTE FUNCTION @extschema@.bundle_rule_check();
COMMENT ON COLUMN %1$I.bundle.prestore IS 'Yuan prestored for the bundle (预存话费); a gift bundle''s grade and gift follow from it (custvalue.gift_bundle_grade).';
COMMENT ON COLUMN %1$I.bundle.gift_value IS 'Value of the gift of a gift bundle, yuan: at most custvalue.gift_bundle_value_cap(prestore, months).';

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
    customer_id    bigint NOT NULL,
    CHECK ((from_state IS NULL) = (from_channel IS NULL))
);
CREATE INDEX ON %1$I.work_order_history (work_order_id, history_id);

CREATE TRIGGER work_order_before BEFORE INSERT OR UPDATE ON %1$I.work_order
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_before();

CREATE TRIGGER work_order_record_insert AFTER INSERT ON %1$I.work_order
    REFERENCING NEW TABLE AS work_order_received
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.work_order_record_inserted();

CREATE TRIGGER work_order_record_update AFTER UPDATE OF state, channel, assignee ON %1$I.work_order
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.channel IS DISTINCT FROM NEW.channel
                       OR OLD.assignee IS DISTINCT FROM NEW.assignee)
    EXECUTE FUNCTION @extschema@.work_order_record();

CREATE TRIGGER work_order_history_append_only BEFORE UPDATE OR DELETE ON %1$I.work_order_history
    FOR EACH ROW EXECUTE FUNCTION @extschema@.work_order_history_append_only();

CREATE INDEX survey_response_event_id_idx ON %1$I.survey_response (event_id);

CREATE TABLE %1$I.survey_request (
    request_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_order_id  bigint REFERENCES %1$I.work_order ON DELETE CASCADE,
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
          FROM @extschema@.data_source d
         -- the tables made above; create_history_model() and
         -- create_records_model() make and bind their own
         WHERE pg_catalog.to_regclass(format('%I.%I', schema,
                   CASE d.source WHEN 'customer_identity' THEN 'customer' ELSE d.source END)) IS NOT NULL
         ORDER BY d.source
    LOOP
        rel := format('%I.%I', schema, src.tab)::regclass;
        PERFORM @extschema@.describe_data_table(src.source, rel);
        PERFORM @extschema@.bind_source(src.source, rel);
        source := src.source;
        relation := rel;
        RETURN NEXT;
        CONTINUE WHEN src.tab <> src.source;

        PERFORM @extschema@.grant_data_table(rel);
    END LOOP;
    RETURN QUERY SELECT * FROM @extschema@.create_history_model(schema);
    RETURN QUERY SELECT * FROM @extschema@.create_records_model(schema);
    RETURN QUERY SELECT * FROM @extschema@.create_supervision_model(schema);
END;
$fn$;
COMMENT ON FUNCTION @extschema@.create_data_model(name) IS
'Creates the reference data model (customer, monthly_bill, bundle, service_event, survey_response, complaint, service_cancellation, work_order, work_order_history, survey_request, value_population_snapshot, churn_model_store, the history tables of custvalue.create_history_model() and the record-keeping tables of custvalue.create_records_model() and the supervision tables of custvalue.create_supervision_model(), with the retention guard on every record table and the bundle rules on bundle) as ordinary tables owned by the caller in schema (created if missing; default custvalue_data), with their keys, checks, indexes and the work-order and survey triggers, grants custvalue_reader (all but phone, id_card, bank_card), custvalue_pii and custvalue_admin (write), and binds every data source to them.  Returns the sources and their tables.  The tables are not part of the extension: DROP EXTENSION never drops them.';
