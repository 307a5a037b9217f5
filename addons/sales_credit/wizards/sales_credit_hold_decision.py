from markupsafe import Markup

from odoo import _, fields, models
from odoo.tools.misc import formatLang


class SalesCreditHoldDecision(models.TransientModel):
    _name = "sales.credit.hold.decision"
    _description = "Release or Reject a Credit Hold"

    hold_id = fields.Many2one("sales.credit.hold", required=True, readonly=True)
    order_id = fields.Many2one(related="hold_id.order_id")
    partner_id = fields.Many2one(related="hold_id.partner_id")
    credit_hold_summary = fields.Html(related="order_id.credit_hold_summary")
    release_request = fields.Text(related="hold_id.release_request")
    note = fields.Text(required=True, help="Why: kept on the hold and in the order's chatter.")

    def action_release(self):
        """Release the hold for the order as it is now, then confirm the order when nothing else holds it."""
        self.ensure_one()
        order = self.order_id
        summary = order.credit_hold_summary
        self.hold_id._decide(
            "released",
            self.note,
            {
                "amount": order._credit_order_amount(),
                "covers_manual_hold": order._get_credit_partner().credit_hold,
            },
        )
        title = _(
            "Credit hold released by %(user)s for %(amount)s.",
            user=self.env.user.name,
            amount=formatLang(self.env, order.amount_total, currency_obj=order.currency_id),
        )
        order._post_note(Markup("<p><b>%s</b></p><p>%s</p>%s") % (title, self.note, summary or ""))
        action = order.action_confirm()
        if action is not True:
            return action
        return self.hold_id._notify_decided(_("%(order)s is released and confirmed.", order=order.name))

    def action_reject(self):
        """Reject: the order is cancelled."""
        self.ensure_one()
        order = self.order_id
        self.hold_id._decide("rejected", self.note)
        title = _("Credit hold rejected by %(user)s: the order is cancelled.", user=self.env.user.name)
        order._post_note(Markup("<p><b>%s</b></p><p>%s</p>") % (title, self.note))
        order._action_cancel()
        return self.hold_id._notify_decided(_("%(order)s is rejected and cancelled.", order=order.name))
