# Shared settings of the project's make targets. Sourced, never run.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
# Where Odoo 18.0 is fetched from, and kept, when ODOO_SRC is missing (require_odoo; README, Prerequisites)
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo}
ODOO_GIT_REF=${ODOO_GIT_REF:-18.0}
ODOO_FETCH_DIR=${ODOO_FETCH_DIR:-$PROJECT_DIR/.odoo}
# no folder at ODOO_SRC: the copy fetched before, if there is one
[ -e "$ODOO_SRC" ] || [ ! -f "$ODOO_FETCH_DIR/odoo-bin" ] || ODOO_SRC=$ODOO_FETCH_DIR
export ODOO_SRC  # bench/ and the tests read it too
VENV="$PROJECT_DIR/.venv"
RUN_DIR="$PROJECT_DIR/.run"
RUN_CONF="$RUN_DIR/odoo.conf"
SUITE_ADDONS="sales_base,sales_credit,sales_analytics,sales_dunning,sales_reservation,sales_planning"
# Odoo's own tests that the suite must leave passing: a subset in `make test`, whole modules in `make test-odoo`
ODOO_REGRESSION_TAGS="/sale:TestSaleOrder,/sale:TestSaleOrderInvoicing,/sale_stock:TestSaleStock,\
/account:TestAccountEarlyPaymentDiscount,/account:TestAccountPaymentRegister"
ODOO_MODULE_TAGS="/sale,/sale_stock,/sale_management,/account"
# The previous release (556974d): `make test` upgrades a database made with it to the current code (tools/upgrade/)
UPGRADE_BASE=556974da15cbb340fcc47db08e75f9a64ee500c5

die() { echo "ERROR: $*" >&2; exit 1; }

NO_ODOO_HELP="  ODOO_SRC must be the folder of an Odoo 18.0 Community source tree: the one holding odoo-bin,
  odoo/ and addons/ (e.g. a checkout of Odoo's 18.0 branch). Set ODOO_SRC=/path/to/odoo or put it at /opt/odoo."

# Odoo 18.0's source at ODOO_SRC; where there is no folder at ODOO_SRC, fetched first (fetch_odoo).
require_odoo() {
    [ -e "$ODOO_SRC" ] || fetch_odoo
    [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/addons/sale" ] \
        || die "no Odoo 18.0 source at ODOO_SRC=$ODOO_SRC.
$NO_ODOO_HELP"
    odoo_is_18 "$ODOO_SRC" || die "the Odoo at ODOO_SRC=$ODOO_SRC is not 18.0 (see $ODOO_SRC/odoo/release.py)."
}

odoo_is_18() { grep -q "^version_info = (18, 0" "$1/odoo/release.py" 2>/dev/null; }

# A shallow clone of ODOO_GIT_REF of ODOO_GIT_URL into ODOO_FETCH_DIR (git-ignored), kept only when it is Odoo
# 18.0, then used as ODOO_SRC. It is cloned beside ODOO_FETCH_DIR and moved there whole: a clone that failed or was
# refused leaves nothing behind.
fetch_odoo() {
    local failed="no Odoo 18.0 source at ODOO_SRC=$ODOO_SRC, and fetching it failed"
    command -v git >/dev/null || die "$failed: git is not installed.
$NO_ODOO_HELP"
    [ ! -e "$ODOO_FETCH_DIR" ] || rmdir "$ODOO_FETCH_DIR" 2>/dev/null \
        || die "$failed: ODOO_FETCH_DIR=$ODOO_FETCH_DIR is in the way (it holds no odoo-bin); remove it.
$NO_ODOO_HELP"
    echo "No Odoo source at ODOO_SRC=$ODOO_SRC: fetching Odoo $ODOO_GIT_REF from $ODOO_GIT_URL into" \
        "$ODOO_FETCH_DIR (a shallow clone, a few minutes)" >&2
    mkdir -p "$(dirname "$ODOO_FETCH_DIR")"
    local clone
    clone=$(mktemp -d "$ODOO_FETCH_DIR.partial.XXXXXX")
    chmod 755 "$clone"
    # no password prompt; a transfer stalled below 1 kB/s for a minute gives up
    if ! GIT_TERMINAL_PROMPT=0 git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=60 clone --quiet --depth 1 \
            --branch "$ODOO_GIT_REF" "$ODOO_GIT_URL" "$clone"; then
        rm -rf "$clone"
        die "$failed: git clone --depth 1 --branch $ODOO_GIT_REF $ODOO_GIT_URL did not succeed
  (see git's message above: no network access to it, or no such repository or branch).
$NO_ODOO_HELP
  Or set ODOO_GIT_URL (and ODOO_GIT_REF) to a copy of Odoo's repository this machine can reach."
    fi
    if ! odoo_is_18 "$clone"; then
        local found
        found=$(grep -m 1 "^version_info = " "$clone/odoo/release.py" 2>/dev/null || echo "no odoo/release.py")
        rm -rf "$clone"
        die "$failed: what $ODOO_GIT_URL has at $ODOO_GIT_REF is not Odoo 18.0 ($found); the suite needs
  Odoo's 18.0 branch (ODOO_GIT_REF=18.0).
$NO_ODOO_HELP"
    fi
    mv "$clone" "$ODOO_FETCH_DIR"
    echo "Fetched Odoo 18.0 into $ODOO_FETCH_DIR (commit $(git -C "$ODOO_FETCH_DIR" rev-parse --short HEAD)); it" \
        "serves as ODOO_SRC while there is no folder at ODOO_SRC=$ODOO_SRC" >&2
    ODOO_SRC=$ODOO_FETCH_DIR
}

# The programs that print and read back the PDF documents the tests check, and the browser of the tours.
require_test_programs() {
    local missing=()
    for tool in wkhtmltopdf pdftoppm tesseract chromium; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: the tests print documents to PDF and read them back,
  and run browser tours in headless Chromium. On Debian: apt-get install wkhtmltopdf poppler-utils tesseract-ocr chromium"
}

# Value of an option in odoo.conf (empty when absent).
conf_get() {
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$PROJECT_DIR/odoo.conf" | tail -n 1
}

# Drop a database, waiting out an autovacuum worker on it: a server process that no role of ours may stop.
drop_db() {
    local attempt
    for attempt in 1 2 3 4 5 6; do
        dropdb --if-exists --force "$1" 2>/dev/null && return 0
        sleep 5
    done
    dropdb --if-exists --force "$1"
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$RUN_CONF" "$@"; }

# Odoo's multi-process mode, as `make run WORKERS=N` serves: N HTTP workers, one cron worker, the gevent worker of
# the live chat and notifications on $2 (by default the HTTP port + 3, as 8072 beside 8069), and the limits of
# docs/DEPLOYMENT.md: a request or a background job that runs away is stopped, a worker that grows is replaced.
# Sets the array WORKER_ARGS.
workers_args() {
    local workers=$1 gevent_port=$2
    WORKER_ARGS=(--workers="$workers" --max-cron-threads=1 --gevent-port="$gevent_port"
        --limit-time-cpu=300 --limit-time-real=600 --limit-time-real-cron=1800
        --limit-memory-soft=$((2048 * 1024 * 1024)) --limit-memory-hard=$((2560 * 1024 * 1024)))
}
