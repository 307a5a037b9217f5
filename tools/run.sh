#!/usr/bin/env bash
# `make run`: the demo database sales_demo with demo data and the five addons, served on http://127.0.0.1:8069
# (HTTP_PORT).
# A second run upgrades the addons instead of installing them again.
# WORKERS=N serves with Odoo's multi-process mode (N HTTP workers, one cron worker, the gevent worker on the HTTP
# port + 3); REPLICA=1 starts a hot-standby replica of the project's PostgreSQL (tools/pg.sh) and sends Odoo's
# read-only requests to it.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"
DB=${RUN_DB:-sales_demo}
HTTP_PORT=${HTTP_PORT:-$(conf_get http_port)}

if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    echo "Upgrading the suite in $DB"
    odoo_bin -d "$DB" -u "$SUITE_ADDONS" --stop-after-init --log-level=warn
else
    echo "Creating $DB with demo data and the suite (a few minutes)"
    odoo_bin -d "$DB" -i "$SUITE_ADDONS" --stop-after-init --log-level=warn
fi

serve=()
if [ "${WORKERS:-0}" != 0 ]; then
    [[ "$WORKERS" =~ ^[1-9][0-9]*$ ]] || die "WORKERS=$WORKERS: give a number of HTTP workers, e.g. WORKERS=4."
    workers_args "$WORKERS" "${GEVENT_PORT:-$((HTTP_PORT + 3))}"
    serve+=("${WORKER_ARGS[@]}")
    echo "Multi-process mode: $WORKERS HTTP workers, one cron worker, gevent on port ${GEVENT_PORT:-$((HTTP_PORT + 3))}"
fi
if [ "${REPLICA:-0}" != 0 ]; then
    REPLICA_PORT=${REPLICA_PORT:-$((DB_PORT + 1))}
    REPLICA_PORT=$REPLICA_PORT "$PROJECT_DIR/tools/pg.sh" replica-start
    serve+=(--db_replica_host="$DB_HOST" --db_replica_port="$REPLICA_PORT")
    echo "Read-only requests go to the replica on $DB_HOST:$REPLICA_PORT"
fi
echo "Serving $DB on http://127.0.0.1:$HTTP_PORT (log in as admin / admin); Ctrl-C stops it."
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$HTTP_PORT" "${serve[@]}" "$@"
