from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditTours(HttpCase, SalesCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.over_limit = cls.env["res.partner"].create({"name": "Tour Over Limit Trading", "is_company": True})
        cls.set_credit(cls.over_limit, limit=1000, policy="block")
        cls.to_review = cls.env["res.partner"].create({"name": "Tour Review Trading", "is_company": True})
        cls.boiler, cls.furnace = cls.env["product.product"].create(
            [
                {"name": name, "type": "service", "list_price": price, "taxes_id": [Command.clear()]}
                for name, price in (("Tour Boiler", 1500), ("Tour Furnace", 8000))
            ]
        )

    def add_review_rule(self):
        self.env["sales.review.rule"].with_user(self.sale_manager).create(
            {
                "name": "Large orders",
                "condition": "amount",
                "amount": 5000,
                "reviewer": "group",
                "group_id": self.env.ref("sales_team.group_sale_manager").id,
            }
        )

    def chinese_salesman(self):
        """A salesperson who works in Chinese, with the suite's and the sales app's Chinese translations."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sale", "sales_credit"], ["zh_CN"])
        return new_test_user(
            self.env,
            "credit_salesman_zh",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            lang="zh_CN",
        )

    def confirm_new_quotation(self, tour, customer, salesman=None):
        """The tour makes and confirms a quotation from the menu; return the order it left on the screen."""
        salesman = salesman or self.salesman
        self.start_tour("/odoo", tour, login=salesman.login)
        order = self.env["sale.order"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.user_id, salesman)
        self.assertEqual(order.state, "draft", "a held order or one waiting for review stays a quotation")
        return order

    def test_salesperson_confirms_a_new_quotation_over_the_credit_limit(self):
        """In Chromium, as a salesperson: Quotations, New, a customer over his limit, Confirm; the hold shows;
        Request Release with a reason that the credit managers get."""
        order = self.confirm_new_quotation("sales_credit_confirm_held", self.over_limit)
        self.assertTrue(order.on_credit_hold)
        self.assertFalse(order.to_review)
        hold = order.credit_hold_ids
        self.assertEqual(hold.release_request, "The customer pays in advance tomorrow")
        self.assertIn("The customer pays in advance tomorrow", hold.activity_ids.mapped("note")[0])

    def test_salesperson_confirms_a_new_quotation_over_the_credit_limit_in_chinese(self):
        """The same path in Chinese: the hold and its reason show in Chinese."""
        salesman = self.chinese_salesman()
        order = self.confirm_new_quotation("sales_credit_confirm_held_zh", self.over_limit, salesman)
        self.assertTrue(order.on_credit_hold)
        # the reason is rendered for its reader: Chinese for him, English for an English credit manager
        self.assertIn("信用额度", order.with_context(lang="zh_CN").credit_hold_summary)
        self.assertIn("credit limit", order.with_context(lang="en_US").credit_hold_summary)

    def test_salesperson_confirms_a_new_quotation_needing_review(self):
        """In Chromium, as a salesperson: Quotations, New, an order above the review amount, Confirm; it waits."""
        self.add_review_rule()
        order = self.confirm_new_quotation("sales_credit_confirm_review", self.to_review)
        self.assertTrue(order.to_review)
        self.assertFalse(order.on_credit_hold)

    def test_salesperson_confirms_a_new_quotation_needing_review_in_chinese(self):
        """The same path in Chinese: the review and its reason show in Chinese."""
        self.add_review_rule()
        salesman = self.chinese_salesman()
        order = self.confirm_new_quotation("sales_credit_confirm_review_zh", self.to_review, salesman)
        self.assertTrue(order.to_review)
        self.assertIn("订单总额", order.with_context(lang="zh_CN").review_summary)
        self.assertIn("Order total", order.with_context(lang="en_US").review_summary)

    def test_salesperson_confirms_quotations_from_the_list(self):
        """In Chromium, as a salesperson: Quotations, select two, Actions > Confirm; the list shows the outcome."""
        # stock Odoo has no Confirm in the list's actions; a deployment may add one like this
        sale_order_model = self.env["ir.model"]._get_id("sale.order")
        self.env["ir.actions.server"].create(
            {
                "name": "Confirm Orders",
                "model_id": sale_order_model,
                "binding_model_id": sale_order_model,
                "binding_view_types": "list",
                "state": "code",
                "code": "action = records.action_confirm()",
            }
        )
        held = self.order(1500, partner=self.over_limit)
        passing = self.order(500)
        self.start_tour("/odoo", "sales_credit_confirm_from_list", login=self.salesman.login)
        self.assertEqual(passing.state, "sale")
        self.assertEqual(held.state, "draft")
        self.assertTrue(held.on_credit_hold)

    def test_credit_manager_releases_a_held_order(self):
        """In Chromium, as a credit manager: Sales > Credit Control > Credit Holds, Decide, a reason, Release."""
        customer = self.env["res.partner"].create({"name": "Tour Steel Trading", "is_company": True})
        self.set_credit(customer, limit=1000, policy="block")
        order = self.order(1500, partner=customer)
        order.with_user(self.salesman).action_confirm()
        self.assertTrue(order.on_credit_hold)
        self.start_tour("/odoo", "sales_credit_release", login=self.credit_manager.login)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_hold_ids.state, "released")
        self.assertIn("Paid in advance by wire", order.credit_hold_ids.decision_note)
