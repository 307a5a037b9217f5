from datetime import date, datetime

from odoo.tests import tagged
from odoo.tools import SQL

from .common import SuiteCommon


@tagged("post_install", "-at_install")
class TestDates(SuiteCommon):
    """Which day a moment falls in: the one definition the suite's plans, forecasts and reports use."""

    def local_date_sql(self, company, moment):
        self.env.cr.execute(SQL("SELECT %s", company._sales_local_date_sql(SQL("%s::timestamp", moment))))
        return self.env.cr.fetchone()[0]

    def test_an_order_at_4_am_on_1_june_in_shanghai_is_in_june(self):
        company = self.company.with_context(tz="Asia/Shanghai")
        moment = datetime(2026, 5, 31, 20, 0)  # UTC
        self.assertEqual(company._sales_local_date(moment), date(2026, 6, 1))
        self.assertEqual(self.local_date_sql(company, moment), date(2026, 6, 1))

    def test_just_before_midnight_in_new_york_is_still_the_last_of_the_month(self):
        company = self.company.with_context(tz="America/New_York")
        moment = datetime(2026, 7, 1, 3, 30)  # UTC: 23:30 on 30 June in New York
        self.assertEqual(company._sales_local_date(moment), date(2026, 6, 30))
        self.assertEqual(self.local_date_sql(company, moment), date(2026, 6, 30))

    def test_scheduled_jobs_use_the_companys_time_zone(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        company = self.company.with_user(self.env.ref("base.public_user")).with_context(tz=False)
        self.env.ref("base.public_user").sudo().tz = False
        self.assertEqual(company._sales_tz(), "Asia/Shanghai")
        self.assertEqual(company._sales_local_date(datetime(2026, 12, 31, 16, 0)), date(2027, 1, 1))
