from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_auto_run = fields.Boolean(
        string="Daily Dunning Run",
        help="Every day, a dunning run is computed, confirmed and its emails sent automatically.",
    )
