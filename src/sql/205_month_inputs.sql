-- What the monthly cycle (custvalue.run_month) computes per customer from
-- the bills, and two small exact helpers of its scoring, in C: each replaces
-- SQL that cost more per customer than the scan that feeds it
-- (docs/performance.md, "The monthly cycle").

CREATE TYPE @extschema@.month_bill_figures AS (
    revenue         numeric,
    monthly_arpu    numeric,
    credit_risk     float8,
    tariff_share    float8,
    net_value       numeric,
    monthly_margin  numeric,
    billed          boolean,
    arpu_drop       float8,
    usage_drop      float8,
    arrears         numeric
);
COMMENT ON TYPE @extschema@.month_bill_figures IS
'Result of custvalue.month_bill_inputs(): over the spend window, revenue (yuan), monthly ARPU over the ARPU window (rounded to fen), months at risk / months billed, the data and value-added share of the fees, the margin over all months (NULL unless every month''s cost is known) and per costed month (rounded to fen); whether the month has a bill; the month''s fee, and the larger of its minutes and megabytes, against their baseline averages (1 - now / baseline, rounded to 4 decimals, NULL without a baseline or with a zero one); the month''s arrears.';

CREATE FUNCTION @extschema@.month_bills_accum(bytea, date, numeric, numeric, numeric, boolean, numeric,
                                              numeric, integer, integer, date, date, date, date)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.month_bills_accum(bytea, date, numeric, numeric, numeric, boolean, numeric,
                                                  numeric, integer, integer, date, date, date, date) IS
'Transition function of custvalue.month_bill_inputs().';
CREATE FUNCTION @extschema@.month_bills_combine(bytea, bytea)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.month_bills_combine(bytea, bytea) IS
'Combine function of custvalue.month_bill_inputs(): adds counts and sums, keeps the larger of the month''s own figures.';
CREATE FUNCTION @extschema@.month_bills_final(bytea)
    RETURNS @extschema@.month_bill_figures AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.month_bills_final(bytea) IS
'Final function of custvalue.month_bill_inputs().';

CREATE AGGREGATE @extschema@.month_bill_inputs(month date, total_fee numeric, data_fee numeric, vas_fee numeric,
        paid_late boolean, arrears numeric, cost_to_serve numeric, voice_minutes integer, data_mb integer,
        as_of date, spend_from date, arpu_from date, base_from date) (
    SFUNC = @extschema@.month_bills_accum,
    STYPE = bytea,
    SSPACE = 184,
    FINALFUNC = @extschema@.month_bills_final,
    COMBINEFUNC = @extschema@.month_bills_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.month_bill_inputs(date, numeric, numeric, numeric, boolean, numeric, numeric,
                                                   integer, integer, date, date, date, date) IS
'A customer''s bills reduced to what custvalue.run_month() needs as of the month as_of (custvalue.month_bill_figures), in one pass with exact integer-fen sums: the CVF inputs over the spend window [spend_from, as_of] as custvalue.bill_value_summary() and custvalue.customer_value_inputs give them (months on or after arpu_from make the ARPU window), and the churn inputs of the month against the baseline months [base_from, as_of) as custvalue.churn_inputs_at() gives them.  Bills outside these windows or without a month are ignored; negative or non-finite money is an error (22023).';

CREATE TYPE @extschema@.month_survey_figures AS (
    nps                integer,
    satisfaction_drop  float8,
    dissatisfied       integer
);
COMMENT ON TYPE @extschema@.month_survey_figures IS
'Result of custvalue.month_survey_inputs(): the latest NPS answer since nps_from; the mean of the earlier CSAT answers minus the latest one, rounded to 4 decimals (NULL with fewer than two); the dissatisfied answers since recent_from.';

CREATE FUNCTION @extschema@.month_surveys_accum(bytea, timestamptz, bigint, smallint, smallint, boolean,
                                                timestamptz, timestamptz)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.month_surveys_accum(bytea, timestamptz, bigint, smallint, smallint, boolean,
                                                    timestamptz, timestamptz) IS
'Transition function of custvalue.month_survey_inputs().';
CREATE FUNCTION @extschema@.month_surveys_combine(bytea, bytea)
    RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.month_surveys_combine(bytea, bytea) IS
'Combine function of custvalue.month_survey_inputs(): keeps the later of the latest answers, adds counts and sums.';
CREATE FUNCTION @extschema@.month_surveys_final(bytea)
    RETURNS @extschema@.month_survey_figures AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.month_surveys_final(bytea) IS
'Final function of custvalue.month_survey_inputs().';

CREATE AGGREGATE @extschema@.month_survey_inputs(answered_at timestamptz, response_id bigint, csat smallint,
        nps smallint, satisfied boolean, nps_from timestamptz, recent_from timestamptz) (
    SFUNC = @extschema@.month_surveys_accum,
    STYPE = bytea,
    SSPACE = 112,
    FINALFUNC = @extschema@.month_surveys_final,
    COMBINEFUNC = @extschema@.month_surveys_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.month_survey_inputs(timestamptz, bigint, smallint, smallint, boolean,
                                                     timestamptz, timestamptz) IS
'A customer''s survey answers (the caller''s WHERE clause makes the window, a year in the churn inputs) reduced to their churn inputs (custvalue.month_survey_figures), as custvalue.run_month() and custvalue.churn_inputs_at() use them: the NPS of the latest answer since nps_from that has one, the CSAT drop (earlier answers'' mean minus the latest), and the answers since recent_from marked not satisfied.  "Latest" is by answered_at, then response_id (a NULL id counts as the latest at its time), as ORDER BY answered_at DESC, response_id DESC.  Answers without answered_at are ignored.';

CREATE FUNCTION @extschema@.tenure_months(joined_on date, as_of date) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tenure_months(date, date) IS
'Whole months from joined_on to as_of (a month counts once its day of the month is reached; negative if joined_on is later): extract(year FROM age(as_of, joined_on)) * 12 + extract(month FROM age(as_of, joined_on)), computed on the dates, in any time zone.  Infinite dates are an error (22008).';

CREATE FUNCTION @extschema@.round2(value float8) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.round2(float8) IS
'round(value::numeric, 2), the same numeric, computed directly from the double where that is exact (|value| < 1e6 and not next to a rounding tie) and through numeric otherwise.';

CREATE TYPE @extschema@.value_class_thresholds AS (
    a_min_revenue     numeric,
    b_min_revenue     numeric,
    core_min_revenue  numeric
);
COMMENT ON TYPE @extschema@.value_class_thresholds IS
'Result of custvalue.value_class_thresholds(): the least revenue in value class A, in class B, and among core customers (NULL when the class is empty).';
CREATE FUNCTION @extschema@.value_thresholds_accum(internal, numeric, numeric, numeric, numeric)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_thresholds_accum(internal, numeric, numeric, numeric, numeric) IS
'Transition function of custvalue.value_class_thresholds().';
CREATE FUNCTION @extschema@.value_thresholds_final(internal)
    RETURNS @extschema@.value_class_thresholds AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_thresholds_final(internal) IS
'Final function of custvalue.value_class_thresholds().';
CREATE AGGREGATE @extschema@.value_class_thresholds(revenue numeric, a_share numeric, b_share numeric,
                                                    core_share numeric) (
    SFUNC = @extschema@.value_thresholds_accum,
    STYPE = internal,
    FINALFUNC = @extschema@.value_thresholds_final,
    FINALFUNC_MODIFY = READ_WRITE,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.value_class_thresholds(numeric, numeric, numeric, numeric) IS
'The revenue thresholds of the value classes over the customers aggregated (custvalue.value_class_thresholds type): by descending revenue, class A is the customers before whom less than a_share of the total revenue has been reached (the one who crosses the line is in), class B the same with b_share, core customers the first ceil(core_share x customers); each threshold is the least revenue in its class, as custvalue.value_population_live computes them.  Sorts the revenues within work_mem (spilling beyond it); no partial aggregation, since a threshold needs the global order.  Rows without revenue are skipped; negative revenue is an error (22023).';

CREATE FUNCTION @extschema@.to_float8(value numeric) RETURNS float8
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_float8(numeric) IS
'value::float8, the same double, computed as fen / 100.0 for an amount of at most two decimals (the cast prints the numeric and parses the text) and by the cast otherwise.';
