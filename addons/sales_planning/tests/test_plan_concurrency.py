from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.sales_base.tests.common import ConcurrencyCommon


@tagged("post_install", "-at_install")
class TestPlanConcurrency(ConcurrencyCommon):
    """Two planners change the same plan at the same moment, in two transactions."""

    def setUp(self):
        super().setUp()
        with self.transaction() as env:
            teams = env["crm.team"].create([{"name": "Concurrent East"}, {"name": "Concurrent West"}])
            plan = env["sales.plan"].create(
                {
                    "name": "Concurrent plan",
                    "date_from": date(2033, 1, 1),
                    "date_to": date(2033, 12, 31),
                    "target_amount": 1000,
                    "time_split": "none",
                    "dimension_ids": [Command.create({"dimension": "team", "basis": "manual"})],
                }
            )
            root = plan._get_root_line()
            for team, share in zip(teams, (50, 50)):
                env["sales.plan.line"].create(
                    {"plan_id": plan.id, "parent_id": root.id, "team_id": team.id, "percentage": share}
                )
            plan.action_decompose()
            self.ids = {"plan": plan.id, "teams": teams.ids}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.transaction() as env:
            env["sales.plan"].browse(self.ids["plan"]).unlink()
            env["crm.team"].browse(self.ids["teams"]).unlink()

    def team_line(self, env, index):
        return env["sales.plan.line"].search(
            [("plan_id", "=", self.ids["plan"]), ("team_id", "=", self.ids["teams"][index])]
        )

    def test_a_locked_edit_and_a_decomposition_at_once_lose_nothing(self):
        def lock_east(env):
            self.team_line(env, 0).write({"target_amount": 700, "locked": True})

        def decompose(env):
            env["sales.plan"].browse(self.ids["plan"]).action_decompose()

        outcomes = self.race(lock_east, decompose, retries=1)
        self.assertTrue(all(outcome.startswith("done") for outcome in outcomes), outcomes)
        with self.transaction() as env:
            self.assertEqual(self.team_line(env, 0).target_amount, 700, "the planner's edit is kept")
            self.assertIn(
                self.team_line(env, 1).target_amount,
                (300, 500),
                "the decomposition ran after the edit (300) or before it (500, flagged unbalanced)",
            )

    def test_two_planners_editing_two_lines_both_land(self):
        outcomes = self.race(
            lambda env: self.team_line(env, 0).write({"target_amount": 600}),
            lambda env: self.team_line(env, 1).write({"target_amount": 400}),
            retries=1,
        )
        self.assertTrue(all(outcome.startswith("done") for outcome in outcomes), outcomes)
        with self.transaction() as env:
            self.assertEqual((self.team_line(env, 0).target_amount, self.team_line(env, 1).target_amount), (600, 400))
