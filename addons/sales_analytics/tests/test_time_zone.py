from datetime import date, datetime

from odoo.tests import tagged

from .common import SalesAnalyticsCommon

# Shanghai is UTC+8 all year: local time = UTC + 8 hours
MAY_31_2300 = datetime(2026, 5, 31, 15, 0)  # 23:00 on 31 May in Shanghai
JUNE_1_0400 = datetime(2026, 5, 31, 20, 0)  # 04:00 on 1 June in Shanghai, still 31 May in UTC
JUNE_30_2330 = datetime(2026, 6, 30, 15, 30)  # 23:30 on 30 June in Shanghai
JULY_1_0030 = datetime(2026, 6, 30, 16, 30)  # 00:30 on 1 July in Shanghai, still 30 June in UTC


@tagged("post_install", "-at_install")
class TestShanghaiDays(SalesAnalyticsCommon):
    """A day and a month are the reader's, around midnight and month ends, in every report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.manager | cls.salesman).tz = "Asia/Shanghai"

    def as_web_client(self, model, tz="Asia/Shanghai"):
        """The manager's reads as the web client makes them: his time zone in the context."""
        return self.env[model].with_user(self.manager).with_context(tz=tz)

    def month_orders(self):
        for amount, moment in ((100, MAY_31_2300), (200, JUNE_1_0400), (400, JUNE_30_2330), (800, JULY_1_0030)):
            self.order(self.key, 1, amount, date=moment)

    def by_month(self, tz):
        groups = self.as_web_client("sales.analysis", tz)._read_group(
            [("partner_id", "=", self.key.id)], ["date:month"], ["amount_ordered:sum"]
        )
        return {month.strftime("%Y-%m"): amount for month, amount in groups}

    def test_analysis_months_are_the_users(self):
        self.month_orders()
        self.assertEqual(self.by_month("Asia/Shanghai"), {"2026-05": 100, "2026-06": 600, "2026-07": 800})
        self.assertEqual(self.by_month("UTC"), {"2026-05": 300, "2026-06": 1200}, "a reader in UTC sees UTC months")

    def test_trend_months_are_the_users(self):
        self.month_orders()
        # no time zone in the context (a call from code): the user's own
        report = (
            self.env["sales.trend.report"]
            .with_user(self.manager)
            .create({"dimension": "partner_id", "period": "month", "date_from": "2026-06-01", "date_to": "2026-07-31"})
        )
        report.action_show()
        lines = report.line_ids.filtered(lambda line: line.dimension_name == "Key Co").sorted("period_start")
        self.assertRecordValues(
            lines,
            [
                {"period_label": "2026-06", "value": 600, "previous_value": 100, "growth": 500},
                {"period_label": "2026-07", "value": 800, "previous_value": 600, "growth": 200},
            ],
        )

    def test_export_period_is_local_days(self):
        self.month_orders()
        wizard = (
            self.env["sales.analysis.export"]
            .with_user(self.manager)
            .with_context(tz="Asia/Shanghai")
            .create({"date_from": "2026-06-01", "date_to": "2026-06-30", "dimension": "partner_id", "compare": False})
        )
        orders, _qty, amount = wizard._summary(wizard.date_from, wizard.date_to)[self.key][:3]
        self.assertEqual((orders, amount), (2, 600), "1 June at 04:00 is in, 1 July at 00:30 is out")

    def test_daily_report_day_is_local(self):
        self.order(self.key, 1, 100, date=MAY_31_2300)
        self.order(self.key, 1, 200, date=JUNE_1_0400)
        goods = self.order(self.key, 3, 50, product=self.goods, date=MAY_31_2300)
        self.deliver(goods, 3).move_ids.date = JUNE_1_0400
        Report = self.env["sales.daily.report"].with_context(tz="Asia/Shanghai")
        june_1 = Report._get_report(date(2026, 6, 1))["totals"]["day"]
        self.assertEqual((june_1["order_count"], june_1["order_amount"], june_1["delivered_amount"]), (1, 200, 150))
        may_31 = Report._get_report(date(2026, 5, 31))["totals"]["day"]
        self.assertEqual((may_31["order_count"], may_31["order_amount"], may_31["delivered_amount"]), (2, 250, 0))

    def test_execution_compares_local_days(self):
        """Promised for 03:00 on 1 June in Shanghai, delivered at 10:00 the same day: on time in Shanghai, though the
        two moments fall on different UTC days."""
        order = self.order(self.key, 5, 10, product=self.goods, commitment_date=datetime(2026, 5, 31, 19, 0))
        self.deliver(order, 5).move_ids.date = datetime(2026, 6, 1, 2, 0)
        [row] = self.as_web_client("sales.order.execution").search([("order_id", "=", order.id)])
        self.assertRecordValues(row, [{"on_time_rate": 100, "otif_rate": 100, "days_late": 0}])
        # another reader, another request: nothing of the first read in the cache
        self.env["sales.order.execution"].invalidate_model()
        [row] = self.as_web_client("sales.order.execution", "UTC").search([("order_id", "=", order.id)])
        self.assertRecordValues(row, [{"on_time_rate": 0, "otif_rate": 0, "days_late": 1}])
        groups = self.as_web_client("sales.order.execution")._read_group(
            [("order_id", "=", order.id)], ["promised_date:month"], ["__count"]
        )
        self.assertEqual([month.strftime("%Y-%m") for month, _count in groups], ["2026-06"])
