"""`make backup` and `make restore` (tools/backup.sh): Odoo's zip of the test database, database and filestore,
restores under another name with the same records and the same attachment file."""

import os
import pathlib
import subprocess
import sys
import uuid

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

PROJECT = pathlib.Path(__file__).resolve().parent.parent
DB = os.environ.get("ODOO_TEST_DB")
COUNTED = [
    "res_partner",
    "sale_order",
    "sale_order_line",
    "account_move_line",
    "stock_move",
    "sales_credit_hold",
    "sales_dunning_letter",
    "sales_plan_line",
    "ir_attachment",
]


def sql(dbname, query, params=()):
    connection = psycopg2.connect(
        dbname=dbname,
        host=config["db_host"] or None,
        port=config["db_port"] or None,
        user=config["db_user"] or None,
        password=config["db_password"] or None,
    )
    try:
        with connection.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()
    finally:
        connection.close()


def counts(dbname):
    return {table: sql(dbname, f"SELECT count(*) FROM {table}")[0][0] for table in COUNTED}


def run_backup(command, **env):
    subprocess.run(
        [PROJECT / "tools" / "backup.sh", command], env=os.environ | env, check=True, capture_output=True, text=True
    )


def test_backup_restores_records_and_filestore(tmp_path):
    content = f"backup check {uuid.uuid4()}".encode()
    with Registry(DB).cursor() as cr:
        attachment = api.Environment(cr, SUPERUSER_ID, {})["ir.attachment"].create(
            {"name": "backup-check.txt", "raw": content}
        )
        store_fname = attachment.store_fname
    assert store_fname, "the attachment is not in the filestore"
    backup = tmp_path / "suite.zip"
    restored = f"{DB}_restored"
    run_backup("backup", DB=DB, FILE=str(backup))
    assert backup.stat().st_size > 0
    try:
        run_backup("restore", DB=restored, FILE=str(backup), FORCE="1")
        assert counts(restored) == counts(DB)
        assert (pathlib.Path(config.filestore(restored)) / store_fname).read_bytes() == content
        assert sql(restored, "SELECT name FROM ir_attachment WHERE store_fname = %s", [store_fname]) == [
            ("backup-check.txt",)
        ]
    finally:
        # Odoo's own drop, filestore included
        odoo_bin = pathlib.Path(config["root_path"]).parent / "odoo-bin"
        subprocess.run([sys.executable, odoo_bin, "db", "-c", os.environ["ODOO_RC"], "drop", restored], check=False)
