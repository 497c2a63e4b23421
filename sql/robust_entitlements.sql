-- Bad input to the entitlement, upgrade-plan and demo-generator families
-- (overdraft_allowed, upgrade_prestore, demo_* set-returning functions,
-- generate_demo): every case shows its value or 'SQLSTATE: message'.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/data_model.sql
\i sql/include/try.sql

SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT overdraft_allowed('gold', 0, 0)$$,
    $$SELECT overdraft_allowed('gold', -1, 10)$$,
    $$SELECT overdraft_allowed('gold', 0, -10)$$,
    $$SELECT overdraft_allowed('gold', 'NaN', 10)$$,
    $$SELECT overdraft_allowed('gold', 0, 'Infinity')$$,
    $$SELECT overdraft_allowed('gold', 0, 1e100)$$,
    $$SELECT overdraft_allowed('c', 0, 10)$$,
    $$SELECT overdraft_allowed(NULL, 0, 10)$$,
    $$SELECT overdraft_allowed('gold', NULL, 10)$$,
    $$SELECT overdraft_allowed('diamond', 1e-10, 1e-10)$$,
    $$SELECT upgrade_prestore('gold', -1)$$,
    $$SELECT upgrade_prestore('gold', 0)$$,
    $$SELECT upgrade_prestore('gold', 2147483647)$$,
    $$SELECT upgrade_prestore('c', 24)$$,
    $$SELECT upgrade_prestore(NULL, 24)$$]) AS q;

-- The demo generator: bad sizes and ranges never write anything.
SELECT q, pg_temp.try(q) AS outcome FROM unnest(ARRAY[
    $$SELECT count(*) FROM demo_customers(1, -1, 1, 10)$$,
    $$SELECT count(*) FROM demo_customers(1, 0, 1, 0)$$,
    $$SELECT count(*) FROM demo_customers(1, 10, 5, 1)$$,
    $$SELECT count(*) FROM demo_customers(1, 10, -5, 3)$$,
    $$SELECT count(*) FROM demo_customers(1, 10, 1, 100)$$,
    $$SELECT count(*) FROM demo_customers(-9223372036854775808, 10, 1, 10)$$,
    $$SELECT count(*) FROM demo_customers(1, 9223372036854775807, 9223372036854775806, 9223372036854775807)$$,
    $$SELECT count(*) FROM demo_bills(1, 10, 1, 10)$$,
    $$SELECT count(*) FROM demo_bills(1, 10, 11, 10)$$,
    $$SELECT generate_demo(-1, 1)$$,
    $$SELECT generate_demo(0, 1)$$,
    $$SELECT generate_demo(NULL, 1)$$,
    $$SELECT generate_demo(1e12::bigint, 1)$$]) AS q;
SELECT count(*) AS customers_left_behind FROM customer;
