from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    golive_journal_id = fields.Many2one(related="company_id.golive_journal_id", readonly=False)
    golive_account_id = fields.Many2one(related="company_id.golive_account_id", readonly=False)
