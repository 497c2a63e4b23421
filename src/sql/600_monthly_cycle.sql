-- The monthly cycle (domain.md §1, §8, §9): CALL custvalue.run_month(month)
-- reviews every customer's tier, scores value and churn as of that month,
-- keeps the result as history and opens the managers' call tasks.
--
-- History lives in the operator's tables, like every other datum (they are
-- sources, created by create_data_model() or create_history_model()):
--   customer_month  one row per customer and month, partitioned by month;
--   month_run       one row per completed run;
--   call_task       one row per customer and month with a call work order.
-- A run is one transaction.  It reads every source table once into a
-- temporary table, builds the month's history in a new table, and swaps it
-- in as that month's partition (detaching and dropping the partition a
-- previous run made): a rerun replaces the month whole, and a run that is
-- cancelled, killed or lost in a crash leaves the month as it was.  Readers
-- of the history keep reading the previous state while a run computes;
-- only the final swap of a rerun takes a short exclusive lock.

-- ---------------------------------------------------------------- policy
CREATE TABLE @extschema@.tier_review (
    tier                     @extschema@.tier PRIMARY KEY,
    review_every_months      smallint NOT NULL DEFAULT 1
        CONSTRAINT tier_review_cadence CHECK (review_every_months IN (1, 2, 3, 4, 6, 12)),
    downgrade_after_reviews  smallint NOT NULL DEFAULT 1
        CONSTRAINT tier_review_grace CHECK (downgrade_after_reviews BETWEEN 1 AND 24)
);
COMMENT ON TABLE @extschema@.tier_review IS
'How tiers are reviewed by custvalue.run_month() (design defaults; the seeds give a tier by its basis and window, custvalue.tier_review_rules, but no cadence or grace).  A customer earns a higher tier at any monthly run.  A customer in this tier who earns a lower one is reviewed only in review months (January, and every review_every_months after it: 1 = every month, 12 = once a year), and drops only after downgrade_after_reviews consecutive reviews below the tier (1 = at the first, no grace).  Edit with UPDATE; rows cannot be added or removed.';
COMMENT ON COLUMN @extschema@.tier_review.review_every_months IS 'Review cadence in months, a divisor of 12, counted from January.';
COMMENT ON COLUMN @extschema@.tier_review.downgrade_after_reviews IS 'Consecutive reviews below the tier before the customer drops (grace N; 1 = no grace).';
INSERT INTO @extschema@.tier_review (tier) SELECT t FROM @extschema@.tiers() AS t;

CREATE FUNCTION @extschema@.tier_review_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int;
BEGIN
    SELECT count(*) INTO n FROM @extschema@.tier_review;
    IF n <> 6 THEN
        RAISE EXCEPTION 'custvalue.tier_review must hold one row for each of the 6 tiers, not % rows', n
            USING ERRCODE = 'check_violation',
                  HINT = 'Change the review rules with UPDATE.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION @extschema@.tier_review_validate() IS
'Constraint trigger of custvalue.tier_review: one row per tier.';
CREATE CONSTRAINT TRIGGER tier_review_valid
    AFTER INSERT OR UPDATE OR DELETE ON @extschema@.tier_review
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION @extschema@.tier_review_validate();
CREATE TRIGGER tier_review_no_truncate BEFORE TRUNCATE ON @extschema@.tier_review
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.refuse_truncate();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tier_review', '');

CREATE VIEW @extschema@.tier_review_rules WITH (security_invoker = true) AS
SELECT p.tier, p.basis,
       CASE p.basis WHEN 'annual_spend' THEN @extschema@.setting('spend_window_months')
                    ELSE @extschema@.setting('arpu_window_months') END::int AS window_months,
       p.min_amount,
       r.review_every_months,
       r.downgrade_after_reviews
  FROM @extschema@.tier_policy p
  JOIN @extschema@.tier_review r ON r.tier OPERATOR(@extschema@.=) p.tier
 ORDER BY p.tier DESC;
COMMENT ON VIEW @extschema@.tier_review_rules IS
'The whole tier review per tier: basis (annual spend for card tiers, monthly ARPU for the others, domain.md §1), window in months (settings spend_window_months / arpu_window_months), threshold (custvalue.tier_policy), review cadence and downgrade grace (custvalue.tier_review).';

-- The call a warning asks for is a service item of its own.
INSERT INTO @extschema@.service_item VALUES
    ('retention_call', NULL, 'Retention call on a churn warning', '流失预警维系回访', 'other', false);
-- Made by the manager who owns the customer (tier_entitlements.suspension_warning_by).
INSERT INTO @extschema@.service_item_channel VALUES
    ('retention_call', 'account_manager'), ('retention_call', 'phone_manager');

-- ---------------------------------------------------------------- sources
SELECT @extschema@.define_source('customer_month',
    'History of the monthly cycle: one row per customer (joined and not churned by the month''s end) and month, written by custvalue.run_month(): tier earned and tier held after the review (previous_tier: the tier held at the previous run), spend, ARPU, CVF and its parts, value class, churn warning and probability, lifecycle, and who owns the customer.  Tiers, levels and lifecycle are text, so the history survives DROP EXTENSION whole.  The bound relation must be a table partitioned by range of month (run_month swaps in one partition per month).',
    ARRAY['month date', 'customer_id bigint', 'status text', 'region text', 'brand text', 'vip_card boolean',
          'tenure_months integer', 'annual_spend numeric(12,2)', 'monthly_arpu numeric(12,2)',
          'earned_tier text', 'tier text', 'previous_tier text', 'reviews_below smallint',
          'revenue_score numeric', 'tenure_score numeric', 'credit_score numeric', 'tariff_score numeric',
          'bundle_score numeric', 'cvf numeric', 'value_class text', 'core_customer boolean',
          'net_value numeric', 'monthly_margin numeric', 'clv numeric',
          'warning_level text', 'warning_score float8', 'signals jsonb', 'churn_probability float8',
          'lifecycle text', 'owner_channel text', 'owner text']);
COMMENT ON COLUMN @extschema@.customer_month.month IS 'The month reviewed (first day).';
COMMENT ON COLUMN @extschema@.customer_month.status IS 'active or suspended at the month''s end.';
COMMENT ON COLUMN @extschema@.customer_month.earned_tier IS 'The tier the month''s spend and ARPU earn (custvalue.tier_of).';
COMMENT ON COLUMN @extschema@.customer_month.tier IS 'The tier held after the review: earned_tier, unless custvalue.tier_review keeps the customer in a higher previous tier (cadence, grace).';
COMMENT ON COLUMN @extschema@.customer_month.previous_tier IS 'The tier held at the previous run (NULL: first month in the history).';
COMMENT ON COLUMN @extschema@.customer_month.reviews_below IS 'Consecutive reviews so far in which the customer earned less than the tier held (the downgrade grace counter).';
COMMENT ON COLUMN @extschema@.customer_month.cvf IS 'Composite CVF 0–100 against the month''s population (as custvalue.customer_scorecard).';
COMMENT ON COLUMN @extschema@.customer_month.warning_level IS 'Churn warning level none / yellow / orange / red (custvalue.churn_warning).';
COMMENT ON COLUMN @extschema@.customer_month.signals IS 'Fired churn signals with their values.';
COMMENT ON COLUMN @extschema@.customer_month.churn_probability IS 'Churn probability under the watchlist model of custvalue.churn_model_store at run time.';
COMMENT ON COLUMN @extschema@.customer_month.lifecycle IS 'new / active / about_to_churn (as custvalue.customer_churn_warning).';
COMMENT ON COLUMN @extschema@.customer_month.owner_channel IS 'Who serves the customer''s warnings: the tier''s suspension_warning_by channel (custvalue.tier_entitlements).';
COMMENT ON COLUMN @extschema@.customer_month.owner IS 'That manager''s code (customer.account_manager or phone_manager) at run time.';

SELECT @extschema@.define_source('month_run',
    'One row per completed custvalue.run_month(): when it ran, by whom, how many customers it reviewed, warnings, tier changes and call tasks, and each stage with rows and seconds.  A run that did not complete left no row (and no other trace: it was one transaction).',
    ARRAY['month date', 'started_at timestamptz', 'finished_at timestamptz', 'run_by name',
          'customers bigint', 'warned bigint', 'tier_changes bigint', 'call_tasks_opened integer',
          'stages jsonb']);
COMMENT ON COLUMN @extschema@.month_run.warned IS 'Customers with an orange or red warning.';
COMMENT ON COLUMN @extschema@.month_run.stages IS 'Array of {stage, rows, seconds} in run order.';

SELECT @extschema@.define_source('call_task',
    'The managers'' call tasks of the monthly cycle: one row per customer and month for which custvalue.run_month() opened a work order (a retention call on an orange or red warning of a tier b-and-above customer).  Reruns of the month never open a second one.',
    ARRAY['month date', 'customer_id bigint', 'work_order_id bigint', 'warning_level text',
          'opened_at timestamptz']);

-- ---------------------------------------------------------------- tables
CREATE FUNCTION @extschema@.create_history_model(schema name DEFAULT 'custvalue_data')
    RETURNS TABLE (source text, relation regclass)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM @extschema@.require_data_model('create_history_model', schema, 'work_order', 'The history goes');
    EXECUTE format($ddl$
CREATE TABLE %1$I.customer_month (
    month              date NOT NULL CHECK (extract(day FROM month) = 1),
    customer_id        bigint NOT NULL,
    status             text NOT NULL CHECK (status IN ('active', 'suspended')),
    region             text,
    brand              text,
    vip_card           boolean,
    tenure_months      integer NOT NULL,
    annual_spend       numeric(12,2) NOT NULL,
    monthly_arpu       numeric(12,2) NOT NULL,
    earned_tier        text NOT NULL CHECK (earned_tier IN ('c', 'b', 'a', 'silver', 'gold', 'diamond')),
    tier               text NOT NULL CHECK (tier IN ('c', 'b', 'a', 'silver', 'gold', 'diamond')),
    previous_tier      text CHECK (previous_tier IN ('c', 'b', 'a', 'silver', 'gold', 'diamond')),
    reviews_below      smallint NOT NULL DEFAULT 0 CHECK (reviews_below >= 0),
    revenue_score      numeric,
    tenure_score       numeric,
    credit_score       numeric,
    tariff_score       numeric,
    bundle_score       numeric,
    cvf                numeric,
    value_class        text NOT NULL CHECK (value_class IN ('A', 'B', 'C')),
    core_customer      boolean NOT NULL,
    net_value          numeric,
    monthly_margin     numeric,
    clv                numeric,
    warning_level      text NOT NULL CHECK (warning_level IN ('none', 'yellow', 'orange', 'red')),
    warning_score      float8 NOT NULL,
    signals            jsonb NOT NULL,
    churn_probability  float8,
    lifecycle          text NOT NULL CHECK (lifecycle IN ('new', 'active', 'about_to_churn')),
    owner_channel      text,
    owner              text,
    PRIMARY KEY (customer_id, month)
) PARTITION BY RANGE (month);

CREATE TABLE %1$I.month_run (
    month              date PRIMARY KEY CHECK (extract(day FROM month) = 1),
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz NOT NULL CHECK (finished_at >= started_at),
    run_by             name NOT NULL,
    customers          bigint NOT NULL,
    warned             bigint NOT NULL,
    tier_changes       bigint NOT NULL,
    call_tasks_opened  integer NOT NULL,
    stages             jsonb NOT NULL CHECK (jsonb_typeof(stages) = 'array')
);

CREATE TABLE %1$I.call_task (
    month          date NOT NULL CHECK (extract(day FROM month) = 1),
    customer_id    bigint NOT NULL REFERENCES %1$I.customer,
    work_order_id  bigint NOT NULL UNIQUE REFERENCES %1$I.work_order,
    warning_level  text NOT NULL CHECK (warning_level IN ('orange', 'red')),
    opened_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (month, customer_id)
);
$ddl$, schema);

    RETURN QUERY SELECT * FROM @extschema@.adopt_data_tables(schema, ARRAY['customer_month', 'month_run', 'call_task']);
END;
$fn$;
COMMENT ON FUNCTION @extschema@.create_history_model(name) IS
'Creates the history tables of the monthly cycle (customer_month partitioned by month, month_run, call_task) as ordinary tables owned by the caller in schema, next to the data model of custvalue.create_data_model() (which calls this itself; call it alone on a database whose data model predates custvalue 1.3), grants them like the data model and binds the sources.  Returns the sources and their tables.';

-- ---------------------------------------------------------------- progress
CREATE FUNCTION @extschema@.report_progress(report text) RETURNS void
    AS 'MODULE_PATHNAME', 'cv_report_progress' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.report_progress(text) IS
'Shows report in this backend''s pg_stat_activity.query, where other sessions can read it while the transaction runs (custvalue.month_run_progress); NULL puts the current statement''s text back.';

-- The partition of a month-partitioned table holding month m, if any.
CREATE FUNCTION @extschema@.month_partition(parent regclass, m date) RETURNS regclass
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT i.inhrelid::regclass
      FROM pg_catalog.pg_inherits i
      JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent
       AND pg_catalog.pg_get_expr(c.relpartbound, c.oid)
           = pg_catalog.format('FOR VALUES FROM (%L) TO (%L)', m, (m + interval '1 month')::date);
END;
COMMENT ON FUNCTION @extschema@.month_partition(regclass, date) IS
'The partition of parent (partitioned by range of a date column) whose bounds are exactly month m, or NULL.';

-- Stage bookkeeping of run_month: the step is the number of stages done
-- plus one; a stage's end is a NOTICE and an entry {stage, rows, seconds}
-- in the run's list.
CREATE FUNCTION @extschema@.run_month_stage_begin(m date, stage text, run_started timestamptz, done jsonb)
    RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    started constant timestamptz := clock_timestamp();
BEGIN
    PERFORM @extschema@.report_progress(format('custvalue.run_month: %s',
        jsonb_build_object('month', m, 'stage', stage, 'step', jsonb_array_length(done) + 1, 'steps', 5,
                           'stage_started', started, 'started', run_started, 'done', done)));
    RETURN started;
END;
$$;
COMMENT ON FUNCTION @extschema@.run_month_stage_begin(date, text, timestamptz, jsonb) IS
'Used by custvalue.run_month(): reports the stage it begins (step = stages done + 1, of 5) with custvalue.report_progress() and returns its start time.';

CREATE FUNCTION @extschema@.run_month_stage_end(m date, stage text, rows bigint, stage_started timestamptz, done jsonb)
    RETURNS jsonb
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    seconds constant numeric := round(extract(epoch FROM clock_timestamp() - stage_started)::numeric, 3);
BEGIN
    RAISE NOTICE 'run_month %: % — % rows in % s', to_char(m, 'YYYY-MM'), stage, rows, seconds;
    RETURN done || jsonb_build_object('stage', stage, 'rows', rows, 'seconds', seconds);
END;
$$;
COMMENT ON FUNCTION @extschema@.run_month_stage_end(date, text, bigint, timestamptz, jsonb) IS
'Used by custvalue.run_month(): the NOTICE of a finished stage (rows, seconds), and done with the stage''s {stage, rows, seconds} appended.';

-- ---------------------------------------------------------------- the run
-- Stage 1 of run_month: every source read once, into pg_temp.cv_month_inputs
-- (one row per customer on the book at the end of month m, with the tier
-- held after prev_month's run).  Every input is grouped by customer_id and
-- joined on it, so the plan is made of merges over the customer order (the
-- keys' indexes): it streams, its memory does not grow with the book, and
-- it does not build a hash table of a million customers per input, which
-- took twice as long, nor sort the year's bills, which at 10 M customers
-- spilled 6 GB to disk and made the stage 2.6 times slower per customer
-- than at 1 M (docs/performance.md, "The monthly cycle").
CREATE FUNCTION @extschema@.run_month_inputs(m date, prev_month date) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET enable_hashagg = off
    SET enable_hashjoin = off
    SET enable_sort = off
AS $inputs$
#variable_conflict use_column
DECLARE
    last_day constant date := (date_trunc('month', m) + interval '1 month' - interval '1 day')::date;
    stop constant timestamptz := (date_trunc('month', m) + interval '1 month')::timestamptz;
    spend_from constant date := (m - make_interval(months => @extschema@.setting('spend_window_months')::int - 1))::date;
    arpu_from constant date := (m - make_interval(months => @extschema@.setting('arpu_window_months')::int - 1))::date;
    base_from constant date := (m - make_interval(months => @extschema@.setting('churn_baseline_months')::int))::date;
    -- The windows' bounds as constants: written in the query, stop minus an
    -- interval is a stable function the planner leaves to each row.
    since_30d constant timestamptz := stop - interval '30 days';
    since_180d constant timestamptz := stop - interval '180 days';
    since_365d constant timestamptz := stop - interval '365 days';
    n bigint;
BEGIN
    IF pg_catalog.to_regclass('pg_temp.cv_month_inputs') IS NOT NULL THEN
        DROP TABLE pg_temp.cv_month_inputs;
    END IF;
    CREATE TEMP TABLE cv_month_inputs ON COMMIT DROP AS
    WITH bills AS (
        SELECT b.customer_id,
               @extschema@.month_bill_inputs(b.month, b.total_fee, b.data_fee, b.vas_fee, b.paid_late,
                                             b.arrears, b.cost_to_serve, b.voice_minutes, b.data_mb,
                                             m, spend_from, arpu_from, base_from) AS f
          FROM @extschema@.monthly_bill b
         WHERE b.month >= least(spend_from, base_from) AND b.month <= m
         GROUP BY b.customer_id
    ), bundles AS (
        SELECT u.customer_id, count(*) AS active,
               (max(u.ends_on) FILTER (WHERE u.ends_on >= last_day) - last_day)::int AS days_left
          FROM @extschema@.bundle u
         WHERE u.started_on <= last_day AND u.ends_on > m
         GROUP BY u.customer_id
    ), complaints AS (
        SELECT k.customer_id, count(*)::int AS n
          FROM @extschema@.complaint k
         WHERE k.filed_at >= since_30d AND k.filed_at < stop
         GROUP BY k.customer_id
    ), surveys AS (
        SELECT s.customer_id,
               @extschema@.month_survey_inputs(s.answered_at, s.response_id, s.csat, s.nps, s.satisfied,
                                               since_180d, since_30d) AS f
          FROM @extschema@.survey_response s
         WHERE s.answered_at >= since_365d AND s.answered_at < stop
         GROUP BY s.customer_id
    ), cancels AS (
        SELECT x.customer_id, count(*)::int AS n
          FROM @extschema@.service_cancellation x
         WHERE x.cancelled_at >= since_30d AND x.cancelled_at < stop
         GROUP BY x.customer_id
    ), prev AS (
        SELECT h.customer_id, h.tier, h.reviews_below
          FROM @extschema@.customer_month h
         WHERE h.month = prev_month
    ), inputs AS (
        SELECT c.customer_id, c.region, c.brand, c.vip_card, c.account_manager, c.phone_manager,
               prev.tier AS previous_tier,
               @extschema@.tier_rank(prev.tier::@extschema@.tier) AS prev_rank,
               prev.reviews_below AS prev_below,
               CASE WHEN c.churned_on <= last_day THEN 'churned'
                    WHEN c.churned_on IS NOT NULL THEN 'active'
                    ELSE c.status END AS status,
               @extschema@.tenure_months(c.joined_on, last_day) AS tenure_months,
               coalesce((bills.f).revenue, 0)::numeric(12,2) AS revenue,
               coalesce((bills.f).monthly_arpu, 0)::numeric(12,2) AS monthly_arpu,
               (bills.f).credit_risk,
               (bills.f).tariff_share,
               coalesce(bundles.active, 0) AS bundles,
               (bills.f).net_value,
               (bills.f).monthly_margin,
               coalesce((bills.f).billed, false) AS billed,
               (bills.f).arpu_drop,
               (bills.f).usage_drop,
               coalesce(complaints.n, 0) AS complaints_30d,
               (surveys.f).nps,
               (surveys.f).satisfaction_drop,
               coalesce((surveys.f).dissatisfied, 0) AS dissatisfied_30d,
               bundles.days_left AS bundle_days_left,
               (bills.f).arrears,
               c.status = 'suspended' AS suspended,
               coalesce(cancels.n, 0) AS cancellations_30d
          FROM @extschema@.customer c
          LEFT JOIN bills ON bills.customer_id = c.customer_id
          LEFT JOIN bundles ON bundles.customer_id = c.customer_id
          LEFT JOIN complaints ON complaints.customer_id = c.customer_id
          LEFT JOIN surveys ON surveys.customer_id = c.customer_id
          LEFT JOIN cancels ON cancels.customer_id = c.customer_id
          LEFT JOIN prev ON prev.customer_id = c.customer_id
         WHERE c.joined_on <= last_day
    )
    SELECT i.* FROM inputs i WHERE i.status <> 'churned';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$inputs$;
COMMENT ON FUNCTION @extschema@.run_month_inputs(date, date) IS
'Used by custvalue.run_month(): stage 1, every input of every customer on the book at the end of month m (bills, bundles, complaints, surveys, cancellations, and the tier held after the run of prev_month), each source read once, into the temporary table cv_month_inputs (dropped at commit); returns its rows.  Plans with merge joins and sorted grouping over the keys'' indexes (enable_hashjoin, enable_hashagg and enable_sort off for the call), which stream in customer order.';

CREATE PROCEDURE @extschema@.run_month(month date, open_call_tasks boolean DEFAULT true)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $run$
#variable_conflict use_column
DECLARE
    m constant date := date_trunc('month', month)::date;
    a_share constant numeric := @extschema@.setting('value_class_a_share');
    b_share constant numeric := @extschema@.setting('value_class_b_share');
    core_share constant numeric := @extschema@.setting('core_customer_share');
    run_started constant timestamptz := clock_timestamp();
    parent regclass;
    parent_schema name;
    parent_name name;
    part_name name;
    staging regclass;
    old_part regclass;
    prev_month date;
    model @extschema@.churn_model;
    scale @extschema@.cvf_scale;
    population bigint;
    a_min numeric;
    b_min numeric;
    core_min numeric;
    review_due boolean[];
    review_grace integer[];
    owner_by_rank text[];
    tier_names text[];
    billed bigint;
    n bigint;
    warned bigint;
    changes bigint;
    tasks int := 0;
    consent_default boolean;
    consent_exceptions bigint[];
    due_customers bigint[];
    stage_started timestamptz;
    stages jsonb := '[]';
BEGIN
    IF month IS NULL THEN
        RAISE EXCEPTION 'run_month needs a month, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF open_call_tasks IS NULL THEN
        RAISE EXCEPTION 'run_month: open_call_tasks must be true or false, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;

    SELECT d.relation::regclass INTO parent FROM @extschema@.data_source d
     WHERE d.source = 'customer_month' AND d.column_map = '{}' AND d.derived = '{}';
    IF parent IS NULL OR (SELECT c.relkind FROM pg_class c WHERE c.oid = parent) <> 'p' THEN
        RAISE EXCEPTION 'run_month writes history into a table partitioned by month, and custvalue.customer_month is not bound to one'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Create the history tables with SELECT custvalue.create_history_model(''custvalue_data'') (or create_data_model() for a new database).';
    END IF;
    SELECT n2.nspname, c.relname INTO parent_schema, parent_name
      FROM pg_class c JOIN pg_namespace n2 ON n2.oid = c.relnamespace WHERE c.oid = parent;
    part_name := parent_name || '_' || to_char(m, 'YYYYMM');

    -- One run of a month at a time; runs of different months may overlap.
    PERFORM pg_advisory_xact_lock(hashtext('custvalue.run_month'), (extract(year FROM m) * 12 + extract(month FROM m))::int);

    -- 1. inputs: every source read once.
    SELECT max(r.month) INTO prev_month FROM @extschema@.month_run r WHERE r.month < m;
    stage_started := @extschema@.run_month_stage_begin(m, 'inputs', run_started, stages);
    -- No ANALYZE of the inputs: the stages after read them whole, each
    -- with one plan (a scan), whatever their statistics.
    n := @extschema@.run_month_inputs(m, prev_month);
    stages := @extschema@.run_month_stage_end(m, 'inputs', n, stage_started, stages);

    -- 2. population: the CVF scale and the value-class thresholds (and
    -- whether the month has bills at all, in the same pass).
    stage_started := @extschema@.run_month_stage_begin(m, 'population', run_started, stages);
    SELECT t.scale, t.customers, t.billed, (t.th).a_min_revenue, (t.th).b_min_revenue, (t.th).core_min_revenue
      INTO scale, population, billed, a_min, b_min, core_min
      FROM (SELECT @extschema@.cvf_scale(@extschema@.to_float8(i.revenue), i.tenure_months, i.credit_risk, i.tariff_share, i.bundles) AS scale,
                   count(*) AS customers,
                   count(*) FILTER (WHERE i.billed) AS billed,
                   @extschema@.value_class_thresholds(i.revenue, a_share, b_share, core_share) AS th
              FROM pg_temp.cv_month_inputs i) t;
    IF billed = 0 THEN
        RAISE EXCEPTION 'run_month: no customer has a bill for %', to_char(m, 'YYYY-MM')
            USING ERRCODE = 'no_data_found',
                  DETAIL = 'A month is reviewed once its bills are loaded (custvalue.monthly_bill).';
    END IF;
    stages := @extschema@.run_month_stage_end(m, 'population', population, stage_started, stages);

    -- 3. scores: the month's history, built in a table of its own.
    stage_started := @extschema@.run_month_stage_begin(m, 'scores', run_started, stages);
    SELECT s.model INTO model FROM @extschema@.churn_model_store s WHERE s.name = 'watchlist';
    -- The tier policy as arrays indexed by rank + 1 (c = 1 ... diamond = 6):
    -- a subscript per customer instead of a join, and tier names without a
    -- text conversion per row.
    SELECT array_agg((extract(month FROM m)::int - 1) % r.review_every_months = 0 ORDER BY g.rank),
           array_agg(r.downgrade_after_reviews ORDER BY g.rank),
           array_agg(e.suspension_warning_by ORDER BY g.rank),
           array_agg(@extschema@.tier_from_rank(g.rank)::text ORDER BY g.rank)
      INTO review_due, review_grace, owner_by_rank, tier_names
      FROM generate_series(0, 5) AS g(rank)
      LEFT JOIN @extschema@.tier_review r ON @extschema@.tier_rank(r.tier) = g.rank
      LEFT JOIN @extschema@.tier_entitlements e ON @extschema@.tier_rank(e.tier) = g.rank;
    EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK (month = %L))',
                   parent_schema, part_name || '_new', parent, m);
    staging := format('%I.%I', parent_schema, part_name || '_new')::regclass;
    EXECUTE format($ins$
    WITH scored AS (
        SELECT i.*,
               @extschema@.tier_rank(@extschema@.tier_of(i.revenue, i.monthly_arpu, i.vip_card)) AS earned_rank,
               ($12)[i.prev_rank + 1] AS due,
               ($13)[i.prev_rank + 1] AS grace,
               @extschema@.cvf_score($2, @extschema@.to_float8(i.revenue), i.tenure_months, i.credit_risk, i.tariff_share, i.bundles) AS s,
               @extschema@.churn_warning(i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps,
                                         i.satisfaction_drop, i.dissatisfied_30d, i.bundle_days_left, i.arrears,
                                         i.suspended, i.cancellations_30d) AS w,
               @extschema@.churn_probability($3, @extschema@.churn_features(
                   i.arpu_drop, i.usage_drop, i.complaints_30d, i.tenure_months, i.nps, i.satisfaction_drop,
                   i.dissatisfied_30d, i.bundle_days_left, i.arrears, i.suspended, i.cancellations_30d)) AS p
          FROM pg_temp.cv_month_inputs i
        OFFSET 0    -- evaluate s, w and p once per row, not once per reference
    ), reviewed AS (
        SELECT sc.*,
               CASE WHEN sc.prev_rank IS NULL OR sc.earned_rank >= sc.prev_rank THEN sc.earned_rank
                    WHEN NOT sc.due THEN sc.prev_rank
                    WHEN sc.prev_below + 1 >= sc.grace THEN sc.earned_rank
                    ELSE sc.prev_rank END AS held_rank,
               CASE WHEN sc.prev_rank IS NULL OR sc.earned_rank >= sc.prev_rank THEN 0
                    WHEN NOT sc.due THEN sc.prev_below
                    WHEN sc.prev_below + 1 >= sc.grace THEN 0
                    ELSE sc.prev_below + 1 END AS below
          FROM scored sc
    )
    INSERT INTO %s (month, customer_id, status, region, brand, vip_card, tenure_months,
                    annual_spend, monthly_arpu, earned_tier, tier, previous_tier, reviews_below,
                    revenue_score, tenure_score, credit_score, tariff_score, bundle_score, cvf,
                    value_class, core_customer, net_value, monthly_margin, clv,
                    warning_level, warning_score, signals, churn_probability, lifecycle,
                    owner_channel, owner)
    SELECT $1, r.customer_id, r.status, r.region, r.brand, r.vip_card, r.tenure_months,
           r.revenue, r.monthly_arpu,
           ($14)[r.earned_rank + 1], ($14)[r.held_rank + 1],
           r.previous_tier, r.below,
           @extschema@.round2((r.s).revenue_score), @extschema@.round2((r.s).tenure_score),
           @extschema@.round2((r.s).credit_score), @extschema@.round2((r.s).tariff_score),
           @extschema@.round2((r.s).bundle_score), @extschema@.round2((r.s).cvf),
           CASE WHEN r.revenue >= $4 THEN 'A' WHEN r.revenue >= $5 THEN 'B' ELSE 'C' END,
           coalesce(r.revenue >= $6, false),
           r.net_value, r.monthly_margin,
           @extschema@.round2(@extschema@.clv(@extschema@.to_float8(r.monthly_margin), $7, $8, $9)),
           (r.w).level::text, (r.w).score, (r.w).signals, r.p,
           CASE WHEN (r.w).level OPERATOR(pg_catalog.>=) 'orange'::@extschema@.warning_level OR r.p >= $10
                THEN 'about_to_churn'
                WHEN r.tenure_months < $11 THEN 'new'
                ELSE 'active' END,
           ($15)[r.held_rank + 1],
           CASE ($15)[r.held_rank + 1] WHEN 'account_manager' THEN r.account_manager
                                       WHEN 'phone_manager' THEN r.phone_manager END
      FROM reviewed r
    $ins$, staging)
    USING m, scale, model, a_min, b_min, core_min,
          @extschema@.setting('clv_monthly_retention')::float8,
          @extschema@.setting('clv_monthly_discount_rate')::float8,
          @extschema@.setting('clv_horizon_months')::float8,
          @extschema@.setting('churn_alert_probability')::float8,
          @extschema@.setting('lifecycle_new_months')::int,
          review_due, review_grace, tier_names, owner_by_rank;
    GET DIAGNOSTICS n = ROW_COUNT;
    stages := @extschema@.run_month_stage_end(m, 'scores', n, stage_started, stages);

    -- 4. publish: the new table becomes the month's partition.
    stage_started := @extschema@.run_month_stage_begin(m, 'publish', run_started, stages);
    old_part := @extschema@.month_partition(parent, m);
    IF old_part IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, old_part);
        EXECUTE format('DROP TABLE %s', old_part);
    END IF;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', staging, part_name);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                   parent, staging, m, (m + interval '1 month')::date);
    -- Statistics now for what the BI views filter, group and join on; the
    -- numeric and jsonb columns (two thirds of the time of a full ANALYZE)
    -- are left to autovacuum, which analyses the new partition soon after.
    EXECUTE format('ANALYZE %s (month, customer_id, status, region, brand, earned_tier, tier, previous_tier, '
                   'value_class, core_customer, warning_level, lifecycle, owner_channel, owner)', staging);
    -- On Citus the attached partition is distributed with its parent, its
    -- rows copied into the shards: the coordinator's local copy goes.
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT pg_catalog.truncate_local_data_after_distributing_table(p.logicalrelid)
                   FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = $1'
          USING staging;
    END IF;
    -- Only customers who may be called get a call task
    -- (custvalue.contact_allowed): the purpose's default, except for those
    -- whose latest statement says otherwise.  Fetched first, because on
    -- Citus a function that reads a distributed table cannot run inside
    -- the shards' query.
    IF open_call_tasks THEN
        SELECT p.default_granted INTO consent_default
          FROM @extschema@.contact_purpose p WHERE p.purpose = 'marketing_contact';
        consent_default := coalesce(consent_default, false);
        consent_exceptions := ARRAY(SELECT c.customer_id FROM @extschema@.contact_consent_current c
                                     WHERE c.purpose = 'marketing_contact' AND c.granted <> consent_default);
    END IF;
    -- The month's counts, and the customers due a call task, in one scan
    -- of the new partition.
    SELECT count(*) FILTER (WHERE h.warning_level IN ('orange', 'red')),
           count(*) FILTER (WHERE h.previous_tier IS DISTINCT FROM h.tier AND h.previous_tier IS NOT NULL),
           coalesce(array_agg(h.customer_id) FILTER (
               WHERE open_call_tasks
                 AND h.warning_level IN ('orange', 'red')
                 AND @extschema@.tier_rank(h.tier::@extschema@.tier) >= @extschema@.tier_rank('b')
                 AND h.owner_channel IS NOT NULL
                 AND (h.customer_id = ANY (consent_exceptions)) <> consent_default), '{}')
      INTO warned, changes, due_customers
      FROM @extschema@.customer_month h WHERE h.month = m;
    stages := @extschema@.run_month_stage_end(m, 'publish', n, stage_started, stages);

    -- 5. call tasks: one retention call per warned customer of tier b and
    -- above, to the owning manager, with the work order's SLA clock.
    stage_started := @extschema@.run_month_stage_begin(m, 'call_tasks', run_started, stages);
    IF open_call_tasks THEN
        -- work_order and call_task by source_target(): the tables
        -- themselves where it can, so that this also runs on Citus
        EXECUTE pg_catalog.format($tasks$
        WITH due AS (
            SELECT h.customer_id, h.tier, h.warning_level, h.owner_channel, h.owner, h.signals
              FROM @extschema@.customer_month h
             WHERE h.month = $1
               AND h.customer_id = ANY ($2)
               AND NOT EXISTS (SELECT FROM @extschema@.call_task t
                                WHERE t.month = $1 AND t.customer_id = h.customer_id)
             ORDER BY h.customer_id
        ), opened AS (
            INSERT INTO %s (customer_id, tier, service_item, channel, kind, severity, assignee, summary)
            SELECT d.customer_id, d.tier::@extschema@.tier, 'retention_call', d.owner_channel, 'request',
                   CASE d.warning_level WHEN 'red' THEN 'major' ELSE 'ordinary' END,
                   d.owner,
                   format('Churn warning %%s for %%s: %%s', d.warning_level, to_char($1, 'YYYY-MM'),
                          (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(d.signals) AS k))
              FROM due d
            RETURNING work_order_id, customer_id
        )
        INSERT INTO %s (month, customer_id, work_order_id, warning_level)
        SELECT $1, o.customer_id, o.work_order_id, d.warning_level
          FROM opened o JOIN due d USING (customer_id)
        $tasks$, @extschema@.source_target('work_order'), @extschema@.source_target('call_task'))
        USING m, due_customers;
        GET DIAGNOSTICS tasks = ROW_COUNT;
    END IF;
    stages := @extschema@.run_month_stage_end(m, 'call_tasks', tasks, stage_started, stages);

    EXECUTE pg_catalog.format($month_run$
    INSERT INTO %s AS r (month, started_at, finished_at, run_by, customers, warned,
                         tier_changes, call_tasks_opened, stages)
    VALUES ($1, $2, clock_timestamp(), current_user, $3, $4, $5, $6, $7)
    ON CONFLICT (month) DO UPDATE
        SET started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
            run_by = EXCLUDED.run_by, customers = EXCLUDED.customers, warned = EXCLUDED.warned,
            tier_changes = EXCLUDED.tier_changes, call_tasks_opened = EXCLUDED.call_tasks_opened,
            stages = EXCLUDED.stages
    $month_run$, @extschema@.source_target('month_run'))
    USING m, run_started, n, warned, changes, tasks, stages;
    DROP TABLE pg_temp.cv_month_inputs;
    PERFORM @extschema@.report_progress(NULL);
END;
$run$;
COMMENT ON PROCEDURE @extschema@.run_month(date, boolean) IS
'The monthly cycle for the month of month: reviews every customer''s tier (custvalue.tier_review), scores CVF and churn warnings as of that month, and stores one row per customer in custvalue.customer_month (the month''s partition, replaced whole on a rerun), a row in custvalue.month_run, and, unless open_call_tasks is false, a retention-call work order for each orange or red tier-b-and-above customer not yet called this month who consents to marketing contact (custvalue.call_task, custvalue.contact_allowed).  Reads each source once; one transaction: cancelled or failed, it leaves the month as it was.  Each stage is reported as a NOTICE and in custvalue.month_run_progress.  Run months in order: a month''s previous_tier is the tier held at the latest earlier run.';

-- No SET search_path: a procedure with a SET clause cannot COMMIT.  The
-- body names everything with its schema, and run_month pins its own.
CREATE PROCEDURE @extschema@.run_months(first_month date, last_month date, open_call_tasks boolean DEFAULT true)
    LANGUAGE plpgsql
AS $$
DECLARE
    m pg_catalog.date;
BEGIN
    IF first_month IS NULL OR last_month IS NULL OR open_call_tasks IS NULL THEN
        RAISE EXCEPTION 'run_months needs a first month, a last month and open_call_tasks, not NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    m := pg_catalog.date_trunc('month', first_month)::pg_catalog.date;
    WHILE m OPERATOR(pg_catalog.<=) last_month LOOP
        CALL @extschema@.run_month(m, open_call_tasks);
        COMMIT;
        m := (m OPERATOR(pg_catalog.+) '1 month'::pg_catalog.interval)::pg_catalog.date;
    END LOOP;
END;
$$;
COMMENT ON PROCEDURE @extschema@.run_months(date, date, boolean) IS
'custvalue.run_month() for every month from first_month to last_month in order, committing after each (so each month is complete or absent; cannot run inside a transaction block): to build or rebuild a stretch of history.';

-- ---------------------------------------------------------------- views
CREATE VIEW @extschema@.month_run_progress WITH (security_invoker = true) AS
SELECT a.pid, (r.j ->> 'month')::date AS month, 'running'::text AS state,
       r.j ->> 'stage' AS stage, (r.j ->> 'step')::int AS step, (r.j ->> 'steps')::int AS steps,
       round(extract(epoch FROM clock_timestamp() - (r.j ->> 'stage_started')::timestamptz)::numeric, 1)
           AS stage_seconds,
       round(extract(epoch FROM clock_timestamp() - (r.j ->> 'started')::timestamptz)::numeric, 1)
           AS run_seconds,
       r.j -> 'done' AS stages_done
  FROM pg_catalog.pg_stat_activity a
 CROSS JOIN LATERAL (SELECT substr(a.query, length('custvalue.run_month: ') + 1)::jsonb AS j) r
 WHERE a.query LIKE 'custvalue.run_month: {%}' AND a.state = 'active'
UNION ALL
SELECT NULL, h.month, 'complete', NULL, NULL, NULL, NULL,
       round(extract(epoch FROM h.finished_at - h.started_at)::numeric, 1),
       h.stages
  FROM @extschema@.month_run h;
COMMENT ON VIEW @extschema@.month_run_progress IS
'Runs of custvalue.run_month(): those running now in any session (state running: stage, step of steps, seconds in the stage and in the run, finished stages with rows and seconds; read from pg_stat_activity, so another session sees them while the run''s transaction is open, given the usual right to see that session''s query) and those complete (custvalue.month_run).';

CREATE VIEW @extschema@.customer_month_latest WITH (security_invoker = true) AS
SELECT h.*
  FROM @extschema@.customer_month h
 WHERE h.month = (SELECT max(r.month) FROM @extschema@.month_run r);
COMMENT ON VIEW @extschema@.customer_month_latest IS
'The latest month of custvalue.customer_month: the stored scorecard, warning and tier of every customer, for BI tools (one partition read, no recomputation).';

CREATE VIEW @extschema@.tier_change WITH (security_invoker = true) AS
WITH items AS (
    SELECT e.tier, e.service_item, to_jsonb(e) - 'tier' - 'seed_text' AS terms
      FROM @extschema@.entitlement e
), diff AS (
    SELECT f.t AS from_tier, t.t AS to_tier,
           ARRAY(SELECT n.service_item FROM items n
                   LEFT JOIN items o ON o.tier = f.t AND o.service_item = n.service_item
                  WHERE n.tier = t.t AND o.service_item IS NULL
                  ORDER BY n.service_item) AS gained,
           ARRAY(SELECT o.service_item FROM items o
                   LEFT JOIN items n ON n.tier = t.t AND n.service_item = o.service_item
                  WHERE o.tier = f.t AND n.service_item IS NULL
                  ORDER BY o.service_item) AS lost,
           ARRAY(SELECT n.service_item FROM items n
                   JOIN items o ON o.tier = f.t AND o.service_item = n.service_item
                  WHERE n.tier = t.t AND n.terms <> o.terms
                  ORDER BY n.service_item) AS changed
      FROM @extschema@.tiers() AS f(t), @extschema@.tiers() AS t(t)
     WHERE f.t <> t.t
)
SELECT h.month, h.customer_id, h.previous_tier AS from_tier, h.tier AS to_tier,
       CASE WHEN @extschema@.tier_rank(h.tier::@extschema@.tier)
                 > @extschema@.tier_rank(h.previous_tier::@extschema@.tier)
            THEN 'upgrade' ELSE 'downgrade' END AS direction,
       d.gained AS entitlements_gained, d.lost AS entitlements_lost, d.changed AS entitlements_changed
  FROM @extschema@.customer_month h
  JOIN diff d ON d.from_tier = h.previous_tier::@extschema@.tier
             AND d.to_tier = h.tier::@extschema@.tier
 WHERE h.previous_tier IS DISTINCT FROM h.tier AND h.previous_tier IS NOT NULL;
COMMENT ON VIEW @extschema@.tier_change IS
'Tier changes as events, from the stored history: month, customer, from_tier and to_tier (tiers held at the previous and this run), upgrade or downgrade, and the service items of custvalue.entitlement gained, lost, and kept with different terms (quantity, amount, channel, ...).';

CREATE VIEW @extschema@.tier_migration WITH (security_invoker = true) AS
WITH runs AS (
    SELECT r.month, lag(r.month) OVER (ORDER BY r.month) AS previous_month
      FROM @extschema@.month_run r
), moves AS (
    SELECT h.month, h.previous_tier AS from_tier, h.tier AS to_tier
      FROM @extschema@.customer_month h
    UNION ALL
    -- who was in the book last run and is not now (churned)
    SELECT runs.month, p.tier, NULL
      FROM runs
      JOIN @extschema@.customer_month p ON p.month = runs.previous_month
     WHERE NOT EXISTS (SELECT FROM @extschema@.customer_month h
                        WHERE h.month = runs.month AND h.customer_id = p.customer_id)
), counted AS (
    SELECT mv.month, mv.from_tier, mv.to_tier, count(*) AS customers
      FROM moves mv
     GROUP BY mv.month, mv.from_tier, mv.to_tier
)
SELECT c.month, c.from_tier, c.to_tier, c.customers,
       round(c.customers::numeric / sum(c.customers) OVER (PARTITION BY c.month, c.from_tier), 4)
           AS share_of_from
  FROM counted c
 ORDER BY c.month,
          @extschema@.tier_rank(c.from_tier::@extschema@.tier) DESC NULLS FIRST,
          @extschema@.tier_rank(c.to_tier::@extschema@.tier) DESC NULLS LAST;
COMMENT ON VIEW @extschema@.tier_migration IS
'Month-to-month tier migration matrix in long form: per month, customers moving from_tier (held at the previous run; NULL = new in the history) to to_tier (held now; NULL = no longer in the book: churned), and their share of the from_tier row.';

CREATE VIEW @extschema@.tier_month_summary WITH (security_invoker = true) AS
SELECT h.month, h.tier, count(*) AS customers,
       sum(h.annual_spend) AS annual_spend,
       round(avg(h.monthly_arpu), 2) AS mean_arpu,
       round(avg(h.cvf), 2) AS mean_cvf,
       count(*) FILTER (WHERE h.previous_tier IS NOT NULL
                          AND @extschema@.tier_rank(h.previous_tier::@extschema@.tier)
                              < @extschema@.tier_rank(h.tier::@extschema@.tier)) AS upgraded_in,
       count(*) FILTER (WHERE h.previous_tier IS NOT NULL
                          AND @extschema@.tier_rank(h.previous_tier::@extschema@.tier)
                              > @extschema@.tier_rank(h.tier::@extschema@.tier)) AS downgraded_in,
       count(*) FILTER (WHERE h.earned_tier <> h.tier) AS held_by_review,
       count(*) FILTER (WHERE h.warning_level IN ('orange', 'red')) AS warned,
       round(avg(h.churn_probability)::numeric, 4) AS mean_churn_probability
  FROM @extschema@.customer_month h
 GROUP BY h.month, h.tier
 ORDER BY h.month, @extschema@.tier_rank(h.tier::@extschema@.tier) DESC;
COMMENT ON VIEW @extschema@.tier_month_summary IS
'Per stored month and tier held: customers, annual spend, mean ARPU and CVF, customers who came up or down into the tier this month, customers held above their earned tier by the review rules, orange/red warnings and mean churn probability.';

CREATE VIEW @extschema@.watchlist_month WITH (security_invoker = true) AS
SELECT h.month, h.customer_id, h.region, h.tier, h.lifecycle, h.warning_level, h.warning_score, h.signals,
       round(h.churn_probability::numeric, 4) AS churn_probability,
       h.annual_spend,
       round(h.annual_spend * h.churn_probability::numeric, 2) AS spend_at_risk,
       h.owner_channel, h.owner,
       t.work_order_id, w.state AS work_order_state, w.respond_by, w.responded_at
  FROM @extschema@.customer_month h
  LEFT JOIN @extschema@.call_task t ON t.month = h.month AND t.customer_id = h.customer_id
  LEFT JOIN @extschema@.work_order w ON w.work_order_id = t.work_order_id
 WHERE h.warning_level IN ('orange', 'red')
   AND @extschema@.tier_rank(h.tier::@extschema@.tier) >= @extschema@.tier_rank('b');
COMMENT ON VIEW @extschema@.watchlist_month IS
'The stored watchlist of every month: customers of tier b and above with an orange or red warning at that run, with their churn probability, spend at risk (annual spend x probability), owner, and the call task''s work order and its state and response clock.  The live custvalue.churn_watchlist recomputes everything for the current data; this reads the history.';

CREATE VIEW @extschema@.warning_backtest WITH (security_invoker = true) AS
WITH data AS (
    SELECT @extschema@.as_of_month() AS data_month
), outcome AS (
    SELECT h.month, h.warning_level,
           c.churned_on > (h.month + interval '1 month' - interval '1 day')::date
             AND c.churned_on <= (h.month + interval '2 months' - interval '1 day')::date AS churned_1m,
           c.churned_on > (h.month + interval '1 month' - interval '1 day')::date
             AND c.churned_on <= (h.month + interval '4 months' - interval '1 day')::date AS churned_3m
      FROM @extschema@.customer_month h
      JOIN @extschema@.customer c ON c.customer_id = h.customer_id
), per_level AS (
    SELECT o.month, o.warning_level,
           count(*) AS customers,
           count(*) FILTER (WHERE o.churned_1m) AS churned_1m,
           count(*) FILTER (WHERE o.churned_3m) AS churned_3m
      FROM outcome o
     GROUP BY o.month, o.warning_level
), levels AS (
    SELECT l.level::text AS level, l.ord
      FROM unnest(ARRAY['yellow', 'orange', 'red']) WITH ORDINALITY AS l(level, ord)
), cut AS (
    SELECT p.month, l.level,
           sum(p.customers) FILTER (WHERE lv.ord >= l.ord) AS warned,
           sum(p.customers) FILTER (WHERE lv.ord IS NULL OR lv.ord < l.ord) AS not_warned,
           sum(p.churned_1m) FILTER (WHERE lv.ord >= l.ord) AS warned_churned_1m,
           sum(p.churned_1m) FILTER (WHERE lv.ord IS NULL OR lv.ord < l.ord) AS not_warned_churned_1m,
           sum(p.churned_3m) FILTER (WHERE lv.ord >= l.ord) AS warned_churned_3m,
           sum(p.churned_3m) FILTER (WHERE lv.ord IS NULL OR lv.ord < l.ord) AS not_warned_churned_3m,
           sum(p.customers) AS customers, sum(p.churned_1m) AS churned_1m, sum(p.churned_3m) AS churned_3m
      FROM per_level p
     CROSS JOIN levels l
      LEFT JOIN levels lv ON lv.level = p.warning_level
     GROUP BY p.month, l.level, l.ord
)
SELECT c.month, c.level,
       coalesce(c.warned, 0) AS warned, coalesce(c.not_warned, 0) AS not_warned,
       coalesce(c.warned_churned_1m, 0) AS warned_churned_1m,
       coalesce(c.not_warned_churned_1m, 0) AS not_warned_churned_1m,
       round(c.warned_churned_1m / nullif(c.warned, 0), 4) AS precision_1m,
       round(c.warned_churned_1m / nullif(c.churned_1m, 0), 4) AS recall_1m,
       round((c.warned_churned_1m / nullif(c.warned, 0)) / nullif(c.churned_1m / c.customers, 0), 2) AS lift_1m,
       coalesce(c.warned_churned_3m, 0) AS warned_churned_3m,
       coalesce(c.not_warned_churned_3m, 0) AS not_warned_churned_3m,
       round(c.warned_churned_3m / nullif(c.warned, 0), 4) AS precision_3m,
       round(c.warned_churned_3m / nullif(c.churned_3m, 0), 4) AS recall_3m,
       round((c.warned_churned_3m / nullif(c.warned, 0)) / nullif(c.churned_3m / c.customers, 0), 2) AS lift_3m,
       data.data_month >= (c.month + interval '1 month')::date AS complete_1m,
       data.data_month >= (c.month + interval '3 months')::date AS complete_3m
  FROM cut c CROSS JOIN data
 ORDER BY c.month, array_position(ARRAY['yellow', 'orange', 'red'], c.level);
COMMENT ON VIEW @extschema@.warning_backtest IS
'The warnings kept in custvalue.customer_month checked against what happened (custvalue.customer.churned_on): per month and level, customers warned at that level or above against the rest, how many of each churned within the next 1 and 3 months, precision (churned among warned), recall (warned among churned) and lift (precision / churn rate of the whole book).  complete_1m / complete_3m: whether the data (custvalue.as_of_month()) reach the end of the horizon; before that the outcome is partial.';

CREATE VIEW @extschema@.call_task_outcome WITH (security_invoker = true) AS
SELECT t.month, t.warning_level,
       count(*) AS tasks,
       count(*) FILTER (WHERE w.responded_at IS NOT NULL) AS responded,
       count(*) FILTER (WHERE w.responded_at <= w.respond_by) AS responded_in_sla,
       count(*) FILTER (WHERE w.responded_at IS NULL AND w.respond_by < clock_timestamp()) AS overdue,
       count(*) FILTER (WHERE c.churned_on > (t.month + interval '1 month' - interval '1 day')::date
                          AND c.churned_on <= (t.month + interval '4 months' - interval '1 day')::date)
           AS churned_3m,
       count(*) FILTER (WHERE c.churned_on IS NULL) AS still_active
  FROM @extschema@.call_task t
  LEFT JOIN @extschema@.work_order w ON w.work_order_id = t.work_order_id
  LEFT JOIN @extschema@.customer c ON c.customer_id = t.customer_id
 GROUP BY t.month, t.warning_level
 ORDER BY t.month, t.warning_level DESC;
COMMENT ON VIEW @extschema@.call_task_outcome IS
'Per month and warning level, the call tasks of the monthly cycle: how many, answered, answered within the work order''s SLA (respond_by, 24 h for a request), overdue now, and the customers'' outcome (churned within 3 months of the month, still active).';

CREATE VIEW @extschema@.satisfaction_by_held_tier_month WITH (security_invoker = true) AS
SELECT a.survey, h.tier, a.month,
       count(*) AS answers,
       count(*) FILTER (WHERE a.satisfied) AS satisfied,
       round(100.0 * count(*) FILTER (WHERE a.satisfied) / count(*), 2) AS satisfied_pct
  FROM (SELECT r.customer_id, r.satisfied,
               CASE WHEN r.event_id IS NULL THEN 'sample' ELSE 'post_service' END AS survey,
               date_trunc('month', r.answered_at)::date AS month
          FROM @extschema@.survey_response r
         WHERE r.satisfied IS NOT NULL) a
  JOIN @extschema@.customer_month h ON h.customer_id = a.customer_id AND h.month = a.month
 GROUP BY a.survey, h.tier, a.month
 ORDER BY a.survey, a.month, @extschema@.tier_rank(h.tier::@extschema@.tier) DESC;
COMMENT ON VIEW @extschema@.satisfaction_by_held_tier_month IS
'Satisfaction per survey, month and the tier the customer held that month (custvalue.customer_month), the month-by-month series per tier of the seed''s service reports; custvalue.satisfaction_by_tier_month groups by the current tier instead.';
