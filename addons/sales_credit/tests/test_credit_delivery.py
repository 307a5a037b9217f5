from odoo import Command
from odoo.exceptions import UserError
from odoo.modules.migration import load_script
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import file_path

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditDelivery(SalesCreditCommon):
    """The warehouse (a stock user with no sales rights) validates the deliveries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.sheet = cls.env["product.product"].create(
            {
                "name": "Steel sheet",
                "is_storable": True,
                "list_price": 300,
                "taxes_id": [Command.set(cls.tax_10.ids)],
                "invoice_policy": "delivery",
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.sheet, cls.warehouse.lot_stock_id, 1000)
        cls.stock_salesman = new_test_user(
            cls.env, "credit_stock_salesman", groups="stock.group_stock_user,sales_team.group_sale_salesman_all_leads"
        )

    def over_limit_order(self):
        """A confirmed order of one coil at 800 + 10 % tax (880), then an invoice of 300: exposure 1,180 over a
        limit of 1,000 by 180, the customer under the Block policy."""
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(800, product=self.goods, confirm=True)
        self.assertEqual(order.state, "sale")
        self.invoice(300)
        return order

    def open_picking(self, order):
        return order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))

    def warning_of(self, picking):
        notes = picking.message_ids.filtered(lambda m: "Credit warning" in (m.body or ""))
        return notes, picking.activity_ids.filtered(lambda a: "Credit warning" in (a.summary or ""))

    def test_block_refuses_a_customer_over_its_limit(self):
        order = self.over_limit_order()
        self.company.credit_delivery_check = "block"
        picking = self.open_picking(order)
        with self.assertRaisesText(UserError, f"{picking.name} cannot be validated for Hangzhou Steel Trading") as e:
            self.deliver(order, 1)
        for figure in ("1,180.00", "1,000.00", "180.00"):
            self.assertIn(figure, str(e.exception))
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.order_line.qty_delivered, 0)

    def test_warn_delivers_and_tells_the_credit_controller(self):
        order = self.over_limit_order()
        self.company.credit_delivery_check = "warn"
        picking = self.deliver(order, 1)
        self.assertEqual(picking.state, "done")
        notes, activity = self.warning_of(picking)
        self.assertEqual(len(notes), 1)
        self.assertIn("1,180.00", notes.body)
        self.assertEqual(activity.user_id, self.company._get_credit_manager())
        self.assertIn("above its credit limit of", activity.note)

    def test_off_delivers_without_a_word(self):
        order = self.over_limit_order()
        self.company.credit_delivery_check = "off"
        picking = self.deliver(order, 1)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.warning_of(picking), (self.env["mail.message"], self.env["mail.activity"]))

    def test_overdue_threshold_refuses_under_block_and_warns_under_warn(self):
        self.set_credit(self.customer, limit=100_000, policy="warn")
        self.invoice(500, days_ago=20)
        first, second = self.order(100, product=self.goods, confirm=True), self.order(100, product=self.goods)
        second.action_confirm()
        # the customer passes the threshold once its orders are confirmed
        self.company.credit_overdue_days_limit = 15
        self.company.credit_delivery_check = "block"
        with self.assertRaisesText(UserError, "20 days overdue, more than the 15 allowed"):
            self.deliver(first, 1)
        self.assertEqual(self.open_picking(first).state, "assigned")
        self.company.credit_delivery_check = "warn"
        picking = self.deliver(second, 1)
        self.assertEqual(picking.state, "done")
        self.assertIn("20 days overdue", self.warning_of(picking)[0].body)

    def test_manual_hold_refused_unless_the_check_is_off(self):
        order = self.order(100, product=self.goods, confirm=True)
        self.set_credit(self.customer, hold=True, reason="Legal dispute")
        for setting in ("warn", "block"):
            with self.subTest(setting=setting):
                self.company.credit_delivery_check = setting
                with self.assertRaisesText(UserError, "on credit hold: Legal dispute"):
                    self.deliver(order, 1)
                self.assertEqual(self.open_picking(order).state, "assigned")
        self.company.credit_delivery_check = "off"
        self.assertEqual(self.deliver(order, 1).state, "done")

    def test_goods_of_a_held_order_never_ship(self):
        self.set_credit(self.customer, limit=100, policy="block")
        held = self.order(1000, product=self.goods, confirm=True)
        self.assertTrue(held.on_credit_hold)
        self.assertFalse(held.picking_ids)
        # the warehouse makes the delivery by hand, on the held order's line
        picking = (
            self.env["stock.picking"]
            .with_user(self.stock_user)
            .create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "partner_id": self.customer.id,
                    "location_id": self.warehouse.lot_stock_id.id,
                    "location_dest_id": self.customers.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "Steel coil",
                                "product_id": self.goods.id,
                                "product_uom_qty": 1,
                                "sale_line_id": held.order_line.id,
                                "location_id": self.warehouse.lot_stock_id.id,
                                "location_dest_id": self.customers.id,
                            }
                        )
                    ],
                }
            )
        )
        for setting in ("off", "warn", "block"):
            with self.subTest(setting=setting):
                self.company.credit_delivery_check = setting
                with self.assertRaisesText(UserError, f"of {held.name}, which is not a confirmed order (Quotation)"):
                    picking.with_user(self.stock_user).button_validate()
                self.assertNotEqual(picking.state, "done")
                self.assertEqual(held.order_line.qty_delivered, 0)

    def test_over_delivery_must_pass_the_credit_check(self):
        # one coil at 800 + 10 % (880) within a limit of 1,000; two shipped: the extra 880 takes it to 1,760
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(800, product=self.goods, confirm=True)
        self.company.credit_delivery_check = "off"
        with self.assertRaisesText(UserError, "880.00 shipped beyond the confirmed quantities") as e:
            self.deliver(order, 2)
        self.assertIn("1,760.00", str(e.exception))
        self.assertIn("760.00", str(e.exception))
        self.assertEqual(order.order_line.qty_delivered, 0)
        self.set_credit(self.customer, limit=2000, policy="block")
        self.assertEqual(self.deliver(order, 2).state, "done")
        self.assertEqual(order.order_line.qty_delivered, 2)

    def test_over_delivery_under_warn_policy_ships_with_a_warning(self):
        self.set_credit(self.customer, limit=1000, policy="warn")
        order = self.order(800, product=self.goods, confirm=True)
        self.company.credit_delivery_check = "off"
        picking = self.deliver(order, 2)
        self.assertEqual(picking.state, "done")
        notes, activity = self.warning_of(picking)
        self.assertIn("1,760.00", notes.body)
        self.assertEqual(activity.user_id, self.company._get_credit_manager())

    def test_extra_product_on_a_picking_must_pass_the_credit_check(self):
        # a coil at 100 + 10 % (110) ordered; a sheet (300 + 10 % = 330) added to the delivery: 440 over 400
        self.set_credit(self.customer, limit=400, policy="block")
        order = self.order(100, product=self.goods, confirm=True)
        picking = self.open_picking(order)
        picking.with_user(self.stock_user).write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "name": "Steel sheet",
                            "product_id": self.sheet.id,
                            "product_uom_qty": 1,
                            "location_id": picking.location_id.id,
                            "location_dest_id": picking.location_dest_id.id,
                        }
                    )
                ]
            }
        )
        with self.assertRaisesText(UserError, "330.00 shipped beyond the confirmed quantities") as e:
            self.deliver(order, 1)
        self.assertIn("440.00", str(e.exception))
        self.assertNotEqual(picking.state, "done")
        self.set_credit(self.customer, limit=500, policy="block")
        # stock Odoo adds the sheet to the order: only a warehouse user with sales rights can ship it
        picking.move_ids.write({"quantity": 1, "picked": True})
        picking.with_user(self.stock_salesman).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.order_line.filtered(lambda line: line.product_id == self.sheet).qty_delivered, 1)

    def test_customer_without_policy_is_not_checked(self):
        self.set_credit(self.customer, limit=100, policy="none")
        order = self.order(800, product=self.goods, confirm=True)
        self.company.credit_delivery_check = "block"
        picking = self.deliver(order, 2)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 2)

    def test_backorder_wizard_is_checked(self):
        # ten coils at 100 + 10 % (1,100) over a limit set at 1,000 once the order is confirmed
        order = self.order(100, product=self.goods)
        order.order_line.product_uom_qty = 10
        order.action_confirm()
        self.set_credit(self.customer, limit=1000, policy="block")
        self.company.credit_delivery_check = "block"
        picking = self.open_picking(order)
        with self.assertRaisesText(UserError, "Its exposure of $\N{NO-BREAK SPACE}1,100.00 is above its credit limit"):
            self.deliver(order, 4)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.picking_ids, picking, "no backorder")
        self.company.credit_delivery_check = "warn"
        self.deliver(order, 4)
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(order.picking_ids), 2, "the remaining 6 coils wait in a backorder")
        self.assertTrue(self.warning_of(picking)[1])

    def test_released_order_ships_under_block(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        order = self.order(1500, product=self.goods, confirm=True)
        action = order.with_user(self.credit_manager).action_credit_decide()
        wizard = Form(self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"]))
        wizard.note = "Bank guarantee received"
        wizard.save().action_release()
        self.assertEqual(order.state, "sale")
        self.company.credit_delivery_check = "block"
        self.assertEqual(self.deliver(order, 1).state, "done")

    def test_delivery_without_an_order_is_checked(self):
        # an invoice of 1,500 over a limit of 1,000; the warehouse ships a sheet to the customer's contact by hand
        self.set_credit(self.customer, limit=1000, policy="warn")
        self.invoice(1500)
        self.company.credit_delivery_check = "block"
        picking = (
            self.env["stock.picking"]
            .with_user(self.stock_user)
            .create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "partner_id": self.contact.id,
                    "location_id": self.warehouse.lot_stock_id.id,
                    "location_dest_id": self.customers.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "Steel sheet",
                                "product_id": self.sheet.id,
                                "product_uom_qty": 1,
                                "location_id": self.warehouse.lot_stock_id.id,
                                "location_dest_id": self.customers.id,
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaisesText(UserError, "for Hangzhou Steel Trading: Its exposure of") as e:
            picking.with_user(self.stock_user).button_validate()
        self.assertIn("1,500.00", str(e.exception))
        self.assertNotEqual(picking.state, "done")

    def test_migration_keeps_what_the_old_setting_refused(self):
        # before 18.0.1.1.0 a Boolean refused deliveries of customers on manual hold: "warn" still does, "off" not
        other = self.env["res.company"].create({"name": "Ningbo Branch"})
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE res_company DROP COLUMN credit_delivery_check")
        cr.execute("ALTER TABLE res_company ADD COLUMN credit_check_on_delivery boolean")
        cr.execute("UPDATE res_company SET credit_check_on_delivery = (id = %s)", [self.company.id])
        load_script(file_path("sales_credit/migrations/18.0.1.1.0/pre-migration.py"), "sales_credit").migrate(
            cr, "18.0.1.0.0"
        )
        self.env.invalidate_all()
        self.assertEqual(self.company.credit_delivery_check, "warn")
        self.assertEqual(other.credit_delivery_check, "off")

    def test_delivery_check_in_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.credit_delivery_check, "warn")
        settings.credit_delivery_check = "block"
        settings.execute()
        self.assertEqual(self.company.credit_delivery_check, "block")
