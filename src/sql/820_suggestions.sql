-- The voice of the customer, from idea to improvement (seed 000: needs
-- collected in 步骤一, service supervised in 步骤四, "形成闭环工作体系").
-- The registry is the operator's table suggestion (800); this file gives it
-- its lifecycle and the views that report adoption and close the loop back
-- to the evaluation of service items (310).  New in 1.3.

CREATE FUNCTION @extschema@.suggestion_lifecycle() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF @extschema@.replaying_dump() THEN
        RETURN NEW;
    END IF;
    -- A history loaded with its states is taken as it is (the table's
    -- checks keep it consistent); what changes afterwards follows the
    -- lifecycle.
    IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT (OLD.status = 'submitted' AND NEW.status IN ('adopted', 'rejected')
                OR OLD.status = 'adopted' AND NEW.status = 'improved') THEN
            RAISE EXCEPTION 'suggestion % cannot go from % to %', OLD.suggestion_id, OLD.status, NEW.status
                USING ERRCODE = 'check_violation',
                      HINT = 'submitted -> adopted or rejected; adopted -> improved (with the rectification).';
        END IF;
        IF OLD.status = 'submitted' THEN
            NEW.decided_at := coalesce(NEW.decided_at, clock_timestamp());
        END IF;
        IF NEW.status = 'improved' THEN
            IF NEW.rectification IS NULL OR btrim(NEW.rectification) = '' THEN
                RAISE EXCEPTION 'suggestion % is improved only with the rectification that was made', OLD.suggestion_id
                    USING ERRCODE = 'not_null_violation',
                          HINT = 'Set rectification (整改) in the same UPDATE.';
            END IF;
            NEW.improved_at := coalesce(NEW.improved_at, clock_timestamp());
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.submitted_at, NEW.origin, NEW.kind) IS DISTINCT FROM (OLD.submitted_at, OLD.origin, OLD.kind) THEN
        RAISE EXCEPTION 'suggestion %: when, where from and what kind it is do not change', OLD.suggestion_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION @extschema@.suggestion_lifecycle() IS
'BEFORE INSERT OR UPDATE trigger of the suggestion registry: a change of status follows submitted -> adopted | rejected, adopted -> improved (23514 otherwise), stamps decided_at and improved_at when not given, needs the rectification to be improved (23502), and keeps submitted_at, origin and kind.  Rows inserted with their state (a history) are taken as they are; a pg_dump replay too.';

CREATE VIEW @extschema@.suggestion_adoption WITH (security_invoker = true) AS
SELECT coalesce(s.origin, 'all') AS origin,
       coalesce(s.kind, 'all') AS kind,
       count(*) AS submitted,
       count(*) FILTER (WHERE s.status IN ('adopted', 'improved')) AS adopted,
       count(*) FILTER (WHERE s.status = 'improved') AS improved,
       count(*) FILTER (WHERE s.status = 'rejected') AS rejected,
       count(*) FILTER (WHERE s.status = 'submitted') AS open,
       round(count(*) FILTER (WHERE s.status IN ('adopted', 'improved'))::numeric / nullif(count(*), 0), 4) AS adoption_rate,
       round(count(*) FILTER (WHERE s.status = 'improved')::numeric
             / nullif(count(*) FILTER (WHERE s.status IN ('adopted', 'improved')), 0), 4) AS improvement_rate,
       round(avg(extract(epoch FROM s.decided_at - s.submitted_at) / 86400)::numeric, 1) AS mean_days_to_decision
  FROM @extschema@.suggestion s
 GROUP BY ROLLUP (s.origin, s.kind);
COMMENT ON VIEW @extschema@.suggestion_adoption IS
'Adoption of the registry''s needs, findings and suggestions per origin and kind, per origin (kind ''all'') and in all (origin ''all''): submitted, adopted (adopted or since improved), improved, rejected, still open, adoption_rate = adopted / submitted, improvement_rate = improved / adopted, mean days to a decision.  The seed''s think-tank: 1 257 suggestions, 518 adopted, 266 improved; its internal supervision: 87 suggestions, 49 adopted (and 23 problems found, all solved).';

-- The latest evaluation per catalog item, by a function: a view naming the
-- evaluation table (a reference table on Citus) and the suggestions (the
-- customer data) could not be distributed (see 810_capacity.sql).
CREATE FUNCTION @extschema@.service_item_last_evaluated()
    RETURNS TABLE (service_item text, evaluated_on date)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
SELECT e.service_item, max(e.evaluated_on)
  FROM @extschema@.service_item_evaluation e
 WHERE e.service_item IS NOT NULL
 GROUP BY e.service_item
$$;
COMMENT ON FUNCTION @extschema@.service_item_last_evaluated() IS
'Each catalog service item''s latest custvalue.service_item_evaluation date.';

CREATE VIEW @extschema@.service_item_review_queue WITH (security_invoker = true) AS
WITH latest AS (
    SELECT * FROM @extschema@.service_item_last_evaluated()
)
SELECT s.service_item,
       l.evaluated_on AS last_evaluated_on,
       count(*) AS requests,
       count(*) FILTER (WHERE s.status IN ('adopted', 'improved')) AS adopted_requests,
       min(s.submitted_at) AS first_request_at,
       array_agg(s.suggestion_id ORDER BY s.submitted_at) AS suggestion_ids
  FROM @extschema@.suggestion s
  LEFT JOIN latest l ON l.service_item = s.service_item
 WHERE s.evaluation_requested AND s.service_item IS NOT NULL AND s.status <> 'rejected'
   AND (l.evaluated_on IS NULL OR s.submitted_at::date > l.evaluated_on)
 GROUP BY s.service_item, l.evaluated_on;
COMMENT ON VIEW @extschema@.service_item_review_queue IS
'The loop from the voice of the customer back to service design: service items with findings or suggestions (not rejected) that asked for a new evaluation since the item''s latest custvalue.service_item_evaluation (or that was never evaluated), with how many asked, how many were adopted, since when, and which.  An item leaves the queue when an evaluation dated on or after its requests is recorded.';
