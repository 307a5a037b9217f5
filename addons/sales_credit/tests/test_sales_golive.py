import csv
import io
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import file_open, mute_logger

from .common import SalesCreditCommon

IMPORT_OPTIONS = {
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
    "encoding": "utf-8",
    "separator": ",",
    "quoting": '"',
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": True,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "skip": 0,
}


class GoliveCommon(SalesCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # who loads: a sales manager for orders, a credit manager with invoicing rights for receivables
        cls.accountant_credit = new_test_user(
            cls.env, "golive_credit_manager", groups="sales_credit.group_credit_manager,account.group_account_invoice"
        )

    def template_header(self, name):
        """The columns of a template offered in the import screen."""
        with file_open(f"sales_credit/static/xls/{name}.csv") as template:
            return next(csv.reader(template))

    def import_file(self, model, template, rows, user):
        """Import a CSV file made of a template's columns and ``rows`` as ``user``, through Odoo's import."""
        header = self.template_header(template)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        wizard = (
            self.env["base_import.import"]
            .with_user(user)
            .create({"res_model": model, "file": buffer.getvalue().encode(), "file_type": "text/csv"})
        )
        preview = wizard.parse_preview(dict(IMPORT_OPTIONS))
        self.assertFalse(preview.get("error"))
        # every column of the template finds its field
        self.assertEqual(len(preview["matches"]), len(header), preview["matches"])
        fields = ["/".join(preview["matches"][index]) for index in range(len(header))]
        return wizard.execute_import(fields, header, dict(IMPORT_OPTIONS))

    def day(self, days):
        return (self.today + timedelta(days=days)).isoformat()

    def errors(self, result):
        return [message for message in result["messages"] if message["type"] == "error"]


@tagged("post_install", "-at_install")
class TestGoliveOrders(GoliveCommon):
    def import_orders(self, rows, template="sales_golive_open_orders", user=None):
        return self.import_file("sales.golive.order.line", template, rows, user or self.sale_manager)

    def open_order_rows(self):
        customer, salesman = self.customer.name, self.salesman.name
        return [
            ["OLD-1", "1", customer, salesman, self.day(-20), self.day(10), "Steel coil", "10", "4", "100", "0"],
            ["OLD-1", "2", customer, salesman, self.day(-20), self.day(10), "Installation", "2", "1", "50", "0"],
        ]

    def test_open_orders_load_confirmed_partly_delivered(self):
        result = self.import_orders(self.open_order_rows())
        self.assertFalse(self.errors(result), result["messages"])
        rows = self.env["sales.golive.order.line"].with_user(self.sale_manager).browse(result["ids"])
        self.assertEqual(rows.mapped("kind"), ["partial", "partial"])
        on_hand = self.goods.with_context(warehouse_id=self.warehouse.id).qty_available

        rows.action_load()

        order = rows.order_id
        self.assertEqual(order.name, "OLD-1")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(order.date_order.date(), self.today - timedelta(days=20))
        self.assertFalse(order.on_credit_hold)
        coil, installation = order.order_line
        self.assertEqual((coil.qty_delivered, installation.qty_delivered), (4, 1))
        self.assertEqual(order.invoice_status, "to invoice")
        # the rest of the goods waits in a normal delivery; the delivered part took no stock
        self.assertEqual(order.picking_ids.move_ids.mapped("product_uom_qty"), [6])
        self.assertEqual(order.picking_ids.state, "assigned")
        self.assertEqual(self.goods.with_context(warehouse_id=self.warehouse.id).qty_available, on_hand)
        self.assertEqual(set(rows.mapped("state")), {"loaded"})
        # exposure, counted once: delivered 4 x 110 + 1 x 50, undelivered 6 x 110 + 1 x 50
        figures = self.customer._get_credit_figures()[self.customer.id]
        self.assertAlmostEqual(figures["delivered_uninvoiced"], 490)
        self.assertAlmostEqual(figures["undelivered"], 710)
        self.assertAlmostEqual(figures["exposure"], 1200)

    def test_shipped_not_invoiced_waits_for_its_invoice(self):
        rows = [["OLD-2", "1", self.customer.name, "", self.day(-40), "", "Steel coil", "5", "5", "200", "10"]]
        result = self.import_orders(rows, template="sales_golive_shipped_not_invoiced")
        self.assertFalse(self.errors(result), result["messages"])
        staged = self.env["sales.golive.order.line"].with_user(self.sale_manager).browse(result["ids"])
        self.assertEqual(staged.kind, "shipped")
        staged.action_load()
        order = staged.order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.qty_delivered, 5)
        self.assertFalse(order.picking_ids)
        self.assertEqual(order.invoice_status, "to invoice")
        # 5 x 200 less 10 %, plus 10 % tax
        figures = self.customer._get_credit_figures()[self.customer.id]
        self.assertAlmostEqual(figures["delivered_uninvoiced"], 990)
        self.assertAlmostEqual(figures["undelivered"], 0)

    def test_a_bad_row_loads_nothing_and_names_the_row(self):
        rows = self.open_order_rows()
        rows.append(["OLD-3", "1", self.customer.name, "", self.day(-5), "", "Steel coil", "10", "12", "100", "0"])
        result = self.import_orders(rows)
        self.assertFalse(result["ids"])
        errors = self.errors(result)
        # Odoo's import names the row (from 0, the header apart); the message names the order and product
        self.assertIn(2, [error["rows"]["from"] for error in errors])
        for error in errors:
            self.assertIn("Order OLD-3, Steel coil: the delivered quantity (12", error["message"])
        self.assertFalse(self.env["sales.golive.order.line"].search([("order_ref", "in", ("OLD-1", "OLD-3"))]))

    def test_unknown_customer_is_refused(self):
        rows = [["OLD-4", "1", "Nobody Trading", "", self.day(-5), "", "Steel coil", "1", "0", "100", "0"]]
        # Odoo's import tries the row without the customer it could not find: the database refuses it
        with mute_logger("odoo.sql_db"):
            result = self.import_orders(rows)
        self.assertFalse(result["ids"])
        self.assertIn("Nobody Trading", self.errors(result)[0]["message"])

    def test_rows_of_one_order_agree_on_the_customer(self):
        other = self.env["res.partner"].create({"name": "Ningbo Pipes", "is_company": True})
        rows = self.open_order_rows()
        rows[1][2] = other.name
        result = self.import_orders(rows)
        self.assertFalse(result["ids"])
        self.assertIn("different values for Customer", self.errors(result)[0]["message"])

    def test_an_order_is_loaded_once(self):
        rows = (
            self.env["sales.golive.order.line"]
            .with_user(self.sale_manager)
            .browse(self.import_orders(self.open_order_rows())["ids"])
        )
        rows.action_load()
        with self.assertRaisesRegex(UserError, "nothing to load"):
            rows.action_load()
        again = self.import_orders(self.open_order_rows())
        self.assertFalse(again["ids"])
        self.assertIn("OLD-1 is used already", self.errors(again)[0]["message"])
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            rows[0].price_unit = 1

    def test_a_file_imported_twice_is_refused_and_names_the_order_line(self):
        first = self.import_orders(self.open_order_rows())
        self.assertFalse(self.errors(first), first["messages"])
        again = self.import_orders(self.open_order_rows())
        self.assertFalse(again["ids"])
        messages = [error["message"] for error in self.errors(again)]
        self.assertIn("Order OLD-1 has line 1 twice", messages[0])
        rows = self.env["sales.golive.order.line"].with_user(self.sale_manager).search([("order_ref", "=", "OLD-1")])
        self.assertEqual(len(rows), 2)
        rows.action_load()
        # one coil and one installation, in the old order's line order: 10 x 110 + 2 x 50, taxes included
        order = rows.order_id
        self.assertEqual(order.order_line.product_id.mapped("name"), ["Steel coil", "Installation"])
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [10, 2])
        self.assertAlmostEqual(order.amount_total, 1200)

    def test_a_line_given_twice_in_one_file_loads_nothing(self):
        rows = self.open_order_rows()
        rows[1][1] = "1"
        result = self.import_orders(rows)
        self.assertFalse(result["ids"])
        self.assertIn("Order OLD-1 has line 1 twice", self.errors(result)[0]["message"])
        self.assertFalse(self.env["sales.golive.order.line"].search([("order_ref", "=", "OLD-1")]))

    def test_the_same_line_number_in_another_order_is_accepted(self):
        rows = self.open_order_rows()
        rows.append(["OLD-5", "1", self.customer.name, "", self.day(-3), "", "Steel coil", "1", "0", "100", "0"])
        result = self.import_orders(rows)
        self.assertFalse(self.errors(result), result["messages"])
        self.assertEqual(len(result["ids"]), 3)

    def test_a_customer_over_credit_keeps_its_orders_and_new_ones_are_held(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        rows = (
            self.env["sales.golive.order.line"]
            .with_user(self.sale_manager)
            .browse(self.import_orders(self.open_order_rows())["ids"])
        )
        rows.action_load()
        self.assertEqual(rows.order_id.state, "sale")
        self.assertFalse(rows.order_id.credit_hold_ids)
        # the go-live order uses 1,200 of the 1,000: the next order waits for a credit manager
        new = self.order(100)
        new.action_confirm()
        self.assertEqual(new.state, "draft")
        self.assertTrue(new.on_credit_hold)

    def test_a_go_live_order_is_checked_once_loaded(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        rows = (
            self.env["sales.golive.order.line"]
            .with_user(self.sale_manager)
            .browse(self.import_orders(self.open_order_rows())["ids"])
        )
        rows.action_load()
        with self.assertRaisesRegex(UserError, "OLD-1 cannot be confirmed: .* Ask a credit manager"):
            rows.order_id.with_user(self.sale_manager).write(
                {"order_line": [Command.create({"product_id": self.service.id, "price_unit": 500})]}
            )

    def test_orders_load_in_the_company_currency(self):
        self.customer.property_product_pricelist = self.foreign_pricelist
        rows = (
            self.env["sales.golive.order.line"]
            .with_user(self.sale_manager)
            .browse(self.import_orders(self.open_order_rows())["ids"])
        )
        with self.assertRaisesRegex(UserError, "Order OLD-1: the pricelist of Hangzhou Steel Trading is in FCY"):
            rows.action_load()
        self.assertFalse(self.env["sale.order"].search([("name", "=", "OLD-1")]))
        self.assertEqual(set(rows.mapped("state")), {"to_load"})

    def test_without_a_salesperson_the_customers_takes_the_order(self):
        self.customer.user_id = self.salesman
        rows = self.open_order_rows()
        for row in rows:
            row[3] = ""
        staged = (
            self.env["sales.golive.order.line"].with_user(self.sale_manager).browse(self.import_orders(rows)["ids"])
        )
        staged.action_load()
        self.assertEqual(staged.order_id.user_id, self.salesman)

    def test_an_order_loads_whole_from_one_selected_row(self):
        rows = (
            self.env["sales.golive.order.line"]
            .with_user(self.sale_manager)
            .browse(self.import_orders(self.open_order_rows())["ids"])
        )
        rows[0].action_load()
        self.assertEqual(len(rows.order_id.order_line), 2)
        self.assertEqual(set(rows.mapped("state")), {"loaded"})

    def test_load_without_selection_loads_every_row_to_load(self):
        self.import_orders(self.open_order_rows())
        self.env["sales.golive.order.line"].with_user(self.sale_manager).browse().action_load()
        self.assertEqual(self.env["sale.order"].search([("name", "=", "OLD-1")]).state, "sale")

    def test_salesperson_cannot_load_go_live_data(self):
        with self.assertRaises(AccessError):
            self.env["sales.golive.order.line"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["sales.golive.receivable"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["sales.golive.receivable"].with_user(self.sale_manager).search([])


@tagged("post_install", "-at_install")
class TestGoliveReceivables(GoliveCommon):
    def import_receivables(self, rows, user=None):
        return self.import_file(
            "sales.golive.receivable", "sales_golive_receivables", rows, user or self.accountant_credit
        )

    def receivable_rows(self):
        customer, salesman, currency = self.customer.name, self.salesman.name, self.company.currency_id.name
        return [
            ["FP2024-00312", customer, salesman, currency, self.day(-60), self.day(-30), "500", "300"],
            ["FP2025-00017", customer, "", "FCY", self.day(-5), self.day(10), "", "400"],
        ]

    def test_open_receivables_post_under_their_original_numbers(self):
        result = self.import_receivables(self.receivable_rows())
        self.assertFalse(self.errors(result), result["messages"])
        rows = self.env["sales.golive.receivable"].with_user(self.accountant_credit).browse(result["ids"])
        rows.action_load()
        old, recent = rows.move_id
        self.assertEqual((old.name, recent.name), ("FP2024-00312", "FP2025-00017"))
        self.assertEqual(set(rows.move_id.mapped("state")), {"posted"})
        self.assertEqual(old.invoice_date, self.today - timedelta(days=60))
        self.assertEqual(old.invoice_user_id, self.salesman)
        self.assertEqual(recent.currency_id, self.foreign)
        self.assertEqual(old.journal_id, self.company.golive_journal_id)
        receivable = old.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertEqual(receivable.date_maturity, self.today - timedelta(days=30))
        self.assertEqual(receivable.amount_residual, 300)
        # the counterpart is the opening account, not income
        self.assertEqual(old.invoice_line_ids.account_id, self.company._get_golive_account())
        # Odoo's partner balance and the exposure: 300 + 400 FCY at 2 per unit
        self.assertAlmostEqual(self.customer.credit, 500)
        figures = self.customer._get_credit_figures()[self.customer.id]
        self.assertAlmostEqual(figures["open_receivable"], 500)
        self.assertAlmostEqual(figures["overdue_amount"], 300)
        self.assertEqual(figures["overdue_days"], 30)

    def test_an_open_credit_note_nets_the_invoice(self):
        """An invoice of 500 open and 10 days overdue, a credit note of 120 still open: Odoo's partner balance and
        the exposure count 500 - 120 = 380; the overdue amount is the invoice's 500 (a credit is never overdue)."""
        customer, currency = self.customer.name, self.company.currency_id.name
        rows = [
            ["FP2025-00410", customer, "", currency, self.day(-40), self.day(-10), "500", "500"],
            ["HC2025-00022", customer, "", currency, self.day(-8), self.day(-8), "-120", "-120"],
        ]
        result = self.import_receivables(rows)
        self.assertFalse(self.errors(result), result["messages"])
        staged = self.env["sales.golive.receivable"].with_user(self.accountant_credit).browse(result["ids"])
        self.assertEqual(staged.mapped("move_type"), ["out_invoice", "out_refund"])
        staged.action_load()
        invoice, credit_note = staged.move_id
        self.assertRecordValues(
            credit_note,
            [
                {
                    "name": "HC2025-00022",
                    "move_type": "out_refund",
                    "state": "posted",
                    "amount_total": 120,
                    "amount_residual": 120,
                    "journal_id": self.company.golive_journal_id.id,
                }
            ],
        )
        self.assertEqual(invoice.move_type, "out_invoice")
        # the aged receivable's open items: the invoice owed, the credit note the customer's credit
        items = self.env["account.move.line"].search(
            [("partner_id", "=", self.customer.id), *self.env["account.move.line"]._sales_open_receivable_domain()]
        )
        self.assertEqual(sorted(items.mapped("amount_residual")), [-120, 500])
        self.assertAlmostEqual(self.customer.credit, 380)
        figures = self.customer._get_credit_figures()[self.customer.id]
        self.assertAlmostEqual(figures["open_receivable"], 380)
        self.assertAlmostEqual(figures["exposure"], 380)
        self.assertAlmostEqual(figures["overdue_amount"], 500)

    def test_a_credit_note_gives_both_amounts_negative(self):
        rows = self.receivable_rows()
        rows[0][7] = "-300"
        result = self.import_receivables(rows)
        self.assertFalse(result["ids"])
        self.assertIn("Invoice FP2024-00312: the open amount", self.errors(result)[0]["message"])
        self.assertIn("must have the same sign", self.errors(result)[0]["message"])

    def test_a_credit_note_open_above_its_amount_is_refused(self):
        rows = self.receivable_rows()
        rows[0][6:8] = ["-100", "-300"]
        result = self.import_receivables(rows)
        self.assertFalse(result["ids"])
        self.assertIn("is above the invoice amount", self.errors(result)[0]["message"])

    def test_a_settled_invoice_is_left_out(self):
        rows = self.receivable_rows()
        rows[0][7] = "0"
        result = self.import_receivables(rows)
        self.assertFalse(result["ids"])
        self.assertIn("Invoice FP2024-00312: the open amount cannot be zero", self.errors(result)[0]["message"])

    def test_the_journal_and_opening_account_of_the_settings_are_used(self):
        journal = self.env["account.journal"].create({"name": "Old System", "code": "OLDS", "type": "sale"})
        account = self.env["account.account"].create(
            {"name": "Opening balances", "code": "399000", "account_type": "equity"}
        )
        settings = self.env["res.config.settings"].create(
            {"golive_journal_id": journal.id, "golive_account_id": account.id}
        )
        settings.execute()
        result = self.import_receivables(self.receivable_rows())
        self.env["sales.golive.receivable"].with_user(self.accountant_credit).browse(result["ids"]).action_load()
        moves = self.env["account.move"].search([("name", "in", ("FP2024-00312", "FP2025-00017"))])
        self.assertEqual(moves.journal_id, journal)
        self.assertEqual(moves.invoice_line_ids.account_id, account)

    def test_a_due_date_before_the_invoice_date_loads_nothing(self):
        rows = self.receivable_rows()
        rows[1][5] = self.day(-10)
        result = self.import_receivables(rows)
        self.assertFalse(result["ids"])
        errors = self.errors(result)
        self.assertIn(1, [error["rows"]["from"] for error in errors])
        for error in errors:
            self.assertIn("Invoice FP2025-00017: the due date", error["message"])
        self.assertFalse(self.env["sales.golive.receivable"].search([("partner_id", "=", self.customer.id)]))

    def test_an_invoice_number_is_given_once(self):
        rows = self.receivable_rows()
        rows[1][0] = rows[0][0]
        result = self.import_receivables(rows)
        self.assertFalse(result["ids"])
        self.assertIn("is given twice", self.errors(result)[0]["message"])

    def test_unknown_currency_is_refused(self):
        rows = self.receivable_rows()
        rows[1][3] = "XYZ"
        result = self.import_receivables(rows)
        self.assertFalse(result["ids"])
        self.assertIn("XYZ", self.errors(result)[0]["message"])

    def test_loading_receivables_needs_invoicing_rights(self):
        self.import_receivables(self.receivable_rows())
        with self.assertRaisesRegex(UserError, "Invoicing rights"):
            self.env["sales.golive.receivable"].with_user(self.credit_manager).browse().action_load()
        self.assertFalse(self.env["account.move"].search([("name", "=", "FP2024-00312")]))


@tagged("post_install", "-at_install")
class TestGoliveTour(HttpCase, GoliveCommon):
    def test_sales_manager_loads_the_open_orders_from_the_menu(self):
        self.env["sales.golive.order.line"].with_user(self.sale_manager).create(
            {
                "order_ref": "TOUR-OLD-7",
                "line_no": 1,
                "partner_id": self.customer.id,
                "date_order": self.today - timedelta(days=3),
                "product_id": self.goods.id,
                "product_uom_qty": 8,
                "qty_delivered": 3,
                "price_unit": 100,
            }
        )
        self.start_tour("/odoo", "sales_golive_load_orders", login=self.sale_manager.login)
        order = self.env["sale.order"].search([("name", "=", "TOUR-OLD-7")])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.qty_delivered, 3)
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 5)
