#!/usr/bin/env bash
# `make screenshots`: a fresh database with the suite's demo data, served on a spare port
# for tools/screenshots.py, which saves the README's pictures under docs/screenshots.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"
command -v pdftoppm >/dev/null || die "missing pdftoppm: on Debian, apt-get install poppler-utils"
DB=sales_suite_screenshots
PORT=${SCREENSHOTS_HTTP_PORT:-8369}
LOG="$RUN_DIR/screenshots.log"

drop_db "$DB"
echo "== $DB: the suite with its demo data (a few minutes)"
odoo_bin -d "$DB" -i "$SUITE_ADDONS" --stop-after-init --log-level=warn --logfile="$LOG" || die "install failed (see $LOG)"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
    --max-cron-threads=0 --logfile="$LOG" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:$PORT/web/login" -o /dev/null 2>/dev/null && break
    kill -0 $server 2>/dev/null || die "Odoo stopped (see $LOG)"
    sleep 1
done
"$VENV/bin/python" "$PROJECT_DIR/tools/screenshots.py" "http://127.0.0.1:$PORT" "$DB" "$PROJECT_DIR/docs/screenshots"
kill $server; wait $server 2>/dev/null || true
drop_db "$DB"
