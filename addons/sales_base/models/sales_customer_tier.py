from odoo import fields, models

from .sales_grading import GRADES


class SalesCustomerTier(models.Model):
    _name = "sales.customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each customer tier needs its own code."),
    ]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical key other addons use, e.g. for allocation weights.",
    )
    sequence = fields.Integer(default=10, help="Lower comes first: the most important tier goes on top.")
    is_key_customer = fields.Boolean(
        string="Key Customer Tier",
        help="Customers of this tier are planned and reported individually as key customers.",
    )
    sales_grade = fields.Selection(
        GRADES,
        string="Suits Grade",
        help="Customers of this ABC grade are suggested this tier (the first by sequence where several suit it). "
        "A customer in a tier that suits no grade (e.g. strategic, decided by hand) gets no suggestion.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("customer_tier_id", "in", self.ids), ("is_company", "=", True)],
                ["customer_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)
