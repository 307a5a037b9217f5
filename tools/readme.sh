#!/usr/bin/env bash
# `make readme`: each addon's static/description/index.html (the page of Odoo's Apps) made again from its readme/
# fragments (tools/readme.py); `make test` fails while one differs from what its fragments give.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/venv.sh"
exec "$VENV/bin/python" "$PROJECT_DIR/tools/readme.py" "$@"
