from markupsafe import Markup

from odoo import _, fields, models
from odoo.tools.misc import formatLang


class SalesOrderHoldDecision(models.TransientModel):
    _name = "sales.order.hold.decision"
    _description = "Approve or Reject an Order Hold"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    hold_ids = fields.Many2many("sales.order.hold", readonly=True)
    hold_type = fields.Selection([("credit", "Credit Hold"), ("review", "Review")], required=True, readonly=True)
    credit_hold_summary = fields.Html(related="order_id.credit_hold_summary")
    review_summary = fields.Html(related="order_id.review_summary")
    note = fields.Text(required=True, help="Why: kept on the hold and in the order's chatter.")

    def action_release(self):
        """Release the credit hold (for the order as it is now) or approve the review, then confirm the order
        when nothing else holds it."""
        self.ensure_one()
        order = self.order_id
        summary = order.credit_hold_summary if self.hold_type == "credit" else "; ".join(self.hold_ids.mapped("reason"))
        self.hold_ids._decide("released", self.note)
        if self.hold_type == "credit":
            title = _(
                "Credit hold released by %(user)s for %(amount)s.",
                user=self.env.user.name,
                amount=formatLang(self.env, order.amount_total, currency_obj=order.currency_id),
            )
        else:
            title = _(
                "%(rules)s approved by %(user)s.",
                rules=", ".join(self.hold_ids.rule_id.mapped("name")),
                user=self.env.user.name,
            )
        order.message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>%s") % (title, self.note, summary or ""),
            subtype_xmlid="mail.mt_note",
        )
        pending_reviews = order._get_pending_holds("review")
        if pending_reviews:
            # the next review of a sequence is now up
            pending_reviews.filtered("in_sequence")._review_notify()
            return {"type": "ir.actions.act_window_close"}
        return order.action_confirm()

    def action_reject(self):
        """Reject: a credit hold cancels the order; a rejected review sends it back to the salesperson."""
        self.ensure_one()
        order = self.order_id
        self.hold_ids._decide("rejected", self.note)
        if self.hold_type == "credit":
            title = _("Credit hold rejected by %(user)s: the order is cancelled.", user=self.env.user.name)
        else:
            title = _(
                "%(rules)s rejected by %(user)s: the order stays a quotation.",
                rules=", ".join(self.hold_ids.rule_id.mapped("name")),
                user=self.env.user.name,
            )
        order.message_post(body=Markup("<p><b>%s</b></p><p>%s</p>") % (title, self.note), subtype_xmlid="mail.mt_note")
        if self.hold_type == "credit":
            order._action_cancel()
        else:
            # sudo: the rejection closes the order's other pending reviews; its salesperson starts again
            order._get_pending_holds("review").sudo().state = "cleared"
        return {"type": "ir.actions.act_window_close"}
