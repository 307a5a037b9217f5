from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MAX_WEIGHT = 10000  # weights rank tiers; a larger number is a typing error


class SalesCustomerTier(models.Model):
    _inherit = "sales.customer.tier"

    allocation_weight = fields.Integer(
        help="Scarce stock goes first to the customers of the tier with the highest weight.",
    )

    @api.constrains("allocation_weight")
    def _check_allocation_weight(self):
        for tier in self:
            if not 0 <= tier.allocation_weight <= MAX_WEIGHT:
                raise ValidationError(
                    _(
                        "The allocation weight of tier %(tier)s lies between 0 and %(max)s.",
                        tier=tier.name,
                        max=MAX_WEIGHT,
                    )
                )
