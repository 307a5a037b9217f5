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

    def _post(self, soft=True):
        self._add_pending_dunning_fees()
        return super()._post(soft=soft)

    def _add_pending_dunning_fees(self):
        """Customer invoices carry the dunning fees waiting for them (company setting)."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft"
                                 and m.company_id.dunning_fee_mode == "next_invoice")
        if not invoices:
            return
        # sudo: whoever posts the invoice adds the fees; letters belong to the collectors
        pending = self.env["sales.dunning.letter"].sudo().search([
            ("fee_pending", "=", True),
            ("partner_id", "in", invoices.commercial_partner_id.ids),
            ("company_id", "in", invoices.company_id.ids),
        ])
        for invoice in invoices:
            fees = pending.filtered(lambda l: l.partner_id == invoice.commercial_partner_id
                                    and l.company_id == invoice.company_id and l.currency_id == invoice.currency_id)
            if fees:
                invoice.write({"invoice_line_ids": [(0, 0, letter._prepare_fee_line_vals()) for letter in fees]})
                fees.write({"fee_pending": False, "fee_move_id": invoice.id})
                pending -= fees
