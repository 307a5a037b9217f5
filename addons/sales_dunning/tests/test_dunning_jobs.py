"""The suite's job queue (sales.background.mixin) on dunning runs: starts counted, a job stopped too often failed
and told, one job per call of the cron, the start committed before the job runs."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .test_dunning_run import DUE, DunningCommon, make_invoice

DAY = DUE + timedelta(days=12)


@tagged("post_install", "-at_install")
class TestDunningJobs(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sales_background_threshold = 1
        make_invoice(cls.env, cls.customer, 500)
        cls.cron = cls.env.ref("sales_base.ir_cron_sales_background_jobs")

    def queued_run(self, day=DAY):
        """The clerk's run of ``day``, its computation queued (two overdue items, over the threshold of 1)."""
        run = self.env["sales.dunning.run"].with_user(self.dunning_user).create({"date": day})
        run.action_compute()
        self.assertEqual(run.job_state, "queued")
        return run

    def killed(self, run, attempts, ago=timedelta(minutes=2)):
        """What a process killed during the job leaves: its starts, committed before it ran."""
        run.write({"job_attempts": attempts, "job_attempt_date": fields.Datetime.now() - ago})

    def test_queued_job_shows_its_requester_size_and_unit(self):
        run = self.queued_run()
        banner = run.with_user(self.dunning_manager).job_banner
        self.assertIn("alert-warning", banner)
        self.assertIn(self.dunning_user.name, banner)
        self.assertIn("(2 overdue items)", banner)
        self.assertEqual((run.job_size, run.job_size_unit, run.job_attempts), (2, "overdue items", 0))

    def test_job_stopped_once_runs_again_with_its_start_counted(self):
        run = self.queued_run()
        self.killed(run, 1)
        self.assertIn("Started 1 time(s) already", run.job_banner)
        self.cron.method_direct_trigger()
        self.assertEqual((run.job_state, run.job_attempts), (False, 2))
        self.assertFalse(run.job_banner)
        self.assertEqual(len(self.letters(run).line_ids), 2)
        self.assertIn("1 letter(s) to 1 customer(s)", self.inbox(run).body)

    def test_job_started_less_than_a_minute_ago_waits_its_minute(self):
        run = self.queued_run()
        self.killed(run, 1, ago=timedelta(seconds=10))
        self.cron.method_direct_trigger()
        self.assertEqual((run.job_state, run.job_attempts), ("queued", 1), "maybe still running elsewhere")
        self.assertFalse(run.letter_ids)
        wake_up = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)], order="call_at desc", limit=1)
        self.assertEqual(wake_up.call_at, run.job_attempt_date + timedelta(minutes=1), "the queue wakes up then")
        with freeze_time(wake_up.call_at):
            self.cron.method_direct_trigger()
        self.assertEqual((run.job_state, run.job_attempts), (False, 2))

    def test_job_stopped_three_times_fails_and_tells_the_requester(self):
        run = self.queued_run()
        self.killed(run, 3)
        Run = type(self.env["sales.dunning.run"])
        with (
            patch.object(Run, "_compute_letters", side_effect=AssertionError("not started a fourth time")),
            mute_logger("odoo.addons.sales_base.models.sales_background_mixin"),
        ):
            self.cron.method_direct_trigger()
        self.assertEqual((run.job_state, run.job_attempts), ("failed", 3))
        self.assertIn("started 3 times and stopped before the end", run.job_error)
        self.assertIn("(2 overdue items)", run.job_error)
        self.assertIn("limit_time_real_cron", run.job_error)
        self.assertIn("could not finish", self.inbox(run).body)
        self.assertIn(self.dunning_user.partner_id, self.inbox(run).partner_ids)
        banner = run.with_user(self.dunning_user).job_banner
        self.assertIn("alert-danger", banner)
        self.assertIn("started 3 times", banner)
        # the clerk may compute it again: a new job, its starts counted from zero
        run.with_user(self.dunning_user).action_compute()
        self.assertEqual((run.job_state, run.job_attempts, run.job_error), ("queued", 0, False))

    def test_each_call_runs_one_job_and_tells_the_cron_what_remains(self):
        # the confirmation of a run computed at once, then the computation of a later run
        first = self.env["sales.dunning.run"].with_user(self.dunning_user).create({"date": DAY})
        self.company.sales_background_threshold = 0
        first.action_compute()
        self.company.sales_background_threshold = 1
        first.with_user(self.dunning_manager).action_done()
        self.assertEqual((first.job_state, first.job_size_unit), ("queued", "dunned items"))
        second = self.queued_run(DAY + timedelta(days=1))
        self.cron.method_direct_trigger()
        progress = self.env["ir.cron.progress"].search([("cron_id", "=", self.cron.id)], order="id desc", limit=1)
        self.assertEqual((progress.done, progress.remaining), (1, 1), "Odoo commits, then calls again")
        self.assertEqual((first.state, first.job_state, second.job_state), ("done", False, "queued"), "oldest first")
        self.cron.method_direct_trigger()
        progress = self.env["ir.cron.progress"].search([("cron_id", "=", self.cron.id)], order="id desc", limit=1)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertFalse(second.job_state)

    def test_failed_job_keeps_its_failure_but_not_its_work(self):
        run = self.queued_run()
        Run = type(self.env["sales.dunning.run"])
        original = Run._compute_letters

        def compute_then_fail(record):
            original(record)
            record.flush_recordset()
            raise ValueError("disk full")

        with (
            patch.object(Run, "_compute_letters", compute_then_fail),
            mute_logger("odoo.addons.sales_base.models.sales_background_mixin"),
        ):
            self.cron.method_direct_trigger()
        self.assertEqual(run.job_state, "failed")
        self.assertIn("disk full", run.job_error)
        self.assertFalse(run.letter_ids, "the letters written before the error are undone")
        self.assertEqual(run.job_attempts, 1)

    def test_job_start_is_committed_before_the_job_runs(self):
        """Outside tests the queue commits the start, then locks the job again and runs it: a process killed
        during the job leaves the start counted."""
        run = self.queued_run()
        seen = []

        def commit():
            self.env.flush_all()
            [(attempts,)] = self.env.execute_query(
                SQL("SELECT job_attempts FROM sales_dunning_run WHERE id = %s", run.id)
            )
            seen.append((attempts, len(run.letter_ids)))

        with (
            patch.object(type(self.env["sales.background.mixin"]), "_can_commit_jobs", return_value=True),
            patch.object(self.env.cr, "commit", side_effect=commit),
        ):
            self.cron.method_direct_trigger()
        self.assertEqual(seen, [(1, 0)], "one commit: the start, before any letter")
        self.assertEqual((run.job_state, run.job_attempts), (False, 1))
        self.assertEqual(len(self.letters(run).line_ids), 2)

    def test_job_another_transaction_runs_is_not_taken(self):
        run = self.queued_run()
        with patch.object(type(run), "_lock_job", return_value=False):
            self.cron.method_direct_trigger()
        self.assertEqual((run.job_state, run.job_attempts), ("queued", 0))
        self.assertFalse(run.letter_ids)
