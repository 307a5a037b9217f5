from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_priority_allocation import AllocationCommon


@tagged("post_install", "-at_install")
class TestReservationTours(HttpCase, AllocationCommon):
    def test_manager_allocates_from_the_shortage_list(self):
        """In Chromium, as a reservation manager: Sales > Allocation > Shortages, select, Allocate Stock, the log."""
        normal_order = self._order(self.normal, 8)
        key_order = self._order(self.key, 6)
        self.start_tour("/odoo", "sales_reservation_allocate", login=self.manager.login)
        self.assertEqual(self.reserved(key_order), 6)
        self.assertEqual(self.reserved(normal_order), 4)

    def test_manager_replenishes_from_the_shortage_list(self):
        """In Chromium, as a reservation manager: Sales > Allocation > Shortages, select, Replenish; the receipt
        of the 6 missing is planned and the replenishment report opens on the product's rule."""
        self.product.name = "Replenish Tour Coil"
        self._order(self.key, 16)
        self.start_tour("/odoo", "sales_reservation_replenish", login=self.manager.login)
        receipt = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("location_dest_id", "=", self.stock.id), ("state", "!=", "done")]
        )
        self.assertEqual(receipt.product_uom_qty, 6)
        self.assertEqual(receipt.picking_type_id, self.warehouse.in_type_id)

    def test_plain_salesperson_prebooks_from_the_menu(self):
        """In Chromium, as a salesperson with Sales rights only: the menu, a refused reservation that leaves no
        draft, then one that holds the stock."""
        seller = new_test_user(self.env, "tour_seller", groups="sales_team.group_sale_salesman")
        self.env.company.prebook_tier_ids = [Command.set(self.env.ref("sales_base.tier_key").ids)]
        self.env.company.prebook_max_share = 50
        # a name of its own: the demo data sells other coils
        self.product.name = "Tour Test Coil"
        # the refused save is the user's error the form shows; Odoo's server also logs it as a warning
        with mute_logger("odoo.http"):
            self.start_tour("/odoo", "sales_reservation_prebook", login=seller.login)
        reservations = self.env["sales.reservation"].search([("product_id", "=", self.product.id)])
        self.assertEqual(reservations.mapped("quantity"), [4])
        self.assertEqual(reservations.state, "reserved")
        self.assertEqual(reservations.user_id, seller)
