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

-- work_order_survey(), the trigger that queues a survey on resolution: 521.



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
