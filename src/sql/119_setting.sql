-- custvalue.setting(name): the value of a scalar policy setting (table
-- custvalue.setting: 120; the function comes first, 120 calls it).  In C
-- since 1.3 (src/setting.c: cached per backend like every policy, and on
-- Citus read from this node's placement of the reference table), so in a
-- file of its own that the 1.2 -> 1.3 update re-runs; keep it CREATE OR
-- REPLACE.
CREATE OR REPLACE FUNCTION @extschema@.setting(setting_name text) RETURNS numeric
    AS 'MODULE_PATHNAME', 'cv_setting' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.setting(text) IS
'Value of a scalar policy setting from custvalue.setting; unknown names are an error (42704).';
