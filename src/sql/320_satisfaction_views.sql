-- Satisfaction per tier, segment, channel and manager and month
-- (domain.md §7), against satisfaction_policy.target_pct (85 %).
--
-- Two surveys ask the yes/no question "were you satisfied?" and must not be
-- mixed, because they measure different things (the seed reports 98.48 %
-- for the one and 86–96 % for the other):
--   post_service  after a service event the customer gets one SMS; the
--                 answer is a survey_response with event_id set.  Channel
--                 and manager are those of the event surveyed.
--   sample        the monthly sample survey of the customer base (no
--                 event); the seed's monthly series per segment comes from
--                 it.  Its channel is the one the answer came by.
--
-- An answer is placed in the month of answered_at (session time zone) and
-- in the customer's tier of customer_profile, i.e. the tier at
-- as_of_month(), not the tier they had that month: history is read with
-- today's tiers.

-- The segments of the seed's monthly series.
CREATE FUNCTION @extschema@.tier_segment(t @extschema@.tier) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN @extschema@.tier_is_card(t) THEN 'vip'
                WHEN @extschema@.tier_rank(t) >= 1 THEN 'mid_high_end'
                ELSE 'ordinary' END;
END;
COMMENT ON FUNCTION @extschema@.tier_segment(@extschema@.tier) IS
'Segment of a tier as the seed reports satisfaction: vip (diamond, gold, silver card holders), mid_high_end (non-card A and B), ordinary (C).';

-- One row per yes/no satisfaction answer with everything the views group by.
-- (The channel and manager views read survey_response and service_event
-- directly: they need no tier, and customer_profile is the costly part.)
CREATE VIEW @extschema@.satisfaction_answers WITH (security_invoker = true) AS
SELECT r.response_id,
       r.customer_id,
       CASE WHEN r.event_id IS NULL THEN 'sample' ELSE 'post_service' END AS survey,
       r.event_id,
       r.answered_at,
       pg_catalog.date_trunc('month', r.answered_at)::date AS month,
       p.tier,
       @extschema@.tier_segment(p.tier) AS segment,
       e.service_item,
       coalesce(e.channel, r.channel) AS channel,
       e.manager,
       r.satisfied
  FROM @extschema@.survey_response r
  LEFT JOIN @extschema@.service_event e ON e.event_id = r.event_id
  LEFT JOIN @extschema@.customer_profile p ON p.customer_id = r.customer_id
 WHERE r.satisfied IS NOT NULL;
COMMENT ON VIEW @extschema@.satisfaction_answers IS
'Every yes/no satisfaction answer (survey_response rows with satisfied set): survey (post_service when it follows a service event, else sample), month answered, the customer''s current tier and segment, and for post-service answers the service item, channel and manager of the event surveyed (for sample answers the channel the answer came by).';

CREATE VIEW @extschema@.satisfaction_by_tier_month WITH (security_invoker = true) AS
SELECT g.survey,
       g.tier,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT a.survey, a.tier, a.month, @extschema@.csat(a.satisfied) AS s
          FROM @extschema@.satisfaction_answers a
         GROUP BY a.survey, a.tier, a.month) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_tier_month IS
'Satisfaction per survey (post_service, sample), tier and month: answers, satisfied, share satisfied in percent with its Wilson interval, and flags below_target (share < satisfaction_policy.target_pct) and significantly_below (whole interval below the target).';

CREATE VIEW @extschema@.satisfaction_by_segment_month WITH (security_invoker = true) AS
SELECT g.survey,
       g.segment,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT a.survey, a.segment, a.month, @extschema@.csat(a.satisfied) AS s
          FROM @extschema@.satisfaction_answers a
         GROUP BY a.survey, a.segment, a.month) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_segment_month IS
'Satisfaction per survey, segment (vip, mid_high_end, ordinary; see tier_segment()) and month, as the seed reports it, with interval and target flags.';

CREATE VIEW @extschema@.satisfaction_by_channel_month WITH (security_invoker = true) AS
SELECT g.channel,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT e.channel, pg_catalog.date_trunc('month', r.answered_at)::date AS month,
               @extschema@.csat(r.satisfied) AS s
          FROM @extschema@.survey_response r
          JOIN @extschema@.service_event e ON e.event_id = r.event_id
         WHERE r.satisfied IS NOT NULL
         GROUP BY 1, 2) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_channel_month IS
'Post-service satisfaction per service channel (of the event surveyed) and month, with interval and target flags.';

CREATE VIEW @extschema@.satisfaction_by_manager_month WITH (security_invoker = true) AS
SELECT g.channel,
       g.manager,
       g.month,
       (g.s).n AS responses,
       (g.s).satisfied,
       (g.s).csat AS satisfaction_pct,
       (g.s).ci_low,
       (g.s).ci_high,
       pol.target_pct,
       (g.s).csat < pol.target_pct AS below_target,
       (g.s).ci_high < pol.target_pct AS significantly_below
  FROM (SELECT e.channel, e.manager, pg_catalog.date_trunc('month', r.answered_at)::date AS month,
               @extschema@.csat(r.satisfied) AS s
          FROM @extschema@.survey_response r
          JOIN @extschema@.service_event e ON e.event_id = r.event_id
         WHERE r.satisfied IS NOT NULL AND e.manager IS NOT NULL
         GROUP BY 1, 2, 3) g
  CROSS JOIN @extschema@.satisfaction_policy pol;
COMMENT ON VIEW @extschema@.satisfaction_by_manager_month IS
'Post-service satisfaction per manager (of the service event surveyed), channel and month, with interval and target flags; the phone managers (电话经理) are the rows of channel phone_manager.';

-- The periodic surveys: CSAT (1–5) and NPS (0–10) per tier.
CREATE VIEW @extschema@.satisfaction_indices_by_tier WITH (security_invoker = true) AS
SELECT p.tier,
       @extschema@.csat(r.csat) AS csat,
       @extschema@.nps(r.nps) AS nps
  FROM @extschema@.survey_response r
  JOIN @extschema@.customer_profile p ON p.customer_id = r.customer_id
 WHERE r.csat IS NOT NULL OR r.nps IS NOT NULL
 GROUP BY p.tier;
COMMENT ON VIEW @extschema@.satisfaction_indices_by_tier IS
'CSAT (csat_result, on the policy''s scale) and NPS (nps_result) of all survey answers per current tier; a tier without answers to one question has NULL there.';
