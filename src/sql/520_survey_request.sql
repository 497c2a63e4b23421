-- The post-service survey (seed 000: after a service the system sends one
-- survey SMS, "是否满意").  Resolving a work order records the service as a
-- custvalue.service_event and queues a survey request for it; the sender
-- takes due requests from custvalue.survey_outbox, marks them sent, and the
-- answer lands in custvalue.survey_response linked to the event, where the
-- satisfaction views read it.

INSERT INTO @extschema@.setting VALUES
    ('survey_delay_minutes', 0, 'minutes',
     'Delay between resolving a work order and sending its post-service survey SMS. Design default: at once (the seed''s survey goes out automatically after the service).')
ON CONFLICT (name) DO NOTHING;

SELECT @extschema@.define_source('survey_request',
    'Post-service survey queue: one request per resolution of a work order, for the service_event that resolution recorded.  state: pending (to send from due_at), sent, answered (response_id is the custvalue.survey_response), cancelled (the order was reopened before the survey went out).',
    ARRAY['request_id bigint', 'work_order_id bigint', 'customer_id bigint', 'event_id bigint',
          'channel text', 'due_at timestamptz', 'state text', 'sent_at timestamptz', 'response_id bigint']);

CREATE VIEW @extschema@.survey_outbox WITH (security_invoker = true) AS
SELECT r.request_id, r.work_order_id, r.customer_id, r.event_id, r.channel, r.due_at
  FROM @extschema@.survey_request r
 WHERE r.state = 'pending' AND r.due_at <= now();
COMMENT ON VIEW @extschema@.survey_outbox IS
'Survey requests to send now: pending and due.  The sender marks each with custvalue.survey_sent(request_id).';

CREATE FUNCTION @extschema@.work_order_survey() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ev bigint;
BEGIN
    IF NEW.state = 'resolved' THEN
        INSERT INTO @extschema@.service_event (customer_id, occurred_at, service_item, channel, manager)
        VALUES (NEW.customer_id, NEW.resolved_at, NEW.service_item, NEW.channel, NEW.assignee)
        RETURNING event_id INTO ev;
        INSERT INTO @extschema@.survey_request (work_order_id, customer_id, event_id, due_at)
        VALUES (NEW.work_order_id, NEW.customer_id, ev,
                NEW.resolved_at + make_interval(mins => @extschema@.setting('survey_delay_minutes')::int));
    ELSIF OLD.state = 'resolved' AND NEW.state <> 'closed' THEN
        -- Reopened: a survey not yet sent would ask about a service that
        -- did not solve the problem.
        UPDATE @extschema@.survey_request SET state = 'cancelled'
         WHERE work_order_id = NEW.work_order_id AND state = 'pending';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_survey() IS
'AFTER UPDATE OF state trigger of custvalue.work_order: on resolution records the service as a custvalue.service_event and queues its survey in custvalue.survey_request; on reopening cancels surveys not yet sent.';


CREATE FUNCTION @extschema@.survey_sent(request_id bigint, sent_at timestamptz DEFAULT now())
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text;
BEGIN
    SELECT r.state INTO st FROM @extschema@.survey_request r
     WHERE r.request_id = survey_sent.request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no survey request %', request_id USING ERRCODE = 'no_data_found';
    END IF;
    IF st <> 'pending' THEN
        RAISE EXCEPTION 'survey request % is %, not pending', request_id, st
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE @extschema@.survey_request r SET state = 'sent', sent_at = survey_sent.sent_at
     WHERE r.request_id = survey_sent.request_id;
END;
$$;
COMMENT ON FUNCTION @extschema@.survey_sent(bigint, timestamptz) IS
'Marks a pending survey request as sent.  Unknown request: P0002; not pending: 55000.';

CREATE FUNCTION @extschema@.survey_answer(request_id bigint, satisfied boolean,
                                          csat smallint DEFAULT NULL, nps smallint DEFAULT NULL,
                                          answered_at timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req record;
    resp bigint;
BEGIN
    SELECT r.* INTO req FROM @extschema@.survey_request r
     WHERE r.request_id = survey_answer.request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no survey request %', request_id USING ERRCODE = 'no_data_found';
    END IF;
    IF req.state <> 'sent' THEN
        RAISE EXCEPTION 'survey request % is %, so it cannot be answered', request_id, req.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only a sent survey can be answered.';
    END IF;
    IF survey_answer.answered_at < req.sent_at THEN
        RAISE EXCEPTION 'survey request %: answered at % before it was sent at %',
                request_id, survey_answer.answered_at, req.sent_at
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO @extschema@.survey_response (customer_id, event_id, answered_at, channel, satisfied, csat, nps)
    VALUES (req.customer_id, req.event_id, survey_answer.answered_at, req.channel,
            survey_answer.satisfied, survey_answer.csat, survey_answer.nps)
    RETURNING response_id INTO resp;
    UPDATE @extschema@.survey_request r SET state = 'answered', response_id = resp
     WHERE r.request_id = survey_answer.request_id;
    RETURN resp;
END;
$$;
COMMENT ON FUNCTION @extschema@.survey_answer(bigint, boolean, smallint, smallint, timestamptz) IS
'Records the answer to a sent survey request in custvalue.survey_response (linked to the request''s service_event) and marks the request answered; returns the response_id.  Unknown request: P0002; not sent (pending, answered, cancelled): 55000.';
