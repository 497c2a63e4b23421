-- The survey sender's and the answer channel's calls.  Their own file
-- because 1.3 changed them: the request is locked by a no-op UPDATE ...
-- RETURNING instead of SELECT ... FOR UPDATE (which Citus allows only within
-- one shard; the request is found by its id alone), and the writes go to
-- the tables where they can (source_target()), so both also run on Citus.
-- (The 1.2 -> 1.3 update re-runs this file; keep it CREATE OR REPLACE.)

-- The request, locked for the rest of the transaction; NULL if none.
CREATE OR REPLACE FUNCTION @extschema@.survey_request_lock(request_id bigint)
    RETURNS @extschema@.survey_request
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req @extschema@.survey_request;
BEGIN
    EXECUTE format('UPDATE %s r SET state = r.state WHERE r.request_id = $1'
                   ' RETURNING r.request_id, r.work_order_id, r.customer_id, r.event_id, r.channel,'
                   ' r.due_at, r.state, r.sent_at, r.response_id',
                   @extschema@.source_target('survey_request'))
       INTO req USING request_id;
    RETURN req;
END;
$$;
COMMENT ON FUNCTION @extschema@.survey_request_lock(bigint) IS
'The survey request with this id, row-locked until the end of the transaction (by an UPDATE that changes nothing, which also works on Citus); NULL if there is none.  Used by survey_sent() and survey_answer().';

CREATE OR REPLACE FUNCTION @extschema@.survey_sent(request_id bigint, sent_at timestamptz DEFAULT now())
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req @extschema@.survey_request := @extschema@.survey_request_lock(request_id);
BEGIN
    IF req.request_id IS NULL THEN
        RAISE EXCEPTION 'no survey request %', request_id USING ERRCODE = 'no_data_found';
    END IF;
    IF req.state <> 'pending' THEN
        RAISE EXCEPTION 'survey request % is %, not pending', request_id, req.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NOT @extschema@.contact_allowed(req.customer_id, 'survey') THEN
        RAISE EXCEPTION 'survey request %: customer % does not consent to surveys', request_id, req.customer_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'custvalue.contact_consent holds the customer''s latest statement; custvalue.survey_outbox leaves such requests out.';
    END IF;
    EXECUTE format('UPDATE %s r SET state = ''sent'', sent_at = $3 WHERE r.customer_id = $1 AND r.request_id = $2',
                   @extschema@.source_target('survey_request'))
      USING req.customer_id, req.request_id, survey_sent.sent_at;
END;
$$;
COMMENT ON FUNCTION @extschema@.survey_sent(bigint, timestamptz) IS
'Marks a pending survey request as sent.  Unknown request: P0002; not pending, or the customer does not consent to surveys (custvalue.contact_allowed): 55000.';

CREATE OR REPLACE FUNCTION @extschema@.survey_answer(request_id bigint, satisfied boolean,
                                                     csat smallint DEFAULT NULL, nps smallint DEFAULT NULL,
                                                     answered_at timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req @extschema@.survey_request := @extschema@.survey_request_lock(request_id);
    resp bigint;
BEGIN
    IF req.request_id IS NULL THEN
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
    EXECUTE format('INSERT INTO %s (customer_id, event_id, answered_at, channel, satisfied, csat, nps)'
                   ' VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING response_id',
                   @extschema@.source_target('survey_response'))
       INTO resp
      USING req.customer_id, req.event_id, survey_answer.answered_at, req.channel,
            survey_answer.satisfied, survey_answer.csat, survey_answer.nps;
    EXECUTE format('UPDATE %s r SET state = ''answered'', response_id = $3 WHERE r.customer_id = $1 AND r.request_id = $2',
                   @extschema@.source_target('survey_request'))
      USING req.customer_id, req.request_id, resp;
    RETURN resp;
END;
$$;
COMMENT ON FUNCTION @extschema@.survey_answer(bigint, boolean, smallint, smallint, timestamptz) IS
'Records the answer to a sent survey request in custvalue.survey_response (linked to the request''s service_event) and marks the request answered; returns the response_id.  Unknown request: P0002; not sent (pending, answered, cancelled): 55000.';
