from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_at_risk_days = fields.Integer(related="company_id.sales_at_risk_days", readonly=False)
