from odoo import fields, models

from odoo.addons.base.models.res_partner import _tz_get


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    daily_report_enabled = fields.Boolean(related="company_id.daily_report_enabled", readonly=False)
    daily_report_user_ids = fields.Many2many(related="company_id.daily_report_user_ids", readonly=False)
    daily_report_team_ids = fields.Many2many(related="company_id.daily_report_team_ids", readonly=False)
    daily_report_hour = fields.Integer(related="company_id.daily_report_hour", readonly=False)
    sales_analysis_tz = fields.Selection(
        _tz_get,
        string="Analysis Time Zone",
        help="The months of the analysis's totals: grouped reads by month, quarter or year of users in this time zone "
        "answer from the totals, those of users elsewhere from the order lines (slower on millions of lines, as "
        "exact). Changing it rebuilds the totals (about two minutes per ten million order lines).",
    )

    def get_values(self):
        values = super().get_values()
        values["sales_analysis_tz"] = self.env["sales.analysis.total"]._tz()
        return values

    def set_values(self):
        result = super().set_values()
        if self.sales_analysis_tz and self.sales_analysis_tz != self.env["sales.analysis.total"]._tz():
            self.env["sales.analysis.total"]._build(self.sales_analysis_tz)
        return result
