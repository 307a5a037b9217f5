#!/usr/bin/env bash
# `make test-odoo`: stock Odoo's own post-install tests of sale, sale_stock, sale_management and account, run twice
# on fresh databases: with the suite installed and nothing configured (Odoo's demo data, not the suite's), and
# with stock Odoo alone (the dependencies) as the baseline. Fails on a test that fails only with the suite: a few
# of Odoo's own tests fail on stock Odoo too, and are listed. Long: the quick subset runs in `make test`.
# Ends with one line "N passed, N failed".
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"

DB=${TEST_ODOO_DB:-sales_suite_odoo}
LOGS="$RUN_DIR/logs-odoo"
rm -rf "$LOGS"; mkdir -p "$LOGS"
start=$(date +%s)

# install NAME DB MODULES: install MODULES on DB, with the demo data of the modules whose demo flag is up
install() {
    local name=$1 db=$2 modules=$3
    echo "== $name: install $modules"
    odoo_bin --stop-after-init --http-port="${TEST_HTTP_PORT:-8169}" --logfile="$LOGS/$name-install.log" -d "$db" \
        -i "$modules" --log-level=warn || { echo "FAILED: install (see $LOGS/$name-install.log)"; exit 1; }
}

# run_odoo_tests NAME DB: run Odoo's tests on DB, list the failing ones (setUpClass errors included) in NAME.failed
run_odoo_tests() {
    local name=$1 db=$2
    echo "== $name: Odoo's own tests $ODOO_MODULE_TAGS"
    odoo_bin --stop-after-init --http-port="${TEST_HTTP_PORT:-8169}" --logfile="$LOGS/$name.log" -d "$db" \
        --test-tags "$ODOO_MODULE_TAGS" --log-level=test || true
    grep -oE "(odoo\.addons\.[a-z_.0-9]+|odoo\.tests\.suite): (FAIL|ERROR): .*" "$LOGS/$name.log" \
        | sed -E 's/^odoo\.tests\.suite: //; s/ *$//' | sort -u >"$LOGS/$name.failed" || true
}

# Both databases hold Odoo's demo data, which some of Odoo's tests need (product variants, for one), but not the
# suite's: its demo configures review rules and holds that change the flow. A module gets demo data when one of
# its dependencies has it, so the suite installs while its dependencies' demo flags are lowered.
deps=$("$VENV/bin/python" "$PROJECT_DIR/tools/addon_deps.py")
drop_db "$DB"; drop_db "${DB}_stock"
install stock "${DB}_stock" "$deps"
run_odoo_tests stock "${DB}_stock"
install suite-dependencies "$DB" "$deps"
with_demo=$(psql -Atq -d "$DB" -c "SELECT string_agg(id::text, ',') FROM ir_module_module WHERE demo")
psql -q -d "$DB" -c "UPDATE ir_module_module SET demo = false WHERE id IN ($with_demo)"
install suite "$DB" "$SUITE_ADDONS"
psql -q -d "$DB" -c "UPDATE ir_module_module SET demo = true WHERE id IN ($with_demo)"
run_odoo_tests suite "$DB"

passed=0; failed=0
while read -r f e n; do
    passed=$((passed + n - f - e)); failed=$((failed + f + e))
done < <(sed -nE 's/.*odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p' "$LOGS/suite.log")
comm -23 "$LOGS/suite.failed" "$LOGS/stock.failed" >"$LOGS/new.failed"
if [ -s "$LOGS/stock.failed" ]; then
    echo "Failing on stock Odoo alone as well:"; sed 's/^/  /' "$LOGS/stock.failed"
fi
if [ -s "$LOGS/new.failed" ]; then
    echo "FAILED with the suite only:"; sed 's/^/  /' "$LOGS/new.failed"
fi
[ "$passed" -gt 0 ] || echo "FAILED: no test ran (see $LOGS/suite.log)"
echo "== $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed ($(wc -l <"$LOGS/stock.failed") of them fail on stock Odoo too)"
ok=$([ "$passed" -gt 0 ] && [ ! -s "$LOGS/new.failed" ] && echo 1 || true)
[ -n "$ok" ] && drop_db "$DB" && drop_db "${DB}_stock"
[ -n "$ok" ]
