-- Demo data for supervision: the manager registry from the managers the
-- demo customers name, the handling of the demo's complaints, and the registry of suggestions with the seed's
-- counts (seed 000): the customer think-tank's 1 257 opinions, 518 adopted,
-- 266 of them improved; internal supervision's 23 problems found, all
-- solved, and 87 suggestions, 49 adopted and carried out; plus needs
-- heard on call-backs.  Which item each concerns and when is a hash of
-- (seed, row).  New in 1.3.

CREATE FUNCTION @extschema@.demo_supervision(seed bigint DEFAULT 42)
    RETURNS TABLE (registry text, added bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    managers constant text := @extschema@.source_target('manager');
    suggestions constant text := @extschema@.source_target('suggestion');
    first_day constant date := (@extschema@.as_of_month() - interval '5 months')::date;
    n bigint;
BEGIN
    -- A manager's region and team: the region most of their customers live in.
    EXECUTE format($q$
        INSERT INTO %s (manager, role, team, region, active)
        SELECT mc.manager, mc.role,
               mode() WITHIN GROUP (ORDER BY mc.region) || CASE mc.role WHEN 'account_manager' THEN '-am' ELSE '-pm' END,
               mode() WITHIN GROUP (ORDER BY mc.region), true
          FROM @extschema@.manager_customers mc
         GROUP BY mc.manager, mc.role
        ON CONFLICT (manager) DO NOTHING$q$, managers);
    GET DIAGNOSTICS n = ROW_COUNT;
    registry := 'manager'; added := n; RETURN NEXT;

    -- Quality monitoring: each registered manager reviewed once a stored
    -- month by the third party, and judged by five of their customers;
    -- scores 70-99, a hash of (seed, manager, month, dimension).
    EXECUTE format($q$
        INSERT INTO %s (manager, evaluated_at, method, evaluator, courtesy, standards, competence, communication)
        SELECT m.manager, (r.month + 14 + k + time '10:00')::timestamptz,
               CASE WHEN k = 0 THEN 'third_party' ELSE 'customer_perception' END,
               CASE WHEN k = 0 THEN 'demo third party' ELSE 'demo customer' END,
               70 + abs(hashtext(m.manager || r.month || k || 'c') # $1::int) %% 30,
               70 + abs(hashtext(m.manager || r.month || k || 's') # $1::int) %% 30,
               70 + abs(hashtext(m.manager || r.month || k || 'b') # $1::int) %% 30,
               70 + abs(hashtext(m.manager || r.month || k || 'm') # $1::int) %% 30
          FROM @extschema@.manager m
          CROSS JOIN @extschema@.month_run r
          CROSS JOIN generate_series(0, 5) k
         WHERE m.active
           AND NOT EXISTS (SELECT FROM @extschema@.manager_evaluation e
                            WHERE e.manager = m.manager AND e.evaluator LIKE 'demo %%'
                              AND e.evaluated_at >= r.month AND e.evaluated_at < r.month + interval '1 month')$q$,
        @extschema@.source_target('manager_evaluation')) USING seed;
    GET DIAGNOSTICS n = ROW_COUNT;
    registry := 'manager_evaluation'; added := n; RETURN NEXT;

    -- Service recovery of the complaints that have a demo work order
    -- (demo_work_orders()): a root cause, a remedy, compensation for a
    -- major one, and the customer's word on 9 in 10 resolved ones, 85 %
    -- of them satisfied.
    EXECUTE format($q$
        INSERT INTO %s (complaint_id, customer_id, work_order_id, root_cause, remedy, compensation, confirmed, confirmed_at)
        SELECT c.complaint_id, c.customer_id, w.work_order_id,
               (ARRAY['network', 'billing', 'service_attitude', 'service_process', 'product', 'channel', 'third_party', 'other'])
                   [1 + (abs(hashint8extended(c.complaint_id, $1)) %% 8)],
               'demo remedy', CASE WHEN c.severity = 'major' THEN 50 ELSE 0 END,
               CASE WHEN w.state IN ('resolved', 'closed') AND abs(hashint8extended(c.complaint_id, $1 + 1)) %% 10 < 9
                    THEN abs(hashint8extended(c.complaint_id, $1 + 2)) %% 100 < 85 END,
               CASE WHEN w.state IN ('resolved', 'closed') AND abs(hashint8extended(c.complaint_id, $1 + 1)) %% 10 < 9
                    THEN coalesce(w.resolved_at, w.closed_at) + interval '1 day' END
          FROM @extschema@.complaint c
          JOIN @extschema@.work_order w ON w.customer_id = c.customer_id AND w.summary = 'demo complaint ' || c.complaint_id
         WHERE NOT EXISTS (SELECT FROM @extschema@.complaint_handling h WHERE h.complaint_id = c.complaint_id)$q$,
        @extschema@.source_target('complaint_handling')) USING seed;
    GET DIAGNOSTICS n = ROW_COUNT;
    registry := 'complaint_handling'; added := n; RETURN NEXT;

    -- The survey programme: five monthly rounds up to as_of_month(), every
    -- item sampled at the share that gives the seed's 296 244 SMS for its
    -- 2.13 M customers, scaled to the demo's; the surveys sent when due,
    -- and the demo's answers (demo_survey_responses()) linked to them.
    IF NOT EXISTS (SELECT FROM @extschema@.survey_round) THEN
        INSERT INTO @extschema@.survey_round (round, starts_on, ends_on, label)
        SELECT k, (@extschema@.as_of_month() - make_interval(months => 5 - k))::date,
               (@extschema@.as_of_month() - make_interval(months => 4 - k))::date, 'demo round ' || k
          FROM generate_series(1, 5) k;
        UPDATE @extschema@.survey_policy
           SET sample_percent = greatest(0.01, least(100, round(100.0 * 296244 / 2130000
                 * (SELECT count(*) FROM @extschema@.customer)
                 / nullif((SELECT count(*) FROM @extschema@.service_event e, @extschema@.survey_round r
                            WHERE e.occurred_at >= r.starts_on AND e.occurred_at < r.ends_on
                              -- a resolved work order's survey is queued already
                              AND NOT EXISTS (SELECT FROM @extschema@.survey_request q
                                               WHERE q.customer_id = e.customer_id AND q.event_id = e.event_id)), 0), 2)));
        n := @extschema@.queue_post_service_surveys((SELECT min(starts_on) FROM @extschema@.survey_round)::timestamptz,
                                                    (SELECT max(ends_on) FROM @extschema@.survey_round)::timestamptz);
        EXECUTE format($q$
            UPDATE %1$s r SET state = 'sent', sent_at = r.due_at
             WHERE r.state = 'pending' AND r.work_order_id IS NULL$q$, @extschema@.source_target('survey_request'));
        EXECUTE format($q$
            UPDATE %1$s r SET state = 'answered', response_id = a.response_id
              FROM (SELECT DISTINCT ON (s.event_id) s.event_id, s.response_id
                      FROM @extschema@.survey_response s WHERE s.event_id IS NOT NULL
                     ORDER BY s.event_id, s.answered_at) a
             WHERE a.event_id = r.event_id AND r.state = 'sent' AND r.work_order_id IS NULL$q$,
            @extschema@.source_target('survey_request'));
        registry := 'survey_request'; added := n; RETURN NEXT;
    ELSE
        registry := 'survey_request'; added := 0; RETURN NEXT;
    END IF;

    -- Nothing twice: the demo's rows are recognised by submitted_by.
    EXECUTE format('SELECT count(*) FROM %s WHERE submitted_by = ''demo''', suggestions) INTO n;
    IF n > 0 THEN
        registry := 'suggestion'; added := 0; RETURN NEXT;
        RETURN;
    END IF;
    EXECUTE format($q$
        WITH items AS (
            SELECT array_agg(i.code ORDER BY i.code) AS codes FROM @extschema@.service_item i
        ), plan (origin, kind, total, improved, adopted, rejected) AS (
            VALUES ('think_tank', 'suggestion', 1257, 266, 252, 500),
                   ('internal_supervision', 'finding', 23, 23, 0, 0),
                   ('internal_supervision', 'suggestion', 87, 49, 0, 38),
                   ('call_back', 'need', 300, 40, 60, 100)
        ), rows AS (
            SELECT p.*, g,
                   row_number() OVER (PARTITION BY p.origin, p.kind
                                      ORDER BY hashint8extended(g, $1 + length(p.origin) * 7 + length(p.kind))) AS rank,
                   abs(hashint8extended(g, $1 * 3 + length(p.origin))) AS h
              FROM plan p CROSS JOIN LATERAL generate_series(1, p.total) g
        ), dated AS (
            SELECT r.*, ($2::date + (r.h %% 150)::int + time '10:00')::timestamptz AS submitted_at,
                   CASE WHEN r.rank <= r.improved THEN 'improved'
                        WHEN r.rank <= r.improved + r.adopted THEN 'adopted'
                        WHEN r.rank <= r.improved + r.adopted + r.rejected THEN 'rejected'
                        ELSE 'submitted' END AS status
              FROM rows r
        )
        INSERT INTO %s (submitted_at, origin, kind, submitted_by, service_item, summary, status,
                        decided_at, improved_at, rectification, evaluation_requested)
        SELECT d.submitted_at, d.origin, d.kind, 'demo',
               items.codes[1 + (d.h / 7) %% array_length(items.codes, 1)],
               format('demo %%s %%s #%%s', d.origin, d.kind, d.g), d.status,
               CASE WHEN d.status <> 'submitted' THEN d.submitted_at + make_interval(days => 3 + (d.h / 11 %% 28)::int) END,
               CASE WHEN d.status = 'improved' THEN d.submitted_at + make_interval(days => 40 + (d.h / 13 %% 60)::int) END,
               CASE WHEN d.status = 'improved' THEN 'demo: rectified' END,
               d.kind = 'finding' OR (d.h / 17) %% 10 = 0
          FROM dated d, items$q$, suggestions) USING seed, first_day;
    GET DIAGNOSTICS n = ROW_COUNT;
    registry := 'suggestion'; added := n; RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION @extschema@.demo_supervision(bigint) IS
'Demo generator: fills the manager registry from the managers the customers name (region and team from their customers), a third-party and five customer evaluations of each manager in every stored month, the service recovery of the complaints that have a demo work order (root cause, remedy, compensation for major ones, the customer''s confirmation of 9 in 10 resolved ones, 85 % satisfied), the survey programme (five monthly rounds, every item sampled so that the demo sends the seed''s 296 244 SMS per 2.13 M customers, sent when due, the demo''s answers linked), and the suggestion registry with the seed''s counts -- think-tank 1 257 (266 improved, 252 more adopted: 518), internal supervision 23 findings (all improved) and 87 suggestions (49 adopted and carried out), 300 needs from call-backs -- over the five months before custvalue.as_of_month().  Deterministic in seed; a second call adds no suggestions.  Returns the rows added per registry.';
REVOKE ALL ON FUNCTION @extschema@.demo_supervision(bigint) FROM PUBLIC;
