from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sales_base.models.res_company import MAX_DAYS

# the longest wait an early warning setting may hold: a year, in hours
MAX_HOURS = 8760


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_count_draft_invoices = fields.Boolean(
        string="Count Draft Invoices",
        default=True,
        help="Draft customer invoices count in the credit exposure. Leave on if invoices stay in draft for "
        "long: an invoice drafted from an order leaves the order's figure as soon as it is drafted.",
    )
    credit_overdue_amount_limit = fields.Monetary(
        string="Overdue Amount Threshold",
        currency_field="currency_id",
        help="Orders of a customer whose overdue amount is above this go on credit hold (0: no threshold).",
    )
    credit_overdue_days_limit = fields.Integer(
        string="Overdue Days Threshold",
        help="Orders of a customer whose oldest overdue item is older than this many days go on credit hold "
        "(0: no threshold).",
    )
    credit_check_on_confirm = fields.Boolean(string="Check on Order Confirmation", default=True)
    credit_check_on_change = fields.Boolean(
        string="Check when a Confirmed Order Grows",
        default=True,
        help="Adding lines to a confirmed order, or raising its quantities or prices, checks the customer again.",
    )
    credit_delivery_check = fields.Selection(
        [
            ("off", "No Check"),
            ("warn", "Refuse Customers on Hold, Warn over Credit"),
            ("block", "Refuse Customers on Hold or over Credit"),
        ],
        string="Delivery Check",
        default="warn",
        required=True,
        help="Validating a delivery to a customer on manual credit hold is refused, except with No Check. A customer "
        "over its credit limit or past the overdue thresholds (under a Warn or Block policy): Warn validates and "
        "gives the credit controller an activity, Block refuses. Whatever this setting, goods of unconfirmed "
        "orders never ship, and quantities beyond the confirmed ones ship only if they pass the confirmation check.",
    )
    review_forbid_self_approval = fields.Boolean(
        string="No Review of One's Own Orders",
        default=True,
        help="Nobody reviews an order he sells, made, confirmed or buys for himself, even as a member of the "
        "reviewer group.",
    )
    review_fallback_group_id = fields.Many2one(
        "res.groups",
        string="Fallback Reviewers",
        default=lambda self: self.env.ref("sales_team.group_sale_manager", raise_if_not_found=False),
        help="Review an order when its rule names nobody else who may: a team without a leader, or a reviewer "
        "who is the order's own salesperson.",
    )
    credit_manager_id = fields.Many2one(
        "res.users",
        string="Credit Controller",
        domain=lambda self: [("groups_id", "in", self.env.ref("sales_credit.group_credit_manager").id)],
        help="Gets an activity for every order confirmed over the limit of a customer with the Warn policy. "
        "Empty: the first credit manager of the company.",
    )

    @api.constrains("credit_overdue_amount_limit", "credit_overdue_days_limit")
    def _check_credit_thresholds(self):
        for company in self:
            if company.credit_overdue_amount_limit < 0 or not 0 <= company.credit_overdue_days_limit <= MAX_DAYS:
                raise ValidationError(
                    _(
                        "Credit thresholds cannot be below zero (overdue amount %(amount)s, overdue days %(days)s) "
                        "and the days threshold is at most %(max)s days; use 0 for no threshold.",
                        max=MAX_DAYS,
                        amount=self.env["sales.formatter"]._money(
                            company.credit_overdue_amount_limit, company.currency_id
                        ),
                        days=company.credit_overdue_days_limit,
                    )
                )

    def _get_credit_manager(self):
        """The user who follows up credit warnings of this company."""
        self.ensure_one()
        if self.credit_manager_id:
            return self.credit_manager_id
        group = self.env.ref("sales_credit.group_credit_manager")
        return group.users.filtered(lambda u: self in u.company_ids and not u.share and u.active)[:1] or (
            self.env.ref("base.user_admin")
        )

    def _get_overdue_breaches(self, figures):
        """The overdue thresholds of the company a customer's credit figures pass: "amount", "days", both or none."""
        self.ensure_one()
        breaches = set()
        amount_limit, days_limit = self.credit_overdue_amount_limit, self.credit_overdue_days_limit
        if amount_limit and self.currency_id.compare_amounts(figures["overdue_amount"], amount_limit) > 0:
            breaches.add("amount")
        if days_limit and figures["overdue_days"] > days_limit:
            breaches.add("days")
        return breaches

    # ------------------------------------------------------------
    # EARLY WARNING
    # ------------------------------------------------------------

    warning_order_late = fields.Boolean(
        string="Warn of Late and At-Risk Orders",
        default=True,
        help="Confirmed orders whose delivery date has passed, or comes within the days below while the delivery "
        "is not ready: their salesperson is warned.",
    )
    warning_credit = fields.Boolean(
        string="Warn of Customers Near or Over their Limit",
        default=True,
        help="Customers whose exposure comes within the margin below of their credit limit, or passes it: their "
        "salesperson and the credit controller are warned.",
    )
    warning_credit_margin = fields.Float(
        string="Near the Limit Within (%)",
        default=10.0,
        help="A customer whose available credit is less than this share of its limit is near its limit.",
    )
    warning_decision = fields.Boolean(
        string="Warn of Holds and Reviews Waiting",
        default=True,
        help="Credit holds and order reviews waiting for a decision longer than the hours below: those who decide "
        "are warned, and after the escalation hours the next reviewers too.",
    )
    warning_decision_hours = fields.Integer(string="Waiting Longer than (Hours)", default=24)
    warning_escalation_hours = fields.Integer(
        string="Escalate after (Hours)",
        default=48,
        help="A hold or review still waiting after this many hours goes to the next reviewers: the fallback "
        "reviewers for a review, the other credit managers for a hold.",
    )
    warning_stopped = fields.Boolean(
        string="Warn of Customers who Stopped Buying",
        default=True,
        help="Customers with at least three confirmed orders who have ordered nothing for longer than the factor "
        "below times their usual interval between orders: their salesperson is warned.",
    )
    warning_stopped_factor = fields.Float(string="Interval Factor", default=3.0)

    @api.constrains(
        "warning_credit_margin",
        "warning_decision_hours",
        "warning_escalation_hours",
        "warning_stopped_factor",
    )
    def _check_warning_thresholds(self):
        for company in self:
            if not 0 <= company.warning_credit_margin <= 100:
                raise ValidationError(
                    _(
                        "Early warning: the margin to the credit limit lies between 0 and 100 %%.",
                    )
                )
            if not 0 < company.warning_decision_hours < company.warning_escalation_hours <= MAX_HOURS:
                raise ValidationError(
                    _(
                        "Early warning: a hold or review waits at least one hour before the warning, and escalates "
                        "later than that (%(hours)s and %(escalation)s hours given; at most %(max)s).",
                        hours=company.warning_decision_hours,
                        escalation=company.warning_escalation_hours,
                        max=MAX_HOURS,
                    )
                )
            if company.warning_stopped_factor < 1:
                raise ValidationError(
                    _(
                        "Early warning: the interval factor is at least 1 (a customer is late for an order after "
                        "one usual interval at the earliest); %(factor)s given.",
                        factor=company.warning_stopped_factor,
                    )
                )

    def _get_warning_credit_managers(self):
        """Who hears of customers near or over their limit: the credit controller, else every credit manager of
        the company."""
        self.ensure_one()
        if self.credit_manager_id:
            return self.credit_manager_id
        return self._get_warning_group_users("sales_credit.group_credit_manager")

    def _get_warning_group_users(self, group_xmlid):
        """The active internal users of a group who work in this company."""
        self.ensure_one()
        group = self.env.ref(group_xmlid, raise_if_not_found=False) or self.env["res.groups"]
        return group.users.filtered(lambda u: u.active and not u.share and self in u.company_ids)
