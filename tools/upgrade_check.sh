#!/usr/bin/env bash
# The upgrade checks of `make test`: a database made with the previous release (UPGRADE_BASE, tools/common.sh)
# keeps its data when the current addons upgrade it. Each pair tools/upgrade/<name>_before.py / <name>_after.py is
# one check. On a copy of the dependencies' database, the baseline's addons are installed with Odoo's demo data;
# every before script runs on it in `odoo-bin shell` (what it made goes to the JSON file $UPGRADE_CHECK_DATA);
# the current code upgrades the suite once; then every after script checks the data and prints
# "upgrade check <name>: ok".
# Run by tools/test.sh, or alone: DB=wt_x HTTP_PORT=8274 tools/upgrade_check.sh (it makes ${DB}_deps when missing).
# Prints a FAILED line per problem and ends with "upgrade checks: N passed, N failed"; exits 0 when all passed.
source "$(dirname "$0")/common.sh"
[ -f "$RUN_CONF" ] || "$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"

DB=${DB:-sales_suite_test}
HTTP_PORT=${HTTP_PORT:-8169}
LOGS=${LOGS:-$RUN_DIR/logs}
BASE_DIR="$RUN_DIR/upgrade-base"
BASE_CONF="$BASE_DIR/odoo.conf"
UPGRADE_DB="${DB}_upgrade"
mkdir -p "$LOGS"
checks=()
for before in "$PROJECT_DIR"/tools/upgrade/*_before.py; do
    [ -e "$before" ] && checks+=("$(basename "$before" _before.py)")
done
passed=0
problems=()
made_deps=

# One Odoo run with its log in $LOGS/upgrade-base-<name>.log: fails on its exit code or an ERROR/CRITICAL line.
odoo_run() {
    local name=$1 conf=$2; shift 2
    local log="$LOGS/upgrade-base-$name.log"
    echo "== $name"
    if ! "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$conf" --stop-after-init --http-port="$HTTP_PORT" \
            --logfile="$log" "$@"; then
        problems+=("$name: Odoo exited with an error (see $log)")
        return 1
    fi
    if grep -E " (ERROR|CRITICAL) " "$log" >"$log.bad"; then
        problems+=("$name: $(wc -l <"$log.bad") bad log line(s), first: $(head -c 400 "$log.bad")")
        return 1
    fi
}

# A check's script in `odoo-bin shell` on the upgrade database, its output in $LOGS/upgrade-base-<name>.log.
shell_run() {
    local name=$1 conf=$2 script=$3
    UPGRADE_CHECK_DATA="$BASE_DIR/$name.json" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$conf" \
        -d "$UPGRADE_DB" --no-http --log-level=warn <"$script" >"$LOGS/upgrade-base-$(basename "$script" .py).log" 2>&1
}

db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }

# The baseline's addons on Odoo's demo data, on a copy of the dependencies' database.
install_baseline() {
    git -C "$PROJECT_DIR" cat-file -e "$UPGRADE_BASE^{commit}" 2>/dev/null || {
        problems+=("the baseline commit $UPGRADE_BASE (UPGRADE_BASE) is not in this clone; a shallow clone lacks it:
  fetch the whole history (git fetch --unshallow) or run on a full clone")
        return 1
    }
    rm -rf "$BASE_DIR"
    mkdir -p "$BASE_DIR"
    git -C "$PROJECT_DIR" archive "$UPGRADE_BASE" addons | tar -x -C "$BASE_DIR" || {
        problems+=("the baseline's addons could not be extracted from $UPGRADE_BASE")
        return 1
    }
    local manifests=("$BASE_DIR"/addons/*/__manifest__.py) base_addons
    base_addons=$(dirname "${manifests[@]}" | xargs -n 1 basename | paste -sd,)
    sed -e "s|^addons_path *=.*|addons_path = $ODOO_SRC/addons,$BASE_DIR/addons|" "$RUN_CONF" >"$BASE_CONF"
    if ! db_exists "${DB}_deps"; then
        made_deps=1
        odoo_run install-dependencies "$RUN_CONF" -d "${DB}_deps" --log-level=warn \
            -i "$("$VENV/bin/python" "$PROJECT_DIR/tools/addon_deps.py")" || return 1
    fi
    drop_db "$UPGRADE_DB"
    createdb -T "${DB}_deps" "$UPGRADE_DB" || {
        problems+=("could not copy ${DB}_deps to $UPGRADE_DB")
        return 1
    }
    odoo_run install "$BASE_CONF" -d "$UPGRADE_DB" -i "$base_addons" --log-level=warn
}

run_checks() {
    local name failed_before=()
    for name in "${checks[@]}"; do
        shell_run "$name" "$BASE_CONF" "$PROJECT_DIR/tools/upgrade/${name}_before.py" || {
            failed_before+=("$name")
            problems+=("$name: the baseline's data was not made (see $LOGS/upgrade-base-${name}_before.log)")
        }
    done
    odoo_run upgrade "$RUN_CONF" -d "$UPGRADE_DB" -u "$SUITE_ADDONS" --log-level=warn || return 1
    for name in "${checks[@]}"; do
        [[ " ${failed_before[*]} " == *" $name "* ]] && continue
        local log="$LOGS/upgrade-base-${name}_after.log"
        if shell_run "$name" "$RUN_CONF" "$PROJECT_DIR/tools/upgrade/${name}_after.py" \
                && grep -q "^upgrade check $name: ok$" "$log"; then
            passed=$((passed + 1))
        else
            problems+=("$name: the data did not come through the upgrade (see $log)")
        fi
    done
}

if [ ${#checks[@]} = 0 ]; then
    problems+=("no check in tools/upgrade/")
else
    install_baseline && run_checks || true
fi
failed_checks=$((${#checks[@]} ? ${#checks[@]} - passed : 1))
[ -n "$made_deps" ] && drop_db "${DB}_deps"
# kept for a look when something failed
[ ${#problems[@]} = 0 ] && drop_db "$UPGRADE_DB"
for problem in "${problems[@]}"; do echo "FAILED: $problem"; done
echo "upgrade checks: $passed passed, $failed_checks failed"
[ ${#problems[@]} = 0 ]
