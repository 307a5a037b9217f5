import base64
import io

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import SalesAnalyticsCommon


@tagged("post_install", "-at_install")
class TestTrendAndExport(SalesAnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["sale.order"].search([("state", "=", "sale")]).write({"date_order": "2019-01-01"})
        cls.month = fields.Date.today().replace(day=1)
        cls.steel_product = cls.env["product.product"].create(
            {"name": "Plate", "categ_id": cls.categ_steel.id, "taxes_id": [Command.clear()]}
        )

    def at(self, months_ago):
        return fields.Datetime.to_datetime(self.month - relativedelta(months=months_ago)) + relativedelta(days=2)

    def test_growth_and_new(self):
        self.order(self.key, 1, 200, date=self.at(1))
        self.order(self.key, 1, 300, date=self.at(0))
        self.order(self.key, 1, 100, date=self.at(12))
        self.order(self.key, 1, 500, product=self.steel_product, date=self.at(0))
        report = (
            self.env["sales.trend.report"]
            .with_user(self.manager)
            .create(
                {
                    "dimension": "categ_id",
                    "period": "month",
                    "date_from": self.month,
                    "date_to": self.month + relativedelta(months=1, days=-1),
                }
            )
        )
        report.action_show()
        lines = {line.dimension_name: line for line in report.line_ids}
        wire, steel = lines["Wire"], lines["Steel"]
        self.assertRecordValues(
            wire,
            [
                {
                    "value": 300,
                    "previous_value": 200,
                    "growth": 100,
                    "growth_pct": 50,
                    "last_year_value": 100,
                    "yoy_growth_pct": 200,
                    "is_new": False,
                }
            ],
        )
        self.assertEqual(wire.growth_display, "+50.0 %")
        self.assertTrue(steel.is_new)
        self.assertEqual(steel.growth_display, "new")
        self.assertEqual(steel.growth_pct, 0)

    def test_trend_fields_have_their_own_labels_and_views(self):
        Report = self.env["sales.trend.report"].with_user(self.manager)
        labels = {name: field["string"] for name, field in Report.fields_get(["period", "date_from"]).items()}
        self.assertEqual(labels, {"period": "Period Unit", "date_from": "From"})
        arch = Report.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('string="From – To"', arch)
        self.assertNotIn('string="Period"', arch)
        action = Report.create({}).action_show()
        self.assertEqual(action["view_mode"], "list,pivot,graph")
        views = self.env["sales.trend.line"].with_user(self.manager).get_views([(False, "pivot"), (False, "graph")])
        self.assertIn('name="value" type="measure"', views["views"]["pivot"]["arch"])
        self.assertIn('name="period_label"', views["views"]["graph"]["arch"])

    def test_movers(self):
        self.order(self.key, 1, 100, date=self.at(1))
        self.order(self.normal, 1, 500, date=self.at(1))
        self.order(self.key, 1, 400, date=self.at(0))
        self.order(self.normal, 1, 200, date=self.at(0))
        previous = self.month - relativedelta(months=1)
        report = (
            self.env["sales.trend.report"]
            .with_user(self.manager)
            .create(
                {
                    "mode": "movers",
                    "dimension": "partner_id",
                    "date_from": previous,
                    "date_to": self.month - relativedelta(days=1),
                    "compare_from": self.month,
                    "compare_to": self.month + relativedelta(months=1, days=-1),
                    "limit": 5,
                }
            )
        )
        report.action_show()
        top = report.line_ids.filtered(lambda l: l.mover == "top")
        bottom = report.line_ids.filtered(lambda l: l.mover == "bottom")
        self.assertEqual((top.dimension_name, top.growth), ("Key Co", 300))
        self.assertEqual((bottom.dimension_name, bottom.growth), ("Normal Co", -300))

    def export_wizard(self, **vals):
        """The manager's export of this month, with every order line."""
        return (
            self.env["sales.analysis.export"]
            .with_user(self.manager)
            .create(
                {
                    "date_from": self.month,
                    "date_to": self.month + relativedelta(months=1, days=-1),
                    "include_lines": True,
                    **vals,
                }
            )
        )

    def test_excel_export(self):
        self.order(self.key, 2, 100, date=self.at(0))
        self.order(self.normal, 1, 500, product=self.steel_product, date=self.at(0))
        self.order(self.normal, 1, 50, date=self.at(12))
        wizard = self.export_wizard(dimension="categ_id", compare=True)
        action = wizard.action_export()
        self.assertIn("download=true", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        self.assertEqual(book.sheetnames, ["Summary", "Order Lines"])
        summary = [[cell.value for cell in row] for row in book["Summary"].iter_rows(min_row=4)]
        self.assertEqual(summary[0][:4], ["Product Line", "Orders", "Quantity", "Ordered"])
        rows = {row[0]: row for row in summary[1:] if row[0]}
        self.assertEqual(rows["Steel"][3], 500)
        self.assertEqual(rows["Wire"][3], 200)
        self.assertEqual(rows["Wire"][8], 50, "last year's figure")
        self.assertEqual(rows["Steel"][9], "new")
        self.assertEqual(rows["Total"][3], 700)
        self.assertEqual(rows["Total"][9], 13, "the growth of the totals: (700 - 50) / 50")
        self.assertEqual(book["Summary"].freeze_panes, "B5")
        self.assertEqual(book["Order Lines"].max_row, 3)
        self.assertTrue(book["Summary"]._charts or b"chart" in base64.b64decode(wizard.file))

    def test_large_export_comes_to_the_inbox(self):
        self.order(self.key, 2, 100, date=self.at(0))
        self.order(self.normal, 1, 500, product=self.steel_product, date=self.at(0))
        self.env.company.sales_background_threshold = 1
        wizard = self.export_wizard()
        action = wizard.action_export()
        self.assertEqual(action["tag"], "display_notification")
        self.assertFalse(wizard.file, "nothing built in the request")
        self.env.ref("sales_base.ir_cron_sales_background_jobs").method_direct_trigger()
        inbox = (
            self.env["mail.message"]
            .with_user(self.manager)
            .search([("partner_ids", "in", self.manager.partner_id.ids), ("message_type", "=", "user_notification")])
        )
        self.assertIn("Your Excel export is ready", inbox.body)
        attachment = inbox.attachment_ids.with_user(self.manager)
        self.assertEqual(attachment.name, wizard._get_filename())
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(book["Order Lines"].max_row, 3)

    def test_queued_export_is_a_record_kept_until_its_job_runs(self):
        """A large export waits for its job past the hour Odoo keeps a wizard; the salesperson who asked finds it,
        with its workbook, in Excel Exports, and no other salesperson does."""
        self.order(self.key, 2, 100, date=self.at(0))
        self.order(self.normal, 1, 500, product=self.steel_product, date=self.at(0))
        self.env.company.sales_background_threshold = 1
        Export = self.env["sales.analysis.export"].with_user(self.salesman)
        export = Export.create(
            {"date_from": self.month, "date_to": self.month + relativedelta(months=1, days=-1), "include_lines": True}
        )
        self.assertEqual(export.action_export()["tag"], "display_notification")
        self.assertEqual((export.job_state, export.job_size, export.job_size_unit), ("queued", 2, "order lines"))
        self.assertFalse(Export._transient)
        # two hours later: neither Odoo's vacuum of wizards nor the exports' own one removes it
        self.env.cr.execute(
            "UPDATE sales_analysis_export SET create_date = create_date - interval '2 hours', "
            "write_date = write_date - interval '40 days' WHERE id = %s",
            [export.id],
        )
        self.env["sales.analysis.export"]._gc_finished_exports()
        self.assertTrue(export.exists())

        self.env.ref("sales_base.ir_cron_sales_background_jobs").method_direct_trigger()
        self.assertFalse(export.job_state)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        self.assertEqual(book["Order Lines"].max_row, 3)
        inbox = (
            self.env["mail.message"]
            .with_user(self.salesman)
            .search([("model", "=", export._name), ("res_id", "=", export.id)])
        )
        self.assertIn("Your Excel export is ready", inbox.body)
        self.assertEqual(Export.search([]), export)
        other = self.env["res.users"].create(
            {
                "name": "Other seller",
                "login": "analysis_other_seller",
                "groups_id": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        self.assertFalse(self.env["sales.analysis.export"].with_user(other).search([]))
        self.assertIn(export, self.env["sales.analysis.export"].with_user(self.manager).search([]))
        self.assertEqual(export.action_download()["type"], "ir.actions.act_url")

    def test_finished_exports_go_after_30_days(self):
        Export = self.env["sales.analysis.export"].with_user(self.salesman)
        old_done, recent_done, old_queued = Export.create([{}, {}, {"job_state": "queued"}])
        self.env.cr.execute(
            "UPDATE sales_analysis_export SET write_date = now() - interval '31 days' WHERE id IN %s",
            [(old_done.id, old_queued.id)],
        )
        self.env["sales.analysis.export"]._gc_finished_exports()
        self.assertEqual((old_done | recent_done | old_queued).exists(), recent_done | old_queued)

    def test_daily_report_email(self):
        self.env.company.write(
            {
                "daily_report_enabled": True,
                "daily_report_user_ids": [Command.set(self.manager.ids)],
                "daily_report_hour": 0,
            }
        )
        yesterday = fields.Date.today() - relativedelta(days=1)
        order = self.order(self.key, 3, 250, date=fields.Datetime.to_datetime(yesterday) + relativedelta(hours=10))
        invoice = self.env["sale.order"].browse(order.id)._create_invoices()
        invoice.invoice_date = yesterday
        invoice.action_post()
        mail = self.env["sales.daily.report"]._send(yesterday)
        self.assertIn(self.manager.partner_id, mail.recipient_ids)
        self.assertIn(str(yesterday), mail.subject)
        self.assertIn("750.00", mail.body_html)
        self.assertIn(self.salesman.name, mail.body_html)
        report = self.env["sales.daily.report"]._get_report(yesterday)
        [row] = [row for row in report["rows"] if row["user"] == self.salesman]
        self.assertEqual((row["order_count"], row["order_amount"], row["invoiced_amount"]), (1, 750, 750))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(mail.attachment_ids.datas)))
        self.assertEqual(book.sheetnames, ["Summary"])

    def test_daily_report_sent_once_a_day(self):
        self.env.company.write(
            {
                "daily_report_enabled": True,
                "daily_report_user_ids": [Command.set(self.manager.ids)],
                "daily_report_hour": 0,
            }
        )
        Mail = self.env["mail.mail"]
        before = Mail.search_count([])
        self.env["sales.daily.report"]._cron_send()
        self.env["sales.daily.report"]._cron_send()
        self.assertEqual(Mail.search_count([]) - before, 1)

    def test_export_counts_an_order_once_in_the_total(self):
        """An order with lines in two product lines is one order in each row, and one in the total."""
        order = self.order(self.key, 2, 100, date=self.at(0))
        order.order_line = [
            Command.create({"product_id": self.steel_product.id, "product_uom_qty": 1, "price_unit": 500})
        ]
        self.order(self.normal, 1, 50, date=self.at(0))
        wizard = self.export_wizard(dimension="categ_id", compare=False, include_lines=False)
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))
        rows = {row[0]: row for row in book["Summary"].iter_rows(min_row=5, values_only=True) if row[0]}
        self.assertEqual((rows["Steel"][1], rows["Wire"][1]), (1, 2))
        self.assertEqual(rows["Total"][1], 2, "two orders, not three")
        self.assertEqual(rows["Total"][3], 750)

    def test_trend_group_rows_add_only_what_adds_up(self):
        """Grouped by product line over two months: the values, last year's and the change against it add up; the
        previous periods and growth rates do not."""
        self.order(self.key, 1, 100, date=self.at(2))
        self.order(self.key, 1, 200, date=self.at(1))
        self.order(self.key, 1, 300, date=self.at(0))
        self.order(self.key, 1, 50, date=self.at(13))
        report = (
            self.env["sales.trend.report"]
            .with_user(self.manager)
            .create(
                {
                    "dimension": "categ_id",
                    "period": "month",
                    "date_from": self.month - relativedelta(months=1),
                    "date_to": self.month + relativedelta(months=1, days=-1),
                }
            )
        )
        report.action_show()
        lines = report.line_ids.filtered(lambda line: line.dimension_name == "Wire")
        self.assertEqual(sorted(lines.mapped("previous_value")), [100, 200])
        [group] = (
            self.env["sales.trend.line"]
            .with_user(self.manager)
            .read_group(
                [("id", "in", lines.ids)],
                ["value", "previous_value", "growth", "growth_pct", "last_year_value", "yoy_growth", "yoy_growth_pct"],
                ["dimension_name"],
            )
        )
        self.assertEqual((group["value"], group["last_year_value"], group["yoy_growth"]), (500, 50, 450))
        for measure in ("previous_value", "growth", "growth_pct", "yoy_growth_pct"):
            self.assertNotIn(measure, group)
