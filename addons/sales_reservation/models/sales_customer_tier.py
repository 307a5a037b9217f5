from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SalesCustomerTier(models.Model):
    _inherit = "sales.customer.tier"

    allocation_weight = fields.Integer(
        help="Scarce stock goes first to the customers of the tier with the highest weight.",
    )

    @api.constrains("allocation_weight")
    def _check_allocation_weight(self):
        for tier in self:
            if tier.allocation_weight < 0:
                raise ValidationError(
                    _("The allocation weight of tier %(tier)s cannot be negative.", tier=tier.name)
                )
