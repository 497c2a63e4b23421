-- Work orders: every legal and illegal state change, history, derived
-- times, SLA deadlines and their boundaries, the overdue and compliance
-- views, and the policies behind them.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql
SET TimeZone = 'UTC';
-- Work-order ids depend on how many orders earlier tests made: hide them.
CREATE FUNCTION pg_temp.expect_error_n(statement text) RETURNS text LANGUAGE sql
    AS $$ SELECT regexp_replace(regexp_replace(pg_temp.expect_error(statement),
                 'work order \d+', 'work order N', 'g'), 'contains \(\d+,', 'contains (N,') $$;

-- Customers: 950101 tier a (ARPU 250), 950102 tier c (ARPU 50), 950103
-- gold (card, 3 x 1500 = 4500 a year).
INSERT INTO customer (customer_id, phone, region, brand, vip_card, joined_on) VALUES
    (950101, '13800000101', 'changsha', 'mzone', false, '2024-01-01'),
    (950102, '13800000102', 'changsha', 'easyown', false, '2024-01-01'),
    (950103, '13800000103', 'zhuzhou', 'gotone', true, '2020-01-01');
INSERT INTO monthly_bill (customer_id, month, voice_fee)
SELECT c, m::date, CASE c WHEN 950101 THEN 250 WHEN 950102 THEN 50 ELSE 1500 END
  FROM unnest(ARRAY[950101, 950102, 950103]) c,
       generate_series('2026-01-01'::date, '2026-03-01', '1 month') m;

-- Every ordered pair of states.  An order is driven to from_state along the
-- legal path, then asked to go to to_state.  Legal (work_order_transition):
-- received→assigned/escalated, assigned→in_progress/escalated,
-- in_progress→resolved/escalated, escalated→assigned/in_progress,
-- resolved→closed/in_progress; the other 20 are rejected.
CREATE FUNCTION pg_temp.try_transition(from_state text, to_state text) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
    s text;
    msg text;
BEGIN
    INSERT INTO custvalue.work_order (customer_id, service_item, channel, kind)
    VALUES (950101, 'complaint', '10086', 'complaint') RETURNING work_order_id INTO id;
    FOREACH s IN ARRAY CASE from_state
            WHEN 'received' THEN '{}'::text[]
            WHEN 'assigned' THEN '{assigned}'
            WHEN 'in_progress' THEN '{assigned,in_progress}'
            WHEN 'escalated' THEN '{escalated}'
            WHEN 'resolved' THEN '{assigned,in_progress,resolved}'
            WHEN 'closed' THEN '{assigned,in_progress,resolved,closed}' END
    LOOP
        UPDATE custvalue.work_order SET state = s WHERE work_order_id = id;
    END LOOP;
    BEGIN
        UPDATE custvalue.work_order SET state = to_state WHERE work_order_id = id;
        SELECT w.state INTO s FROM custvalue.work_order w WHERE w.work_order_id = id;
        RETURN CASE WHEN s = to_state THEN 'ok' ELSE 'not applied' END;
    EXCEPTION WHEN check_violation THEN
        GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
        RETURN regexp_replace(msg, 'work order \d+', 'work order N');
    END;
END;
$$;

CREATE TEMP TABLE transitions AS
SELECT f AS from_state, t AS to_state, pg_temp.try_transition(f, t) AS result
  FROM unnest('{received,assigned,in_progress,escalated,resolved,closed}'::text[]) WITH ORDINALITY a(f, i),
       unnest('{received,assigned,in_progress,escalated,resolved,closed}'::text[]) WITH ORDINALITY b(t, j)
 WHERE f <> t
 ORDER BY i, j;
SELECT from_state, to_state FROM transitions WHERE result = 'ok';
SELECT from_state, to_state, result FROM transitions WHERE result <> 'ok';
SELECT count(*) FILTER (WHERE result = 'ok') AS legal, count(*) FILTER (WHERE result <> 'ok') AS illegal
  FROM transitions;
-- The full error: both states, where it could go, where the rule lives.
INSERT INTO work_order (customer_id, service_item, channel, kind) VALUES (950101, 'complaint', 'web', 'complaint');
SELECT pg_temp.expect_error_n(format($$UPDATE custvalue.work_order SET state = 'resolved' WHERE work_order_id = %s$$,
                                     max(work_order_id))) FROM work_order;
SELECT pg_temp.expect_error_n(format($$UPDATE custvalue.work_order SET state = 'done' WHERE work_order_id = %s$$,
                                     max(work_order_id))) FROM work_order;
-- A closed order is final.
SELECT pg_temp.expect_error_n(format($$UPDATE custvalue.work_order SET state = 'in_progress' WHERE work_order_id = %s$$,
                                     min(work_order_id))) FROM work_order WHERE state = 'closed';
-- Setting a state to itself is not a change (no error, no history); a
-- reassignment is recorded with from_state = to_state.
SELECT count(*) AS history_before FROM work_order_history h JOIN work_order w USING (work_order_id)
 WHERE w.state = 'closed';
UPDATE work_order SET state = state WHERE state = 'closed';
SELECT count(*) AS history_after FROM work_order_history h JOIN work_order w USING (work_order_id)
 WHERE w.state = 'closed';
UPDATE work_order SET assignee = 'PM07' WHERE state = 'closed';
SELECT h.from_state, h.to_state, h.assignee, count(*) FROM work_order_history h JOIN work_order w USING (work_order_id)
 WHERE w.state = 'closed' AND h.assignee IS NOT NULL GROUP BY 1, 2, 3;
SELECT pg_temp.owner_delete($$DELETE FROM work_order WHERE customer_id = 950101$$);

-- Inserting in any state but received, or in the future, is refused; the
-- derived times cannot be written.
SELECT pg_temp.expect_error_n(q) FROM unnest(ARRAY[
    $$INSERT INTO custvalue.work_order (customer_id, service_item, channel, kind, state)
      VALUES (950101, 'complaint', 'web', 'complaint', 'resolved')$$,
    $$INSERT INTO custvalue.work_order (customer_id, service_item, channel, kind, received_at)
      VALUES (950101, 'complaint', 'web', 'complaint', '2100-01-01 00:00+00')$$,
    $$INSERT INTO custvalue.work_order (customer_id, service_item, channel, kind)
      VALUES (950101, 'complaint', 'fax', 'complaint')$$,
    $$INSERT INTO custvalue.work_order (customer_id, service_item, channel, kind, received_at)
      VALUES (950101, 'complaint', 'web', 'praise', '2026-02-02 00:00+00')$$
]) AS q;

-- A full life, replayed with explicit times: T0 = 2026-02-02 00:00 UTC.
INSERT INTO work_order (customer_id, service_item, channel, kind, severity, received_at,
                        responded_at, resolve_by, summary)
VALUES (950101, 'complaint', 'multimedia_manager', 'complaint', 'major', '2026-02-02 00:00+00',
        '2000-01-01', '2000-01-01', 'o3: billing complaint');
-- tier from customer_profile; deadlines from policy (24 h, 48 h); the
-- written responded_at and resolve_by are ignored.
SELECT tier, state, received_at, state_changed_at, respond_by, resolve_by, responded_at
  FROM work_order WHERE summary = 'o3: billing complaint';
-- The multimedia manager cannot handle it: escalate to the phone manager.
UPDATE work_order SET state = 'escalated', effective_at = '2026-02-02 00:20+00',
       channel = route_work_order(channel, 'beyond_capability', tier)
 WHERE summary = 'o3: billing complaint';
UPDATE work_order SET state = 'assigned', effective_at = '2026-02-02 00:30+00', assignee = 'PM01'
 WHERE summary = 'o3: billing complaint';
UPDATE work_order SET state = 'in_progress', effective_at = '2026-02-02 01:00+00'
 WHERE summary = 'o3: billing complaint';
UPDATE work_order SET state = 'resolved', effective_at = '2026-02-03 12:00+00'
 WHERE summary = 'o3: billing complaint';
-- Reopened by the customer, resolved again exactly at the 48 h deadline.
UPDATE work_order SET state = 'in_progress', effective_at = '2026-02-03 18:00+00'
 WHERE summary = 'o3: billing complaint';
SELECT state, responded_at, resolved_at FROM work_order WHERE summary = 'o3: billing complaint';
UPDATE work_order SET state = 'resolved', effective_at = '2026-02-04 00:00+00'
 WHERE summary = 'o3: billing complaint';
UPDATE work_order SET state = 'closed', effective_at = '2026-02-05 09:00+00'
 WHERE summary = 'o3: billing complaint';
SELECT channel, state, responded_at, resolved_at, closed_at, resolved_at <= resolve_by AS resolved_on_time
  FROM work_order WHERE summary = 'o3: billing complaint';
SELECT h.changed_at, h.from_state, h.to_state, h.from_channel, h.to_channel, h.assignee,
       h.changed_by = current_user AS by_me, h.recorded_at >= h.changed_at AS recorded_later
  FROM work_order_history h JOIN work_order w USING (work_order_id)
 WHERE w.summary = 'o3: billing complaint'
 ORDER BY h.history_id;

-- Times must move forward and not into the future; identity is fixed.
INSERT INTO work_order (customer_id, service_item, channel, kind, received_at, summary)
VALUES (950101, 'business_request', 'hall', 'request', '2026-02-02 00:00+00', 'times');
UPDATE work_order SET state = 'assigned', effective_at = '2026-02-02 05:00+00' WHERE summary = 'times';
SELECT pg_temp.expect_error_n(regexp_replace(q, 'ID', work_order_id::text)) FROM unnest(ARRAY[
    $$UPDATE custvalue.work_order SET state = 'in_progress', effective_at = '2026-02-02 04:59:59+00' WHERE work_order_id = ID$$,
    $$UPDATE custvalue.work_order SET state = 'in_progress', effective_at = '2100-01-01 00:00+00' WHERE work_order_id = ID$$,
    $$UPDATE custvalue.work_order SET received_at = '2026-02-01' WHERE work_order_id = ID$$,
    $$UPDATE custvalue.work_order SET customer_id = 950102 WHERE work_order_id = ID$$,
    $$UPDATE custvalue.work_order SET assignee = 'X', effective_at = '2026-02-02 06:00+00' WHERE work_order_id = ID$$
]) AS q, work_order WHERE summary = 'times';
-- Without an explicit time the change is stamped now; deadlines and derived
-- times cannot be overwritten.
BEGIN;
UPDATE work_order SET state = 'in_progress', respond_by = '2030-01-01', responded_at = NULL,
       state_changed_at = '2026-02-02 07:00+00' WHERE summary = 'times';
SELECT state_changed_at BETWEEN now() AND clock_timestamp() AS stamped_now, responded_at = state_changed_at AS responded,
       respond_by = received_at + interval '24 hours' AS deadline_kept
  FROM work_order WHERE summary = 'times';
COMMIT;
-- Changing the severity or kind recomputes the deadlines from policy.
UPDATE work_order SET kind = 'complaint', severity = 'major' WHERE summary = 'times';
SELECT respond_by, resolve_by FROM work_order WHERE summary = 'times';
SELECT pg_temp.owner_delete($$DELETE FROM work_order WHERE summary = 'times'$$);

-- SLA deadlines per kind and severity, received at T0.
SELECT s.kind, s.severity, s.respond_within, s.resolve_within, d.respond_by, d.resolve_by
  FROM work_order_sla s, work_order_deadlines(s.kind, s.severity, '2026-02-02 00:00+00') d
 ORDER BY s.kind, s.severity;

-- Compliance data, all replayed (T0 = 2026-02-02 00:00):
--  tier a:    o1 request responded at exactly +24h (on time), o2 at +24h 1s
--             (late); o3 above (complaint major, responded +1h, resolved
--             exactly +48h); o4 the same resolved at +48h 1s (late).
--  tier gold: o5 major fault responded exactly +1h, o6 at +1h 1s (late);
--             o7 general fault responded and resolved exactly at +2h;
--             o8 minor fault responded +1h, resolved +2h 1s (late).
--  tier c:    o9 ordinary complaint received T0, never touched (response
--             breached); o10 major complaint received 2026-03-03, assigned
--             only (response and resolution breached).
CREATE FUNCTION pg_temp.replay(cust bigint, k text, sev text, label text, steps text[], at interval[],
                               t0 timestamptz DEFAULT '2026-02-02 00:00+00') RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
BEGIN
    INSERT INTO custvalue.work_order (customer_id, service_item, channel, kind, severity, received_at, summary)
    VALUES (cust, CASE k WHEN 'fault' THEN 'fault_repair' WHEN 'complaint' THEN 'complaint' ELSE 'business_request' END,
            '10086', k, sev, t0, label)
    RETURNING work_order_id INTO id;
    FOR i IN 1 .. coalesce(array_length(steps, 1), 0) LOOP
        UPDATE custvalue.work_order SET state = steps[i], effective_at = t0 + at[i] WHERE work_order_id = id;
    END LOOP;
END;
$$;
SELECT pg_temp.replay(950101, 'request', 'ordinary', 'o1', '{assigned,in_progress}', '{00:10,24:00:00}');
SELECT pg_temp.replay(950101, 'request', 'ordinary', 'o2', '{assigned,in_progress}', '{00:10,24:00:01}');
SELECT pg_temp.replay(950101, 'complaint', 'major', 'o4', '{assigned,in_progress,resolved}', '{00:10,01:00,48:00:01}');
SELECT pg_temp.replay(950103, 'fault', 'major', 'o5', '{assigned,in_progress}', '{00:10,01:00:00}');
SELECT pg_temp.replay(950103, 'fault', 'major', 'o6', '{assigned,in_progress}', '{00:10,01:00:01}');
SELECT pg_temp.replay(950103, 'fault', 'ordinary', 'o7', '{assigned,in_progress,resolved}', '{00:10,02:00,02:00}');
SELECT pg_temp.replay(950103, 'fault', 'minor', 'o8', '{assigned,in_progress,resolved}', '{00:10,01:00,02:00:01}');
SELECT pg_temp.replay(950102, 'complaint', 'ordinary', 'o9', '{}', '{}');
SELECT pg_temp.replay(950102, 'complaint', 'major', 'o10', '{assigned}', '{00:10}', '2026-03-03 00:00+00');
SELECT summary, tier, state, responded_at - received_at AS responded_after, resolved_at - received_at AS resolved_after,
       responded_at <= respond_by AS respond_ok, resolved_at <= resolve_by AS resolve_ok
  FROM work_order WHERE customer_id IN (950101, 950102, 950103)
 ORDER BY received_at, length(summary), summary;
-- By hand: a/Feb: 4 received, 2 open (o1, o2), responses 3 of 4 on time
-- (75 %), resolutions 1 of 2 (o3 yes, o4 no: 50 %).  gold/Feb: the same
-- shape (o6 late; o7 yes, o8 no).  c/Feb: o9 0 of 1 responses, no
-- resolution clock.  c/Mar: o10 0 of 1 and 0 of 1.
SELECT * FROM sla_compliance_by_tier_month ORDER BY month, tier DESC;
-- Overdue now: o9 (respond), o10 (respond and resolve).
SELECT summary, o.tier, o.state, clock, due_at
  FROM work_orders_overdue o JOIN work_order USING (work_order_id)
 ORDER BY summary, clock;

-- Overdue at past instants: o9's response was due 2026-02-03 00:00; o1 was
-- answered exactly then.  At the deadline nothing is overdue; a second
-- later o9 is, o1 is not (met at its deadline).
SELECT w.summary, o.clock, o.overdue_by
  FROM unnest(ARRAY['2026-02-03 00:00:00+00', '2026-02-03 00:00:01+00']::timestamptz[]) AS at,
       work_orders_overdue_at(at) o JOIN work_order w USING (work_order_id)
 WHERE w.summary IN ('o1', 'o9')
 ORDER BY at, w.summary;
-- Half a second after the 48 h deadline of o3 and o4 (2026-02-04 00:00):
-- o3, resolved exactly at it, is not overdue; o4, resolved at 00:00:01, is.
SELECT w.summary, o.clock, o.overdue_by
  FROM work_orders_overdue_at('2026-02-04 00:00:00.5+00') o JOIN work_order w USING (work_order_id)
 WHERE w.customer_id = 950101 ORDER BY 1;

-- Boundaries against now(): in one transaction now() is fixed, so an order
-- received exactly one SLA period ago is due exactly now (on time, not
-- overdue) and one received a second earlier is one second overdue.
BEGIN;
INSERT INTO work_order (customer_id, service_item, channel, kind, severity, received_at, summary)
VALUES (950101, 'business_request', 'web', 'request', 'ordinary', now() - interval '24 hours', 'b1 respond at deadline'),
       (950101, 'business_request', 'web', 'request', 'ordinary', now() - interval '24 hours 1 second', 'b2 respond 1 s past'),
       (950103, 'fault_repair', '10086', 'fault', 'major', now() - interval '1 hour', 'b3 fault at deadline'),
       (950103, 'fault_repair', '10086', 'fault', 'major', now() - interval '1 hour 1 second', 'b4 fault 1 s past'),
       (950101, 'complaint', 'web', 'complaint', 'major', now() - interval '48 hours', 'b5 resolve at deadline'),
       (950101, 'complaint', 'web', 'complaint', 'major', now() - interval '48 hours 1 second', 'b6 resolve 1 s past');
UPDATE work_order SET state = 'escalated', effective_at = received_at + interval '1 minute' WHERE summary LIKE 'b5%' OR summary LIKE 'b6%';
UPDATE work_order SET state = 'in_progress', effective_at = received_at + interval '2 minutes' WHERE summary LIKE 'b5%' OR summary LIKE 'b6%';
SELECT summary, clock, overdue_by
  FROM work_orders_overdue JOIN work_order USING (work_order_id)
 WHERE summary LIKE 'b%' ORDER BY summary;
-- b1's response is not due yet (pending); b2's is a breach.
SELECT tier, response_due, responded_on_time, resolution_due, resolved_on_time
  FROM sla_compliance_by_tier_month WHERE month = date_trunc('month', now() - interval '24 hours 1 second')
   AND tier = 'a';
ROLLBACK;

-- Policy: deadlines are set at receipt, so editing the SLA moves only new
-- orders; clocks must be positive, in hours, and resolve >= respond.
BEGIN;
UPDATE work_order_sla SET respond_within = '12 hours' WHERE kind = 'request';
SELECT summary, respond_by - received_at AS respond_within FROM work_order WHERE summary = 'o1';
SELECT pg_temp.replay(950101, 'request', 'minor', 'o11', '{}', '{}');
SELECT summary, respond_by - received_at AS respond_within FROM work_order WHERE summary = 'o11';
ROLLBACK;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$UPDATE custvalue.work_order_sla SET respond_within = '1 day' WHERE kind = 'request'$$,
    $$UPDATE custvalue.work_order_sla SET respond_within = '-1 hour' WHERE kind = 'request'$$,
    $$UPDATE custvalue.work_order_sla SET respond_within = '72 hours' WHERE kind = 'complaint' AND severity = 'major'$$,
    $$INSERT INTO custvalue.work_order_sla VALUES ('praise', 'minor', '1 hour', NULL, 'x')$$
]) AS q;
-- Clocks are elapsed hours: across the US spring-forward night 24 h after
-- noon is 13:00 local, where '1 day' would have given noon (23 h).
SET TimeZone = 'America/New_York';
SELECT d.respond_by, '2026-03-07 12:00-05'::timestamptz + interval '1 day' AS one_calendar_day
  FROM work_order_deadlines('request', 'minor', '2026-03-07 12:00-05') d;
SET TimeZone = 'UTC';
-- A missing SLA row means no clock.
BEGIN;
DELETE FROM work_order_sla WHERE kind = 'request' AND severity = 'minor';
SELECT * FROM work_order_deadlines('request', 'minor', '2026-02-02 00:00+00');
SELECT pg_temp.replay(950101, 'request', 'minor', 'no clock', '{}', '{}');
SELECT respond_by, resolve_by FROM work_order WHERE summary = 'no clock';
ROLLBACK;
-- The trigger reads the SLA itself (a SQL function call per order was half
-- the cost of a bulk INSERT): every order's clocks are those of
-- work_order_deadlines() at its receipt.
SELECT count(*) AS orders,
       count(*) FILTER (WHERE (w.respond_by, w.resolve_by) IS DISTINCT FROM (d.respond_by, d.resolve_by)) AS differ
  FROM work_order w, work_order_deadlines(w.kind, w.severity, w.received_at) d;

-- Transitions are policy too: allow picking up straight from received.
BEGIN;
INSERT INTO work_order_transition VALUES ('received', 'in_progress', 'picked up by the receiving channel');
SELECT pg_temp.replay(950101, 'request', 'minor', 'o12', '{in_progress}', '{00:05}');
SELECT state, responded_at - received_at AS responded_after FROM work_order WHERE summary = 'o12';
ROLLBACK;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$INSERT INTO custvalue.work_order_transition VALUES ('closed', 'received', 'restart')$$,
    $$INSERT INTO custvalue.work_order_transition VALUES ('assigned', 'assigned', 'reassign')$$
]) AS q;

-- History is append-only; it goes with its work order.
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$UPDATE custvalue.work_order_history SET changed_by = 'someone' WHERE to_state = 'closed'$$,
    $$DELETE FROM custvalue.work_order_history WHERE to_state = 'closed'$$
]) AS q;
SELECT count(*) > 0 AS has_history FROM work_order_history h JOIN work_order w USING (work_order_id)
 WHERE w.customer_id = 950101;
SELECT pg_temp.drop_customers(950101, 950103);
SELECT (SELECT count(*) FROM work_order) AS orders_left, (SELECT count(*) FROM work_order_history) AS history_left,
       (SELECT count(*) FROM survey_request) AS surveys_left;

-- Labels and comments.
SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'custvalue'::regnamespace AND c.relkind IN ('r', 'v')
   AND c.relname IN ('work_order', 'work_order_history', 'work_order_sla', 'work_order_transition',
                     'work_orders_overdue', 'sla_compliance_by_tier_month')
   AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT proname, provolatile, proparallel FROM pg_proc
 WHERE pronamespace = 'custvalue'::regnamespace AND proname = 'work_order_deadlines';
