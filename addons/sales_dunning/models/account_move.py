from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    promise_date = fields.Date(string="Promised Payment Date", copy=False, tracking=True,
                               help="The customer promised to pay by this date: no dunning until then.")
    promise_amount = fields.Monetary(string="Promised Amount", copy=False)
    promise_note = fields.Char(string="Promise Note", copy=False)

    @api.constrains("promise_amount")
    def _check_promise_amount(self):
        for move in self:
            if move.promise_amount < 0:
                raise ValidationError(_("A promised amount cannot be negative (%(amount)s).",
                                        amount=move.promise_amount))
