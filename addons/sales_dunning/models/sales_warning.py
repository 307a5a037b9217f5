from odoo import _, api, fields, models
from odoo.tools import format_date


class SalesWarning(models.Model):
    """Promises to pay in the early warning: an invoice still open after the date its customer promised."""

    _inherit = "sales.warning"

    kind = fields.Selection(
        selection_add=[("promise_broken", "Broken Promise to Pay")], ondelete={"promise_broken": "cascade"}
    )

    @api.model
    def _get_warning_detectors(self):
        return {**super()._get_warning_detectors(), "_detect_broken_promises": ("promise_broken",)}

    @api.model
    def _get_activity_kinds(self):
        return super()._get_activity_kinds() | {"promise_broken"}

    @api.model
    def _detect_broken_promises(self):
        """Posted customer invoices still open after their promised payment date; for the invoice's salesperson
        (else the customer's) and the credit controller. One search over the promised invoices."""
        company = self.env.company
        if not company.warning_promise:
            return []
        today = company._sales_today()
        invoices = self.env["account.move"].search(
            [
                ("promise_date", "<", today),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("company_id", "=", company.id),
            ]
        )
        managers = company._get_warning_credit_managers().ids
        return [
            {
                "kind": "promise_broken",
                "res_model": "account.move",
                "res_id": invoice.id,
                "partner_id": invoice.commercial_partner_id.id,
                "user_ids": (invoice.invoice_user_id or invoice.commercial_partner_id.user_id).ids + managers,
                "data": {
                    "date": fields.Date.to_string(invoice.promise_date),
                    "residual": invoice.amount_residual,
                    "currency_id": invoice.currency_id.id,
                },
            }
            for invoice in invoices
        ]

    def _render_detail(self, data):
        if self.kind == "promise_broken":
            currency = self.env["res.currency"].browse(data.get("currency_id")).exists()
            return _(
                "Payment was promised by %(date)s; %(residual)s is still open.",
                date=format_date(self.env, data.get("date")),
                residual=self.env["sales.formatter"]._money(data.get("residual"), currency or None),
            )
        return super()._render_detail(data)
