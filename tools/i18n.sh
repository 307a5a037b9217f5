#!/usr/bin/env bash
# `make i18n`: regenerate each addon's i18n/<addon>.pot from the code (a fresh database with the suite, no demo
# data) and merge it into i18n/zh_CN.po, keeping the translations already made and marking what is new.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
source "$RUN_DIR/db.env"
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD PGOPTIONS="-c client_min_messages=warning"
DB=sales_suite_i18n
drop_db "$DB"
odoo_bin -d "$DB" -i "$SUITE_ADDONS" --without-demo=all --stop-after-init --no-http --log-level=warn
for addon in ${SUITE_ADDONS//,/ }; do
    folder="$PROJECT_DIR/addons/$addon/i18n"
    mkdir -p "$folder"
    odoo_bin -d "$DB" --i18n-export="$folder/$addon.pot" --modules="$addon" --stop-after-init --no-http \
        --log-level=warn
    if [ -f "$folder/zh_CN.po" ]; then
        msgmerge --quiet --update --no-fuzzy-matching --backup=none "$folder/zh_CN.po" "$folder/$addon.pot"
    else
        msginit --no-translator --locale=zh_CN --input="$folder/$addon.pot" --output-file="$folder/zh_CN.po"
    fi
    echo "$addon: $(msgfmt --statistics -o /dev/null "$folder/zh_CN.po" 2>&1)"
done
drop_db "$DB"
