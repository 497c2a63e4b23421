-- A survey after every service (seed 000, 短信测评: "当客户经理向客户提供服务
-- 后, 系统将根据服务内容自动下发一条测评短信"; 5 rounds, 296 244 SMS, 98.48 %
-- satisfied with the specific service).  Which services are surveyed, how
-- many of them and by which channel is policy per service item; the queue
-- is filled in batches by queue_post_service_surveys() (pg_cron, or the
-- loader after a load), one set-based INSERT, not a trigger per event
-- (1.35 M events a year at 1 M customers); the programme runs in rounds
-- (期) and is reported per round.  Resolved work orders keep queueing their
-- own survey at once (521).  New in 1.3.

CREATE TABLE @extschema@.survey_policy (
    service_item    text PRIMARY KEY REFERENCES @extschema@.service_item (code) ON UPDATE CASCADE,
    surveyed        boolean NOT NULL DEFAULT true,
    sample_percent  numeric(5,2) NOT NULL DEFAULT 100
                        CONSTRAINT survey_policy_sample_valid CHECK (sample_percent > 0 AND sample_percent <= 100),
    channel         text NOT NULL DEFAULT 'sms' REFERENCES @extschema@.channel ON UPDATE CASCADE,
    delay_minutes   integer CONSTRAINT survey_policy_delay_valid CHECK (delay_minutes >= 0)
);
COMMENT ON TABLE @extschema@.survey_policy IS
'Which services get a post-service survey: per service item whether (surveyed), what share of its services (sample_percent, chosen by a hash of the event so a rerun picks the same ones), by which channel and how long after the service (delay_minutes; NULL: the setting survey_delay_minutes).  Default: every item, every service, by SMS, as the seed''s 短信测评.';
INSERT INTO @extschema@.survey_policy (service_item) SELECT code FROM @extschema@.service_item;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_policy', '');
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.survey_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();

CREATE TABLE @extschema@.survey_round (
    round      integer PRIMARY KEY CONSTRAINT survey_round_valid CHECK (round > 0),
    starts_on  date NOT NULL,
    ends_on    date NOT NULL,
    label      text,
    CONSTRAINT survey_round_dates CHECK (ends_on > starts_on),
    CONSTRAINT survey_round_no_overlap EXCLUDE USING gist (daterange(starts_on, ends_on) WITH &&)
);
COMMENT ON TABLE @extschema@.survey_round IS
'The rounds (期) of the post-service survey programme: round number, first day, day after the last; rounds do not overlap.  A survey belongs to the round in which it was sent.  None by default: the operator sets its programme.';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_round', '');

-- Policies read by string-bodied functions in the queries below (see
-- 810_capacity.sql on Citus).
CREATE FUNCTION @extschema@.survey_policies()
    RETURNS TABLE (service_item text, surveyed boolean, sample_percent numeric, channel text, delay_minutes integer)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT p.service_item, p.surveyed, p.sample_percent, p.channel, p.delay_minutes FROM @extschema@.survey_policy p $$;
COMMENT ON FUNCTION @extschema@.survey_policies() IS 'The rows of custvalue.survey_policy.';

CREATE FUNCTION @extschema@.survey_rounds()
    RETURNS TABLE (round integer, starts_on date, ends_on date, label text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT r.round, r.starts_on, r.ends_on, r.label FROM @extschema@.survey_round r $$;
COMMENT ON FUNCTION @extschema@.survey_rounds() IS 'The rows of custvalue.survey_round.';

CREATE FUNCTION @extschema@.queue_post_service_surveys(since timestamptz DEFAULT '-infinity',
                                                       until timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    consent_default boolean;
    refused bigint[];
    n bigint;
BEGIN
    IF since IS NULL OR until IS NULL THEN
        RAISE EXCEPTION 'queue_post_service_surveys needs since and until, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- Consent first (on Citus no function may read a distributed table
    -- inside the shards' query): the purpose's default, except where the
    -- customer's latest statement says otherwise.
    SELECT p.default_granted INTO consent_default FROM @extschema@.contact_purpose p WHERE p.purpose = 'survey';
    consent_default := coalesce(consent_default, false);
    refused := ARRAY(SELECT c.customer_id FROM @extschema@.contact_consent_current c
                      WHERE c.purpose = 'survey' AND c.granted <> consent_default);
    EXECUTE format($q$
        INSERT INTO %s (customer_id, event_id, channel, due_at)
        SELECT e.customer_id, e.event_id, p.channel,
               e.occurred_at + make_interval(mins => coalesce(p.delay_minutes, $3))
          FROM @extschema@.service_event e
          JOIN @extschema@.survey_policies() p ON p.service_item = e.service_item
         WHERE p.surveyed AND e.occurred_at >= $1 AND e.occurred_at < $2
           AND (p.sample_percent >= 100 OR abs(hashint8(e.event_id)) %% 10000 < p.sample_percent * 100)
           AND (e.customer_id = ANY ($5)) IS DISTINCT FROM $4
           AND NOT EXISTS (SELECT FROM @extschema@.survey_request r
                            WHERE r.customer_id = e.customer_id AND r.event_id = e.event_id)$q$,
        @extschema@.source_target('survey_request'))
      USING since, until, @extschema@.setting('survey_delay_minutes')::int, consent_default, refused;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;
COMMENT ON FUNCTION @extschema@.queue_post_service_surveys(timestamptz, timestamptz) IS
'Queues the post-service survey (custvalue.survey_request, for custvalue.survey_outbox) of every service event that occurred in [since, until) and has none yet, as custvalue.survey_policy says for its item (surveyed, sample, channel, delay) and unless the customer withheld survey consent.  Returns the requests queued.  Idempotent: run it as often as wanted (pg_cron: SELECT custvalue.queue_post_service_surveys(now() - interval ''1 day'')).';

CREATE VIEW @extschema@.survey_round_summary WITH (security_invoker = true) AS
SELECT rd.round, rd.label, e.service_item, t.tier, e.channel AS service_channel,
       @extschema@.responsible_manager(e.manager, e.channel, c.account_manager, c.phone_manager) AS manager,
       count(*) AS sent,
       count(*) FILTER (WHERE r.state = 'answered') AS answered,
       round(count(*) FILTER (WHERE r.state = 'answered')::numeric / nullif(count(*), 0), 4) AS response_rate,
       count(*) FILTER (WHERE s.satisfied) AS satisfied,
       round(100.0 * count(*) FILTER (WHERE s.satisfied) / nullif(count(s.satisfied), 0), 2) AS satisfied_pct
  FROM @extschema@.survey_request r
  JOIN @extschema@.survey_rounds() rd ON r.sent_at >= rd.starts_on AND r.sent_at < rd.ends_on
  JOIN @extschema@.service_event e ON e.event_id = r.event_id
  JOIN @extschema@.customer c ON c.customer_id = r.customer_id
  LEFT JOIN @extschema@.survey_response s ON s.response_id = r.response_id
  -- the tier held then: the latest month stored up to the service
  CROSS JOIN LATERAL (SELECT (SELECT m.tier FROM @extschema@.customer_month m
                               WHERE m.customer_id = r.customer_id AND m.month <= e.occurred_at
                               ORDER BY m.month DESC LIMIT 1) AS tier) t
 WHERE r.state IN ('sent', 'answered')
 GROUP BY GROUPING SETS ((rd.round, rd.label, e.service_item, t.tier, e.channel,
                          @extschema@.responsible_manager(e.manager, e.channel, c.account_manager, c.phone_manager)),
                         (rd.round, rd.label), ());
COMMENT ON VIEW @extschema@.survey_round_summary IS
'The post-service survey programme per round (custvalue.survey_round, by the day each survey was sent): per round × service item × tier held (the latest month the cycle stored up to the service; NULL before any) × the service''s channel × manager (the event''s, or the customer''s own on a manager''s channel), then per round (the other columns NULL), then over all rounds (round NULL): surveys sent, answered, response rate, satisfied, satisfied_pct (of the answers that say).';
