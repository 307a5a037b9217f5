from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPlanningTours(HttpCase):
    def test_planner_decomposes_a_plan(self):
        """In Chromium, as a planner: Sales > Planning > Plans, New plan by team and month, Decompose, its lines."""
        planner = new_test_user(self.env, "tour_planner", groups="sales_planning.group_plan_user")
        self.start_tour("/odoo", "sales_planning_decompose", login=planner.login)
        plan = self.env["sales.plan"].search([("name", "=", "Tour Plan 2031")])
        self.assertRecordValues(
            plan,
            [
                {
                    "date_from": date(2031, 1, 1),
                    "date_to": date(2031, 12, 31),
                    "target_amount": 1_200_000,
                    "time_split": "month",
                    "state": "draft",
                }
            ],
        )
        self.assertEqual(plan.dimension_ids.mapped("dimension"), ["team"])
        self.assertEqual(plan.dimension_ids.basis, "equal")
        months = plan.line_ids.filtered(lambda line: line.period_type == "month")
        self.assertEqual(len(months), 12 * len(plan.line_ids.filtered(lambda line: line.dimension == "team")))
        self.assertAlmostEqual(sum(months.mapped("target_amount")), 1_200_000, places=2)
