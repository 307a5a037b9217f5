#!/usr/bin/env bash
# Everything a make target needs before it runs Odoo: Odoo's source, .venv, a database server and .run/odoo.conf.
source "$(dirname "$0")/common.sh"
require_odoo
"$PROJECT_DIR/tools/venv.sh"
"$PROJECT_DIR/tools/pg.sh" start
source "$RUN_DIR/db.env"
mkdir -p "$RUN_DIR/data"
# The runtime config: odoo.conf with the paths and database settings of this machine.
sed -e "s|^addons_path *=.*|addons_path = $ODOO_SRC/addons,$PROJECT_DIR/addons|" \
    -e "s|^db_host *=.*|db_host = $DB_HOST|" -e "s|^db_port *=.*|db_port = $DB_PORT|" \
    -e "s|^db_user *=.*|db_user = $DB_USER|" -e "s|^db_password *=.*|db_password = $DB_PASSWORD|" \
    "$PROJECT_DIR/odoo.conf" > "$RUN_CONF"
echo "data_dir = $RUN_DIR/data" >> "$RUN_CONF"
