from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

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
        with self.assertRaisesText(
            UserError, "Only 10.00 Units of Cold-rolled coil are free in WH/Stock; 11.00 Units cannot be reserved."
        ):
            self.prebook(self.key, 11, user=self.manager)
        self.assertFalse(self.env["sales.reservation"].search([("product_id", "=", self.product.id)]))

    def new_form(self, user, partner, qty, days=7):
        """The salesperson's New form, filled in as on the screen."""
        form = Form(self.env["sales.reservation"].with_user(user))
        form.partner_id = partner
        form.product_id = self.product
        form.quantity = qty
        form.date_expiry = date.today() + timedelta(days=days)
        return form

    def test_refused_prebooking_is_refused_when_saved_and_leaves_no_draft(self):
        """The form saves before Reserve runs: a reservation that Reserve would refuse is refused on saving."""
        with self.assertRaisesText(UserError, "are free"):
            self.new_form(self.manager, self.key, 11).save()
        with self.assertRaisesText(UserError, "at most 50 %"):
            self.new_form(self.salesman, self.key, 6).save()
        self.assertFalse(self.env["sales.reservation"].search([("product_id", "=", self.product.id)]))
        reservation = self.new_form(self.salesman, self.key, 5).save()
        reservation.action_reserve()
        self.assertEqual(reservation.state, "reserved")

    def test_reserved_expiry_cannot_pass_the_prebooking_limit(self):
        """Changing the expiry of a held quotation reservation is refused when saved, so the form never shows a
        date the hold does not respect."""
        reservation = self.prebook(self.key, 3)
        before = reservation.date_expiry
        with self.assertRaisesText(UserError, "at most (14 days)"):
            with Form(reservation.with_user(self.salesman)) as form:
                form.date_expiry = date.today() + timedelta(days=30)
        self.assertEqual(reservation.date_expiry, before)
        reservation.with_user(self.salesman).date_expiry = date.today() + timedelta(days=10)
        self.assertEqual(reservation.state, "reserved")

    def test_reservation_holding_less_than_its_quantity_says_so(self):
        reservation = self.prebook(self.key, 4)
        self.assertFalse(reservation.with_user(self.salesman).hold_warning)
        # the warehouse counted the stock short: Odoo took back part of the hold
        reservation.move_id._reduce_reservation(1)
        self.assertEqual(
            reservation.with_user(self.salesman).hold_warning,
            "Only 3.00 Units of the 4.00 Units of this reservation are still held: the stock was moved or counted "
            "short since it was reserved. Release it and reserve again what is free.",
        )

    def test_released_reservation_reads_released(self):
        reservation = self.prebook(self.key, 2)
        reservation.with_user(self.salesman).action_cancel()
        labels = dict(reservation._fields["state"]._description_selection(self.env))
        self.assertEqual(labels[reservation.state], "Released")
        self.assertEqual(self.product.with_context(location=self.stock.id).free_qty, 10)
        with self.assertRaisesText(UserError, "Only a reservation holding stock can be released"):
            reservation.with_user(self.salesman).action_cancel()

    def test_expired_reservation_releases_the_stock_and_tells_the_salesperson(self):
        reservation = self.prebook(self.key, 5, days=3)
        with freeze_time(date.today() + timedelta(days=4)):
            self.env["sales.reservation"]._cron_expire()
        self.assertEqual(reservation.state, "expired")
        self.assertEqual(self.product.with_context(location=self.stock.id).free_qty, 10)
        message = reservation.message_ids[0]
        self.assertIn("The reservation of 5.00 Units of Cold-rolled coil for Key Co expired", message.body)
        self.assertIn(self.salesman.partner_id, message.partner_ids)

    def test_expired_units_go_to_waiting_deliveries_at_once(self):
        """The freed units do not wait for the next scheduled run: the deliveries waiting for them get them."""
        reservation = self.prebook(self.key, 5, days=3)
        normal_order = self._order(self.normal, 8)
        normal_order.picking_ids.with_user(self.stock_user).action_assign()
        self.assertEqual(self.reserved(normal_order), 5)
        with freeze_time(date.today() + timedelta(days=4)):
            self.env["sales.reservation"]._cron_expire()
        self.assertEqual(self.reserved(normal_order), 8)
        run = self.env["sales.allocation.run"].search([("trigger", "=", "expiry")])
        self.assertEqual(run.line_ids.order_id, normal_order)
        self.assertIn("3.00 allocated to 1 delivery(ies)", reservation.message_ids[0].body)

    def test_quotation_prebooking_limits(self):
        with self.assertRaisesText(UserError, "may not pre-book"):
            self.prebook(self.normal, 1)
        with self.assertRaisesText(UserError, "at most"):
            self.prebook(self.key, 1, days=20)
        self.prebook(self.key, 3)
        with self.assertRaisesText(
            UserError,
            "at most 50 % of the 10.00 Units on hand of Cold-rolled coil, i.e. 5.00 Units; 3.00 Units are already "
            "held, so 3.00 Units more cannot be.",
        ):
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

    def test_plain_salesperson_prebooks_from_the_menu_for_own_customers(self):
        """A salesperson with no reservation rights beyond Sales: the menu, their own reservations, and read-only
        those others made for their customers."""
        seller = new_test_user(self.env, "plain_seller", groups="sales_team.group_sale_salesman")
        menus = self.env["ir.ui.menu"].with_user(seller)._visible_menu_ids()
        self.assertIn(self.env.ref("sales_reservation.sales_reservation_menu").id, menus)
        self.assertIn(self.env.ref("sales_reservation.sales_allocation_menu").id, menus)
        self.assertNotIn(self.env.ref("sales_reservation.sales_shortage_menu").id, menus)
        mine = self.prebook(self.key, 2, user=seller)
        self.assertEqual(mine.state, "reserved")
        self.assertEqual(mine.with_user(seller).reserved_qty, 2)
        self.key.user_id = seller
        for_my_customer = self.prebook(self.key, 1, user=self.manager)
        someone_elses = self.prebook(self.normal, 1, user=self.manager)
        Reservation = self.env["sales.reservation"].with_user(seller)
        self.assertEqual(Reservation.search([]), mine | for_my_customer)
        with self.assertRaises(AccessError):
            for_my_customer.with_user(seller).action_cancel()
        with self.assertRaises(AccessError):
            someone_elses.with_user(seller).read(["state"])
        mine.with_user(seller).action_cancel()
        self.assertEqual(mine.state, "cancel")

    def test_share_setting_out_of_range_reads_as_a_percentage(self):
        with self.assertRaisesText(Exception, "between 0 and 100, not 150 %."):
            self.company.prebook_max_share = 150

    def test_share_counts_every_salespersons_prebookings(self):
        """The share limit counts the pre-bookings the salesperson cannot see, too."""
        self.prebook(self.key, 3, user=self.manager)
        with self.assertRaisesText(UserError, "3.00 Units are already held, so 3.00 Units more cannot be"):
            self.prebook(self.key, 3)
