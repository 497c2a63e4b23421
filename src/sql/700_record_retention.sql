-- Records kept for their legal periods (domain.md §9, seed 003:
-- 记录应保存至少3年, 服务归档应保存至少5年) and personal data erased once no
-- longer needed (§10, PIPL).  New in 1.3.
--
--   custvalue.record_retention   policy: record kind -> minimum years, what
--                                happens after (delete / anonymise / keep);
--   record_retention_guard()     BEFORE DELETE trigger on every record table
--                                (custvalue.protect_records()): a row inside
--                                its period, or of a customer under legal
--                                hold, cannot be deleted -- directly or by a
--                                cascade from the customer or work order;
--   custvalue.purge_expired()    deletes (or anonymises) what is past its
--                                period and not held;
--   custvalue.forget_customer()  erases one customer's personal data now
--                                (the customer's request), keeping records;
--   legal_hold, erasure          data tables of the operator
--                                (create_records_model()).
--
-- Deleting a customer who still has kept records is refused, not cascaded:
-- the customer's personal data goes by forget_customer(), the records stay
-- de-identified until purge_expired() removes them.  TRUNCATE is not
-- guarded: like DROP TABLE it is an owner's act, and the demo generator
-- empties the tables with it.

-- ---------------------------------------------------------------- sources
SELECT @extschema@.define_source('legal_hold',
    'Legal holds: while a hold is not released, none of the customer''s records of that kind (record_kind NULL: of any kind) may be deleted, even past its period, and the customer''s personal data may not be erased.',
    ARRAY['hold_id bigint', 'customer_id bigint', 'record_kind text', 'reason text',
          'placed_by name', 'placed_at timestamptz', 'released_at timestamptz']);
COMMENT ON COLUMN @extschema@.legal_hold.record_kind IS 'The kind of record held (custvalue.record_retention); NULL holds every kind and the personal data.';
COMMENT ON COLUMN @extschema@.legal_hold.released_at IS 'When the hold ended; NULL while it holds.';

SELECT @extschema@.define_source('erasure',
    'One row per customer whose personal data custvalue erased: when, by whom, and why (retention_expired from custvalue.purge_expired(), or the reason given to custvalue.forget_customer()).  The proof of erasure PIPL asks for; it names the customer only by id.',
    ARRAY['customer_id bigint', 'erased_at timestamptz', 'erased_by name', 'reason text']);

SELECT @extschema@.define_source('pii_access',
    'The audit of personal data read unmasked: one row per customer and number read through custvalue.customer_contact (who: the session and current role; when; which number; why, from the setting custvalue.pii_purpose).',
    ARRAY['accessed_at timestamptz', 'session_role name', 'current_role name', 'customer_id bigint',
          'field text', 'purpose text']);
COMMENT ON COLUMN @extschema@.pii_access.field IS 'phone, id_card or bank_card.';
COMMENT ON COLUMN @extschema@.pii_access.purpose IS 'What the reader said it was for (SET custvalue.pii_purpose = ...), NULL if nothing was said.';

SELECT @extschema@.define_source('contact_consent',
    'Each customer''s consent to be contacted, per purpose (custvalue.contact_purpose): one row per statement of the customer, the latest of which holds; without one, the purpose''s default applies.  The survey queue and the call tasks of the monthly cycle honour it.',
    ARRAY['customer_id bigint', 'purpose text', 'granted boolean', 'recorded_at timestamptz',
          'channel text', 'recorded_by name']);
COMMENT ON COLUMN @extschema@.contact_consent.granted IS 'true: the customer agrees to be contacted for purpose; false: withdrew or refused.';
COMMENT ON COLUMN @extschema@.contact_consent.channel IS 'Where the customer said it (hall, hotline, sms, app ...).';

-- ---------------------------------------------------------------- policy
CREATE TABLE @extschema@.record_retention (
    record_kind  text PRIMARY KEY,
    time_column  text NOT NULL,
    min_years    integer CHECK (min_years BETWEEN 1 AND 100),
    on_expiry    text NOT NULL DEFAULT 'delete' CHECK (on_expiry IN ('delete', 'anonymise', 'keep')),
    basis        text NOT NULL
);
COMMENT ON TABLE @extschema@.record_retention IS
'How long each kind of record is kept (domain.md §9): record_kind is a custvalue data source, time_column the column of that source from which its period runs, min_years the period (NULL: no minimum, the rows may go at any time), on_expiry what custvalue.purge_expired() does afterwards (delete the row, anonymise the customer''s personal data, or keep).  A row inside its period cannot be deleted (custvalue.record_retention_guard); a kind added here is guarded once custvalue.protect_records() has run.';
COMMENT ON COLUMN @extschema@.record_retention.time_column IS 'Column of the source custvalue.<record_kind> from which the period runs; NULL in a row means the period has not started (an open work order, a customer who has not left): kept.';
COMMENT ON COLUMN @extschema@.record_retention.min_years IS 'Minimum years kept after time_column; a row is past its period on day D when time_column + min_years is at or before the start of D.';
COMMENT ON COLUMN @extschema@.record_retention.on_expiry IS 'delete: purge_expired() deletes the row; anonymise: it erases the personal data (customer only); keep: it leaves the row.';

INSERT INTO @extschema@.record_retention (record_kind, time_column, min_years, on_expiry, basis) VALUES
    ('complaint',            'filed_at',     3, 'delete', 'Seed 003: consultation and complaint records at least 3 years (记录应保存至少3年).'),
    ('survey_response',      'answered_at',  3, 'delete', 'Seed 003: customer feedback is a consultation record, 3 years.'),
    ('survey_request',       'due_at',       3, 'delete', 'With the survey it asked for, 3 years.'),
    ('service_cancellation', 'cancelled_at', 3, 'delete', 'Design: a request of the customer, kept like a consultation record.'),
    ('service_event',        'occurred_at',  5, 'delete', 'Seed 003: service archives at least 5 years (服务归档应保存至少5年).'),
    ('work_order',           'closed_at',    5, 'delete', 'Seed 003: service archive, 5 years from closure; an open order is kept.'),
    ('work_order_history',   'changed_at',   5, 'delete', 'Part of the work order''s archive; deleted with its work order.'),
    ('call_task',            'opened_at',    5, 'delete', 'A retention call is a work order: service archive, 5 years.'),
    ('pii_access',           'accessed_at',  3, 'delete', 'Design: the audit of who read personal data, kept as long as a consultation record.'),
    ('customer',             'churned_on',   5, 'anonymise', 'PIPL: personal data erased when no longer needed; design: once the service archive period after the customer left has passed.');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.record_retention', '');

CREATE FUNCTION @extschema@.record_retention_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM @extschema@.data_source d WHERE d.source = NEW.record_kind) THEN
        RAISE EXCEPTION 'record kind "%" is not a custvalue data source', NEW.record_kind
            USING ERRCODE = 'foreign_key_violation',
                  HINT = (SELECT 'Sources: ' || string_agg(d.source, ', ' ORDER BY d.source) FROM @extschema@.data_source d);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_attribute a
                    WHERE a.attrelid = format('@extschema@.%I', NEW.record_kind)::regclass
                      AND a.attname = NEW.time_column AND a.attnum > 0 AND NOT a.attisdropped
                      AND a.atttypid IN ('date'::regtype, 'timestamptz'::regtype, 'timestamp'::regtype)) THEN
        RAISE EXCEPTION 'custvalue.% has no date or timestamp column "%"', NEW.record_kind, NEW.time_column
            USING ERRCODE = 'undefined_column';
    END IF;
    IF NEW.on_expiry = 'anonymise' AND NEW.record_kind <> 'customer' THEN
        RAISE EXCEPTION 'only customer records can be anonymised, not %', NEW.record_kind
            USING ERRCODE = 'check_violation',
                  HINT = 'Other records name no one once the customer is anonymised: delete or keep them.';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.record_retention_validate() IS
'Trigger of custvalue.record_retention: the kind is a data source, time_column one of its date or timestamp columns, anonymise only for customer.';
CREATE TRIGGER record_retention_validate BEFORE INSERT OR UPDATE ON @extschema@.record_retention
    FOR EACH ROW EXECUTE FUNCTION @extschema@.record_retention_validate();

-- The test that a row of kind (aliased t) is under no legal hold, as SQL
-- for purge_expired() and retention_status(), which scan whole tables with
-- it; a kind without customers (the suggestions) is never held.
CREATE FUNCTION @extschema@.not_held_predicate(kind text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_attribute a
                              WHERE a.attrelid = pg_catalog.to_regclass('@extschema@.' || pg_catalog.quote_ident(kind))
                                AND a.attname = 'customer_id' AND NOT a.attisdropped)
                THEN pg_catalog.format('NOT EXISTS (SELECT FROM @extschema@.legal_hold h WHERE h.customer_id = t.customer_id'
                                       ' AND h.released_at IS NULL AND (h.record_kind IS NULL OR h.record_kind = %L))', kind)
                ELSE 'true' END;
END;
COMMENT ON FUNCTION @extschema@.not_held_predicate(text) IS
'SQL text of the test that a row t of record kind is under no legal hold (legal_hold: the customer''s, for every kind or this one); ''true'' for a kind without a customer_id.  Used by custvalue.purge_expired() and custvalue.retention_status().';

-- ---------------------------------------------------------------- guard
-- The column of a source's bound relation that holds an interface column.
CREATE FUNCTION @extschema@.source_column(source text, interface_column text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(d.column_map ->> source_column.interface_column, source_column.interface_column)
      FROM @extschema@.data_source d
     WHERE d.source = source_column.source;
END;
COMMENT ON FUNCTION @extschema@.source_column(text, text) IS
'The column of the relation bound to the data source that holds the interface column (column_map applied; NULL when the source maps it to nothing).';

CREATE FUNCTION @extschema@.record_retention_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind constant text := TG_ARGV[0];
    rule @extschema@.record_retention;
    old_row constant jsonb := to_jsonb(OLD);
    customer bigint;
    started timestamptz;
    hold text;
BEGIN
    SELECT r.* INTO rule FROM @extschema@.record_retention r WHERE r.record_kind = kind;
    IF NOT FOUND THEN
        RETURN OLD;
    END IF;
    customer := (old_row ->> @extschema@.source_column(kind, 'customer_id'))::bigint;
    SELECT h.reason INTO hold
      FROM @extschema@.legal_hold h
     WHERE h.customer_id = customer AND h.released_at IS NULL
       AND (h.record_kind IS NULL OR h.record_kind = kind)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot delete this % of customer %: the customer is under legal hold', kind, customer
            USING ERRCODE = 'restrict_violation',
                  DETAIL = format('Hold: %s', hold),
                  HINT = 'Release the hold (legal_hold.released_at) first.';
    END IF;
    IF rule.min_years IS NULL THEN
        RETURN OLD;
    END IF;
    started := (old_row ->> @extschema@.source_column(kind, rule.time_column))::timestamptz;
    IF started IS NULL THEN
        RAISE EXCEPTION 'cannot delete this %: it is kept for % years from its %, which has not come yet',
                        kind || coalesce(' of customer ' || customer, ''), rule.min_years, rule.time_column
            USING ERRCODE = 'restrict_violation',
                  DETAIL = rule.basis;
    END IF;
    IF started + make_interval(years => rule.min_years) > now() THEN
        RAISE EXCEPTION 'cannot delete this %: it is kept until %', kind || coalesce(' of customer ' || customer, ''),
                        (started + make_interval(years => rule.min_years))::date
            USING ERRCODE = 'restrict_violation',
                  DETAIL = format('custvalue.record_retention: %s years from %s. %s', rule.min_years, rule.time_column, rule.basis),
                  HINT = CASE WHEN TG_LEVEL = 'ROW' AND pg_trigger_depth() > 1
                              THEN 'Deleting a customer deletes their records; erase the customer''s personal data with custvalue.forget_customer() instead, and let custvalue.purge_expired() remove the records when their period ends.'
                              ELSE 'custvalue.purge_expired() removes records once their period ends.' END;
    END IF;
    RETURN OLD;
END;
$$;
COMMENT ON FUNCTION @extschema@.record_retention_guard() IS
'BEFORE DELETE trigger of a record table (argument: its record kind): refuses (23001) to delete a row inside its custvalue.record_retention period (or whose period has not started), or any row of a customer under an active legal hold of that kind -- whether deleted directly or by a cascade from the customer or work order.';

CREATE FUNCTION @extschema@.protect_records() RETURNS TABLE (record_kind text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k record;
BEGIN
    FOR k IN
        SELECT r.record_kind, @extschema@.source_relation(r.record_kind) AS rel
          FROM @extschema@.record_retention r
         WHERE r.record_kind <> 'customer'
         ORDER BY r.record_kind
    LOOP
        CONTINUE WHEN k.rel IS NULL
                   OR (SELECT c.relkind FROM pg_class c WHERE c.oid = k.rel) NOT IN ('r', 'p');
        IF NOT EXISTS (SELECT FROM pg_trigger t
                        WHERE t.tgrelid = k.rel AND t.tgname = 'record_retention_guard') THEN
            EXECUTE format('CREATE TRIGGER record_retention_guard BEFORE DELETE ON %s'
                           ' FOR EACH ROW EXECUTE FUNCTION @extschema@.record_retention_guard(%L)',
                           k.rel, k.record_kind);
        END IF;
        record_kind := k.record_kind;
        relation := k.rel;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.protect_records() IS
'Puts the retention guard (custvalue.record_retention_guard) on the table bound to every record kind of custvalue.record_retention that is bound to a table (the customer row itself is not guarded: deleting it is refused through its records).  Idempotent; run it after adding a kind or binding a source to a new table.  Returns the guarded kinds and tables.';

-- ---------------------------------------------------------------- purge
-- Children before parents, so that a foreign key never blocks a purge.
-- work_order_history goes with its work order (it is append-only).
CREATE FUNCTION @extschema@.purge_expired(as_of date DEFAULT current_date)
    RETURNS TABLE (record_kind text, action text, purged bigint, held bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    purge_order constant text[] := ARRAY['survey_request', 'call_task', 'survey_response', 'complaint',
                                         'service_cancellation', 'pii_access', 'work_order', 'service_event'];
    rule record;
    target text;
    expired text;
    not_held text;
    history_before bigint;
BEGIN
    IF as_of IS NULL THEN
        RAISE EXCEPTION 'purge_expired needs a day, not NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF as_of > current_date THEN
        RAISE EXCEPTION 'purge_expired cannot purge as of %, a day still to come', as_of
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR rule IN
        SELECT r.* FROM @extschema@.record_retention r
         WHERE r.min_years IS NOT NULL AND r.on_expiry <> 'keep'
           AND @extschema@.source_relation(r.record_kind) IS NOT NULL
         ORDER BY array_position(purge_order, r.record_kind) NULLS LAST, r.record_kind
    LOOP
        record_kind := rule.record_kind;
        action := rule.on_expiry;
        target := @extschema@.source_target(rule.record_kind);
        expired := format('t.%I + make_interval(years => %s) <= %L::timestamptz', rule.time_column, rule.min_years, as_of);
        not_held := @extschema@.not_held_predicate(rule.record_kind);
        IF rule.record_kind = 'work_order_history' THEN
            CONTINUE;
        END IF;
        EXECUTE format('SELECT count(*) FROM %s t WHERE %s AND NOT %s', target, expired, not_held) INTO held;
        IF rule.on_expiry = 'anonymise' THEN
            -- Customers only (record_retention_validate): the personal
            -- numbers and the birth date go, the row and its id stay.
            EXECUTE format($sql$
                WITH due AS (
                    SELECT t.customer_id FROM %s t
                     WHERE %s AND %s
                       AND NOT EXISTS (SELECT FROM @extschema@.erasure e WHERE e.customer_id = t.customer_id)
                ), erased AS (
                    SELECT @extschema@.erase_personal_data(d.customer_id, 'retention_expired') FROM due d
                )
                SELECT count(*) FROM erased$sql$, target, expired, not_held) INTO purged;
        ELSE
            IF rule.record_kind = 'work_order' THEN
                SELECT count(*) INTO history_before FROM @extschema@.work_order_history;
            END IF;
            EXECUTE format('DELETE FROM %s t WHERE %s AND %s', target, expired, not_held);
            GET DIAGNOSTICS purged = ROW_COUNT;
        END IF;
        RETURN NEXT;
        IF rule.record_kind = 'work_order' AND EXISTS (SELECT FROM @extschema@.record_retention r
                                                        WHERE r.record_kind = 'work_order_history') THEN
            record_kind := 'work_order_history';
            action := 'delete';
            purged := history_before - (SELECT count(*) FROM @extschema@.work_order_history);
            held := NULL;
            RETURN NEXT;
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.purge_expired(date) IS
'Removes what is past its custvalue.record_retention period on day as_of (default today; a later day is an error, 22023): deletes the records of every kind with on_expiry delete (work_order_history with its work order), erases the personal data of customers with on_expiry anonymise (custvalue.erasure), skipping every customer under an active legal hold.  Returns per kind the action, the rows purged and the expired rows held back.  One transaction: run it daily or monthly, e.g. from pg_cron.';

-- ---------------------------------------------------------------- erasure
CREATE FUNCTION @extschema@.erase_personal_data(customer_id bigint, reason text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('UPDATE %s t SET phone = NULL, id_card = NULL, bank_card = NULL WHERE t.customer_id = $1',
                   @extschema@.source_target('customer_identity'))
      USING customer_id;
    EXECUTE format('UPDATE %s t SET birth_date = NULL WHERE t.customer_id = $1',
                   @extschema@.source_target('customer'))
      USING customer_id;
    EXECUTE format('INSERT INTO %s (customer_id, erased_at, erased_by, reason) VALUES ($1, now(), session_user, $2)',
                   @extschema@.source_target('erasure'))
      USING customer_id, reason;
    RETURN true;
END;
$$;
COMMENT ON FUNCTION @extschema@.erase_personal_data(bigint, text) IS
'Erases one customer''s personal data (phone, ID-card and bank-card numbers, birth date) and records it in custvalue.erasure.  No checks: used by custvalue.forget_customer() and custvalue.purge_expired(), which make them.';
REVOKE ALL ON FUNCTION @extschema@.erase_personal_data(bigint, text) FROM PUBLIC;

CREATE FUNCTION @extschema@.forget_customer(customer_id bigint, reason text DEFAULT 'customer request')
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    hold text;
BEGIN
    IF customer_id IS NULL OR reason IS NULL THEN
        RAISE EXCEPTION 'forget_customer needs a customer id and a reason, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.customer c WHERE c.customer_id = forget_customer.customer_id) THEN
        RAISE EXCEPTION 'no customer %', customer_id USING ERRCODE = 'no_data_found';
    END IF;
    SELECT h.reason INTO hold FROM @extschema@.legal_hold h
     WHERE h.customer_id = forget_customer.customer_id AND h.released_at IS NULL AND h.record_kind IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot erase the personal data of customer %: the customer is under legal hold', customer_id
            USING ERRCODE = 'restrict_violation', DETAIL = format('Hold: %s', hold);
    END IF;
    IF EXISTS (SELECT FROM @extschema@.erasure e WHERE e.customer_id = forget_customer.customer_id) THEN
        RAISE NOTICE 'customer %''s personal data was already erased', customer_id;
        RETURN;
    END IF;
    PERFORM @extschema@.erase_personal_data(customer_id, reason);
END;
$$;
COMMENT ON FUNCTION @extschema@.forget_customer(bigint, text) IS
'Erases a customer''s personal data now (PIPL deletion request): phone, ID-card and bank-card numbers and birth date become NULL and custvalue.erasure records it; the customer row and the records kept for their periods stay, naming only the customer id.  Refused (23001) under a legal hold of every kind; unknown customer P0002; a second call is a NOTICE.  The way to remove a customer who still has kept records (deleting the row is refused).';

-- ---------------------------------------------------------------- status
CREATE FUNCTION @extschema@.retention_status(as_of date DEFAULT current_date)
    RETURNS TABLE (record_kind text, min_years integer, on_expiry text, rows bigint,
                   in_period bigint, expired bigint, held bigint, next_expiry date)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rule record;
BEGIN
    FOR rule IN
        SELECT r.* FROM @extschema@.record_retention r
         WHERE @extschema@.source_relation(r.record_kind) IS NOT NULL
         ORDER BY r.record_kind
    LOOP
        record_kind := rule.record_kind;
        min_years := rule.min_years;
        on_expiry := rule.on_expiry;
        EXECUTE format($sql$
            SELECT count(*),
                   count(*) FILTER (WHERE NOT x.expired),
                   count(*) FILTER (WHERE x.expired AND x.free),
                   count(*) FILTER (WHERE x.expired AND NOT x.free),
                   min(x.ends) FILTER (WHERE NOT x.expired)::date
              FROM (SELECT t.%1$I + make_interval(years => $1) AS ends,
                           coalesce(t.%1$I + make_interval(years => $1) <= $2::timestamptz, false) AS expired,
                           %3$s AS free
                      FROM @extschema@.%2$I t) x$sql$,
                       rule.time_column, rule.record_kind, @extschema@.not_held_predicate(rule.record_kind))
           INTO rows, in_period, expired, held, next_expiry
          USING coalesce(rule.min_years, 0), as_of, rule.record_kind;
        IF rule.min_years IS NULL THEN
            in_period := 0;
            next_expiry := NULL;
        END IF;
        RETURN NEXT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION @extschema@.retention_status(date) IS
'Per record kind of custvalue.record_retention (bound sources only), as of day as_of: rows, rows inside their period (or whose period has not started), expired rows custvalue.purge_expired() would act on, expired rows held by a legal hold, and the day the next row in its period expires.';

-- ---------------------------------------------------------------- tables
CREATE FUNCTION @extschema@.create_records_model(schema name DEFAULT 'custvalue_data')
    RETURNS TABLE (source text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    audit regclass;
BEGIN
    PERFORM @extschema@.require_data_model('create_records_model', schema, 'customer', 'The records go');
    EXECUTE format($ddl$
CREATE TABLE %1$I.legal_hold (
    hold_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES %1$I.customer,
    record_kind  text REFERENCES @extschema@.record_retention ON UPDATE CASCADE,
    reason       text NOT NULL CHECK (reason <> ''),
    placed_by    name NOT NULL DEFAULT session_user,
    placed_at    timestamptz NOT NULL DEFAULT now(),
    released_at  timestamptz CHECK (released_at >= placed_at)
);
CREATE INDEX ON %1$I.legal_hold (customer_id) WHERE released_at IS NULL;

CREATE TABLE %1$I.erasure (
    customer_id  bigint PRIMARY KEY,
    erased_at    timestamptz NOT NULL,
    erased_by    name NOT NULL,
    reason       text NOT NULL
);

CREATE TABLE %1$I.pii_access (
    accessed_at   timestamptz NOT NULL DEFAULT now(),
    session_role  name NOT NULL DEFAULT session_user,
    "current_role" name NOT NULL DEFAULT current_user,
    customer_id   bigint NOT NULL,
    field         text NOT NULL CHECK (field IN ('phone', 'id_card', 'bank_card')),
    purpose       text
);
CREATE INDEX ON %1$I.pii_access (customer_id);
CREATE INDEX ON %1$I.pii_access (accessed_at);

CREATE TABLE %1$I.contact_consent (
    customer_id  bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    purpose      text NOT NULL REFERENCES @extschema@.contact_purpose ON UPDATE CASCADE,
    granted      boolean NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    channel      text,
    recorded_by  name NOT NULL DEFAULT session_user,
    PRIMARY KEY (customer_id, purpose, recorded_at)
);

CREATE TABLE %1$I.entitlement_use (
    use_id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id        bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    service_item       text NOT NULL REFERENCES @extschema@.service_item ON UPDATE CASCADE,
    used_at            timestamptz NOT NULL DEFAULT now(),
    tier               text CHECK (tier IN ('c', 'b', 'a', 'silver', 'gold', 'diamond')),
    quantity           integer NOT NULL DEFAULT 1,
    amount             numeric(12,2),
    paid_points        integer CHECK (paid_points >= 0),
    over_quota_reason  text,
    channel            text,
    recorded_by        name NOT NULL DEFAULT session_user
);
CREATE INDEX ON %1$I.entitlement_use (customer_id, service_item, used_at);
CREATE TRIGGER entitlement_use_check BEFORE INSERT ON %1$I.entitlement_use
    FOR EACH ROW EXECUTE FUNCTION @extschema@.entitlement_use_check();

CREATE TABLE %1$I.suspension (
    suspension_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id    bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    suspended_at   timestamptz NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('one_way', 'two_way')),
    reason         text,
    resumed_at     timestamptz,
    CHECK (resumed_at >= suspended_at)
);
CREATE INDEX ON %1$I.suspension (customer_id, suspended_at);

CREATE TABLE %1$I.loyalty_points (
    entry_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    posted_at    timestamptz NOT NULL DEFAULT now(),
    kind         text NOT NULL CHECK (kind IN ('issued', 'redeemed')),
    points       integer NOT NULL CHECK (points > 0),
    expires_on   date,
    reason       text,
    recorded_by  name NOT NULL DEFAULT session_user,
    CHECK ((kind = 'issued') = (expires_on IS NOT NULL))
);
CREATE INDEX ON %1$I.loyalty_points (customer_id, posted_at);
CREATE TRIGGER loyalty_points_check BEFORE INSERT ON %1$I.loyalty_points
    FOR EACH ROW EXECUTE FUNCTION @extschema@.loyalty_points_check();

-- An erased customer has no phone number any more.
ALTER TABLE %1$I.customer ALTER COLUMN phone DROP NOT NULL;
$ddl$, schema);

    RETURN QUERY SELECT * FROM @extschema@.adopt_data_tables(schema,
        ARRAY['legal_hold', 'erasure', 'pii_access', 'contact_consent', 'entitlement_use', 'suspension', 'loyalty_points']);
    -- The audit: written by whoever reads through the PII path, read by the
    -- administrators, changed by no one (the owner purges it with
    -- purge_expired()).
    audit := format('%I.pii_access', schema)::regclass;
    EXECUTE format('REVOKE SELECT ON %s FROM custvalue_reader, custvalue_pii', audit);
    EXECUTE format('REVOKE UPDATE, DELETE ON %s FROM custvalue_admin', audit);
    EXECUTE format('GRANT SELECT ON %s TO custvalue_admin', audit);
    EXECUTE format('GRANT INSERT ON %s TO custvalue_pii', audit);
    PERFORM @extschema@.protect_records();
END;
$fn$;
COMMENT ON FUNCTION @extschema@.create_records_model(name) IS
'Creates the record-keeping tables (legal_hold, erasure, pii_access, contact_consent, the fulfilment ledger entitlement_use, suspension and the points ledger loyalty_points) as ordinary tables owned by the caller in schema, next to the data model of custvalue.create_data_model() (which calls this itself; call it alone on a database whose data model predates them), lets customer.phone be NULL (an erased customer), binds the sources and guards every record table (custvalue.protect_records()).  Returns the sources and their tables.';
