from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .test_plan_decomposition import PlanCommon


@tagged("post_install", "-at_install")
class TestPlanGrades(PlanCommon):
    """Plan lines and plan versus actual grouped by the ABC grade of their customer and product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "plan_grade_manager", groups="sales_team.group_sale_manager")
        # the sales graded are 2030's of the plans' tests alone
        others = cls.env["sale.order"].search([("partner_id", "not in", (cls.key | cls.other).ids)])
        others.write({"date_order": "2000-01-01"})

    def grade(self, a_share):
        self.company.write({"sales_grade_months": 24, "sales_grade_a_share": a_share, "sales_grade_b_share": 95})
        # 2030: Small Shop 7,000, Key Steel 3,000 (70 % above it); Coil 9,000, Cable 1,000 (90 % above it)
        with freeze_time("2031-01-01"):
            self.env["sales.grading"].with_user(self.manager).action_grade_now()

    def by_grade(self, model, grade_field, domain, measure):
        return dict(self.env[model].with_user(self.planner)._read_group(domain, [grade_field], [measure]))

    def test_plan_lines_and_months_by_grade(self):
        self.env["sale.order"].search(
            [("date_order", ">=", "2029-01-01"), ("partner_id", "not in", (self.key | self.other).ids)]
        ).write({"date_order": "2000-01-01"})
        self.grade(a_share=50)
        plan = self.plan([("customer", "last_year"), ("product", "last_year")], time_split="month")
        plan.action_decompose()
        customers = [("plan_id", "=", plan.id), ("dimension", "=", "customer")]
        self.assertEqual(
            self.by_grade("sales.plan.line", "customer_grade", customers, "target_amount:sum"),
            {"b": 300_000, False: 700_000},
            "Key Steel is B; the other customers together have no grade",
        )
        products = [("plan_id", "=", plan.id), ("dimension", "=", "product")]
        self.assertEqual(
            self.by_grade("sales.plan.line", "product_grade", products, "target_amount:sum"),
            {"a": 900_000, "b": 100_000},
        )
        targets = [("plan_id", "=", plan.id), ("figure", "=", "target")]
        self.assertEqual(
            self.by_grade("sales.plan.completion.report", "customer_grade", targets, "amount:sum"),
            {"b": 300_000, False: 700_000},
            "the months of plan versus actual group by grade too",
        )
        # graded again with a higher cut-off, Key Steel becomes A: the plan follows
        self.grade(a_share=80)
        self.assertEqual(
            self.by_grade("sales.plan.line", "customer_grade", customers, "target_amount:sum"),
            {"a": 300_000, False: 700_000},
        )
        graded_a = (
            self.env["sales.plan.line"].with_user(self.planner).search([*customers, ("customer_grade", "=", "a")])
        )
        self.assertEqual(graded_a.partner_id, self.key)
