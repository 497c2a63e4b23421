-- test/reference.sql — REFERENCE.md from the catalog of a database where
-- CREATE EXTENSION custvalue has just run: every member of the extension
-- (types, functions, aggregates, operators, casts, views, tables) with its
-- signature or columns and its COMMENT ON text, grouped by the concern that
-- defines it (the src/sql/NNN_<concern>.sql file, found in the installed
-- script), in the order of the files.  Run with psql -At as superuser (the
-- install script is read with pg_read_file); test/reference.sh writes the
-- output to REFERENCE.md and test/checks/reference.sh compares.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE TEMP TABLE section AS
WITH script AS (
    SELECT pg_read_file((SELECT setting FROM pg_config WHERE name = 'SHAREDIR')
                        || '/extension/custvalue--' || extversion || '.sql') AS t
      FROM pg_extension WHERE extname = 'custvalue'
)
SELECT p.ord, substring(p.part FROM '^([^ ]+) =====') AS file, p.part AS body
  FROM script, regexp_split_to_table(script.t, E'\n-- ===== src/sql/') WITH ORDINALITY AS p(part, ord)
 WHERE p.ord > 1;

CREATE TEMP TABLE member AS
SELECT d.classid, d.objid
  FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
 WHERE x.extname = 'custvalue' AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e';

-- One row per documented object: the pattern that finds its definition.
CREATE TEMP TABLE doc AS
SELECT 1 AS kind_order, 'Types' AS kind, t.typname::text AS name, format_type(t.oid, NULL) AS title,
       NULL::text AS detail, obj_description(t.oid, 'pg_type') AS comment,
       format('CREATE TYPE @extschema@\.%s\M', t.typname) AS pattern
  FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
 WHERE (t.typtype <> 'c' OR NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c'))
   -- array types, which PostgreSQL 17 records as members too
   AND t.typcategory <> 'A'
UNION ALL
SELECT 2, CASE WHEN p.prokind = 'a' THEN 'Aggregates' WHEN p.prokind = 'p' THEN 'Procedures' ELSE 'Functions' END,
       p.proname,
       format('%s(%s)', p.oid::regproc, pg_get_function_arguments(p.oid)),
       concat_ws(' · ', '→ ' || pg_get_function_result(p.oid),
                 CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END
                     || CASE WHEN p.proisstrict THEN ', strict' ELSE '' END,
                 CASE p.proparallel WHEN 's' THEN 'parallel safe' WHEN 'r' THEN 'parallel restricted' ELSE 'parallel unsafe' END,
                 CASE WHEN a.aggcombinefn <> 0 THEN 'partial aggregation (combine'
                          || CASE WHEN a.aggserialfn <> 0 THEN ', serial/deserial' ELSE '' END || ')' END,
                 CASE p.prolang WHEN 13 THEN 'C' END),
       obj_description(p.oid, 'pg_proc'),
       format('(CREATE|CREATE OR REPLACE) (FUNCTION|AGGREGATE|PROCEDURE) @extschema@\.%s\(', p.proname)
  FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
  LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
UNION ALL
SELECT 3, CASE c.relkind WHEN 'v' THEN 'Views' ELSE 'Tables' END, c.relname,
       c.oid::regclass::text,
       (SELECT string_agg(format('`%s` %s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                                 coalesce(' — ' || col_description(c.oid, a.attnum), '')),
                          E'\n' ORDER BY a.attnum)
          FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
       obj_description(c.oid, 'pg_class'),
       format('(CREATE (OR REPLACE )?(TABLE|VIEW) @extschema@\.%1$s |define_source\(''%1$s'')', c.relname)
  FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
 WHERE c.relkind IN ('r', 'p', 'v', 'm')
UNION ALL
SELECT 4, 'Operators and casts', o.oprname, o.oid::regoperator::text, NULL,
       obj_description(o.oid, 'pg_operator'), 'CREATE OPERATOR @extschema@\.'
  FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
UNION ALL
SELECT 4, 'Operators and casts', 'cast', format('CAST (%s AS %s)', format_type(c.castsource, NULL), format_type(c.casttarget, NULL)),
       CASE c.castcontext WHEN 'i' THEN 'implicit' WHEN 'a' THEN 'assignment' ELSE 'explicit' END,
       obj_description(c.oid, 'pg_cast'), 'CREATE CAST'
  FROM member m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
UNION ALL
SELECT 4, 'Operators and casts', 'opclass', format('OPERATOR CLASS %s USING %s', oc.opcname, am.amname), NULL,
       obj_description(oc.oid, 'pg_opclass'), 'CREATE OPERATOR CLASS'
  FROM member m JOIN pg_opclass oc ON m.classid = 'pg_opclass'::regclass AND oc.oid = m.objid
  JOIN pg_am am ON am.oid = oc.opcmethod
UNION ALL
SELECT 4, 'Operators and casts', 'opfamily', format('OPERATOR FAMILY %s USING %s', f.opfname, am.amname), NULL,
       obj_description(f.oid, 'pg_opfamily'), 'CREATE OPERATOR CLASS'
  FROM member m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
  JOIN pg_am am ON am.oid = f.opfmethod;

ALTER TABLE doc ADD COLUMN ord bigint;
UPDATE doc SET ord = (SELECT min(s.ord) FROM section s WHERE s.body ~ doc.pattern);

-- Objects without a comment or without a defining file: the check fails on
-- these lines.
SELECT 'MISSING COMMENT: ' || title FROM doc WHERE comment IS NULL OR comment = '' ORDER BY 1;
SELECT 'NO DEFINING FILE: ' || title FROM doc WHERE ord IS NULL ORDER BY 1;

SELECT E'<!-- Generated by test/reference.sh from the catalog of a fresh CREATE EXTENSION custvalue; do not edit: edit the COMMENT ON texts in src/sql/ and run bash test/reference.sh. -->\n'
    || E'# custvalue reference\n\n'
    || format(E'Every object of custvalue %s with its signature or columns and its comment (what `\\df+`, `\\dv+` and `\\dT+` show), by the file of `src/sql/` that defines it.  %s objects.\n',
              (SELECT extversion FROM pg_extension WHERE extname = 'custvalue'), (SELECT count(*) FROM doc))
    || E'\n## Contents\n\n'
    || (SELECT string_agg(format('- [%s](#%s)', title, anchor), E'\n' ORDER BY ord)
          FROM (SELECT s.ord, initcap(replace(regexp_replace(s.file, '^[0-9]+_|\.sql$', '', 'g'), '_', ' ')) AS title,
                       lower(replace(initcap(replace(regexp_replace(s.file, '^[0-9]+_|\.sql$', '', 'g'), '_', ' ')), ' ', '-')) AS anchor
                  FROM section s WHERE EXISTS (SELECT FROM doc WHERE doc.ord = s.ord)) t);

SELECT E'\n## ' || initcap(replace(regexp_replace(s.file, '^[0-9]+_|\.sql$', '', 'g'), '_', ' '))
    || E'\n\n' || format('`src/sql/%s`', s.file)
    || coalesce(E' — ' || (SELECT string_agg(regexp_replace(line, '^-- ?', ''), ' ' ORDER BY n)
                             FROM (SELECT line, n FROM regexp_split_to_table(s.body, E'\n') WITH ORDINALITY AS l(line, n)
                                    WHERE n > 1) l
                            WHERE n < coalesce((SELECT min(n2) FROM regexp_split_to_table(s.body, E'\n') WITH ORDINALITY AS l2(line2, n2)
                                                 WHERE n2 > 1 AND line2 !~ '^--'), 2)), '')
    || E'\n'
    || (SELECT string_agg(kind_text, '' ORDER BY kind_order, kind)
          FROM (SELECT d.kind_order, d.kind,
                       E'\n### ' || d.kind || E'\n\n'
                       || string_agg(format(E'- **`%s`**%s  \n  %s%s', d.title,
                                            coalesce(' ' || CASE WHEN d.kind_order = 3 THEN NULL ELSE d.detail END, ''),
                                            replace(coalesce(d.comment, '(no comment)'), E'\n', ' '),
                                            CASE WHEN d.kind_order = 3 AND d.detail IS NOT NULL
                                                 THEN E'\n' || regexp_replace(E'\n' || d.detail, E'\n', E'\n  - ', 'g') ELSE '' END),
                                     E'\n' ORDER BY d.title)
                       || E'\n' AS kind_text
                  FROM doc d WHERE d.ord = s.ord
                 GROUP BY d.kind_order, d.kind) k)
  FROM section s
 WHERE EXISTS (SELECT FROM doc WHERE doc.ord = s.ord)
 ORDER BY s.ord;
