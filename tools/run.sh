#!/usr/bin/env bash
# `make run`: the demo database sales_demo with demo data and the five addons, served on http://127.0.0.1:8069.
# A second run upgrades the addons instead of installing them again.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"
DB=${RUN_DB:-sales_demo}

if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    echo "Upgrading the suite in $DB"
    odoo_bin -d "$DB" -u "$SUITE_ADDONS" --stop-after-init --log-level=warn
else
    echo "Creating $DB with demo data and the suite (a few minutes)"
    odoo_bin -d "$DB" -i "$SUITE_ADDONS" --stop-after-init --log-level=warn
fi
echo "Serving $DB on http://127.0.0.1:$(conf_get http_port) (log in as admin / admin); Ctrl-C stops it."
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" -d "$DB" --db-filter="^$DB\$" "$@"
