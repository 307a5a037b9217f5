from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ACTUAL_SOURCES = [
    ("order", "Confirmed Sale Orders"),
    ("invoice", "Posted Invoices"),
]
SEASON_FALLBACKS = [("company", "Company's Months"), ("equal", "Equal Months")]


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_plan_actual_source = fields.Selection(
        ACTUAL_SOURCES,
        string="Plan Actuals From",
        default="order",
        required=True,
        help="What new sales plans measure their completion against: confirmed orders by order date, "
        "or posted invoices net of credit notes by invoice date.",
    )
    sales_plan_season_min_months = fields.Integer(
        string="Plan Seasonality: Months of History Needed",
        default=6,
        help="New plans split a line by its own months of last year only if it sold in at least this many months; "
        "otherwise by the fallback.",
    )
    sales_plan_season_fallback = fields.Selection(
        SEASON_FALLBACKS,
        string="Plan Seasonality Fallback",
        default="company",
        required=True,
        help="How new plans split a line whose own history is too thin: by the company's months of last year (equal "
        "months if those are thin too), or in equal months.",
    )

    sales_plan_feeds_replenishment = fields.Boolean(
        string="Plans Feed Replenishment",
        help="The quantities of the approved sales plan still to sell, beyond confirmed orders, lower the forecast "
        "of the reordering rules of the main warehouse's stock, so that the replenishment report suggests enough "
        "to cover the plan.",
    )

    @api.constrains("sales_plan_season_min_months")
    def _check_sales_plan_season_min_months(self):
        if any(not 0 <= company.sales_plan_season_min_months <= 12 for company in self):
            raise ValidationError(_("The months of history a seasonality needs are from 0 to 12."))
