from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

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

    @api.constrains("daily_report_hour")
    def _check_sales_analytics_settings(self):
        for company in self:
            if not 0 <= company.daily_report_hour <= 23:
                raise ValidationError(
                    _("The report hour is an hour of the day, 0 to 23 (not %(hour)s).", hour=company.daily_report_hour)
                )
