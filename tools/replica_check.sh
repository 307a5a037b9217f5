#!/usr/bin/env bash
# The replica check of `make test` (`make run REPLICA=1`): a throw-away primary cluster on two free ports, a copy of
# the test database in it, its hot-standby replica made by `tools/pg.sh replica-start`, and Odoo serving the copy
# with db_replica_host/db_replica_port; tools/replica_check.py reads the suite's read-only screens over HTTP and
# checks in both servers' statement logs that the replica answered them and the primary took an order's creation.
# Fails on a failed check, or on Odoo logging that it fell back to the primary; prints "replica check: ok" when all
# passed. The clusters are stopped and removed at the end (kept, with their logs, when a check failed).
# Run by tools/test.sh, or alone: DB=wt_x HTTP_PORT=8324 tools/replica_check.sh
source "$(dirname "$0")/common.sh"
[ -f "$RUN_CONF" ] || "$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

DB=${DB:-sales_suite_test}
HTTP_PORT=${HTTP_PORT:-8172}
LOGS=${LOGS:-$RUN_DIR/logs}
COPY="${DB}_replica"
log="$LOGS/replica.log"
mkdir -p "$LOGS"
rm -f "$log"

# Two consecutive free ports on loopback (the primary's and the replica's), from a start that differs per clone so
# that two clones testing at once do not collide.
free_port_pair() {
    local port start=$((55400 + $(cksum <<<"$PROJECT_DIR" | cut -d' ' -f1) % 100 * 4))
    for ((port = start; port < start + 400; port += 2)); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "no two free ports from $start"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/sales-suite-replica.XXXXXX")
[ "$(id -u)" = 0 ] && chown "${PG_OS_USER:-postgres}:" "$work"
port=$(free_port_pair)
# the throw-away clusters: no crash safety (they live for a minute), every statement logged
cluster=(env PGPORT="$port" REPLICA_PORT=$((port + 1)) PGDATA_LINK="$work" DB_ENV_FILE="$work/db.env"
    PG_SERVER_OPTIONS="-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c log_statement=all")
server=
finish() {
    [ -n "$server" ] && { kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; }
    "${cluster[@]}" "$PROJECT_DIR/tools/pg.sh" stop >/dev/null || true
}
trap finish EXIT

echo "== clusters on ports $port (primary) and $((port + 1)) (replica) in $work"
"${cluster[@]}" "$PROJECT_DIR/tools/pg.sh" start
createdb -p "$port" "$COPY"
pg_dump --format=custom -d "$DB" | pg_restore --no-owner -p "$port" -d "$COPY" \
    || die "could not copy $DB into the throw-away cluster"
"${cluster[@]}" "$PROJECT_DIR/tools/pg.sh" replica-start

echo "== Odoo on port $HTTP_PORT, read-only requests to the replica"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" -d "$COPY" --db-filter="^$COPY\$" --http-port="$HTTP_PORT" \
    --db_host="$DB_HOST" --db_port="$port" --db_replica_host="$DB_HOST" --db_replica_port=$((port + 1)) \
    --max-cron-threads=0 --logfile="$log" --log-level=info &
server=$!
ok=1
PYTHONPATH="$PROJECT_DIR" "$VENV/bin/python" "$PROJECT_DIR/tools/replica_check.py" --url "http://127.0.0.1:$HTTP_PORT" \
    --db "$COPY" --primary-log "$work/server.log" --replica-log "$work/replica.log" --server-pid "$server" || ok=
grep -q "replica database: .*:$((port + 1))" "$log" || { echo "FAILED: Odoo did not use the replica (see $log)"; ok=; }
# Odoo's fallbacks: a read-only request that wrote, retried on the primary; a replica it could not reach
if grep -E " (ERROR|CRITICAL) |retrying with a read/write cursor|Failed to open a readonly cursor" "$log" >"$log.bad"; then
    echo "FAILED: $(wc -l <"$log.bad") bad log line(s) in $log, first: $(head -c 400 "$log.bad")"
    ok=
fi
trap - EXIT
finish
if [ -n "$ok" ]; then
    rm -rf "$work"
    echo "replica check: ok"
else
    echo "The clusters' folder and statement logs are kept in $work"
    exit 1
fi
