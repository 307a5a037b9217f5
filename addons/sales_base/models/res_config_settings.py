from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_background_threshold = fields.Integer(related="company_id.sales_background_threshold", readonly=False)
