#!/usr/bin/env bash
# Start `make run` in the background, wait until it serves the login page, check it with curl, stop it.
source "$(dirname "$0")/common.sh"
port=${HTTP_PORT:-$(conf_get http_port)}
log="$PROJECT_DIR/.run/check-run.log"
mkdir -p "$PROJECT_DIR/.run"
"$PROJECT_DIR/tools/run.sh" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 600); do
    if curl -fsS "http://127.0.0.1:$port/web/login" -o "$PROJECT_DIR/.run/login.html" 2>/dev/null; then
        grep -q 'name="login"' "$PROJECT_DIR/.run/login.html" || die "/web/login answered without a login form"
        echo "make run serves the login page on http://127.0.0.1:$port/web/login"
        exit 0
    fi
    kill -0 $pid 2>/dev/null || die "make run stopped; see $log"
    sleep 1
done
die "no login page after 10 minutes; see $log"
