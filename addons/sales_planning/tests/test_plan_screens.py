from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .test_plan_decomposition import PlanCommon


@tagged("post_install", "-at_install")
class TestPlanScreens(PlanCommon):
    """What planners and salespeople see on the plan screens they open every day."""

    def help_of(self, xml_id, user):
        # as the web client loads an action
        return self.env["ir.actions.act_window"].with_user(user)._for_xml_id(xml_id)["help"]

    def test_salesperson_outside_any_team_is_told_to_ask_for_a_team(self):
        loner = new_test_user(self.env, "loner", groups="sales_team.group_sale_salesman")
        for xml_id in ("sales_planning.sales_plan_line_action", "sales_planning.sales_plan_completion_report_action"):
            help_text = self.help_of(xml_id, loner)
            self.assertIn("You are in no sales team yet", help_text)
            self.assertIn("Ask your sales manager to add you", help_text)
            self.assertNotIn("Decompose", help_text)

    def test_salesperson_in_a_team_waits_for_the_planner(self):
        help_text = self.help_of("sales_planning.sales_plan_line_action", self.wang)
        self.assertIn("once a planner has decomposed the sales plan", help_text)
        self.assertNotIn("Decompose a plan", help_text)

    def test_planner_is_told_to_decompose(self):
        self.assertIn("Decompose a plan", self.help_of("sales_planning.sales_plan_line_action", self.planner))
        self.assertIn(
            "then Decompose", self.help_of("sales_planning.sales_plan_completion_report_action", self.planner)
        )

    def test_target_below_the_locked_lines_is_refused_at_save(self):
        plan = self.plan([("team", "last_year")])
        plan.action_decompose()
        north = plan.line_ids.filtered(lambda l: l.team_id == self.north)
        north.with_user(self.planner).write({"target_amount": 700_000, "locked": True})
        form = Form(plan.with_user(self.planner))
        form.target_amount = 500_000
        with self.assertRaisesText(ValidationError, "The locked lines of Plan 2031 (North) keep"):
            form.save()
        plan.invalidate_recordset()
        self.assertEqual(plan.target_amount, 1_000_000)
        self.assertFalse(plan.is_target_changed)

    def test_locked_line_under_a_locked_line_is_counted_once(self):
        plan = self.plan([("team", "last_year")], time_split="month")
        plan.action_decompose()
        north = plan.line_ids.filtered(lambda l: l.team_id == self.north and l.dimension == "team")
        north.with_user(self.planner).locked = True
        north.child_ids[:1].with_user(self.planner).locked = True
        self.assertEqual(plan._get_top_locked_lines(), north)
        plan.with_user(self.planner).target_amount = north.target_amount
        self.assertEqual(plan.target_amount, north.target_amount)

    def test_a_target_the_lines_were_not_split_from_shows(self):
        plan = self.plan([("team", "last_year")])
        plan.action_decompose()
        self.assertFalse(plan.is_target_changed)
        plan.with_user(self.planner).target_amount = 1_200_000
        self.assertTrue(plan.is_target_changed)
        self.assertEqual(plan.breakdown_target_amount, 1_000_000)
        arch = plan.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("press Decompose to split the new target", arch)
        plan.action_decompose()
        self.assertFalse(plan.is_target_changed)

    def test_breakdown_by_level_in_one_grouped_list(self):
        plan = self.plan([("team", "last_year"), ("user", "last_year")], time_split="quarter")
        plan.action_decompose()
        action = plan.with_user(self.planner).action_view_levels()
        self.assertEqual(action["context"]["group_by"], ["team_id", "user_id", "date_from:quarter", "date_from:month"])
        months = self.env["sales.plan.line"].search(action["domain"])
        self.assertEqual(set(months.mapped("period_type")), {"month"})
        self.assertAlmostEqual(sum(months.mapped("target_amount")), 1_000_000, places=2)
        groups = self.env["sales.plan.line"]._read_group(action["domain"], ["team_id"], ["target_amount:sum"])
        teams = plan.line_ids.filtered(lambda l: l.dimension == "team")
        self.assertEqual(dict(groups), {line.team_id: line.target_amount for line in teams})
