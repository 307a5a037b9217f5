from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare
from odoo.tools.safe_eval import safe_eval

from odoo.addons.sales_base.models.res_company import MAX_DAYS

# order and line fields each kind of condition reads: changing them resets the rule's reviews
TRIGGER_FIELDS = {
    "amount": (
        {"pricelist_id", "currency_id"},
        {"product_id", "product_uom_qty", "price_unit", "discount", "tax_id", "product_uom"},
    ),
    "discount": (set(), {"discount"}),
    "payment_term": ({"payment_term_id", "partner_id"}, set()),
    "price_floor": ({"pricelist_id", "currency_id"}, {"product_id", "price_unit", "discount", "product_uom"}),
    "tier": ({"partner_id"}, set()),
    "team": ({"team_id"}, set()),
    "domain": None,  # the fields the rule's domain names
}


class SalesReviewRule(models.Model):
    """When an order needs a review before it is confirmed, and who reviews it."""

    _name = "sales.review.rule"
    _description = "Order Review Rule"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    condition = fields.Selection(
        [
            ("amount", "Order total above"),
            ("discount", "A line's discount above"),
            ("payment_term", "Payment term not allowed or too long"),
            ("price_floor", "A price below the floor price"),
            ("tier", "Customer tier"),
            ("team", "Sales team"),
            ("domain", "Other condition"),
        ],
        required=True,
        default="amount",
    )
    amount = fields.Monetary(help="Order total (untaxed, company currency) above which the order is reviewed.")
    discount = fields.Float(string="Discount (%)", help="Any line with a larger discount needs a review.")
    max_term_days = fields.Integer(
        string="Longest Term (Days)",
        help="Payment terms with a due date later than this need a review (0: only the customer's allowed terms "
        "count).",
    )
    min_margin = fields.Float(
        string="Minimum Margin (%)",
        help="Floor price = product cost × (1 + minimum margin). A line sold below it needs a review.",
    )
    tier_ids = fields.Many2many("sales.customer.tier", string="Customer Tiers")
    team_ids = fields.Many2many("crm.team", string="Sales Teams", check_company=True)
    domain = fields.Char(string="Orders Matching", default="[]")
    reviewer = fields.Selection(
        [("user", "A user"), ("group", "Anyone in a group"), ("team_leader", "The salesperson's team leader")],
        required=True,
        default="group",
    )
    user_id = fields.Many2one("res.users", string="Reviewing User", domain=[("share", "=", False)])
    group_id = fields.Many2one("res.groups", string="Reviewer Group")
    in_sequence = fields.Boolean(
        string="Review in Sequence",
        help="The review waits until the reviews of the rules before it (lower sequence) are approved; "
        "otherwise it is asked at the same time as the others.",
    )

    @api.constrains("amount", "discount", "max_term_days", "min_margin")
    def _check_figures(self):
        for rule in self:
            if (
                rule.amount < 0
                or not 0 <= rule.max_term_days <= MAX_DAYS
                or rule.min_margin < 0
                or not 0 <= rule.discount <= 100
            ):
                raise ValidationError(
                    _(
                        "Rule %(rule)s: amounts, days and margins cannot be negative, payment terms are at most "
                        "%(max)s days, and a discount lies between 0 and 100 %%.",
                        rule=rule.name,
                        max=MAX_DAYS,
                    )
                )

    @api.constrains("reviewer", "user_id", "group_id")
    def _check_reviewer(self):
        for rule in self:
            if (rule.reviewer == "user" and not rule.user_id) or (rule.reviewer == "group" and not rule.group_id):
                raise ValidationError(_("Rule %(rule)s: say who reviews (a user or a group).", rule=rule.name))

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self.filtered(lambda r: r.condition == "domain"):
            try:
                self.env["sale.order"].search_count(safe_eval(rule.domain or "[]"), limit=1)
            except Exception as e:  # noqa: BLE001 - any parse or field error is the user's input
                raise ValidationError(
                    _("Rule %(rule)s: the condition is not valid: %(error)s", rule=rule.name, error=e)
                ) from e

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _match(self, order):
        """Why this rule asks a review of the order, as figures (see ``_render_match``); False when it does not."""
        self.ensure_one()
        company = order.company_id
        currency = company.currency_id
        today = fields.Date.context_today(self)
        match = False
        if self.condition == "amount":
            total = order.currency_id._convert(order.amount_untaxed, currency, company, today)
            if currency.compare_amounts(total, self.amount) > 0:
                match = {"total": total, "limit": self.amount}
        elif self.condition == "discount":
            lines = order.order_line.filtered(lambda l: float_compare(l.discount, self.discount, 2) > 0)
            if lines:
                match = {"product_id": lines[0].product_id.id, "discount": lines[0].discount, "limit": self.discount}
        elif self.condition == "payment_term":
            match = self._match_payment_term(order)
        elif self.condition == "price_floor":
            match = self._match_price_floor(order)
        elif self.condition == "tier":
            tier = order.partner_id.commercial_partner_id.customer_tier_id
            if tier in self.tier_ids:
                match = {"tier_id": tier.id}
        elif self.condition == "team":
            if order.team_id in self.team_ids:
                match = {"team_id": order.team_id.id}
        elif self.condition == "domain":
            if order.filtered_domain(safe_eval(self.domain or "[]")):
                match = {}
        return match if match is False else dict(match, condition=self.condition)

    def _match_payment_term(self, order):
        term = order.payment_term_id
        allowed = order.partner_id.commercial_partner_id.allowed_payment_term_ids
        if allowed and term not in allowed:
            return {"term_id": term.id, "not_allowed": True}
        days = max(term.line_ids.mapped("nb_days") or [0])
        if self.max_term_days and days > self.max_term_days:
            return {"term_id": term.id, "days": days, "limit": self.max_term_days}
        return False

    def _match_price_floor(self, order):
        company = order.company_id
        currency = company.currency_id
        today = fields.Date.context_today(self)
        for line in order.order_line.filtered(lambda l: l.product_id and not l.display_type):
            floor = line.product_id.with_company(company).standard_price * (1 + self.min_margin / 100)
            price = order.currency_id._convert(line.price_reduce_taxexcl, currency, company, today)
            price = line.product_uom._compute_price(price, line.product_id.uom_id)
            if currency.compare_amounts(price, floor) < 0:
                return {"product_id": line.product_id.id, "price": price, "floor": floor}
        return False

    def _render_match(self, match):
        """The sentence of a match of ``_match``, in the reader's language, money in the company's currency."""
        currency = self.company_id.currency_id

        def money(amount):
            return self.env["sales.formatter"]._money(amount, currency)

        def name(model, record_id):
            # sudo: the name of a product, term, tier or team named in a reason the reader may see
            return self.env[model].sudo().browse(record_id).exists().display_name or _("(none)")

        condition = match.get("condition", self.condition)
        if condition == "amount":
            return _(
                "Order total %(total)s is above %(limit)s.", total=money(match["total"]), limit=money(match["limit"])
            )
        if condition == "discount":
            return _(
                "%(product)s has a %(discount)s discount, above %(limit)s.",
                product=name("product.product", match["product_id"]),
                discount=self.env["sales.formatter"]._percent(match["discount"]),
                limit=self.env["sales.formatter"]._percent(match["limit"]),
            )
        if condition == "payment_term" and match.get("not_allowed"):
            return _(
                "Payment term %(term)s is not among the customer's allowed terms.",
                term=name("account.payment.term", match["term_id"]),
            )
        if condition == "payment_term":
            return _(
                "Payment term %(term)s runs %(days)s days, longer than %(limit)s.",
                term=name("account.payment.term", match["term_id"]),
                days=match["days"],
                limit=match["limit"],
            )
        if condition == "price_floor":
            return _(
                "%(product)s sold at %(price)s, below its floor price of %(floor)s.",
                product=name("product.product", match["product_id"]),
                price=money(match["price"]),
                floor=money(match["floor"]),
            )
        if condition == "tier":
            return _("The customer's tier is %(tier)s.", tier=name("sales.customer.tier", match["tier_id"]))
        if condition == "team":
            return _("The order belongs to sales team %(team)s.", team=name("crm.team", match["team_id"]))
        return _("The order matches the rule %(rule)s.", rule=self.name)

    def _prepare_reviewer_vals(self, order):
        """Who reviews ``order`` under this rule: the rule's user, group or the team leader; the company's fallback
        group when none of them could decide it (no leader, or only the salesperson himself)."""
        self.ensure_one()
        if self.reviewer == "user":
            vals = {"reviewer_user_id": self.user_id.id, "reviewer_group_id": False}
        elif self.reviewer == "group":
            vals = {"reviewer_user_id": False, "reviewer_group_id": self.group_id.id}
        else:
            vals = {"reviewer_user_id": order.team_id.user_id.id, "reviewer_group_id": False}
        return vals

    def _get_trigger_fields(self):
        """(order fields, line fields) whose change resets this rule's reviews."""
        self.ensure_one()
        if self.condition != "domain":
            return TRIGGER_FIELDS[self.condition]
        order_fields, line_fields = set(), set()
        for leaf in safe_eval(self.domain or "[]"):
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and isinstance(leaf[0], str):
                path = leaf[0].split(".")
                if path[0] == "order_line" and len(path) > 1:
                    line_fields.add(path[1])
                else:
                    order_fields.add(path[0])
        return order_fields, line_fields
