from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_auto_run = fields.Boolean(
        string="Daily Dunning Run",
        help="Every day, a dunning run is computed, confirmed and its emails sent automatically.",
    )
    dunning_fee_mode = fields.Selection(
        [("invoice", "A separate fee invoice"), ("next_invoice", "A line on the customer's next invoice")],
        string="Charge Dunning Fees As",
        default="invoice",
        required=True,
    )
