-- The population summary CVF scoring reads: the stored snapshot if there
-- is one, else computed live.  Its own file because 1.3 changed it (the
-- 1.2 -> 1.3 update re-runs this file; keep it CREATE OR REPLACE).

CREATE OR REPLACE VIEW @extschema@.value_population WITH (security_invoker = true) AS
SELECT 'snapshot'::text AS source, s.scale, s.customers, s.total_revenue, s.a_min_revenue,
       s.b_min_revenue, s.core_min_revenue, s.as_of_month, s.computed_at
  FROM @extschema@.value_population_snapshot s
UNION ALL
SELECT 'live', l.scale, l.customers, l.total_revenue, l.a_min_revenue,
       l.b_min_revenue, l.core_min_revenue, l.as_of_month, l.computed_at
  FROM @extschema@.value_population_live l
 WHERE NOT EXISTS (SELECT 1 FROM @extschema@.value_population_snapshot);  -- 1: Citus cannot pass on a row of no columns
COMMENT ON VIEW @extschema@.value_population IS
'The population summary CVF scoring uses: the stored snapshot if there is one (source = snapshot), else computed live (source = live).';
