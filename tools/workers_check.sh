#!/usr/bin/env bash
# The smoke run of Odoo's multi-process mode in `make test` (`make run WORKERS=N`): on a copy of the test database,
# Odoo serves with two HTTP workers, one cron worker and the gevent worker (workers_args, tools/common.sh), and
# tools/workers_check.py checks a credit hold and a background job over HTTP. Fails on a failed check or an
# ERROR/CRITICAL/WARNING line in the server's log ($LOGS/workers.log); prints "workers check: ok" when all passed.
# Run by tools/test.sh, or alone: DB=wt_x HTTP_PORT=8322 tools/workers_check.sh (the gevent worker takes
# HTTP_PORT + 1).
source "$(dirname "$0")/common.sh"
[ -f "$RUN_CONF" ] || "$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"

DB=${DB:-sales_suite_test}
HTTP_PORT=${HTTP_PORT:-8170}
GEVENT_PORT=$((HTTP_PORT + 1))
LOGS=${LOGS:-$RUN_DIR/logs}
COPY="${DB}_workers"
log="$LOGS/workers.log"
mkdir -p "$LOGS"
rm -f "$log"

drop_db "$COPY"
createdb -T "$DB" "$COPY" || die "could not copy $DB to $COPY"
workers_args 2 "$GEVENT_PORT"
# -d: the cron worker serves this database only, not every database of the server
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" -d "$COPY" --db-filter="^$COPY\$" --http-port="$HTTP_PORT" \
    "${WORKER_ARGS[@]}" --logfile="$log" --log-level=info &
server=$!
stop_server() {
    kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    drop_db "$COPY"
}
trap stop_server EXIT

ok=1
if ! PYTHONPATH="$PROJECT_DIR" "$VENV/bin/python" "$PROJECT_DIR/tools/workers_check.py" \
        --url "http://127.0.0.1:$HTTP_PORT" --gevent-url "ws://127.0.0.1:$GEVENT_PORT" --db "$COPY" --server-pid "$server"; then
    ok=
fi
for worker in "WorkerHTTP" "WorkerCron" "Evented Service"; do
    grep -q "$worker" "$log" || { echo "FAILED: no $worker started (see $log)"; ok=; }
done
trap - EXIT
stop_server
if grep -E " (ERROR|CRITICAL|WARNING) " "$log" >"$log.bad"; then
    echo "FAILED: $(wc -l <"$log.bad") bad log line(s) in $log, first: $(head -c 400 "$log.bad")"
    ok=
fi
[ -n "$ok" ] && echo "workers check: ok"
