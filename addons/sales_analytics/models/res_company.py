from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_at_risk_days = fields.Integer(
        string="At-Risk Horizon (Days)",
        default=3,
        help="An order line not fully delivered whose promised date falls within this many days is at risk.",
    )

    @api.constrains("sales_at_risk_days")
    def _check_sales_at_risk_days(self):
        for company in self:
            if company.sales_at_risk_days < 0:
                raise ValidationError(
                    _("The at-risk horizon cannot be negative (%(days)s days).", days=company.sales_at_risk_days)
                )
