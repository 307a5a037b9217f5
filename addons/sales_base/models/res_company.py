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

    sales_background_threshold = fields.Integer(
        string="Background Job Threshold",
        default=5000,
        help="Allocations, dunning runs, plan decompositions and Excel exports that handle more rows than this run "
        "as a scheduled job instead of keeping the browser waiting; the inbox tells when they end (0: never).",
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

    # ------------------------------------------------------------
    # ABC GRADING: how customers and products are graded
    # ------------------------------------------------------------

    sales_grade_customer_basis = fields.Selection(
        [("revenue", "Revenue"), ("margin", "Margin"), ("frequency", "Order Frequency")],
        string="Grade Customers By",
        default="revenue",
        required=True,
        help="Revenue: ordered amounts less credit notes. Margin: as the sales analysis computes it (amount less "
        "the products' cost). Order frequency: the number of confirmed orders.",
    )
    sales_grade_product_basis = fields.Selection(
        [("revenue", "Revenue"), ("margin", "Margin")],
        string="Grade Products By",
        default="revenue",
        required=True,
    )
    sales_grade_months = fields.Integer(
        string="Grading Period (Months)",
        default=12,
        help="The grading counts the confirmed orders of this many months up to today.",
    )
    sales_grade_a_share = fields.Float(
        string="Grade A Up To (%)",
        default=80.0,
        help="Customers and products ranked from the largest are graded A until this share of the total is reached.",
    )
    sales_grade_b_share = fields.Float(
        string="Grade B Up To (%)",
        default=95.0,
        help="Then B until this cumulative share of the total is reached; the rest is C.",
    )

    # one horizon for "at risk" wherever the suite says it: the order execution analysis and the early warning
    sales_at_risk_days = fields.Integer(
        string="At-Risk Horizon (Days)",
        default=3,
        help="An order line not fully delivered whose promised date falls within this many days is at risk: in the "
        "order execution analysis and in the early warning.",
    )

    @api.constrains("sales_at_risk_days")
    def _check_sales_at_risk_days(self):
        for company in self:
            if not 0 <= company.sales_at_risk_days <= MAX_DAYS:
                raise ValidationError(
                    _(
                        "The at-risk horizon is between 0 and %(max)s days, not %(days)s.",
                        max=MAX_DAYS,
                        days=company.sales_at_risk_days,
                    )
                )

    @api.constrains("sales_grade_months", "sales_grade_a_share", "sales_grade_b_share")
    def _check_sales_grade_settings(self):
        for company in self:
            if not 1 <= company.sales_grade_months <= 120:
                raise ValidationError(_("The grading period is a number of months from 1 to 120."))
            if not 0 < company.sales_grade_a_share < company.sales_grade_b_share <= 100:
                raise ValidationError(
                    _(
                        "The cut-offs of the grades must rise: 0 %% < A (%(a)s %%) < B (%(b)s %%) <= 100 %%.",
                        a=company.sales_grade_a_share,
                        b=company.sales_grade_b_share,
                    )
                )
