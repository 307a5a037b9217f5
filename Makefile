# The sales suite's commands. Odoo 18.0's source is found at $(ODOO_SRC); where there is no folder there, it is
# fetched once (a shallow git clone of ODOO_GIT_REF of ODOO_GIT_URL) into ODOO_FETCH_DIR, .odoo/; see README.md.
ODOO_SRC ?= /opt/odoo
export ODOO_SRC

.PHONY: help check-odoo setup run lint i18n readme test test-odoo bench-data bench bench-load screenshots stop check-run backup restore clean

help:
	@echo "make run        set up, then serve the demo database sales_demo on http://127.0.0.1:8069 (HTTP_PORT);"
	@echo "                WORKERS=N: Odoo's multi-process mode (N HTTP workers, one cron worker, gevent on the"
	@echo "                port + 3); REPLICA=1: read-only requests to a local streaming replica (see docs/DEPLOYMENT.md)"
	@echo "make lint       ruff (format and lint) and pylint-odoo over the project (pre-commit hooks)"
	@echo "make i18n       regenerate each addon's i18n/<addon>.pot and merge it into i18n/zh_CN.po"
	@echo "make readme    each addon's static/description/index.html (its page in Odoo's Apps) from its readme/"
	@echo "make test       lint, then install the suite with its tests in a throw-away database and run tests/"
	@echo "make test-odoo  run stock Odoo's own sale, sale_stock and account tests with the suite and without (long)"
	@echo "make bench      measure the suite against stock Odoo on generated data (SCALE=small|large|xlarge, default"
	@echo "                small) and record the table in docs/BENCHMARKS.md; make bench-data only builds the data"
	@echo "make bench-load 20 clients for 60 s (LOAD_CLIENTS, LOAD_SECONDS) create, confirm and read against stock"
	@echo "                Odoo and the suite in multi-process mode; checks the orders and credit limits after, and"
	@echo "                records throughput and p95 latency in docs/BENCHMARKS.md (Load)"
	@echo "make screenshots  the README's pictures of each addon's main screen and a dunning letter, in docs/screenshots"
	@echo "make stop       stop the project's local PostgreSQL (and its replica)"
	@echo "make backup FILE=x.zip [DB=sales_demo]   Odoo's backup zip of a database with its filestore"
	@echo "make restore FILE=x.zip [DB=name]        restore it as a new database (FORCE=1 replaces one,"
	@echo "                NEUTRALIZE=1 neutralizes a copy: no mail out, no scheduled actions)"
	@echo "make check-run  start 'make run' in the background and check that it serves the login page"

# Every target but help stops here, with one message, when Odoo's source is missing and cannot be fetched.
check-odoo:
	@bash -c 'source tools/common.sh && require_odoo'

setup: check-odoo
	@tools/prepare.sh

run: check-odoo
	@tools/run.sh

lint: check-odoo
	@tools/lint.sh

i18n: check-odoo
	@tools/i18n.sh

# needs no Odoo: the pages come from the addons' readme/ fragments and manifests
readme:
	@tools/readme.sh

test: check-odoo lint
	@tools/test.sh

test-odoo: check-odoo
	@tools/test_odoo.sh

bench-data: check-odoo
	@tools/bench.sh data

bench: check-odoo
	@tools/bench.sh run

bench-load: check-odoo
	@tools/bench_load.sh

screenshots: check-odoo
	@tools/screenshots.sh

stop: check-odoo
	@tools/pg.sh stop

check-run: check-odoo
	@tools/check_run.sh

backup: check-odoo
	@tools/backup.sh backup

restore: check-odoo
	@tools/backup.sh restore

clean: stop
	rm -rf .run .pgdata
