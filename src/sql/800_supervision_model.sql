-- Service supervision (seed 000, 步骤四, 打造全方位的中高端服务监控机制):
-- the operator's staff and the voice of the customer, as data sources with
-- tables of their own next to the data model.  The capacity of the staff
-- is 810, the suggestions' lifecycle 820.  New in 1.3.

SELECT @extschema@.define_source('manager',
    'The operator''s service staff: one row per account manager (客户经理) or phone manager (电话经理), with the team they are ranked in and whether they take customers.  customer.account_manager and customer.phone_manager name them; a manager named there but missing here counts as active, in no team.',
    ARRAY['manager text', 'role text', 'team text', 'region text', 'active boolean', 'joined_on date']);
COMMENT ON COLUMN @extschema@.manager.manager IS 'The name customer.account_manager / phone_manager and work_order.assignee use.';
COMMENT ON COLUMN @extschema@.manager.role IS 'account_manager or phone_manager.';
COMMENT ON COLUMN @extschema@.manager.active IS 'Takes customers and work (false: left, on leave).';

SELECT @extschema@.define_source('suggestion',
    'The voice of the customer (seed 000, 步骤一 and 步骤四): one registry of needs, findings and suggestions from service logs, call-backs, interviews, forums, the customer think-tank (客户智囊团) and internal supervision, each with its lifecycle submitted → adopted → improved (or rejected), the rectification, and the service item it concerns.',
    ARRAY['suggestion_id bigint', 'submitted_at timestamptz', 'origin text', 'kind text', 'from_customer bigint',
          'submitted_by text', 'service_item text', 'summary text', 'status text', 'decided_at timestamptz',
          'improved_at timestamptz', 'rectification text', 'evaluation_requested boolean']);
COMMENT ON COLUMN @extschema@.suggestion.origin IS 'service_log, call_back, interview, forum, think_tank (客户智囊团) or internal_supervision (内部员工监督).';
COMMENT ON COLUMN @extschema@.suggestion.kind IS 'need (a customer need), finding (a problem found) or suggestion (合理化建议).';
COMMENT ON COLUMN @extschema@.suggestion.status IS 'submitted, adopted (采纳), improved (已改进, with the rectification) or rejected.';
COMMENT ON COLUMN @extschema@.suggestion.rectification IS 'What was changed (整改), required once improved.';
COMMENT ON COLUMN @extschema@.suggestion.evaluation_requested IS 'The finding asks for the service item to be evaluated again (service_item_evaluation): the loop from needs back to service design.';

SELECT @extschema@.define_source('manager_evaluation',
    'Quality monitoring of the managers (seed 000, 第三方质量监测): one row per evaluation of a phone or account manager on the seed''s four dimensions -- courtesy (礼貌态度), service standards (服务规范), competence (业务能力), communication (沟通能力), each 0-100 -- by a third party, an internal reviewer, a review of call recordings, or the customer (the perception arm, 客户服务感知).',
    ARRAY['evaluation_id bigint', 'manager text', 'evaluated_at timestamptz', 'method text', 'evaluator text',
          'by_customer bigint', 'courtesy numeric(5,2)', 'standards numeric(5,2)', 'competence numeric(5,2)',
          'communication numeric(5,2)', 'note text']);
-- Not customer_id: a suggestion or an evaluation need not come from a
-- customer, and on Citus a table with customer_id is distributed by it,
-- which cannot be NULL; these are small tables of the operator's own
-- (reference tables there), so no foreign key to the customers either.
COMMENT ON COLUMN @extschema@.suggestion.from_customer IS 'The customer who said it, if one did (no foreign key: see 800_supervision_model.sql).';
COMMENT ON COLUMN @extschema@.manager_evaluation.by_customer IS 'The customer who judged, in the perception arm.';
COMMENT ON COLUMN @extschema@.manager_evaluation.method IS 'third_party, internal, call_recording (the skill arm) or customer_perception (the customer''s view).';

SELECT @extschema@.define_source('complaint_handling',
    'Service recovery (质量过失弥补, seed 004) of each complaint: the work order that handled it, the root cause (custvalue.complaint_root_cause), the remedy and compensation, and whether the customer confirmed the outcome.',
    ARRAY['complaint_id bigint', 'customer_id bigint', 'work_order_id bigint', 'root_cause text', 'remedy text',
          'compensation numeric(12,2)', 'confirmed boolean', 'confirmed_at timestamptz', 'recorded_at timestamptz']);
COMMENT ON COLUMN @extschema@.complaint_handling.confirmed IS 'The customer''s confirmation of the outcome: true satisfied, false not, NULL not asked yet.';
COMMENT ON COLUMN @extschema@.complaint_handling.compensation IS 'Yuan credited to the customer for the fault, 0 for none.';

SELECT @extschema@.define_source('manager_notification',
    'Notices to a customer''s own manager (seed 000: 10086 tells the phone manager of a complaint by their customer): one row per notice, written when a complaint is recorded, read or not.',
    ARRAY['notification_id bigint', 'manager text', 'customer_id bigint', 'complaint_id bigint',
          'reason text', 'notified_at timestamptz', 'read_at timestamptz']);

INSERT INTO @extschema@.record_retention (record_kind, time_column, min_years, on_expiry, basis) VALUES
    ('suggestion', 'submitted_at', 3, 'delete', 'Seed 003: what a customer said is a consultation record, 3 years.'),
    ('complaint_handling', 'recorded_at', 3, 'delete', 'Seed 003: with the complaint it handled, 3 years.');

CREATE FUNCTION @extschema@.create_supervision_model(schema name DEFAULT 'custvalue_data')
    RETURNS TABLE (source text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM @extschema@.require_data_model('create_supervision_model', schema, 'customer', 'The supervision tables go');
    EXECUTE format($ddl$
CREATE TABLE %1$I.manager (
    manager    text PRIMARY KEY,
    role       text NOT NULL CHECK (role IN ('account_manager', 'phone_manager')),
    team       text,
    region     text,
    active     boolean NOT NULL DEFAULT true,
    joined_on  date
);

CREATE TABLE %1$I.suggestion (
    suggestion_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submitted_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    origin                text NOT NULL CHECK (origin IN ('service_log', 'call_back', 'interview', 'forum',
                                                          'think_tank', 'internal_supervision')),
    kind                  text NOT NULL CHECK (kind IN ('need', 'finding', 'suggestion')),
    from_customer         bigint,
    submitted_by          text,
    service_item          text REFERENCES @extschema@.service_item ON UPDATE CASCADE,
    summary               text NOT NULL,
    status                text NOT NULL DEFAULT 'submitted'
                              CHECK (status IN ('submitted', 'adopted', 'improved', 'rejected')),
    decided_at            timestamptz,
    improved_at           timestamptz,
    rectification         text,
    evaluation_requested  boolean NOT NULL DEFAULT false,
    CHECK ((status = 'submitted') = (decided_at IS NULL)),
    CHECK ((status = 'improved') = (improved_at IS NOT NULL)),
    CHECK (status <> 'improved' OR rectification IS NOT NULL),
    CHECK (decided_at >= submitted_at AND improved_at >= decided_at)
);
CREATE INDEX ON %1$I.suggestion (service_item, status);
CREATE TRIGGER suggestion_lifecycle BEFORE INSERT OR UPDATE ON %1$I.suggestion
    FOR EACH ROW EXECUTE FUNCTION @extschema@.suggestion_lifecycle();

CREATE TABLE %1$I.manager_evaluation (
    evaluation_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manager        text NOT NULL,
    evaluated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    method         text NOT NULL CHECK (method IN ('third_party', 'internal', 'call_recording', 'customer_perception')),
    evaluator      text,
    by_customer    bigint,
    courtesy       numeric(5,2) NOT NULL CHECK (courtesy BETWEEN 0 AND 100),
    standards      numeric(5,2) NOT NULL CHECK (standards BETWEEN 0 AND 100),
    competence     numeric(5,2) NOT NULL CHECK (competence BETWEEN 0 AND 100),
    communication  numeric(5,2) NOT NULL CHECK (communication BETWEEN 0 AND 100),
    note           text
);
CREATE INDEX ON %1$I.manager_evaluation (manager, evaluated_at);

CREATE TABLE %1$I.complaint_handling (
    complaint_id   bigint PRIMARY KEY REFERENCES %1$I.complaint ON DELETE CASCADE,
    customer_id    bigint NOT NULL,
    work_order_id  bigint REFERENCES %1$I.work_order,
    root_cause     text REFERENCES @extschema@.complaint_root_cause ON UPDATE CASCADE,
    remedy         text,
    compensation   numeric(12,2) NOT NULL DEFAULT 0 CHECK (compensation >= 0),
    confirmed      boolean,
    confirmed_at   timestamptz,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK ((confirmed IS NULL) = (confirmed_at IS NULL))
);
CREATE INDEX ON %1$I.complaint_handling (work_order_id);
CREATE TRIGGER complaint_handling_check BEFORE INSERT OR UPDATE ON %1$I.complaint_handling
    FOR EACH ROW EXECUTE FUNCTION @extschema@.complaint_handling_check();

CREATE TABLE %1$I.manager_notification (
    notification_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manager          text NOT NULL,
    customer_id      bigint NOT NULL REFERENCES %1$I.customer ON DELETE CASCADE,
    complaint_id     bigint REFERENCES %1$I.complaint ON DELETE CASCADE,
    reason           text NOT NULL,
    notified_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    read_at          timestamptz CHECK (read_at >= notified_at)
);
CREATE INDEX ON %1$I.manager_notification (manager, notified_at);
CREATE INDEX ON %1$I.manager_notification (complaint_id);
CREATE TRIGGER complaint_notify_manager AFTER INSERT ON %1$I.complaint
    FOR EACH ROW EXECUTE FUNCTION @extschema@.complaint_notify_manager();
$ddl$, schema);

    RETURN QUERY SELECT * FROM @extschema@.adopt_data_tables(schema,
        ARRAY['manager', 'suggestion', 'manager_evaluation', 'complaint_handling', 'manager_notification']);
    PERFORM @extschema@.protect_records();
END;
$fn$;
COMMENT ON FUNCTION @extschema@.create_supervision_model(name) IS
'Creates the supervision tables (manager: the service staff; suggestion: the registry of needs, findings and suggestions with its lifecycle; manager_evaluation: the quality monitoring of the managers; complaint_handling: the service recovery of each complaint; manager_notification: notices to a customer''s manager, written by a trigger on complaint) as ordinary tables owned by the caller in schema, next to the data model of custvalue.create_data_model() (which calls this itself; call it alone on a database whose data model predates them), binds the sources and guards the suggestions as records.  Returns the sources and their tables.';
