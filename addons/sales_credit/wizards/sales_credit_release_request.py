from markupsafe import Markup

from odoo import _, fields, models


class SalesCreditReleaseRequest(models.TransientModel):
    _name = "sales.credit.release.request"
    _description = "Request the Release of a Credit Hold"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    credit_hold_summary = fields.Html(related="order_id.credit_hold_summary")
    justification = fields.Text(required=True, help="Why the order should go: the credit manager reads it.")

    def action_request(self):
        self.ensure_one()
        order = self.order_id
        hold = order._get_pending_credit_hold()
        hold._request_release(self.justification)
        order._post_note(
            Markup("<p><b>%s</b></p><p>%s</p>")
            % (_("Release requested by %(user)s.", user=self.env.user.name), self.justification)
        )
        return hold._notify_decided(_("The credit managers are asked to release %(order)s.", order=order.name))
