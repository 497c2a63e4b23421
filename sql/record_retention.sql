-- Records kept for their legal periods (seed 003: consultation records 3
-- years, service archives 5), legal holds, erasure of personal data, the
-- audit of unmasked reads, and consent honoured by the survey queue and the
-- call tasks.  Everything runs in one transaction on a data model of its
-- own (rt_data), rolled back at the end, so that purge_expired() does not
-- touch the other tests' rows.
SET search_path = public, custvalue;
\i sql/include/expect_error.sql
SET TimeZone = 'UTC';
-- Dates of "kept until" move with the day the test runs.
CREATE FUNCTION pg_temp.refused(statement text) RETURNS text LANGUAGE sql
    AS $$ SELECT regexp_replace(pg_temp.expect_error(statement), 'kept until [0-9-]+', 'kept until <date>') $$;
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS sources_bound FROM create_data_model('rt_data');
RESET client_min_messages;
SET LOCAL search_path = public, rt_data, custvalue;

-- The policy, as the seed gives it, and the tables it guards.
SELECT record_kind, time_column, min_years, on_expiry FROM record_retention ORDER BY record_kind;
SELECT c.relname AS guarded FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE t.tgname = 'record_retention_guard' AND c.relnamespace = 'rt_data'::regnamespace ORDER BY 1;
-- A kind must be a source, its column a date or time, and only customers
-- are anonymised.
SELECT pg_temp.expect_error($$INSERT INTO custvalue.record_retention VALUES ('invoice', 'issued_at', 5, 'delete', 'x')$$);
SELECT pg_temp.expect_error($$INSERT INTO custvalue.record_retention VALUES ('monthly_bill', 'total_fee', 5, 'delete', 'x')$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.record_retention SET on_expiry = 'anonymise' WHERE record_kind = 'complaint'$$);
SELECT pg_temp.expect_error($$UPDATE custvalue.record_retention SET min_years = 0 WHERE record_kind = 'complaint'$$);

-- Customers 1-4; the boundary day D is ten days ago.
SELECT (current_date - 10) AS d \gset
INSERT INTO customer (customer_id, phone, id_card, bank_card, region, brand, joined_on, birth_date, status, churned_on)
VALUES (1, '10400000001', '43990019800101001X', '9999000000000001', 'changsha', 'gotone', '2010-01-01', '1980-01-01', 'active', NULL),
       (2, '10400000002', NULL, NULL, 'changsha', 'gotone', '2010-01-01', '1981-02-02', 'active', NULL),
       (3, '10400000003', '439900198203030033', NULL, 'changsha', 'mzone', '2010-01-01', '1982-03-03', 'churned', :'d'::date - interval '5 years'),
       (4, '10400000004', NULL, NULL, 'changsha', 'mzone', '2010-01-01', '1984-04-04', 'churned', :'d'::date - interval '5 years' + interval '1 day');
-- Complaints of customer 1: exactly 3 years before D (past its period on
-- D), one second later (past it only on D + 1), and last month.
INSERT INTO complaint (customer_id, filed_at, category, severity) VALUES
    (1, :'d'::timestamptz - interval '3 years', 'billing', 'minor'),
    (1, :'d'::timestamptz - interval '3 years' + interval '1 second', 'billing', 'minor'),
    (1, now() - interval '1 month', 'network', 'ordinary');
-- A work order of customer 2 closed 6 years ago, and one still open.
INSERT INTO work_order (customer_id, tier, service_item, channel, kind, received_at, summary)
VALUES (2, 'b', 'complaint', 'phone_manager', 'complaint', now() - interval '6 years 1 day', 'old'),
       (2, 'b', 'complaint', 'phone_manager', 'complaint', now() - interval '1 day', 'open');
UPDATE work_order SET state = 'assigned', effective_at = now() - interval '6 years 1 day' + interval '1 hour' WHERE summary = 'old';
UPDATE work_order SET state = 'in_progress', effective_at = now() - interval '6 years 1 day' + interval '2 hours' WHERE summary = 'old';
UPDATE work_order SET state = 'resolved', effective_at = now() - interval '6 years 1 day' + interval '3 hours' WHERE summary = 'old';
UPDATE work_order SET state = 'closed', effective_at = now() - interval '6 years 1 day' + interval '4 hours' WHERE summary = 'old';
SELECT summary, state, (SELECT count(*) FROM work_order_history h WHERE h.work_order_id = w.work_order_id) AS history,
       (SELECT count(*) FROM survey_request r WHERE r.work_order_id = w.work_order_id) AS surveys
  FROM work_order w ORDER BY summary;

-- Deleting a record inside its period is refused, directly or by a
-- cascade from its customer; nothing is lost.
SELECT pg_temp.refused($$DELETE FROM complaint WHERE filed_at > now() - interval '1 year'$$);
SELECT pg_temp.refused($$DELETE FROM customer WHERE customer_id = 1$$);
SELECT pg_temp.expect_error($$DELETE FROM work_order WHERE summary = 'open'$$);
SELECT count(*) AS complaints, (SELECT count(*) FROM customer) AS customers FROM complaint;
-- The old work order is past its period: it may go, with its history
-- (append-only, but it goes with its order) -- here rolled back.
SAVEPOINT s;
DELETE FROM survey_request WHERE customer_id = 2;
SELECT pg_temp.expect_error($$DELETE FROM work_order WHERE summary = 'old'$$);
SELECT count(*) AS history_left FROM work_order_history WHERE customer_id = 2;
ROLLBACK TO s;

-- What is kept, as of D.
SELECT record_kind, rows, in_period, expired, held FROM retention_status(:'d') WHERE rows > 0 ORDER BY 1;

-- A legal hold stops the purge and the delete, even past the period.
INSERT INTO legal_hold (customer_id, record_kind, reason) VALUES (2, NULL, 'court order 2026-17');
SELECT regexp_replace(pg_temp.expect_error($$DELETE FROM survey_request WHERE customer_id = 2$$), 'Hold: .*', 'Hold: ...');
SELECT record_kind, action, purged, held FROM purge_expired(:'d') WHERE purged > 0 OR held > 0 ORDER BY 1;
-- Boundary day: on D the complaint filed exactly 3 years before D went,
-- the one a second younger stayed; on D + 1 it goes too.  The complaint of
-- last month stays.  Customer 3 left 5 years before D: personal data
-- erased; customer 4 left a day later: not yet.
SELECT filed_at = :'d'::timestamptz - interval '3 years' + interval '1 second' AS second_younger FROM complaint WHERE customer_id = 1 ORDER BY filed_at LIMIT 1;
SELECT customer_id, phone IS NULL AS phone_erased, id_card IS NULL AS id_erased, birth_date IS NULL AS birth_erased, status
  FROM customer ORDER BY customer_id;
SELECT customer_id, reason, erased_by = session_user AS by_me FROM erasure ORDER BY 1;
SELECT record_kind, purged FROM purge_expired((:'d'::date + 1)) WHERE purged > 0 ORDER BY 1;
SELECT count(*) AS complaints_left FROM complaint;
-- A second purge finds nothing; a future day is refused.
SELECT count(*) FILTER (WHERE purged > 0) AS kinds_purged FROM purge_expired(:'d'::date + 1);
SELECT regexp_replace(pg_temp.expect_error($$SELECT * FROM custvalue.purge_expired(current_date + 1)$$), 'as of \S+,', 'as of <tomorrow>,');
SELECT pg_temp.expect_error($$SELECT * FROM custvalue.purge_expired(NULL)$$);
-- Released, the hold no longer stops the purge: the old order and its
-- survey and history go; the open one stays.
UPDATE legal_hold SET released_at = now() WHERE customer_id = 2;
SELECT record_kind, purged FROM purge_expired(current_date) WHERE purged > 0 ORDER BY 1;
SELECT summary FROM work_order ORDER BY 1;

-- forget_customer: the customer's request to be forgotten erases the
-- personal data now and keeps the records; under a hold it is refused.
INSERT INTO legal_hold (customer_id, reason) VALUES (1, 'dispute');
SELECT pg_temp.expect_error($$SELECT custvalue.forget_customer(1)$$);
UPDATE legal_hold SET released_at = now() WHERE customer_id = 1;
SELECT forget_customer(1);
SELECT forget_customer(1);
SELECT pg_temp.expect_error($$SELECT custvalue.forget_customer(99)$$);
SELECT c.phone, c.phone_masked, c.id_card, c.bank_card, c.birth_date, c.region,
       (SELECT count(*) FROM complaint k WHERE k.customer_id = 1) AS complaints_kept,
       (SELECT reason FROM erasure e WHERE e.customer_id = 1)
  FROM customer c WHERE c.customer_id = 1;

-- The PII path records every number it shows: who, when, which number,
-- and why.  The numbers of every row the view produces are recorded, so a
-- desk reads one customer at a time (customers 1 and 3 are erased: their
-- NULLs reveal nothing and record nothing).
CREATE ROLE rt_desk IN ROLE custvalue_pii;
GRANT USAGE ON SCHEMA rt_data TO rt_desk;
SET LOCAL ROLE rt_desk;
SELECT customer_id, phone FROM customer_contact WHERE customer_id = 2;
SET LOCAL custvalue.pii_purpose = 'identity check at the hall';
SELECT customer_id, phone, id_card FROM customer_contact WHERE customer_id IN (2, 3) ORDER BY 1;
SELECT pg_temp.expect_error($$SELECT * FROM rt_data.pii_access$$);
SELECT pg_temp.expect_error($$DELETE FROM rt_data.pii_access$$);
RESET ROLE;
SELECT customer_id, field, purpose, session_role = session_user AS session_role_is_login, "current_role"
  FROM pii_access ORDER BY customer_id, field;
SET LOCAL ROLE custvalue_reader;
SELECT pg_temp.expect_error($$SELECT phone FROM custvalue.customer_contact$$);
RESET ROLE;
-- The audit itself is a record: kept 3 years.
SELECT pg_temp.refused($$DELETE FROM rt_data.pii_access$$);

-- Consent.  Customer 2 withdraws survey consent: resolving an order records
-- the service but queues no survey; customer 4 withdraws after the survey
-- was queued: it leaves the outbox and cannot be sent.
INSERT INTO contact_consent (customer_id, purpose, granted, channel) VALUES (2, 'survey', false, 'hotline');
SELECT contact_allowed(2, 'survey') AS c2_survey, contact_allowed(2, 'marketing_contact') AS c2_marketing,
       contact_allowed(4, 'survey') AS c4_survey;
SELECT pg_temp.expect_error($$SELECT custvalue.contact_allowed(2, 'telepathy')$$);
UPDATE customer SET status = 'active', churned_on = NULL WHERE customer_id = 4;
INSERT INTO work_order (customer_id, tier, service_item, channel, kind, summary, received_at)
VALUES (2, 'b', 'fault_repair', '10086', 'fault', 'c2', now() - interval '4 hours'),
       (4, 'b', 'fault_repair', '10086', 'fault', 'c4', now() - interval '4 hours');
UPDATE work_order SET state = 'assigned', effective_at = now() - interval '3 hours' WHERE summary IN ('c2', 'c4');
UPDATE work_order SET state = 'in_progress', effective_at = now() - interval '2 hours' WHERE summary IN ('c2', 'c4');
UPDATE work_order SET state = 'resolved', effective_at = now() - interval '1 hour' WHERE summary IN ('c2', 'c4');
SELECT w.summary, (SELECT count(*) FROM service_event e WHERE e.customer_id = w.customer_id AND e.occurred_at = w.resolved_at) AS events,
       (SELECT count(*) FROM survey_request r WHERE r.work_order_id = w.work_order_id) AS surveys
  FROM work_order w WHERE w.summary IN ('c2', 'c4') ORDER BY 1;
SELECT count(*) AS c4_in_outbox FROM survey_outbox WHERE customer_id = 4;
INSERT INTO contact_consent (customer_id, purpose, granted, channel) VALUES (4, 'survey', false, 'app');
SELECT count(*) AS c4_in_outbox FROM survey_outbox WHERE customer_id = 4;
SELECT regexp_replace(pg_temp.expect_error(format('SELECT custvalue.survey_sent(%s)', r.request_id)), 'request \d+', 'request N')
  FROM survey_request r WHERE r.customer_id = 4;
-- Given again, consent holds again (the latest statement wins).
INSERT INTO contact_consent (customer_id, purpose, granted, channel, recorded_at) VALUES (4, 'survey', true, 'app', clock_timestamp() + interval '1 second');
SELECT count(*) AS c4_in_outbox FROM survey_outbox WHERE customer_id = 4;
-- An opt-in policy: without a statement, no one may be surveyed.
UPDATE contact_purpose SET default_granted = false WHERE purpose = 'survey';
SELECT contact_allowed(1, 'survey') AS c1_opt_in_default, contact_allowed(4, 'survey') AS c4_said_yes;
UPDATE contact_purpose SET default_granted = true WHERE purpose = 'survey';

-- The call tasks of the monthly cycle skip customers who refuse marketing
-- contact: on the demo's month, the warned customers of tier b and above
-- without a call task are exactly those who said no.
SET LOCAL client_min_messages = warning;
SELECT count(*) > 0 AS demo_loaded FROM generate_demo(600, 42);
CALL run_month(as_of_month(), open_call_tasks => false);
RESET client_min_messages;
CREATE TEMP TABLE due ON COMMIT DROP AS
SELECT h.customer_id, row_number() OVER (ORDER BY h.customer_id) % 2 = 0 AS refuses
  FROM customer_month h
 WHERE h.month = as_of_month() AND h.warning_level IN ('orange', 'red')
   AND tier_rank(h.tier::tier) >= tier_rank('b') AND h.owner_channel IS NOT NULL;
INSERT INTO contact_consent (customer_id, purpose, granted, channel)
SELECT customer_id, 'marketing_contact', false, 'hotline' FROM due WHERE refuses;
SET LOCAL client_min_messages = warning;
CALL run_month(as_of_month());
RESET client_min_messages;
SELECT count(*) >= 4 AS enough_due,
       count(*) FILTER (WHERE refuses) AS refused,
       count(t.customer_id) FILTER (WHERE NOT refuses) AS called_of_consenting,
       count(*) FILTER (WHERE NOT refuses) AS consenting,
       count(t.customer_id) FILTER (WHERE refuses) AS called_of_refusing
  FROM due d LEFT JOIN call_task t ON t.customer_id = d.customer_id AND t.month = as_of_month();
ROLLBACK;
