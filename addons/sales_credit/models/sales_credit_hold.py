from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SalesCreditHold(models.Model):
    """A sale order the credit check held: it waits for a credit manager to release or reject it."""

    _name = "sales.credit.hold"
    _inherit = ["sales.decision.mixin"]
    _description = "Credit Hold"

    partner_id = fields.Many2one(help="The customer who pays: the commercial partner of the order's invoice address.")
    state = fields.Selection(
        selection_add=[("released", "Released"), ("rejected",)], ondelete={"released": "set default"}
    )
    amount = fields.Monetary(
        string="Order Amount",
        readonly=True,
        help="The order total the hold is about, in company currency. A release covers up to this amount.",
    )
    release_request = fields.Text(
        readonly=True, help="The salesperson's justification when he asked a credit manager to release the order."
    )
    covers_manual_hold = fields.Boolean(
        readonly=True,
        help="The customer was on manual credit hold when the order was released: the release covers it. "
        "A manual hold set after the release holds the order again.",
    )
    # the figures when the order was held
    credit_limit = fields.Monetary(readonly=True)
    open_receivable = fields.Monetary(readonly=True)
    draft_invoices = fields.Monetary(readonly=True)
    delivered_uninvoiced = fields.Monetary(string="Delivered not Invoiced", readonly=True)
    undelivered = fields.Monetary(string="Confirmed not Delivered", readonly=True)
    exposure = fields.Monetary(string="Exposure with this Order", readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    overdue_days = fields.Integer(string="Oldest Overdue (Days)", readonly=True)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_decision(self):
        """Open the release or reject dialog of a pending hold."""
        self.ensure_one()
        return self._action_decision_dialog()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_figure_labels(self):
        """The credit figures a hold keeps, with their labels, in the order they are shown."""
        return {
            "credit_limit": _("Credit limit"),
            "open_receivable": _("Open receivables"),
            "draft_invoices": _("Draft invoices"),
            "delivered_uninvoiced": _("Delivered not invoiced"),
            "undelivered": _("Confirmed not delivered"),
            "amount": _("This order"),
            "exposure": _("Exposure with this order"),
            "overdue_amount": _("Overdue"),
            "overdue_days": _("Oldest overdue (days)"),
        }

    def _render_reason_item(self, code, params):
        currency = self.company_id.currency_id or self.env.company.currency_id

        def money(amount):
            return self.env["sales.formatter"]._money(amount, currency)

        if code == "manual_hold":
            return _("The customer is on credit hold: %(reason)s", reason=params.get("reason") or _("no reason given"))
        if code == "limit":
            return _(
                "The credit limit of %(limit)s is exceeded by %(excess)s.",
                limit=money(params["limit"]),
                excess=money(params["excess"]),
            )
        if code == "overdue_amount":
            return _(
                "Overdue invoices of %(overdue)s are above the threshold of %(threshold)s.",
                overdue=money(params["overdue"]),
                threshold=money(params["threshold"]),
            )
        if code == "overdue_days":
            return _(
                "The oldest overdue item is %(days)s days overdue, more than the %(threshold)s allowed.",
                days=params["days"],
                threshold=params["threshold"],
            )
        return super()._render_reason_item(code, params)

    def _check_can_decide(self):
        if not self.env.user.has_group("sales_credit.group_credit_manager"):
            raise UserError(_("Only a credit manager can release or reject a credit hold."))

    def _action_decision_dialog(self):
        self._check_can_decide()
        order = self.order_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Credit Hold of %(order)s", order=order.name),
            "res_model": "sales.credit.hold.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_hold_id": self.id},
        }

    def _request_release(self, justification):
        """The salesperson asks the credit managers to release the order: his reason goes on the hold and on
        their to-dos."""
        self.ensure_one()
        if self.state != "pending":
            raise UserError(_("%(order)s is not on credit hold any more.", order=self.order_id.name))
        # sudo: the salesperson adds his reason to the hold he may not otherwise edit, and to its to-dos
        self.sudo().write({"release_request": justification})
        self.sudo().activity_ids.write({"note": Markup("<p>%s</p><p>%s</p>") % (justification, self.reason)})
        self.sudo().message_post(body=justification, subtype_xmlid="mail.mt_comment")

    def _covers(self, order):
        """Whether this release lets ``order`` go as it is now: same payer and company, no larger amount in company
        currency, and no manual hold set since."""
        self.ensure_one()
        partner = order._get_credit_partner()
        if self.state != "released" or self.partner_id != partner or self.company_id != order.company_id:
            return False
        if partner.with_company(order.company_id).credit_hold and not self.covers_manual_hold:
            return False
        return self.currency_id.compare_amounts(order._credit_order_amount(), self.amount) <= 0
