from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditHold(SalesCreditCommon):
    def decide(self, order, note, release=True, user=None):
        action = order.with_user(user or self.credit_manager).action_credit_decide()
        wizard = Form(
            self.env[action["res_model"]].with_user(user or self.credit_manager).with_context(**action["context"])
        )
        wizard.note = note
        wizard = wizard.save()
        return wizard.action_release() if release else wizard.action_reject()

    def test_no_limit_behaves_like_stock_odoo(self):
        order = self.order(1_000_000, confirm=True)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_hold_ids)

    def test_block_policy_holds_the_order(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        self.invoice(400)
        order = self.order(700)
        result = order.action_confirm()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.on_credit_hold)
        self.assertRecordValues(
            order.credit_hold_ids,
            [
                {
                    "state": "pending",
                    "credit_limit": 1000,
                    "open_receivable": 400,
                    "amount": 700,
                    "exposure": 1100,
                }
            ],
        )
        self.assertIn("exceeded by", order.credit_hold_ids.reason)
        note = order.message_ids[0]
        self.assertIn("Credit hold", note.body)
        self.assertIn(
            self.credit_manager, order.credit_hold_ids.activity_ids.user_id, "the credit managers have a to-do"
        )
        self.assertIn("1,100.00", order.credit_hold_summary)

    def test_salesperson_cannot_confirm_a_held_order(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(1500)
        order.action_confirm()
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(order.credit_hold_ids), 1, "confirming again keeps the one pending hold")
        with self.assertRaises(UserError):
            self.decide(order, "I promise", user=self.salesman)

    def test_warn_policy_confirms_and_tells_the_credit_manager(self):
        self.set_credit(self.customer, limit=1000, policy="warn")
        order = self.order(1500, confirm=True)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_hold_ids)
        self.assertIn("Credit warning", order.message_ids[0].body)
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.company._get_credit_manager())
        self.assertIn("1,500.00", activity.note)

    def test_company_default_policy_applies(self):
        self.env["ir.default"].set("res.partner", "credit_policy", "block", company_id=self.company.id)
        self.set_credit(self.customer, limit=100)
        self.assertTrue(self.order(150, confirm=True).on_credit_hold)

    def test_overdue_thresholds_hold_within_the_limit(self):
        self.set_credit(self.customer, limit=100_000, policy="warn")
        self.invoice(500, days_ago=20)
        self.company.credit_overdue_amount_limit = 400
        self.assertTrue(self.order(10, confirm=True).on_credit_hold)
        self.company.credit_overdue_amount_limit = 0
        self.company.credit_overdue_days_limit = 15
        held = self.order(10, confirm=True)
        self.assertTrue(held.on_credit_hold)
        self.assertIn("20 days overdue", held.credit_hold_ids.reason)
        self.company.credit_overdue_days_limit = 30
        self.assertEqual(self.order(10, confirm=True).state, "sale")

    def test_manual_hold_holds_every_order(self):
        self.set_credit(self.customer, hold=True, reason="Legal dispute")
        order = self.order(10, partner=self.contact, confirm=True)
        self.assertTrue(order.on_credit_hold)
        self.assertIn("Legal dispute", order.credit_hold_ids.reason)

    def test_release_needs_a_note_and_confirms(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(1500, confirm=True)
        with self.assertRaisesText(UserError, "note is required"):
            self.decide(order, "   ")
        self.decide(order, "Bank guarantee received")
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.on_credit_hold)
        self.assertRecordValues(
            order.credit_hold_ids,
            [
                {
                    "state": "released",
                    "decided_by_id": self.credit_manager.id,
                    "decision_note": "Bank guarantee received",
                }
            ],
        )
        release_note = order.message_ids.filtered(lambda m: "released by" in (m.body or ""))
        self.assertIn(self.credit_manager.name, release_note.body)
        self.assertIn("Bank guarantee received", release_note.body)

    def test_release_covers_that_amount_only(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(1500, confirm=True)
        self.decide(order, "Approved for this order")
        with self.assertRaisesText(UserError, "cannot be confirmed"):
            order.with_user(self.salesman).write(
                {"order_line": [Command.create({"product_id": self.service.id, "price_unit": 200})]}
            )
        self.assertEqual(len(order.order_line), 1)

    def test_reject_cancels_the_order(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(1500, confirm=True)
        self.decide(order, "Too risky", release=False)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.credit_hold_ids.state, "rejected")

    def test_cleared_when_the_customer_pays(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        invoice = self.invoice(900)
        order = self.order(500, confirm=True)
        self.assertTrue(order.on_credit_hold)
        self.pay(invoice)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_hold_ids.state, "cleared")

    def test_orders_confirmed_together_count_each_other(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        first, second = self.order(600), self.order(600)
        (first | second).action_confirm()
        self.assertEqual(first.state, "sale")
        self.assertTrue(second.on_credit_hold)

    def test_other_currency_converted(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        within = self.order(1800, pricelist_id=self.foreign_pricelist.id, confirm=True)
        self.assertEqual(within.state, "sale")
        over = self.order(400, pricelist_id=self.foreign_pricelist.id, confirm=True)
        self.assertTrue(over.on_credit_hold)
        self.assertAlmostEqual(over.credit_hold_ids.amount, 200)

    def test_prepaid_order_passes(self):
        self.set_credit(self.customer, limit=100, policy="block")
        order = self.order(500)
        provider = self.env["payment.provider"].create({"name": "Bank transfer", "code": "none"})
        self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": 500,
                "currency_id": order.currency_id.id,
                "partner_id": self.customer.id,
                "reference": "PREPAID-1",
                "state": "done",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
