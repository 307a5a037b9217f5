#!/usr/bin/env bash
# `make backup FILE=path.zip [DB=sales_demo]` and `make restore FILE=path.zip [DB=name] [FORCE=1] [NEUTRALIZE=1]`:
# Odoo's own backup, the zip of its database manager (/web/database/backup): dump.sql, the filestore and
# manifest.json, made by `odoo-bin db dump` and loaded by `odoo-bin db load`. A restore makes a new database
# (DB, by default the file's name without .zip) and refuses to replace one unless FORCE=1; Odoo gives the restored
# database a new uuid (it is a copy). NEUTRALIZE=1 also neutralizes it as Odoo does for a test copy (no mail out, no
# scheduled actions, no payment providers). docs/DEPLOYMENT.md says how production backs up.
source "$(dirname "$0")/common.sh"
[ -n "${FILE:-}" ] || die "give the backup file: FILE=path/to/backup.zip"
"$PROJECT_DIR/tools/prepare.sh" >/dev/null
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"

odoo_db() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" db -c "$RUN_CONF" "$@"; }
db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }

case "${1:-}" in
backup)
    DB=${DB:-sales_demo}
    db_exists "$DB" || die "no database $DB on $DB_HOST:$DB_PORT"
    mkdir -p "$(dirname "$FILE")"
    # written aside and moved: an interrupted backup never leaves a truncated file under the final name
    odoo_db dump "$DB" "$FILE.partial" 2>"$RUN_DIR/backup.log" || die "the backup of $DB failed; see $RUN_DIR/backup.log"
    mv "$FILE.partial" "$FILE"
    echo "Backed up $DB (database and filestore) to $FILE ($(du -h "$FILE" | cut -f1))"
    ;;
restore)
    [ -f "$FILE" ] || die "no backup file $FILE"
    DB=${DB:-$(basename "$FILE" .zip)}
    args=()
    if db_exists "$DB"; then
        [ -n "${FORCE:-}" ] || die "the database $DB exists: FORCE=1 replaces it, or restore under another name with DB=name"
        args+=(--force)
    fi
    [ -n "${NEUTRALIZE:-}" ] && args+=(--neutralize)
    odoo_db load "${args[@]}" "$DB" "$FILE" 2>"$RUN_DIR/restore.log" || die "the restore failed; see $RUN_DIR/restore.log"
    db_exists "$DB" || die "the restore made no database $DB; see $RUN_DIR/restore.log"
    echo "Restored $FILE as $DB; RUN_DB=$DB make run serves it"
    ;;
*) die "usage: FILE=path.zip backup.sh backup|restore" ;;
esac
