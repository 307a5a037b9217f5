from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_priority_allocation import AllocationCommon


@tagged("post_install", "-at_install")
class TestDesignatedReservation(AllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "prebook_tier_ids": [Command.set(cls.env.ref("sales_base.tier_key").ids)],
                "prebook_max_days": 14,
                "prebook_max_share": 50,
            }
        )

    def prebook(self, partner, qty, order=None, days=7, user=None):
        reservation = (
            self.env["sales.reservation"]
            .with_user(user or self.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "product_id": self.product.id,
                    "quantity": qty,
                    "order_id": order and order.id,
                    "warehouse_id": self.warehouse.id,
                    "date_expiry": date.today() + timedelta(days=days),
                }
            )
        )
        reservation.action_reserve()
        return reservation

    def test_reserved_stock_is_kept_from_other_orders_and_taken_by_the_order(self):
        quotation = self._order(self.key, 5, confirm=False)
        reservation = self.prebook(self.key, 5, quotation)
        self.assertEqual(reservation.reserved_qty, 5)
        normal_order = self._order(self.normal, 8)
        normal_order.picking_ids.with_user(self.stock_user).action_assign()
        self.assertEqual(self.reserved(normal_order), 5, "the 5 designated units are not free")
        quotation.with_user(self.salesman).action_confirm()
        self.assertEqual(reservation.state, "consumed")
        self.assertEqual(self.reserved(quotation), 5, "the delivery took the designated stock")
        self.assertEqual(self.product.with_context(location=self.stock.id).free_qty, 0)
        self.assertEqual(reservation.move_id.state, "cancel")

    def test_reservation_without_order_goes_to_the_customers_next_order(self):
        reservation = self.prebook(self.key, 4)
        order = self._order(self.key, 6)
        self.assertEqual(reservation.state, "consumed")
        self.assertEqual(self.reserved(order), 4)

    def test_cannot_reserve_more_than_is_free(self):
        with self.assertRaisesText(UserError, "are free"):
            self.prebook(self.key, 11, user=self.manager)
        self.assertFalse(self.env["sales.reservation"].search([("product_id", "=", self.product.id)]))

    def test_expired_reservation_releases_the_stock_and_tells_the_salesperson(self):
        reservation = self.prebook(self.key, 5, days=3)
        with freeze_time(date.today() + timedelta(days=4)):
            self.env["sales.reservation"]._cron_expire()
        self.assertEqual(reservation.state, "expired")
        self.assertEqual(self.product.with_context(location=self.stock.id).free_qty, 10)
        message = reservation.message_ids[0]
        self.assertIn("expired", message.body)
        self.assertIn(self.salesman.partner_id, message.partner_ids)

    def test_quotation_prebooking_limits(self):
        with self.assertRaisesText(UserError, "may not pre-book"):
            self.prebook(self.normal, 1)
        with self.assertRaisesText(UserError, "at most"):
            self.prebook(self.key, 1, days=20)
        self.prebook(self.key, 3)
        with self.assertRaisesText(UserError, "at most 50.0 % of the 10.0 on hand"):
            self.prebook(self.key, 3)
        # a reservation manager decides beyond the limits
        self.prebook(self.normal, 3, days=20, user=self.manager)

    def test_salespeople_see_only_their_own_reservations(self):
        other = self.prebook(self.key, 1, user=self.manager)
        mine = self.prebook(self.key, 2)
        self.assertEqual(self.env["sales.reservation"].with_user(self.salesman).search([]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.salesman).action_cancel()

    def test_bad_quantity_refused(self):
        with self.assertRaisesText(Exception, "positive quantity"):
            self.prebook(self.key, 0)
