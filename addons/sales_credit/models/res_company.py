from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# The longest span a days setting of the suite may hold: ten years. Beyond it a value is a typing error, and past
# PostgreSQL's integers it would fail as a database error instead of this clear one.
MAX_DAYS = 3650
# The largest background job threshold, in rows: beyond it a figure is a typing error, and past PostgreSQL's
# integers a database error.
MAX_BACKGROUND_THRESHOLD = 10_000_000


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
    sales_background_threshold = fields.Integer(
        string="Background Job Threshold",
        default=5000,
        help="Allocations, dunning runs, plan decompositions and Excel exports that handle more rows than this run "
        "as a scheduled job instead of keeping the browser waiting; the inbox tells when they end (0: never).",
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
                        amount=company.credit_overdue_amount_limit,
                        days=company.credit_overdue_days_limit,
                    )
                )

    @api.constrains("sales_background_threshold")
    def _check_sales_background_threshold(self):
        if any(not 0 <= company.sales_background_threshold <= MAX_BACKGROUND_THRESHOLD for company in self):
            raise ValidationError(
                _(
                    "The background job threshold is a number of rows from 0 (never use background jobs) to %(max)s.",
                    max=MAX_BACKGROUND_THRESHOLD,
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
    # DATES: the one definition of "which day, month" a moment falls in
    # ------------------------------------------------------------

    def _sales_tz(self):
        """The time zone the suite buckets dates in, as Odoo's reports do: the user's (the context's, as the web
        client sends it), else the company's, else UTC. Scheduled jobs run without a user's time zone."""
        tz = self.env.context.get("tz") or self.env.user.tz or self[:1].partner_id.tz or "UTC"
        return tz if tz in pytz.all_timezones_set else "UTC"

    def _sales_local_date_sql(self, column):
        """SQL: the local date of a UTC datetime ``column`` (an SQL expression), in ``_sales_tz()``; truncate it to
        a month with date_trunc as usual. The same conversion as Odoo's grouped reads of datetimes."""
        return SQL("(timezone(%s, timezone('UTC', %s)))::date", self._sales_tz(), column)

    def _sales_local_date(self, moment):
        """Python: the local date of a UTC datetime, in ``_sales_tz()``."""
        return pytz.utc.localize(moment).astimezone(pytz.timezone(self._sales_tz())).date() if moment else False

    def _sales_today(self):
        """Today, in ``_sales_tz()``."""
        return self._sales_local_date(fields.Datetime.now())

    def _sales_utc_start(self, day):
        """The UTC moment (naive, as Odoo stores datetimes) the local ``day`` starts at, in ``_sales_tz()``: the
        inverse of ``_sales_local_date``, to bound a period of local days in a domain on a datetime."""
        local_start = pytz.timezone(self._sales_tz()).localize(datetime.combine(day, time.min))
        return local_start.astimezone(pytz.utc).replace(tzinfo=None)

    def _sales_period_domain(self, field_name, date_from, date_to):
        """Domain: the datetime ``field_name`` falls on a local day from ``date_from`` to ``date_to`` included."""
        return [
            (field_name, ">=", self._sales_utc_start(date_from)),
            (field_name, "<", self._sales_utc_start(date_to + timedelta(days=1))),
        ]

    # ------------------------------------------------------------
    # CURRENCIES: amounts of several companies in the current company's currency
    # ------------------------------------------------------------

    @api.model
    def _sales_currency_table_sql(self, company_column):
        """(join, factor): what a report adds to convert amounts in their company's currency into the current
        company's, as sale.report does with Odoo's currency table. Both are empty when the selected companies keep
        their books in one currency, so that single-currency reads keep their plan."""
        if len(self.env.companies.currency_id) <= 1:
            return SQL(), SQL()
        table = self.env["res.currency"]._get_simple_currency_table(self.env.companies)
        return (
            SQL("JOIN %s ON account_currency_table.company_id = %s", table, company_column),
            SQL("* account_currency_table.rate"),
        )
