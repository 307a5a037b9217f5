from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


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
    hold_type = fields.Selection(
        [("credit", "Credit Hold"), ("review", "Review")], required=True, default="credit", readonly=True
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("released", "Approved"),
            ("rejected", "Rejected"),
            ("cleared", "Cleared"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        help="Cleared: a later check of the order passed without a decision, or the order changed and must be "
        "reviewed again.",
    )
    # reviews
    rule_id = fields.Many2one("sales.review.rule", string="Review Rule", readonly=True, ondelete="restrict")
    sequence = fields.Integer(readonly=True)
    in_sequence = fields.Boolean(readonly=True)
    reviewer_user_id = fields.Many2one("res.users", string="Reviewer", readonly=True)
    reviewer_group_id = fields.Many2one("res.groups", readonly=True)
    is_active = fields.Boolean(
        string="Awaiting Decision",
        compute="_compute_is_active",
        help="Pending, and not waiting for an earlier review of the sequence.",
    )
    is_my_review = fields.Boolean(compute="_compute_is_my_review", search="_search_is_my_review")
    decision_hours = fields.Float(
        string="Hours to Decision",
        compute="_compute_decision_hours",
        store=True,
        aggregator="avg",
        help="How long the order waited for this decision.",
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
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    decision_note = fields.Text(readonly=True)
    waiting_hours = fields.Float(
        compute="_compute_waiting_hours", help="How long the order has waited, or waited, for the decision."
    )

    @api.depends("state", "in_sequence", "sequence", "order_id.hold_ids.state")
    def _compute_is_active(self):
        for hold in self:
            earlier = hold.order_id.hold_ids.filtered(
                lambda h: (
                    h.hold_type == "review" and h.in_sequence and h.sequence < hold.sequence and h.state != "released"
                )
            )
            hold.is_active = hold.state == "pending" and not (hold.in_sequence and earlier)

    @api.depends_context("uid")
    @api.depends("reviewer_user_id", "reviewer_group_id")
    def _compute_is_my_review(self):
        for hold in self:
            hold.is_my_review = hold._is_reviewer(self.env.user)

    def _search_is_my_review(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Search 'My Review' with = or != and True or False."))
        user = self.env.user
        domain = [
            ("hold_type", "=", "review"),
            "|",
            ("reviewer_user_id", "=", user.id),
            ("reviewer_group_id", "in", user.groups_id.ids),
        ]
        if self.env.company.review_forbid_self_approval:
            domain.append(("user_id", "!=", user.id))
        return domain if (operator == "=") == value else [("id", "not in", self._search(domain))]

    @api.depends("create_date", "decided_date")
    def _compute_decision_hours(self):
        for hold in self:
            hold.decision_hours = (
                (hold.decided_date - hold.create_date).total_seconds() / 3600
                if hold.decided_date and hold.create_date
                else 0.0
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
        """Open the release/approve or reject dialog of a pending hold."""
        self.ensure_one()
        if self.hold_type == "credit":
            return self.order_id.action_credit_decide()
        return self._action_decision_dialog()

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

    def _action_decision_dialog(self):
        self._check_can_decide()
        order = self.order_id
        title = (
            _("Credit Hold of %(order)s", order=order.name)
            if self[:1].hold_type == "credit"
            else _("Review of %(order)s: %(rules)s", order=order.name, rules=", ".join(self.rule_id.mapped("name")))
        )
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "sales.order.hold.decision",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_order_id": order.id,
                "default_hold_ids": self.ids,
                "default_hold_type": self[:1].hold_type,
            },
        }

    def _review_notify(self):
        """Give each reviewer of the reviews now awaiting a decision an activity on the order."""
        for hold in self.filtered(lambda h: h.hold_type == "review" and h.is_active):
            order = hold.order_id
            reviewers = hold.reviewer_user_id or hold.rule_id._get_reviewers(order)
            for user in reviewers:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=hold._review_activity_summary(),
                    note=hold.reason,
                    user_id=user.id,
                )

    def _review_activity_summary(self):
        return _("Review: %(rule)s", rule=self.rule_id.name)

    def _is_reviewer(self, user):
        """Whether ``user`` may approve or reject this review."""
        self.ensure_one()
        if self.hold_type != "review":
            return False
        if self.company_id.review_forbid_self_approval and self.order_id.user_id == user:
            return False
        return user == self.reviewer_user_id or self.reviewer_group_id in user.groups_id

    def _check_can_decide(self):
        user = self.env.user
        for hold in self:
            if hold.hold_type == "credit" and not user.has_group("sales_credit.group_credit_manager"):
                raise UserError(_("Only a credit manager can release or reject a credit hold."))
            if hold.hold_type == "review":
                if not hold._is_reviewer(user):
                    raise UserError(
                        _(
                            "You are not a reviewer of %(review)s on %(order)s (the salesperson of an order cannot "
                            "review it).",
                            review=hold.rule_id.name,
                            order=hold.order_id.name,
                        )
                    )
                if hold.state == "pending" and not hold.is_active:
                    raise UserError(_("%(review)s waits for the reviews before it.", review=hold.rule_id.name))

    def _decide(self, decision, note):
        """Record a release (approval) or rejection of pending holds by the person entitled to it."""
        self._check_can_decide()
        if not (note or "").strip():
            raise UserError(_("Say why: a note is required to approve, release or reject."))
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
        # sudo: the reviewers' activities are done, whoever of them decided
        for hold in self.filtered(lambda h: h.hold_type == "review"):
            hold.order_id.activity_ids.filtered(
                lambda a: a.summary == hold._review_activity_summary()
            ).sudo().action_feedback(feedback=note)
        # sudo: who may decide was checked above; holds are not editable otherwise
        if decision == "released":
            # the release covers the order as it is now
            for hold in self.sudo():
                hold.write(
                    dict(values, amount=hold.order_id._credit_order_amount(), order_total=hold.order_id.amount_total)
                )
        else:
            self.sudo().write(values)
