"""The suite's background jobs under real faults, with real Odoo processes on a copy of the test database.

A process that runs the queue (``odoo-bin shell`` calling the cron worker's own ``ir.cron._process_jobs``) is
killed with SIGKILL in the middle of a dunning confirmation, an allocation and a plan decomposition; the database
connection of another is cut; two processes run the queue at once. To stop a job "in the middle" without test
code in the addons, the test holds a row lock on its requester's partner, which every job refers to late (the
chatter message or the requester's notification), waits until the job's backend waits on that lock, then kills.

The copy is made with ``client_connection_check_interval``: PostgreSQL then notices within a second that the
client of a backend waiting on a lock is gone (docs/BACKGROUND_JOBS.md recommends it for production).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import psycopg2
import pytest

import odoo
from odoo.tools import config

DB = os.environ.get("ODOO_TEST_DB")
COPY = f"{DB}_job_faults"
ODOO_BIN = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")

SETUP = """
import json
from datetime import date, datetime, timedelta
from odoo import Command, fields

company = env.company
cron = env.ref("sales_base.ir_cron_sales_background_jobs")
# only the queue runs in this copy, when the test starts a process for it
env["ir.cron"].search([("id", "!=", cron.id)]).write({"active": False})
env["ir.cron.trigger"].search([]).unlink()
env["sales.review.rule"].search([]).action_archive()
company.write({
    "sales_background_threshold": 1,
    "allocation_by_priority": True,
    "allocation_redistribute": False,
    "allocation_exclude_blocked": False,
    "credit_overdue_amount_limit": 0,
    "credit_overdue_days_limit": 0,
})


def user(login, group):
    return env["res.users"].create({
        "name": login, "login": login, "notification_type": "inbox",
        "groups_id": [Command.set([env.ref(group).id, env.ref("base.group_user").id])],
    })


# a dunning run of two overdue items, computed, its confirmation queued by the dunning manager
dunning_manager = user("fault_dunning_manager", "sales_dunning.group_dunning_manager")
policy = env["sales.dunning.policy"].create({
    "name": "Fault ladder",
    "level_ids": [Command.create({"sequence": 1, "name": "First", "days": 10, "channel": "email",
                                  "letter_text": "<p>Please pay</p>"})],
})
payer = env["res.partner"].create({"name": "Fault Payer", "is_company": True})
payer.dunning_policy_id = policy
due = fields.Date.today() - timedelta(days=20)
items = env["account.move.line"]
for amount in (100, 200):
    invoice = env["account.move"].create({
        "move_type": "out_invoice", "partner_id": payer.id, "invoice_date": due, "invoice_date_due": due,
        "invoice_line_ids": [Command.create({"name": "Goods", "quantity": 1, "price_unit": amount,
                                             "tax_ids": [Command.clear()]})],
    })
    invoice.action_post()
    items |= invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
run = env["sales.dunning.run"].with_user(dunning_manager).create({"date": fields.Date.today() + timedelta(days=900)})
company.sales_background_threshold = 0
run.action_compute()
company.sales_background_threshold = 1
run.with_user(dunning_manager).action_done()

# two deliveries waiting for 10 units received meanwhile, their allocation queued by the stock manager
stock_manager = user("fault_stock_manager", "sales_reservation.group_reservation_manager")
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
warehouse.out_type_id.reservation_method = "manual"
warehouse.pick_type_id.reservation_method = "manual"
product = env["product.product"].create({"name": "Fault coil", "is_storable": True, "list_price": 10})
orders = env["sale.order"]
for qty in (4, 5):
    customer = env["res.partner"].create({"name": f"Fault buyer {qty}", "is_company": True})
    orders |= env["sale.order"].create({
        "partner_id": customer.id, "warehouse_id": warehouse.id,
        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
    })
orders.action_confirm()
env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
action = product.with_user(stock_manager).action_allocate_stock()
allocation = env["sales.allocation.run"].browse(action["params"]["next"]["res_id"])

# last year's sales in three months, and a plan decomposed from them, queued by a planner
team = env["crm.team"].create({"name": "Fault team"})
service = env["product.product"].create({"name": "Fault service", "type": "service", "list_price": 100})
for month in (1, 2, 3):
    order = env["sale.order"].create({
        "partner_id": payer.id, "team_id": team.id,
        "order_line": [Command.create({"product_id": service.id, "product_uom_qty": 1, "price_unit": 100 * month,
                                       "tax_id": [Command.clear()]})],
    })
    order.action_confirm()
    order.date_order = datetime(2040, month, 10)


def queued_plan(planner, name):
    plan = env["sales.plan"].with_user(planner).create({
        "name": name, "date_from": date(2041, 1, 1), "date_to": date(2041, 12, 31), "target_amount": 6000,
        "time_split": "month",
        "dimension_ids": [Command.create({"sequence": 1, "dimension": "team", "basis": "last_year"})],
    })
    plan.action_decompose()
    return plan


planner = user("fault_planner", "sales_planning.group_plan_user")
plan = queued_plan(planner, "Fault plan")
cut_planner = user("fault_cut_planner", "sales_planning.group_plan_user")
cut_plan = queued_plan(cut_planner, "Cut plan")

jobs = {"dunning": run, "allocation": allocation, "plan": plan, "cut_plan": cut_plan}
assert all(job.job_state == "queued" for job in jobs.values()), {k: j.job_state for k, j in jobs.items()}
# the order the queue takes them in: oldest first
for minutes, job in enumerate(jobs.values()):
    job.sudo().job_date = datetime.now() - timedelta(minutes=10 - minutes)
env.cr.commit()
print("SETUP " + json.dumps({
    "jobs": {key: [job._name, job.id] for key, job in jobs.items()},
    "requesters": {key: job.job_user_id.partner_id.id for key, job in jobs.items()},
    "items": items.ids,
    "moves": orders.order_line.move_ids.ids,
    "cron": cron.id,
}))
"""

# the same plan, ten times, queued by one planner: for two processes at once
SETUP_MANY = """
import json
from datetime import date
from odoo import Command

planner = env["res.users"].search([("login", "=", "fault_planner")])
plans = env["sales.plan"]
for index in range(10):
    plans |= env["sales.plan"].with_user(planner).create({
        "name": f"Busy plan {index}", "date_from": date(2041, 1, 1), "date_to": date(2041, 12, 31),
        "target_amount": 6000, "time_split": "month",
        "dimension_ids": [Command.create({"sequence": 1, "dimension": "team", "basis": "last_year"})],
    })
for plan in plans:
    plan.action_decompose()
assert set(plans.mapped("job_state")) == {"queued"}
env.cr.commit()
print("SETUP " + json.dumps(plans.ids))
"""

# what a cron worker does with the database: each ready scheduled action, the queue's included
RUN_QUEUE = """
from odoo.addons.base.models.ir_cron import ir_cron
ir_cron._process_jobs(env.cr.dbname)
print("QUEUE DONE")
"""

# the queue's own step (the body of _cron_run_jobs, saying which job it took), over and over, as a second server
# would run it if the cron's own row lock did not keep two cron workers apart, or a "Run Manually" beside the cron
RUN_QUEUE_LOOP = """
import time
Mixin = env["sales.background.mixin"]
env.cr.execute("SELECT pg_advisory_lock_shared(4242)")  # the test starts both processes together
env.cr.execute("SELECT pg_advisory_unlock_shared(4242)")
env.cr.commit()
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    ran = Mixin._take_job()
    if ran:
        ran._run_job()
        print("RAN", ran._name, ran.id, flush=True)
    env.cr.commit()
    if not ran:
        env.invalidate_all()
        if not any(env[model].search_count([("job_state", "=", "queued")]) for model in Mixin._get_job_models()):
            break
        time.sleep(0.2)
print("LOOP DONE")
"""


def pg_params(dbname):
    return {
        "dbname": dbname,
        "host": config["db_host"] or None,
        "port": config["db_port"] or None,
        "user": config["db_user"] or None,
        "password": config["db_password"] or None,
    }


def pg_env():
    env = dict(os.environ)
    for key, option in (
        ("PGHOST", "db_host"),
        ("PGPORT", "db_port"),
        ("PGUSER", "db_user"),
        ("PGPASSWORD", "db_password"),
    ):
        if config[option]:
            env[key] = str(config[option])
    return env


def connect(dbname=COPY):
    connection = psycopg2.connect(**pg_params(dbname))
    connection.autocommit = True
    return connection


def shell(script, log):
    """A running ``odoo-bin shell`` on the copy that runs ``script``; its output goes to ``log``."""
    process = subprocess.Popen(
        [sys.executable, ODOO_BIN, "shell", "-c", os.environ["ODOO_RC"], "-d", COPY, "--no-http", "--log-level=warn"],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.stdin.write(script)
    process.stdin.close()
    return process


class Queue:
    """The processes of the test on the copy, and its view of the copy's rows."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.count = 0
        self.db = connect()
        # the backends of the test's own connections
        self.own_pids = {self.db.get_backend_pid()}

    def log(self, name):
        self.count += 1
        return open(self.tmp_path / f"{self.count:02d}-{name}.log", "w+")

    def output(self, log):
        log.flush()
        log.seek(0)
        return log.read()

    def setup(self, script):
        with self.log("setup") as log:
            process = shell(script, log)
            assert process.wait(timeout=180) == 0, self.output(log)
            lines = [line for line in self.output(log).splitlines() if line.startswith("SETUP ")]
            assert lines, self.output(log)
            return json.loads(lines[-1][len("SETUP ") :])

    def run(self, script=RUN_QUEUE):
        """Run the queue once, to its end."""
        with self.log("run") as log:
            process = shell(script, log)
            assert process.wait(timeout=180) == 0, self.output(log)
            return self.output(log)

    def run_until_blocked(self):
        """Start a queue process; return it and its job's backend once that backend waits on a lock."""
        log = self.log("blocked")
        process = shell(RUN_QUEUE, log)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            waiting = self.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", COPY
            )
            if waiting:
                assert len(waiting) == 1, waiting
                return process, waiting[0][0]
            assert process.poll() is None, f"the queue ended without waiting:\n{self.output(log)}"
            time.sleep(0.2)
        process.kill()
        raise AssertionError(f"no job waited on the lock:\n{self.output(log)}")

    def kill(self, process):
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        self.wait_for_no_backend()

    def wait_for_no_backend(self):
        """PostgreSQL ends the backends of a dead process (client_connection_check_interval for one waiting)."""
        deadline = time.monotonic() + 30
        while self.query(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> ALL(%s)", COPY, list(self.own_pids)
        ):
            assert time.monotonic() < deadline, "the killed process's backends stay"
            time.sleep(0.2)

    def query(self, sql, *args):
        with self.db.cursor() as cr:
            cr.execute(sql, args)
            return cr.fetchall() if cr.description else None

    def job(self, key):
        model, record_id = self.jobs[key]
        table = model.replace(".", "_")
        [row] = self.query(
            f"SELECT job_state, job_attempts, job_error FROM {table} WHERE id = %s",
            record_id,
        )
        return row

    def a_minute_later(self):
        """What a minute does to the jobs started last: they may start again."""
        for model, _id in self.jobs.values():
            self.query(
                f"UPDATE {model.replace('.', '_')} SET job_attempt_date = job_attempt_date - interval '2 minutes' "
                "WHERE job_attempt_date IS NOT NULL"
            )

    def notifications(self, key):
        model, record_id = self.jobs[key]
        return [
            body
            for (body,) in self.query(
                "SELECT body FROM mail_message WHERE model = %s AND res_id = %s AND message_type = 'user_notification'"
                " ORDER BY id",
                model,
                record_id,
            )
        ]


class Lock:
    """A row lock held from the test's own connection until released: the jobs that refer to the row wait."""

    def __init__(self, queue, partner_id):
        self.connection = psycopg2.connect(**pg_params(COPY))
        queue.own_pids.add(self.connection.get_backend_pid())
        with self.connection.cursor() as cr:
            cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [partner_id])

    def release(self):
        self.connection.rollback()
        self.connection.close()


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    env = pg_env()
    subprocess.run(["dropdb", "--if-exists", "--force", COPY], check=True, env=env)
    # a database is copied only while no session uses it: close this process's idle ones
    odoo.sql_db.close_db(DB)
    for _attempt in range(30):
        done = subprocess.run(["createdb", "-T", DB, COPY], env=env, capture_output=True, text=True)
        if done.returncode == 0:
            break
        time.sleep(1)
    else:
        raise AssertionError(done.stderr)
    filestore = config.filestore(DB)
    if os.path.isdir(filestore):
        shutil.copytree(filestore, config.filestore(COPY), dirs_exist_ok=True)
    with connect("postgres") as admin, admin.cursor() as cr:
        cr.execute(f'ALTER DATABASE "{COPY}" SET client_connection_check_interval = 500')
    start = time.monotonic()
    queue = Queue(tmp_path_factory.mktemp("job_faults"))
    try:
        yield queue
    finally:
        queue.db.close()
        print(f"job fault scenarios: {time.monotonic() - start:.0f} s")
        subprocess.run(["dropdb", "--if-exists", "--force", COPY], check=True, env=env)
        shutil.rmtree(config.filestore(COPY), ignore_errors=True)


def test_killed_jobs_leave_nothing_half_done_and_run_again_or_fail(queue):
    data = queue.setup(SETUP)
    queue.jobs = data["jobs"]
    locks = {key: Lock(queue, partner) for key, partner in data["requesters"].items()}
    items, moves = tuple(data["items"]), tuple(data["moves"])
    dunning_run_id = queue.jobs["dunning"][1]

    def dunning_untouched():
        assert queue.query(
            "SELECT COUNT(*) FROM account_move_line WHERE id IN %s AND dunning_level_id IS NOT NULL", items
        ) == [(0,)]
        assert queue.query("SELECT state FROM sales_dunning_run WHERE id = %s", dunning_run_id) == [("draft",)]
        assert queue.query("SELECT DISTINCT state FROM sales_dunning_letter WHERE run_id = %s", dunning_run_id) == [
            ("draft",)
        ]

    def allocation_done():
        return queue.query(
            "SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM sales_allocation_line WHERE run_id = %s",
            queue.jobs["allocation"][1],
        )[0]

    def reserved():
        return queue.query("SELECT COALESCE(SUM(quantity), 0) FROM stock_move WHERE id IN %s", moves)[0][0]

    def plan_lines(key):
        return queue.query("SELECT COUNT(*) FROM sales_plan_line WHERE plan_id = %s", queue.jobs[key][1])[0][0]

    # the dunning confirmation, killed at each of its three starts: nothing of it stays, each start counted
    for attempt in (1, 2, 3):
        process, _backend = queue.run_until_blocked()
        queue.kill(process)
        assert queue.job("dunning") == ("queued", attempt, None)
        dunning_untouched()
        queue.a_minute_later()
    locks["dunning"].release()
    # killed three times in a row, the cron is skipped once by Odoo itself: the next run is the hourly one
    queue.run()
    assert queue.job("dunning")[:2] == ("queued", 3)
    queue.query(
        "UPDATE ir_cron SET nextcall = (now() at time zone 'UTC') - interval '1 minute' WHERE id = %s", data["cron"]
    )

    # the next run fails the dunning job and tells its manager, then starts the allocation, killed in the middle
    process, _backend = queue.run_until_blocked()
    queue.kill(process)
    state, attempts, error = queue.job("dunning")
    assert (state, attempts) == ("failed", 3)
    assert "started 3 times" in error
    assert "could not finish" in queue.notifications("dunning")[-1]
    dunning_untouched()
    assert queue.job("allocation") == ("queued", 1, None)
    assert (allocation_done(), reserved()) == ((0, 0), 0), "the allocation was complete but not committed"
    locks["allocation"].release()
    queue.a_minute_later()

    # after the restart: the allocation runs again and commits; the plan's decomposition, next, is killed
    process, _backend = queue.run_until_blocked()
    queue.kill(process)
    assert queue.job("allocation") == (None, 2, None), "committed before the next job started"
    assert allocation_done() == (2, 9) and reserved() == 9
    assert "is done" in queue.notifications("allocation")[-1]
    assert queue.job("plan") == ("queued", 1, None)
    assert plan_lines("plan") == 0
    locks["plan"].release()
    queue.a_minute_later()

    # the decomposition runs again; the next one loses its database connection in the middle
    process, backend = queue.run_until_blocked()
    queue.query("SELECT pg_terminate_backend(%s)", backend)
    assert process.wait(timeout=60) == 0, "the queue process survives a lost connection"
    queue.wait_for_no_backend()
    assert queue.job("plan") == (None, 2, None)
    assert plan_lines("plan") == 14, "the plan, its team and 12 months"
    assert queue.job("cut_plan") == ("queued", 1, None)
    assert plan_lines("cut_plan") == 0
    locks["cut_plan"].release()
    queue.a_minute_later()

    # retried: the decomposition whose connection was lost is done once
    queue.run()
    assert queue.job("cut_plan") == (None, 2, None)
    assert plan_lines("cut_plan") == 14
    assert len(queue.notifications("cut_plan")) == 1


def test_two_processes_run_each_job_once(queue):
    plan_ids = queue.setup(SETUP_MANY)
    barrier = connect()
    with barrier.cursor() as cr:
        cr.execute("SELECT pg_advisory_lock(4242)")
    logs = [queue.log("loop") for _index in range(2)]
    processes = [shell(RUN_QUEUE_LOOP, log) for log in logs]
    deadline = time.monotonic() + 120
    while len(queue.query("SELECT pid FROM pg_stat_activity WHERE wait_event = 'advisory' AND datname = %s", COPY)) < 2:
        assert time.monotonic() < deadline and all(p.poll() is None for p in processes), [queue.output(l) for l in logs]
        time.sleep(0.2)
    with barrier.cursor() as cr:
        cr.execute("SELECT pg_advisory_unlock(4242)")
    barrier.close()
    for process, log in zip(processes, logs):
        assert process.wait(timeout=180) == 0, queue.output(log)
    ran = [
        [int(line.split()[2]) for line in queue.output(log).splitlines() if line.startswith("RAN sales.plan ")]
        for log in logs
    ]
    ran = [[plan_id for plan_id in ids if plan_id in plan_ids] for ids in ran]
    assert sorted(ran[0] + ran[1]) == sorted(plan_ids), ran
    assert all(ran), f"both processes ran jobs: {ran}"
    rows = queue.query(
        "SELECT id, job_state, job_attempts, (SELECT COUNT(*) FROM sales_plan_line WHERE plan_id = plan.id), "
        "(SELECT COUNT(*) FROM mail_message WHERE model = 'sales.plan' AND res_id = plan.id "
        "AND message_type = 'user_notification') FROM sales_plan plan WHERE id IN %s",
        tuple(plan_ids),
    )
    assert {row[1:] for row in rows} == {(None, 1, 14, 1)}, rows
