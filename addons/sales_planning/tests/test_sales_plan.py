from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon


@tagged("post_install", "-at_install")
class TestSalesPlan(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "plan_salesman", groups="sales_team.group_sale_salesman")
        cls.planner = new_test_user(cls.env, "planner", groups="sales_planning.group_plan_user")
        cls.plan_manager = new_test_user(cls.env, "plan_manager", groups="sales_planning.group_plan_manager")

    def _plan(self, **vals):
        return (
            self.env["sales.plan"]
            .with_user(self.planner)
            .create(
                {
                    "name": "Plan 2027",
                    "date_from": "2027-01-01",
                    "date_to": "2027-12-31",
                    "target_amount": 1_000_000,
                    **vals,
                }
            )
        )

    def test_planner_drafts_manager_approves(self):
        plan = self._plan()
        with self.assertRaisesText(UserError, "plan manager"):
            plan.action_approve()
        plan.with_user(self.plan_manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.plan_manager)

    def test_approved_targets_are_frozen(self):
        plan = self._plan()
        plan.with_user(self.plan_manager).action_approve()
        with self.assertRaisesText(UserError, "cannot be changed"):
            plan.with_user(self.plan_manager).target_amount = 2_000_000
        plan.with_user(self.plan_manager).action_reset_to_draft()
        plan.target_amount = 2_000_000
        self.assertEqual(plan.target_amount, 2_000_000)

    def test_salesperson_only_reads_plans(self):
        plan = self._plan()
        self.assertEqual(plan.with_user(self.salesman).target_amount, 1_000_000)
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).write({"name": "Mine"})

    def test_bad_targets_and_periods_refused(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self._plan(target_amount=-1)
        with self.assertRaisesText(ValidationError, "ends"):
            self._plan(date_from="2027-12-31", date_to="2027-01-01")

    def test_actual_source_defaults_from_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.sales_plan_actual_source = "invoice"
        settings.save().execute()
        self.assertEqual(self._plan().actual_source, "invoice")
