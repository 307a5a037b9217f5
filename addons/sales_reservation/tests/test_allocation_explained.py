from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .test_priority_allocation import AllocationCommon


@tagged("post_install", "-at_install")
class TestAllocationExplained(AllocationCommon):
    """What the warehouse and sales managers read: why a run moved nothing, what a delivery date means."""

    def allocate(self):
        """As a reservation manager, Allocate Stock on the product; the run the screen opens, read as the manager."""
        action = self.product.product_tmpl_id.with_user(self.manager).action_allocate_stock()
        return self.env["sales.allocation.run"].with_user(self.manager).browse(action["res_id"])

    def test_run_without_waiting_delivery_says_so(self):
        run = self.allocate()
        self.assertFalse(run.line_ids)
        self.assertEqual(run.idle_cause, "no_demand")
        self.assertEqual(
            run.summary, "Nothing moved. No delivery is waiting for these products: there is nothing to allocate."
        )

    def test_run_without_free_stock_says_so(self):
        self._order(self.key, 12)
        self.assertEqual(self.allocate().allocated_qty, 10)
        run = self.allocate()
        self.assertFalse(run.line_ids)
        self.assertEqual(run.idle_cause, "no_stock")
        self.assertIn("everything on hand is already reserved", run.summary)
        self.company.allocation_redistribute = True
        self.assertIn("no delivery of a lower priority holds stock", self.allocate().summary)

    def test_run_for_blocked_customers_only_says_so(self):
        self._order(self.normal, 4)
        self.normal.credit_hold = True
        self.company.allocation_exclude_blocked = True
        run = self.allocate()
        self.assertFalse(run.line_ids)
        self.assertEqual(run.idle_cause, "blocked")
        self.assertIn("customer on credit hold", run.summary)

    def test_run_that_moves_stock_gives_no_idle_reason(self):
        self._order(self.key, 6)
        run = self.allocate()
        self.assertFalse(run.idle_cause)
        self.assertIn("6.00 allocated to 1 delivery(ies)", run.summary)

    def test_priority_says_expected_unless_the_customer_requested_a_date(self):
        """Odoo's expected date is not a customer's request: only a commitment date reads "requested"."""
        order = self._order(self.key, 2)
        move = order.picking_ids.move_ids.with_user(self.stock_user)
        self.assertIn("expected ", move.allocation_priority)
        self.assertNotIn("requested", move.allocation_priority)
        promised = fields.Datetime.now() + timedelta(days=20)
        requested = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.key.id,
                    "warehouse_id": self.warehouse.id,
                    "commitment_date": promised,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        requested.action_confirm()
        move = requested.picking_ids.move_ids.with_user(self.stock_user)
        self.assertIn("requested ", move.allocation_priority)
        self.assertNotIn("expected", move.allocation_priority)
