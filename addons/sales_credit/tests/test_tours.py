from odoo.tests import HttpCase, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditTours(HttpCase, SalesCreditCommon):
    def test_credit_manager_releases_a_held_order(self):
        """In Chromium, as a credit manager: Credit Holds, Decide, a reason, Release and Confirm."""
        customer = self.env["res.partner"].create({"name": "Tour Steel Trading", "is_company": True})
        self.set_credit(customer, limit=1000, policy="block")
        order = self.order(1500, partner=customer)
        order.with_user(self.salesman).action_confirm()
        self.assertTrue(order.on_credit_hold)
        self.start_tour(
            "/odoo/action-sales_credit.sales_credit_hold_action",
            "sales_credit_release",
            login=self.credit_manager.login,
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_hold_ids.state, "released")
        self.assertIn("Paid in advance by wire", order.credit_hold_ids.decision_note)
