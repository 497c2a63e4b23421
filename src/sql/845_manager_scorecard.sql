-- The manager scorecard (seed 000: third-party quality monitoring of the
-- phone managers on four dimensions and the customers' perception; the
-- KPI that gives big-customer satisfaction one point): per manager and
-- month stored by the monthly cycle, six components on a 0-100 scale,
-- weighted by a KPI policy, ranked within the team.  New in 1.3.

CREATE TABLE @extschema@.manager_kpi_weight (
    component  text PRIMARY KEY
                   CONSTRAINT manager_kpi_component_valid
                   CHECK (component IN ('quality', 'perception', 'satisfaction', 'sla', 'retention', 'volume')),
    weight     numeric(6,4) NOT NULL
                   CONSTRAINT manager_kpi_weight_valid CHECK (weight >= 0 AND weight <= 1),
    basis      text NOT NULL
);
COMMENT ON TABLE @extschema@.manager_kpi_weight IS
'Weights of the manager scorecard''s components (custvalue.manager_scorecard), summing to 1 (checked at commit).  quality: mean of the four dimensions in third-party, internal and call-recording evaluations; perception: the same in the customers'' evaluations; satisfaction: % satisfied of the post-service surveys of the manager''s services; sla: % of the manager''s work orders resolved in the month within their SLA; retention: 100 − % of the customers owned at the month before who churned in the month; volume: work orders received in the month as a cumulative share within the team (cume_dist × 100: the busiest 100).  A component without data for a manager and month is left out and the others'' weights scaled up.  Defaults: design (the seed gives big-customer satisfaction one KPI point, not a full scheme).';
INSERT INTO @extschema@.manager_kpi_weight VALUES
    ('quality',      0.25, 'Seed 000: third-party monitoring of 礼貌态度, 服务规范, 业务能力, 沟通能力.  Weight: design.'),
    ('perception',   0.15, 'Seed 000: the customer-perception arm (客户服务感知).  Weight: design.'),
    ('satisfaction', 0.25, 'Seed 000: KPI point for big-customer satisfaction; the SMS survey after each service.  Weight: design.'),
    ('sla',          0.15, 'Design: the 24 h rule and the work-order SLAs (domain.md §8, §9).'),
    ('retention',    0.15, 'Design: the manager owns the customer''s stability (稳定).'),
    ('volume',       0.05, 'Design: work carried, as a rank within the team.');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.manager_kpi_weight', '');

CREATE FUNCTION @extschema@.manager_kpi_weight_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    total numeric;
BEGIN
    SELECT coalesce(sum(w.weight), 0) INTO total FROM @extschema@.manager_kpi_weight w;
    IF total <> 1 THEN
        RAISE EXCEPTION 'the weights of custvalue.manager_kpi_weight sum to %, not 1', total
            USING ERRCODE = 'check_violation',
                  HINT = 'Change several weights in one transaction: the check runs at commit.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.manager_kpi_weight_validate() IS
'Deferred constraint trigger of custvalue.manager_kpi_weight: the weights sum to 1.';
CREATE CONSTRAINT TRIGGER manager_kpi_weight_sum AFTER INSERT OR UPDATE OR DELETE ON @extschema@.manager_kpi_weight
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION @extschema@.manager_kpi_weight_validate();
CREATE TRIGGER manager_kpi_weight_no_truncate BEFORE TRUNCATE ON @extschema@.manager_kpi_weight
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.manager_kpi_weight
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_changed();

-- Read through a function with a string body, not by name (see
-- 810_capacity.sql: a view naming a policy table and customer data cannot
-- be distributed on Citus).
CREATE FUNCTION @extschema@.manager_kpi_weights()
    RETURNS TABLE (component text, weight numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT w.component, w.weight FROM @extschema@.manager_kpi_weight w $$;
COMMENT ON FUNCTION @extschema@.manager_kpi_weights() IS
'The rows of custvalue.manager_kpi_weight (for custvalue.manager_scorecard).';

CREATE VIEW @extschema@.manager_scorecard WITH (security_invoker = true) AS
WITH months AS (
    SELECT r.month, (r.month + interval '1 month')::timestamptz AS ends
      FROM @extschema@.month_run r
), staff AS (
    SELECT w.manager, w.role, w.team FROM @extschema@.manager_workload w
), evals AS (
    SELECT e.manager, date_trunc('month', e.evaluated_at)::date AS month,
           avg((e.courtesy + e.standards + e.competence + e.communication) / 4)
               FILTER (WHERE e.method <> 'customer_perception') AS quality,
           avg((e.courtesy + e.standards + e.competence + e.communication) / 4)
               FILTER (WHERE e.method = 'customer_perception') AS perception,
           count(*) FILTER (WHERE e.method <> 'customer_perception') AS quality_reviews,
           count(*) FILTER (WHERE e.method = 'customer_perception') AS perception_reviews
      FROM @extschema@.manager_evaluation e
     GROUP BY 1, 2
), surveys AS (
    -- the post-service survey of a service the manager gave (the event's
    -- manager, or the customer's own on a manager's channel)
    SELECT @extschema@.responsible_manager(e.manager, e.channel, c.account_manager, c.phone_manager) AS manager,
           date_trunc('month', s.answered_at)::date AS month,
           100.0 * avg(s.satisfied::int) AS satisfaction, count(s.satisfied) AS surveys
      FROM @extschema@.survey_response s
      JOIN @extschema@.service_event e ON e.event_id = s.event_id
      JOIN @extschema@.customer c ON c.customer_id = s.customer_id
     WHERE s.satisfied IS NOT NULL
     GROUP BY 1, 2
), orders AS (
    SELECT @extschema@.responsible_manager(w.assignee, w.channel, c.account_manager, c.phone_manager) AS manager,
           m.month,
           count(*) FILTER (WHERE w.received_at >= m.month AND w.received_at < m.ends) AS received,
           count(*) FILTER (WHERE w.resolved_at >= m.month AND w.resolved_at < m.ends) AS resolved,
           count(*) FILTER (WHERE w.resolved_at >= m.month AND w.resolved_at < m.ends
                              AND w.resolved_at <= w.resolve_by) AS resolved_in_time
      FROM @extschema@.work_order w
      JOIN @extschema@.customer c ON c.customer_id = w.customer_id
      JOIN months m ON (w.received_at >= m.month AND w.received_at < m.ends)
                    OR (w.resolved_at >= m.month AND w.resolved_at < m.ends)
     GROUP BY 1, 2
), churn AS (
    -- owned at the month before (as stored), churned in the month
    SELECT h.owner AS manager, m.month, count(*) AS owned,
           count(*) FILTER (WHERE k.churned_on >= m.month AND k.churned_on < m.ends) AS churned
      FROM months m
      JOIN @extschema@.customer_month h ON h.month = (m.month - interval '1 month')::date
      JOIN @extschema@.customer k ON k.customer_id = h.customer_id
     WHERE h.owner IS NOT NULL
     GROUP BY 1, 2
), parts AS (
    SELECT s.manager, s.role, s.team, m.month,
           ev.quality, ev.perception, sv.satisfaction,
           100.0 * o.resolved_in_time / nullif(o.resolved, 0) AS sla,
           100.0 * (1 - ch.churned::numeric / nullif(ch.owned, 0)) AS retention,
           (100 * cume_dist() OVER (PARTITION BY m.month, s.role, s.team ORDER BY coalesce(o.received, 0)))::numeric AS volume,
           coalesce(ev.quality_reviews, 0) AS quality_reviews, coalesce(ev.perception_reviews, 0) AS perception_reviews,
           coalesce(sv.surveys, 0) AS surveys, coalesce(o.received, 0) AS work_orders,
           coalesce(ch.owned, 0) AS customers_before, coalesce(ch.churned, 0) AS churned
      FROM staff s
      CROSS JOIN months m
      LEFT JOIN evals ev ON ev.manager = s.manager AND ev.month = m.month
      LEFT JOIN surveys sv ON sv.manager = s.manager AND sv.month = m.month
      LEFT JOIN orders o ON o.manager = s.manager AND o.month = m.month
      LEFT JOIN churn ch ON ch.manager = s.manager AND ch.month = m.month
), scored AS (
    SELECT p.*,
           (SELECT sum(w.weight * x.v) / nullif(sum(w.weight), 0)
              FROM @extschema@.manager_kpi_weights() w
              JOIN (VALUES ('quality', p.quality), ('perception', p.perception), ('satisfaction', p.satisfaction),
                           ('sla', p.sla), ('retention', p.retention), ('volume', p.volume)) AS x(component, v)
                ON x.component = w.component
             WHERE x.v IS NOT NULL) AS score
      FROM parts p
)
SELECT s.month, s.role, s.manager, s.team,
       round(s.quality, 2) AS quality, round(s.perception, 2) AS perception,
       round(s.satisfaction, 2) AS satisfaction, round(s.sla, 2) AS sla,
       round(s.retention, 2) AS retention, round(s.volume, 2) AS volume,
       round(s.score, 2) AS score,
       round(cume_dist() OVER (PARTITION BY s.month, s.role, s.team ORDER BY s.score NULLS FIRST)::numeric, 4) AS team_percentile,
       rank() OVER (PARTITION BY s.month, s.role, s.team ORDER BY s.score DESC NULLS LAST) AS team_rank,
       s.quality_reviews, s.perception_reviews, s.surveys, s.work_orders, s.customers_before, s.churned
  FROM scored s;
COMMENT ON VIEW @extschema@.manager_scorecard IS
'The manager scorecard per month stored by the monthly cycle: for every manager (the registry and those named on customers), the components quality (third-party, internal and call-recording evaluations: mean of courtesy, standards, competence, communication), perception (the customers'' evaluations), satisfaction (% satisfied of the post-service surveys of their services), sla (% of the work orders resolved in the month within resolve_by), retention (100 − % of the customers they owned at the month before who churned in the month), volume (work orders received, cume_dist within the team × 100), each 0-100; score = their weighted mean by custvalue.manager_kpi_weight over the components with data; team_percentile (cume_dist: the share of the team scoring at most as much, 1 = the best) and team_rank within month, role and team; and the counts behind each component.';
