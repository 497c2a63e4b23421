#!/usr/bin/env bash
# test/checks/extension_update.sh — ALTER EXTENSION custvalue UPDATE from every
# earlier version gives exactly what a fresh install of the default version
# gives.
#
# Every custvalue--<version>.sql committed in the repository (the full
# install script of a released version; the default version's is generated
# by make) is installed into its own database and updated with
# ALTER EXTENSION custvalue UPDATE along the update scripts
# custvalue--<from>--<to>.sql.  The result is compared, object by object,
# with a fresh CREATE EXTENSION: every member's identity and definition
# (functions, aggregates, operators, types, tables with columns,
# constraints, indexes, triggers and privileges, views), comments, which
# tables pg_dump dumps, and the default rows of those tables.
#
# From 1.2 on the reference tables are not members: a fresh install is
# compared after SELECT custvalue.create_data_model('custvalue_data'), and
# the tables an update moves out of the extension into that schema are
# compared with those (columns, constraints, indexes, triggers, privileges,
# comments).
#
# It first proves its own machinery: the comparison sees every member, and
# an update script that forgets something is caught.  Released versions:
# 1.0 (custvalue--1.0.sql, frozen), updated by custvalue--1.0--1.1.sql;
# 1.1 (custvalue--1.1.sql, frozen), updated by custvalue--1.1--1.2.sql;
# 1.2 (custvalue--1.2.sql, frozen; its data model created with
# create_data_model() before the update), updated by custvalue--1.2--1.3.sql,
# which make assembles from the files that 1.3 added or replaced.
# To release the next version: commit the generated install script of the
# current default_version as it was released, write the update script,
# bump default_version; this check then tests every path without a change.
set -euo pipefail
: "${CV_BIN:?run me from test/run-tests.sh}" "${CV_TMP:?}"
cd "$(dirname "$0")/../.."
work=$CV_TMP/upgrade
mkdir -p "$work"
psql() { "$CV_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

default=$(sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\(.*\)'/\1/p" custvalue.control)
old_versions=()
for f in custvalue--*.sql; do
    v=${f#custvalue--}
    v=${v%.sql}
    case $v in *--*) continue ;; esac          # an update script
    [ "$v" = "$default" ] && continue         # the generated current script
    old_versions+=("$v")
done

# One line per fact about the extension's members, sorted.
snapshot() {
    psql -d "$1" -At <<'SQL'
CREATE TEMP VIEW member AS
SELECT d.classid, d.objid, pg_describe_object(d.classid, d.objid, 0) AS descr
  FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
 WHERE x.extname = 'custvalue' AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e';
SELECT * FROM (
    SELECT 'member: ' || descr FROM member
    UNION ALL
    SELECT 'comment: ' || m.descr || ': ' || c.description
      FROM member m JOIN pg_description c ON c.classoid = m.classid AND c.objoid = m.objid AND c.objsubid = 0
    UNION ALL
    SELECT 'function: ' || pg_get_functiondef(p.oid)
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
     WHERE p.prokind <> 'a'
    UNION ALL
    SELECT 'function acl: ' || m.descr || ': ' || coalesce(p.proacl::text, 'default')
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    UNION ALL
    SELECT format('aggregate: %s: sfunc=%s stype=%s final=%s combine=%s serial=%s deserial=%s init=%s sortop=%s parallel=%s',
                  a.aggfnoid::regprocedure, a.aggtransfn, format_type(a.aggtranstype, NULL), a.aggfinalfn,
                  a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, a.agginitval, a.aggsortop::regoperator, p.proparallel)
      FROM member m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
      JOIN pg_proc p ON p.oid = a.aggfnoid
    UNION ALL
    SELECT format('operator: %s: %s commutator=%s negator=%s restrict=%s join=%s hashes=%s merges=%s',
                  o.oid::regoperator, o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator,
                  o.oprrest, o.oprjoin, o.oprcanhash, o.oprcanmerge)
      FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
    UNION ALL
    SELECT format('type: %s: len=%s byval=%s align=%s storage=%s in=%s out=%s recv=%s send=%s',
                  t.oid::regtype, t.typlen, t.typbyval, t.typalign, t.typstorage,
                  t.typinput, t.typoutput, t.typreceive, t.typsend)
      FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    UNION ALL
    SELECT format('relation: %s: kind=%s rls=%s options=%s acl=%s', c.oid::regclass, c.relkind,
                  c.relrowsecurity, c.reloptions, c.relacl)
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT format('column: %s.%s: %s notnull=%s default=%s generated=%s identity=%s acl=%s comment=%s',
                  c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated, a.attidentity, a.attacl,
                  col_description(c.oid, a.attnum))
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    UNION ALL
    SELECT format('constraint: %s: %s %s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid))
      FROM member m JOIN pg_constraint con ON m.classid = 'pg_class'::regclass AND con.conrelid = m.objid
    UNION ALL
    SELECT 'index: ' || pg_get_indexdef(i.indexrelid)
      FROM member m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
    UNION ALL
    SELECT 'trigger: ' || pg_get_triggerdef(t.oid)
      FROM member m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid
     WHERE NOT t.tgisinternal
    UNION ALL
    SELECT format('view: %s: %s', c.oid::regclass, pg_get_viewdef(c.oid))
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
     WHERE c.relkind IN ('v', 'm')
    UNION ALL
    -- The reference tables outside the extension (1.2 on): what a fresh
    -- install's create_data_model('custvalue_data') makes, and what an
    -- update moves out of the extension.
    SELECT format('data relation: %s: kind=%s rls=%s acl=%s comment=%s member=%s', c.oid::regclass, c.relkind,
                  c.relrowsecurity, c.relacl, obj_description(c.oid, 'pg_class'),
                  EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid))
      FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'custvalue_data') AND c.relkind <> 'i'
    UNION ALL
    SELECT format('data column: %s.%s: %s notnull=%s default=%s generated=%s identity=%s acl=%s comment=%s',
                  c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated, a.attidentity, a.attacl,
                  col_description(c.oid, a.attnum))
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'custvalue_data') AND c.relkind = 'r'
    UNION ALL
    SELECT format('data constraint: %s: %s %s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid))
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'custvalue_data')
    UNION ALL
    SELECT 'data index: ' || pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'custvalue_data')
    UNION ALL
    SELECT 'data trigger: ' || pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'custvalue_data') AND NOT t.tgisinternal
    UNION ALL
    SELECT format('data schema: %s acl=%s', n.nspname, n.nspacl)
      FROM pg_namespace n WHERE n.nspname = 'custvalue_data'
    UNION ALL
    SELECT format('dumped: %s %L', cfg.rel::regclass, cfg.cond)
      FROM pg_extension x, unnest(x.extconfig, x.extcondition) AS cfg(rel, cond)
     WHERE x.extname = 'custvalue'
) facts(line) ORDER BY 1;
-- The default rows of every table pg_dump dumps.
SELECT format('SELECT %L || '': '' || count(*) || '' rows, md5 '' || md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), '''')) FROM %s t',
              'rows: ' || cfg.rel::regclass, cfg.rel::regclass)
  FROM pg_extension x, unnest(x.extconfig) AS cfg(rel)
 WHERE x.extname = 'custvalue' AND (SELECT relkind FROM pg_class WHERE oid = cfg.rel) = 'r'
 ORDER BY 1
\gexec
SQL
}

psql -d postgres -c "DROP DATABASE IF EXISTS cv_upgrade_fresh" 2>/dev/null
psql -d postgres -c "CREATE DATABASE cv_upgrade_fresh"
psql -d cv_upgrade_fresh -c "CREATE EXTENSION custvalue" \
    -c "SELECT count(*) AS bound FROM custvalue.create_data_model('custvalue_data')" >/dev/null
snapshot cv_upgrade_fresh > "$work/fresh.txt"
members=$(grep -c '^member: ' "$work/fresh.txt" || true)
echo "fresh install of $default: $members members, $(wc -l < "$work/fresh.txt") facts"
[ "$members" -ge 50 ] || { echo "snapshot sees too few members"; exit 1; }

status=0
# The machinery must catch an update script that forgets something: a
# made-up version lacking one comment, updated by an empty script.
extdir=$("$CV_BIN/pg_config" --sharedir)/extension
sed '/^COMMENT ON FUNCTION @extschema@.mask_phone(text) IS/,+1d' \
    "$extdir/custvalue--$default.sql" > "$extdir/custvalue--0.0selftest.sql"
echo "-- forgets the comment" > "$extdir/custvalue--0.0selftest--$default.sql"
psql -d postgres -c "DROP DATABASE IF EXISTS cv_upgrade_from" 2>/dev/null
psql -d postgres -c "CREATE DATABASE cv_upgrade_from"
psql -d cv_upgrade_from -c "CREATE EXTENSION custvalue VERSION '0.0selftest'" -c "ALTER EXTENSION custvalue UPDATE"
snapshot cv_upgrade_from > "$work/broken.txt"
rm -f "$extdir/custvalue--0.0selftest.sql" "$extdir/custvalue--0.0selftest--$default.sql"
psql -d postgres -c "DROP DATABASE cv_upgrade_from"
diff "$work/fresh.txt" "$work/broken.txt" > "$work/broken.diff" || true
if grep -q '^< comment: function custvalue.mask_phone' "$work/broken.diff"; then
    echo "self-check: a faulty update script is detected"
else
    echo "self-check: a faulty update script went unnoticed"
    status=1
fi
if [ ${#old_versions[@]} -eq 0 ]; then
    echo "no earlier release of custvalue: 0 upgrade paths tested"
fi
for v in "${old_versions[@]}"; do
    db=cv_upgrade_from
    psql -d postgres -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
    psql -d postgres -c "CREATE DATABASE $db"
    psql -d "$db" -c "CREATE EXTENSION custvalue VERSION '$v'"
    # From 1.2 on, an install has no data model until the DBA creates one;
    # the realistic path is an update of a database that has one.
    psql -d "$db" -Atc "SELECT count(*) FROM pg_proc WHERE proname = 'create_data_model'
                         AND NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'custvalue_data')" \
        | grep -qx 1 && psql -d "$db" -c "SELECT count(*) FROM custvalue.create_data_model('custvalue_data')" >/dev/null
    psql -d "$db" -c "ALTER EXTENSION custvalue UPDATE"
    got=$(psql -d "$db" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'custvalue'")
    snapshot "$db" > "$work/from-$v.txt"
    if [ "$got" = "$default" ] && diff -u "$work/fresh.txt" "$work/from-$v.txt"; then
        echo "update $v -> $default: identical to a fresh install"
    else
        echo "update $v -> $default: differs from a fresh install (now at $got)"
        status=1
    fi
    psql -d postgres -c "DROP DATABASE $db"
done
psql -d postgres -c "DROP DATABASE cv_upgrade_fresh"
exit $status
