from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestPriorityAllocation(BaseCommon):
    """10 units on hand; a normal customer orders 8 first, a key customer orders 6 later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "alloc_salesman", groups="sales_team.group_sale_salesman")
        cls.stock_user = new_test_user(cls.env, "alloc_stock_user", groups="stock.group_stock_user")
        cls.env.ref("sales_credit.tier_key").allocation_weight = 80
        cls.env.ref("sales_credit.tier_normal").allocation_weight = 30
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        # deliveries wait for an explicit reservation, so both orders compete for the same stock
        cls.warehouse.out_type_id.reservation_method = "manual"
        cls.product = cls.env["product.product"].create(
            {"name": "Cold-rolled coil", "is_storable": True, "list_price": 100}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 10)
        cls.normal = cls.env["res.partner"].create(
            {"name": "Normal Co", "is_company": True, "customer_tier_id": cls.env.ref("sales_credit.tier_normal").id}
        )
        cls.key = cls.env["res.partner"].create(
            {"name": "Key Co", "is_company": True, "customer_tier_id": cls.env.ref("sales_credit.tier_key").id}
        )
        cls.normal_order = cls._confirmed_order(cls.normal, 8)
        cls.key_order = cls._confirmed_order(cls.key, 6)

    @classmethod
    def _confirmed_order(cls, partner, qty):
        order = cls.env["sale.order"].with_user(cls.salesman).create(
            {
                "partner_id": partner.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        return order

    def _assign_both(self):
        pickings = (self.normal_order | self.key_order).picking_ids
        pickings.with_user(self.stock_user).action_assign()
        return self.normal_order.picking_ids.move_ids.quantity, self.key_order.picking_ids.move_ids.quantity

    def test_key_customer_served_first_when_enabled(self):
        self.env.company.allocation_by_priority = True
        self.assertEqual(self._assign_both(), (4, 6))

    def test_order_date_decides_when_disabled(self):
        self.env.company.allocation_by_priority = False
        self.assertEqual(self._assign_both(), (8, 2))

    def test_urgent_order_beats_same_tier(self):
        self.env.company.allocation_by_priority = True
        self.key.customer_tier_id = self.normal.customer_tier_id
        self.key_order.picking_ids.priority = "1"
        self.assertEqual(self._assign_both(), (4, 6))

    def test_shortage_shows_uncovered_demand(self):
        self.env.company.allocation_by_priority = True
        self._assign_both()
        shortage = self.env["sales.shortage"].with_user(self.stock_user).search(
            [("product_id", "=", self.product.id)]
        )
        self.assertRecordValues(
            shortage,
            [{"demand_qty": 14, "reserved_qty": 10, "waiting_qty": 4, "on_hand_qty": 10, "free_qty": 0,
              "uncovered_qty": 4, "order_count": 2}],
        )
