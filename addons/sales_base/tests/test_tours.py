from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SuiteCommon


@tagged("post_install", "-at_install")
class TestBaseTours(HttpCase, SuiteCommon):
    def test_manager_grades_and_accepts_the_suggested_tier(self):
        """In Chromium, as a sales manager: Sales > Configuration > Customers > ABC Grading, then the customer's
        suggested tier accepted."""
        manager = new_test_user(
            self.env, "grading_tour_manager", groups="sales_team.group_sale_manager,base.group_partner_manager"
        )
        if "sales.review.rule" in self.env:  # with sales_credit, the demo's review rules would hold the order
            self.env["sales.review.rule"].search([]).action_archive()
        # the only sales of the period: this customer is A
        self.env["sale.order"].search([("state", "=", "sale")]).write({"date_order": "2000-01-01"})
        customer = self.env["res.partner"].create({"name": "Grading Tour Co", "is_company": True, "customer_rank": 1})
        product = self.env["product.product"].create({"name": "Tour Service", "type": "service"})
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id, "price_unit": 100})]}
        )
        order.action_confirm()
        self.start_tour("/odoo", "sales_base_grading", login=manager.login)
        self.assertEqual(customer.sales_grade, "a")
        self.assertEqual(customer.customer_tier_id, self.env.ref("sales_base.tier_key"))
