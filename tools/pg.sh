#!/usr/bin/env bash
# PostgreSQL for the project: `pg.sh start` uses the server that the PG* environment or odoo.conf names when
# it answers, and otherwise starts a project-local cluster (Debian's PostgreSQL 15 binaries, loopback only,
# its own port and socket folder, PostgreSQL's crash-safe defaults); `pg.sh stop` stops that local cluster.
# Writes .run/db.env (DB_ENV_FILE) for the caller. PGDATA_LINK (default .pgdata) is the cluster's folder;
# PG_SERVER_OPTIONS adds server settings, for throw-away clusters only (e.g. "-c fsync=off").
source "$(dirname "$0")/common.sh"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB_HOST=${PGHOST:-$(conf_get db_host)}
DB_PORT=${PGPORT:-$(conf_get db_port)}
DB_USER=${PGUSER:-$(conf_get db_user)}
DB_PASSWORD=${PGPASSWORD:-$(conf_get db_password)}
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
    if [ -f "$PGDATA_LINK/cluster/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" --pgdata="$(readlink -f "$PGDATA_LINK")/cluster" --mode=fast --wait --silent stop
        echo "Stopped the project's PostgreSQL."
    else
        echo "The project's PostgreSQL is not running."
    fi
    ;;
*) die "usage: pg.sh start|stop" ;;
esac
