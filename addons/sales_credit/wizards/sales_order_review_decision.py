from markupsafe import Markup

from odoo import _, fields, models


class SalesOrderReviewDecision(models.TransientModel):
    _name = "sales.order.review.decision"
    _description = "Approve or Reject Order Reviews"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    review_ids = fields.Many2many("sales.order.review", readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    order_line_ids = fields.One2many(related="order_id.order_line", string="Order Lines")
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_total = fields.Monetary(related="order_id.amount_total")
    review_summary = fields.Html(related="order_id.review_summary")
    note = fields.Text(required=True, help="Why: kept on the review and in the order's chatter.")

    def action_approve(self):
        """Approve the reviews, then confirm the order when nothing else holds it."""
        self.ensure_one()
        order = self.order_id
        reasons = "; ".join(self.review_ids.mapped("reason"))
        self.review_ids._decide("approved", self.note)
        title = _(
            "%(rules)s approved by %(user)s.",
            rules=", ".join(self.review_ids.rule_id.mapped("name")),
            user=self.env.user.name,
        )
        order._post_note(Markup("<p><b>%s</b></p><p>%s</p><p>%s</p>") % (title, self.note, reasons))
        pending = order._get_pending_reviews()
        if pending:
            # the next review of a sequence is now up
            pending.filtered("in_sequence")._notify_reviewers()
            return self.review_ids._notify_decided(
                _("%(order)s is approved here and waits for its other reviews.", order=order.name)
            )
        action = order.action_confirm()
        if action is not True:
            return action
        return self.review_ids._notify_decided(_("%(order)s is approved and confirmed.", order=order.name))

    def action_reject(self):
        """Reject: the order goes back to its salesperson as a quotation."""
        self.ensure_one()
        order = self.order_id
        self.review_ids._decide("rejected", self.note)
        title = _(
            "%(rules)s rejected by %(user)s: the order stays a quotation.",
            rules=", ".join(self.review_ids.rule_id.mapped("name")),
            user=self.env.user.name,
        )
        order._post_note(Markup("<p><b>%s</b></p><p>%s</p>") % (title, self.note))
        # the rejection closes the order's other pending reviews; its salesperson starts again
        order._get_pending_reviews()._move_to("cleared")
        return self.review_ids._notify_decided(_("%(order)s is rejected and stays a quotation.", order=order.name))
