from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SalesOrderHold(models.Model):
    """A sale order waiting for an authorised person: the credit check held it."""

    _name = "sales.order.hold"
    _description = "Sale Order Hold"
    _order = "create_date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="order_id.partner_id.commercial_partner_id", store=True
    )
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="order_id.team_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    hold_type = fields.Selection([("credit", "Credit")], required=True, default="credit", readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("released", "Released"),
            ("rejected", "Rejected"),
            ("cleared", "Cleared"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        help="Cleared: a later check of the order passed without a release.",
    )
    reason = fields.Text(readonly=True, help="Why the order was held.")
    amount = fields.Monetary(
        string="Order Amount",
        readonly=True,
        help="The order total the hold is about, in company currency. A release covers this amount only.",
    )
    order_total = fields.Float(
        readonly=True, help="The order total (order currency) the hold is about; a release covers up to it."
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
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    decision_note = fields.Text(readonly=True)
    waiting_hours = fields.Float(
        compute="_compute_waiting_hours", help="How long the order has waited, or waited, for the decision."
    )

    @api.depends("create_date", "decided_date")
    def _compute_waiting_hours(self):
        now = fields.Datetime.now()
        for hold in self:
            end = hold.decided_date or now
            hold.waiting_hours = (end - hold.create_date).total_seconds() / 3600 if hold.create_date else 0

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_decision(self):
        """Open the release/reject dialog of a pending hold."""
        self.ensure_one()
        return self.order_id.action_credit_decide()

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
        }

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
            "order_amount": _("This order"),
            "exposure": _("Exposure with this order"),
            "overdue_amount": _("Overdue"),
            "overdue_days": _("Oldest overdue (days)"),
        }

    @api.model
    def _get_figure_fields(self):
        return [fname for fname in self._get_figure_labels() if fname in self._fields]

    def _decide(self, decision, note):
        """Record a credit manager's release or rejection of pending holds."""
        if not self.env.user.has_group("sales_credit.group_credit_manager"):
            raise UserError(_("Only a credit manager can release or reject a credit hold."))
        if not (note or "").strip():
            raise UserError(_("Say why: a note is required to release or reject a credit hold."))
        not_pending = self.filtered(lambda hold: hold.state != "pending")
        if not_pending:
            raise UserError(
                _("%(orders)s: the hold was already decided.", orders=", ".join(not_pending.order_id.mapped("name")))
            )
        values = {
            "state": decision,
            "decided_by_id": self.env.uid,
            "decided_date": fields.Datetime.now(),
            "decision_note": note,
        }
        if decision == "released":
            # the release covers the order as it is now
            for hold in self:
                hold.write(dict(values, amount=hold.order_id._credit_order_amount(), order_total=hold.order_id.amount_total))
        else:
            self.write(values)
