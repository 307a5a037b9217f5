from odoo import _, api, fields, models


class SalesTrendLine(models.TransientModel):
    _name = "sales.trend.line"
    _description = "Sales Trend Line"
    _order = "mover, rank, dimension_name, period_start"

    report_id = fields.Many2one("sales.trend.report", required=True, ondelete="cascade", index=True)
    dimension_ref = fields.Char(readonly=True)
    dimension_name = fields.Char(string="Dimension", readonly=True)
    period_start = fields.Date(readonly=True)
    period_label = fields.Char(string="Period", readonly=True)
    # Group rows total what adds up whether the rows are periods or dimension values: the values, last year's and
    # the change against it. Consecutive periods' previous periods overlap them, and growth rates are ratios:
    # neither is summed.
    value = fields.Float(readonly=True)
    previous_value = fields.Float(string="Previous Period", aggregator=None, readonly=True)
    growth = fields.Float(string="Change", aggregator=None, readonly=True)
    growth_pct = fields.Float(string="Growth (%)", aggregator=None, readonly=True)
    is_new = fields.Boolean(string="New", readonly=True, help="Nothing in the previous period: no growth rate.")
    last_year_value = fields.Float(string="Last Year", readonly=True)
    yoy_growth = fields.Float(string="Change vs Last Year", readonly=True)
    yoy_growth_pct = fields.Float(string="Growth vs Last Year (%)", aggregator=None, readonly=True)
    is_new_yoy = fields.Boolean(string="New vs Last Year", readonly=True)
    mover = fields.Selection([("top", "Top Mover"), ("bottom", "Bottom Mover")], readonly=True)
    rank = fields.Integer(readonly=True)
    growth_display = fields.Char(string="Growth", compute="_compute_displays")
    yoy_display = fields.Char(string="vs Last Year", compute="_compute_displays")

    @api.depends("growth_pct", "is_new", "yoy_growth_pct", "is_new_yoy")
    def _compute_displays(self):
        for line in self:
            line.growth_display = _("new") if line.is_new else f"{line.growth_pct:+.1f} %"
            line.yoy_display = _("new") if line.is_new_yoy else f"{line.yoy_growth_pct:+.1f} %"
