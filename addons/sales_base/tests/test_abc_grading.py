from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SuiteCommon


@tagged("post_install", "-at_install")
class TestAbcGrading(SuiteCommon):
    """Customers and products graded A, B, C by their cumulative share of the period's sales (80 % / 95 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "sales.review.rule" in cls.env:  # with sales_credit, the demo's review rules would hold the orders
            cls.env["sales.review.rule"].search([]).action_archive()
        cls.salesman = new_test_user(
            cls.env, "grading_salesman", groups="sales_team.group_sale_salesman,base.group_partner_manager"
        )
        cls.manager = new_test_user(
            cls.env, "grading_manager", groups="sales_team.group_sale_manager,base.group_partner_manager"
        )
        cls.company = cls.env.company
        cls.company.write(
            {
                "sales_grade_customer_basis": "revenue",
                "sales_grade_product_basis": "revenue",
                "sales_grade_months": 12,
                "sales_grade_a_share": 80,
                "sales_grade_b_share": 95,
            }
        )
        cls.tier_key = cls.env.ref("sales_base.tier_key")
        cls.tier_normal = cls.env.ref("sales_base.tier_normal")
        cls.tier_occasional = cls.env.ref("sales_base.tier_occasional")
        cls.tier_strategic = cls.env.ref("sales_base.tier_strategic")
        product_vals = {"type": "service", "invoice_policy": "order", "taxes_id": [Command.clear()]}
        cls.cheap = cls.env["product.product"].create({"name": "Bolts", "standard_price": 9, **product_vals})
        cls.rich = cls.env["product.product"].create({"name": "Design", "standard_price": 1, **product_vals})
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(1, 6)]
        )
        # the company's other grades from before the test do not change these customers' shares
        cls.env["sale.order"].search([("state", "=", "sale")]).write({"date_order": "2000-01-01"})

    def order(self, customer, amount, product=None, qty=1, days_ago=10):
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": (product or self.cheap).id, "product_uom_qty": qty, "price_unit": amount / qty}
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def grade_now(self, user=None):
        return self.env["sales.grading"].with_user(user or self.manager).action_grade_now()

    def grades(self, records, company=None):
        return [r.with_company(company or self.company).sales_grade for r in records]

    def test_revenue_grades_by_cumulative_share(self):
        # 500 + 300 + 100 + 60 + 40 = 1,000; above each: 0, 500, 800, 900, 960, i.e. 0, 50, 80, 90, 96 %
        for customer, amount in zip(self.customers, (500, 300, 100, 60, 40)):
            self.order(customer, amount)
        action = self.grade_now()
        self.assertEqual(self.grades(self.customers), ["a", "a", "b", "b", "c"])
        self.assertEqual(self.customers[0].sales_grade_date, fields.Date.context_today(self.customers[0]))
        self.assertIn("A 2, B 2, C 1", action["params"]["message"])

    def test_equal_values_get_the_same_grade(self):
        # 400, 400, 200: both 400s have nothing above them, the 200 has 800 of 1,000 above (80 %, not below)
        for customer, amount in zip(self.customers, (400, 400, 200)):
            self.order(customer, amount)
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:3]), ["a", "a", "b"])

    def test_credit_note_lowers_revenue(self):
        # 600, 300, 100: the third is B; 100 credited back on the first leaves 500, 300, 100 of 900 -> A, A, B;
        # crediting the third's whole 100 leaves it nothing: C
        first = self.order(self.customers[0], 600, qty=6)
        self.order(self.customers[1], 300)
        third = self.order(self.customers[2], 100)
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:3]), ["a", "a", "b"])
        for order, qty in ((first, 1), (third, 1)):
            invoice = order._create_invoices()
            invoice.action_post()
            refund = invoice._reverse_moves()
            refund.invoice_line_ids.quantity = qty
            refund.action_post()
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:3]), ["a", "a", "c"])

    def test_margin_grades(self):
        # revenue 900 at cost 9 x 90 = 810: margin 90; revenue 200 at cost 1 x 100: margin 100; revenue 10 at cost
        # 1 x 10: no margin
        self.company.sales_grade_customer_basis = "margin"
        self.order(self.customers[0], 900, product=self.cheap, qty=90)
        self.order(self.customers[1], 200, product=self.rich, qty=100)
        self.order(self.customers[2], 10, product=self.rich, qty=10)
        # of 190: the second has nothing above, the first 100 (52.6 %), the third nothing to grade: C
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:3]), ["a", "a", "c"])
        self.company.sales_grade_a_share = 50
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:2]), ["b", "a"])

    def test_frequency_grades(self):
        self.company.write({"sales_grade_customer_basis": "frequency", "sales_grade_a_share": 50})
        # 3 orders, 2, 1 (the largest amount), of 6: above 0, 3 (50 %), 5 (83 %)
        for _n in range(3):
            self.order(self.customers[0], 10)
        for _n in range(2):
            self.order(self.customers[1], 10)
        self.order(self.customers[2], 1000)
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:3]), ["a", "b", "b"])

    def test_old_sales_and_no_sales_clear_the_grade(self):
        self.order(self.customers[0], 100)
        old = self.order(self.customers[1], 100)
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:3]), ["a", "a", False])
        old.date_order = fields.Datetime.now() - timedelta(days=400)
        self.grade_now()
        self.assertEqual(self.grades(self.customers[:2]), ["a", False])
        self.assertFalse(self.customers[1].sales_grade_date)

    def test_product_grades(self):
        # Design 700, Bolts 300 of 1,000: Bolts has 70 % above it
        self.order(self.customers[0], 700, product=self.rich)
        self.order(self.customers[1], 300, product=self.cheap, qty=30)
        self.grade_now()
        templates = self.rich.product_tmpl_id | self.cheap.product_tmpl_id
        self.assertEqual(self.grades(templates), ["a", "a"])
        # by margin: Design 700 - 1 = 699, Bolts 300 - 30 x 9 = 30 of 729: 95.9 % above Bolts
        self.company.sales_grade_product_basis = "margin"
        self.grade_now()
        self.assertEqual(self.grades(templates), ["a", "c"])
        graded_a = self.env["product.template"].with_user(self.salesman).search([("sales_grade", "=", "a")])
        self.assertEqual(graded_a & templates, self.rich.product_tmpl_id)

    def test_grades_per_company(self):
        self.setup_second_company()
        self.order(self.customers[0], 900)
        self.order(self.customers[1], 100)
        order_b = (
            self.env["sale.order"]
            .with_company(self.company_b)
            .create(
                {
                    "partner_id": self.customers[1].id,
                    "company_id": self.company_b.id,
                    "order_line": [Command.create({"product_id": self.cheap.id, "price_unit": 50})],
                }
            )
        )
        order_b.action_confirm()
        self.env["sales.grading"]._cron_grade()
        # in the first company 900 and 100 of 1,000: the second has 90 % above it
        self.assertEqual(self.grades(self.customers[:2]), ["a", "b"])
        self.assertEqual(self.grades(self.customers[:2], self.company_b), [False, "a"])

    def test_suggested_tier_accepted_by_sales_manager(self):
        for customer, amount in zip(self.customers, (500, 300, 100, 60, 40)):
            self.order(customer, amount)
        first, second, third, fourth, fifth = self.customers
        first.customer_tier_id = self.tier_key  # A, and key suits A: nothing to suggest
        second.customer_tier_id = self.tier_strategic  # a tier decided by hand: kept
        third.customer_tier_id = self.tier_key  # B: normal suggested
        self.grade_now()
        as_manager = self.customers.with_user(self.manager)
        self.assertEqual(as_manager.mapped("sales_grade_tier_id"), self.tier_normal | self.tier_occasional)
        self.assertEqual(
            [p.sales_grade_tier_id for p in as_manager],
            [self.tier_key.browse(), self.tier_key.browse(), self.tier_normal, self.tier_normal, self.tier_occasional],
        )
        self.assertEqual(
            self.env["res.partner"]
            .with_user(self.manager)
            .search([("id", "in", self.customers.ids), ("sales_grade_tier_id", "!=", False)]),
            third | fourth | fifth,
        )
        # the salesperson sees grade and suggestion, but cannot accept it
        as_salesman = third.with_user(self.salesman)
        self.assertEqual((as_salesman.sales_grade, as_salesman.sales_grade_tier_id), ("b", self.tier_normal))
        self.assertFalse(as_salesman.can_edit_tier)
        with self.assertRaises(AccessError):
            as_salesman.action_accept_suggested_tier()
        self.assertEqual(third.customer_tier_id, self.tier_key)
        # the manager accepts them all at once, as from the list
        self.assertTrue(as_manager[0].can_edit_tier)
        as_manager.action_accept_suggested_tier()
        self.assertEqual(
            self.customers.mapped(lambda p: p.customer_tier_id.code),
            ["key", "strategic", "normal", "normal", "occasional"],
        )
        self.assertFalse(as_manager.filtered("sales_grade_tier_id"))

    def test_person_without_company_is_graded_and_listed(self):
        person = self.env["res.partner"].create({"name": "Mr. Zhang"})
        self.order(person, 100)
        self.grade_now()
        self.assertEqual(person.sales_grade, "a")
        to_review = self.env["res.partner"].with_user(self.manager).search([("sales_grade_tier_id", "!=", False)])
        self.assertIn(person, to_review)
        self.assertNotIn(person, self.env["res.partner"].search([("sales_grade_tier_id", "=", False)]))

    def test_contact_shows_company_suggestion(self):
        self.order(self.customers[0], 100)
        contact = self.env["res.partner"].create({"name": "Mr. Li", "parent_id": self.customers[0].id})
        self.order(contact, 100)
        self.grade_now()
        self.assertEqual(self.customers[0].sales_grade, "a")
        self.assertEqual(contact.sales_grade_tier_id, self.tier_key)
        contact.with_user(self.manager).action_accept_suggested_tier()
        self.assertEqual((self.customers[0].customer_tier_id, contact.customer_tier_id), (self.tier_key, self.tier_key))

    def test_salesperson_cannot_grade_or_write_grades(self):
        with self.assertRaisesText(AccessError, "cannot grade"):
            self.grade_now(self.salesman)
        with self.assertRaises(AccessError):
            self.customers[0].with_user(self.salesman).write({"sales_grade": "a"})

    def test_settings_are_checked(self):
        with self.assertRaisesText(ValidationError, "must rise"):
            self.company.sales_grade_a_share = 96
        with self.assertRaisesText(ValidationError, "1 to 120"):
            self.company.sales_grade_months = 0
        settings = self.env["res.config.settings"].create({"sales_grade_months": 6, "sales_grade_b_share": 100})
        settings.execute()
        self.assertEqual((self.company.sales_grade_months, self.company.sales_grade_b_share), (6, 100))
