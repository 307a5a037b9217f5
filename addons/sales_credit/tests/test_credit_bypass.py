from odoo import Command, api
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditBypass(SalesCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_credit(cls.customer, limit=1000, policy="block")

    def test_copy_of_a_held_order_is_checked_again(self):
        held = self.order(1500, confirm=True)
        copy = held.with_user(self.salesman).copy()
        self.assertFalse(copy.credit_hold_ids)
        self.assertFalse(copy.on_credit_hold)
        copy.action_confirm()
        self.assertEqual(copy.state, "draft")
        self.assertTrue(copy.on_credit_hold)

    def test_writing_the_state_is_checked(self):
        order = self.order(1500)
        with self.assertRaisesText(UserError, "cannot be confirmed"):
            order.with_user(self.salesman).write({"state": "sale"})
        self.assertEqual(order.state, "draft")
        within = self.order(500)
        within.with_user(self.salesman).write({"state": "sale"})
        self.assertEqual(within.state, "sale")

    def test_creating_a_confirmed_order_is_checked(self):
        """An import or an RPC create that sets the state at once passes the same check as Confirm."""
        self.set_credit(self.customer, limit=1000, policy="block")
        with self.assertRaisesText(UserError, "cannot be confirmed"):
            self.env["sale.order"].with_user(self.salesman).create(
                {
                    "partner_id": self.customer.id,
                    "state": "sale",
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 1500})],
                }
            )
        self.assertFalse(self.env["sale.order"].search([("partner_id", "=", self.customer.id)]))

    def test_rpc_confirmation_is_checked(self):
        order = self.order(1500)
        # as the web client or an external script would call it, with a made-up context
        env = api.Environment(self.env.cr, self.salesman.id, {"sales_credit_confirming": True})
        api.call_kw(env["sale.order"], "action_confirm", [order.ids], {})
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.on_credit_hold)

    def test_adding_lines_to_a_confirmed_order_is_checked(self):
        order = self.order(900, confirm=True)
        with self.assertRaisesText(UserError, "cannot be confirmed"):
            self.env["sale.order.line"].with_user(self.salesman).create(
                {"order_id": order.id, "product_id": self.service.id, "price_unit": 200}
            )
        with self.assertRaisesText(UserError, "cannot be confirmed"):
            order.order_line.with_user(self.salesman).write({"product_uom_qty": 2, "price_unit": 900})
        self.assertEqual(order.order_line.product_uom_qty, 1)
        self.env["sale.order.line"].with_user(self.salesman).create(
            {"order_id": order.id, "product_id": self.service.id, "price_unit": 50}
        )
        self.assertAlmostEqual(order.amount_total, 950)

    def test_delivery_of_a_customer_on_manual_hold_is_refused(self):
        self.set_credit(self.customer, limit=0, policy="none")
        order = self.order(100, product=self.goods, confirm=True)
        self.set_credit(self.customer, hold=True, reason="Legal dispute")
        with self.assertRaisesText(UserError, "Legal dispute"):
            self.deliver(order, 1)
        self.assertEqual(order.picking_ids.state, "assigned")
        self.set_credit(self.customer)
        self.deliver(order, 1)
        self.assertEqual(order.picking_ids.state, "done")

    def test_check_points_can_be_switched_off(self):
        self.company.credit_check_on_confirm = False
        self.assertEqual(self.order(1500, confirm=True).state, "sale")
        order = self.order(500, confirm=True)
        self.company.credit_check_on_change = False
        order.with_user(self.salesman).write(
            {"order_line": [Command.create({"product_id": self.service.id, "price_unit": 5000})]}
        )
        self.assertAlmostEqual(order.amount_total, 5500)
