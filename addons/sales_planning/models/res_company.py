from odoo import fields, models

ACTUAL_SOURCES = [
    ("order", "Confirmed Sale Orders"),
    ("invoice", "Posted Invoices"),
]


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
