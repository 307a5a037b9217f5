#!/usr/bin/env bash
# Create or refresh .venv from requirements.txt; a no-op (seconds) when nothing changed.
source "$(dirname "$0")/common.sh"

find_python312() {
    local candidate
    for candidate in "${PYTHON:-}" python3.12 "$(command -v pyenv >/dev/null && pyenv root)"/versions/3.12*/bin/python3.12; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    die "Python 3.12 not found: install it or set PYTHON=/path/to/python3.12."
}

stamp="$VENV/.requirements.sha256"
wanted=$(sha256sum "$PROJECT_DIR/requirements.txt" | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    exit 0
fi
python=$(find_python312)
echo "Setting up $VENV with $python"
[ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$PROJECT_DIR/requirements.txt"
echo "$wanted" > "$stamp"
