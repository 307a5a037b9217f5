#!/usr/bin/env bash
# PostgreSQL for the project: `pg.sh start` uses the server that the PG* environment or odoo.conf names when
# it answers, and otherwise starts a project-local cluster (Debian's PostgreSQL 15 binaries, loopback only,
# its own port and socket folder, PostgreSQL's durable defaults); `pg.sh stop` stops that local cluster and its
# replica. Writes .run/db.env (DB_ENV_FILE) for the caller. `pg.sh replica-start` starts a hot-standby streaming
# replica of the local cluster on REPLICA_PORT (default: its port + 1), made by pg_basebackup when missing;
# `pg.sh replica-stop` stops it.
# PGDATA_LINK (default .pgdata) is the cluster's folder; PG_SERVER_OPTIONS adds server settings, for throw-away
# clusters only (e.g. "-c fsync=off"): the project's own cluster keeps PostgreSQL's crash-safe defaults.
source "$(dirname "$0")/common.sh"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB_HOST=${PGHOST:-$(conf_get db_host)}
DB_PORT=${PGPORT:-$(conf_get db_port)}
DB_USER=${PGUSER:-$(conf_get db_user)}
DB_PASSWORD=${PGPASSWORD:-$(conf_get db_password)}
REPLICA_PORT=${REPLICA_PORT:-$((DB_PORT + 1))}
PGDATA_LINK=${PGDATA_LINK:-$PROJECT_DIR/.pgdata}
PG_SERVER_OPTIONS=${PG_SERVER_OPTIONS:-}
DB_ENV_FILE=${DB_ENV_FILE:-$RUN_DIR/db.env}

# As root, the cluster belongs to an unprivileged user (initdb refuses root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u "${PG_OS_USER:-postgres}" -- "$@"; else "$@"; fi
}

# The data folder: .pgdata in the project, or, when the cluster owner cannot reach the project
# (e.g. a clone under /root), a folder in /var/tmp that .pgdata links to.
data_dir() {
    if [ -e "$PGDATA_LINK" ]; then readlink -f "$PGDATA_LINK"; return; fi
    if as_owner test -x "$PROJECT_DIR" 2>/dev/null && as_owner test -r "$PROJECT_DIR"; then
        mkdir -p "$PGDATA_LINK"
    else
        local outside
        outside="/var/tmp/sales-suite-pg-$(echo "$PROJECT_DIR" | sha256sum | cut -c1-12)"
        mkdir -p "$outside"
        ln -s "$outside" "$PGDATA_LINK"
    fi
    [ "$(id -u)" = 0 ] && chown "${PG_OS_USER:-postgres}:" "$(readlink -f "$PGDATA_LINK")"
    readlink -f "$PGDATA_LINK"
}

reachable() { "$PG_BIN/pg_isready" -q -h "$DB_HOST" -p "$DB_PORT" -t 2; }

start_local() {
    [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL server binaries at $PG_BIN (Debian: apt-get install postgresql-15), and no server answers at $DB_HOST:$DB_PORT."
    case "$DB_HOST" in 127.0.0.1|localhost|::1) ;; *)
        die "the database server $DB_HOST:$DB_PORT does not answer, and a local cluster can only serve loopback." ;;
    esac
    local data; data=$(data_dir)
    if [ ! -f "$data/cluster/PG_VERSION" ]; then
        echo "Creating the project's PostgreSQL cluster in $data/cluster"
        as_owner "$PG_BIN/initdb" --pgdata="$data/cluster" --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$data/initdb.log"
        mkdir -p "$data/socket"; [ "$(id -u)" = 0 ] && chown "${PG_OS_USER:-postgres}:" "$data/socket"
    fi
    echo "Starting the project's PostgreSQL on $DB_HOST:$DB_PORT"
    as_owner "$PG_BIN/pg_ctl" --pgdata="$data/cluster" --log="$data/server.log" --wait --silent start \
        -o "-c listen_addresses=$DB_HOST -c port=$DB_PORT -c unix_socket_directories=$data/socket $PG_SERVER_OPTIONS" \
        || die "PostgreSQL did not start; see $data/server.log"
    # Odoo refuses to connect as postgres: it gets its own role, allowed to create databases.
    "$PG_BIN/psql" -q -h "$data/socket" -p "$DB_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
SQL
}

# The local cluster's folder, for the commands that need it to exist.
local_data() {
    local data; data=$(readlink -f "$PGDATA_LINK" 2>/dev/null || true)
    [ -n "$data" ] && [ -f "$data/cluster/PG_VERSION" ] || die "no project-local PostgreSQL cluster in $PGDATA_LINK: \
a replica is made of the cluster that the project starts itself. For another server, set up its replica and put \
db_replica_host and db_replica_port in odoo.conf."
    echo "$data"
}

replica_streaming() {
    [ "$("$PG_BIN/psql" -h "$1/socket" -p "$REPLICA_PORT" -U postgres -d postgres -tAc \
        "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ]
}

# A hot standby fed by streaming replication from the local cluster: Odoo sends its read-only requests there.
start_replica() {
    local data; data=$(local_data)
    reachable || die "the primary at $DB_HOST:$DB_PORT does not answer: start it first (pg.sh start)."
    if "$PG_BIN/pg_isready" -q -h "$DB_HOST" -p "$REPLICA_PORT" -t 2; then
        replica_streaming "$data" || die "a server answers on the replica's port $REPLICA_PORT but is not this \
cluster's streaming replica; set REPLICA_PORT."
        return 0
    fi
    if [ -f "$data/replica/standby.signal" ]; then
        as_owner "$PG_BIN/pg_ctl" --pgdata="$data/replica" --log="$data/replica.log" --wait --silent start \
            -o "$(replica_options "$data")" || die "the replica did not start; see $data/replica.log"
        local attempt
        for attempt in $(seq 20); do replica_streaming "$data" && return 0; sleep 0.5; done
        # the primary no longer has the WAL it missed (stopped too long): a new copy replaces it
        echo "The replica does not stream from the primary any more; making a new copy"
        as_owner "$PG_BIN/pg_ctl" --pgdata="$data/replica" --mode=fast --wait --silent stop
    fi
    echo "Copying the project's PostgreSQL into a replica in $data/replica"
    as_owner rm -rf "$data/replica"
    # over the owner's local socket: initdb's pg_hba.conf lets it replicate without a password
    as_owner "$PG_BIN/pg_basebackup" --pgdata="$data/replica" --host="$data/socket" --port="$DB_PORT" \
        --username=postgres --write-recovery-conf --wal-method=stream --checkpoint=fast \
        || die "pg_basebackup could not copy the primary at $DB_HOST:$DB_PORT"
    echo "Starting the replica on $DB_HOST:$REPLICA_PORT"
    as_owner "$PG_BIN/pg_ctl" --pgdata="$data/replica" --log="$data/replica.log" --wait --silent start \
        -o "$(replica_options "$data")" || die "the replica did not start; see $data/replica.log"
    replica_streaming "$data" || die "the replica does not stream from the primary; see $data/replica.log"
}

# hot_standby_feedback: the primary's vacuum waits for the replica's running reads instead of cancelling them
replica_options() {
    echo "-c listen_addresses=$DB_HOST -c port=$REPLICA_PORT -c unix_socket_directories=$1/socket \
-c hot_standby=on -c hot_standby_feedback=on $PG_SERVER_OPTIONS"
}

stop_replica() {
    local data; data=$(readlink -f "$PGDATA_LINK" 2>/dev/null || true)
    if [ -n "$data" ] && [ -f "$data/replica/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" --pgdata="$data/replica" --mode=fast --wait --silent stop
        echo "Stopped the project's PostgreSQL replica."
    fi
}

case "${1:-start}" in
start)
    mkdir -p "$RUN_DIR"
    reachable || start_local
    cat > "$DB_ENV_FILE" <<ENV
DB_HOST=$DB_HOST
DB_PORT=$DB_PORT
DB_USER=$DB_USER
DB_PASSWORD=$DB_PASSWORD
ENV
    ;;
stop)
    stop_replica
    if [ -f "$PGDATA_LINK/cluster/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" --pgdata="$(readlink -f "$PGDATA_LINK")/cluster" --mode=fast --wait --silent stop
        echo "Stopped the project's PostgreSQL."
    else
        echo "The project's PostgreSQL is not running."
    fi
    ;;
replica-start) start_replica ;;
replica-stop) stop_replica ;;
*) die "usage: pg.sh start|stop|replica-start|replica-stop" ;;
esac
