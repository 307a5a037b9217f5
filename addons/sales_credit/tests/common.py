import subprocess
import tempfile
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import Command, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, Form, HttpCase, get_db_name, new_test_user
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon


class SuiteCommon(BaseCommon):
    """Base of the suite's tests."""

    @contextmanager
    def assertRaisesText(self, exception, text):
        """Like assertRaisesRegex, but with Odoo's savepoint: what the failed call wrote is rolled back."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def pdf_text(self, report_ref, records):
        """The text a reader sees on the report's PDF, as printed by the user of ``records``.

        Debian's wkhtmltopdf draws web fonts as outlines, so the PDF has no text layer: the pages are read
        back with OCR (pdftoppm and tesseract), which also checks what the paper really shows.
        """
        # wkhtmltopdf fetches the report's styles from the test server, which must answer within this transaction
        self.env["ir.config_parameter"].sudo().set_param("report.url", HttpCase.base_url())
        self.registry.enter_test_mode(self.cr)
        try:
            # Debian's wkhtmltopdf warns that its Qt ignores the header options
            with mute_logger("odoo.addons.base.models.ir_actions_report"):
                pdf, report_type = (
                    self.env["ir.actions.report"]
                    .with_user(records.env.user)
                    .with_context(force_report_rendering=True)
                    ._render_qweb_pdf(report_ref, records.ids)
                )
        finally:
            self.registry.leave_test_mode()
        self.assertEqual(report_type, "pdf")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder)
            (path / "report.pdf").write_bytes(pdf)
            subprocess.run(["pdftoppm", "-r", "300", "-png", path / "report.pdf", path / "page"], check=True)
            pages = [
                subprocess.run(["tesseract", page, "-"], check=True, capture_output=True, text=True).stdout
                for page in sorted(path.glob("page*.png"))
            ]
        # one space between words, whatever the layout
        return " ".join(" ".join(pages).split())

    @classmethod
    def setup_second_company(cls, chart=False):
        """A second company that keeps its books in another currency, where 1 of its currency is worth 2 of the
        current company's, in both companies' rates (the test's only rates for the two). Sets ``company_a``,
        ``currency_a``, ``company_b``, ``currency_b``; with ``chart``, the second company gets a chart of accounts
        to invoice in."""
        cls.company_a = cls.env.company
        cls.currency_a = cls.company_a.currency_id
        eur = cls.env.ref("base.EUR")
        cls.currency_b = eur if cls.currency_a != eur else cls.env.ref("base.USD")
        cls.currency_b.active = True
        cls.company_b = cls.env["res.company"].create({"name": "Second Co", "currency_id": cls.currency_b.id})
        if chart:
            cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company_b, install_demo=False)
            # the generic chart brings its own currency: the second company keeps its books in the other one
            cls.company_b.currency_id = cls.currency_b
        cls.env["res.currency.rate"].search([("currency_id", "in", (cls.currency_a | cls.currency_b).ids)]).unlink()
        cls.env["res.currency.rate"].create(
            [
                {"currency_id": cls.currency_b.id, "rate": 0.5, "name": "2020-01-01", "company_id": cls.company_a.id},
                {"currency_id": cls.currency_a.id, "rate": 2.0, "name": "2020-01-01", "company_id": cls.company_b.id},
            ]
        )

    def deliver(self, order, qty):
        """The warehouse (``self.stock_user``) ships ``qty`` of the order's open delivery, leaving a backorder."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        action = picking.with_user(self.stock_user).button_validate()
        if isinstance(action, dict) and action.get("res_model") == "stock.backorder.confirmation":
            backorder = self.env[action["res_model"]].with_user(self.stock_user).with_context(**action["context"])
            Form(backorder).save().process()
        return picking


class ConcurrencyCommon(BaseCase):
    """Tests with real transactions, committed, several at once in threads."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())

    @contextmanager
    def transaction(self, uid=api.SUPERUSER_ID, context=None):
        """An environment on its own cursor, committed when the block ends without error."""
        with self.registry.cursor() as cr:
            # the test runner holds the registries' lock: give the cursor its registry directly
            cr.transaction = api.Transaction(self.registry)
            yield api.Environment(cr, uid, context or {})

    def race(self, *works, retries=0):
        """Run each ``work(env)`` in its own transaction and thread, all starting together.

        A transaction that fails to serialise runs again, up to ``retries`` times, as Odoo retries a request.
        :return: the sorted outcomes: "done", "done on retry", or the name of the last database error
        """
        go, outcomes = threading.Event(), []
        started = [threading.Event() for _work in works]

        def run(work, ready):
            error = None
            for attempt in range(retries + 1):
                try:
                    with self.transaction() as env:
                        ready.set()
                        go.wait(10)
                        work(env)
                        env.cr.flush()
                    outcomes.append("done on retry" if attempt else "done")
                    return
                except (SerializationFailure, LockNotAvailable) as failure:
                    error = type(failure).__name__
            outcomes.append(error)

        # the losers' refused queries are expected, not bad queries to report (the logger is shared by threads)
        with mute_logger("odoo.sql_db"):
            threads = [threading.Thread(target=run, args=(work, ready)) for work, ready in zip(works, started)]
            for thread in threads:
                thread.start()
            for ready in started:
                ready.wait(10)
            go.set()
            for thread in threads:
                thread.join(60)
        return sorted(outcomes)


class SalesCreditCommon(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company = cls.env.company
        # demo data sets thresholds on the main company; each test sets the ones it needs
        cls.company.write({"credit_overdue_amount_limit": 0, "credit_overdue_days_limit": 0})
        # like Odoo's default internal users, salespeople may create and edit contacts
        cls.salesman = new_test_user(
            cls.env, "credit_salesman", groups="sales_team.group_sale_salesman,base.group_partner_manager"
        )
        cls.sale_manager = new_test_user(
            cls.env, "credit_sale_manager", groups="sales_team.group_sale_manager,base.group_partner_manager"
        )
        cls.credit_user = new_test_user(cls.env, "credit_user", groups="sales_credit.group_credit_user")
        cls.credit_manager = new_test_user(cls.env, "credit_manager", groups="sales_credit.group_credit_manager")
        cls.stock_user = new_test_user(cls.env, "credit_stock_user", groups="stock.group_stock_user")
        # the tests define their own regions and review rules
        cls.env["sales.region"].search([]).action_archive()
        cls.env["sales.review.rule"].search([]).action_archive()
        cls.tier_key = cls.env.ref("sales_credit.tier_key")
        cls.tier_normal = cls.env.ref("sales_credit.tier_normal")
        cls.country_cn = cls.env.ref("base.cn")
        cls.state_zj = cls.env.ref("base.state_cn_ZJ")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hangzhou Steel Trading", "is_company": True, "country_id": cls.country_cn.id}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Ms. Wang", "parent_id": cls.customer.id})
        cls.tax_10 = cls.env["account.tax"].create(
            {"name": "VAT 10%", "amount": 10, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Installation",
                "type": "service",
                "list_price": 100,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
            }
        )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Steel coil",
                "is_storable": True,
                "list_price": 100,
                "taxes_id": [Command.set(cls.tax_10.ids)],
                "invoice_policy": "delivery",
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.goods, cls.warehouse.lot_stock_id, 1000)
        # 1 company currency = 2 units of FCY
        cls.foreign = cls.env["res.currency"].create({"name": "FCY", "symbol": "F", "rounding": 0.01})
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.foreign.id, "rate": 2.0, "name": "2020-01-01", "company_id": cls.company.id}
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create({"name": "FCY", "currency_id": cls.foreign.id})

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    @classmethod
    def set_credit(cls, partner, limit=0.0, policy=False, hold=False, reason=False):
        partner.with_user(cls.credit_manager).write(
            {"credit_limit": limit, "credit_policy": policy, "credit_hold": hold, "credit_hold_reason": reason}
        )

    def order(self, amount, partner=None, product=None, confirm=False, user=None, **vals):
        """An order of ``amount`` (price of one unit of a tax-free service, unless a product is given)."""
        product = product or self.service
        order = (
            self.env["sale.order"]
            .with_user(user or self.salesman)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": amount})
                    ],
                    **vals,
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    def invoice(self, amount, partner=None, days_ago=0, post=True, move_type="out_invoice"):
        day = self.today - timedelta(days=days_ago)
        invoice = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": day,
                "date": day,
                "invoice_date_due": day,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def pay(self, invoice, days_ago=0, amount=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": self.today - timedelta(days=days_ago), **({"amount": amount} if amount else {})})
        )
        wizard._create_payments()

    def figures(self, partner=None):
        return (
            (partner or self.customer)
            .with_user(self.credit_user)
            .read(
                [
                    "credit_open_receivable",
                    "credit_draft_invoices",
                    "credit_delivered_uninvoiced",
                    "credit_undelivered",
                    "credit_exposure",
                    "credit_available",
                    "credit_overdue_amount",
                    "credit_overdue_days",
                ]
            )[0]
        )
