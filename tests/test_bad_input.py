"""Bad input in each addon gets a clear error and leaves the data as it was; master data in use stays."""

from datetime import date, timedelta

from psycopg2.errors import ForeignKeyViolation

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestBadInput(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Careful Customer", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Careful Coil", "is_storable": True})
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        # stock to reserve: a reservation of stock that is not free is refused when it is saved
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 5)

    def test_credit(self):
        with self.assertRaises(ValidationError):
            self.customer.credit_limit = -1
        with self.assertRaises(ValidationError):
            self.env.company.credit_overdue_days_limit = -5
        with self.assertRaises(ValidationError):
            self.env.ref("sales_base.tier_key").allocation_weight = -1

    def test_dunning(self):
        with self.assertRaises(ValidationError):
            self.env["sales.dunning.policy"].create({"name": "Empty"})
        with self.assertRaises(ValidationError):
            self.env["sales.dunning.policy"].create(
                {
                    "name": "Backwards",
                    "level_ids": [
                        Command.create({"sequence": 1, "name": "Late", "days": 30}),
                        Command.create({"sequence": 2, "name": "Early", "days": 10}),
                    ],
                }
            )
        with self.assertRaises(ValidationError):
            self.env["sales.dunning.policy"].create(
                {"name": "Negative fee", "level_ids": [Command.create({"name": "First", "days": 5, "fee": -10})]}
            )

    def test_reservation(self):
        Reservation = self.env["sales.reservation"]
        with self.assertRaises(ValidationError):
            Reservation.create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "quantity": -3,
                    "warehouse_id": self.warehouse.id,
                }
            )
        past = Reservation.create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "quantity": 1,
                "warehouse_id": self.warehouse.id,
                "date_expiry": date.today() - timedelta(days=1),
            }
        )
        with self.assertRaises(UserError):
            past.action_reserve()
        self.assertEqual(past.state, "draft")
        with self.assertRaises(ValidationError):
            self.env.company.prebook_max_share = 150

    def test_planning(self):
        with self.assertRaises(ValidationError):
            self.env["sales.plan"].create(
                {"name": "Backwards", "date_from": date(2031, 12, 31), "date_to": date(2031, 1, 1)}
            )
        with self.assertRaises(ValidationError):
            self.env["sales.plan"].create(
                {"name": "Negative", "date_from": date(2031, 1, 1), "date_to": date(2031, 12, 31), "target_amount": -1}
            )
        with self.assertRaises(ValidationError):
            self.env["sales.forecast"].create({"name": "Shrinking", "growth": -150})

    @mute_logger("odoo.sql_db")
    def test_master_data_in_use_is_kept(self):
        reservation = self.env["sales.reservation"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "quantity": 1,
                "warehouse_id": self.warehouse.id,
            }
        )
        with self.assertRaises(ForeignKeyViolation):
            self.product.unlink()
        with self.assertRaises(ForeignKeyViolation):
            self.customer.unlink()
        self.assertTrue(reservation.exists() and reservation.product_id and reservation.partner_id)
