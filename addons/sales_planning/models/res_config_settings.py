from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_plan_actual_source = fields.Selection(related="company_id.sales_plan_actual_source", readonly=False)
