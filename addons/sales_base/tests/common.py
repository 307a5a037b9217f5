import subprocess
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, Form, HttpCase, get_db_name
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
