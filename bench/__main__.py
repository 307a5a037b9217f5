"""`make bench-data` and `make bench`: python -m bench {data,run} --scale SCALE --conf ODOO_CONF [--write FILE]

data: bench_<scale>_stock holds stock Odoo (the suite's dependencies, no demo) and the generated data;
      bench_<scale>_suite is its copy with the suite installed addon by addon (each install timed), then the
      suite's own data. Both are rebuilt only when the generator changed, the suite's copy also when the addons did.
run:  every scenario on both databases; prints the table, and writes it into FILE with --write.
"""

import argparse
import hashlib
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

import psycopg2

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config

from . import report
from .generate import generate_stock, generate_suite
from .measure import environment
from .scales import SCALES
from .scenarios import SCENARIOS

PROJECT = pathlib.Path(__file__).resolve().parent.parent
SUITE = ["sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning"]
DEPENDENCIES = "sale_management,sale_stock"


def signature(*paths):
    digest = hashlib.sha1()
    for path in sorted(p for base in paths for p in ([base] if base.is_file() else base.rglob("*")) if p.is_file()):
        if "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PROJECT)).encode() + path.read_bytes())
    return digest.hexdigest()


def sql(query, params=(), dbname="postgres"):
    """Run one statement outside any transaction (CREATE and DROP DATABASE need it); return its rows."""
    connection = psycopg2.connect(
        dbname=dbname,
        host=config["db_host"] or None,
        port=config["db_port"] or None,
        user=config["db_user"] or None,
        password=config["db_password"] or None,
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        connection.close()


def stamp(dbname, key):
    """The value stored under ``key`` in the database's parameters, or None (also when there is no database)."""
    if not sql("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]):
        return None
    rows = sql("SELECT value FROM ir_config_parameter WHERE key = %s", [key], dbname)
    return rows[0][0] if rows else None


def set_stamp(dbname, key, value):
    sql(
        """INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
           VALUES (%s, %s, 1, 1, now(), now())
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
        [key, value],
        dbname,
    )


def drop(dbname):
    odoo.sql_db.close_db(dbname)
    Registry.delete(dbname)
    for attempt in range(6):
        try:
            sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            return
        except psycopg2.errors.InsufficientPrivilege:
            # an autovacuum worker on it, which no role of ours may stop: it ends soon
            if attempt == 5:
                raise
            time.sleep(5)


def odoo_bin(conf, *args):
    subprocess.run(
        [
            sys.executable,
            os.path.join(os.environ.get("ODOO_SRC", "/opt/odoo"), "odoo-bin"),
            "-c",
            conf,
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            *args,
        ],
        check=True,
    )


def build_data(scale_name, conf):
    """Make the two databases of a scale if they are missing or stale; return their names."""
    scale = SCALES[scale_name]
    stock_db, suite_db = f"bench_{scale_name}_stock", f"bench_{scale_name}_suite"
    generator = signature(PROJECT / "bench" / "generate.py", PROJECT / "bench" / "scales.py")
    addons = signature(PROJECT / "addons")
    if stamp(stock_db, "bench.generator") != generator:
        drop(stock_db)
        print(f"== {stock_db}: stock Odoo and the {scale_name} data", flush=True)
        odoo_bin(conf, "-d", stock_db, "-i", DEPENDENCIES, "--without-demo=all")
        start = time.perf_counter()
        with Registry(stock_db).cursor() as cr:
            summary = generate_stock(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), scale)
        summary["generated in"] = f"{time.perf_counter() - start:.0f} s"
        print(
            "   "
            + ", ".join(
                f"{key}: {value:,}" if isinstance(value, int) else f"{key}: {value}" for key, value in summary.items()
            ),
            flush=True,
        )
        set_stamp(stock_db, "bench.summary", json.dumps(summary))
        set_stamp(stock_db, "bench.generator", generator)
    if stamp(suite_db, "bench.generator") != generator or stamp(suite_db, "bench.addons") != addons:
        drop(suite_db)
        odoo.sql_db.close_db(stock_db)
        Registry.delete(stock_db)
        sql(f'CREATE DATABASE "{suite_db}" TEMPLATE "{stock_db}"')
        installs = {}
        for addon in SUITE:
            print(f"== {suite_db}: install {addon} on the data", flush=True)
            start = time.perf_counter()
            odoo_bin(conf, "-d", suite_db, "-i", addon, "--without-demo=all")
            installs[addon] = time.perf_counter() - start
        with Registry(suite_db).cursor() as cr:
            generate_suite(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), scale)
        set_stamp(suite_db, "bench.install", json.dumps(installs))
        set_stamp(suite_db, "bench.generator", generator)
        set_stamp(suite_db, "bench.addons", addons)
    return stock_db, suite_db


class Bench:
    """What the scenarios need: both registries, the scale and how often to repeat."""

    def __init__(self, scale_name, stock_db, suite_db):
        self.scale_name, self.scale = scale_name, SCALES[scale_name]
        self.repeat = self.scale["repeat"]
        self.stock, self.suite = Registry(stock_db), Registry(suite_db)
        with environment(self.suite) as env:
            self.order_lines = env["sale.order.line"].search_count([])
            self.summary = json.loads(env["ir.config_parameter"].get_param("bench.summary", "{}"))
            self.installs = json.loads(env["ir.config_parameter"].get_param("bench.install", "{}"))


def main():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["data", "run"])
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--conf", required=True, help="the Odoo configuration file")
    parser.add_argument("--write", help="the Markdown file to record the results in")
    args = parser.parse_args()
    config.parse_config(["-c", args.conf, "--log-level=warn", "--no-http", "--max-cron-threads=0"], setup_logging=True)
    stock_db, suite_db = build_data(args.scale, args.conf)
    if args.command == "data":
        return
    bench = Bench(args.scale, stock_db, suite_db)
    rows = report.install_rows(bench)
    wanted = bench.scale.get("scenarios")
    for scenario in SCENARIOS:
        if wanted and scenario.__name__ not in wanted:
            continue
        print(f"== {scenario.__doc__.splitlines()[0]}", flush=True)
        found = scenario(bench)
        # each scenario's rows as soon as they are measured: a long run stopped halfway keeps them
        print(report.table(found), flush=True)
        rows += found
    table = report.table(rows)
    print(table)
    if args.write:
        report.write(pathlib.Path(args.write), bench, table, platform.node())


if __name__ == "__main__":
    main()
