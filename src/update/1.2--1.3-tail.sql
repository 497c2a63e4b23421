-- The history tables (create_history_model()), the record-keeping
-- tables (create_records_model()) and the supervision tables
-- (create_supervision_model()) of 1.3 next to an existing data model:
-- where the source is bound to a table of create_data_model() of its own
-- name (in any schema) and that schema has none of them yet, create them
-- there.  (Tables created by an extension script become members of the
-- extension; adopt_data_table() takes them out again at once, since like
-- the data model they are the operator's.)
DO $models$
DECLARE
    m record;
    data_schema name;
BEGIN
    FOR m IN
        SELECT * FROM (VALUES ('work_order', 'customer_month', 'create_history_model'),
                              ('customer', 'legal_hold', 'create_records_model'),
                              ('customer', 'manager', 'create_supervision_model')) AS v(source, marker, maker)
    LOOP
        SELECT n.nspname INTO data_schema
          FROM @extschema@.data_source d
          JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(d.relation)
          JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
         WHERE d.source OPERATOR(pg_catalog.=) m.source AND c.relname OPERATOR(pg_catalog.=) m.source;
        CONTINUE WHEN data_schema IS NULL
                   OR pg_catalog.to_regclass(pg_catalog.format('%I.%I', data_schema, m.marker)) IS NOT NULL;
        EXECUTE pg_catalog.format('SELECT count(*) FROM @extschema@.%I($1)', m.maker) USING data_schema;
    END LOOP;
END;
$models$;

-- The bundle table of create_data_model() gains the prestore and the gift
-- value, and the bundle rules (730_bundle_rules.sql) are checked on it from
-- now on; bundles signed before are not re-checked.
DO $bundle_rules$
DECLARE
    rel regclass;
BEGIN
    SELECT c.oid INTO rel
      FROM @extschema@.data_source d
      JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(d.relation)
     WHERE d.source OPERATOR(pg_catalog.=) 'bundle' AND c.relname OPERATOR(pg_catalog.=) 'bundle'
       AND c.relkind OPERATOR(pg_catalog.=) 'r';
    IF rel IS NULL OR EXISTS (SELECT FROM pg_catalog.pg_trigger t
                               WHERE t.tgrelid OPERATOR(pg_catalog.=) rel
                                 AND t.tgname OPERATOR(pg_catalog.=) 'bundle_rule_check') THEN
        RETURN;
    END IF;
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS prestore numeric(12,2), ADD COLUMN IF NOT EXISTS gift_value numeric(12,2) CHECK (gift_value >= 0)', rel);
    EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.prestore IS %L', rel,
        'Yuan prestored for the bundle (预存话费); a gift bundle''s grade and gift follow from it (custvalue.gift_bundle_grade).');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.gift_value IS %L', rel,
        'Value of the gift of a gift bundle, yuan: at most custvalue.gift_bundle_value_cap(prestore, months).');
    EXECUTE pg_catalog.format('CREATE TRIGGER bundle_rule_check BEFORE INSERT OR UPDATE OF kind, grade, started_on, monthly_floor, prestore, gift_value ON %s FOR EACH ROW EXECUTE FUNCTION @extschema@.bundle_rule_check()', rel);
END;
$bundle_rules$;

-- A post-service survey is no longer only a resolved work order's
-- (860_post_service_surveys.sql): survey_request.work_order_id may be NULL.
DO $survey_any_service$
DECLARE
    rel regclass;
BEGIN
    SELECT c.oid INTO rel
      FROM @extschema@.data_source d
      JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(d.relation)
     WHERE d.source OPERATOR(pg_catalog.=) 'survey_request' AND c.relname OPERATOR(pg_catalog.=) 'survey_request'
       AND c.relkind OPERATOR(pg_catalog.=) 'r';
    IF rel IS NOT NULL THEN
        EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN work_order_id DROP NOT NULL', rel);
    END IF;
END;
$survey_any_service$;

-- work_order_history gains customer_id, the order's customer, so that the
-- history can be distributed with the customer's other rows.  A table of
-- create_data_model() gets the column, filled from its work orders; the
-- source view gets it as its last column and is bound again.  A history
-- source bound to a relation of the operator's own must supply it first.
DO $customer_of_history$
DECLARE
    history regclass;
    orders regclass;
BEGIN
    SELECT pg_catalog.to_regclass(d.relation) INTO history
      FROM @extschema@.data_source d WHERE d.source OPERATOR(pg_catalog.=) 'work_order_history';
    SELECT pg_catalog.to_regclass(d.relation) INTO orders
      FROM @extschema@.data_source d WHERE d.source OPERATOR(pg_catalog.=) 'work_order';
    IF history IS NOT NULL AND NOT EXISTS (
            SELECT FROM pg_catalog.pg_attribute a
             WHERE a.attrelid OPERATOR(pg_catalog.=) history
               AND a.attname OPERATOR(pg_catalog.=) 'customer_id' AND NOT a.attisdropped) THEN
        IF orders IS NULL
           OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) history) <> 'r'
           OR NOT EXISTS (SELECT FROM pg_catalog.pg_trigger t
                           WHERE t.tgrelid OPERATOR(pg_catalog.=) history
                             AND t.tgname OPERATOR(pg_catalog.=) 'work_order_history_append_only') THEN
            RAISE EXCEPTION 'custvalue 1.3 records the customer of each work-order history row, and %, bound to source work_order_history, has no column customer_id', history
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Add a column customer_id bigint (the work order''s customer) to it, or bind the source to a view that has one, then update again.';
        END IF;
        EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN customer_id bigint', history);
        EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE TRIGGER work_order_history_append_only', history);
        EXECUTE pg_catalog.format('UPDATE %s h SET customer_id = w.customer_id FROM %s w WHERE w.work_order_id OPERATOR(pg_catalog.=) h.work_order_id',
                                  history, orders);
        EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE TRIGGER work_order_history_append_only', history);
        EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN customer_id SET NOT NULL', history);
    END IF;
    EXECUTE pg_catalog.format('CREATE OR REPLACE VIEW @extschema@.work_order_history WITH (security_invoker = true) AS SELECT v.*, NULL::bigint AS customer_id FROM (%s) v',
                              pg_catalog.rtrim(pg_catalog.pg_get_viewdef('@extschema@.work_order_history'::pg_catalog.regclass), ';'));
    COMMENT ON COLUMN @extschema@.work_order_history.customer_id IS
    'The work order''s customer, so that the history lives with the customer''s other rows (on one Citus shard too).';
    UPDATE @extschema@.data_source SET relation = relation WHERE source OPERATOR(pg_catalog.=) 'work_order_history';
    IF history IS NOT NULL THEN
        PERFORM @extschema@.describe_data_table('work_order_history', history);
    END IF;
END;
$customer_of_history$;

-- Work-order receipts are recorded once per statement, from its transition
-- table (515_work_order_record.sql): a table of create_data_model() gets
-- the statement trigger in place of the row trigger.
DO $receipts_per_statement$
DECLARE
    orders regclass;
BEGIN
    SELECT c.oid INTO orders
      FROM @extschema@.data_source d
      JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(d.relation)
     WHERE d.source OPERATOR(pg_catalog.=) 'work_order' AND c.relkind OPERATOR(pg_catalog.=) 'r';
    IF orders IS NULL OR NOT EXISTS (
            SELECT FROM pg_catalog.pg_trigger t
             WHERE t.tgrelid OPERATOR(pg_catalog.=) orders
               AND t.tgname OPERATOR(pg_catalog.=) 'work_order_record_insert'
               AND t.tgfoid OPERATOR(pg_catalog.=) '@extschema@.work_order_record()'::pg_catalog.regprocedure) THEN
        RETURN;
    END IF;
    EXECUTE pg_catalog.format('DROP TRIGGER work_order_record_insert ON %s', orders);
    EXECUTE pg_catalog.format('CREATE TRIGGER work_order_record_insert AFTER INSERT ON %s'
                              ' REFERENCING NEW TABLE AS work_order_received'
                              ' FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.work_order_record_inserted()', orders);
END;
$receipts_per_statement$;

-- CSAT and NPS now keep their state in a bytea (src/sql/301_csat_nps.sql
-- has re-pointed the aggregates); their internal-state functions go.
DROP FUNCTION @extschema@.csat_bool_transfn(internal, boolean);
DROP FUNCTION @extschema@.csat_policy_transfn(internal, integer);
DROP FUNCTION @extschema@.csat_transfn(internal, integer, integer, integer);
DROP FUNCTION @extschema@.csat_combine(internal, internal);
DROP FUNCTION @extschema@.csat_serialize(internal);
DROP FUNCTION @extschema@.csat_deserialize(bytea, internal);
DROP FUNCTION @extschema@.csat_final(internal);
DROP FUNCTION @extschema@.nps_transfn(internal, integer);
DROP FUNCTION @extschema@.nps_combine(internal, internal);
DROP FUNCTION @extschema@.nps_serialize(internal);
DROP FUNCTION @extschema@.nps_deserialize(bytea, internal);
DROP FUNCTION @extschema@.nps_final(internal);
-- and so does churn_fit_terms (src/sql/406_churn_fit_terms.sql).
DROP FUNCTION @extschema@.churn_fit_terms_trans(internal, boolean, float8[], float8[]);
DROP FUNCTION @extschema@.churn_fit_terms_combine(internal, internal);
DROP FUNCTION @extschema@.churn_fit_terms_serial(internal);
DROP FUNCTION @extschema@.churn_fit_terms_deserial(bytea, internal);
DROP FUNCTION @extschema@.churn_fit_terms_final(internal);
-- and so does cvf_scale (src/sql/201_cvf_scale_aggregate.sql); its
-- deserialiser goes, its serialiser now finalises cvf_scale_state.
DROP FUNCTION @extschema@.cvf_scale_accum(internal, float8, float8, float8, float8, float8);
DROP FUNCTION @extschema@.cvf_scale_combine(internal, internal);
DROP FUNCTION @extschema@.cvf_scale_serialize(internal);
DROP FUNCTION @extschema@.cvf_scale_deserialize(bytea, internal);
DROP FUNCTION @extschema@.cvf_scale_final(internal);
-- and so do csi, servqual and ipa (src/sql/302_satisfaction_indices.sql).
DROP FUNCTION @extschema@.csi_transfn(internal, float8[]);
DROP FUNCTION @extschema@.csi_weighted_transfn(internal, float8[], float8[]);
DROP FUNCTION @extschema@.csi_scale_transfn(internal, float8[], integer);
DROP FUNCTION @extschema@.csi_weighted_scale_transfn(internal, float8[], float8[], integer);
DROP FUNCTION @extschema@.csi_combine(internal, internal);
DROP FUNCTION @extschema@.csi_serialize(internal);
DROP FUNCTION @extschema@.csi_deserialize(bytea, internal);
DROP FUNCTION @extschema@.csi_final(internal);
DROP FUNCTION @extschema@.servqual_transfn(internal, float8[], float8[]);
DROP FUNCTION @extschema@.servqual_scale_transfn(internal, float8[], float8[], integer);
DROP FUNCTION @extschema@.servqual_combine(internal, internal);
DROP FUNCTION @extschema@.servqual_serialize(internal);
DROP FUNCTION @extschema@.servqual_deserialize(bytea, internal);
DROP FUNCTION @extschema@.servqual_final(internal);
DROP FUNCTION @extschema@.ipa_transfn(internal, float8[], float8[]);
DROP FUNCTION @extschema@.ipa_scale_transfn(internal, float8[], float8[], integer);
DROP FUNCTION @extschema@.ipa_combine(internal, internal);
DROP FUNCTION @extschema@.ipa_serialize(internal);
DROP FUNCTION @extschema@.ipa_deserialize(bytea, internal);
DROP FUNCTION @extschema@.ipa_final(internal);
