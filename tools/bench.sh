#!/usr/bin/env bash
# `make bench-data` and `make bench`: the benchmark data of SCALE (tiny, small, large, xlarge; default small) in
# bench_<scale>_stock (stock Odoo) and bench_<scale>_suite (its copy with the suite), built when missing or stale;
# `make bench` then runs every scenario on both and records the table in docs/BENCHMARKS.md.
source "$(dirname "$0")/common.sh"
"$PROJECT_DIR/tools/prepare.sh"
command=${1:-run}
SCALE=${SCALE:-small}
args=(--scale "$SCALE" --conf "$RUN_CONF")
[ "$command" = run ] && [ -z "${BENCH_NO_WRITE:-}" ] && args+=(--write "$PROJECT_DIR/docs/BENCHMARKS.md")
cd "$PROJECT_DIR"
PYTHONPATH="$ODOO_SRC:$PROJECT_DIR${PYTHONPATH:+:$PYTHONPATH}" exec "$VENV/bin/python" -m bench "$command" "${args[@]}"
