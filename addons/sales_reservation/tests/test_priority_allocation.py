from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon


class AllocationCommon(SuiteCommon):
    """10 units on hand; a normal customer orders 8 first, a key customer orders 6 later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "alloc_salesman", groups="sales_reservation.group_reservation_user")
        cls.stock_user = new_test_user(cls.env, "alloc_stock_user", groups="stock.group_stock_user")
        cls.manager = new_test_user(cls.env, "alloc_manager", groups="sales_reservation.group_reservation_manager")
        cls.env.ref("sales_base.tier_key").allocation_weight = 80
        cls.env.ref("sales_base.tier_normal").allocation_weight = 30
        cls.company = cls.env.company
        cls.company.write(
            {
                "allocation_by_priority": True,
                "allocation_redistribute": False,
                "allocation_exclude_blocked": False,
                "credit_overdue_amount_limit": 0,
                "credit_overdue_days_limit": 0,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        # deliveries wait for an explicit reservation, so orders compete for the same stock
        cls.warehouse.out_type_id.reservation_method = "manual"
        cls.warehouse.pick_type_id.reservation_method = "manual"
        cls.product = cls.env["product.product"].create(
            {"name": "Cold-rolled coil", "is_storable": True, "list_price": 100}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 10)
        cls.normal = cls.env["res.partner"].create(
            {"name": "Normal Co", "is_company": True, "customer_tier_id": cls.env.ref("sales_base.tier_normal").id}
        )
        cls.key = cls.env["res.partner"].create(
            {"name": "Key Co", "is_company": True, "customer_tier_id": cls.env.ref("sales_base.tier_key").id}
        )

    @classmethod
    def _order(cls, partner, qty, confirm=True):
        order = (
            cls.env["sale.order"]
            .with_user(cls.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})],
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    def reserved(self, order):
        """What is reserved for the order's delivery, on its move taking from stock."""
        moves = order.order_line.move_ids
        moves |= moves.move_orig_ids
        return sum(moves.filtered(lambda m: m.location_id == self.stock).mapped("quantity"))


@tagged("post_install", "-at_install")
class TestPriorityAllocation(AllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.normal_order = cls._order(cls.normal, 8)
        cls.key_order = cls._order(cls.key, 6)

    def _assign_both(self):
        pickings = (self.normal_order | self.key_order).picking_ids
        pickings.with_user(self.stock_user).action_assign()
        return self.reserved(self.normal_order), self.reserved(self.key_order)

    def allocate(self):
        action = self.product.product_tmpl_id.with_user(self.manager).action_allocate_stock()
        return self.env["sales.allocation.run"].browse(action["res_id"])

    def test_key_customer_served_first_when_enabled(self):
        self.assertEqual(self._assign_both(), (4, 6))

    def test_order_date_decides_when_disabled(self):
        self.company.allocation_by_priority = False
        self.assertEqual(self._assign_both(), (8, 2))

    def test_urgent_order_beats_same_tier(self):
        self.key.customer_tier_id = self.normal.customer_tier_id
        self.key_order.picking_ids.priority = "1"
        self.assertEqual(self._assign_both(), (4, 6))

    def test_priority_explained_on_the_delivery_and_the_order_line(self):
        move = self.key_order.picking_ids.move_ids
        self.assertIn("Key", move.with_user(self.stock_user).allocation_priority)
        self.assertIn("weight 80", move.allocation_priority)
        line = self.key_order.order_line.with_user(self.salesman)
        self.assertEqual(line.allocation_priority, move.allocation_priority)

    def test_allocation_run_logs_who_got_what(self):
        run = self.allocate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (4, 6))
        self.assertRecordValues(
            run.line_ids.sorted("quantity"),
            [
                {"order_id": self.normal_order.id, "quantity": 4, "reserved_qty": 4},
                {"order_id": self.key_order.id, "quantity": 6, "reserved_qty": 6},
            ],
        )
        self.assertIn("10", run.summary)

    def test_redistribution_takes_back_from_the_lower_priority_order(self):
        self.company.allocation_by_priority = False
        self.normal_order.picking_ids.with_user(self.stock_user).action_assign()
        self.assertEqual(self.reserved(self.normal_order), 8)
        self.company.write({"allocation_by_priority": True, "allocation_redistribute": True})
        run = self.allocate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (4, 6))
        taken = run.line_ids.filtered(lambda line: line.quantity < 0)
        self.assertEqual(taken.order_id, self.normal_order)
        self.assertEqual(taken.quantity, -4, "never more than needed")
        self.assertIn(self.key_order.name, taken.reason)
        self.assertEqual(self.product.with_context(location=self.stock.id).free_qty, 0)

    def test_without_redistribution_the_first_reservation_stays(self):
        self.company.allocation_by_priority = False
        self.normal_order.picking_ids.with_user(self.stock_user).action_assign()
        self.company.allocation_by_priority = True
        self.allocate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (8, 2))

    def test_redistribution_never_takes_from_a_delivery_being_picked(self):
        self.company.allocation_by_priority = False
        picking = self.normal_order.picking_ids
        picking.with_user(self.stock_user).action_assign()
        picking.move_ids.picked = True
        self.company.write({"allocation_by_priority": True, "allocation_redistribute": True})
        self.allocate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (8, 2))

    def test_blocked_customer_served_last_or_not_at_all(self):
        self.key.credit_hold = True
        self.allocate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (8, 2))
        self.assertIn("blocked", self.key_order.picking_ids.move_ids.allocation_priority)

    def test_a_blocked_payer_blocks_the_customer_it_pays_for(self):
        """Credit is the payer's, as in the credit check: a key customer whose invoices go to a blocked company is
        served last."""
        payer = self.env["res.partner"].create({"name": "Later Blocked Payer", "is_company": True})
        self.key_order.partner_invoice_id = payer
        payer.credit_hold = True
        self.allocate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (8, 2))
        self.assertIn("blocked", self.key_order.picking_ids.move_ids.allocation_priority)

    def test_blocked_customer_excluded_by_setting(self):
        self.normal.credit_hold = True
        self.company.allocation_exclude_blocked = True
        self.allocate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (0, 6))

    def test_receipt_allocates_by_priority(self):
        # the stock leaves, then 10 arrive: the receipt serves the key customer first
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, -10)
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "coil",
                            "product_id": self.product.id,
                            "product_uom_qty": 10,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.quantity = 10
        receipt.move_ids.picked = True
        receipt.with_user(self.stock_user).button_validate()
        self.assertEqual((self.reserved(self.normal_order), self.reserved(self.key_order)), (4, 6))
        run = self.env["sales.allocation.run"].search([("product_ids", "in", self.product.ids)])
        self.assertEqual(run.trigger, "receipt")

    def test_shortage_shows_uncovered_demand_and_orders_at_risk(self):
        self._assign_both()
        shortage = self.env["sales.shortage"].with_user(self.stock_user).search([("product_id", "=", self.product.id)])
        self.assertRecordValues(
            shortage,
            [
                {
                    "demand_qty": 14,
                    "reserved_qty": 10,
                    "waiting_qty": 4,
                    "on_hand_qty": 10,
                    "free_qty": 0,
                    "uncovered_qty": 4,
                    "order_count": 2,
                    "designated_qty": 0,
                }
            ],
        )
        at_risk = (
            self.env["sales.shortage.line"]
            .with_user(self.salesman)
            .search([("product_id", "=", self.product.id), ("at_risk", "=", True)])
        )
        self.assertEqual(at_risk.order_id, self.normal_order, "the normal customer's order waits for 4")
        self.assertEqual(at_risk.missing_qty, 4)
        # the shortage list's button runs the allocation too
        action = shortage.with_user(self.manager).action_allocate()
        self.assertEqual(action["res_model"], "sales.allocation.run")


@tagged("post_install", "-at_install")
class TestTwoStepAllocation(AllocationCommon):
    def test_pick_moves_allocated_by_priority(self):
        self.warehouse.delivery_steps = "pick_ship"
        self.warehouse.pick_type_id.reservation_method = "manual"
        normal_order = self._order(self.normal, 8)
        key_order = self._order(self.key, 6)
        self.product.product_tmpl_id.with_user(self.manager).action_allocate_stock()
        self.assertEqual((self.reserved(normal_order), self.reserved(key_order)), (4, 6))
