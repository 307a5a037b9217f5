#!/usr/bin/env bash
# `make test-odoo`: stock Odoo's own post-install tests of sale, sale_stock, sale_management and account, run on a
# fresh database where the whole suite is installed with nothing configured (Odoo's demo data, not the suite's). Long: the
# quick subset of the same runs in `make test`. Ends with one line "N passed, N failed".
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"

DB=${TEST_ODOO_DB:-sales_suite_odoo}
LOGS="$RUN_DIR/logs-odoo"
rm -rf "$LOGS"; mkdir -p "$LOGS"
dropdb --if-exists --force "$DB" >/dev/null
start=$(date +%s)
echo "== install the suite"
# Odoo's demo data, not the suite's: the suite's demo configures review rules and holds that change the flow
odoo_bin --stop-after-init --http-port="${TEST_HTTP_PORT:-8169}" --logfile="$LOGS/install.log" -d "$DB" \
    -i "$SUITE_ADDONS" --without-demo="$SUITE_ADDONS" --log-level=warn || { echo "FAILED: install (see $LOGS/install.log)"; exit 1; }
echo "== Odoo's own tests: $ODOO_MODULE_TAGS"
odoo_bin --stop-after-init --http-port="${TEST_HTTP_PORT:-8169}" --logfile="$LOGS/tests.log" -d "$DB" \
    --test-tags "$ODOO_MODULE_TAGS" --log-level=test || true
passed=0; failed=0
while read -r f e n; do
    passed=$((passed + n - f - e)); failed=$((failed + f + e))
done < <(sed -nE 's/.*odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p' "$LOGS/tests.log")
grep -E "(FAIL|ERROR): " "$LOGS/tests.log" | head -n 20 || true
[ "$passed" -gt 0 ] || echo "FAILED: no test ran (see $LOGS/tests.log)"
echo "== $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$passed" -gt 0 ] && [ "$failed" = 0 ] && dropdb --if-exists --force "$DB" >/dev/null
[ "$passed" -gt 0 ] && [ "$failed" = 0 ]
