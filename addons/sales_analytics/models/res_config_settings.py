from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_at_risk_days = fields.Integer(related="company_id.sales_at_risk_days", readonly=False)
    daily_report_enabled = fields.Boolean(related="company_id.daily_report_enabled", readonly=False)
    daily_report_user_ids = fields.Many2many(related="company_id.daily_report_user_ids", readonly=False)
    daily_report_team_ids = fields.Many2many(related="company_id.daily_report_team_ids", readonly=False)
    daily_report_hour = fields.Integer(related="company_id.daily_report_hour", readonly=False)
