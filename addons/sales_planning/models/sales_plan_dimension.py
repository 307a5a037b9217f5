from odoo import fields, models

from .sales_plan_line import DIMENSIONS

BASES = [
    ("last_year", "Last Year's Share"),
    ("forecast", "Forecast"),
    ("equal", "Equal Parts"),
    ("manual", "Manual Shares"),
]


class SalesPlanDimension(models.Model):
    """One level of a plan's breakdown, in the planner's order, with the basis that splits it."""

    _name = "sales.plan.dimension"
    _description = "Sales Plan Breakdown Level"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("sales.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    dimension = fields.Selection(DIMENSIONS, required=True)
    basis = fields.Selection(
        BASES,
        required=True,
        default="last_year",
        help="How a line's target is split over its breakdown: by last year's sales of each, by the plan's "
        "forecast, in equal parts, or by the shares entered on the breakdown lines (summing to 100 %).",
    )

    _sql_constraints = [
        ("dimension_unique", "UNIQUE (plan_id, dimension)", "A plan breaks down along each dimension once."),
    ]
