from datetime import date

from odoo import Command
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

    def test_salesperson_without_team_is_told_to_ask_for_one(self):
        """In Chromium, as a salesperson in no team: Sales > Planning > Plan Lines says to ask for a team."""
        loner = new_test_user(self.env, "tour_loner", groups="sales_team.group_sale_salesman")
        self.assertFalse(loner.crm_team_ids)
        self.start_tour("/odoo", "sales_planning_salesperson_without_team", login=loner.login)

    def test_planner_unfolds_the_breakdown_by_level(self):
        """In Chromium, as a planner: Sales > Planning > Plans, a plan, By Level: teams, then their months."""
        planner = new_test_user(self.env, "tour_level_planner", groups="sales_planning.group_plan_user")
        team = self.env["crm.team"].create({"name": "North"})
        plan = self.env["sales.plan"].create(
            {
                "name": "Level Plan 2031",
                "date_from": date(2031, 1, 1),
                "date_to": date(2031, 12, 31),
                "target_amount": 120_000,
                "time_split": "month",
                "season_basis": "equal",
                "dimension_ids": [Command.create({"dimension": "team", "basis": "equal"})],
            }
        )
        plan.action_decompose()
        self.assertIn(team, plan.line_ids.team_id)
        self.start_tour("/odoo", "sales_planning_breakdown_by_level", login=planner.login)
