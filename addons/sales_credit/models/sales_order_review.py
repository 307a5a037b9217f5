from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class SalesOrderReview(models.Model):
    """A review a rule asks of an order before it is confirmed: approved or rejected by its reviewers."""

    _name = "sales.order.review"
    _inherit = ["sales.decision.mixin"]
    _description = "Order Review"

    state = fields.Selection(
        selection_add=[("approved", "Approved"), ("rejected",)], ondelete={"approved": "set default"}
    )
    rule_id = fields.Many2one(
        "sales.review.rule", string="Review Rule", required=True, readonly=True, ondelete="restrict"
    )
    sequence = fields.Integer(readonly=True)
    in_sequence = fields.Boolean(readonly=True)
    reviewer_user_id = fields.Many2one("res.users", string="Reviewer", readonly=True)
    reviewer_group_id = fields.Many2one("res.groups", readonly=True)
    requested_by_id = fields.Many2one(
        "res.users", readonly=True, help="Who confirmed the order and so asked for the review: he may not decide it."
    )
    amount = fields.Monetary(
        string="Order Amount",
        readonly=True,
        help="The untaxed order total in company currency when the review was asked; an approval of an amount "
        "covers the order up to it.",
    )
    is_outdated = fields.Boolean(
        string="Outdated",
        readonly=True,
        help="The order changed in a way the rule looks at after this approval: it must be reviewed again.",
    )
    is_active = fields.Boolean(
        string="Awaiting Decision",
        compute="_compute_is_active",
        help="Pending, and not waiting for an earlier review of the sequence.",
    )
    is_my_review = fields.Boolean(compute="_compute_is_my_review", search="_search_is_my_review")

    @api.depends("state", "in_sequence", "sequence", "order_id.review_ids.state")
    def _compute_is_active(self):
        for review in self:
            earlier = review.order_id.review_ids.filtered(
                lambda r: r.in_sequence and r.sequence < review.sequence and r.state == "pending"
            )
            review.is_active = review.state == "pending" and not (review.in_sequence and earlier)

    @api.depends_context("uid")
    @api.depends("reviewer_user_id", "reviewer_group_id")
    def _compute_is_my_review(self):
        for review in self:
            review.is_my_review = review._is_reviewer(self.env.user)

    def _search_is_my_review(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Search 'My Review' with = or != and True or False."))
        user = self.env.user
        domain = ["|", ("reviewer_user_id", "=", user.id), ("reviewer_group_id", "in", user.groups_id.ids)]
        if self.env.company.review_forbid_self_approval:
            domain += [
                ("user_id", "!=", user.id),
                ("requested_by_id", "!=", user.id),
                ("order_id.create_uid", "!=", user.id),
            ]
        return domain if (operator == "=") == value else [("id", "not in", self._search(domain))]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_decision(self):
        """Open the approve or reject dialog of a review awaiting the user."""
        self.ensure_one()
        return self._action_decision_dialog()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _render_reason_item(self, code, params):
        if code == "rule":
            return self.rule_id._render_match(params)
        return super()._render_reason_item(code, params)

    def _is_own_order(self, user):
        """Whether the order is ``user``'s: he sells it, made it, asked for this review or is its customer."""
        self.ensure_one()
        order = self.order_id
        return user in (order.user_id | order.create_uid | self.requested_by_id) or (
            order.partner_id.commercial_partner_id == user.partner_id.commercial_partner_id
        )

    def _is_reviewer(self, user):
        """Whether ``user`` may approve or reject this review."""
        self.ensure_one()
        if self.company_id.review_forbid_self_approval and self._is_own_order(user):
            return False
        return user == self.reviewer_user_id or self.reviewer_group_id in user.groups_id

    def _check_can_decide(self):
        for review in self:
            if not review._is_reviewer(self.env.user):
                raise UserError(
                    _(
                        "You are not a reviewer of %(review)s on %(order)s (nobody reviews his own order).",
                        review=review.rule_id.name,
                        order=review.order_id.name,
                    )
                )
            if review.state == "pending" and not review.is_active:
                raise UserError(_("%(review)s waits for the reviews before it.", review=review.rule_id.name))

    def _action_decision_dialog(self):
        self._check_can_decide()
        order = self.order_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Review of %(order)s: %(rules)s", order=order.name, rules=", ".join(self.rule_id.mapped("name"))),
            "res_model": "sales.order.review.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": order.id, "default_review_ids": self.ids},
        }

    def _get_reviewers(self):
        """The users who may decide this review."""
        self.ensure_one()
        users = self.reviewer_user_id | self.reviewer_group_id.users
        return users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids and self._is_reviewer(u)
        )

    def _ensure_reviewers(self):
        """A review nobody may decide would leave its order stuck: it goes to the company's fallback reviewers
        (Settings), and to the administrators when that group has nobody who may decide it."""
        for review in self.filtered(lambda r: not r._get_reviewers()):
            fallback = review.company_id.review_fallback_group_id
            # sudo: who reviews is the suite's own choice, made when the review is asked
            review.sudo().write({"reviewer_user_id": False, "reviewer_group_id": fallback.id})
            if not review._get_reviewers():
                review.sudo().write({"reviewer_group_id": self.env.ref("base.group_system").id})

    def _notify_reviewers(self):
        """Give each reviewer of the reviews now awaiting a decision an activity on the order."""
        for review in self.filtered("is_active"):
            for user in review._get_reviewers():
                review.order_id._schedule_decision_activity(review, user)

    def _outdate(self):
        """The order changed after these approvals: they no longer count."""
        # sudo: the order's change outdates the approval; the approval itself stays as it was decided
        self.filtered(lambda r: r.state == "approved").sudo().write({"is_outdated": True})
