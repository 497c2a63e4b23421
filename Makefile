# custvalue — PGXS build.
#
# The install script custvalue--$(EXTVERSION).sql is assembled from
# src/sql/NNN_<concern>.sql, one file per concern, in name order; each C
# source in src/ is one concern too.  Tests are every sql/<concern>.sql.

EXTENSION  = custvalue
EXTVERSION = $(shell sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = custvalue
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The update to 1.3 re-runs what 1.3 added or replaced, each file written
# with CREATE OR REPLACE (but the monthly cycle, all new): the entitlement
# validator (whole rows by ROW(e.*), for Citus placements), churn_inputs_at()
# and work_orders_overdue_at() (PL/pgSQL, which Citus can plan) with their
# views, tier_retention() (no GROUPING SETS), the work-order history writer (it records the customer), the
# monthly cycle, the data model's functions, the Citus distribution helper
# and the privileges pass (it works from the catalog); then
# src/update/1.2--1.3-tail.sql: what only an update does.
UPDATE_TO_1_3 = src/sql/114_data_source_apply.sql src/sql/116_source_target.sql src/sql/119_setting.sql src/sql/139_entitlement_validate.sql src/sql/201_cvf_scale_aggregate.sql src/sql/205_month_inputs.sql src/sql/211_value_population.sql src/sql/213_refresh_value_population.sql src/sql/301_csat_nps.sql src/sql/302_satisfaction_indices.sql src/sql/406_churn_fit_terms.sql src/sql/421_churn_inputs_at.sql src/sql/424_tier_retention.sql src/sql/426_churn_train_watchlist_model.sql src/sql/427_churn_backtest.sql src/sql/511_work_orders_overdue.sql src/sql/515_work_order_record.sql src/sql/516_work_order_before.sql src/sql/521_work_order_survey.sql src/sql/522_survey_calls.sql src/sql/530_work_order_demo.sql src/sql/600_monthly_cycle.sql src/sql/700_record_retention.sql src/sql/710_contact_consent.sql src/sql/720_entitlement_use.sql src/sql/725_fulfilment.sql src/sql/726_fulfilment_demo.sql src/sql/730_bundle_rules.sql src/sql/800_supervision_model.sql src/sql/810_capacity.sql src/sql/820_suggestions.sql src/sql/840_complaints.sql src/sql/845_manager_scorecard.sql src/sql/850_supervision_demo.sql src/sql/860_post_service_surveys.sql src/sql/910_pii_audit.sql src/sql/950_data_model.sql src/sql/960_citus.sql src/sql/990_privileges.sql \
                src/update/1.2--1.3-tail.sql

DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--1.2--1.3.sql
DATA       = $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*.sql))

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=$(EXTENSION) --encoding=UTF8 --no-locale

PG_CONFIG ?= pg_config
# PostgreSQL's own warning set plus -Wextra; the three exclusions are idioms
# of PostgreSQL's headers and fmgr interface (unused fcinfo, etc.).
PG_CFLAGS  = -Wextra -Wno-unused-parameter -Wno-sign-compare \
             -Wno-missing-field-initializers -Wno-cast-function-type
PG_CPPFLAGS = -I$(srcdir)/src
SHLIB_LINK = -lm

EXTRA_CLEAN = results regression.diffs regression.out .build-flags

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(sort $(wildcard src/sql/*.sql)) $(EXTENSION).control
	@echo "-- custvalue $(EXTVERSION) install script, assembled from src/sql/*.sql by make; edit those." > $@
	@printf '%s\n' '\echo Use "CREATE EXTENSION custvalue" to load this file. \quit' >> $@
	@for f in $(sort $(wildcard src/sql/*.sql)); do printf '\n-- ===== %s =====\n' "$$f" >> $@; cat "$$f" >> $@; done

$(EXTENSION)--1.2--1.3.sql: $(UPDATE_TO_1_3)
	@echo "-- custvalue 1.2 -> 1.3: the monthly cycle; assembled by make from $(UPDATE_TO_1_3)." > $@
	@printf '%s\n' '\echo Use "ALTER EXTENSION custvalue UPDATE TO '"'"'1.3'"'"'" to load this file. \quit' >> $@
	@for f in $(UPDATE_TO_1_3); do printf '\n-- ===== %s =====\n' "$$f" >> $@; cat "$$f" >> $@; done

# Objects depend on the flags they were compiled with: the test suite builds
# with COPT=-DCV_SELF_CHECK (a byte-for-byte check of every row it forms), and
# a later plain build (the benchmark, the demo) must not reuse those objects.
BUILD_FLAGS = $(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_SL)
$(OBJS): .build-flags
.build-flags: FORCE
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@
.PHONY: FORCE
