-- Bad input to the channel and work-order family (channel_of,
-- route_work_order, work_order_deadlines, work_orders_overdue_at,
-- survey_sent, survey_answer, the work_order table's checks): every case
-- shows its value or 'SQLSTATE: message'.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/data_model.sql
\i sql/include/drop_fixture.sql
\i sql/include/try.sql

SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT channel_of('')$$,
    $$SELECT channel_of('   ')$$,
    $$SELECT channel_of(repeat('x', 10000))$$,
    $$SELECT channel_of(NULL)$$,
    $$SELECT route_work_order('', 'beyond_capability', 'a')$$,
    $$SELECT route_work_order('no_such_channel', 'beyond_capability', 'a')$$,
    $$SELECT route_work_order('10086', 'no_such_need', 'a')$$,
    $$SELECT route_work_order('10086', 'beyond_capability', NULL)$$,
    $$SELECT route_work_order(NULL, 'beyond_capability', 'a')$$,
    $$SELECT work_order_deadlines('nonsense', 'major', '2026-01-01')$$,
    $$SELECT work_order_deadlines('complaint', 'nonsense', '2026-01-01')$$,
    $$SELECT work_order_deadlines('complaint', 'major', NULL)$$,
    $$SELECT work_order_deadlines('complaint', 'major', 'infinity')$$,
    $$SELECT work_order_deadlines('complaint', 'major', '-infinity')$$,
    $$SELECT count(*) FROM work_orders_overdue_at('infinity')$$,
    $$SELECT count(*) FROM work_orders_overdue_at('-infinity')$$,
    $$SELECT count(*) FROM work_orders_overdue_at(NULL)$$,
    $$SELECT survey_sent(-1)$$,
    $$SELECT survey_sent(NULL)$$,
    $$SELECT survey_answer(-1, true)$$,
    $$SELECT survey_answer(NULL, NULL)$$]) AS q;

-- Work orders the table must refuse.
INSERT INTO customer (customer_id, phone, region, brand, joined_on)
VALUES (993001, '10099990001', 'east', 'gotone', '2020-01-01');
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$INSERT INTO work_order (customer_id, tier, service_item, channel, kind) VALUES (993001, 'a', 'hotline_priority', 'no_such_channel', 'request') RETURNING 1$$,
    $$INSERT INTO work_order (customer_id, tier, service_item, channel, kind) VALUES (993001, 'a', 'no_such_item', '10086', 'request') RETURNING 1$$,
    $$INSERT INTO work_order (customer_id, tier, service_item, channel, kind) VALUES (993001, 'a', 'hotline_priority', '10086', 'wish') RETURNING 1$$,
    $$INSERT INTO work_order (customer_id, tier, service_item, channel, kind) VALUES (-1, 'a', 'hotline_priority', '10086', 'request') RETURNING 1$$,
    $$INSERT INTO work_order (customer_id, tier, service_item, channel, kind, state) VALUES (993001, 'a', 'hotline_priority', '10086', 'request', 'resolved') RETURNING 1$$,
    $$INSERT INTO work_order (customer_id, tier, service_item, channel, kind, received_at) VALUES (993001, 'a', 'hotline_priority', '10086', 'request', 'infinity') RETURNING 1$$,
    $$INSERT INTO work_order (customer_id, tier, service_item, channel, kind, received_at) VALUES (993001, 'a', 'hotline_priority', '10086', 'request', '-infinity') RETURNING 1$$]) AS q;
SELECT pg_temp.drop_customers(993001, 993001);
