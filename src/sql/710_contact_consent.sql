-- Consent to be contacted (domain.md §10, PIPL: consent), per customer and
-- purpose.  The customers' statements are rows of the operator's table
-- contact_consent (create_records_model(), 700); the purposes and what holds
-- without a statement are policy.  Honoured by the post-service survey
-- queue (no request is queued, and none is sent, without survey consent)
-- and by the monthly cycle's call tasks (no retention call without
-- marketing_contact consent).  New in 1.3.

CREATE TABLE @extschema@.contact_purpose (
    purpose          text PRIMARY KEY,
    default_granted  boolean NOT NULL,
    description      text NOT NULL
);
COMMENT ON TABLE @extschema@.contact_purpose IS
'Purposes a customer may be contacted for, and whether a customer who has said nothing may be (default_granted: true = opt-out, false = opt-in).  Each customer''s own statements are custvalue.contact_consent.';
INSERT INTO @extschema@.contact_purpose VALUES
    ('marketing_contact', true,
     'Calls and messages to keep or sell: the retention calls of the monthly cycle (custvalue.run_month call tasks).  Design default opt-out, as the seed''s managers call their own customers; set false for opt-in.'),
    ('survey', true,
     'Post-service satisfaction surveys (custvalue.survey_request).  Design default opt-out: the seed surveys after every service.');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.contact_purpose', '');

CREATE FUNCTION @extschema@.contact_allowed(customer_id bigint, purpose text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    granted boolean;
BEGIN
    IF customer_id IS NULL OR purpose IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT c.granted INTO granted
      FROM @extschema@.contact_consent c
     WHERE c.customer_id = contact_allowed.customer_id AND c.purpose = contact_allowed.purpose
     ORDER BY c.recorded_at DESC
     LIMIT 1;
    IF FOUND THEN
        RETURN granted;
    END IF;
    SELECT p.default_granted INTO granted FROM @extschema@.contact_purpose p WHERE p.purpose = contact_allowed.purpose;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown contact purpose "%"', purpose
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = (SELECT 'Purposes: ' || string_agg(p.purpose, ', ' ORDER BY p.purpose) FROM @extschema@.contact_purpose p);
    END IF;
    RETURN granted;
END;
$$;
COMMENT ON FUNCTION @extschema@.contact_allowed(bigint, text) IS
'Whether the customer may be contacted for purpose now: their latest statement in custvalue.contact_consent, else the purpose''s default_granted (custvalue.contact_purpose).  Unknown purpose 22023; NULL arguments give NULL.';

CREATE VIEW @extschema@.contact_consent_current WITH (security_invoker = true) AS
SELECT DISTINCT ON (c.customer_id, c.purpose)
       c.customer_id, c.purpose, c.granted, c.recorded_at, c.channel
  FROM @extschema@.contact_consent c
 ORDER BY c.customer_id, c.purpose, c.recorded_at DESC;
COMMENT ON VIEW @extschema@.contact_consent_current IS
'Each customer''s statement in force per purpose (the latest of custvalue.contact_consent); customers without one follow custvalue.contact_purpose.default_granted.';

-- The survey sender's queue, without the customers who withdrew survey
-- consent after the request was queued.
CREATE OR REPLACE VIEW @extschema@.survey_outbox WITH (security_invoker = true) AS
SELECT r.request_id, r.work_order_id, r.customer_id, r.event_id, r.channel, r.due_at
  FROM @extschema@.survey_request r
 WHERE r.state = 'pending' AND r.due_at <= now()
   AND @extschema@.contact_allowed(r.customer_id, 'survey');
COMMENT ON VIEW @extschema@.survey_outbox IS
'Survey requests to send now: pending, due, and the customer consents to surveys (custvalue.contact_allowed).  The sender marks each with custvalue.survey_sent(request_id).';
