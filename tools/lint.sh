#!/usr/bin/env bash
# `make lint`: the pre-commit hooks (ruff format and lint, pylint-odoo's checks) on every file of the project.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/venv.sh"
cd "$PROJECT_DIR"
"$VENV/bin/pre-commit" run --all-files --show-diff-on-failure
