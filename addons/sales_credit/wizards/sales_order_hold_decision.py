from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.misc import formatLang


class SalesOrderHoldDecision(models.TransientModel):
    _name = "sales.order.hold.decision"
    _description = "Release or Reject a Credit Hold"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    hold_ids = fields.Many2many("sales.order.hold", compute="_compute_hold_ids")
    credit_hold_summary = fields.Html(related="order_id.credit_hold_summary")
    note = fields.Text(required=True, help="Why: kept on the hold and in the order's chatter.")

    @api.depends("order_id")
    def _compute_hold_ids(self):
        for wizard in self:
            wizard.hold_ids = wizard.order_id._get_pending_holds("credit")

    def action_release(self):
        """Release the hold for the order as it is now, and confirm it."""
        self.ensure_one()
        order = self.order_id
        figures = order.credit_hold_summary
        self.hold_ids._decide("released", self.note)
        order.message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>%s") % (
                _("Credit hold released by %(user)s for %(amount)s.", user=self.env.user.name,
                  amount=formatLang(self.env, order.amount_total, currency_obj=order.currency_id)),
                self.note,
                figures,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return order.action_confirm()

    def action_reject(self):
        """Reject the order: the hold is closed and the order cancelled."""
        self.ensure_one()
        order = self.order_id
        self.hold_ids._decide("rejected", self.note)
        order.message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>") % (
                _("Credit hold rejected by %(user)s: the order is cancelled.", user=self.env.user.name),
                self.note,
            ),
            subtype_xmlid="mail.mt_note",
        )
        order._action_cancel()
        return {"type": "ir.actions.act_window_close"}
