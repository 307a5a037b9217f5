#!/usr/bin/env bash
# `make test`: a fresh throw-away database; the addons' dependencies installed first, then the suite's addons
# with their tests (so at-install tests run only for ours), each addon installed alone, a database of the previous
# release upgraded, then pytest-odoo over tests/, the uninstall flows, and smoke runs of the benchmark, of the
# multi-process mode and of a read-only replica. Fails on any failed test, install error, or ERROR/CRITICAL line in
# Odoo's log, and ends with one line "N passed, N failed" counting them all.
source "$(dirname "$0")/common.sh"
require_test_programs
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"

DB=${TEST_DB:-sales_suite_test}
HTTP_PORT=${TEST_HTTP_PORT:-8169}
LOGS="$RUN_DIR/logs"
rm -rf "$LOGS"; mkdir -p "$LOGS"
problems=()


# Odoo's own log of a step: its exit code and any line that makes the run fail.
odoo_step() {
    local name=$1; shift
    local log="$LOGS/$name.log"
    echo "== $name"
    if ! odoo_bin --stop-after-init --http-port="$HTTP_PORT" --logfile="$log" "$@"; then
        problems+=("$name: Odoo exited with an error (see $log)")
    fi
    # ERROR/CRITICAL anywhere; any WARNING once our addons are involved (the dependencies' own step may warn)
    local bad=" (ERROR|CRITICAL) "
    [ "$name" = install-dependencies ] || bad="$bad| WARNING "
    # Debian's wkhtmltopdf says its Qt ignores the header options, on every PDF (README, Prerequisites)
    if grep -E "$bad" "$log" | grep -v "ir_actions_report: wkhtmltopdf: The switch" >"$log.bad"; then
        problems+=("$name: $(wc -l <"$log.bad") bad log line(s), first: $(head -c 400 "$log.bad")")
    fi
}

start=$(date +%s)
deps=$("$VENV/bin/python" "$PROJECT_DIR/tools/addon_deps.py")
drop_db "$DB"; drop_db "${DB}_deps"
odoo_step install-dependencies -d "$DB" -i "$deps" --log-level=warn
createdb -T "$DB" "${DB}_deps"

odoo_step install-suite-with-tests -d "$DB" -i "$SUITE_ADDONS" --test-enable --log-level=test
# upgrading what is installed changes nothing and logs nothing bad
odoo_step upgrade-suite -d "$DB" -u "$SUITE_ADDONS" --log-level=warn
# stock Odoo behaves as before with the suite installed: its own tests of orders, deliveries, invoices and
# payments (cash discounts included); the whole modules run in `make test-odoo`
odoo_step odoo-own-tests -d "$DB" --test-tags "$ODOO_REGRESSION_TAGS" --log-level=test

# Each addon installs alone, on the dependencies only (the suite's other addons it depends on come with it).
for addon in ${SUITE_ADDONS//,/ }; do
    drop_db "${DB}_alone"
    createdb -T "${DB}_deps" "${DB}_alone"
    odoo_step "install-alone-$addon" -d "${DB}_alone" -i "$addon" --log-level=warn
done
drop_db "${DB}_alone"

# A database made with the previous release keeps its data through the upgrade to this code (tools/upgrade/),
# on a copy of the dependencies' database: each check of tools/upgrade_check.sh counts as one test.
echo "== upgrade from ${UPGRADE_BASE:0:7}"
DB=$DB HTTP_PORT=$HTTP_PORT LOGS=$LOGS "$PROJECT_DIR/tools/upgrade_check.sh" >"$LOGS/upgrade-base.log" 2>&1 || true
upgrade_counts=$(sed -nE 's/^upgrade checks: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$LOGS/upgrade-base.log")
read -r upgrade_passed upgrade_failed <<<"${upgrade_counts:-0 1}"
while IFS= read -r line; do
    problems+=("upgrade from ${UPGRADE_BASE:0:7}: ${line#FAILED: }")
done < <(grep "^FAILED: " "$LOGS/upgrade-base.log" || true)
[ -n "$upgrade_counts" ] || problems+=("upgrade from ${UPGRADE_BASE:0:7}: did not finish (see $LOGS/upgrade-base.log)")
drop_db "${DB}_deps"

echo "== pytest tests/"
PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" ODOO_TEST_DB="$DB" ODOO_RC="$RUN_CONF" \
    "$VENV/bin/python" -m pytest "$PROJECT_DIR/tests" -p no:cacheprovider --odoo-config="$RUN_CONF" \
    --odoo-database="$DB" -q -rfE 2>&1 | tee "$LOGS/pytest.log" && pytest_rc=0 || pytest_rc=${PIPESTATUS[0]}
[ "$pytest_rc" = 0 ] || problems+=("pytest exited with $pytest_rc")

# Uninstalling any addon of the suite leaves stock Odoo's sale -> delivery -> invoice -> payment flow working (each
# on a copy; sales_credit takes dunning and reservation with it and leaves sales_base's tiers and regions, sales_base
# takes all six).
uninstall_flows=(sales_analytics sales_dunning sales_reservation sales_planning sales_credit sales_base)
uninstall_ok=0
for addons in "${uninstall_flows[@]}"; do
    name=${addons//,/+}
    echo "== uninstall $name"
    drop_db "${DB}_uninstall"
    createdb -T "$DB" "${DB}_uninstall"
    if UNINSTALL=$addons "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$RUN_CONF" -d "${DB}_uninstall" \
            --no-http --log-level=warn <"$PROJECT_DIR/tools/uninstall_flow.py" >"$LOGS/uninstall-$name.log" 2>&1 \
            && grep -q "uninstall flow: ok" "$LOGS/uninstall-$name.log"; then
        uninstall_ok=$((uninstall_ok + 1))
    else
        problems+=("uninstall $name: the flow after uninstalling failed (see $LOGS/uninstall-$name.log)")
    fi
done
drop_db "${DB}_uninstall"

# The benchmark cannot rot: every scenario once on tiny generated data, the suite installed on a database that
# already holds orders, invoices and stock; each scenario checks its answers against stock Odoo's.
echo "== benchmark smoke run"
bench_ok=0
if SCALE=tiny BENCH_NO_WRITE=1 "$PROJECT_DIR/tools/bench.sh" run >"$LOGS/bench-tiny.log" 2>&1; then
    bench_ok=1
else
    problems+=("benchmark smoke run failed (see $LOGS/bench-tiny.log)")
fi

# Odoo's multi-process mode (make run WORKERS=N) on a copy of the test database: a credit hold over HTTP, a
# notification through the gevent worker, a background job finished by the cron worker (tools/workers_check.sh).
echo "== workers smoke run"
workers_ok=0
if DB=$DB HTTP_PORT=$((HTTP_PORT + 1)) LOGS=$LOGS "$PROJECT_DIR/tools/workers_check.sh" >"$LOGS/workers-check.log" 2>&1 \
        && grep -q "^workers check: ok$" "$LOGS/workers-check.log"; then
    workers_ok=1
else
    problems+=("workers smoke run failed (see $LOGS/workers-check.log)")
fi

# Read-only requests go to a streaming replica (make run REPLICA=1): a throw-away primary and replica with a copy
# of the test database; the suite's read-only screens are answered by the replica (tools/replica_check.sh).
echo "== replica check"
replica_ok=0
if DB=$DB HTTP_PORT=$((HTTP_PORT + 3)) LOGS=$LOGS "$PROJECT_DIR/tools/replica_check.sh" >"$LOGS/replica-check.log" 2>&1 \
        && grep -q "^replica check: ok$" "$LOGS/replica-check.log"; then
    replica_ok=1
else
    problems+=("replica check failed (see $LOGS/replica-check.log)")
fi

# Count every test that ran: Odoo's runner reports "F failed, E error(s) of N tests" per run.
passed=0; failed=0
while read -r f e n; do
    passed=$((passed + n - f - e)); failed=$((failed + f + e))
done < <(sed -nE 's/.*odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p' "$LOGS"/*.log)
summary=$(grep -E "(passed|failed|errors?|no tests ran).* in [0-9.]+s" "$LOGS/pytest.log" | tail -n 1 || true)
py_passed=$(grep -oE "[0-9]+ passed" <<<"$summary" | grep -oE "[0-9]+" || echo 0)
py_failed=$(( $(grep -oE "[0-9]+ failed" <<<"$summary" | grep -oE "[0-9]+" || echo 0) + $(grep -oE "[0-9]+ errors?" <<<"$summary" | grep -oE "[0-9]+" || echo 0) ))
passed=$((passed + py_passed + uninstall_ok + bench_ok + upgrade_passed + workers_ok + replica_ok))
failed=$((failed + py_failed + ${#uninstall_flows[@]} - uninstall_ok + 1 - bench_ok + upgrade_failed + 1 - workers_ok + 1 - replica_ok))

[ "$passed" -gt 0 ] || problems+=("no test ran")
[ ${#problems[@]} = 0 ] && [ "$failed" = 0 ] && drop_db "$DB"  # kept for a look when something failed
echo "== $(($(date +%s) - start)) s"
for problem in "${problems[@]}"; do echo "FAILED: $problem"; done
echo "$passed passed, $failed failed"
[ ${#problems[@]} = 0 ] && [ "$failed" = 0 ]
