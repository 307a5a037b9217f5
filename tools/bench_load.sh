#!/usr/bin/env bash
# `make bench-load`: the load test of bench/load.py against Odoo in multi-process mode (workers_args of
# tools/common.sh, LOAD_WORKERS HTTP workers, default 4) on a copy of each benchmark database of SCALE (default
# small; built as `make bench-data` builds them when missing or stale): stock Odoo first, then the suite, under the
# same load (LOAD_CLIENTS clients, default 20, for LOAD_SECONDS, default 60). Records the table in the Load section
# of docs/BENCHMARKS.md (LOAD_NO_WRITE=1: only prints it). Fails when a check after the load failed.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"

SCALE=${SCALE:-small}
CLIENTS=${LOAD_CLIENTS:-20}
DURATION=${LOAD_SECONDS:-60}
WORKERS=${LOAD_WORKERS:-4}
HTTP_PORT=${LOAD_HTTP_PORT:-8269}
LOGS="$RUN_DIR/logs"
mkdir -p "$LOGS"

SCALE=$SCALE "$PROJECT_DIR/tools/bench.sh" data
workers_args "$WORKERS" $((HTTP_PORT + 1))
server=
copy=
finish() {
    [ -n "$server" ] && { kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; }
    [ -n "$copy" ] && drop_db "$copy"
    server= copy=
}
trap finish EXIT

failed=
for side in stock suite; do
    copy="${LOAD_DB_PREFIX:-}bench_${SCALE}_${side}_load"
    echo "== $side: $CLIENTS clients for $DURATION s on a copy of bench_${SCALE}_${side}, $WORKERS HTTP workers"
    drop_db "$copy"
    rm -f "$LOGS/load-$side.log"  # Odoo appends to its log file
    createdb -T "bench_${SCALE}_${side}" "$copy"
    # -d: the cron worker serves this database only
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" -d "$copy" --db-filter="^$copy\$" --http-port="$HTTP_PORT" \
        "${WORKER_ARGS[@]}" --logfile="$LOGS/load-$side.log" --log-level=warn --log-handler=odoo.service.model:INFO &
    server=$!
    (cd "$PROJECT_DIR" && "$VENV/bin/python" -m bench.load run --url "http://127.0.0.1:$HTTP_PORT" --db "$copy" \
        --side "$side" --clients "$CLIENTS" --seconds "$DURATION" --json "$RUN_DIR/load-$side.json" \
        --log "$LOGS/load-$side.log") || failed=1
    finish
done
trap - EXIT

settings="Run on $(date +%F) on $(hostname) ($(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB), commit \
$(git -C "$PROJECT_DIR" rev-parse --short HEAD), \`SCALE=$SCALE\` data: $CLIENTS clients for $DURATION s per side, \
Odoo with $WORKERS HTTP workers and one cron worker (\`make run WORKERS=$WORKERS\`'s limits), PostgreSQL \
$(psql -d postgres -tAc "SHOW server_version" | cut -d' ' -f1) with fsync $(psql -d postgres -tAc "SHOW fsync"), \
synchronous_commit $(psql -d postgres -tAc "SHOW synchronous_commit"); clients, Odoo and PostgreSQL share the machine."
args=(report --stock "$RUN_DIR/load-stock.json" --suite "$RUN_DIR/load-suite.json" --settings "$settings")
[ -z "${LOAD_NO_WRITE:-}" ] && args+=(--write "$PROJECT_DIR/docs/BENCHMARKS.md")
(cd "$PROJECT_DIR" && "$VENV/bin/python" -m bench.load "${args[@]}")
[ -z "$failed" ]
