import threading
from datetime import timedelta

from psycopg2 import IntegrityError
from psycopg2.errors import SerializationFailure

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.sales_base.tests.common import ConcurrencyCommon

from .test_dunning_run import DUE, make_invoice


@tagged("post_install", "-at_install")
class TestDunningConcurrency(ConcurrencyCommon):
    """Two collectors compute and confirm runs at the same moment, in two transactions."""

    def setUp(self):
        super().setUp()
        with self.transaction() as env:
            policy = env["sales.dunning.policy"].create(
                {
                    "name": "Concurrent ladder",
                    "level_ids": [Command.create({"name": "First", "days": 1})],
                }
            )
            customer = env["res.partner"].create({"name": "Concurrent Debtor", "is_company": True})
            customer.dunning_policy_id = policy
            invoice = make_invoice(env, customer, 300)
            self.ids = {"policy": policy.id, "customer": customer.id, "invoice": invoice.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.transaction() as env:
            env["sales.dunning.letter"].search([("partner_id", "=", self.ids["customer"])]).run_id.unlink()
            invoice = env["account.move"].browse(self.ids["invoice"])
            invoice.button_draft()
            invoice.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()
            env["sales.dunning.policy"].browse(self.ids["policy"]).unlink()

    def _run_in_thread(self, day, started, go, outcomes):
        try:
            with self.transaction() as env:
                run = env["sales.dunning.run"].create({"date": day})
                run.action_compute()
                started.set()
                go.wait(10)
                run.action_done()
                env.cr.flush()
            outcomes.append("done")
        except (IntegrityError, SerializationFailure) as error:
            outcomes.append(type(error).__name__)

    # the losing transaction's refused insert is expected, not a bad query to report (muted once, for both
    # threads: the logger's handlers are global)
    @mute_logger("odoo.sql_db")
    def _race(self, first_day, second_day):
        go, outcomes = threading.Event(), []
        started = [threading.Event(), threading.Event()]
        threads = [
            threading.Thread(target=self._run_in_thread, args=(day, started[i], go, outcomes))
            for i, day in enumerate((first_day, second_day))
        ]
        for thread in threads:
            thread.start()
        started[0].wait(10)
        started[1].wait(3)
        go.set()
        for thread in threads:
            thread.join(30)
        with self.transaction() as env:
            lines = env["sales.dunning.letter.line"].search([("move_line_id.move_id", "=", self.ids["invoice"])])
            return sorted(outcomes), len(lines)

    def test_two_runs_of_different_dates_dun_an_item_once(self):
        outcomes, lines = self._race(DUE + timedelta(days=5), DUE + timedelta(days=6))
        self.assertEqual(lines, 1)
        self.assertEqual(outcomes.count("done"), 1)
        self.assertEqual(len(outcomes), 2, "the other run ends with a clean, retryable database error")

    def test_two_runs_of_the_same_date(self):
        outcomes, lines = self._race(DUE + timedelta(days=5), DUE + timedelta(days=5))
        self.assertEqual(lines, 1)
        self.assertEqual(outcomes.count("done"), 1)
