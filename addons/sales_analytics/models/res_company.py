from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sales_credit.models.res_company import MAX_DAYS


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_at_risk_days = fields.Integer(
        string="At-Risk Horizon (Days)",
        default=3,
        help="An order line not fully delivered whose promised date falls within this many days is at risk.",
    )

    daily_report_enabled = fields.Boolean(string="Daily Sales Report")
    daily_report_user_ids = fields.Many2many(
        "res.users",
        "res_company_daily_report_user_rel",
        "company_id",
        "user_id",
        string="Report Recipients",
        domain=[("share", "=", False)],
    )
    daily_report_team_ids = fields.Many2many(
        "crm.team",
        "res_company_daily_report_team_rel",
        "company_id",
        "team_id",
        string="Report Teams",
        help="Teams the report covers; empty: all.",
    )
    daily_report_hour = fields.Integer(
        string="Report Hour", default=7, help="Hour of the day (company time zone) from which the report is sent."
    )
    daily_report_last_date = fields.Date(readonly=True, help="The day the report was last sent.")

    @api.constrains("sales_at_risk_days", "daily_report_hour")
    def _check_sales_analytics_settings(self):
        for company in self:
            if not 0 <= company.sales_at_risk_days <= MAX_DAYS:
                raise ValidationError(
                    _(
                        "The at-risk horizon is between 0 and %(max)s days, not %(days)s.",
                        max=MAX_DAYS,
                        days=company.sales_at_risk_days,
                    )
                )
            if not 0 <= company.daily_report_hour <= 23:
                raise ValidationError(
                    _("The report hour is an hour of the day, 0 to 23 (not %(hour)s).", hour=company.daily_report_hour)
                )

    def _sales_today(self):
        """Today, in ``_sales_tz()``."""
        return self._sales_local_date(fields.Datetime.now())

    def _sales_utc_start(self, day):
        """The UTC moment (naive, as Odoo stores datetimes) the local ``day`` starts at, in ``_sales_tz()``: the
        inverse of ``_sales_local_date``, to bound a period of local days in a domain on a datetime."""
        local_start = pytz.timezone(self._sales_tz()).localize(datetime.combine(day, time.min))
        return local_start.astimezone(pytz.utc).replace(tzinfo=None)

    def _sales_period_domain(self, field_name, date_from, date_to):
        """Domain: the datetime ``field_name`` falls on a local day from ``date_from`` to ``date_to`` included."""
        return [
            (field_name, ">=", self._sales_utc_start(date_from)),
            (field_name, "<", self._sales_utc_start(date_to + timedelta(days=1))),
        ]
