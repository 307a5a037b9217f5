from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditChanges(SalesCreditCommon):
    """Every change of an order that raises or moves its exposure passes the check a confirmation passes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.blocked = cls.env["res.partner"].create({"name": "Blocked Trading", "is_company": True})
        cls.set_credit(cls.blocked, limit=100, policy="block")
        cls.fresh = cls.env["res.partner"].create({"name": "Fresh Trading", "is_company": True})
        cls.set_credit(cls.customer, limit=1000, policy="block")
        # 1 company currency = 0.5 units of HCY: the same figures weigh twice as much in company currency
        cls.heavy = cls.env["res.currency"].create({"name": "HCY", "symbol": "H", "rounding": 0.01})
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.heavy.id, "rate": 0.5, "name": "2020-01-01", "company_id": cls.company.id}
        )
        cls.heavy_pricelist = cls.env["product.pricelist"].create({"name": "HCY", "currency_id": cls.heavy.id})

    def release(self, order, note="Guarantee received"):
        action = order.with_user(self.credit_manager).action_credit_decide()
        wizard = Form(self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"]))
        wizard.note = note
        return wizard.save().action_release()

    def test_moving_a_confirmed_order_to_a_blocked_customer_is_refused(self):
        order = self.order(800, confirm=True)
        self.assertEqual(order.state, "sale")
        with self.assertRaisesText(UserError, "credit limit"):
            order.with_user(self.salesman).write({"partner_id": self.blocked.id, "partner_invoice_id": self.blocked.id})
        self.assertEqual(order.partner_id, self.customer)

    def test_moving_a_confirmed_order_to_a_blocked_invoice_address_is_refused(self):
        order = self.order(800, confirm=True)
        with self.assertRaisesText(UserError, "credit limit"):
            order.with_user(self.salesman).partner_invoice_id = self.blocked
        self.assertEqual(order.partner_invoice_id, self.customer)

    def test_the_payer_is_the_invoice_address(self):
        """A fresh company ordering with a blocked customer's invoice address uses the blocked customer's credit."""
        order = self.order(150, partner=self.fresh, partner_invoice_id=self.blocked.id, confirm=True)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.on_credit_hold)
        self.assertEqual(order.credit_hold_ids.partner_id, self.blocked)
        self.assertEqual(order.credit_hold_ids.exposure, 150)
        self.assertEqual(self.blocked.with_user(self.credit_user).credit_undelivered, 0)

    def test_changing_the_currency_of_a_confirmed_order_is_checked_in_company_currency(self):
        order = self.order(800, confirm=True)
        with self.assertRaisesText(UserError, "credit limit"):
            # 800 HCY are 1,600 in company currency, above the limit of 1,000
            order.with_user(self.salesman).write({"currency_id": self.heavy.id})
        self.assertEqual(order.currency_id, self.company.currency_id)

    def test_adding_a_line_through_the_order_is_checked(self):
        order = self.order(800, confirm=True)
        with self.assertRaisesText(UserError, "credit limit"):
            order.with_user(self.salesman).write(
                {"order_line": [Command.create({"product_id": self.service.id, "price_unit": 300})]}
            )
        self.assertEqual(len(order.order_line), 1)

    def test_a_release_covers_its_amount_in_company_currency(self):
        order = self.order(1500)
        order.action_confirm()
        self.release(order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_hold_ids.amount, 1500)
        order._action_cancel()
        order.action_draft()
        order.write({"pricelist_id": self.heavy_pricelist.id, "currency_id": self.heavy.id})
        order.action_confirm()
        self.assertEqual(order.state, "draft", "1,500 HCY are 3,000 in company currency: more than was released")
        self.assertTrue(order.on_credit_hold)

    def test_a_release_covers_a_smaller_order(self):
        order = self.order(1500)
        order.action_confirm()
        self.release(order)
        order._action_cancel()
        order.action_draft()
        order.order_line.price_unit = 1200
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_later_manual_hold_beats_an_earlier_release(self):
        order = self.order(1500)
        order.action_confirm()
        self.release(order)
        order._action_cancel()
        order.action_draft()
        self.set_credit(self.customer, limit=1000, policy="block", hold=True, reason="Cheque bounced")
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertIn("Cheque bounced", order._get_pending_credit_hold().reason)

    def test_a_release_over_a_manual_hold_covers_it(self):
        self.set_credit(self.customer, limit=1000, policy="block", hold=True, reason="Cheque bounced")
        order = self.order(100)
        order.action_confirm()
        self.release(order)
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.credit_hold_ids.covers_manual_hold)

    def test_a_release_is_for_its_customer(self):
        order = self.order(150, partner=self.blocked)
        order.action_confirm()
        self.release(order)
        self.assertEqual(order.state, "sale")
        other = self.env["res.partner"].create({"name": "Also Blocked", "is_company": True})
        self.set_credit(other, limit=100, policy="block")
        with self.assertRaisesText(UserError, "credit limit"):
            order.with_user(self.salesman).write({"partner_id": other.id, "partner_invoice_id": other.id})
