-- Privileges: no SECURITY DEFINER, pinned search paths, security_invoker
-- views, who may read and write what (custvalue_reader, custvalue_admin,
-- custvalue_pii), and that every table is dumped.  The catalog checks cover
-- every member of the extension, so they hold for objects added later too.
SET search_path = public, custvalue_data, custvalue;
\i sql/include/expect_error.sql
\i sql/include/data_model.sql

CREATE TEMP VIEW ext_member AS
SELECT d.classid, d.objid
  FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
 WHERE x.extname = 'custvalue' AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e';

-- No function runs with its owner's privileges.
SELECT p.oid::regprocedure AS security_definer
  FROM pg_proc p JOIN ext_member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
 WHERE p.prosecdef;

-- Every SQL or PL/pgSQL function pins its search_path (to schemas nobody
-- else can create in) or has a BEGIN ATOMIC body, whose names are resolved
-- when it is created.  Two exceptions, by design, both naming everything
-- with its schema: restore_merge() must see its caller's search_path, and
-- the procedure run_months() commits after each month, which a procedure
-- with a SET clause cannot do.
SELECT p.oid::regprocedure AS unpinned, l.lanname, p.proconfig
  FROM pg_proc p
  JOIN ext_member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
  JOIN pg_language l ON l.oid = p.prolang
 WHERE l.lanname NOT IN ('c', 'internal')
   AND NOT (l.lanname = 'sql' AND p.prosqlbody IS NOT NULL)
   AND NOT EXISTS (SELECT FROM unnest(p.proconfig) AS c
                    WHERE c ~ '^search_path=' AND c !~ '(public|\$user)')
 ORDER BY 1;

-- Every view runs with its caller's privileges, so row-level security on
-- the tables below it holds through it.
SELECT c.oid::regclass AS not_security_invoker
  FROM pg_class c JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
 WHERE c.relkind = 'v'
   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
   AND NOT coalesce('security_invoker=on' = ANY (c.reloptions), false);

-- Roles.
SELECT rolname, rolcanlogin, rolsuper, rolcreaterole,
       pg_has_role(rolname, 'custvalue_reader', 'MEMBER') AS is_reader
  FROM pg_roles WHERE rolname LIKE 'custvalue\_%' ORDER BY 1;

-- Who may do what, table by table, from the catalog: a row appears only
-- where a role has a privilege it should not have, or lacks one it should.
-- Checked: the extension's relations and the reference tables that
-- custvalue.create_data_model() made in custvalue_data.
CREATE TEMP VIEW checked_rel AS
SELECT m.objid AS oid FROM ext_member m WHERE m.classid = 'pg_class'::regclass
UNION
SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'custvalue_data'::regnamespace;
CREATE ROLE cv_nobody;
SELECT c.oid::regclass AS relation, r.role, r.privilege, has_table_privilege(r.role, c.oid, r.privilege) AS granted
  FROM pg_class c
  JOIN checked_rel m ON m.oid = c.oid
  CROSS JOIN (VALUES ('cv_nobody', 'SELECT', false), ('cv_nobody', 'UPDATE', false),
                     ('custvalue_reader', 'SELECT', true),
                     ('custvalue_reader', 'INSERT', false), ('custvalue_reader', 'UPDATE', false),
                     ('custvalue_reader', 'DELETE', false), ('custvalue_reader', 'TRUNCATE', false),
                     ('custvalue_pii', 'SELECT', true), ('custvalue_pii', 'UPDATE', false),
                     ('custvalue_admin', 'SELECT', true), ('custvalue_admin', 'INSERT', true),
                     ('custvalue_admin', 'UPDATE', true), ('custvalue_admin', 'DELETE', true),
                     ('custvalue_admin', 'TRUNCATE', false))
       AS r(role, privilege, expected)
 WHERE c.relkind IN ('r', 'p', 'v', 'm')
   AND (c.relkind IN ('r', 'p') OR r.privilege = 'SELECT')
   -- relations with personal numbers: next query
   AND NOT (r.role IN ('custvalue_reader', 'custvalue_admin') AND r.privilege = 'SELECT'
            AND NOT has_table_privilege('custvalue_reader', c.oid, 'SELECT'))
   AND has_table_privilege(r.role, c.oid, r.privilege) <> r.expected
   -- the audit of unmasked reads: after this query
   AND c.oid <> 'custvalue_data.pii_access'::regclass
 ORDER BY 1, 2, 3;
-- The audit of unmasked reads is append-only for everyone but its owner:
-- custvalue_pii writes it (through customer_contact) and cannot read it,
-- custvalue_admin reads it and cannot change it, custvalue_reader neither.
SELECT r.role, r.privilege, has_table_privilege(r.role, 'custvalue_data.pii_access', r.privilege) AS granted
  FROM (VALUES ('custvalue_reader', 'SELECT'), ('custvalue_reader', 'INSERT'),
               ('custvalue_pii', 'SELECT'), ('custvalue_pii', 'INSERT'), ('custvalue_pii', 'DELETE'),
               ('custvalue_admin', 'SELECT'), ('custvalue_admin', 'INSERT'),
               ('custvalue_admin', 'UPDATE'), ('custvalue_admin', 'DELETE')) AS r(role, privilege);

-- Relations that hold or show personal numbers: custvalue_reader (and so
-- custvalue_admin) may read a table's other columns, and no such view.
SELECT c.oid::regclass AS relation, c.relkind,
       (SELECT string_agg(a.attname, ', ' ORDER BY a.attnum) FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           AND has_column_privilege('custvalue_reader', c.oid, a.attnum, 'SELECT')) AS reader_columns
  FROM pg_class c JOIN checked_rel m ON m.oid = c.oid
 WHERE c.relkind IN ('r', 'p', 'v', 'm')
   AND NOT has_table_privilege('custvalue_reader', c.oid, 'SELECT')
 ORDER BY 1;

-- Columns named like personal numbers: raw (custvalue_pii only) in the
-- table and customer_contact, masked (everyone) in customer_directory.
SELECT c.oid::regclass AS relation, a.attname,
       has_column_privilege('custvalue_reader', c.oid, a.attnum, 'SELECT') AS reader,
       has_column_privilege('custvalue_admin', c.oid, a.attnum, 'SELECT') AS admin,
       has_column_privilege('custvalue_pii', c.oid, a.attnum, 'SELECT') AS pii
  FROM pg_class c
  JOIN checked_rel m ON m.oid = c.oid
  JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE a.attname IN ('phone', 'id_card', 'bank_card') AND NOT a.attisdropped
 ORDER BY 1, 2;

-- The same, by trying.
CREATE ROLE cv_reader IN ROLE custvalue_reader;
CREATE ROLE cv_admin IN ROLE custvalue_admin;
INSERT INTO customer (customer_id, phone, id_card, bank_card, region, brand, vip_card, joined_on)
VALUES (990001, '10012345678', '00000019900101000X', '0000001234567890', 'east', 'gotone', true, '2015-03-01');

SET ROLE cv_reader;
SELECT tier, min_amount FROM tier_policy WHERE tier = 'a';
SELECT tier_of(0, 150, false) AS reader_can_tier;
SELECT customer_id, phone, id_card, bank_card FROM customer_directory WHERE customer_id = 990001;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$UPDATE custvalue.tier_policy SET min_amount = 150 WHERE tier = 'a'$$,
    $$INSERT INTO custvalue.setting VALUES ('x', 1, 'x', 'x')$$,
    $$DELETE FROM custvalue.service_item WHERE code = 'car_club'$$,
    $$SELECT phone FROM custvalue_data.customer$$,
    $$SELECT * FROM custvalue_data.customer$$,
    $$SELECT * FROM custvalue.customer_identity$$,
    $$SELECT * FROM custvalue.customer_contact$$,
    $$CREATE TABLE custvalue.intruder (x int)$$]) AS q;
RESET ROLE;

SET ROLE cv_admin;
UPDATE tier_policy SET min_amount = 150 WHERE tier = 'a';
SELECT tier_of(0, 160, false) AS admin_lowered_a;
UPDATE tier_policy SET min_amount = 200 WHERE tier = 'a';
UPDATE customer SET phone = '10012345679' WHERE customer_id = 990001;
SELECT phone FROM customer_directory WHERE customer_id = 990001;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT phone FROM custvalue.customer_contact$$,
    $$UPDATE custvalue_data.customer SET region = 'west' WHERE phone = '10012345679'$$,
    $$TRUNCATE custvalue_data.monthly_bill$$]) AS q;
RESET ROLE;

SET ROLE custvalue_pii;
SELECT phone, id_card, bank_card FROM customer_contact WHERE customer_id = 990001;
RESET ROLE;

SET ROLE cv_nobody;
SELECT pg_temp.expect_error(q) FROM unnest(ARRAY[
    $$SELECT custvalue.tier_of(0, 150, false)$$,
    $$SELECT * FROM custvalue.tier_policy$$]) AS q;
RESET ROLE;

-- C functions read their policies with a pinned search_path: an operator
-- planted where the caller's path finds it does not change what the policy
-- query means (cvf_policy's loader computes reference_quantile * 100).
CREATE SCHEMA cv_evil;
CREATE FUNCTION cv_evil.zero(numeric, integer) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
CREATE OPERATOR cv_evil.* (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = cv_evil.zero);
CREATE TEMP TABLE cv_scale AS SELECT cvf_scale(x, x, x, x, x) AS s FROM generate_series(1, 100) AS x;
CREATE TEMP TABLE cv_baseline AS SELECT (cvf_score(s, 50, 50, 50, 50, 50)).cvf FROM cv_scale;
UPDATE cvf_policy SET weight = weight;   -- every backend reloads the policy
SET search_path = public, custvalue, cv_evil;
SELECT (SELECT (cvf_score(s, 50, 50, 50, 50, 50)).cvf FROM cv_scale) = (SELECT cvf FROM cv_baseline)
       AS policy_unaffected_by_search_path;
RESET search_path;
SET search_path = public, custvalue_data, custvalue;
DROP SCHEMA cv_evil CASCADE;
DROP TABLE cv_scale, cv_baseline;

-- Every table is dumped by pg_dump (an extension's tables are otherwise
-- dumped empty), and those filled by CREATE EXTENSION merge their dumped
-- rows on restore (test/checks/dump_restore.sh does the round trip).
SELECT c.oid::regclass AS not_dumped
  FROM pg_class c JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
 WHERE c.relkind IN ('r', 'p', 'S')
   AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'custvalue')::oid[]);
SELECT c.oid::regclass AS has_rows_but_no_primary_key
  FROM pg_class c JOIN ext_member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
 WHERE c.relkind IN ('r', 'p')
   AND NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
   AND (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass),
                                             false, true, '')))[1]::text::int > 0;
SELECT t.relname,
       EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = ('custvalue.' || t.relname)::regclass
                                          AND g.tgname = 'restore_merge') AS merges_on_restore
  FROM (VALUES ('tier_policy'), ('setting'), ('service_item')) AS t(relname);

DELETE FROM customer WHERE customer_id = 990001;
DROP ROLE cv_nobody, cv_reader, cv_admin;
