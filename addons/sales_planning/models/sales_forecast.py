from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SalesForecast(models.Model):
    """Monthly sales expected per product or product category (and key customer), computed from history."""

    _name = "sales.forecast"
    _description = "Sales Forecast"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="First Month",
        required=True,
        default=lambda self: fields.Date.today().replace(month=1, day=1) + relativedelta(years=1),
    )
    date_to = fields.Date(
        string="Last Month",
        required=True,
        default=lambda self: fields.Date.today().replace(month=12, day=31) + relativedelta(years=1),
    )
    method = fields.Selection(
        [
            ("last_year", "Same Month Last Year x Growth"),
            ("moving_average", "Moving Average"),
            ("trend", "Linear Trend"),
        ],
        required=True,
        default="last_year",
    )
    growth = fields.Float(string="Growth (%)", default=0.0, help="Applied to last year's month: 10 means +10 %.")
    history_months = fields.Integer(
        string="Months of History",
        default=12,
        help="For the moving average and the trend: the months before the first one.",
    )
    granularity = fields.Selection(
        [("category", "Product Category"), ("product", "Product")], required=True, default="category"
    )
    by_key_customer = fields.Boolean(
        string="Per Key Customer", help="Key customers get their own lines; the others are forecast together."
    )
    line_ids = fields.One2many("sales.forecast.line", "forecast_id", string="Forecast")
    amount_total = fields.Monetary(string="Total", compute="_compute_amount_total")

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for forecast in self:
            forecast.amount_total = sum(forecast.line_ids.mapped("amount"))

    @api.constrains("date_from", "date_to", "history_months", "growth")
    def _check_period(self):
        for forecast in self:
            if forecast.growth < -100:
                raise ValidationError(
                    _("Sales cannot shrink by more than 100 %%, not by %(growth)s %%.", growth=-forecast.growth)
                )
            if forecast.date_from > forecast.date_to:
                raise ValidationError(_("The forecast %(name)s ends before it starts.", name=forecast.name))
            if not 2 <= forecast.history_months <= 120:
                raise ValidationError(
                    _("A forecast reads 2 to 120 months of history, not %(months)s.", months=forecast.history_months)
                )

    def action_generate(self):
        """Replace the lines by the chosen method's forecast, with the history each line comes from."""
        for forecast in self:
            months = forecast._get_months()
            if forecast.method == "last_year":
                start, end = months[0] - relativedelta(years=1), months[-1] - relativedelta(years=1)
            else:
                start, end = months[0] - relativedelta(months=forecast.history_months), months[0]
            history = forecast._get_history(
                start, end - relativedelta(days=1) if forecast.method != "last_year" else end + relativedelta(day=31)
            )
            vals_list = []
            for key, by_month in history.items():
                for month in months:
                    amount, basis_amount, basis = forecast._forecast_month(by_month, month, start)
                    if amount or basis_amount:
                        vals_list.append(
                            {
                                "forecast_id": forecast.id,
                                "date": month,
                                "amount": max(amount, 0.0),
                                "history_amount": basis_amount,
                                "history_basis": basis,
                                "product_id": key[0] if forecast.granularity == "product" else False,
                                "categ_id": key[0] if forecast.granularity == "category" else False,
                                "partner_id": key[1],
                            }
                        )
            forecast.line_ids.unlink()
            self.env["sales.forecast.line"].create(vals_list)
        return True

    def _get_months(self):
        return self.env["sales.history"]._get_months(self.date_from, self.date_to)

    def _get_history(self, date_from, date_to):
        """Confirmed sales by product or category (and key customer) and month: {key: {month: amount}}."""
        key_customers = self.env["res.partner"]
        if self.by_key_customer:
            key_customers = key_customers.search([("customer_tier_id.is_key_customer", "=", True)])
        history = defaultdict(lambda: defaultdict(float))
        for _team, _user, partner, item, month, amount in self.env["sales.history"]._read_monthly(
            self.company_id, date_from, date_to, "order", self.granularity, key_customers
        ):
            history[(item, partner)][month] += amount
        return history

    def _forecast_month(self, by_month, month, start):
        """(forecast, history amount, how) for one month of one line from its monthly history."""
        currency = self.currency_id
        if self.method == "last_year":
            base = by_month.get(month - relativedelta(years=1), 0.0)
            return (
                currency.round(base * (1 + self.growth / 100)),
                currency.round(base),
                _(
                    "%(month)s: %(amount)s",
                    month=(month - relativedelta(years=1)).strftime("%Y-%m"),
                    amount=self._format(base),
                ),
            )
        window = [by_month.get(start + relativedelta(months=i), 0.0) for i in range(self.history_months)]
        average = sum(window) / len(window)
        if self.method == "moving_average":
            return (
                currency.round(average),
                currency.round(average),
                _("average of %(months)s months: %(amount)s", months=len(window), amount=self._format(average)),
            )
        # least squares line through the window, extended to the month
        n = len(window)
        mean_x = (n - 1) / 2
        slope = sum((x - mean_x) * (y - average) for x, y in enumerate(window)) / sum(
            (x - mean_x) ** 2 for x in range(n)
        )
        x = (month.year - start.year) * 12 + month.month - start.month
        return (
            currency.round(average + slope * (x - mean_x)),
            currency.round(average),
            _(
                "average %(amount)s, trend %(sign)s%(slope)s per month",
                amount=self._format(average),
                sign="+" if slope >= 0 else "-",
                slope=self._format(abs(slope)),
            ),
        )

    def _format(self, amount):
        """An amount as the forecast shows it in words: in its currency, with its separators."""
        return self.env["sales.formatter"]._money(amount, self.currency_id)
