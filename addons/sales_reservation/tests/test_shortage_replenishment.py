from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .test_priority_allocation import AllocationCommon


@tagged("post_install", "-at_install")
class TestShortageReplenishment(AllocationCommon):
    """10 coils on hand, a key customer ordered 16: the shortage misses 6."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(cls.key, 16)
        cls.orderpoints = cls.env["stock.warehouse.orderpoint"].with_context(active_test=False)

    def shortage(self):
        """The product's row in Sales > Allocation > Shortages, as the reservation manager sees it."""
        return self.env["sales.shortage"].with_user(self.manager).search([("product_id", "=", self.product.id)])

    def test_replenishment_rule_created_with_the_shortage_quantity(self):
        self.assertEqual(self.shortage().uncovered_qty, 6)
        action = self.shortage().action_open_replenishment()
        orderpoint = self.orderpoints.search([("product_id", "=", self.product.id)])
        self.assertRecordValues(
            orderpoint,
            [
                {
                    "trigger": "manual",
                    "warehouse_id": self.warehouse.id,
                    "location_id": self.stock.id,
                    "qty_to_order": 6,
                }
            ],
        )
        self.assertEqual(action["res_model"], "stock.warehouse.orderpoint")
        self.assertEqual(action["domain"], [("id", "in", orderpoint.ids)])
        # the warehouse user reads the report it opens
        self.assertEqual(
            self.env["stock.warehouse.orderpoint"].with_user(self.manager).search(action["domain"]), orderpoint
        )

    def test_existing_replenishment_rule_reused_not_duplicated(self):
        existing = self.env["stock.warehouse.orderpoint"].create(
            {"product_id": self.product.id, "warehouse_id": self.warehouse.id, "location_id": self.stock.id}
        )
        self.shortage().action_open_replenishment()
        self.shortage().action_open_replenishment()
        self.assertEqual(self.orderpoints.search([("product_id", "=", self.product.id)]), existing)
        self.assertEqual(existing.qty_to_order, 6)

    def test_archived_rule_stays_archived_and_the_manager_is_told(self):
        """A min/max rule an inventory manager archived on purpose is not brought back to order every night."""
        archived = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.warehouse.id,
                "location_id": self.stock.id,
                "trigger": "auto",
                "product_min_qty": 1,
                "product_max_qty": 2,
            }
        )
        archived.action_archive()
        for action in (self.shortage().action_open_replenishment(), self.shortage().action_replenish()):
            self.assertEqual(action["params"]["type"], "warning")
            self.assertIn("the replenishment rule of Cold-rolled coil is archived", action["params"]["message"])
        self.assertEqual(self.orderpoints.search([("product_id", "=", self.product.id)]), archived)
        self.assertFalse(archived.active)
        self.assertFalse(archived.qty_to_order_manual)
        self.assertFalse(self.env["stock.move"].search([("product_id", "=", self.product.id), ("state", "=", "draft")]))

    def _auto_rule(self):
        """The warehouse's automatic rule, ordered by Odoo's nightly scheduler; it tolerates backorders down to
        -10, so that at a forecast of 10 - 16 = -6 it asks nothing itself."""
        return self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.warehouse.id,
                "location_id": self.stock.id,
                "trigger": "auto",
                "product_min_qty": -10,
                "product_max_qty": 0,
            }
        )

    def _arriving(self):
        moves = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("location_dest_id", "=", self.stock.id), ("state", "!=", "done")]
        )
        return sum(moves.mapped("product_uom_qty"))

    def test_automatic_rule_orders_the_shortage_once(self):
        """Replenish orders the 6 missing once; the nightly scheduler then orders nothing more."""
        rule = self._auto_rule()
        self.assertEqual(rule.qty_to_order, 0)
        self.shortage().action_replenish()
        self.assertEqual(self._arriving(), 6)
        self.assertFalse(rule.qty_to_order_manual)
        self.env["procurement.group"].run_scheduler()
        self.assertEqual(self._arriving(), 6)

    def test_report_leaves_automatic_rule_its_own_quantity(self):
        rule = self._auto_rule()
        self.shortage().action_open_replenishment()
        self.assertFalse(rule.qty_to_order_manual)
        self.env["procurement.group"].run_scheduler()
        self.assertEqual(self._arriving(), 0)

    def test_automatic_rule_left_clean_when_nothing_can_be_ordered(self):
        rule = self._auto_rule()
        self.warehouse.reception_route_id.rule_ids.action_archive()
        action = self.shortage().action_replenish()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertFalse(rule.qty_to_order_manual)
        self.assertEqual(rule.qty_to_order, 0)

    def test_quantity_in_progress_is_not_ordered_twice(self):
        """A request for quotation of 6 waits for the vendor (Purchase counts it in progress on the rule, it has
        no stock move yet): a second Replenish orders nothing."""
        orderpoint_class = type(self.env["stock.warehouse.orderpoint"])

        def rfq_in_progress(orderpoints):
            return {op.id: 6.0 if op.product_id == self.product else 0.0 for op in orderpoints}

        with patch.object(orderpoint_class, "_quantity_in_progress", rfq_in_progress):
            action = self.shortage().action_replenish()
        self.assertIn("Nothing to order", action["params"]["message"])
        self.assertEqual(self._arriving(), 0)

    def test_stock_on_its_way_is_not_ordered_twice(self):
        """Of the 6 missing, 4 arrive by a receipt already planned: 2 more to order."""
        supplier = self.env.ref("stock.stock_location_suppliers")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": self.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "coil",
                            "product_id": self.product.id,
                            "product_uom_qty": 4,
                            "location_id": supplier.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        self.shortage().action_open_replenishment()
        orderpoint = self.orderpoints.search([("product_id", "=", self.product.id)])
        self.assertEqual(orderpoint.qty_to_order, 2)

    def test_replenish_without_purchase_plans_a_receipt(self):
        """Without Purchase, Odoo's route of the warehouse is its reception: a receipt of 6 from the vendors."""
        action = self.shortage().action_replenish()
        self.assertEqual(action["params"]["type"], "success")
        receipt = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("location_dest_id", "=", self.stock.id), ("state", "!=", "done")]
        )
        self.assertRecordValues(
            receipt, [{"product_uom_qty": 6, "location_id": self.env.ref("stock.stock_location_suppliers").id}]
        )
        self.assertEqual(receipt.picking_type_id, self.warehouse.in_type_id)

    def test_no_route_says_so_and_leaves_the_rule_in_the_report(self):
        # a warehouse that receives nothing from vendors and has no other supply
        self.warehouse.reception_route_id.rule_ids.action_archive()
        action = self.shortage().action_replenish()
        orderpoint = self.orderpoints.search([("product_id", "=", self.product.id)])
        params = action["params"]
        self.assertEqual(params["type"], "warning")
        self.assertIn("No route can supply Cold-rolled coil", params["message"])
        self.assertEqual(params["next"]["domain"], [("id", "in", orderpoint.ids)])
        self.assertEqual(orderpoint.qty_to_order, 6)
        self.assertFalse(self.env["stock.move"].search([("orderpoint_id", "=", orderpoint.id)]))

    def test_replenish_through_a_resupply_route_creates_the_transfer(self):
        """The warehouse is resupplied from a second one holding 20 coils: Replenish makes the transfer of 6."""
        depot = self.env["stock.warehouse"].create({"name": "Coil Depot", "code": "CDP"})
        self.env["stock.quant"]._update_available_quantity(self.product, depot.lot_stock_id, 20)
        self.warehouse.resupply_wh_ids = [Command.link(depot.id)]
        action = self.shortage().action_replenish()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("Ordered: Cold-rolled coil (6.00 Units)", action["params"]["message"])
        moves = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", depot.lot_stock_id.id)]
        )
        self.assertEqual(sum(moves.mapped("product_uom_qty")), 6)
        arriving = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("location_dest_id", "=", self.stock.id), ("state", "!=", "done")]
        )
        self.assertEqual(sum(arriving.mapped("product_uom_qty")), 6)
        # the shortage screen, opened again, counts the transfer on its way
        self.env["sales.shortage"].invalidate_model()
        self.assertEqual(self.shortage().incoming_qty, 6)
        orderpoint = self.orderpoints.search([("product_id", "=", self.product.id)])
        self.assertEqual(orderpoint.qty_to_order, 0, "ordered once: nothing left to order")

    def test_nothing_to_order_when_stock_covers(self):
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 6)
        action = (
            self.env["sales.shortage"]
            .with_user(self.manager)
            .search([("product_id", "=", self.product.id)])
            .action_replenish()
        )
        self.assertIn("Nothing to order", action["params"]["message"])
