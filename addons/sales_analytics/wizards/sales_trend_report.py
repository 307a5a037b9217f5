from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

DIMENSIONS = [
    ("categ_id", "Product Line"),
    ("product_id", "Product"),
    ("partner_id", "Customer"),
    ("customer_tier_id", "Customer Tier"),
    ("sales_region_id", "Sales Region"),
    ("country_id", "Country"),
    ("state_id", "State"),
    ("user_id", "Salesperson"),
    ("team_id", "Sales Team"),
    ("company_id", "Company"),
]
MEASURES = [
    ("amount_ordered", "Ordered Amount"),
    ("qty_ordered", "Ordered Quantity"),
    ("amount_delivered", "Delivered Amount"),
    ("amount_invoiced", "Invoiced Amount"),
    ("margin", "Margin"),
]
PERIODS = {"month": relativedelta(months=1), "quarter": relativedelta(months=3), "year": relativedelta(years=1)}


class SalesTrendReport(models.TransientModel):
    """Each period beside the one before and the same period last year, or the movers between two periods."""

    _name = "sales.trend.report"
    _description = "Sales Trend and Comparison"

    mode = fields.Selection([("trend", "Trend"), ("movers", "Top and Bottom Movers")], required=True, default="trend")
    dimension = fields.Selection(DIMENSIONS, required=True, default="categ_id")
    measure = fields.Selection(MEASURES, required=True, default="amount_ordered")
    period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        string="Period Unit",
        required=True,
        default="month",
        help="Each line of the trend covers one month, quarter or year.",
    )
    date_from = fields.Date(
        string="From", required=True, default=lambda self: self.env.company._sales_today().replace(month=1, day=1)
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self.env.company._sales_today().replace(month=12, day=31)
    )
    # movers: period A (before) against period B (after)
    compare_from = fields.Date(string="Compared From")
    compare_to = fields.Date(string="Compared To")
    limit = fields.Integer(string="How Many", default=10)
    line_ids = fields.One2many("sales.trend.line", "report_id")

    @api.constrains("date_from", "date_to", "compare_from", "compare_to", "limit")
    def _check_dates(self):
        for report in self:
            if report.date_from > report.date_to or (
                report.compare_from and report.compare_to and report.compare_from > report.compare_to
            ):
                raise UserError(_("A period must end after it starts."))
            if report.mode == "movers" and (not report.compare_from or not report.compare_to or report.limit < 1):
                raise UserError(_("Movers compare two periods: give the second period and how many movers to show."))
            if not 1 <= report.limit <= 1000:
                raise UserError(_("Show between 1 and 1,000 movers, not %(limit)s.", limit=report.limit))

    def action_show(self):
        self.ensure_one()
        self.line_ids.unlink()
        vals_list = self._trend_lines() if self.mode == "trend" else self._mover_lines()
        self.env["sales.trend.line"].create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["mode"]._description_selection(self.env))[self.mode],
            "res_model": "sales.trend.line",
            "view_mode": "list,pivot,graph",
            "domain": [("report_id", "=", self.id)],
            "context": {"search_default_group_dimension": 1} if self.mode == "trend" else {"movers": True},
        }

    # ------------------------------------------------------------
    # computation: one grouped read per call
    # ------------------------------------------------------------

    def _read(self, date_from, date_to, groupby):
        """The measure over the local days from ``date_from`` to ``date_to``, bucketed by the same time zone."""
        company = self.env.company
        Analysis = self.env["sales.analysis"].with_context(tz=company._sales_tz())
        return Analysis._read_group(
            company._sales_period_domain("date", date_from, date_to), groupby, [f"{self.measure}:sum"]
        )

    def _trend_lines(self):
        step = PERIODS[self.period]
        first = self._period_start(self.date_from)
        groups = self._read(first - relativedelta(years=1), self.date_to, [self.dimension, f"date:{self.period}"])
        values = {(record, fields.Date.to_date(start)): value or 0.0 for record, start, value in groups}
        records = {record for record, _start in values}
        vals_list = []
        for record in records:
            start = first
            while start <= self.date_to:
                value = values.get((record, start), 0.0)
                previous = values.get((record, start - step), 0.0)
                last_year = values.get((record, start - relativedelta(years=1)), 0.0)
                if value or previous or last_year:
                    vals_list.append(self._line_vals(record, start, value, previous, last_year))
                start += step
        return vals_list

    def _mover_lines(self):
        before = dict(self._read(self.date_from, self.date_to, [self.dimension]))
        after = dict(self._read(self.compare_from, self.compare_to, [self.dimension]))
        changes = sorted(
            ((record, (after.get(record) or 0.0) - (before.get(record) or 0.0)) for record in set(before) | set(after)),
            key=lambda item: item[1],
            reverse=True,
        )
        top = [item for item in changes if item[1] > 0][: self.limit]
        bottom = [item for item in reversed(changes) if item[1] < 0][: self.limit]
        return [
            dict(
                self._line_vals(record, self.compare_from, after.get(record) or 0.0, before.get(record) or 0.0, 0.0),
                mover=kind,
                rank=rank,
            )
            for kind, items in (("top", top), ("bottom", bottom))
            for rank, (record, _change) in enumerate(items, 1)
        ]

    def _period_start(self, day):
        if self.period == "year":
            return day.replace(month=1, day=1)
        if self.period == "quarter":
            return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        return day.replace(day=1)

    def _line_vals(self, record, start, value, previous, last_year):
        def growth(current, prior):
            # no prior value: the line is new, there is no percentage
            return (current - prior, (current - prior) / abs(prior) * 100 if prior else 0.0)

        growth_abs, growth_pct = growth(value, previous)
        yoy_abs, yoy_pct = growth(value, last_year)
        return {
            "report_id": self.id,
            "dimension_ref": f"{record._name},{record.id}" if record else False,
            "dimension_name": record.display_name if record else _("Undefined"),
            "period_start": start,
            "period_label": self._period_label(start),
            "value": value,
            "previous_value": previous,
            "growth": growth_abs,
            "growth_pct": growth_pct,
            "is_new": not previous,
            "last_year_value": last_year,
            "yoy_growth": yoy_abs,
            "yoy_growth_pct": yoy_pct,
            "is_new_yoy": not last_year,
        }

    def _period_label(self, start):
        if self.period == "year":
            return str(start.year)
        if self.period == "quarter":
            return f"{start.year} Q{(start.month - 1) // 3 + 1}"
        return start.strftime("%Y-%m")
