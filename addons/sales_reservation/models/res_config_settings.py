from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    allocation_by_priority = fields.Boolean(related="company_id.allocation_by_priority", readonly=False)
