from datetime import date

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPlanningTours(HttpCase):
    def test_planner_decomposes_a_plan(self):
        """In Chromium, as a planner: open a draft plan, Decompose, open its lines."""
        planner = new_test_user(self.env, "tour_planner", groups="sales_planning.group_plan_user")
        plan = self.env["sales.plan"].create(
            {
                "name": "Tour Plan 2031",
                "date_from": date(2031, 1, 1),
                "date_to": date(2031, 12, 31),
                "target_amount": 1_200_000,
                "time_split": "month",
                "dimension_ids": [Command.create({"dimension": "team", "basis": "equal"})],
            }
        )
        self.start_tour(
            "/odoo/action-sales_planning.sales_plan_action", "sales_planning_decompose", login=planner.login
        )
        months = plan.line_ids.filtered(lambda line: line.period_type == "month")
        self.assertEqual(len(months), 12 * len(plan.line_ids.filtered(lambda line: line.dimension == "team")))
        self.assertAlmostEqual(sum(months.mapped("target_amount")), 1_200_000, places=2)
