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

-- survey_sent() and survey_answer(), which the sender and the answer
-- channel call: 522.
