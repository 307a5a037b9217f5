from odoo import Command
from odoo.tests import tagged

from odoo.addons.sales_base.tests.common import ConcurrencyCommon


@tagged("post_install", "-at_install")
class TestAllocationConcurrency(ConcurrencyCommon):
    """Allocations and reservations of the same product at the same moment, in two transactions."""

    def setUp(self):
        super().setUp()
        with self.transaction() as env:
            company = env.company
            self.saved_settings = {
                "allocation_by_priority": company.allocation_by_priority,
                "allocation_redistribute": company.allocation_redistribute,
            }
            company.write({"allocation_by_priority": True, "allocation_redistribute": True})
            warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
            product = env["product.product"].create({"name": "Contested coil", "is_storable": True})
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
            tier_key = env.ref("sales_base.tier_key")
            tier_normal = env.ref("sales_base.tier_normal")
            self.saved_weights = {
                tier_key.id: tier_key.allocation_weight,
                tier_normal.id: tier_normal.allocation_weight,
            }
            tier_key.allocation_weight, tier_normal.allocation_weight = 80, 30
            normal = env["res.partner"].create(
                {"name": "Early Normal", "is_company": True, "customer_tier_id": tier_normal.id}
            )
            key = env["res.partner"].create({"name": "Late Key", "is_company": True, "customer_tier_id": tier_key.id})
            orders = env["sale.order"]
            # Odoo reserves at confirmation: the normal customer's earlier order takes 8, the key customer's 2
            for partner, qty in ((normal, 8), (key, 6)):
                order = env["sale.order"].create(
                    {
                        "partner_id": partner.id,
                        "warehouse_id": warehouse.id,
                        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                    }
                )
                order.action_confirm()
                orders |= order
            self.ids = {
                "product": product.id,
                "orders": orders.ids,
                "partners": (normal | key).ids,
                "stock": warehouse.lot_stock_id.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.transaction() as env:
            orders = env["sale.order"].browse(self.ids["orders"])
            product = env["product.product"].browse(self.ids["product"])
            env["sales.allocation.run"].search([("product_ids", "in", product.ids)]).unlink()
            pickings = orders.picking_ids
            orders._action_cancel()
            env["stock.move"].search([("product_id", "=", product.id)]).unlink()
            pickings.unlink()
            orders.unlink()
            env["stock.quant"].search([("product_id", "=", product.id)]).sudo().unlink()
            product.product_tmpl_id.unlink()
            env["res.partner"].browse(self.ids["partners"]).unlink()
            env.company.write(self.saved_settings)
            for tier_id, weight in self.saved_weights.items():
                env["sales.customer.tier"].browse(tier_id).allocation_weight = weight

    def _race(self, *works):
        outcomes = self.race(*works)
        with self.transaction() as env:
            moves = env["sale.order"].browse(self.ids["orders"]).order_line.move_ids
            quants = env["stock.quant"].search([("product_id", "=", self.ids["product"])])
            return sorted(outcomes), moves.mapped("quantity"), sum(quants.mapped("reserved_quantity"))

    def allocate(self, env):
        env["sales.allocation.run"]._run(env["product.product"].browse(self.ids["product"]))

    def test_two_runs_at_once_end_as_one(self):
        outcomes, reserved, on_quants = self._race(self.allocate, self.allocate)
        self.assertIn("done", outcomes)
        self.assertEqual(reserved, [4, 6], "the key customer served first, once")
        self.assertEqual(on_quants, 10, "never more reserved than on hand")

    def test_run_beside_a_manual_reservation_never_double_books(self):
        def check_availability(env):
            env["sale.order"].browse(self.ids["orders"]).picking_ids.action_assign()

        outcomes, reserved, on_quants = self._race(self.allocate, check_availability)
        self.assertIn("done", outcomes)
        self.assertEqual(sum(reserved), 10)
        self.assertEqual(on_quants, 10)
