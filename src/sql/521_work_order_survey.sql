-- The trigger that queues a post-service survey when a work order is
-- resolved (520 has the queue).  Its own file because 1.3 changed it: it
-- writes to the tables themselves where it can (source_target()), so that
-- it also runs on a Citus worker's shard, and names the customer in every
-- write, so that Citus routes each to that customer's shard.  (The 1.2 ->
-- 1.3 update re-runs this file; keep it CREATE OR REPLACE.)
CREATE OR REPLACE FUNCTION @extschema@.work_order_survey() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ev bigint;
BEGIN
    IF NEW.state = 'resolved' THEN
        EXECUTE format('INSERT INTO %s (customer_id, occurred_at, service_item, channel, manager)'
                       ' VALUES ($1, $2, $3, $4, $5) RETURNING event_id',
                       @extschema@.source_target('service_event'))
           INTO ev
          USING NEW.customer_id, NEW.resolved_at, NEW.service_item, NEW.channel, NEW.assignee;
        -- No survey for a customer who does not consent to surveys
        -- (custvalue.contact_consent); the service is recorded all the same.
        IF NOT @extschema@.contact_allowed(NEW.customer_id, 'survey') THEN
            RETURN NULL;
        END IF;
        EXECUTE format('INSERT INTO %s (work_order_id, customer_id, event_id, due_at) VALUES ($1, $2, $3, $4)',
                       @extschema@.source_target('survey_request'))
          USING NEW.work_order_id, NEW.customer_id, ev,
                NEW.resolved_at + make_interval(mins => @extschema@.setting('survey_delay_minutes')::int);
    ELSIF OLD.state = 'resolved' AND NEW.state <> 'closed' THEN
        -- Reopened: a survey not yet sent would ask about a service that
        -- did not solve the problem.
        EXECUTE format('UPDATE %s SET state = ''cancelled'''
                       ' WHERE customer_id = $1 AND work_order_id = $2 AND state = ''pending''',
                       @extschema@.source_target('survey_request'))
          USING NEW.customer_id, NEW.work_order_id;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.work_order_survey() IS
'AFTER UPDATE OF state trigger of custvalue.work_order: on resolution records the service as a custvalue.service_event and queues its survey in custvalue.survey_request (unless the customer does not consent to surveys, custvalue.contact_allowed); on reopening cancels surveys not yet sent.';
