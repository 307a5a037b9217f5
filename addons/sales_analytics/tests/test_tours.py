import base64
import io

import openpyxl

from odoo.tests import HttpCase, tagged

from .common import SalesAnalyticsCommon


@tagged("post_install", "-at_install")
class TestAnalyticsTours(HttpCase, SalesAnalyticsCommon):
    def test_manager_exports_the_analysis_to_excel(self):
        """In Chromium, as a sales manager: Sales > Reporting > Export to Excel with every order line."""
        order = self.order(self.key, 3, 250)
        self.start_tour("/odoo", "sales_analytics_export", login=self.manager.login)
        export = self.env["sales.analysis.export"].search([("create_uid", "=", self.manager.id)])
        self.assertEqual(len(export), 1)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        lines = book.worksheets[1]
        self.assertIn(order.name, [row[1] for row in lines.iter_rows(values_only=True)])

    def test_manager_reads_a_trend_as_list_pivot_and_graph(self):
        """In Chromium, as a sales manager: Sales > Reporting > Trend and Comparison, labels, Show, pivot, graph."""
        self.order(self.key, 3, 250)
        self.start_tour("/odoo", "sales_analytics_trend", login=self.manager.login)
        report = self.env["sales.trend.report"].search([("create_uid", "=", self.manager.id)])
        self.assertEqual(len(report), 1)
        self.assertTrue(report.line_ids)
